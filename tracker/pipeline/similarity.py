"""Near-duplicate detection between two documents (the same report from two sites)."""

from __future__ import annotations

import re

from .fold import fold_text

_NOISE = re.compile(r"[\s\W_0-9xX]+")  # masks (xx, _, X%) and figures differ between copies
_SHINGLE = 4


def _shingles(text: str) -> set[str]:
    core = _NOISE.sub("", fold_text(text))
    return {core[i : i + _SHINGLE] for i in range(max(0, len(core) - _SHINGLE + 1))}


def text_similarity(a: str, b: str) -> float:
    """0..1: share of the shorter text's 4-character shingles found in the other.

    Containment rather than Jaccard, because one copy is often cut short: a
    truncated copy of a plan is still a duplicate of the whole plan.
    """
    sa, sb = _shingles(a), _shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))

"""Mark the words two texts share, so a curator sees at a glance why a span was matched.

Chinese has no spaces between words, so "shared words" are shared character
n-grams (bigrams by default): 高标准农田 in both texts lights up, a lone shared
的 does not. Pure functions, no Django: the dashboard may reuse them.
"""

from __future__ import annotations

import html
import unicodedata


def _is_content(char: str) -> bool:
    # Letters and digits (CJK ideographs are letters); punctuation and spaces never make a match.
    return unicodedata.category(char)[0] in {"L", "N"}


def _ngrams(text: str, n: int) -> set[str]:
    return {text[i : i + n] for i in range(len(text) - n + 1) if all(_is_content(c) for c in text[i : i + n])}


def shared_mask(text: str, other: str, n: int = 2) -> list[bool]:
    """For each character of `text`, whether it belongs to an n-gram that also occurs in `other`."""
    mask = [False] * len(text)
    if n <= 0 or not text or not other:
        return mask
    wanted = _ngrams(other, n)
    for i in range(len(text) - n + 1):
        if text[i : i + n] in wanted:
            for j in range(i, i + n):
                mask[j] = True
    return mask


def highlight_segments(text: str, other: str, n: int = 2) -> list[tuple[str, bool]]:
    """`text` cut into runs of (substring, shared with `other`), in order; joined they give `text` back."""
    mask = shared_mask(text, other, n)
    segments: list[tuple[str, bool]] = []
    for char, marked in zip(text, mask, strict=True):
        if segments and segments[-1][1] == marked:
            segments[-1] = (segments[-1][0] + char, marked)
        else:
            segments.append((char, marked))
    return segments


def highlight_html(text: str, other: str, n: int = 2, tag: str = "mark") -> str:
    """`text` HTML-escaped, with the runs it shares with `other` wrapped in <mark>."""
    return "".join(
        f"<{tag}>{html.escape(part)}</{tag}>" if marked else html.escape(part)
        for part, marked in highlight_segments(text, other, n)
    )


def shared_share(text: str, other: str, n: int = 2) -> float:
    """Share of `text`'s content characters that are highlighted: a quick overlap figure for a curator."""
    mask = shared_mask(text, other, n)
    content = [m for c, m in zip(text, mask, strict=True) if _is_content(c)]
    return sum(content) / len(content) if content else 0.0

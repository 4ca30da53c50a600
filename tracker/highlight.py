"""Mark the words two texts share, so a curator sees at a glance why a span was matched.

Chinese has no spaces between words, so "shared words" are shared character
n-grams (bigrams by default): 高标准农田 in both texts lights up, a lone shared
的 does not. Pure functions, no Django: the dashboard may reuse them.
"""

from __future__ import annotations

import html
import re
import unicodedata

from tracker.pipeline.classify import FIGURE_RX


def _is_content(char: str) -> bool:
    # Letters and digits (CJK ideographs are letters); punctuation and spaces never make a match.
    return unicodedata.category(char)[0] in {"L", "N"}


def _ngrams(text: str, n: int) -> set[str]:
    return {text[i : i + n] for i in range(len(text) - n + 1) if all(_is_content(c) for c in text[i : i + n])}


def figure_spans(text: str) -> list[tuple[int, int, str]]:
    """Figures of a text as (start, end, how it is written): 1256万人, 5.5%, 2025."""
    spans = []
    for m in FIGURE_RX.finditer(text):
        written = m.group(0).rstrip()
        if written and re.match(r"\d", written):
            spans.append((m.start(), m.start() + len(written), written.replace("％", "%")))
    return spans


def shared_mask(text: str, other: str, n: int = 2) -> list[bool]:
    """For each character of `text`, whether it belongs to an n-gram that also occurs in `other`.

    A figure is one token: marked whole, with its unit, when `other` writes the same figure,
    and never in part. Bigrams would otherwise light up the 12 of 1256 against 1200, telling a
    reader two different figures agree.
    """
    mask = [False] * len(text)
    if n <= 0 or not text or not other:
        return mask
    figures, other_figures = figure_spans(text), figure_spans(other)
    in_figure = [False] * len(text)
    for start, end, _ in figures:
        for j in range(start, end):
            in_figure[j] = True
    blanked = list(other)
    for start, end, _ in other_figures:
        blanked[start:end] = ["\u3000"] * (end - start)
    wanted = _ngrams("".join(blanked), n)
    for i in range(len(text) - n + 1):
        if not any(in_figure[i : i + n]) and text[i : i + n] in wanted:
            for j in range(i, i + n):
                mask[j] = True
    written = {key for _, _, key in other_figures}
    for start, end, key in figures:
        if key in written:
            for j in range(start, end):
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

"""Mark the words a pledge and its evidence share, for side-by-side reading.

Chinese has no spaces, so "words" here are runs of characters covered by a
two-character sequence that also occurs in the other text. Bigrams of
letters, digits and CJK only: punctuation and spaces never start a match, so
"，" or "、" are not highlighted just because both texts use them.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MIN_RUN = 2


def _is_word_char(char: str) -> bool:
    return char.isalnum()


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1) if _is_word_char(text[i]) and _is_word_char(text[i + 1])}


def shared_mask(text: str, other: str) -> list[bool]:
    """For each character of `text`, whether it belongs to a bigram also found in `other`."""
    other_bigrams = _bigrams(other)
    mask = [False] * len(text)
    for i in range(len(text) - 1):
        if text[i : i + 2] in other_bigrams:
            mask[i] = mask[i + 1] = True
    return mask


def matched_runs(text: str, other: str) -> list[tuple[str, bool]]:
    """`text` cut into (piece, matched) runs; matched pieces are at least MIN_RUN characters."""
    mask = shared_mask(text, other)
    runs: list[tuple[str, bool]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or mask[i] != mask[start]:
            runs.append((text[start:i], mask[start] and i - start >= MIN_RUN))
            start = i
    return runs


def highlight(text: str, other: str) -> SafeString:
    """`text` as escaped HTML with the words it shares with `other` in <mark>."""
    parts = [f"<mark>{escape(piece)}</mark>" if matched else str(escape(piece)) for piece, matched in matched_runs(text, other)]
    return mark_safe("".join(parts))  # every piece was escaped above


def highlight_many(text: str, others: list[str]) -> SafeString:
    """`text` with every word it shares with any of `others` in <mark> (the plan side of several spans)."""
    return highlight(text, "\n".join(others))

"""Highlighting for templates: the shared tracker.highlight, marked safe for Django.

The matching itself (shared character bigrams, punctuation never matches) lives
in tracker/highlight.py so the admin and the dashboard mark the same words.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from tracker.highlight import highlight_html


def highlight(text: str, other: str) -> SafeString:
    """`text` as escaped HTML with the words it shares with `other` in <mark>."""
    return mark_safe(highlight_html(text, other))  # highlight_html escapes every piece


def highlight_many(text: str, others: list[str]) -> SafeString:
    """`text` with every word it shares with any of `others` marked (the plan side of several spans).

    Joined by a newline, which is not a word character, so no bigram spans two evidence texts.
    """
    return highlight(text, "\n".join(others))

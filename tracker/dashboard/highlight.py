"""Highlighting for templates: the shared tracker.highlight, marked safe for Django.

The matching itself (shared character bigrams, punctuation never matches) lives
in tracker/highlight.py so the admin and the dashboard mark the same words.
"""

from __future__ import annotations

import html

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


def paragraphs_marked(text: str, spans: list[tuple[int, int]]) -> list[SafeString]:
    """A report's cleaned text cut into paragraphs (one per line, so paragraph N follows the
    Nth newline), escaped, with each span in <mark class="span-mark">: the evidence shown in
    place. The first mark carries id="span" so the page opens on it."""
    out: list[SafeString] = []
    first = True
    position = 0
    for line in text.split("\n"):
        end = position + len(line)
        pieces, cursor = [], position
        for start, stop in sorted(spans):
            a, b = max(start, position), min(stop, end)
            if a >= b or a < cursor:
                continue
            pieces.append(html.escape(text[cursor:a]))
            anchor = ' id="span"' if first else ""
            first = False
            pieces.append(f'<mark class="span-mark"{anchor}>{html.escape(text[a:b])}</mark>')
            cursor = b
        pieces.append(html.escape(text[cursor:end]))
        out.append(mark_safe("".join(pieces)))  # every piece of report text above is escaped
        position = end + 1
    return out

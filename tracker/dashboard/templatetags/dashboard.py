"""Presentation helpers for dashboard templates: labels, shares, targets, highlights."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_noop

from tracker.dashboard import highlight as highlighting
from tracker.dashboard.labels import CHAIN_KIND_LABELS, COMPARATOR_SYMBOLS, KIND_LABELS, LEVEL_LABELS, STATUS_LABELS
from tracker.figures import figure_parts, number_text
from tracker.models import Pledge, Status
from tracker.pipeline.calibrate import probability_words as calibrated_words
from tracker.selectors import part_label, section_part

register = template.Library()


@register.filter
def status_of(pledge: Pledge) -> str:
    """The effective status; a pledge without a verdict row is pending."""
    verdict = getattr(pledge, "verdict", None)
    return verdict.status if verdict else Status.PENDING


@register.filter
def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


@register.filter
def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


@register.filter
def chain_kind_label(kind: str) -> str:
    return str(CHAIN_KIND_LABELS.get(kind, kind))


@register.filter
def level_label(level: str) -> str:
    return str(LEVEL_LABELS.get(level, level))


@register.filter
def pct(share: float | None) -> str:
    if share is None:
        return ""
    return f"{share * 100:.1f}%"


@register.filter
def pct0(share: float | None) -> str:
    """A share as a whole percent without the sign (the estimate's bounds: 55–68%)."""
    if share is None:
        return ""
    return f"{share * 100:.0f}"


# The pipeline's words (calibrate.probability_words) are Chinese; the English page needs its own.
_PROBABILITY_WORDS = {"很可能": gettext_noop("likely"), "可能": gettext_noop("possibly"), "不确定": gettext_noop("uncertain")}


@register.filter
def probability_words(p: float | None) -> str:
    """很可能 / 可能 / 不确定 (likely / possibly / uncertain), in the page's language."""
    if p is None:
        return ""
    return gettext(_PROBABILITY_WORDS[calibrated_words(p)])


def _number(value: float | None) -> str:
    return "" if value is None else number_text(value)


def figure_display(metric: str, value: float | None, value_max: float | None, unit: str | None, comparator: str) -> str:
    if value is None:
        return metric or ""
    if comparator == "range" and value_max is not None:
        amount = f"{_number(value)}–{_number(value_max)}{unit or ''}"
    else:
        amount = f"{COMPARATOR_SYMBOLS.get(comparator, '')}{_number(value)}{unit or ''}"
    return f"{metric} {amount}".strip()


@register.filter
def target_display(pledge: Pledge) -> str:
    """A pledge's target as metric, comparator symbol, value and unit (e.g. "地区生产总值增长 ≈5%")."""
    return figure_display(
        pledge.target_metric, pledge.target_value, pledge.target_value_max, pledge.target_unit, pledge.target_comparator
    )


def actual_parts(pledge: Pledge) -> tuple[str, str]:
    """(number, unit) of the figure the review reported, written as the report writes it
    (1256万人, not 1.256e+07人) and with the target's multiplier when they share a unit."""
    verdict = getattr(pledge, "verdict", None)
    actual = verdict.machine_actual if verdict else None
    if not actual or actual.get("value") is None:
        return "", ""
    return figure_parts(actual["value"], actual.get("unit"), pledge.target_unit)


@register.filter
def actual_display(pledge: Pledge) -> str:
    """The figure the review reported, e.g. 1256万人."""
    return "".join(actual_parts(pledge))


@register.filter
def highlight(text: str, other: str | list[str]) -> SafeString:
    """`text` with the words it shares with `other` (a string or a list of strings) marked."""
    if isinstance(other, (list, tuple)):
        return highlighting.highlight_many(text, list(other))
    return highlighting.highlight(text, other or "")


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key) if mapping else None


@register.filter
def part_of(section_path: str) -> str:
    """The plan sub-section heading of a section path （三）…, or its top heading."""
    return part_label(section_part(section_path or ""))


@register.filter
def truncate_chars(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"

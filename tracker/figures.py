"""Figures written the way a work report writes them: 1256万人, 1.4万亿斤, 37.3万亩.

The pipeline keeps a reported figure in its base unit (1256万人 is 12560000 人) so it can be
compared with a target; printed as it is, that reads 1.256e+07人. Readers, and the
spreadsheets behind a chart, want the report's own form: a number with 万/亿/万亿 and the unit.
Pure functions, no Django, shared by the dashboard and its CSV.
"""

from __future__ import annotations

from tracker.pipeline.classify import RATE_UNITS, unit_split

# Largest first: a figure takes the largest multiplier it reaches.
MULTIPLIER_NAMES = (("万亿", 1e12), ("亿", 1e8), ("万", 1e4))


def number_text(value: float) -> str:
    """A number without exponent or float noise: 1256.0 -> "1256", 0.35000000001 -> "0.35"."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def figure_parts(value: float, unit: str | None, like_unit: str | None = None) -> tuple[str, str]:
    """(number, unit as written) of a figure held in its base unit.

    ``like_unit`` is the unit of the target it answers (万亩): when it shares the base unit,
    the figure is written with the same multiplier, so target and actual read alike.
    Rates (%, 个百分点) never take a multiplier.
    """
    unit = unit or ""
    if unit in RATE_UNITS:
        return number_text(value), unit
    if like_unit:
        factor, base = unit_split(like_unit)
        if base == unit and factor in dict(MULTIPLIER_NAMES).values() and abs(value) >= factor / 100:
            return number_text(value / factor), like_unit
    for name, factor in MULTIPLIER_NAMES:
        if abs(value) >= factor:
            return number_text(value / factor), name + unit
    return number_text(value), unit


def figure_text(value: float | None, unit: str | None, like_unit: str | None = None) -> str:
    """The figure as one string (1256万人); empty when there is no value."""
    if value is None:
        return ""
    number, written = figure_parts(value, unit, like_unit)
    return number + written

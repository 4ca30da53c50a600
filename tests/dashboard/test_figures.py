"""Reported figures are printed the way a work report writes them, never in float notation."""

import pytest

from tracker.figures import figure_parts, figure_text, number_text


@pytest.mark.parametrize(
    ("value", "unit", "like", "expected"),
    [
        (12_560_000, "人", "万人", "1256万人"),  # the target's multiplier when it shares the unit
        (1.4e12, "斤", "万亿斤", "1.4万亿斤"),
        (373_000, "亩", "", "37.3万亩"),  # no target unit: the largest multiplier reached
        (134.9e12, "元", None, "134.9万亿元"),
        (6.3, "%", "%", "6.3%"),  # rates never take a multiplier
        (2500, "列", None, "2500列"),
        (0.35000000001, "个百分点", None, "0.35个百分点"),
    ],
)
def test_figure_text_reads_like_the_report(value, unit, like, expected):
    assert figure_text(value, unit, like) == expected
    assert "e+" not in expected


def test_figure_parts_split_number_and_unit_for_spreadsheets():
    assert figure_parts(12_560_000, "人", "万人") == ("1256", "万人")
    assert number_text(12_000_000.0) == "12000000"
    assert figure_text(None, "人") == ""

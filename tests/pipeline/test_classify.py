"""Statuses from figures and words: comparators, directions, 万/亿, completion vs progress."""

from __future__ import annotations

import pytest

from tracker.pipeline.classify import (
    Figure,
    compare,
    figures_parse,
    is_generic,
    is_listed,
    metric_direction,
    target_of,
    unit_split,
    words_status,
)
from tracker.pipeline.types import PledgeSpan, Target


def fig(value: float, unit: str = "%", comparator: str = "exact", reduction: bool = False, vmax: float | None = None) -> Figure:
    return Figure(value, vmax, unit, 0, 0, comparator, reduction, f"{value}{unit}")


def first(text: str) -> Figure:
    figs = figures_parse(text)
    assert figs, text
    return figs[0]


def test_figure_parse_percent_and_wan():
    f = first("地区生产总值增长3.9%")
    assert (f.value, f.unit) == (3.9, "%")
    f = first("新增城镇就业1256万人")
    assert f.value == pytest.approx(12_560_000)
    assert f.unit == "人"


def test_figure_parse_yi_and_comparator_after():
    f = first("粮食产量1.3万亿斤以上")
    assert f.value == pytest.approx(1.3e12)
    assert f.unit == "斤"
    assert f.comparator == "at_least"
    assert first("城镇调查失业率5.5%左右").comparator == "about"
    assert first("赤字率控制在3%以内").comparator == "at_most"


def test_figure_parse_comparator_before_range_and_reduction():
    assert first("新建充电桩超2万个").comparator == "at_least"
    r = first("价格下降3-5分")
    assert r.comparator == "range" and r.value_max == 5.0
    assert first("单位国内生产总值能耗降低2.5%左右").reduction


def test_figure_parse_skips_years():
    assert figures_parse("2025年是关键一年") == []


def test_unit_split():
    assert unit_split("万人") == (1e4, "人")
    assert unit_split("亿元") == (1e8, "元")
    assert unit_split("%") == (1.0, "%")


@pytest.mark.parametrize(
    ("target", "actual", "direction", "status"),
    [
        (fig(5, comparator="about"), fig(5.2), "floor", "fulfilled"),
        (fig(5, comparator="about"), fig(4.8), "floor", "fulfilled"),  # within 0.3 pp
        (fig(5, comparator="about"), fig(3.9), "floor", "missed"),
        (fig(5, comparator="at_least"), fig(4.9), "floor", "missed"),
        (fig(3, comparator="about"), fig(0.2), "ceiling", "fulfilled"),  # CPI below its ceiling
        (fig(5.5, comparator="about"), fig(5.9), "ceiling", "missed"),
        (fig(3, comparator="at_most"), fig(3.1), "ceiling", "missed"),
        (fig(2.5, comparator="about", reduction=True), fig(3.0, reduction=True), "ceiling", "fulfilled"),
        (fig(12_000_000, "人", "about"), fig(11_500_000, "人"), "floor", "fulfilled"),  # -4% within 5%
        (fig(12_000_000, "人", "at_least"), fig(12_440_000, "人"), "floor", "fulfilled"),
        (fig(1.3e12, "斤", "at_least"), fig(1.4e12, "斤"), "floor", "fulfilled"),
        (fig(100, "个", "exact"), fig(70, "个"), "floor", "partial"),  # part of the quantity
        (fig(100, "个", "exact"), fig(20, "个"), "floor", "missed"),
    ],
)
def test_compare(target: Figure, actual: Figure, direction: str, status: str):
    got, confidence = compare(target, actual, direction)
    assert got == status
    assert 0.0 < confidence <= 1.0


def test_metric_direction():
    assert metric_direction("城镇调查失业率") == "ceiling"
    assert metric_direction("居民消费价格涨幅") == "ceiling"
    assert metric_direction("国内生产总值增长") == "floor"


def test_target_of_uses_declared_target_in_wan():
    p = PledgeSpan("城镇新增就业1200万人左右", 0, 13, "target", "", 0, Target("城镇新增就业", 1200, "万人", "about"))
    f, metric = target_of(p)
    assert f is not None and f.value == pytest.approx(12_000_000) and f.unit == "人"
    assert f.comparator == "about"
    assert "就业" in metric


@pytest.mark.parametrize(
    ("pledge", "evidence", "status"),
    [
        ("建成省儿童医院新院区", "省儿童医院新院区建成投用", "fulfilled"),
        ("出台促进民营经济发展办法", "出台促进民营经济发展办法", "fulfilled"),
        ("建成城市轨道交通三号线", "加快推进城市轨道交通三号线建设", "partial"),
        ("建成城市轨道交通三号线", "城市轨道交通三号线开工", "partial"),
        ("开工建设城市轨道交通三号线", "城市轨道交通三号线开工", "fulfilled"),  # the pledge was only to start
        ("建成城市轨道交通三号线", "城市轨道交通三号线建设进度滞后", "missed"),
    ],
)
def test_words_status(pledge: str, evidence: str, status: str):
    assert words_status(pledge, evidence)[0] == status


def test_generic_praise_is_recognised():
    assert is_generic("各项社会事业取得新进展")
    assert not is_generic("新建5G基站2.3万个")


def test_listed_pledge_by_section_path():
    p = PledgeSpan("新增护理型床位超过1000张", 0, 10, "target", "附件1 2025年省十件民生实事 / 一、为老年人", 0)
    assert is_listed(p)
    assert not is_listed(PledgeSpan("新增护理型床位超过1000张", 0, 10, "target", "二、2025年工作安排", 0))

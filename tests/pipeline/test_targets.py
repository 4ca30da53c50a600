from __future__ import annotations

import pytest

from tracker.pipeline.targets import cn_number, figure_count, target_parse


@pytest.mark.parametrize(
    ("clause", "value", "unit", "comparator", "direction"),
    [
        ("国内生产总值增长5%左右", 5.0, "%", "about", "floor"),
        ("城镇新增就业1200万人以上", 1200.0, "万人", "at_least", "floor"),
        ("城镇调查失业率控制在5%以内", 5.0, "%", "at_most", "ceiling"),
        ("城镇调查失业率5.5%左右", 5.5, "%", "about", "ceiling"),
        ("居民消费价格涨幅3%左右", 3.0, "%", "about", "ceiling"),
        ("单位地区生产总值能耗下降2.5%", 2.5, "%", "exact", "floor"),
        ("工商业电价较上年下降3分/千瓦时以上", 3.0, "分/千瓦时", "at_least", "floor"),
        ("单位能耗降至0.4吨标准煤", 0.4, "吨", "at_most", "ceiling"),
        ("从每人每月2295元提高到2375元", 2375.0, "元", "exact", "floor"),
        ("每千人口拥有3岁以下托位数不少于5.5个", 5.5, "个", "at_least", "floor"),
        ("配置AED达每10万人45台", 45.0, "台", "exact", "floor"),
        ("高于全省平均2个百分点以上", 2.0, "百分点", "at_least", "floor"),
        ("为80万重点群体提供就业帮扶", 80.0, "万", "exact", "floor"),
        ("赤字率拟按3%安排", 3.0, "%", "exact", "ceiling"),
        ("粮食产量保持在1.3万亿斤以上", 1.3, "万亿斤", "at_least", "floor"),
        ("今年拟安排地方政府专项债券3.8万亿元", 3.8, "万亿元", "exact", "floor"),
        ("新建高标准农田2万亩", 2.0, "万亩", "exact", "floor"),
        ("新增两万亩", 20000.0, "亩", "exact", "floor"),
        ("收入增长百分之五", 5.0, "%", "exact", "floor"),
        ("事故死亡人数不超过120人", 120.0, "人", "at_most", "ceiling"),
        ("研发投入强度达3.3%左右", 3.3, "%", "about", "floor"),
        ("新增“雄鹰”企业20家", 20.0, "家", "exact", "floor"),
        ("经济增长5%—6%", 5.0, "%", "range", "floor"),
    ],
)
def test_target_parse(clause: str, value: float, unit: str, comparator: str, direction: str) -> None:
    t = target_parse(clause)
    assert t is not None
    assert (t.value, t.unit, t.comparator) == (value, unit, comparator)
    assert t.direction == direction


def test_range_keeps_both_bounds() -> None:
    t = target_parse("经济增长5%—6%")
    assert t is not None and t.value_max == 6.0


@pytest.mark.parametrize("clause", ["完成第二次全国地名普查", "2025年底前建成", "办好十件民生实事", "推进一批重大项目"])
def test_no_target_in_non_figures(clause: str) -> None:
    assert target_parse(clause) is None


def test_chinese_numerals() -> None:
    assert cn_number("两万") == 20000
    assert cn_number("一百二十") == 120
    assert cn_number("12.5") == 12.5


def test_figure_count() -> None:
    assert figure_count("新建高标准农田2万亩、提标4.5万亩") == 2
    assert figure_count("2025年新建学校") == 0

"""Statuses from figures and words: comparators, directions, 万/亿, completion vs progress."""

from __future__ import annotations

import pytest

from tracker.pipeline.classify import (
    Figure,
    blanket_count,
    compare,
    enumeration_partial,
    figures_parse,
    is_five_year,
    is_generic,
    is_listed,
    listed_flags,
    metric_direction,
    metric_fold,
    target_actual,
    target_of,
    unit_split,
    words_status,
)
from tracker.pipeline.match import Candidate, ReviewSpan
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


def _review_span(text: str) -> ReviewSpan:
    return ReviewSpan(text, 0, len(text), "clause", 0)


def test_blanket_count_reads_the_list_size():
    assert blanket_count("十件民生实事全面完成") == 10
    assert blanket_count("十方面民生实事圆满完成") == 10
    assert blanket_count("12项民生实事全部完成") == 12


def test_listed_flags_from_structure_when_the_path_does_not_name_the_list():
    blanket = [_review_span("十方面民生实事圆满完成")]
    areas = [PledgeSpan(f"事项{i}", 0, 3, "target", f"二、2025年目标任务 / {i}.某某方面", 0) for i in range(1, 11)]
    chapters = [PledgeSpan(f"任务{c}", 0, 3, "action", f"二、2025年目标任务 / （{c}）某某工作", 0) for c in "一二三"]
    appendix = [PledgeSpan("新增护理型床位超过1000张", 0, 3, "target", "附件1", 0)]
    flags = listed_flags(areas + chapters + appendix, blanket)
    assert flags[:10] == [True] * 10
    assert flags[10:13] == [False] * 3
    assert flags[13] is True
    # without a blanket claim in the review nothing is listed by structure
    assert listed_flags(areas, []) == [False] * 10


def test_chapters_numbered_like_the_list_are_not_its_items():
    # Hainan, Hunan, Jiangxi and Xinjiang 2025 number their ten main tasks （一）..（十）
    # and their reviews say ten livelihood projects were completed: the chapters hold
    # dozens of pledges each, list items a few.
    blanket = [_review_span("10件民生实事圆满完成")]
    chapters = [
        PledgeSpan(f"任务{c}{j}", 0, 3, "action", f"三、2025年主要工作 / （{c}）某某工作", 0)
        for c in "一二三四五六七八九十"
        for j in range(25)
    ]
    assert not any(listed_flags(chapters, blanket))
    # the same ten headings with a few deliverables each are the list
    items = [
        PledgeSpan(f"事项{i}{j}", 0, 3, "target", f"二、2025年目标任务 / {i}.某某方面", 0) for i in range(1, 11) for j in range(4)
    ]
    assert all(listed_flags(items, blanket))


def test_five_year_sentences_are_recognised():
    assert is_five_year("累计完成林分优化1105万亩")
    assert not is_five_year("新建5G基站2.3万个")


def test_metric_synonyms_fold_jurisdiction_names():
    assert metric_fold("全省生产总值增长") == metric_fold("地区生产总值增长")


def _actual(pledge_text: str, review_text: str, target: Target | None = None) -> Figure | None:
    p = PledgeSpan(pledge_text, 0, len(pledge_text), "target", "", 0, target)
    f, metric = target_of(p)
    span = _review_span(review_text)
    found = target_actual(p, [Candidate(span, 50.0, {})], f, metric)
    return found[1] if found else None


def test_actual_skips_the_starting_point_of_a_from_to_figure():
    a = _actual("全年研发投入强度达3.3%左右", "研发投入强度从2.77%提高到3.3%左右")
    assert a is not None and a.value == pytest.approx(3.3)


def test_actual_needs_the_same_kind_of_change():
    # a cut in energy intensity is not GDP growth even though both name 国内生产总值
    t = Target("国内生产总值", 5, "%", "about")
    assert _actual("国内生产总值增长5%左右", "单位国内生产总值能耗降幅超过3%", t) is None
    a = _actual("国内生产总值增长5%左右", "国内生产总值达到134.9万亿元、增长5%", t)
    assert a is not None and a.value == pytest.approx(5)


def test_actual_takes_the_figure_of_its_own_item_in_a_list():
    a = _actual("专精特新“小巨人”企业300家", "新增单项冠军企业45家、专精特新“小巨人”企业397家、重点“小巨人”企业149家")
    assert a is not None and a.value == pytest.approx(397)


def test_a_bare_verb_is_no_metric():
    # 建设 alone would match any count of the same unit
    assert _actual("建设122个就业驿站", "累计建设24个国家现代农业产业园") is None


def test_enumeration_partial_when_only_some_items_are_named():
    pledge = "积极打造生物制造、商业航天、低空经济、量子科技等新增长引擎"
    assert enumeration_partial(pledge, "商业航天、北斗应用、新型储能等新兴产业快速发展")
    # the whole the items make up is reported: not partial
    assert not enumeration_partial("推动餐饮、文化、旅游、体育等生活服务消费恢复", "生活服务消费加快恢复，旅游市场全面恢复")
    assert not enumeration_partial("建成省儿童医院", "省儿童医院建成投用")


def test_five_year_totals_are_not_the_years_figure():
    five = ReviewSpan("城镇新增就业累计6600万人以上", 0, 15, "clause", 0, True)
    p = PledgeSpan("城镇新增就业1100万人以上", 0, 14, "target", "", 0)
    f, metric = target_of(p)
    assert target_actual(p, [Candidate(five, 60.0, {})], f, metric) is None
    rate = ReviewSpan("国内生产总值增长6.9%", 0, 12, "clause", 0, True)
    g = PledgeSpan("国内生产总值增长6.5%左右", 0, 14, "target", "", 0)
    f, metric = target_of(g)
    found = target_actual(g, [Candidate(rate, 60.0, {})], f, metric)
    assert found is not None and found[1].value == pytest.approx(6.9)


def test_praise_of_a_field_with_its_results_unnamed_is_generic():
    assert is_generic("现代化基础设施建设不断加强")
    assert is_generic("国企改革成效显现")
    assert not is_generic("新建改造生活污水管网9.9万公里")


def test_trains_are_a_counted_unit():
    f = first("中欧班列开行3005列")
    assert (f.value, f.unit) == (3005, "列")


def test_a_comparator_after_the_figure_is_not_part_of_the_metric():
    _, metric = target_of(PledgeSpan("实施重大科技项目400个以上", 0, 13, "target", "", 0))
    assert "以上" not in metric


def _actual_counted(pledge_text: str, review_text: str, count: int) -> Figure | None:
    p = PledgeSpan(pledge_text, 0, len(pledge_text), "target", "", 0)
    f, metric = target_of(p)
    found = target_actual(p, [Candidate(_review_span(review_text), 50.0, {})], f, metric, lambda w: count)
    return found[1] if found else None


def test_a_rare_word_right_before_the_figure_names_the_metric():
    # 开行 alone is too short a metric for bigram overlap, but the review's figure follows it too
    a = _actual_counted("力争全年开行2500列以上", "中欧班列开行3005列、增长14.7%", count=1)
    assert a is not None and a.value == pytest.approx(3005)
    a = _actual_counted("为经营主体减负2500亿元以上", "全年为企业减负超3300亿元", count=1)
    assert a is not None and a.value == pytest.approx(3300e8)
    # without review counts, or when the word is all over the review, it names nothing
    assert _actual("力争全年开行2500列以上", "中欧班列开行3005列") is None
    assert _actual_counted("新增雄鹰企业20家", "新增高新技术企业超6000家", count=9) is None
    # a bare verb before the figure names no quantity, however rare
    assert _actual_counted("新增1000张护理床位", "新增7000张医疗床位", count=1) is None


def test_an_earlier_project_stage_than_promised_is_partial():
    assert words_status("推动石化基地一期全面达产", "石化基地一期等一批重大项目建成投产")[0] == "partial"
    assert words_status("推动石化基地建成投产", "石化基地等一批重大项目建成投产")[0] == "fulfilled"
    assert words_status("推动铁路开工建设", "铁路建成通车")[0] == "fulfilled"


def test_in_step_status_reads_both_rates_and_needs_both():
    from tracker.pipeline.classify import in_step_status

    spans = [
        ReviewSpan("国内生产总值超过126万亿元，增长5.2%", 0, 20, "sentence", 0),
        ReviewSpan("脱贫地区农村居民收入增长8.4%", 21, 36, "sentence", 1),
        ReviewSpan("居民人均可支配收入增长6.1%", 37, 52, "sentence", 2),
    ]
    status, _conf, ev, fig = in_step_status("居民收入增长与经济增长基本同步", spans)
    assert status == "fulfilled" and fig.value in (6.1, 8.4)
    assert len(ev) == 2
    assert in_step_status("居民收入增长与经济增长基本同步", spans[1:]) is None  # no GDP rate
    assert in_step_status("制造业投资增长8%", spans) is None  # not an in-step pledge
    assert metric_fold("经济增长") == metric_fold("生产总值增长")

from __future__ import annotations

from tracker.pipeline.clean import clean_text
from tracker.pipeline.ingest import decode_file
from tracker.pipeline.segment import cn_ordinal, report_split

from .conftest import corpus_bytes


def _kinds(text: str, year: int | None = None) -> list[list[tuple[str, str]]]:
    return [[(s.kind, s.heading) for s in r.sections] for r in report_split(text, year)]


def _clean(corpus, rel: str) -> str:
    text, _, _ = decode_file(rel, corpus_bytes(corpus, rel))
    return clean_text(text)[0]


def test_cn_ordinal() -> None:
    assert [cn_ordinal(s) for s in ("一", "十", "十二", "二十", "二十三", "甲")] == [1, 10, 12, 20, 23, 0]


REPORT = """政府工作报告
各位代表：
现在，我代表区人民政府向大会报告工作，请予审议。
一、2024年工作回顾
过去一年，地区生产总值增长5.6%，完成了全年目标任务。
二、“十五五”时期主要目标任务
今后五年，地区生产总值年均增长5%左右。
三、2025年工作安排
（一）扩大有效投资。新建高标准农田2万亩、提标4.5万亩。
1.重大项目。开工建设城东污水处理厂。
四、加强政府自身建设
出台政府合同管理办法。
各位代表！让我们团结奋斗！
"""


def test_sections_labelled_from_headings() -> None:
    [sections] = _kinds(REPORT, 2025)
    kinds = [k for k, _ in sections]
    assert kinds == ["other", "review", "five_year_plan", "plan", "plan", "other"]
    assert sections[3][1] == "三、2025年工作安排"


def test_section_years_follow_the_caller() -> None:
    [report] = report_split(REPORT, 2025)
    years = {s.kind: s.year for s in report.sections}
    assert years["review"] == 2024 and years["plan"] == 2025


def test_sub_headings_do_not_break_the_top_level_sequence() -> None:
    text = REPORT.replace("1.重大项目。", "第一，重大项目。")
    assert [k for k, _ in _kinds(text)[0]] == ["other", "review", "five_year_plan", "plan", "plan", "other"]


def test_headings_glued_to_the_next_sentence_without_line_breaks() -> None:
    glued = (
        "各位代表：现在，我代表县人民政府向大会报告工作。一、XXXX年工作回顾过去一年，全县地区生产总值增长X%。"
        "二、XXXX年目标任务和重点工作XXXX年是新一届政府全面履职的第一年。主要预期目标为：生产总值增长X%。"
        "各位代表！让我们团结奋斗！"
    )
    kinds = [k for k, _ in _kinds(glued)[0]]
    assert kinds[1:3] == ["review", "plan"]


def test_unnumbered_keyword_headings() -> None:
    text = "各位代表：\n2023年政府工作回顾\n过去的一年，财政收入完成1亿元。\n2024年工作计划\n新建道路5公里。\n"
    kinds = [k for k, _ in _kinds(text)[0]]
    assert "review" in kinds and "plan" in kinds


def test_plan_without_headings_found_by_its_cue() -> None:
    text = "区政府年度工作计划\n2023年是开局之年。\n综合考虑，主要预期目标为：地区生产总值增长7.5%左右。\n实施创新引领工程。"
    [sections] = _kinds(text)
    assert any(k == "plan" for k, _ in sections)


def test_seed_002_holds_nine_reports_each_with_review_and_plan(corpus) -> None:
    reports = report_split(_clean(corpus, "seeds/002_dc56839f2adf1e3c.txt"), 2023)
    assert len(reports) == 9
    for r in reports:
        assert r.sections_of("review"), r.title
        assert r.sections_of("plan"), r.title


def test_seed_003_one_line_text_segmented(corpus) -> None:
    [report] = report_split(_clean(corpus, "seeds/003_b429fffc0a08b02a.txt"))
    assert report.sections_of("review") and report.sections_of("plan")
    plan = report.sections_of("plan")[0]
    assert report.sections_of("review")[0].start < plan.start


def test_seed_004_five_year_parts(corpus) -> None:
    [report] = report_split(_clean(corpus, "seeds/004_fd803d36d9783eb8.txt"), 2021)
    kinds = [s.kind for s in report.sections]
    assert "five_year_plan" in kinds and "plan" in kinds and "review" in kinds


def test_national_2024_parts(corpus) -> None:
    [sections] = _kinds(_clean(corpus, "national/2024.txt"), 2024)
    assert ("review", "一、2023年工作回顾") in sections
    assert ("plan", "三、2024年政府工作任务") in sections
    assert sections[-1][0] == "other"


def test_guangdong_annex_of_livelihood_projects_is_plan(corpus) -> None:
    [report] = report_split(_clean(corpus, "provincial/guangdong-2025.docx"), 2025)
    annexes = [s for s in report.sections if s.heading.startswith("附件")]
    assert [s.kind for s in annexes] == ["plan", "other"]


def test_slogan_heading_opening_on_the_five_year_period_is_five_year_plan() -> None:
    text = (
        "各位代表：\n现在，我代表省人民政府向大会报告工作。\n一、一年接着一年干，建设取得新成效\n过去一年，生产总值增长5.5%。\n"
        "二、一张蓝图绘到底，奋力谱写新篇章\n“十五五”时期是基本实现现代化的关键时期。\n"
        "三、2026年重点工作\n新建学校10所。\n各位代表！让我们团结奋斗！\n"
    )
    assert [k for k, _ in _kinds(text)[0]] == ["other", "review", "five_year_plan", "plan", "other"]


def test_parts_after_the_annual_plan_stay_plan_even_after_five_year_targets() -> None:
    text = (
        "各位代表：\n现在，我代表省人民政府向大会报告工作。\n一、工作回顾\n过去一年，生产总值增长5.5%。\n"
        "二、2026年工作安排\n新建学校10所。\n三、“十五五”时期主要目标任务\n年均增长5%左右。\n"
        "四、全面提升政府治理效能\n出台政府合同管理办法。\n各位代表！让我们团结奋斗！\n"
    )
    assert [k for k, _ in _kinds(text)[0]] == ["other", "review", "plan", "five_year_plan", "plan", "other"]


def test_national_2001_reviews_2000_only_in_its_five_year_review(corpus) -> None:
    [report] = report_split(_clean(corpus, "national/2001.txt"), 2001)
    assert [s.heading for s in report.sections_of("review")] == []
    assert report.sections_of("five_year_review") and report.sections_of("plan")

"""Candidate spans: offsets, section filtering, ranking, folding, and a real pair."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.pipeline.match import ReviewSpan, bigrams, candidates_find, review_spans_split, text_fold, year_part_of
from tracker.pipeline.types import PledgeSpan, SectionSpan

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "corpus"

REVIEW = (
    "一、2025年工作回顾\n"
    "过去一年，全省生产总值增长5.6%。新建5G基站2.3万个，省儿童医院新院区建成投用。"
    "城市轨道交通三号线加快推进，农村公路改造4100公里。\n"
    "二、2026年工作安排\n"
    "建成城市轨道交通三号线。新建5G基站3万个。\n"
)


def sections(text: str = REVIEW) -> list[SectionSpan]:
    cut = text.index("二、2026年")
    return [
        SectionSpan("review", "一、2025年工作回顾", 0, cut, 2025),
        SectionSpan("plan", "二、2026年工作安排", cut, len(text), 2026),
    ]


def pledge(text: str) -> PledgeSpan:
    return PledgeSpan(text, 0, len(text), "project", "二、2025年工作安排", 0)


def test_bigrams_break_on_punctuation():
    assert bigrams("建成投用，新增") == ["建成", "成投", "投用", "新增"]


def test_spans_keep_offsets_and_only_review_of_plan_year():
    spans = review_spans_split(REVIEW, sections(), 2025)
    assert spans
    for s in spans:
        assert REVIEW[s.start : s.end] == s.text
        assert s.end <= REVIEW.index("二、2026年")
    kinds = {s.kind for s in spans}
    assert kinds == {"sentence", "clause"}
    # a review section labelled with another year is not evidence for this plan
    assert review_spans_split(REVIEW, sections(), 2024) == []


def test_review_section_without_year_counts():
    secs = [SectionSpan("review", "回顾", 0, REVIEW.index("二、2026年"), None)]
    assert review_spans_split(REVIEW, secs, 2025)


def test_candidates_rank_the_right_clause_first():
    spans = review_spans_split(REVIEW, sections(), 2025)
    pledges = [pledge("建成省儿童医院新院区"), pledge("新建5G基站2万个"), pledge("改造农村公路4000公里")]
    cands = candidates_find(pledges, spans, top_k=3)
    assert "儿童医院" in cands[0][0].span.text
    assert "5G基站" in cands[1][0].span.text
    assert "农村公路" in cands[2][0].span.text
    for cs in cands:
        assert cs[0].score >= cs[-1].score
        assert 0 <= cs[0].score <= 100


def test_no_spans_gives_empty_candidates():
    assert candidates_find([pledge("建成新院区")], []) == [[]]


def test_fold_is_length_preserving():
    text = "开展服务效劳，ＡＢＣ１２３"
    folded = text_fold(text)
    assert len(folded) == len(text)
    assert "ABC123" in folded


def test_fold_merges_misconversions_when_available():
    pytest.importorskip("tracker.pipeline.fold", reason="the reading half's fold is not in yet")
    assert text_fold("效劳") == text_fold("服务")


@pytest.mark.corpus
@pytest.mark.skipif(not (CORPUS / "national" / "2024.txt").exists(), reason="../shared/corpus is absent")
def test_real_review_gdp_pledge_finds_gdp_clause():
    text = (CORPUS / "national" / "2024.txt").read_text(encoding="utf-8")
    start = text.index("一、2023年工作回顾")
    end = text.index("二、2024年经济社会发展总体要求和政策取向")
    secs = [SectionSpan("review", "一、2023年工作回顾", start, end, 2023)]
    spans = review_spans_split(text, secs, 2023)
    assert len(spans) > 200
    pledges = [pledge("国内生产总值增长5%左右"), pledge("城镇新增就业1200万人左右")]
    cands = candidates_find(pledges, spans)
    assert "国内生产总值" in cands[0][0].span.text
    assert any("1244万人" in c.span.text for c in cands[1][:3])


CHARS = "建成完成推进新增公里万亿%0123456789.，。；、“”\n　 年工作回顾医院铁路学校"


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=CHARS, min_size=0, max_size=300), cut=st.floats(0, 1), year=st.sampled_from([None, 2025]))
def test_spans_always_index_the_text(text: str, cut: float, year: int | None):
    end = int(len(text) * cut)
    spans = review_spans_split(text, [SectionSpan("review", "", 0, end, year)], 2025)
    for s in spans:
        assert 0 <= s.start < s.end <= end
        assert text[s.start : s.end] == s.text
    pledges = [pledge(text[:20] or "建成医院")]
    cands = candidates_find(pledges, spans)
    assert len(cands) == 1


def test_five_year_review_stands_in_when_the_year_has_no_review():
    text = "一、过去五年工作回顾\n国内生产总值增长6.9%，城镇新增就业累计6600万人。\n二、2018年工作建议\n"
    cut = text.index("二、")
    secs = [
        SectionSpan("five_year_review", "一、过去五年工作回顾", 0, cut, None),
        SectionSpan("plan", "二、", cut, len(text), 2018),
    ]
    spans = review_spans_split(text, secs, 2017)
    assert spans and all(s.five_year for s in spans)
    # with a review of the year present, the five-year review is not used
    year_review = "一、2017年工作回顾\n" + "新建学校3所，开工建设城东污水处理厂。" * 12 + "\n"
    text2 = year_review + text
    shift = len(year_review)
    secs2 = [SectionSpan("review", "一、2017年工作回顾", 0, shift, 2017)] + [
        SectionSpan(s.kind, s.heading, s.start + shift, s.end + shift, s.year) for s in secs
    ]
    spans2 = review_spans_split(text2, secs2, 2017)
    assert spans2 and not any(s.five_year for s in spans2)


def test_a_review_section_of_a_heading_alone_does_not_hide_the_five_year_review():
    # The reader took a lone heading for the year's review (national 2001 before the
    # fix): its few characters cannot be the review, so the five-year review serves.
    text = "一、过去五年工作回顾\n国内生产总值增长6.9%，城镇新增就业累计6600万人。\n三、加强农业基础地位\n二、2018年工作建议\n"
    head = text.index("三、")
    cut = text.index("二、")
    secs = [
        SectionSpan("five_year_review", "一、过去五年工作回顾", 0, head, None),
        SectionSpan("review", "三、加强农业基础地位", head, cut, 2017),
        SectionSpan("plan", "二、", cut, len(text), 2018),
    ]
    spans = review_spans_split(text, secs, 2017)
    assert any("6600万人" in s.text and s.five_year for s in spans)


def test_candidates_do_not_depend_on_pairs_seen_before():
    """Re-running a pair in a worker that has judged others gives the same result."""
    spans = review_spans_split(REVIEW, sections(), 2025)
    pledges = [pledge("建成省儿童医院新院区"), pledge("推进“城市轨道交通三号线”建设")]

    def scores():
        return [[(c.span.start, c.score) for c in cs] for cs in candidates_find(pledges, spans)]

    first = scores()
    other = "推进“省儿童医”试点，“交通三号”建设。"
    candidates_find([pledge(other)], [ReviewSpan(other, 0, len(other), "sentence", 0)])
    assert scores() == first


def test_rare_words_count_only_words_specific_to_one_sentence_and_pledge():
    review = (
        "一、2025年工作回顾\n中试平台建设提速。全省建设提速，发展提速。新建5G基站2.3万个。\n二、2026年工作安排\n建成中试平台。\n"
    )
    spans = review_spans_split(review, sections(review), 2025)
    found = candidates_find([pledge("推动中试平台建设"), pledge("发展数字经济")], spans)
    best = found[0][0]
    assert best.span.text == "中试平台建设提速"
    # 中试 and 平台 occur in this sentence only; 建设 is in two sentences of the review
    assert best.features["n_rare"] == 2
    # a word many pledges share names a field, not this deliverable
    shared = [pledge("推动中试平台建设"), pledge("中试平台扩容"), pledge("中试平台开放")]
    assert candidates_find(shared, spans)[0][0].features["n_rare"] == 0


FIVE_YEAR_THEN_YEAR = (
    "一、“十四五”时期工作回顾\n"
    "这五年，地区生产总值年均增长5%。\n"
    "刚刚过去的2025年，全省上下攻坚克难。\n"
    "加强科技创新。全年规上原煤产量13.05亿吨、增长2.1%。\n"
    "各位代表！过去五年成绩的取得，根本在于党的领导。\n"
    "二、“十五五”时期主要目标\n"
)


def test_the_plan_year_inside_a_five_year_review_is_not_discounted():
    text = FIVE_YEAR_THEN_YEAR
    cut = text.index("二、")
    secs = [
        SectionSpan("five_year_review", "一、“十四五”时期工作回顾", 0, cut, None),
        SectionSpan("plan", "二、", cut, len(text), 2026),
    ]
    start, end = year_part_of(text, 0, cut, 2025)
    assert text[start:].startswith("刚刚过去的2025年") and text[end:].startswith("各位代表！过去五年")
    five = {s.text: s.five_year for s in review_spans_split(text, secs, 2025) if s.kind == "sentence"}
    assert five["全年规上原煤产量13.05亿吨、增长2.1%"] is False
    assert five["这五年，地区生产总值年均增长5%"] is True
    assert five["过去五年成绩的取得，根本在于党的领导"] is True
    # another year's paragraph is not the plan year's
    assert year_part_of(text, 0, cut, 2024) is None


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is absent")
def test_shanxi_2026_reports_2025_inside_its_five_year_review():
    from tracker.pipeline.read import document_read

    path = CORPUS / "provincial" / "shanxi-2026.txt"
    doc = document_read(path.name, path.read_bytes(), 2026)
    report = doc.reports[0]
    assert not report.sections_of("review") and report.sections_of("five_year_review")
    spans = review_spans_split(doc.text, report.sections, 2025)
    year_spans = [s for s in spans if not s.five_year]
    assert any("13.05亿吨" in s.text for s in year_spans)
    assert all("过去五年" not in s.text for s in year_spans)


YEAR_THEN_FIVE = (
    "一、2025年和“十四五”时期工作回顾\n"
    "2025年是很不平凡的一年。新建5G基站2.3万个。\n"
    "各位代表！经过五年接续奋斗，“十四五”顺利收官。五年来，累计建成高速公路1200公里。\n"
    "这是城乡协调发展的五年。开工改造城镇老旧小区1.1万个。\n"
    "同时我们清醒地看到，部分企业生产经营困难，账款拖欠问题仍较突出。\n"
    "二、2026年工作安排\n"
)
FIVE_THEN_YEAR_ONE_SECTION = (
    "一、“十四五”时期和2025年工作回顾\n"
    "“十四五”时期是极不平凡的五年。开工改造城镇老旧小区1.1万个。\n"
    "——城乡区域发展更趋协调。建成高速公路1200公里。\n"
    "刚刚过去的2025年，全省上下攻坚克难。新建5G基站2.3万个。\n"
    "二、2026年工作安排\n"
)


@pytest.mark.parametrize("text", [YEAR_THEN_FIVE, FIVE_THEN_YEAR_ONE_SECTION])
def test_a_review_of_the_year_and_its_five_years_marks_the_five_year_paragraphs(text):
    cut = text.index("二、2026年")
    secs = [SectionSpan("review", text[: text.index("\n")], 0, cut, 2025), SectionSpan("plan", "二、", cut, len(text), 2026)]
    five = {s.text: s.five_year for s in review_spans_split(text, secs, 2025)}
    assert five["新建5G基站2.3万个"] is False
    # a paragraph that opens nothing new continues the five years before it
    assert five["开工改造城镇老旧小区1.1万个"] is True
    highway = [v for k, v in five.items() if "高速公路1200公里" in k]
    assert highway and all(highway)


def test_the_shortcomings_paragraph_is_no_evidence():
    cut = YEAR_THEN_FIVE.index("二、2026年")
    secs = [SectionSpan("review", "一、", 0, cut, 2025)]
    texts = [s.text for s in review_spans_split(YEAR_THEN_FIVE, secs, 2025)]
    assert texts and not any("账款拖欠" in t for t in texts)
    assert any("新建5G基站" in t for t in texts)


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is absent")
@pytest.mark.parametrize(
    ("name", "year_clause", "five_year_clause"),
    [
        # the five years after the year (一、2025年和“十四五”时期工作回顾)
        ("guangdong-2026.txt", "十件民生实事全面完成", "15个承接产业转移主平台落地项目2200个"),
        # the five years before the year (一、“十四五”时期和2025年工作回顾)
        ("hubei-2026.txt", "全年10大类55项民生实事项", "统筹疫情防控和经济社会发展"),
    ],
)
def test_provincial_2026_reviews_split_the_year_from_the_five_years(name, year_clause, five_year_clause):
    from tracker.pipeline.read import document_read, report_with_review

    path = CORPUS / "provincial" / name
    doc = document_read(path.name, path.read_bytes(), 2026)
    report = report_with_review(doc, 2025)
    spans = review_spans_split(doc.text, report.sections, 2025)
    year = [s for s in spans if year_clause in s.text]
    five = [s for s in spans if five_year_clause in s.text]
    assert year and not any(s.five_year for s in year)
    assert five and all(s.five_year for s in five)
    assert not any("清醒" in s.text and "看到" in s.text for s in spans)


@pytest.mark.parametrize(
    "opening",
    ["在看到成绩的同时，我们也清醒认识到", "我们也清醒地看到", "同时也要看到", "成绩固然可喜，问题也不容忽视"],
)
def test_each_way_of_turning_to_the_shortcomings_ends_the_evidence(opening):
    text = f"一、2025年工作回顾\n新建5G基站2.3万个。\n{opening}，账款拖欠问题仍较突出。\n"
    secs = [SectionSpan("review", "一、2025年工作回顾", 0, len(text), 2025)]
    texts = [s.text for s in review_spans_split(text, secs, 2025)]
    assert any("5G基站" in t for t in texts) and not any("账款拖欠" in t for t in texts)

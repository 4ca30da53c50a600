"""Verdicts end to end on hand-made reviews, and on a real labelled pair."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.pipeline.compare import pair_compare
from tracker.pipeline.judge import BLANKET_CONFIDENCE, NEAREST_COUNT, NEAREST_FLOOR, pledges_judge, pledges_pending
from tracker.pipeline.types import PledgeSpan, SectionSpan, Target

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
DEV = SHARED / "eval" / "dev"

REVIEW = (
    "各位代表：\n一、2025年工作回顾\n"
    "全省生产总值增长3.9%，城镇调查失业率平均为5.1%，居民消费价格上涨0.2%。"
    "新增城镇就业125.6万人。十件民生实事全面完成。"
    "省儿童医院新院区建成投用。城市轨道交通三号线加快推进。"
    "沿海高速公路扩容工程进度滞后。各项社会事业取得新进展。\n"
    "二、2026年工作安排\n"
    "建成沿江铁路。新建5G基站3万个。\n"
)
PLAN_PATH = "二、2025年工作安排"
LIST_PATH = "附件1 2025年省十件民生实事 / 一、为老年人提供健康管理"


def sections() -> list[SectionSpan]:
    cut = REVIEW.index("二、2026年")
    return [
        SectionSpan("review", "一、2025年工作回顾", REVIEW.index("一、"), cut, 2025),
        SectionSpan("plan", "二、2026年工作安排", cut, len(REVIEW), 2026),
    ]


def p(text: str, kind: str = "project", path: str = PLAN_PATH, target: Target | None = None) -> PledgeSpan:
    return PledgeSpan(text, 0, len(text), kind, path, 0, target)


PLEDGES = [
    p("地区生产总值增长5%左右", "target", target=Target("地区生产总值增长", 5, "%", "about")),
    p("城镇调查失业率5.5%左右", "target", target=Target("城镇调查失业率", 5.5, "%", "about")),
    p("居民消费价格涨幅3%左右", "target", target=Target("居民消费价格涨幅", 3, "%", "about")),
    p("新增城镇就业110万人以上", "target", target=Target("新增城镇就业", 110, "万人", "at_least")),
    p("建成省儿童医院新院区"),
    p("建成城市轨道交通三号线"),
    p("完成沿海高速公路扩容工程"),
    p("建成沿江铁路"),  # only in the plan for the next year: silent in the review
    p("新增护理型床位超过1000张", "target", LIST_PATH),
    p("推动社会事业高质量发展", "action"),  # generic praise is no evidence
]
EXPECTED = ["missed", "fulfilled", "fulfilled", "fulfilled", "fulfilled", "partial", "missed", "dropped", "fulfilled", "dropped"]


@pytest.fixture(scope="module")
def verdicts():
    return pledges_judge(PLEDGES, REVIEW, sections(), 2025)


def test_one_verdict_per_pledge_in_order(verdicts):
    assert [v.status for v in verdicts] == EXPECTED


def test_evidence_offsets_index_the_review(verdicts):
    for v in verdicts:
        assert 0.0 <= v.confidence <= 1.0
        for e in v.evidence:
            assert REVIEW[e.start : e.end] == e.text
    assert "3.9%" in verdicts[0].evidence[0].text
    assert verdicts[0].actual is not None and verdicts[0].actual.value == pytest.approx(3.9)
    assert "125.6万人" in verdicts[3].evidence[0].text
    assert "儿童医院" in verdicts[4].evidence[0].text


def test_dropped_has_no_evidence_and_plan_of_next_year_is_ignored(verdicts):
    assert verdicts[7].status == "dropped" and verdicts[7].evidence == ()


def test_a_dropped_pledge_shows_the_review_passages_nearest_to_it():
    # 二期 is not the 新院区 the review reports: below the threshold, yet the passage a
    # curator should read before believing the review is silent.
    v = pledges_judge([p("省儿童医院二期开工")], REVIEW, sections(), 2025)[0]
    assert v.status == "dropped" and v.evidence == ()
    assert v.nearest and v.nearest[0].text == "省儿童医院新院区建成投用"
    for e in v.nearest:
        assert REVIEW[e.start : e.end] == e.text
        assert e.score >= NEAREST_FLOOR
    scores = [e.score for e in v.nearest]
    assert scores == sorted(scores, reverse=True) and len(scores) <= NEAREST_COUNT


def test_nearest_passages_come_one_per_sentence_and_never_from_the_next_plan():
    review = (
        "一、2025年工作回顾\n新建城市公园绿地80个，城市公园绿地面积增加。城市绿道建成500公里。"
        "城市更新加快推进，城市体检全面开展。城市停车位新增2万个。城市供水管网改造完成。\n"
        "二、2026年工作安排\n建设城市体育中心。\n"
    )
    cut = review.index("二、")
    secs = [
        SectionSpan("review", "一、2025年工作回顾", 0, cut, 2025),
        SectionSpan("plan", "二、2026年工作安排", cut, len(review), 2026),
    ]
    v = pledges_judge([p("建设城市体育中心")], review, secs, 2025)[0]
    assert v.status == "dropped"
    assert len(v.nearest) == NEAREST_COUNT  # five review sentences share 城市 with it
    sentences = [review[: e.start].count("。") for e in v.nearest]
    assert len(sentences) == len(set(sentences))
    assert all(e.end <= cut for e in v.nearest)


def test_addressed_and_pending_verdicts_carry_no_nearest_passages(verdicts):
    assert all(v.nearest == () for v in verdicts if v.status != "dropped")
    assert all(v.nearest == () for v in pledges_pending(PLEDGES[:2]))


def test_a_passage_sharing_nothing_is_not_shown():
    v = pledges_judge([p("建成沿江铁路")], REVIEW, sections(), 2025)[0]
    assert v.status == "dropped"
    assert all("铁路" in e.text or "建成" in e.text for e in v.nearest)


def test_blanket_list_claim_is_low_confidence(verdicts):
    v = verdicts[8]
    assert "民生实事" in v.evidence[0].text
    assert v.confidence < 0.5
    # the same pledge outside any list gets no credit from the blanket claim
    alone = pledges_judge([p("新增护理型床位超过1000张", "target")], REVIEW, sections(), 2025)[0]
    assert alone.status == "dropped"


def test_specific_figures_beat_confident_words(verdicts):
    assert verdicts[1].confidence > 0.5 and verdicts[2].confidence > 0.5


def test_empty_inputs():
    assert pledges_judge([], REVIEW, sections(), 2025) == []
    v = pledges_judge([p("建成省儿童医院新院区")], REVIEW, [], 2025)
    assert v[0].status == "dropped"


def test_pending():
    out = pledges_pending(PLEDGES[:3])
    assert [v.status for v in out] == ["pending"] * 3
    assert all(v.confidence == 1.0 and v.evidence == () for v in out)


def test_pipeline_has_no_django_import():
    import tracker.pipeline.classify
    import tracker.pipeline.judge
    import tracker.pipeline.match  # noqa: F401

    for name in ("tracker.pipeline.judge", "tracker.pipeline.match", "tracker.pipeline.classify"):
        src = Path(sys.modules[name].__file__).read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+django", src, re.M)


@pytest.mark.corpus
@pytest.mark.skipif(not (DEV / "national-2023.meta.json").exists() or not CORPUS.exists(), reason="../shared eval/corpus absent")
def test_real_pair_national_2023_against_gold():
    sys.path.insert(0, str(ROOT / "tools"))
    import gold_harness

    meta = json.loads((DEV / "national-2023.meta.json").read_text(encoding="utf-8"))
    gold, pledges, review, secs = gold_harness.pair_load(meta, DEV, CORPUS)
    out = pledges_judge(pledges, review, secs, meta["plan_year"])
    by_text = {g["pledge"]: v for g, v in zip(gold, out, strict=True)}
    gdp = by_text["国内生产总值增长5%左右"]
    assert gdp.status == "fulfilled" and "5.2%" in gdp.evidence[0].text
    assert by_text["居民消费价格涨幅3%左右"].status == "fulfilled"
    agree = sum(g["status"] == v.status for g, v in zip(gold, out, strict=True)) / len(gold)
    assert agree >= 0.6
    # Where the labels find an answer the matcher missed, the passages shown beside the
    # dropped verdict hold it often enough to be worth a curator's look.
    missed = [(g, v) for g, v in zip(gold, out, strict=True) if g["status"] != "dropped" and v.status == "dropped"]
    shown = sum(
        any(any(e in n.text or n.text in e for e in g["evidence"]) for n in v.nearest) for g, v in missed
    )
    assert len(missed) >= 10 and shown / len(missed) >= 0.4


def test_benchmark_perturbation_keeps_structure_and_years():
    import random

    from tracker.benchmarks.pipeline_bench import text_perturb

    text = "一、2025年工作回顾\n" + "全省生产总值增长5.6%，新建5G基站2.3万个，建成省儿童医院，开通地铁三号线，完成农田改造。" * 2
    out = text_perturb(text, random.Random(1))
    assert out.startswith("一、2025年工作回顾\n")
    assert out != text
    assert len(out.split("，")) == len(text.split("，"))


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is absent")
def test_benchmark_runs_on_the_corpus():
    from tracker.benchmarks.pipeline_bench import benchmark_run

    lines: list[str] = []
    out = benchmark_run(CORPUS, [1, 2], max_pairs=1, out=lines.append)
    assert out["pairs"] == 1
    assert out["scales"][2]["pairs"] == 2
    assert out["scales"][1]["pairs_per_second_per_worker"] > 0
    assert out["county_workers_for_one_hour"] >= 1
    assert any("county-level" in x for x in lines)
    # the learned models are timed as a part of the same runs, so the slowdown is at least 1;
    # how large it is is printed (a figure), never asserted (the machine decides it)
    assert 0 < out["learned_s_per_pair"] and out["learned_slowdown"] >= 1.0
    assert any("learned probabilities" in x for x in lines)


@settings(max_examples=40, deadline=None)
@given(review=st.text(alphabet="建成完成推进新增公里万亿%0123456789.，。；、\n年医院铁路民生实事全面", max_size=200))
def test_judge_never_fails_and_offsets_hold(review: str):
    pledges = [p("建成省儿童医院新院区"), p("新增城镇就业110万人以上", "target", LIST_PATH)]
    out = pledges_judge(pledges, review, [SectionSpan("review", "", 0, len(review), 2025)], 2025)
    assert len(out) == 2
    for v in out:
        assert v.status in ("fulfilled", "partial", "missed", "dropped")
        assert 0.0 <= v.confidence <= 1.0
        assert all(review[e.start : e.end] == e.text for e in v.evidence)


def test_a_namesake_pledge_is_explained_away():
    review = "一、2025年工作回顾\n加强社会治安综合治理体系建设，刑事案件下降12%。新建5G基站2万个。\n"
    secs = [SectionSpan("review", "一、2025年工作回顾", 0, len(review), 2025)]
    alone = pledges_judge([p("加强流域综合治理体系建设", "action")], review, secs, 2025)[0]
    both = pledges_judge(
        [p("加强社会治安综合治理体系建设", "action"), p("加强流域综合治理体系建设", "action")], review, secs, 2025
    )
    assert both[0].status == "fulfilled"
    # on its own the near namesake would pass; beside the pledge the clause is about, it does not
    assert alone.status == "fulfilled"
    assert both[1].status == "dropped"


RARE_REVIEW = (
    "一、2025年工作回顾\n全省生产总值增长5.2%，城镇新增就业125万人。"
    "科技创新能力持续提升，新增国家重点实验室3家。体系化布局多层次实验室，中试平台建设提速。"
    "制造业投资增长8%，高新技术企业突破7万家。文化事业繁荣发展，公共文化服务体系更加健全。"
    "城乡居民收入稳步增长，社会保障水平持续提高。\n"
)


def _rare_judge(text: str):
    secs = [SectionSpan("review", "一、2025年工作回顾", 0, len(RARE_REVIEW), 2025)]
    pledges = [p(text, "action"), p("办好全民健身运动会", "action"), p("完善公共文化服务体系", "action")]
    return pledges_judge(pledges, RARE_REVIEW, secs, 2025)[0]


def test_rare_words_of_the_pledge_meeting_in_one_review_clause_address_it():
    # a long pledge shares little of its wording with the review, but the two words that
    # only this clause of the review uses (中试, 平台) say it reports this deliverable
    v = _rare_judge("分类别推动省实验室和概念验证中心、中试平台、新型研发机构协同建设与开放共享")
    assert v.status == "fulfilled"
    assert v.evidence and "中试平台" in v.evidence[0].text
    assert v.confidence < 0.5  # a weak match: it goes to the curation queue first
    # one shared rare word is not enough
    assert _rare_judge("建设概念验证中心和中试基地").status == "dropped"


def test_an_enumerated_clause_is_not_explained_away_by_one_of_its_items():
    # the clause reports two deliverables; the first pledge matching it better does not
    # make it any less about the second
    review = (
        "一、2025年工作回顾\n全省生产总值增长5.2%，城镇新增就业125万人。"
        "东部国际机场三期扩建工程、西部机场第三跑道建成投用。全省机场旅客吞吐量增长8%。新建5G基站2万个。\n"
    )
    secs = [SectionSpan("review", "一、2025年工作回顾", 0, len(review), 2025)]
    out = pledges_judge([p("东部国际机场三期扩建工程建成投用"), p("加快西部机场第三跑道和货运区建设")], review, secs, 2025)
    assert [v.status for v in out] == ["fulfilled", "fulfilled"]


def _in_step(review_body: str):
    review = "一、2025年工作回顾\n" + review_body + "\n"
    secs = [SectionSpan("review", "一、2025年工作回顾", 0, len(review), 2025)]
    pledges = [p("居民收入增长和经济增长基本同步", "target"), p("新建5G基站2万个", "target")]
    return pledges_judge(pledges, review, secs, 2025)[0]


def test_income_in_step_with_the_economy_is_judged_from_both_growth_rates():
    # neither figure sits near the pledge's words: the GDP figure's metric is elided
    # after its level, the income figure is named 人均可支配收入
    body = "全省生产总值超过6万亿元，增长5.2%。新建5G基站2万个。居民人均可支配收入增长6.1%。"
    v = _in_step(body)
    assert v.status == "fulfilled"
    assert any("6.1%" in e.text for e in v.evidence) and any("5.2%" in e.text for e in v.evidence)
    assert _in_step(body.replace("6.1%", "4.1%")).status == "missed"
    # 左右 tolerance: 0.1 points slower is still in step
    assert _in_step(body.replace("6.1%", "5.1%")).status == "fulfilled"
    # reported in parts, one slower and one not: partial
    parts = "全省生产总值增长5.5%。城镇和农村居民人均可支配收入分别增长4.3%、5.5%。"
    assert _in_step(parts).status == "partial"


def test_a_clause_closest_to_many_pledges_is_too_vague_for_any():
    # 实施一批重大项目 is the nearest clause to every pledge about some 重大工程 and names
    # none of them; the clause about one named project still addresses its own pledge
    review = (
        "一、2025年工作回顾\n全省生产总值增长5.2%。实施一批重大工程。"
        "东部机场第三跑道建成投用。新建5G基站2万个。城乡居民收入稳步增长。\n"
    )
    secs = [SectionSpan("review", "一、2025年工作回顾", 0, len(review), 2025)]
    vague = ["加快实施水利重大工程", "实施中医药振兴重大工程", "加快实施国防重大工程", "实施文化传承重大工程"]
    out = pledges_judge([p(t, "action") for t in vague] + [p("东部机场第三跑道建成投用")], review, secs, 2025)
    assert [v.status for v in out] == ["dropped"] * len(vague) + ["fulfilled"]
    # one such pledge alone: the clause is its best match only, and it is not discounted
    alone = pledges_judge([p(vague[0], "action")], review, secs, 2025)[0]
    assert alone.status == "fulfilled"


@pytest.mark.corpus
@pytest.mark.parametrize("province", ["hainan", "hunan", "jiangxi", "xinjiang"])
def test_a_livelihood_blanket_claim_does_not_fulfil_the_whole_plan(corpus, province):
    """Their plans number ten chapters as their reviews number ten livelihood projects."""
    plan = next((corpus / "provincial").glob(f"{province}-2025.*"))
    review = next((corpus / "provincial").glob(f"{province}-2026.*"))
    result = pair_compare(plan.name, plan.read_bytes(), review.name, review.read_bytes(), 2025, jurisdiction=province)
    rows = result["pledges"]
    fulfilled = sum(1 for r in rows if r["status"] == "fulfilled")
    blanket = sum(1 for r in rows if r["confidence"] == BLANKET_CONFIDENCE and r["status"] == "fulfilled")
    assert len(rows) > 150
    # the dev pairs and the other provinces: 15-45% fulfilled; before the fix 88-98%
    assert fulfilled / len(rows) < 0.5
    assert blanket < 30


@pytest.mark.parametrize(
    ("pledge", "target", "review", "value"),
    [
        # The plan names the growth 增速 (or counts 数量), the review writes 增长: the same figure.
        ("国内生产总值增长5%左右", Target("国内生产总值增速", 5, "%", "about"),
         "国内生产总值达到134.9万亿元、增长5%，增速居世界主要经济体前列。", 5.0),
        ("全省经营主体数量增长5%", Target("全省经营主体数量增速", 5, "%", "exact"),
         "全省经营主体达1163.7万户、增长6.3%。", 6.3),
    ],
)
def test_a_fulfilled_target_keeps_the_figure_its_evidence_reports(pledge, target, review, value):
    text = "一、2025年工作回顾\n" + review + "\n"
    review_sections = [SectionSpan("review", "一、2025年工作回顾", 0, len(text), 2025)]
    v = pledges_judge([p(pledge, "target", target=target)], text, review_sections, 2025)[0]
    assert v.status == "fulfilled"
    assert v.actual is not None and v.actual.value == value and v.actual.unit == "%"

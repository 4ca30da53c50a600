"""Chains between consecutive plans: pure pipeline, hand-made plans and real corpus reports."""

from __future__ import annotations

import pytest

from tracker.pipeline.chain import (
    ChainInputError,
    ChainPlan,
    chains_of,
    plans_chain,
    pledge_stage,
)
from tracker.pipeline.read import document_read, report_with_plan
from tracker.pipeline.targets import target_parse
from tracker.pipeline.types import PledgeSpan

from .conftest import corpus_bytes


def pledge(text: str, scored: bool = True) -> PledgeSpan:
    target = target_parse(text)
    return PledgeSpan(text, 0, len(text), "target" if target else "action", "", 0, target, scored)


def plan(year: int, *texts: str, government: str = "1") -> ChainPlan:
    return ChainPlan(government, year, [pledge(t) for t in texts])


def by_current(links):
    return {link.current: link for link in links}


def test_same_target_metric_links_whatever_the_value():
    links = by_current(
        plans_chain(
            plan(2023, "国内生产总值增长5%左右", "城镇新增就业1200万人左右", "居民消费价格涨幅3%左右"),
            plan(2024, "居民消费价格涨幅2%左右", "国内生产总值增长5%左右", "城镇新增就业1300万人以上"),
        )
    )
    assert (links[0].previous, links[0].kind, links[0].basis) == (2, "target_lowered", "target")
    assert (links[1].previous, links[1].kind) == (0, "repeated")
    assert (links[2].previous, links[2].kind) == (1, "target_raised")
    assert all(link.years_apart == 1 and not link.gap for link in links.values())


def test_next_stage_of_a_project_is_continued_and_the_same_words_repeated():
    links = by_current(
        plans_chain(
            plan(2023, "开工建设杭州西站枢纽", "加快推进城市更新行动", "启动第二批未来社区试点"),
            plan(2024, "加快推进城市更新行动", "建成杭州西站枢纽", "启动第三批未来社区试点"),
        )
    )
    assert (links[0].previous, links[0].kind) == (1, "repeated")
    assert (links[1].previous, links[1].kind) == (0, "continued")
    assert (links[2].previous, links[2].kind) == (2, "continued")  # 第二批 -> 第三批


def test_different_deliverables_of_one_field_are_not_linked():
    links = plans_chain(
        plan(2023, "新建中小学校20所", "实施“千万工程”", "加强耕地保护"),
        plan(2024, "新建养老机构10家", "实施“百县千镇万村”工程", "完善社会保障体系"),
    )
    assert links == []


def test_a_chain_never_forks():
    links = plans_chain(
        plan(2023, "加快建设西部陆海新通道"),
        plan(2024, "加快建设西部陆海新通道", "加快西部陆海新通道建设"),
    )
    assert len(links) == 1 and links[0].current == 0


def test_scored_pledges_are_preferred_on_a_tie():
    earlier = ChainPlan("1", 2023, [pledge("推进数字政府建设", scored=False), pledge("推进数字政府建设")])
    links = plans_chain(earlier, plan(2024, "推进数字政府建设"))
    assert [link.previous for link in links] == [1]


def test_curated_pairs_are_kept_and_broken_ones_never_proposed():
    earlier = plan(2023, "加快推进城市更新行动", "实施城市更新行动")
    later = plan(2024, "加快推进城市更新行动")
    assert [link.previous for link in plans_chain(earlier, later)] == [0]
    # the curator broke 0 -> 0: the machine offers the next best, never the broken pair
    assert [link.previous for link in plans_chain(earlier, later, forbidden={(0, 0)})] == [1]
    # the curator confirmed 1 -> 0: it stands, and 0 takes no other link
    assert [(link.previous, link.current) for link in plans_chain(earlier, later, fixed={(1, 0)})] == [(1, 0)]


def test_a_missing_year_is_allowed_and_said():
    links = plans_chain(plan(2019, "城镇调查失业率5.5%左右"), plan(2021, "城镇调查失业率5.5%左右"))
    assert links[0].years_apart == 2 and links[0].gap


@pytest.mark.parametrize(
    ("earlier", "later", "message"),
    [
        (plan(2023, "推进数字政府建设"), plan(2024, "推进数字政府建设", government="2"), "two governments"),
        (plan(2024, "推进数字政府建设"), plan(2023, "推进数字政府建设"), "does not follow"),
        (plan(2024, "推进数字政府建设"), plan(2024, "推进数字政府建设"), "does not follow"),
        (plan(2015, "推进数字政府建设"), plan(2024, "推进数字政府建设"), "years apart"),
    ],
)
def test_bad_pairs_are_refused(earlier, later, message):
    with pytest.raises(ChainInputError, match=message):
        plans_chain(earlier, later)


def test_empty_plans_give_no_links():
    assert plans_chain(plan(2023), plan(2024, "推进数字政府建设")) == []


def test_stage_words():
    assert pledge_stage("启动建设") < pledge_stage("推进建设") < pledge_stage("全面推广") < pledge_stage("建成投用")


def test_chains_of_walks_links_oldest_first():
    assert sorted(chains_of([("a", "b"), ("b", "c"), ("x", "y")])) == [["a", "b", "c"], ["x", "y"]]


def _plan_of(corpus, year: int) -> ChainPlan:
    read = document_read(f"{year}.txt", corpus_bytes(corpus, f"national/{year}.txt"), year)
    return ChainPlan("national", year, report_with_plan(read, year).pledges)


def test_national_2023_to_2024_links_the_gdp_target_as_repeated(corpus):
    earlier, later = _plan_of(corpus, 2023), _plan_of(corpus, 2024)
    links = plans_chain(earlier, later)
    pairs = {(earlier.pledges[link.previous].text, later.pledges[link.current].text): link for link in links}
    gdp = pairs[("国内生产总值增长5%左右", "国内生产总值增长5%左右")]
    assert (gdp.kind, gdp.basis, gdp.similarity) == ("repeated", "target", 1.0)
    bonds = pairs[("今年拟安排地方政府专项债券3.8万亿元", "拟安排地方政府专项债券3.9万亿元")]
    assert bonds.kind == "target_raised"
    # the unemployment target links to unemployment, not to the GDP target beside it
    jobless = [link for (a, b), link in pairs.items() if b == "城镇调查失业率5.5%左右"]
    assert [earlier.pledges[link.previous].text for link in jobless] == ["城镇调查失业率5.5%左右"]
    assert len(links) >= 25


def test_national_2019_to_2021_links_across_the_missing_2020(corpus):
    links = plans_chain(_plan_of(corpus, 2019), _plan_of(corpus, 2021))
    assert links and all(link.years_apart == 2 and link.gap for link in links)

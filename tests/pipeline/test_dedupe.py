"""One pledge per deliverable (pipeline/dedupe.py)."""

from __future__ import annotations

from tracker.pipeline.dedupe import pledges_dedupe
from tracker.pipeline.read import document_read, report_with_plan
from tracker.pipeline.targets import target_parse
from tracker.pipeline.types import PledgeSpan

from .conftest import corpus_bytes


def _span(text: str, start: int) -> PledgeSpan:
    return PledgeSpan(text, start, start + len(text), "target", "一、总体要求", 0, target_parse(text))


def test_a_restated_target_is_counted_once_keeping_the_first_statement():
    first = _span("国内生产总值增长5%左右", 0)
    again = _span("经济增长预期目标为5%左右", 100)
    other = _span("城镇调查失业率5.5%左右", 50)
    assert pledges_dedupe([first, other, again]) == [first, other]


def test_a_different_figure_or_metric_is_another_deliverable():
    a = _span("国内生产总值增长5%左右", 0)
    b = _span("国内生产总值增长6%左右", 30)
    c = _span("居民消费价格涨幅3%左右", 60)
    assert pledges_dedupe([a, b, c]) == [a, b, c]


def test_the_same_words_twice_are_one_pledge_and_a_fuller_restatement_replaces_the_first():
    a = PledgeSpan("实施城市更新行动", 0, 8, "action", "x", 0)
    twin = PledgeSpan("实施城市更新行动", 40, 48, "action", "x", 0)
    assert pledges_dedupe([a, twin]) == [a]
    short = _span("提高大病保险最高支付限额3800元", 0)
    fuller = _span("次年提高大病保险最高支付限额3800元", 90)
    assert pledges_dedupe([short, fuller]) == [fuller]


def test_national_2024_states_its_growth_target_once(corpus):
    read = document_read("2024.txt", corpus_bytes(corpus, "national/2024.txt"), 2024)
    report = report_with_plan(read, 2024)
    growth = [p for p in report.pledges if p.target and p.target.value == 5.0 and p.target.unit == "%"
              and ("生产总值" in p.text or "经济增长" in p.text)]
    assert [p.text for p in growth] == ["国内生产总值增长5%左右"]

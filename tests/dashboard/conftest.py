"""One tracked pair built with factories: 2025 plan of 测试省 judged against its 2026 review."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.factories import (
    DocumentFactory,
    EvidenceFactory,
    JurisdictionFactory,
    PledgeFactory,
    SectionFactory,
    VerdictFactory,
)
from tracker.models import Jurisdiction, Level, Pledge, PledgeKind, Status

PLAN_TEXT = (
    "二、2025年工作安排\n（一）扩大内需\n地区生产总值增长5%左右。新建高标准农田3万亩。建成杭州西站枢纽。\n"
    "（二）民生\n新增城镇就业100万人。改造老旧小区500个。出台数据要素办法。\n"
)


@dataclass
class Pair:
    jurisdiction: Jurisdiction
    other: Jurisdiction
    pledges: dict[str, Pledge]


def _pledge(section, text: str, status: str | None, **extra) -> Pledge:
    start = section.document.text.index(text)
    # As the pipeline writes it: the plan chapter, then the sub-section the pledge sits in.
    extra.setdefault("section_path", f"二、2025年工作安排 / {section.heading}")
    pledge = PledgeFactory(section=section, text=text, start=start, end=start + len(text), **extra)
    if status is not None:
        VerdictFactory(pledge=pledge, machine_status=status, machine_confidence=0.8)
    return pledge


@pytest.fixture
def pair(db) -> Pair:
    province = JurisdictionFactory(name="测试省", level=Level.PROVINCE)
    plan = DocumentFactory(jurisdiction=province, year=2025, text=PLAN_TEXT)
    review = DocumentFactory(
        jurisdiction=province, year=2026, text="一、2025年工作回顾\n地区生产总值增长5.6%。新建高标准农田3.2万亩。"
    )
    economy = SectionFactory(document=plan, heading="（一）扩大内需", start=PLAN_TEXT.index("（一）"), end=60)
    livelihood = SectionFactory(document=plan, heading="（二）民生", start=PLAN_TEXT.index("（二）"), end=len(PLAN_TEXT))
    pledges = {
        "gdp": _pledge(
            economy,
            "地区生产总值增长5%左右",
            Status.FULFILLED,
            kind=PledgeKind.TARGET,
            target_metric="地区生产总值增长",
            target_value=5.0,
            target_unit="%",
            target_comparator="about",
        ),
        "farmland": _pledge(
            economy,
            "新建高标准农田3万亩",
            Status.PARTIAL,
            kind=PledgeKind.TARGET,
            target_metric="高标准农田",
            target_value=3.0,
            target_unit="万亩",
            target_comparator="at_least",
        ),
        "station": _pledge(economy, "建成杭州西站枢纽", Status.DROPPED, kind=PledgeKind.PROJECT),
        "jobs": _pledge(
            livelihood,
            "新增城镇就业100万人",
            Status.MISSED,
            kind=PledgeKind.TARGET,
            target_metric="城镇新增就业",
            target_value=100.0,
            target_unit="万人",
            target_comparator="at_least",
        ),
        "housing": _pledge(livelihood, "改造老旧小区500个", Status.DROPPED, kind=PledgeKind.PROJECT),
        "rules": _pledge(livelihood, "出台数据要素办法", None, kind=PledgeKind.ACTION),
    }
    pledges["gdp"].verdict.machine_actual = {"metric": "地区生产总值增长", "value": 5.6, "unit": "%", "comparator": "exact"}
    pledges["gdp"].verdict.review_document = review
    pledges["gdp"].verdict.save()
    EvidenceFactory(pledge=pledges["gdp"], review_document=review, text="地区生产总值增长5.6%", start=11, end=24, score=92.0)
    EvidenceFactory(
        pledge=pledges["farmland"], review_document=review, text="新建高标准农田3.2万亩", start=25, end=37, score=85.0
    )

    other = JurisdictionFactory(name="另一省", level=Level.PROVINCE)
    other_section = SectionFactory(document=DocumentFactory(jurisdiction=other, year=2025, text=PLAN_TEXT))
    _pledge(other_section, "新建高标准农田3万亩", Status.DROPPED)
    _pledge(other_section, "建成杭州西站枢纽", Status.DROPPED)
    return Pair(jurisdiction=province, other=other, pledges=pledges)

"""A hand-made government with three consecutive plans, chained by the real chain service.

Shared by the admin, API, dashboard and browser tests of chains (issue 14): each test
module wraps ``chain_world_make`` in its own fixture.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests import factories as f
from tracker import models, services_chain
from tracker.pipeline.targets import target_parse

S = models.Status
# (text, status) per plan year; the status is what the next year's review made of it.
PLANS = {
    2023: [
        ("地区生产总值增长5%左右", S.FULFILLED),
        ("开工建设杭州西站枢纽", S.FULFILLED),
        ("新建高标准农田2万亩", S.DROPPED),
        ("推进数字政府建设", S.FULFILLED),
    ],
    2024: [
        ("地区生产总值增长5.5%左右", S.FULFILLED),
        ("建成杭州西站枢纽", S.PARTIAL),
        ("新建高标准农田2万亩", S.MISSED),
        ("推进数字政府建设", S.FULFILLED),
    ],
    2025: [
        ("地区生产总值增长5%左右", S.PENDING),
        ("建成杭州西站枢纽", S.PENDING),
        ("新建高标准农田2万亩", S.PENDING),
        ("推进数字政府建设", S.PENDING),
    ],
}


@dataclass
class ChainWorld:
    government: models.Jurisdiction
    other: models.Jurisdiction
    plans: dict[int, models.Document]
    # pledges[year][text]
    pledges: dict[int, dict[str, models.Pledge]] = field(default_factory=dict)
    other_pledge: models.Pledge | None = None

    def pledge(self, year: int, text: str) -> models.Pledge:
        return self.pledges[year][text]

    def link(self, year: int, text: str) -> models.ChainLink:
        """The link from a pledge of ``year`` back to the year before."""
        return models.ChainLink.objects.get(pledge=self.pledge(year, text))


def _plan(jurisdiction: models.Jurisdiction, year: int, rows: list[tuple[str, str]]) -> tuple[models.Document, dict]:
    heading = f"二、{year}年工作安排"
    head = f"一、{year - 1}年工作回顾\n过去一年经济运行稳中有进。\n{heading}\n"
    text = head + "".join(f"{t}。\n" for t, _ in rows)
    document = f.DocumentFactory(jurisdiction=jurisdiction, year=year, text=text, filename=f"plan-{jurisdiction.pk}-{year}.txt")
    section = f.SectionFactory(document=document, kind=models.SectionKind.PLAN, heading=heading, year=year,
                               start=len(head) - len(heading) - 1, end=len(text))
    pledges = {}
    for needle, status in rows:
        start = text.index(needle)
        target = target_parse(needle)
        pledge = f.PledgeFactory(
            section=section, document=document, plan_year=year, text=needle, start=start, end=start + len(needle),
            kind=models.PledgeKind.TARGET if target else models.PledgeKind.PROJECT, section_path=heading,
            target_metric=target.metric if target else "", target_value=target.value if target else None,
            target_value_max=target.value_max if target else None, target_unit=(target.unit or "") if target else "",
            target_comparator=target.comparator if target else "", target_direction=target.direction if target else "",
        )
        f.VerdictFactory(pledge=pledge, machine_status=status, machine_confidence=0.8, review_document=None)
        pledges[needle] = pledge
    return document, pledges


def chain_world_make() -> ChainWorld:
    government = f.JurisdictionFactory(name="链测市", level=models.Level.CITY)
    other = f.JurisdictionFactory(name="邻测市", level=models.Level.CITY)
    world = ChainWorld(government=government, other=other, plans={})
    for year, rows in PLANS.items():
        world.plans[year], world.pledges[year] = _plan(government, year, rows)
    # The same words in another government's plan of a consecutive year: never linked.
    _, other_pledges = _plan(other, 2024, [("推进数字政府建设", S.FULFILLED)])
    world.other_pledge = other_pledges["推进数字政府建设"]
    for year in PLANS:
        services_chain.chain_build(world.plans[year].pk)
    return world

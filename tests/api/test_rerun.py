"""A re-run of matching replaces machine output and never a curator's decision."""

from __future__ import annotations

import pytest

from tests import factories as f
from tracker import models, services
from tracker.pipeline.types import EvidenceSpan
from tracker.pipeline.types import Verdict as MachineVerdict

pytestmark = pytest.mark.django_db


def span(world, needle: str, score: float) -> EvidenceSpan:
    start = world.review.text.index(needle)
    return EvidenceSpan(needle, start, start + len(needle), score)


@pytest.fixture
def curated(world, curator_client):
    """Through the API: override one status, reject one span, accept another, add one by hand."""
    farmland = models.Verdict.objects.get(pledge=world.farmland)
    assert curator_client.post(f"/api/pledges/{world.farmland.pk}/override/",
                               {"status": "fulfilled", "reason": "审议稿：新建2.1万亩", "version": farmland.version},
                               format="json").status_code == 200
    assert curator_client.post(f"/api/evidence/{world.gdp_evidence.pk}/curate/",
                               {"decision": "reject", "version": 1}, format="json").status_code == 200
    assert curator_client.post(f"/api/evidence/{world.station_evidence.pk}/curate/",
                               {"decision": "accept", "version": 1}, format="json").status_code == 200
    start = world.review.text.index("新建高标准农田2.1万亩")
    added = curator_client.post(f"/api/pledges/{world.farmland.pk}/evidence/",
                                {"start": start, "end": start + 12, "review_document": world.review.pk}, format="json")
    assert added.status_code == 201
    return added.json()["id"]


def assert_curation_kept(world, added_id: int) -> None:
    farmland = models.Verdict.objects.get(pledge=world.farmland)
    assert (farmland.status, farmland.override_status, farmland.confidence) == ("fulfilled", "fulfilled", 1.0)
    assert farmland.override_reason == "审议稿：新建2.1万亩"
    added = models.Evidence.objects.get(pk=added_id)
    assert (added.origin, added.curation) == ("curator", "accepted")
    rejected = models.Evidence.objects.filter(pledge=world.gdp, start=world.gdp_evidence.start, end=world.gdp_evidence.end)
    # Still one row for the span, still rejected: a re-run cannot bring it back in front of readers.
    assert [e.curation for e in rejected] == ["rejected"]
    assert models.Evidence.objects.get(pk=world.station_evidence.pk).curation == "accepted"


def test_verdicts_write_keeps_override_and_curated_evidence(world, curated, anon):
    pledges = [world.gdp, world.farmland, world.station]
    results = [
        MachineVerdict("missed", 0.4, (span(world, "地区生产总值增长5.6%", 90.0),)),
        MachineVerdict("dropped", 0.2, ()),
        MachineVerdict("fulfilled", 0.7, (span(world, "超额完成任务", 50.0),)),
    ]
    services.verdicts_write(pledges, results, world.review)

    assert_curation_kept(world, curated)
    farmland = models.Verdict.objects.get(pledge=world.farmland)
    assert farmland.machine_status == "dropped"  # the machine's view is refreshed underneath the override
    station = models.Verdict.objects.get(pledge=world.station)
    assert station.status == "fulfilled"  # no override there: the new machine status applies
    station_spans = set(models.Evidence.objects.filter(pledge=world.station).values_list("text", "curation"))
    assert station_spans == {("杭州西站枢纽主体完工", "accepted"), ("超额完成任务", "")}
    assert anon.get(f"/api/pledges/{world.gdp.pk}/").json()["evidence"] == []


def test_pair_track_rerun_keeps_override_and_curated_evidence(world, curated):
    f.SectionFactory(document=world.review, kind=models.SectionKind.REVIEW, heading="一、2025年工作回顾", year=2025,
                     start=0, end=world.review.text.index("二、"), report_index=0)
    before = models.Verdict.objects.get(pledge=world.farmland).version
    tracking = services.pair_track(world.plan.pk, 2025)
    assert tracking.state == "done", tracking.error
    assert tracking.review_document_id == world.review.pk
    assert_curation_kept(world, curated)
    # Run it again: idempotent, and still nothing curated is lost.
    assert services.pair_track(world.plan.pk, 2025).state == "done"
    assert_curation_kept(world, curated)
    assert models.Verdict.objects.get(pledge=world.farmland).version >= before

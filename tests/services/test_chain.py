"""Chain links written by the tracking run, on PostgreSQL: idempotent, curated links kept,
never across governments, a missing year said."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from tracker import services, services_chain
from tracker.models import ChainCuration, ChainLink, Level, Pledge
from tracker.pipeline.chain import ChainInputError

pytestmark = pytest.mark.django_db


@pytest.fixture
def ingest(national, sample_bytes):
    def run(year: int, jurisdiction=None):
        document = services.document_ingest(
            filename=f"national-{year}.txt", data=sample_bytes(f"national-{year}.txt"),
            jurisdiction=jurisdiction or national, year=year,
        )
        assert document.state == "done", document.error
        # The test transaction never commits, so the queued tracking task is run by hand.
        assert services.pair_track(document.pk).state == "done"
        return document

    return run


def _links(**filters) -> list[tuple]:
    return sorted(
        ChainLink.objects.filter(**filters).values_list(
            "pk", "previous_id", "pledge_id", "kind", "similarity", "basis", "years_apart", "curation"
        )
    )


def _link_between(earlier_text: str, later_text: str) -> ChainLink:
    return ChainLink.objects.select_related("previous", "pledge").get(previous__text=earlier_text, pledge__text=later_text)


def test_tracking_a_plan_links_it_to_the_previous_plan(ingest):
    plan_2023, plan_2024 = ingest(2023), ingest(2024)
    links = ChainLink.objects.select_related("previous", "pledge")
    assert links.count() >= 25
    for link in links:
        assert link.previous.document_id == plan_2023.pk and link.pledge.document_id == plan_2024.pk
        assert (link.previous.plan_year, link.pledge.plan_year, link.years_apart) == (2023, 2024, 1)
        assert link.jurisdiction_id == plan_2023.jurisdiction_id
    gdp = _link_between("国内生产总值增长5%左右", "国内生产总值增长5%左右")
    assert (gdp.kind, gdp.basis) == ("repeated", "target")
    assert _link_between("今年拟安排地方政府专项债券3.8万亿元", "拟安排地方政府专项债券3.9万亿元").kind == "target_raised"
    # One-to-one: a pledge has at most one link back and one link forward.
    assert links.values("pledge").distinct().count() == links.count()
    assert links.values("previous").distinct().count() == links.count()


def test_chain_build_is_idempotent(ingest):
    plan_2023, plan_2024 = ingest(2023), ingest(2024)
    before = _links()
    services.pair_track(plan_2024.pk)
    services.pair_track(plan_2023.pk)
    services_chain.chain_build(plan_2024.pk)
    services_chain.chain_build(plan_2023.pk)
    assert _links() == before  # same rows, same ids
    # Re-reading the reports (same text) keeps the pledge rows, so the links too.
    services.document_process(plan_2024.pk)
    services.pair_track(plan_2024.pk)
    assert _links() == before


def test_curated_links_survive_reruns_and_reextraction(ingest):
    plan_2023, plan_2024 = ingest(2023), ingest(2024)
    curator = UserFactory()
    confirmed = _link_between("国内生产总值增长5%左右", "国内生产总值增长5%左右")
    broken = ChainLink.objects.filter(basis="text").order_by("pk").first()
    services_chain.chain_link_confirm(link_id=confirmed.pk, user=curator, expected_version=confirmed.version,
                                      reason="same growth target")
    services_chain.chain_link_break(link_id=broken.pk, user=curator, expected_version=broken.version,
                                    reason="different programmes")

    # The extraction now finds both curated pledges at other offsets (as after a reader change):
    # their rows are stale, yet kept because a curator decided on their links.
    Pledge.objects.filter(pk=confirmed.pledge_id).update(start=0, end=1)
    Pledge.objects.filter(pk=broken.pledge_id).update(start=4, end=5)
    machine_pledge = ChainLink.objects.filter(curation="").exclude(pledge_id=broken.pledge_id).first().pledge
    Pledge.objects.filter(pk=machine_pledge.pk).update(start=2, end=3)
    services.document_process(plan_2024.pk)
    services.pair_track(plan_2024.pk)
    services.pair_track(plan_2023.pk)
    services_chain.chain_build(plan_2024.pk)

    confirmed_after = ChainLink.objects.get(pk=confirmed.pk)
    assert confirmed_after.curation == ChainCuration.CONFIRMED and confirmed_after.curation_reason == "same growth target"
    broken_after = ChainLink.objects.get(pk=broken.pk)
    assert broken_after.curation == ChainCuration.BROKEN
    # The broken pair is never proposed again; only the curator's row joins the two pledges.
    assert ChainLink.objects.filter(previous_id=broken.previous_id, pledge_id=broken.pledge_id).count() == 1
    # Neither pledge of the confirmed link took another machine link.
    assert ChainLink.objects.filter(pledge_id=confirmed.pledge_id).count() == 1
    assert ChainLink.objects.filter(previous_id=confirmed.previous_id).count() == 1
    # The uncurated stale pledge went, and its pledge was re-created and re-linked by the machine.
    assert not Pledge.objects.filter(pk=machine_pledge.pk).exists()
    relinked = ChainLink.objects.filter(pledge__text=machine_pledge.text, pledge__document=plan_2024, curation="")
    assert relinked.exists()
    # The history says who decided what and why.
    history = list(ChainLink.history.filter(id__in=[confirmed.pk, broken.pk]).exclude(history_user=None))
    assert {(h.id, h.curation, h.history_user_id) for h in history} == {
        (confirmed.pk, "confirmed", curator.pk), (broken.pk, "broken", curator.pk)
    }
    assert any("different programmes" in (h.history_change_reason or "") for h in history)


def test_breaking_needs_a_reason_and_the_version_seen(ingest):
    ingest(2023)
    ingest(2024)
    link = ChainLink.objects.first()
    curator = UserFactory()
    with pytest.raises(services_chain.ChainCurationError):
        services_chain.chain_link_break(link_id=link.pk, user=curator, reason="  ")
    services_chain.chain_link_confirm(link_id=link.pk, user=curator, expected_version=link.version)
    with pytest.raises(services_chain.ChainStaleVersion):
        services_chain.chain_link_break(link_id=link.pk, user=curator, reason="no", expected_version=link.version)
    assert ChainLink.objects.get(pk=link.pk).curation == ChainCuration.CONFIRMED


def test_a_broken_link_is_never_wanted_again(ingest):
    plan_2023, plan_2024 = ingest(2023), ingest(2024)
    gdp = _link_between("国内生产总值增长5%左右", "国内生产总值增长5%左右")
    others = set(ChainLink.objects.exclude(pk=gdp.pk).values_list("previous_id", "pledge_id"))
    services_chain.chain_link_break(link_id=gdp.pk, user=UserFactory(), reason="checked by hand")
    after = set(ChainLink.objects.filter(curation="").values_list("previous_id", "pledge_id"))
    assert (gdp.previous_id, gdp.pledge_id) not in after
    # Every other machine link stays, but for one that may give way to a new link of the two pledges.
    assert len(others - after) <= 1
    # The machine's own count: every link it wants is a machine row, the broken pair is not among them.
    assert services_chain.chain_link_plans(plan_2023, plan_2024) == ChainLink.objects.filter(curation="").count()


def test_never_across_governments(ingest, national):
    other = services.jurisdiction_get_or_create(name="浙江省", level=Level.PROVINCE)
    national_2023 = ingest(2023)
    other_2024 = ingest(2024, jurisdiction=other)
    # Consecutive years, the same words: still two governments, so no link at all.
    assert ChainLink.objects.count() == 0
    with pytest.raises(ChainInputError, match="two governments"):
        services_chain.chain_link_plans(national_2023, other_2024)
    assert services_chain.plan_previous(other_2024) is None


def test_a_missing_year_is_flagged_and_replaced_when_it_arrives(ingest):
    ingest(2023)
    plan_2025 = ingest(2025)
    gap = ChainLink.objects.select_related("previous", "pledge")
    assert gap.exists()
    assert {(link.previous.plan_year, link.pledge.plan_year, link.years_apart) for link in gap} == {(2023, 2025, 2)}
    assert all(link.gap for link in gap)
    # The 2024 report comes in late: 2025 now links to 2024 and 2024 to 2023, no gap left.
    ingest(2024)
    services.pair_track(plan_2025.pk)
    spans = set(
        ChainLink.objects.values_list("previous__plan_year", "pledge__plan_year", "years_apart").distinct()
    )
    assert spans == {(2023, 2024, 1), (2024, 2025, 1)}


def test_plans_too_far_apart_are_not_chained(ingest, national, sample_bytes):
    ingest(2023)
    # The 2025 report filed as a report of 2027: four years after 2023, a different period.
    late = services.document_ingest(
        filename="national-2027.txt", data=sample_bytes("national-2025.txt").replace(b"2025", b"2027"),
        jurisdiction=national, year=2027,
    )
    services.pair_track(late.pk)
    assert services_chain.plan_previous(late) is None
    assert not ChainLink.objects.exists()

"""Curators confirm or break chain links in the admin; the decision survives re-runs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.chain_world import ChainWorld, chain_world_make
from tracker import services_chain
from tracker.models import ChainCuration, ChainLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain_world(db) -> ChainWorld:
    return chain_world_make()


def _curate_url(link: ChainLink) -> str:
    return reverse("admin:tracker_chainlink_curate", args=[link.pk])


def test_the_list_shows_links_least_similar_first(staff_curator, chain_world):
    page = staff_curator.get(reverse("admin:tracker_chainlink_changelist"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "开工建设杭州西站枢纽" in body and "confirm or break" in body
    # The least similar link (开工建设 → 建成, 0.84) leads the list.
    assert body.index("开工建设杭州西站枢纽") < body.index("推进数字政府建设")


def test_confirm_and_break_from_the_screen_survive_reruns(staff_curator, curator, chain_world):
    station = chain_world.link(2024, "建成杭州西站枢纽")
    digital = chain_world.link(2025, "推进数字政府建设")
    page = staff_curator.get(_curate_url(station))
    assert page.status_code == 200
    assert "开工建设杭州西站枢纽" in page.content.decode() and "Confirm the link" in page.content.decode()

    staff_curator.post(_curate_url(station), {"action": "confirm", "version": station.version, "reason": "next stage"})
    staff_curator.post(_curate_url(digital), {"action": "break", "version": digital.version,
                                             "reason": "a new programme, not the 2024 one"})
    for year in (2023, 2024, 2025):
        services_chain.chain_build(chain_world.plans[year].pk)

    station.refresh_from_db()
    digital.refresh_from_db()
    assert (station.curation, station.curated_by, station.curation_reason) == (ChainCuration.CONFIRMED, curator, "next stage")
    assert digital.curation == ChainCuration.BROKEN and digital.curation_reason == "a new programme, not the 2024 one"
    assert ChainLink.objects.filter(pledge=digital.pledge).count() == 1  # nothing re-proposed in its place
    history = staff_curator.get(_curate_url(digital)).content.decode()
    assert "a new programme" in history and curator.username in history


def test_breaking_without_a_reason_saves_nothing(staff_curator, chain_world):
    link = chain_world.link(2024, "推进数字政府建设")
    response = staff_curator.post(_curate_url(link), {"action": "break", "version": link.version, "reason": ""},
                                  follow=True)
    assert "needs a reason" in response.content.decode()
    link.refresh_from_db()
    assert link.curation == "" and link.version == 1


def test_a_stale_screen_saves_nothing(staff_curator, curator, chain_world):
    link = chain_world.link(2024, "推进数字政府建设")
    services_chain.chain_link_confirm(link_id=link.pk, user=curator)
    response = staff_curator.post(_curate_url(link), {"action": "break", "version": link.version, "reason": "no"},
                                  follow=True)
    assert "another curator decided" in response.content.decode()
    assert ChainLink.objects.get(pk=link.pk).curation == ChainCuration.CONFIRMED


def test_staff_without_the_curate_permission_cannot_decide(staff_reader, chain_world):
    link = chain_world.link(2024, "推进数字政府建设")
    assert staff_reader.get(_curate_url(link)).status_code == 403
    assert staff_reader.post(_curate_url(link), {"action": "break", "reason": "x"}).status_code == 403
    assert ChainLink.objects.get(pk=link.pk).curation == ""

"""The curation admin: queue, one-screen curation through the services, bulk confirm, history."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tracker import models

pytestmark = pytest.mark.django_db


def curate_url(pledge) -> str:
    return reverse("admin:tracker_pledge_curate", args=[pledge.pk])


def listed(response) -> list[int]:
    return [pledge.pk for pledge in response.context["cl"].result_list]


def test_queue_lists_lowest_confidence_first_and_filters(staff_curator, world):
    url = reverse("admin:tracker_pledge_changelist")
    everything = listed(staff_curator.get(url))
    assert everything[:3] == [world.farmland.pk, world.station.pk, world.city_pledge.pk]

    models.Verdict.objects.filter(pledge=world.farmland).update(override_status="fulfilled", override_reason="x")
    todo = listed(staff_curator.get(url, {"curation": "todo"}))
    assert world.farmland.pk not in todo and todo[0] == world.station.pk
    assert listed(staff_curator.get(url, {"status": "missed"})) == [world.city_pledge.pk]
    assert set(listed(staff_curator.get(url, {"document__jurisdiction__id__exact": world.hangzhou.pk}))) == {
        world.city_pledge.pk
    }
    assert listed(staff_curator.get(url, {"plan_year": 2024})) == []
    # Below TRACKER_REVIEW_CONFIDENCE (0.6): station 0.5 (farmland 0.3 is overridden, so done).
    assert listed(staff_curator.get(url, {"curation": "low"})) == [world.station.pk]


def test_curation_page_shows_plan_and_spans_side_by_side_with_shared_words_marked(staff_curator, world):
    response = staff_curator.get(curate_url(world.gdp))
    assert response.status_code == 200
    html = response.content.decode()
    # The pledge and the review span both mark what they share: 地区生产总值增长5.
    assert "<mark>地区生产总值增长</mark>5%左右" in html  # 5% and 5.6% differ: no digit is marked
    assert "<mark>地区生产总值增长</mark>5.6%" in html
    assert f'name="evidence_{world.gdp_evidence.pk}"' in html
    # The pledge sits in its plan text: the heading before it and the next pledge after it.
    assert "二、2025年工作安排" in html and "。新建高标准农田2万亩。" in html


def test_staff_without_the_curate_permission_cannot_open_or_post(staff_reader, world):
    assert staff_reader.get(curate_url(world.gdp)).status_code == 403
    response = staff_reader.post(curate_url(world.gdp), {"action": "confirm", "verdict_version": 1})
    assert response.status_code == 403
    assert models.Verdict.objects.get(pledge=world.gdp).confirmed_at is None


def test_one_save_rejects_a_span_and_overrides_the_status(staff_curator, curator, world):
    verdict = models.Verdict.objects.get(pledge=world.station)
    response = staff_curator.post(curate_url(world.station), {
        "action": "save",
        "verdict_version": verdict.version,
        f"evidence_{world.station_evidence.pk}": "reject",
        f"evidence_version_{world.station_evidence.pk}": world.station_evidence.version,
        "override_status": "dropped",
        "override_reason": "主体完工不等于建成",
    }, follow=True)
    assert response.status_code == 200
    verdict.refresh_from_db()
    assert (verdict.status, verdict.override_reason, verdict.override_by) == ("dropped", "主体完工不等于建成", curator)
    evidence = models.Evidence.objects.get(pk=world.station_evidence.pk)
    assert (evidence.curation, evidence.curated_by) == ("rejected", curator)
    last = verdict.history.first()
    assert last.history_user == curator and last.override_status == "dropped"
    assert "主体完工不等于建成" in response.content.decode()  # the history table on the page


def test_a_stale_screen_saves_nothing(staff_curator, world):
    verdict = models.Verdict.objects.get(pledge=world.station)
    old_version = verdict.version
    # Another curator confirmed it meanwhile.
    staff_curator.post(curate_url(world.station), {"action": "confirm", "verdict_version": old_version})
    response = staff_curator.post(curate_url(world.station), {
        "action": "save",
        "verdict_version": old_version,
        f"evidence_{world.station_evidence.pk}": "reject",
        f"evidence_version_{world.station_evidence.pk}": world.station_evidence.version,
        "override_status": "dropped",
        "override_reason": "late",
    }, follow=True)
    assert "another curator changed this pledge" in response.content.decode()
    verdict.refresh_from_db()
    assert verdict.override_status == "" and verdict.confirmed_at is not None
    # The span decision made in the same save was rolled back with it.
    assert models.Evidence.objects.get(pk=world.station_evidence.pk).curation == ""


def test_override_without_a_reason_is_refused_with_a_message(staff_curator, world):
    verdict = models.Verdict.objects.get(pledge=world.gdp)
    response = staff_curator.post(curate_url(world.gdp), {
        "action": "save", "verdict_version": verdict.version, "override_status": "missed", "override_reason": "",
    }, follow=True)
    assert "an override needs a reason" in response.content.decode()
    assert models.Verdict.objects.get(pledge=world.gdp).status == "fulfilled"


def test_add_evidence_by_offsets_from_the_screen(staff_curator, world):
    start = world.review.text.index("超额完成任务")
    staff_curator.post(curate_url(world.farmland), {
        "action": "add", "start": start, "end": start + 6, "review_document": world.review.pk,
    })
    added = models.Evidence.objects.get(pledge=world.farmland)
    assert (added.text, added.origin, added.curation) == ("超额完成任务", "curator", "accepted")


def test_clear_override_restores_the_machine_status(staff_curator, world):
    verdict = models.Verdict.objects.get(pledge=world.farmland)
    staff_curator.post(curate_url(world.farmland), {"action": "save", "verdict_version": verdict.version,
                                                    "override_status": "fulfilled", "override_reason": "见审议稿"})
    staff_curator.post(curate_url(world.farmland), {"action": "clear", "verdict_version": verdict.version + 1})
    verdict.refresh_from_db()
    assert (verdict.status, verdict.override_status) == ("dropped", "")


def test_bulk_confirm_action(staff_curator, curator, world):
    url = reverse("admin:tracker_pledge_changelist")
    response = staff_curator.post(url, {
        "action": "confirm_verdicts", "_selected_action": [world.gdp.pk, world.station.pk],
    }, follow=True)
    assert response.status_code == 200
    confirmed = set(models.Verdict.objects.filter(confirmed_by=curator).values_list("pledge_id", flat=True))
    assert confirmed == {world.gdp.pk, world.station.pk}


def test_verdict_history_is_visible_in_the_admin(staff_curator, world):
    verdict = models.Verdict.objects.get(pledge=world.gdp)
    staff_curator.post(curate_url(world.gdp), {"action": "confirm", "verdict_version": verdict.version})
    response = staff_curator.get(reverse("admin:tracker_verdict_history", args=[verdict.pk]))
    assert response.status_code == 200
    assert "confirmed" in response.content.decode()


def test_documents_in_the_admin_never_render_the_file(staff_curator, world, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    staff_curator.force_login(superuser)
    response = staff_curator.get(reverse("admin:tracker_document_change", args=[world.plan.pk]))
    assert response.status_code == 200
    assert "secret-bytes" not in response.content.decode()


def test_the_pledge_page_links_to_the_curation_screen(staff_curator, world, curator):
    from django.contrib.auth.models import Permission

    curator.user_permissions.add(Permission.objects.get(codename="view_pledge"))
    response = staff_curator.get(reverse("admin:tracker_pledge_change", args=[world.gdp.pk]))
    assert response.status_code == 200
    assert f'href="{curate_url(world.gdp)}"' in response.content.decode()


def test_a_span_of_another_pledge_cannot_be_curated_from_this_screen(staff_curator, world):
    verdict = models.Verdict.objects.get(pledge=world.station)
    staff_curator.post(curate_url(world.station), {
        "action": "save", "verdict_version": verdict.version,
        f"evidence_{world.gdp_evidence.pk}": "reject", f"evidence_version_{world.gdp_evidence.pk}": 1,
    })
    assert models.Evidence.objects.get(pk=world.gdp_evidence.pk).curation == ""


def test_a_dropped_pledge_shows_its_nearest_passages_and_one_click_makes_one_evidence(staff_curator, world):
    from tests.factories import NearestPassageFactory

    start = world.review.text.index("新建高标准农田2.1万亩")
    near = NearestPassageFactory(
        pledge=world.farmland, review_document=world.review, text="新建高标准农田2.1万亩", start=start,
        end=start + len("新建高标准农田2.1万亩"), score=39.0, rank=1,
    )
    html = staff_curator.get(curate_url(world.farmland)).content.decode()
    panel = html[html.index('id="nearest"') :]
    assert "Nearest review passages (1)" in panel
    assert "<mark>新建高标准农田</mark>2.1万亩" in panel  # figures are marked whole or not at all
    assert f'name="start" value="{near.start}"' in panel and f'name="end" value="{near.end}"' in panel

    staff_curator.post(curate_url(world.farmland), {
        "action": "add", "start": near.start, "end": near.end, "review_document": world.review.pk,
    })
    added = models.Evidence.objects.get(pledge=world.farmland)
    assert (added.text, added.origin, added.curation) == ("新建高标准农田2.1万亩", "curator", "accepted")
    panel = staff_curator.get(curate_url(world.farmland)).content.decode()
    panel = panel[panel.index('id="nearest"') :]
    assert "added as evidence" in panel and "Add as evidence" not in panel


def test_an_addressed_pledge_has_no_nearest_panel(staff_curator, world):
    assert 'id="nearest"' not in staff_curator.get(curate_url(world.gdp)).content.decode()


def test_curating_evidence_is_a_human_check_with_its_reason_in_the_history(world):
    # Issue 13: accepting or rejecting a span means a person looked at the verdict.
    from tracker import selectors, services
    from tracker.models import Evidence, Verdict

    evidence = Evidence.objects.filter(pledge__verdict__isnull=False).select_related("pledge__verdict").first()
    verdict = evidence.pledge.verdict
    assert verdict.confirmed_at is None and evidence.pledge_id in set(selectors.review_queue().values_list("pk", flat=True))
    curator = get_user_model().objects.create_user("editor-wang")
    services.evidence_curate(evidence_id=evidence.pk, accept=False, user=curator, expected_version=evidence.version,
                             reason="说的是另一条铁路")
    verdict = Verdict.objects.get(pk=verdict.pk)
    assert verdict.is_human_confirmed and verdict.confirmed_by == curator
    assert evidence.pledge_id not in set(selectors.review_queue().values_list("pk", flat=True))
    latest = selectors.verdict_history(verdict.pk).first()
    assert latest.history_user == curator and "evidence rejected" in latest.history_change_reason
    record = Evidence.history.filter(id=evidence.pk).order_by("-history_date").first()
    assert record.history_change_reason == "evidence rejected: 说的是另一条铁路" and record.history_user == curator


def test_next_in_queue_survives_an_override_and_the_index_links_the_queue(staff_curator, world):
    from tracker import selectors

    queue = list(selectors.review_queue().values_list("pk", flat=True))
    assert len(queue) >= 2
    first = models.Pledge.objects.get(pk=queue[0])
    url = reverse("admin:tracker_pledge_curate", args=[first.pk])
    form = {"override_status": "missed", "override_reason": "核对原文", "verdict_version": first.verdict.version}
    staff_curator.post(url, form)
    page = staff_curator.get(url).content.decode()
    assert reverse("admin:tracker_pledge_curate", args=[queue[1]]) in page
    index = staff_curator.get(reverse("admin:index")).content.decode()
    assert 'data-testid="queue-link"' in index and "?curation=todo" in index

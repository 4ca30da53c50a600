"""Issues 15.2 and 13: a curator's screen opened before a re-track run by a real worker.

The curator opens the curation screen, an operator re-tracks the plan through the API, a
real `celery worker` runs it, then the curator saves. A span the re-run found again keeps
its row, so the decision lands on it; a span the re-run no longer finds is refused with
"the machine re-ran, reload" (admin) or 409 `machine_reran` (API), with nothing half-applied.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories as f
from tests.integration.test_worker import _store, _wait_for
from tracker import services
from tracker.models import Curation, Evidence, EvidenceOrigin, Tracking, Verdict

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


def _token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_a_screen_opened_before_a_worker_re_track_keeps_or_refuses_its_decisions(worker_factory, monkeypatch):
    plan, review = _store("national-2023.txt", 2023), _store("national-2024.txt", 2024)
    with monkeypatch.context() as patch:
        patch.setattr(services, "_document_neighbours_track", lambda document: None)
        services.document_process(review.pk)
        services.document_process(plan.pk)
    first = services.pair_track(plan.pk)
    evidence = Evidence.objects.filter(pledge__document=plan, origin=EvidenceOrigin.MACHINE).order_by("pk")
    kept = evidence.first()
    other = evidence.exclude(pledge=kept.pledge).first()
    # A span the last run found and this run will not (the machine changed its mind about it).
    gone = f.EvidenceFactory(pledge=other.pledge, review_document=review, text=review.text[0:6], start=0, end=6,
                             score=12.0)
    ids_before = set(evidence.values_list("pk", flat=True))

    curator = f.CuratorFactory(username="curator-screen", is_staff=True)
    screen = Client()
    screen.force_login(curator)
    for pledge in (kept.pledge, other.pledge):
        page = screen.get(reverse("admin:tracker_pledge_curate", args=[pledge.pk])).content.decode()
        assert f'name="evidence_{kept.pk if pledge == kept.pledge else gone.pk}"' in page
    kept_verdict = Verdict.objects.get(pledge=kept.pledge)
    other_verdict = Verdict.objects.get(pledge=other.pledge)

    worker = worker_factory()
    operator = f.OperatorFactory(username="operator-retrack")
    response = _token_client(operator).post("/api/trackings/", {"plan_document": plan.pk}, format="json")
    assert response.status_code == 202
    assert _wait_for(lambda: Tracking.objects.filter(pk=first.pk, state="done", finished_at__gt=first.finished_at)
                     .exists()), "the worker never re-tracked the plan"
    assert _wait_for(lambda: worker.ran("tracker.pair_track") == 1, timeout=15)

    # Same pledge, same review span, same row: every id the screens hold still exists.
    assert ids_before - {gone.pk} <= set(evidence.values_list("pk", flat=True))
    assert not Evidence.objects.filter(pk=gone.pk).exists()

    saved = screen.post(reverse("admin:tracker_pledge_curate", args=[kept.pledge.pk]), {
        "action": "save", "verdict_version": kept_verdict.version,
        f"evidence_{kept.pk}": "reject", f"evidence_version_{kept.pk}": kept.version,
    }, follow=True)
    assert "已保存。" in saved.content.decode()  # the admin speaks Chinese unless switched
    assert Evidence.objects.get(pk=kept.pk).curation == Curation.REJECTED

    refused = screen.post(reverse("admin:tracker_pledge_curate", args=[other.pledge.pk]), {
        "action": "save", "verdict_version": other_verdict.version,
        f"evidence_{gone.pk}": "reject", f"evidence_version_{gone.pk}": gone.version,
        f"evidence_{other.pk}": "accept", f"evidence_version_{other.pk}": other.version,
        "override_status": "missed", "override_reason": "审议稿未提及",
    }, follow=True)
    assert "机器对这项承诺重新运行" in refused.content.decode()  # "the machine re-ran on this pledge…, reload"
    # Nothing half-applied: neither the override nor the decision on the span that still exists.
    assert Verdict.objects.get(pk=other_verdict.pk).override_status == ""
    assert Evidence.objects.get(pk=other.pk).curation == Curation.NONE

    api = _token_client(curator).post(f"/api/evidence/{gone.pk}/curate/", {"decision": "reject", "version": 1},
                                      format="json")
    assert api.status_code == 409
    assert api.json()["error"]["code"] == "machine_reran"
    # An id that never existed is still simply not found.
    assert _token_client(curator).post("/api/evidence/987654321/curate/", {"decision": "reject", "version": 1},
                                       format="json").status_code == 404

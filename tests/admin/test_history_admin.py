"""The audit history says who and what (issue 13): machine rows are the machine's, an empty
reference is not a "Deleted … (pk=None)", and the first verdict is not a "re-run"."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories as f
from tests.services.conftest import national, sample_bytes  # noqa: F401 - shared fixtures
from tracker import services
from tracker.models import Evidence, Status, Verdict

pytestmark = pytest.mark.django_db


@pytest.fixture
def judged_after_pending(national, sample_bytes):  # noqa: F811
    """A plan tracked while its review was not in (pending), then again once it came in."""
    plan = services.document_ingest(
        filename="national-2023.txt", data=sample_bytes("national-2023.txt"), jurisdiction=national, year=2023
    )
    services.pair_track(plan.pk)
    assert set(Verdict.objects.filter(pledge__document=plan).values_list("status", flat=True)) == {Status.PENDING}
    services.document_ingest(
        filename="national-2024.txt", data=sample_bytes("national-2024.txt"), jurisdiction=national, year=2024
    )
    services.pair_track(plan.pk)
    return plan


def _reasons(verdict: Verdict) -> list[str]:
    return list(verdict.history.order_by("history_date", "history_id").values_list("history_change_reason", flat=True))


def test_the_first_verdict_after_pending_is_not_a_rerun(judged_after_pending):
    verdict = Verdict.objects.filter(pledge__document=judged_after_pending).exclude(review_document=None).first()
    assert _reasons(verdict) == [services.MACHINE_PENDING, services.MACHINE_FIRST]
    # A later change of the machine's verdict is the re-run.
    Verdict.objects.filter(pk=verdict.pk).update(machine_confidence=0.0123)
    services.pair_track(judged_after_pending.pk)
    assert _reasons(verdict)[-1] == services.MACHINE_RERUN
    assert all(h.history_user is None for h in verdict.history.all())


def test_admin_history_shows_who_and_what(judged_after_pending):
    curator = f.CuratorFactory(username="editor-li")
    verdict = Verdict.objects.filter(pledge__document=judged_after_pending).exclude(review_document=None).first()
    services.verdict_confirm(verdict_id=verdict.pk, user=curator, expected_version=verdict.version)
    evidence = Evidence.objects.filter(pledge__document=judged_after_pending).first()
    services.evidence_curate(evidence_id=evidence.pk, accept=True, user=curator, expected_version=evidence.version,
                             reason="审议稿原文")
    admin = Client()
    admin.force_login(f.UserFactory(username="boss", is_staff=True, is_superuser=True))
    for url in (f"/admin/tracker/verdict/{verdict.pk}/history/", f"/admin/tracker/evidence/{evidence.pk}/history/"):
        html = admin.get(url).content.decode()
        assert "pk=None" not in html, url  # confirmed_by / review_document / curated_by were only empty
        assert "editor-li" in html, url
    verdict_html = admin.get(f"/admin/tracker/verdict/{verdict.pk}/history/").content.decode()
    # The machine's rows say so (simple-history would print "None"), with the reason that is true.
    assert verdict_html.count("机器") >= 2 and "<td>\n            \n              无" not in verdict_html
    # The reasons in the screen's language: 机器首次判定 (first machine verdict), never 重新运行后… (re-run).
    assert "机器首次判定" in verdict_html and "重新运行后机器判定改变" not in verdict_html
    assert services.MACHINE_RERUN not in verdict_html

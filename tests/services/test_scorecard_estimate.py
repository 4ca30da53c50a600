"""The learned scorecard in the database: scored pledges only, the estimate stored and kept in step
with curation, a curator's "is / is not a pledge" surviving re-runs (PostgreSQL, a real corpus pair)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import CuratorFactory
from tracker import selectors, services
from tracker.models import Level, Pledge, Status, Verdict

pytestmark = pytest.mark.django_db

STATUSES = ("fulfilled", "partial", "missed", "dropped")


CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


@pytest.fixture
def tracked(db):
    """Guangdong's 2025 plan (560 items, the longest labelled plan) judged against its 2026 review."""
    plan_path, review_path = CORPUS / "provincial/guangdong-2025.docx", CORPUS / "provincial/guangdong-2026.txt"
    if not plan_path.exists() or not review_path.exists():
        pytest.skip(f"corpus not found at {CORPUS}")
    province = services.jurisdiction_get_or_create(name="广东省", level=Level.PROVINCE)
    plan = services.document_ingest(filename=plan_path.name, data=plan_path.read_bytes(), jurisdiction=province,
                                    year=2025)
    services.document_ingest(filename=review_path.name, data=review_path.read_bytes(), jurisdiction=province,
                             year=2026)
    tracking = services.pair_track(plan.pk)
    assert tracking.state == "done", tracking.error
    return plan, tracking


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8-sig")


def _general(plan) -> Verdict:
    return Verdict.objects.filter(pledge__document=plan, scored=False).select_related("pledge").first()


def test_a_run_stores_probabilities_pledge_ness_and_the_estimate(tracked):
    plan, tracking = tracked
    verdicts = list(Verdict.objects.filter(pledge__document=plan))
    assert verdicts and all(0.0 <= v.p_pledge <= 1.0 for v in verdicts)
    judged = [v for v in verdicts if v.status != Status.PENDING]
    assert all(abs(sum(v.probabilities.values()) - 1.0) < 1e-3 for v in judged)
    assert any(not v.scored for v in verdicts), "the model sets some general commitments apart"
    assert all(v.scored == v.machine_scored for v in verdicts)
    tracking.refresh_from_db()
    assert abs(sum(tracking.scorecard.values()) - 1.0) < 1e-3
    for status in STATUSES:
        lo, hi = tracking.scorecard_interval[status]
        assert lo <= tracking.scorecard[status] <= hi


def test_counts_are_of_scored_pledges_and_the_card_carries_the_estimate(tracked):
    plan, tracking = tracked
    card = selectors.scorecard(plan.jurisdiction_id, 2025)
    every = Pledge.objects.filter(document=plan).count()
    general = Verdict.objects.filter(pledge__document=plan, scored=False).count()
    assert general > 0 and card.total == every - general and card.general == general
    tracking.refresh_from_db()
    assert card.estimate == tracking.scorecard and card.interval == tracking.scorecard_interval
    comparison = dict(selectors.scorecard_comparison(2025))
    assert [c.total for c in comparison.values()] == [card.total]
    assert list(comparison.values())[0].estimate == tracking.scorecard


def test_a_curator_saying_not_a_pledge_survives_a_re_run_and_moves_the_estimate(tracked):
    plan, tracking = tracked
    curator = CuratorFactory()
    verdict = Verdict.objects.filter(pledge__document=plan, scored=True, status=Status.DROPPED).order_by("-p_pledge")[0]
    before = selectors.scorecard(plan.jurisdiction_id, 2025)
    services.verdict_scored_set(verdict_id=verdict.pk, scored=False, reason="方向性表述", user=curator,
                                expected_version=verdict.version)
    after = selectors.scorecard(plan.jurisdiction_id, 2025)
    assert after.total == before.total - 1
    assert after.estimate["dropped"] < before.estimate["dropped"]
    services.pair_track(plan.pk)  # the machine again: it writes machine_scored, never the curator's call
    verdict.refresh_from_db()
    assert (verdict.scored, verdict.scored_override, verdict.machine_scored) == (False, False, True)
    assert selectors.scorecard(plan.jurisdiction_id, 2025).total == after.total
    history = list(verdict.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert any(r and r.startswith("not a checkable pledge") for r in history)


def test_a_curated_status_counts_as_certain_in_the_estimate(tracked):
    plan, tracking = tracked
    curator = CuratorFactory()
    dropped = list(Verdict.objects.filter(pledge__document=plan, scored=True, status=Status.DROPPED).order_by("-p_pledge")[:10])
    tracking.refresh_from_db()
    before = tracking.scorecard["fulfilled"]
    for v in dropped:
        services.verdict_override(verdict_id=v.pk, status="fulfilled", reason="回顾中有", user=curator,
                                  expected_version=v.version)
    tracking.refresh_from_db()
    # ten of about two hundred weighted pledges, now certain: the share moves by about their weight
    assert tracking.scorecard["fulfilled"] > before + 0.025
    assert Verdict.objects.get(pk=dropped[0].pk).probability == 1.0


def test_a_general_commitment_given_back_to_the_model_takes_the_machine_call(tracked):
    plan, _ = tracked
    curator = CuratorFactory()
    general = _general(plan)
    services.verdict_scored_set(verdict_id=general.pk, scored=True, reason="有明确成果", user=curator,
                                expected_version=general.version)
    general.refresh_from_db()
    assert general.scored is True
    services.verdict_scored_set(verdict_id=general.pk, scored=None, reason="", user=curator,
                                expected_version=general.version)
    general.refresh_from_db()
    assert (general.scored, general.scored_override) == (False, None)
    with pytest.raises(services.CurationError, match="needs a reason"):
        services.verdict_scored_set(verdict_id=general.pk, scored=False, reason=" ", user=curator,
                                    expected_version=general.version)


def test_api_fields_filter_and_the_curation_endpoint(tracked):
    plan, tracking = tracked
    anon = APIClient()
    general_page = anon.get("/api/pledges/", {"document": plan.pk, "scored": "false", "page_size": 500}).json()
    rows = general_page["results"]
    assert rows and all(r["scored"] is False for r in rows)
    scored = anon.get("/api/pledges/", {"document": plan.pk, "scored": "true", "page_size": 500}).json()["count"]
    assert scored + general_page["count"] == Pledge.objects.filter(document=plan).count()
    detail = anon.get(f"/api/pledges/{rows[0]['id']}/").json()["verdict"]
    assert set(detail["probabilities"]) == set(STATUSES) and detail["scored"] is False
    assert detail["probability"] == pytest.approx(detail["probabilities"][detail["status"]])
    body = anon.get("/api/scorecards/", {"jurisdiction": plan.jurisdiction_id, "plan_year": 2025}).json()
    tracking.refresh_from_db()
    assert body["scorecard"] == tracking.scorecard and body["scorecard_interval"] == tracking.scorecard_interval
    assert body["general_commitments"] == general_page["count"]
    # only a curator may say what is a pledge
    assert anon.post(f"/api/pledges/{rows[0]['id']}/scored/", {"scored": True, "reason": "x"}, format="json").status_code == 401
    curator = APIClient()
    curator.force_authenticate(CuratorFactory())
    answer = curator.post(f"/api/pledges/{rows[0]['id']}/scored/",
                          {"scored": True, "reason": "有数字", "version": detail["version"]}, format="json")
    assert answer.status_code == 200 and answer.json()["verdict"]["scored"] is True


def test_dashboard_shows_the_estimate_interval_general_section_and_method(tracked):
    plan, tracking = tracked
    tracking.refresh_from_db()
    client = Client()
    page = client.get(f"/scorecard/{plan.jurisdiction_id}/2025/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    lo, hi = (round(100 * x) for x in tracking.scorecard_interval["dropped"])
    assert f"约 {lo}–{hi}% 在回顾中未再提及" in page
    assert "一般性表述（不计入评分）" in page and 'data-testid="general"' in page
    assert "经人工核对" in page and "/method/" in page
    general = _general(plan)
    method = client.get("/method/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "实测准确度" in method and "guangdong-2025" in method and "回顾中没有提到它" in method
    csv = _body(client.get(f"/scorecard/{plan.jurisdiction_id}/2025/general.csv"))
    assert general.pledge.text[:10] in csv
    statuses = _body(client.get(f"/scorecard/{plan.jurisdiction_id}/2025/statuses.csv"))
    assert statuses.splitlines()[0] == "status,count,share,estimate,estimate_low,estimate_high"
    assert f"{tracking.scorecard['dropped']:.4f}" in statuses


def test_home_page_and_its_csv_state_the_estimate_not_the_hard_counts(tracked):
    plan, tracking = tracked
    tracking.refresh_from_db()
    client = Client()
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    f, d = (round(100 * tracking.scorecard[s]) for s in ("fulfilled", "dropped"))
    assert f"估计约 {f}% 已完成，{d}% 未再提及" in home
    # the bar is drawn from the estimate: its dropped segment has the estimated width
    assert f'class="bar-dropped" style="width: {100 * tracking.scorecard["dropped"]:.1f}%"' in home
    rows = _body(client.get("/governments.csv")).splitlines()
    header, row = rows[0].split(","), rows[1].split(",")
    cells = dict(zip(header, row, strict=True))
    assert cells["dropped_estimate"] == f"{tracking.scorecard['dropped']:.4f}"
    assert cells["dropped_estimate_low"] == f"{tracking.scorecard_interval['dropped'][0]:.4f}"
    card = selectors.dashboard_governments()[0]["scorecard"]
    assert card.general == Verdict.objects.filter(pledge__document=plan, scored=False).count() > 0


def test_pledge_page_states_the_probability_in_words(tracked):
    plan, _ = tracked
    verdict = Verdict.objects.filter(pledge__document=plan, scored=True).exclude(probabilities={}).first()
    page = Client().get(f"/pledge/{verdict.pledge_id}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    p = verdict.probability
    words = "很可能" if p >= 0.8 else "可能" if p >= 0.55 else "不确定"
    assert f'data-testid="probability-words">{words}<' in page
    general = _general(plan)
    page = Client().get(f"/pledge/{general.pledge_id}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "一般性表述：列出，但不计入评分卡。" in page

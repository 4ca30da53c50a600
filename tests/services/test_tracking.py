"""pair_track: verdicts for every pledge, re-runs replace machine output only."""

import pytest

from tests.factories import UserFactory
from tracker import selectors, services
from tracker.models import Evidence, EvidenceOrigin, Level, NearestPassage, Status, Tracking, Verdict

pytestmark = pytest.mark.django_db


def test_a_plan_without_its_review_is_pending(national, sample_bytes):
    plan = services.document_ingest(
        filename="national-2025.txt", data=sample_bytes("national-2025.txt"), jurisdiction=national, year=2025
    )
    tracking = services.pair_track(plan.pk)
    assert tracking.state == "done" and tracking.review_document is None
    statuses = set(Verdict.objects.filter(pledge__document=plan).values_list("status", flat=True))
    assert statuses == {Status.PENDING}


def test_tracking_a_real_pair_gives_every_pledge_a_verdict(national_pair):
    plan, review = national_pair
    tracking = services.pair_track(plan.pk)
    assert tracking.state == "done", tracking.error
    assert tracking.review_document_id == review.pk
    pledges = plan.pledges.count()
    assert Verdict.objects.filter(pledge__document=plan).count() == pledges
    card = selectors.scorecard(plan.jurisdiction_id, 2023)
    assert card.total == pledges
    assert card.counts["pending"] == 0
    assert card.counts["fulfilled"] > 0 and card.counts["dropped"] > 0
    # Evidence spans point into the review's cleaned text.
    for evidence in Evidence.objects.filter(pledge__document=plan)[:30]:
        assert review.text[evidence.start : evidence.end] == evidence.text


def test_rerun_is_idempotent(national_pair):
    plan, _ = national_pair
    services.pair_track(plan.pk)
    before = (
        list(Verdict.objects.order_by("pk").values_list("pk", "status", "version")),
        sorted(Evidence.objects.values_list("pledge_id", "start", "end")),
        sorted(NearestPassage.objects.values_list("pledge_id", "rank", "start", "end")),
    )
    services.pair_track(plan.pk)
    after = (
        list(Verdict.objects.order_by("pk").values_list("pk", "status", "version")),
        sorted(Evidence.objects.values_list("pledge_id", "start", "end")),
        sorted(NearestPassage.objects.values_list("pledge_id", "rank", "start", "end")),
    )
    assert before == after
    # One tracking row per plan document and year, however often it runs (the 2024 report,
    # a plan itself, has its own).
    assert Tracking.objects.filter(plan_document=plan).count() == 1


def test_overrides_and_curated_evidence_survive_reruns(national_pair):
    plan, review = national_pair
    services.pair_track(plan.pk)
    curator = UserFactory()
    verdict = Verdict.objects.filter(pledge__document=plan, machine_status=Status.DROPPED).first()
    services.verdict_override(
        verdict_id=verdict.pk, status=Status.FULFILLED, reason="named in the review's annex", user=curator,
        expected_version=verdict.version,
    )
    added = services.evidence_add(pledge_id=verdict.pledge_id, start=10, end=40, user=curator)
    machine = Evidence.objects.filter(origin=EvidenceOrigin.MACHINE).first()
    services.evidence_curate(evidence_id=machine.pk, accept=False, user=curator, expected_version=machine.version)

    services.pair_track(plan.pk)
    services.pair_track(plan.pk)

    verdict.refresh_from_db()
    assert verdict.status == Status.FULFILLED and verdict.override_reason == "named in the review's annex"
    assert verdict.machine_status == Status.DROPPED
    assert Evidence.objects.filter(pk=added.pk, origin=EvidenceOrigin.CURATOR).exists()
    assert Evidence.objects.get(pk=machine.pk).curation == "rejected"
    assert verdict.history.filter(history_user=curator).exists()


def test_stale_curation_write_changes_nothing(national_pair):
    plan, _ = national_pair
    services.pair_track(plan.pk)
    verdict = Verdict.objects.filter(pledge__document=plan).first()
    old = verdict.version
    services.verdict_override(verdict_id=verdict.pk, status="missed", reason="r1", user=None, expected_version=old)
    with pytest.raises(services.StaleVersion):
        services.verdict_override(verdict_id=verdict.pk, status="partial", reason="r2", user=None, expected_version=old)
    verdict.refresh_from_db()
    assert (verdict.status, verdict.override_reason) == ("missed", "r1")


def test_override_clear_restores_machine_status(national_pair):
    plan, _ = national_pair
    services.pair_track(plan.pk)
    verdict = Verdict.objects.filter(pledge__document=plan).first()
    machine = verdict.machine_status
    other = Status.MISSED if machine != Status.MISSED else Status.PARTIAL
    verdict = services.verdict_override(verdict_id=verdict.pk, status=other, reason="x", user=None, expected_version=None)
    assert verdict.status == other and verdict.confidence == 1.0
    verdict = services.verdict_override_clear(verdict_id=verdict.pk, user=None, expected_version=verdict.version)
    assert verdict.status == machine


def test_evidence_add_refuses_offsets_outside_the_review(national_pair):
    plan, review = national_pair
    services.pair_track(plan.pk)
    pledge = plan.pledges.first()
    with pytest.raises(services.CurationError):
        services.evidence_add(pledge_id=pledge.pk, start=len(review.text) - 1, end=len(review.text) + 5, user=None)


def test_jurisdiction_fan_out_one_tracking_per_plan(national, sample_bytes, django_capture_on_commit_callbacks):
    for year in (2023, 2024, 2025):
        services.document_ingest(
            filename=f"national-{year}.txt", data=sample_bytes(f"national-{year}.txt"), jurisdiction=national, year=year
        )
    # Tasks start on commit; eager Celery runs them in-process when the callbacks fire.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.jurisdiction_track_request(national.pk)
    assert len(callbacks) == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.jurisdiction_track_request(national.pk)
    assert Tracking.objects.count() == 3
    progress = selectors.tracking_progress(national.pk)
    assert progress["done"] == 3 and progress["total"] == 3
    pending = Verdict.objects.filter(pledge__plan_year=2025).values_list("status", flat=True).distinct()
    assert list(pending) == [Status.PENDING]
    reviewed = Verdict.objects.filter(pledge__plan_year=2024).exclude(status=Status.PENDING)
    assert reviewed.exists()


def test_near_duplicate_copy_is_marked(national, sample_bytes):
    original = sample_bytes("national-2023.txt").decode("utf-8")
    services.document_ingest(filename="a.txt", data=original.encode("utf-8"), jurisdiction=national, year=2023)
    copy = original.replace("。", "。\n", 50) + "\n温馨提示：本网站转载。"
    second = services.document_ingest(filename="b.txt", data=copy.encode("utf-8"), jurisdiction=national, year=2023)
    assert second.near_duplicate_of is not None
    assert second.near_duplicate_similarity >= services.NEAR_DUPLICATE_THRESHOLD
    other = services.jurisdiction_get_or_create(name="浙江省", level=Level.PROVINCE)
    third = services.document_ingest(
        filename="zhejiang-2025.docx", data=sample_bytes("zhejiang-2025.docx"), jurisdiction=other, year=2025
    )
    assert third.near_duplicate_of is None


def test_evidence_records_the_review_section_it_stands_in(national_pair):
    plan, review = national_pair
    services.pair_track(plan.pk)
    spans = Evidence.objects.filter(pledge__document=plan).select_related("section")
    assert spans.exists()
    for evidence in spans:
        assert evidence.section is not None and evidence.section.document_id == review.pk
        assert evidence.section.start <= evidence.start < evidence.section.end


def test_a_failed_rerun_of_the_review_keeps_the_pair_trackable(national_pair, monkeypatch):
    plan, review = national_pair
    services.pair_track(plan.pk)
    before = dict(Verdict.objects.filter(pledge__document=plan).values_list("pledge_id", "machine_status"))

    def broken(*args, **kwargs):
        raise RuntimeError("pipeline bug")

    monkeypatch.setattr(services, "document_read", broken)
    assert services.document_process(review.pk).state == "failed"
    tracking = services.pair_track(plan.pk)
    assert tracking.state == "done" and tracking.review_document_id == review.pk
    assert dict(Verdict.objects.filter(pledge__document=plan).values_list("pledge_id", "machine_status")) == before


def test_machine_verdicts_enter_the_audit_history(national_pair):
    plan, _ = national_pair
    services.pair_track(plan.pk)
    verdict = Verdict.objects.filter(pledge__document=plan).first()
    first = verdict.history.get()
    assert first.history_change_reason == services.MACHINE_FIRST and first.history_user is None
    services.pair_track(plan.pk)  # nothing changed: no new history rows
    assert verdict.history.count() == 1
    services.verdict_override(verdict_id=verdict.pk, status="missed", reason="review says it slipped", user=None,
                              expected_version=verdict.version)
    assert [h.status for h in verdict.history.order_by("history_date")] == [verdict.machine_status, "missed"]


def test_pledge_curate_applies_all_decisions_or_none(national_pair):
    plan, _ = national_pair
    services.pair_track(plan.pk)
    evidence = Evidence.objects.filter(origin=EvidenceOrigin.MACHINE).select_related("pledge__verdict").first()
    verdict = evidence.pledge.verdict
    other = Evidence.objects.exclude(pledge=evidence.pledge).first()
    decisions = {evidence.pk: (False, evidence.version), other.pk: (False, other.version)}
    with pytest.raises(services.StaleVersion):
        services.pledge_curate(pledge_id=verdict.pledge_id, evidence_decisions=decisions, override_status="missed",
                               override_reason="r", user=None, expected_version=verdict.version - 1)
    assert Evidence.objects.get(pk=evidence.pk).curation == ""  # rolled back with the stale override
    assert services.pledge_curate(pledge_id=verdict.pledge_id, evidence_decisions=decisions, override_status="missed",
                                  override_reason="r", user=None, expected_version=verdict.version)
    assert Evidence.objects.get(pk=evidence.pk).curation == "rejected"
    assert Evidence.objects.get(pk=other.pk).curation == ""  # another pledge's span is not curated from here
    assert Verdict.objects.get(pk=verdict.pk).status == "missed"


def test_a_dropped_verdict_keeps_the_review_passages_nearest_to_its_pledge(national_pair):
    plan, review = national_pair
    services.pair_track(plan.pk)
    passages = list(NearestPassage.objects.filter(pledge__document=plan))
    verdicts = Verdict.objects.filter(pledge__document=plan, machine_status=Status.DROPPED)
    dropped = set(verdicts.values_list("pledge_id", flat=True))
    assert passages and {n.pledge_id for n in passages} <= dropped
    assert len({n.pledge_id for n in passages}) > len(dropped) / 2
    for n in passages:
        assert n.review_document_id == review.pk
        assert review.text[n.start : n.end] == n.text
    by_pledge: dict[int, list[NearestPassage]] = {}
    for n in passages:
        by_pledge.setdefault(n.pledge_id, []).append(n)
    for rows in by_pledge.values():
        rows.sort(key=lambda n: n.rank)
        assert [n.rank for n in rows] == list(range(1, len(rows) + 1))
        assert [n.score for n in rows] == sorted((n.score for n in rows), reverse=True)


def test_a_nearest_passage_a_curator_adds_as_evidence_survives_reruns(national_pair):
    plan, _ = national_pair
    services.pair_track(plan.pk)
    curator = UserFactory()
    near = NearestPassage.objects.filter(pledge__document=plan, rank=1).first()
    added = services.evidence_add(pledge_id=near.pledge_id, start=near.start, end=near.end, user=curator)
    assert added.text == near.text and added.origin == EvidenceOrigin.CURATOR

    services.pair_track(plan.pk)

    assert Evidence.objects.filter(pk=added.pk, curation="accepted").exists()
    assert NearestPassage.objects.filter(pledge_id=near.pledge_id, start=near.start, end=near.end).count() == 1


def test_a_plan_without_its_review_has_no_nearest_passages(national, sample_bytes):
    plan = services.document_ingest(
        filename="national-2025.txt", data=sample_bytes("national-2025.txt"), jurisdiction=national, year=2025
    )
    services.pair_track(plan.pk)
    assert not NearestPassage.objects.filter(pledge__document=plan).exists()

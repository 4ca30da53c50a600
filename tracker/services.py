"""The only code that writes tracker rows.

Every service is safe to run twice: rows are keyed by unique constraints (content
hash, spans) and machine output is replaced while human curation is kept.
Curation services take the version the curator saw and refuse a stale write
(compare-and-set), so two curators never silently overwrite each other.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Min, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from tracker.models import (
    Curation,
    Document,
    Evidence,
    EvidenceOrigin,
    Jurisdiction,
    NearestPassage,
    Pledge,
    ProcessingState,
    Section,
    Status,
    Tracking,
    Verdict,
)
from tracker.pipeline.calibrate import STATUSES as CALIBRATED_STATUSES
from tracker.pipeline.calibrate import Assessment, pledges_assess, scorecard_estimate
from tracker.pipeline.ingest import decode_file
from tracker.pipeline.judge import pledges_judge, pledges_pending
from tracker.pipeline.read import document_read, report_with_plan, report_with_review
from tracker.pipeline.similarity import text_similarity
from tracker.pipeline.types import PipelineError, PledgeSpan, SectionSpan, Target
from tracker.pipeline.types import Verdict as VerdictResult
from tracker.services_chain import chain_build_quietly

logger = logging.getLogger(__name__)

YEAR_MIN, YEAR_MAX = 1949, 2100
# Two copies of one report from different sites score well above this; two
# different governments' reports of the same year stay far below it.
NEAR_DUPLICATE_THRESHOLD = 0.6


class IngestError(ValueError):
    """Bad input refused before anything is written; the message names the file."""


class StaleVersion(Exception):
    """A curation write was based on a version that is no longer current."""

    def __init__(self, current_version: int):
        super().__init__(f"stale version: the current version is {current_version}")
        self.current_version = current_version


class EvidenceReplaced(Exception):
    """A decision on an evidence span that a re-run of the machine has since removed."""

    def __init__(self, evidence_ids: list[int]):
        super().__init__(
            "the machine re-ran after you opened this pledge and replaced evidence "
            + ", ".join(str(i) for i in evidence_ids) + "; reload it: nothing was saved"
        )
        self.evidence_ids = evidence_ids


class CurationError(ValueError):
    """A curation request that cannot be applied (bad status, offsets out of range…)."""


class QueueUnavailable(Exception):
    """The row is committed but its task could not be sent: the broker is unreachable.

    The row stays queued with the reason in its `error`; the stuck sweep sends it once the
    broker is back, so nothing waits forever for a task that was never sent.
    """

    def __init__(self, row, reason: str):
        super().__init__(reason)
        self.row = row
        self.reason = reason


# Prefix of the `error` of a row whose task could not be sent; the sweep re-sends those at once.
NOT_QUEUED = "not queued:"


def _broker_errors() -> tuple[type[BaseException], ...]:
    # Celery wraps a refused connection in kombu's OperationalError after its publish retries;
    # a Redis that drops mid-send surfaces as redis' own error.
    from kombu.exceptions import OperationalError as KombuOperationalError
    from redis.exceptions import RedisError

    return (KombuOperationalError, RedisError, ConnectionError)


def _task_send(task, row, *args, raise_unavailable: bool = True) -> None:
    """Send a task for a committed row; if the broker is down, say so on the row."""
    try:
        task.delay(*args)
    except _broker_errors() as exc:
        reason = (
            f"{NOT_QUEUED} the task queue was unreachable ({exc.__class__.__name__}); "
            "the stuck sweep sends it when it is back"
        )
        logger.warning("%s %s: %s", type(row).__name__, row.pk, reason)
        type(row).objects.filter(pk=row.pk, state=ProcessingState.QUEUED).update(error=reason)
        if raise_unavailable:
            raise QueueUnavailable(row, reason) from exc


def _task_send_on_commit(task, row, *args, raise_unavailable: bool = True) -> None:
    """Send only once the row is committed, so the worker always finds it.

    A send that raises is after the commit: the row exists, queued, and either the caller
    hears QueueUnavailable (an upload answers 503) or, inside a worker, it is only logged
    (robust: the other rows of that commit still get their tasks).
    """
    transaction.on_commit(
        lambda: _task_send(task, row, *args, raise_unavailable=raise_unavailable), robust=not raise_unavailable
    )


# --- jurisdictions and documents -------------------------------------------------


def jurisdiction_get_or_create(*, name: str, level: str, parent: Jurisdiction | None = None) -> Jurisdiction:
    name = name.strip()
    if not name:
        raise IngestError("a jurisdiction needs a name")
    jurisdiction, _ = Jurisdiction.objects.get_or_create(name=name, parent=parent, defaults={"level": level})
    return jurisdiction


def filename_clean(filename: str) -> str:
    """The name as shown in messages: no path, no control characters, so an error stays one line."""
    name = "".join(ch if ch.isprintable() else " " for ch in filename.replace("\\", "/").rsplit("/", 1)[-1])
    return name.strip()[:255] or "unnamed"


def document_validate(*, filename: str, data: bytes, year: int) -> None:
    """Refuse what can never become a document, before any row is written."""
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise IngestError(f"{filename}: year {year} is out of range ({YEAR_MIN}-{YEAR_MAX})")
    if len(data) > settings.TRACKER_MAX_UPLOAD_BYTES:
        raise IngestError(
            f"{filename}: file is too large ({len(data)} bytes, limit {settings.TRACKER_MAX_UPLOAD_BYTES})"
        )
    try:
        decode_file(filename, data)
    except PipelineError as exc:
        raise IngestError(str(exc)) from exc


def document_create(
    *,
    filename: str,
    data: bytes,
    jurisdiction: Jurisdiction,
    year: int,
    title: str = "",
    source_url: str = "",
    delivered_on: date | None = None,
) -> tuple[Document, bool]:
    """Store a file as a queued document; the same bytes twice give the same row.

    Storing the same bytes again with a source URL or delivery date fills them in where the
    first copy had none (a manifest that learnt its sources later), and never overwrites them.
    """
    filename = filename_clean(filename)
    document_validate(filename=filename, data=data, year=year)
    content_hash = hashlib.sha256(data).hexdigest()
    document, created = Document.objects.get_or_create(
        jurisdiction=jurisdiction,
        content_hash=content_hash,
        defaults={
            "year": year,
            "filename": filename,
            "title": title,
            "source_url": source_url,
            "delivered_on": delivered_on,
            "original_file": data,
        },
    )
    if not created:
        known = {"source_url": source_url, "delivered_on": delivered_on}
        missing = {k: v for k, v in known.items() if v and not getattr(document, k)}
        if missing:
            Document.objects.filter(pk=document.pk).update(**missing)
            for key, value in missing.items():
                setattr(document, key, value)
    return document, created


def document_upload(
    *,
    filename: str,
    data: bytes,
    jurisdiction_name: str,
    level: str,
    year: int,
    parent: Jurisdiction | None = None,
    title: str = "",
    source_url: str = "",
    delivered_on: date | None = None,
    reprocess: bool = False,
) -> tuple[Document, bool]:
    """Store an uploaded file and queue its processing (the API path); the same bytes twice give one row.

    Uploading bytes already stored queues them again only when they never got through
    (failed) or when `reprocess` (the uploader may re-run tracking): re-processing a done
    report re-tracks its plans, which must not be open to anyone who can upload.
    """
    from tracker import tasks  # tasks import services; a top-level import would be circular

    with transaction.atomic():
        jurisdiction = jurisdiction_get_or_create(name=jurisdiction_name, level=level, parent=parent)
        document, created = document_create(
            filename=filename, data=data, jurisdiction=jurisdiction, year=year, title=title, source_url=source_url,
            delivered_on=delivered_on,
        )
        if created or reprocess or document.state == ProcessingState.FAILED:
            _task_send_on_commit(tasks.document_process_task, document, document.pk)
    return document, created


def document_ingest(
    *,
    filename: str,
    data: bytes,
    jurisdiction: Jurisdiction,
    year: int,
    title: str = "",
    source_url: str = "",
    delivered_on: date | None = None,
) -> Document:
    """Store and process a document in this process (the command-line path)."""
    document, _ = document_create(
        filename=filename, data=data, jurisdiction=jurisdiction, year=year, title=title, source_url=source_url,
        delivered_on=delivered_on,
    )
    return document_process(document.pk)


def document_process(document_id: int) -> Document:
    """Read a stored document into sections and pledges; idempotent.

    A failure is stored on the document and leaves its earlier sections and
    pledges as they were.
    """
    Document.objects.filter(pk=document_id).update(
        state=ProcessingState.PROCESSING, progress=10, state_changed_at=timezone.now()
    )
    document = Document.objects.get(pk=document_id)
    try:
        read = document_read(document.filename, bytes(document.original_file), document.year)
        plan_report = report_with_plan(read, document.year)
        review_report = report_with_review(read, document.year - 1)
        if plan_report is None and review_report is None:
            raise PipelineError(f"{document.filename}: no plan or review section was recognised")
    except PipelineError as exc:
        return _document_fail(document, str(exc))
    except Exception as exc:  # a pipeline bug must not take the worker down or lose rows
        logger.exception("processing %s failed", document.filename)
        return _document_fail(document, f"{document.filename}: internal error: {exc!r}")

    try:
        with transaction.atomic():
            document = Document.objects.select_for_update().get(pk=document_id)
            document.format = read.format
            document.encoding = read.encoding
            document.original_text = read.original
            document.text = read.text
            document.offset_map = [list(run) for run in read.offset_map]
            document.truncated = read.truncated
            document.warnings = list(read.warnings)
            document.plan_report_index = plan_report.index if plan_report else None
            document.review_report_index = review_report.index if review_report else None
            if not document.title:
                document.title = (plan_report or review_report).title[:300]
            _document_sections_replace(document, read)
            document.state = ProcessingState.DONE
            document.error = ""
            document.progress = 100
            document.state_changed_at = timezone.now()
            document.stuck_count = 0
            document.save()
            _document_near_duplicate_mark(document)
            _document_neighbours_track(document)
    except Exception as exc:  # the write rolled back whole; the document must not stay "processing"
        logger.exception("storing %s failed", document.filename)
        return _document_fail(document, f"{document.filename}: internal error: {exc!r}")
    return document


def _document_fail(document: Document, message: str) -> Document:
    """Record why processing failed; the rows of the last good run stay as they were."""
    Document.objects.filter(pk=document.pk).update(
        state=ProcessingState.FAILED, error=message, progress=100, state_changed_at=timezone.now()
    )
    document.refresh_from_db()
    return document


def _document_sections_replace(document: Document, read) -> None:
    """Upsert sections and pledges by span; drop stale machine rows nobody curated."""
    existing_sections = {s.start: s for s in document.sections.all()}
    kept_section_ids = set()
    spans_by_start: dict[int, Section] = {}
    for report in read.reports:
        for span in report.sections:
            section = existing_sections.get(span.start)
            fields = {
                "report_index": report.index,
                "kind": span.kind,
                "heading": span.heading[:500],
                "year": span.year,
                "end": span.end,
            }
            if section is None:
                section = Section.objects.create(document=document, start=span.start, **fields)
            else:
                for key, value in fields.items():
                    setattr(section, key, value)
                section.save()
            kept_section_ids.add(section.pk)
            spans_by_start[span.start] = section

    wanted: dict[tuple[int, int], tuple[PledgeSpan, int]] = {}
    for report in read.reports:
        if report.index != document.plan_report_index:
            continue
        for pledge in report.pledges:
            wanted[(pledge.start, pledge.end)] = (pledge, document.year)

    existing_pledges = {(p.start, p.end): p for p in document.pledges.all()}
    to_create, to_update = [], []
    for key, (span, plan_year) in wanted.items():
        section = spans_by_start.get(span.section_start)
        if section is None:
            continue
        values = _pledge_values(span, section, plan_year)
        pledge = existing_pledges.get(key)
        if pledge is None:
            to_create.append(Pledge(document=document, start=span.start, end=span.end, **values))
        else:
            for field, value in values.items():
                setattr(pledge, field, value)
            to_update.append(pledge)
    Pledge.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Pledge.objects.bulk_update(to_update, fields=PLEDGE_MACHINE_FIELDS, batch_size=500)

    stale = [p.pk for key, p in existing_pledges.items() if key not in wanted]
    curated = set(
        Pledge.objects.filter(pk__in=stale)
        # evidence__curation__gt, not ~Q(evidence__curation=""): the negation over the evidence
        # join is true for a pledge with no evidence at all, which kept every stale pledge of a
        # pending plan.
        .filter(Q(verdict__override_status__gt="") | Q(evidence__origin=EvidenceOrigin.CURATOR) | Q(evidence__curation__gt=""))
        .values_list("pk", flat=True)
    )
    # A chain link a curator confirmed or broke must outlive a re-extraction too.
    curated |= set(
        Pledge.objects.filter(pk__in=stale)
        .filter(Q(chain_links_back__curation__gt="") | Q(chain_links_forward__curation__gt=""))
        .values_list("pk", flat=True)
    )
    Pledge.objects.filter(pk__in=set(stale) - curated).delete()
    kept_section_ids |= set(Pledge.objects.filter(pk__in=curated).values_list("section_id", flat=True))
    document.sections.exclude(pk__in=kept_section_ids).delete()


# The pledge columns the pipeline owns; a re-run rewrites exactly these.
PLEDGE_MACHINE_FIELDS = [
    "section", "plan_year", "text", "kind", "section_path", "target_metric", "target_value",
    "target_value_max", "target_unit", "target_comparator", "target_direction",
]


def _pledge_values(span: PledgeSpan, section: Section, plan_year: int) -> dict:
    target = span.target
    return {
        "section": section,
        "plan_year": plan_year,
        "text": span.text,
        "kind": span.kind,
        "section_path": span.section_path[:500],
        "target_metric": (target.metric if target else "")[:100],
        "target_value": target.value if target else None,
        "target_value_max": target.value_max if target else None,
        "target_unit": (target.unit or "")[:20] if target else "",
        "target_comparator": target.comparator if target else "",
        "target_direction": target.direction if target else "",
    }




def _document_near_duplicate_mark(document: Document) -> None:
    """Point a copy of an already stored report at the earlier one."""
    earlier = (
        Document.objects.filter(jurisdiction=document.jurisdiction, year=document.year, state=ProcessingState.DONE)
        .exclude(pk=document.pk)
        .filter(pk__lt=document.pk)
        .only("pk", "text")
    )
    best, best_score = None, 0.0
    for other in earlier:
        score = text_similarity(document.text, other.text)
        if score > best_score:
            best, best_score = other, score
    if best is not None and best_score >= NEAR_DUPLICATE_THRESHOLD:
        document.near_duplicate_of = best
        document.near_duplicate_similarity = round(best_score, 3)
    else:
        document.near_duplicate_of = None
        document.near_duplicate_similarity = None
    document.save(update_fields=["near_duplicate_of", "near_duplicate_similarity"])


def _document_neighbours_track(document: Document) -> None:
    """A new plan is tracked against its review; a new review re-tracks last year's plan."""
    if document.plan_report_index is not None and document.near_duplicate_of_id is None:
        pair_track_request(document.pk, document.year, raise_unavailable=False)
    for plan in plan_documents_for_year(document.jurisdiction_id, document.year - 1):
        pair_track_request(plan.pk, plan.year, raise_unavailable=False)


# --- tracking ---------------------------------------------------------------------


def plan_documents_for_year(jurisdiction_id: int, year: int) -> Iterable[Document]:
    # Not filtered on state: a document whose re-run failed keeps its last good
    # sections and pledges (plan_report_index is only set by a successful run).
    return Document.objects.filter(
        jurisdiction_id=jurisdiction_id,
        year=year,
        plan_report_index__isnull=False,
        near_duplicate_of__isnull=True,
    )


def review_document_for(plan: Document, plan_year: int) -> Document | None:
    """The report delivered the next year, holding the review of the plan year."""
    return (
        Document.objects.filter(
            jurisdiction_id=plan.jurisdiction_id,
            year=plan_year + 1,
            review_report_index__isnull=False,
        )
        # Prefer an original over a near-duplicate copy, and a complete copy over a truncated one.
        .order_by(F("near_duplicate_of").asc(nulls_first=True), "truncated", "pk")
        .first()
    )


def pair_track(plan_document_id: int, plan_year: int | None = None) -> Tracking:
    """Judge every pledge of a plan against the next year's review (pending if none)."""
    plan = Document.objects.get(pk=plan_document_id)
    plan_year = plan_year or plan.year
    tracking, _ = Tracking.objects.get_or_create(plan_document=plan, plan_year=plan_year)
    Tracking.objects.filter(pk=tracking.pk).update(
        state=ProcessingState.PROCESSING, progress=10, started_at=timezone.now(), error="",
        state_changed_at=timezone.now(),
    )
    try:
        review = review_document_for(plan, plan_year)
        pledges = list(plan.pledges.filter(plan_year=plan_year).select_related("section").order_by("start"))
        spans = [pledge_span_from_row(p) for p in pledges]
        if review is None:
            results = pledges_pending(spans)
        else:
            sections = [
                section_span_from_row(s)
                for s in review.sections.filter(report_index=review.review_report_index).order_by("start")
            ]
            results = pledges_judge(spans, review.text, sections, plan_year)
        assessments = pledges_assess(spans, results, _plan_positions(plan, pledges))
        with transaction.atomic():
            verdicts_write(pledges, results, review, assessments)
            scorecard_refresh(tracking)
            Tracking.objects.filter(pk=tracking.pk).update(
                review_document=review,
                state=ProcessingState.DONE,
                progress=100,
                finished_at=timezone.now(),
                state_changed_at=timezone.now(),
                stuck_count=0,
            )
    except Exception as exc:
        logger.exception("tracking plan %s failed", plan_document_id)
        Tracking.objects.filter(pk=tracking.pk).update(
            state=ProcessingState.FAILED, error=f"{plan.filename}: {exc!r}", progress=100, finished_at=timezone.now(),
            state_changed_at=timezone.now(),
        )
    tracking.refresh_from_db()
    if tracking.state == ProcessingState.DONE and plan_year == plan.year:
        # Chains need only the plans; run here so every processed plan is chained (idempotent).
        chain_build_quietly(plan.pk)
    return tracking


def pledge_span_from_row(pledge: Pledge) -> PledgeSpan:
    target = None
    if pledge.kind == "target" and pledge.target_comparator:
        target = Target(
            metric=pledge.target_metric,
            value=pledge.target_value,
            unit=pledge.target_unit or None,
            comparator=pledge.target_comparator,
            direction=pledge.target_direction or "floor",
            value_max=pledge.target_value_max,
        )
    return PledgeSpan(
        text=pledge.text,
        start=pledge.start,
        end=pledge.end,
        kind=pledge.kind,
        section_path=pledge.section_path,
        section_start=pledge.section.start,
        target=target,
    )


def section_span_from_row(section: Section) -> SectionSpan:
    return SectionSpan(
        kind=section.kind,
        heading=section.heading,
        start=section.start,
        end=section.end,
        year=section.year,
        report_index=section.report_index,
    )


MACHINE_PENDING = "machine: pending, the next review is not in yet"
MACHINE_FIRST = "first machine verdict"
MACHINE_RERUN = "machine verdict changed on re-run"


def _machine_change_reason(previous_review_id: int | None, review: Document | None, *, first: bool) -> str:
    """What the audit history says of a machine write. A pending row is no verdict yet, so the
    first write against a review is the first verdict even when it updates the pending row;
    only a later change is a re-run."""
    if review is None:
        return MACHINE_PENDING if first or previous_review_id is None else MACHINE_RERUN
    if first or previous_review_id is None:
        return MACHINE_FIRST
    return MACHINE_RERUN


def _plan_positions(plan: Document, pledges: list[Pledge]) -> list[float]:
    """Where each pledge stands in its report, 0 to 1, as compare.report_positions computes it.

    The report's own bounds are not stored; its sections' extent is (the report's title line
    before the first section is the only difference).
    """
    bounds = plan.sections.filter(report_index=plan.plan_report_index).aggregate(lo=Min("start"), hi=Max("end"))
    lo = bounds["lo"] if bounds["lo"] is not None else min((p.start for p in pledges), default=0)
    hi = bounds["hi"] if bounds["hi"] is not None else max((p.end for p in pledges), default=1)
    span = max(1, hi - lo)
    return [min(1.0, max(0.0, (p.start - lo) / span)) for p in pledges]


def scorecard_refresh(tracking: Tracking) -> None:
    """Store the estimated scorecard of a tracking, counting what curators decided as certain.

    A curator's status is that status with probability 1, "not a pledge" weighs nothing and
    "a pledge" weighs fully; so every curation narrows the estimate toward what people checked.
    """
    rows = Verdict.objects.filter(
        pledge__document_id=tracking.plan_document_id, pledge__plan_year=tracking.plan_year
    ).values("status", "override_status", "confirmed_at", "probabilities", "p_pledge", "scored", "scored_override")
    assessed = []
    for row in rows:
        if row["status"] == Status.PENDING:
            continue
        p = row["p_pledge"] if row["scored_override"] is None else float(row["scored_override"])
        if row["override_status"] or row["confirmed_at"] is not None or not row["probabilities"]:
            probs = {s: float(s == row["status"]) for s in CALIBRATED_STATUSES}
        else:
            probs = row["probabilities"]
        assessed.append(Assessment(p, bool(row["scored"]), probs))
    estimate = scorecard_estimate(assessed) if assessed else None
    shares, intervals = estimate if estimate else (None, None)
    Tracking.objects.filter(pk=tracking.pk).update(scorecard=shares, scorecard_interval=intervals)


def verdict_scorecard_refresh(verdict: Verdict) -> None:
    """After a curation: the scorecard of the verdict's plan year follows it."""
    pledge = verdict.pledge
    for tracking in Tracking.objects.filter(plan_document_id=pledge.document_id, plan_year=pledge.plan_year):
        scorecard_refresh(tracking)


def verdicts_write(
    pledges: list[Pledge], results: list[VerdictResult], review: Document | None, assessments: list | None = None
) -> None:
    """Replace machine verdicts and evidence; overrides and curated evidence stay.

    Runs in the caller's transaction. The verdict rows are locked before they are read, so a
    curator's override either committed before (and is read here and kept) or waits until this
    write has committed (and then applies on top): the machine never writes back a status it
    read before a human changed it.
    """
    # pk order: two re-runs of one plan lock in the same order and cannot deadlock.
    existing = {
        v.pledge_id: v for v in Verdict.objects.select_for_update().filter(pledge__in=pledges).order_by("pk")
    }
    to_create, to_update = [], []
    if assessments is None:
        assessments = [None] * len(pledges)
    for pledge, result, assessment in zip(pledges, results, assessments, strict=True):
        actual = result.actual.as_dict() if result.actual else None
        confidence = round(float(min(max(result.confidence, 0.0), 1.0)), 4)
        learned = _learned_fields(assessment)
        verdict = existing.get(pledge.pk)
        if verdict is None:
            created = Verdict(
                pledge=pledge,
                review_document=review,
                machine_status=result.status,
                machine_confidence=confidence,
                machine_actual=actual,
                status=result.status,
                confidence=confidence,
                scored=learned["machine_scored"],
                **learned,
            )
            created._change_reason = _machine_change_reason(None, review, first=True)
            to_create.append(created)
            continue
        changed = (verdict.machine_status, verdict.machine_confidence, verdict.machine_actual, verdict.review_document_id) != (
            result.status,
            confidence,
            actual,
            review.pk if review else None,
        )
        learned_changed = any(getattr(verdict, k) != v for k, v in learned.items())
        if not changed and not learned_changed:
            continue
        for k, v in learned.items():
            setattr(verdict, k, v)
        # A curator's "is / is not a pledge" wins over the model, re-run after re-run.
        verdict.scored = verdict.machine_scored if verdict.scored_override is None else verdict.scored_override
        if not changed:
            # New probabilities of the same verdict: no new version a curator would have to reload for.
            verdict._change_reason = "machine probabilities updated"
            to_update.append(verdict)
            continue
        verdict._change_reason = _machine_change_reason(verdict.review_document_id, review, first=False)
        verdict.machine_status = result.status
        verdict.machine_confidence = confidence
        verdict.machine_actual = actual
        verdict.review_document = review
        verdict_effective_set(verdict)
        verdict.version += 1
        # A curator's confirmation was of the old machine verdict, not of this one.
        if not verdict.override_status and verdict.machine_status != Status.PENDING:
            verdict.confirmed_at = None
            verdict.confirmed_by = None
        to_update.append(verdict)
    # With history, so a pledge's audit trail shows what the machine said before a curator stepped in.
    # Each row carries its own reason (_change_reason); simple-history reads it before the default.
    bulk_create_with_history(to_create, Verdict, batch_size=500, default_change_reason=MACHINE_FIRST)
    if to_update:
        bulk_update_with_history(
            to_update,
            Verdict,
            fields=[
                "machine_status", "machine_confidence", "machine_actual", "review_document",
                "status", "confidence", "version", "confirmed_at", "confirmed_by",
                "p_pledge", "machine_scored", "scored", "probabilities",
            ],
            batch_size=500,
            default_change_reason=MACHINE_RERUN,
        )

    NearestPassage.objects.filter(pledge__in=pledges).delete()
    _evidence_replace(pledges, results, review)
    if review is None:
        return
    NearestPassage.objects.bulk_create(
        [
            NearestPassage(
                pledge=pledge, review_document=review, text=span.text, start=span.start, end=span.end,
                score=round(float(span.score), 2), rank=rank,
            )
            for pledge, result in zip(pledges, results, strict=True)
            for rank, span in enumerate(result.nearest, start=1)
            if span.end > span.start
        ],
        batch_size=500,
    )


def _evidence_replace(pledges: list[Pledge], results: list[VerdictResult], review: Document | None) -> None:
    """Upsert machine evidence by span: the same pledge and review span keep the same row.

    A curator's screen (or API client) holds evidence ids; re-creating every span under a new
    id on each re-run would turn their pending decisions into "nothing to save". Only spans
    the re-run no longer finds are deleted (each deletion leaves a history row, which is how a
    later decision on it is told that the machine re-ran); curated rows are never touched.
    """
    sections = list(review.sections.order_by("start").only("pk", "start", "end")) if review else []
    wanted: dict[tuple[int, int, int], Evidence] = {}
    if review is not None:
        for pledge, result in zip(pledges, results, strict=True):
            for span in result.evidence:
                if span.end <= span.start:
                    continue
                wanted[(pledge.pk, span.start, span.end)] = Evidence(
                    pledge=pledge,
                    review_document=review,
                    section=_section_holding(sections, span.start),
                    text=span.text,
                    start=span.start,
                    end=span.end,
                    score=round(float(span.score), 2),
                )
    current = Evidence.objects.filter(pledge__in=pledges).only(
        "pk", "pledge_id", "review_document_id", "start", "end", "origin", "curation", "text", "score", "section_id"
    )
    stale, to_update = [], []
    for row in current:
        key = (row.pledge_id, row.start, row.end)
        fresh = wanted.get(key) if row.review_document_id == (review.pk if review else None) else None
        if fresh is None:
            if row.origin == EvidenceOrigin.MACHINE and row.curation == Curation.NONE:
                stale.append(row.pk)
            continue
        del wanted[key]  # the span exists: keep its row (and id, and any curator decision on it)
        if row.is_curated:
            continue
        if (row.text, row.score, row.section_id) != (fresh.text, fresh.score, fresh.section_id):
            row.text, row.score, row.section_id = fresh.text, fresh.score, fresh.section_id
            to_update.append(row)
    if stale:
        Evidence.objects.filter(pk__in=stale).delete()
    if to_update:
        # A new score is not a new span: the version (what a curator decided on) stays.
        Evidence.objects.bulk_update(to_update, fields=["text", "score", "section"], batch_size=500)
    Evidence.objects.bulk_create(list(wanted.values()), batch_size=500, ignore_conflicts=True)


def _section_holding(sections: list[Section], offset: int) -> Section | None:
    """The innermost (latest-starting) section whose span holds the offset."""
    holding = None
    for section in sections:
        if section.start > offset:
            break
        if offset < section.end:
            holding = section
    return holding


def _learned_fields(assessment) -> dict:
    if assessment is None:
        return {"p_pledge": 1.0, "machine_scored": True, "probabilities": {}}
    return {"p_pledge": float(assessment.p_pledge), "machine_scored": bool(assessment.scored),
            "probabilities": dict(assessment.probabilities)}


def verdict_effective_set(verdict: Verdict) -> None:
    if verdict.override_status:
        verdict.status = verdict.override_status
        verdict.confidence = 1.0
    else:
        verdict.status = verdict.machine_status
        verdict.confidence = verdict.machine_confidence


def jurisdiction_track_request(jurisdiction_id: int) -> list[Tracking]:
    """Queue one tracking task per plan document of a jurisdiction's history."""
    plans = Document.objects.filter(
        jurisdiction_id=jurisdiction_id,
        plan_report_index__isnull=False,
        near_duplicate_of__isnull=True,
    )
    return [pair_track_request(plan.pk, plan.year) for plan in plans]


def pair_track_request(
    plan_document_id: int, plan_year: int | None = None, *, raise_unavailable: bool = True
) -> Tracking:
    """Queue the tracking of one plan against its review.

    `raise_unavailable=False` inside a worker: a broker outage must not fail the document
    whose processing asked for the tracking (the sweep sends it later).
    """
    from tracker import tasks

    plan = Document.objects.get(pk=plan_document_id)
    tracking, _ = Tracking.objects.get_or_create(plan_document=plan, plan_year=plan_year or plan.year)
    if tracking.state != ProcessingState.PROCESSING:
        Tracking.objects.filter(pk=tracking.pk).update(
            state=ProcessingState.QUEUED, progress=0, state_changed_at=timezone.now()
        )
    _task_send_on_commit(tasks.pair_track_task, tracking, plan.pk, tracking.plan_year,
                         raise_unavailable=raise_unavailable)
    return tracking


def corpus_track_request() -> list[Tracking]:
    trackings = []
    for jurisdiction_id in Jurisdiction.objects.values_list("pk", flat=True):
        trackings.extend(jurisdiction_track_request(jurisdiction_id))
    return trackings


# --- stuck rows -------------------------------------------------------------------


def stuck_after_seconds() -> int:
    """How long a row may stay queued or processing before the sweep steps in.

    Past the task's hard time limit no live run can still hold it: its worker died (kill -9,
    out of memory, a lost machine), or the database was cut and the failure could not be
    written either, and the broker may have acked the task.
    """
    return settings.TRACKER_STUCK_AFTER


def stuck_sweep(*, now=None, older_than: int | None = None) -> list[str]:
    """Re-queue or fail every document and tracking stuck in queued or processing.

    - queued for longer than the limit, or whose task could not be sent (broker down):
      its task is sent again (tasks are idempotent; a duplicate only repeats the work);
    - processing for longer than the limit: re-queued, at most TRACKER_STUCK_REQUEUES times,
      then failed (a task that keeps killing its worker must not loop forever).

    The reason is stored in the row's `error`. Each row is claimed with a compare-and-set on
    its state and state_changed_at, so a worker that picks it up meanwhile wins and two sweeps
    never both act on it. Returns one line per row acted on.
    """
    from tracker import tasks

    now = now or timezone.now()
    limit = stuck_after_seconds() if older_than is None else older_than
    cutoff = now - timedelta(seconds=limit)
    lines = []
    for model, send in (
        (Document, lambda row: (tasks.document_process_task, row.pk)),
        (Tracking, lambda row: (tasks.pair_track_task, row.plan_document_id, row.plan_year)),
    ):
        stuck = model.objects.filter(
            Q(state__in=[ProcessingState.QUEUED, ProcessingState.PROCESSING], state_changed_at__lt=cutoff)
            | Q(state=ProcessingState.QUEUED, error__startswith=NOT_QUEUED)
        ).order_by("pk")
        for row in stuck:
            line = _stuck_row_handle(model, row, now, limit, send)
            if line:
                lines.append(line)
    return lines


def _stuck_row_handle(model, row, now, limit: int, send) -> str | None:
    age = int((now - row.state_changed_at).total_seconds())
    name = f"{model.__name__.lower()} {row.pk}"
    claim = model.objects.filter(pk=row.pk, state=row.state, state_changed_at=row.state_changed_at)
    if row.state == ProcessingState.PROCESSING:
        if row.stuck_count >= settings.TRACKER_STUCK_REQUEUES:
            reason = (
                f"failed by the stuck sweep: still processing {age} s after it started, past the {limit} s limit, "
                f"after {row.stuck_count} re-queue(s); its worker dies on it or the database keeps failing"
            )
            fields = {"state": ProcessingState.FAILED, "progress": 100, "error": reason, "state_changed_at": now}
            if model is Tracking:
                fields["finished_at"] = now
            if claim.update(**fields):
                logger.warning("%s: %s", name, reason)
                return f"{name}: failed ({reason})"
            return None
        reason = (
            f"re-queued by the stuck sweep at {now:%Y-%m-%d %H:%M:%S} UTC: still processing {age} s after it started, "
            f"past the {limit} s limit (worker lost, or the database cut mid-task)"
        )
        fields = {"stuck_count": F("stuck_count") + 1}
    elif row.error.startswith(NOT_QUEUED):
        reason = f"re-queued by the stuck sweep at {now:%Y-%m-%d %H:%M:%S} UTC: its task could not be sent ({row.error})"
        fields = {}
    else:
        reason = (
            f"re-queued by the stuck sweep at {now:%Y-%m-%d %H:%M:%S} UTC: queued for {age} s, past the {limit} s limit "
            "(its task was lost)"
        )
        fields = {}
    with transaction.atomic():
        if not claim.update(state=ProcessingState.QUEUED, progress=0, error=reason, state_changed_at=now, **fields):
            return None
        row.state, row.error = ProcessingState.QUEUED, reason
        task, *args = send(row)
        # Not raised: the row keeps a "not queued" note and the next sweep sends it again.
        _task_send_on_commit(task, row, *args, raise_unavailable=False)
    logger.warning("%s: %s", name, reason)
    return f"{name}: {reason}"


# --- curation ---------------------------------------------------------------------


def _verdict_locked(verdict_id: int, expected_version: int | None) -> Verdict:
    verdict = Verdict.objects.select_for_update().get(pk=verdict_id)
    if expected_version is not None and verdict.version != expected_version:
        raise StaleVersion(verdict.version)
    return verdict


def _verdict_save(verdict: Verdict, user, reason: str = "") -> Verdict:
    verdict.version += 1
    verdict._history_user = user  # simple-history records who made the change
    verdict._change_reason = reason[:100] if reason else None
    verdict.save()
    # every human decision is certain in the estimate: the scorecard follows it at once
    verdict_scorecard_refresh(verdict)
    return verdict


@transaction.atomic
def verdict_scored_set(
    *, verdict_id: int, scored: bool | None, reason: str, user, expected_version: int | None
) -> Verdict:
    """A curator says the item is (True) or is not (False) a checkable pledge; None gives it back to the model.

    The decision survives re-runs and retraining: the machine writes machine_scored only.
    """
    if scored is not None and not reason.strip():
        raise CurationError("saying whether an item is a pledge needs a reason")
    verdict = _verdict_locked(verdict_id, expected_version)
    verdict.scored_override = scored
    verdict.scored_reason = reason.strip() if scored is not None else ""
    verdict.scored = verdict.machine_scored if scored is None else scored
    what = {True: "a checkable pledge", False: "not a checkable pledge", None: "pledge or not: back to the model"}[scored]
    return _verdict_save(verdict, user, f"{what}: {reason.strip()}" if reason.strip() else what)


@transaction.atomic
def verdict_override(*, verdict_id: int, status: str, reason: str, user, expected_version: int | None) -> Verdict:
    if status not in Status.values:
        raise CurationError(f"unknown status {status!r}")
    if not reason.strip():
        raise CurationError("an override needs a reason")
    verdict = _verdict_locked(verdict_id, expected_version)
    verdict.override_status = status
    verdict.override_reason = reason.strip()
    verdict.override_by = user
    verdict.override_at = timezone.now()
    verdict_effective_set(verdict)
    return _verdict_save(verdict, user, reason)


@transaction.atomic
def verdict_override_clear(*, verdict_id: int, user, expected_version: int | None) -> Verdict:
    verdict = _verdict_locked(verdict_id, expected_version)
    verdict.override_status = ""
    verdict.override_reason = ""
    verdict.override_by = None
    verdict.override_at = None
    verdict_effective_set(verdict)
    return _verdict_save(verdict, user, "override cleared")


@transaction.atomic
def verdict_confirm(*, verdict_id: int, user, expected_version: int | None = None) -> Verdict:
    """A curator agrees with the machine verdict as it stands."""
    verdict = _verdict_locked(verdict_id, expected_version)
    verdict.confirmed_by = user
    verdict.confirmed_at = timezone.now()
    return _verdict_save(verdict, user, "confirmed")


@transaction.atomic
def evidence_curate(
    *, evidence_id: int, accept: bool, user, expected_version: int | None, reason: str = ""
) -> Evidence:
    """Accept or reject a span. A person has then looked at the verdict: it is marked checked
    (confirmed, in the public change log) and leaves the needs-review queue. `reason` goes
    into the evidence history."""
    evidence = Evidence.objects.select_for_update().get(pk=evidence_id)
    if expected_version is not None and evidence.version != expected_version:
        raise StaleVersion(evidence.version)
    evidence.curation = Curation.ACCEPTED if accept else Curation.REJECTED
    evidence.curated_by = user
    evidence.curated_at = timezone.now()
    evidence.version += 1
    evidence._history_user = user
    what = "evidence accepted" if accept else "evidence rejected"
    evidence._change_reason = (f"{what}: {reason.strip()}" if reason.strip() else what)[:100]
    evidence.save()
    verdict = Verdict.objects.select_for_update().filter(pledge_id=evidence.pledge_id).first()
    if verdict is not None and verdict.confirmed_at is None and not verdict.override_status:
        verdict.confirmed_by = user
        verdict.confirmed_at = timezone.now()
        _verdict_save(verdict, user, evidence._change_reason)
    return evidence


def evidence_replaced_by_rerun(evidence_id: int) -> bool:
    """Whether a missing span existed once: a re-run deleted it (every deletion leaves a history row)."""
    return (
        not Evidence.objects.filter(pk=evidence_id).exists()
        and Evidence.history.filter(id=evidence_id, history_type="-").exists()
    )


@transaction.atomic
def pledge_curate(
    *,
    pledge_id: int,
    evidence_decisions: dict[int, tuple[bool, int | None]],
    override_status: str,
    override_reason: str,
    user,
    expected_version: int | None,
) -> bool:
    """Apply one curation screen's decisions on a pledge together, or none of them.

    ``evidence_decisions`` maps an evidence id to (accept, version seen). Ids of other
    pledges' evidence are ignored: a tampered form must not curate them from here.
    Returns whether anything was changed.
    """
    own = set(Evidence.objects.filter(pledge_id=pledge_id, pk__in=list(evidence_decisions)).values_list("pk", flat=True))
    # Checked before anything is written: a screen opened before a re-run must not save half
    # of its decisions (the override) and silently drop the others.
    replaced = sorted(
        evidence_id for evidence_id in set(evidence_decisions) - own if evidence_replaced_by_rerun(evidence_id)
    )
    if replaced:
        raise EvidenceReplaced(replaced)
    changed = False
    # The override first: it checks the verdict version the curator saw, which curating a
    # span then moves on (a curated span marks the verdict checked).
    if override_status:
        verdict = Verdict.objects.get(pledge_id=pledge_id)
        verdict_override(
            verdict_id=verdict.pk, status=override_status, reason=override_reason, user=user,
            expected_version=expected_version,
        )
        changed = True
    for evidence_id, (accept, version) in evidence_decisions.items():
        if evidence_id in own:
            evidence_curate(evidence_id=evidence_id, accept=accept, user=user, expected_version=version,
                            reason=override_reason)
            changed = True
    return changed


@transaction.atomic
def evidence_add(*, pledge_id: int, start: int, end: int, user, review_document_id: int | None = None) -> Evidence:
    """A curator adds a review span the machine missed, by offsets into the review text."""
    pledge = Pledge.objects.select_related("verdict", "document").get(pk=pledge_id)
    # Only the review that answers this pledge: a span of the plan itself, or of another
    # government's or another year's report, is no evidence of it.
    own = getattr(getattr(pledge, "verdict", None), "review_document_id", None)
    if own is None:
        review_for = review_document_for(pledge.document, pledge.plan_year)
        own = review_for.pk if review_for else None
    if own is None:
        raise CurationError("this pledge has no review document yet: evidence can be added once its review is in")
    if review_document_id is not None and review_document_id != own:
        raise CurationError(f"review_document {review_document_id} is not this pledge's review (document {own})")
    review = Document.objects.only("pk", "text").get(pk=own)
    if not 0 <= start < end <= len(review.text):
        raise CurationError(f"span {start}-{end} is outside the review text (length {len(review.text)})")
    evidence, created = Evidence.objects.get_or_create(
        pledge=pledge,
        review_document=review,
        start=start,
        end=end,
        defaults={
            "section": _section_holding(list(review.sections.order_by("start")), start),
            "text": review.text[start:end],
            "score": 100.0,
            "origin": EvidenceOrigin.CURATOR,
            "curation": Curation.ACCEPTED,
            "curated_by": user,
            "curated_at": timezone.now(),
        },
    )
    if not created:
        evidence.curation = Curation.ACCEPTED
        evidence.curated_by = user
        evidence.curated_at = timezone.now()
        evidence.version = F("version") + 1
        evidence._history_user = user
        evidence.save()
        evidence.refresh_from_db()
    return evidence

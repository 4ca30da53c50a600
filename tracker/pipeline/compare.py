"""The whole pipeline for one plan/review pair, as plain JSON-ready dicts.

`manage.py compare` and `manage.py extract` print these; the services run the same
functions (document_read, report_with_plan/review, pledges_judge) with the database
in between.
"""

from __future__ import annotations

from tracker.pipeline.calibrate import Model, pledges_assess, scorecard_estimate
from tracker.pipeline.judge import pledges_judge, pledges_pending
from tracker.pipeline.read import document_read, report_with_plan, report_with_review
from tracker.pipeline.types import EvidenceSpan, PipelineError, ReadDocument, ReportStructure


def _section_dict(section) -> dict:
    return {
        "kind": section.kind,
        "heading": section.heading,
        "year": section.year,
        "start": section.start,
        "end": section.end,
    }


def _pledge_dict(pledge) -> dict:
    return {
        "text": pledge.text,
        "section": pledge.section_path,
        "kind": pledge.kind,
        "start": pledge.start,
        "end": pledge.end,
        "target": pledge.target.as_dict() if pledge.target else None,
    }


def report_dict(report: ReportStructure, with_pledges: bool = True) -> dict:
    out = {
        "index": report.index,
        "title": report.title,
        "start": report.start,
        "end": report.end,
        "sections": [_section_dict(s) for s in report.sections],
    }
    if with_pledges:
        out["pledges"] = [_pledge_dict(p) for p in report.pledges]
    return out


def document_structure(read: ReadDocument) -> dict:
    """What `extract` prints: the reports in a file, their sections and plan pledges."""
    return {
        "file": read.name,
        "format": read.format,
        "encoding": read.encoding,
        "truncated": read.truncated,
        "warnings": list(read.warnings),
        "characters": len(read.text),
        "reports": [report_dict(r) for r in read.reports],
    }


def _document_summary(read: ReadDocument, report: ReportStructure | None, year: int) -> dict:
    return {
        "file": read.name,
        "year": year,
        "format": read.format,
        "encoding": read.encoding,
        "truncated": read.truncated,
        "warnings": list(read.warnings),
        "report": report_dict(report, with_pledges=False) if report else None,
    }


def _span_dict(span: EvidenceSpan) -> dict:
    return {"text": span.text, "score": round(span.score, 2), "start": span.start, "end": span.end}


def pair_compare(
    plan_name: str,
    plan_data: bytes,
    review_name: str | None,
    review_data: bytes | None,
    plan_year: int,
    jurisdiction: str = "",
    model: Model | None = None,
) -> dict:
    """Extract the plan's pledges and judge each against the review (pending without one).

    Each pledge carries whether it is scored (a checkable pledge, not a general commitment) and
    the probability of each status; the scorecard is estimated from those probabilities.
    """
    plan = document_read(plan_name, plan_data, plan_year)
    plan_report = report_with_plan(plan, plan_year)
    if plan_report is None:
        raise PipelineError(f"{plan_name}: no plan section for {plan_year} was recognised")
    pledges = plan_report.pledges
    review_summary = None
    if review_data is None:
        verdicts = pledges_pending(pledges)
    else:
        review = document_read(review_name or "review", review_data, plan_year + 1)
        review_report = report_with_review(review, plan_year)
        if review_report is None:
            raise PipelineError(f"{review_name}: no review of {plan_year} was recognised")
        verdicts = pledges_judge(pledges, review.text, review_report.sections, plan_year)
        review_summary = _document_summary(review, review_report, plan_year + 1)
    assessed = pledges_assess(pledges, verdicts, report_positions(plan_report), model)
    rows = []
    for pledge, verdict, assessment in zip(pledges, verdicts, assessed, strict=True):
        row = _pledge_dict(pledge)
        row.update(
            {
                "status": verdict.status,
                "confidence": round(verdict.confidence, 4),
                "scored": assessment.scored,
                "p_pledge": assessment.p_pledge,
                "probabilities": assessment.probabilities,
                "actual": verdict.actual.as_dict() if verdict.actual else None,
                "evidence": [_span_dict(e) for e in verdict.evidence],
                "nearest": [_span_dict(e) for e in verdict.nearest],
            }
        )
        rows.append(row)
    plan_summary = _document_summary(plan, plan_report, plan_year)
    plan_summary["jurisdiction"] = jurisdiction
    out = {"plan": plan_summary, "review": review_summary, "pledges": rows}
    estimate = scorecard_estimate(assessed, model)
    if estimate is not None:
        out["scorecard"], out["scorecard_interval"] = estimate
    return out


def report_positions(report: ReportStructure) -> list[float]:
    """Where each pledge stands in the plan part, 0 (first) to 1 (last)."""
    span = max(1, report.end - report.start)
    return [(p.start - report.start) / span for p in report.pledges]

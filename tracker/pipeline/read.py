"""The reading half of the pipeline: bytes in, a structured ReadDocument out."""

from __future__ import annotations

import re

from .clean import clean_text
from .dedupe import pledges_dedupe
from .extract import pledges_extract
from .ingest import decode_file
from .segment import heading_years, report_split
from .types import ReadDocument, ReportStructure

# A paragraph that ends on one of these is whole; one ending on a comma, a
# semicolon or a colon (a list announced, an item cut) is not.
_ENDS_WHOLE = "。！？!?”」』）)…》"


def text_truncated(text: str) -> bool:
    """True when the text stops mid-sentence or mid-list (a copy cut off early)."""
    # Short trailing lines (a signature, a date, a caption, a keyword list) are
    # not body text: judge the last line that reads like a paragraph.
    lines = [ln.strip() for ln in text.splitlines() if len(ln.strip()) > 40]
    if not lines:
        return False
    return lines[-1][-1] not in _ENDS_WHOLE


_PLAN_YEAR_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*年(?:是|经济社会|全[省市区县镇]?经济|的?主要预期目标|的?工作|政府工作)")


def _year_warnings(doc_text: str, reports: list[ReportStructure], year: int | None) -> list[str]:
    """Say where the text's own years disagree with the year the caller gave."""
    if year is None:
        return []
    warnings: list[str] = []
    for report in reports:
        years = heading_years(doc_text, report.sections)
        plan_years = set(years.get("plan", set()))
        for sec in report.sections_of("plan")[:1]:
            # The opening of a plan names its year ("2023年是…开局之年").
            plan_years.update(
                int(m.group(1)) for m in _PLAN_YEAR_IN_TEXT.finditer(doc_text, sec.start, min(sec.end, sec.start + 400))
            )
        where = f" (report {report.index + 1})" if len(reports) > 1 else ""
        for y in sorted(plan_years - {year}):
            warnings.append(f"text says {y} but the given year is {year}: plan{where}")
        for y in sorted(years.get("review", set()) - {year - 1}):
            warnings.append(f"text says {y} but the given year is {year}: review of {year - 1} expected{where}")
    return warnings


def _figure_warnings(reports: list[ReportStructure]) -> list[str]:
    """Copying sites rewrite years, "10" included (增长2023%): flag figures that look like it."""
    out = []
    for report in reports:
        for p in report.pledges:
            t = p.target
            if t and t.unit == "%" and t.value is not None and 1990 <= int(t.value) <= 2100:
                out.append(f"figure {t.value:g}% in “{p.text}” looks like a year rewritten by the copying site")
    return out


def document_read(name: str, data: bytes, year: int | None = None) -> ReadDocument:
    """Decode, clean, segment and extract one file.

    ``year`` is the year whose plan the document holds (the report delivered in
    that year); the text's own years are not trusted. Raises PipelineError only for
    unreadable input; a readable file without plan or review gets a warning.
    """
    original, fmt, encoding = decode_file(name, data)
    text, offset_map = clean_text(original)
    reports = report_split(text, year)
    for report in reports:
        report.pledges = pledges_dedupe(pledges_extract(text, report))
    warnings = _year_warnings(text, reports, year)
    if not any(r.sections_of("plan") for r in reports):
        warnings.append(f"{name}: no plan section recognised")
    if not any(r.sections_of("review") or r.sections_of("five_year_review") for r in reports):
        warnings.append(f"{name}: no review section recognised")
    warnings.extend(_figure_warnings(reports))
    broken = original.count("\ufffd")
    if broken:
        warnings.append(f"{name}: {broken} character(s) could not be decoded and show as \ufffd")
    truncated = text_truncated(text)
    if truncated:
        warnings.append(f"{name}: text ends mid-sentence; the copy looks truncated")
    return ReadDocument(
        name=name,
        format=fmt,
        encoding=encoding,
        original=original,
        text=text,
        offset_map=offset_map,
        reports=reports,
        truncated=truncated,
        warnings=warnings,
    )


def _section_length(report: ReportStructure, kind: str) -> int:
    return sum(s.end - s.start for s in report.sections_of(kind))


def report_with_plan(doc: ReadDocument, plan_year: int) -> ReportStructure | None:
    """The report holding the plan for ``plan_year``; the one with most pledges otherwise."""
    candidates = [r for r in doc.reports if r.sections_of("plan")]
    if not candidates:
        return None
    dated = [r for r in candidates if any(s.year == plan_year for s in r.sections_of("plan"))]
    pool = dated or candidates
    return max(pool, key=lambda r: (len(r.pledges), _section_length(r, "plan")))


def report_with_review(doc: ReadDocument, plan_year: int) -> ReportStructure | None:
    """The report reviewing ``plan_year``; the one with the longest review otherwise."""
    candidates = [r for r in doc.reports if r.sections_of("review")]
    if not candidates:
        candidates = [r for r in doc.reports if r.sections_of("five_year_review")]
        if not candidates:
            return None
        return max(candidates, key=lambda r: _section_length(r, "five_year_review"))
    dated = [r for r in candidates if any(s.year == plan_year for s in r.sections_of("review"))]
    pool = dated or candidates
    return max(pool, key=lambda r: _section_length(r, "review"))

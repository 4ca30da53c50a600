"""The rows behind every dashboard table, as CSV, and the data behind every chart.

CSV headers are stable English identifiers whatever the UI language, so a
newsroom's spreadsheet or Datawrapper chart keeps working after a switch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

from tracker.csv_export import csv_response as shared_csv_response
from tracker.dashboard.labels import STATUS_COLOURS, STATUS_LABELS
from tracker.dashboard.templatetags.dashboard import actual_display, actual_parts, status_of, target_display
from tracker.figures import number_text
from tracker.models import Jurisdiction, Pledge
from tracker.selectors import STATUS_ORDER, PartScorecard, Scorecard, SectionScorecard, section_part

PLEDGE_COLUMNS = [
    "id",
    "jurisdiction",
    "plan_year",
    "section",
    "kind",
    "text",
    "target",
    "actual",
    "status",
    "confidence",
    "human_confirmed",
    "url",
    # Added in issue 13, after the original columns so positional readers keep working.
    "target_value",
    "target_unit",
    "actual_value",
    "actual_unit",
    "probability",
    "override_reason",
    "evidence",
    "section_part",
]
# Several evidence spans share one cell; a reader splits on this line.
EVIDENCE_SEPARATOR = "\n---\n"
SCORECARD_COLUMNS = ["total", *(s.value for s in STATUS_ORDER), *(f"{s.value}_share" for s in STATUS_ORDER)]
# The estimated share of each judged status and its 80% interval (issue 12), after the counted
# columns so positional readers keep working; empty while nothing is judged.
ESTIMATE_STATUSES = [s.value for s in STATUS_ORDER if s.value != "pending"]
ESTIMATE_COLUMNS = [f"{s}_{part}" for s in ESTIMATE_STATUSES for part in ("estimate", "estimate_low", "estimate_high")]


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """Stream rows as UTF-8 CSV with a BOM, through the one writer every export shares."""
    return shared_csv_response(filename, header, rows)


def pledge_rows(pledges: Iterable[Pledge], absolute_url) -> Iterator[list]:
    for pledge in pledges:
        verdict = getattr(pledge, "verdict", None)
        yield [
            pledge.pk,
            pledge.document.jurisdiction.name,
            pledge.plan_year,
            pledge.section.heading,
            pledge.kind,
            pledge.text,
            target_display(pledge),
            actual_display(pledge),
            status_of(pledge),
            f"{verdict.confidence:.2f}" if verdict else "",
            "yes" if verdict and verdict.is_human_confirmed else "no",
            absolute_url(pledge.pk),
            number_text(pledge.target_value) if pledge.target_value is not None else "",
            pledge.target_unit,
            *actual_parts(pledge),
            # The calibrated probability of the status shown (1 once a person checked it).
            f"{verdict.probability:.2f}" if verdict and verdict.probability is not None else "",
            verdict.override_reason if verdict else "",
            EVIDENCE_SEPARATOR.join(e.text for e in getattr(pledge, "visible_evidence", [])),
            section_part(pledge.section_path),
        ]


def scorecard_cells(card: Scorecard) -> list:
    shares = card.shares
    return [card.total, *(card.counts.get(s, 0) for s in STATUS_ORDER), *(f"{shares.get(s, 0.0):.4f}" for s in STATUS_ORDER)]


def estimate_cells(card: Scorecard) -> list[str]:
    """The figures the scorecard page states: estimate, low and high bound per status."""
    estimate, interval = card.estimate or {}, card.interval or {}
    cells = []
    for status in ESTIMATE_STATUSES:
        bounds = interval.get(status)
        cells += [
            f"{estimate[status]:.4f}" if status in estimate else "",
            f"{bounds[0]:.4f}" if bounds else "",
            f"{bounds[1]:.4f}" if bounds else "",
        ]
    return cells


def section_rows(sections: list[SectionScorecard]) -> Iterator[list]:
    for section in sections:
        yield [section.section_id, section.heading, *scorecard_cells(section.scorecard)]


def part_rows(parts: list[PartScorecard]) -> Iterator[list]:
    for part in parts:
        yield [part.part, *scorecard_cells(part.scorecard)]


def comparison_rows(rows: list[tuple[Jurisdiction, Scorecard]], plan_year: int) -> Iterator[list]:
    for jurisdiction, card in rows:
        yield [jurisdiction.pk, jurisdiction.name, jurisdiction.level, plan_year, *scorecard_cells(card), *estimate_cells(card)]


# --- chart data (read by static/dashboard/js/charts.js through json_script) ----------


def _status_series() -> list[dict]:
    return [{"status": s.value, "label": str(STATUS_LABELS[s]), "colour": STATUS_COLOURS[s]} for s in STATUS_ORDER]


def status_chart(card: Scorecard) -> dict:
    counts = [card.counts.get(s, 0) for s in STATUS_ORDER]
    rows = [
        {**series, "count": card.counts.get(series["status"], 0), "share": card.shares.get(series["status"], 0.0)}
        for series in _status_series()
    ]
    return {"kind": "status", "series": _status_series(), "counts": counts, "total": card.total, "rows": rows}


def stacked_chart(labels: list[str], cards: list[Scorecard], *, shares: bool) -> dict:
    """One bar per label, stacked by status; shares (percent) make governments of different size comparable."""
    values = [
        [round(card.shares.get(s, 0.0) * 100, 1) if shares else card.counts.get(s, 0) for card in cards] for s in STATUS_ORDER
    ]
    return {"kind": "stacked", "series": _status_series(), "labels": labels, "values": values, "shares": shares}


def parts_chart(parts: list[PartScorecard]) -> dict:
    """Verdicts per plan sub-section （一）…（十）: one bar each, not one per top-level chapter."""
    return stacked_chart([part.label[:24] for part in parts], [part.scorecard for part in parts], shares=False)


def chart_height(bars: int) -> int:
    """Pixels for a horizontal bar chart: room for the axis and legend, then a fixed height per bar."""
    return 110 + 34 * max(bars, 1)

"""Value types passed between pipeline stages and out to the Django layer.

All character offsets (``start``/``end``) index the *cleaned* text of a document
(``ReadDocument.text``); ``ReadDocument.to_original`` maps them back to the text as
it was decoded, so the dashboard can highlight evidence where it stands.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SECTION_KINDS = ("review", "plan", "five_year_review", "five_year_plan", "other")
PLEDGE_KINDS = ("target", "project", "action")
COMPARATORS = ("at_least", "at_most", "about", "exact", "range")
DIRECTIONS = ("floor", "ceiling", "none")
STATUSES = ("fulfilled", "partial", "missed", "dropped", "pending")


class PipelineError(ValueError):
    """Bad input the pipeline refuses; the message names the file and the problem."""


@dataclass(frozen=True)
class Target:
    metric: str
    value: float | None
    unit: str | None
    comparator: str  # one of COMPARATORS
    direction: str = "floor"  # one of DIRECTIONS: floor = more is better
    value_max: float | None = None  # upper bound when comparator == "range"

    def as_dict(self) -> dict:
        return {
            "metric": self.metric,
            "value": self.value,
            "unit": self.unit,
            "comparator": self.comparator,
            "direction": self.direction,
            "value_max": self.value_max,
        }


@dataclass(frozen=True)
class SectionSpan:
    kind: str  # one of SECTION_KINDS
    heading: str
    start: int
    end: int
    year: int | None = None  # the year the section is about, when known
    report_index: int = 0  # which report of a multi-report file


@dataclass(frozen=True)
class PledgeSpan:
    text: str
    start: int
    end: int
    kind: str  # one of PLEDGE_KINDS
    section_path: str  # headings from the plan section down, joined by " / "
    section_start: int  # start of the SectionSpan holding the pledge
    target: Target | None = None
    # False for a general commitment (a direction of work with no deliverable): listed, never
    # counted on a scorecard. Set from the learned pledge model (calibrate.pledges_assess).
    scored: bool = True


@dataclass
class ReportStructure:
    """One report inside a file (a web page may hold several)."""

    index: int
    title: str
    start: int
    end: int
    sections: list[SectionSpan] = field(default_factory=list)
    pledges: list[PledgeSpan] = field(default_factory=list)

    def sections_of(self, kind: str) -> list[SectionSpan]:
        return [s for s in self.sections if s.kind == kind]


@dataclass
class ReadDocument:
    name: str
    format: str  # txt, docx, pdf, html
    encoding: str  # detected encoding for text formats, "" for containers
    original: str  # decoded text before cleaning
    text: str  # cleaned text; every span indexes this
    offset_map: list[tuple[int, int, int]]  # (clean_start, original_start, length) runs
    reports: list[ReportStructure]
    truncated: bool = False
    warnings: list[str] = field(default_factory=list)

    def to_original(self, i: int) -> int:
        """Map an offset in ``text`` to the matching offset in ``original``."""
        return offset_to_original(self.offset_map, i)


def offset_to_original(offset_map, i: int) -> int:
    """Map an offset in a cleaned text to its original text through (clean, original, length) runs.

    Plain lists work too, so the stored JSON map of a document can be used as it is.
    """
    lo, hi = 0, len(offset_map) - 1
    best = None
    while lo <= hi:
        mid = (lo + hi) // 2
        if offset_map[mid][0] <= i:
            best = offset_map[mid]
            lo = mid + 1
        else:
            hi = mid - 1
    if best is None:
        return i
    clean_start, orig_start, length = best[0], best[1], best[2]
    return orig_start + min(i - clean_start, length)


@dataclass(frozen=True)
class EvidenceSpan:
    text: str
    start: int  # offsets into the review document's cleaned text
    end: int
    score: float  # 0..100


@dataclass(frozen=True)
class Verdict:
    status: str  # one of STATUSES
    confidence: float  # 0..1
    evidence: tuple[EvidenceSpan, ...] = ()
    actual: Target | None = None
    # For a dropped pledge, the review passages closest to it, below the threshold: not
    # evidence, but where a curator or a reader checks that the review really is silent.
    nearest: tuple[EvidenceSpan, ...] = ()
    # What the decision saw (best and second score, the best span's similarity features, the
    # path taken): the input of the learned probabilities of pipeline/calibrate.py.
    features: dict = field(default_factory=dict, compare=False, hash=False)
    # Calibrated probability of each status (fulfilled, partial, missed, dropped), summing to 1.
    probabilities: dict = field(default_factory=dict, compare=False, hash=False)

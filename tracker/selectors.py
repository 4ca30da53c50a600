"""Shared reads: scorecards, pledge lists, comparisons, progress. No writes here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    FloatField,
    Func,
    Max,
    Min,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, Coalesce, Length, Replace, Substr

from tracker.models import (
    Document,
    Evidence,
    Jurisdiction,
    NearestPassage,
    Pledge,
    ProcessingState,
    Status,
    Tracking,
    Verdict,
)

STATUS_ORDER = [Status.FULFILLED, Status.PARTIAL, Status.MISSED, Status.DROPPED, Status.PENDING]


@dataclass
class Scorecard:
    total: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in STATUS_ORDER})
    # The estimated shares and their 80% intervals (Tracking.scorecard), when the year is judged.
    estimate: dict[str, float] | None = None
    interval: dict[str, list[float]] | None = None
    general: int = 0  # general commitments listed apart, not counted
    checked: int = 0  # verdicts a person confirmed or overrode

    @property
    def shares(self) -> dict[str, float]:
        return {k: (v / self.total if self.total else 0.0) for k, v in self.counts.items()}

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "counts": dict(self.counts),
            "shares": {k: round(v, 4) for k, v in self.shares.items()},
            "scorecard": self.estimate,
            "scorecard_interval": self.interval,
            "general_commitments": self.general,
            "checked_by_person": self.checked,
        }


def pledge_queryset() -> QuerySet[Pledge]:
    """Pledges with what every list shows, in one query."""
    return Pledge.objects.select_related("verdict", "section", "document", "document__jurisdiction")


def _scorecard_from_rows(rows) -> Scorecard:
    card = Scorecard()
    for row in rows:
        status = row["status"] or Status.PENDING
        card.counts[status] = card.counts.get(status, 0) + row["n"]
        card.total += row["n"]
    return card


def scored_q() -> Q:
    """Checkable pledges, the only ones any count, chart or share is made of.

    A general commitment (the model's or a curator's call, verdict.scored False) is listed
    apart; a pledge never tracked has no verdict yet and counts (as pending).
    """
    return Q(verdict__scored=True) | Q(verdict__isnull=True)


def _pledges_of(jurisdiction_id: int, plan_year: int) -> QuerySet[Pledge]:
    return Pledge.objects.filter(
        scored_q(),
        document__jurisdiction_id=jurisdiction_id,
        plan_year=plan_year,
        document__near_duplicate_of__isnull=True,
    )


def scorecard(jurisdiction_id: int, plan_year: int) -> Scorecard:
    """Counts and shares per status for one government's plan year, with the estimate and its interval."""
    rows = _pledges_of(jurisdiction_id, plan_year).values(status=_verdict_status()).annotate(n=Count("pk"))
    card = _scorecard_from_rows(rows)
    return scorecard_estimated(card, jurisdiction_id, plan_year)


def scorecard_estimated(card: Scorecard, jurisdiction_id: int, plan_year: int) -> Scorecard:
    """Add the stored estimate, the general commitments and the human checks to counted shares."""
    _estimates_attach([(jurisdiction_id, plan_year, card)])
    card.checked = (
        Pledge.objects.filter(
            scored_q(), document__jurisdiction_id=jurisdiction_id, plan_year=plan_year,
            document__near_duplicate_of__isnull=True,
        )
        .filter(_checked_q())
        .count()
    )
    return card


def _estimates_attach(cards: list[tuple[int, int, Scorecard]]) -> None:
    """The stored estimate and the count of general commitments for many (government, plan year) cards.

    Two queries for any number of governments: the home page lists every one of them, and it
    must state the same shares as each scorecard page, not the hard counts.
    """
    if not cards:
        return
    ids, years = {jid for jid, _, _ in cards}, {year for _, year, _ in cards}
    latest: dict[tuple[int, int], Tracking] = {}
    for t in (
        Tracking.objects.filter(
            plan_document__jurisdiction_id__in=ids, plan_year__in=years, scorecard__isnull=False,
            plan_document__near_duplicate_of__isnull=True,
        )
        .select_related("plan_document")
        .only("scorecard", "scorecard_interval", "plan_year", "plan_document__jurisdiction_id")
        .order_by("finished_at")
    ):
        latest[(t.plan_document.jurisdiction_id, t.plan_year)] = t
    general = {
        (row["document__jurisdiction_id"], row["plan_year"]): row["n"]
        for row in Pledge.objects.filter(
            document__jurisdiction_id__in=ids, plan_year__in=years, verdict__scored=False,
            document__near_duplicate_of__isnull=True,
        ).values("document__jurisdiction_id", "plan_year").annotate(n=Count("pk"))
    }
    for jid, year, card in cards:
        tracking = latest.get((jid, year))
        if tracking is not None:
            card.estimate, card.interval = tracking.scorecard, tracking.scorecard_interval
        card.general = general.get((jid, year), 0)


def _verdict_status() -> F:
    return F("verdict__status")


def scorecard_comparison(plan_year: int, level: str | None = None) -> list[tuple[Jurisdiction, Scorecard]]:
    """One scorecard per government for a plan year, for side-by-side comparison."""
    pledges = Pledge.objects.filter(scored_q(), plan_year=plan_year, document__near_duplicate_of__isnull=True)
    if level:
        pledges = pledges.filter(document__jurisdiction__level=level)
    # Group by the jurisdiction id only, then fetch the names: cheaper than grouping by name.
    rows = pledges.values("document__jurisdiction_id", status=_verdict_status()).annotate(n=Count("pk"))
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row["document__jurisdiction_id"], []).append(row)
    jurisdictions = Jurisdiction.objects.in_bulk(list(grouped))
    cards = {jid: _scorecard_from_rows(group) for jid, group in grouped.items()}
    _estimates_attach([(jid, plan_year, card) for jid, card in cards.items()])
    result = [(jurisdictions[jid], card) for jid, card in cards.items()]
    return sorted(result, key=lambda item: item[0].name)


def plan_years_of(jurisdiction_id: int) -> list[int]:
    return list(
        Pledge.objects.filter(document__jurisdiction_id=jurisdiction_id)
        .values_list("plan_year", flat=True)
        .distinct()
        .order_by("-plan_year")
    )


def review_queue() -> QuerySet[Pledge]:
    """Machine verdicts nobody has confirmed or overridden, least confident first."""
    return (
        pledge_queryset()
        .filter(verdict__override_status="", verdict__confirmed_at__isnull=True)
        .exclude(verdict__status=Status.PENDING)
        .order_by("verdict__confidence", "pk")
    )


def pledge_evidence(pledge: Pledge) -> QuerySet[Evidence]:
    """Evidence a reader should see: everything except spans a curator rejected."""
    return pledge.evidence.exclude(curation="rejected").order_by("-score", "start")


def tracking_progress(jurisdiction_id: int | None = None) -> dict[str, int]:
    trackings = Tracking.objects.all()
    if jurisdiction_id is not None:
        trackings = trackings.filter(plan_document__jurisdiction_id=jurisdiction_id)
    counts = {state: 0 for state in ProcessingState.values}
    for row in trackings.values("state").annotate(n=Count("pk")):
        counts[row["state"]] = row["n"]
    counts["total"] = sum(counts[s] for s in ProcessingState.values)
    return counts


def document_list_queryset() -> QuerySet[Document]:
    """Documents without their large columns: the bytes and both texts stay in the database."""
    return (
        Document.objects.select_related("jurisdiction")
        .defer("original_file", "original_text", "text", "offset_map")
        .annotate(pledge_count=Count("pledges", distinct=True))
    )


def pledge_api_detail(pledge_id: int) -> Pledge:
    """One pledge with its verdict, the evidence a reader sees and the offset maps to place it."""
    evidence = (
        Evidence.objects.exclude(curation="rejected")
        .select_related("review_document")
        .only(*_EVIDENCE_FIELDS, "review_document__offset_map", "review_document__year", "review_document__jurisdiction_id")
        .order_by("-score", "start")
    )
    nearest = (
        NearestPassage.objects.select_related("review_document")
        .only("pledge", "review_document", "text", "start", "end", "score", "rank", "review_document__offset_map")
        .order_by("rank")
    )
    return (
        Pledge.objects.select_related("verdict", "section", "document__jurisdiction")
        .defer("document__original_file", "document__original_text", "document__text")
        .prefetch_related(
            Prefetch("evidence", queryset=evidence, to_attr="visible_evidence"),
            Prefetch("nearest_passages", queryset=nearest, to_attr="nearest"),
        )
        .get(pk=pledge_id)
    )


_EVIDENCE_FIELDS = (
    "id", "pledge", "review_document", "section", "text", "start", "end", "score", "origin", "curation",
    "curated_at", "version",
)


def pledge_nearest(pledge_id: int) -> QuerySet[NearestPassage]:
    """The review passages nearest to a pledge the machine judged dropped, closest first."""
    return NearestPassage.objects.filter(pledge_id=pledge_id).order_by("rank")


def pledge_nearest_for_reader(pledge: Pledge, evidence: list[Evidence]) -> list[NearestPassage]:
    """The nearest passages a reader sees: only while the pledge stands as dropped with no
    evidence. Once a curator gives it another status or evidence they have done their job."""
    verdict = getattr(pledge, "verdict", None)
    if verdict is None or verdict.status != Status.DROPPED or evidence:
        return []
    return list(pledge_nearest(pledge.pk))


def pledge_candidates(pledge_id: int) -> QuerySet[Evidence]:
    """Every span a curator should see for a pledge, rejected ones included."""
    return (
        Evidence.objects.filter(pledge_id=pledge_id)
        .select_related("curated_by", "review_document")
        .defer("review_document__original_file", "review_document__original_text", "review_document__text")
        .order_by("-score", "start")
    )


def evidence_queryset() -> QuerySet[Evidence]:
    return Evidence.objects.select_related("pledge__document").only(
        *_EVIDENCE_FIELDS, "pledge__plan_year", "pledge__document__jurisdiction_id"
    )


def verdict_history(verdict_id: int) -> QuerySet:
    """Every recorded state of a verdict, newest first, with who made the change."""
    return Verdict.history.filter(id=verdict_id).select_related("history_user").order_by("-history_date", "-history_id")


def tracking_queryset() -> QuerySet[Tracking]:
    return Tracking.objects.select_related("plan_document__jurisdiction", "review_document").only(
        "id", "plan_year", "state", "progress", "error", "started_at", "finished_at",
        "plan_document__id", "plan_document__year", "plan_document__filename",
        "plan_document__jurisdiction__id", "plan_document__jurisdiction__name",
        "review_document__id", "review_document__year", "review_document__filename",
    ).order_by("plan_document__jurisdiction__name", "plan_year", "pk")


# --- dashboard reads (issue 6) ------------------------------------------------------
# Appended for the journalist dashboard; the functions above are shared and unchanged.

COMPARISON_SORTS = {"name", "total", *(s.value for s in STATUS_ORDER), *(f"{s.value}_share" for s in STATUS_ORDER)}


DOCUMENT_BODIES = ("original_file", "original_text", "text", "offset_map", "warnings")


def _without_document_bodies(pledges: QuerySet[Pledge]) -> QuerySet[Pledge]:
    # A list row needs its document's name and year, not the whole report: without this every
    # row would carry the report's bytes and text (megabytes per page on a long report).
    return pledges.defer(*(f"document__{name}" for name in DOCUMENT_BODIES))


def _status_q(status: str) -> Q:
    # A pledge whose verdict was never written counts as pending in every scorecard.
    if status == Status.PENDING:
        return Q(verdict__status=Status.PENDING) | Q(verdict__isnull=True)
    return Q(verdict__status=status)


def scorecard_pledges(
    jurisdiction_id: int,
    plan_year: int,
    *,
    sort: str | None = None,
    descending: bool = False,
    scored: bool | None = True,
    **filters,
) -> QuerySet[Pledge]:
    """The pledges behind one scorecard, filtered (see pledges_filter), in document order unless sorted.

    The checkable pledges by default; ``scored=False`` gives the general commitments listed apart,
    ``None`` both.
    """
    pledges = _without_document_bodies(pledge_queryset()).filter(
        document__jurisdiction_id=jurisdiction_id, plan_year=plan_year, document__near_duplicate_of__isnull=True
    )
    if scored is True:
        pledges = pledges.filter(scored_q())
    elif scored is False:
        pledges = pledges.filter(verdict__scored=False)
    pledges = pledges_filter(pledges, **filters).order_by("document_id", "start")
    return pledges_sort(pledges, sort, descending)


def scorecard_targets(jurisdiction_id: int, plan_year: int) -> QuerySet[Pledge]:
    """Quantitative targets of one scorecard: the pledges with a figure to check."""
    return scorecard_pledges(jurisdiction_id, plan_year).filter(target_value__isnull=False)


@dataclass
class SectionScorecard:
    section_id: int
    heading: str
    scorecard: Scorecard


def scorecard_sections(jurisdiction_id: int, plan_year: int) -> list[SectionScorecard]:
    """The scorecard per plan section, keyed by section id so a reader can filter by it."""
    rows = (
        _pledges_of(jurisdiction_id, plan_year)
        .values("section_id", "section__heading", "document_id", "section__start", status=F("verdict__status"))
        .annotate(n=Count("pk"))
    )
    grouped: dict[tuple[int, int, int, str], list] = {}
    for row in rows:
        key = (row["document_id"], row["section__start"], row["section_id"], row["section__heading"])
        grouped.setdefault(key, []).append(row)
    return [
        SectionScorecard(section_id=section_id, heading=heading, scorecard=_scorecard_from_rows(group))
        for (_, _, section_id, heading), group in sorted(grouped.items())
    ]


def dashboard_governments() -> list[dict]:
    """Every government with pledges, the plan year to show first, and that year's scorecard.

    The year shown is the latest plan year that has been judged against a review;
    the newest plan is all "pending" until next year's report is in, which answers
    nobody's question. A government with no judged year shows its latest plan year.
    """
    rows = (
        Pledge.objects.filter(scored_q(), document__near_duplicate_of__isnull=True)
        .values("document__jurisdiction_id", "plan_year", status=F("verdict__status"))
        .annotate(n=Count("pk"))
    )
    by_year: dict[int, dict[int, list]] = {}
    for row in rows:
        by_year.setdefault(row["document__jurisdiction_id"], {}).setdefault(row["plan_year"], []).append(row)
    jurisdictions = Jurisdiction.objects.in_bulk(list(by_year))
    overview = []
    for jid, years in by_year.items():
        judged = [year for year, group in years.items() if any(r["status"] not in (None, Status.PENDING) for r in group)]
        year = max(judged) if judged else max(years)
        overview.append(
            {
                "jurisdiction": jurisdictions[jid],
                "plan_year": year,
                "latest_plan_year": max(years),
                "years": sorted(years, reverse=True),
                "scorecard": _scorecard_from_rows(years[year]),
            }
        )
    _estimates_attach([(item["jurisdiction"].pk, item["plan_year"], item["scorecard"]) for item in overview])
    return sorted(overview, key=lambda item: (item["jurisdiction"].level != "national", item["jurisdiction"].name))


def pledge_search(
    query: str,
    *,
    jurisdiction_id: int | None = None,
    plan_year: int | None = None,
    sort: str | None = None,
    descending: bool = False,
    **filters,
) -> QuerySet[Pledge]:
    """Pledges whose text, or the review text of their evidence, contains the query; newest plan year first."""
    pledges = _without_document_bodies(pledge_queryset()).filter(document__near_duplicate_of__isnull=True)
    if jurisdiction_id:
        pledges = pledges.filter(document__jurisdiction_id=jurisdiction_id)
    if plan_year:
        pledges = pledges.filter(plan_year=plan_year)
    pledges = pledges_filter(pledges, query=query, **filters)
    pledges = pledges.order_by("-plan_year", "document__jurisdiction__name", "document_id", "start")
    return pledges_sort(pledges, sort, descending)


def pledge_page_detail(pledge_id: int) -> Pledge:
    """One pledge with its verdict, section, document and government; raises Pledge.DoesNotExist."""
    return (
        pledge_queryset()
        .select_related("verdict__review_document", "verdict__confirmed_by", "verdict__override_by")
        .defer(
            *(f"document__{name}" for name in DOCUMENT_BODIES),
            *(f"verdict__review_document__{name}" for name in DOCUMENT_BODIES),
        )
        .get(pk=pledge_id)
    )


def pledge_context(pledge: Pledge, chars: int = 120) -> tuple[str, str]:
    """The plan text just before and after a pledge, cut in the database to avoid loading the whole report."""
    before_start = max(pledge.start - chars, 0)
    row = (
        Document.objects.filter(pk=pledge.document_id)
        .annotate(
            before=Substr("text", before_start + 1, pledge.start - before_start),
            after=Substr("text", pledge.end + 1, chars),
        )
        .values("before", "after")
        .first()
    )
    return (row["before"] or "", row["after"] or "") if row else ("", "")


def pledge_history(pledge: Pledge, limit: int = 50) -> list:
    """The audit trail of a pledge's verdict, newest first (who, when, what it became)."""
    return list(
        Verdict.history.filter(pledge_id=pledge.pk).select_related("history_user").order_by("-history_date", "-history_id")[
            :limit
        ]
    )


def comparison_years() -> list[int]:
    return list(
        Pledge.objects.filter(document__near_duplicate_of__isnull=True)
        .values_list("plan_year", flat=True)
        .distinct()
        .order_by("-plan_year")
    )


def comparison_table(
    plan_year: int,
    *,
    level: str | None = None,
    jurisdiction_ids: list[int] | None = None,
    sort: str = "name",
    descending: bool = False,
) -> list[tuple[Jurisdiction, Scorecard]]:
    """Scorecards of several governments for one plan year, sorted by a column of the table."""
    rows = scorecard_comparison(plan_year, level=level)
    if jurisdiction_ids:
        wanted = set(jurisdiction_ids)
        rows = [row for row in rows if row[0].pk in wanted]
    if sort not in COMPARISON_SORTS:
        sort = "name"
    if sort == "name":
        rows.sort(key=lambda row: row[0].name, reverse=descending)
        return rows

    def value(row: tuple[Jurisdiction, Scorecard]) -> float:
        card = row[1]
        if sort == "total":
            return card.total
        if sort.endswith("_share"):
            return card.shares.get(sort.removesuffix("_share"), 0.0)
        return card.counts.get(sort, 0)

    # Ties keep alphabetical order in either direction, so the table is stable to cite.
    rows.sort(key=lambda row: row[0].name)
    rows.sort(key=value, reverse=descending)
    return rows


def pledge_api_queryset() -> QuerySet[Pledge]:
    """Pledges for the API lists, with the effective status and confidence as plain columns.

    A pledge whose verdict was never written reads as pending with confidence 0,
    the same rule the scorecards apply.
    """
    return (
        Pledge.objects.select_related("verdict", "section", "document__jurisdiction")
        .defer(
            "document__original_file", "document__original_text", "document__text", "document__offset_map",
            "document__warnings", "document__error",
        )
        .annotate(
            status=Coalesce(F("verdict__status"), Value(Status.PENDING.value)),
            confidence=Coalesce(F("verdict__confidence"), Value(0.0), output_field=FloatField()),
            scored=Coalesce(F("verdict__scored"), Value(True), output_field=BooleanField()),
            p_pledge=Coalesce(F("verdict__p_pledge"), Value(1.0), output_field=FloatField()),
            probability=_shown_probability(),
        )
    )


def _shown_probability() -> Case:
    """Verdict.probability in SQL, so list rows and the CSV need no model instances: 1 once a
    person decided the verdict, else the calibrated probability of the status shown (null while
    pending or never judged)."""
    of_status = Func(
        F("verdict__probabilities"), F("verdict__status"), function="jsonb_extract_path_text", output_field=TextField()
    )
    return Case(
        When(Q(verdict__override_status__gt="") | Q(verdict__confirmed_at__isnull=False), then=Value(1.0)),
        default=Cast(of_status, FloatField()),
        output_field=FloatField(),
    )


def pledges_matching_text(pledges: QuerySet[Pledge], text: str) -> QuerySet[Pledge]:
    """Pledges whose own text or visible evidence contains `text`.

    One IN over a UNION of two id lists rather than `text OR EXISTS(evidence)`: each
    branch can use its trigram index (migration 0002), where the OR forces a scan of
    every pledge; and a pledge with many matching spans still appears once.
    """
    own = Pledge.objects.filter(text__icontains=text).order_by().values("pk")
    evidence = Evidence.objects.filter(text__icontains=text).exclude(curation="rejected").order_by().values("pledge_id")
    return pledges.filter(pk__in=own.union(evidence))


def pledges_with_status(pledges: QuerySet[Pledge], statuses: list[str]) -> QuerySet[Pledge]:
    condition = Q(verdict__status__in=statuses)
    if Status.PENDING in statuses:
        condition |= Q(verdict__isnull=True)
    return pledges.filter(condition)


def scorecard_comparison_with_parents(plan_year: int, level: str | None = None) -> list[tuple[Jurisdiction, Scorecard]]:
    """scorecard_comparison with each government's parent loaded in one query (the API shows its name)."""
    rows = scorecard_comparison(plan_year, level=level)
    prefetch_related_objects([jurisdiction for jurisdiction, _ in rows], "parent")
    return rows


# --- finding things on the dashboard (issue 13) ---------------------------------------

# Confidence bands a reader filters by; the cut-offs follow the calibration in the README
# (below 0.5 a verdict is close to a coin toss, from 0.8 it is right nine times in ten).
CONFIDENCE_BANDS = {"low": (0.0, 0.5), "medium": (0.5, 0.8), "high": (0.8, 1.0)}
# Sortable columns of the pledge tables; document order is the default and breaks ties.
PLEDGE_SORTS = {
    "text": "text",
    "kind": "kind",
    "status": "verdict__status",
    "confidence": "verdict__confidence",
    "part": "section_path",
    "year": "plan_year",
}
PART_SEPARATOR = " / "


def section_part(section_path: str) -> str:
    """The plan sub-section a pledge sits in: its path down to the second heading level
    (二、… / （三）…), so pledges under 1. and ① of one （三） count together."""
    return PART_SEPARATOR.join(section_path.split(PART_SEPARATOR)[:2])


def part_label(part: str) -> str:
    return part.rsplit(PART_SEPARATOR, 1)[-1]


def _checked_q() -> Q:
    # A person has checked a verdict when they confirmed it, overrode it, or curated its evidence.
    return Q(verdict__override_status__gt="") | Q(verdict__confirmed_at__isnull=False)


def pledges_filter(
    pledges: QuerySet[Pledge],
    *,
    status: str | None = None,
    kind: str | None = None,
    section_id: int | None = None,
    part: str | None = None,
    query: str | None = None,
    band: str | None = None,
    confidence_min: float | None = None,
    confidence_max: float | None = None,
    checked: str | None = None,
) -> QuerySet[Pledge]:
    """The dashboard's pledge filters, shared by every list and its CSV so they always agree.

    `query` matches the pledge's words or the review text of its visible evidence.
    """
    if status:
        pledges = pledges.filter(_status_q(status))
    if kind:
        pledges = pledges.filter(kind=kind)
    if section_id:
        pledges = pledges.filter(section_id=section_id)
    if part:
        pledges = pledges.filter(Q(section_path=part) | Q(section_path__startswith=part + PART_SEPARATOR))
    if query:
        pledges = pledges_matching_text(pledges, query)
    if band in CONFIDENCE_BANDS:
        low, high = CONFIDENCE_BANDS[band]
        pledges = pledges.filter(verdict__confidence__gte=low)
        if high < 1.0:
            pledges = pledges.filter(verdict__confidence__lt=high)
    if confidence_min is not None:
        pledges = pledges.filter(verdict__confidence__gte=confidence_min)
    if confidence_max is not None:
        pledges = pledges.filter(verdict__confidence__lte=confidence_max)
    if checked == "yes":
        pledges = pledges.filter(_checked_q())
    elif checked == "no":
        pledges = pledges.exclude(_checked_q())
    return pledges


def pledges_sort(pledges: QuerySet[Pledge], sort: str | None, descending: bool = False) -> QuerySet[Pledge]:
    """Order a pledge list by one column; ties (and no sort) keep document order, so a cited table is stable."""
    tie = ("-plan_year", "document_id", "start")
    column = PLEDGE_SORTS.get(sort or "")
    if column is None:
        return pledges
    expression = F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_first=True)
    return pledges.order_by(expression, *tie)


def _band_of(confidence: float | None) -> str:
    for name, (low, high) in CONFIDENCE_BANDS.items():
        if confidence is not None and low <= confidence and (confidence < high or high >= 1.0):
            return name
    return "low"


def pledge_facets(pledges: QuerySet[Pledge]) -> dict[str, list[tuple[str, int]]]:
    """Counts of a filtered pledge list by status, kind, plan sub-section, confidence band and
    whether a person checked the verdict: what a reader can narrow the list to next."""
    rows = (
        pledges.order_by()
        .values(
            "kind", "section_path", "verdict__status", "verdict__confidence",
            "verdict__override_status", "verdict__confirmed_at",
        )
        .annotate(n=Count("pk"))
    )
    status: dict[str, int] = {}
    kind: dict[str, int] = {}
    part: dict[str, int] = {}
    band: dict[str, int] = {}
    checked: dict[str, int] = {}
    for row in rows:
        n = row["n"]
        value = row["verdict__status"] or Status.PENDING
        status[value] = status.get(value, 0) + n
        kind[row["kind"]] = kind.get(row["kind"], 0) + n
        key = section_part(row["section_path"])
        part[key] = part.get(key, 0) + n
        b = _band_of(row["verdict__confidence"])
        band[b] = band.get(b, 0) + n
        human = "yes" if (row["verdict__override_status"] or row["verdict__confirmed_at"]) else "no"
        checked[human] = checked.get(human, 0) + n
    return {
        "status": [(s.value, status[s.value]) for s in STATUS_ORDER if status.get(s.value)],
        "kind": sorted(kind.items(), key=lambda item: -item[1]),
        "part": sorted(part.items()),
        "band": [(name, band[name]) for name in CONFIDENCE_BANDS if band.get(name)],
        "checked": [(name, checked[name]) for name in ("yes", "no") if checked.get(name)],
    }


@dataclass
class PartScorecard:
    part: str
    label: str
    scorecard: Scorecard


def scorecard_parts(jurisdiction_id: int, plan_year: int) -> list[PartScorecard]:
    """The scorecard per plan sub-section （一）…（十）, in the order the plan gives them."""
    rows = (
        _pledges_of(jurisdiction_id, plan_year)
        .order_by()
        .values("section_path", status=F("verdict__status"))
        .annotate(n=Count("pk"), first=Min("start"))
    )
    grouped: dict[str, list] = {}
    first: dict[str, int] = {}
    for row in rows:
        key = section_part(row["section_path"])
        grouped.setdefault(key, []).append(row)
        first[key] = min(first.get(key, row["first"]), row["first"])
    return [
        PartScorecard(part=key, label=part_label(key) or key, scorecard=_scorecard_from_rows(grouped[key]))
        for key in sorted(grouped, key=lambda k: first[k])
    ]


def government_years(jurisdiction_id: int) -> list[dict]:
    """Every plan year of one government with its scorecard, newest first, and whether the
    next year's review was in (a pending year is not a result)."""
    rows = (
        Pledge.objects.filter(scored_q(), document__jurisdiction_id=jurisdiction_id, document__near_duplicate_of__isnull=True)
        .order_by()
        .values("plan_year", status=F("verdict__status"))
        .annotate(n=Count("pk"))
    )
    by_year: dict[int, list] = {}
    for row in rows:
        by_year.setdefault(row["plan_year"], []).append(row)
    years = []
    for year in sorted(by_year, reverse=True):
        card = _scorecard_from_rows(by_year[year])
        years.append({"plan_year": year, "scorecard": card, "judged": card.counts.get(Status.PENDING, 0) < card.total})
    return years


def comparison_default_year() -> int | None:
    """The latest plan year with at least two governments judged against a review.

    A year where one government is still pending compares nothing. Without such a year, the
    latest year where some government is judged and none is pending, then the latest year.
    """
    rows = (
        Pledge.objects.filter(scored_q(), document__near_duplicate_of__isnull=True)
        .order_by()
        .values("plan_year", "document__jurisdiction_id", status=F("verdict__status"))
        .annotate(n=Count("pk"))
    )
    judged: dict[int, set[int]] = {}
    pending: dict[int, set[int]] = {}
    for row in rows:
        year, jid = row["plan_year"], row["document__jurisdiction_id"]
        judged.setdefault(year, set())
        pending.setdefault(year, set())
        if row["status"] in (None, Status.PENDING):
            pending[year].add(jid)
        else:
            judged[year].add(jid)
    if not judged:
        return None
    # A government counts as judged for a year only when it has no pending pledges left in it.
    def rank(year: int) -> tuple[bool, bool, bool, int]:
        complete = judged[year] - pending[year]
        return (len(complete) >= 2, bool(judged[year]), not pending[year], year)

    return max(judged, key=rank)


def data_as_of(jurisdiction_id: int | None = None) -> datetime | None:
    """When the verdicts shown were last written (machine run or curation): the charts' 'data as of'."""
    verdicts = Verdict.objects.all()
    if jurisdiction_id is not None:
        verdicts = verdicts.filter(pledge__document__jurisdiction_id=jurisdiction_id)
    return verdicts.aggregate(latest=Max("updated_at"))["latest"]


def pledges_with_export_fields(pledges: QuerySet[Pledge]) -> QuerySet[Pledge]:
    """A pledge list with the evidence a reader sees, for the CSV's evidence column (one extra query per chunk)."""
    visible = Evidence.objects.exclude(curation="rejected").only("pledge", "text", "score", "start").order_by(
        "-score", "start"
    )
    return pledges.prefetch_related(Prefetch("evidence", queryset=visible, to_attr="visible_evidence"))


# --- sources and the full text of a report -------------------------------------------


def document_page(document_id: int) -> Document:
    """A report with its cleaned text (what every span indexes), without the file bytes; raises Document.DoesNotExist."""
    return Document.objects.select_related("jurisdiction").defer("original_file", "original_text", "offset_map").get(
        pk=document_id
    )


def span_paragraphs(document_id: int, offsets: list[int]) -> dict[int, int]:
    """The paragraph (0-based: newlines before it) holding each offset of a report's cleaned text.

    Counted in the database, so the pledge page never loads a whole report to link into it.
    """
    wanted = sorted(set(offsets))
    if not wanted:
        return {}
    newlines = {}
    for i, offset in enumerate(wanted):
        head = Substr("text", 1, offset) if offset > 0 else Value("")
        newlines[f"p{i}"] = Length(head) - Length(Replace(head, Value("\n"), Value("")))
    row = Document.objects.filter(pk=document_id).annotate(**newlines).values(*newlines).first() or {}
    return {offset: int(row.get(f"p{i}") or 0) for i, offset in enumerate(wanted)}


def scorecard_sources(jurisdiction_id: int, plan_year: int) -> dict[str, list[Document]]:
    """The reports a scorecard rests on: the plan (delivered in the plan year) and the review
    (delivered the next year), originals before copies."""
    documents = (
        Document.objects.filter(jurisdiction_id=jurisdiction_id, year__in=[plan_year, plan_year + 1])
        .only("pk", "year", "title", "source_url", "delivered_on", "filename", "near_duplicate_of", "jurisdiction_id")
        .order_by(F("near_duplicate_of").asc(nulls_first=True), "pk")
    )
    return {
        "plan": [d for d in documents if d.year == plan_year],
        "review": [d for d in documents if d.year == plan_year + 1],
    }

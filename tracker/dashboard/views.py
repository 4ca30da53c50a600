"""Server-rendered pages for journalists. Reads come from tracker.selectors; no logic here.

Every page is public and cacheable by URL: filters are GET parameters and the
language comes from the reader's switch, never from the browser.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_safe

from tracker import selectors, selectors_chain
from tracker.dashboard import highlight as highlighting
from tracker.dashboard import tables
from tracker.dashboard.facets import facet_groups
from tracker.dashboard.forms import CompareForm, PledgeFilterForm, SearchForm
from tracker.models import Document, Jurisdiction, Pledge, Status

PAGE_SIZE = 50
# The dropped list leads the scorecard; beyond this many the reader follows the filtered list.
DROPPED_SHOWN = 30
TARGETS_SHOWN = 200
GENERAL_SHOWN = 300
# Each chain list of the government page shows this many; the CSV has them all.
CHAIN_LINKS_SHOWN = 30


def _pledge_url(request: HttpRequest):
    base = request.build_absolute_uri(reverse("dashboard:pledge", args=[0]))[: -len("0/")]
    return lambda pk: f"{base}{pk}/"


def _tracked_pair(jurisdiction_id: int, plan_year: int) -> tuple[Jurisdiction, list[int]]:
    jurisdiction = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    years = selectors.plan_years_of(jurisdiction_id)
    if plan_year not in years:
        raise Http404("no pledges of this government for this plan year")
    return jurisdiction, years


def _embed_url(request: HttpRequest, name: str, args: list | None = None, query: dict | None = None) -> str:
    """Absolute iframe URL; it names the current language because an iframe on another site gets no cookie."""
    params = {**(query or {}), "lang": translation.get_language()}
    return request.build_absolute_uri(reverse(name, args=args)) + "?" + urlencode(params, doseq=True)


def _embed_language(request: HttpRequest) -> str:
    wanted = request.GET.get("lang", "")
    return wanted if wanted in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/home.html", {"tracked": selectors.dashboard_governments(), "form": SearchForm()})


@require_safe
def home_csv(request: HttpRequest) -> HttpResponse:
    rows = (
        [
            row["jurisdiction"].pk,
            row["jurisdiction"].name,
            row["jurisdiction"].level,
            row["plan_year"],
            *tables.scorecard_cells(row["scorecard"]),
            *tables.estimate_cells(row["scorecard"]),
        ]
        for row in selectors.dashboard_governments()
    )
    header = ["jurisdiction_id", "jurisdiction", "level", "plan_year", *tables.SCORECARD_COLUMNS,
              *tables.ESTIMATE_COLUMNS]
    return tables.csv_response("governments.csv", header, rows)


def _search_pledges(request: HttpRequest):
    form = SearchForm(request.GET)
    filters = form.selector_kwargs()
    query = (filters.pop("query", None) or "").strip()
    year = form.filters().get("year")
    pledges = None
    if query:
        pledges = selectors.pledge_search(
            query, jurisdiction_id=form.filters().get("jurisdiction"), plan_year=year, **filters
        )
    return form, query, pledges


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form, query, pledges = _search_pledges(request)
    page = _page(request, pledges) if pledges is not None else None
    facets = facet_groups(selectors.pledge_facets(pledges), request.GET) if pledges is not None else []
    context = {"form": form, "query": query, "page": page, "facets": facets, **_sort_context(form)}
    return render(request, "dashboard/search.html", context)


@require_GET
def search_csv(request: HttpRequest) -> HttpResponse:
    _, _, pledges = _search_pledges(request)
    rows = tables.pledge_rows(_export(pledges), _pledge_url(request)) if pledges is not None else []
    return tables.csv_response("pledges-search.csv", tables.PLEDGE_COLUMNS, rows)


def _export(pledges):
    return selectors.pledges_with_export_fields(pledges).iterator(chunk_size=2000)


def _sort_context(form) -> dict:
    filters = form.filters()
    return {"sort": filters.get("sort") or "", "descending": filters.get("dir") == "desc"}


def _scorecard_pledges_filtered(jurisdiction_id: int, plan_year: int, form: PledgeFilterForm):
    """The scorecard's pledge list as the URL filters it (the page and its CSV agree)."""
    return selectors.scorecard_pledges(jurisdiction_id, plan_year, **form.selector_kwargs())


@require_GET
def scorecard(request: HttpRequest, jurisdiction_id: int, plan_year: int) -> HttpResponse:
    jurisdiction, years = _tracked_pair(jurisdiction_id, plan_year)
    card = selectors.scorecard(jurisdiction_id, plan_year)
    parts = selectors.scorecard_parts(jurisdiction_id, plan_year)
    form = PledgeFilterForm(request.GET)
    pledges = _scorecard_pledges_filtered(jurisdiction_id, plan_year, form)
    dropped = list(selectors.scorecard_pledges(jurisdiction_id, plan_year, status=Status.DROPPED)[: DROPPED_SHOWN + 1])
    targets = list(selectors.scorecard_targets(jurisdiction_id, plan_year)[: TARGETS_SHOWN + 1])
    general = list(selectors.scorecard_pledges(jurisdiction_id, plan_year, scored=False)[: GENERAL_SHOWN + 1])
    pending = card.total > 0 and card.counts.get(Status.PENDING, 0) == card.total
    context = {
        "jurisdiction": jurisdiction,
        "plan_year": plan_year,
        "years": years,
        "scorecard": card,
        "pending": pending,
        "parts": parts,
        "dropped": dropped[:DROPPED_SHOWN],
        "dropped_more": len(dropped) > DROPPED_SHOWN,
        "targets": targets[:TARGETS_SHOWN],
        "targets_more": len(targets) > TARGETS_SHOWN,
        "general": general[:GENERAL_SHOWN],
        "general_more": len(general) > GENERAL_SHOWN,
        "form": form,
        "filtered": any(value for key, value in form.filters().items() if key not in {"sort", "dir"}),
        "page": _page(request, pledges),
        "facets": facet_groups(selectors.pledge_facets(pledges), request.GET, "#pledges"),
        "data_as_of": selectors.data_as_of(jurisdiction_id),
        "sources": selectors.scorecard_sources(jurisdiction_id, plan_year),
        "status_chart": tables.status_chart(card),
        "section_chart_height": tables.chart_height(len(parts)),
        "embed_status_url": _embed_url(request, "dashboard:embed_scorecard", [jurisdiction_id, plan_year]),
        "embed_sections_url": _embed_url(request, "dashboard:embed_scorecard_chart", [jurisdiction_id, plan_year, "sections"]),
        "section_chart": tables.parts_chart(parts),
        **_sort_context(form),
    }
    return render(request, "dashboard/scorecard.html", context)


@require_safe
def scorecard_csv(request: HttpRequest, jurisdiction_id: int, plan_year: int, table: str) -> HttpResponse:
    jurisdiction, _ = _tracked_pair(jurisdiction_id, plan_year)
    filename = f"{jurisdiction.pk}-{plan_year}-{table}.csv"
    if table == "statuses":
        card = selectors.scorecard(jurisdiction_id, plan_year)
        estimate, interval = card.estimate or {}, card.interval or {}

        def bound(status: str, i: int) -> str:
            return f"{interval[status][i]:.4f}" if status in interval else ""

        rows = (
            [s.value, card.counts.get(s, 0), f"{card.shares.get(s, 0.0):.4f}",
             f"{estimate[s]:.4f}" if s in estimate else "", bound(s, 0), bound(s, 1)]
            for s in selectors.STATUS_ORDER
        )
        return tables.csv_response(filename, ["status", "count", "share", "estimate", "estimate_low", "estimate_high"], rows)
    if table == "sections":
        rows = tables.section_rows(selectors.scorecard_sections(jurisdiction_id, plan_year))
        return tables.csv_response(filename, ["section_id", "section", *tables.SCORECARD_COLUMNS], rows)
    if table == "parts":
        rows = tables.part_rows(selectors.scorecard_parts(jurisdiction_id, plan_year))
        return tables.csv_response(filename, ["part", *tables.SCORECARD_COLUMNS], rows)
    if table == "pledges":
        pledges = _scorecard_pledges_filtered(jurisdiction_id, plan_year, PledgeFilterForm(request.GET))
    elif table == "dropped":
        pledges = selectors.scorecard_pledges(jurisdiction_id, plan_year, status=Status.DROPPED)
    elif table == "targets":
        pledges = selectors.scorecard_targets(jurisdiction_id, plan_year)
    elif table == "general":
        pledges = selectors.scorecard_pledges(jurisdiction_id, plan_year, scored=False)
    else:
        raise Http404("unknown table")
    rows = tables.pledge_rows(_export(pledges), _pledge_url(request))
    return tables.csv_response(filename, tables.PLEDGE_COLUMNS, rows)


@require_GET
def method(request: HttpRequest) -> HttpResponse:
    """How the figures are made: statuses, what counts as a pledge, measured accuracy."""
    from tracker.pipeline.calibrate import LIKELY_AT, MODEL_PATH, POSSIBLE_AT

    figures_path = MODEL_PATH.with_name(MODEL_PATH.stem + "_figures.json")
    try:
        figures = json.loads(figures_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        figures = None
    context = {"figures": figures, "likely_at": LIKELY_AT, "possible_at": POSSIBLE_AT}
    return render(request, "dashboard/method.html", context)


@require_GET
def pledge(request: HttpRequest, pledge_id: int) -> HttpResponse:
    try:
        item = selectors.pledge_page_detail(pledge_id)
    except Pledge.DoesNotExist as exc:
        raise Http404("no such pledge") from exc
    evidence = list(selectors.pledge_evidence(item))
    nearest = selectors.pledge_nearest_for_reader(item, evidence)
    before, after = selectors.pledge_context(item)
    context = {
        "pledge": item,
        "verdict": getattr(item, "verdict", None),
        "evidence": _in_report(evidence),
        "nearest": _in_report(nearest),
        "plan_link": _in_report([item], document_attr="document_id")[0]["link"],
        "evidence_texts": [e.text for e in evidence],
        "context_before": before,
        "context_after": after,
        "history": selectors.pledge_history(item),
        "permalink": request.build_absolute_uri(reverse("dashboard:pledge", args=[item.pk])),
        # The same deliverable promised in other years, oldest first (one step: no chain).
        "chain": selectors_chain.pledge_chain(item.pk),
    }
    return render(request, "dashboard/pledge.html", context)


def _in_report(spans: list, document_attr: str = "review_document_id") -> list[dict]:
    """Each span with the link that opens its report at its paragraph, the span highlighted in place."""
    by_document: dict[int, list[int]] = {}
    for span in spans:
        by_document.setdefault(getattr(span, document_attr), []).append(span.start)
    paragraphs = {doc: selectors.span_paragraphs(doc, offsets) for doc, offsets in by_document.items()}
    items = []
    for span in spans:
        doc = getattr(span, document_attr)
        number = paragraphs[doc].get(span.start, 0)
        link = f"{reverse('dashboard:document', args=[doc])}?span={span.start}-{span.end}#p-{number}"
        items.append({"item": span, "link": link, "paragraph": number + 1})
    return items


@require_safe
def pledge_csv(request: HttpRequest, pledge_id: int, table: str) -> HttpResponse:
    item = get_object_or_404(selectors.pledge_queryset(), pk=pledge_id)
    if table == "evidence":
        rows = (
            [e.pk, e.review_document_id, e.start, e.end, e.score, e.origin, e.curation, e.text]
            for e in selectors.pledge_evidence(item)
        )
        header = ["evidence_id", "review_document_id", "start", "end", "score", "origin", "curation", "text"]
    elif table == "chain":
        steps = selectors_chain.pledge_chain(item.pk)
        rows = (
            [
                step.pledge.pk, step.pledge.plan_year, step.status, step.pledge.text,
                step.link.kind if step.link else "", step.link.years_apart if step.link else "",
                step.link.curation if step.link else "",
            ]
            for step in steps
        )
        header = ["pledge_id", "plan_year", "status", "text", "kind", "years_apart", "curation"]
    elif table == "history":
        rows = (
            [
                h.history_date.isoformat(),
                h.history_user.get_username() if h.history_user else "",
                h.history_type,
                h.status,
                h.machine_status,
                h.override_status,
                h.override_reason,
                h.confidence,
            ]
            for h in selectors.pledge_history(item)
        )
        header = ["when", "who", "change", "status", "machine_status", "override_status", "override_reason", "confidence"]
    else:
        raise Http404("unknown table")
    return tables.csv_response(f"pledge-{item.pk}-{table}.csv", header, rows)


def _comparison(request: HttpRequest) -> dict:
    years = selectors.comparison_years()
    tracked = [row["jurisdiction"] for row in selectors.dashboard_governments()]
    query = request.GET.copy()
    if not query.get("year"):
        # Opened without a year: the latest one that compares at least two judged governments.
        default = selectors.comparison_default_year()
        if default:
            query["year"] = str(default)
    form = CompareForm(query, years=years, jurisdictions=sorted(tracked, key=lambda j: j.name))
    filters = form.filters()
    year = filters.get("year") or (years[0] if years else None)
    sort, descending = filters.get("sort") or "name", filters.get("dir") == "desc"
    rows = (
        selectors.comparison_table(
            year, level=filters.get("level") or None, jurisdiction_ids=filters.get("j") or None, sort=sort, descending=descending
        )
        if year
        else []
    )
    return {"form": form, "year": year, "rows": rows, "sort": sort, "descending": descending}


def _comparison_chart(rows: list) -> dict:
    return tables.stacked_chart([j.name for j, _ in rows], [card for _, card in rows], shares=True)


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    context = _comparison(request)
    context["chart"] = _comparison_chart(context["rows"])
    context["columns"] = selectors.STATUS_ORDER
    context["chart_height"] = tables.chart_height(len(context["rows"]))
    context["embed_url"] = _embed_url(request, "dashboard:embed_compare", query=dict(request.GET.lists()))
    context["data_as_of"] = selectors.data_as_of()
    return render(request, "dashboard/compare.html", context)


@require_safe
def compare_csv(request: HttpRequest) -> HttpResponse:
    context = _comparison(request)
    header = ["jurisdiction_id", "jurisdiction", "level", "plan_year", *tables.SCORECARD_COLUMNS, *tables.ESTIMATE_COLUMNS]
    return tables.csv_response(f"compare-{context['year']}.csv", header, tables.comparison_rows(context["rows"], context["year"]))


# --- embeds: the chart alone, for an iframe on a newsroom's page --------------------


@require_GET
@xframe_options_exempt
def embed_scorecard(request: HttpRequest, jurisdiction_id: int, plan_year: int, chart: str = "status") -> HttpResponse:
    if chart not in {"status", "sections"}:
        raise Http404("unknown chart")
    jurisdiction, _ = _tracked_pair(jurisdiction_id, plan_year)
    # The language comes from the URL (?lang=), not a cookie: the iframe lives on someone else's page.
    with translation.override(_embed_language(request)):
        if chart == "sections":
            data = tables.parts_chart(selectors.scorecard_parts(jurisdiction_id, plan_year))
        else:
            data = tables.status_chart(selectors.scorecard(jurisdiction_id, plan_year))
        source = request.build_absolute_uri(reverse("dashboard:scorecard", args=[jurisdiction_id, plan_year]))
        context = {
            "chart": data, "title": f"{jurisdiction.name} {plan_year}", "source": source,
            "data_as_of": selectors.data_as_of(jurisdiction_id),
            "card": selectors.scorecard(jurisdiction_id, plan_year) if chart == "status" else None,
        }
        return render(request, "dashboard/embed.html", context)


@require_GET
@xframe_options_exempt
def embed_compare(request: HttpRequest) -> HttpResponse:
    with translation.override(_embed_language(request)):
        context = _comparison(request)
        query = {key: values for key, values in request.GET.lists() if key != "lang"}
        source = request.build_absolute_uri(reverse("dashboard:compare")) + (f"?{urlencode(query, doseq=True)}" if query else "")
        chart = _comparison_chart(context["rows"])
        context = {"chart": chart, "title": str(context["year"] or ""), "source": source, "data_as_of": selectors.data_as_of()}
        return render(request, "dashboard/embed.html", context)


# --- the full report, with a span highlighted in place -------------------------------


def _spans(raw_values: list[str], length: int) -> list[tuple[int, int]]:
    """`span=START-END` parameters that fit the text; anything else is ignored, like every filter."""
    spans = []
    for raw in raw_values[:20]:
        start, _, end = raw.partition("-")
        if start.isdigit() and end.isdigit() and int(start) < int(end) <= length:
            spans.append((int(start), int(end)))
    return spans


@require_GET
def document(request: HttpRequest, document_id: int) -> HttpResponse:
    try:
        report = selectors.document_page(document_id)
    except Document.DoesNotExist as exc:
        raise Http404("no such report") from exc
    spans = _spans(request.GET.getlist("span"), len(report.text))
    paragraphs = highlighting.paragraphs_marked(report.text, spans)
    context = {
        "report": report,
        "paragraphs": paragraphs,
        "spans": spans,
        "permalink": request.build_absolute_uri(),
    }
    return render(request, "dashboard/document.html", context)


@require_GET
def government(request: HttpRequest, jurisdiction_id: int) -> HttpResponse:
    """One government across years: each plan year's scorecard side by side."""
    jurisdiction = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    years = selectors.government_years(jurisdiction_id)
    if not years:
        raise Http404("no pledges of this government")
    judged = [row for row in years if row["judged"]]
    context = {
        "jurisdiction": jurisdiction,
        "years": years,
        "statuses": selectors.STATUS_ORDER,
        # Oldest first, so the chart reads left to right in time (as a reader expects).
        "chart": tables.stacked_chart(
            [str(row["plan_year"]) for row in reversed(judged)], [row["scorecard"] for row in reversed(judged)], shares=True
        ),
        "chart_height": tables.chart_height(len(judged)),
        "data_as_of": selectors.data_as_of(jurisdiction_id),
        "chain_lists": [
            {
                "name": name,
                "links": list(selectors_chain.jurisdiction_chain_links(jurisdiction_id, name)[:CHAIN_LINKS_SHOWN]),
                "count": count,
            }
            for name, count in selectors_chain.jurisdiction_chain_counts(jurisdiction_id).items()
        ],
        "chain_links_shown": CHAIN_LINKS_SHOWN,
    }
    return render(request, "dashboard/government.html", context)


@require_safe
def government_chains_csv(request: HttpRequest, jurisdiction_id: int, which: str) -> HttpResponse:
    """One of the government's chain lists (done_again, silent_again, target_changed), every row."""
    jurisdiction = get_object_or_404(Jurisdiction, pk=jurisdiction_id)
    if which not in selectors_chain.CHAIN_LISTS:
        raise Http404("unknown list")
    rows = (selectors_chain.chain_link_row(link) for link in selectors_chain.jurisdiction_chain_links(jurisdiction.pk, which))
    return tables.csv_response(f"government-{jurisdiction.pk}-{which}.csv", selectors_chain.CHAIN_LINK_COLUMNS, rows)

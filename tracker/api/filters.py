"""Query-string filters; every name here is part of the public URL contract (permalinks, CSV feeds)."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import QuerySet

from tracker import selectors
from tracker.models import (
    Curation,
    Document,
    Evidence,
    EvidenceOrigin,
    Jurisdiction,
    Level,
    Pledge,
    PledgeKind,
    ProcessingState,
    SectionKind,
    Status,
    Tracking,
)

# Out-of-range numbers would reach PostgreSQL and fail there (a 500); the form refuses them first (a 400).
BIGINT_MAX = 2**63 - 1
SMALLINT_MAX = 32767


class IdFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(*args, **kwargs)


class YearFilter(IdFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_value", SMALLINT_MAX)
        super().__init__(*args, **kwargs)


class ConfidenceFilter(filters.NumberFilter):
    field_class = forms.FloatField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=0.0, max_value=1.0, **kwargs)


class JurisdictionFilter(filters.FilterSet):
    level = filters.ChoiceFilter(choices=Level.choices)
    parent = IdFilter(field_name="parent_id")
    top_level = filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label="Only governments without a parent")
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Jurisdiction
        fields = ["level", "parent", "top_level", "name"]


class DocumentFilter(filters.FilterSet):
    jurisdiction = IdFilter(field_name="jurisdiction_id")
    level = filters.ChoiceFilter(field_name="jurisdiction__level", choices=Level.choices)
    year = YearFilter()
    state = filters.ChoiceFilter(choices=ProcessingState.choices)
    truncated = filters.BooleanFilter()
    near_duplicate = filters.BooleanFilter(
        field_name="near_duplicate_of", lookup_expr="isnull", exclude=True, label="Only (or no) near-duplicate copies"
    )

    class Meta:
        model = Document
        fields = ["jurisdiction", "level", "year", "state", "truncated", "near_duplicate"]


class PledgeFilter(filters.FilterSet):
    jurisdiction = IdFilter(field_name="document__jurisdiction_id")
    level = filters.ChoiceFilter(field_name="document__jurisdiction__level", choices=Level.choices)
    document = IdFilter(field_name="document_id")
    plan_year = YearFilter()
    status = filters.MultipleChoiceFilter(
        choices=Status.choices, method="filter_status", label="Effective status (repeat for several)"
    )
    kind = filters.ChoiceFilter(choices=PledgeKind.choices)
    confidence_min = ConfidenceFilter(field_name="verdict__confidence", lookup_expr="gte")
    confidence_max = ConfidenceFilter(field_name="verdict__confidence", lookup_expr="lte")
    section = IdFilter(field_name="section_id")
    section_kind = filters.ChoiceFilter(field_name="section__kind", choices=SectionKind.choices)
    overridden = filters.BooleanFilter(method="filter_overridden", label="Curator override")
    scored = filters.BooleanFilter(
        method="filter_scored", label="Checkable pledges (true) or general commitments, not scored (false)"
    )
    include_duplicates = filters.BooleanFilter(
        method="filter_duplicates", label="Include pledges of near-duplicate copies (excluded by default, as in scorecards)"
    )
    q = filters.CharFilter(method="filter_text", label="Text in the pledge or its evidence")

    class Meta:
        model = Pledge
        fields = [
            "jurisdiction", "level", "document", "plan_year", "status", "kind", "confidence_min", "confidence_max",
            "section", "section_kind", "overridden", "scored", "include_duplicates", "q",
        ]

    @property
    def qs(self) -> QuerySet[Pledge]:
        pledges = super().qs
        # Copies of one report would count every pledge twice, so they are hidden unless asked for.
        if not self.form.cleaned_data.get("include_duplicates"):
            pledges = pledges.filter(document__near_duplicate_of__isnull=True)
        return pledges

    def filter_status(self, queryset: QuerySet[Pledge], name: str, value: list[str]) -> QuerySet[Pledge]:
        return selectors.pledges_with_status(queryset, list(value)) if value else queryset

    def filter_overridden(self, queryset: QuerySet[Pledge], name: str, value: bool | None) -> QuerySet[Pledge]:
        if value is None:
            return queryset
        if value:
            return queryset.filter(verdict__override_status__gt="")
        return queryset.exclude(verdict__override_status__gt="")

    def filter_scored(self, queryset: QuerySet[Pledge], name: str, value: bool | None) -> QuerySet[Pledge]:
        if value is None:
            return queryset
        return queryset.filter(selectors.scored_q()) if value else queryset.filter(verdict__scored=False)

    def filter_duplicates(self, queryset: QuerySet[Pledge], name: str, value: bool | None) -> QuerySet[Pledge]:
        return queryset

    def filter_text(self, queryset: QuerySet[Pledge], name: str, value: str) -> QuerySet[Pledge]:
        value = value.strip()
        return selectors.pledges_matching_text(queryset, value) if value else queryset


class EvidenceFilter(filters.FilterSet):
    pledge = IdFilter(field_name="pledge_id")
    review_document = IdFilter(field_name="review_document_id")
    jurisdiction = IdFilter(field_name="pledge__document__jurisdiction_id")
    plan_year = YearFilter(field_name="pledge__plan_year")
    origin = filters.ChoiceFilter(choices=EvidenceOrigin.choices)
    curation = filters.ChoiceFilter(choices=[(c.value or "none", c.label) for c in Curation], method="filter_curation")

    class Meta:
        model = Evidence
        fields = ["pledge", "review_document", "jurisdiction", "plan_year", "origin", "curation"]

    def filter_curation(self, queryset: QuerySet[Evidence], name: str, value: str) -> QuerySet[Evidence]:
        return queryset.filter(curation="" if value == "none" else value)


class TrackingFilter(filters.FilterSet):
    jurisdiction = IdFilter(field_name="plan_document__jurisdiction_id")
    plan_document = IdFilter(field_name="plan_document_id")
    plan_year = YearFilter()
    state = filters.ChoiceFilter(choices=ProcessingState.choices)

    class Meta:
        model = Tracking
        fields = ["jurisdiction", "plan_document", "plan_year", "state"]

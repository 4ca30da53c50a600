"""URL filters of the dashboard: every filter is a GET parameter, so every view has a permalink.

Values that do not validate are dropped rather than answered with an error: a
hand-edited or stale link still shows the page, unfiltered on that field.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tracker.dashboard.labels import KIND_LABELS, LEVEL_LABELS, STATUS_LABELS
from tracker.selectors import COMPARISON_SORTS, CONFIDENCE_BANDS, PLEDGE_SORTS

BAND_LABELS = {"low": _("low (below 50%)"), "medium": _("medium (50–80%)"), "high": _("high (80% and above)")}
CHECKED_LABELS = {"yes": _("checked by a person"), "no": _("machine only")}
assert set(BAND_LABELS) == set(CONFIDENCE_BANDS)


def _choices(labels: dict, blank: str) -> list[tuple[str, str]]:
    return [("", blank), *((str(key), label) for key, label in labels.items())]


class CleanedFilters(forms.Form):
    def filters(self) -> dict:
        """The valid values only; an invalid field is treated as not given."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) for name in self.fields if name not in self.errors}


class PledgeListFilters(CleanedFilters):
    """Filters every pledge list shares: facets (status, kind, sub-section, confidence, checked),
    a confidence range and a sortable column. All GET parameters, so a view is a permalink."""

    q = forms.CharField(label=_("Words"), required=False, max_length=100,
                        help_text=_("searched in the pledge and in the review text answering it"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_choices(STATUS_LABELS, _("all statuses")))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_choices(KIND_LABELS, _("all kinds")))
    band = forms.ChoiceField(label=_("Confidence"), required=False, choices=_choices(BAND_LABELS, _("any confidence")))
    confidence_min = forms.FloatField(label=_("Confidence from"), required=False, min_value=0, max_value=1,
                                      widget=forms.NumberInput(attrs={"step": "0.05", "placeholder": "0"}))
    confidence_max = forms.FloatField(label=_("to"), required=False, min_value=0, max_value=1,
                                      widget=forms.NumberInput(attrs={"step": "0.05", "placeholder": "1"}))
    checked = forms.ChoiceField(label=_("Checked"), required=False, choices=_choices(CHECKED_LABELS, _("checked or not")))
    part = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in PLEDGE_SORTS], widget=forms.HiddenInput)
    dir = forms.ChoiceField(required=False, choices=[("asc", "asc"), ("desc", "desc")], widget=forms.HiddenInput)

    def selector_kwargs(self) -> dict:
        """The valid filters as keyword arguments of selectors.pledges_filter and the sort."""
        f = self.filters()
        names = {"q": "query", "section": "section_id"}
        kwargs = {names.get(key, key): value for key, value in f.items() if key not in {"dir", "year", "jurisdiction"}}
        kwargs["descending"] = f.get("dir") == "desc"
        return kwargs


class PledgeFilterForm(PledgeListFilters):
    section = forms.IntegerField(label=_("Section"), required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, sections: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)


class SearchForm(PledgeListFilters):
    year = forms.IntegerField(label=_("Plan year"), required=False, min_value=1949, max_value=2100)
    jurisdiction = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class CompareForm(CleanedFilters):
    year = forms.IntegerField(label=_("Plan year"), required=False, min_value=1949, max_value=2100, widget=forms.Select)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=_choices(LEVEL_LABELS, _("all levels")))
    j = forms.TypedMultipleChoiceField(label=_("Governments"), required=False, coerce=int)
    sort = forms.ChoiceField(required=False, choices=[(s, s) for s in sorted(COMPARISON_SORTS)], widget=forms.HiddenInput)
    dir = forms.ChoiceField(required=False, choices=[("asc", "asc"), ("desc", "desc")], widget=forms.HiddenInput)

    def __init__(self, *args, years: list[int] | None = None, jurisdictions: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.choices = [(y, y) for y in years or []]
        self.fields["j"].choices = [(j.pk, j.name) for j in jurisdictions or []]
        self.fields["j"].widget.attrs["size"] = 6

"""URL filters of the dashboard: every filter is a GET parameter, so every view has a permalink.

Values that do not validate are dropped rather than answered with an error: a
hand-edited or stale link still shows the page, unfiltered on that field.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tracker.dashboard.labels import KIND_LABELS, LEVEL_LABELS, STATUS_LABELS
from tracker.selectors import COMPARISON_SORTS


def _choices(labels: dict, blank: str) -> list[tuple[str, str]]:
    return [("", blank), *((str(key), label) for key, label in labels.items())]


class CleanedFilters(forms.Form):
    def filters(self) -> dict:
        """The valid values only; an invalid field is treated as not given."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) for name in self.fields if name not in self.errors}


class PledgeFilterForm(CleanedFilters):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_choices(STATUS_LABELS, _("all statuses")))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_choices(KIND_LABELS, _("all kinds")))
    section = forms.IntegerField(label=_("Section"), required=False, min_value=1, widget=forms.Select)
    q = forms.CharField(label=_("Words"), required=False, max_length=100)

    def __init__(self, *args, sections: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].widget.choices = [("", _("all sections"))] + [
            (s.section_id, s.heading[:60]) for s in sections or []
        ]


class SearchForm(CleanedFilters):
    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_choices(STATUS_LABELS, _("all statuses")))
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

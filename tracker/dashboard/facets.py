"""Facet links of a pledge list (Datasette-style): each value with its count and the URL that
narrows the list to it, keeping every other filter, so each facet view is a permalink."""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from tracker.dashboard.forms import BAND_LABELS, CHECKED_LABELS
from tracker.dashboard.labels import KIND_LABELS, STATUS_LABELS
from tracker.selectors import part_label

FACET_TITLES = {
    "status": _("Verdict"),
    "kind": _("Kind"),
    "part": _("Section of the plan"),
    "band": _("Confidence"),
    "checked": _("Checked by a person"),
}


def _label(key: str, value: str) -> str:
    if key == "status":
        return str(STATUS_LABELS.get(value, value))
    if key == "kind":
        return str(KIND_LABELS.get(value, value))
    if key == "band":
        return str(BAND_LABELS.get(value, value))
    if key == "checked":
        return str(CHECKED_LABELS.get(value, value))
    return part_label(value) or str(_("(no sub-section)"))


def _url(query: QueryDict, key: str, value: str | None, anchor: str) -> str:
    params = query.copy()
    params.pop("page", None)
    if value is None:
        params.pop(key, None)
    else:
        params[key] = value
    encoded = params.urlencode()
    return ("?" + encoded if encoded else "?") + anchor


def facet_groups(facets: dict[str, list[tuple[str, int]]], query: QueryDict, anchor: str = "") -> list[dict]:
    """One group per facet: its title, a link to clear it when set, and its values with counts."""
    groups = []
    for key, title in FACET_TITLES.items():
        values = facets.get(key) or []
        chosen = query.get(key, "")
        if not values and not chosen:
            continue
        groups.append(
            {
                "key": key,
                "title": title,
                "clear_url": _url(query, key, None, anchor) if chosen else None,
                "values": [
                    {
                        "value": value,
                        "label": _label(key, value),
                        "count": count,
                        "active": value == chosen,
                        "url": _url(query, key, value, anchor),
                    }
                    for value, count in values
                ],
            }
        )
    return groups

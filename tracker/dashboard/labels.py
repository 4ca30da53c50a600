"""What the dashboard calls things, in the reader's language, and the colours of statuses.

The models' choice labels are English identifiers shared with the API; the
dashboard translates them here so the API's values never change with the UI.
"""

from django.utils.translation import gettext_lazy as _

from tracker.models import ChainKind, Comparator, Level, PledgeKind, Status

STATUS_LABELS = {
    Status.FULFILLED: _("fulfilled"),
    Status.PARTIAL: _("partial"),
    Status.MISSED: _("missed"),
    Status.DROPPED: _("dropped"),
    Status.PENDING: _("pending"),
}

# One meaning per colour across every chart; "dropped" is the darkest because it is the story.
STATUS_COLOURS = {
    Status.FULFILLED: "#2e7d32",
    Status.PARTIAL: "#f0a202",
    Status.MISSED: "#c62828",
    Status.DROPPED: "#4a148c",
    Status.PENDING: "#9e9e9e",
}

KIND_LABELS = {
    PledgeKind.TARGET: _("target"),
    PledgeKind.PROJECT: _("project"),
    PledgeKind.ACTION: _("action"),
}

# How a pledge follows the one of the year before (a chain link's kind).
CHAIN_KIND_LABELS = {
    ChainKind.REPEATED: _("promised again"),
    ChainKind.CONTINUED: _("next stage"),
    ChainKind.TARGET_RAISED: _("target raised"),
    ChainKind.TARGET_LOWERED: _("target lowered"),
}

LEVEL_LABELS = {
    Level.NATIONAL: _("national"),
    Level.PROVINCE: _("province"),
    Level.CITY: _("city"),
    Level.DISTRICT: _("district"),
    Level.COUNTY: _("county"),
    Level.TOWN: _("town"),
}

# Symbols rather than words so a target reads the same in both languages.
COMPARATOR_SYMBOLS = {
    Comparator.AT_LEAST: "≥",
    Comparator.AT_MOST: "≤",
    Comparator.ABOUT: "≈",
    Comparator.EXACT: "=",
    Comparator.RANGE: "",
}

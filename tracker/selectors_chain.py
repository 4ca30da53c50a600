"""Reads of chains (kept beside selectors.py as services_chain.py is beside services.py).

A chain is the pledges of consecutive plans linked by ChainLink rows, oldest first. A link a
curator broke is never shown; a confirmed one is shown as checked by a person.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from tracker.models import ChainCuration, ChainKind, ChainLink, Pledge, Status

# A chain is walked at most this far each way (a government has one plan a year).
CHAIN_MAX_STEPS = 60

# The government lists: what a reporter asks after "was it done?".
CHAIN_LISTS = {
    # Promised again, with no new stage and no new figure, after the review reported it done.
    # Annual targets (the same GDP figure each year) are set again by design, so target links
    # are left out; their changes are the target_changed list.
    "done_again": Q(previous__verdict__status=Status.FULFILLED, kind=ChainKind.REPEATED, basis="text"),
    # Promised again after the next year's review said nothing about it (verdict dropped).
    "silent_again": Q(previous__verdict__status=Status.DROPPED),
    # The same metric with a new figure.
    "target_changed": Q(kind__in=[ChainKind.TARGET_RAISED, ChainKind.TARGET_LOWERED]),
}


def chain_links_visible() -> QuerySet[ChainLink]:
    return ChainLink.objects.exclude(curation=ChainCuration.BROKEN)


def _pledges_light() -> QuerySet[Pledge]:
    return Pledge.objects.select_related("verdict", "document").only(
        "pk", "plan_year", "text", "kind", "start", "end", "document_id", "document__year",
        "document__jurisdiction_id", "target_metric", "target_value", "target_value_max", "target_unit",
        "target_comparator", "verdict__status", "verdict__confidence", "verdict__override_status",
        "verdict__confirmed_at", "verdict__pledge_id",
    )


@dataclass
class ChainStep:
    """One year of a chain: the pledge, and the link that joins it to the year before (None first)."""

    pledge: Pledge
    link: ChainLink | None

    @property
    def status(self) -> str:
        verdict = getattr(self.pledge, "verdict", None)
        return verdict.status if verdict else Status.PENDING


def pledge_chain(pledge_id: int) -> list[ChainStep]:
    """The whole chain holding a pledge, oldest year first; a lone pledge is a chain of one.

    Raises Pledge.DoesNotExist. Walks over the government's visible links in memory (a few
    thousand pairs at most), then loads the chain's pledges in one query.
    """
    pledge = Pledge.objects.select_related("document").only("pk", "document__jurisdiction_id").get(pk=pledge_id)
    rows = list(
        chain_links_visible()
        .filter(jurisdiction_id=pledge.document.jurisdiction_id)
        .order_by("-curation", "pk")  # a confirmed link first, should two ever point at one pledge
        .values_list("pk", "previous_id", "pledge_id")
    )
    back: dict[int, tuple[int, int]] = {}
    forward: dict[int, int] = {}
    for link_id, previous_id, current_id in rows:
        back.setdefault(current_id, (link_id, previous_id))
        forward.setdefault(previous_id, current_id)
    ids = [pledge.pk]
    seen = {pledge.pk}
    while ids[0] in back and back[ids[0]][1] not in seen and len(ids) < CHAIN_MAX_STEPS:
        ids.insert(0, back[ids[0]][1])
        seen.add(ids[0])
    while ids[-1] in forward and forward[ids[-1]] not in seen and len(ids) < 2 * CHAIN_MAX_STEPS:
        ids.append(forward[ids[-1]])
        seen.add(ids[-1])
    pledges = _pledges_light().in_bulk(ids)
    link_ids = [back[pk][0] for pk in ids[1:]]
    links = ChainLink.objects.select_related("curated_by").in_bulk(link_ids)
    steps = [ChainStep(pledges[ids[0]], None)]
    for pk in ids[1:]:
        steps.append(ChainStep(pledges[pk], links[back[pk][0]]))
    return steps


def jurisdiction_chain_links(jurisdiction_id: int, which: str | None = None) -> QuerySet[ChainLink]:
    """A government's visible links, newest plan first; ``which`` one of CHAIN_LISTS (None: all).

    Raises KeyError for an unknown list name.
    """
    links = chain_links_visible().filter(jurisdiction_id=jurisdiction_id)
    if which:
        links = links.filter(CHAIN_LISTS[which])
    return links.select_related("pledge__verdict", "previous__verdict").order_by(
        "-pledge__plan_year", "pledge__start", "pk"
    )


def jurisdiction_chain_counts(jurisdiction_id: int) -> dict[str, int]:
    links = chain_links_visible().filter(jurisdiction_id=jurisdiction_id)
    return {name: links.filter(q).count() for name, q in CHAIN_LISTS.items()}


# The columns of a chain link in every export (API and dashboard), in order.
CHAIN_LINK_COLUMNS = [
    "link_id", "kind", "basis", "similarity", "years_apart", "gap", "curation",
    "previous_pledge_id", "previous_year", "previous_status", "previous_text", "previous_target_value",
    "pledge_id", "plan_year", "status", "text", "target_value", "target_unit",
]


def chain_link_row(link: ChainLink) -> list:
    prev, cur = link.previous, link.pledge
    return [
        link.pk, link.kind, link.basis, link.similarity, link.years_apart, link.gap, link.curation,
        prev.pk, prev.plan_year, _status(prev), prev.text, prev.target_value,
        cur.pk, cur.plan_year, _status(cur), cur.text, cur.target_value, cur.target_unit,
    ]


def _status(pledge: Pledge) -> str:
    verdict = getattr(pledge, "verdict", None)
    return verdict.status if verdict else Status.PENDING

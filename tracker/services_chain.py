"""Writers of chain links (the chains section of the services; kept apart from services.py so the
tracking and curation code there stays small).

A plan's pledges are linked to the government's previous plan by the pure
``tracker.pipeline.chain.plans_chain``; the rows written here are its output. Machine links
are replaced on every run; a link a curator confirmed or broke is never touched by the
machine: confirmed pairs are passed to the pipeline as fixed, broken ones as forbidden.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tracker.models import ChainCuration, ChainLink, Document, Pledge
from tracker.pipeline.chain import MAX_YEARS_APART, ChainPlan, plans_chain
from tracker.pipeline.types import PledgeSpan

logger = logging.getLogger(__name__)


class ChainStaleVersion(Exception):
    """A chain curation based on a version that is no longer current."""

    def __init__(self, current_version: int):
        super().__init__(f"stale version: the current version is {current_version}")
        self.current_version = current_version


def _plans(jurisdiction_id: int):
    return Document.objects.filter(
        jurisdiction_id=jurisdiction_id, plan_report_index__isnull=False, near_duplicate_of__isnull=True
    )


def plan_previous(plan: Document) -> Document | None:
    """The government's latest plan before this one, at most MAX_YEARS_APART years earlier.

    The latest one, so a link skips a year only when that year's plan is missing.
    """
    return (
        _plans(plan.jurisdiction_id)
        .filter(year__lt=plan.year, year__gte=plan.year - MAX_YEARS_APART)
        .order_by("-year", "pk")
        .first()
    )


def plan_next(plan: Document) -> Document | None:
    return (
        _plans(plan.jurisdiction_id)
        .filter(year__gt=plan.year, year__lte=plan.year + MAX_YEARS_APART)
        .order_by("year", "pk")
        .first()
    )


def _span_of(pledge: Pledge) -> PledgeSpan:
    # services imports this module; the row converter is imported here to avoid the cycle
    from tracker.services import pledge_span_from_row

    verdict = getattr(pledge, "verdict", None)
    # The checkable/general flag lives on the verdict; a pledge never tracked counts.
    return replace(pledge_span_from_row(pledge), scored=verdict.scored if verdict is not None else True)


def _plan_pledges(plan: Document) -> list[Pledge]:
    return list(plan.pledges.filter(plan_year=plan.year).select_related("section", "verdict").order_by("start"))


def chain_link_plans(earlier: Document, later: Document) -> int:
    """Link the pledges of ``later`` to those of ``earlier``; returns the machine links kept.

    Replaces the machine links of ``later``'s pledges (to any plan), keeps curated ones.
    """
    with transaction.atomic():
        # One writer per later plan at a time: two builds of the same pair must not interleave.
        Document.objects.select_for_update().filter(pk=later.pk).first()
        old, new = _plan_pledges(earlier), _plan_pledges(later)
        old_pos = {p.pk: i for i, p in enumerate(old)}
        new_pos = {p.pk: j for j, p in enumerate(new)}
        curated = list(
            ChainLink.objects.filter(Q(pledge__in=new) | Q(previous__in=old)).exclude(curation=ChainCuration.NONE)
        )
        fixed, forbidden = set(), set()
        busy_old, busy_new = set(), set()  # confirmed links to pledges of other plans
        for link in curated:
            i, j = old_pos.get(link.previous_id), new_pos.get(link.pledge_id)
            if link.curation == ChainCuration.BROKEN:
                if i is not None and j is not None:
                    forbidden.add((i, j))
            elif i is not None and j is not None:
                fixed.add((i, j))
            elif j is not None:
                busy_new.add(j)
            elif i is not None:
                busy_old.add(i)
        keep_old = [i for i in range(len(old)) if i not in busy_old]
        keep_new = [j for j in range(len(new)) if j not in busy_new]
        old_index = {i: k for k, i in enumerate(keep_old)}
        new_index = {j: k for k, j in enumerate(keep_new)}
        links = plans_chain(
            ChainPlan(str(earlier.jurisdiction_id), earlier.year, [_span_of(old[i]) for i in keep_old]),
            ChainPlan(str(later.jurisdiction_id), later.year, [_span_of(new[j]) for j in keep_new]),
            fixed={(old_index[i], new_index[j]) for i, j in fixed},
            forbidden={(old_index[i], new_index[j]) for i, j in forbidden},
        )
        wanted = {}
        for link in links:
            prev, cur = old[keep_old[link.previous]], new[keep_new[link.current]]
            if (old_pos[prev.pk], new_pos[cur.pk]) in fixed:
                continue  # the curator's row stands as it is
            wanted[(prev.pk, cur.pk)] = link
        machine = {
            (row.previous_id, row.pledge_id): row
            for row in ChainLink.objects.filter(pledge__in=new, curation=ChainCuration.NONE)
        }
        ChainLink.objects.filter(pk__in=[row.pk for key, row in machine.items() if key not in wanted]).delete()
        to_create, to_update = [], []
        for key, link in wanted.items():
            values = {
                "kind": link.kind,
                "similarity": link.similarity,
                "basis": link.basis,
                "years_apart": link.years_apart,
            }
            row = machine.get(key)
            if row is None:
                to_create.append(
                    ChainLink(previous_id=key[0], pledge_id=key[1], jurisdiction_id=later.jurisdiction_id, **values)
                )
            elif any(getattr(row, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(row, f, v)
                to_update.append(row)
        # A pair a curator has just decided on keeps the curator's row.
        ChainLink.objects.bulk_create(to_create, batch_size=500, ignore_conflicts=True)
        if to_update:
            ChainLink.objects.bulk_update(to_update, fields=["kind", "similarity", "basis", "years_apart"], batch_size=500)
    return len(wanted)


def chain_build(plan_document_id: int) -> int:
    """Chain a plan to the government's previous plan, and the next plan to it; idempotent.

    The next plan is re-linked too: a plan ingested late (a missing year found) takes the
    place of the older plan the next one had been linked to across the gap.
    """
    plan = Document.objects.get(pk=plan_document_id)
    if plan.plan_report_index is None or plan.near_duplicate_of_id is not None:
        return 0
    written = 0
    previous = plan_previous(plan)
    if previous is not None:
        written += chain_link_plans(previous, plan)
    following = plan_next(plan)
    if following is not None:
        written += chain_link_plans(plan, following)
    return written


def chain_build_quietly(plan_document_id: int) -> None:
    """chain_build for the tracking task: a chaining failure is logged, never fails the tracking."""
    try:
        chain_build(plan_document_id)
    except Exception:
        logger.exception("chaining plan %s failed", plan_document_id)


class ChainCurationError(ValueError):
    """A chain curation that cannot be applied (a break without a reason)."""


@transaction.atomic
def chain_curate(
    *, link_id: int, confirm: bool, user, expected_version: int | None = None, reason: str = ""
) -> ChainLink:
    """A curator confirms a link or breaks it; either way the machine never changes it again.

    Breaking needs a reason: a broken link disappears from every public page and list, and the
    next curator (or a reader of the history) must be able to tell why.
    """
    if not confirm and not reason.strip():
        raise ChainCurationError("breaking a link needs a reason")
    link = ChainLink.objects.select_for_update().get(pk=link_id)
    if expected_version is not None and link.version != expected_version:
        raise ChainStaleVersion(link.version)
    link.curation = ChainCuration.CONFIRMED if confirm else ChainCuration.BROKEN
    link.curated_by = user
    link.curated_at = timezone.now()
    link.curation_reason = reason.strip()
    link.version += 1
    link._history_user = user
    what = "link confirmed" if confirm else "link broken"
    link._change_reason = (f"{what}: {reason.strip()}" if reason.strip() else what)[:100]
    link.save()
    return link


def chain_link_confirm(*, link_id: int, user, expected_version: int | None = None, reason: str = "") -> ChainLink:
    """The two pledges are the same deliverable: the link stays whatever the machine says later."""
    return chain_curate(link_id=link_id, confirm=True, user=user, expected_version=expected_version, reason=reason)


def chain_link_break(*, link_id: int, user, reason: str, expected_version: int | None = None) -> ChainLink:
    """Not the same deliverable: the link is hidden and never proposed again.

    The two plans are linked again at once, so each pledge may take its next best link
    (the one the broken link had taken from it) without waiting for the next tracking run.
    """
    link = chain_curate(link_id=link_id, confirm=False, user=user, expected_version=expected_version, reason=reason)
    later = Document.objects.get(pk=link.pledge.document_id)
    # The plan the machine links to now, not necessarily the broken link's (a late-found year).
    earlier = plan_previous(later) if later.plan_report_index is not None else None
    if earlier is not None:
        chain_link_plans(earlier, later)
    return link

"""Verdicts for the pledges of a year-N plan against the year-N+1 review.

The public entry points are :func:`pledges_judge` (a review is in) and
:func:`pledges_pending` (not yet). Both are pure: no Django, no I/O beyond the word
tables shipped in ``data/``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence

from tracker.pipeline.classify import (
    blanket_spans,
    compare,
    is_generic,
    is_listed,
    metric_direction,
    target_actual,
    target_of,
    words_status,
)
from tracker.pipeline.match import Candidate, ReviewSpan, candidates_find, review_spans_split
from tracker.pipeline.types import EvidenceSpan, PledgeSpan, SectionSpan, Target, Verdict

# Similarity (0..100) from which a review span counts as addressing the pledge. Below
# it the review is taken to be silent; the confidence shrinks near the threshold.
ADDRESSED_AT = 38.0
# Spread of the logistic turning the distance to the threshold into a confidence.
CONFIDENCE_SCALE = 8.0
# A second evidence span is kept when it scores this close to the best and sits in
# another sentence: one clause is often not enough for a two-part pledge.
SECOND_EVIDENCE_GAP = 6.0
# A blanket "the whole list was done" claim is weak evidence for any one item.
BLANKET_CONFIDENCE = 0.35
TOP_K = 8


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _evidence(span: ReviewSpan, score: float) -> EvidenceSpan:
    return EvidenceSpan(span.text, span.start, span.end, round(float(score), 2))


def _evidence_pick(cands: Sequence[Candidate]) -> tuple[EvidenceSpan, ...]:
    best = cands[0]
    out = [_evidence(best.span, best.score)]
    for c in cands[1:]:
        if c.score < best.score - SECOND_EVIDENCE_GAP or c.score < ADDRESSED_AT:
            break
        if c.span.sentence != best.span.sentence:
            out.append(_evidence(c.span, c.score))
            break
    return tuple(out)


def pledge_judge(
    pledge: PledgeSpan, cands: Sequence[Candidate], blankets: Sequence[ReviewSpan]
) -> Verdict:
    """The verdict for one pledge from its ranked candidates."""
    best = cands[0] if cands else None
    top = best.score if best is not None else 0.0
    target, metric = target_of(pledge)
    if target is not None:
        found = target_actual(pledge, cands, target, metric)
        if found is not None:
            cand, fig, sim = found
            direction = (pledge.target.direction if pledge.target and pledge.target.direction != "floor" else None)
            direction = direction or metric_direction(metric or pledge.text)
            status, conf = compare(target, fig, direction)
            actual = Target(metric, fig.value, fig.unit or None, fig.comparator, direction, fig.value_max)
            return Verdict(status, round(conf * min(1.0, 0.5 + sim / 2), 3), (_evidence(cand.span, cand.score),), actual)
    if best is not None and top >= ADDRESSED_AT and not (is_generic(best.span.text) and top < ADDRESSED_AT + 10):
        status, conf = words_status(pledge.text, best.span.text)
        conf *= _sigmoid((top - ADDRESSED_AT) / CONFIDENCE_SCALE + 1.0)
        return Verdict(status, round(conf, 3), _evidence_pick(cands))
    if blankets and is_listed(pledge):
        b = blankets[0]
        return Verdict("fulfilled", BLANKET_CONFIDENCE, (_evidence(b, top),))
    conf = _sigmoid((ADDRESSED_AT - top) / CONFIDENCE_SCALE)
    return Verdict("dropped", round(conf, 3))


def pledges_judge(
    pledges: Sequence[PledgeSpan],
    review_text: str,
    review_sections: Sequence[SectionSpan],
    plan_year: int,
) -> list[Verdict]:
    """One verdict per pledge, same order, with evidence offsets into ``review_text``."""
    spans = review_spans_split(review_text, review_sections, plan_year)
    workers = min(2, os.cpu_count() or 1)
    cands = candidates_find(pledges, spans, top_k=TOP_K, workers=workers)
    blankets = blanket_spans(spans)
    return [pledge_judge(p, c, blankets) for p, c in zip(pledges, cands)]


def pledges_pending(pledges: Sequence[PledgeSpan]) -> list[Verdict]:
    """Verdicts for a plan whose review is not in yet: pending, never dropped."""
    return [Verdict("pending", 1.0) for _ in pledges]

"""One pledge per deliverable: a target stated twice in one plan is counted once.

A plan lists its main targets (国内生产总值增长5%左右) and then often restates one while
explaining it (经济增长预期目标为5%左右，主要考虑…). Counted twice, the same deliverable gets
two verdicts, often opposite ones, and weighs twice on the scorecard.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .classify import metric_fold, target_of
from .match import text_fold
from .types import PledgeSpan

# Framing around a metric that does not change what is measured.
_FRAMING = re.compile(r"预期目标|预期|目标|力争|为|达到|保持|实现|左右|以上|以内|以下")


def _metric_key(pledge: PledgeSpan) -> tuple | None:
    target = pledge.target
    if target is None or target.value is None:
        return None
    _, metric = target_of(pledge)
    metric = _FRAMING.sub("", metric_fold(metric or ""))
    if len(metric) < 2:
        return None
    return (metric, float(target.value), target.value_max, target.unit or "", target.comparator)


def _same_metric(a: tuple, b: tuple) -> bool:
    # the later statement may name the metric with more or fewer words (经济增长 / 国内生产总值增长)
    return a[1:] == b[1:] and (a[0] == b[0] or a[0].endswith(b[0]) or b[0].endswith(a[0]))


def pledges_dedupe(pledges: Sequence[PledgeSpan]) -> list[PledgeSpan]:
    """The pledges with later restatements of the same deliverable removed, order kept.

    Two items are the same deliverable when they set the same figure for the same metric, or
    say the same words. The first statement is kept (the plan's own list of targets), unless a
    later one holds all of its words, which then is the fuller span and is kept in its place.
    """
    kept: list[PledgeSpan] = []
    keys: list[tuple | None] = []
    texts: list[str] = []
    # A same-text twin is looked up, and only an item with a metric scans the kept ones for a
    # same-metric twin: every item compared with every other was a tenth of the pipeline's time
    # once each candidate clause became an item.
    by_text: dict[str, int] = {}
    for pledge in pledges:
        key, text = _metric_key(pledge), text_fold(pledge.text)
        same_metric = (
            next((i for i, k in enumerate(keys) if k is not None and _same_metric(k, key)), None) if key else None
        )
        twin = min((i for i in (by_text.get(text), same_metric) if i is not None), default=None)
        if twin is None:
            by_text.setdefault(text, len(kept))
            kept.append(pledge)
            keys.append(key)
            texts.append(text)
        elif texts[twin] in text and len(text) > len(texts[twin]):
            if by_text.get(texts[twin]) == twin:
                del by_text[texts[twin]]
            by_text[text] = min(twin, by_text.get(text, twin))
            kept[twin], keys[twin], texts[twin] = pledge, key, text
    return kept

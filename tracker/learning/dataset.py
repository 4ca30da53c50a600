"""The labelled pairs as training rows: every extracted item with its features and its label.

An item is labelled with the scorer's own matching (../shared/eval/score.py): a gold pledge
is found by the extracted item with the highest rapidfuzz ``partial_ratio`` (at least 85),
unless that item is far longer than the gold text. An item no gold pledge finds is not a
pledge; an item found by several takes the first one's status.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from tracker.pipeline.compare import report_positions
from tracker.pipeline.judge import pledges_judge
from tracker.pipeline.read import document_read, report_with_plan, report_with_review
from tracker.pipeline.types import PledgeSpan, Verdict

FOUND_AT = 85
STATUSES = ("fulfilled", "partial", "missed", "dropped")


class GoldError(ValueError):
    """A labelled folder or file that cannot be used; the message names it."""


@dataclass
class Item:
    pair: str
    index: int
    pledge: PledgeSpan
    verdict: Verdict
    position: float  # where the item stands in the plan part, 0..1
    gold_status: str | None = None  # None: not a labelled pledge


@dataclass
class Pair:
    name: str
    meta: dict
    gold: list[dict]
    items: list[Item] = field(default_factory=list)
    compare: dict | None = None  # the compare JSON of the pair, before any learned decision


def scorer_norm(s: str) -> str:
    """A text as the scorer compares it: NFKC, no whitespace."""
    s = unicodedata.normalize("NFKC", s or "")
    return "".join(ch for ch in s if not ch.isspace())


def too_long_for_gold(sys_text: str, gold_text: str) -> bool:
    """The scorer's rule that a whole paragraph is not a pledge, whatever it contains."""
    return len(sys_text) > max(3 * len(gold_text), len(gold_text) + 60)


def gold_align(gold: list[dict], texts: list[str]) -> list[int | None]:
    """For each gold pledge, the index of the extracted text that counts as it (or None)."""
    normed = [scorer_norm(t) for t in texts]
    out: list[int | None] = []
    for g in gold:
        gn = scorer_norm(g["pledge"])
        best, best_score = None, -1.0
        for i, n in enumerate(normed):
            if too_long_for_gold(n, gn):
                continue
            sc = fuzz.partial_ratio(gn, n)
            if sc > best_score or (sc == best_score and best is not None and len(n) < len(normed[best])):
                best, best_score = i, sc
        out.append(best if best_score >= FOUND_AT else None)
    return out


def gold_load(gold_dir: Path) -> list[tuple[str, dict, list[dict]]]:
    """(pair, meta, gold pledges) for every pair of the folder; GoldError names what is wrong."""
    if not gold_dir.is_dir():
        raise GoldError(f"{gold_dir}: no such folder of labelled pairs")
    metas = sorted(gold_dir.glob("*.meta.json"))
    if not metas:
        raise GoldError(f"{gold_dir}: no <pair>.meta.json files")
    out = []
    for mp in metas:
        pair = mp.name[: -len(".meta.json")]
        try:
            meta = json.loads(mp.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GoldError(f"{mp}: not readable JSON ({exc})") from exc
        if not isinstance(meta, dict) or not all(k in meta for k in ("plan_file", "review_file", "plan_year")):
            raise GoldError(f"{mp}: needs plan_file, review_file and plan_year")
        lp = gold_dir / f"{pair}.jsonl"
        if not lp.is_file():
            raise GoldError(f"{lp}: label file missing for pair {pair}")
        gold = []
        try:
            lines = lp.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise GoldError(f"{lp}: not readable UTF-8 ({exc})") from exc
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldError(f"{lp}:{n}: bad JSON ({exc.msg})") from exc
            if not isinstance(row, dict) or not isinstance(row.get("pledge"), str) or row.get("status") not in STATUSES:
                raise GoldError(f"{lp}:{n}: needs a 'pledge' text and a status among {', '.join(STATUSES)}")
            gold.append(row)
        if not gold:
            raise GoldError(f"{lp}: no labelled pledges")
        out.append((pair, meta, gold))
    return out


def pair_build(pair: str, meta: dict, gold: list[dict], corpus: Path) -> Pair:
    """Run extraction and matching on one labelled pair and label every item."""
    year = int(meta["plan_year"])
    paths = [corpus / meta["plan_file"], corpus / meta["review_file"]]
    for p in paths:
        if not p.is_file():
            raise GoldError(f"{p}: corpus file of pair {pair} is missing")
    plan = document_read(paths[0].name, paths[0].read_bytes(), year)
    report = report_with_plan(plan, year)
    if report is None:
        raise GoldError(f"{paths[0]}: no plan for {year} recognised (pair {pair})")
    review = document_read(paths[1].name, paths[1].read_bytes(), year + 1)
    rreport = report_with_review(review, year)
    if rreport is None:
        raise GoldError(f"{paths[1]}: no review of {year} recognised (pair {pair})")
    pledges = report.pledges
    verdicts = pledges_judge(pledges, review.text, rreport.sections, year)
    positions = report_positions(report)
    items = [Item(pair, i, p, v, x) for i, (p, v, x) in enumerate(zip(pledges, verdicts, positions, strict=True))]
    for g, i in zip(gold, gold_align(gold, [p.text for p in pledges]), strict=True):
        if i is not None and items[i].gold_status is None:
            items[i].gold_status = g["status"]
    return Pair(pair, meta, gold, items)


def pairs_build(gold_dir: Path, corpus: Path) -> list[Pair]:
    return [pair_build(name, meta, gold, corpus) for name, meta, gold in gold_load(gold_dir)]

"""How far a scored threshold alone can take precision (tracker.learning.fit.precision_ceiling)."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import pytest

from tracker.learning.dataset import Item, Pair, gold_align, pair_build
from tracker.learning.fit import precision_ceiling, prefix_counts
from tracker.pipeline.calibrate import model_default
from tracker.pipeline.types import PledgeSpan, Verdict


def _item(index: int, text: str, labelled: bool) -> Item:
    pledge = PledgeSpan(text, 0, len(text), "action", "三、今年政府工作任务", 0)
    verdict = Verdict("dropped", 0.8, features={"path": "none", "top": 12.0, "second": 8.0, "near_status": "dropped"})
    return Item("t-2025", index, pledge, verdict, index / 5, "dropped" if labelled else None)


def _pair(items: list[tuple[str, bool]]) -> Pair:
    gold = [{"pledge": text, "status": "dropped"} for text, labelled in items if labelled]
    return Pair("t-2025", {}, gold, [_item(i, text, labelled) for i, (text, labelled) in enumerate(items)])


DEV = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "dev"
CORPUS = DEV.parents[1] / "corpus"

ITEMS = [
    ("新建高标准农田2万亩", True),
    ("建成3所县级医院", False),
    ("新建高标准农田2万亩、提标4.5万亩", False),  # holds the first pledge, but is not it
    ("坚持稳中求进工作总基调", False),
    ("开工建设沿江城际铁路", True),
]


def _model(**weights: float):
    # a pledge model that sees only the features named: items are admitted in a known order
    return replace(model_default(), pledge_bias=-2.5, pledge_weights=weights, stack=None)


def test_the_ceiling_is_the_best_prefix_that_keeps_the_recall():
    pair = _pair(ITEMS)
    by_digit = _model(digit=5.0)
    # admitted: the three items with a figure, then the rest; all of the pledges need all five items
    assert precision_ceiling(pair, by_digit, recall=0.9) == 2 / 5
    # half the pledges: the first item alone does it
    assert precision_ceiling(pair, by_digit, recall=0.5) == 1.0


def test_an_item_that_only_contains_a_pledge_counts_as_it_until_the_pledge_itself_is_admitted():
    pair = _pair(ITEMS)
    clause_first = _model(digit=5.0, **{"bi:提标": 3.0})
    # admitted: the longer clause, the exact pledge, the hospitals, the stance, the railway
    assert precision_ceiling(pair, clause_first, recall=0.5) == 1.0  # the clause alone is found as the pledge
    # once the exact pledge is in, the clause is no longer a use of it: two used of five, not three
    assert precision_ceiling(pair, clause_first, recall=0.9) == 2 / 5


def test_nothing_reaches_a_recall_the_items_cannot_give():
    pair = _pair([("坚持稳中求进工作总基调", False), ("新建高标准农田2万亩", True)])
    pair.gold.append({"pledge": "办好第九届省园博会", "status": "dropped"})
    assert precision_ceiling(pair, _model(digit=5.0), recall=0.9) == 0.0


def _aligned_counts(pair: Pair, admitted: list[int]) -> tuple[int, int]:
    # what the scorer counts for this set of items, given to it in document order
    aligned = gold_align(pair.gold, [pair.items[i].pledge.text for i in sorted(admitted)])
    return sum(1 for a in aligned if a is not None), len({a for a in aligned if a is not None})


def _assert_counts_match_the_scorer(pair: Pair, order: list[int], lengths) -> None:
    counts = list(prefix_counts(pair, order))
    assert len(counts) == len(order)
    for k in lengths:
        assert counts[k - 1] == _aligned_counts(pair, order[:k]), k


def test_prefix_counts_are_the_scorers_counts_on_every_prefix_ties_included():
    # two items hold the first pledge with the same score and length, and the later one also holds
    # the railway: the earlier one counts as the first pledge, so both are used, not one
    both = "新建高标准农田2万亩开工建设沿江城际铁路"
    pair = _pair([*ITEMS, ("新建高标准农田2万亩并完成提标改造的任务", False), (both, False)])
    assert len(pair.items[-2].pledge.text) == len(both)
    for seed in range(5):
        order = list(range(len(pair.items)))
        random.Random(seed).shuffle(order)
        _assert_counts_match_the_scorer(pair, order, range(1, len(order) + 1))


def test_prefix_counts_are_the_scorers_counts_on_a_labelled_pair():
    meta_path = DEV / "national-2023.meta.json"
    if not meta_path.is_file() or not CORPUS.is_dir():
        pytest.skip(f"labelled pairs or corpus not found at {DEV}")
    gold = [json.loads(line) for line in (DEV / "national-2023.jsonl").read_text(encoding="utf-8").splitlines() if line]
    pair = pair_build("national-2023", json.loads(meta_path.read_text(encoding="utf-8")), gold, CORPUS)
    order = list(range(len(pair.items)))
    random.Random(7).shuffle(order)
    _assert_counts_match_the_scorer(pair, order, range(1, len(order) + 1, 7))

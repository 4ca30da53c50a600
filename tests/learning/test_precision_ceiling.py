"""How far a scored threshold alone can take precision (tracker.learning.fit.precision_ceiling)."""

from __future__ import annotations

from dataclasses import replace

from tracker.learning.dataset import Item, Pair
from tracker.learning.fit import precision_ceiling
from tracker.pipeline.calibrate import model_default
from tracker.pipeline.types import PledgeSpan, Verdict


def _item(index: int, text: str, labelled: bool) -> Item:
    pledge = PledgeSpan(text, 0, len(text), "action", "三、今年政府工作任务", 0)
    verdict = Verdict("dropped", 0.8, features={"path": "none", "top": 12.0, "second": 8.0, "near_status": "dropped"})
    return Item("t-2025", index, pledge, verdict, index / 5, "dropped" if labelled else None)


def _pair(items: list[tuple[str, bool]]) -> Pair:
    gold = [{"pledge": text, "status": "dropped"} for text, labelled in items if labelled]
    return Pair("t-2025", {}, gold, [_item(i, text, labelled) for i, (text, labelled) in enumerate(items)])


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

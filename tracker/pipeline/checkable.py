"""Features of an extracted item that tell a checkable pledge from a general commitment.

A checkable pledge names a deliverable (a figure, a named project, event or institution,
a bounded act); a general commitment is a direction of work with none. The weights that
turn these features into a probability are learned on the labelled pairs
(tracker/learning, shipped in data/model.json); this module only describes an item.
"""

from __future__ import annotations

import re
from pathlib import Path

from .extract import (
    _AIM_VERB,
    _BOUNDED,
    _EMPTY_TAIL,
    _GENERIC_VERB,
    _NAMED,
    _PROJECT_NOUN,
    _SLOGAN,
    _STANCE,
    _STANCE_HARD,
    _TREND,
    pledge_score,
)
from .match import text_fold
from .types import PledgeSpan

_DATA = Path(__file__).resolve().parent / "data"


def _word_table(name: str) -> tuple[str, ...]:
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return tuple(w.strip() for w in lines if w.strip() and not w.startswith("#"))


# 完善边境贸易支持政策, 健全防范化解拖欠企业账款长效机制: the review can say whether the rule exists.
_INSTRUMENT_TAIL = re.compile("(?:" + "|".join(map(re.escape, _word_table("instrument_nouns.txt"))) + ")$")
# A generic action whose object is a capacity, level or pattern (提高…安全保障能力,
# 形成…新格局) states an aim; nothing in the review can show it was delivered.
_CAPACITY_TAIL = re.compile(r"(?:格局|局面|能力|水平|作用|合力|氛围|步伐|活力|动力|优势|效能|质效|大局|稳定)$")

_FLAGS = {
    "aim_verb": _AIM_VERB,
    "bounded": _BOUNDED,
    "capacity_tail": _CAPACITY_TAIL,
    "empty_tail": _EMPTY_TAIL,
    "generic_verb": _GENERIC_VERB,
    "instrument_tail": _INSTRUMENT_TAIL,
    "named": _NAMED,
    "project_noun": _PROJECT_NOUN,
    "slogan": _SLOGAN,
    "stance": _STANCE,
    "stance_hard": _STANCE_HARD,
    "trend": _TREND,
}
_DIGIT = re.compile(r"\d")
_NON_HAN = re.compile(r"[^\u4e00-\u9fff]")
_LENGTH_BINS = (6, 10, 15, 20, 30, 45, 70)


def _length_bin(n: int) -> str:
    for b in _LENGTH_BINS:
        if n < b:
            return f"len<{b}"
    return f"len>={_LENGTH_BINS[-1]}"


def checkable_features(pledge: PledgeSpan, position: float) -> dict[str, float]:
    """Sparse features of one item: its words (character bigrams), edges, shape and structure.

    ``position`` is where the item stands in the plan part (0 first, 1 last): targets open
    a plan, general commitments close its chapters on government and the party.
    """
    text = text_fold(pledge.text)
    han = _NON_HAN.sub("", text)
    f: dict[str, float] = {"bias_kind=" + pledge.kind: 1.0, _length_bin(len(text)): 1.0}
    for name, rx in _FLAGS.items():
        if rx.search(text):
            f["re:" + name] = 1.0
    f["score=" + str(max(-2, min(4, pledge_score(text))))] = 1.0
    if pledge.target is not None:
        f["target"] = 1.0
        f["cmp=" + pledge.target.comparator] = 1.0
    if _DIGIT.search(text):
        f["digit"] = 1.0
    for mark, name in (("、", "enum"), ("“", "quote"), ("《", "title")):
        if mark in text:
            f["mark:" + name] = 1.0
    f["depth=" + str(min(3, pledge.section_path.count(" / ")))] = 1.0
    f["pos=" + str(min(4, int(position * 5)))] = 1.0
    if han:
        f["pre:" + han[:2]] = 1.0
        f["suf:" + han[-2:]] = 1.0
    for i in range(len(han) - 1):
        f["bi:" + han[i : i + 2]] = 1.0
    return f

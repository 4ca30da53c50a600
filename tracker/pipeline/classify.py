"""The status of one pledge from its best review candidates.

Targets are decided by figures: the reported figure against the target, respecting
the comparator and whether the metric is a floor (growth, output) or a ceiling
(unemployment, prices, energy intensity). Projects and actions are decided by the
words of the evidence: completion, progress or shortfall. The word lists live in
``data/*.tsv`` so they can be extended without touching the logic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tracker.pipeline.match import Candidate, ReviewSpan, bigrams, text_fold
from tracker.pipeline.types import PledgeSpan, Target

DATA = Path(__file__).resolve().parent / "data"

MULTIPLIERS = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2}
# Units longest first so 个百分点 wins over 个, 人次 over 人.
UNITS = (
    "个百分点|%|％|‰|元/平方米|立方米/秒|万吨/日|吨/日|千瓦时|千瓦|平方米|立方米|公里|千米|公顷|亩|"
    "人次|人|户|个|座|所|家|张|套|台|项|辆|批次|件|条|间|栋|名|场次|场|处|元|吨|斤|倍|艘|架|分|GW|km|MW"
)
FIGURE_RX = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)(?:\s*[-—–~～至到]\s*(?P<num2>\d+(?:\.\d+)?))?\s*"
    r"(?P<mult>万亿|亿|万|千|百)?(?P<unit>" + UNITS + r")?"
)
REDUCTION_RX = re.compile(r"(降低|下降|减少|压减|降幅|降|减)[^\d，。；]{0,4}$")
RISE_RX = re.compile(r"(上涨|涨幅|增长|提高|上升)[^\d，。；]{0,4}$")
METRIC_STOP = re.compile(r"(力争|确保|实现|保持|争取|预期|目标|全年|今年|达到|达|超过|超|不低于|不少于|在|为|以上|以内|左右)")

# Tolerance of 左右: ±0.3 percentage points for rates, ±5% of the value otherwise.
ABOUT_PP = 0.3
ABOUT_REL = 0.05
# Share of a counted target reached below which a shortfall is a miss rather than partial.
PARTIAL_SHARE = 0.6


@dataclass(frozen=True)
class Figure:
    value: float  # in the base unit (万 and 亿 multiplied out)
    value_max: float | None
    unit: str  # base unit without multiplier, "" when none
    start: int  # offsets into the text it was parsed from
    end: int
    comparator: str  # one of COMPARATORS
    reduction: bool  # the figure is a decrease (降低2.5%)
    raw: str


@dataclass(frozen=True)
class StatusCall:
    status: str
    confidence: float
    evidence: tuple[ReviewSpan, ...]
    actual: Target | None = None


@lru_cache(maxsize=None)
def _table(name: str) -> tuple[tuple[str, ...], ...]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(tuple(line.split("\t")))
    return tuple(rows)


@lru_cache(maxsize=None)
def words(category: str) -> tuple[str, ...]:
    """Words of one category of ``verdict_words.tsv``, longest first."""
    found = [r[0] for r in _table("verdict_words.tsv") if len(r) > 1 and r[1] == category]
    return tuple(sorted(found, key=len, reverse=True))


@lru_cache(maxsize=None)
def list_pattern(role: str) -> re.Pattern:
    pats = [r[0] for r in _table("list_names.tsv") if len(r) > 1 and r[1] == role]
    return re.compile("|".join(f"(?:{p})" for p in pats))


@lru_cache(maxsize=None)
def _comparator_words() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    before, after = [], []
    for r in _table("comparators.tsv"):
        if len(r) < 3:
            continue
        (before if r[2] == "before" else after).append((r[0], r[1]))
    before.sort(key=lambda x: -len(x[0]))
    after.sort(key=lambda x: -len(x[0]))
    return before, after


def metric_direction(metric: str) -> str:
    """floor (more is better) unless the metric is a listed ceiling such as unemployment."""
    for row in _table("metric_direction.tsv"):
        if row[0] in metric:
            return row[1]
    return "floor"


def unit_split(unit: str | None) -> tuple[float, str]:
    """(multiplier, base unit) of a unit as written: 万人 -> (1e4, 人)."""
    u = (unit or "").strip().replace("％", "%")
    for prefix, k in MULTIPLIERS.items():
        if u.startswith(prefix) and len(u) > len(prefix):
            return k, u[len(prefix):]
        if u == prefix:
            return k, ""
    return 1.0, u


def figures_parse(text: str) -> list[Figure]:
    """Figures with units in a sentence: 增长3.9%, 1256万人, 1.3万亿斤, 3-5分."""
    before, after = _comparator_words()
    out = []
    for m in FIGURE_RX.finditer(text):
        num = m.group("num")
        mult = m.group("mult") or ""
        unit = (m.group("unit") or "").replace("％", "%")
        if not unit and not mult:
            # a bare number is a year, an ordinal or a count we cannot type
            continue
        if unit == "年" or (not mult and unit in ("", "名") and len(num) == 4 and num.startswith("20")):
            continue
        k = MULTIPLIERS.get(mult, 1.0)
        value = float(num) * k
        value_max = float(m.group("num2")) * k if m.group("num2") else None
        head = text[max(0, m.start() - 6): m.start()]
        tail = text[m.end(): m.end() + 3]
        comparator = "range" if value_max is not None else "exact"
        for w, c in after:
            if tail.startswith(w):
                comparator = c
                break
        else:
            for w, c in before:
                if head.endswith(w) or head[:-1].endswith(w):
                    comparator = c
                    break
        out.append(
            Figure(
                value, value_max, unit, m.start(), m.end(), comparator,
                bool(REDUCTION_RX.search(head)), m.group(0),
            )
        )
    return out


def target_of(pledge: PledgeSpan) -> tuple[Figure | None, str]:
    """The pledge's target figure and the metric words in front of it."""
    text = text_fold(pledge.text)
    figs = figures_parse(text)
    t = pledge.target
    fig = None
    if t is not None and t.value is not None:
        k, base = unit_split(t.unit)
        for f in figs:
            if abs(f.value - float(t.value) * k) <= 1e-6 * max(1.0, abs(f.value)) and f.unit == base:
                fig = f
                break
        if fig is None:
            vmax = float(t.value_max) * k if t.value_max is not None else None
            fig = Figure(float(t.value) * k, vmax, base, 0, 0, t.comparator, False, str(t.value))
        elif t.comparator and t.comparator != "exact":
            fig = Figure(fig.value, fig.value_max, fig.unit, fig.start, fig.end, t.comparator, fig.reduction, fig.raw)
    elif figs:
        fig = figs[0]
    if fig is None:
        return None, ""
    metric = (t.metric if t is not None and t.metric else "") or METRIC_STOP.sub("", text[: fig.start])
    return fig, metric[-20:]


def compare(target: Figure, actual: Figure, direction: str) -> tuple[str, float]:
    """fulfilled / partial / missed for a reported figure against a target, with confidence."""
    v, a = target.value, actual.value
    rate = target.unit in ("%", "‰", "个百分点")
    tol = ABOUT_PP if rate else abs(v) * ABOUT_REL
    if target.reduction and not actual.reduction and actual.unit == "%" and RISE_RX.search(actual.raw):
        return "missed", 0.5
    if target.reduction:
        # 能耗降低2.5%: the figure is the size of the cut, so more cut is better
        direction = "floor"
    if direction == "ceiling":
        limit = v if target.comparator in ("at_most", "exact") else v + tol
        if target.comparator == "range" and target.value_max is not None:
            limit = target.value_max
        return ("fulfilled", 0.8) if a <= limit + 1e-9 else ("missed", 0.7)
    floor = v - tol if target.comparator == "about" else v
    if a >= floor - 1e-9:
        return "fulfilled", 0.85
    if not rate and a >= PARTIAL_SHARE * v:
        return "partial", 0.5
    return "missed", 0.7


def _metric_sim(metric: str, text: str) -> float:
    mg = set(bigrams(metric))
    if not mg:
        return 0.0
    return len(mg & set(bigrams(text))) / len(mg)


def target_actual(
    pledge: PledgeSpan, candidates: Sequence[Candidate], target: Figure, metric: str
) -> tuple[Candidate, Figure, float] | None:
    """The candidate span reporting the target's metric with a figure in a comparable unit."""
    best = None
    for c in candidates:
        text = text_fold(c.span.text)
        for f in figures_parse(text):
            if f.unit != target.unit:
                continue
            window = text[max(0, f.start - 16): f.start]
            sim = _metric_sim(metric, window) if metric else 0.0
            sim = max(sim, 0.7 * _metric_sim(metric, text) if metric else 0.0)
            key = sim + 0.002 * c.score - 0.001 * len(c.span.text) / 10
            if best is None or key > best[0]:
                best = (key, c, f, sim)
    if best is None or best[3] < 0.5:
        return None
    return best[1], best[2], best[3]


def _has(text: str, category: str) -> str | None:
    for w in words(category):
        if w in text:
            return w
    return None


def words_status(pledge_text: str, evidence_text: str) -> tuple[str, float]:
    """Status of a project or action from the words of its evidence."""
    ev = text_fold(evidence_text)
    if _has(ev, "shortfall"):
        return "missed", 0.55
    done = _has(ev, "completion")
    going = _has(ev, "progress")
    promised_finish = _has(text_fold(pledge_text), "finish")
    if going and promised_finish and not done:
        return "partial", 0.5
    return "fulfilled", 0.7


def is_listed(pledge: PledgeSpan) -> bool:
    """Whether the pledge belongs to an enumerated list such as 十件民生实事."""
    return bool(list_pattern("list").search(pledge.section_path or ""))


def blanket_spans(spans: Sequence[ReviewSpan]) -> list[ReviewSpan]:
    """Review clauses claiming a whole list was completed, shortest first."""
    rx = list_pattern("blanket")
    hits = [s for s in spans if rx.search(text_fold(s.text))]
    hits.sort(key=lambda s: len(s.text))
    return hits


def is_generic(span_text: str) -> bool:
    """Praise of a whole field: a generic phrase and no figure or named thing."""
    t = text_fold(span_text)
    return bool(_has(t, "generic")) and not figures_parse(t) and "“" not in span_text

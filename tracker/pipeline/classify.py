"""The status of one pledge from its best review candidates.

Targets are decided by figures: the reported figure against the target, respecting
the comparator and whether the metric is a floor (growth, output) or a ceiling
(unemployment, prices, energy intensity). Projects and actions are decided by the
words of the evidence: completion, progress or shortfall. The word lists live in
``data/*.tsv`` so they can be extended without touching the logic.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tracker.pipeline.match import Candidate, ReviewSpan, bigrams, content_mask, text_fold
from tracker.pipeline.segment import cn_ordinal
from tracker.pipeline.types import PledgeSpan, Target

DATA = Path(__file__).resolve().parent / "data"

MULTIPLIERS = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2}
# Units longest first so 个百分点 wins over 个, 人次 over 人.
UNITS = (
    "个百分点|%|％|‰|元/平方米|立方米/秒|万吨/日|吨/日|千瓦时|千瓦|平方米|立方米|公里|千米|公顷|亩|"
    "人次|人|户|个|座|所|家|张|套|台|项|辆|批次|件|条|间|栋|名|场次|场|处|元|吨|斤|倍|艘|架|列|分|GW|km|MW"
)
FIGURE_RX = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)(?:\s*[-—–~～至到]\s*(?P<num2>\d+(?:\.\d+)?))?\s*"
    r"(?P<mult>万亿|亿|万|千|百)?(?P<unit>" + UNITS + r")?"
)
REDUCTION_RX = re.compile(r"(降低|下降|减少|压减|降幅|降|减)[^\d，。；]{0,4}$")
RISE_RX = re.compile(r"(上涨|涨幅|增长|提高|上升)[^\d，。；]{0,4}$")
METRIC_STOP = re.compile(r"(力争|确保|实现|保持|争取|预期|目标|全年|今年|达到|达|超过|超|不低于|不少于|在|为|以上|以内|左右)")

RATE_UNITS = ("%", "‰", "个百分点")
# Tolerance of 左右: ±0.3 percentage points for rates, ±5% of the value otherwise.
ABOUT_PP = 0.3
ABOUT_REL = 0.05
# Share of a counted target reached below which a shortfall is a miss rather than partial.
PARTIAL_SHARE = 0.6
MIN_METRIC_BIGRAMS = 2
# Share of the metric's bigrams the review must name next to its figure.
METRIC_MATCH_AT = 0.75


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


@cache
def _table(name: str) -> tuple[tuple[str, ...], ...]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(tuple(line.split("\t")))
    return tuple(rows)


@cache
def words(category: str) -> tuple[str, ...]:
    """Words of one category of ``verdict_words.tsv``, longest first."""
    found = [r[0] for r in _table("verdict_words.tsv") if len(r) > 1 and r[1] == category]
    return tuple(sorted(found, key=len, reverse=True))


@cache
def list_pattern(role: str) -> re.Pattern:
    pats = [r[0] for r in _table("list_names.tsv") if len(r) > 1 and r[1] == role]
    return re.compile("|".join(f"(?:{p})" for p in pats))


@cache
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
    if u == "百分点":
        u = "个百分点"
    for prefix, k in MULTIPLIERS.items():
        if u.startswith(prefix) and len(u) > len(prefix):
            return k, u[len(prefix) :]
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
        head = text[max(0, m.start() - 6) : m.start()]
        tail = text[m.end() : m.end() + 3]
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
                value,
                value_max,
                unit,
                m.start(),
                m.end(),
                comparator,
                bool(REDUCTION_RX.search(head)),
                m.group(0),
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
            cut = bool(re.search(r"降低|下降|减少|压减", text))
            fig = Figure(float(t.value) * k, vmax, base, 0, 0, t.comparator, cut, str(t.value))
        elif t.comparator and t.comparator != "exact":
            fig = Figure(fig.value, fig.value_max, fig.unit, fig.start, fig.end, t.comparator, fig.reduction, fig.raw)
    elif figs:
        fig = figs[0]
    if fig is None:
        return None, ""
    before = METRIC_STOP.sub("", text[: fig.start])[-20:]
    # For counts the object follows the figure (建设122个就业驿站), so it is part of the metric.
    after = re.split(r"[，。；、,;]", text[fig.end :], maxsplit=1)[0][:12] if fig.end else ""
    # a comparator after the figure (以上, 左右) is not part of what is counted
    after = METRIC_STOP.sub("", after).strip()
    metric = (t.metric if t is not None and t.metric else "") or before
    if after and fig.unit not in ("%", "‰", "个百分点"):
        metric = metric + " " + after
    return fig, metric


def compare(target: Figure, actual: Figure, direction: str) -> tuple[str, float]:
    """fulfilled / partial / missed for a reported figure against a target, with confidence."""
    v, a = target.value, actual.value
    rate = target.unit in RATE_UNITS
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


@cache
def _metric_synonyms() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(r[0]), r[1]) for r in _table("metric_synonyms.tsv") if len(r) > 1)


def metric_fold(text: str) -> str:
    """Name a metric one way (全省生产总值 and 地区生产总值 are the same figure)."""
    for rx, canonical in _metric_synonyms():
        text = rx.sub(canonical, text)
    return text


UP_HEAD = re.compile(r"(增长|增速|提高|上涨|涨幅|增加|增幅)[^\d，。；、]{0,3}$")
DOWN_HEAD = re.compile(r"(下降|降低|减少|降幅|压减|回落)[^\d，。；、]{0,3}$")


def _change_kind(head: str) -> str:
    """up, down or level: what a rate next to these words measures."""
    if re.search(r"[到至]$", head):
        return "level"  # 提高到3.3%, 降至13.6%: the level reached, not the change
    if DOWN_HEAD.search(head):
        return "down"
    if UP_HEAD.search(head):
        return "up"
    return "level"


FROM_HEAD = re.compile(r"从[^\d，。；]{0,2}$")


def _metric_sim(metric: str, text: str) -> float:
    metric, text = content_mask(metric_fold(metric)), content_mask(metric_fold(text))
    mg = set(bigrams(metric))
    if len(mg) < MIN_METRIC_BIGRAMS:
        return 0.0  # 建设 or 新增 alone names no metric: any figure would do
    return len(mg & set(bigrams(text))) / len(mg)


CJK_PAIR = re.compile(r"^[\u4e00-\u9fff]{2}$")
# Characters before a review figure searched for the word the pledge's figure follows.
FIGURE_HEAD_WINDOW = 5
# A head word in more review sentences than this is too common to name one quantity.
HEAD_MAX_SENTENCES = 2


def figure_head(text: str, start: int) -> str:
    """The word right before a figure when it names what is counted (开行2500列, 总产125亿斤,
    减负2500亿元): a reviewed figure that follows the same word reports the same quantity,
    however differently the rest of the sentence is worded. Empty when the word is a bare
    verb (新增, 建成) that names no quantity."""
    before, _ = _comparator_words()
    head = text[max(0, start - 8) : start]
    stripped = True
    while stripped:
        stripped = False
        for w, _c in before:
            if w and head.endswith(w):
                head, stripped = head[: -len(w)], True
                break
    head = head[-2:]
    if not CJK_PAIR.match(head) or head in words("count_verb") or content_mask(head) != head:
        return ""
    return head


def target_actual(
    pledge: PledgeSpan,
    candidates: Sequence[Candidate],
    target: Figure,
    metric: str,
    review_count: Callable[[str], int] | None = None,
) -> tuple[Candidate, Figure, float] | None:
    """The candidate span reporting the target's metric with a figure in a comparable unit.

    ``review_count`` (how many review sentences hold a word) lets a rare word right before
    the figure stand for the metric: 开行 or 减负 names one quantity in a review, 企业 does not.
    """
    best = None
    pledge_text = text_fold(pledge.text)
    change = _change_kind(pledge_text[max(0, target.start - 8) : target.start]) if target.end else None
    fhead = ""
    if review_count is not None and target.end and target.unit not in RATE_UNITS:
        fhead = figure_head(pledge_text, target.start)
        if fhead and review_count(fhead) > HEAD_MAX_SENTENCES:
            fhead = ""
    for c in candidates:
        text = text_fold(c.span.text)
        five = c.span.five_year or is_five_year(text)
        prev_end = 0
        for f in figures_parse(text):
            seg_start, prev_end = prev_end, f.end
            if f.unit != target.unit:
                continue
            head = text[max(0, f.start - 8) : f.start]
            if FROM_HEAD.search(head):
                continue  # 从2.77%提高到3.3%: the starting point is not the result
            if five and (f.unit not in RATE_UNITS or "年均" in head):
                continue  # a five-year total or average is not the plan year's figure
            # The figure's own segment (since the previous figure) names its metric best;
            # the wider window covers 规模以上工业企业达7.6万家、增加值增长3% where it is elided.
            tail = re.split(r"[，。；、,;]", text[f.end : f.end + 12], maxsplit=1)[0]
            own_sim = _metric_sim(metric, text[max(seg_start, f.start - 30) : f.end] + tail)
            wide_sim = _metric_sim(metric, text[max(0, f.start - 30) : f.end] + tail)
            sim = max(own_sim, 0.95 * wide_sim)
            if fhead and fhead in text[max(seg_start, f.start - FIGURE_HEAD_WINDOW) : f.start]:
                sim = max(sim, METRIC_MATCH_AT)
            if change is not None and f.unit in ("%", "‰") and change != _change_kind(head):
                sim *= 0.6  # a growth rate against a cut, a share or a level is another figure
            key = sim + 0.05 * own_sim + 0.002 * c.score - 0.0001 * len(c.span.text)
            if best is None or key > best[0]:
                best = (key, c, f, sim)
    if best is None or best[3] < METRIC_MATCH_AT:
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
    promised, reached = stage_of(text_fold(pledge_text)), stage_of(ev)
    if promised and reached and reached < promised:
        return "partial", 0.5  # 建成投产 reported for a pledge to reach full output (达产)
    return "fulfilled", 0.7


STAGES = ("stage_start", "stage_built", "stage_running", "stage_full")


def stage_of(text: str) -> int:
    """How far along a project the words of a text go: 1 started (开工), 2 built (建成),
    3 in use (投产, 通车), 4 at full output (达产); 0 when no stage is named."""
    return max((i + 1 for i, cat in enumerate(STAGES) if _has(text, cat)), default=0)


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


LIST_COUNT_RX = re.compile(r"([一二两三四五六七八九十]{1,3}|\d{1,2})(?:件|方面|项|大|类)")
# How a heading is numbered; siblings numbered the same way form one enumerated list.
NUMBERING = (
    ("arabic", re.compile(r"^\s*(\d{1,2})[.．、]")),
    ("paren", re.compile(r"^\s*[（(]([一二三四五六七八九十]{1,3})[）)]")),
    ("dun", re.compile(r"^\s*([一二三四五六七八九十]{1,3})、")),
)
APPENDIX_RX = re.compile(r"^\s*附件")
# Mean pledges per numbered heading above which the headings are chapters, not list
# items: an item of a livelihood list holds a few deliverables (zhejiang-2025: 2-8),
# a chapter of the plan dozens (hainan-2025: 25 on average).
LIST_ITEM_PLEDGES = 10


def cn_small_number(s: str) -> int | None:
    """一..九十九 or digits to an int; enough for list sizes."""
    if s.isdigit():
        return int(s)
    return cn_ordinal(s.replace("两", "二")) or None


def blanket_count(span_text: str) -> int | None:
    """The size of the list a blanket claim speaks of (十件民生实事 -> 10)."""
    m = LIST_COUNT_RX.search(span_text)
    return cn_small_number(m.group(1)) if m else None


def listed_flags(pledges: Sequence[PledgeSpan], blankets: Sequence[ReviewSpan]) -> list[bool]:
    """Which pledges belong to the enumerated list a blanket claim of the review speaks of.

    The section path may name the list (民生实事); otherwise the plan's structure tells:
    an appendix of the plan, or a run of sibling headings numbered 1..N where N is the
    size the review gives (十件 -> ten items).
    """
    flags = [is_listed(p) for p in pledges]
    if not blankets:
        return flags
    sizes = {n for n in (blanket_count(b.text) for b in blankets) if n}
    groups: dict[tuple[str, str], set[int]] = {}
    keyed: list[tuple[str, str] | None] = []
    for p in pledges:
        parts = [x.strip() for x in (p.section_path or "").split(" / ") if x.strip()]
        key = None
        if parts:
            for style, rx in NUMBERING:
                m = rx.match(parts[-1])
                if m:
                    key = (" / ".join(parts[:-1]), style)
                    n = cn_small_number(m.group(1))
                    if n:
                        groups.setdefault(key, set()).add(n)
                    break
        keyed.append(key)
    per_group = Counter(k for k in keyed if k is not None)
    # A plan's main tasks are often numbered （一）..（十） too, and ten is also the usual
    # size of the livelihood list: a list item names one deliverable, a main task dozens.
    enumerated = {
        k
        for k, nums in groups.items()
        if sizes
        and max(nums) in sizes
        and len(nums) >= 0.6 * max(nums)
        and per_group[k] <= LIST_ITEM_PLEDGES * len(nums)
    }
    for i, p in enumerate(pledges):
        parts = [x for x in (p.section_path or "").split(" / ") if x.strip()]
        if any(APPENDIX_RX.match(x) for x in parts) or keyed[i] in enumerated:
            flags[i] = True
    return flags


def is_five_year(span_text: str) -> bool:
    """A sentence summing up a five-year period (累计, 五年来) rather than the plan year."""
    return bool(_has(text_fold(span_text), "five_year"))


ENUMERATION_RX = re.compile(r"((?:[^、，。；等]{2,12}、){2,}[^、，。；等]{2,12})等([^，。；]{2,16})")


def enumeration_partial(pledge_text: str, evidence_text: str) -> bool:
    """A pledge naming several items (生物制造、商业航天、低空经济等新增长引擎) whose evidence
    names only some of them and not the whole they make up: progress on part of it."""
    m = ENUMERATION_RX.search(text_fold(pledge_text))
    if not m:
        return False
    items = [x for x in m.group(1).split("、") if x]
    ev = text_fold(evidence_text)
    head = set(bigrams(content_mask(m.group(2))))
    if head and len(head & set(bigrams(ev))) / len(head) >= 0.5:
        return False  # the evidence speaks of the whole (生活服务消费恢复), items aside
    named = sum(1 for x in items if set(bigrams(x)) and len(set(bigrams(x)) & set(bigrams(ev))) / len(set(bigrams(x))) >= 0.5)
    return 0 < named < len(items) / 2


# 居民收入增长与经济增长(基本)同步: a target with no figure of its own, met when the first
# quantity grew at least about as fast as the second; both figures come from the review.
IN_STEP_RX = re.compile(
    r"(?P<a>[\u4e00-\u9fff]{2,12}?)(?:增长|增速)?[与和同](?P<b>[\u4e00-\u9fff]{2,8}?)(?:增长|增速)(?:基本)?同步"
)
# Figures listed after one metric (分别增长4.3%、5.5%) are that metric's parts.
LIST_SEP_RX = re.compile(r"^\s*[、和及]\s*$")


def _growth_report(metric: str, spans: Sequence[ReviewSpan]) -> tuple[ReviewSpan, list[Figure]] | None:
    """The first review span naming ``metric`` next to a growth rate, with every rate listed
    for it (城镇和农村居民人均可支配收入分别增长4.3%、5.5% gives both)."""
    best = None
    for order, s in enumerate(spans):
        text = text_fold(s.text)
        if s.five_year or is_five_year(text):
            continue
        figs = figures_parse(text)
        for i, f in enumerate(figs):
            head = text[max(0, f.start - 8) : f.start]
            if f.unit != "%" or _change_kind(head) != "up":
                continue
            prev_end = figs[i - 1].end if i else 0
            # the figure's own segment names its metric best; the wider window covers
            # 国内生产总值超过126万亿元，增长5.2% where the metric is elided
            own = _metric_sim(metric, text[max(prev_end, f.start - 30) : f.start])
            sim = max(own, 0.95 * _metric_sim(metric, text[max(0, f.start - 30) : f.start]))
            if sim < METRIC_MATCH_AT:
                continue
            listed = [f]
            for g in figs[i + 1 :]:
                if g.unit != "%" or not LIST_SEP_RX.match(text[listed[-1].end : g.start]):
                    break
                listed.append(g)
            # the closest naming wins; among equals the review's first (headline) figure
            key = (sim, s.kind == "clause", -order)
            if best is None or key > best[0]:
                best = (key, s, listed)
            break
    return (best[1], best[2]) if best else None


def in_step_status(pledge_text: str, spans: Sequence[ReviewSpan]) -> tuple[str, float, tuple[ReviewSpan, ...], Figure] | None:
    """Status of a "grow in step with" target from the two reviewed growth rates.

    Met when the first grew no slower than the second, less the 左右 tolerance; when the
    first is reported in parts (城镇, 农村), some parts meeting it is partial.
    """
    m = IN_STEP_RX.search(text_fold(pledge_text))
    if not m:
        return None
    a = _growth_report(m["a"], spans)
    b = _growth_report(m["b"] + "增长", spans)
    if a is None or b is None or a[0] is b[0] and a[1] == b[1]:
        return None
    ref = b[1][0].value
    met = [f.value >= ref - ABOUT_PP for f in a[1]]
    status, conf = ("fulfilled", 0.7) if all(met) else ("missed", 0.6) if not any(met) else ("partial", 0.5)
    worst = min(a[1], key=lambda f: f.value)
    evidence = (a[0],) if a[0].start == b[0].start else (a[0], b[0])
    return status, conf, evidence, worst

"""Quantitative targets in a pledge clause: value, unit, comparator, direction."""

from __future__ import annotations

import re
from functools import lru_cache

from .types import Target

_CN_NUM_CHARS = "零〇一二两三四五六七八九十百千万亿点"

# Units that make a number a checkable quantity; prefixes 万/亿 are kept in the unit.
_UNITS = (
    "个百分点|百分点|%|‰|万亿元|亿元|万元|元|万人次|人次|万人|人|万户|户|万套|套|万亩|亩|万吨|吨|万千瓦|千瓦|万平方米|平方米|"
    "平方公里|公里|千米|米|家|项|个|所|座|条|名|批次|批|场|次|台|辆|张|间|栋|处|件|类|万斤|斤|公斤|立方米|标准箱|万标箱|"
    "千兆|兆瓦|吉瓦|小时|天|年|岁|倍|床|对|支|款|部|只|头|株|册|期|轮|单|份|宗|例|盏|根|万株|公顷|万公顷|标箱|列|艘|架|"
    "分(?=/)|角(?=/)"
)
_NUMBER = rf"(?:\d+(?:\.\d+)?|[{_CN_NUM_CHARS}]+)"
_FIGURE = re.compile(
    rf"(?P<pre>百分之)?(?P<num>{_NUMBER})(?:\s*(?:[-—－~～至到]|以?上?至)\s*(?P<num2>{_NUMBER}))?\s*"
    rf"(?P<mult>万亿|亿|万|千)?(?P<unit>(?:{_UNITS})(?:/(?:千瓦时|立方米|平方米|人·月|人·年|生·年|户·月|人|户|月|年|吨|亩|度|千人|万人|10万人))?)?"
)

_AT_LEAST = re.compile(r"以上|不低于|不少于|至少|超过|超|突破|力争达到|高于|快于")
_AT_MOST = re.compile(r"以内|以下|控制在|不超过|不高于|低于|不多于|压减到|压降到|降至")
_ABOUT = re.compile(r"左右|上下|约|大约|大体|基本")
_CEILING = re.compile(r"失业率|价格|物价|CPI|涨幅|能耗|排放|赤字|碳|负债|债务|事故|死亡|发生率|误差|亏损|时长|成本|电价|气价")
_METRIC_TAIL = re.compile(
    r"(?:增长|增加|提高|提升|达到|达|为|在|控制在|保持在|稳定在|超过|突破|不低于|不超过|不少于|新增|完成|拟按|按|实现|约|超|"
    r"提高到|提高至|降至|下降|降低|减少|分别)+$"
)


def cn_number(s: str) -> float | None:
    """Arabic or Chinese numerals (两万, 一百二十, 五点五) to a float."""
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s)
    try:
        import cn2an

        return float(cn2an.cn2an(s.replace("两", "二"), "smart"))
    except Exception:
        return None


def _has_real_number(num: str) -> bool:
    # A lone "一"/"十" is usually a word (一批, 十方面), not a figure.
    return bool(re.search(r"\d", num)) or len(num) >= 2


# A figure right after these is the level promised (从6000元提高至7000元 -> 7000).
_TO_LEVEL = re.compile(
    r"(?:提高|提升|增加|增长|上调|扩大|降低|下降|压减|减少|调整)(?:到|至)$|(?:达到|达|突破|超过|超|不少于|不低于|不超过|控制在)$"
)


def _figures(clause: str) -> list[re.Match]:
    """Matches of checkable figures: a number with a unit, not a year or an ordinal."""
    out = []
    for m in _FIGURE.finditer(clause):
        num, unit, mult = m.group("num"), m.group("unit"), m.group("mult")
        pct = m.group("pre")
        if not (unit or pct or mult):
            continue
        if not (pct or _has_real_number(num)):
            continue
        # A bare 万/亿 counts only after Arabic digits (80万重点群体), not inside words.
        if not (unit or pct) and not re.fullmatch(r"\d+(?:\.\d+)?", num):
            continue
        # A year (2025年) or an ordinal (第三批) is not a quantity.
        if unit == "年" and (re.fullmatch(r"(?:19|20)\d{2}", num) or not mult):
            continue
        before = clause[max(0, m.start() - 1) : m.start()]
        if before in ("第", "前", "近") and not pct and unit in ("年", "批", "期", "轮", "次", "个", "天"):
            continue
        if unit in ("小时", "天", "岁") and not mult:
            continue  # 24小时不打烊, 3岁以下: descriptions, not deliverables
        # The upper bound of a range (5%—6%) belongs to the figure before it.
        if out and clause[out[-1].end() : m.start()].strip() in ("-", "—", "－", "~", "～", "至", "到"):
            continue
        out.append(m)
    return out


def _pick(clause: str, figures: list[re.Match]) -> re.Match:
    """The figure that is the commitment when a clause holds several."""
    if len(figures) == 1:
        return figures[0]
    for m in figures:
        if _TO_LEVEL.search(clause[max(0, m.start() - 4) : m.start()]):
            return m
    for m in figures:
        after = clause[m.end() : m.end() + 3]
        if _AT_LEAST.match(after) or _AT_MOST.match(after) or _ABOUT.match(after):
            return m
    # Rates name their base first (每10万人45台): the deliverable comes last.
    usable = [m for m in figures if clause[max(0, m.start() - 1) : m.start()] != "每"] or figures
    return usable[-1]


# Pure in the clause, and asked of the same clause by extraction, features and matching.
@lru_cache(maxsize=1 << 16)
def target_parse(clause: str) -> Target | None:
    """The checkable figure of a clause as a Target, or None."""
    figures = _figures(clause)
    if not figures:
        return None
    m = _pick(clause, figures)
    num, unit, mult = m.group("num"), m.group("unit"), m.group("mult")
    value = cn_number(num)
    if value is None:
        return None
    full_unit = "%" if m.group("pre") else (mult or "") + (unit or "")
    # 百分点 is its own unit; "个" is a measure word, not a multiplier.
    full_unit = full_unit.replace("个百分点", "百分点")
    value2 = cn_number(m.group("num2")) if m.group("num2") else None
    after = clause[m.end() : m.end() + 6]
    # "5%—6%": the unit is written on both bounds.
    second = re.match(rf"\s*[-—－~～至到]\s*({_NUMBER})\s*{re.escape(full_unit)}", clause[m.end() :]) if full_unit else None
    if value2 is None and second:
        value2 = cn_number(second.group(1))
        after = clause[m.end() + second.end() : m.end() + second.end() + 6]
    before_text = clause[max(0, m.start() - 6) : m.start()]
    if value2 is not None:
        comparator = "range"
    elif _ABOUT.search(after[:3]) or before_text.endswith(("约", "大约")):
        comparator = "about"
    elif _AT_MOST.search(after[:3]) or _AT_MOST.search(before_text):
        comparator = "at_most"
    elif _AT_LEAST.search(after[:3]) or _AT_LEAST.search(before_text):
        comparator = "at_least"
    else:
        comparator = "exact"
    lead = clause[: m.start()].strip("，,；;：: ")
    metric = _METRIC_TAIL.sub("", lead) or clause[: m.start()]
    # Name what the figure measures: a growth rate or a cut, not the level itself.
    tail = lead[len(metric) :]
    if metric and ("增长" in tail or "增加" in tail) and full_unit in ("%", "百分点"):
        metric += "增速"
    elif metric and re.search(r"下降|降低|减少", tail) and not re.search(r"[到至]$", tail):
        metric += "降幅"
    metric = re.sub(r"^(?:力争|确保|全年|今年|预计|拟|其中)+", "", metric)[-30:] or clause[m.end() :][:20]
    # "能耗降低2.5%": the figure is a reduction, so a bigger cut is better (a floor);
    # the level of a cost-like metric (失业率5.5%, 赤字率3%) is a ceiling.
    reduction = re.search(r"(?:下降|降低|减少|压减|削减|降幅|降)(?:到|至)?$", clause[max(0, m.start() - 4) : m.start()])
    if comparator == "at_most" or (reduction and reduction.group().endswith(("到", "至"))):
        direction = "ceiling"
    elif reduction:
        direction = "floor"
    else:
        direction = "ceiling" if _CEILING.search(metric) else "floor"
    return Target(metric=metric, value=value, unit=full_unit, comparator=comparator, direction=direction, value_max=value2)


def figure_count(clause: str) -> int:
    """How many checkable figures a clause holds (to split 2万亩、提标4.5万亩)."""
    return len(_figures(clause))

"""Chains: which pledge of a government's plan for year N+1 repeats or continues one of year N.

A link joins two pledges with the same deliverable: the same target metric (国内生产总值增长5%左右
twice), the same named project or the same policy act, said again. Each link has a kind:

- ``repeated``: promised again, with no word of a new stage (the fifth year 加快 the same project);
- ``continued``: the next stage of the same thing (启动 → 建成, 试点 → 推广, 第二批 → 第三批);
- ``target_raised`` / ``target_lowered``: the same metric with a higher / lower value.

Pure: two plans in, links out, no database. Curated decisions come in as index pairs so a
link a curator confirmed stays and one a curator broke is never proposed again, while the
machine still links the other pledges around them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from tracker.pipeline.classify import metric_fold
from tracker.pipeline.match import QUOTED, abbreviations_expand, bigrams, content_mask, presence_matrix, text_fold
from tracker.pipeline.types import PipelineError, PledgeSpan

CHAIN_KINDS = ("repeated", "continued", "target_raised", "target_lowered")
# A plan may link to the latest earlier plan of the same government when the years between
# are missing (no report ingested, as national 2020 in the corpus); further apart than this
# the two plans belong to different periods and are not compared.
MAX_YEARS_APART = 3
# Text links below this similarity are not the same deliverable: measured on the national
# series, pairs above it name the same object, pairs below mostly share only a field (就业, 改革).
TEXT_THRESHOLD = 0.62
# Target links need the metric named the same way (after the shared metric fold).
METRIC_THRESHOLD = 0.8
# A short pledge shares its few bigrams with many others by chance: with fewer content
# bigrams than this (发展经济) it only links when the texts are nearly identical.
MIN_BIGRAMS = 3
SHORT_THRESHOLD = 0.85
# Among links of close similarity, a scored (checkable) pledge is preferred to a general one.
SCORED_BONUS = 0.03

# Stages of a deliverable, in order; a later stage in the new pledge makes the link "continued".
_STAGES: tuple[tuple[int, re.Pattern], ...] = (
    (1, re.compile(r"研究制定|研究论证|谋划|论证|筹划|筹备|前期工作|规划建设|编制")),
    (2, re.compile(r"启动|开工|试点|起步|先行先试|探索|开展试点|新开工|商签|谈判|签署")),
    (4, re.compile(r"扩大|推广|拓展|全面推开|全面推行|全面实施|(?<![健齐安])全覆盖|扩围|提质|升级")),
    (5, re.compile(r"建成|基本建成|完成|竣工|投产|投运|投入使用|通车|落成|收官|全面建立")),
)
_DEFAULT_STAGE = 3  # 推进, 实施, 建设: the work going on
_ORDINAL = re.compile(r"第([一二三四五六七八九十\d]+)[批期轮]|([一二三四五六七八九十\d]+)期")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十")}
# Stage words are masked before similarity, so 开工建设X and 建成X compare on X.
_STAGE_MASK = re.compile("|".join(rx.pattern for _, rx in _STAGES))
_FIGURE = re.compile(r"\d+(?:\.\d+)?")


class ChainInputError(PipelineError):
    """Two plans that must not be chained (other governments, wrong order, too far apart)."""


@dataclass(frozen=True)
class ChainPlan:
    government: str  # any stable key of the government (a jurisdiction id)
    year: int
    pledges: Sequence[PledgeSpan]


@dataclass(frozen=True)
class ChainLink:
    previous: int  # index of the pledge in the earlier plan
    current: int  # index of the pledge in the later plan
    kind: str  # one of CHAIN_KINDS
    similarity: float  # 0..1
    years_apart: int  # 1 for consecutive plans; more when the years between are missing
    basis: str  # "target" (same metric) or "text" (same wording of the deliverable)

    @property
    def gap(self) -> bool:
        return self.years_apart > 1


def pledge_stage(text: str) -> int:
    """1 prepare … 5 finished: the latest stage a pledge's words name (3 when none)."""
    found = [rank for rank, rx in _STAGES if rx.search(text)]
    return max(found) if found else _DEFAULT_STAGE


def _ordinal(text: str) -> int | None:
    m = _ORDINAL.search(text)
    if not m:
        return None
    raw = m.group(1) or m.group(2)
    if raw.isdigit():
        return int(raw)
    if len(raw) == 1:
        return _CN_DIGITS.get(raw)
    if raw.startswith("十"):
        return 10 + _CN_DIGITS.get(raw[1:], 0)
    return None


def _normalised(text: str) -> str:
    text = abbreviations_expand(text_fold(text))
    text = _STAGE_MASK.sub(lambda m: "\u3000" * len(m.group(0)), text)
    # Figures change from year to year on the same deliverable (新建3所 → 新建5所).
    return _FIGURE.sub("\u3000", content_mask(text))


def _metric_key(pledge: PledgeSpan) -> str:
    metric = pledge.target.metric if pledge.target else ""
    return re.sub(r"^(?:安排|拟|全年|今年|新的一年)+", "", metric_fold(text_fold(metric)))


def _metric_similarity(a: str, b: str) -> float:
    """0..1: the two metric names aligned, or the shorter one's bigrams inside the longer
    (广义货币增长 inside 今年广义货币M2增长目标)."""
    ratio = fuzz.ratio(a, b) / 100.0
    ga, gb = set(bigrams(a)), set(bigrams(b))
    short, long_ = (ga, gb) if len(ga) <= len(gb) else (gb, ga)
    contained = len(short & long_) / len(short) if len(short) >= 3 else 0.0
    return max(ratio, contained)


def _has_value(pledge: PledgeSpan) -> bool:
    return bool(pledge.target and pledge.target.value is not None)


def _unit_key(pledge: PledgeSpan) -> str:
    unit = (pledge.target.unit or "") if pledge.target else ""
    return "%" if unit in ("%", "百分点") else unit


def _texts_similarity(a: Sequence[str], b: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Similarity matrix (len(a) x len(b)) of IDF-weighted bigram Dice and a rapidfuzz alignment,
    and the number of content bigrams of each text (a short text says little)."""
    ga = [set(bigrams(t)) for t in a]
    gb = [set(bigrams(t)) for t in b]
    df: dict[str, int] = {}
    for grams in (*ga, *gb):
        for g in grams:
            df[g] = df.get(g, 0) + 1
    n = len(ga) + len(gb) + 1
    vocab = {g: i for i, g in enumerate(df)}
    idf = np.array([math.log(n / (df[g] + 0.5)) for g in vocab], dtype=np.float32)
    idf = np.maximum(idf, 0.05)

    ma, mb = presence_matrix(ga, vocab), presence_matrix(gb, vocab)
    mass_a, mass_b = ma @ idf, mb @ idf
    overlap = (ma.multiply(idf[None, :]).tocsr() @ mb.T).toarray()
    dice = 2.0 * overlap / (mass_a[:, None] + mass_b[None, :] + 1e-6)
    count_a, count_b = np.diff(ma.indptr).astype(np.float32), np.diff(mb.indptr).astype(np.float32)
    stripped_a = [t.replace("\u3000", "") for t in a]
    stripped_b = [t.replace("\u3000", "") for t in b]
    aligned = process.cdist(stripped_a, stripped_b, scorer=fuzz.ratio, dtype=np.float32) / 100.0
    return 0.6 * dice + 0.4 * aligned, count_a, count_b


def _quoted_clash(a: str, b: str) -> bool:
    """Both name a quoted project and the names differ: two deliverables of one kind."""
    qa, qb = set(QUOTED.findall(a)), set(QUOTED.findall(b))
    return bool(qa and qb and not qa & qb)


def _target_kind(old: PledgeSpan, new: PledgeSpan) -> str:
    a, b = old.target.value, new.target.value
    if a is None or b is None or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9):
        return "repeated"
    return "target_raised" if b > a else "target_lowered"


def _text_kind(old: PledgeSpan, new: PledgeSpan) -> str:
    o_old, o_new = _ordinal(old.text), _ordinal(new.text)
    if o_old is not None and o_new is not None and o_new > o_old:
        return "continued"
    return "continued" if pledge_stage(new.text) > pledge_stage(old.text) else "repeated"


def plans_check(earlier: ChainPlan, later: ChainPlan, max_years_apart: int = MAX_YEARS_APART) -> int:
    """The years between two plans, or ChainInputError when they must not be chained."""
    if earlier.government != later.government:
        raise ChainInputError(f"plans of two governments ({earlier.government!r}, {later.government!r}) are never chained")
    years_apart = later.year - earlier.year
    if years_apart < 1:
        raise ChainInputError(f"the plan of {later.year} does not follow the plan of {earlier.year}")
    if years_apart > max_years_apart:
        raise ChainInputError(
            f"plans {earlier.year} and {later.year} are {years_apart} years apart (at most {max_years_apart})"
        )
    return years_apart


def plans_chain(
    earlier: ChainPlan,
    later: ChainPlan,
    *,
    fixed: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
    max_years_apart: int = MAX_YEARS_APART,
) -> list[ChainLink]:
    """Link each pledge of ``later`` to at most one pledge of ``earlier`` it repeats or continues.

    One-to-one (a chain never forks): candidate pairs are taken best first. ``fixed`` pairs
    (previous index, current index) are links a curator confirmed: their two pledges take no
    other link. ``forbidden`` pairs were broken by a curator and are never proposed.
    ``earlier`` and ``later`` must be the same government, ``later`` the later year; a gap
    (years_apart > 1) is allowed only up to ``max_years_apart`` and is carried on every link.
    """
    years_apart = plans_check(earlier, later, max_years_apart)
    old, new = list(earlier.pledges), list(later.pledges)
    if not old or not new:
        return []
    fixed = set(fixed)
    forbidden = set(forbidden)
    taken_old = {i for i, _ in fixed}
    taken_new = {j for _, j in fixed}

    old_norm = [_normalised(p.text) for p in old]
    new_norm = [_normalised(p.text) for p in new]
    sim, grams_old, grams_new = _texts_similarity(old_norm, new_norm)

    candidates: list[tuple[float, int, int, str, str]] = []  # (rank, i, j, basis, kind)
    # Targets: the same metric in the same unit, whatever the figure.
    old_targets = [i for i, p in enumerate(old) if _has_value(p)]
    new_targets = [j for j, p in enumerate(new) if _has_value(p)]
    metric_old = {i: _metric_key(old[i]) for i in old_targets}
    metric_new = {j: _metric_key(new[j]) for j in new_targets}
    target_pairs: set[tuple[int, int]] = set()
    for i in old_targets:
        for j in new_targets:
            if _unit_key(old[i]) != _unit_key(new[j]) or min(len(metric_old[i]), len(metric_new[j])) < 2:
                continue
            m = _metric_similarity(metric_old[i], metric_new[j])
            if m < METRIC_THRESHOLD:
                continue
            score = 0.7 * m + 0.3 * float(sim[i, j])
            target_pairs.add((i, j))
            candidates.append((score, i, j, "target", _target_kind(old[i], new[j])))
    # Text: the same wording of the deliverable, framing and stage words aside.
    rows, cols = np.nonzero(sim >= TEXT_THRESHOLD)
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        if (i, j) in target_pairs:
            continue
        score = float(sim[i, j])
        if min(grams_old[i], grams_new[j]) < MIN_BIGRAMS and score < SHORT_THRESHOLD:
            continue
        if _quoted_clash(old[i].text, new[j].text):
            continue
        a, b = old[i], new[j]
        if _has_value(a) and _has_value(b):
            # Two figures worded alike but measuring other things (社会保障支出 against “三农”支出).
            if _unit_key(a) != _unit_key(b) or _metric_similarity(metric_old[i], metric_new[j]) < 0.5:
                continue
            kind = _target_kind(a, b)
        else:
            kind = _text_kind(a, b)
        candidates.append((score, i, j, "text", kind))

    def rank(c: tuple[float, int, int, str, str]) -> tuple[float, int, int]:
        score, i, j = c[0], c[1], c[2]
        bonus = SCORED_BONUS * (int(old[i].scored) + int(new[j].scored))
        # Ties go to the nearest position in the plan (the same paragraph, restated).
        return (-(score + bonus), abs(i / len(old) - j / len(new)), i)

    links: list[ChainLink] = []
    for score, i, j, basis, kind in sorted(candidates, key=rank):
        if i in taken_old or j in taken_new or (i, j) in forbidden:
            continue
        taken_old.add(i)
        taken_new.add(j)
        links.append(ChainLink(i, j, kind, round(min(score, 1.0), 4), years_apart, basis))
    for i, j in fixed:
        if 0 <= i < len(old) and 0 <= j < len(new):
            a, b = old[i], new[j]
            both_targets = _has_value(a) and _has_value(b)
            kind = _target_kind(a, b) if both_targets else _text_kind(a, b)
            links.append(
                ChainLink(i, j, kind, round(min(float(sim[i, j]), 1.0), 4), years_apart, "target" if both_targets else "text")
            )
    return sorted(links, key=lambda link: link.current)


def chains_of(links: Iterable[tuple[object, object]]) -> list[list[object]]:
    """Whole chains (oldest first) from (previous, current) links over any hashable pledge keys."""
    nxt: dict[object, object] = {}
    has_prev: set[object] = set()
    for prev, cur in links:
        nxt[prev] = cur
        has_prev.add(cur)
    chains = []
    for head in nxt:
        if head in has_prev:
            continue
        chain = [head]
        seen = {head}
        while chain[-1] in nxt and nxt[chain[-1]] not in seen:
            chain.append(nxt[chain[-1]])
            seen.add(chain[-1])
        chains.append(chain)
    return chains

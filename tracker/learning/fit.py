"""Fit the pledge and status models on the labelled pairs, evaluate them leave-one-pair-out.

Every figure is stated twice: *held out* (each pair judged by models fitted on the other
pairs, which is what a pair nobody labelled gets) and *trained on all* (the shipped models on
pairs they saw, an optimistic bound). The interval's spread is itself measured held out: for a
held-out pair it comes from the errors on the other pairs, each in turn held out of a fit on
the rest, so coverage is not graded on the errors it was built from.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np
import sklearn
from rapidfuzz import fuzz, process
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from tracker.learning.dataset import FOUND_AT, Item, Pair, gold_align, scorer_norm, too_long_for_gold
from tracker.pipeline.calibrate import (
    MODEL_VERSION,
    STATUSES,
    Assessment,
    Model,
    model_parse,
    plan_ranks,
    pledge_features,
    scorecard_estimate,
    status_features,
)

# Regularisation of both models: strong, because four pairs are few and a bigram seen in one
# report only must not decide an item of another.
PLEDGE_C = 0.3
STATUS_C = 0.3
# The second stage (logit and rank within the plan) has two inputs and many rows: barely regularised.
STACK_C = 1.0
# A bigram (or edge) seen in fewer labelled items than this carries no weight.
MIN_COUNT = 3
# The interval is the estimate ± Z standard deviations: about 80% two-sided.
Z = 1.2816
# No status is ever claimed known better than this, whatever the few pairs measured.
MIN_RESIDUAL_SD = 0.02
# At most this share of labelled pledges, held out, falls below the scored threshold. Extraction
# proposes every candidate clause, so at 0.01 the threshold had to admit most general commitments;
# 0.05 keeps scored recall above 0.90 held out while counting far fewer stances.
MAX_HIDDEN = 0.05
# The recall the issue asks to keep: the precision ceiling is the best precision at this recall.
CEILING_RECALL = 0.90


@dataclass
class Fitted:
    params: dict
    model: Model


def _frequent(rows: list[dict[str, float]]) -> set[str]:
    counts: dict[str, int] = {}
    for r in rows:
        for k in r:
            counts[k] = counts.get(k, 0) + 1
    return {k for k, n in counts.items() if n >= MIN_COUNT}


def _vectorise(rows: list[dict[str, float]]) -> tuple[DictVectorizer, np.ndarray]:
    keep = _frequent(rows)
    vec = DictVectorizer(sparse=True)
    x = vec.fit_transform([{k: v for k, v in r.items() if k in keep} for r in rows])
    return vec, x


def _pledge_fit(items: Sequence[Item]) -> tuple[float, dict]:
    rows = [pledge_features(it.pledge, it.verdict, it.position) for it in items]
    y = np.array([it.gold_status is not None for it in items], dtype=int)
    vec, x = _vectorise(rows)
    lr = LogisticRegression(C=PLEDGE_C, max_iter=3000).fit(x, y)
    weights = {k: round(float(w), 5) for k, w in zip(vec.get_feature_names_out(), lr.coef_[0], strict=True) if abs(w) > 1e-4}
    return float(lr.intercept_[0]), weights


def _status_fit(items: Sequence[Item]) -> tuple[list[float], dict]:
    labelled = [it for it in items if it.gold_status is not None]
    rows = [status_features(it.pledge, it.verdict) for it in labelled]
    y = [STATUSES.index(it.gold_status) for it in labelled]
    vec, x = _vectorise(rows)
    lr = LogisticRegression(C=STATUS_C, max_iter=3000).fit(x, y)
    # A status absent from the training pairs gets no column: it keeps a very low prior.
    bias = [-8.0] * len(STATUSES)
    coef = np.zeros((len(STATUSES), x.shape[1]))
    for row, cls in enumerate(lr.classes_):
        bias[cls] = float(lr.intercept_[row]) if len(lr.classes_) > 2 else 0.0
        coef[cls] = lr.coef_[row] if len(lr.classes_) > 2 else lr.coef_[0] * (1 if row else -1)
    weights = {
        k: [round(float(w), 5) for w in coef[:, j]]
        for j, k in enumerate(vec.get_feature_names_out())
        if np.abs(coef[:, j]).max() > 1e-4
    }
    return bias, weights


def _threshold_pick(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """The highest threshold that hides at most MAX_HIDDEN of the labelled pledges (held out).

    Hiding a real pledge removes it from every figure, and the pledge model ranks items far
    better than it states their base rate, so the threshold only sets aside what is almost
    surely a general commitment.
    """
    pledges = sorted(s for s, label in zip(scores, labels, strict=True) if label)
    if not pledges:
        return 0.0
    allowed = int(MAX_HIDDEN * len(pledges))
    return round(float(pledges[allowed]) - 1e-6 if allowed < len(pledges) else 0.0, 4)


def models_fit(
    items: Sequence[Item], names: Sequence[str], residual_sd: dict, threshold: float | None = None,
    stack: tuple[float, float, float] | None = None,
) -> Fitted:
    """Both models on these items; without a threshold the pledge model's own 0.5 is used."""
    pledge_bias, pledge_weights = _pledge_fit(items)
    status_bias, status_weights = _status_fit(items)
    params = {
        "version": MODEL_VERSION,
        "trained_on": sorted(names),
        "trainer": f"tracker.learning.fit, scikit-learn {sklearn.__version__}",
        "pledge": {"bias": round(pledge_bias, 5), "threshold": threshold if threshold is not None else 0.5,
                   "C": PLEDGE_C, "stack": [round(x, 5) for x in stack] if stack else None,
                   "weights": dict(sorted(pledge_weights.items()))},
        "status": {"classes": list(STATUSES), "bias": [round(b, 5) for b in status_bias], "C": STATUS_C,
                   "weights": dict(sorted(status_weights.items()))},
        "interval": {"z": Z, "residual_sd": {s: round(max(MIN_RESIDUAL_SD, residual_sd.get(s, 0.0)), 4)
                                             for s in STATUSES}},
    }
    return Fitted(params, model_parse(params, "fitted parameters"))


def gold_shares(pair: Pair) -> dict[str, float]:
    n = len(pair.gold)
    return {s: sum(1 for g in pair.gold if g["status"] == s) / n for s in STATUSES}


def pair_assess(pair: Pair, model: Model) -> list[Assessment]:
    """What `compare` gives the pair's items with these models (unrounded; same code path otherwise)."""
    rows = [pledge_features(it.pledge, it.verdict, it.position) for it in pair.items]
    out = []
    for it, p in zip(pair.items, model.p_pledges(rows), strict=True):
        q = model.status_probabilities(status_features(it.pledge, it.verdict))
        out.append(Assessment(p, p >= model.threshold, q))
    return out


def _residuals(pairs: Sequence[Pair], fits: dict[str, Model]) -> dict[str, dict[str, float]]:
    out = {}
    for pair in pairs:
        est = scorecard_estimate(pair_assess(pair, fits[pair.name]), fits[pair.name])
        gs = gold_shares(pair)
        out[pair.name] = {s: est[0][s] - gs[s] for s in STATUSES}
    return out


def _spread(values: Sequence[float]) -> float:
    """Standard deviation of the errors, estimated from their mean absolute value.

    sqrt(pi/2) * mean |e| is the normal-consistent estimate; unlike the root mean square it is not
    set by the one pair of few whose labeller counted far fewer items as pledges.
    """
    return math.sqrt(math.pi / 2) * sum(abs(v) for v in values) / len(values) if values else 0.0


def _residual_sd(residuals: dict[str, dict[str, float]], names: Sequence[str]) -> dict[str, float]:
    return {s: _spread([residuals[n][s] for n in names]) for s in STATUSES}


def _others(pairs: Sequence[Pair], name: str) -> list[Pair]:
    return [p for p in pairs if p.name != name]


def _items(pairs: Sequence[Pair]) -> list[Item]:
    return [it for p in pairs for it in p.items]


def held_out_fit(pairs: Sequence[Pair], name: str) -> Fitted:
    """The models for pair ``name`` fitted on the other pairs only, threshold and spread included."""
    others = _others(pairs, name)
    if len(others) == len(pairs):
        raise ValueError(f"no labelled pair named {name}")
    return shipped_fit(others)


def lopo_fit(pairs: Sequence[Pair]) -> dict[str, Model]:
    """For each pair, the models fitted on the other pairs (what a pair nobody labelled gets)."""
    return {pair.name: held_out_fit(pairs, pair.name).model for pair in pairs}


def _stack_fit(pairs: Sequence[Pair], plain: dict[str, Model]) -> tuple[float, float, float]:
    """The second stage, on first-stage scores of pairs each judged by a fit without it."""
    x, y = [], []
    for pair in pairs:
        model = plain[pair.name]
        logits = [model.pledge_logit(pledge_features(it.pledge, it.verdict, it.position)) for it in pair.items]
        for it, z, rank in zip(pair.items, logits, plan_ranks(logits), strict=True):
            x.append([z, math.log1p(rank)])
            y.append(it.gold_status is not None)
    lr = LogisticRegression(C=STACK_C, max_iter=1000).fit(np.array(x), np.array(y, dtype=int))
    return float(lr.coef_[0][0]), float(lr.coef_[0][1]), float(lr.intercept_[0])


def shipped_fit(pairs: Sequence[Pair]) -> Fitted:
    """The models fitted on these pairs; the second stage, threshold and spread are measured held out.

    All three come from each pair in turn judged by models fitted on the rest, so nothing a pair
    says about itself sets them (held_out_fit nests this one level down). The second stage is
    fitted on those held-out scores and then applied to them for the threshold and the spread:
    three numbers fitted and measured on the same held-out scores.
    """
    plain = {p.name: models_fit(_items(_others(pairs, p.name)), [], {}).model for p in pairs}
    stack = _stack_fit(pairs, plain)
    stacked = {name: replace(model, stack=stack) for name, model in plain.items()}
    scores, labels = [], []
    for pair in pairs:
        for it, a in zip(pair.items, pair_assess(pair, stacked[pair.name]), strict=True):
            scores.append(a.p_pledge)
            labels.append(it.gold_status is not None)
    sd = _residual_sd(_residuals(pairs, stacked), [p.name for p in pairs])
    return models_fit(_items(pairs), [p.name for p in pairs], sd, _threshold_pick(scores, labels), stack)


def prefix_counts(pair: Pair, order: Sequence[int]) -> Iterator[tuple[int, int]]:
    """(gold pledges found, distinct items used) after each item of ``order`` is admitted.

    The same count as ``gold_align`` over the admitted items in document order, kept up as items
    come in: a gold pledge counts as its best-scoring admitted item, the shorter and then the
    earlier one on a tie, so an item that merely holds a pledge stops counting once the pledge is in.
    """
    texts = [scorer_norm(it.pledge.text) for it in pair.items]
    golds = [scorer_norm(g["pledge"]) for g in pair.gold]
    scores = process.cdist(golds, texts, scorer=fuzz.partial_ratio, score_cutoff=FOUND_AT, dtype=np.float64)
    counts_as: list[list[tuple[int, float]]] = [[] for _ in texts]  # item -> (gold, score) it could be
    for gi, i in zip(*np.nonzero(scores), strict=True):
        if not too_long_for_gold(texts[i], golds[gi]):
            counts_as[i].append((int(gi), float(scores[gi, i])))
    best: dict[int, tuple[tuple[float, int, int], int]] = {}  # gold -> (rank key, item) of its best item
    uses: Counter[int] = Counter()  # item -> how many gold pledges it is the best item of
    for i in order:
        for gi, sc in counts_as[i]:
            key = (sc, -len(texts[i]), -i)
            if gi in best and best[gi][0] >= key:
                continue
            if gi in best:
                old = best[gi][1]
                uses[old] -= 1
                if not uses[old]:
                    del uses[old]
            best[gi] = (key, i)
            uses[i] += 1
        yield len(best), len(uses)


def precision_ceiling(pair: Pair, model: Model, recall: float = CEILING_RECALL) -> float:
    """The best precision any scored threshold on this pledge model reaches while keeping ``recall``.

    A threshold admits items in order of pledge probability, so every threshold is a prefix of
    that order; this says how far a threshold alone can take precision.
    """
    probs = [a.p_pledge for a in pair_assess(pair, model)]
    order = sorted(range(len(probs)), key=lambda j: (-probs[j], j))
    need = recall * len(pair.gold)
    return max((used / k for k, (found, used) in enumerate(prefix_counts(pair, order), start=1) if found >= need),
               default=0.0)


def pair_figures(pair: Pair, model: Model) -> dict:
    """The scorer's figures for one pair, computed in-process (the shipped `compare` output is the same)."""
    assessed = pair_assess(pair, model)
    gs = gold_shares(pair)
    est, iv = scorecard_estimate(assessed, model)
    scored = [(it, a) for it, a in zip(pair.items, assessed, strict=True) if a.scored]
    # the scorer's own matching, over the items left scored
    aligned = gold_align(pair.gold, [it.pledge.text for it, _ in scored])
    found = sum(1 for i in aligned if i is not None)
    used = len({i for i in aligned if i is not None})
    labelled = [it for it, _ in scored if it.gold_status is not None]
    rule_right = sum(1 for it in labelled if it.verdict.status == it.gold_status)
    q_right = sum(
        1 for it, a in scored if it.gold_status is not None and max(a.probabilities, key=a.probabilities.get) == it.gold_status
    )
    return {
        "recall": found / len(pair.gold),
        "precision": used / len(scored) if scored else 0.0,
        "precision_ceiling": precision_ceiling(pair, model),
        "rule_accuracy": rule_right / len(labelled) if labelled else 0.0,
        "model_accuracy": q_right / len(labelled) if labelled else 0.0,
        "scorecard_error": max(abs(est[s] - gs[s]) for s in STATUSES),
        "covers": sum(1 for s in STATUSES if iv[s][0] <= gs[s] <= iv[s][1]),
        "width": sum(iv[s][1] - iv[s][0] for s in STATUSES) / len(STATUSES),
        "estimate": est,
        "gold": gs,
    }


def _bins(pairs_rows, bins: int) -> list[dict]:
    """(stated probability, right?) rows in equal-width bands, with the mean stated and the share right."""
    table = [{"lo": i / bins, "hi": (i + 1) / bins, "n": 0, "stated": 0.0, "right": 0} for i in range(bins)]
    for p, right in pairs_rows:
        row = table[min(bins - 1, int(p * bins))]
        row["n"] += 1
        row["stated"] += p
        row["right"] += right
    for row in table:
        row["stated"] = row["stated"] / row["n"] if row["n"] else None
        row["observed"] = row["right"] / row["n"] if row["n"] else None
    return table


def reliability_table(pairs: Sequence[Pair], fits: dict[str, Model], bins: int = 5) -> list[dict]:
    """Stated probability of the verdict's status against how often it was right, held out."""
    rows = (
        (a.probabilities.get(it.verdict.status, 0.0), it.verdict.status == it.gold_status)
        for pair in pairs
        for it, a in zip(pair.items, pair_assess(pair, fits[pair.name]), strict=True)
        if it.gold_status is not None
    )
    return _bins(rows, bins)


def pledge_reliability_table(pairs: Sequence[Pair], fits: dict[str, Model], bins: int = 5) -> list[dict]:
    """Stated probability of being a labelled pledge against how often an item was one, held out."""
    rows = (
        (a.p_pledge, it.gold_status is not None)
        for pair in pairs
        for it, a in zip(pair.items, pair_assess(pair, fits[pair.name]), strict=True)
    )
    return _bins(rows, bins)

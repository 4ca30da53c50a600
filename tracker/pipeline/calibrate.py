"""Learned probabilities over what extraction and matching computed, and the estimated scorecard.

Two small linear models, trained leave-one-pair-out on the labelled pairs by
tracker/learning/fit.py (``manage.py train``) and shipped as data/model.json:

- *pledge*: the probability that an extracted item is a checkable pledge (a figure, a named
  project, a bounded act) rather than a general commitment. Items below the threshold are
  listed with ``scored = False`` and left out of every count.
- *status*: the probability of each status (fulfilled, partial, missed, dropped) of a pledge,
  from the similarity features the match decision saw.

The scorecard is not a count of hard verdicts: it is the mean of the status probabilities
weighted by the pledge probabilities (probabilistic classify-and-count), with an interval that
adds the spread over items to the error measured on labelled pairs the model did not see.
Plain Python: the pipeline needs no scikit-learn to apply the shipped parameters.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .checkable import checkable_features
from .types import PledgeSpan, Verdict

STATUSES = ("fulfilled", "partial", "missed", "dropped")
MODEL_PATH = Path(__file__).with_name("data") / "model.json"
MODEL_VERSION = 1
# What the words of a probability say on a pledge page.
LIKELY_AT, POSSIBLE_AT = 0.8, 0.55


class ModelError(ValueError):
    """A parameters file that cannot be used; the message names it."""


@dataclass(frozen=True)
class Assessment:
    """What the learned models say of one item."""

    p_pledge: float
    scored: bool
    probabilities: dict  # status -> probability, summing to 1 (empty when pending)


def plan_ranks(logits: Sequence[float]) -> list[int]:
    """Each item's place in its plan by the first stage: 0 for the most pledge-like, ties in plan order."""
    rank = [0] * len(logits)
    for place, i in enumerate(sorted(range(len(logits)), key=lambda i: (-logits[i], i))):
        rank[i] = place
    return rank


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _scaled(value: float, scale: float) -> float:
    return max(0.0, min(1.5, float(value) / scale))


def status_features(pledge: PledgeSpan, verdict: Verdict) -> dict[str, float]:
    """Dense features of the match decision: scores, the path the rules took, their status."""
    f = verdict.features
    out: dict[str, float] = {
        "rule=" + verdict.status: 1.0,
        "path=" + str(f.get("path", "none")): 1.0,
        "top": _scaled(f.get("top", 0.0), 100.0),
        "second": _scaled(f.get("second", 0.0), 100.0),
        "gap": _scaled(max(0.0, f.get("top", 0.0) - f.get("second", 0.0)), 100.0),
        "confidence": float(verdict.confidence),
        "has_target": float(f.get("has_target", 0.0)),
        "target_sim": float(f.get("target_sim", 0.0)),
        "five_year": float(f.get("five_year", 0.0)),
        "kind=" + pledge.kind: 1.0,
    }
    if "near_status" in f:
        out["near=" + str(f["near_status"])] = 1.0
    for key in ("sent_recall", "recall", "word_recall", "precision", "fuzzy", "run"):
        if key in f:
            out[key] = _scaled(f[key], 100.0 if f[key] > 1.5 else 1.0)
    for key in ("rare_word", "quoted", "has_quoted", "figure", "explained_away", "hub"):
        if f.get(key):
            out[key] = 1.0
    for key, scale in (("n_words", 10.0), ("n_rare", 5.0)):
        if key in f:
            out[key] = _scaled(f[key], scale)
    if verdict.evidence:
        out["n_evidence"] = min(3.0, float(len(verdict.evidence))) / 3.0
    if verdict.actual is not None:
        out["actual"] = 1.0
    return out


def pledge_features(pledge: PledgeSpan, verdict: Verdict, position: float) -> dict[str, float]:
    """What the pledge model sees: the item's own text and shape, and whether the review speaks of it.

    The review part matters: a general commitment (坚持稳中求进) has no deliverable a review
    could report, so how the match went is evidence of what kind of item it is.
    """
    out = checkable_features(pledge, position)
    for key, value in status_features(pledge, verdict).items():
        out["m:" + key] = value
    return out


@dataclass(frozen=True)
class Model:
    version: int
    trained_on: tuple[str, ...]
    pledge_bias: float
    pledge_weights: dict
    threshold: float
    status_bias: tuple[float, ...]
    status_weights: dict  # feature -> per-status weights
    residual_sd: dict  # status -> spread of the scorecard error on pairs not trained on
    z: float
    # Second stage of the pledge model: (a, b, c) of sigmoid(a * logit + b * log(1 + rank) + c),
    # rank being the item's place in its own plan by the first stage (0: the most pledge-like).
    stack: tuple[float, float, float] | None = None

    def pledge_logit(self, features: dict[str, float]) -> float:
        return self.pledge_bias + sum(self.pledge_weights.get(k, 0.0) * v for k, v in features.items())

    def p_pledge(self, features: dict[str, float]) -> float:
        """The first stage alone: the item by itself, not yet weighed against the rest of its plan."""
        return _sigmoid(self.pledge_logit(features))

    def p_pledges(self, feature_rows: Sequence[dict[str, float]]) -> list[float]:
        """Every item of one plan: how pledge-like it is, and where that places it among the plan's items.

        Labellers keep a plan's most concrete items (the guide: 60–150 pledges is typical, however
        many items a plan has), so the same item is less likely a counted pledge in a plan full of
        more concrete ones; the rank carries that, the logit the item itself.
        """
        logits = [self.pledge_logit(f) for f in feature_rows]
        if self.stack is None:
            return [_sigmoid(z) for z in logits]
        a, b, c = self.stack
        return [_sigmoid(a * z + b * math.log1p(r) + c) for z, r in zip(logits, plan_ranks(logits), strict=True)]

    def status_probabilities(self, features: dict[str, float]) -> dict[str, float]:
        logits = list(self.status_bias)
        for k, v in features.items():
            w = self.status_weights.get(k)
            if w is not None:
                for i, wi in enumerate(w):
                    logits[i] += wi * v
        top = max(logits)
        exps = [math.exp(x - top) for x in logits]
        total = sum(exps)
        return {s: e / total for s, e in zip(STATUSES, exps, strict=True)}


def model_parse(data: dict, source: str = "model") -> Model:
    """A Model from its JSON form; ModelError names what is missing."""
    try:
        if int(data["version"]) != MODEL_VERSION:
            raise ModelError(f"{source}: parameters version {data['version']}, this code reads {MODEL_VERSION}")
        status = data["status"]
        if tuple(status["classes"]) != STATUSES:
            raise ModelError(f"{source}: status classes {status['classes']} are not {list(STATUSES)}")
        return Model(
            version=int(data["version"]),
            trained_on=tuple(data.get("trained_on", ())),
            pledge_bias=float(data["pledge"]["bias"]),
            pledge_weights={k: float(v) for k, v in data["pledge"]["weights"].items()},
            threshold=float(data["pledge"]["threshold"]),
            status_bias=tuple(float(b) for b in status["bias"]),
            status_weights={k: tuple(float(x) for x in v) for k, v in status["weights"].items()},
            residual_sd={s: float(data["interval"]["residual_sd"][s]) for s in STATUSES},
            z=float(data["interval"]["z"]),
            stack=tuple(float(x) for x in data["pledge"]["stack"]) if data["pledge"].get("stack") else None,
        )
    except ModelError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{source}: not a tracker parameters file ({exc!r})") from exc


def model_load(path: Path | None = None) -> Model:
    """The parameters at ``path`` (default: the shipped data/model.json)."""
    path = Path(path) if path is not None else MODEL_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: cannot read parameters ({exc})") from exc
    return model_parse(data, str(path))


@cache
def model_default() -> Model:
    """The shipped parameters, or the file TRACKER_MODEL names (a held-out fit, for evaluation)."""
    return model_load(os.environ.get("TRACKER_MODEL") or None)


def pledges_assess(
    pledges: Sequence[PledgeSpan], verdicts: Sequence[Verdict], positions: Sequence[float], model: Model | None = None
) -> list[Assessment]:
    """One assessment per pledge; a pending verdict gets its pledge probability only."""
    model = model or model_default()
    rows = [pledge_features(p, v, x) for p, v, x in zip(pledges, verdicts, positions, strict=True)]
    out = []
    for pledge, verdict, p in zip(pledges, verdicts, model.p_pledges(rows), strict=True):
        probs = {} if verdict.status == "pending" else model.status_probabilities(status_features(pledge, verdict))
        out.append(Assessment(round(p, 4), p >= model.threshold, {k: round(v, 4) for k, v in probs.items()}))
    return out


def scorecard_estimate(
    assessments: Sequence[Assessment], model: Model | None = None
) -> tuple[dict[str, float], dict[str, list[float]]] | None:
    """Estimated share of each status among the plan's pledges, and an interval for each.

    The estimate weighs every item by how likely it is a pledge, so an item the model is unsure
    of counts in part rather than all or nothing. The interval combines the spread of the items
    (each a draw from its own probabilities) with the scorecard error measured on labelled pairs
    the model was not trained on. None when nothing is judged yet.
    """
    model = model or model_default()
    judged = [a for a in assessments if a.probabilities]
    weight = sum(a.p_pledge for a in judged)
    if not judged or weight <= 0:
        return None
    shares, intervals = {}, {}
    for s in STATUSES:
        share = sum(a.p_pledge * a.probabilities[s] for a in judged) / weight
        item_var = sum((a.p_pledge * a.p_pledge) * a.probabilities[s] * (1 - a.probabilities[s]) for a in judged)
        sd = math.sqrt(item_var / (weight * weight) + model.residual_sd[s] ** 2)
        shares[s] = share
        intervals[s] = [round(max(0.0, share - model.z * sd), 3), round(min(1.0, share + model.z * sd), 3)]
    total = sum(shares.values())
    return {s: round(v / total, 4) for s, v in shares.items()}, intervals


def probability_words(p: float) -> str:
    """很可能 / 可能 / 不确定: how sure a verdict is, in the words a pledge page uses."""
    if p >= LIKELY_AT:
        return "很可能"
    if p >= POSSIBLE_AT:
        return "可能"
    return "不确定"

"""The learned probabilities and the estimated scorecard (pipeline/calibrate.py)."""

from __future__ import annotations

import json

import pytest

from tracker.pipeline import calibrate
from tracker.pipeline.calibrate import (
    STATUSES,
    Assessment,
    ModelError,
    model_load,
    model_parse,
    pledge_features,
    pledges_assess,
    probability_words,
    scorecard_estimate,
)
from tracker.pipeline.compare import pair_compare
from tracker.pipeline.types import EvidenceSpan, PledgeSpan, Target, Verdict

from .conftest import corpus_bytes


def _pledge(text: str, kind: str = "action", target: Target | None = None) -> PledgeSpan:
    return PledgeSpan(text, 0, len(text), kind, "三、今年政府工作任务", 0, target)


def _matched(score: float) -> Verdict:
    ev = (EvidenceSpan("建成高标准农田4500万亩", 10, 22, score),)
    feats = {"path": "words", "top": score, "second": score / 3, "sent_recall": 0.9, "recall": 0.9, "word_recall": 0.9,
             "precision": 0.8, "n_words": 6.0, "rare_word": 1.0}
    return Verdict("fulfilled", 0.85, ev, features=feats)


def _silent() -> Verdict:
    return Verdict("dropped", 0.8, features={"path": "none", "top": 12.0, "second": 8.0, "near_status": "dropped"})


def test_the_shipped_parameters_load_and_say_what_they_were_fitted_on():
    model = model_load()
    assert model.version == calibrate.MODEL_VERSION
    assert len(model.trained_on) >= 3
    assert 0.0 < model.threshold < 0.5
    assert set(model.residual_sd) == set(STATUSES) and all(v >= 0.02 for v in model.residual_sd.values())


def test_a_figure_target_is_more_likely_a_pledge_than_a_stance():
    target = _pledge("新建高标准农田4500万亩", "target", Target("高标准农田", 4500.0, "万亩", "exact"))
    stance = _pledge("坚持稳中求进工作总基调")
    got = pledges_assess([target, stance], [_matched(90.0), _silent()], [0.5, 0.5])
    assert got[0].p_pledge > got[1].p_pledge
    model = model_load()
    assert model.pledge_logit(pledge_features(target, _matched(90.0), 0.5)) > model.pledge_logit(
        pledge_features(stance, _silent(), 0.5)) + 1.0


def test_an_item_weighs_less_in_a_plan_full_of_more_concrete_ones():
    """Labellers keep a plan's most concrete items: the same item ranked 500th is less likely counted."""
    stance = _pledge("坚持稳中求进工作总基调")
    target = _pledge("新建高标准农田4500万亩", "target", Target("高标准农田", 4500.0, "万亩", "exact"))
    alone = pledges_assess([stance], [_silent()], [0.5])[0].p_pledge
    crowded = pledges_assess([target] * 500 + [stance], [_matched(95.0)] * 500 + [_silent()], [0.5] * 501)
    assert crowded[-1].p_pledge < alone - 0.3
    assert not crowded[-1].scored and crowded[0].scored


def test_status_probabilities_sum_to_one_and_follow_the_evidence():
    pledge = _pledge("新建高标准农田4500万亩", "target", Target("高标准农田", 4500.0, "万亩", "exact"))
    strong, silent = pledges_assess([pledge, pledge], [_matched(95.0), _silent()], [0.2, 0.2])
    for a in (strong, silent):
        assert sum(a.probabilities.values()) == pytest.approx(1.0, abs=1e-3)
    assert max(strong.probabilities, key=strong.probabilities.get) == "fulfilled"
    assert max(silent.probabilities, key=silent.probabilities.get) == "dropped"
    assert strong.probabilities["fulfilled"] > silent.probabilities["fulfilled"]


def test_a_pending_verdict_gets_no_status_probabilities_and_no_scorecard():
    got = pledges_assess([_pledge("实施城市更新行动")], [Verdict("pending", 1.0)], [0.3])
    assert got[0].probabilities == {}
    assert scorecard_estimate(got) is None


def _assessment(p: float, status: str, sure: float = 0.9) -> Assessment:
    rest = (1 - sure) / 3
    return Assessment(p, True, {s: (sure if s == status else rest) for s in STATUSES})


def test_the_estimate_weighs_items_by_how_likely_they_are_pledges():
    pledges = [_assessment(0.95, "fulfilled")] * 6 + [_assessment(0.95, "dropped")] * 4
    shares, _ = scorecard_estimate(pledges)
    # ten general commitments, all "dropped" but hardly pledges, barely move the shares
    noise = [_assessment(0.02, "dropped")] * 10
    shares_noisy, _ = scorecard_estimate(pledges + noise)
    assert shares["fulfilled"] == pytest.approx(0.6 * 0.9 + 0.4 * (0.1 / 3), abs=0.01)
    assert abs(shares_noisy["dropped"] - shares["dropped"]) < 0.03
    counted = sum(1 for a in pledges + noise if max(a.probabilities, key=a.probabilities.get) == "dropped") / 20
    assert counted == 0.7 and shares_noisy["dropped"] < 0.45


def test_intervals_hold_the_estimate_stay_in_0_1_and_shrink_with_more_pledges():
    few = [_assessment(0.9, "fulfilled", 0.6), _assessment(0.9, "dropped", 0.6)]
    many = few * 100
    shares, iv = scorecard_estimate(few)
    _, iv_many = scorecard_estimate(many)
    assert sum(shares.values()) == pytest.approx(1.0, abs=1e-3)
    for s in STATUSES:
        lo, hi = iv[s]
        assert 0.0 <= lo <= shares[s] <= hi <= 1.0
        assert iv_many[s][1] - iv_many[s][0] <= hi - lo
    # the error measured on unseen pairs stays in the interval however many pledges
    model = model_load()
    assert iv_many["dropped"][1] - iv_many["dropped"][0] >= 2 * model.z * model.residual_sd["dropped"] - 0.01


@pytest.mark.parametrize(
    "broken, message",
    [
        ({"version": 99}, "version 99"),
        ({"status": {"classes": ["a", "b"], "bias": [], "weights": {}}}, "status classes"),
        ({"pledge": {}}, "not a tracker parameters file"),
    ],
)
def test_a_broken_parameters_file_is_refused_with_its_name(broken, message):
    data = json.loads(calibrate.MODEL_PATH.read_text(encoding="utf-8"))
    data.update(broken)
    with pytest.raises(ModelError, match=message) as info:
        model_parse(data, "somewhere/model.json")
    assert "somewhere/model.json" in str(info.value)


def test_an_unreadable_parameters_file_names_itself(tmp_path):
    bad = tmp_path / "model.json"
    bad.write_bytes(b"\xff\xfe{not json")
    with pytest.raises(ModelError, match=str(bad)):
        model_load(bad)


@pytest.mark.parametrize("p, words", [(0.95, "很可能"), (0.8, "很可能"), (0.7, "可能"), (0.55, "可能"), (0.4, "不确定")])
def test_probability_words(p, words):
    assert probability_words(p) == words


def test_guangdong_scorecard_is_estimated_not_counted(corpus):
    """The counted dropped share of Guangdong 2025 was 78% against 47% labelled (the issue's own figure)."""
    out = pair_compare("guangdong-2025.docx", corpus_bytes(corpus, "provincial/guangdong-2025.docx"),
                       "guangdong-2026.txt", corpus_bytes(corpus, "provincial/guangdong-2026.txt"), 2025)
    rows = out["pledges"]
    assert all({"scored", "p_pledge", "probabilities"} <= set(r) for r in rows)
    counted_dropped = sum(r["status"] == "dropped" for r in rows) / len(rows)
    assert counted_dropped > 0.7
    assert sum(out["scorecard"].values()) == pytest.approx(1.0, abs=1e-3)
    assert out["scorecard"]["dropped"] < counted_dropped - 0.1
    for s in STATUSES:
        lo, hi = out["scorecard_interval"][s]
        assert lo <= out["scorecard"][s] <= hi
    scored = [r["p_pledge"] for r in rows if r["scored"]]
    hidden = [r for r in rows if not r["scored"]]
    assert hidden and max(r["p_pledge"] for r in hidden) < min(scored)
    # what is set aside is what the plan states as a general direction, rarely a figure
    assert sum(1 for r in hidden if r["target"]) <= len(hidden) // 4

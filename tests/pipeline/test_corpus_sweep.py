"""The label-free sweep that flags implausible pairs (tools/corpus_sweep.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import corpus_sweep  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def _result(statuses: list[str], evidence: str = "", sections=("review",)) -> dict:
    rows = [
        {"status": s, "confidence": 0.8, "evidence": [{"text": evidence or f"clause {i}"}] if s != "dropped" else []}
        for i, s in enumerate(statuses)
    ]
    return {"pledges": rows, "review": {"report": {"sections": [{"kind": k} for k in sections]}}}


def test_a_plausible_pair_is_not_flagged():
    assert corpus_sweep.pair_flags(_result(["fulfilled"] * 3 + ["dropped"] * 7), 2025) == []


def test_nearly_all_fulfilled_or_all_dropped_is_flagged():
    assert corpus_sweep.pair_flags(_result(["fulfilled"] * 9 + ["dropped"]), 2025) == ["fulfilled 90%"]
    assert corpus_sweep.pair_flags(_result(["dropped"] * 10), 2025) == ["fulfilled only 0%"]


def test_one_clause_evidence_of_much_of_the_plan_is_flagged():
    flags = corpus_sweep.pair_flags(_result(["fulfilled"] * 3 + ["dropped"] * 7, evidence="实施一批重大项目"), 2025)
    assert flags == ["one clause is the evidence of 30%: 实施一批重大项目"]


def test_no_review_is_flagged():
    result = _result(["fulfilled"] * 3 + ["dropped"] * 7, sections=("plan",))
    assert "no review of 2025 found" in corpus_sweep.pair_flags(result, 2025)


def test_an_empty_corpus_folder_is_an_error(tmp_path, capsys):
    assert corpus_sweep.main(["--corpus", str(tmp_path)]) == 2
    assert str(tmp_path) in capsys.readouterr().err


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is absent")
def test_corpus_pairs_are_consecutive_years_of_one_government():
    pairs = corpus_sweep.corpus_pairs(CORPUS)
    names = {p[0] for p in pairs}
    assert {"national-2024", "hainan-2025", "zhejiang-2025"} <= names
    for _, plan, review, year in pairs:
        assert str(year) in plan.name and str(year + 1) in review.name

"""The measuring side of chains: manage.py benchmark times chaining, tools/chain_sweep.py counts chains."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.corpus
def test_benchmark_reports_chaining_against_the_pipeline_in_the_same_run(corpus):
    out = io.StringIO()
    call_command("benchmark", corpus=str(corpus), scales="1", max_pairs=2, stdout=out)
    line = next(x for x in out.getvalue().splitlines() if x.startswith("chains:"))
    assert "ms CPU of chaining per plan pair" in line and "without chains" in line and "budget" in line


@pytest.mark.corpus
def test_chain_benchmark_figures(corpus):
    from tracker.benchmarks.chain_bench import MAX_SLOWDOWN, chain_benchmark

    result = chain_benchmark(corpus, 2, out=lambda _: None)
    assert result["pairs"] == 2 and result["links_per_pair"] >= 20
    assert result["chain_ms_per_pair"] > 0
    # The figures agree with each other; how fast they are is printed, never asserted.
    without, with_chains = result["pairs_per_second_without_chains"], result["pairs_per_second_with_chains"]
    assert with_chains < without
    assert result["slowdown"] == pytest.approx(without / with_chains, rel=0.01)
    assert result["within_budget"] == (result["slowdown"] <= MAX_SLOWDOWN)


@pytest.mark.corpus
def test_chain_sweep_counts_chains_on_the_national_series(corpus, tmp_path, capsys):
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import chain_sweep
    finally:
        sys.path.pop(0)
    dump = tmp_path / "links.json"
    assert chain_sweep.main(["--series", str(corpus / "national"), "--sample", "5", "--json", str(dump)]) == 0
    printed = capsys.readouterr().out
    assert "2019->2021" in printed and "gap: 2 years apart" in printed
    assert "chains of length >= 2" in printed
    rows = json.loads(dump.read_text(encoding="utf-8"))
    assert all(r["later"] - r["earlier"] == r["years_apart"] for r in rows)
    assert {r["years_apart"] for r in rows if r["earlier"] == 2019} == {2}

"""The overlap report of tools/gold_harness.py: how many words a pledge shares with what answers it."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import gold_harness  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "dev"
CORPUS = ROOT.parent / "shared" / "corpus"


def test_content_words_leave_out_framing_verbs_and_figures():
    words = gold_harness.content_words("加快推进种源关键技术攻关，新建2000个")
    assert "推进" not in words and "加快" not in words
    assert "种源" in words
    assert not any(w.isdigit() for w in words)


def test_content_words_expand_abbreviations():
    assert "国有企业" in gold_harness.content_words("深化国企改革")


def test_an_addressed_pledge_counts_words_shared_with_its_gold_evidence():
    gold = {"pledge": "推进老旧小区改造", "status": "fulfilled", "evidence": ["完成老旧小区改造1200个"]}
    assert gold_harness.overlap_row(gold, "dropped", []) == ("addressed", "dropped", 3)  # 老旧 小区 改造


def test_an_answer_in_other_words_shares_none():
    gold = {"pledge": "促进科技成果转化", "status": "fulfilled", "evidence": ["技术合同成交额增长28.6%"]}
    assert gold_harness.overlap_row(gold, "dropped", []) == ("addressed", "dropped", 0)


def test_a_dropped_pledge_counts_words_shared_with_the_nearest_clause():
    clauses = [gold_harness.content_words(t) for t in ("建成一批公园", "新建城市公园绿地120个", "粮食产量稳定")]
    gold = {"pledge": "新建城市公园绿地", "status": "dropped", "evidence": []}
    assert gold_harness.overlap_row(gold, "dropped", clauses) == ("dropped", "dropped", 3)


def test_the_table_has_a_row_per_outcome_and_caps_the_count(capsys):
    table = Counter({("addressed", "dropped", 0): 5, ("dropped", "dropped", 3): 7})
    gold_harness.overlap_print(table)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[-1] == "3+"
    row = next(x for x in lines if "gold addressed -> dropped" in x)
    assert row.split()[-4:] == ["5", "0", "0", "0"]
    row = next(x for x in lines if "gold dropped   -> dropped" in x)
    assert row.split()[-4:] == ["0", "0", "0", "7"]


@pytest.mark.corpus
@pytest.mark.skipif(not (DEV / "national-2024.meta.json").exists() or not CORPUS.exists(), reason="../shared eval/corpus absent")
def test_on_a_real_pair_truly_dropped_pledges_share_words_with_some_clause():
    # Why a word matcher cannot just lower its bar: most pledges the labels call dropped
    # share content words with some review clause of the same field.
    meta = json.loads((DEV / "national-2024.meta.json").read_text(encoding="utf-8"))
    gold, _, review, sections = gold_harness.pair_load(meta, DEV, CORPUS)
    spans = gold_harness.review_spans_split(review, sections, meta["plan_year"])
    clauses = [gold_harness.content_words(s.text) for s in spans]
    rows = [gold_harness.overlap_row(g, "dropped", clauses) for g in gold if g["status"] == "dropped"]
    assert len(rows) > 50
    assert sum(n >= 1 for _, _, n in rows) / len(rows) > 0.8

"""tools/nearest_hits.py: how often the passages beside a dropped verdict hold the labelled answer."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCORE = ROOT.parent / "shared" / "eval" / "score.py"
sys.path.insert(0, str(ROOT / "tools"))

import nearest_hits  # noqa: E402

pytestmark = pytest.mark.skipif(not SCORE.exists(), reason="../shared/eval/score.py absent")


def _row(text: str, status: str, nearest: list[str] = ()) -> dict:
    return {"text": text, "status": status, "nearest": [{"text": t, "score": 20.0} for t in nearest]}


def test_a_missed_answer_is_counted_at_the_rank_it_is_shown():
    score = nearest_hits.scorer(SCORE)
    gold = [
        {"pledge": "推动大面积提高单产", "status": "fulfilled", "evidence": ["亩产提升10.1斤"]},
        {"pledge": "促进科技成果转化", "status": "fulfilled", "evidence": ["技术合同成交额增长28.6%"]},
        {"pledge": "建设城市体育中心", "status": "dropped", "evidence": []},
        {"pledge": "新建高标准农田2万亩", "status": "fulfilled", "evidence": ["新建高标准农田2.1万亩"]},
    ]
    system = {
        "pledges": [
            _row("推动大面积提高单产", "dropped", ["粮食产量稳定", "亩产提升10.1斤"]),
            _row("促进科技成果转化", "dropped", ["科技创新能力提升"]),
            _row("建设城市体育中心", "dropped", ["城市体检全面开展"]),
            _row("新建高标准农田2万亩", "fulfilled"),  # addressed by the tracker: not a missed answer
        ]
    }
    out = nearest_hits.pair_hits(gold, system, score)
    assert out["missed_answers"] == 2
    assert out["hit_at_2"] == 1 and out["hit_at_1"] == 0
    assert (out["dropped"], out["dropped_with_passages"]) == (1, 1)


def test_a_gold_pledge_the_tracker_did_not_extract_is_not_counted():
    score = nearest_hits.scorer(SCORE)
    gold = [{"pledge": "办好第九届省园博会", "status": "fulfilled", "evidence": ["第九届省园博会成功举办"]}]
    out = nearest_hits.pair_hits(gold, {"pledges": [_row("新建5G基站3万个", "dropped", ["第九届省园博会成功举办"])]}, score)
    assert out["missed_answers"] == 0 and out["dropped"] == 0


def test_the_command_prints_cumulative_shares(tmp_path, capsys):
    import json

    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "p.meta.json").write_text(json.dumps({"pair": "p"}), encoding="utf-8")
    gold = [
        {"pledge": "推动大面积提高单产", "status": "fulfilled", "evidence": ["亩产提升10.1斤"]},
        {"pledge": "促进科技成果转化", "status": "fulfilled", "evidence": ["技术合同成交额增长28.6%"]},
    ]
    (gold_dir / "p.jsonl").write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in gold), encoding="utf-8")
    system = {"pledges": [_row("推动大面积提高单产", "dropped", ["亩产提升10.1斤"]), _row("促进科技成果转化", "dropped")]}
    (tmp_path / "p.json").write_text(json.dumps(system, ensure_ascii=False), encoding="utf-8")
    assert nearest_hits.main(["--system", str(tmp_path), "--gold", str(gold_dir), "--score", str(SCORE)]) == 0
    printed = capsys.readouterr().out
    assert "tracker drops: 2" in printed and "among the first 1 nearest passages: 1 (50%)" in printed

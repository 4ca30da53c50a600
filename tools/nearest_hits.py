"""How often the passages shown beside a dropped verdict hold the labelled answer.

A dropped verdict carries the review passages nearest to the pledge (judge.NEAREST_COUNT)
so a curator can check the silence. This scores them on the dev pairs end to end, from
the outputs of ../shared/eval/score.py (``--system OUTDIR``): for the pledges the labels
call addressed and the tracker drops, the share whose nearest passages hit a gold
evidence span (the scorer's own rules: pledges found at partial_ratio 85, evidence at 80).

    python tools/nearest_hits.py --system OUTDIR [--gold DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def scorer(path: Path):
    """The shared scorer as a module, so its matching rules are used rather than copied."""
    spec = importlib.util.spec_from_file_location("eval_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pair_hits(gold: list[dict], system: dict, score) -> Counter:
    """Counts for one pair: missed answers, those whose nearest passages hold the answer
    (by rank), and the truly dropped pledges that show any passage at all."""
    pledges = system["pledges"]
    for p in pledges:
        p["_n"] = score.norm(p["text"])
    out: Counter = Counter()
    for g in gold:
        found, _ = score.best_match(score.norm(g["pledge"]), pledges)
        if found is None or found["status"] != "dropped":
            continue
        if g["status"] == "dropped":
            out["dropped"] += 1
            out["dropped_with_passages"] += bool(found.get("nearest"))
            continue
        out["missed_answers"] += 1
        gev = [score.norm(e) for e in g.get("evidence") or []]
        for rank, passage in enumerate(found.get("nearest") or [], start=1):
            text = score.norm(passage["text"])
            if any(fuzz.partial_ratio(text, e) >= score.EVIDENCE_AT for e in gev if e and text):
                out[f"hit_at_{rank}"] += 1
                break
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--system", required=True, help="the directory score.py --run wrote")
    ap.add_argument("--gold", default=str(SHARED / "eval" / "dev"))
    ap.add_argument("--score", default=str(SHARED / "eval" / "score.py"))
    a = ap.parse_args(argv)
    score = scorer(Path(a.score))
    total: Counter = Counter()
    for meta_path in sorted(Path(a.gold).glob("*.meta.json")):
        pair = json.loads(meta_path.read_text("utf8"))["pair"]
        out = Path(a.system) / f"{pair}.json"
        if not out.exists():
            print(f"{pair}: no output in {a.system}", file=sys.stderr)
            return 1
        gold = [json.loads(x) for x in (meta_path.parent / f"{pair}.jsonl").read_text("utf8").splitlines() if x.strip()]
        total.update(pair_hits(gold, json.loads(out.read_text("utf8")), score))
    missed = total["missed_answers"]
    cumulative = 0
    print(f"pledges the labels call addressed and the tracker drops: {missed}")
    deepest = max((int(k.rsplit("_", 1)[1]) for k in total if k.startswith("hit_at_")), default=0)
    for rank in range(1, deepest + 1):
        cumulative += total[f"hit_at_{rank}"]
        print(f"  answer among the first {rank} nearest passages: {cumulative} ({cumulative / missed:.0%})")
    if total["dropped"]:
        print(f"truly dropped pledges shown with passages: {total['dropped_with_passages']} of {total['dropped']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

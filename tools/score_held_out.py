"""Score every labelled pair as a pair the tracker never saw: leave-one-pair-out through the real scorer.

For each pair, `manage.py train --hold-out PAIR` fits the models on the other pairs, and
`../shared/eval/score.py --run` scores that pair alone with those parameters (TRACKER_MODEL).
Prints the scorer's line for each pair and the pooled figures.

    .venv/bin/python tools/score_held_out.py [--gold ../shared/eval/dev] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATUSES = ("fulfilled", "partial", "missed", "dropped")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(ROOT.parent / "shared" / "eval" / "dev"))
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--scorer", default=str(ROOT.parent / "shared" / "eval" / "score.py"))
    a = ap.parse_args()
    gold = Path(a.gold)
    pairs = sorted(p.name[: -len(".meta.json")] for p in gold.glob("*.meta.json"))
    if not pairs:
        print(f"{gold}: no labelled pairs", file=sys.stderr)
        return 2
    python = sys.executable
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for pair in pairs:
            params = tmp / f"{pair}.model.json"
            subprocess.run([python, "manage.py", "train", "--gold", str(gold), "--corpus", a.corpus,
                            "--hold-out", pair, "--out", str(params)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            one = tmp / pair / "gold"
            one.mkdir(parents=True)
            for suffix in (".meta.json", ".jsonl"):
                (one / f"{pair}{suffix}").symlink_to((gold / f"{pair}{suffix}").resolve())
            out = subprocess.run(
                [python, a.scorer, "--gold", str(one), "--system", str(tmp / pair / "system"), "--run",
                 "--python", python, "--corpus", a.corpus, "--json"],
                cwd=ROOT, check=True, capture_output=True, text=True, env={**os.environ, "TRACKER_MODEL": str(params)},
            )
            # the scorer's JSON follows the lines `compare` prints while it runs
            start = out.stdout.index("{\n")
            results[pair] = json.JSONDecoder().raw_decode(out.stdout[start:])[0]["pairs"][pair]
    cols = ("recall", "prec", "acc", "dropF1", "e2e", "error", "covers", "width")
    print(f"{'pair (held out)':<18}" + "".join(f"{c:>8}" for c in cols))
    for pair, r in results.items():
        print(f"{pair:<18}{r['pledge_recall']:>8.3f}{r['pledge_precision']:>8.3f}{r['status_accuracy']:>8.3f}"
              f"{r['dropped_f1']:>8.3f}{r['end_to_end']:>8.3f}{r['scorecard_error']:>8.3f}"
              f"{r.get('interval_covers', 0):>6}/4{r.get('interval_width_mean', 0):>8.3f}")
    n = sum(r["gold_pledges"] for r in results.values())
    pooled = {k: sum(r[k] * r["gold_pledges"] for r in results.values()) / n
              for k in ("pledge_recall", "status_accuracy", "end_to_end")}
    errors = [r["scorecard_error"] for r in results.values()]
    covers = sum(r.get("interval_covers", 0) for r in results.values()) / (len(STATUSES) * len(results))
    width = sum(r.get("interval_width_mean", 0) for r in results.values()) / len(results)
    precision = sum(r["pledge_precision"] * r["system_pledges"] for r in results.values()) / sum(
        r["system_pledges"] for r in results.values())
    print(f"held out, pooled: recall {pooled['pledge_recall']:.3f} precision {precision:.3f} "
          f"accuracy {pooled['status_accuracy']:.3f} end-to-end {pooled['end_to_end']:.3f} "
          f"scorecard error mean {sum(errors) / len(errors):.3f} max {max(errors):.3f} "
          f"coverage {covers:.2f} width {width:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

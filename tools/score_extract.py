"""Write extraction-only compare outputs for the dev pairs, for score.py without --run.

Usage: python tools/score_extract.py OUTDIR [--gold DIR] [--corpus DIR] [--set NAME=VALUE ...]
Every pledge is written as "dropped": only recall, precision and target hit mean
anything here; statuses come from the matcher. --set overrides a numeric constant
of tracker.pipeline.extract for this run (CANDIDATE_SCORE=1 proposes only what the old
hand rules' threshold let through), to trace what extraction alone proposes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.pipeline import extract  # noqa: E402
from tracker.pipeline.read import document_read, report_with_plan  # noqa: E402


def main() -> int:
    shared = ROOT.parent / "shared"
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--gold", default=str(shared / "eval" / "dev"))
    ap.add_argument("--corpus", default=str(shared / "corpus"))
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = ap.parse_args()
    for item in args.set:
        name, _, value = item.partition("=")
        if not isinstance(getattr(extract, name, None), (int, float)):
            ap.error(f"--set {item}: extract has no numeric constant {name}")
        setattr(extract, name, float(value) if "." in value else int(value))
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    for meta_path in sorted(Path(args.gold).glob("*.meta.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        plan_path = Path(args.corpus) / meta["plan_file"]
        t0 = time.time()
        doc = document_read(plan_path.name, plan_path.read_bytes(), meta["plan_year"])
        report = report_with_plan(doc, meta["plan_year"])
        pledges = report.pledges if report else []
        result = {
            "plan": {"file": meta["plan_file"], "warnings": doc.warnings},
            "review": {},
            "pledges": [
                {
                    "text": p.text,
                    "section": p.section_path,
                    "kind": p.kind,
                    "status": "dropped",
                    "confidence": 0,
                    "target": p.target.as_dict() if p.target else None,
                    "actual": None,
                    "evidence": [],
                }
                for p in pledges
            ],
        }
        pair = meta_path.name[: -len(".meta.json")]
        (out / f"{pair}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"{pair}: {len(pledges)} pledges in {time.time() - t0:.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Run every plan/review pair of the corpus and flag pairs whose verdicts look implausible.

No labels are needed: a pair is flagged when almost everything is fulfilled or dropped,
when one review clause is the evidence of a large share of the plan outside a listed
annex, or when no review of the plan year was found. Such pairs found three reading
bugs the labelled pairs did not show (see the README, "Measuring").

    python tools/corpus_sweep.py [--corpus DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.pipeline.compare import pair_compare  # noqa: E402
from tracker.pipeline.judge import BLANKET_CONFIDENCE  # noqa: E402

SHARED = ROOT.parent / "shared"
FULFILLED_MAX = 0.7
FULFILLED_MIN = 0.02
ONE_SPAN_MAX = 0.15


def corpus_pairs(corpus: Path) -> list[tuple[str, Path, Path, int]]:
    """(name, plan file, review file, plan year) for national years and provinces."""
    pairs = []
    national = corpus / "national"
    years = sorted(int(p.stem) for p in national.glob("*.txt") if p.stem.isdigit())
    for y in years:
        if (national / f"{y + 1}.txt").exists():
            pairs.append((f"national-{y}", national / f"{y}.txt", national / f"{y + 1}.txt", y))
    provincial = corpus / "provincial"
    for plan in sorted(provincial.glob("*-*.*")):
        name, _, year = plan.stem.rpartition("-")
        if not year.isdigit():
            continue
        review = next(provincial.glob(f"{name}-{int(year) + 1}.*"), None)
        if review is not None:
            pairs.append((f"{name}-{year}", plan, review, int(year)))
    return pairs


def pair_flags(result: dict, plan_year: int) -> list[str]:
    rows = result["pledges"]
    n = len(rows) or 1
    status = Counter(r["status"] for r in rows)
    flags = []
    if status["fulfilled"] / n > FULFILLED_MAX:
        flags.append(f"fulfilled {status['fulfilled'] / n:.0%}")
    if status["fulfilled"] / n < FULFILLED_MIN:
        flags.append(f"fulfilled only {status['fulfilled'] / n:.0%}")
    # a blanket claim is the evidence of every item of its list by design
    unlisted = Counter(r["evidence"][0]["text"] for r in rows if r["evidence"] and r["confidence"] > BLANKET_CONFIDENCE)
    if unlisted:
        text, count = unlisted.most_common(1)[0]
        if count / n > ONE_SPAN_MAX:
            flags.append(f"one clause is the evidence of {count / n:.0%}: {text[:30]}")
    sections = (result.get("review") or {}).get("report", {}).get("sections", [])
    if not any(s["kind"] in ("review", "five_year_review") for s in sections):
        flags.append(f"no review of {plan_year} found")
    return flags


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(SHARED / "corpus"))
    a = ap.parse_args(argv)
    pairs = corpus_pairs(Path(a.corpus))
    if not pairs:
        print(f"{a.corpus}: no national/YYYY.txt or provincial/NAME-YYYY.* pairs found", file=sys.stderr)
        return 2
    flagged = 0
    for name, plan, review, year in pairs:
        result = pair_compare(plan.name, plan.read_bytes(), review.name, review.read_bytes(), year, jurisdiction=name)
        status = Counter(r["status"] for r in result["pledges"])
        n = len(result["pledges"]) or 1
        shares = " ".join(f"{s[:4]}={status[s] / n:.2f}" for s in ("fulfilled", "partial", "missed", "dropped"))
        flags = pair_flags(result, year)
        flagged += bool(flags)
        print(f"{name:<18} pledges={len(result['pledges']):>4} {shares}" + (f"  !! {'; '.join(flags)}" if flags else ""))
    print(f"{flagged} pair(s) flagged")
    return 1 if flagged else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Chains over a series of one government's plans: how many, how long, and a sample to check.

Reads every ``<year>.txt`` of a folder (default: the national series of ../shared/corpus),
extracts each year's plan, links each plan to the latest earlier one (a missing year makes a
gap link, said as years_apart), and prints the links per plan pair, the number of chains of
length >= 2, >= 3 and >= 5, the kinds, and a seeded random sample of links to hand-check.

    python tools/chain_sweep.py [--series DIR] [--sample 50] [--seed 14] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.pipeline.chain import MAX_YEARS_APART, ChainPlan, chains_of, plans_chain  # noqa: E402
from tracker.pipeline.read import document_read, report_with_plan  # noqa: E402

SERIES = ROOT.parent / "shared" / "corpus" / "national"


def series_plans(folder: Path) -> dict[int, list]:
    """Plan pledges by year for every <year>.txt of a folder that holds a plan of its year."""
    plans = {}
    for path in sorted(folder.glob("*.txt")):
        if not path.stem.isdigit():
            continue
        year = int(path.stem)
        report = report_with_plan(document_read(path.name, path.read_bytes(), year), year)
        if report is not None:
            plans[year] = list(report.pledges)
    return plans


def series_chain(plans: dict[int, list], government: str = "series") -> tuple[list[tuple[int, int, object]], float]:
    """(earlier year, later year, link) for every consecutive pair of plans, and seconds spent."""
    years = sorted(plans)
    links = []
    spent = 0.0
    for earlier, later in zip(years, years[1:], strict=False):
        if later - earlier > MAX_YEARS_APART:
            continue
        t0 = time.perf_counter()
        found = plans_chain(ChainPlan(government, earlier, plans[earlier]), ChainPlan(government, later, plans[later]))
        spent += time.perf_counter() - t0
        links += [(earlier, later, link) for link in found]
    return links, spent


def chain_lengths(links: list[tuple[int, int, object]]) -> list[int]:
    return [len(c) for c in chains_of(((a, link.previous), (b, link.current)) for a, b, link in links)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--series", default=str(SERIES), help="folder of <year>.txt reports of one government")
    ap.add_argument("--sample", type=int, default=50, help="links to print for a hand check")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--json", help="write every link (years, texts, kind, similarity) to this file")
    a = ap.parse_args(argv)
    folder = Path(a.series)
    if not folder.is_dir():
        print(f"{folder}: folder not found (give --series)", file=sys.stderr)
        return 2
    plans = series_plans(folder)
    links, spent = series_chain(plans)
    years = sorted(plans)
    pairs = [(x, y) for x, y in zip(years, years[1:], strict=False) if y - x <= MAX_YEARS_APART]
    per_pair = Counter((x, y) for x, y, _ in links)
    print(f"{len(plans)} plans, {len(pairs)} plan pairs, {len(links)} links "
          f"({spent * 1000 / max(1, len(pairs)):.1f} ms of chaining per pair)")
    for x, y in pairs:
        gap = f"  gap: {y - x} years apart" if y - x > 1 else ""
        print(f"  {x}->{y}: {len(plans[x])} -> {len(plans[y])} pledges, {per_pair[(x, y)]} links{gap}")
    lengths = chain_lengths(links)
    at_least = {k: sum(n >= k for n in lengths) for k in (2, 3, 5)}
    print(f"chains of length >= 2: {at_least[2]}, >= 3: {at_least[3]}, >= 5: {at_least[5]} "
          f"(longest {max(lengths, default=0)})")
    print("kinds: " + ", ".join(f"{k} {n}" for k, n in Counter(link.kind for *_, link in links).most_common()))
    print("basis: " + ", ".join(f"{k} {n}" for k, n in Counter(link.basis for *_, link in links).most_common()))
    rng = random.Random(a.seed)
    sample = rng.sample(links, min(a.sample, len(links)))
    print(f"\nsample of {len(sample)} links (seed {a.seed}):")
    for n, (x, y, link) in enumerate(sample, start=1):
        print(f"{n:>3}. {x}->{y} {link.kind:<14} {link.similarity:.2f} {link.basis:<6} "
              f"{plans[x][link.previous].text[:60]}  =>  {plans[y][link.current].text[:60]}")
    if a.json:
        rows = [
            {"earlier": x, "later": y, "kind": link.kind, "basis": link.basis, "similarity": link.similarity,
             "years_apart": link.years_apart, "previous": plans[x][link.previous].text,
             "current": plans[y][link.current].text}
            for x, y, link in links
        ]
        Path(a.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

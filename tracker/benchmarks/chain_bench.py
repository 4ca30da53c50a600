"""What chaining costs: plans_chain per plan pair, and the pipeline's throughput with and without it.

Each real pair of the corpus (plan of year N, report of N+1) is run through the whole
pipeline (read, extract, judge: what one tracking task does) twice after a warm-up run,
once alone and once followed by chaining the plan of N+1 to the plan of N, the order
alternating from pair to pair so drift on a shared machine hits both alike (CPU time).
Throughput with chains is the mean pipeline time of those runs plus the chaining time.
Both plans' pledges are extracted before the clock starts: in the
tracker they are stored rows by the time the chain service runs. Pure Python, no Django:
``manage.py benchmark`` prints it after the pipeline figures. The database reads and writes
of the chain service are not counted here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from tracker.benchmarks.pipeline_bench import Pair, corpus_pairs, pair_run
from tracker.pipeline.chain import ChainPlan, plans_chain
from tracker.pipeline.read import document_read, report_with_plan

# The budget: with chains, the pipeline keeps at least 1/1.2 of its throughput.
MAX_SLOWDOWN = 1.2


def _plans_of(pair: Pair) -> tuple[ChainPlan, ChainPlan] | None:
    """The plan of the pair's year and the plan of the next year (held by the review's report)."""
    earlier = report_with_plan(document_read(pair.plan_name, pair.plan, pair.plan_year), pair.plan_year)
    later = report_with_plan(document_read(pair.review_name, pair.review, pair.plan_year + 1), pair.plan_year + 1)
    if earlier is None or later is None:
        return None
    government = pair.name.rsplit("-", 1)[0]
    return (ChainPlan(government, pair.plan_year, list(earlier.pledges)),
            ChainPlan(government, pair.plan_year + 1, list(later.pledges)))


def chain_benchmark(corpus_dir: Path, max_pairs: int | None, out: Callable[[str], None] = print) -> dict:
    """Time chaining per plan pair and the pipeline with and without it; print and return the figures."""
    pairs = corpus_pairs(Path(corpus_dir))
    if max_pairs is not None:
        pairs = pairs[:max_pairs]
    prepared = [(pair, plans) for pair in pairs if (plans := _plans_of(pair)) is not None]
    if not prepared:
        out("chains: no pair with two plans to chain")
        return {"pairs": 0}
    # Warm up on every pair: a pair's second run is cheaper than its first (caches of the reader),
    # which would otherwise favour whichever variant runs second.
    for pair, plans in prepared:
        pair_run(pair)
        plans_chain(*plans)
    pipeline = chaining = 0.0
    links = 0
    runs = 0
    for k, (pair, (earlier, later)) in enumerate(prepared):
        # Alternate which variant goes first, so any drift hits both alike.
        for variant in ("without", "with") if k % 2 == 0 else ("with", "without"):
            t0 = time.process_time()
            pair_run(pair)
            t1 = time.process_time()
            pipeline += t1 - t0
            runs += 1
            if variant == "with":
                links += len(plans_chain(earlier, later))
                chaining += time.process_time() - t1
    n = len(prepared)
    # The slowdown is the chaining time over the pipeline time of all runs of both variants:
    # comparing the "with" runs' total to the "without" runs' instead mixes in the pipeline's
    # own run-to-run jitter (on two shared cores, +-30% for two pairs) with a cost of a few percent.
    without = pipeline / runs * n
    with_chains = without + chaining
    slowdown = with_chains / without if without else None
    result = {
        "pairs": n,
        "links_per_pair": round(links / n, 1),
        "chain_ms_per_pair": round(1000 * chaining / n, 2),
        "pairs_per_second_without_chains": round(n / without, 3) if without else None,
        "pairs_per_second_with_chains": round(n / with_chains, 3) if with_chains else None,
        "slowdown": round(slowdown, 3) if slowdown else None,
        "within_budget": bool(slowdown and slowdown <= MAX_SLOWDOWN),
    }
    out(
        f"chains: {result['chain_ms_per_pair']:.1f} ms CPU of chaining per plan pair ({result['links_per_pair']:.0f} "
        f"links per pair, {n} pairs); pipeline {result['pairs_per_second_without_chains']:.3f} pairs/s/worker "
        f"without chains, {result['pairs_per_second_with_chains']:.3f} with them, in the same run: "
        f"x{result['slowdown']:.3f} ({'within' if result['within_budget'] else 'OVER'} the {MAX_SLOWDOWN}x budget)"
    )
    return result

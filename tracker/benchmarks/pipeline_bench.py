"""Throughput of the pledge pipeline on real and synthetic plan/review pairs.

``benchmark_run`` reads the real pairs of the corpus (national year N plan against
the year N+1 report; provincial <p>-2025.docx against <p>-2026.txt), then builds
synthetic corpora ``scale`` times larger by perturbing them (clauses shuffled inside
sentences, figures changed), and times the whole pipeline per pair in one process,
which is what one Celery worker does. It prints pairs per second per worker, median
and p95 latency per pair, peak memory, the ratio against a naive difflib matcher,
and how many workers China's ~2,800 county-level governments would need to be
tracked within an hour. Pure Python, no Django: ``manage.py benchmark`` wraps it.
"""

from __future__ import annotations

import argparse
import difflib
import math
import random
import re
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tracker.pipeline.judge import pledges_judge
from tracker.pipeline.match import review_spans_split
from tracker.pipeline.types import PledgeSpan, SectionSpan

COUNTIES = 2800
HOUR = 3600.0
BASELINE_PAIRS = 2  # difflib is slow; two pairs are enough for a ratio
SEED = 20260301

try:  # the reading half; without it the benchmark times matching on a crude reading
    from tracker.pipeline.compare import pair_compare
    from tracker.pipeline.read import document_read, report_with_plan, report_with_review
except ImportError:  # pragma: no cover - depends on the other half being present
    pair_compare = None


@dataclass(frozen=True)
class Pair:
    name: str
    plan_name: str
    plan: bytes
    review_name: str
    review: bytes
    plan_year: int


def text_of(name: str, data: bytes) -> str:
    if name.endswith(".docx"):
        import io

        import docx

        return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def corpus_pairs(corpus_dir: Path) -> list[Pair]:
    """The real plan/review pairs of the corpus."""
    pairs = []
    nat = corpus_dir / "national"
    for plan in sorted(nat.glob("*.txt")) if nat.exists() else []:
        if not plan.stem.isdigit():
            continue
        review = nat / f"{int(plan.stem) + 1}.txt"
        if review.exists():
            pairs.append(
                Pair(f"national-{plan.stem}", plan.name, plan.read_bytes(), review.name, review.read_bytes(), int(plan.stem))
            )
    prov = corpus_dir / "provincial"
    for plan in sorted(prov.glob("*-2025.docx")) if prov.exists() else []:
        review = prov / plan.name.replace("-2025.docx", "-2026.txt")
        if review.exists():
            name = plan.name.removesuffix("-2025.docx")
            pairs.append(Pair(f"{name}-2025", plan.name, plan.read_bytes(), review.name, review.read_bytes(), 2025))
    # newest first and the two levels interleaved, so a capped run still sees both kinds
    national = [p for p in pairs if p.name.startswith("national")][::-1]
    provincial = [p for p in pairs if not p.name.startswith("national")]
    mixed = []
    for i in range(max(len(national), len(provincial))):
        mixed += [x[i] for x in (national, provincial) if i < len(x)]
    return mixed


_SENTENCE = re.compile(r"([^。；！？\n]+[。；！？]?)")
_FIGURE = re.compile(r"\d+(?:\.\d+)?")


def text_perturb(text: str, rng: random.Random) -> str:
    """A new but realistic document: clauses shuffled inside long sentences, figures changed.

    Headings and short lines are kept so the documents still segment like real ones.
    """
    out_lines = []
    for line in text.split("\n"):
        if len(line) < 60:
            out_lines.append(line)
            continue
        parts = []
        for sent in _SENTENCE.findall(line):
            body, end = (sent[:-1], sent[-1]) if sent[-1] in "。；！？" else (sent, "")
            clauses = body.split("，")
            if len(clauses) > 2:
                head, rest = clauses[0], clauses[1:]
                rng.shuffle(rest)
                clauses = [head, *rest]
            body = "，".join(clauses)
            body = _FIGURE.sub(lambda m: _figure_change(m.group(0), rng), body)
            parts.append(body + end)
        out_lines.append("".join(parts))
    return "\n".join(out_lines)


def _figure_change(num: str, rng: random.Random) -> str:
    if len(num) == 4 and num.startswith(("19", "20")):
        return num  # years carry the structure (2025年工作回顾)
    value = float(num) * rng.uniform(0.8, 1.2)
    return f"{value:.1f}" if "." in num else str(max(1, round(value)))


def synthetic_pairs(pairs: list[Pair], scale: int, seed: int = SEED) -> list[Pair]:
    """``scale`` variants of every pair (the first is the pair itself)."""
    rng = random.Random(seed)
    out = list(pairs)
    for k in range(1, scale):
        for p in pairs:
            plan = text_perturb(text_of(p.plan_name, p.plan), rng).encode("utf-8")
            review = text_perturb(text_of(p.review_name, p.review), rng).encode("utf-8")
            stem = p.plan_name.rsplit(".", 1)[0]
            out.append(Pair(f"{p.name}~{k}", f"{stem}.txt", plan, p.review_name, review, p.plan_year))
    return out


# --- crude reading, only used while the reading half is not in ---------------------------

_REVIEW_HEAD = re.compile(r"^[\s\u3000]*[一二三四五六七八九十]、.{0,12}(工作回顾|主要工作)", re.M)
_PLAN_HEAD = re.compile(r"^[\s\u3000]*[一二三四五六七八九十]、.{0,16}(工作安排|工作建议|工作任务|目标任务|政府工作的建议)", re.M)
_ANY_HEAD = re.compile(r"^[\s\u3000]*[一二三四五六七八九十]、", re.M)
_PLEDGE_CUE = re.compile(r"\d|建成|完成|出台|开工|实施|新增|新建")


def _section(text: str, head: re.Pattern) -> tuple[int, int] | None:
    m = head.search(text)
    if not m:
        return None
    n = _ANY_HEAD.search(text, m.end())
    return m.start(), n.start() if n else len(text)


def _crude_pair(pair: Pair) -> tuple[list[PledgeSpan], str, list[SectionSpan]]:
    plan = text_of(pair.plan_name, pair.plan)
    review = text_of(pair.review_name, pair.review)
    ps = _section(plan, _PLAN_HEAD) or (len(plan) // 2, len(plan))
    rs = _section(review, _REVIEW_HEAD) or (0, len(review) // 2)
    pledges = []
    for m in re.finditer(r"[^，。；\n]{6,60}", plan[ps[0]: ps[1]]):
        if _PLEDGE_CUE.search(m.group(0)):
            s = ps[0] + m.start()
            pledges.append(PledgeSpan(m.group(0), s, s + len(m.group(0)), "action", "", ps[0]))
    return pledges, review, [SectionSpan("review", "", rs[0], rs[1], pair.plan_year)]


def pair_inputs(pair: Pair) -> tuple[list[PledgeSpan], str, list[SectionSpan]]:
    """What pledges_judge receives for a pair, from the real reader when it is there."""
    if pair_compare is not None:
        plan = report_with_plan(document_read(pair.plan_name, pair.plan, pair.plan_year), pair.plan_year)
        review_doc = document_read(pair.review_name, pair.review, pair.plan_year + 1)
        review = report_with_review(review_doc, pair.plan_year)
        if plan is not None and review is not None:
            return list(plan.pledges), review_doc.text, list(review.sections)
    return _crude_pair(pair)


def pair_run(pair: Pair) -> int:
    """The whole pipeline for one pair; returns the number of pledges judged."""
    if pair_compare is not None:
        out = pair_compare(pair.plan_name, pair.plan, pair.review_name, pair.review, pair.plan_year)
        return len(out["pledges"])
    pledges, review, sections = _crude_pair(pair)
    return len(pledges_judge(pledges, review, sections, pair.plan_year))


def baseline_run(pair: Pair) -> float:
    """Seconds the naive matcher takes: difflib ratio of every pledge against every review sentence."""
    pledges, review, sections = pair_inputs(pair)
    sentences = [s.text for s in review_spans_split(review, sections, pair.plan_year) if s.kind == "sentence"]
    t0 = time.perf_counter()
    for p in pledges:
        max((difflib.SequenceMatcher(None, p.text, s).ratio() for s in sentences), default=0.0)
    return time.perf_counter() - t0


def _judge_only(pair: Pair) -> float:
    pledges, review, sections = pair_inputs(pair)
    t0 = time.perf_counter()
    pledges_judge(pledges, review, sections, pair.plan_year)
    return time.perf_counter() - t0


LEARNED_PAIRS = 4


def _learned_cost(pairs: list[Pair]) -> dict:
    """Seconds per pair of the learned models (pledge and status probabilities, the estimate),
    and the pipeline's time with them over its time without them, measured on the same pairs."""
    from tracker.pipeline.calibrate import model_default, pledges_assess, scorecard_estimate

    model_default()  # loaded once per worker, like jieba's dictionary
    full = learned = 0.0
    for pair in pairs:
        t = time.perf_counter()
        pledges, review, sections = pair_inputs(pair)
        verdicts = pledges_judge(pledges, review, sections, pair.plan_year)
        t1 = time.perf_counter()
        positions = [i / max(1, len(pledges) - 1) for i in range(len(pledges))]
        scorecard_estimate(pledges_assess(pledges, verdicts, positions))
        t2 = time.perf_counter()
        full += t2 - t
        learned += t2 - t1
    n = max(1, len(pairs))
    return {"seconds_per_pair": round(learned / n, 4),
            "slowdown": round(full / (full - learned), 3) if full > learned else None}


def _p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, math.ceil(0.95 * len(xs)) - 1)]


def peak_memory_mb() -> float:
    # ru_maxrss is in kilobytes on Linux: the peak of this process, i.e. of one worker
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def benchmark_run(
    corpus_dir: Path, scales: list[int], max_pairs: int | None, out: Callable[[str], None] = print
) -> dict:
    """Time the pipeline at each scale and print the figures; returns them as a dict."""
    real = corpus_pairs(Path(corpus_dir))
    if max_pairs is not None:
        real = real[:max_pairs]
    if not real:
        out(f"no plan/review pairs found under {corpus_dir}")
        return {"pairs": 0, "scales": {}}
    reading = "full pipeline (read + extract + judge)" if pair_compare is not None else "crude reading + judge"
    out(f"{len(real)} real pairs; timing the {reading} in one process (= one worker)")
    pair_run(real[0])  # warm up: jieba's dictionary and the word tables load once per worker
    results: dict = {"pairs": len(real), "mode": reading, "scales": {}}
    base_per_pair = None
    for scale in scales:
        pairs = synthetic_pairs(real, scale)
        latencies = []
        pledges = 0
        failures = 0
        t0 = time.perf_counter()
        c0 = time.process_time()
        for p in pairs:
            t = time.perf_counter()
            try:
                pledges += pair_run(p)
            except Exception as e:  # a pair the reader refuses still costs time; count it, go on
                failures += 1
                out(f"  {p.name}: {type(e).__name__}: {str(e)[:100]}")
            latencies.append(time.perf_counter() - t)
        total = time.perf_counter() - t0
        cpu = time.process_time() - c0
        per_sec = len(pairs) / total if total else 0.0
        row = {
            "pairs": len(pairs),
            "failures": failures,
            "pledges": pledges,
            "seconds": round(total, 2),
            "pairs_per_second_per_worker": round(per_sec, 3),
            "median_s": round(statistics.median(latencies), 3),
            "p95_s": round(_p95(latencies), 3),
            "peak_memory_mb": round(peak_memory_mb(), 1),
        }
        # CPU seconds, not wall time: other processes on the machine must not look like growth
        per_pair = cpu / len(pairs)
        row["cpu_s_per_pair"] = round(per_pair, 3)
        if base_per_pair is None:
            base_per_pair = per_pair
        # 1.0 means linear: cost per pair does not grow with the size of the corpus
        row["cost_per_pair_vs_scale1"] = round(per_pair / base_per_pair, 3)
        results["scales"][scale] = row
        out(
            f"scale {scale:>4}x: {row['pairs']:>5} pairs ({failures} failed) in {row['seconds']:.1f}s  "
            f"{row['pairs_per_second_per_worker']:.2f} pairs/s/worker  median {row['median_s']:.3f}s  "
            f"p95 {row['p95_s']:.3f}s  peak {row['peak_memory_mb']:.0f} MB  "
            f"CPU {row['cpu_s_per_pair']:.3f}s/pair (x{row['cost_per_pair_vs_scale1']} of the first scale)"
        )
    out(f"  pledges judged per pair at scale {scales[0]}: {results['scales'][scales[0]]['pledges'] / max(1, len(real)):.0f}")
    sample = real[:BASELINE_PAIRS]
    naive = sum(baseline_run(p) for p in sample)
    ours = sum(_judge_only(p) for p in sample)
    results["baseline_ratio"] = round(naive / ours, 1) if ours else None
    out(
        f"naive difflib over sentences: {naive:.2f}s vs {ours:.2f}s for matching on {len(sample)} pairs "
        f"(x{results['baseline_ratio']} faster)"
    )
    learned = _learned_cost(real[:LEARNED_PAIRS])
    results["learned_s_per_pair"] = learned["seconds_per_pair"]
    results["learned_slowdown"] = learned["slowdown"]
    out(
        f"learned probabilities and scorecard estimate: {1000 * learned['seconds_per_pair']:.1f} ms per pair; the "
        f"pipeline with them runs at 1/{learned['slowdown']:.3f} of its throughput without them"
    )
    worst = max(r["median_s"] for r in results["scales"].values())
    p95 = max(r["p95_s"] for r in results["scales"].values())
    per_worker_hour = HOUR / worst if worst else float("inf")
    workers = math.ceil(COUNTIES / per_worker_hour) if per_worker_hour else 0
    results["county_workers_for_one_hour"] = workers
    out(
        f"{COUNTIES} county-level pairs in one hour: {workers} worker(s) at the median "
        f"({worst:.2f}s per pair; {math.ceil(COUNTIES * p95 / HOUR)} at the p95), provincial reports "
        f"being an upper bound for county ones"
    )
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(Path(__file__).resolve().parents[2].parent / "shared" / "corpus"))
    ap.add_argument("--scales", default="1,10")
    ap.add_argument("--max-pairs", type=int, default=8)
    a = ap.parse_args(argv)
    benchmark_run(Path(a.corpus), [int(s) for s in a.scales.split(",")], a.max_pairs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

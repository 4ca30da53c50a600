"""Server time of dashboard pages over a large database (issue 6: < 300 ms at 100,000 pledges).

The rows are bulk-loaded synthetic data, written directly rather than through
services: running the pipeline 100,000 times would measure the pipeline, not the
dashboard. Pages are requested through Django's test client, so the time covers
URL resolution, middleware, queries and template rendering, but not the network.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from tracker.benchmarks import synthetic
from tracker.models import (
    Document,
    Jurisdiction,
    Level,
    Pledge,
    ProcessingState,
    Status,
)

PLAN_YEARS = (2023, 2024, 2025)
SECTIONS_PER_PLAN = 8
# Shares of a realistic scorecard: many fulfilled, a large silent remainder.
STATUS_WEIGHTS = {Status.FULFILLED: 45, Status.PARTIAL: 8, Status.MISSED: 5, Status.DROPPED: 35, Status.PENDING: 7}
PHRASES = [
    "新建高标准农田",
    "改造老旧小区",
    "新增城镇就业",
    "建成综合交通枢纽",
    "出台数据要素办法",
    "推进城市更新",
    "实施乡村振兴",
]
LOG_PREFIX = "bench"


@dataclass
class Timing:
    name: str
    url: str
    times_ms: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def bench_data_load(pledges: int, governments: int, *, log: Callable[[str], None] = print, seed: int = 6) -> None:
    """Load `pledges` pledges over `governments` provinces and three plan years.

    The first government holds a fifth of all pledges so the largest scorecard is
    measured too, not only a typical one.
    """
    rng = random.Random(seed)
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    big_share = pledges // 5
    per_other = (pledges - big_share) // max(governments - 1, 1) if governments > 1 else 0
    loaded = 0
    for g in range(governments):
        share = big_share if g == 0 else per_other
        if g == governments - 1:
            share = pledges - loaded
        with transaction.atomic():
            jurisdiction = Jurisdiction.objects.create(name=f"{LOG_PREFIX}省{g:03d}", level=Level.PROVINCE)
            _government_load(jurisdiction, share, rng, statuses, weights)
        loaded += share
        if g % 10 == 0 or g == governments - 1:
            log(f"  {loaded:,} pledges loaded ({g + 1}/{governments} governments)")


def _government_load(jurisdiction: Jurisdiction, count: int, rng: random.Random, statuses: list, weights: list) -> None:
    per_year = [count // len(PLAN_YEARS)] * len(PLAN_YEARS)
    per_year[-1] += count - sum(per_year)
    lines = {year: synthetic.pledge_lines(n, rng) for year, n in zip(PLAN_YEARS, per_year, strict=True)}
    documents = {}
    for year in (*PLAN_YEARS, PLAN_YEARS[-1] + 1):
        text = "，".join(lines[year]) if year in lines else "".join(f"{p}{i}万亩已完成。" for i, p in enumerate(PHRASES))
        documents[year] = Document(
            jurisdiction=jurisdiction, year=year, filename=f"{jurisdiction.name}-{year}.txt", original_file=b"",
            content_hash=f"{jurisdiction.name}-{year}", state=ProcessingState.DONE, plan_report_index=0,
            review_report_index=0, text=text,
        )
    Document.objects.bulk_create(documents.values())
    for year in PLAN_YEARS:
        synthetic.plan_rows_load(
            documents[year], documents[year + 1], lines[year], rng,
            sections=SECTIONS_PER_PLAN, status_weights=dict(zip(statuses, weights, strict=True)),
        )


def bench_data_present() -> int:
    return Pledge.objects.filter(document__jurisdiction__name__startswith=LOG_PREFIX).count()


def _time(client: Client, name: str, url: str, repeat: int, warmup: int = 3) -> Timing:
    for _ in range(warmup):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    return Timing(name=name, url=url, times_ms=times)


def bench_run(repeat: int = 30, seed: int = 6) -> list[Timing]:
    """Median and p95 server time of each page, biggest and typical government, newest plan year."""
    rng = random.Random(seed)
    year = PLAN_YEARS[-1]
    sizes = (
        Pledge.objects.filter(plan_year=year, document__jurisdiction__name__startswith=LOG_PREFIX)
        .values("document__jurisdiction_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    biggest, typical = sizes[0], sizes[len(sizes) // 2]
    with_evidence = list(
        Pledge.objects.filter(
            plan_year=year, document__jurisdiction_id=biggest["document__jurisdiction_id"], evidence__isnull=False
        ).values_list("pk", flat=True)[:2000]
    )
    dropped = list(Pledge.objects.filter(plan_year=year, verdict__status=Status.DROPPED).values_list("pk", flat=True)[:2000])
    client = Client()
    big_url = reverse("dashboard:scorecard", args=[biggest["document__jurisdiction_id"], year])
    timings = [
        _time(client, f"scorecard, largest government ({biggest['n']:,} pledges)", big_url, repeat),
        _time(
            client,
            f"scorecard, typical government ({typical['n']:,} pledges)",
            reverse("dashboard:scorecard", args=[typical["document__jurisdiction_id"], year]),
            repeat,
        ),
        _time(client, "scorecard, largest, filtered (dropped, page 5)", big_url + "?status=dropped&page=5", repeat),
    ]
    pledge_times: list[float] = []
    for pk in rng.sample(with_evidence, min(repeat, len(with_evidence))):
        pledge_times += _time(client, "", reverse("dashboard:pledge", args=[pk]), 1, warmup=0).times_ms
    timings.append(Timing("pledge page with evidence (a different pledge each time)", "/pledge/<id>/", pledge_times))
    dropped_times: list[float] = []
    for pk in rng.sample(dropped, min(repeat, len(dropped))):
        dropped_times += _time(client, "", reverse("dashboard:pledge", args=[pk]), 1, warmup=0).times_ms
    timings.append(Timing("pledge page, dropped pledge", "/pledge/<id>/", dropped_times))
    timings.append(_time(client, "home (every government)", reverse("dashboard:home"), max(repeat // 3, 5)))
    timings.append(_time(client, f"comparison, {year}", reverse("dashboard:compare") + f"?year={year}", max(repeat // 3, 5)))
    timings.append(
        _time(
            client,
            "embed chart, largest",
            reverse("dashboard:embed_scorecard", args=[biggest["document__jurisdiction_id"], year]),
            max(repeat // 3, 5),
        )
    )
    return timings

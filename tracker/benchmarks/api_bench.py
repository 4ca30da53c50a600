"""Load test of the REST API: 100,000 pledges, a real gunicorn process, a real HTTP load tool.

Rows are bulk-written synthetic data (running the pipeline 100,000 times would
measure the pipeline, not the API). The server runs in its own process with the
production settings module against the bench database, and `wrk` drives it over
TCP; when wrk is absent a threaded urllib loop stands in (and says so).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from tracker.benchmarks import synthetic
from tracker.models import (
    Document,
    Evidence,
    Jurisdiction,
    Level,
    Pledge,
    ProcessingState,
    Verdict,
)

PLAN_YEARS = (2023, 2024, 2025)
PROVINCES = 31
CITIES_PER_PROVINCE = 10
SECTIONS_PER_PLAN = 6
NAME_PREFIX = "压测"
BASE_DIR = Path(settings.BASE_DIR)

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format("BENCH requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d errors=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), errors))
end
"""


@dataclass
class Result:
    name: str
    url: str
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    tool: str
    connections: int = 0


# --- database -----------------------------------------------------------------------


def bench_data_present() -> int:
    return Pledge.objects.filter(document__jurisdiction__name__startswith=NAME_PREFIX).count()


def bench_data_clear() -> None:
    documents = Document.objects.filter(jurisdiction__name__startswith=NAME_PREFIX)
    Evidence.objects.filter(pledge__document__in=documents).delete()
    Verdict.objects.filter(pledge__document__in=documents).delete()
    Pledge.objects.filter(document__in=documents).delete()
    documents.delete()
    Jurisdiction.objects.filter(name__startswith=NAME_PREFIX, parent__isnull=False).delete()
    Jurisdiction.objects.filter(name__startswith=NAME_PREFIX).delete()


def bench_data_load(pledges: int, *, log: Callable[[str], None] = print, seed: int = 5) -> None:
    """`pledges` pledges over 31 provinces and their 310 cities, three plan years each.

    The last plan year has no review yet, so about a third of the verdicts are
    pending, as on a real site in spring.
    """
    rng = random.Random(seed)
    governments: list[Jurisdiction] = []
    with transaction.atomic():
        for p in range(PROVINCES):
            province = Jurisdiction.objects.create(name=f"{NAME_PREFIX}省{p:02d}", level=Level.PROVINCE)
            governments.append(province)
            governments.extend(
                Jurisdiction.objects.bulk_create(
                    Jurisdiction(name=f"{NAME_PREFIX}市{p:02d}{c:02d}", level=Level.CITY, parent=province)
                    for c in range(CITIES_PER_PROVINCE)
                )
            )
    per_plan = max(pledges // (len(governments) * len(PLAN_YEARS)), 1)
    remaining = pledges
    for g, jurisdiction in enumerate(governments):
        for y, year in enumerate(PLAN_YEARS):
            last = g == len(governments) - 1 and y == len(PLAN_YEARS) - 1
            count = remaining if last else min(per_plan, remaining)
            remaining -= count
            with transaction.atomic():
                _plan_load(jurisdiction, year, count, rng)
        if g % 50 == 0 or g == len(governments) - 1:
            log(f"  {pledges - remaining:,} pledges loaded ({g + 1}/{len(governments)} governments)")


def _plan_load(jurisdiction: Jurisdiction, year: int, count: int, rng: random.Random) -> None:
    lines = synthetic.pledge_lines(count, rng)
    text = "，".join(lines)
    plan = Document.objects.create(
        jurisdiction=jurisdiction, year=year, filename=f"{jurisdiction.name}-{year}.txt", original_file=b"",
        content_hash=f"plan-{jurisdiction.pk}-{year}", state=ProcessingState.DONE, plan_report_index=0,
        text=text, offset_map=[[0, 0, len(text)]],
    )
    review = None
    if year != PLAN_YEARS[-1]:
        review = Document.objects.create(
            jurisdiction=jurisdiction, year=year + 1, filename=f"{jurisdiction.name}-{year + 1}-review.txt",
            original_file=b"", content_hash=f"review-{jurisdiction.pk}-{year + 1}", state=ProcessingState.DONE,
            review_report_index=0, text="。".join(f"{p}已完成" for p in synthetic.PHRASES), offset_map=[],
        )
    synthetic.plan_rows_load(plan, review, lines, rng, sections=SECTIONS_PER_PLAN)


# --- server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_start(port: int, workers: int, database_url: str, log_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "false",
        # The load tool is one client; the default anonymous rate would answer it with 429s.
        "THROTTLE_ANON": "100000000/minute",
        "THROTTLE_USER": "100000000/minute",
        "CELERY_BROKER_URL": "",
        "LOG_LEVEL": "ERROR",
    }
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--error-logfile", str(log_path)]
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/jurisdictions/?page_size=1", timeout=5) as r:
                if r.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    server_stop(process)
    raise SystemExit(f"gunicorn did not answer within 30 s; see {log_path}")


def server_stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        # The master runs in its own session; SIGTERM to its group stops it and its workers only.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- load ---------------------------------------------------------------------------


def wrk_run(name: str, url: str, *, duration: int, connections: int, threads: int) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", script.name, url],
            capture_output=True, text=True, timeout=duration + 60, check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    match = re.search(r"BENCH requests=(\d+) duration_us=(\d+) p50_us=(\d+) p95_us=(\d+) p99_us=(\d+) errors=(\d+)", out)
    if match is None:
        raise RuntimeError(f"could not read wrk output:\n{out}")
    requests, duration_us, p50, p95, p99, errors = (int(v) for v in match.groups())
    return Result(name, url, requests, requests / (duration_us / 1e6), p50 / 1000, p95 / 1000, p99 / 1000, errors, "wrk")


def python_run(name: str, url: str, *, duration: int, connections: int) -> Result:
    """Closed-loop fallback: `connections` threads, each sending the next request when the last one answered."""
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def worker() -> None:
        nonlocal errors
        while time.monotonic() < stop_at:
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    response.read()
                    ok = response.status == 200
            except OSError:
                ok = False
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                times.append(elapsed)
                errors += 0 if ok else 1

    started = time.monotonic()
    pool = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.monotonic() - started
    ordered = sorted(times) or [0.0]

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return Result(name, url, len(times), len(times) / wall, statistics.median(ordered), pct(0.95), pct(0.99), errors,
                  "python")


def scenarios(base: str) -> list[tuple[str, str]]:
    province = Jurisdiction.objects.filter(name=f"{NAME_PREFIX}省00").values_list("pk", flat=True).first()
    city = Jurisdiction.objects.filter(name=f"{NAME_PREFIX}市0000").values_list("pk", flat=True).first()
    year = PLAN_YEARS[1]
    return [
        ("list, page 1 of 50", f"{base}/api/pledges/"),
        ("filtered page of 50: one government", f"{base}/api/pledges/?jurisdiction={city}&plan_year={year}&page_size=50"),
        ("filtered page of 50: level+year+status", f"{base}/api/pledges/?level=city&plan_year={year}&status=dropped"
                                                   f"&page_size=50&page=3"),
        ("text search, 1 row in 10 matches", f"{base}/api/pledges/?q=%E8%80%81%E6%97%A7%E5%B0%8F%E5%8C%BA"
                                             f"&plan_year={year}&page_size=50"),
        ("scorecard (province, by section)", f"{base}/api/scorecards/?jurisdiction={province}&plan_year={year}"),
        ("comparison across 341 governments", f"{base}/api/scorecards/comparison/?plan_year={year}"),
        ("pledge detail", f"{base}/api/pledges/{Pledge.objects.order_by('pk').values_list('pk', flat=True)[500]}/"),
    ]


def csv_export_time(base: str) -> tuple[float, int]:
    """Seconds and bytes for the whole 100,000-row CSV, streamed."""
    start = time.perf_counter()
    size = 0
    with urllib.request.urlopen(f"{base}/api/pledges/?format=csv", timeout=300) as response:
        while chunk := response.read(1 << 16):
            size += len(chunk)
    return time.perf_counter() - start, size


def wrk_available() -> bool:
    return shutil.which("wrk") is not None

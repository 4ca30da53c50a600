"""Issue 15.6: two web processes share one throttle count (Redis cache), instead of each counting alone."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [pytest.mark.redis, pytest.mark.postgres]
REPO = Path(__file__).resolve().parents[2]
# Stands in for one gunicorn worker: its own process, its own memory, the same settings.
REQUESTS = """
import sys, time, django
django.setup()
from django.test import Client
client = Client()
client.get("/api/trackings/progress/", {"format": "json"}, REMOTE_ADDR="10.9.9.9")  # warm up, another client
# Start together (argv[2]: a wall-clock time), as requests reaching several workers at once do.
time.sleep(max(0.0, float(sys.argv[2]) - time.time()) if len(sys.argv) > 2 else 0.0)
print(" ".join(str(client.get("/api/trackings/progress/").status_code) for _ in range(int(sys.argv[1]))))
"""


def _process(count: int, env: dict[str, str]) -> list[int]:
    result = subprocess.run([sys.executable, "-c", REQUESTS, str(count)], cwd=REPO, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return [int(code) for code in result.stdout.split()]


def _env(rate: str) -> dict[str, str]:
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CACHE_URL": "redis://127.0.0.1:6379/14",
        # This test's own counters, whatever else uses that Redis database.
        "CACHE_KEY_PREFIX": f"test-throttle-{uuid.uuid4().hex[:8]}",
        # Counts are kept per window of the rate's period: a day, so no test straddles one.
        "THROTTLE_ANON": rate,
    }


def test_two_processes_share_the_anonymous_count(transactional_db):
    env = _env("5/day")
    assert _process(3, env) == [200, 200, 200]
    # The second process sees the first one's three requests: two more pass, the sixth is refused.
    assert _process(3, env) == [200, 200, 429]


def test_processes_counting_at_the_same_time_lose_no_count(transactional_db):
    """Four web processes at once, as gunicorn's workers: exactly the limit is answered.

    DRF's own throttle reads and rewrites a list of timestamps, so two processes reading it
    at once lose a count (8 parallel clients on 4 gunicorn workers got 139 answers against
    100); an atomic INCR per window loses none.
    """
    env = _env("100/day")
    start = str(time.time() + 8)  # after every process has set Django up
    procs = [subprocess.Popen([sys.executable, "-c", REQUESTS, "60", start], cwd=REPO, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    codes = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-2000:]
        codes.extend(int(code) for code in out.split())
    assert len(codes) == 240
    assert codes.count(200) == 100 and codes.count(429) == 140


def test_the_embedded_default_counts_in_local_memory():
    from django.conf import settings

    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"

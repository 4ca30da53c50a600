"""Issue 15.6: two web processes share one throttle count (Redis cache), instead of each counting alone."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [pytest.mark.redis, pytest.mark.postgres]
REPO = Path(__file__).resolve().parents[2]
# Stands in for one gunicorn worker: its own process, its own memory, the same settings.
REQUESTS = """
import sys, django
django.setup()
from django.test import Client
client = Client()
print(" ".join(str(client.get("/api/trackings/progress/").status_code) for _ in range(int(sys.argv[1]))))
"""


def _process(count: int, env: dict[str, str]) -> list[int]:
    result = subprocess.run([sys.executable, "-c", REQUESTS, str(count)], cwd=REPO, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return [int(code) for code in result.stdout.split()]


def test_two_processes_share_the_anonymous_count(transactional_db):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CACHE_URL": "redis://127.0.0.1:6379/14",
        # This test's own counters, whatever else uses that Redis database.
        "CACHE_KEY_PREFIX": f"test-throttle-{uuid.uuid4().hex[:8]}",
        "THROTTLE_ANON": "5/minute",
    }
    assert _process(3, env) == [200, 200, 200]
    # The second process sees the first one's three requests: two more pass, the sixth is refused.
    assert _process(3, env) == [200, 200, 429]


def test_the_embedded_default_counts_in_local_memory():
    from django.conf import settings

    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"

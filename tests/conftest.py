"""Decides, once per run, which real servers are here.

In CI (CI=true) every server must be up: a missing one fails the run. On a
newcomer's machine the tests that need an absent server are skipped, each with
the reason printed in the summary, and everything else still runs.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
CHROMIUM = "/usr/bin/chromium"


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.5):
            return True
    except OSError:
        return False


def _servers() -> dict[str, str | None]:
    """Reason a server is unusable, or None when it is here."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    pg_host, pg_port = db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)
    return {
        "postgres": None if _reachable(pg_host, pg_port) else f"PostgreSQL is not reachable at {pg_host}:{pg_port}",
        "redis": None if _reachable("127.0.0.1", 6379) else "Redis is not reachable at 127.0.0.1:6379",
        "browser": None if shutil.which(CHROMIUM) else f"{CHROMIUM} is not installed (Debian package chromium)",
        "corpus": None if CORPUS.is_dir() else f"{CORPUS} is absent (the shared corpus lives beside the repo)",
    }


def _needs(item: pytest.Item) -> set[str]:
    needs = {m.name for m in item.iter_markers() if m.name in {"postgres", "redis", "browser", "corpus"}}
    fixtures = set(getattr(item, "fixturenames", ()))
    if item.get_closest_marker("django_db") or fixtures & {"db", "transactional_db", "live_server", "django_db_setup"}:
        needs.add("postgres")
    if "redis" in needs or "browser" in needs:
        needs.add("postgres")
    return needs


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = {name: reason for name, reason in _servers().items() if reason}
    in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    needed = set().union(*(_needs(item) for item in items)) if items else set()
    if in_ci:
        fatal = {name: reason for name, reason in missing.items() if name in needed}
        if fatal:
            raise pytest.UsageError("CI requires every server: " + "; ".join(fatal.values()))
        return
    for item in items:
        for name in _needs(item) & set(missing):
            item.add_marker(pytest.mark.skip(reason=missing[name]))


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    return CORPUS

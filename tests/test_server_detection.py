"""Without a server, the suite still passes: tests that need it are skipped with the reason."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLOSED = "postgres://postgres@127.0.0.1:9/nowhere"  # port 9 (discard) has no PostgreSQL


def _pytest(*args: str, ci: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["TEST_DATABASE_URL"] = CLOSED
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )


def test_without_postgres_database_tests_skip_and_the_rest_runs():
    result = _pytest("tests/test_architecture.py", "tests/services/test_constraints.py", ci=False)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "3 passed" in result.stdout
    assert "PostgreSQL is not reachable at 127.0.0.1:9" in result.stdout


def test_in_ci_a_missing_server_fails_the_run():
    result = _pytest("tests/services/test_constraints.py", ci=True)
    assert result.returncode != 0
    assert "CI requires every server" in result.stdout + result.stderr

"""A real `celery worker` process fed through the real Redis broker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from kombu import pools as kombu_pools

from config.celery import app

REPO = Path(__file__).resolve().parents[2]
BROKER = "redis://127.0.0.1:6379/13"
VISIBILITY_TIMEOUT = 3


class WorkerProcess:
    def __init__(self, queue: str, env: dict[str, str]):
        self.queue, self.env = queue, env
        self.proc: subprocess.Popen | None = None
        self.log = Path(f"/tmp/tracker-worker-{queue}-{uuid.uuid4().hex[:6]}.log")

    def start(self) -> WorkerProcess:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", self.queue,
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
            cwd=REPO, env=self.env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while "ready." not in self.log.read_text(errors="replace"):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"celery worker did not start:\n{self.log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)
        return self

    def ran(self, task_name: str) -> int:
        """How many times this worker finished a task of that name."""
        log = self.log.read_text(errors="replace")
        return sum(1 for line in log.splitlines() if f"Task {task_name}[" in line and "succeeded" in line)

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


def _connections_reset() -> None:
    """Drop pooled broker connections so the next send uses the new broker settings."""
    app._pool = None
    app.amqp._producer_pool = None
    kombu_pools.reset()


@pytest.fixture
def broker_queue(transactional_db):
    """Send this test's tasks through Redis to its own queue instead of running them eagerly."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    # With the CELERY_ namespace, the prefixed Django setting wins over the plain key.
    wanted = {"CELERY_BROKER_URL": BROKER, "CELERY_TASK_ALWAYS_EAGER": False, "CELERY_TASK_DEFAULT_QUEUE": queue}
    saved = {k: app.conf.get(k) for k in wanted}
    app.conf.update(wanted)
    assert app.conf.task_always_eager is False and app.conf.broker_url == BROKER
    _connections_reset()
    yield queue
    app.conf.update(saved)
    _connections_reset()


@pytest.fixture
def worker_factory(broker_queue):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_QUEUE": broker_queue,
        # Short, so a task held by a killed worker comes back within the test.
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }
    workers: list[WorkerProcess] = []

    def start(**extra_env: str) -> WorkerProcess:
        """A worker; extra_env overrides its settings (e.g. CELERY_VISIBILITY_TIMEOUT)."""
        worker = WorkerProcess(broker_queue, {**env, **extra_env}).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()

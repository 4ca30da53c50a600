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

from config.celery import app

REPO = Path(__file__).resolve().parents[2]
BROKER = "redis://127.0.0.1:6379/13"


class WorkerProcess:
    def __init__(self, queue: str, env: dict[str, str]):
        self.queue, self.env = queue, env
        self.proc: subprocess.Popen | None = None
        self.log = Path(f"/tmp/tracker-worker-{queue}.log")

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


@pytest.fixture
def broker_queue(transactional_db):
    """Send this test's tasks through Redis to its own queue instead of running them eagerly."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    app.conf.update(broker_url=BROKER, task_always_eager=False, task_default_queue=queue)
    app.pool.force_close_all()
    yield queue
    app.conf.update(saved)
    app.pool.force_close_all()


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
        "CELERY_VISIBILITY_TIMEOUT": "4",
    }
    workers: list[WorkerProcess] = []

    def start() -> WorkerProcess:
        worker = WorkerProcess(broker_queue, env).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()

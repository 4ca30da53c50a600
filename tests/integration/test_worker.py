"""Tasks sent through Redis to a real `celery worker` process, results read from PostgreSQL."""

import time
from pathlib import Path

import pytest

from tests.integration.conftest import VISIBILITY_TIMEOUT
from tracker import services, tasks
from tracker.models import Document, Evidence, Level, Pledge, ProcessingState, Tracking, Verdict

pytestmark = [pytest.mark.redis, pytest.mark.postgres]
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def _wait_for(predicate, timeout=90, step=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def _store(name: str, year: int) -> Document:
    national = services.jurisdiction_get_or_create(name="国务院", level=Level.NATIONAL)
    document, _ = services.document_create(
        filename=name, data=(SAMPLES / name).read_bytes(), jurisdiction=national, year=year
    )
    return document


def test_document_task_runs_in_a_real_worker_and_tracks_the_pair(worker_factory):
    worker = worker_factory()
    plan, review = _store("national-2023.txt", 2023), _store("national-2024.txt", 2024)
    tasks.document_process_task.delay(plan.pk)
    tasks.document_process_task.delay(review.pk)
    # Processing the review queues tracking of last year's plan in the worker itself.
    assert _wait_for(lambda: Tracking.objects.filter(plan_document=plan, state=ProcessingState.DONE).exists()), (
        "the worker never finished tracking"
    )
    assert Verdict.objects.filter(pledge__document=plan).count() == plan.pledges.count() > 0
    assert Tracking.objects.get(plan_document=plan).review_document_id == review.pk
    # The worker logs a task after its rows are committed, so the log may trail the database.
    assert _wait_for(lambda: worker.ran("tracker.document_process") == 2, timeout=15)
    assert _wait_for(lambda: worker.ran("tracker.pair_track") >= 1, timeout=15)


def test_a_failing_document_leaves_the_worker_alive(worker_factory):
    worker = worker_factory()
    national = services.jurisdiction_get_or_create(name="国务院", level=Level.NATIONAL)
    bad, _ = services.document_create(
        filename="greeting.txt", data=("各位代表，新年好。" * 40).encode(), jurisdiction=national, year=2024
    )
    tasks.document_process_task.delay(bad.pk)
    assert _wait_for(lambda: Document.objects.get(pk=bad.pk).state == ProcessingState.FAILED)
    assert "greeting.txt" in Document.objects.get(pk=bad.pk).error
    good = _store("national-2023.txt", 2023)
    tasks.document_process_task.delay(good.pk)
    assert _wait_for(lambda: Document.objects.get(pk=good.pk).state == ProcessingState.DONE)
    assert worker.proc.poll() is None
    assert _wait_for(lambda: worker.ran("tracker.document_process") == 2, timeout=15)


def test_a_worker_killed_mid_task_loses_nothing(worker_factory, monkeypatch):
    plan, review = _store("national-2023.txt", 2023), _store("national-2024.txt", 2024)
    with monkeypatch.context() as patch:
        # Only the task sent below may reach the worker.
        patch.setattr(services, "_document_neighbours_track", lambda document: None)
        services.document_process(review.pk)
        services.document_process(plan.pk)
    reference = services.pair_track(plan.pk)
    expected = dict(Verdict.objects.filter(pledge__document=plan).values_list("pledge_id", "machine_status"))
    evidence_count = Evidence.objects.filter(pledge__document=plan).count()
    Tracking.objects.filter(pk=reference.pk).update(state=ProcessingState.QUEUED)

    worker = worker_factory()
    tasks.pair_track_task.delay(plan.pk, 2023)
    assert _wait_for(lambda: Tracking.objects.filter(plan_document=plan, state=ProcessingState.PROCESSING).exists(),
                     step=0.01)
    worker.kill()
    assert Tracking.objects.get(plan_document=plan).state == ProcessingState.PROCESSING

    # Redis hands an unacknowledged task back once its visibility timeout has passed; a
    # starting worker restores such tasks at once (later it only checks every ~100 s).
    time.sleep(VISIBILITY_TIMEOUT + 1)
    second = worker_factory()
    assert _wait_for(lambda: Tracking.objects.get(plan_document=plan).state == ProcessingState.DONE, timeout=120)
    assert _wait_for(lambda: second.ran("tracker.pair_track") == 1, timeout=15)
    assert worker.ran("tracker.pair_track") == 0
    got = dict(Verdict.objects.filter(pledge__document=plan).values_list("pledge_id", "machine_status"))
    assert got == expected
    assert Evidence.objects.filter(pledge__document=plan).count() == evidence_count
    assert Pledge.objects.filter(document=plan).count() == len(expected)

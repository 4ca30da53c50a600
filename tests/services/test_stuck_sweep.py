"""Issue 15.4: nothing stays queued or processing forever after an outage.

The database cut mid-task (the failure handler cannot write either, the broker acked the
task) or a worker killed leaves a row `processing`; a broker down when the task was sent
leaves it `queued` with no task. The sweep re-queues such rows, with the reason in `error`,
and fails one that keeps getting stuck.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerOperationalError

from tracker import services, tasks
from tracker.models import Document, Level, ProcessingState, Tracking

pytestmark = pytest.mark.postgres


def _stuck(model, pk: int, state: str, seconds: int, **fields) -> None:
    model.objects.filter(pk=pk).update(state=state, progress=10, state_changed_at=timezone.now() - timedelta(seconds=seconds),
                                       **fields)


@override_settings(TRACKER_STUCK_AFTER=600, TRACKER_STUCK_REQUEUES=2)
def test_a_tracking_left_processing_past_the_limit_is_requeued_then_failed(national_pair, django_capture_on_commit_callbacks,
                                                                            capsys):
    plan, _ = national_pair
    tracking = services.pair_track(plan.pk)
    assert tracking.state == ProcessingState.DONE
    # What a database cut mid-task leaves: processing at 10%, and no task anywhere.
    _stuck(Tracking, tracking.pk, ProcessingState.PROCESSING, 601)
    recent = services.pair_track_request(plan.pk, plan.year + 5)  # another pair, queued a moment ago
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_command("sweep_stuck")
    swept = Tracking.objects.get(pk=tracking.pk)
    assert swept.state == ProcessingState.QUEUED and swept.stuck_count == 1
    assert "re-queued by the stuck sweep" in swept.error and "past the 600 s limit" in swept.error
    assert f"tracking {tracking.pk}: re-queued" in capsys.readouterr().out
    assert len(callbacks) == 1  # one task, for the stuck row only
    assert Tracking.objects.get(pk=recent.pk).error == ""

    for callback in callbacks:
        callback()  # the task runs (eagerly here): done, and the reason cleared
    done = Tracking.objects.get(pk=tracking.pk)
    assert (done.state, done.error, done.stuck_count) == (ProcessingState.DONE, "", 0)

    # A row that keeps getting stuck (it kills its worker) is failed, not re-queued forever.
    _stuck(Tracking, tracking.pk, ProcessingState.PROCESSING, 700, stuck_count=2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.stuck_sweep()
    failed = Tracking.objects.get(pk=tracking.pk)
    assert failed.state == ProcessingState.FAILED and callbacks == []
    assert "failed by the stuck sweep" in failed.error and "after 2 re-queue(s)" in failed.error


@override_settings(TRACKER_STUCK_AFTER=600)
def test_rows_within_the_limit_or_finished_are_left_alone(national_pair, django_capture_on_commit_callbacks):
    plan, review = national_pair
    _stuck(Tracking, Tracking.objects.get(plan_document=plan).pk, ProcessingState.PROCESSING, 599)
    _stuck(Document, review.pk, ProcessingState.DONE, 10_000)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.stuck_sweep() == []
    assert callbacks == []


@override_settings(TRACKER_STUCK_AFTER=600)
def test_a_document_queued_past_the_limit_is_sent_again(national_pair, django_capture_on_commit_callbacks):
    plan, _ = national_pair
    _stuck(Document, plan.pk, ProcessingState.QUEUED, 3600)
    with django_capture_on_commit_callbacks(execute=True):
        services.stuck_sweep()
    assert Document.objects.get(pk=plan.pk).state == ProcessingState.DONE


def test_a_broker_down_at_upload_leaves_a_note_that_the_sweep_acts_on_at_once(db, monkeypatch, sample_bytes,
                                                                              django_capture_on_commit_callbacks):
    def refused(*args, **kwargs):
        raise BrokerOperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as patch:
        patch.setattr(tasks.document_process_task, "delay", refused)
        with pytest.raises(services.QueueUnavailable), django_capture_on_commit_callbacks(execute=True):
            services.document_upload(filename="national-2023.txt", data=sample_bytes("national-2023.txt"),
                                     jurisdiction_name="国务院", level=Level.NATIONAL, year=2023)
    document = Document.objects.get()
    # Committed, queued, and saying why no worker will pick it up by itself.
    assert document.state == ProcessingState.QUEUED and document.error.startswith(services.NOT_QUEUED)
    # The broker is back: the next sweep sends it without waiting for the time limit.
    with django_capture_on_commit_callbacks(execute=True):
        [line] = services.stuck_sweep()
    assert "its task could not be sent" in line
    assert Document.objects.get(pk=document.pk).state == ProcessingState.DONE


def test_a_broker_down_inside_a_worker_does_not_fail_the_document(transactional_db, monkeypatch, sample_bytes):
    """Processing a review queues last year's plan; a send that fails must not undo the review.

    transactional_db: the sends run at the real commit inside document_process, as in a worker.
    """
    national = services.jurisdiction_get_or_create(name="国务院", level=Level.NATIONAL)
    plan = services.document_ingest(filename="national-2023.txt", data=sample_bytes("national-2023.txt"),
                                    jurisdiction=national, year=2023)

    def refused(*args, **kwargs):
        raise BrokerOperationalError("Connection refused")

    monkeypatch.setattr(tasks.pair_track_task, "delay", refused)
    review = services.document_ingest(filename="national-2024.txt", data=sample_bytes("national-2024.txt"),
                                      jurisdiction=national, year=2024)
    assert review.state == ProcessingState.DONE, review.error
    waiting = Tracking.objects.get(plan_document=plan, plan_year=2023)
    assert waiting.state == ProcessingState.QUEUED and waiting.error.startswith(services.NOT_QUEUED)

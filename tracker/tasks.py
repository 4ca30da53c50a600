"""Thin Celery tasks: ids in, one service call, safe to run twice.

acks_late and reject_on_worker_lost (set globally in settings) mean a worker killed
mid-task hands the task back to the broker; the services are idempotent, so running
it again gives the same rows.
"""

from celery import shared_task

from tracker import services


@shared_task(name="tracker.document_process")
def document_process_task(document_id: int) -> str:
    return services.document_process(document_id).state


@shared_task(name="tracker.pair_track")
def pair_track_task(plan_document_id: int, plan_year: int | None = None) -> str:
    return services.pair_track(plan_document_id, plan_year).state


@shared_task(name="tracker.jurisdiction_track")
def jurisdiction_track_task(jurisdiction_id: int) -> int:
    return len(services.jurisdiction_track_request(jurisdiction_id))


@shared_task(name="tracker.stuck_sweep")
def stuck_sweep_task() -> int:
    return len(services.stuck_sweep())

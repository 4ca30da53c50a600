"""Issue 15.1: a re-run of tracking never overwrites or races a curator's override.

Deterministic, on the real PostgreSQL: the re-run is stopped just before it writes the
verdicts, curators override from their own connections (threads), and the re-run only goes
on once each curator has either committed or is seen waiting on a row lock in
pg_stat_activity. Without the lock the overrides commit first and the machine's bulk write
then puts its own status back over them.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from tests import factories as f
from tracker import services
from tracker.models import Status, Verdict

pytestmark = pytest.mark.postgres

CURATORS = 5


def _waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        # Inside a transaction the statistics views keep their first snapshot; take a fresh one.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def _until(predicate, what: str, bound: float = 60.0) -> None:
    # A bound only against hanging forever; the condition, not the time, decides.
    deadline = time.monotonic() + bound
    while not predicate():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.02)


def test_overrides_during_a_rerun_are_never_lost(transactional_db, national_pair, monkeypatch):
    plan, _ = national_pair
    curator = f.CuratorFactory(username="curator-race")
    verdicts = list(Verdict.objects.filter(pledge__document=plan).order_by("pk"))
    assert len(verdicts) > CURATORS
    # As if the last run had said something else: the re-run changes every verdict, so it writes them all.
    Verdict.objects.filter(pk__in=[v.pk for v in verdicts]).update(
        machine_status=Status.PENDING, status=Status.PENDING, machine_confidence=0.0, confidence=0.0
    )
    targets = verdicts[:CURATORS]
    wanted = {v.pk: Status.MISSED if i % 2 else Status.PARTIAL for i, v in enumerate(targets)}
    done: list[int] = []
    errors: list[BaseException] = []

    def override(verdict_id: int) -> None:
        try:
            services.verdict_override(verdict_id=verdict_id, status=wanted[verdict_id], reason="审议稿另有说法",
                                      user=curator, expected_version=None)
            done.append(verdict_id)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    real_write = services.bulk_update_with_history
    threads: list[threading.Thread] = []

    def write_after_curators_moved(*args, **kwargs):
        # The machine has read the verdicts and is about to write them back.
        for verdict_id in wanted:
            thread = threading.Thread(target=override, args=(verdict_id,))
            thread.start()
            threads.append(thread)
        _until(lambda: len(done) + len(errors) + _waiting_on_locks() >= CURATORS,
               "each curator committed or waits on a lock")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(services, "bulk_update_with_history", write_after_curators_moved)
    tracking = services.pair_track(plan.pk)
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert tracking.state == "done"

    lost = []
    for verdict_id, status in wanted.items():
        verdict = Verdict.objects.get(pk=verdict_id)
        if (verdict.override_status, verdict.status, verdict.confidence) != (status, status, 1.0):
            lost.append((verdict_id, verdict.override_status, verdict.status))
        # The audit trail ends on the curator's decision, not on a machine row that hides it.
        last = verdict.history.order_by("-history_id").first()
        assert (last.override_status, last.status) == (status, status), verdict_id
    assert lost == []
    # The machine's own write went through for everyone else.
    others = Verdict.objects.filter(pledge__document=plan).exclude(pk__in=list(wanted))
    assert not others.filter(status=Status.PENDING).exists()

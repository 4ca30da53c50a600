"""Issues 15.4 and 15.5 against the real servers: outages and a killed worker leave nothing stuck.

- Redis down during an upload: the answer is the JSON error envelope (503), the document is
  committed `queued` with the reason, and once Redis is back the sweep sends its task and a
  real worker processes it.
- The database (or the cache) down: JSON 503 (or, for the cache alone, reads still served).
- kill -9 of the whole worker mid-task, with the real 900 s visibility timeout: the sweep
  re-queues the tracking and a restarted worker produces exactly what a clean run does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from config.celery import app
from tests import factories as f
from tests.integration.conftest import BROKER, REPO, _connections_reset
from tests.integration.test_worker import SAMPLES, _store, _wait_for
from tracker import services, tasks
from tracker.models import Document, Evidence, NearestPassage, ProcessingState, Tracking, Verdict

pytestmark = [pytest.mark.redis, pytest.mark.postgres]
# Nothing listens on port 1: a refused connection is what a stopped Redis or PostgreSQL gives.
DEAD_REDIS = "redis://127.0.0.1:1/0"
DEAD_POSTGRES = "postgres://postgres@127.0.0.1:1/tracker"


def _upload(client: APIClient, name: str, year: int):
    form = {"file": open(SAMPLES / name, "rb"), "jurisdiction": "国务院", "level": "national", "year": year}
    return client.post("/api/documents/", form, format="multipart")


def test_redis_down_during_an_upload_answers_json_and_the_sweep_queues_it_once_redis_is_back(worker_factory):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=f.UserFactory()).key}")
    dead_cache = {"default": {**settings.CACHES["default"], "BACKEND": "django.core.cache.backends.redis.RedisCache",
                              "LOCATION": DEAD_REDIS, "OPTIONS": {"socket_connect_timeout": 1}}}
    # The broker and the throttle cache are both down (the prefixed key is the one Celery reads).
    app.conf.update({"CELERY_BROKER_URL": DEAD_REDIS})
    _connections_reset()
    assert app.conf.broker_url == DEAD_REDIS
    try:
        with override_settings(CACHES=dead_cache):
            started = time.monotonic()
            response = _upload(client, "national-2023.txt", 2023)
            seconds = time.monotonic() - started
    finally:
        app.conf.update({"CELERY_BROKER_URL": BROKER})
        _connections_reset()
    assert response.status_code == 503, response.content[:300]
    assert response["Content-Type"].startswith("application/json") and response["Retry-After"] == "30"
    error = response.json()["error"]
    assert error["code"] == "queue_unavailable"
    document = Document.objects.get(pk=error["detail"]["document"])
    assert error["detail"]["poll_url"].endswith(f"/api/documents/{document.pk}/")
    assert document.state == ProcessingState.QUEUED and document.error.startswith(services.NOT_QUEUED)
    assert seconds < 20, f"the upload took {seconds:.1f} s to give up on the broker"

    # Redis is back: a worker alone would never see this document; the sweep sends it.
    worker = worker_factory()
    time.sleep(1)
    assert Document.objects.get(pk=document.pk).state == ProcessingState.QUEUED
    [line] = services.stuck_sweep()
    assert f"document {document.pk}: re-queued" in line
    assert _wait_for(lambda: Document.objects.get(pk=document.pk).state == ProcessingState.DONE, timeout=60)
    assert Document.objects.get(pk=document.pk).error == ""
    assert _wait_for(lambda: worker.ran("tracker.document_process") == 1, timeout=15)


REQUESTS = """
import json, sys, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
out = []
for path, headers in json.loads(sys.argv[1]):
    response = client.get(path, headers=headers)
    out.append([response.status_code, response["Content-Type"], response.content.decode()[:400]])
print(json.dumps(out))
"""


def _requests_in_a_process(requests: list, **env: str) -> list:
    db = connection.settings_dict
    full_env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DEBUG": "false",
        "SECRET_KEY": "outage-test-" + "k" * 40,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}", **env,
    }
    result = subprocess.run([sys.executable, "-c", REQUESTS, json.dumps(requests)], cwd=REPO, env=full_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_database_down_answers_json_503_and_the_cache_down_alone_still_serves_reads(transactional_db):
    token = {"Authorization": "Token 0123456789abcdef0123456789abcdef01234567"}
    requests = [["/api/jurisdictions/", {}], ["/api/trackings/progress/", token],
                ["/api/documents/1/", {"Accept-Language": "zh-CN"}]]
    for status_code, content_type, body in _requests_in_a_process(requests, DATABASE_URL=DEAD_POSTGRES,
                                                                  CACHE_URL=DEAD_REDIS):
        assert (status_code, content_type) == (503, "application/json"), body
        assert json.loads(body)["error"]["code"] in {"database_unavailable", "cache_unavailable"}
    # Redis alone down: the counts cannot be kept, the reads PostgreSQL answers are still served.
    [(status_code, content_type, body)] = _requests_in_a_process([["/api/trackings/progress/", {}]],
                                                                 CACHE_URL=DEAD_REDIS)
    assert status_code == 200 and "total" in json.loads(body), body


def _outcome(plan: Document) -> dict:
    """Everything a tracking run writes for a plan, keyed so that row ids do not matter."""
    return {
        "verdicts": sorted(Verdict.objects.filter(pledge__document=plan).values_list(
            "pledge_id", "machine_status", "machine_confidence", "status", "review_document_id")),
        "evidence": sorted(Evidence.objects.filter(pledge__document=plan).values_list(
            "pledge_id", "review_document_id", "start", "end", "score", "origin", "curation")),
        "nearest": sorted(NearestPassage.objects.filter(pledge__document=plan).values_list(
            "pledge_id", "start", "end", "rank")),
    }


def test_kill_9_of_the_whole_worker_then_sweep_and_restart_equals_a_clean_run(worker_factory, monkeypatch):
    plan, review = _store("national-2023.txt", 2023), _store("national-2024.txt", 2024)
    with monkeypatch.context() as patch:
        patch.setattr(services, "_document_neighbours_track", lambda document: None)
        services.document_process(review.pk)
        services.document_process(plan.pk)
    clean = services.pair_track(plan.pk)
    expected = _outcome(plan)
    assert expected["verdicts"] and expected["evidence"]
    # Start from nothing, so the run after the kill has to write every row itself.
    Verdict.objects.filter(pledge__document=plan).delete()
    Evidence.objects.filter(pledge__document=plan).delete()
    NearestPassage.objects.filter(pledge__document=plan).delete()
    Tracking.objects.filter(pk=clean.pk).update(state=ProcessingState.QUEUED)

    # The production visibility timeout: Redis would hand the task back only after 15 minutes.
    worker = worker_factory(CELERY_VISIBILITY_TIMEOUT="900")
    tasks.pair_track_task.delay(plan.pk, 2023)
    assert _wait_for(lambda: Tracking.objects.filter(pk=clean.pk, state=ProcessingState.PROCESSING).exists(),
                     step=0.01)
    worker.kill()  # SIGKILL to the worker's main process: nothing of it survives to ack or fail
    assert worker.proc.returncode == -9
    assert Tracking.objects.get(pk=clean.pk).state == ProcessingState.PROCESSING

    second = worker_factory(CELERY_VISIBILITY_TIMEOUT="900")
    time.sleep(2)
    # The unacked task stays with the dead worker: without the sweep nothing would move.
    assert Tracking.objects.get(pk=clean.pk).state == ProcessingState.PROCESSING
    Tracking.objects.filter(pk=clean.pk).update(
        state_changed_at=timezone.now() - timedelta(seconds=settings.TRACKER_STUCK_AFTER + 1))
    [line] = services.stuck_sweep()
    assert f"tracking {clean.pk}: re-queued" in line and "still processing" in line
    assert _wait_for(lambda: Tracking.objects.get(pk=clean.pk).state == ProcessingState.DONE, timeout=60)
    assert _wait_for(lambda: second.ran("tracker.pair_track") == 1, timeout=15)
    assert _outcome(plan) == expected
    assert Tracking.objects.get(pk=clean.pk).stuck_count == 0

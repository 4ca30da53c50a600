"""Writes: who may do what, uploads, tracking requests, curation and its compare-and-set."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories as f
from tests.api.conftest import PLAN_TEXT, REVIEW_TEXT
from tracker import models

pytestmark = pytest.mark.django_db


def verdict_of(pledge) -> models.Verdict:
    return models.Verdict.objects.get(pledge=pledge)


def override(client, pledge, **body):
    return client.post(f"/api/pledges/{pledge.pk}/override/", body, format="json")


# --- permissions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "client_name, expected",
    [("anon", 401), ("reader_client", 403), ("curator_client", 200)],
)
def test_curation_needs_the_curator_permission(request, world, client_name, expected):
    client = request.getfixturevalue(client_name)
    before = verdict_of(world.farmland)
    response = override(client, world.farmland, status="partial", reason="审议稿称完成1.6万亩", version=before.version)
    assert response.status_code == expected
    after = verdict_of(world.farmland)
    if expected == 200:
        assert after.status == "partial" and after.override_reason == "审议稿称完成1.6万亩"
    else:
        assert response.json()["error"]["code"] in {"not_authenticated", "permission_denied"}
        assert (after.status, after.version) == (before.status, before.version)


def test_anonymous_gets_401_with_a_token_challenge(anon, world):
    response = anon.post(f"/api/evidence/{world.gdp_evidence.pk}/curate/", {"decision": "reject", "version": 1})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("client_name, expected", [("anon", 401), ("reader_client", 403), ("curator_client", 403),
                                                    ("operator_client", 202)])
def test_tracking_a_jurisdiction_needs_the_run_tracking_permission(request, world, client_name, expected,
                                                                  django_capture_on_commit_callbacks):
    client = request.getfixturevalue(client_name)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/api/jurisdictions/{world.zhejiang.pk}/track/")
    assert response.status_code == expected
    if expected == 202:
        # Every processed plan of the province is queued, nothing is judged inside the request.
        assert response.json()["queued"] == len(callbacks) >= 1
        assert response.json()["poll_url"].endswith(f"/api/trackings/?jurisdiction={world.zhejiang.pk}")


def test_any_token_cannot_re_track(reader_client, curator_client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for client in (reader_client, curator_client):
            response = client.post("/api/trackings/", {"plan_document": world.plan.pk}, format="json")
            assert response.status_code == 403
            assert response.json()["error"]["code"] == "permission_denied"
            assert "run_tracking" in response.json()["error"]["message"]
    assert callbacks == []


def test_re_uploading_a_processed_report_re_processes_only_with_the_permission(
    reader_client, operator_client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = upload(reader_client, "nb-2025.txt", PLAN_TEXT.encode())
    assert first.json()["created"] is True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        again = upload(reader_client, "nb-2025.txt", PLAN_TEXT.encode())
    assert again.status_code == 202 and again.json()["created"] is False and callbacks == []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        upload(operator_client, "nb-2025.txt", PLAN_TEXT.encode())
    assert len(callbacks) == 1


def test_track_a_pair_queues_one_task(operator_client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = operator_client.post("/api/trackings/", {"plan_document": world.plan.pk}, format="json")
    assert response.status_code == 202 and len(callbacks) == 1
    assert response["Location"].endswith(f"/api/trackings/?plan_document={world.plan.pk}")


def test_token_endpoint_returns_a_working_token(anon, curator):
    response = anon.post("/api/auth/token/", {"username": "curator", "password": "pw-for-tests"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    bad = anon.post("/api/auth/token/", {"username": "curator", "password": "wrong"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"
    anon.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = anon.post("/api/evidence/999999/curate/", {"decision": "reject", "version": 1}, format="json")
    assert response.status_code == 404  # authenticated: refused for the bad id, not for the login


# --- uploads ----------------------------------------------------------------------------


def upload(client, name: str, data: bytes, **extra):
    form = {"file": SimpleUploadedFile(name, data), "jurisdiction": "宁波市", "level": "city", "year": 2025,
            "source_url": "https://example.org/report.html", **extra}
    return client.post("/api/documents/", form, format="multipart")


def test_upload_returns_202_and_a_poll_url(reader_client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(reader_client, "nb-2025.txt", PLAN_TEXT.encode("gb18030"))
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["created"] is True and body["document"]["state"] == "queued"
    assert response["Location"] == body["poll_url"]
    assert len(callbacks) == 1  # processing is queued after commit, not done in the request
    document = models.Document.objects.get(pk=body["document"]["id"])
    assert document.jurisdiction.name == "宁波市" and document.jurisdiction.level == "city"
    assert bytes(document.original_file) == PLAN_TEXT.encode("gb18030")
    poll = reader_client.get(body["poll_url"])
    assert poll.status_code == 200 and poll.json()["state"] == "queued"


def test_the_same_bytes_twice_give_the_same_document(reader_client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = upload(reader_client, "nb-2025.txt", PLAN_TEXT.encode()).json()
        second = upload(reader_client, "nb-2025-again.txt", PLAN_TEXT.encode()).json()
    assert second["created"] is False and second["document"]["id"] == first["document"]["id"]


def test_processing_after_upload_moves_the_document_out_of_queued(reader_client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(reader_client, "nb-2025.txt", PLAN_TEXT.encode())
    state = reader_client.get(response.json()["poll_url"]).json()
    assert (state["state"], state["progress"], state["error"]) == ("done", 100, "")
    pledges = reader_client.get("/api/pledges/", {"document": state["id"]}).json()
    assert pledges["count"] == state["pledge_count"] > 0


@pytest.mark.parametrize(
    "name, data, extra, needle",
    [
        ("broken.pdf", b"this is not a pdf", {}, "broken.pdf"),
        ("empty.txt", b"", {}, "empty.txt"),
        ("ok.txt", "正文".encode(), {"year": 1800}, "year"),
    ],
)
def test_bad_upload_is_a_400_naming_the_file(reader_client, world, name, data, extra, needle):
    response = upload(reader_client, name, data, **extra)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert needle in error["message"] and "\n" not in error["message"]
    assert not models.Document.objects.filter(filename=name).exists()
    assert not models.Jurisdiction.objects.filter(name="宁波市").exists()


def test_anonymous_upload_is_refused(anon, world):
    assert upload(anon, "nb.txt", PLAN_TEXT.encode()).status_code == 401


# --- curation and concurrency -------------------------------------------------------------


def test_override_with_if_match_then_stale_etag_is_412_and_changes_nothing(curator_client, world):
    read = curator_client.get(f"/api/pledges/{world.farmland.pk}/")
    tag = read["ETag"]
    first = curator_client.post(f"/api/pledges/{world.farmland.pk}/override/", {"status": "fulfilled", "reason": "见审议稿"},
                                format="json", HTTP_IF_MATCH=tag)
    assert first.status_code == 200 and first["ETag"] != tag
    assert first.json()["verdict"]["status"] == "fulfilled"

    # A second curator still holding the old ETag must not overwrite the first one's decision.
    second = curator_client.post(f"/api/pledges/{world.farmland.pk}/override/", {"status": "missed", "reason": "不同意"},
                                 format="json", HTTP_IF_MATCH=tag)
    assert second.status_code == 412
    assert second.json()["error"]["code"] == "stale_version"
    assert second["ETag"] == first["ETag"]
    verdict = verdict_of(world.farmland)
    assert verdict.status == "fulfilled" and verdict.override_reason == "见审议稿"


def test_stale_version_field_is_409_and_changes_nothing(curator_client, world):
    version = verdict_of(world.station).version
    assert override(curator_client, world.station, status="fulfilled", reason="完工", version=version).status_code == 200
    stale = override(curator_client, world.station, status="dropped", reason="没提", version=version)
    assert stale.status_code == 409
    assert stale.json()["error"]["detail"] == {"current_version": version + 1}
    assert verdict_of(world.station).status == "fulfilled"


def test_a_write_without_any_version_is_refused(curator_client, world):
    response = override(curator_client, world.station, status="fulfilled", reason="完工")
    assert response.status_code == 428
    assert verdict_of(world.station).override_status == ""


def test_an_etag_of_another_object_counts_as_stale(curator_client, world):
    other = curator_client.get(f"/api/pledges/{world.gdp.pk}/")["ETag"]
    response = curator_client.post(f"/api/pledges/{world.station.pk}/confirm/", {}, format="json", HTTP_IF_MATCH=other)
    assert response.status_code == 412
    assert verdict_of(world.station).confirmed_at is None


def test_override_needs_a_reason_and_a_known_status(curator_client, world):
    version = verdict_of(world.station).version
    assert override(curator_client, world.station, status="fulfilled", reason="  ", version=version).status_code == 400
    assert override(curator_client, world.station, status="done", reason="x", version=version).status_code == 400
    assert verdict_of(world.station).version == version


def test_clear_override_and_confirm_are_recorded_in_history(curator_client, curator, world):
    version = verdict_of(world.station).version
    override(curator_client, world.station, status="fulfilled", reason="完工", version=version)
    cleared = curator_client.delete(f"/api/pledges/{world.station.pk}/override/?version={version + 1}")
    assert cleared.status_code == 200
    assert cleared.json()["verdict"]["status"] == "partial"  # the machine status applies again
    confirmed = curator_client.post(f"/api/pledges/{world.station.pk}/confirm/", {"version": version + 2}, format="json")
    body = confirmed.json()
    assert body["verdict"]["confirmed_by"] == "curator"
    reasons = [row["change_reason"] for row in body["history"]]
    assert reasons[:3] == ["confirmed", "override cleared", "完工"]
    assert {row["user"] for row in body["history"][:3]} == {"curator"}


def test_reject_evidence_hides_it_from_readers(curator_client, anon, world):
    response = curator_client.post(f"/api/evidence/{world.gdp_evidence.pk}/curate/",
                                   {"decision": "reject", "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["curation"] == "rejected"
    assert anon.get(f"/api/pledges/{world.gdp.pk}/").json()["evidence"] == []
    stale = curator_client.post(f"/api/evidence/{world.gdp_evidence.pk}/curate/",
                                {"decision": "accept", "version": 1}, format="json")
    assert stale.status_code == 409
    assert models.Evidence.objects.get(pk=world.gdp_evidence.pk).curation == "rejected"


def test_evidence_if_match_uses_the_span_etag(curator_client, world):
    tag = curator_client.get(f"/api/evidence/{world.station_evidence.pk}/")["ETag"]
    ok = curator_client.post(f"/api/evidence/{world.station_evidence.pk}/curate/", {"decision": "accept"},
                             format="json", HTTP_IF_MATCH=tag)
    assert ok.status_code == 200
    again = curator_client.post(f"/api/evidence/{world.station_evidence.pk}/curate/", {"decision": "reject"},
                                format="json", HTTP_IF_MATCH=tag)
    assert again.status_code == 412
    assert models.Evidence.objects.get(pk=world.station_evidence.pk).curation == "accepted"


def test_add_evidence_by_offsets(curator_client, world):
    start = world.review.text.index("超额完成任务")
    response = curator_client.post(f"/api/pledges/{world.farmland.pk}/evidence/",
                                   {"start": start, "end": start + 6, "review_document": world.review.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["text"] == "超额完成任务" and body["origin"] == "curator" and body["curation"] == "accepted"
    assert body["original_start"] == start + 7
    outside = curator_client.post(f"/api/pledges/{world.farmland.pk}/evidence/",
                                  {"start": 0, "end": 10**6, "review_document": world.review.pk}, format="json")
    assert outside.status_code == 400 and "outside" in outside.json()["error"]["message"]


def test_evidence_is_added_only_on_the_pledges_own_review(curator_client, world):
    """Issue 15.7: offsets into the plan itself, or into another government's report, are no evidence."""
    other = f.DocumentFactory(jurisdiction=world.hangzhou, year=2026, text=REVIEW_TEXT, filename="hz-2026.txt")
    for document in (world.plan, other, world.copy):
        response = curator_client.post(f"/api/pledges/{world.station.pk}/evidence/",
                                       {"start": 0, "end": 6, "review_document": document.pk}, format="json")
        assert response.status_code == 400, response.content
        assert "is not this pledge's review" in response.json()["error"]["message"]
    assert not models.Evidence.objects.filter(pledge=world.station, origin="curator").exists()
    # Without review_document the span goes on the pledge's own review.
    own = curator_client.post(f"/api/pledges/{world.station.pk}/evidence/", {"start": 0, "end": 6}, format="json")
    assert own.status_code == 201 and own.json()["review_document"] == world.review.pk


def test_curating_an_untracked_pledge_is_a_400(curator_client, world):
    models.Verdict.objects.filter(pledge=world.gdp).delete()
    response = override(curator_client, world.gdp, status="fulfilled", reason="x", version=1)
    assert response.status_code == 400 and response.json()["error"]["code"] == "not_tracked"
    assert override(curator_client, type("P", (), {"pk": 999999})(), status="fulfilled", reason="x",
                    version=1).status_code == 404


# --- throttling and hostile credentials ----------------------------------------------------


def test_anonymous_reads_are_throttled_with_the_error_body(anon, world, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import AnonRateThrottle

    cache.clear()
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/minute", raising=False)
    assert [anon.get("/api/jurisdictions/").status_code for _ in range(2)] == [200, 200]
    response = anon.get("/api/jurisdictions/")
    assert response.status_code == 429 and response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    cache.clear()


@pytest.mark.parametrize("header", [{"HTTP_COOKIE": "sessionid=ab\x00cd"}, {"HTTP_AUTHORIZATION": "Token ab\x00cd"}])
def test_a_forged_credential_with_a_nul_byte_is_never_a_500(anon, world, header):
    response = anon.get("/api/pledges/", **header)
    assert response.status_code in {200, 401}

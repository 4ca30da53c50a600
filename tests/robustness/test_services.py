"""Bad input at the service, task, command and upload level: refused by name, nothing stored is lost."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tracker import services, tasks
from tracker.models import Document, Evidence, Jurisdiction, Level, Pledge, ProcessingState, Section, Verdict

from .conftest import REPO, SAMPLES, pdf_bytes

pytestmark = pytest.mark.django_db

DOCX = (SAMPLES / "zhejiang-2025.docx").read_bytes()
PDF = pdf_bytes()
# Each broken in its own way; all different from the stored files.
BROKEN = {
    "half.docx": DOCX[: len(DOCX) // 2],
    "half.pdf": PDF[: len(PDF) // 2],
    "text.docx": "二、2025年工作安排\n新建学校10所。".encode(),
    "blob.txt": bytes(range(256)) * 40,
    "surrogates.txt": b"\xff\xfe" + b"\x00\xd8" * 64,
    "empty.txt": b"",
    "old.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
}


def _snapshot() -> dict:
    return {
        "documents": sorted(Document.objects.values_list("pk", "state", "content_hash", "error")),
        "sections": sorted(Section.objects.values_list("pk", "document_id", "start", "end", "kind")),
        "pledges": sorted(Pledge.objects.values_list("pk", "document_id", "start", "end", "text")),
        "verdicts": sorted(Verdict.objects.values_list("pk", "status", "override_status", "override_reason", "version")),
        "evidence": sorted(Evidence.objects.values_list("pk", "curation", "start", "end")),
        "jurisdictions": sorted(Jurisdiction.objects.values_list("pk", "name")),
    }


@pytest.fixture
def national():
    return services.jurisdiction_get_or_create(name="国务院", level=Level.NATIONAL)


@pytest.fixture
def tracked_pair(national):
    """A processed plan and its review, judged, with one verdict overridden by a curator."""
    plan = services.document_ingest(
        filename="national-2023.txt", data=(SAMPLES / "national-2023.txt").read_bytes(), jurisdiction=national, year=2023
    )
    review = services.document_ingest(
        filename="national-2024.txt", data=(SAMPLES / "national-2024.txt").read_bytes(), jurisdiction=national, year=2024
    )
    assert plan.state == review.state == ProcessingState.DONE
    # The tracking queued on commit never fires inside a test transaction: run it here.
    assert services.pair_track(plan.pk, 2023).state == ProcessingState.DONE
    verdict = Verdict.objects.filter(pledge__document=plan).order_by("pk").first()
    assert verdict is not None, "tracking the pair should have judged the plan's pledges"
    curator = get_user_model().objects.create_user(username="curator", password="pw")
    services.verdict_override(
        verdict_id=verdict.pk, status="missed", reason="checked by hand", user=curator, expected_version=verdict.version
    )
    return plan, review


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_reupload_to_a_jurisdiction_with_documents_changes_nothing(tracked_pair, national, name):
    before = _snapshot()
    with pytest.raises(services.IngestError) as err:
        services.document_ingest(filename=name, data=BROKEN[name], jurisdiction=national, year=2024)
    assert str(err.value).startswith(name + ": ") and "\n" not in str(err.value)
    assert _snapshot() == before


def test_broken_upload_through_the_api_changes_nothing(tracked_pair, national):
    user = get_user_model().objects.create_user(username="uploader", password="pw")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    before = _snapshot()
    for name, data in BROKEN.items():
        form = {"file": SimpleUploadedFile(name, data), "jurisdiction": national.name, "level": "national", "year": 2024}
        response = client.post("/api/documents/", form, format="multipart")
        assert response.status_code in (400, 422), (name, response.content)
        message = response.json()["error"]["message"]
        assert name in message and "\n" not in message
    assert _snapshot() == before


@pytest.mark.parametrize("name", ["half.pdf", "surrogates.txt", "blob.txt"])
def test_task_on_stored_bytes_that_now_fail_keeps_the_previous_reading(tracked_pair, name):
    plan, _ = tracked_pair
    before = _snapshot()
    # Storage damaged after the first reading (or a stricter pipeline): the same row, bad bytes.
    Document.objects.filter(pk=plan.pk).update(original_file=BROKEN[name], filename=name)
    state = tasks.document_process_task.delay(plan.pk).get()
    plan.refresh_from_db()
    assert state == plan.state == ProcessingState.FAILED
    assert plan.error.startswith(name + ": ") and "\n" not in plan.error
    assert "internal error" not in plan.error  # a refusal, not a crash caught at the last line
    after = _snapshot()
    for table in ("sections", "pledges", "verdicts", "evidence", "jurisdictions"):
        assert after[table] == before[table], table
    assert plan.text and plan.pledges.exists()

    # Good bytes again: the same rows come back, the override untouched.
    Document.objects.filter(pk=plan.pk).update(
        original_file=(SAMPLES / "national-2023.txt").read_bytes(), filename="national-2023.txt"
    )
    assert tasks.document_process_task.delay(plan.pk).get() == ProcessingState.DONE
    again = _snapshot()
    for table in ("sections", "pledges"):
        assert again[table] == before[table], table
    assert Verdict.objects.filter(override_status="missed", override_reason="checked by hand").count() == 1


def test_report_padded_with_nul_bytes_is_stored(national):
    # An interrupted download leaves the file padded with zero bytes; PostgreSQL refuses NUL in text.
    data = (SAMPLES / "national-2024.txt").read_bytes() + b"\x00" * 5000
    doc = services.document_ingest(filename="padded.txt", data=data, jurisdiction=national, year=2024)
    assert doc.state == ProcessingState.DONE, doc.error
    assert "\x00" not in doc.text and doc.pledges.count() > 50


def test_a_failure_while_storing_rolls_back_and_marks_the_document_failed(tracked_pair, monkeypatch):
    plan, _ = tracked_pair
    before = _snapshot()

    def broken(document):
        raise RuntimeError("database went away")

    # Fails after the sections and pledges were rewritten, inside the same transaction.
    monkeypatch.setattr(services, "_document_near_duplicate_mark", broken)
    Document.objects.filter(pk=plan.pk).update(original_file=(SAMPLES / "national-2025.txt").read_bytes())
    state = tasks.document_process_task.delay(plan.pk).get()
    plan.refresh_from_db()
    assert state == plan.state == ProcessingState.FAILED  # not stuck in "processing"
    assert plan.error.startswith("national-2023.txt: ") and "database went away" in plan.error
    after = _snapshot()
    for table in ("sections", "pledges", "verdicts", "evidence"):
        assert after[table] == before[table], table


def test_task_run_twice_on_a_bad_document_is_harmless(tracked_pair):
    plan, _ = tracked_pair
    Document.objects.filter(pk=plan.pk).update(original_file=BROKEN["half.docx"], filename="half.docx")
    first = tasks.document_process_task.delay(plan.pk).get()
    snapshot = _snapshot()
    second = tasks.document_process_task.delay(plan.pk).get()
    assert first == second == ProcessingState.FAILED
    assert _snapshot() == snapshot


def _write_broken(tmp_path) -> list[str]:
    paths = []
    for name, data in BROKEN.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    return paths


def test_ingest_command_prints_one_line_per_bad_file_and_keeps_the_good_one(tmp_path, tracked_pair):
    paths = _write_broken(tmp_path)
    good = tmp_path / "national-2025.txt"
    good.write_bytes((SAMPLES / "national-2025.txt").read_bytes())
    before = _snapshot()
    stderr, stdout = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=f"{len(BROKEN)} of {len(BROKEN) + 1} file"):
        call_command(
            "ingest",
            *paths[:3],
            str(good),
            *paths[3:],
            jurisdiction="国务院",
            level="national",
            year=2025,
            stderr=stderr,
            stdout=stdout,
        )
    lines = stderr.getvalue().strip().splitlines()
    errors = [ln for ln in lines if ln.startswith("error: ")]
    assert len(errors) == len(BROKEN), lines
    for name in BROKEN:
        assert sum(name in ln for ln in errors) == 1, (name, errors)
    assert not [ln for ln in lines if not ln.startswith(("error: ", "warning: "))], lines
    assert "national-2025.txt: document #" in stdout.getvalue()
    after = _snapshot()
    assert set(before["pledges"]) <= set(after["pledges"]) and set(before["verdicts"]) <= set(after["verdicts"])
    assert len(after["documents"]) == len(before["documents"]) + 1


def test_ingest_command_refuses_an_over_limit_file_by_name_before_decoding(tmp_path, tracked_pair, settings, monkeypatch):
    settings.TRACKER_MAX_UPLOAD_BYTES = 10_000
    big = tmp_path / "big.txt"
    big.write_bytes((SAMPLES / "national-2025.txt").read_bytes())

    def must_not_run(*args, **kwargs):
        raise AssertionError("an over-limit file reached the decoder")

    monkeypatch.setattr(services, "decode_file", must_not_run)
    before = _snapshot()
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", str(big), jurisdiction="国务院", level="national", year=2025, stderr=stderr)
    assert stderr.getvalue().strip().splitlines() == [
        f"error: {big}: file is too large ({big.stat().st_size} bytes, limit 10000)"
    ]
    assert _snapshot() == before


def test_ingest_command_in_a_real_process_exits_non_zero_with_one_line_per_file(tmp_path):
    paths = _write_broken(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "ingest", *paths, "--jurisdiction", "国务院", "--level", "national", "--year", "2025"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            # Bad files are refused before any row is written: this database is never created.
            "DATABASE_URL": f"sqlite:///{tmp_path / 'never.sqlite3'}",
        },
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    # One line per bad file, then Django's one-line summary of the failed command.
    assert len(lines) == len(BROKEN) + 1, lines
    for name, line in zip(BROKEN, lines, strict=False):
        assert line.startswith(f"error: {name}: "), line
    assert lines[-1] == f"CommandError: {len(BROKEN)} of {len(BROKEN)} file(s) failed"
    assert not (tmp_path / "never.sqlite3").exists()

"""The management commands: one clear line per bad file, nothing written, JSON contracts."""

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tracker.models import Document, Jurisdiction

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "data" / "samples"


def _ingest(path, year=2024, **extra):
    return call_command("ingest", str(path), jurisdiction="国务院", level="national", year=year, **extra)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (bytes(range(256)) * 64, "bad.txt"),
        ("政府工作报告".encode("utf-16-le")[:-1] + b"\xff\xfe\x00" * 3 + bytes(range(128, 256)) * 8, "bad.txt"),
    ],
)
def test_bad_files_fail_with_one_line_and_write_nothing(tmp_path, capsys, content, expected):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(CommandError):
        _ingest(bad)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.txt" in err[0] and expected in err[0].lower()
    assert Document.objects.count() == 0 and Jurisdiction.objects.count() == 0


@pytest.mark.django_db
def test_missing_file_and_bad_year(tmp_path, capsys):
    with pytest.raises(CommandError):
        _ingest(tmp_path / "nope.txt")
    assert "nope.txt: no such file" in capsys.readouterr().err
    with pytest.raises(CommandError):
        _ingest(SAMPLES / "national-2023.txt", year=1850)
    assert "year 1850 is out of range" in capsys.readouterr().err
    assert Document.objects.count() == 0


@pytest.mark.django_db
def test_ingest_twice_keeps_one_document(capsys):
    _ingest(SAMPLES / "national-2023.txt", year=2023)
    _ingest(SAMPLES / "national-2023.txt", year=2023)
    assert Document.objects.count() == 1
    assert "pledges" in capsys.readouterr().out


def _run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.base", "HOME": str(REPO)},
    )


def test_compare_writes_the_contract(tmp_path):
    out = tmp_path / "pair.json"
    result = _run(
        "compare", str(SAMPLES / "national-2023.txt"), str(SAMPLES / "national-2024.txt"),
        "--plan-year", "2023", "--jurisdiction", "国务院", "--json", str(out),
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert {"plan", "review", "pledges"} <= payload.keys()
    assert len(payload["pledges"]) > 50
    statuses = {p["status"] for p in payload["pledges"]}
    assert statuses <= {"fulfilled", "partial", "missed", "dropped"} and "fulfilled" in statuses
    for row in payload["pledges"]:
        assert {"text", "section", "kind", "status", "confidence", "target", "actual", "evidence"} <= row.keys()
        assert row["target"] is None or {"metric", "value", "unit", "comparator"} <= row["target"].keys()
    targets = [p for p in payload["pledges"] if p["kind"] == "target" and p["target"]]
    assert any(t["target"]["unit"] == "%" for t in targets)
    # a dropped pledge comes with the review passages nearest to it; an addressed one with none
    assert all(row["nearest"] == [] for row in payload["pledges"] if row["status"] != "dropped")
    dropped = [row for row in payload["pledges"] if row["status"] == "dropped"]
    assert sum(bool(row["nearest"]) for row in dropped) > len(dropped) / 2
    assert all({"text", "score", "start", "end"} <= n.keys() for row in dropped for n in row["nearest"])


def test_compare_without_review_is_pending(tmp_path):
    out = tmp_path / "p.json"
    result = _run("compare", str(SAMPLES / "national-2025.txt"), "--plan-year", "2025", "--json", str(out))
    assert result.returncode == 0, result.stderr
    assert {p["status"] for p in json.loads(out.read_text())["pledges"]} == {"pending"}


def test_extract_writes_sections_and_pledges(tmp_path):
    out = tmp_path / "x.json"
    result = _run("extract", str(SAMPLES / "zhejiang-2026.txt"), "--year", "2026", "--json", str(out))
    assert result.returncode == 0, result.stderr
    payload = json.loads(out.read_text(encoding="utf-8"))
    kinds = {s["kind"] for r in payload["reports"] for s in r["sections"]}
    assert {"review", "plan"} <= kinds


def test_compare_refuses_a_binary_file_with_one_line(tmp_path):
    bad = tmp_path / "plan.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 10)
    result = _run("compare", str(bad), "--plan-year", "2023", "--json", str(tmp_path / "o.json"))
    assert result.returncode != 0
    assert "plan.pdf" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.django_db
def test_an_over_limit_file_is_refused_before_it_is_read(tmp_path, capsys, settings, monkeypatch):
    settings.TRACKER_MAX_UPLOAD_BYTES = 1000
    big = tmp_path / "big.txt"
    big.write_bytes("政府工作报告".encode() * 200)

    def never(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", never)
    with pytest.raises(CommandError):
        _ingest(big)
    assert "big.txt: file is too large (3600 bytes, limit 1000)" in capsys.readouterr().err
    assert Document.objects.count() == 0


@pytest.mark.django_db
def test_ingest_a_manifest_stores_every_listed_file_and_names_bad_rows(tmp_path, capsys):
    manifest = tmp_path / "MANIFEST.csv"
    for name in ("national-2023.txt", "zhejiang-2026.txt"):
        (tmp_path / name).write_bytes((SAMPLES / name).read_bytes())
    manifest.write_text(
        "file,jurisdiction,level,year\n"
        "national-2023.txt,国务院,national,2023\n"
        "zhejiang-2026.txt,浙江省,province,2026\n"
        "zhejiang-2026.txt,浙江省,province,\n"
        "missing.txt,浙江省,galaxy,2026\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="2 of 4 file"):
        call_command("ingest", manifest=str(manifest))
    err = capsys.readouterr().err.splitlines()
    assert any("line 4 (zhejiang-2026.txt): no year" in line for line in err)
    assert any("line 5 (missing.txt): level 'galaxy'" in line for line in err)
    assert sorted(Document.objects.values_list("jurisdiction__name", "year")) == [("国务院", 2023), ("浙江省", 2026)]


@pytest.mark.django_db
def test_demo_twice_gives_the_same_rows(django_capture_on_commit_callbacks):
    from tracker.models import Evidence, Pledge, Tracking, Verdict

    def counts():
        return [m.objects.count() for m in (Document, Pledge, Verdict, Evidence, Tracking)]

    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo")
    first = counts()
    assert first[0] == 5 and first[1] > 500 and first[3] > 50 and first[4] == 5
    assert Verdict.objects.exclude(status="pending").exists()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", stdout=out)
    assert counts() == first
    # the summary leads with the estimate and its interval, as the dashboard does, not the hard counts
    lines = [line for line in out.getvalue().splitlines() if " 2024: " in line]
    assert lines and "scored pledges" in lines[0] and "general commitments" in lines[0]
    assert lines[0].index("estimated") < lines[0].index("verdicts shown")
    assert re.search(r"dropped \d+% \(\d+%-\d+%\)", lines[0])

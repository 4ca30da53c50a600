"""`?format=csv` on every list: streamed, stable header, same filters as JSON."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import StreamingHttpResponse

from tracker.api.serializers import (
    COMPARISON_CSV_COLUMNS,
    PLEDGE_CSV_COLUMNS,
    SCORECARD_CSV_COLUMNS,
)

pytestmark = pytest.mark.django_db

PLEDGE_HEADER = [
    "id", "jurisdiction", "jurisdiction_name", "level", "document", "plan_year", "section", "section_kind",
    "section_heading", "section_path", "kind", "text", "start", "end", "status", "confidence", "override_status",
    "target_metric", "target_value", "target_value_max", "target_unit", "target_comparator", "target_direction",
    "scored", "p_pledge", "probability",
]


def read_csv(response) -> list[dict]:
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def header(response) -> list[str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return next(csv.reader(io.StringIO(text)))


def test_pledge_csv_header_is_the_published_contract(anon, world):
    # Chart tools address columns by name: renaming one is a breaking change, so it is spelled out here.
    assert list(PLEDGE_CSV_COLUMNS) == PLEDGE_HEADER
    assert header(anon.get("/api/pledges/", {"format": "csv"})) == PLEDGE_HEADER


def test_pledge_csv_is_unpaginated_filtered_and_holds_the_values(anon, world):
    rows = read_csv(anon.get("/api/pledges/", {"format": "csv", "page_size": 1, "jurisdiction": world.zhejiang.pk}))
    assert {int(r["id"]) for r in rows} == {world.gdp.pk, world.farmland.pk, world.station.pk}
    gdp = next(r for r in rows if int(r["id"]) == world.gdp.pk)
    assert gdp["jurisdiction_name"] == "浙江省"
    assert gdp["status"] == "fulfilled" and float(gdp["confidence"]) == pytest.approx(0.9)
    assert gdp["target_comparator"] == "about" and float(gdp["target_value"]) == 5.0
    assert gdp["override_status"] == ""


def test_csv_of_an_empty_filter_is_just_the_header(anon, world):
    response = anon.get("/api/pledges/", {"format": "csv", "plan_year": 1990})
    text = b"".join(response.streaming_content).decode()
    assert text.splitlines() == ["\ufeff" + ",".join(PLEDGE_HEADER)]


@pytest.mark.parametrize("url", ["/api/jurisdictions/", "/api/documents/", "/api/evidence/", "/api/trackings/"])
def test_every_list_streams_csv_with_one_row_per_json_row(anon, world, url):
    json_count = anon.get(url).json()["count"]
    rows = read_csv(anon.get(url, {"format": "csv"}))
    assert len(rows) == json_count
    assert "original_file" not in (rows[0] if rows else {})


def test_scorecard_csv_has_an_overall_row_then_sections(anon, world):
    response = anon.get("/api/scorecards/", {"jurisdiction": world.zhejiang.pk, "plan_year": 2025, "format": "csv"})
    rows = read_csv(response)
    assert list(rows[0]) == SCORECARD_CSV_COLUMNS
    overall, section = rows
    assert overall["section"] == "" and overall["total"] == "3" and overall["dropped"] == "1"
    assert section["heading"] == "二、2025年工作安排"
    assert float(overall["fulfilled_share"]) == pytest.approx(0.3333, abs=1e-4)


def test_comparison_csv_has_one_row_per_government(anon, world):
    rows = read_csv(anon.get("/api/scorecards/comparison/", {"plan_year": 2025, "format": "csv"}))
    assert list(rows[0]) == COMPARISON_CSV_COLUMNS
    assert [r["jurisdiction_name"] for r in rows] == ["杭州市", "浙江省"]


def test_csv_error_is_still_csv(anon, world):
    response = anon.get("/api/scorecards/", {"format": "csv"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[0] == "code,message"

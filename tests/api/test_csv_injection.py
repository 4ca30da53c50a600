"""Issue 15.3: no API CSV cell can run as a spreadsheet formula, through the one shared writer."""

from __future__ import annotations

import pytest

from tests.api.test_csv import read_csv
from tracker import csv_export
from tracker.models import Document, Jurisdiction, Pledge

pytestmark = pytest.mark.django_db

HOSTILE_NAME = '=HYPERLINK("https://evil.example/","click")'
HOSTILE_TEXT = "=1+1+cmd|' /C calc'!A0"
HOSTILE_TITLE = "@SUM(1+1)*cmd|' /C calc'!A0"
STARTS = ("=", "+", "-", "@", "\t", "\r")


def _no_formula(rows: list[dict]) -> None:
    for row in rows:
        for column, value in row.items():
            assert not (value or "").startswith(STARTS), (column, value)


def test_api_csv_neutralises_every_formula_cell(anon, world):
    Jurisdiction.objects.filter(pk=world.zhejiang.pk).update(name=HOSTILE_NAME)
    Pledge.objects.filter(pk=world.gdp.pk).update(text=HOSTILE_TEXT, section_path="-2+3", target_unit="+1")
    Document.objects.filter(pk=world.plan.pk).update(title=HOSTILE_TITLE, filename="\t=cmd.txt")
    urls = [("/api/jurisdictions/", {}), ("/api/pledges/", {}), ("/api/documents/", {}), ("/api/evidence/", {}),
            ("/api/trackings/", {}), ("/api/scorecards/", {"jurisdiction": world.zhejiang.pk, "plan_year": 2025}),
            ("/api/scorecards/comparison/", {"plan_year": 2025})]
    seen: set[str] = set()
    for url, query in urls:
        response = anon.get(url, {**query, "format": "csv"})
        assert response.status_code == 200, url
        rows = read_csv(response)  # also checks the BOM is still there
        _no_formula(rows)
        seen |= {value for row in rows for value in row.values()}
    # Kept readable: the apostrophe only stops the spreadsheet from evaluating the text.
    assert {"'" + HOSTILE_NAME, "'" + HOSTILE_TEXT, "'" + HOSTILE_TITLE, "'\t=cmd.txt", "'-2+3", "'+1"} <= seen


def test_numbers_stay_numbers(anon, world):
    Pledge.objects.filter(pk=world.gdp.pk).update(target_value=-2.5)
    rows = read_csv(anon.get("/api/pledges/", {"format": "csv", "include_duplicates": "true"}))
    assert "-2.5" in {row["target_value"] for row in rows}


def test_the_api_and_the_dashboard_share_one_writer():
    from tracker.api import renderers
    from tracker.dashboard import tables

    assert renderers.csv_response is csv_export.csv_response
    assert tables.shared_csv_response is csv_export.csv_response
    assert renderers.shared_csv_lines is csv_export.csv_lines

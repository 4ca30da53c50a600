"""Issue 13 on the API: errors in the client's language, 406 for an unknown format, pagination
links from raw UTF-8 queries (the BOM of CSV exports is checked in test_csv.read_csv)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_error_messages_follow_accept_language(anon, world):
    chinese = anon.get("/api/pledges/999999/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").json()
    english = anon.get("/api/pledges/999999/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert chinese["error"]["code"] == english["error"]["code"] == "not_found"
    assert chinese["error"]["message"] == "未找到。"
    assert english["error"]["message"] == "Not found."


def test_dashboard_still_ignores_accept_language(client, world):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="zh-Hans"' in html


def test_unknown_format_is_406_with_the_error_body(anon, world):
    response = anon.get("/api/pledges/", {"format": "xml"})
    assert response.status_code == 406
    body = response.json()
    assert body["error"]["code"] == "not_acceptable" and "csv" in body["error"]["message"]
    assert anon.get(f"/api/pledges/{world.gdp.pk}/", {"format": "xml"}).status_code == 406


def test_next_link_is_built_from_a_raw_utf8_query(anon, world):
    raw = "q=高标准&page_size=1&include_duplicates=true".encode().decode("latin-1")  # as WSGI hands raw bytes over
    first = anon.get("/api/pledges/", QUERY_STRING=raw).json()
    assert first["count"] == 2
    assert "q=%E9%AB%98%E6%A0%87%E5%87%86" in first["next"] and "page=2" in first["next"]
    second = anon.get(first["next"])
    assert second.status_code == 200
    assert second.json()["results"][0]["id"] != first["results"][0]["id"]
    assert "page=" not in second.json()["previous"]  # page 1 is the bare list

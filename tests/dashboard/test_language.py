"""Chinese by default; English only when the reader switches, never from the browser's preference."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.postgres


def test_chinese_by_default_even_for_an_english_browser(client, pair):
    url = reverse("dashboard:scorecard", args=[pair.jurisdiction.pk, 2025])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "未再提及" in html and "Silently dropped" not in html


def test_switch_to_english_and_back(client, pair):
    url = reverse("dashboard:scorecard", args=[pair.jurisdiction.pk, 2025]) + "?status=dropped"
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en">' in html
    assert "Silently dropped" in html and "未再提及" not in html
    # Data stays in the language of the report; only the interface changes.
    assert "建成杭州西站枢纽" in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": url})
    assert "未再提及" in client.get(url).content.decode()


def test_csv_headers_do_not_change_with_the_language(client, pair):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = b"".join(client.get(reverse("dashboard:home_csv")).streaming_content)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = b"".join(client.get(reverse("dashboard:home_csv")).streaming_content)
    assert english.splitlines()[0] == chinese.splitlines()[0]

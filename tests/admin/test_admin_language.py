"""One language per admin screen (issue 13): the Chinese admin's review queue and curation
screen have no English left (model names, choice labels, filters, buttons, messages)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tracker import services
from tracker.models import Verdict

pytestmark = pytest.mark.django_db

# Words of the data or of Django itself, not of the interface.
ALLOWED = {"Django", "txt", "zj", "id", "review_document", "curator"}


class _Visible(HTMLParser):
    """The text a reader sees, plus placeholders and button values; no scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in {"placeholder", "title", "aria-label"} and value:
                self.parts.append(value)
            if tag == "input" and name == "value" and dict(attrs).get("type") in {"submit", "button"}:
                self.parts.append(value or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_words(html: str) -> set[str]:
    parser = _Visible()
    parser.feed(html)
    text = " ".join(parser.parts)
    return {w for w in re.findall(r"[A-Za-z][A-Za-z_]+", text)} - ALLOWED


@pytest.fixture
def chinese_curator(curator):
    curator.is_staff = True
    curator.save()
    client = Client()
    client.force_login(curator)
    client.cookies["django_language"] = "zh-hans"
    return client


def test_the_chinese_review_queue_has_no_english(chinese_curator, world):
    html = chinese_curator.get(reverse("admin:tracker_pledge_changelist")).content.decode()
    assert "部分完成" in html and "审核" in html
    assert english_words(html) == set()


def test_the_chinese_curation_screen_has_no_english(chinese_curator, curator, world):
    verdict = Verdict.objects.get(pledge=world.station)
    services.verdict_override(verdict_id=verdict.pk, status="missed", reason="审议稿称主体完工", user=curator,
                              expected_version=verdict.version)
    url = reverse("admin:tracker_pledge_curate", args=[world.station.pk])
    stale = {"action": "save", "verdict_version": "1", "override_status": "partial", "override_reason": "旧页面"}
    response = chinese_curator.post(url, stale, follow=True)
    html = response.content.decode()
    assert "未保存" in html  # the stale-screen message, in Chinese
    for needed in ("保存判断", "采纳", "驳回", "修改记录", "未达成"):
        assert needed in html, needed
    assert english_words(html) == set()


def test_the_english_switch_still_gives_english(chinese_curator, world):
    chinese_curator.cookies["django_language"] = "en"
    html = chinese_curator.get(reverse("admin:tracker_pledge_curate", args=[world.station.pk])).content.decode()
    assert "Save decisions" in html and "partial" in html


def test_the_committed_catalogue_is_compiled_from_the_po(tmp_path):
    # The .mo is committed (no gettext needed at setup), so a .po edit without msgfmt would
    # silently leave the old translations in place.
    import gettext
    import shutil
    import subprocess
    from pathlib import Path

    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) is not installed")
    messages = Path(__file__).resolve().parents[2] / "tracker" / "locale" / "zh_Hans" / "LC_MESSAGES"
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(messages / "django.po")], check=True)
    with fresh.open("rb") as new, (messages / "django.mo").open("rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(new)._catalog


def test_the_chinese_chain_link_screen_has_no_english(chinese_curator):
    from tests.chain_world import chain_world_make
    from tracker.models import ChainLink

    chain_world_make()
    link = ChainLink.objects.order_by("pk").first()
    html = chinese_curator.get(reverse("admin:tracker_chainlink_curate", args=[link.pk])).content.decode()
    for needed in ("确认关联", "断开关联", "相似度", "年计划"):
        assert needed in html
    assert english_words(html) == set()
    listing = chinese_curator.get(reverse("admin:tracker_chainlink_changelist")).content.decode()
    assert "此前的承诺" in listing and "之后的承诺" in listing

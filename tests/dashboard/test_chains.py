"""Chains on the dashboard: the pledge page's timeline and the government page's three lists."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests.chain_world import ChainWorld, chain_world_make
from tests.factories import UserFactory
from tracker import services_chain
from tracker.models import ChainLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain_world(db) -> ChainWorld:
    return chain_world_make()


def _csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def _section(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</section>", start)]


def test_pledge_page_shows_the_chain_as_a_timeline(client, chain_world):
    middle = chain_world.pledge(2024, "建成杭州西站枢纽")
    response = client.get(reverse("dashboard:pledge", args=[middle.pk]))
    assert response.status_code == 200
    steps = response.context["chain"]
    assert [(s.pledge.plan_year, s.pledge.text, s.status) for s in steps] == [
        (2023, "开工建设杭州西站枢纽", "fulfilled"),
        (2024, "建成杭州西站枢纽", "partial"),
        (2025, "建成杭州西站枢纽", "pending"),
    ]
    timeline = _section(response.content.decode(), "chain")
    assert timeline.count('data-testid="timeline-step"') == 3
    # Year, text and status of each year; the other years link to their pledge pages.
    assert "2023" in timeline and "开工建设杭州西站枢纽" in timeline and "已完成" in timeline
    assert reverse("dashboard:pledge", args=[chain_world.pledge(2023, "开工建设杭州西站枢纽").pk]) in timeline
    assert "下一阶段" in timeline  # 开工建设 -> 建成 is the next stage


def test_a_broken_link_cuts_the_timeline(client, chain_world):
    link = chain_world.link(2025, "建成杭州西站枢纽")
    services_chain.chain_link_break(link_id=link.pk, user=UserFactory(), reason="a second station")
    response = client.get(reverse("dashboard:pledge", args=[chain_world.pledge(2024, "建成杭州西站枢纽").pk]))
    assert [s.pledge.plan_year for s in response.context["chain"]] == [2023, 2024]
    lone = client.get(reverse("dashboard:pledge", args=[chain_world.pledge(2025, "建成杭州西站枢纽").pk]))
    assert 'data-testid="chain"' not in lone.content.decode()  # a chain of one is not shown


def test_a_gap_is_said_on_the_timeline(client, chain_world):
    # As if the 2024 report were missing and 2025 linked straight to 2023.
    ChainLink.objects.filter(pk=chain_world.link(2025, "推进数字政府建设").pk).update(years_apart=2)
    html = client.get(reverse("dashboard:pledge", args=[chain_world.pledge(2025, "推进数字政府建设").pk])).content.decode()
    assert 'data-testid="gap"' in _section(html, "chain")


def test_chain_csv(client, chain_world):
    pledge = chain_world.pledge(2025, "地区生产总值增长5%左右")
    rows = _csv(client.get(reverse("dashboard:pledge_csv", args=[pledge.pk, "chain"])))
    assert [(r["plan_year"], r["status"], r["kind"]) for r in rows] == [
        ("2023", "fulfilled", ""), ("2024", "fulfilled", "target_raised"), ("2025", "pending", "target_lowered"),
    ]


def test_government_page_lists_done_again_silent_again_and_targets_changed(client, chain_world):
    response = client.get(reverse("dashboard:government", args=[chain_world.government.pk]))
    assert response.status_code == 200
    lists = {row["name"]: row for row in response.context["chain_lists"]}
    assert {name: row["count"] for name, row in lists.items()} == {"done_again": 2, "silent_again": 1, "target_changed": 2}
    done = [(link.previous.plan_year, link.pledge.text) for link in lists["done_again"]["links"]]
    assert done == [(2024, "推进数字政府建设"), (2023, "推进数字政府建设")]
    assert [(link.previous.text, link.previous.plan_year) for link in lists["silent_again"]["links"]] == [
        ("新建高标准农田2万亩", 2023)
    ]
    assert [link.kind for link in lists["target_changed"]["links"]] == ["target_lowered", "target_raised"]
    html = response.content.decode()
    assert "报告完成后再次承诺" in _section(html, "chains-done_again")
    assert _section(html, "chains-silent_again").count('data-testid="chain-row"') == 1
    # The other government's identical pledge is in no list of this one.
    assert reverse("dashboard:pledge", args=[chain_world.other_pledge.pk]) not in _section(html, "chains")


def test_government_chain_csv(client, chain_world):
    url = reverse("dashboard:government_chains_csv", args=[chain_world.government.pk, "target_changed"])
    rows = _csv(client.get(url))
    assert [(r["previous_year"], r["previous_target_value"], r["plan_year"], r["target_value"], r["kind"]) for r in rows] == [
        ("2024", "5.5", "2025", "5.0", "target_lowered"), ("2023", "5.0", "2024", "5.5", "target_raised"),
    ]
    bad = reverse("dashboard:government_chains_csv", args=[chain_world.government.pk, "everything"])
    assert client.get(bad).status_code == 404


def test_a_broken_link_leaves_the_lists(client, chain_world):
    link = chain_world.link(2024, "新建高标准农田2万亩")
    services_chain.chain_link_break(link_id=link.pk, user=UserFactory(), reason="other farmland programme")
    response = client.get(reverse("dashboard:government", args=[chain_world.government.pk]))
    lists = {row["name"]: row["count"] for row in response.context["chain_lists"]}
    assert lists["silent_again"] == 0

"""Chains in the API: a pledge's chain and a government's lists, JSON and CSV."""

from __future__ import annotations

import csv
import io

import pytest
from rest_framework.test import APIClient

from tests.chain_world import ChainWorld, chain_world_make
from tests.factories import UserFactory
from tracker import services_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain_world(db) -> ChainWorld:
    return chain_world_make()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


def test_pledge_chain(api, chain_world):
    pledge = chain_world.pledge(2024, "建成杭州西站枢纽")
    body = api.get(f"/api/pledges/{pledge.pk}/chain/").json()
    assert body["pledge"] == pledge.pk and body["length"] == 3
    assert [(s["plan_year"], s["status"], s["kind"], s["years_apart"]) for s in body["steps"]] == [
        (2023, "fulfilled", None, None), (2024, "partial", "continued", 1), (2025, "pending", "repeated", 1),
    ]
    assert body["steps"][1]["link"] == chain_world.link(2024, "建成杭州西站枢纽").pk
    alone = api.get(f"/api/pledges/{chain_world.other_pledge.pk}/chain/").json()
    assert alone["length"] == 1 and alone["steps"][0]["kind"] is None
    assert api.get("/api/pledges/999999999/chain/").status_code == 404


def test_pledge_chain_csv(api, chain_world):
    pledge = chain_world.pledge(2025, "地区生产总值增长5%左右")
    rows = _csv(api.get(f"/api/pledges/{pledge.pk}/chain/?format=csv"))
    assert [(r["plan_year"], r["kind"], r["gap"]) for r in rows] == [
        ("2023", "", ""), ("2024", "target_raised", "False"), ("2025", "target_lowered", "False"),
    ]


def test_government_lists(api, chain_world):
    url = f"/api/jurisdictions/{chain_world.government.pk}/chains/"
    everything = api.get(url).json()
    assert everything["count"] == 8
    done = api.get(url, {"list": "done_again"}).json()["results"]
    assert [(r["previous"]["plan_year"], r["previous"]["status"], r["pledge"]["text"]) for r in done] == [
        (2024, "fulfilled", "推进数字政府建设"), (2023, "fulfilled", "推进数字政府建设"),
    ]
    silent = api.get(url, {"list": "silent_again"}).json()["results"]
    assert [(r["previous"]["status"], r["pledge"]["plan_year"]) for r in silent] == [("dropped", 2024)]
    changed = api.get(url, {"list": "target_changed"}).json()["results"]
    assert [(r["kind"], r["previous"]["target_value"], r["pledge"]["target_value"]) for r in changed] == [
        ("target_lowered", 5.5, 5.0), ("target_raised", 5.0, 5.5),
    ]
    assert api.get(url, {"list": "nonsense"}).status_code == 400
    other = api.get(f"/api/jurisdictions/{chain_world.other.pk}/chains/").json()
    assert other["count"] == 0  # the same words in a neighbour's plan are never linked to this one


def test_government_list_csv_and_broken_links_left_out(api, chain_world):
    link = chain_world.link(2025, "推进数字政府建设")
    services_chain.chain_link_break(link_id=link.pk, user=UserFactory(), reason="a new programme")
    rows = _csv(api.get(f"/api/jurisdictions/{chain_world.government.pk}/chains/?list=done_again&format=csv"))
    assert [(r["previous_year"], r["plan_year"], r["previous_status"], r["text"]) for r in rows] == [
        ("2023", "2024", "fulfilled", "推进数字政府建设"),
    ]

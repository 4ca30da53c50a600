"""Public reads: shapes, filters, offsets, ETags, aggregates."""

from __future__ import annotations

import pytest

from tests import factories as f
from tracker import models

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_jurisdictions_carry_level_and_parent_and_filter_by_them(anon, world):
    rows = anon.get("/api/jurisdictions/").json()["results"]
    by_name = {row["name"]: row for row in rows}
    assert by_name["杭州市"]["parent"] == world.zhejiang.pk
    assert by_name["杭州市"]["parent_name"] == "浙江省"
    assert by_name["浙江省"]["parent"] is None
    assert ids(anon.get("/api/jurisdictions/", {"level": "city"})) == {world.hangzhou.pk}
    assert ids(anon.get("/api/jurisdictions/", {"parent": world.zhejiang.pk})) == {world.hangzhou.pk}


def test_documents_show_state_and_duplicates_but_never_the_file(anon, world):
    response = anon.get("/api/documents/", {"jurisdiction": world.zhejiang.pk})
    body = response.content.decode()
    assert "secret-bytes" not in body and "original_file" not in body
    rows = {row["id"]: row for row in response.json()["results"]}
    assert rows[world.copy.pk]["near_duplicate_of"] == world.plan.pk
    assert rows[world.plan.pk]["warnings"] == ["year in text: 2023"]
    assert rows[world.plan.pk]["state"] == "done"
    assert ids(anon.get("/api/documents/", {"near_duplicate": "true"})) == {world.copy.pk}

    detail = anon.get(f"/api/documents/{world.plan.pk}/").json()
    assert [s["heading"] for s in detail["sections"]] == ["二、2025年工作安排"]
    assert "text" not in detail


def test_pledge_list_hides_near_duplicate_copies_unless_asked(anon, world):
    everything = ids(anon.get("/api/pledges/"))
    assert world.copy_pledge.pk not in everything
    assert {world.gdp.pk, world.farmland.pk, world.station.pk, world.city_pledge.pk} == everything
    assert world.copy_pledge.pk in ids(anon.get("/api/pledges/", {"include_duplicates": "true"}))


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"level": "city"}, {"city_pledge"}),
        ({"status": "dropped"}, {"farmland"}),
        ({"status": ["dropped", "partial"]}, {"farmland", "station"}),
        ({"kind": "project"}, {"station", "city_pledge"}),
        ({"confidence_min": 0.4, "confidence_max": 0.8}, {"station", "city_pledge"}),
        ({"plan_year": 2024}, set()),
        ({"q": "农田"}, {"farmland"}),
        # Found through its evidence text only: the pledge says 5%左右, the review 5.6%.
        ({"q": "5.6%"}, {"gdp"}),
    ],
)
def test_pledge_filters(anon, world, params, expected):
    names = {getattr(world, name).pk for name in expected}
    assert ids(anon.get("/api/pledges/", params)) == names


def test_pledge_filter_by_jurisdiction_and_section(anon, world):
    params = {"jurisdiction": world.zhejiang.pk, "section": world.section.pk}
    assert ids(anon.get("/api/pledges/", params)) == {world.gdp.pk, world.farmland.pk, world.station.pk}


def test_rejected_evidence_is_not_searchable(anon, world):
    models.Evidence.objects.filter(pk=world.gdp_evidence.pk).update(curation="rejected")
    assert ids(anon.get("/api/pledges/", {"q": "5.6%"})) == set()


def test_invalid_filter_value_is_a_400_with_the_error_body(anon, world):
    response = anon.get("/api/pledges/", {"status": "done-ish"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "status" in error["message"]


def test_ordering_by_confidence(anon, world):
    rows = anon.get("/api/pledges/", {"ordering": "confidence"}).json()["results"]
    assert [row["confidence"] for row in rows] == sorted(row["confidence"] for row in rows)
    assert rows[0]["id"] == world.farmland.pk


def test_page_size_is_capped_and_pages_link(anon, world):
    page = anon.get("/api/pledges/", {"page_size": 2}).json()
    assert page["count"] == 4 and len(page["results"]) == 2 and page["next"]
    capped = anon.get("/api/pledges/", {"page_size": 100000})
    assert capped.status_code == 200 and len(capped.json()["results"]) == 4
    missing = anon.get("/api/pledges/", {"page": 99})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_pledge_detail_has_evidence_offsets_history_and_etag(anon, world):
    response = anon.get(f"/api/pledges/{world.gdp.pk}/")
    assert response.status_code == 200
    body = response.json()
    verdict = body["verdict"]
    assert response["ETag"] == f'"verdict-{verdict["id"]}-{verdict["version"]}"'
    [evidence] = body["evidence"]
    assert world.review.text[evidence["start"]:evidence["end"]] == "地区生产总值增长5.6%"
    # offset_map (0 -> 7) shifts every span by the 7 characters of furniture removed by cleaning.
    assert (evidence["original_start"], evidence["original_end"]) == (evidence["start"] + 7, evidence["end"] + 7)
    assert world.plan.text[body["start"]:body["end"]] == body["text"]
    assert body["jurisdiction"]["name"] == "浙江省"
    assert body["history"][0]["status"] == "fulfilled"


def test_missing_pledge_is_a_404_error_body(anon, world):
    response = anon.get("/api/pledges/999999/")
    assert response.status_code == 404
    assert set(response.json()["error"]) == {"code", "message", "detail"}


def test_scorecard_counts_shares_and_sections(anon, world):
    body = anon.get("/api/scorecards/", {"jurisdiction": world.zhejiang.pk, "plan_year": 2025}).json()
    # The near-duplicate copy's pledge is not counted a second time.
    assert body["total"] == 3
    assert body["counts"] == {"fulfilled": 1, "partial": 1, "missed": 0, "dropped": 1, "pending": 0}
    assert body["shares"]["dropped"] == pytest.approx(1 / 3, abs=1e-4)
    [section] = body["sections"]
    assert section["section"] == world.section.pk and section["total"] == 3


def test_scorecard_needs_its_parameters(anon, world):
    response = anon.get("/api/scorecards/", {"plan_year": 2025})
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("jurisdiction")


def test_comparison_across_governments(anon, world):
    body = anon.get("/api/scorecards/comparison/", {"plan_year": 2025}).json()
    rows = {row["jurisdiction"]["name"]: row for row in body["results"]}
    assert rows["杭州市"]["counts"]["missed"] == 1 and rows["杭州市"]["total"] == 1
    assert rows["浙江省"]["total"] == 3
    only_cities = anon.get("/api/scorecards/comparison/", {"plan_year": 2025, "level": "city"}).json()
    assert [row["jurisdiction"]["name"] for row in only_cities["results"]] == ["杭州市"]


def test_tracking_progress_counts_states(anon, world):
    models.Tracking.objects.create(plan_document=world.plan, plan_year=2025, state="done", review_document=world.review)
    body = anon.get("/api/trackings/progress/").json()
    assert body["done"] == 1 and body["total"] == 1
    rows = anon.get("/api/trackings/", {"jurisdiction": world.zhejiang.pk}).json()["results"]
    assert rows[0]["review_document"] == world.review.pk and rows[0]["jurisdiction_name"] == "浙江省"


def test_evidence_list_filters_by_curation(anon, world):
    models.Evidence.objects.filter(pk=world.station_evidence.pk).update(curation="rejected")
    assert ids(anon.get("/api/evidence/", {"curation": "rejected"})) == {world.station_evidence.pk}
    assert ids(anon.get("/api/evidence/", {"curation": "none"})) == {world.gdp_evidence.pk}


@pytest.mark.parametrize("url", ["/api/", "/api/pledges/", "/api/documents/", "/api/scorecards/comparison/?plan_year=2025"])
def test_browsable_api_renders_for_a_logged_in_curator(curator, world, url):
    from django.test import Client

    client = Client()
    client.force_login(curator)
    response = client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_pledge_detail_in_the_browsable_api(anon, world):
    response = anon.get(f"/api/pledges/{world.gdp.pk}/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and "地区生产总值增长5%左右" in response.content.decode()


def test_fast_list_rows_are_exactly_the_documented_serializer_rows(anon, world):
    from rest_framework.test import APIRequestFactory

    from tracker import selectors
    from tracker.api.serializers import PledgeSerializer

    models.Verdict.objects.filter(pledge=world.station).update(override_status="fulfilled", override_reason="完工")
    models.Verdict.objects.filter(pledge=world.farmland).delete()  # a pledge never judged reads as pending
    listed = anon.get("/api/pledges/", {"ordering": "id"}).json()["results"]
    request = APIRequestFactory().get("/api/pledges/")
    pledges = selectors.pledge_api_queryset().filter(pk__in=[row["id"] for row in listed]).order_by("id")
    expected = PledgeSerializer(pledges, many=True, context={"request": request}).data
    assert listed == [dict(row) for row in expected]
    assert {row["id"]: row["overridden"] for row in listed}[world.station.pk] is True
    assert {row["id"]: row["status"] for row in listed}[world.farmland.pk] == "pending"


def test_pledge_detail_lists_the_nearest_passages_of_a_dropped_pledge_apart_from_evidence(anon, world):
    start = world.review.text.index("新建高标准农田2.1万亩")
    f.NearestPassageFactory(
        pledge=world.farmland, review_document=world.review, text="新建高标准农田2.1万亩", start=start,
        end=start + len("新建高标准农田2.1万亩"), score=39.0, rank=1,
    )
    body = anon.get(f"/api/pledges/{world.farmland.pk}/").json()
    assert body["evidence"] == []
    [near] = body["nearest"]
    assert (near["rank"], near["text"], near["score"]) == (1, "新建高标准农田2.1万亩", 39.0)
    assert near["review_document"] == world.review.pk
    # the review's original text has 7 characters of site furniture before the report
    assert (near["original_start"], near["original_end"]) == (near["start"] + 7, near["end"] + 7)
    assert anon.get(f"/api/pledges/{world.gdp.pk}/").json()["nearest"] == []
    # a nearest passage is not evidence: the evidence list does not hold it
    assert all(e["text"] != "新建高标准农田2.1万亩" for e in anon.get("/api/evidence/").json()["results"])

"""Every dashboard page renders from the database with the right numbers (PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from tracker.models import Verdict

pytestmark = pytest.mark.postgres


def _csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def _chart(response, element_id: str) -> dict:
    html = response.content.decode()
    start = html.index(f'id="{element_id}"')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def _scorecard_url(pair, **query) -> str:
    url = reverse("dashboard:scorecard", args=[pair.jurisdiction.pk, 2025])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_home_lists_governments_with_a_scoreline(client, pair):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "测试省" in html and "另一省" in html
    assert reverse("dashboard:scorecard", args=[pair.jurisdiction.pk, 2025]) in html
    assert 'action="/pledges/"' in html


def test_home_csv_has_one_row_per_government(client, pair):
    rows = _csv(client.get(reverse("dashboard:home_csv")))
    by_name = {row["jurisdiction"]: row for row in rows}
    assert set(by_name) == {"测试省", "另一省"}
    assert by_name["测试省"]["total"] == "6"
    assert by_name["测试省"]["dropped"] == "2"
    assert by_name["另一省"]["dropped_share"] == "1.0000"


def test_scorecard_counts_and_chart(client, pair):
    response = client.get(_scorecard_url(pair))
    assert response.status_code == 200
    chart = _chart(response, "status-chart-data")
    assert [s["status"] for s in chart["series"]] == ["fulfilled", "partial", "missed", "dropped", "pending"]
    assert chart["counts"] == [1, 1, 1, 2, 1]
    assert chart["total"] == 6
    sections = _chart(response, "section-chart-data")
    assert sections["labels"] == ["（一）扩大内需", "（二）民生"]
    assert sections["values"][3] == [1, 1]  # one dropped pledge in each section


def test_scorecard_shows_dropped_pledges_before_everything_else(client, pair):
    html = client.get(_scorecard_url(pair)).content.decode()
    dropped = html.index('id="dropped"')
    assert dropped < html.index('id="statuses"') < html.index('id="targets"') < html.index('id="pledges"')
    dropped_block = html[dropped : html.index('id="statuses"')]
    assert "建成杭州西站枢纽" in dropped_block and "改造老旧小区500个" in dropped_block
    assert "新建高标准农田3万亩" not in dropped_block
    assert reverse("dashboard:pledge", args=[pair.pledges["station"].pk]) in dropped_block


def test_scorecard_targets_table(client, pair):
    html = client.get(_scorecard_url(pair)).content.decode()
    targets = html[html.index('data-testid="target-table"') : html.index('id="pledges"')]
    assert "地区生产总值增长 ≈5%" in targets
    assert "5.6%" in targets
    assert "新增城镇就业100万人" in targets
    assert "建成杭州西站枢纽" not in targets


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "dropped"}, {"建成杭州西站枢纽", "改造老旧小区500个"}),
        ({"status": "pending"}, {"出台数据要素办法"}),
        ({"kind": "project"}, {"建成杭州西站枢纽", "改造老旧小区500个"}),
        ({"q": "农田"}, {"新建高标准农田3万亩"}),
        ({"status": "bogus"}, None),  # an invalid filter is ignored, not an error
    ],
)
def test_scorecard_filters_live_in_the_url(client, pair, query, expected):
    response = client.get(_scorecard_url(pair, **query))
    assert response.status_code == 200
    table = response.content.decode().split('data-testid="pledge-table"')[1]
    shown = {p.text for p in pair.pledges.values() if p.text in table}
    assert shown == (expected or {p.text for p in pair.pledges.values()})
    rows = _csv(client.get(reverse("dashboard:scorecard_csv", args=[pair.jurisdiction.pk, 2025, "pledges"]), query))
    assert {row["text"] for row in rows} == shown


def test_scorecard_section_filter(client, pair):
    section_id = pair.pledges["jobs"].section_id
    response = client.get(_scorecard_url(pair, section=section_id))
    table = response.content.decode().split('data-testid="pledge-table"')[1]
    assert "新增城镇就业100万人" in table and "地区生产总值增长5%左右" not in table


def test_scorecard_csv_shapes(client, pair):
    base = [pair.jurisdiction.pk, 2025]
    # probability is the calibrated probability of the status shown, not the confidence (0.8)
    Verdict.objects.filter(pledge=pair.pledges["gdp"]).update(
        probabilities={"fulfilled": 0.91, "partial": 0.05, "missed": 0.01, "dropped": 0.03}
    )
    pledges = _csv(client.get(reverse("dashboard:scorecard_csv", args=[*base, "pledges"])))
    assert len(pledges) == 6
    assert list(pledges[0]) == [
        "id",
        "jurisdiction",
        "plan_year",
        "section",
        "kind",
        "text",
        "target",
        "actual",
        "status",
        "confidence",
        "human_confirmed",
        "url",
        "target_value",
        "target_unit",
        "actual_value",
        "actual_unit",
        "probability",
        "override_reason",
        "evidence",
        "section_part",
    ]
    gdp = next(row for row in pledges if row["text"] == "地区生产总值增长5%左右")
    assert gdp["status"] == "fulfilled" and gdp["actual"] == "5.6%" and gdp["url"].endswith(f"/pledge/{pair.pledges['gdp'].pk}/")
    assert (gdp["target_value"], gdp["target_unit"], gdp["actual_value"], gdp["actual_unit"]) == ("5", "%", "5.6", "%")
    assert gdp["evidence"] == "地区生产总值增长5.6%" and gdp["probability"] == "0.91"
    assert gdp["section_part"] == "二、2025年工作安排 / （一）扩大内需"
    assert next(row for row in pledges if row["text"] == "新增城镇就业100万人")["probability"] == ""  # none stored
    assert {r["text"] for r in _csv(client.get(reverse("dashboard:scorecard_csv", args=[*base, "dropped"])))} == {
        "建成杭州西站枢纽",
        "改造老旧小区500个",
    }
    assert len(_csv(client.get(reverse("dashboard:scorecard_csv", args=[*base, "targets"])))) == 3
    statuses = _csv(client.get(reverse("dashboard:scorecard_csv", args=[*base, "statuses"])))
    assert [(r["status"], r["count"]) for r in statuses] == [
        ("fulfilled", "1"),
        ("partial", "1"),
        ("missed", "1"),
        ("dropped", "2"),
        ("pending", "1"),
    ]
    sections = _csv(client.get(reverse("dashboard:scorecard_csv", args=[*base, "sections"])))
    assert [(r["section"], r["total"], r["dropped"]) for r in sections] == [
        ("（一）扩大内需", "3", "1"),
        ("（二）民生", "3", "1"),
    ]
    assert client.get(reverse("dashboard:scorecard_csv", args=[*base, "nonsense"])).status_code == 404


def test_pledge_page_side_by_side_with_highlights(client, pair):
    gdp = pair.pledges["gdp"]
    response = client.get(reverse("dashboard:pledge", args=[gdp.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    plan = html[html.index('data-testid="plan-side"') : html.index('data-testid="review-side"')]
    review = html[html.index('data-testid="review-side"') : html.index('id="history"')]
    assert "<mark>地区生产总值增长</mark>5%左右" in plan  # 5% and 5.6% differ: no figure is marked
    assert "<mark>地区生产总值增长</mark>5.6%" in review
    assert "扩大内需" in plan  # the plan text around the pledge is shown too
    assert 'data-testid="verdict">已完成' in html
    assert "80.0%" in html
    assert f"http://testserver/pledge/{gdp.pk}/" in html


def test_pledge_page_for_a_dropped_and_a_pending_pledge(client, pair):
    dropped = client.get(reverse("dashboard:pledge", args=[pair.pledges["station"].pk])).content.decode()
    assert "下一年的回顾没有提及这项承诺" in dropped
    pending = client.get(reverse("dashboard:pledge", args=[pair.pledges["rules"].pk])).content.decode()
    assert 'data-testid="verdict">待下年回顾' in pending


def test_pledge_history_and_csvs(client, pair):
    gdp = pair.pledges["gdp"]
    history = _csv(client.get(reverse("dashboard:pledge_csv", args=[gdp.pk, "history"])))
    assert history and history[0]["status"] == "fulfilled"
    evidence = _csv(client.get(reverse("dashboard:pledge_csv", args=[gdp.pk, "evidence"])))
    assert [row["text"] for row in evidence] == ["地区生产总值增长5.6%"]


def test_rejected_evidence_is_not_shown(client, pair):
    farmland = pair.pledges["farmland"]
    farmland.evidence.update(curation="rejected")
    html = client.get(reverse("dashboard:pledge", args=[farmland.pk])).content.decode()
    assert "新建高标准农田3.2万亩" not in html


def test_comparison_sorts_and_filters(client, pair):
    url = reverse("dashboard:compare")
    response = client.get(url, {"year": 2025, "sort": "dropped_share", "dir": "desc"})
    assert response.status_code == 200
    table = response.content.decode().split('data-testid="compare-table"')[1]
    assert table.index("另一省") < table.index("测试省")
    ascending = client.get(url, {"year": 2025, "sort": "dropped_share", "dir": "asc"}).content.decode()
    table = ascending.split('data-testid="compare-table"')[1]
    assert table.index("测试省") < table.index("另一省")
    chart = _chart(response, "compare-chart-data")
    assert chart["labels"] == ["另一省", "测试省"] and chart["shares"] is True
    assert chart["values"][3] == [100.0, 33.3]
    only = client.get(url, {"year": 2025, "j": pair.other.pk}).content.decode().split('data-testid="compare-table"')[1]
    assert "另一省" in only and "测试省" not in only
    rows = _csv(client.get(reverse("dashboard:compare_csv"), {"year": 2025, "sort": "total", "dir": "desc"}))
    assert [(r["jurisdiction"], r["total"]) for r in rows] == [("测试省", "6"), ("另一省", "2")]


def test_search(client, pair):
    response = client.get(reverse("dashboard:search"), {"q": "杭州西站"})
    assert response.status_code == 200
    table = response.content.decode().split('data-testid="pledge-table"')[1]
    assert table.count("建成杭州西站枢纽") == 2
    only_one = client.get(reverse("dashboard:search"), {"q": "杭州西站", "jurisdiction": pair.jurisdiction.pk})
    assert only_one.content.decode().split('data-testid="pledge-table"')[1].count("建成杭州西站枢纽") == 1
    rows = _csv(client.get(reverse("dashboard:search_csv"), {"q": "农田", "status": "partial"}))
    assert [row["jurisdiction"] for row in rows] == ["测试省"]
    assert client.get(reverse("dashboard:search")).status_code == 200


def test_embeds_render_the_chart_alone_and_may_be_framed(client, pair):
    for url in (
        reverse("dashboard:embed_scorecard", args=[pair.jurisdiction.pk, 2025]),
        reverse("dashboard:embed_scorecard_chart", args=[pair.jurisdiction.pk, 2025, "sections"]),
        reverse("dashboard:embed_compare") + "?year=2025",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "X-Frame-Options" not in response
        html = response.content.decode()
        assert "embed-chart-data" in html and "chart.umd.min.js" in html and "site-header" not in html
    assert _chart(client.get(reverse("dashboard:embed_scorecard", args=[pair.jurisdiction.pk, 2025])), "embed-chart-data")[
        "counts"
    ] == [1, 1, 1, 2, 1]
    scorecard = client.get(_scorecard_url(pair)).content.decode()
    # The snippet names the language: an iframe on a newsroom's page gets none of our cookies.
    assert f'&lt;iframe src="http://testserver/embed/scorecard/{pair.jurisdiction.pk}/2025/?lang=zh-hans"' in scorecard
    # Ordinary pages are not frameable: only the embeds are.
    assert client.get(_scorecard_url(pair))["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "url",
    [
        "/scorecard/999999/2025/",
        "/scorecard/{j}/1990/",
        "/pledge/999999/",
        "/pledge/999999/history.csv",
        "/scorecard/999999/2025/pledges.csv",
        "/embed/scorecard/999999/2025/",
        "/embed/scorecard/{j}/2025/nonsense/",
        "/pledge/{p}/nonsense.csv",
    ],
)
def test_unknown_ids_are_404(client, pair, url):
    url = url.format(j=pair.jurisdiction.pk, p=pair.pledges["gdp"].pk)
    assert client.get(url).status_code == 404


def test_scorecard_pages_through_long_lists(client, pair, settings):
    from tracker.dashboard import views

    views_page_size = views.PAGE_SIZE
    views.PAGE_SIZE = 2
    try:
        first = client.get(_scorecard_url(pair))
        assert "?page=2" in first.content.decode()
        third = client.get(_scorecard_url(pair, page=3))
        assert third.status_code == 200
        assert "出台数据要素办法" in third.content.decode().split('data-testid="pledge-table"')[1]
    finally:
        views.PAGE_SIZE = views_page_size


def test_chart_library_is_served_from_our_own_static_files(client, pair):
    html = client.get(_scorecard_url(pair)).content.decode()
    assert '<script src="/static/dashboard/vendor/chartjs/chart.umd.min.js"></script>' in html
    assert "cdn" not in html.lower()
    response = client.get("/static/dashboard/vendor/chartjs/chart.umd.min.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Chart" in body


def test_embed_language_comes_from_the_url(client, pair):
    url = reverse("dashboard:embed_scorecard", args=[pair.jurisdiction.pk, 2025])
    english = _chart(client.get(url, {"lang": "en"}), "embed-chart-data")
    assert [s["label"] for s in english["series"]][:2] == ["fulfilled", "partial"]
    chinese = _chart(client.get(url), "embed-chart-data")
    assert [s["label"] for s in chinese["series"]][:2] == ["已完成", "部分完成"]
    assert _chart(client.get(url, {"lang": "xx"}), "embed-chart-data")["series"][0]["label"] == "已完成"


def test_home_shows_the_latest_judged_year_not_a_plan_still_pending(client, pair):
    from tests.factories import DocumentFactory, PledgeFactory, SectionFactory

    plan_2026 = DocumentFactory(jurisdiction=pair.jurisdiction, year=2026)
    PledgeFactory(section=SectionFactory(document=plan_2026, year=2026), plan_year=2026)  # no review yet: pending
    html = client.get("/").content.decode()
    row = html[html.index("测试省") :]
    row = row[: row.index("</tr>")]
    assert "<strong>2025</strong>" in row
    assert reverse("dashboard:scorecard", args=[pair.jurisdiction.pk, 2026]) in row
    assert "已完成 1" in row


def test_csv_cells_never_become_spreadsheet_formulas(client, pair):
    pledge = pair.pledges["rules"]
    pledge.text = "=HYPERLINK(\"http://example.com\")"
    pledge.save()
    rows = _csv(client.get(reverse("dashboard:scorecard_csv", args=[pair.jurisdiction.pk, 2025, "pledges"])))
    assert "'=HYPERLINK(\"http://example.com\")" in {row["text"] for row in rows}


def test_pledge_page_shows_a_curators_override_and_who_made_it(client, pair):
    from django.utils import timezone

    from tests.factories import CuratorFactory

    curator = CuratorFactory(username="editor-li")
    verdict = pair.pledges["station"].verdict
    verdict.override_status, verdict.status, verdict.confidence = "fulfilled", "fulfilled", 1.0
    verdict.override_reason, verdict.override_by, verdict.override_at = "通车见新闻稿", curator, timezone.now()
    verdict._history_user = curator  # what HistoryRequestMiddleware sets on an admin request
    verdict.save()
    html = client.get(reverse("dashboard:pledge", args=[pair.pledges["station"].pk])).content.decode()
    assert 'data-testid="verdict">已完成' in html
    assert "状态由编辑设定" in html and "通车见新闻稿" in html
    history = html[html.index('data-testid="history"') :]
    assert history.index("editor-li") < history.index("机器")  # newest first: the override, then the machine verdict


def test_a_dropped_pledge_shows_the_nearest_review_passages_apart_from_evidence(client, pair):
    from tests.factories import NearestPassageFactory

    station = pair.pledges["station"]
    NearestPassageFactory(pledge=station, text="杭州西站枢纽加快建设", score=38.5, rank=1)
    NearestPassageFactory(pledge=station, text="综合交通枢纽建设提速", score=20.0, rank=2)
    html = client.get(reverse("dashboard:pledge", args=[station.pk])).content.decode()
    review = html[html.index('data-testid="review-side"') : html.index('id="history"')]
    assert "下一年的回顾没有提及这项承诺" in review  # still dropped: the passages are not evidence
    nearest = review[review.index('data-testid="nearest"') :]
    assert "回顾中最接近的原文" in nearest and "不计为证据" in nearest
    assert "<mark>杭州西站枢纽</mark>加快建设" in nearest
    assert nearest.index("杭州西站") < nearest.index("综合交通")  # closest first
    assert "匹配得分 38.5" in nearest


def test_nearest_passages_are_in_english_with_the_switch(client, pair):
    from tests.factories import NearestPassageFactory

    station = pair.pledges["station"]
    NearestPassageFactory(pledge=station, rank=1)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("dashboard:pledge", args=[station.pk])).content.decode()
    assert "Closest passages in the review" in html and "not counted as evidence" in html


def test_nearest_passages_go_once_a_curator_decides_or_when_there_are_none(client, pair):
    from tests.factories import NearestPassageFactory

    station, housing = pair.pledges["station"], pair.pledges["housing"]
    NearestPassageFactory(pledge=station, rank=1)
    html = client.get(reverse("dashboard:pledge", args=[housing.pk])).content.decode()
    assert 'data-testid="nearest"' not in html  # dropped, but nothing near it
    verdict = station.verdict
    verdict.override_status, verdict.status, verdict.override_reason = "fulfilled", "fulfilled", "通车见新闻稿"
    verdict.save()
    html = client.get(reverse("dashboard:pledge", args=[station.pk])).content.decode()
    assert 'data-testid="nearest"' not in html

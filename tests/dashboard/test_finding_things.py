"""Issue 13 on the dashboard: facets, sorting, search in review text, the government page,
pending wording, sources and the full report, the comparison's year, 404, HEAD (PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.dashboard.test_pages import _chart, _csv, _scorecard_url
from tests.factories import DocumentFactory, JurisdictionFactory, PledgeFactory, SectionFactory, VerdictFactory
from tracker.models import Level, Status

pytestmark = pytest.mark.postgres


def _facet(response, key: str) -> dict[str, int]:
    group = next(g for g in response.context["facets"] if g["key"] == key)
    return {item["value"]: item["count"] for item in group["values"]}


def _table_texts(response) -> list[str]:
    return [p.text for p in response.context["page"].object_list]


def test_scorecard_facets_count_status_kind_subsection_band_and_checked(client, pair):
    verdict = pair.pledges["jobs"].verdict
    verdict.confirmed_at = timezone.now()
    verdict.save()
    response = client.get(_scorecard_url(pair))
    assert _facet(response, "status") == {"fulfilled": 1, "partial": 1, "missed": 1, "dropped": 2, "pending": 1}
    assert _facet(response, "kind") == {"target": 3, "project": 2, "action": 1}
    assert _facet(response, "part") == {"二、2025年工作安排 / （一）扩大内需": 3, "二、2025年工作安排 / （二）民生": 3}
    assert _facet(response, "checked") == {"yes": 1, "no": 5}
    assert _facet(response, "band") == {"high": 5, "low": 1}  # the unjudged pledge has no confidence

    # Each facet value links to the list narrowed to it, other filters kept, and counts follow.
    narrowed = client.get(_scorecard_url(pair, kind="target", part="二、2025年工作安排 / （二）民生"))
    assert _table_texts(narrowed) == ["新增城镇就业100万人"]
    assert _facet(narrowed, "status") == {"missed": 1}
    link = next(g for g in narrowed.context["facets"] if g["key"] == "status")["values"][0]["url"]
    assert "kind=target" in link and "status=missed" in link and link.endswith("#pledges")
    assert _table_texts(client.get(_scorecard_url(pair, checked="yes"))) == ["新增城镇就业100万人"]
    assert len(_table_texts(client.get(_scorecard_url(pair, checked="no")))) == 5


def test_confidence_filter_and_sortable_columns(client, pair):
    pair.pledges["gdp"].verdict.__class__.objects.filter(pk=pair.pledges["gdp"].verdict.pk).update(confidence=0.95)
    pair.pledges["station"].verdict.__class__.objects.filter(pk=pair.pledges["station"].verdict.pk).update(confidence=0.3)
    assert _table_texts(client.get(_scorecard_url(pair, confidence_min="0.9"))) == ["地区生产总值增长5%左右"]
    assert _table_texts(client.get(_scorecard_url(pair, band="low"))) == ["建成杭州西站枢纽"]
    ordered = _table_texts(client.get(_scorecard_url(pair, sort="confidence", dir="desc")))
    assert ordered[0] == "地区生产总值增长5%左右" and ordered[-2:] == ["建成杭州西站枢纽", "出台数据要素办法"]
    html = client.get(_scorecard_url(pair, sort="confidence", dir="desc")).content.decode()
    assert 'aria-sort="descending"' in html
    # A bad sort or confidence value is ignored, never an error.
    assert client.get(_scorecard_url(pair, sort="nonsense", confidence_min="x")).status_code == 200


def test_search_finds_pledges_by_the_review_text_that_answers_them(client, pair):
    # 5.6% is only in the evidence, never in a pledge.
    response = client.get(reverse("dashboard:search"), {"q": "5.6%"})
    assert _table_texts(response) == ["地区生产总值增长5%左右"]
    assert _facet(response, "status") == {"fulfilled": 1}
    rows = _csv(client.get(reverse("dashboard:search_csv"), {"q": "5.6%"}))
    assert [r["evidence"] for r in rows] == ["地区生产总值增长5.6%"]


def test_government_page_shows_every_plan_year_side_by_side(client, pair):
    plan_2026 = DocumentFactory(jurisdiction=pair.jurisdiction, year=2026)
    PledgeFactory(section=SectionFactory(document=plan_2026, year=2026), plan_year=2026)
    response = client.get(reverse("dashboard:government", args=[pair.jurisdiction.pk]))
    assert response.status_code == 200
    assert [row["plan_year"] for row in response.context["years"]] == [2026, 2025]
    assert [row["judged"] for row in response.context["years"]] == [False, True]
    html = response.content.decode()
    table = html[html.index('data-testid="years-table"') :]
    assert reverse("dashboard:scorecard", args=[pair.jurisdiction.pk, 2025]) in table
    assert "尚未收到" in table  # the 2026 column says the review is not in yet
    assert _chart(response, "years-chart-data")["labels"] == ["2025"]
    assert client.get(reverse("dashboard:government", args=[999999])).status_code == 404


def test_a_pending_year_says_plainly_that_the_review_is_not_in(client, pair):
    plan_2026 = DocumentFactory(jurisdiction=pair.jurisdiction, year=2026)
    section = SectionFactory(document=plan_2026, year=2026)
    VerdictFactory(pledge=PledgeFactory(section=section, plan_year=2026), machine_status=Status.PENDING)
    html = client.get(reverse("dashboard:scorecard", args=[pair.jurisdiction.pk, 2026])).content.decode()
    lede = html[html.index('data-testid="lede"') :][:300]
    assert "2026年的工作回顾尚未收到" in lede
    assert "已完成" not in lede and "再未提及" not in lede
    assert 'data-testid="dropped-list"' not in html  # no numbered "1. none"
    assert "待下年回顾" in html  # pending is labelled as such, not as "awaiting verification"


def test_compare_opens_on_the_latest_year_with_two_judged_governments(client, pair):
    other_2026 = DocumentFactory(jurisdiction=pair.other, year=2026)
    VerdictFactory(pledge=PledgeFactory(section=SectionFactory(document=other_2026, year=2026), plan_year=2026),
                   machine_status=Status.PENDING)
    response = client.get(reverse("dashboard:compare"))
    assert response.context["year"] == 2025
    assert 'value="2025" selected' in response.content.decode()


def test_sources_are_stored_shown_and_evidence_opens_in_the_full_report(client, pair):
    plan = pair.pledges["gdp"].document
    plan.source_url, plan.delivered_on = "https://www.example.gov.cn/2025.html", timezone.datetime(2025, 1, 14).date()
    plan.save()
    pledge_html = client.get(reverse("dashboard:pledge", args=[pair.pledges["gdp"].pk])).content.decode()
    assert 'href="https://www.example.gov.cn/2025.html"' in pledge_html and "2025-01-14" in pledge_html
    links = re.findall(r'href="(/report/\d+/\?span=\d+-\d+#p-\d+)"', pledge_html)
    assert len(links) == 2  # the pledge in its plan, the evidence in its review
    gdp = pair.pledges["gdp"]
    plan_link = f"/report/{plan.pk}/?span={gdp.start}-{gdp.end}#p-2"  # third line of PLAN_TEXT
    assert plan_link in links
    report = client.get(plan_link.split("#")[0]).content.decode()
    assert '<p id="p-2"><mark class="span-mark" id="span">地区生产总值增长5%左右</mark>' in report
    assert "https://www.example.gov.cn/2025.html" in report
    scorecard = client.get(_scorecard_url(pair)).content.decode()
    assert 'data-testid="sources"' in scorecard and "2025-01-14" in scorecard


def test_targets_show_figures_as_the_report_writes_them(client, pair):
    verdict = pair.pledges["jobs"].verdict
    verdict.machine_actual = {"metric": "城镇新增就业", "value": 12560000.0, "unit": "人", "comparator": "exact"}
    verdict.save()
    html = client.get(_scorecard_url(pair)).content.decode()
    assert "1256万人" in html and "e+07" not in html
    rows = _csv(client.get(reverse("dashboard:scorecard_csv", args=[pair.jurisdiction.pk, 2025, "targets"])))
    jobs = next(r for r in rows if r["text"] == "新增城镇就业100万人")
    assert (jobs["actual"], jobs["actual_value"], jobs["actual_unit"]) == ("1256万人", "1256", "万人")


def test_404_is_styled_and_bilingual_and_csv_answers_head(client, pair):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode() and "dashboard.css" in response.content.decode()
    client.cookies["django_language"] = "en"
    assert "Page not found" in client.get("/pledge/999999/").content.decode()
    assert client.get("/favicon.ico").status_code == 301
    head = client.head(reverse("dashboard:scorecard_csv", args=[pair.jurisdiction.pk, 2025, "pledges"]))
    assert head.status_code == 200 and head["Content-Type"].startswith("text/csv")
    assert client.post(reverse("dashboard:home_csv")).status_code == 405


def test_section_chart_has_one_bar_per_subsection(client, pair):
    JurisdictionFactory(name="第三省", level=Level.PROVINCE)
    chart = _chart(client.get(_scorecard_url(pair)), "section-chart-data")
    assert chart["labels"] == ["（一）扩大内需", "（二）民生"]

"""Issue 13 in a real headless Chromium: facets narrow the list, the government page, the full
report opened at the evidence's paragraph with the span highlighted, the styled 404.

Same data as test_dashboard_journey (the Zhejiang pair of the shared corpus, ingested through
tracker.services) and the same Chromium; screenshots in artifacts/e2e/.
"""

from __future__ import annotations

import pytest

from tests.conftest import CHROMIUM
from tests.e2e.test_dashboard_journey import ARTIFACTS, CHROMIUM_ARGS, zhejiang  # noqa: F401 - shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.corpus]


@pytest.fixture
def evidence_pledge(zhejiang):  # noqa: F811
    from tracker.models import Evidence

    evidence = Evidence.objects.filter(pledge__document__jurisdiction_id=zhejiang["jurisdiction_id"]).first()
    return {"pledge_id": evidence.pledge_id, "text": evidence.text, **zhejiang}


def test_reader_narrows_follows_evidence_into_the_report_and_compares_years(live_server, evidence_pledge):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    data = evidence_pledge
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        outside = []
        page.on("request", lambda request: None if request.url.startswith(live_server.url) else outside.append(request.url))

        # Facets: click "dropped", the list and every other facet's counts follow, all in the URL.
        page.goto(f"{live_server.url}/scorecard/{data['jurisdiction_id']}/2025/")
        page.click('[data-facet="status"] a[data-facet-value="dropped"]')
        assert "status=dropped" in page.url
        counts = page.locator('[data-facet="status"] .count').all_inner_texts()
        assert counts == [str(data["dropped"])]
        parts = page.locator('[data-facet="part"] li').count()
        assert parts > 2  # the plan's sub-sections （一）…, not just its top-level chapter
        page.click('[data-testid="pledge-table"] th a:has-text("置信度")')
        assert "sort=confidence" in page.url and "status=dropped" in page.url
        page.screenshot(path=str(ARTIFACTS / "facets.png"), full_page=True)

        # Evidence opens the full review at its paragraph, the span highlighted in place.
        page.goto(f"{live_server.url}/pledge/{data['pledge_id']}/")
        page.click('[data-testid="in-report"]')
        assert "#p-" in page.url
        mark = page.locator("mark.span-mark").first
        assert mark.inner_text() in data["text"]
        assert mark.is_visible()
        paragraph = page.url.split("#", 1)[1]
        assert page.locator(f"#{paragraph} mark.span-mark").count() >= 1
        page.screenshot(path=str(ARTIFACTS / "report-anchor.png"))

        # The government page: every plan year side by side, linked to its scorecard.
        page.goto(f"{live_server.url}/government/{data['jurisdiction_id']}/")
        # The 2026 plan is in, its review is not: the 2026 column says so instead of showing results.
        assert page.locator('[data-testid="years-table"] th a').all_inner_texts() == ["2026", "2025"]
        assert page.locator('[data-testid="years-table"] .pending-note').all_inner_texts() == ["尚未收到"]
        page.wait_for_selector("#years-chart[data-rendered=true]")

        # A mistyped address gets the dashboard's own page, in the reader's language.
        response = page.goto(f"{live_server.url}/scorecard/{data['jurisdiction_id']}/1999/")
        assert response.status == 404
        assert page.locator('[data-testid="not-found"] h1').inner_text() == "页面不存在"
        assert page.locator('link[rel="icon"]').count() == 1
        browser.close()
    assert outside == []

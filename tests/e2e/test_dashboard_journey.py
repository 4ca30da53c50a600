"""A journalist's minute with the dashboard, in a real headless Chromium (Debian package).

Data: the Zhejiang pair of the shared corpus (2025 plan, 2026 review), ingested
and judged through tracker.services exactly as production does. Screenshots go to
artifacts/e2e/ for a person to look at.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, REPO
from tracker.models import NearestPassage

ARTIFACTS = REPO / "artifacts" / "e2e"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.browser, pytest.mark.corpus]


@pytest.fixture
def zhejiang(transactional_db, corpus: Path) -> dict:
    """Ingest and judge the pair; return what the browser should find (computed before it starts)."""
    from tracker import selectors, services
    from tracker.models import Status

    plan_file, review_file = corpus / "provincial" / "zhejiang-2025.docx", corpus / "provincial" / "zhejiang-2026.txt"
    if not (plan_file.exists() and review_file.exists()):
        pytest.skip("the Zhejiang pair is not in the corpus")
    jurisdiction = services.jurisdiction_get_or_create(name="浙江省", level="province")
    plan = services.document_ingest(filename=plan_file.name, data=plan_file.read_bytes(), jurisdiction=jurisdiction, year=2025)
    services.document_ingest(filename=review_file.name, data=review_file.read_bytes(), jurisdiction=jurisdiction, year=2026)
    services.pair_track(plan.pk, 2025)
    card = selectors.scorecard(jurisdiction.pk, 2025)
    assert card.counts[Status.DROPPED] > 0, "the pair should have dropped pledges to follow"
    nearest: dict[int, list[str]] = {}
    for pledge_id, text in NearestPassage.objects.filter(pledge__document=plan).order_by("rank").values_list("pledge", "text"):
        nearest.setdefault(pledge_id, []).append(text)
    assert len(nearest) > card.counts[Status.DROPPED] / 2, "most dropped pledges should come with nearest passages"
    return {
        "jurisdiction_id": jurisdiction.pk,
        "counts": [card.counts[s] for s in selectors.STATUS_ORDER],
        "dropped": card.counts[Status.DROPPED],
        "nearest": nearest,  # read here: the ORM refuses to run inside Playwright's event loop
    }


def _chart_counts(page, canvas_id: str) -> list[int]:
    page.wait_for_selector(f"#{canvas_id}[data-rendered=true]")
    return page.evaluate(f"Chart.getChart(document.getElementById('{canvas_id}')).data.datasets[0].data")


def test_journalist_follows_a_dropped_pledge(live_server, zhejiang):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    scorecard_url = f"{live_server.url}/scorecard/{zhejiang['jurisdiction_id']}/2025/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # An English-speaking browser still gets Chinese: the language follows the switch only.
        context = browser.new_context(locale="en-US", accept_downloads=True, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        failed = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("request", lambda request: None if request.url.startswith(live_server.url) else failed.append(request.url))

        page.goto(scorecard_url)
        assert page.locator("html").get_attribute("lang") == "zh-Hans"
        assert _chart_counts(page, "status-chart") == zhejiang["counts"]
        page.wait_for_selector("#section-chart[data-rendered=true]")
        assert page.locator("[data-testid=dropped-list] li").count() == min(zhejiang["dropped"], 30)
        page.screenshot(path=str(ARTIFACTS / "01-scorecard-zh.png"), full_page=True)

        # Follow the first silently dropped pledge to its page.
        first_dropped = page.locator("[data-testid=dropped-list] li a").first
        dropped_text = first_dropped.inner_text().rstrip("…")
        first_dropped.click()
        page.wait_for_url("**/pledge/*/")
        assert page.locator("[data-testid=verdict]").inner_text() == "未再提及"
        assert dropped_text in page.locator("[data-testid=plan-side] .pledge-text").inner_text()
        assert "下一年的回顾没有提及这项承诺" in page.locator("[data-testid=review-side]").inner_text()
        # Beside the silence, the review passages that come closest, for the reader to check.
        pledge_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
        nearest = zhejiang["nearest"].get(pledge_id, [])
        shown = page.locator("[data-testid=nearest] blockquote")
        assert shown.count() == len(nearest)
        if nearest:
            assert "回顾中最接近的原文" in page.locator("[data-testid=nearest] h3").inner_text()
            assert shown.first.inner_text().startswith(nearest[0])
        page.screenshot(path=str(ARTIFACTS / "02-dropped-pledge-zh.png"), full_page=True)

        # A fulfilled pledge shows the words it shares with its evidence highlighted on both sides.
        page.goto(scorecard_url + "?status=fulfilled#pledges")
        page.locator("[data-testid=pledge-table] tbody a").first.click()
        page.wait_for_url("**/pledge/*/")
        plan_marks = page.locator("[data-testid=plan-side] mark").all_inner_texts()
        review_marks = page.locator("[data-testid=review-side] mark").all_inner_texts()
        assert plan_marks and review_marks
        assert set(plan_marks) & set(review_marks) or any(m in "".join(review_marks) for m in plan_marks)
        assert page.locator("[data-testid=verdict]").inner_text() == "已完成"
        page.screenshot(path=str(ARTIFACTS / "03-fulfilled-pledge-zh.png"), full_page=True)

        # Switch to English: same page, same data, English interface.
        page.click("[data-testid=language-switch]")
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("[data-testid=verdict]").inner_text() == "fulfilled"
        page.goto(scorecard_url)
        assert "Silently dropped" in page.locator("#dropped h2").inner_text()
        assert _chart_counts(page, "status-chart") == zhejiang["counts"]
        page.screenshot(path=str(ARTIFACTS / "04-scorecard-en.png"), full_page=True)

        # Download the dropped pledges as CSV.
        with page.expect_download() as download_info:
            page.click("[data-testid=csv-dropped]")
        download = download_info.value
        body = Path(download.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(body)))
        assert len(rows) == zhejiang["dropped"]
        assert {row["status"] for row in rows} == {"dropped"}
        assert dropped_text in {row["text"] for row in rows} or any(row["text"].startswith(dropped_text) for row in rows)

        # The embed snippet's iframe renders the chart alone, in the language it was copied in.
        snippet = page.locator("textarea[data-testid=embed-status]").input_value()
        embed_url = re.search(r'src="([^"]+)"', snippet).group(1)
        assert embed_url.endswith("?lang=en")
        page.goto(embed_url)
        assert _chart_counts(page, "embed-chart") == zhejiang["counts"]
        assert page.evaluate("Chart.getChart(document.getElementById('embed-chart')).data.labels[3]") == "dropped"
        page.screenshot(path=str(ARTIFACTS / "05-embed-en.png"))

        # A phone gets a one-column page with nothing wider than the screen.
        phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
        phone_page = phone.new_page()
        phone_page.goto(scorecard_url)
        phone_page.wait_for_selector("#status-chart[data-rendered=true]")
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
        phone_page.screenshot(path=str(ARTIFACTS / "06-scorecard-phone.png"))
        phone_page.goto(f"{live_server.url}/compare/?year=2025")
        phone_page.screenshot(path=str(ARTIFACTS / "07-compare-phone.png"), full_page=True)
        browser.close()

    # Everything, Chart.js included, came from our own server: the page works offline.
    assert failed == []

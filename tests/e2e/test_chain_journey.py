"""Issue 14 in a real headless Chromium: a pledge's timeline across plan years, and the
government page's lists of pledges promised again (after being reported done, after silence,
targets changed), down to their CSV.

Data: the hand-made three-plan government of tests/chain_world.py, chained by the real chain
service; same Chromium and artifacts folder as the other journeys.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.chain_world import chain_world_make
from tests.conftest import CHROMIUM
from tests.e2e.test_dashboard_journey import ARTIFACTS, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser]


@pytest.fixture
def chains(transactional_db) -> dict:
    world = chain_world_make()
    # Read here: the ORM refuses to run inside Playwright's event loop.
    return {
        "government": world.government.pk,
        "station_2024": world.pledge(2024, "建成杭州西站枢纽").pk,
        "station_2023": world.pledge(2023, "开工建设杭州西站枢纽").pk,
        "farmland_2024": world.pledge(2024, "新建高标准农田2万亩").pk,
    }


def test_reader_follows_a_pledge_across_years_and_the_governments_lists(live_server, chains):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        outside = []
        page.on("request", lambda request: None if request.url.startswith(live_server.url) else outside.append(request.url))

        # The timeline: each plan year with its text and that year's verdict, this year marked.
        page.goto(f"{live_server.url}/pledge/{chains['station_2024']}/")
        steps = page.locator('[data-testid="timeline-step"]')
        assert steps.count() == 3
        assert [steps.nth(i).get_attribute("data-year") for i in range(3)] == ["2023", "2024", "2025"]
        assert page.locator('[data-testid="timeline-status"]').all_inner_texts() == ["已完成", "部分完成", "待下年回顾"]
        assert page.locator('.timeline-step.current .timeline-text').inner_text() == "建成杭州西站枢纽"
        assert "下一阶段" in steps.nth(1).inner_text()  # 开工建设 (2023) -> 建成 (2024)
        assert page.locator('[data-testid="timeline"]').is_visible()
        page.screenshot(path=str(ARTIFACTS / "chain-timeline.png"), full_page=True)

        # Following the 2023 step opens that year's pledge, on the same timeline.
        page.click('[data-testid="timeline-step"][data-year="2023"] a')
        assert page.url.endswith(f"/pledge/{chains['station_2023']}/")
        assert page.locator('.timeline-step.current').get_attribute("data-year") == "2023"

        # The government page: the three lists, with counts, linked to the pledges.
        page.goto(f"{live_server.url}/government/{chains['government']}/")
        counts = {name: page.locator(f'[data-testid="chains-{name}"] [data-testid="count"]').inner_text()
                  for name in ("done_again", "silent_again", "target_changed")}
        assert counts == {"done_again": "2", "silent_again": "1", "target_changed": "2"}
        assert "报告完成后再次承诺" in page.locator('[data-testid="chains-done_again"] h3').inner_text()
        silent = page.locator('[data-testid="chains-silent_again"] [data-testid="chain-row"]')
        assert silent.count() == 1 and "未再提及" in silent.inner_text()  # the 2023 verdict: dropped
        changed = page.locator('[data-testid="chains-target_changed"]').inner_text()
        assert "目标上调" in changed and "目标下调" in changed
        page.screenshot(path=str(ARTIFACTS / "government-chains.png"), full_page=True)

        with page.expect_download() as download_info:
            page.click('[data-testid="chains-target_changed"] [data-testid="csv-target_changed"]')
        body = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(body)))
        assert [(r["previous_year"], r["plan_year"], r["kind"]) for r in rows] == [
            ("2024", "2025", "target_lowered"), ("2023", "2024", "target_raised"),
        ]

        # From the silence list into the pledge promised again.
        silent.locator("a").nth(1).click()
        assert page.url.endswith(f"/pledge/{chains['farmland_2024']}/")
        browser.close()
    assert outside == []

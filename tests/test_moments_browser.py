"""One truth about time and state (#23, part 2) as readers see it in Chromium, on the example at 1440 and 390 px,
light and dark: the ongoing incident is a banner on the dashboard and never also "in review", its duration says it is
not over, and the planned maintenance reads as its window says at the build's time (`moments.py`); the explorer's row
says the same as the page. The table of every state × source × output is tests/test_moments_invariant.py."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from browser_support import StaticServer, new_page

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000
INCIDENT = "2026-11-30-delivery-slot-booking-errors"  # status: ongoing, no `resolved`: live
MAINTENANCE = "2026-12-09-orders-db-major-upgrade"  # status: ongoing, 2026-12-09 23:00 to 2026-12-10 01:00 UTC
WINDOW = (datetime(2026, 12, 9, 23, 0, tzinfo=timezone.utc), datetime(2026, 12, 10, 1, 0, tzinfo=timezone.utc))


@pytest.fixture(scope="module")
def example(example_site):
    with StaticServer(example_site) as server:
        yield server


def maintenance_reads() -> str:
    """What the maintenance is now, by its window: the example is built with today's clock."""
    now = datetime.now(timezone.utc)
    return "scheduled" if now < WINDOW[0] else "in progress" if now < WINDOW[1] else "completed"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1440, 390])
def test_a_live_incident_is_a_banner_and_never_also_in_review(browser, example, width, scheme):
    page = new_page(browser, TIMEOUT_MS, viewport={"width": width, "height": 900}, color_scheme=scheme)
    try:
        page.goto(f"{example.url}/")
        banner = page.locator(".pm-dashboard__live")
        assert banner.is_visible() and "Happening now" in banner.inner_text()
        assert banner.locator(f'a[href*="{INCIDENT}"]').count() == 1
        assert banner.locator(f'a[href*="{MAINTENANCE}"]').count() == (maintenance_reads() == "in progress")
        waiting = page.locator(".pm-dashboard__waiting")
        assert waiting.locator(f'[data-pm-id="{INCIDENT}"], [data-pm-id="{MAINTENANCE}"]').count() == 0

        page.goto(f"{example.url}/postmortems/{INCIDENT}/")
        card = page.locator(".pm-card").inner_text()
        assert "ongoing" in card and "not over" in card
        assert page.locator(".pm-review-banner").count() == 0  # live: no "In review", no "TODO once resolved"
        assert not [text for text in page.locator(".pm-card__facts dd").all_inner_texts() if not text.strip()]

        page.goto(f"{example.url}/postmortems/{MAINTENANCE}/")
        assert maintenance_reads() in page.locator(".pm-card").inner_text()
    finally:
        page.context.close()


def test_the_explorer_says_what_the_pages_say(browser, example):
    page = new_page(browser, TIMEOUT_MS, viewport={"width": 1440, "height": 900})
    try:
        page.goto(f"{example.url}/postmortems/")
        page.locator(".pm-explorer__count").wait_for()  # the script's rows, not the static table
        for pm_id, state in ((INCIDENT, "ongoing"), (MAINTENANCE, maintenance_reads())):
            row = page.locator(f'.pm-explorer__results tr:has(a[href*="{pm_id}"])')
            assert row.locator(".pm-col-status").inner_text().strip() == state
            assert row.locator(".pm-col-duration").inner_text().strip()  # never blank: "not over…" or planned
    finally:
        page.context.close()

"""`status_site/pages.py`'s pages in Chromium, as readers see them: a status page, not a documentation site (no nav, no
table of contents, no "Made with Material" credit; the team's logo and name in the header, at 1440 and 390 px, light
and dark); a component's uptime bars one Tab stop each, the arrow keys, Home and End moving between days and showing
each day's figures; and axe-core finds nothing serious or critical on the status page, an incident, the history or a
component's page, at both widths, in both schemes.

The example's status site is built once per session (conftest's `public_example_site`) and served from 127.0.0.1.
Outside CI these tests skip when Chromium, Playwright or axe-core is missing; with CI set they fail instead.
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from pathlib import Path

import pytest

from browser_support import StaticServer, axe_in_both_schemes, axe_source, new_page

pytestmark = pytest.mark.browser

TIMEOUT_MS = 10_000
WIDTHS = (1440, 390)
SCHEMES = ("light", "dark")
UPTIME_DAYS = 90  # `status_page.uptime_days`, which the example does not set
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def example(browser, public_example_site):
    """The example's status site, served; `.pages` holds a path of each page type."""
    site = public_example_site
    incidents = json.loads((site / "api" / "v2" / "incidents.json").read_text(encoding="utf-8"))["incidents"]
    with StaticServer(site) as server:
        server.components = [
            component["name"]
            for component in json.loads((site / "api" / "v2" / "components.json").read_text(encoding="utf-8"))[
                "components"
            ]
        ]
        server.pages = {
            "status": "/",
            "incident": f"/incidents/{incidents[0]['id']}/",
            "history": "/history/",
            "component": "/components/checkout/",
        }
        yield server


@contextmanager
def opened(browser, width: int = 1440, scheme: str = "light"):
    """A page in a fresh context at `width` px in `scheme`; what it recorded must be clean at the end."""
    page = new_page(
        browser, TIMEOUT_MS, viewport={"width": width, "height": 900 if width > 500 else 844}, color_scheme=scheme
    )
    try:
        yield page
        page.recorder.assert_clean()
    finally:
        page.context.close()


# --------------------------------------------------------------------------------------------------
# A status page, not a documentation site


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_nav_no_table_of_contents_no_credit_and_the_teams_logo(browser, example, width, scheme):
    with opened(browser, width, scheme) as page:
        for kind, path in example.pages.items():
            page.goto(example.url + path)
            page.wait_for_load_state("networkidle")
            assert not page.locator(".md-sidebar--primary").is_visible(), (kind, "nav")
            assert not page.locator(".md-sidebar--secondary").is_visible(), (kind, "table of contents")
            assert page.get_by_text("Made with").count() == 0, kind
            assert page.locator(".md-footer__inner").count() == 0 or not page.locator(".md-footer__inner").is_visible()
            # the header: the team's logo (mkdocs.public.yml's `theme.logo`) and name, and no menu that opens nothing
            assert page.locator(".md-header__button.md-logo img").is_visible(), kind
            assert "larkspur.svg" in page.locator(".md-header__button.md-logo img").get_attribute("src")
            assert page.locator(".md-header__topic").first.inner_text().strip() == "Larkspur status"
            assert not page.locator('label.md-header__button[for="__drawer"]').is_visible(), kind
            assert page.evaluate("document.documentElement.scrollWidth") <= width, kind
        page.goto(example.url + "/")
        banner = page.locator(".pm-status__banner")
        content = page.locator("article.md-content__inner").bounding_box()
        box = banner.bounding_box()
        assert box["width"] >= content["width"] - 60  # the banner spans the content, at the top
        headings = page.locator("article h1, article .pm-status__banner").evaluate_all("els => els.map(e => e.tagName)")
        assert headings[:2] == ["H1", "DIV"]


def test_every_incident_says_its_status_in_words(browser, example):
    with opened(browser) as page:
        page.goto(example.url + "/history/")
        rows = page.locator(".pm-status__history li.pm-status__incident-row")
        assert rows.count() > 5
        labels = rows.locator(".pm-status__label").all_inner_texts()
        assert len(labels) == rows.count()
        assert set(labels) <= {"Resolved", "Investigating", "Identified", "Monitoring", "Scheduled", "In progress"}
        assert "Resolved" in labels and "Identified" in labels  # the example's live incident, and the rest
        page.goto(example.url + "/")
        live = page.locator(".pm-status__banner li.pm-status__live")
        assert live.count() == 1 and live.locator(".pm-status__label").inner_text() == "Identified"


# --------------------------------------------------------------------------------------------------
# Uptime bars: one Tab stop per component, the arrow keys inside


FOCUSED = """() => {
    const element = document.activeElement;
    const group = element.closest('[data-pm-bars]');
    const bars = group ? [...group.querySelectorAll('.pm-status__bar')] : [];
    const tip = element.querySelector('.pm-status__tip');
    return {
        group: group ? group.getAttribute('aria-label').split(':')[0] : null,
        index: bars.indexOf(element),
        label: element.getAttribute('aria-label'),
        tip: tip && getComputedStyle(tip).display === 'block' ? tip.textContent : null,
        stops: bars.filter(bar => bar.tabIndex === 0).length,
    };
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_tab_reaches_each_components_bars_once(browser, example, width):
    with opened(browser, width) as page:
        page.goto(example.url + "/")
        page.wait_for_load_state("networkidle")
        reached, stops = [], 0
        for _ in range(300):
            page.keyboard.press("Tab")
            stops += 1
            now = page.evaluate(FOCUSED)
            if now["group"]:
                reached.append(now["group"])
                assert now["index"] == UPTIME_DAYS - 1 and now["tip"] == now["label"]  # today's bar, its figures shown
            if page.evaluate("document.activeElement.closest('.pm-status__days') !== null"):
                break  # past the bars: the last days' incidents
        assert reached == example.components  # each component once, in the page's order
        assert stops < 60  # not 720 (8 components × 90 days)


def test_the_arrow_keys_home_and_end_move_between_days_and_show_their_figures(browser, example):
    with opened(browser) as page:
        page.goto(example.url + "/")
        page.wait_for_load_state("networkidle")
        bars = page.locator("[data-pm-bars]").first.locator(".pm-status__bar")
        bars.nth(UPTIME_DAYS - 1).focus()
        for key, index in (
            ("ArrowLeft", 88),
            ("ArrowLeft", 87),
            ("ArrowRight", 88),
            ("Home", 0),
            ("ArrowLeft", 0),
            ("End", 89),
            ("ArrowRight", 89),
            ("Home", 0),
        ):
            page.keyboard.press(key)
            now = page.evaluate(FOCUSED)
            assert (now["group"], now["index"]) == (example.components[0], index), key
            assert now["stops"] == 1  # the day reached is the group's one Tab stop
            assert now["tip"] == now["label"] and re.match(r"\d{4}-\d\d-\d\d: ", now["label"]), key
        page.keyboard.press("Tab")  # out of the group, to the next component's link
        assert page.evaluate(FOCUSED)["group"] is None
        assert page.evaluate("document.activeElement.textContent.trim()") == example.components[1]
        page.keyboard.press("Shift+Tab")  # back to the day last reached
        assert page.evaluate(FOCUSED)["index"] == 0
        page.keyboard.press("Enter")  # a day opens in its component's calendar
        page.wait_for_url(re.compile(r"/components/[a-z-]+/#day-\d{4}-\d\d-\d\d$"))


def test_without_javascript_today_is_the_one_stop_and_the_figures_stay_text(browser, example):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        page.goto(example.url + "/")
        stops = page.locator("[data-pm-bars] .pm-status__bar[tabindex='0']")
        assert stops.count() == len(example.components)
        rows = page.locator("details.pm-status__data tbody tr")
        assert rows.count() == len(example.components)  # each component's figures, as a table
        page.goto(example.url + "/components/checkout/")
        assert page.locator("td.pm-calendar__day").count() == UPTIME_DAYS  # and every day, in its calendar
    finally:
        context.close()


# --------------------------------------------------------------------------------------------------
# axe-core: no serious or critical finding


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_nothing_serious_on_any_status_page(browser, example, width):
    axe = axe_source()
    with opened(browser, width) as page:
        problems = {}
        for kind, path in example.pages.items():
            page.goto(example.url + path)
            page.wait_for_load_state("networkidle")
            if found := axe_in_both_schemes(page, axe):
                problems[kind] = found
        assert problems == {}


# --------------------------------------------------------------------------------------------------
# The screenshot of docs/publishing.md on a phone (only with UPDATE_SCREENSHOTS=1; the image is committed; the one at
# 1280 px, status-page.png, is refreshed by tests/test_public_browser.py)


@pytest.mark.screenshots
def test_refresh_the_phone_screenshot(browser, example):
    with opened(browser, 390, "dark") as page:
        page.goto(example.url + "/")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        page.screenshot(path=str(REPO / "docs" / "images" / "status-page-390-dark.png"), animations="disabled")

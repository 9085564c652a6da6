"""The header's search (`assets/search.js` over the Pagefind index `site_search.py` writes), in Chromium at 1440 and
390 px, light and dark: a button in Material's header and `/` or `s` open it, Escape closes it and focus returns,
Pagefind loads only when it is opened, results are links, a service's page ranks first for its name and a category's
for its, on the example and on a history of 1,000 postmortems, and axe finds nothing serious or critical in it.

The example is conftest's `example_site`; the history is conftest's `history_site`, built once per session."""

from __future__ import annotations

import pytest

from browser_support import StaticServer, axe_in_both_schemes, axe_source, new_page
from test_browser import TIMEOUT_MS

pytestmark = pytest.mark.browser

WIDTHS = (1440, 390)
MANUAL = ("getting-started/", "browsing/", "writing/", "reviewing/", "publishing/", "importing/", "reference/",
          "configuration/", "engines/", "architecture/", "performance/")  # fmt: skip


@pytest.fixture(scope="module")
def example(browser, example_site):
    with StaticServer(example_site) as server:
        yield server


@pytest.fixture(scope="module")
def history(browser, history_site):
    with StaticServer(history_site) as server:
        yield server


def open_page(browser, width: int = 1440, scheme: str = "light", **options):
    height = 900 if width > 500 else 844
    return new_page(browser, TIMEOUT_MS, viewport={"width": width, "height": height}, color_scheme=scheme, **options)


def results_for(page, query: str) -> list[str]:
    """Opens the search with `/`, types `query` and returns the results' first links (each result's page)."""
    if not page.locator("dialog.pm-search[open]").count():
        page.keyboard.press("/")
    page.locator("input.pm-search__input").fill(query)
    page.wait_for_function(
        "q => document.querySelector('.pm-search__status').textContent.includes('“' + q + '”')", arg=query
    )
    return page.locator(".pm-search__result > a.pm-search__link").evaluate_all("links => links.map(a => a.href)")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_search_opens_from_the_header_and_the_keyboard_and_gives_focus_back(browser, example, width):
    page = open_page(browser, width)
    try:
        page.goto(f"{example.url}/postmortems/")
        page.locator(".pm-explorer__count").wait_for()
        button = page.locator("header .pm-search-open")
        assert button.is_visible() and button.get_attribute("aria-label") == "Search"
        assert [url for url in page.recorder.requests if "/pagefind/" in url] == []  # nothing of it before opening
        button.click()
        dialog = page.locator("dialog.pm-search")
        assert dialog.evaluate("d => d.open") and page.evaluate("document.activeElement.id") == "pm-search-input"
        box = dialog.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width  # fits the screen
        page.keyboard.press("Escape")
        assert not dialog.evaluate("d => d.open")
        assert page.evaluate("document.activeElement.classList.contains('pm-search-open')")  # focus came back
        assert any(url.endswith("/pagefind/pagefind.js") for url in page.recorder.requests)

        page.evaluate("document.activeElement.blur()")
        page.keyboard.press("s")
        assert dialog.evaluate("d => d.open")
        page.locator(".pm-search__close").click()
        # typing `s` or `/` in a field types it, and opens nothing
        page.locator("details.pm-explorer__fold").evaluate("d => d.open = true")
        page.locator("input[name=text]").click()
        page.keyboard.type("s/")
        assert not dialog.evaluate("d => d.open") and page.locator("input[name=text]").input_value() == "s/"
        page.wait_for_load_state("networkidle")
        page.recorder.assert_clean()
        assert not [url for url in page.recorder.requests if url.endswith("search_index.json")]
    finally:
        page.context.close()


def test_results_are_links_the_arrows_walk_and_a_result_leads_to_its_page(browser, example):
    page = open_page(browser)
    try:
        page.goto(f"{example.url}/")
        links = results_for(page, "checkout")
        assert len(links) >= 3
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.href") == links[0]
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowUp")
        assert page.evaluate("document.activeElement.href") == links[0]
        page.keyboard.press("Enter")
        page.wait_for_url(links[0])
        assert not page.locator("dialog.pm-search").evaluate("d => d.open")
        page.wait_for_load_state("networkidle")
        page.recorder.assert_clean()
    finally:
        page.context.close()


def test_a_service_ranks_first_for_its_name_above_the_manual_and_a_category_for_its(browser, example):
    page = open_page(browser)
    try:
        page.goto(f"{example.url}/")
        for name in ("checkout", "payments", "search", "orders-db"):
            links = results_for(page, name)
            assert links[0] == f"{example.url}/services/{name}/", (name, links[:3])
        links = results_for(page, "checkout")
        manual = [at for at, url in enumerate(links) if url.removeprefix(example.url + "/") in MANUAL]
        assert all(at > 0 for at in manual), links
        for category in ("config-change", "monitoring-gap"):
            links = results_for(page, category)
            assert links[0] == f"{example.url}/root-causes/#category-{category}", (category, links[:3])
        page.keyboard.press("Escape")
        page.goto(links[0])
        assert page.locator("h2#category-monitoring-gap").count() == 1
        page.recorder.assert_clean()
    finally:
        page.context.close()


def test_on_a_long_history_the_service_and_the_category_page_rank_first(browser, history):
    page = open_page(browser)
    try:
        page.goto(f"{history.url}/")
        assert results_for(page, "checkout")[0] == f"{history.url}/services/checkout/"
        assert results_for(page, "payments")[0] == f"{history.url}/services/payments/"
        # 1,000 postmortems split the root causes by category: the category's own page
        assert results_for(page, "config-change")[0] == f"{history.url}/root-causes/config-change/"
        status = page.inner_text(".pm-search__status")
        assert "the first 10 shown" in status and page.locator(".pm-search__result").count() == 10
        page.locator(".pm-search__more").click()
        page.locator(".pm-search__result").nth(19).wait_for()
        assert page.locator(".pm-search__result").count() == 20
        assert page.evaluate("document.activeElement.closest('.pm-search__result')") is not None
        page.wait_for_load_state("networkidle")
        page.recorder.assert_clean()
    finally:
        page.context.close()


def test_without_javascript_nothing_of_the_search_shows(browser, example):
    page = open_page(browser, java_script_enabled=False)
    try:
        page.goto(f"{example.url}/")
        assert page.locator(".pm-search-open, dialog.pm-search").count() == 0
        assert page.locator("article h1").count() == 1
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_serious_violation_in_the_search(browser, example, width):
    axe = axe_source()
    page = open_page(browser, width)
    try:
        page.goto(f"{example.url}/")
        results_for(page, "checkout")
        assert axe_in_both_schemes(page, axe) == {}
        page.wait_for_load_state("networkidle")
        page.recorder.assert_clean()
    finally:
        page.context.close()

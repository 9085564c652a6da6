"""What a reader downloads (#23, "a reader pays for what they read"), on a history of 1,000 postmortems: the first
view of every page type and one search query, counted by the server as benchmarks/first_view.py counts them (every
byte it sends, uncompressed), against the goal at 5,000 postmortems scaled to 1,000.

The goal at 5,000: a first view of at most 1.5 MB (HTML, JSON, search), a query at most 300 KB more. At 1,000, a
page's own HTML is bounded (long lists are paged) and so are the assets every page shares, while what the explorer's
compact index holds grows with the history: so a first view here must fit in 1.5 MB with its JSON counted five times
over, and in `FIRST_VIEW` as it is. A query loads Pagefind's script and WebAssembly once, then the index chunks of
its words and the fragments of the ten results it shows: `QUERY`. The figures at 1,000 and 5,000, against bare
Material, are in docs/performance.md."""

from __future__ import annotations

import pytest

from browser_support import new_page
from history_support import CountingServer
from test_browser import TIMEOUT_MS

pytestmark = pytest.mark.browser

GOAL = 1_500_000  # bytes of a first view at 5,000 postmortems
GROWTH = 5  # 5,000 / 1,000
FIRST_VIEW = 700_000  # bytes of a first view at 1,000
QUERY = 250_000  # bytes of a query at 1,000 (300 KB at 5,000, where the chunks of a common word are larger)
PAGES = {  # page type -> path, as benchmarks/first_view.py's
    "home": "",
    "postmortem": "postmortems/{pm}/",
    "explorer": "postmortems/",
    "root causes": "root-causes/",
    "action items": "action-items/",
    "services": "services/",
    "service": "services/checkout/",
    "category": "root-causes/config-change/",
    "metrics": "metrics/",
    "communications": "communications/",
}


@pytest.fixture(scope="module")
def history(browser, history_site):
    with CountingServer(history_site) as server:
        shown = sorted(path.parent.name for path in (history_site / "postmortems").glob("2*/index.html"))
        server.postmortem = shown[500]
        yield server


def first_view(browser, server, path: str):
    """A page in a fresh context (an empty cache), once the network is idle: (bytes sent, the paths sent)."""
    page = new_page(browser, TIMEOUT_MS, viewport={"width": 1440, "height": 900})
    server.reset()
    page.goto(f"{server.url}/{path}", wait_until="networkidle")
    return page, server.sent, server.paths


def test_every_first_view_fits_the_budget_and_fetches_no_whole_index(browser, history):
    measured = {}
    for name, path in PAGES.items():
        page, sent, paths = first_view(browser, history, path.format(pm=history.postmortem))
        try:
            assert page.title(), name  # the page is there
            requested = [requested.split("?")[0] for requested, _ in paths]
            assert not [p for p in requested if p.endswith("search_index.json") or "/pagefind/" in p], (name, paths)
            assert not [p for p in requested if p.endswith(("/index.json", "/action-items.json"))], (name, paths)
            measured[name] = (sent, sum(size for requested, size in paths if requested.split("?")[0].endswith(".json")))
            page.recorder.assert_clean()
        finally:
            page.context.close()
    over = {
        name: (sent, json)
        for name, (sent, json) in measured.items()
        if sent > FIRST_VIEW or sent + (GROWTH - 1) * json > GOAL
    }
    assert over == {}, measured


def test_a_query_fits_the_budget_and_loads_only_what_it_shows(browser, history):
    page, _, _ = first_view(browser, history, "")
    try:
        history.reset()
        page.keyboard.press("/")
        page.locator("input.pm-search__input").fill("checkout")
        page.locator(".pm-search__result").nth(9).wait_for()
        page.wait_for_load_state("networkidle")
        sent, paths = history.sent, [path for path, _ in history.paths]
        assert sent <= QUERY, (sent, paths)
        assert len([p for p in paths if p.endswith(".pf_fragment")]) == 10  # the results shown, and no other
        assert len([p for p in paths if p.endswith(".pf_index")]) <= 2  # the chunks of the query's word
        page.recorder.assert_clean()
    finally:
        page.context.close()

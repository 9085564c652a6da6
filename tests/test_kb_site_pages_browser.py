"""The cross-incident pages of `kb_site/pages.py` in Chromium (#23, parts 3 and 4): tables that give text room, orders
said where they are used, sortable tables, summaries before lists, pages bounded at 1,000 postmortems, charts in the
order of their tables, and axe-core on each of these page types, at 1440 and 390 px, light and dark.

Two sites: the example (conftest's `example_site`) and a generated history of 1,000 postmortems (conftest's
`history_site`), each built once per session. Heights are measured, never timed.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import pytest

from browser_support import StaticServer, axe_in_both_schemes, axe_source, new_page, settled
from mkdocs_postmortems.kb_site.indexes import BY_IMPACT, BY_OVERDUE, OVERDUE_FIRST, URGENCY
from test_browser import example_postmortems
from test_browsing_ui import page_types

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000
WIDTHS = (1440, 390)
TALLEST = 15_000  # px at 1440: no page of 1,000 postmortems is taller
# The page types of the cross-incident pages and the postmortem page, by the path of their HTML file.
PAGE_TYPES = {
    "root causes": r"root-causes/index\.html",
    "category": r"root-causes/[^/]+/(\d+/)?index\.html",
    "action items": r"action-items/index\.html",
    "owner": r"action-items/owner/.+index\.html",
    "closed items": r"action-items/(done|wont-do)/.+index\.html",
    "services": r"services/index\.html",
    "service": r"services/[^/]+/index\.html",
    "metrics": r"metrics/index\.html",
    "communications": r"communications/(page/\d+/)?index\.html",
    "filter": r"postmortems/(severity|status|service|category|year|tag)/[^/]+/(\d+/)?index\.html",
    "postmortem": r"postmortems/\d{4}-\d{2}-\d{2}-[^/]+/index\.html",
}
# The cells that hold text: none may break a word inside (a line may end after a hyphen, as in any text), nor overflow.
TEXT_CELLS = ".pm-table td:is(.pm-col-title, .pm-col-incident, .pm-col-name, .pm-col-owner, .pm-col-category, .pm-col-service, .pm-col-wide)"


@pytest.fixture(scope="module")
def thousand(browser, history_site):
    """The history of 1,000 postmortems, served; `.site` is its folder."""
    with StaticServer(history_site) as server:
        server.site = history_site
        yield server


@pytest.fixture(scope="module")
def example(browser, example_site):
    with StaticServer(example_site) as server:
        server.site = example_site
        yield server


@contextmanager
def browsing(browser, width: int, scheme: str = "light", **options):
    """A page in a fresh context at `width` and `scheme`, which must make no foreign request and log no error."""
    viewport = {"width": width, "height": 900 if width > 500 else 844}
    page = new_page(browser, TIMEOUT_MS, viewport=viewport, color_scheme=scheme, **options)
    try:
        yield page
        page.recorder.assert_clean()
    finally:
        page.context.close()


def largest_of_each_type(site: Path) -> dict[str, str]:
    """Page type -> the URL path of its largest HTML file: the tallest page of its type, as the rows make the size."""
    found: dict[str, tuple[int, str]] = {}
    for path in site.rglob("index.html"):
        relative = path.relative_to(site).as_posix()
        for name, pattern in PAGE_TYPES.items():
            if re.fullmatch(pattern, relative):
                size = path.stat().st_size
                if size > found.get(name, (-1, ""))[0]:
                    found[name] = (size, relative)
    return {name: relative.removesuffix("index.html") for name, (_, relative) in found.items()}


def go(page, server, path: str) -> None:
    settled(page, f"{server.url}/{path}")


# --------------------------------------------------------------------------------------------------
# 4. Bounded pages


def test_no_page_of_1000_postmortems_is_taller_than_15000_px(browser, thousand):
    paths = largest_of_each_type(thousand.site)
    assert set(paths) == set(PAGE_TYPES), paths  # a long history has every type
    with browsing(browser, 1440) as page:
        heights = {}
        for name, path in sorted(paths.items()):
            go(page, thousand, path)
            heights[f"{name}: /{path}"] = page.evaluate("document.documentElement.scrollHeight")
        assert {where: px for where, px in heights.items() if px > TALLEST} == {}, heights


def test_each_overview_opens_with_what_matters(browser, thousand):
    with browsing(browser, 1440) as page:
        go(page, thousand, "root-causes/")
        top = page.locator("ol.pm-top-causes > li")
        assert top.count() == 5
        counts = [int(re.search(r"(\d+) incidents", text).group(1)) for text in top.all_inner_texts()]
        assert counts == sorted(counts, reverse=True)
        recurring = [int(n) for n in page.locator(".pm-recurring tbody td.pm-col-count").all_inner_texts()]
        assert counts == recurring[:5]  # the summary is the head of the table that follows
        assert page.locator("ol.pm-top-causes").evaluate(
            "list => list.compareDocumentPosition(document.querySelector('h2#categories')) & 4"
        )  # before the first section

        go(page, thousand, "action-items/")
        owners = page.locator("ol.pm-most-overdue > li")
        assert owners.count() >= 1
        assert page.locator("ol.pm-most-overdue").evaluate(
            "list => list.compareDocumentPosition(document.querySelector('h2#overdue')) & 4"
        )

        go(page, thousand, "services/")
        listed = page.locator("ol.pm-top-services > li a").all_inner_texts()
        ranked = [row[0] for row in service_rows(page)]
        assert listed == ranked[: len(listed)] and len(listed) == 5

        go(page, thousand, "services/checkout/")
        summary = page.locator("article h2#incidents").evaluate(
            "h => [...h.parentElement.children].slice(0, [...h.parentElement.children].indexOf(h))"
            ".map(e => e.innerText).join(' ')"
        )
        assert "The newest incident:" in summary and "recurs most here" in summary
        assert page.locator("article h2#incidents ~ .pm-index tbody tr").count() == 20


# --------------------------------------------------------------------------------------------------
# 3. Tables that give text room

NO_BROKEN_WORDS = """selector => {
    const broken = [];
    for (const cell of document.querySelectorAll(selector)) {
        if (cell.closest('details:not([open])') || !cell.offsetParent) continue;
        if (cell.scrollWidth > cell.clientWidth + 1) broken.push(['overflows', cell.textContent.trim().slice(0, 60)]);
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const text = node.textContent;
            for (const match of text.matchAll(/[^\\s-]+-?|-/g)) {  // a word, or its part up to a hyphen
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
                if (tops.size > 1) broken.push([match[0], cell.className, cell.closest('.pm-table').className]);
            }
        }
    }
    return broken.slice(0, 10);
}"""

OVERFLOW = """() => {
    const wide = document.documentElement.scrollWidth > window.innerWidth;
    const scrolling = [...document.querySelectorAll('.pm-table .md-typeset__scrollwrap')]
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.parentElement.className);
    return {wide, scrolling};
}"""


def page_paths(site: Path) -> list[str]:
    return [path for _, path in sorted(largest_of_each_type(site).items())]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("which", ["example", "thousand"])
def test_tables_fit_the_width_and_break_no_word(browser, request, which, width):
    server = request.getfixturevalue(which)
    with browsing(browser, width) as page:
        problems = {}
        for path in page_paths(server.site):
            go(page, server, path)
            overflow = page.evaluate(OVERFLOW)
            broken = page.evaluate(NO_BROKEN_WORDS, TEXT_CELLS)
            if overflow["wide"] or overflow["scrolling"] or broken:
                problems[path] = {**overflow, "broken": broken}
        assert problems == {}


def test_every_table_of_these_pages_is_cards_on_a_phone(browser, thousand):
    with browsing(browser, 390) as page:
        for path in ("root-causes/", "action-items/", "services/", "communications/", "metrics/"):
            go(page, thousand, path)
            shown = page.locator("article .pm-table table").evaluate_all(
                """tables => tables.filter(t => t.offsetParent).map(t => [
                    getComputedStyle(t).display, getComputedStyle(t.tHead).position,
                    [...t.tBodies[0].rows[0].cells].filter(c => c.dataset.label).length])"""
            )
            assert shown, path
            for display, head, labelled in shown:
                assert display == "block" and head == "absolute" and labelled >= 1, (path, shown)


def test_dates_times_and_badges_never_wrap(browser, example):
    with browsing(browser, 390) as page:
        for path in ("communications/", "action-items/"):
            go(page, example, path)
            wrapped = page.locator(".pm-table :is(time, .pm-badge, td.pm-col-due)").evaluate_all(
                """nodes => nodes.filter(n => n.offsetParent).filter(n => {
                    const range = document.createRange(); range.selectNodeContents(n);
                    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
                }).map(n => n.textContent.trim())"""
            )
            assert wrapped == [], path


# --------------------------------------------------------------------------------------------------
# 3. Every order said where it is used, and the tables that sort


def paragraph_before(page, selector: str) -> str:
    return " ".join(
        page.locator(selector)
        .first.evaluate(
            """table => { let node = table.closest('.pm-sortable') || table.closest('.pm-table');
                while (node && node.tagName !== 'P') node = node.previousElementSibling; return node ? node.innerText : ''; }"""
        )
        .split()
    )


def service_rows(page) -> list[tuple[str, float]]:
    return [
        (name, float(value or -1))
        for name, value in page.locator(".pm-services tbody tr").evaluate_all(
            "rows => rows.map(r => [r.cells[0].innerText.trim(), r.cells[2].dataset.sortValue])"
        )
    ]


def test_each_list_says_its_order_and_keeps_it_without_javascript(browser, thousand):
    with browsing(browser, 1440, java_script_enabled=False) as page:
        go(page, thousand, "action-items/")
        for heading in ("overdue", "open"):
            assert URGENCY in paragraph_before(page, f"h2#{heading} ~ .pm-sortable table"), heading
        assert "priority ranks before the due date" in paragraph_before(page, "h2#overdue ~ .pm-sortable table")
        assert BY_OVERDUE in paragraph_before(page, ".pm-owners table")
        overdue = [int(n) for n in page.locator(".pm-owners tbody td:nth-child(3)").all_inner_texts()]
        assert overdue == sorted(overdue, reverse=True)
        assert page.locator("button.pm-sort").count() == 0  # the static page: its order, stated

        go(page, thousand, "action-items/owner/team-sre/")
        assert OVERDUE_FIRST in " ".join(page.locator("article").inner_text().split())
        late = page.locator(".pm-item-list tbody tr").evaluate_all(
            "rows => rows.map(r => !!r.querySelector('.pm-badge--overdue'))"
        )
        assert late == sorted(late, reverse=True)

        go(page, thousand, "services/")
        assert BY_IMPACT in paragraph_before(page, ".pm-services table")
        impact = [value for _, value in service_rows(page)]
        assert impact == sorted(impact, reverse=True)


def dues(page, scope: str) -> list[str]:
    return page.locator(f"{scope} tbody td.pm-col-due").all_inner_texts()


def test_action_items_sort_by_due_date_and_back(browser, thousand):
    with browsing(browser, 1440) as page:
        go(page, thousand, "action-items/owner/team-sre/")
        table = ".pm-sortable"
        stated = page.locator(f"{table} code.pm-item-id").all_inner_texts()
        due = page.locator(f"{table} th.pm-col-due")
        due.locator("button.pm-sort").click()
        ascending = dues(page, table)
        filled = [d for d in ascending if d]
        assert filled == sorted(filled) and ascending[: len(filled)] == filled  # empty last
        assert due.get_attribute("aria-sort") == "ascending"
        due.locator("button.pm-sort").click()
        descending = [d for d in dues(page, table) if d]
        assert descending == sorted(descending, reverse=True) and due.get_attribute("aria-sort") == "descending"
        due.locator("button.pm-sort").click()  # a third click: the stated order again
        assert page.locator(f"{table} code.pm-item-id").all_inner_texts() == stated
        assert due.get_attribute("aria-sort") is None
        assert "Sorted by" not in page.locator(".pm-sort-status").inner_text()


def test_services_and_owners_sort_by_any_column_on_a_phone_too(browser, thousand):
    with browsing(browser, 390) as page:
        go(page, thousand, "services/")
        page.locator(".pm-services .pm-sort-bar select").select_option(label="Incidents, ascending")
        counts = page.locator(".pm-services tbody td:nth-child(2)").evaluate_all(
            "cells => cells.map(c => parseInt(c.textContent))"
        )
        assert counts == sorted(counts)
        assert page.locator(".pm-services th:nth-child(2)").get_attribute("aria-sort") == "ascending"
        assert page.locator(".pm-services thead").evaluate("h => getComputedStyle(h).position") == "absolute"
        go(page, thousand, "action-items/")
        page.locator(".pm-owners .pm-sort-bar select").select_option(label="Owner, descending")
        assert page.locator(".pm-owners th:first-child").get_attribute("aria-sort") == "descending"
    with browsing(browser, 1440) as desktop:
        go(desktop, thousand, "services/")
        assert not desktop.locator(".pm-services .pm-sort-bar").is_visible()
        desktop.locator(".pm-services th:nth-child(1) button.pm-sort").click()
        names = [name for name, _ in service_rows(desktop)]
        assert names == sorted(names)


# --------------------------------------------------------------------------------------------------
# 4. Charts in the order of their tables, and small multiples


def chart_labels(page, chart: str, pattern: str) -> list[list[str]]:
    """Per panel (or the chart), the x-axis labels matching `pattern`, left to right."""
    return page.locator(chart).evaluate(
        """(svg, pattern) => {
            const groups = svg.querySelectorAll('.pm-chart__panel').length ? [...svg.querySelectorAll('.pm-chart__panel')] : [svg];
            return groups.map(g => [...g.querySelectorAll('text')].filter(t => new RegExp(pattern).test(t.textContent))
                .sort((a, b) => a.getBBox().x - b.getBBox().x).map(t => t.textContent));
        }""",
        pattern,
    )


def in_order(shown: list[str], table: list[str]) -> bool:
    """`shown` (a chart's thinned labels) is a subsequence of `table`, in the same order."""
    positions = [table.index(label) for label in shown]
    return len(shown) >= 2 and positions == sorted(positions)


@pytest.mark.parametrize("which", ["example", "thousand"])
def test_charts_run_in_the_order_of_their_tables(browser, request, which):
    server = request.getfixturevalue(which)
    with browsing(browser, 1440) as page:
        go(page, server, "root-causes/")
        header = [t.strip() for t in page.locator(".pm-trend thead th").all_inner_texts()][1:]
        assert header == sorted(header, reverse=True)  # newest first
        assert in_order(chart_labels(page, "svg#pm-trend-chart", r"^\d{4}-Q\d$")[0], header)
        assert "newest first, in the chart (left to right) as in the table" in page.locator("h2#trend + p").inner_text()

        go(page, server, "metrics/")
        months = page.locator("details.pm-data tbody td.pm-col-name").all_text_contents()
        assert months == sorted(months, reverse=True)
        assert in_order(chart_labels(page, "svg#pm-incidents-per-month", r"^\d{4}-\d{2}$")[0], months)
        for measure in ("detect", "resolve"):
            chart = f"svg#pm-quarterly-{measure}"
            quarters = list(
                dict.fromkeys(
                    page.locator(chart).evaluate(
                        "svg => [...svg.nextElementSibling.querySelectorAll('tbody td.pm-col-name')].map(c => c.textContent)"
                    )
                )
            )
            panels = chart_labels(page, chart, r"^\d{4}-Q\d$")
            severities = page.locator(f"{chart} .pm-chart__panel > text:first-of-type").all_text_contents()
            assert len(panels) == len(severities) >= 1, (measure, severities)  # a small plot per severity
            assert all(in_order(labels, quarters) or len(quarters) == 1 for labels in panels), (panels, quarters)


# --------------------------------------------------------------------------------------------------
# axe-core on each page type changed here, at both widths, in both schemes


def axe_paths(example_site: Path, thousand_site: Path) -> list[tuple[str, str]]:
    """(site, path): every page type of the example, at its largest, and those only a long history has (a category's
    page, a year of closed items). A page test_browsing_ui's axe test checks at the same widths and schemes (the
    overviews) is not checked twice."""
    here = largest_of_each_type(example_site)
    there = largest_of_each_type(thousand_site)
    checked = set(page_types(example_postmortems()))
    return [("example", path) for path in here.values() if path not in checked] + [
        ("thousand", path) for name, path in there.items() if name not in here
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_serious_violation_on_these_pages(browser, example, thousand, width):
    axe = axe_source()
    servers = {"example": example, "thousand": thousand}
    with browsing(browser, width) as page:
        problems = {}
        for which, path in axe_paths(example.site, thousand.site):
            go(page, servers[which], path)
            # the long history's pages differ from the example's only in their article: axe checks that
            scope = None if which == "example" else "article"
            if found := axe_in_both_schemes(page, axe, scope):
                problems[f"{which}: {path}"] = found
        assert problems == {}

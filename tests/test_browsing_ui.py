"""Browsing that people enjoy (#13, #23), in Chromium: tables that fit at 1440 and 390 px, filters that combine with
a shareable URL of their own (`?text=`, never Material's `?q=`), chips that remove a filter, sorting by the table's
head or a menu a phone shows, filters folded on a phone, visible focus and a skip link, rows with the static table's
cells, on the example and on a history of 1,000 postmortems; the home dashboard against an independent count, the
print layout, and axe-core in the light and the dark scheme on every page type.

Expected figures are counted here from the example's front matter with PyYAML (helpers from test_browser.py),
independently of the plugin. axe-core comes from `AXE_PATH` or tests/.axe (see browser_support.axe_source).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from browser_support import StaticServer, axe_in_both_schemes, axe_source, new_page, settled, table_rows
from mkdocs_postmortems.kb_site.urls import slugify
from test_browser import (
    REPO,
    TIMEOUT_MS,
    action_items_of,
    as_moment,
    example_postmortems,
    is_overdue,
    postmortem_id,
    today_utc,
)

pytestmark = pytest.mark.browser

WIDTHS = (1440, 390)


@pytest.fixture(scope="module")
def example(browser, example_site):
    shown = example_postmortems()
    with StaticServer(example_site) as server:
        server.postmortems = shown
        yield server


def open_page(browser, width: int, scheme: str = "light"):
    return new_page(
        browser, TIMEOUT_MS, viewport={"width": width, "height": 900 if width > 500 else 844}, color_scheme=scheme
    )


def in_review(shown: dict[str, dict]) -> str:
    return next(pm_id for pm_id, fm in sorted(shown.items()) if fm.get("status") != "published")


def first_open_item_postmortem(shown: dict[str, dict]) -> str:
    return next(
        pm_id
        for pm_id, fm in sorted(shown.items())
        if any(item.get("status") in ("open", "in-progress") for item in fm.get("action_items") or [])
    )


# --------------------------------------------------------------------------------------------------
# 1. Tables that fit


ROW_CELLS = """rows => rows.filter(row => !row.closest('details:not([open])')).map(row => {
    const box = cell => { const c = row.querySelector(cell); if (!c) return null;
                          const r = c.getBoundingClientRect(); return [r.left, r.right, r.width]; };
    return {id: row.id, title: box('.pm-col-title'), status: box('.pm-col-status'), due: box('.pm-col-due')};
})"""


@pytest.mark.parametrize("width", WIDTHS)
def test_title_state_and_due_of_every_row_are_in_view_without_scrolling_sideways(browser, example, width):
    shown = example.postmortems
    page = open_page(browser, width)
    try:
        for path in (
            "",  # the dashboard's latest incidents (its grid's panels once stood 2 px past a 390 px screen)
            "action-items/",
            f"postmortems/{first_open_item_postmortem(shown)}/",
            "postmortems/",
            "services/checkout/",
        ):
            page.goto(f"{example.url}/{path}")
            page.wait_for_load_state("networkidle")
            inner = page.evaluate("window.innerWidth")
            assert page.evaluate("document.documentElement.scrollWidth") <= inner, f"{path} scrolls sideways"
            rows = page.locator(".pm-item-list tbody tr, .pm-own-items tbody tr, .pm-index tbody tr").evaluate_all(
                ROW_CELLS
            )
            assert rows, path
            for row in rows:
                for name in ("title", "status", "due"):
                    box = row[name]
                    if box is not None:
                        left, right, cell_width = box
                        assert cell_width > 0 and left >= 0 and right <= inner + 0.5, (path, width, row)
            # no list table hides a column behind its own horizontal scrolling either
            hidden = page.locator(
                ".pm-item-list .md-typeset__scrollwrap, .pm-own-items .md-typeset__scrollwrap, "
                ".pm-index .md-typeset__scrollwrap"
            ).evaluate_all("wraps => wraps.filter(w => w.scrollWidth > w.clientWidth + 1).length")
            assert hidden == 0, path
        page.recorder.assert_clean()
    finally:
        page.context.close()


def test_no_cell_of_a_card_runs_past_it_on_a_phone(browser, example):
    page = open_page(browser, 390)
    try:
        for path in ("", "postmortems/", "action-items/"):
            page.goto(f"{example.url}/{path}")
            page.wait_for_load_state("networkidle")
            cut = page.locator(".pm-index tbody td, .pm-item-list tbody td").evaluate_all(
                "cells => cells.filter(c => c.offsetParent && c.scrollWidth > c.clientWidth + 1).map(c => c.innerText)"
            )
            assert cut == [], path
        page.recorder.assert_clean()
    finally:
        page.context.close()


def test_done_and_wont_do_items_are_folded_and_a_link_into_the_fold_opens_it(browser, example):
    items = action_items_of(example.postmortems)
    done = sorted(i for i, item in items.items() if item.get("status") == "done")
    page = open_page(browser, 1440)
    try:
        page.goto(f"{example.url}/action-items/")
        folds = page.locator("article h2#done ~ details.pm-fold")
        assert folds.count() == 2 and not folds.first.evaluate("d => d.open")
        pm_id, number = done[0].split("#")
        page.goto(f"{example.url}/action-items/#ai-{pm_id}-{number}")
        row = page.locator(f"tr#ai-{pm_id}-{number}")
        row.wait_for(state="visible")
        assert row.evaluate("r => r.closest('details').open")
        page.recorder.assert_clean()
    finally:
        page.context.close()


# --------------------------------------------------------------------------------------------------
# 2. Explore: filters that combine, counts, a shareable URL, sorting


def listed_ids(page) -> list[str]:
    return [
        postmortem_id(url)
        for url in page.locator(".pm-explorer__results tbody .pm-col-title a").evaluate_all(
            "links => links.map(a => a.href)"
        )
    ]


def categories_of(fm: dict) -> set[str]:
    return {cause.get("category") for cause in fm.get("root_causes") or []}


def test_postmortem_filters_combine_count_the_selection_and_live_in_the_url(browser, example):
    shown = example.postmortems
    config_change = {pm_id for pm_id, fm in shown.items() if "config-change" in categories_of(fm)}
    severity = Counter(shown[pm_id]["severity"] for pm_id in config_change).most_common(1)[0][0]
    both = {pm_id for pm_id in config_change if shown[pm_id]["severity"] == severity}
    assert 1 <= len(both) < len(config_change) < len(shown), "the example should make the filters matter"

    page = open_page(browser, 1440)
    try:
        page.goto(f"{example.url}/postmortems/?category=config-change")
        page.locator(".pm-explorer__count").wait_for()
        assert set(listed_ids(page)) == config_change
        assert page.inner_text(".pm-explorer__count").startswith(f"{len(config_change)} of {len(shown)} postmortems")
        # each option counts what it would select together with the other filters
        option = page.locator(f'select[name="severity"] option[value="{severity}"]').inner_text()
        assert option == f"{severity} ({len(both)})"
        page.select_option('select[name="severity"]', severity)
        assert set(listed_ids(page)) == both
        assert page.inner_text(".pm-explorer__count").startswith(f"{len(both)} of {len(shown)} postmortems")
        query = page.evaluate("location.search")
        assert "category=config-change" in query and f"severity={severity}" in query

        shared = page.url  # the address reproduces the selection
        other = open_page(browser, 390)
        try:
            other.goto(shared)
            other.locator(".pm-explorer__count").wait_for()
            assert set(listed_ids(other)) == both
            assert other.locator('select[name="severity"]').input_value() == severity
        finally:
            other.context.close()

        word = next(iter(sorted(both)))
        title = shown[word]["title"]
        page.fill('input[name="text"]', title.split()[0] + " " + title.split()[-1])
        assert word in listed_ids(page) and set(listed_ids(page)) <= both
        assert "text=" in page.evaluate("location.search") and "q=" not in page.evaluate("location.search")
        page.recorder.assert_clean()
    finally:
        page.context.close()


def test_a_filter_page_starts_from_its_own_value_and_works_without_javascript(browser, example):
    shown = example.postmortems
    config_change = {pm_id for pm_id, fm in shown.items() if "config-change" in categories_of(fm)}
    page = open_page(browser, 1440)
    try:
        page.goto(f"{example.url}/postmortems/category/config-change/")
        page.locator(".pm-explorer__count").wait_for()
        assert set(listed_ids(page)) == config_change
    finally:
        page.context.close()
    static = new_page(browser, TIMEOUT_MS, viewport={"width": 1440, "height": 900}, java_script_enabled=False)
    try:
        static.goto(f"{example.url}/postmortems/category/config-change/")
        links = static.locator(".pm-index tbody .pm-col-title a").evaluate_all("links => links.map(a => a.href)")
        assert {postmortem_id(url) for url in links} == config_change
        assert static.locator(".pm-explorer").count() == 0
    finally:
        static.context.close()


def lasted(site: Path) -> dict[str, float]:
    """ID -> minutes customers were affected, as the export says (`state.minutes`; tests/test_moments_invariant.py
    holds it to the front matter), -1 while not known: what the explorer's Duration sorts by."""
    records = json.loads((site / "postmortems" / "index.json").read_text(encoding="utf-8"))["postmortems"]
    return {r["id"]: -1 if r["state"]["minutes"] is None else r["state"]["minutes"] for r in records}


def test_sorting_by_a_column_and_back(browser, example):
    shown = example.postmortems
    page = open_page(browser, 1440)
    try:
        page.goto(f"{example.url}/postmortems/")
        page.locator(".pm-explorer__count").wait_for()
        page.click('.pm-explorer__results button[data-sort="duration"]')
        ascending = [lasted(example.directory)[pm_id] for pm_id in listed_ids(page)]
        assert ascending == sorted(ascending) and len(ascending) == len(shown)
        assert "sort=duration%3Aasc" in page.evaluate("location.search") or "sort=duration:asc" in page.url
        assert (
            page.get_attribute('.pm-explorer__results th:has(button[data-sort="duration"])', "aria-sort") == "ascending"
        )
        page.click('.pm-explorer__results button[data-sort="duration"]')
        descending = [lasted(example.directory)[pm_id] for pm_id in listed_ids(page)]
        assert descending == sorted(descending, reverse=True)
        page.click('.pm-explorer__results button[data-sort="title"]')
        titles = [shown[pm_id]["title"].lower() for pm_id in listed_ids(page)]
        assert titles == sorted(titles)
        page.recorder.assert_clean()
    finally:
        page.context.close()


def test_action_item_filters_combine_state_and_owner(browser, example):
    today = today_utc()
    items = action_items_of(example.postmortems)
    overdue = {i for i, item in items.items() if is_overdue(item, today)}
    owner = Counter(items[i]["owner"] for i in overdue).most_common(1)[0][0]
    expected = {i for i in overdue if items[i]["owner"] == owner}
    page = open_page(browser, 1440)
    try:
        page.goto(f"{example.url}/action-items/?state=overdue&owner={owner}")
        box = page.locator("details.pm-explorer-box")
        box.locator(".pm-explorer__results").wait_for()
        assert box.evaluate("d => d.open")  # a shared URL opens the explorer
        ids = box.locator("tbody code.pm-item-id").all_inner_texts()
        assert set(ids) == expected
        assert (
            box.locator(".pm-explorer__count").inner_text().startswith(f"{len(expected)} of {len(items)} action items")
        )
        page.click('.pm-explorer__results button[data-sort="due"]')
        dues = [items[i].get("due") for i in box.locator("tbody code.pm-item-id").all_inner_texts()]
        assert dues == sorted(dues) or dues == sorted(dues, reverse=True)
        page.recorder.assert_clean()
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def history(browser, history_site):
    """A history of 1,000 synthetic postmortems (conftest's `history_site`, built once per session), served."""
    with StaticServer(history_site) as server:
        yield server


ROW_MARKUP = """rows => rows.map(row => [row.dataset.severity || row.dataset.status || '',
    [...row.querySelectorAll('.pm-badge, a, time, code')].map(node => node.tagName + '.' + node.className + ':'
        + (node.getAttribute('datetime') || '') + (node.getAttribute('href') || '') + node.textContent.trim())])"""


def static_and_scripted(browser, server, path: str, static: str, scripted: str, key: str = "a") -> tuple[dict, dict]:
    """Each row of `path` without JavaScript (the tables `static` matches) and with it (`scripted`), by the text of
    its first `key` element: (cells' text without white space, which templates leave where they like; the badges,
    links, times and codes in it)."""
    found = []
    for script in (False, True):
        page = new_page(browser, TIMEOUT_MS, viewport={"width": 1440, "height": 900}, java_script_enabled=script)
        try:
            page.goto(f"{server.url}/{path}")
            if script:
                page.locator(f"{scripted} tbody tr").first.wait_for()
            tables = page.locator(scripted if script else static)
            keys = tables.locator("tbody tr").evaluate_all(
                f"rows => rows.map(row => row.querySelector('{key}').textContent.trim())"
            )
            cells = [tuple(re.sub(r"\s+", "", cell) for cell in row) for row in table_rows(tables)]
            markup = tables.locator("tbody tr").evaluate_all(ROW_MARKUP)
            rows = dict(zip(keys, zip(cells, (str(found) for found in markup), strict=True), strict=True))
            found.append(rows)
        finally:
            page.context.close()
    return found[0], found[1]


def test_the_scripts_rows_show_the_static_tables_cells(browser, example, history):
    for server in (example, history):
        static, scripted = static_and_scripted(browser, server, "postmortems/", ".pm-index", ".pm-explorer__results")
        assert static and set(static) <= set(scripted)
        assert {key: scripted[key] for key in static} == static  # badges, "unknown", "maintenance", problems...
    cells = " ".join(" ".join(cells) for cells, _ in scripted.values())
    assert "problem" in cells  # the history has files with problems: the badge survives the script
    example_rows = static_and_scripted(browser, example, "postmortems/", ".pm-index", ".pm-explorer__results")[1]
    shown = " ".join(" ".join(cells) for cells, _ in example_rows.values())
    assert "maintenance" in shown
    static, scripted = static_and_scripted(
        browser,
        example,
        "action-items/?state=",
        ".pm-item-list:not(.pm-explorer__results)",
        ".pm-explorer__results",
        key="code.pm-item-id",
    )
    assert static and {key: scripted[key] for key in static} == static


def test_show_more_shows_only_while_there_is_more(browser, example, history):
    page = open_page(browser, 1440)
    try:
        page.goto(f"{history.url}/postmortems/")
        more = page.locator(".pm-explorer__more")
        more.wait_for()
        assert more.is_visible() and page.locator(".pm-explorer__results tbody tr").count() == 200
        more.click()
        assert page.locator(".pm-explorer__results tbody tr").count() == 400
        assert page.evaluate("document.activeElement.closest('tr')") is not None  # on the first new row
        page.goto(f"{example.url}/postmortems/?severity=SEV1")
        page.locator(".pm-explorer__count").wait_for()
        rows = page.locator(".pm-explorer__results tbody tr").count()
        assert 0 < rows < 200 and page.inner_text(".pm-explorer__count").startswith(f"{rows} of ")
        assert not more.is_visible() and more.evaluate("b => getComputedStyle(b).display") == "none"
        page.recorder.assert_clean()
    finally:
        page.context.close()


def test_an_old_link_with_q_filters_by_text_and_opens_no_search(browser, example):
    shown = example.postmortems
    pm_id = sorted(shown)[0]
    word = shown[pm_id]["title"].split()[-1]
    page = open_page(browser, 1440)
    try:
        page.goto(f"{example.url}/postmortems/?q={word}")
        page.locator(".pm-explorer__count").wait_for()
        assert pm_id in listed_ids(page)
        assert page.locator('input[name="text"]').input_value() == word
        assert page.evaluate("location.search") == f"?text={word}"
        assert page.locator("dialog.pm-search[open], .md-search__overlay:visible").count() == 0
        page.recorder.assert_clean()
    finally:
        page.context.close()


def test_each_active_filter_is_a_chip_that_removes_it(browser, example):
    page = open_page(browser, 390)
    try:
        page.goto(f"{example.url}/postmortems/?severity=SEV2&category=config-change&text=the")
        chips = page.locator(".pm-explorer__chip")
        chips.first.wait_for()
        assert chips.all_inner_texts() == ["Severity: SEV2 ×", "Category: config-change ×", "Text: the ×"]
        assert chips.first.get_attribute("aria-label") == "Remove filter Severity: SEV2"
        assert page.inner_text("details.pm-explorer__fold > summary") == "Filters (3 active)"
        chips.nth(1).click()
        assert chips.all_inner_texts() == ["Severity: SEV2 ×", "Text: the ×"]
        assert "category" not in page.evaluate("location.search")
        assert page.evaluate("document.activeElement.classList.contains('pm-explorer__chip')")
        chips.first.click()
        chips.first.click()
        assert chips.count() == 0 and page.evaluate("location.search") == ""
        assert page.evaluate("document.activeElement.tagName") == "SUMMARY"  # the filters, folded on a phone
        page.recorder.assert_clean()
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_filters_fold_and_a_menu_sorts(browser, example, scheme):
    page = open_page(browser, 390, scheme)
    try:
        page.goto(f"{example.url}/postmortems/?severity=SEV2")
        fold = page.locator("details.pm-explorer__fold")
        fold.wait_for()
        assert not fold.evaluate("d => d.open") and fold.locator("summary").inner_text() == "Filters (1 active)"
        assert not page.locator('input[name="text"]').is_visible()
        sort = page.locator("select[name=sort]")
        assert sort.is_visible()
        box = sort.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        sort.select_option("duration:desc")
        minutes = [lasted(example.directory)[pm_id] for pm_id in listed_ids(page)]
        assert minutes == sorted(minutes, reverse=True)
        assert "sorted by duration, longest first" in page.inner_text(".pm-explorer__count")
        assert "sort=duration%3Adesc" in page.evaluate("location.search")
        fold.locator("summary").click()
        assert page.locator('input[name="text"]').is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        page.context.close()
    wide = open_page(browser, 1440, scheme)
    try:
        wide.goto(f"{example.url}/postmortems/")
        wide.locator(".pm-explorer__count").wait_for()
        assert wide.locator("details.pm-explorer__fold").evaluate("d => d.open")
        assert wide.inner_text(".pm-explorer__count").endswith("sorted by date, newest first")
    finally:
        wide.context.close()


FOCUS = """() => { const e = document.activeElement, s = getComputedStyle(e);
    const classes = [...e.classList].filter(name => name !== 'focus-visible').join(' ');
    return [e.tagName + (e.name ? '[' + e.name + ']' : '') + '.' + classes,
            s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2]; }"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_skip_link_leads_to_the_filters_and_every_control_shows_focus(browser, example, scheme):
    page = open_page(browser, 1440, scheme)
    try:
        page.goto(f"{example.url}/postmortems/?severity=SEV2")
        page.locator(".pm-explorer__count").wait_for()
        page.keyboard.press("Tab")
        skip = page.locator("a.pm-skip")
        assert page.evaluate(FOCUS) == ["A.md-skip pm-skip", True] and skip.is_visible()
        assert skip.inner_text() == "Skip to the filters and results"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "pm-explorer-postmortems"
        seen = []
        for _ in range(30):  # every control of the explorer, in order, each with a visible focus ring
            page.keyboard.press("Tab")
            if not page.evaluate("document.activeElement.closest('.pm-explorer-ui') !== null"):
                break
            seen.append(page.evaluate(FOCUS))
        names = [name for name, _ in seen]
        assert names[0].startswith("SUMMARY") and names[1] == "INPUT[text].pm-explorer__text"  # the text filter: 3rd
        assert any("pm-explorer__chip" in name for name in names) and any("SELECT[sort]" in name for name in names)
        assert any(name.startswith("BUTTON") and "pm-sort" in name for name in names)
        assert [name for name, visible in seen if not visible] == []
        page.recorder.assert_clean()
    finally:
        page.context.close()


def test_the_explorers_load_their_compact_indexes_and_the_action_items_only_when_opened(browser, history):
    page = open_page(browser, 1440)
    try:
        page.goto(f"{history.url}/postmortems/")
        page.locator(".pm-explorer__count").wait_for()
        page.wait_for_load_state("networkidle")
        fetched = {url.removeprefix(history.url) for url in page.recorder.requests if url.endswith(".json")}
        assert fetched == {"/postmortems/explore.json"}  # not index.json, nor the words only the text filter reads
        # the words come when the reader types (after the filter's pause), not with the page: wait for that request,
        # as the network was idle before the typing and a wait for idleness would return at once
        with page.expect_request(lambda request: request.url.endswith("/postmortems/explore-text.json")):
            page.fill('input[name="text"]', "latency")
        page.wait_for_load_state("networkidle")
        page.goto(f"{history.url}/action-items/")
        page.wait_for_load_state("networkidle")
        assert not [url for url in page.recorder.requests if "action-items/" in url and url.endswith(".json")]
        page.locator("details.pm-explorer-box > summary").click()
        page.locator("details.pm-explorer-box .pm-explorer__results tbody tr").first.wait_for()
        assert any(url.endswith("/action-items/explore.json") for url in page.recorder.requests)
        assert not any(url.endswith("/action-items/action-items.json") for url in page.recorder.requests)
        assert page.inner_text("details.pm-explorer-box > summary").startswith("Filter and sort all ")
        page.recorder.assert_clean()
    finally:
        page.context.close()


# --------------------------------------------------------------------------------------------------
# 3. The dashboard, against an independent count


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def test_dashboard_figures_agree_with_the_front_matter(browser, example):
    shown = example.postmortems
    today = today_utc()
    items = action_items_of(shown)
    overdue = Counter(item["owner"] for i, item in items.items() if is_overdue(item, today))
    # awaiting review: a draft or a review; never a live record (an ongoing incident, a maintenance not over) nor history
    waiting = {pm_id for pm_id, fm in shown.items() if fm.get("status") in ("draft", "in-review")}
    assert overdue and waiting, "the example should have overdue items and a postmortem in review"
    this = quarter_of(today)
    last = quarter_of(date(today.year - 1, 12, 1) if today.month <= 3 else date(today.year, today.month - 3, 1))
    incidents = {pm_id: fm for pm_id, fm in shown.items() if fm.get("kind", "incident") != "maintenance"}
    per_quarter = Counter(quarter_of(as_moment(fm["started"]).date()) for fm in incidents.values())
    newest = sorted(incidents, key=lambda pm_id: as_moment(incidents[pm_id]["started"]), reverse=True)[:5]

    page = open_page(browser, 1440)
    try:
        page.goto(f"{example.url}/")
        page.locator(".pm-dashboard").wait_for()
        shown_owners = dict(
            zip(
                page.locator(".pm-dashboard__owners li").evaluate_all("items => items.map(li => li.dataset.owner)"),
                [int(text) for text in page.locator(".pm-dashboard__owners li strong").all_inner_texts()],
                strict=True,
            )
        )
        assert shown_owners == dict(overdue)
        assert (
            set(page.locator(".pm-dashboard__waiting li").evaluate_all("items => items.map(li => li.dataset.pmId)"))
            == waiting
        )
        latest = [
            postmortem_id(url)
            for url in page.locator(".pm-dashboard__latest tbody .pm-col-title a").evaluate_all(
                "links => links.map(a => a.href)"
            )
        ]
        assert latest == newest
        rows = {
            row.get_attribute("data-quarter"): row.locator("td").nth(1).inner_text()
            for row in page.locator(".pm-dashboard__quarter-table tbody tr").all()
        }
        assert rows == {this: str(per_quarter.get(this, 0)), last: str(per_quarter.get(last, 0))}
        page.recorder.assert_clean()
    finally:
        page.context.close()


# --------------------------------------------------------------------------------------------------
# 4. The postmortem page: review banner, links


def test_a_postmortem_in_review_has_a_banner_and_its_facts_link(browser, example):
    shown = example.postmortems
    pm_id = in_review(shown)
    page = open_page(browser, 1440)
    try:
        page.goto(f"{example.url}/postmortems/{pm_id}/")
        banner = page.locator(".pm-review-banner")
        assert banner.is_visible()
        text = banner.inner_text()
        assert "In review" in text and re.search(r"\d{4}-\d{2}-\d{2}", text), text
        services = page.locator(".pm-card a.pm-badge--service").all_inner_texts()
        assert services == shown[pm_id]["services"]
        categories = page.locator(".pm-root-causes .pm-col-category a").all_inner_texts()
        assert categories == [cause["category"] for cause in shown[pm_id].get("root_causes") or []]
        page.recorder.assert_clean()
    finally:
        page.context.close()


def test_metrics_dots_name_and_link_their_incident(browser, example):
    shown = example.postmortems
    page = open_page(browser, 390)
    try:
        page.goto(f"{example.url}/metrics/")
        links = page.locator("svg#pm-response-times a")
        assert links.count() >= len(shown)
        targets = links.evaluate_all("links => links.map(a => a.getAttribute('xlink:href') || a.href.baseVal)")
        assert {postmortem_id(url) for url in targets} <= set(shown)
        titles = links.locator("title").all_text_contents()
        assert any(shown[postmortem_id(targets[0])]["title"] in title for title in titles[:1]), titles[:1]
        # chart text stays readable on a phone: at least 9 px on the screen
        smallest = page.locator("svg.pm-chart").first.evaluate(
            "svg => Math.min(...[...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect().height))"
        )
        assert smallest >= 9, smallest
        assert page.locator("svg#pm-trend-chart").count() == 0  # the trend chart is on the root causes page
        page.goto(f"{example.url}/root-causes/")
        assert page.locator("svg#pm-trend-chart").is_visible()
        page.recorder.assert_clean()
    finally:
        page.context.close()


# --------------------------------------------------------------------------------------------------
# 5. Print


def test_print_keeps_every_column_opens_the_folds_and_says_where_and_when(browser, example):
    shown = example.postmortems
    page = open_page(browser, 1440)
    try:
        for path in ("action-items/", f"postmortems/{first_open_item_postmortem(shown)}/"):
            page.goto(f"{example.url}/{path}")
            page.wait_for_load_state("networkidle")
            page.emulate_media(media="print")
            page.wait_for_function("!document.querySelector('details.pm-fold:not(.pm-explorer-box):not([open])')")
            width = page.evaluate("document.documentElement.clientWidth")
            columns = page.locator(".pm-item-list table thead th, .pm-own-items table thead th").evaluate_all(
                """cells => cells.filter(c => !c.closest('.pm-explorer-box')).map(c => {
                    const r = c.getBoundingClientRect(); return [c.textContent.trim(), r.width, r.right]; })"""
            )
            assert {"Status", "Due"} <= {name for name, _, _ in columns}, path
            assert all(cell_width > 0 and right <= width + 0.5 for _, cell_width, right in columns), (path, columns)
            printed = page.locator(".pm-printed")
            assert printed.is_visible()
            assert example.url + "/" + path in printed.inner_text()
            assert f"built {today_utc().isoformat()}" in printed.inner_text()
            page.emulate_media(media="screen")
            assert not printed.is_visible()
        page.recorder.assert_clean()
    finally:
        page.context.close()


# --------------------------------------------------------------------------------------------------
# 6. axe-core on every page type, at both widths, in both schemes (`axe_in_both_schemes`)


def page_types(shown: dict[str, dict]) -> list[str]:
    published = next(pm_id for pm_id, fm in sorted(shown.items()) if fm.get("status") == "published")
    owner = sorted(
        {item["owner"] for item in action_items_of(shown).values() if item.get("status") in ("open", "in-progress")}
    )[0]
    return [
        "",
        "postmortems/",
        "postmortems/?severity=SEV2&text=the&sort=duration:asc",  # chips, and the sort the URL asks for
        "postmortems/severity/sev2/",
        "postmortems/category/config-change/",
        f"postmortems/{published}/",
        f"postmortems/{in_review(shown)}/",
        "root-causes/",
        "action-items/",
        "action-items/?state=open",  # the action items' explorer, opened
        f"action-items/owner/{slugify(owner, max_words=12)}/",
        "services/",
        "services/checkout/",
        "metrics/",
        "communications/",
        "status/",
        "browsing/",
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_serious_violation(browser, example, width):
    axe = axe_source()
    page = open_page(browser, width)
    try:
        problems = {}
        for path in page_types(example.postmortems):
            settled(page, f"{example.url}/{path}")
            if found := axe_in_both_schemes(page, axe):
                problems[path] = found
        assert problems == {}
        page.recorder.assert_clean()
    finally:
        page.context.close()


def test_the_palette_toggle_switches_scheme(browser, example):
    page = open_page(browser, 1440, "light")
    try:
        page.goto(f"{example.url}/")
        assert page.locator("form[data-md-component='palette'] label").count() >= 1
        before = page.evaluate("document.body.dataset.mdColorScheme")
        page.locator("form[data-md-component='palette'] label:visible").first.click()
        page.locator("form[data-md-component='palette'] label:visible").first.click()
        after = page.evaluate("document.body.dataset.mdColorScheme")
        assert {before, after} == {"default", "slate"}, (before, after)
        page.recorder.assert_clean()
    finally:
        page.context.close()


# --------------------------------------------------------------------------------------------------
# Screenshots for the README and docs/browsing.md (only with UPDATE_SCREENSHOTS=1; the images are committed)

SHOTS = (  # name, path, width, scheme, element scrolled to just below the header (None: the top)
    ("home-dashboard-1440-light.png", "", 1440, "light", ".pm-dashboard"),
    ("home-dashboard-390-dark.png", "", 390, "dark", ".pm-dashboard"),
    ("postmortems-explore-1440-dark.png", "postmortems/?category=config-change&sort=duration:asc", 1440, "dark", None),
    (
        "postmortems-explore-390-light.png",
        "postmortems/?severity=SEV2&sort=duration:desc",
        390,
        "light",
        ".pm-explorer-ui",
    ),
    ("action-items-1440-light.png", "action-items/", 1440, "light", "h2#overdue"),
    ("action-items-390-light.png", "action-items/", 390, "light", "h2#overdue"),
    ("postmortem-related-390-dark.png", None, 390, "dark", "h2#action-items"),
)


@pytest.mark.screenshots
@pytest.mark.parametrize("name, path, width, scheme, top", SHOTS, ids=[shot[0] for shot in SHOTS])
def test_refresh_screenshots(browser, example, name, path, width, scheme, top):
    path = f"postmortems/{first_open_item_postmortem(example.postmortems)}/" if path is None else path
    page = open_page(browser, width, scheme)
    try:
        page.goto(f"{example.url}/{path}")
        page.wait_for_load_state("networkidle")
        if top:
            page.locator(top).first.evaluate("""element => window.scrollTo(0, element.getBoundingClientRect().top
                + window.scrollY - document.querySelector('.md-header').offsetHeight - 8)""")
        page.wait_for_timeout(500)
        page.screenshot(path=str(REPO / "docs" / "images" / name), animations="disabled")
    finally:
        page.context.close()

"""The built example site in a real browser: Debian's Chromium driven by Playwright.

The site is built once per module from the repository's mkdocs.yml and served from 127.0.0.1. Every test
asserts that the page made no request to another host and logged no console or page errors.
Outside CI these tests skip when Chromium or Playwright is missing; with CI set they fail instead.

`UPDATE_SCREENSHOTS=1 python -m pytest tests/test_browser.py` refreshes the screenshots in docs/images/.
"""

from __future__ import annotations

import logging
import os
import re
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from browser_support import StaticServer, headings, link_targets, new_page, section_texts, table_rows

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "docs" / "images"
UPDATE_SCREENSHOTS = os.environ.get("UPDATE_SCREENSHOTS") == "1"
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000


def front_matter_of(path: Path) -> dict:
    match = re.match(r"---\n(.*?)\n---", path.read_text(encoding="utf-8"), re.S)
    return (yaml.safe_load(match.group(1)) or {}) if match else {}


def all_example_postmortems() -> dict[str, dict]:
    """ID -> front matter of every example postmortem, drafts included."""
    return {path.stem: front_matter_of(path) for path in sorted((REPO / "postmortems").glob("*.md"))}


def example_postmortems() -> dict[str, dict]:
    """ID -> front matter of every example postmortem the site shows (drafts are not published)."""
    return {pm_id: fm for pm_id, fm in all_example_postmortems().items() if fm.get("status") != "draft"}


def _build(config_file: Path, site_dir: Path, **overrides) -> Path:
    logging.getLogger("mkdocs").setLevel(logging.NOTSET)  # in case a CLI test changed it (see test_plugin_build)
    build(load_config(str(config_file), site_dir=str(site_dir), **overrides))
    return site_dir


# --------------------------------------------------------------------------------------------------
# Fixtures: one browser and one example site per module, a fresh context and page per test


@pytest.fixture(scope="module")
def example(browser, example_site):
    """The repository's site, built once per session (conftest's `example_site`) and served; `.url` is its root."""
    shown = example_postmortems()
    assert shown, "the example knowledge base has no published postmortems yet"
    with StaticServer(example_site) as server:
        server.postmortems = shown
        yield server


@pytest.fixture
def page(browser):
    tab = new_page(browser, TIMEOUT_MS, viewport=VIEWPORT)
    yield tab
    tab.context.close()


def screenshot(page, name: str, top: str | None = None, bottom: str | None = None) -> None:
    """Refresh a README screenshot, only when asked to: the images are committed.

    With `top`, the viewport is scrolled so that element sits just below Material's sticky header; with `bottom`
    too, the image is instead the article column from `top` down to the end of `bottom`, however tall."""
    if not UPDATE_SCREENSHOTS:
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle")
    if top and bottom:
        first, last = page.locator(top).bounding_box(), page.locator(bottom).bounding_box()
        column = page.locator("article").bounding_box()
        scroll = page.evaluate("window.scrollY")
        clip = {
            "x": column["x"] - 8,
            "y": first["y"] + scroll - 8,
            "width": column["width"] + 16,
            "height": last["y"] + last["height"] - first["y"] + 24,
        }
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True, clip=clip, animations="disabled")
        return
    if top:
        page.locator(top).evaluate("""element => window.scrollTo(0, element.getBoundingClientRect().top
            + window.scrollY - document.querySelector('.md-header').offsetHeight - 8)""")
        page.wait_for_timeout(500)  # Material swaps the header's title on scroll, with a transition
    page.screenshot(path=str(SCREENSHOTS / name), full_page=False, animations="disabled")


def open_search(page) -> None:
    page.keyboard.press("/")  # the header's search (Pagefind), or Material's where a site lists `search`; `s` too
    page.wait_for_selector("input.pm-search__input:focus, input.md-search__input:focus", state="attached")


# --------------------------------------------------------------------------------------------------
# The example site


def test_home_page_loads(example, page):
    response = page.goto(example.url + "/")
    assert response is not None and response.ok
    assert "Larkspur postmortems" in page.title()
    page.wait_for_selector(".md-header")
    assert page.locator(".md-nav--primary a[href*='postmortems/']").count() >= 1
    page.wait_for_load_state("networkidle")
    page.recorder.assert_clean()


def test_index_lists_postmortems_and_opens_one(example, page):
    response = page.goto(example.url + "/postmortems/")
    assert response is not None and response.ok
    links = page.locator(".pm-index a")
    links.first.wait_for()
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert sorted(href.strip("./").split("/")[-1] for href in hrefs) == sorted(example.postmortems)
    screenshot(page, "postmortem-index.png")

    # the newest analysed one: a live incident or a maintenance has no root causes yet
    first = next(
        pm_id
        for pm_id in (href.strip("./").split("/")[-1] for href in hrefs)
        if example.postmortems[pm_id].get("root_causes")
    )
    page.locator(f".pm-index a[href$='/{first}/']").first.click()
    page.wait_for_url(re.compile(rf"/postmortems/{re.escape(first)}/$"))
    page.wait_for_selector(".pm-card")
    assert page.locator(".pm-card").is_visible()
    assert page.locator(".pm-card time[datetime$='Z']").first.is_visible()
    assert example.postmortems[first]["title"] in page.inner_text("article h1")
    headings = page.locator("article h2").all_inner_texts()
    assert any(h.strip().startswith("Root causes") for h in headings), headings
    assert any(h.strip().startswith("Action items") for h in headings), headings
    assert page.locator("h2#root-causes").is_visible() and page.locator("h2#action-items").is_visible()
    screenshot(page, "postmortem-page.png")
    page.wait_for_load_state("networkidle")
    page.recorder.assert_clean()


def distinctive_root_cause_word(postmortems: dict[str, dict]) -> tuple[str, list[str]]:
    """A word from a root-cause summary that few files use, and the postmortems whose summaries use it.

    Only words inside a summary (not its first or last) so the search index keeps them whole: it joins
    the text of adjacent table cells without a space.
    """
    corpus = [
        p.read_text(encoding="utf-8").lower()
        for p in [*(REPO / "postmortems").glob("*.md"), *(REPO / "docs").rglob("*.md")]
    ]
    candidates: dict[str, set[str]] = {}
    for pm_id, fm in postmortems.items():
        for cause in fm.get("root_causes") or []:
            words = str(cause.get("summary", "")).split()[1:-1]
            for word in (w.strip(".,;:()'\"") for w in words):
                if len(word) >= 7 and word.isalpha() and word.isascii():
                    candidates.setdefault(word.lower(), set()).add(pm_id)

    def rarity(word: str):
        pattern = re.compile(rf"\b{word}\b")
        return sum(1 for text in corpus if pattern.search(text)), -len(word), word

    assert candidates, "no root-cause summary has a word to search for"
    word = min(candidates, key=rarity)
    return word, sorted(candidates[word])


def test_search_finds_a_postmortem_by_a_word_of_its_root_cause(example, page):
    word, expected = distinctive_root_cause_word(example.postmortems)
    page.goto(example.url + "/")
    open_search(page)
    page.keyboard.type(word, delay=20)
    wanted = ", ".join(f'.pm-search__result a[href*="/postmortems/{pm_id}/"]' for pm_id in expected)
    page.wait_for_selector(wanted, state="attached")
    results = page.locator(".pm-search__result").all_inner_texts()
    titles = [example.postmortems[pm_id]["title"] for pm_id in expected]
    assert any(title in text for text in results for title in titles), (word, results[:3])
    page.wait_for_load_state("networkidle")
    page.recorder.assert_clean()


# --------------------------------------------------------------------------------------------------
# What the cross-incident pages must show, counted here from the example's front matter with PyYAML,
# independently of the plugin's model and indexes

OPEN_STATUSES = ("open", "in-progress")


def today_utc() -> date:
    return datetime.now(timezone.utc).date()


def as_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).date()
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def as_moment(value) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def plugin_options() -> dict:
    return yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["plugins"]["postmortems"]


def action_items_of(postmortems: dict[str, dict]) -> dict[str, dict]:
    """`<postmortem>#<n>` (numbered from 1 in file order) -> the action item's front matter."""
    return {
        f"{pm_id}#{number}": item
        for pm_id, fm in postmortems.items()
        for number, item in enumerate(fm.get("action_items") or [], 1)
    }


def is_overdue(item: dict, today: date) -> bool:
    due = as_date(item.get("due"))
    return item.get("status") in OPEN_STATUSES and due is not None and due < today


def cause_pairs(fm: dict, cause: dict) -> set[tuple[str, str]]:
    """(service, category) pairs of a root cause: its own service, else every service the incident affected."""
    services = [cause["service"]] if cause.get("service") else fm.get("services") or []
    return {(service, cause["category"]) for service in services}


def incident_pairs(fm: dict) -> set[tuple[str, str]]:
    return {pair for cause in fm.get("root_causes") or [] for pair in cause_pairs(fm, cause)}


def incidents_by_pair(postmortems: dict[str, dict]) -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = {}
    for pm_id, fm in postmortems.items():
        for pair in incident_pairs(fm):
            found.setdefault(pair, set()).add(pm_id)
    return found


def recurring_pairs(postmortems: dict[str, dict]) -> dict[tuple[str, str], set[str]]:
    return {pair: ids for pair, ids in incidents_by_pair(postmortems).items() if len(ids) > 1}


def recurred_after_fix(postmortems: dict[str, dict]) -> dict[tuple[str, str, str], set[str]]:
    """(later incident, service, category) -> the earlier incidents with a done action item addressing a root
    cause of that pair and closed before the day the later incident started."""
    found: dict[tuple[str, str, str], set[str]] = {}
    for later_id, later in postmortems.items():
        started = as_moment(later["started"])
        for earlier_id, earlier in postmortems.items():
            if as_moment(earlier["started"]) >= started:
                continue
            causes = {cause["id"]: cause for cause in earlier.get("root_causes") or [] if cause.get("id")}
            for item in earlier.get("action_items") or []:
                closed = as_date(item.get("closed"))
                if item.get("status") != "done" or closed is None or closed >= started.date():
                    continue
                for cause_id in item.get("addresses") or []:
                    if cause_id in causes:
                        for service, category in cause_pairs(earlier, causes[cause_id]) & incident_pairs(later):
                            found.setdefault((later_id, service, category), set()).add(earlier_id)
    return found


def postmortem_id(url: str) -> str | None:
    """`.../postmortems/<id>/` (any query or fragment) -> `<id>`; None for any other page."""
    match = re.fullmatch(r".*/postmortems/([^/]+)/", urlsplit(url).path)
    return match.group(1) if match else None


# --------------------------------------------------------------------------------------------------
# Search finds a postmortem by what only its front matter says


def assert_only_in_front_matter_of(pm_id: str, word: str) -> None:
    """`word` is in `pm_id`'s front matter and in no body, no other postmortem and no docs page, so a search
    for it can only find the front matter rendered onto that postmortem's page."""
    pattern = re.compile(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", re.I)
    front, body = re.match(
        r"---\n(.*?\n)---\n(.*)", (REPO / "postmortems" / f"{pm_id}.md").read_text(encoding="utf-8"), re.S
    ).groups()
    assert pattern.search(front) and not pattern.search(body), (pm_id, word)
    elsewhere = [
        path.name
        for path in [*(REPO / "postmortems").glob("*.md"), *(REPO / "docs").rglob("*.md")]
        if path.stem != pm_id and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert elsewhere == [], (word, elsewhere)


def search_for(page, query: str, pm_id: str, section: str | None = None) -> list[str]:
    """Types `query` into the header's search in one go and returns every result link (a result's page, and the
    section of it that matches most) once one for `pm_id` (in `section`, when given) shows."""
    open_search(page)
    page.fill("input.pm-search__input", query)  # one input event: no results of a partial query
    wanted = f'.pm-search__result a[href*="/postmortems/{pm_id}/"]'
    page.wait_for_selector(wanted + (f'[href$="#{section}"]' if section else ""), state="attached")
    results = link_targets(page.locator(".pm-search__results a"))
    page.keyboard.press("Escape")
    return results


ROOT_CAUSE_QUERY = ("2025-09-10-notification-email-backlog", "port 443", "443")
ACTION_ITEM_QUERY = ("2024-05-07-mobile-api-certificate-expiry", "Certificate Transparency enforcement", "transparency")


def test_search_finds_postmortems_by_root_cause_action_item_and_service(example, page):
    shown = example.postmortems
    cause_id, cause_query, cause_word = ROOT_CAUSE_QUERY
    assert any(
        cause_query.lower() in " ".join(str(c["summary"]).lower().split()) for c in shown[cause_id]["root_causes"]
    ), "the query is not from the root causes' summaries"
    assert_only_in_front_matter_of(cause_id, cause_word)
    item_id, item_query, item_word = ACTION_ITEM_QUERY
    assert any(item_query.lower() in str(i["title"]).lower() for i in shown[item_id]["action_items"])
    assert_only_in_front_matter_of(item_id, item_word)
    ledger = [pm_id for pm_id, fm in shown.items() if "ledger" in (fm.get("services") or [])]
    assert len(ledger) == 1, ledger

    page.goto(example.url + "/")
    for pm_id, query, section in ((cause_id, cause_query, "root-causes"), (item_id, item_query, "action-items")):
        results = search_for(page, query, pm_id, section)
        hits = [url for url in results if postmortem_id(url) == pm_id and url.endswith(f"#{section}")]
        assert hits, (query, results)

    results = search_for(page, "ledger", ledger[0])
    assert ledger[0] in {postmortem_id(url) for url in results}
    # The cross-incident pages repeat the postmortems, so they stay out of search; a service is found by its name
    # alone, as a short record that links its page (site_search.py), and ranks first.
    assert results[0] == f"{example.url}/services/ledger/"
    generated = ("/services/", "/root-causes/", "/action-items/", "/metrics/", "/postmortems/service/")
    assert [url for url in results[1:] if any(part in url for part in generated)] == []
    page.wait_for_load_state("networkidle")
    page.recorder.assert_clean()


# --------------------------------------------------------------------------------------------------
# Cross-incident pages agree with the front matter


def test_action_items_page_counts_agree_with_the_front_matter(example, page):
    today = today_utc()
    items = action_items_of(example.postmortems)
    by_status = {
        status: {i for i, item in items.items() if item.get("status") in statuses}
        for status, statuses in (("open", OPEN_STATUSES), ("done", ("done",)), ("wont-do", ("wont-do",)))
    }
    overdue = {i for i, item in items.items() if is_overdue(item, today)}
    assert overdue and all(by_status.values()), "the example should have items of every kind, some overdue"

    page.goto(example.url + "/action-items/")
    assert page.inner_text("article h1").strip() == "Action items"
    assert headings(page) == ["Overdue", "Open, by owner", "Open, by priority", "Done", "Won't do"]
    summary = " ".join(page.inner_text("article h1 + p").split())
    counts = re.match(
        r"(\d+) action items? as of (\S+): (\d+) open \((\d+) overdue\), (\d+) done, (\d+) won't do", summary
    )
    assert counts, summary
    assert counts.groups() == (
        str(len(items)),
        today.isoformat(),
        str(len(by_status["open"])),
        str(len(overdue)),
        str(len(by_status["done"])),
        str(len(by_status["wont-do"])),
    )

    assert sorted(section_texts(page, "overdue", "code.pm-item-id")) == sorted(overdue)
    assert len(section_texts(page, "overdue", ".pm-badge--overdue")) == len(overdue)
    for section, status in (("open", "open"), ("done", "done"), ("wont-do", "wont-do")):  # closed ones folded
        assert sorted(section_texts(page, section, "code.pm-item-id", "textContent")) == sorted(by_status[status]), (
            section
        )
    assert section_texts(page, "done", "details.pm-fold", "open") == ["false"]
    assert section_texts(page, "wont-do", "details.pm-fold", "open") == ["false"]

    priorities = table_rows(page.locator(".pm-counts"))
    assert priorities, "no priority rows"
    assert sum(int(row[2]) for row in priorities) == len(overdue)
    assert sum(int(row[1]) for row in priorities) == len(by_status["open"])
    owners = Counter(items[i]["owner"] for i in by_status["open"])
    late = Counter(items[i]["owner"] for i in overdue)
    assert {row[0]: (int(row[1]), int(row[2])) for row in table_rows(page.locator(".pm-owners"))} == {
        owner: (count, late[owner]) for owner, count in owners.items()
    }
    page.wait_for_load_state("networkidle")
    page.recorder.assert_clean()


def test_root_causes_page_agrees_with_the_front_matter(example, page):
    shown = example.postmortems
    causes = [(pm_id, cause) for pm_id, fm in shown.items() for cause in fm.get("root_causes") or []]
    categories = [category["name"] for category in plugin_options()["root_cause_categories"]]
    recurring = recurring_pairs(shown)
    recurred = recurred_after_fix(shown)
    assert recurring and recurred, "the example should show recurring causes and one that recurred after a fix"

    page.goto(example.url + "/root-causes/")
    assert page.inner_text("article h1").strip() == "Root causes"
    assert headings(page) == [
        "Categories",
        "Recurring causes",
        "Recurred after a fix",
        "Trend per quarter",
        *categories,
    ]
    intro = " ".join(page.inner_text("article h1 + p").split())
    assert intro.startswith(f"{len(causes)} root causes in {len(shown)} postmortems."), intro

    per_category = {row[0]: (int(row[1]), int(row[-1])) for row in table_rows(page.locator(".pm-categories"))}
    assert per_category == {
        name: (
            sum(1 for _, c in causes if c["category"] == name),
            len({pm_id for pm_id, c in causes if c["category"] == name}),
        )
        for name in categories
    }

    def quarter(pm_id: str) -> int:
        moment = as_moment(shown[pm_id]["started"])
        return moment.year * 4 + (moment.month - 1) // 3

    newest = max(map(quarter, shown))  # the window: the newest 8 quarters (views.trend_quarters), newest first
    window = range(max(newest - 7, min(map(quarter, shown))), newest + 1)
    header = [text.strip() for text in page.locator(".pm-trend thead th").all_text_contents()][1:]
    assert header == [f"{n // 4}-Q{n % 4 + 1}" for n in reversed(window)]
    trend = {row[0]: sum(int(cell) for cell in row[1:]) for row in table_rows(page.locator(".pm-trend"))}
    assert trend == {
        name: len({pm_id for pm_id, c in causes if c["category"] == name and quarter(pm_id) in window})
        for name in categories
    }

    cells = """rows => rows.map(row => [...row.cells].map(cell =>
        ({text: cell.innerText.trim(), links: [...cell.querySelectorAll('a')].map(a => a.href)})))"""
    shown_recurring = {
        (row[0]["text"], row[1]["text"]): {postmortem_id(url) for url in row[3]["links"]}
        for row in page.locator(".pm-recurring tbody tr").evaluate_all(cells)
    }
    assert shown_recurring == recurring
    assert all(row[2] == str(len(recurring[(row[0], row[1])])) for row in table_rows(page.locator(".pm-recurring")))

    rows = page.locator(".pm-recurred tbody tr").evaluate_all(cells)
    assert {(postmortem_id(row[0]["links"][0]), row[1]["text"], row[2]["text"]) for row in rows} == set(recurred)
    for row in rows:
        key = (postmortem_id(row[0]["links"][0]), row[1]["text"], row[2]["text"])
        earlier = postmortem_id(row[3]["links"][0])
        assert earlier in recurred[key], (key, earlier)
        assert urlsplit(row[4]["links"][0]).fragment.startswith(f"ai-{earlier}-"), row[4]
    screenshot(page, "root-causes.png", top="h2#recurring", bottom=".pm-recurred")
    page.wait_for_load_state("networkidle")
    page.recorder.assert_clean()


def test_services_pages_agree_with_the_front_matter(example, page):
    shown = example.postmortems
    items = action_items_of(shown)
    incidents: dict[str, set[str]] = {}
    for pm_id, fm in shown.items():
        for service in fm.get("services") or []:
            incidents.setdefault(service, set()).add(pm_id)
    open_items = {
        service: {i for i, item in items.items() if item.get("status") in OPEN_STATUSES and i.split("#")[0] in ids}
        for service, ids in incidents.items()
    }
    listed = {service["name"] for service in plugin_options()["services"]} | set(incidents)

    page.goto(example.url + "/services/")
    assert page.inner_text("article h1").strip() == "Services"
    rows = table_rows(page.locator(".pm-services"))
    assert {row[0]: int(row[1]) for row in rows} == {name: len(incidents.get(name, ())) for name in listed}
    assert {row[0]: int(row[5]) for row in rows} == {name: len(open_items.get(name, ())) for name in listed}

    service = "platform-k8s"
    page.locator(".pm-services a", has_text=re.compile(rf"^{service}$")).click()
    page.wait_for_url(re.compile(rf"/services/{service}/$"))
    page.locator("article h1", has_text=f"Service: {service}").wait_for()
    assert headings(page) == ["Incidents", "Recurring causes", "Open action items"]
    facts = dict(
        zip(
            page.locator(".pm-service-facts dt").all_text_contents(),
            page.locator(".pm-service-facts dd").all_text_contents(),
            strict=True,
        )
    )
    assert facts["Incidents"] == str(len(incidents[service])), facts
    assert facts["Open action items"] == str(len(open_items[service]))
    assert {postmortem_id(url) for url in section_texts(page, "incidents", ".pm-index tbody a", "href")} == incidents[
        service
    ]
    assert sorted(section_texts(page, "open-action-items", "code.pm-item-id")) == sorted(open_items[service])
    recurring = {category for (name, category) in recurring_pairs(shown) if name == service}
    assert recurring, f"the example should have a recurring cause on {service}"
    assert set(section_texts(page, "recurring", "li > strong")) == recurring
    page.wait_for_load_state("networkidle")
    page.recorder.assert_clean()


def test_metrics_page_draws_three_charts_each_titled_and_followed_by_its_data(example, page):
    shown = {pm_id: fm for pm_id, fm in example.postmortems.items() if fm.get("kind") != "maintenance"}  # incidents
    started = sorted(as_moment(fm["started"]).year * 12 + as_moment(fm["started"]).month - 1 for fm in shown.values())
    window = range(max(started[-1] - 23, started[0]), started[-1] + 1)  # views.chart_months: the newest 24
    months = [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in window]
    inside = [
        fm for fm in shown.values() if as_moment(fm["started"]).year * 12 + as_moment(fm["started"]).month - 1 in window
    ]
    severities = Counter(fm["severity"] for fm in inside if "severity" in fm)

    page.goto(example.url + "/metrics/")
    assert page.inner_text("article h1").strip() == "Metrics"
    assert headings(page) == [
        "Incidents per month",
        "Time to detect, mitigate and resolve",
        "Per quarter and severity",
        "Per service",
    ]
    intro = " ".join(page.inner_text("article h1 + p").split())
    outside = f" ({len(shown) - len(inside)} incidents outside them)" if len(inside) < len(shown) else ""
    assert intro.startswith(
        f"{len(shown)} incidents; the chart and its table show the {len(months)} months from "
        f"{months[0]} to {months[-1]}{outside}."
    ), intro

    charts = page.locator("article svg.pm-chart")
    assert charts.count() == 5  # per month, response times, per quarter (detect, resolve), per service
    for index in range(5):
        chart = charts.nth(index)
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 100, box
        described = chart.evaluate("""svg => {
            const title = svg.querySelector(':scope > title');
            const table = svg.nextElementSibling;
            return {title: title ? title.textContent.trim() : '',
                    labelled: !!title && (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).includes(title.id),
                    marks: svg.querySelectorAll('rect, path, circle, line').length,
                    rows: table ? table.querySelectorAll('tbody tr').length : 0};
        }""")
        assert described["title"] and described["labelled"], described
        assert described["marks"] > 0 and described["rows"] > 0, described

    monthly_table = page.locator("article details.pm-data table")
    columns = [text.strip() for text in monthly_table.locator("thead th").all_text_contents()]
    monthly = table_rows(monthly_table)
    assert [row[0] for row in monthly] == months[::-1]  # newest first
    totals = {column: sum(int(row[index]) for row in monthly) for index, column in enumerate(columns) if index}
    assert totals == {**{severity: severities.get(severity, 0) for severity in columns[1:-1]}, "Total": len(inside)}

    measures = {
        row[0]: (int(row[1].split()[0]), int(row[2]))
        for row in table_rows(page.locator("article h2#response-times ~ .pm-chart-data").first)
    }
    for measure, key in (
        ("Time to detect", "detected"),
        ("Time to mitigate", "mitigated"),
        ("Time to resolve", "resolved"),
    ):
        timed = sum(1 for fm in shown.values() if fm.get(key))
        assert measures[measure] == (timed, len(shown) - timed), measure

    services = Counter(service for fm in shown.values() for service in fm.get("services") or [])
    per_service = table_rows(page.locator("article h2#per-service ~ .pm-chart-data").first)
    assert {row[0]: int(row[1].split()[0]) for row in per_service if row[1] != "0"} == dict(services)
    screenshot(page, "metrics.png", top="h2#incidents-per-month")
    page.wait_for_load_state("networkidle")
    page.recorder.assert_clean()


# --------------------------------------------------------------------------------------------------
# Filters are static pages: they work without JavaScript


def test_severity_filter_works_without_javascript(browser, example):
    shown = example.postmortems
    severities = Counter(fm["severity"] for fm in shown.values() if "severity" in fm)  # a maintenance has none
    sev1 = sorted(pm_id for pm_id, fm in shown.items() if fm.get("severity") == "SEV1")
    assert sev1 and len(sev1) < len(shown)

    page = new_page(browser, TIMEOUT_MS, viewport=VIEWPORT, java_script_enabled=False)
    try:
        response = page.goto(example.url + "/postmortems/")
        assert response is not None and response.ok
        listed = [postmortem_id(url) for url in link_targets(page.locator(".pm-index tbody a"))]
        assert sorted(listed) == sorted(shown)
        filters = page.locator("nav.pm-filters a.pm-filter").all_inner_texts()
        assert all(f"{severity} ({count})" in filters for severity, count in severities.items()), filters

        with page.expect_navigation():
            page.locator("nav.pm-filters a.pm-filter", has_text=re.compile(r"^SEV1 \(")).click()
        assert re.search(r"/postmortems/severity/sev1/$", page.url), page.url
        assert page.inner_text("article h1").strip().endswith("SEV1")
        assert sorted(postmortem_id(url) for url in link_targets(page.locator(".pm-index tbody a"))) == sev1
        assert set(
            page.locator(".pm-index tbody tr").evaluate_all("rows => rows.map(row => row.dataset.severity)")
        ) == {"SEV1"}
        assert page.inner_text("nav.pm-filters .pm-filter--current").strip() == f"SEV1 ({len(sev1)})"
        # No script was fetched, so none ran: the listing and the filters are plain HTML.
        assert [url for url in page.recorder.requests if urlsplit(url).path.endswith(".js")] == []
        page.recorder.assert_clean()
    finally:
        page.context.close()


# --------------------------------------------------------------------------------------------------
# Links between postmortems and to the action items


def test_referenced_by_and_similar_incidents_link_to_the_right_postmortems(example, page):
    shown = example.postmortems
    referrers: dict[str, set[str]] = {}
    for pm_id, fm in shown.items():
        for other in fm.get("related") or []:
            if other in shown and other != pm_id:
                referrers.setdefault(other, set()).add(pm_id)
    assert referrers, "no example postmortem names another in `related`"
    target = max(sorted(referrers), key=lambda pm_id: len(referrers[pm_id]))

    page.goto(f"{example.url}/postmortems/{target}/")
    # One "Related" list: each other postmortem once, with the reasons it is there
    listed = [postmortem_id(url) for url in link_targets(page.locator("ul.pm-related > li > a"))]
    assert len(listed) == len(set(listed)), listed
    backlinks = page.locator('ul.pm-related > li[data-reasons~="referenced-by"] > a')
    assert sorted(postmortem_id(url) for url in link_targets(backlinks)) == sorted(referrers[target])
    assert all(
        "references this" in text
        for text in page.locator('ul.pm-related > li[data-reasons~="referenced-by"]').all_inner_texts()
    )

    # Similar by what they say: at most five, each with the words both use, words the two files both hold
    entries = page.locator('ul.pm-related > li[data-reasons~="similar"]')
    similar = [postmortem_id(url) for url in link_targets(entries.locator("> a"))]
    assert 0 < len(similar) <= 5 and set(similar) <= set(shown) - {target}, similar
    for other, text in zip(similar, entries.locator(".pm-reason--similar").all_inner_texts(), strict=True):
        words = text.removeprefix("similar: ").split("; same ")[0].split(", ")
        both = "".join((REPO / "postmortems" / f"{pm_id}.md").read_text(encoding="utf-8") for pm_id in (target, other))
        both = both.lower()
        assert words and all(word.lower() in both for word in words), (other, text)

    referrer = postmortem_id(link_targets(backlinks)[0])
    backlinks.first.click()
    page.wait_for_url(re.compile(rf"/postmortems/{re.escape(referrer)}/$"))
    page.locator("article h1", has_text=shown[referrer]["title"]).wait_for()
    page.wait_for_load_state("networkidle")
    page.recorder.assert_clean()


def test_a_draft_naming_a_postmortem_is_not_among_its_backlinks(example, page):
    everything = all_example_postmortems()
    drafts = {pm_id: fm for pm_id, fm in everything.items() if pm_id not in example.postmortems}
    named = sorted(
        (other, draft)
        for draft, fm in drafts.items()
        for other in fm.get("related") or []
        if other in example.postmortems
    )
    assert named, "no draft of the example names a published postmortem in `related`"
    target, draft = named[0]
    page.goto(f"{example.url}/postmortems/{target}/")
    page.locator("article h2#related").wait_for()
    assert draft not in {postmortem_id(url) for url in link_targets(page.locator("ul.pm-related a"))}
    assert link_targets(page.locator(f'article a[href*="{draft}"]')) == []
    page.recorder.assert_clean()


def test_an_action_item_number_opens_its_row_on_the_action_items_page(example, page):
    # An open item that is not its postmortem's first, so a wrong number or anchor shows.
    pm_id, number, item = next(
        (pm_id, number, item)
        for pm_id, fm in example.postmortems.items()
        for number, item in enumerate(fm.get("action_items") or [], 1)
        if number > 1 and item.get("status") in OPEN_STATUSES
    )
    anchor = f"ai-{pm_id}-{number}"
    page.goto(f"{example.url}/postmortems/{pm_id}/")
    link = page.locator(f'article h2#action-items ~ .pm-action-items a[href$="action-items/#{anchor}"]')
    assert link.inner_text().strip() == str(number)
    link.click()
    page.wait_for_url(re.compile(rf"/action-items/#{re.escape(anchor)}$"))
    row = page.locator(f"article tr#{anchor}")
    row.wait_for()
    assert row.locator("code.pm-item-id").inner_text().strip() == f"{pm_id}#{number}"
    assert " ".join(item["title"].split()) in " ".join(row.inner_text().split())
    placed = row.evaluate(
        "row => ({target: row.matches(':target'), top: row.getBoundingClientRect().top, height: window.innerHeight})"
    )
    assert placed["target"] and 0 <= placed["top"] < placed["height"], placed
    page.wait_for_load_state("networkidle")
    page.recorder.assert_clean()


# --------------------------------------------------------------------------------------------------
# Hostile front matter stays text in the browser (page, index, search results)

HOSTILE_TITLE = 'Quokkafire <script>alert("xss")</script> "><img src=x onerror=alert(1)> & more'


@pytest.fixture(scope="module")
def hostile(browser, tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "postmortems").mkdir()
    config = {
        "site_name": "Hostile",
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"postmortems": {"services": [{"name": "checkout"}]}}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    fm = {
        # in review: a well-formed page that the publication rules (published_on, communications...) leave alone
        "title": HOSTILE_TITLE,
        "status": "in-review",
        "severity": "SEV3",
        "services": ["checkout"],
        "authors": ["<img src=x onerror=alert(2)>"],
        "reviewers": ["bob"],
        "started": "2024-03-14T09:58:00Z",
        "impact": {"summary": "<script>alert(3)</script>"},
        "root_causes": [{"kind": "causal", "category": "capacity", "summary": '"><img src=x onerror=alert(4)>'}],
        "action_items": [
            {"title": "<b>bold</b>", "owner": "x", "priority": "P1", "due": "2099-01-01", "status": "open"}
        ],
    }
    sections = "\n".join(
        f"## {s}\n\nText.\n"
        for s in ("Summary", "Impact", "Timeline", "Root cause analysis", "Resolution", "Lessons learned")
    )
    (root / "postmortems" / "2024-03-14-hostile.md").write_text(
        f"---\n{yaml.safe_dump(fm, sort_keys=False)}---\n{sections}", encoding="utf-8"
    )
    with StaticServer(_build(root / "mkdocs.yml", root / "site", strict=True)) as server:
        yield server


def _no_injected_elements(page) -> None:
    injected = page.evaluate("""() => ({
        images: document.querySelectorAll('img[src="x"]').length,
        scripts: [...document.scripts].filter(s => s.textContent.includes('alert(')).length,
        bold: document.querySelectorAll('article b').length,
    })""")
    assert injected == {"images": 0, "scripts": 0, "bold": 0}


def test_hostile_front_matter_is_shown_as_text(hostile, page):
    page.goto(hostile.url + "/postmortems/2024-03-14-hostile/")
    assert page.inner_text("article h1").strip() == HOSTILE_TITLE
    assert page.title().startswith(HOSTILE_TITLE)
    assert "<script>alert(3)</script>" in page.inner_text(".pm-card")
    _no_injected_elements(page)

    page.goto(hostile.url + "/postmortems/")
    assert page.inner_text(".pm-index a").strip() == HOSTILE_TITLE
    _no_injected_elements(page)

    open_search(page)
    page.keyboard.type("quokkafire", delay=20)
    page.wait_for_selector('.md-search-result__item a[href*="/postmortems/2024-03-14-hostile/"]')
    assert page.inner_text(".md-search-result__item h1").strip() == HOSTILE_TITLE
    _no_injected_elements(page)
    page.wait_for_load_state("networkidle")
    page.recorder.assert_clean()

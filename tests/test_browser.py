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
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from browser_support import Recorder, StaticServer, launch_chromium, unavailable

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "docs" / "images"
UPDATE_SCREENSHOTS = os.environ.get("UPDATE_SCREENSHOTS") == "1"
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000


def front_matter_of(path: Path) -> dict:
    match = re.match(r"---\n(.*?)\n---", path.read_text(encoding="utf-8"), re.S)
    return (yaml.safe_load(match.group(1)) or {}) if match else {}


def example_postmortems() -> dict[str, dict]:
    """ID -> front matter of every example postmortem the site shows (drafts are not published)."""
    found = {path.stem: front_matter_of(path) for path in sorted((REPO / "postmortems").glob("*.md"))}
    return {pm_id: fm for pm_id, fm in found.items() if fm.get("status") != "draft"}


def _build(config_file: Path, site_dir: Path, **overrides) -> Path:
    logging.getLogger("mkdocs").setLevel(logging.NOTSET)  # in case a CLI test changed it (see test_plugin_build)
    build(load_config(str(config_file), site_dir=str(site_dir), **overrides))
    return site_dir


# --------------------------------------------------------------------------------------------------
# Fixtures: one browser and one example site per module, a fresh context and page per test


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    playwright = sync_playwright().start()
    try:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="module")
def example(browser, tmp_path_factory):
    """The repository's site, built and served; `.url` is its root."""
    shown = example_postmortems()
    assert shown, "the example knowledge base has no published postmortems yet"
    site = _build(REPO / "mkdocs.yml", tmp_path_factory.mktemp("example") / "site")
    with StaticServer(site) as server:
        server.postmortems = shown
        yield server


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    recorder = Recorder()
    recorder.attach(context, tab)
    tab.recorder = recorder
    yield tab
    context.close()


def screenshot(page, name: str) -> None:
    """Refresh a README screenshot, only when asked to: the images are committed."""
    if UPDATE_SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(SCREENSHOTS / name), full_page=False)


def open_search(page) -> None:
    page.keyboard.press("/")  # Material's keyboard shortcut; `s` and `f` work too
    page.wait_for_selector("input.md-search__input:focus", state="attached")


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

    first = hrefs[0].strip("./").split("/")[-1]
    links.first.click()
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
    corpus = [p.read_text(encoding="utf-8").lower()
              for p in [*(REPO / "postmortems").glob("*.md"), *(REPO / "docs").rglob("*.md")]]
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
    wanted = ", ".join(f'.md-search-result__item a[href*="/postmortems/{pm_id}/"]' for pm_id in expected)
    page.wait_for_selector(wanted, state="attached")
    results = page.locator(".md-search-result__item").all_inner_texts()
    titles = [example.postmortems[pm_id]["title"] for pm_id in expected]
    assert any(title in text for text in results for title in titles), (word, results[:3])
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
    config = {"site_name": "Hostile", "theme": {"name": "material", "font": False},
              "plugins": ["search", {"postmortems": {"services": [{"name": "checkout"}]}}]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    fm = {
        "title": HOSTILE_TITLE, "status": "published", "severity": "SEV3", "services": ["checkout"],
        "authors": ['<img src=x onerror=alert(2)>'], "reviewers": ["bob"],
        "started": "2024-03-14T09:58:00Z",
        "impact": {"summary": '<script>alert(3)</script>'},
        "root_causes": [{"kind": "causal", "category": "capacity", "summary": '"><img src=x onerror=alert(4)>'}],
        "action_items": [{"title": "<b>bold</b>", "owner": "x", "priority": "P1", "due": "2099-01-01",
                          "status": "open"}],
    }
    sections = "\n".join(f"## {s}\n\nText.\n" for s in
                         ("Summary", "Impact", "Timeline", "Root cause analysis", "Resolution", "Lessons learned"))
    (root / "postmortems" / "2024-03-14-hostile.md").write_text(
        f"---\n{yaml.safe_dump(fm, sort_keys=False)}---\n{sections}", encoding="utf-8")
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

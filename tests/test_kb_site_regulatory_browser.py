"""`/regulatory/`, a postmortem's Regulatory reporting section and the dashboard's panel in Chromium: axe-core finds no
serious violation, on a desktop and on a phone, and on a phone none of them reaches past the screen's edge (each
stage's row is a card). The site is `test_kb_site_regulatory.py`'s, every state a stage can be in."""

from __future__ import annotations

import pytest
from mkdocs.config.defaults import MkDocsConfig

from browser_support import StaticServer, axe_in_both_schemes, axe_source, new_page
from site_support import build_site, make_site, postmortem
from test_kb_site_regulatory import EPOCH, OPTIONS, RECORDS, REPORTED

pytestmark = pytest.mark.browser

PATHS = ("regulatory/", f"postmortems/{REPORTED}/", "")
# How far the regulatory tables and panel reach past the viewport's right edge (the page's other parts are not ours)
OVERFLOW = """() => Math.max(...[...document.querySelectorAll(
    '.pm-regulatory, .pm-regulatory *, .pm-dashboard__regulatory, .pm-dashboard__regulatory *')]
    .map(element => element.getBoundingClientRect().right)) - document.documentElement.clientWidth"""
THEME = {
    "name": "material",
    "font": False,
    "palette": {"primary": "deep purple", "accent": "deep purple"},
}  # as the example's


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("regulatory-browser")
    config = make_site(
        root,
        {f"{pm_id}.md": postmortem(pm_id, **values) for pm_id, values in RECORDS.items()},
        OPTIONS,
        {"theme": THEME},
        docs={"index.md": "# Home\n\n<!-- postmortems:dashboard -->\n"},
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        MkDocsConfig.plugins.plugin_cache.clear()
        site = build_site(config)
    with StaticServer(site) as server:
        yield server


@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("path", PATHS, ids=lambda path: path or "home")
def test_axe_finds_no_serious_violation_and_a_phone_does_not_scroll_sideways(served, browser, path, width):
    page = new_page(browser, 30_000, viewport={"width": width, "height": 900})
    try:
        page.goto(f"{served.url}/{path}")
        assert page.locator(".pm-regulatory, .pm-dashboard__regulatory").first.is_visible()
        found = axe_in_both_schemes(page, axe_source())
        overflow = page.evaluate(OVERFLOW)
        page.recorder.assert_clean()
    finally:
        page.context.close()
    assert found == {}
    assert overflow <= 0

"""`site_render.py`: the HTML of a site's pages rendered on demand. URLs relative to the page rendered, a postmortem's
card above its body and details below, a cross-incident page's heading unless the user's page has its own, the
dashboard where a page asks for it, and the print-only line."""

from __future__ import annotations

import pytest

from conftest import TODAY, VALID, make_policy
from mkdocs_postmortems.build import build_site
from mkdocs_postmortems.kb_site.urls import DASHBOARD_MARKER, ROOT_CAUSES
from mkdocs_postmortems.knowledge import load_knowledge_base
from mkdocs_postmortems.render import template_environment
from mkdocs_postmortems.site_render import SiteUrls

PM = "postmortems/2024-03-14-checkout-latency.md"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("render") / "postmortems"
    folder.mkdir()
    (folder / "2024-03-14-checkout-latency.md").write_text(VALID)
    kb = load_knowledge_base(folder, make_policy(), today=TODAY, base=folder.parent)
    return build_site(kb, template_environment(), ["index.md", ROOT_CAUSES], site_url="https://kb.example/")


def test_urls_from_the_root_and_the_way_up_from_each_page():
    urls = SiteUrls(True, {"a/b.md", "index.md"})
    assert urls.url("a/b.md") == "a/b/" and urls.up("a/b.md") == "../../" and urls.up("index.md") == ""
    assert urls.escaped("a/b.md") == "a/b/" and urls.escaped("missing.md") is None
    flat = SiteUrls(False, {"a/b.md"})
    assert flat.url("a/b.md") == "a/b.html" and flat.up("a/b.md") == "../"
    assert SiteUrls(True, {"a & b.md"}).escaped("a & b.md") == "a%20%26%20b/"


def test_a_postmortems_card_goes_above_its_body_and_its_details_below(site):
    rendered = site.render(PM)
    assert rendered.before.startswith('<div class="pm-card"') and "1,200 customers affected" in rendered.before
    assert 'id="action-items"' in rendered.after and "Size the pool for peak traffic" in rendered.after
    assert "<!-- pm-body -->" not in rendered.before + rendered.after
    assert 'class="pm-print-only pm-printed"' in rendered.after
    assert "https://kb.example/postmortems/2024-03-14-checkout-latency/" in rendered.after
    assert f"built {TODAY.isoformat()}" in rendered.after


def test_a_cross_incident_page_has_our_heading_unless_the_users_page_is_there(site):
    assert site.render("action-items/index.md").before.startswith('<h1 id="action-items">')
    assert site.render(ROOT_CAUSES).before == ""  # the user's root-causes/index.md keeps its own heading
    assert site.render("guide.md") is None


def test_links_on_a_page_are_relative_to_it(site):
    after = site.render("action-items/index.md").after
    assert 'href="../postmortems/2024-03-14-checkout-latency/' in after


def test_the_dashboard_fills_the_marker_and_nothing_else(site):
    filled = site.renderer.fill_markers("index.md", f"# Home\n\n{DASHBOARD_MARKER}\n\nMore.\n")
    assert DASHBOARD_MARKER not in filled and "pm-dashboard" in filled and filled.endswith("More.\n")
    assert site.renderer.fill_markers("index.md", "# Home\n") == "# Home\n"


def test_search_reads_compact_text_for_a_postmortem_only(site):
    before, after = site.search_text(PM)
    assert before.startswith("<p>SEV2 published checkout") and "<table" not in before + after
    assert "Size the pool for peak traffic (team-checkout, open)" in after
    assert site.renderer.search_text("action-items/index.md") is None

"""`generator.py`: each page of the core's site as Markdown an engine without plugins renders as the plugin's build
does, and the configuration it gets. The command around it (`postmortems generate OUT`: what it writes, refuses and
reports) is tested in tests/test_publishing.py, and the two adapters against each other in tests/test_adapters.py."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import TODAY, VALID, make_policy
from mkdocs_postmortems import load_knowledge_base
from mkdocs_postmortems.build import build_site
from mkdocs_postmortems.generator import SiteSource, automatic_nav, generated_config, markdown_heading, page_markdown
from mkdocs_postmortems.render import template_environment
from mkdocs_postmortems.site_pages import ASSETS, CSS, JS, SEARCH_JS, TocEntry
from site_support import run_cli
from test_publishing import PM, small_site

ROOT_CAUSES = "root-causes/index.md"


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return small_site(tmp_path)


def core_site(tmp_path: Path, user_uris=()):
    folder = tmp_path / "postmortems"
    folder.mkdir()
    (folder / "2024-03-14-checkout-latency.md").write_text(VALID, encoding="utf-8")
    kb = load_knowledge_base(folder, make_policy(), today=TODAY, base=tmp_path)
    return build_site(kb, template_environment([]), user_uris, now=None)


def front(text: str) -> dict:
    return yaml.safe_load(text.removeprefix("---\n").split("\n---\n", 1)[0])


def test_a_page_gets_the_front_matter_the_core_gives_it(tmp_path):
    site = core_site(tmp_path)
    assert front(page_markdown(site, "postmortems/2024-03-14-checkout-latency.md")) == {
        "title": "Checkout latency during the spring sale"
    }
    assert front(page_markdown(site, ROOT_CAUSES)) == {"title": "Root causes", "search": {"exclude": True}}


@pytest.mark.parametrize(
    "own, expected",
    [
        ("Our taxonomy.\n", {"title": "Root causes", "search": {"exclude": True}}),
        (
            "---\ntitle: Why things break\n---\n\nOur taxonomy.\n",
            {"title": "Why things break", "search": {"exclude": True}},
        ),
        (
            "---\ntitle: Why\nsearch:\n  exclude: true\n---\n\nOur taxonomy.\n",
            {"title": "Why", "search": {"exclude": True}},
        ),
    ],
)
def test_a_users_page_at_a_generated_path_gets_what_the_plugin_gives_it(tmp_path, own, expected):
    site = core_site(tmp_path, [ROOT_CAUSES])
    text = page_markdown(site, ROOT_CAUSES, own)
    assert front(text) == expected
    assert text.split("---\n", 2)[2].lstrip("\n").startswith("Our taxonomy.\n")
    if own.startswith("---") and "search" in own:
        assert text.startswith(own)  # nothing to add: kept as written


def test_a_users_front_matter_that_is_no_mapping_is_text_as_under_mkdocs(tmp_path):
    site = core_site(tmp_path, [ROOT_CAUSES])
    own = "---\n- a list\n---\n\nOur taxonomy.\n"
    text = page_markdown(site, ROOT_CAUSES, own)
    assert front(text) == {"title": "Root causes", "search": {"exclude": True}}
    assert own in text


def test_a_section_heading_keeps_its_entities_and_escapes_what_markdown_reads():
    assert markdown_heading(TocEntry("wont-do", "Won&#39;t do")) == "\n## Won&#39;t do {#wont-do}\n"
    assert (
        markdown_heading(TocEntry("a", "A &amp; B *not* [a link] {x} `c` _d_"))
        == "\n## A &amp; B \\*not\\* \\[a link\\] \\{x\\} \\`c\\` \\_d\\_ {#a}\n"
    )


def test_the_config_gets_the_assets_once(tmp_path):
    site = core_site(tmp_path)
    written = {"extra_css": [CSS, "mine.css"], "plugins": ["search", "postmortems"]}
    source = SiteSource(tmp_path / "mkdocs.yml", written, tmp_path / "docs", tmp_path / "postmortems")
    config = generated_config(source, site, {})
    assert config["extra_css"] == [CSS, "mine.css"] and config["extra_javascript"] == list(ASSETS.scripts)
    assert JS in config["extra_javascript"] and SEARCH_JS not in config["extra_javascript"]  # the engine's own search
    assert config["plugins"] == ["search"]


def test_a_users_page_at_a_generated_path_keeps_its_text_above_ours(site):
    (site / "docs" / "root-causes").mkdir()
    (site / "docs" / "root-causes" / "index.md").write_text("---\ntitle: Why things break\n---\n\nOur taxonomy.\n")
    assert run_cli("generate", "out").exit_code == 0
    text = (site / "out" / "docs" / "root-causes" / "index.md").read_text(encoding="utf-8")
    # its own title kept, and out of search as under the plugin: the page repeats what the postmortems say
    assert text.startswith("---\ntitle: Why things break\nsearch:\n  exclude: true\n---\n\nOur taxonomy.\n")
    assert "root causes in 1 postmortem" in text.split("Our taxonomy.", 1)[1] and "<h1" not in text


def test_sections_become_markdown_headings_only_with_attr_list(site):
    config = yaml.safe_load((site / "mkdocs.yml").read_text())
    (site / "mkdocs.yml").write_text(yaml.safe_dump({**config, "markdown_extensions": ["attr_list", "toc"]}))
    assert run_cli("generate", "out").exit_code == 0
    assert "\n## Root causes {#root-causes}\n" in (site / "out" / "docs" / "postmortems" / f"{PM}.md").read_text()
    (site / "mkdocs.yml").write_text(yaml.safe_dump(config))
    assert run_cli("generate", "out").exit_code == 0
    assert '<h2 id="root-causes">Root causes</h2>' in (site / "out" / "docs" / "postmortems" / f"{PM}.md").read_text()


def test_automatic_nav_puts_each_folders_index_first_then_pages_then_folders():
    assert automatic_nav(["b.md", "index.md", "a/z.md", "a/index.md", "a/b/c.md", "a.md", "my-notes/x.md"]) == [
        "index.md",
        "a.md",
        "b.md",
        {"A": ["a/index.md", "a/z.md", {"B": ["a/b/c.md"]}]},
        {"My notes": ["my-notes/x.md"]},
    ]

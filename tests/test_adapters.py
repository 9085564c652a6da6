"""The two adapters hand their engines the same site: for the same sources and clock (`SOURCE_DATE_EPOCH`), what the
MkDocs plugin hands MkDocs and what `postmortems generate OUT` writes for an engine without plugins are the same
pages (source URIs), with the same titles and search flags, the same table of contents, the same HTML, and the same
data files (exports, Statuspage API, feeds, calendar, badge, sitemaps), for the internal site and the public one.

The plugin's side is read from MkDocs as each page is about to be written (a spy plugin after ours). The generated
Markdown is rendered with Python-Markdown and the site's own `markdown_extensions`, as Zensical renders it; no engine
runs it here (tests/test_engines.py builds it with Zensical). What engines without plugins cannot do (feed links in
`<head>`, the compact search text, `not_in_nav`) is in docs/engines.md and out of this comparison."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import markdown
import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority

from mkdocs_postmortems.status_site.pages import PublicSite, every_subscription, subscriptions
from site_support import IMG, SCRIPT, make_site, postmortem, run_cli

EPOCH = "1748764800"  # 2025-06-01 08:00:00 UTC
SERVICES = [
    {"name": "checkout", "component": "Checkout & payments"},
    {"name": "payments", "component": "Payments", "regulated": ["dora"]},
    {"name": "search"},
]
# Every DORA stage reported on time (a regulatory page's past rows, references the public site must not show) ...
REPORTED = {
    "classified_major": "2025-03-14T11:00:00Z",
    "reports": [
        {"regime": "dora", "stage": stage, "submitted": at, "reference": f"DORA-447{n}"}
        for n, (stage, at) in enumerate(
            (
                ("initial", "2025-03-14T14:00:00Z"),
                ("intermediate", "2025-03-15T10:00:00Z"),
                ("final", "2025-03-20T10:00:00Z"),
            )
        )
    ],
}
# ... and a draft whose stages are open at `EPOCH`: events of deadlines.ics
OPEN = {"aware": "2025-06-01T06:00:00Z", "classified_major": "2025-06-01T07:00:00Z"}
PUBLIC = {
    "title": "Slow checkout",
    "summary": "Checkout was slow for some customers.",
    "components": ["Checkout & payments"],
}
DASHBOARD = "# Home\n\nWelcome.\n\n<!-- postmortems:dashboard -->\n\nThe rest of the page.\n"


@dataclass(frozen=True)
class Handed:
    """What an engine renders of one page: its title and search flag, its table of contents, its HTML."""

    title: str | None
    search: dict | None
    toc: tuple[tuple[str, str, int], ...]
    html: str


class _Spy(BasePlugin):
    """Records each page as MkDocs is about to write it, after the postmortems plugin put its HTML in place."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: dict[str, Handed] = {}

    @event_priority(-200)  # after the postmortems plugin's on_page_context (-100)
    def on_page_context(self, context, page, config, nav):
        toc = tuple((item.id, item.title, item.level) for item in _walk(page.toc.items))
        self.pages[page.file.src_uri] = Handed(page.meta.get("title"), page.meta.get("search"), toc, page.content)
        return context


def _walk(items):
    for item in items:
        yield item
        yield from _walk(item.children)


def sources(root: Path) -> tuple[Path, Path]:
    """A small knowledge base: a public incident with hostile values, a postmortem without a public block, a draft,
    the site's home page with the dashboard, its own page at a generated path, and the status site's About page;
    the internal site's config and the public one's."""
    hostile = f"Checkout & {SCRIPT} {IMG}"
    config = make_site(
        root,
        {
            "2025-03-14-checkout-latency.md": postmortem(
                "2025-03-14-checkout-latency",
                title=hostile,
                services=["checkout", "payments"],
                public=PUBLIC,
                related=["2025-04-01-search-down"],
                regulatory=REPORTED,
            ),
            "2025-04-01-search-down.md": postmortem(
                "2025-04-01-search-down",
                severity="SEV1",
                services=["search"],
                public={**PUBLIC, "title": "Some orders could not be placed", "components": ["Payments"]},
            ),
            "2025-05-01-draft.md": postmortem(
                "2025-05-01-draft", status="draft", reviewers=[], services=["payments"], regulatory=OPEN
            ),
        },
        {"services": SERVICES, "regulatory": {"regimes": ["dora"]}},
        {"markdown_extensions": ["attr_list", "toc", "tables", "admonition"]},
        docs={
            "index.md": DASHBOARD,
            "guide.md": "# Guide\n\n## How we write\n\nWith care.\n",
            "root-causes/index.md": "---\ntitle: Why things break\n---\n\nOur taxonomy.\n",
            "img/logo.svg": "<svg/>",
        },
    )
    public = yaml.safe_load(config.read_text(encoding="utf-8"))
    public.update(docs_dir="status-docs", site_dir="site-public", site_url="https://status.example.com/")
    public["plugins"][1]["postmortems"]["status_page"] = {"public_site": True}
    (root / "status-docs").mkdir()
    (root / "status-docs" / "about.md").write_text("# About this page\n\nOur status, as we know it.\n", "utf-8")
    (root / "public.yml").write_text(yaml.safe_dump(public, sort_keys=False), encoding="utf-8")
    return config, root / "public.yml"


def with_mkdocs(config_file: Path) -> tuple[dict[str, Handed], Path, list]:
    """Build with MkDocs: what it was handed of each page, its site folder and its Markdown extensions."""
    config = load_config(str(config_file))
    spy = config.plugins["adapter-spy"] = _Spy()
    build(config)
    return spy.pages, Path(config.site_dir), (config.markdown_extensions, config.mdx_configs)


def with_generate(config_file: Path, out: Path, extensions) -> tuple[dict[str, Handed], Path]:
    """`postmortems generate OUT`: each page's Markdown rendered as an engine without plugins renders it."""
    result = run_cli("generate", "-f", str(config_file), str(out))
    assert result.exit_code == 0, result.output
    pages = {}
    for path in sorted((out / "docs").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        meta, body = {}, text
        found = re.match(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", text, re.S)
        if found:
            meta, body = yaml.safe_load(found.group(1)), text[found.end() :]
        renderer = markdown.Markdown(extensions=extensions[0], extension_configs=extensions[1])
        html = renderer.convert(body)
        toc = tuple((token["id"], token["name"], token["level"]) for token in _tokens(renderer.toc_tokens))
        pages[path.relative_to(out / "docs").as_posix()] = Handed(meta.get("title"), meta.get("search"), toc, html)
    return pages, out / "docs"


def _tokens(tokens):
    for token in tokens:
        yield token
        yield from _tokens(token["children"])


def _same_html(html: str) -> str:
    """HTML as a reader gets it: whitespace between tags and at the ends of lines does not show. A chart's `<svg>`
    outside a block element is wrapped in a paragraph by Python-Markdown, which knows no `svg` block (a difference
    of the generated site, with no effect on the chart, until the charts' templates wrap it in a `<figure>`)."""
    html = re.sub(r"<p>(<svg\b.*?</svg>)</p>", r"\1", html, flags=re.S)
    return re.sub(r">\s+<", "><", re.sub(r"\s+\n", "\n", html)).strip()


@pytest.fixture(scope="module", params=["internal", "public"])
def both(request, tmp_path_factory):
    """Each site built once by both adapters for this module's tests, which only read what they made."""
    root = tmp_path_factory.mktemp(request.param)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        MkDocsConfig.plugins.plugin_cache.clear()  # new plugin objects, as `mkdocs build` in a new process
        internal, public = sources(root)
        config = internal if request.param == "internal" else public
        handed, site, extensions = with_mkdocs(config)
        written, docs = with_generate(config, root / "out", extensions)
    return handed, site, written, docs


def test_the_same_pages_with_the_same_titles_and_search_flags(both):
    handed, _, written, _ = both
    assert sorted(handed) == sorted(written)
    assert {uri: (page.title, page.search) for uri, page in handed.items()} == {
        uri: (page.title, page.search) for uri, page in written.items()
    }
    titles = [page.title for page in handed.values() if page.title]
    assert titles and not any("<script" in title or "<img" in title for title in titles)  # escaped once, on both


def test_the_same_table_of_contents(both):
    """A section the templates nest in an element (the public history's months, in a `<div>`) stays HTML in the
    generated Markdown, where a heading would show as text: it keeps its anchor, but only MkDocs lists it."""
    handed, _, written, _ = both
    for uri, page in handed.items():
        nested = [entry for entry in page.toc if entry not in written[uri].toc]
        assert [entry for entry in page.toc if entry not in nested] == list(written[uri].toc), uri
        assert all(f'<h2 id="{anchor}">{title}</h2>' in written[uri].html for anchor, title, _ in nested), uri
        assert "\n## " not in written[uri].html, uri  # no heading left unread
    assert any(("root-causes", "Root causes", 2) in page.toc for page in written.values()) or any(
        ("components", "Components", 2) in page.toc for page in written.values()
    )


def test_the_same_html_on_every_page(both):
    handed, _, written, _ = both
    assert [uri for uri in handed if _same_html(handed[uri].html) != _same_html(written[uri].html)] == []
    assert any('class="pm-card"' in page.html or "pm-status" in page.html for page in handed.values())


def test_the_same_data_files(both):
    _, site, _, docs = both
    data = sorted(
        path.relative_to(docs).as_posix() for path in docs.rglob("*") if path.is_file() and path.suffix != ".md"
    )
    assert data, "no data file"
    assert [uri for uri in data if (site / uri).read_bytes() != (docs / uri).read_bytes()] == []


def test_the_regulatory_page_and_exports_are_compared_on_the_internal_site_and_absent_from_the_public_one(
    both, request
):
    """The comparisons above cover `/regulatory/`, `deadlines.json` and `deadlines.ics` of the internal site, each with
    content; the public site has none of them, nor a reference."""
    handed, site, written, docs = both
    exports = {uri for uri in ("regulatory/deadlines.json", "regulatory/deadlines.ics") if (docs / uri).is_file()}
    if request.node.callspec.params["both"] == "public":
        assert "regulatory/index.md" not in written and not exports and not (site / "regulatory").exists()
        assert not any("DORA-447" in path.read_text("utf-8", "replace") for path in site.rglob("*") if path.is_file())
        return
    assert "DORA-4471" in handed["regulatory/index.md"].html and "regulatory/index.md" in written
    assert len(json.loads((docs / "regulatory/deadlines.json").read_text("utf-8"))["deadlines"]) == 6
    assert (docs / "regulatory/deadlines.ics").read_text("utf-8").count("BEGIN:VEVENT") == 3


# --------------------------------------------------------------------------------------------------
# The decisions both adapters hand over, each made once in the core (those of `site_pages.py` are tested in
# tests/test_site_pages.py)


def test_each_followed_file_of_the_status_site_is_offered_and_named_in_head_from_one_list():
    offered = subscriptions(["Checkout"])
    followed = every_subscription(["Checkout"])
    assert set(offered) <= set(followed) and [way.label for way in offered] == [
        "Atom feed",
        "RSS feed",
        "Maintenance calendar",
        "JSON API",
        "Checkout (Atom)",
    ]
    public = PublicSite([], {}, tuple(followed), "Status")
    home, other = public.head_links("index.md", ""), public.head_links("incidents/x.md", "../")
    assert all(f'href="{way.uri}"' in home for way in followed)
    assert 'href="../feeds/checkout.atom.xml"' not in other and 'href="../history.atom.xml"' in other

"""Every page and file of a site, engine-neutral: what the MkDocs plugin hands to MkDocs, and what
`postmortems generate` writes as Markdown for an engine without plugins.

`build_site` takes the parsed knowledge base and returns a `Site`: each page's path, title, Markdown, whether it
is in the nav and in search, and every file (exports, Statuspage API, feeds, stylesheet). A page's HTML (the
header card, the tables, the cross-incident listings) is rendered on demand by `Site.render`, page by page, so a
build holds one page's HTML at a time. URLs follow MkDocs' rules (`page_url`), which every MkDocs-compatible
engine shares. The public build refuses to publish a leak: `PublishRefused`.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Iterable
from urllib.parse import quote

import jinja2

from .checks import Context
from .kb_site.exports import action_items_csv, action_items_json, knowledge_base_json
from .kb_site.indexes import build_indexes
from .kb_site.pages import details_context, knowledge_base_pages, problem_counts, review_state
from .kb_site.dashboard import dashboard_context, fill_dashboard
from .kb_site.urls import (ACTION_ITEMS, ACTION_ITEMS_CSV, ACTION_ITEMS_JSON, DASHBOARD_MARKER, METRICS, STATUS_PREVIEW,
                           SiteMap, slugify)
from .knowledge import KnowledgeBase
from .model import Postmortem
from .render import Links, PageSpec, Rows, render, render_header
from .status_site.leak_gate import check_leaks
from .status_site.pages import FEEDS, public_site, status_context
from .status_site.public import public_incidents
from .status_site.statuspage import Page as PublicPage

CSS = "assets/postmortems/postmortems.css"
CSS_SOURCE = Path(__file__).parent / "assets" / "postmortems.css"
JS = "assets/postmortems/postmortems.js"  # filters and sorting over the JSON exports; every page works without it
JS_SOURCE = Path(__file__).parent / "assets" / "postmortems.js"


class PublishRefused(Exception):
    """The public build found a leak: nothing may be published."""


def page_url(uri: str, directory_urls: bool = True) -> str:
    """The URL of source file `uri` from the site root, as MkDocs (and every engine that follows it) makes it:
    `a/b.md` -> `a/b/` (or `a/b.html`), `a/index.md` -> `a/`, other files as they are; quoted."""
    if not uri.endswith(".md"):
        return quote(uri)
    parent, _, name = uri[:-3].rpartition("/")
    prefix = f"{parent}/" if parent else ""
    if name in ("index", "README"):
        return quote(prefix or "./") if directory_urls else quote(f"{prefix}index.html")
    return quote(f"{prefix}{name}/" if directory_urls else f"{prefix}{name}.html")


@dataclass(frozen=True)
class SitePage:
    """A page the knowledge base adds. `markdown` is what the engine renders (a postmortem's own body); the
    HTML around it comes from `Site.render`. A page of the user's at the same path keeps its text (`user_page`),
    and ours follows it."""

    uri: str
    title: str
    markdown: str = ""
    in_nav: bool = False
    searchable: bool = True
    user_page: bool = False


@dataclass(frozen=True)
class Rendered:
    """The HTML above and below a page's rendered Markdown; `search_before`/`search_after` are the compact text
    of the same facts for a search index (equal to the full HTML where there is nothing to save)."""

    before: str
    after: str
    search_before: str
    search_after: str


class Site:
    """The pages and files of one build, and the renderer of each page's HTML."""

    def __init__(self, kb: KnowledgeBase, env: jinja2.Environment, directory_urls: bool):
        self.kb = kb
        self.env = env
        self.directory_urls = directory_urls
        self.site_map = SiteMap(kb.policy.folder)
        self.pages: dict[str, SitePage] = {}
        self.files: dict[str, str | Path] = {CSS: CSS_SOURCE, JS: JS_SOURCE}  # uri -> text, or the path of a file to copy
        self.warnings: list[str] = []
        self.postmortems: dict[str, Postmortem] = {}
        self.specs: dict[str, PageSpec] = {}
        self.feeds: dict[str, str] = {}  # the public site's feeds, kind -> uri, linked from every page's <head>
        self.site_name = ""
        self.site_url = ""
        self.indexes = None
        self.rows: Rows | None = None
        self.user_uris: set[str] = set()  # the site's own files (docs/)
        self._urls: dict[str, str | None] = {}

    def url(self, uri: str) -> str:
        return page_url(uri, self.directory_urls)

    def exists(self, uri: str) -> bool:
        return uri in self.pages or uri in self.files or uri in self.user_uris

    def _escaped_url(self, uri: str) -> str | None:
        """A page's URL from the site root, escaped for an attribute; cached (pages link to the same few thousand
        pages over and over)."""
        if uri not in self._urls:
            self._urls[uri] = escape(self.url(uri)) if self.exists(uri) else None
        return self._urls[uri]

    def up(self, uri: str) -> str:
        """The way from page `uri` up to the site root, as a relative URL prefix (`../../`)."""
        url = self.url(uri)
        return "" if url == "./" else "../" * url.count("/")

    def render(self, uri: str) -> Rendered | None:
        """The HTML around page `uri`'s Markdown; None for a page that is not the knowledge base's."""
        links = Links(self.site_map, self.up(uri), self._escaped_url, self.rows)
        pm = self.postmortems.get(uri)
        if pm is not None:
            context = details_context(pm, self.kb, self.indexes)
            header = render_header(self.env, pm, self.kb.diagnostics_by_path().get(pm.path, []), links,
                                   review_state(pm, self.kb))
            details = render(self.env, "details", links=links, **context) + self._printed(uri)
            compact_header, _, compact_details = render(self.env, "search", **context).partition("<h2")
            return Rendered(header, details, compact_header, "<h2" + compact_details if compact_details else "")
        spec = self.specs.get(uri)
        if spec is None:
            return None
        after = render(self.env, spec.template, links=links, **spec.context) + self._printed(uri)
        page = self.pages[uri]
        before = "" if page.user_page else f'<h1 id="{slugify(spec.title, max_words=64)}">{escape(spec.title)}</h1>'
        return Rendered(before, after, before, after)

    def _printed(self, uri: str) -> str:
        """Shown in print only (the stylesheet hides it on screen): where the page lives and when it was built. The
        script puts the address the reader has in; without it, `site_url` and the page's path."""
        if self.kb.policy.public_site:
            return ""
        where = escape(self.site_url.rstrip("/") + "/" + self.url(uri).lstrip("./")) if self.site_url else escape(
            "/" + self.url(uri).lstrip("./"))
        return (f'\n<p class="pm-print-only pm-printed">Printed from <span class="pm-printed__url" data-pm-url>{where}'
                f'</span>; built {self.kb.today.isoformat()}.</p>')

    def fill_markers(self, uri: str, markdown: str) -> str:
        """Page `uri`'s Markdown with the dashboard marker (`urls.DASHBOARD_MARKER`) replaced by the dashboard, as
        seen from that page; unchanged without a marker, and on the public site (which has no dashboard)."""
        if DASHBOARD_MARKER not in markdown or self.indexes is None:
            return markdown
        links = Links(self.site_map, self.up(uri), self._escaped_url, self.rows)
        html = render(self.env, "dashboard", links=links, site=self.site_map, action_items=ACTION_ITEMS, metrics=METRICS,
                      **dashboard_context(self.kb, self.indexes))
        return fill_dashboard(markdown, html)

    def head_links(self, uri: str) -> str:
        """What the <head> of page `uri` (any page of the site) must also hold: the public site's feeds."""
        up, title = self.up(uri), escape(self.site_name)
        return "".join(f'<link rel="alternate" type="application/{kind}+xml" title="{title}" href="{up}{feed}">'
                       for kind, feed in self.feeds.items())

    def _add_spec(self, spec: PageSpec) -> None:
        """A cross-incident or status page; kept out of search, as it repeats what the postmortems say."""
        self.specs[spec.uri] = spec
        self.pages[spec.uri] = SitePage(spec.uri, spec.title, in_nav=spec.in_nav, searchable=False,
                                        user_page=spec.uri in self.user_uris)


def build_site(kb: KnowledgeBase, env: jinja2.Environment, user_uris: Iterable[str], directory_urls: bool = True,
               site_name: str = "", site_url: str = "") -> Site:
    """Every page and file of the knowledge base's site, or of its public status site when the policy says so.
    `user_uris` are the source paths of the site's own files (`docs/`): a postmortem there is hidden (with a
    warning), and a cross-incident page there keeps the user's text above ours."""
    site = Site(kb, env, directory_urls)
    site.user_uris = set(user_uris)
    site.site_url = site_url
    incidents = public_incidents(kb.postmortems, kb.policy)
    if kb.policy.public_site:
        _public_site(site, incidents, site_name, site_url)
    else:
        _knowledge_base_site(site, incidents)
    return site


def _knowledge_base_site(site: Site, incidents: list) -> None:
    kb, site_map = site.kb, site.site_map
    shown = []
    for pm in kb.published():
        uri = site_map.postmortem(pm.id)
        if uri in site.user_uris:
            site.warnings.append(f"{uri} exists in docs/ and hides the postmortem {pm.path}; remove one of them")
            continue
        site.pages[uri] = SitePage(uri, pm.title, pm.body)
        site.postmortems[uri] = pm
        shown.append(pm)
    site.indexes = build_indexes(shown, kb.policy, kb.today)
    homes: dict[str, str] = {}
    specs = knowledge_base_pages(kb, site.indexes, site_map, homes)
    site.rows = Rows(site.env, problem_counts(kb), homes)
    # the preview links each incident to its postmortem, and its "full history" to the knowledge base's listing
    preview = PageSpec(STATUS_PREVIEW, "Status page (preview)", "status", status_context(
        incidents, kb.policy, kb.today, lambda view: site_map.postmortem(view.id), site_map.index))
    for spec in [*specs, preview]:
        site._add_spec(spec)

    def url_of(pm_id: str) -> str:
        return site.url(site_map.postmortem(pm_id))

    site.files[site_map.index_json] = knowledge_base_json(site.indexes, url_of, kb.today)
    site.files[ACTION_ITEMS_CSV] = action_items_csv(site.indexes, url_of)
    site.files[ACTION_ITEMS_JSON] = action_items_json(site.indexes, url_of, kb.today)


def _public_site(site: Site, incidents: list, site_name: str, site_url: str) -> None:
    """The public status site: pages and files made from public incidents only; nothing else of the knowledge
    base is added, and the site's own docs_dir holds only public pages."""
    kb = site.kb
    # The knowledge base reported leaks at the level `rule_levels` gives them, or dropped them at `off`;
    # publishing asks the gate again, so no configuration lets a leak out.
    leaks = check_leaks(kb.postmortems, Context(kb.policy, kb.today))
    if leaks:
        raise PublishRefused(f"{len(leaks)} public-leak error(s); nothing was published. First: {leaks[0].location()}: "
                             f"{leaks[0].message}. Run `postmortems public-diff` to see them all.")
    specs, data = public_site(incidents, kb.policy, kb.today, PublicPage(site_name, site_url), site.url)
    for spec in specs:
        site._add_spec(spec)
    site.files.update(data)
    site.feeds, site.site_name = FEEDS, site_name

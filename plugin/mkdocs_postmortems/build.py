"""Every page and file of a site, engine-neutral: what the MkDocs plugin hands to MkDocs, and what
`postmortems generate` writes as Markdown for an engine without plugins.

`build_site` takes the parsed knowledge base and returns a `Site`: each page's path, title, Markdown, whether it
is in the nav and in search, and every file (exports, Statuspage API, feeds, stylesheet). A page's HTML (the
header card, the tables, the cross-incident listings) is rendered on demand by `Site.render`, page by page, so a
build holds one page's HTML at a time. URLs follow MkDocs' rules (`page_url`), which every MkDocs-compatible
engine shares. The public build refuses to publish a leak: `PublishRefused`.
"""

from __future__ import annotations

import dataclasses
import functools
import tempfile
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Iterable
from urllib.parse import quote

import jinja2

from .checks import Context
from .kb_site.exports import write_action_items_csv, write_action_items_json, write_knowledge_base_json
from .kb_site.indexes import build_indexes
from .kb_site.pages import details_context, knowledge_base_pages, problem_counts, review_state
from .kb_site.dashboard import dashboard_context, fill_dashboard, has_dashboard
from .kb_site.urls import (ACTION_ITEMS, ACTION_ITEMS_CSV, ACTION_ITEMS_JSON, METRICS, STATUS_PREVIEW,
                           SiteMap, slugify)
from .knowledge import KnowledgeBase
from .model import Postmortem, people_of
from .render import Links, PageSpec, Rows, problems_of, search_text
from .status_site.leak_gate import LeakGate, check_leaks
from .status_site.pages import (CALENDAR, FEED_CSS, FEEDS, HOME, component_feeds, component_history_uri,
                                 component_uri, public_site, status_context)
from .status_site.said import communication_leaks
from .status_site.public import public_incidents
from .status_site.statuspage import Page as PublicPage

CSS = "assets/postmortems/postmortems.css"
CSS_SOURCE = Path(__file__).parent / "assets" / "postmortems.css"
FEED_CSS_SOURCE = Path(__file__).parent / "assets" / "feed.css"
MEDIA_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
EMPTY_SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n')
API_ENTRY = "api/v2/summary.json"


_FACTS = tuple(f.name for f in dataclasses.fields(Postmortem) if f.compare and f.name != "body")


def facts(pm: Postmortem) -> tuple:
    """Everything of a postmortem but its body: what the pages about other postmortems may show of it."""
    return tuple(getattr(pm, name) for name in _FACTS)
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
    """The HTML above and below a page's rendered Markdown."""

    before: str
    after: str


_BODY = "\n<!-- pm-body -->\n"  # where `postmortem.html` puts the body; escaped values never contain it


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
        self.component_feeds: dict[str, dict[str, str]] = {}  # component -> its feeds; on its pages and the home page
        self.site_name = ""
        self.site_url = ""
        self.indexes = None
        self.rows: Rows | None = None
        self.scratch: tempfile.TemporaryDirectory | None = None  # where the exports are written
        self.user_uris: set[str] = set()  # the site's own files (docs/)
        self._urls: dict[str, str | None] = {}
        self._shape = self._all = None  # what `inputs` compares, computed once per build
        self.epoch = object()  # equal to the previous build's when no postmortem's facts changed
        self._facts: dict[int, tuple] = {}  # id(postmortem) -> its facts; the postmortems live as long as the site
        self._templates: dict[str, jinja2.Template] = {}
        self.gate: LeakGate | None = None  # the public site's, over its own pages too (`refuse_leaks_in`)

    def refuse_leaks_in(self, uri: str, markdown: str) -> None:
        """On the public site, refuse a page of the site's own (`docs/public/about.md`) whose text names what the
        leak gate keeps in, as it refuses a postmortem's public text: those pages are published as written."""
        if self.gate is None or uri not in self.user_uris:
            return
        found = self.gate.find(markdown)
        if found:
            offset, term, what = found[0]
            line, col = markdown.count("\n", 0, offset) + 1, offset - markdown.rfind("\n", 0, offset)
            raise PublishRefused(f"{len(found)} public-leak error(s) in the status site's own page {uri}; nothing was "
                                 f"published. First: {uri}:{line}:{col}: it names `{term}`, {what}. Reword the page, "
                                 "or allow the term in `leak_gate.allow` if it is truly public.")

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
        """The HTML around page `uri`'s Markdown; None for a page that is not the knowledge base's. A postmortem's
        page comes from one template, `postmortem.html`."""
        links = Links(self.site_map, self.up(uri), self._escaped_url, self.rows)
        pm = self.postmortems.get(uri)
        if pm is not None:
            html = self._render("postmortem", links=links, problems=problems_of(self._diagnostics(pm)),
                                review=review_state(pm, self.kb), **details_context(pm, self.kb, self.indexes))
            header, _, details = html.partition(_BODY)
            return Rendered(header, details + self._printed(uri))
        spec = self.specs.get(uri)
        if spec is None:
            return None
        after = self._render(spec.template, links=links, **spec.context) + self._printed(uri)
        page = self.pages[uri]
        before = "" if page.user_page else f'<h1 id="{slugify(spec.title, max_words=64)}">{escape(spec.title)}</h1>'
        return Rendered(before, after)

    def search_text(self, uri: str) -> tuple[str, str] | None:
        """For a postmortem's page, the compact text of its card and tables that a search index may read in their
        place (`render.search_text`); None for any other page."""
        pm = self.postmortems.get(uri)
        return None if pm is None else search_text(pm, self.indexes.items_by_postmortem.get(pm.id, []))

    def _render(self, template: str, **context) -> str:
        """`postmortems/<template>.html` (a user's override first), looked up once per build: each lookup asks the
        file system whether the template changed."""
        found = self._templates.get(template)
        if found is None:
            found = self._templates[template] = self.env.get_template(f"postmortems/{template}.html")
        return found.render(**context)

    def _diagnostics(self, pm: Postmortem) -> list:
        return self.kb.diagnostics_by_path().get(pm.path, [])

    def inputs(self, uri: str):
        """What page `uri`'s HTML is made from, as a value to compare with the previous build's: equal means the
        same HTML, under the same configuration, templates and `today` (the caller compares those). A postmortem
        page depends on its file, its diagnostics, its action items' state and the postmortems it links to; a
        facet page on the postmortems it lists and the filter counts; every other page on the whole knowledge base.
        Files are known by `KnowledgeBase.stamps`; without them no two builds' inputs are equal."""
        pm = self.postmortems.get(uri)
        if pm is not None:
            # A page links and lists much of the rest (related, similar, owners, categories, filter pages): it is
            # the same only when no fact of any postmortem changed (`epoch`) and its own file did not.
            return ("postmortem", self._stamp(pm), tuple(self._diagnostics(pm)), self.epoch)
        spec = self.specs.get(uri)
        if spec is None:
            return None
        if spec.template == "facet" and self.indexes is not None:
            problems = self.rows.problems if self.rows else {}
            return ("facet", spec.title, self._facet_shape(),
                    tuple((self.facts(pm), problems.get(pm.id, 0)) for pm in spec.context["postmortems"]))
        return ("everything", spec.title, self._everything())

    def facts(self, pm: Postmortem) -> tuple:
        found = self._facts.get(id(pm))
        if found is None:
            found = self._facts[id(pm)] = facts(pm)
        return found

    def _stamp(self, pm: Postmortem | None):
        """A postmortem's file as of this build (size, mtime, display path) and its errors; a fresh object, equal
        to nothing, where the file's stamp is unknown."""
        if pm is None:
            return None
        stamp = self.kb.stamps.get(pm.path)
        return object() if stamp is None else (pm.path, stamp, pm.errors)

    def _facet_shape(self):
        if self._shape is None:
            self._shape = tuple((dimension, tuple((value, len(pms)) for value, pms in values.items()))
                                for dimension, values in self.indexes.facets.items())
        return self._shape

    def _everything(self):
        """What every cross-incident page may show: each postmortem's facts (not its body), every diagnostic."""
        if self._all is None:
            self._all = (tuple(map(self.facts, self.kb.postmortems)), tuple(self.kb.diagnostics), tuple(self.kb.rejected),
                         self.site_name, self.kb.today, self.kb.policy, self.directory_urls, frozenset(self.user_uris))
        return self._all
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
        if self.indexes is None or not has_dashboard(markdown):
            return markdown
        links = Links(self.site_map, self.up(uri), self._escaped_url, self.rows)
        html = self._render("dashboard", links=links, site=self.site_map, action_items=ACTION_ITEMS, metrics=METRICS,
                      **dashboard_context(self.kb, self.indexes))
        return fill_dashboard(markdown, html)

    def head_links(self, uri: str) -> str:
        """What the <head> of page `uri` (any page of the site) must also hold, so readers and tools find them:
        the public site's feeds, its maintenance calendar and its JSON API on every page; a component's own
        feeds on its pages and on the status page."""
        if not self.feeds:
            return ""
        up, name = self.up(uri), self.site_name
        links = [(MEDIA_TYPES[kind], f"{name} ({kind.upper() if kind == 'rss' else kind.capitalize()})", feed)
                 for kind, feed in self.feeds.items()]
        links += [("text/calendar", f"{name}: maintenance calendar", CALENDAR),
                  ("application/json", f"{name}: status API", API_ENTRY)]
        for component, feeds in self.component_feeds.items():
            if uri in (HOME, component_uri(component), component_history_uri(component)):
                links += [(MEDIA_TYPES[kind], f"{name}: {component} ({kind.upper() if kind == 'rss' else 'Atom'})",
                           feed) for kind, feed in feeds.items()]
        return "".join(f'<link rel="alternate" type="{media}" title="{escape(title)}" href="{up}{escape(href)}">'
                       for media, title, href in links)

    def _add_spec(self, spec: PageSpec) -> None:
        """A cross-incident or status page; kept out of search, as it repeats what the postmortems say."""
        self.specs[spec.uri] = spec
        self.pages[spec.uri] = SitePage(spec.uri, spec.title, in_nav=spec.in_nav, searchable=False,
                                        user_page=spec.uri in self.user_uris)


def _alternates(site: Site) -> list[str]:
    """Every file a page names in a <link rel="alternate">."""
    return [*site.feeds.values(), CALENDAR, API_ENTRY, *(uri for feeds in site.component_feeds.values()
                                                        for uri in feeds.values())]


def build_site(kb: KnowledgeBase, env: jinja2.Environment, user_uris: Iterable[str], directory_urls: bool = True,
               site_name: str = "", site_url: str = "", now: datetime | None = None,
               previous: Site | None = None) -> Site:
    """Every page and file of the knowledge base's site, or of its public status site when the policy says so.
    `user_uris` are the source paths of the site's own files (`docs/`): a postmortem there is hidden (with a
    warning), and a cross-incident page there keeps the user's text above ours. `now` is the build's time, which
    the public status page shows as "last updated" (default: midnight UTC of `kb.today`; the core reads no
    clock). The internal preview says midnight of `kb.today`, so two builds of the knowledge base on one day are
    identical.

    `previous` is the last build's site with the same templates (`mkdocs serve`): when no postmortem's facts and
    no diagnostic changed (an edit of a body alone), its indexes, cross-incident pages, rendered rows and exports
    are reused, since they never show a body."""
    site = Site(kb, env, directory_urls)
    site.user_uris = set(user_uris)
    site.site_url = site_url
    if kb.policy.public_site:
        _public_site(site, public_incidents(kb.postmortems, kb.policy), site_name, site_url, now)
    else:
        _knowledge_base_site(site, previous)
    return site


def _knowledge_base_site(site: Site, previous: Site | None) -> None:
    kb, site_map = site.kb, site.site_map
    shown = []
    for pm in kb.published():
        uri = site_map.postmortem(pm.id)
        if uri in site.pages:  # a second file with the same ID: a `duplicate-id` error; the first one is shown
            continue
        if uri in site.user_uris:
            site.warnings.append(f"{uri} exists in docs/ and hides the postmortem {pm.path}; remove one of them")
            continue
        site.pages[uri] = SitePage(uri, pm.title, pm.body)
        site.postmortems[uri] = pm
        shown.append(pm)
    if previous is not None and previous.indexes is not None and previous._everything() == site._everything():
        site.epoch = previous.epoch
        site.indexes, site.rows, site.files, site.scratch = previous.indexes, previous.rows, previous.files, previous.scratch
        for spec in previous.specs.values():
            site._add_spec(spec)
        return
    incidents = public_incidents(kb.postmortems, kb.policy)
    site.indexes = build_indexes(shown, kb.policy, kb.today)
    homes: dict[str, str] = {}
    specs = knowledge_base_pages(kb, site.indexes, site_map, homes)
    site.rows = Rows(site.env, problem_counts(kb), homes)
    # the preview links each incident to its postmortem, and its "full history" to the knowledge base's listing
    preview = PageSpec(STATUS_PREVIEW, "Status page (preview)", "status", status_context(
        incidents, kb.policy, kb.today, lambda view: site_map.postmortem(view.id), site_map.index))
    for spec in [*specs, preview]:
        site._add_spec(spec)

    @functools.lru_cache(maxsize=None)
    def url_of(pm_id: str) -> str:
        return site.url(site_map.postmortem(pm_id))

    # The exports are files in a folder of the site's own, written record by record and never held in memory;
    # the folder goes when the site does (a rebuild that reuses them keeps it).
    site.scratch = tempfile.TemporaryDirectory(prefix="postmortems-exports-")
    records: dict = {}  # each action item's record, made once for the three exports
    for uri, write, *args in ((site_map.index_json, write_knowledge_base_json, kb.today),
                              (ACTION_ITEMS_CSV, write_action_items_csv), (ACTION_ITEMS_JSON, write_action_items_json, kb.today)):
        path = site.files[uri] = Path(site.scratch.name) / uri.rpartition("/")[2]
        with path.open("w", encoding="utf-8", newline="") as out:
            write(out, site.indexes, url_of, *args, records)


def _public_site(site: Site, incidents: list, site_name: str, site_url: str, now: datetime | None = None) -> None:
    """The public status site: pages and files made from public incidents only; nothing else of the knowledge
    base is added, and the site's own docs_dir holds only public pages."""
    kb = site.kb
    # The knowledge base reported leaks at the level `rule_levels` gives them, or dropped them at `off`;
    # publishing asks the gate again, so no configuration lets a leak out.
    context = Context(kb.policy, kb.today)
    leaks = check_leaks(kb.postmortems, context) + communication_leaks(kb.postmortems, context)
    if leaks:
        raise PublishRefused(f"{len(leaks)} public-leak error(s); nothing was published. First: {leaks[0].location()}: "
                             f"{leaks[0].message}. Run `postmortems public-diff` to see them all.")
    site.gate = LeakGate(kb.policy, people_of(kb.postmortems))
    specs, data = public_site(incidents, kb.policy, kb.today, PublicPage(site_name, site_url), site.url, now)
    for spec in specs:
        site._add_spec(spec)
    site.files.update(data)
    site.files[FEED_CSS] = FEED_CSS_SOURCE
    site.feeds, site.site_name = FEEDS, site_name
    site.component_feeds = {name: component_feeds(name) for name in kb.policy.components}
    # Material fetches a sitemap.xml beside every <link rel="alternate"> (for its instant navigation and
    # language switch); an empty one beside those not at the root keeps every page free of 404s.
    for folder in sorted({uri.rpartition("/")[0] for uri in _alternates(site) if "/" in uri}):
        site.files.setdefault(f"{folder}/sitemap.xml", EMPTY_SITEMAP)


"""The HTML of a site's pages, rendered on demand, page by page, so a build holds one page's HTML at a time: a
postmortem's header card and details (one template, `postmortem.html`), a cross-incident or status page's template,
the dashboard where a page of the user's asks for it, and the compact text search indexes in a postmortem's card's
place. Links are relative to the page rendered."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from html import escape

import jinja2

from .kb_site.dashboard import dashboard_context, fill_dashboard, has_dashboard
from .kb_site.indexes import Indexes
from .kb_site.pages import details_context, review_state
from .kb_site.urls import ACTION_ITEMS, METRICS, REVIEWS, SiteMap, review_page, slugify
from .knowledge import KnowledgeBase
from .model import Postmortem
from .render import Links, PageSpec, Rows, problems_of, search_text
from .site_pages import Rendered, page_url

_BODY = "\n<!-- pm-body -->\n"  # where `postmortem.html` puts the body; escaped values never contain it


class SiteUrls:
    """The URL of each page and file of one site from its root, as engines make them (`page_url`)."""

    def __init__(self, directory_urls: bool, known: Collection[str]):
        self.directory_urls = directory_urls
        self._known = known  # every source URI the site has: its pages, files and the user's own
        self._escaped: dict[str, str | None] = {}

    def url(self, uri: str) -> str:
        return page_url(uri, self.directory_urls)

    def escaped(self, uri: str) -> str | None:
        """A page's URL from the site root, escaped for an attribute; None for a page the site does not have. Cached:
        pages link to the same few thousand pages over and over."""
        if uri not in self._escaped:
            self._escaped[uri] = escape(self.url(uri)) if uri in self._known else None
        return self._escaped[uri]

    def up(self, uri: str) -> str:
        """The way from page `uri` up to the site root, as a relative URL prefix (`../../`)."""
        url = self.url(uri)
        return "" if url == "./" else "../" * url.count("/")


class Renderer:
    """The HTML of each page of one site: `postmortems` and `specs` say what each page of ours shows (by source URI),
    `indexes` and `rows` are the knowledge base's, shared by its pages (None on the public site)."""

    def __init__(
        self,
        kb: KnowledgeBase,
        env: jinja2.Environment,
        urls: SiteUrls,
        postmortems: Mapping[str, Postmortem],
        specs: Mapping[str, PageSpec],
        indexes: Indexes | None = None,
        rows: Rows | None = None,
        site_url: str = "",
        user_uris: Collection[str] = (),
    ):
        self.kb, self.env, self.urls = kb, env, urls
        self.postmortems, self.specs = postmortems, specs
        self.indexes, self.rows = indexes, rows
        self.site_url = site_url
        self.user_uris = user_uris  # the site's own pages: one at a cross-incident page's path keeps its own heading
        self.site_map = SiteMap(kb.policy.folder)
        self._templates: dict[str, jinja2.Template] = {}

    def render(self, uri: str) -> Rendered | None:
        """The HTML around page `uri`'s Markdown; None for a page that is not the knowledge base's."""
        links = self._links(uri)
        pm = self.postmortems.get(uri)
        if pm is not None:
            html = self._render(
                "postmortem",
                links=links,
                problems=problems_of(self.diagnostics(pm)),
                review=review_state(pm, self.kb),
                **details_context(pm, self.kb, self._indexes()),
            )
            header, _, details = html.partition(_BODY)
            return Rendered(header, details + self._printed(uri))
        spec = self.specs.get(uri)
        if spec is None:
            return None
        after = self._render(spec.template, links=links, **spec.context) + self._printed(uri)
        title = escape(spec.title)
        before = "" if uri in self.user_uris else f'<h1 id="{slugify(spec.title, max_words=64)}">{title}</h1>'
        return Rendered(before, after)

    def search_text(self, uri: str) -> tuple[str, str] | None:
        """For a postmortem's page, the compact text of its card and tables that a search index may read in their
        place (`render.search_text`); None for any other page."""
        pm = self.postmortems.get(uri)
        return None if pm is None else search_text(pm, self._indexes().items_by_postmortem.get(pm.id, []))

    def _indexes(self) -> Indexes:
        """The knowledge base's indexes: a postmortem's page exists only on its site, which has them."""
        if self.indexes is None:
            raise LookupError("a postmortem's page is rendered only on the knowledge base's site, which has indexes")
        return self.indexes

    def fill_markers(self, uri: str, markdown: str) -> str:
        """Page `uri`'s Markdown with the dashboard marker (`urls.DASHBOARD_MARKER`) replaced by the dashboard, as
        seen from that page; unchanged without a marker, and on the public site (which has no dashboard)."""
        if self.indexes is None or not has_dashboard(markdown):
            return markdown
        html = self._render(
            "dashboard",
            links=self._links(uri),
            site=self.site_map,
            action_items=ACTION_ITEMS,
            metrics=METRICS,
            reviews=REVIEWS,
            review_page=review_page,
            **dashboard_context(self.kb, self.indexes),
        )
        return fill_dashboard(markdown, html)

    def diagnostics(self, pm: Postmortem) -> list:
        return self.kb.diagnostics_by_path().get(pm.path, [])

    def _links(self, uri: str) -> Links:
        return Links(self.site_map, self.urls.up(uri), self.urls.escaped, self.rows)

    def _render(self, template: str, **context) -> str:
        """`postmortems/<template>.html` (a user's override first), looked up once per build: each lookup asks the
        file system whether the template changed."""
        found = self._templates.get(template)
        if found is None:
            found = self._templates[template] = self.env.get_template(f"postmortems/{template}.html")
        return found.render(**context)

    def _printed(self, uri: str) -> str:
        """Shown in print only (the stylesheet hides it on screen): where the page lives and when it was built. The
        script puts the address the reader has in; without it, `site_url` and the page's path."""
        if self.kb.policy.public_site:
            return ""
        path = "/" + self.urls.url(uri).lstrip("./")
        where = escape(self.site_url.rstrip("/") + path if self.site_url else path)
        return (
            f'\n<p class="pm-print-only pm-printed">Printed from <span class="pm-printed__url" data-pm-url>{where}'
            f"</span>; built {self.kb.today.isoformat()}.</p>"
        )

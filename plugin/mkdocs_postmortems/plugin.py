"""The MkDocs adapter: typed options in, postmortem pages out. All logic lives in the core modules."""

from __future__ import annotations

import re
from datetime import date
from html import escape
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from .diagnostics import Level
from .kb_site.exports import action_items_csv, action_items_json, knowledge_base_json
from .kb_site.indexes import Indexes, build_indexes
from .knowledge import KnowledgeBase, load_knowledge_base
from .model import Postmortem
from .kb_site.pages import PageSpec, details_context, knowledge_base_pages, problem_counts
from .checks import Context
from .status_site.leak_gate import check_leaks
from .status_site.public import public_incidents
from .status_site.statuspage import Page as PublicPage
from .status_site.pages import FEEDS, public_site, status_context
from .mkdocs_config import PostmortemsConfig
from .policy import Policy, policy_from_options
from .render import Links, Rows, render, render_header, template_environment
from .kb_site.urls import ACTION_ITEMS_CSV, ACTION_ITEMS_JSON, STATUS_PREVIEW, SiteMap, slugify

log = get_plugin_logger(__name__)
CSS = "assets/postmortems/postmortems.css"
_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>')  # sections the templates add, for the table of contents
_LOG_AT = {Level.ERROR: log.error, Level.WARNING: log.warning, Level.INFO: log.info}


class PostmortemsPlugin(BasePlugin[PostmortemsConfig]):
    """Adds the knowledge base to the site: a page per postmortem and the cross-incident pages, all from the core."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Reset per-build state (`mkdocs serve` reuses this object) and build the core policy."""
        self.policy: Policy = policy_from_options(self.config)
        self.root = Path(config.config_file_path or ".").parent  # paths in diagnostics are relative to it
        self.folder = self.root / self.policy.folder
        self.site = SiteMap(self.policy.folder)
        self.kb: KnowledgeBase | None = None
        self.indexes: Indexes | None = None
        self.diagnostics: dict[str, list] = {}
        self.pages: dict[str, Postmortem] = {}
        self.specs: dict[str, PageSpec] = {}
        self.generated: set[str] = set()  # spec pages with no file of the user's: they need a heading
        self.urls: dict[str, str | None] = {}
        self.rows: Rows | None = None
        self.full: dict[str, tuple[str, str, str, str]] = {}  # src_uri -> (compact, full) header and details
        self.env = template_environment(config.theme.dirs)
        if CSS not in config.extra_css:  # `mkdocs serve` may run on_config on the same config again
            config.extra_css.append(CSS)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Parse and check every postmortem once, log each diagnostic, build the indexes in one pass, and add
        the pages and exports. Runs here because the nav is built from these files next."""
        self.kb = load_knowledge_base(self.folder, self.policy, base=self.root)
        self.diagnostics = self.kb.diagnostics_by_path()  # grouped once: a lookup per page, not a scan
        for diagnostic in self.kb.diagnostics:
            hint = f" ({diagnostic.hint})" if diagnostic.hint else ""
            _LOG_AT[diagnostic.level](f"{diagnostic.location()}: [{diagnostic.code}] {diagnostic.message}{hint}")
        files.append(File.generated(config, CSS, abs_src_path=str(Path(__file__).parent / "assets/postmortems.css")))
        incidents = public_incidents(self.kb.postmortems, self.policy)
        if self.policy.public_site:
            return self._public_site(files, config, incidents)
        shown = []
        for pm in self.kb.published():
            uri = self.site.postmortem(pm.id)
            if files.get_file_from_path(uri):
                log.warning(f"{uri} exists in docs/ and hides the postmortem {pm.path}; remove one of them")
                continue
            # A leading newline keeps MkDocs from reading a body that starts with `---` as metadata.
            # NOT_IN_NAV keeps postmortems out of an automatic nav, which is rendered into every page.
            files.append(File.generated(config, uri, content="\n" + pm.body, inclusion=InclusionLevel.NOT_IN_NAV))
            self.pages[uri] = pm
            shown.append(pm)
        self.indexes = build_indexes(shown, self.policy, self.kb.today)
        self.rows = Rows(self.env, problem_counts(self.kb))
        # the preview links each incident to its postmortem, and its "full history" to the knowledge base's listing
        preview = PageSpec(STATUS_PREVIEW, "Status page (preview)", "status", status_context(
            incidents, self.policy, self.kb.today, lambda view: self.site.postmortem(view.id), self.site.index))
        for spec in [*knowledge_base_pages(self.kb, self.indexes, self.site), preview]:
            self._add_page(spec, files, config)

        def url_of(pm_id: str) -> str:
            return files.get_file_from_path(self.site.postmortem(pm_id)).url

        for uri, content in ((self.site.index_json, knowledge_base_json(self.indexes, url_of, self.kb.today)),
                             (ACTION_ITEMS_CSV, action_items_csv(self.indexes, url_of)),
                             (ACTION_ITEMS_JSON, action_items_json(self.indexes, url_of, self.kb.today))):
            files.append(File.generated(config, uri, content=content))
        return files

    def _add_page(self, spec: PageSpec, files: Files, config: MkDocsConfig) -> None:
        """A generated page for `spec`; a page of the user's at its path keeps its text, and ours follows it."""
        self.specs[spec.uri] = spec
        if not files.get_file_from_path(spec.uri):
            inclusion = InclusionLevel.INCLUDED if spec.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, spec.uri, content="", inclusion=inclusion))
            self.generated.add(spec.uri)

    def _public_site(self, files: Files, config: MkDocsConfig, incidents: list) -> Files:
        """The public status site (`status_page.public_site`): pages and files made from public incidents only.
        Nothing else of the knowledge base is added; the site's own docs_dir holds only public pages."""
        def url_of(uri: str) -> str:
            return File.generated(config, uri, content="").url

        # The knowledge base reported leaks at the level `rule_levels` gives them, or dropped them at `off`;
        # publishing asks the gate again, so no configuration lets a leak out.
        leaks = check_leaks(self.kb.postmortems, Context(self.policy, self.kb.today))
        if leaks:  # never publish a leak, strict build or not
            raise PluginError(f"{len(leaks)} public-leak error(s); nothing was published. First: {leaks[0].location()}: "
                              f"{leaks[0].message}. Run `postmortems public-diff` to see them all.")
        page = PublicPage(config.site_name, config.site_url or "")
        specs, data = public_site(incidents, self.policy, self.kb.today, page, url_of)
        for spec in specs:
            self._add_page(spec, files, config)
        for uri, content in data.items():
            files.append(File.generated(config, uri, content=content))
        return files

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Every page of the public site names its feeds in `<head>`, so feed readers find them."""
        if not self.policy.public_site:
            return output
        up = "../" * page.url.count("/")
        feeds = "".join(f'<link rel="alternate" type="application/{kind}+xml" title="{escape(config.site_name)}" '
                        f'href="{up}{uri}">' for kind, uri in FEEDS.items())
        return output.replace("</head>", feeds + "</head>", 1)

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Titles come from front matter and the indexes, which MkDocs never sees; themes print titles unescaped.
        Cross-incident pages repeat what the postmortems say, so they stay out of the search index."""
        pm = self.pages.get(page.file.src_uri)
        spec = self.specs.get(page.file.src_uri)
        if pm is not None:
            page.meta["title"] = escape(pm.title)
        elif spec is not None:
            page.meta.setdefault("title", escape(spec.title))
            page.meta["search"] = {"exclude": True}
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Wrap a postmortem's body with its header card and details, or fill a cross-incident page."""
        links = Links(self.site, "../" * page.url.count("/"), lambda uri: self._url_of(uri, files), self.rows)
        pm = self.pages.get(page.file.src_uri)
        spec = self.specs.get(page.file.src_uri)
        if pm is not None:
            context = details_context(pm, self.kb, self.indexes)
            header = render_header(self.env, pm, self.diagnostics.get(pm.path, []))
            details = render(self.env, "details", links=links, **context)
            search = render(self.env, "search", **context).split("<h2", 1)
            compact_header, compact_details = search[0], "<h2" + search[1] if len(search) > 1 else ""
            self.full[page.file.src_uri] = (compact_header, header, compact_details, details)
            added, html = details, compact_header + html + compact_details
        elif spec is not None:
            added = render(self.env, spec.template, links=links, **spec.context)
            if spec.uri in self.generated:
                html = f'<h1 id="{slugify(spec.title, max_words=64)}">{escape(spec.title)}</h1>' + html
            html += added
        else:
            return html
        page.toc.items.extend(AnchorLink(title, anchor, 2) for anchor, title in _H2.findall(added))
        return html

    def _url_of(self, uri: str, files: Files) -> str | None:
        """A page's URL from the site root, escaped for an attribute; cached for the build (pages link to the same
        few thousand pages over and over)."""
        if uri not in self.urls:
            target = files.get_file_from_path(uri)
            self.urls[uri] = escape(target.url) if target else None
        return self.urls[uri]

    @event_priority(-100)  # after every search plugin has indexed the page
    def on_page_context(self, context, page: Page, config: MkDocsConfig, nav):
        """Swap the compact text that search indexed for the full header card and tables.

        Search plugins parse every tag of a page; the tables would more than double that work per postmortem
        for no word that the compact text (`search.html`) does not already give them."""
        swap = self.full.pop(page.file.src_uri, None)
        if swap is not None:
            compact_header, header, compact_details, details = swap
            content = page.content.replace(compact_header, header, 1)
            page.content = content.replace(compact_details, details, 1) if compact_details else content + details
        return context

    def on_serve(self, server, config: MkDocsConfig, builder):
        """Rebuild when a postmortem changes: the folder lives beside docs/, so MkDocs does not watch it."""
        server.watch(str(self.folder))
        return server

"""The MkDocs adapter: typed options in (`mkdocs_config.py`), the core's site out (`build.py`). No logic of its own."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from .build import CSS, JS, PublishRefused, Site, build_site
from .diagnostics import Level
from .knowledge import load_knowledge_base
from .mkdocs_config import PostmortemsConfig
from .policy import policy_from_options
from .render import template_environment

log = get_plugin_logger(__name__)
_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>')  # sections the templates add, for the table of contents
_LOG_AT = {Level.ERROR: log.error, Level.WARNING: log.warning, Level.INFO: log.info}


class PostmortemsPlugin(BasePlugin[PostmortemsConfig]):
    """Adds the knowledge base to the site: a page per postmortem and the cross-incident pages, all from the core."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Reset per-build state (`mkdocs serve` reuses this object) and build the core policy."""
        self.policy = policy_from_options(self.config)
        self.root = Path(config.config_file_path or ".").parent  # paths in diagnostics are relative to it
        self.env = template_environment(config.theme.dirs)
        self.site: Site | None = None
        self.full: dict[str, tuple[str, str, str, str]] = {}  # src_uri -> compact and full HTML, for search
        if CSS not in config.extra_css:  # `mkdocs serve` may run on_config on the same config again
            config.extra_css.append(CSS)
        if JS not in config.extra_javascript:
            config.extra_javascript.append(JS)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Parse and check every postmortem once, log each diagnostic, and add the core's pages and files. Runs
        here because the nav is built from these files next."""
        kb = load_knowledge_base(self.root / self.policy.folder, self.policy, base=self.root)
        for diagnostic in kb.diagnostics:
            hint = f" ({diagnostic.hint})" if diagnostic.hint else ""
            _LOG_AT[diagnostic.level](f"{diagnostic.location()}: [{diagnostic.code}] {diagnostic.message}{hint}")
        try:
            self.site = build_site(kb, self.env, (f.src_uri for f in files), config.use_directory_urls,
                                   config.site_name, config.site_url or "")
        except PublishRefused as refusal:  # never publish a leak, strict build or not
            raise PluginError(str(refusal)) from None
        for warning in self.site.warnings:
            log.warning(warning)
        for uri, content in self.site.files.items():
            source = {"abs_src_path": str(content)} if isinstance(content, Path) else {"content": content}
            files.append(File.generated(config, uri, **source))
        for page in self.site.pages.values():
            if not page.user_page:
                # A leading newline keeps MkDocs from reading a body that starts with `---` as metadata. Only the
                # index joins an automatic nav, which is rendered into every page.
                inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
                files.append(File.generated(config, page.uri, content="\n" + page.markdown, inclusion=inclusion))
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Titles come from front matter and the indexes, which MkDocs never sees; themes print titles unescaped.
        Cross-incident pages repeat what the postmortems say, so they stay out of the search index."""
        ours = self.site.pages.get(page.file.src_uri)
        if ours is not None:
            if ours.searchable:
                page.meta["title"] = escape(ours.title)
            else:
                page.meta.setdefault("title", escape(ours.title))
                page.meta["search"] = {"exclude": True}
        return self.site.fill_markers(page.file.src_uri, markdown)  # the dashboard, where a page asks for it

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Wrap the page's HTML in the core's: a postmortem's header card and details, or a cross-incident page.
        Search indexes the compact text until `on_page_context` swaps the full HTML in."""
        rendered = self.site.render(page.file.src_uri)
        if rendered is None:
            return html
        if (rendered.search_before, rendered.search_after) != (rendered.before, rendered.after):
            self.full[page.file.src_uri] = (rendered.search_before, rendered.before, rendered.search_after,
                                            rendered.after)
        page.toc.items.extend(AnchorLink(title, anchor, 2) for anchor, title in _H2.findall(rendered.after))
        return rendered.search_before + html + rendered.search_after

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

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Every page of the public site names its feeds in `<head>`, so feed readers find them."""
        links = self.site.head_links(page.file.src_uri)
        return output.replace("</head>", links + "</head>", 1) if links else output

    def on_serve(self, server, config: MkDocsConfig, builder):
        """Rebuild when a postmortem changes: the folder lives beside docs/, so MkDocs does not watch it."""
        server.watch(str(self.root / self.policy.folder))
        return server

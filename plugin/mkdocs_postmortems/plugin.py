"""The MkDocs adapter: typed options in, postmortem pages out. All logic lives in the core modules."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from .diagnostics import Level
from .knowledge import KnowledgeBase, load_knowledge_base
from .model import Postmortem
from .policy import (DEFAULT_CATEGORIES, DEFAULT_PRIORITIES, DEFAULT_REQUIRED_SECTIONS, DEFAULT_SEVERITIES,
                     Policy, policy_from_options)
from .render import render_details, render_header, render_index, template_environment

log = get_plugin_logger(__name__)
CSS = "assets/postmortems/postmortems.css"
_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>')  # sections the templates add, for the table of contents
_LOG_AT = {Level.ERROR: log.error, Level.WARNING: log.warning, Level.INFO: log.info}


class _Level(c.Choice):
    """A rule level; YAML 1.1 reads an unquoted `off` as false, which here means `off`."""

    def run_validation(self, value):
        return super().run_validation("off" if value is False else value)


class _Service(base.Config):
    name = c.Type(str)
    description = c.Type(str, default="")
    component = c.Optional(c.Type(str))


class _Category(base.Config):
    name = c.Type(str)
    description = c.Type(str, default="")


class PostmortemsConfig(base.Config):
    folder = c.Type(str, default="postmortems")
    severities = c.ListOfItems(c.Type(str), default=list(DEFAULT_SEVERITIES))
    services = c.ListOfItems(c.SubConfig(_Service), default=[])
    root_cause_categories = c.ListOfItems(
        c.SubConfig(_Category), default=[{"name": n, "description": d} for n, d in DEFAULT_CATEGORIES])
    priorities = c.ListOfItems(c.Type(str), default=list(DEFAULT_PRIORITIES))
    required_sections = c.ListOfItems(c.Type(str), default=list(DEFAULT_REQUIRED_SECTIONS))
    action_items_required_for = c.Optional(c.ListOfItems(c.Type(str)))  # default: the two worst severities
    include_drafts = c.Type(bool, default=False)
    rule_levels = c.DictOfItems(_Level([level.value for level in Level]), default={})

    def validate(self):
        """Check the options against each other too, so a bad policy fails `load_config` (build and CLI)."""
        failed, warnings = super().validate()
        if not failed:
            try:
                policy_from_options(self)
            except ValueError as error:
                failed.append(("postmortems", c.ValidationError(str(error))))
        return failed, warnings


class PostmortemsPlugin(BasePlugin[PostmortemsConfig]):
    """Adds `postmortems/` to the site: one page per postmortem and an index, all checked by the core."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Reset per-build state (`mkdocs serve` reuses this object) and build the core policy."""
        self.policy: Policy = policy_from_options(self.config)
        self.root = Path(config.config_file_path or ".").parent  # paths in diagnostics are relative to it
        self.folder = self.root / self.policy.folder
        self.kb: KnowledgeBase | None = None
        self.diagnostics: dict[str, list] = {}
        self.pages: dict[str, Postmortem] = {}
        self.index_uri = f"{self.policy.folder}/index.md"
        self.env = template_environment(config.theme.dirs)
        if CSS not in config.extra_css:  # `mkdocs serve` may run on_config on the same config again
            config.extra_css.append(CSS)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Parse and check every postmortem once, log each diagnostic, and add a page for each one shown."""
        self.kb = load_knowledge_base(self.folder, self.policy, base=self.root)
        self.diagnostics = self.kb.diagnostics_by_path()  # grouped once: a lookup per page, not a scan
        for diagnostic in self.kb.diagnostics:
            hint = f" ({diagnostic.hint})" if diagnostic.hint else ""
            _LOG_AT[diagnostic.level](f"{diagnostic.location()}: [{diagnostic.code}] {diagnostic.message}{hint}")
        for pm in self.kb.published():
            uri = f"{self.policy.folder}/{pm.id}.md"
            if files.get_file_from_path(uri):
                log.warning(f"{uri} exists in docs/ and hides the postmortem {pm.path}; remove one of them")
                continue
            # A leading newline keeps MkDocs from reading a body that starts with `---` as metadata.
            # NOT_IN_NAV keeps postmortems out of an automatic nav, which is rendered into every page.
            files.append(File.generated(config, uri, content="\n" + pm.body, inclusion=InclusionLevel.NOT_IN_NAV))
            self.pages[uri] = pm
        if not files.get_file_from_path(self.index_uri):
            files.append(File.generated(config, self.index_uri, content="# Postmortems\n"))
        files.append(File.generated(config, CSS, abs_src_path=str(Path(__file__).parent / "assets/postmortems.css")))
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Titles come from front matter, which MkDocs never sees; themes print titles unescaped."""
        pm = self.pages.get(page.file.src_uri)
        if pm is not None:
            page.meta["title"] = escape(pm.title)
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Wrap the rendered body with the header card and the front-matter details (or the index listing)."""
        def url_for(pm_id: str) -> str | None:
            target = files.get_file_from_path(f"{self.policy.folder}/{pm_id}.md")
            return target.url_relative_to(page.file) if target and target.src_uri in self.pages else None

        pm = self.pages.get(page.file.src_uri)
        if pm is not None:
            header = render_header(self.env, pm, self.diagnostics.get(pm.path, []))
            details = render_details(self.env, pm, self.kb, url_for)
            page.toc.items.extend(AnchorLink(title, anchor, 2) for anchor, title in _H2.findall(details))
            return header + html + details
        if page.file.src_uri == self.index_uri:
            return html + render_index(self.env, self.kb, url_for)
        return html

    def on_serve(self, server, config: MkDocsConfig, builder):
        """Rebuild when a postmortem changes: the folder lives beside docs/, so MkDocs does not watch it."""
        server.watch(str(self.folder))
        return server

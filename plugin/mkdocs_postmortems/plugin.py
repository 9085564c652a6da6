"""The MkDocs adapter: typed options in (`mkdocs_config.py`), the core's site out (`build.py`). No logic of its own."""

from __future__ import annotations

import gc
import logging
import os
import re
from html import escape
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from .build import CSS, JS, PublishRefused, Site, build_site
from .dates import SourceDateEpochError, build_time, last_updated
from .diagnostics import Level, log_line
from .kb_site.dashboard import has_dashboard
from .knowledge import KnowledgeCache, load_knowledge_base
from .mkdocs_config import ConfigFileError, Options, PluginNotEnabled, PostmortemsConfig, resolved_options
from .render import template_environment
from .staging import SiteNotWritten, Staging

log = get_plugin_logger(__name__)
_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>')  # sections the templates add, for the table of contents
_LOG_AT = {Level.ERROR: log.error, Level.WARNING: log.warning, Level.INFO: log.info}


def _now(today):
    """The build's time for "last updated", from the core's one clock (`dates.last_updated`): the site says what
    `postmortems generate` says, and `SOURCE_DATE_EPOCH` makes two builds the same."""
    return last_updated(today)


class _GeneratedPage(File):
    """A page of ours that `mkdocs serve --dirty` may skip: MkDocs counts a file with in-memory content as always
    modified, so without this every page would be rendered again after any edit."""

    unchanged = False  # the page's inputs equal those of the last build that wrote it

    def is_modified(self) -> bool:
        return not self.unchanged or not os.path.isfile(self.abs_dest_path)

    @property
    def content_string(self) -> str:
        """The page's Markdown after a blank line, made as MkDocs reads it (the Markdown itself is the core's, not a
        copy held for the whole build). The newline keeps MkDocs from reading a body that starts with `---` as
        metadata."""
        return "\n" + File.content_string.fget(self)

    @content_string.setter
    def content_string(self, value: str) -> None:
        File.content_string.fset(self, value)


def _template_stamps(dirs) -> tuple:
    """Every template of ours that the environment may load, with its mtime: an edited override renders again."""
    stamps = []
    for folder in dirs:
        try:
            with os.scandir(os.path.join(folder, "postmortems")) as entries:
                stamps += sorted((entry.path, entry.stat().st_mtime_ns) for entry in entries)
        except OSError:
            continue
    return tuple(stamps)


class PostmortemsPlugin(BasePlugin[PostmortemsConfig]):
    """Adds the knowledge base to the site: a page per postmortem and the cross-incident pages, all from the core.

    The object lives as long as `mkdocs serve` does: `cache` keeps each file's parse and checks, and `built` each
    page's inputs as of the last build that wrote it, so a rebuild reads only the files that changed and `--dirty`
    renders only the pages whose inputs changed."""

    def __init__(self) -> None:
        super().__init__()
        self.cache = KnowledgeCache()
        self.built: tuple[tuple, dict] = ((), {})  # (build key, src_uri -> inputs) of the last successful build
        self.building: tuple[tuple, dict] = ((), {})
        self.previous: Site | None = None  # the last successful build's site, whose indexes a rebuild may reuse

    command = None  # "build", "gh-deploy" or "serve", from on_startup; None when a program calls build() itself
    dirty = False
    staging: Staging | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this object for every rebuild of `mkdocs serve` (it caches only plugins
        with `on_startup`), and with it the cache. `serve` builds into a folder of its own, which nothing deploys:
        it needs no staging, nor does a `--dirty` build."""
        self.command, self.dirty = command, dirty

    @event_priority(-100)  # after other plugins' pre_build, and before MkDocs empties site_dir
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Build into a sibling of site_dir, swapped in by `on_post_build` only when the build succeeds: a refused
        leak or a failed `--strict` build leaves the last good site as it was; what a killed build left is removed
        (`Staging.start`). A `SOURCE_DATE_EPOCH` that is no time fails here, in one line, before any page is made."""
        try:
            build_time()
        except SourceDateEpochError as error:
            raise PluginError(str(error)) from None
        if self.command != "serve" and not self.dirty:  # `--dirty` rebuilds into the old site, by definition
            staging = Staging(config.site_dir)
            try:
                folder = staging.start()
            except SiteNotWritten as error:
                raise PluginError(str(error)) from None
            self.staging, self.staged_config = staging, config
            self.site_dir, config.site_dir = config.site_dir, str(folder)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Reset per-build state (`mkdocs serve` reuses this object) and build the core policy from the options of
        the whole `INHERIT` chain (`resolved_options`: MkDocs drops a parent's options when a child writes `plugins`
        in the other form), refusing a public build whose leak gate would know less than the knowledge base's."""
        public_url = config.site_url if self.config["status_page"]["public_site"] else None
        options = Options(self.config, (config.site_url or "", config.repo_url or ""), public_url)
        try:
            if config.config_file_path:
                options = resolved_options(Path(config.config_file_path))
        except PluginNotEnabled:  # enabled by a program's own arguments to `load_config`, not by the file
            pass
        except ConfigFileError as error:
            raise PluginError(log_line(str(error))) from None
        self.config, self.policy = options.config, options.policy()
        self.root = Path(config.config_file_path or ".").parent  # paths in diagnostics are relative to it
        if getattr(self, "env_dirs", None) != list(config.theme.dirs):  # compiled templates outlive a rebuild;
            self.env_dirs = list(config.theme.dirs)                     # Jinja reloads an edited one by its mtime
            self.env = template_environment(self.env_dirs)
        self.site: Site | None = None
        self.compact: dict[str, tuple[str, str]] = {}  # src_uri -> the text search indexes until on_page_context
        self.rendered: dict[str, str] = {}  # src_uri -> what its Markdown rendered to, until the page is written
        if CSS not in config.extra_css:  # `mkdocs serve` may run on_config on the same config again
            config.extra_css.append(CSS)
        if JS not in config.extra_javascript:
            config.extra_javascript.append(JS)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Parse and check every postmortem once, log each diagnostic, and add the core's pages and files. Runs
        here because the nav is built from these files next."""
        kb = load_knowledge_base(self.root / self.policy.folder, self.policy, base=self.root, cache=self.cache)
        for diagnostic in kb.diagnostics:
            hint = f" ({diagnostic.hint})" if diagnostic.hint else ""
            _LOG_AT[diagnostic.level](log_line(f"{diagnostic.location()}: [{diagnostic.code}] {diagnostic.message}{hint}"))
        key = (self.policy, kb.today, config.use_directory_urls, config.site_name, config.site_url,
               str(config.site_dir), _template_stamps(config.theme.dirs))
        same = self.built[0] == key
        try:
            self.site = build_site(kb, self.env, (f.src_uri for f in files), config.use_directory_urls,
                                   config.site_name, config.site_url or "", _now(kb.today),
                                   previous=self.previous if same else None)
        except PublishRefused as refusal:  # never publish a leak, strict build or not
            raise PluginError(log_line(str(refusal))) from None
        for warning in self.site.warnings:
            log.warning(log_line(warning))
        for uri, content in self.site.files.items():
            source = {"abs_src_path": str(content)} if isinstance(content, Path) else {"content": content}
            files.append(File.generated(config, uri, **source))
        built = self.built[1] if same else {}
        inputs: dict = {}
        for page in self.site.pages.values():
            if not page.user_page:
                # Only the index joins an automatic nav, which is rendered into every page.
                inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
                file = _GeneratedPage.generated(config, page.uri, content=page.markdown, inclusion=inclusion)
                inputs[page.uri] = self.site.inputs(page.uri)
                file.unchanged = inputs[page.uri] is not None and built.get(page.uri) == inputs[page.uri]
                files.append(file)
        if same and self.previous is not None and self.site.epoch is not self.previous.epoch:
            for file in files.documentation_pages():  # a page of yours with the dashboard shows the facts that changed
                if not isinstance(file, _GeneratedPage) and has_dashboard(file.content_string):
                    file.is_modified = lambda: True
        self.building = (key, inputs)
        # The knowledge base and the site live to the end of the build: the collector need not scan their
        # objects again at every collection while thousands of pages are rendered (`on_post_build` unfreezes).
        gc.freeze()
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Titles come from front matter and the indexes, which MkDocs never sees; themes print titles unescaped.
        Cross-incident pages repeat what the postmortems say, so they stay out of the search index. A postmortem's
        Markdown, unless another plugin changed it, is handed back as the core's own string: MkDocs keeps every
        page's Markdown to the end of the build, and would otherwise hold a second copy of every body."""
        try:
            self.site.refuse_leaks_in(page.file.src_uri, markdown)
        except PublishRefused as refusal:
            raise PluginError(log_line(str(refusal))) from None
        ours = self.site.pages.get(page.file.src_uri)
        if ours is not None:
            if ours.searchable:
                page.meta["title"] = escape(ours.title)
            else:
                page.meta.setdefault("title", escape(ours.title))
                page.meta["search"] = {"exclude": True}
        filled = self.site.fill_markers(page.file.src_uri, markdown)  # the dashboard, where a page asks for it
        if ours is not None and not ours.user_page and filled is markdown and markdown == ours.markdown.lstrip("\n"):
            return ours.markdown
        return filled

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """A postmortem's page shows search a compact text of its card and tables (`Site.search_text`): search
        plugins parse every tag of a page, and the full markup would more than double that work for no new word."""
        if page.file.src_uri in self.site.pages:
            self.rendered[page.file.src_uri] = html
        compact = self.site.search_text(page.file.src_uri)
        if compact is None:
            return html
        self.compact[page.file.src_uri] = compact
        return compact[0] + html + compact[1]

    @event_priority(-100)  # after every search plugin has indexed the page
    def on_page_context(self, context, page: Page, config: MkDocsConfig, nav):
        """Put the core's HTML around the page's: a postmortem's header card and details in place of the compact
        text search indexed, or a cross-incident page's tables. Rendered here, page by page, as the page is
        written: no page's HTML is held while the others are rendered, and no search plugin scans the tables."""
        rendered = self.site.render(page.file.src_uri)
        if rendered is None:
            return context
        before, after = self.compact.pop(page.file.src_uri, ("", ""))
        content = page.content
        content = content.replace(before, rendered.before, 1) if before else rendered.before + content
        page.content = content.replace(after, rendered.after, 1) if after else content + rendered.after
        page.toc.items.extend(AnchorLink(title, anchor, 2) for anchor, title in _H2.findall(rendered.after))
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Every page of the public site names its feeds in `<head>`, so feed readers find them. A page of ours
        is written now: its content goes back to what its Markdown rendered to, since MkDocs keeps every page's
        content to the end of the build, and the full card and tables would then all be held at once."""
        if page.file.src_uri in self.rendered:
            page.content = self.rendered.pop(page.file.src_uri)
        links = self.site.head_links(page.file.src_uri)
        return output.replace("</head>", links + "</head>", 1) if links else output

    @event_priority(-100)  # last: the search plugin writes its index in on_post_build
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Every page is written: remember each one's inputs, so the next `--dirty` build may skip those whose
        inputs stay the same. Then swap a staged site in, unless `--strict` is about to fail the build on a
        warning: MkDocs raises its strict Abort only after this event, so the warnings are counted here, by
        MkDocs' own counter. A swap that fails puts the last good site back and fails the build in one line."""
        gc.unfreeze()
        failing = self.staging is not None and _strict_warnings()
        if not failing:
            self.built, self.previous = self.building, self.site
        if self.staging is not None:
            staging, self.staging = self.staging, None
            config.site_dir = self.site_dir  # `gh-deploy` publishes config.site_dir next
            if failing:
                staging.abandon()
                return
            try:
                staging.commit()
            except SiteNotWritten as error:
                staging.abandon()
                self.built, self.previous = ((), {}), None
                raise PluginError(str(error)) from None

    @event_priority(-100)  # last: it may end the build with an error of its own, after every plugin has cleaned up
    def on_build_error(self, *, error: Exception) -> None:
        """A failed build (a leak refused, a crash) removes what it wrote, and the last good site stays; pages may
        be half written, so the next build renders them all. What MkDocs could not write (a full disk, a read-only
        file system) is said in one line (`Staging.failure`), not with a traceback."""
        gc.unfreeze()
        self.built, self.previous = ((), {}), None
        if self.staging is None:
            return
        staging, self.staging = self.staging, None
        self.staged_config.site_dir = self.site_dir
        staging.abandon()
        failure = staging.failure(error)
        if failure is not None:
            log.error(failure)
            raise Abort("Aborted with a BuildError!")

    def on_serve(self, server, config: MkDocsConfig, builder):
        """Rebuild when a postmortem changes: the folder lives beside docs/, so MkDocs does not watch it."""
        server.watch(str(self.root / self.policy.folder))
        return server


def _strict_warnings() -> int:
    """The warnings and errors counted so far by a `--strict` build's counter (MkDocs' or ProperDocs'), else 0."""
    return sum(count for name in ("mkdocs", "properdocs") for handler in logging.getLogger(name).handlers
               if callable(getattr(handler, "get_counts", None)) for _, count in handler.get_counts())

"""The MkDocs adapter: typed options in (`mkdocs_config.py`); the core's pages, files and decisions out to MkDocs."""

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from .build import Site
from .diagnostics import log_line
from .mkdocs_config import ConfigFileError, PostmortemsConfig, build_options
from .site_builds import REFUSALS, SiteBuilds
from .site_pages import ASSETS
from .site_search import SiteSearch, serves_search

log = get_plugin_logger(__name__)
_INCLUSION = {True: InclusionLevel.INCLUDED, False: InclusionLevel.NOT_IN_NAV}  # only the index joins an automatic nav


class _GeneratedPage(File):
    """A page of ours: `serve --dirty` may skip it (MkDocs counts in-memory content as always modified), and its
    Markdown is the core's string, read after a newline so that a body starting with `---` is no metadata."""

    unchanged = False  # the page's inputs equal those of the last build that wrote it

    def is_modified(self) -> bool:
        return not self.unchanged or not Path(self.abs_dest_path).is_file()

    content_string = property(lambda self: "\n" + File.content_string.fget(self), File.content_string.fset)  # type: ignore[attr-defined]


def _in_one_line(call, *args):
    """`call`'s result. What the core refuses (`REFUSALS`), and a config the options cannot be read from, fail the
    build in one line, strict or not."""
    try:
        return call(*args)
    except (*REFUSALS, ConfigFileError) as refusal:
        raise PluginError(log_line(str(refusal))) from None


class PostmortemsPlugin(BasePlugin[PostmortemsConfig]):
    """Adds the knowledge base to the site; lives as long as `mkdocs serve`, and what builds keep (`SiteBuilds`)."""

    command: str | None  # from on_startup; None when a program calls build() itself
    site: Site  # this build's, from on_files on
    compact: dict[str, tuple[str, str]]  # src_uri -> the search text that stands for our HTML until it is written
    rendered: dict[str, str]  # src_uri -> what its Markdown rendered to, until the page is written

    def __init__(self) -> None:
        super().__init__()
        self.builds, self.search, self.command, self.dirty = SiteBuilds(), SiteSearch(), None, False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so that MkDocs keeps this object, and its caches, for every rebuild of `mkdocs serve`."""
        self.command, self.dirty = command, dirty

    @event_priority(-100)  # after other plugins' pre_build, and before MkDocs empties site_dir
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """A bad `SOURCE_DATE_EPOCH` fails first. Build beside site_dir, swapped in once the build succeeds
        (`SiteBuilds.begin`), except under `serve` or `--dirty`, which nothing deploys from."""
        _in_one_line(self.builds.begin, config, self.command != "serve" and not self.dirty)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Reset per-build state (`serve` reuses this object); read the options of the whole `INHERIT` chain, which
        MkDocs loses when a child writes `plugins` in the other form (`resolved_options`); add the assets once."""
        options = _in_one_line(build_options, self.config, config)
        self.config, self.policy = options.config, options.policy()
        self.root = Path(config.config_file_path or ".").parent  # paths in diagnostics are relative to it
        self.builds.use_templates(config.theme.dirs)
        self.compact, self.rendered = {}, {}
        self.search.begin(serves_search(self.policy, config.plugins), keep=self.dirty)  # Pagefind, if no search plugin
        ASSETS.add_to(config.extra_css, config.extra_javascript, search=self.search.enabled)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Before MkDocs builds the nav from the files: log each diagnostic, add the core's pages and files."""
        kb = self.builds.knowledge_base(self.root, self.policy)
        for diagnostic in kb.diagnostics:
            getattr(log, diagnostic.level.value)(diagnostic.one_line())  # error, warning, info: `--strict` counts them
        self.site = _in_one_line(self.builds.site, kb, files.src_uris, config)
        for warning in self.site.warnings:
            log.warning(log_line(warning))
        for uri, text, path in self.site.file_sources():
            files.append(File.generated(config, uri, content=text, abs_src_path=path))  # type: ignore[call-overload]
        for page in self.site.generated_pages():
            file = _GeneratedPage.generated(config, page.uri, content=page.markdown, inclusion=_INCLUSION[page.in_nav])
            file.unchanged = self.builds.unchanged(page.uri)  # type: ignore[attr-defined]  # `generated` gives cls
            files.append(file)
        for file in files.documentation_pages() if self.builds.facts_changed() else ():
            if not isinstance(file, _GeneratedPage) and self.site.shows_facts(file.content_string):
                file.is_modified = lambda: True  # type: ignore[method-assign]  # yours shows the facts that changed
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Once MkDocs read a page: our pages' front matter (title, search), and the core's Markdown, or a refusal."""
        page.meta.update(self.site.front_matter(page.file.src_uri, page.meta))
        return _in_one_line(self.site.page_markdown, page.file.src_uri, markdown, page.file.content_string)

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Search indexes a postmortem's compact text (`Site.search_text`): its card and tables double the work."""
        if page.file.src_uri in self.site.pages:
            self.rendered[page.file.src_uri] = html
        before, after = self.compact[page.file.src_uri] = self.site.search_text(page.file.src_uri)
        return before + html + after

    @event_priority(-100)  # after every search plugin has indexed the page
    def on_page_context(self, context, page: Page, config: MkDocsConfig, nav):
        """After search, as the page is written (so no page's HTML waits): the core's HTML and its sections."""
        rendered, compact = self.site.render(page.file.src_uri), self.compact.pop(page.file.src_uri, ("", ""))
        if rendered is not None:  # in place of the compact text search indexed, if any
            page.content = rendered.around(page.content or "", compact)
            page.toc.items.extend(AnchorLink(entry.title, entry.anchor, entry.level) for entry in rendered.toc)
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """The public site's pages name its feeds in `<head>`. A page of ours is written: give it back what its
        Markdown rendered to, since MkDocs keeps every page's content to the end of the build."""
        page.content = self.rendered.pop(page.file.src_uri, page.content)
        self.search.add(page.url, page.file.abs_dest_path, page.meta)  # indexed once every page is written
        return self.site.with_head_links(page.file.src_uri, output)

    @event_priority(-100)  # last: the search plugin writes its index in on_post_build
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Index the pages for search, swap a staged site in and keep what the build made, unless `--strict` fails the
        build: MkDocs says so only after this event, so its count of warnings is read here (then `on_build_error`)."""
        if not _strict_warnings():
            _in_one_line(self.search.write, self.site, config)
            _in_one_line(self.builds.succeeded)  # and site_dir is config's own again: `gh-deploy` publishes it next

    @event_priority(-100)  # last: it may end the build with an error of its own, after every plugin has cleaned up
    def on_build_error(self, *, error: Exception) -> None:
        """A failed build keeps the last good site, and what MkDocs could not write is said in one line."""
        if (failure := self.builds.failed(error)) is not None:
            log.error(failure)
            raise Abort("Aborted with a BuildError!")

    def on_serve(self, server, config: MkDocsConfig, builder):
        """Rebuild when a postmortem changes: the folder lives beside docs/, so MkDocs does not watch it."""
        server.watch(str(self.root / self.policy.folder))
        return server


def _strict_warnings() -> int:
    """The warnings and errors counted so far by a `--strict` build's counter (MkDocs' or ProperDocs'), else 0."""
    handlers = [*logging.getLogger("mkdocs").handlers, *logging.getLogger("properdocs").handlers]
    return sum(count for handler in handlers if hasattr(handler, "get_counts") for _, count in handler.get_counts())

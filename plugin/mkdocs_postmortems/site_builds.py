"""One site built again and again in one process by a long-lived adapter (`mkdocs serve` rebuilds it after every
edit), or once: what a build keeps for the next, and where it writes until it succeeds.

- The knowledge base's cache (`KnowledgeCache`): a rebuild reads only the files that changed.
- The last successful build's settings (its key: policy, day, URLs, site name and address, output folder and each
  template's mtime), its site and each page's inputs (`site_inputs`): a rebuild under the same settings reuses the
  cross-incident pages when no postmortem's facts changed, and an engine may skip a page whose inputs did not change.
- A build others deploy from is staged (`staging.Staging`): written beside its folder and swapped in only once it
  succeeded, so a refused leak or a failed `--strict` build leaves the last good site as it was.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .build import PublishRefused, Site, build_site
from .dates import SourceDateEpochError, build_time
from .knowledge import KnowledgeBase, KnowledgeCache, load_knowledge_base
from .policy import Policy
from .render import template_environment
from .staging import SiteNotWritten, Staging

# What a build refuses, each said in one line: a leak the public build finds, a `SOURCE_DATE_EPOCH` that is no time,
# a site that cannot be written. An adapter fails the build with the message, never with a traceback.
REFUSALS = (PublishRefused, SourceDateEpochError, SiteNotWritten)

# A build allocates much and frees little until it ends: the collector runs rarely meanwhile, as mypy's builds do (at
# Python's default, collections scan the growing heap again and again: about a tenth of a build of 2,000 pages).
BUILD_COLLECTOR_THRESHOLD = (100_000, 50, 100)


class SiteSettings(Protocol):
    """What a build depends on of a site's configuration, by the names of `mkdocs.yml`, which every engine that reads
    it shares (MkDocs' `MkDocsConfig` is one): the folder it writes to, the site's name and address, the URLs' form."""

    site_dir: str
    site_name: str
    site_url: str | None
    use_directory_urls: bool


def template_stamps(dirs: Iterable[str]) -> tuple:
    """Every template of ours that the environment may load (`postmortems/` and its folders), with its mtime: an
    edited override renders again."""
    stamps = []
    for folder in dirs:
        for parent, _, names in sorted(os.walk(os.path.join(folder, "postmortems"))):
            for name in sorted(names):
                try:
                    stamps.append((os.path.join(parent, name), os.stat(os.path.join(parent, name)).st_mtime_ns))
                except OSError:
                    continue
    return tuple(stamps)


@dataclass(frozen=True)
class _Built:
    """A build's key, its site, and each generated page's inputs by source URI."""

    key: tuple = ()
    site: Site | None = None
    inputs: dict = field(default_factory=dict)


class SiteBuilds:
    """The builds of one site by one adapter, one after the other: `begin`, `knowledge_base`, `site`, then
    `succeeded` or `failed`."""

    def __init__(self) -> None:
        self.cache = KnowledgeCache()
        self._last = self._next = _Built()  # the last successful build; this one
        self._staging: tuple[Staging, SiteSettings, str] | None = None  # and the settings it redirected, their site_dir
        self._dirs: list[str] | None = None
        self._collector: tuple[int, int, int] | None = None  # the thresholds to restore when the build ends
        self.env = template_environment()
        self._stamps: tuple | None = None  # the templates' when `env` was made

    def use_templates(self, override_dirs: Iterable[str]) -> None:
        """Render with the templates of `override_dirs` first (`render.template_environment`). The environment is
        kept while they stay the same: its compiled templates outlive a rebuild until one is edited (`site`)."""
        if self._dirs != list(override_dirs):
            self._dirs = list(override_dirs)
            self.env = template_environment(self._dirs)

    def begin(self, settings: SiteSettings, staged: bool) -> None:
        """Start a build of the site into `settings.site_dir`: when `staged`, into a new sibling of it until the build
        ends (`succeeded` or `failed` point `site_dir` back at its own). A
        `SOURCE_DATE_EPOCH` that is no time fails here, before anything is read (`SourceDateEpochError`), and a
        sibling that cannot be made with `SiteNotWritten`."""
        build_time()
        if self._collector is None:
            self._collector = gc.get_threshold()
            gc.set_threshold(*BUILD_COLLECTOR_THRESHOLD)
        if staged:
            self._staging = (Staging(settings.site_dir), settings, settings.site_dir)
            settings.site_dir = str(self._staging[0].start())

    def knowledge_base(self, root: Path, policy: Policy) -> KnowledgeBase:
        """Every file of the policy's folder below `root`, parsed and checked; a file unchanged since the last
        build is not read again. What it made lives to the end of the build: the collector need not scan it again
        (`gc.freeze`, until the build ends)."""
        kb = load_knowledge_base(root / policy.folder, policy, base=root, cache=self.cache)
        gc.freeze()
        return kb

    def _end(self) -> None:
        """The collector as it was before the build."""
        gc.unfreeze()
        if self._collector is not None:
            gc.set_threshold(*self._collector)
            self._collector = None

    def site(self, kb: KnowledgeBase, user_uris: Iterable[str], settings: SiteSettings) -> Site:
        """`build_site` with the templates in use and the site's `settings`, reusing what the last successful build
        made under the same settings."""
        directory_urls, name, url = settings.use_directory_urls, settings.site_name, settings.site_url or ""
        stamps = template_stamps(getattr(self.env.loader, "searchpath", ()))
        if stamps != self._stamps:  # a template was edited: a new environment compiles it (Jinja no longer looks)
            self.env, self._stamps = template_environment(self._dirs or ()), stamps
        key = (kb.policy, kb.today, directory_urls, name, url, str(settings.site_dir), stamps)
        previous = self._last.site if self._last.key == key else None
        site = build_site(kb, self.env, user_uris, directory_urls, name, url, previous=previous)
        self._next = _Built(
            key, site, {page.uri: site.inputs(page.uri) for page in site.pages.values() if not page.user_page}
        )
        return site

    def unchanged(self, uri: str) -> bool:
        """Page `uri`'s inputs equal those of the last build that wrote it, under the same settings."""
        inputs = self._next.inputs.get(uri)
        return self._next.key == self._last.key and inputs is not None and self._last.inputs.get(uri) == inputs

    def facts_changed(self) -> bool:
        """A postmortem's facts changed since the last build under the same settings: a page of the user's that
        shows them (the dashboard, `Site.shows_facts`) must be written again, even by a build that skips the pages
        whose inputs did not change."""
        site, last = self._next.site, self._last.site
        same = self._next.key == self._last.key
        return same and site is not None and last is not None and site.epoch is not last.epoch

    def succeeded(self) -> None:
        """Every page is written: swap a staged build in, where `site_dir` says again (`SiteNotWritten` when that
        fails, which puts the last good site back; then call `failed`), and keep what the build made for the next."""
        self._end()
        if self._staging is not None:
            staging, settings, folder = self._staging
            settings.site_dir = folder
            staging.commit()
            self._staging = None
        self._last = self._next

    def failed(self, error: BaseException) -> str | None:
        """The build failed: remove the staged folder, and forget the last build, as pages may be half written (the
        next build writes them all). `error` in one line when it is about writing the site (`Staging.failure`)."""
        self._end()
        self._last, staged, self._staging = _Built(), self._staging, None
        if staged is None:
            return None
        staging, settings, folder = staged
        settings.site_dir = folder
        staging.abandon()
        return staging.failure(error)

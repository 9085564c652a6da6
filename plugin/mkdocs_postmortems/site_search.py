"""The knowledge base's search, served by Pagefind: a static index in chunks, of which a query fetches only what it
needs, where Material's `search` plugin has every page fetch one index of the whole site (lunr over
`search/search_index.json`: 6.5 MB at 1,000 postmortems, before the reader types anything).

Decided here once, for every adapter that builds with the core: whether Pagefind serves a site's search
(`serves_search`), which pages it indexes (those whose front matter does not exclude them, as Material's search
decides: `SiteSearch.add`), the short records by which a service or a root-cause category is found first for its own
name (`named_records`), and the run of Pagefind's binary over the written site at the end of the build
(`SiteSearch.write`). The header's search box that loads Pagefind when a reader opens it is `assets/search.js`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import quote, unquote

from .build import Site
from .policy import Policy
from .render import PageSpec
from .site_builds import SiteSettings
from .site_pages import page_url
from .staging import SiteNotWritten

BUNDLE = "pagefind"  # the index's folder in the site; `search.js` imports `pagefind/pagefind.js` from it
OTHER_SEARCH = frozenset({"search", "material/search"})  # a site that lists one keeps it, and Pagefind stays out
ROOT = "article.md-content__inner"  # Material's page content: no nav, header or footer in the index
# Left out of a page's text: permalink signs, the dashboard and a postmortem's related incidents (they repeat other
# postmortems' titles), what only print shows, and the pager's links.
EXCLUDE = ".headerlink, .pm-dashboard, .pm-related, .pm-print-only, .pm-pager"
NAME_WEIGHT = 10  # Pagefind's highest: a service's or a category's name ranks its record above every mention
_LANG = re.compile(rb'<html[^>]*\slang="([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*"')


class SearchNotWritten(SiteNotWritten):
    """Pagefind could not index the site: the build fails in one line and the last good site stays."""


def serves_search(policy: Policy, plugins: Iterable[str]) -> bool:
    """Pagefind serves the knowledge base's search unless the site lists a search plugin of its own (Material's
    `search`, which then works as it always did); the public status site has no search."""
    return not policy.public_site and not OTHER_SEARCH & set(plugins)


@dataclass(frozen=True)
class NamedRecord:
    """A page that search finds by its name: `kind` (`Service`, `Root-cause category`), the name, what it is, and
    its URL from the site root (a page, or a section of one)."""

    kind: str
    name: str
    description: str
    link: str

    def html(self, lang: str) -> str:
        """The record as the small page Pagefind indexes in its place: the name as the heading, at the highest
        weight, and the description. Only the record is indexed, never the page's tables of incidents."""
        return (
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"></head><body>'
            f'<article class="md-content__inner" data-pagefind-meta="link:{escape(self.link)}">'
            f'<h1 data-pagefind-weight="{NAME_WEIGHT}">{escape(self.name)}</h1>'
            f'<p data-pagefind-meta="kind:{escape(self.kind)}">{escape(self.kind)}. {escape(self.description)}</p>'
            "</article></body></html>\n"
        )


def named_records(specs: Iterable[PageSpec], directory_urls: bool = True) -> list[NamedRecord]:
    """A record per service (its page) and per root-cause category (its own page when the root causes are split by
    category, else its section of `/root-causes/`), from the cross-incident pages the core made."""
    specs = [spec for spec in specs if spec.context.get("pager", {}).get("at", 0) == 0]  # a list's first page
    records, categories = [], {}
    for spec in specs:
        if spec.template == "service":
            service = spec.context["service"]
            records.append(
                NamedRecord("Service", service.name, service.description, page_url(spec.uri, directory_urls))
            )
        elif spec.template == "category":
            categories[spec.context["category"].name] = page_url(spec.uri, directory_urls)
    for spec in specs:
        if spec.template == "root-causes":
            for category in spec.context["indexes"].categories:
                link = categories.get(category.name) or (
                    page_url(spec.uri, directory_urls) + "#" + quote(f"category-{category.name}")
                )
                records.append(NamedRecord("Root-cause category", category.name, category.description, link))
    return records


def excluded(front_matter: Mapping) -> bool:
    """A page whose front matter says `search: {exclude: true}` stays out of search, as with Material's search (the
    core says so of every cross-incident page: they repeat what the postmortems say)."""
    search = front_matter.get("search")
    return isinstance(search, Mapping) and search.get("exclude") is True


class SiteSearch:
    """The pages that search indexes, collected as the engine writes them, and the index written over them once every
    page is written. Does nothing where Pagefind does not serve the site's search (`enabled`).

    `mkdocs serve --dirty` writes only the pages a save changed, so that the reload is fast: indexing every page
    again would cost more than the rebuild (Pagefind takes about 3 s of CPU for 1,000 postmortems). Such a build
    keeps the index of the session's first build, and the text it shows of an edited page, until a build that writes
    every page."""

    def __init__(self) -> None:
        self.enabled = False
        self.pages: dict[str, str] = {}  # the page's URL from the site root -> the path of its HTML file
        self.written = False  # an index was written in this session
        self.refresh = True  # this build writes the index

    def begin(self, enabled: bool, keep: bool = False) -> None:
        """A build starts: one that writes every page forgets the last one's pages and writes the index again; one
        that writes only the pages that changed (`keep`) adds them to the last one's, and keeps its index."""
        self.enabled, self.refresh = enabled, not (keep and self.written)
        if not keep or not enabled:
            self.pages = {}

    def add(self, url: str, html_path: str, front_matter: Mapping) -> None:
        """A page written: indexed at the end of the build unless its front matter excludes it."""
        if not self.enabled:
            return
        if excluded(front_matter):
            self.pages.pop(url, None)
        else:
            self.pages[url] = html_path

    def write(self, site: Site, settings: SiteSettings) -> None:
        """Index the pages collected, and the named records of the site's pages, into `site_dir/pagefind/`."""
        if self.enabled and self.refresh:
            records = named_records(site.renderer.specs.values(), settings.use_directory_urls)
            write_index(Path(settings.site_dir), self.pages.items(), records)
            self.written = True


def write_index(site: Path, pages: Iterable[tuple[str, str]], records: Iterable[NamedRecord]) -> None:
    """Run Pagefind over `pages` (URL, HTML file) and `records` into `site/pagefind/`. Pagefind reads a folder, so
    the pages are linked (or copied) into a scratch folder at their URLs' paths, beside the named records; nothing
    else of the site is read. `SearchNotWritten` when Pagefind is missing or fails."""
    from pagefind.service import get_executable  # only a build that indexes needs it

    pages, records, output = list(pages), list(records), site / BUNDLE
    shutil.rmtree(output, ignore_errors=True)
    if not pages and not records:
        return  # nothing to find: no index, and the search says it did not load
    binary = get_executable()
    if binary is None:
        raise SearchNotWritten("Pagefind's binary is not installed (pip install 'pagefind[bin]'): no search index")
    site.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=site.parent) as scratch:
        tree, lang = Path(scratch), None
        for url, html_path in pages:
            lang = lang or _language(html_path)
            _place(Path(html_path), tree / _path_of(url))
        for number, record in enumerate(records):
            (tree / "pm-named" / f"{number}.html").parent.mkdir(parents=True, exist_ok=True)
            (tree / "pm-named" / f"{number}.html").write_text(record.html(lang or "en"), encoding="utf-8")
        command = [str(binary), "--site", str(tree), "--output-path", str(output), "--root-selector", ROOT]
        command += ["--exclude-selectors", EXCLUDE, "--force-language", lang or "en", "--silent"]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
        except (OSError, subprocess.SubprocessError) as error:
            raise SearchNotWritten(f"Pagefind did not run ({error}): no search index") from None
        if done.returncode != 0:
            said = " ".join((done.stderr or done.stdout).split())[:300]
            raise SearchNotWritten(f"Pagefind failed (exit {done.returncode}): {said}")


def _path_of(url: str) -> str:
    """The file a page's URL (from the site root) is served from: `a/b/` -> `a/b/index.html`, `a/b.html` itself."""
    path = unquote(url.split("#", 1)[0]).lstrip("/")
    return path + "index.html" if path in ("", "./") or path.endswith("/") else path


def _place(source: Path, target: Path) -> None:
    """`source` at `target`: a hard link, or a copy where the two are on different file systems."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _language(html_path: str) -> str | None:
    """The language a written page declares (`<html lang="en">`), which Pagefind's one index is made for."""
    try:
        with open(html_path, "rb") as page:
            found = _LANG.search(page.read(4096))
    except OSError:
        return None
    return found.group(1).decode().lower() if found else None

"""What every engine is handed of a site's pages, decided here once: each page's URI and URL, its title escaped, its
search flag, the front matter an engine gives it, the table of contents entries of the HTML around it, and the
stylesheet and script every page needs. The MkDocs plugin and `postmortems generate` only pass these on."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import quote

_ASSETS = Path(__file__).parent / "assets"
CSS = "assets/postmortems/postmortems.css"
JS = "assets/postmortems/postmortems.js"  # folds, print, accessibility fixes; every page works without it
EXPLORER_JS = "assets/postmortems/explorer.js"  # filters and sorting over the compact indexes; the same
TABLES_JS = "assets/postmortems/tables.js"  # sorting of the static services, owners and action-item tables; the same
SEARCH_JS = "assets/postmortems/search.js"  # the header's search box over Pagefind's index (`site_search`)


@dataclass(frozen=True)
class Assets:
    """The stylesheets and scripts every page links, by source URI, and the files they are copied from; `search`, the
    scripts linked only where Pagefind serves the site's search (`site_search.serves_search`), copied anyway."""

    stylesheets: dict[str, Path]
    scripts: dict[str, Path]
    search: dict[str, Path] = field(default_factory=dict)

    def files(self) -> dict[str, Path]:
        return {**self.stylesheets, **self.scripts, **self.search}

    def add_to(self, extra_css: list, extra_javascript: list, search: bool = False) -> None:
        """Add each to a site's `extra_css` and `extra_javascript` lists, once: `mkdocs serve` configures the same
        lists again at every rebuild. The `search` scripts too when `search`."""
        scripts = {**self.scripts, **self.search} if search else self.scripts
        for wanted, listed in ((self.stylesheets, extra_css), (scripts, extra_javascript)):
            listed.extend(uri for uri in wanted if uri not in listed)


ASSETS = Assets(
    {CSS: _ASSETS / "postmortems.css"},
    {JS: _ASSETS / "postmortems.js", EXPLORER_JS: _ASSETS / "explorer.js", TABLES_JS: _ASSETS / "tables.js"},
    {SEARCH_JS: _ASSETS / "search.js"},
)


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
    and ours follows it. `searchable`: cross-incident and status pages repeat what the postmortems say, and stay out
    of search. `title_html` is the title escaped, as every theme prints titles unescaped. `hide`: the theme's chrome the
    page goes without (Material's `hide` front matter: `navigation`, `toc`, `footer`), as the status site's pages do."""

    uri: str
    title: str
    markdown: str = ""
    in_nav: bool = False
    searchable: bool = True
    user_page: bool = False
    hide: tuple[str, ...] = ()
    title_html: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "title_html", escape(self.title))

    def front_matter(self, own: Mapping) -> dict:
        """What the page's front matter must say, given what it says already (`own`: a page of the user's at this
        path may have some): our title on a postmortem's page; on a page out of search the user's title if it has
        one, and `search: exclude`; the chrome it hides (`hide`), unless the user's page says what it hides."""
        if self.searchable:
            return {**own, "title": self.title_html}
        hidden = {"hide": list(self.hide)} if self.hide else {}
        return {"title": self.title_html, **hidden, **own, "search": {"exclude": True}}


@dataclass(frozen=True)
class TocEntry:
    """A section of the HTML around a page, for the engine's table of contents: `#anchor`, title (HTML), level."""

    anchor: str
    title: str
    level: int = 2


# The sections the templates add: each `<h2 id>`, as the templates write it (no attribute but its id, on one line).
_SECTION = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>')
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>|<!--.*?-->", re.S)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def _top_level(html: str, end: int, start: int = 0, depth: int = 0) -> int:
    """How many elements are open at `end` in `html`, given `depth` open at `start`."""
    for tag in _TAG.finditer(html, start, end):
        closing, name, empty = tag.groups()
        if name is None or empty or name.lower() in _VOID:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
    return depth


@dataclass(frozen=True)
class Rendered:
    """The HTML above and below a page's rendered Markdown, and the sections below it (`toc`)."""

    before: str
    after: str
    toc: tuple[TocEntry, ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        sections = tuple(TocEntry(anchor, title) for anchor, title in _SECTION.findall(self.after))
        object.__setattr__(self, "toc", sections)

    def around(self, html: str, compact: tuple[str, str] = ("", "")) -> str:
        """The page's HTML: `html` (its rendered Markdown) between ours, in place of the compact text that stood
        there while search indexed the page (`Site.search_text`), if any."""
        before, after = compact
        html = html.replace(before, self.before, 1) if before else self.before + html
        return html.replace(after, self.after, 1) if after else html + self.after

    def after_with_sections(self, heading: Callable[[TocEntry], str]) -> str:
        """The HTML below the page with each section's `<h2>` replaced by `heading(entry)`, a Markdown heading, for
        an engine that builds its table of contents from the Markdown. A section inside another element (a `<div>`)
        stays HTML, and out of that engine's table of contents: Markdown inside an HTML block is not read, and would
        show as text."""
        parts, position, depth = [], 0, 0
        for found in _SECTION.finditer(self.after):
            depth = _top_level(self.after, found.start(), position, depth)
            parts.append(self.after[position : found.start()])
            parts.append(heading(TocEntry(found.group(1), found.group(2))) if depth == 0 else found.group(0))
            position = found.end()  # the <h2> itself opens and closes: the depth after it is the depth before
        return "".join(parts) + self.after[position:]

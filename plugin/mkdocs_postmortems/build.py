"""Every page and file of a site, engine-neutral: what the MkDocs plugin hands to MkDocs, and what
`postmortems generate` writes as Markdown for an engine without plugins.

`build_site` takes the parsed knowledge base and returns a `Site`, whole: each page (`site_pages.SitePage`: path,
title, Markdown, nav, search), every file (exports, Statuspage API, feeds, stylesheet), the renderer of each page's
HTML (`site_render`), each page's inputs (`site_inputs`, which a rebuild compares: `site_builds`) and, for the public
status site, what `status_site/pages.py` declares of it. A page's HTML is rendered on demand by `Site.render`, page by
page, so a build holds one page's HTML at a time. URLs follow MkDocs' rules (`page_url`), which every
MkDocs-compatible engine shares. The public build refuses to publish a leak: `PublishRefused`.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import TextIO

import jinja2

from .checks import Context
from .dates import last_updated
from .kb_site.dashboard import has_dashboard
from .kb_site.exports import (
    EXPLORER_TEXT,
    explorer_uri,
    write_action_items_csv,
    write_action_items_explorer,
    write_action_items_json,
    write_deadlines_json,
    write_knowledge_base_json,
    write_postmortems_explorer,
    write_postmortems_text,
)
from .kb_site.indexes import Indexes, build_indexes
from .kb_site.pages import knowledge_base_pages, problem_counts
from .kb_site.regulatory import deadlines, write_deadlines_calendar
from .kb_site.urls import (
    ACTION_ITEMS_CSV,
    ACTION_ITEMS_JSON,
    REGULATORY_ICS,
    REGULATORY_JSON,
    STATUS_PREVIEW,
    SiteMap,
)
from .knowledge import KnowledgeBase
from .model import Postmortem
from .moments import build_moment
from .render import PageSpec, Rows
from .site_inputs import Facts, PageInputs, everything
from .site_pages import ASSETS, CSS, JS, Rendered, SitePage, page_url
from .site_render import Renderer, SiteUrls
from .status_site.leak_gate import LeakGate, check_leaks
from .status_site.pages import HIDDEN_CHROME, PublicSite, public_site, status_context
from .status_site.public import public_incidents
from .status_site.said import communication_leaks
from .status_site.statuspage import Page as PublicPage

__all__ = ["CSS", "JS", "Clock", "PublishRefused", "Rendered", "Site", "SitePage", "build_site", "page_url"]


class Clock(Enum):
    """`build_site(now=Clock.BUILD)`, the default: the build reads its time itself, as every engine's build does."""

    BUILD = "the build's time, from the one clock (`dates.last_updated`)"


class PublishRefused(Exception):
    """The public build found a leak: nothing may be published."""


@dataclass(frozen=True)
class CrossIncident:
    """The knowledge base's cross-incident pages, their shared table rows and the exports: made from every
    postmortem's facts, never a body, so a rebuild after an edit of bodies alone reuses them whole. The exports are
    files in a folder of their own (`scratch`), which goes when the last site holding it does."""

    indexes: Indexes
    rows: Rows
    specs: tuple[PageSpec, ...]
    exports: dict[str, Path]
    scratch: tempfile.TemporaryDirectory


class Site:
    """The pages and files of one build, made whole by `build_site`, and what each page needs as it is written:
    its HTML (`render`), the compact text search may index (`search_text`), its `<head>` links, its inputs."""

    def __init__(
        self,
        pages: dict[str, SitePage],
        files: dict[str, str | Path],
        renderer: Renderer,
        inputs: PageInputs,
        warnings: Iterable[str] = (),
        public: PublicSite | None = None,
        gate: LeakGate | None = None,
        cross: CrossIncident | None = None,
    ):
        self.pages = pages
        self.files = files  # uri -> text, or the path of a file to copy
        self.renderer = renderer
        self.page_inputs = inputs
        self.warnings = tuple(warnings)
        self.public = public
        self.gate = gate  # the public site's, over its own pages too (`refuse_leaks_in`)
        self.cross = cross

    @property
    def postmortems(self) -> Mapping[str, Postmortem]:
        """The postmortem of each postmortem's page, by source URI."""
        return self.renderer.postmortems

    @property
    def epoch(self) -> object:
        """Equal to the previous build's when no postmortem's facts changed."""
        return self.page_inputs.epoch

    def render(self, uri: str) -> Rendered | None:
        """The HTML around page `uri`'s Markdown, and its sections; None for a page that is not the knowledge base's."""
        return self.renderer.render(uri)

    def search_text(self, uri: str) -> tuple[str, str]:
        """The compact text of a postmortem's card and tables (`render.search_text`), which a search index may read
        before the page's HTML is put in place (`Rendered.around`); empty for any other page."""
        return self.renderer.search_text(uri) or ("", "")

    def file_sources(self) -> Iterator[tuple[str, str | None, str | None]]:
        """Each file as (source URI, its text, the path of the file to copy): one of the two is None."""
        for uri, content in self.files.items():
            yield (uri, None, str(content)) if isinstance(content, Path) else (uri, content, None)

    def generated_pages(self) -> list[SitePage]:
        """The pages an engine adds: those at a path where the site has no page of its own."""
        return [page for page in self.pages.values() if not page.user_page]

    def inputs(self, uri: str):
        """What page `uri`'s HTML is made from (`PageInputs.of`), to compare with a previous build's."""
        return self.page_inputs.of(uri)

    def front_matter(self, uri: str, own: Mapping) -> dict:
        """What page `uri`'s front matter must say, given what it says (`SitePage.front_matter`); `own` for a page
        that is not ours."""
        ours = self.pages.get(uri)
        return dict(own) if ours is None else ours.front_matter(own)

    def page_markdown(self, uri: str, markdown: str, source: str | None = None) -> str:
        """What the engine renders of page `uri`, given the Markdown it read (and the file's whole `source`, front
        matter included, when the engine stripped it): the dashboard filled in where the page asks for it; a
        postmortem's Markdown that nothing changed handed back as the core's own string, so an engine that keeps
        every page's Markdown holds no second copy of every body. A public page of the site's own that names what
        the leak gate keeps in, in its text or its front matter's `title`, is refused (`refuse_leaks_in`)."""
        self.refuse_leaks_in(uri, markdown if source is None else source)
        filled = self.renderer.fill_markers(uri, markdown)
        ours = self.pages.get(uri)
        if ours is not None and not ours.user_page and filled is markdown and markdown == ours.markdown.lstrip("\n"):
            return ours.markdown
        return filled

    def shows_facts(self, markdown: str) -> bool:
        """A page of the user's that shows the postmortems' facts (the dashboard): rendered again when they change."""
        return has_dashboard(markdown)

    def head_links(self, uri: str) -> str:
        """What the <head> of page `uri` (any page of the site) must also hold: the public site's feeds, calendar
        and API (`PublicSite.head_links`); nothing on the internal site."""
        return "" if self.public is None else self.public.head_links(uri, self.renderer.urls.up(uri))

    def with_head_links(self, uri: str, html: str) -> str:
        """Page `uri`'s whole HTML, as the engine wrote it, with the `head_links` in its `<head>`."""
        links = self.head_links(uri)
        return html.replace("</head>", links + "</head>", 1) if links else html

    def refuse_leaks_in(self, uri: str, markdown: str) -> None:
        """On the public site, refuse a page of the site's own (`docs/public/about.md`) whose text names what the
        leak gate keeps in, as it refuses a postmortem's public text: those pages are published as written."""
        if self.gate is None or uri not in self.renderer.user_uris:
            return
        found = self.gate.find(markdown)
        if found:
            offset, term, what = found[0]
            line, col = markdown.count("\n", 0, offset) + 1, offset - markdown.rfind("\n", 0, offset)
            raise PublishRefused(
                f"{len(found)} public-leak error(s) in the status site's own page {uri}; nothing was "
                f"published. First: {uri}:{line}:{col}: it names `{term}`, {what}. Reword the page, "
                "or allow the term in `leak_gate.allow` if it is truly public."
            )


def build_site(
    kb: KnowledgeBase,
    env: jinja2.Environment,
    user_uris: Iterable[str],
    directory_urls: bool = True,
    site_name: str = "",
    site_url: str = "",
    now: datetime | Clock | None = Clock.BUILD,
    previous: Site | None = None,
) -> Site:
    """Every page and file of the knowledge base's site, or of its public status site when the policy says so.
    `user_uris` are the source paths of the site's own files (`docs/`): a postmortem there is hidden (with a
    warning), and a cross-incident page there keeps the user's text above ours. `now` is the build's time, which
    the public status page shows as "last updated": by default the one clock's (`dates.last_updated`, which reads
    `SOURCE_DATE_EPOCH` and raises `SourceDateEpochError` on one that is no time), so every engine's build says the
    same; None for midnight UTC of `kb.today`. The internal preview says midnight of `kb.today`, so two builds of the
    knowledge base on one day are identical.

    `previous` is the last build's site with the same templates (`mkdocs serve`): when no postmortem's facts and
    no diagnostic changed (an edit of a body alone), its cross-incident pages, rendered rows and exports are reused,
    since they never show a body."""
    user = frozenset(user_uris)
    moment = last_updated(kb.today) if now is Clock.BUILD else now
    if kb.policy.public_site:
        return _public_site(kb, env, user, directory_urls, site_name, site_url, moment)
    return _knowledge_base_site(kb, env, user, directory_urls, site_name, site_url, previous)


def _spec_pages(
    specs: Iterable[PageSpec], user_uris: frozenset[str], hide: tuple[str, ...] = ()
) -> dict[str, SitePage]:
    """A cross-incident or status page; kept out of search, as it repeats what the postmortems say; without the
    theme's chrome `hide` names (a status page is no documentation page)."""
    return {
        spec.uri: SitePage(
            spec.uri, spec.title, in_nav=spec.in_nav, searchable=False, user_page=spec.uri in user_uris, hide=hide
        )
        for spec in specs
    }


def _same_address(pages: Mapping[str, SitePage], user_uris: frozenset[str], directory_urls: bool) -> list[str]:
    """A warning for each file of `docs/` that the engine publishes at the address of one of our pages under another
    source path (`regulatory.md` and our `regulatory/index.md` are both `/regulatory/`): MkDocs would drop one of them
    without a word, Zensical refuses the build."""
    ours = {page_url(uri, directory_urls): uri for uri in pages}
    warnings = []
    for uri in sorted(user_uris - pages.keys()):
        address = page_url(uri, directory_urls)
        if address in ours:
            warnings.append(
                f"docs/{uri} is published at /{address}, the address of the knowledge base's page {ours[address]}, "
                f"and one of the two would be dropped: rename docs/{uri}, or move it to docs/{ours[address]} to put "
                "its text above the page's"
            )
    return warnings


def _knowledge_base_site(
    kb: KnowledgeBase,
    env: jinja2.Environment,
    user_uris: frozenset[str],
    directory_urls: bool,
    site_name: str,
    site_url: str,
    previous: Site | None,
) -> Site:
    site_map, postmortems, warnings = SiteMap(kb.policy.folder), {}, []
    for pm in kb.published():
        uri = site_map.postmortem(pm.id)
        if uri in postmortems:  # a second file with the same ID: a `duplicate-id` error; the first one is shown
            continue
        if uri in user_uris:
            warnings.append(f"{uri} exists in docs/ and hides the postmortem {pm.path}; remove one of them")
            continue
        postmortems[uri] = pm
    known = Facts()
    shown = everything(kb, known, site_name, directory_urls, user_uris)
    if previous is not None and previous.cross is not None and previous.page_inputs.everything == shown:
        cross, epoch = previous.cross, previous.epoch
    else:
        cross, epoch = _cross_incident(kb, env, site_map, list(postmortems.values()), directory_urls), object()
    specs = {spec.uri: spec for spec in cross.specs}
    pages = {uri: SitePage(uri, pm.title, pm.body) for uri, pm in postmortems.items()} | _spec_pages(
        specs.values(), user_uris
    )
    files: dict[str, str | Path] = {**ASSETS.files(), **cross.exports}
    warnings += _same_address(pages, user_uris, directory_urls)
    urls = SiteUrls(directory_urls, pages.keys() | files.keys() | user_uris)
    renderer = Renderer(kb, env, urls, postmortems, specs, cross.indexes, cross.rows, site_url, user_uris)
    inputs = PageInputs(kb, known, shown, epoch, postmortems, specs, cross.indexes, cross.rows)
    return Site(pages, files, renderer, inputs, warnings, cross=cross)


def _cross_incident(
    kb: KnowledgeBase, env: jinja2.Environment, site_map: SiteMap, shown: list[Postmortem], directory_urls: bool
) -> CrossIncident:
    indexes = build_indexes(shown, kb.policy, kb.today)
    homes: dict[str, str] = {}
    now = build_moment(kb.today)
    regulatory = deadlines(kb.postmortems, kb.policy, now)  # every record's stages, a draft's too
    specs = knowledge_base_pages(kb, indexes, site_map, homes, regulatory)
    rows = Rows(env, problem_counts(kb), homes)
    # the preview links each incident to its postmortem, and its "full history" to the knowledge base's listing
    preview = PageSpec(
        STATUS_PREVIEW,
        "Status page (preview)",
        "status",
        status_context(
            public_incidents(kb.postmortems, kb.policy),
            kb.policy,
            kb.today,
            lambda view: site_map.postmortem(view.id),
            site_map.index,
            now=now,  # as the cards and the dashboard judge a maintenance on its first day
        ),
    )

    @functools.cache
    def url_of(pm_id: str) -> str:
        return page_url(site_map.postmortem(pm_id), directory_urls)

    # The exports are written record by record and never held in memory.
    scratch = tempfile.TemporaryDirectory(prefix="postmortems-exports-")
    exports: dict[str, Path] = {}
    records: dict = {}  # each action item's record, made once for the three exports
    pages = {spec.uri for spec in specs}  # an owner without open items has no page

    def owner_url(owner: str) -> str | None:
        return page_url(uri, directory_urls) if (uri := site_map.owner(owner)) in pages else None

    writers: dict[str, Callable[[TextIO], None]] = {
        site_map.index_json: lambda out: write_knowledge_base_json(out, indexes, url_of, kb.today, records),
        ACTION_ITEMS_CSV: lambda out: write_action_items_csv(out, indexes, url_of, records),
        ACTION_ITEMS_JSON: lambda out: write_action_items_json(out, indexes, url_of, kb.today, records),
        # the explorer's compact indexes, beside the exports they summarise
        explorer_uri(site_map.index_json): lambda out: write_postmortems_explorer(
            out, indexes, url_of, kb.today, rows.problems
        ),
        explorer_uri(site_map.index_json, EXPLORER_TEXT): lambda out: write_postmortems_text(out, indexes, kb.today),
        explorer_uri(ACTION_ITEMS_JSON): lambda out: write_action_items_explorer(
            out, indexes, url_of, kb.today, owner_url
        ),
        REGULATORY_JSON: lambda out: write_deadlines_json(out, regulatory, kb.today),
        REGULATORY_ICS: lambda out: write_deadlines_calendar(out, regulatory, now),
    }
    for uri, write in writers.items():
        path = exports[uri] = Path(scratch.name) / f"{len(exports)}-{uri.rpartition('/')[2]}"  # two explore.json
        with path.open("w", encoding="utf-8", newline="") as out:
            write(out)
    return CrossIncident(indexes, rows, (*specs, preview), exports, scratch)


def _public_site(
    kb: KnowledgeBase,
    env: jinja2.Environment,
    user_uris: frozenset[str],
    directory_urls: bool,
    site_name: str,
    site_url: str,
    now: datetime | None,
) -> Site:
    """The public status site: pages and files made from public incidents only (`status_site.pages.public_site`);
    nothing else of the knowledge base is added, and the site's own docs_dir holds only public pages."""
    # The knowledge base reported leaks at the level `rule_levels` gives them, or dropped them at `off`;
    # publishing asks the gate again, so no configuration lets a leak out.
    context = Context(kb.policy, kb.today)
    leaks = check_leaks(kb.postmortems, context) + communication_leaks(kb.postmortems, context)
    if leaks:
        raise PublishRefused(
            f"{len(leaks)} public-leak error(s); nothing was published. First: {leaks[0].location()}: "
            f"{leaks[0].message}. Run `postmortems public-diff` to see them all."
        )
    url_of = functools.partial(page_url, directory_urls=directory_urls)
    public = public_site(
        public_incidents(kb.postmortems, kb.policy), kb.policy, kb.today, PublicPage(site_name, site_url), url_of, now
    )
    specs = {spec.uri: spec for spec in public.pages}
    pages = _spec_pages(public.pages, user_uris, HIDDEN_CHROME)
    files: dict[str, str | Path] = {**ASSETS.files(), **public.files}
    renderer = Renderer(
        kb,
        env,
        SiteUrls(directory_urls, pages.keys() | files.keys() | user_uris),
        {},
        specs,
        site_url=site_url,
        user_uris=user_uris,
    )
    known = Facts()
    inputs = PageInputs(kb, known, everything(kb, known, site_name, directory_urls, user_uris), object(), {}, specs)
    return Site(
        pages,
        files,
        renderer,
        inputs,
        public=public,
        gate=LeakGate.of(kb.policy, kb.postmortems),
    )

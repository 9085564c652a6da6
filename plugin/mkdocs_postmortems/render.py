"""Postmortem pages as HTML fragments from Jinja templates; users override them from their theme's custom_dir."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import jinja2
import markupsafe

from .dates import iso_z, utc_minute
from .diagnostics import Diagnostic, Level
from .kb_site.indexes import ActionItemEntry
from .kb_site.stats import Distribution
from .kb_site.urls import ACTION_ITEMS, ROOT_CAUSES, SiteMap
from .model import Postmortem
from .moments import State, Timed, build_moment, span_text, state_of
from .regulatory import REGIME_NAMES
from .status_site.html_text import as_html, as_inline_html
from .status_site.uptime import percent_text

TEMPLATES = Path(__file__).parent / "templates"
UrlOf = Callable[
    [str], "str | None"
]  # source URI -> its page's URL from the site root, HTML-escaped; None if not built


@dataclass(frozen=True)
class PageSpec:
    """A generated page: source URI, plain-text title, template name under `postmortems/`, and its context.
    `in_nav`: only the index joins an automatic nav; MkDocs renders the nav into every page, so each entry costs
    once per postmortem. The index links the others; a site's own `nav` can list them (the example does)."""

    uri: str
    title: str
    template: str
    context: dict = field(default_factory=dict)
    in_nav: bool = False


class Links:
    """URLs of the site's pages as seen from the page being rendered; None for a page the site does not have.

    `up` leads from the page's folder to the site root (`../../`), so each link is one concatenation: index
    pages hold thousands of them."""

    def __init__(self, site: SiteMap, up: str, url_of: UrlOf, rows: Rows | None = None):
        self.site = site
        self.up = up
        self.url_of = url_of
        self._rows = rows

    def page(self, uri: str) -> str | None:
        url = self.url_of(uri)
        return None if url is None else self.up + url

    def postmortem(self, pm_id: str) -> str | None:
        return self.page(self.site.postmortem(pm_id))

    def service(self, name: str) -> str | None:
        return self.page(self.site.service(name))

    def facet(self, dimension: str, value: str) -> str | None:
        return self.page(self.site.facet(dimension, value))

    def owner(self, name: str) -> str | None:
        """The page of an owner's open action items."""
        return self.page(self.site.owner(name))

    def category(self, name: str) -> str:
        """A root-cause category's section on the root causes page (which links its own page when split)."""
        return f"{self.page(ROOT_CAUSES)}#category-{name}"

    def action_item(self, entry: ActionItemEntry) -> str:
        """The item's row on its home: `/action-items/`, or the owner's or year's page it moved to on a long list."""
        home = self._rows.homes.get(entry.id, ACTION_ITEMS) if self._rows is not None else ACTION_ITEMS
        return f"{self.page(home)}#{entry.anchor}"

    def to(self, pm: Postmortem) -> markupsafe.Markup:
        """A postmortem's title linked to its page (plain text when it has none). Python, not a Jinja macro:
        index pages call this thousands of times."""
        url = self.postmortem(pm.id)
        title = markupsafe.escape(pm.title)
        return title if url is None else markupsafe.Markup(f'<a href="{url}">{title}</a>')

    def to_each(self, postmortems: Iterable[Postmortem]) -> markupsafe.Markup:
        return markupsafe.Markup(", ").join(self.to(pm) for pm in postmortems)

    def rows(self, postmortems: Iterable[Postmortem]) -> markupsafe.Markup:
        """The rows of a listing of `postmortems` (`row.html` each)."""
        rows = self._built_rows()
        return rows.join(
            self, "row", [(pm.id, {"pm": pm, "problems": rows.problems.get(pm.id, 0)}) for pm in postmortems]
        )

    def _built_rows(self) -> Rows:
        """The rows of this build: only the knowledge base's pages list postmortems and items, and they have them."""
        if self._rows is None:
            raise LookupError("rows are rendered only on the knowledge base's pages, which have `Rows`")
        return self._rows

    def item_rows(self, entries: Iterable[ActionItemEntry], anchor: bool = False) -> markupsafe.Markup:
        """The rows of a table of action items (`item-row.html` each); with `anchor`, rows carry their stable id."""
        return self._built_rows().join(
            self, "item-row", [((entry.id, anchor), {"entry": entry, "anchor": anchor}) for entry in entries]
        )


class Rows:
    """Table rows, each rendered once per build and reused on every page that lists it.

    A postmortem is listed on the index, its year, severity, service and tag pages and its services' pages; an
    action item on the action-items page and its services' pages. A row's links differ only by the way up to the
    site root, so rows are rendered with a placeholder there and each table fills it in with one `replace`. The
    placeholder is random per build, so no front matter can contain it; it never reaches the output."""

    def __init__(self, env: jinja2.Environment, problems: dict[str, int], homes: dict[str, str] | None = None):
        self.env = env
        self.problems = problems
        self.homes = homes if homes is not None else {}  # action item ID -> the page holding its anchored row
        self.cache: dict[tuple, str] = {}
        self.up = f"\x00{secrets.token_hex(8)}\x00"

    def join(self, links: Links, template: str, rows: list[tuple]) -> markupsafe.Markup:
        placeholder = Links(links.site, self.up, links.url_of, self)
        row_template, cache, rendered = None, self.cache, []
        for key, context in rows:
            html = cache.get((template, key))
            if html is None:
                row_template = row_template or self.env.get_template(f"postmortems/{template}.html")
                html = cache[template, key] = row_template.render(links=placeholder, **context)
            rendered.append(html)
        return markupsafe.Markup("\n".join(rendered).replace(self.up, links.up))


class _Compiled(jinja2.BytecodeCache):
    """Templates compiled once per process. Every environment `template_environment` makes has the same settings,
    so one's compiled code serves the next (a `serve` rebuild after an edited template, a program that builds many
    sites); a template is known by its name and file, and Jinja compares the source's checksum, so an edited one is
    compiled again."""

    def __init__(self) -> None:
        self._kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self._kept.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._kept[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _Compiled()


def template_environment(override_dirs: Iterable[str] = ()) -> jinja2.Environment:
    """A Jinja environment that looks in `override_dirs` first, then in the templates shipped here."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*override_dirs, str(TEMPLATES)]),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # pages include templates thousands of times; `SiteBuilds.site` sees an edited one
        bytecode_cache=_COMPILED,
    )
    env.filters.update(
        utc=format_utc,
        iso=format_iso,
        duration=format_duration,
        code=inline_code,
        minutes=format_minutes,
        spread=format_spread,
        severity=severity_badge,
        percent=percent_text,
        day=format_day,
        public_html=as_html,
        public_inline=public_inline,
        state=record_state,
        regime=lambda key: REGIME_NAMES.get(key, key),
    )
    return env


def public_inline(text: str) -> markupsafe.Markup:
    """Public text on one line after a label (the status banner's latest update): one paragraph's content, or the
    blocks of a longer text (`status_site.html_text`, which decides how public text is shown everywhere)."""
    return as_inline_html(text) or as_html(text)


def inline_code(text: str) -> markupsafe.Markup:
    """Escape `text`, then show its `backticked` parts as <code>: diagnostics quote keys and values that way."""
    return markupsafe.Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(markupsafe.escape(text))))


def format_utc(moment: datetime | None) -> str:
    return utc_minute(moment) if moment else ""


def format_iso(moment: datetime | None) -> str:
    return iso_z(moment) if moment else ""


def format_day(day: date) -> str:
    """`Dec 1, 2026`, whatever the locale."""
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_duration(span: timedelta | None) -> str:
    """`1 h 12 min`, `3 d 4 h`, `45 min`; empty when unknown or negative (`moments.span_text`). A duration of a record
    that may not be over is its state's (`|state`), which says so."""
    return span_text(span)


def record_state(record: Postmortem | Timed, now: datetime | None = None) -> State:
    """`{{ pm|state }}`: what a postmortem or a public view is at the build's time (`moments.state_of`): its `label`,
    `status`, `over`, `ended_text`, `duration_text`, `summary`. `now` defaults to the build's (`build_moment`)."""
    return state_of(record, build_moment() if now is None else now)


def severity_badge(severity: str) -> markupsafe.Markup:
    name = markupsafe.escape(severity)
    return markupsafe.Markup(f'<span class="pm-badge pm-badge--{name.lower()}">{name}</span>')


def format_minutes(minutes: float | None) -> str:
    """Minutes as a duration (`1 h 12 min`); `—` when unknown, negative or beyond what a duration can be."""
    try:
        return "—" if minutes is None or not minutes >= 0 else format_duration(timedelta(minutes=minutes))
    except OverflowError:
        return "—"


def format_spread(sample: Distribution) -> str:
    """`median 12 min, p90 1 h 3 min (7 incidents, 2 without the timestamp)`; says when the sample is small."""
    if not sample.count:
        return f"no data ({sample.missing} without the timestamp)" if sample.missing else "no data"
    notes = [f"{sample.count} incident{'s' if sample.count != 1 else ''}"]
    if sample.missing:
        notes.append(f"{sample.missing} without the timestamp")
    if sample.is_small:
        notes.append("small sample")
    return f"median {format_minutes(sample.median)}, p90 {format_minutes(sample.p90)} ({', '.join(notes)})"


def problems_of(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics a reader should see on the page: errors and warnings."""
    return [d for d in diagnostics if d.level in (Level.ERROR, Level.WARNING)]


def search_text(pm: Postmortem, items: list[ActionItemEntry]) -> tuple[str, str]:
    """What a search index sees of a postmortem's card (above its body) and tables (below): the same words in few
    tags, since search engines parse every tag of a page. Python, not a template: it is no part of the page a
    reader sees, which the full card and tables replace once the page is indexed. Each paragraph is escaped whole."""
    esc = markupsafe.escape
    impact = f" — {pm.impact.summary}" if pm.impact.summary else ""
    services = " ".join(pm.services)
    above = f"<p>{esc(f'{pm.severity} {pm.status} {services}{impact}')}</p>\n"
    below = []
    if pm.root_causes:
        causes = "".join(
            f"{cause.kind} {cause.category}{' ' + cause.service if cause.service else ''}: {cause.summary} "
            for cause in pm.root_causes
        )
        below.append(f'<h2 id="root-causes">Root causes</h2>\n<p>{esc(causes)}</p>\n')
    if items:
        actions = "".join(
            f"{entry.id} {entry.item.title} ({entry.item.owner}, {entry.item.status})"
            f"{' ' + entry.item.done_when if entry.item.done_when else ''} "
            for entry in items
        )
        below.append(f'<h2 id="action-items">Action items</h2>\n<p>{esc(actions)}</p>\n')
    return above, "".join(below)


def render(env: jinja2.Environment, template: str, **context) -> str:
    """A page fragment from `postmortems/<template>.html` (a user's override first), outside a build; a `Site`
    looks each template up once per build instead (`Site._render`)."""
    return env.get_template(f"postmortems/{template}.html").render(**context)

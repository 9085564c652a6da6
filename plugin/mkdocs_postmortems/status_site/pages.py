"""The public status site, as data: its pages (`PageSpec`s) and files (API JSON, feeds, calendar, badge), built
from the public incidents alone, so nothing internal can reach them. The internal site previews the status page
at `/status/`.

Pages: the status page (`index.md`), a page per incident and maintenance (`incidents/<code>.md`), the history by
month (`history/…`, paged) with a component filter that needs no JavaScript (each component's history is a page
of its own, `components/<slug>/history.md`), each component's uptime calendar (`components/<slug>/index.md`),
and the uptime formula below the site's own About page (`about.md`). Every page goes without the documentation
chrome (`HIDDEN_CHROME`: no nav, no table of contents). Files: the Statuspage API (`api_files`), the feeds (`FEEDS`,
`component_feeds`, each also under the name it had before it took `.xml`) and their XSLT and CSS stylesheets, the
maintenance calendar, the badge, the uptime bars' keyboard script (`STATUS_JS`), `_headers` for the hosts that read
it (`hosting.py`), and an empty sitemap beside each followed file. `public_site` declares them all, and
`every_subscription` what each page's `<head>` names; the build only hands them to the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from html import escape
from itertools import groupby
from pathlib import Path

from ..dates import in_utc, plus_days
from ..kb_site.urls import slugify
from ..policy import Policy
from ..render import PageSpec
from .badge import badge_json, badge_svg
from .feeds import atom_feed, rss_feed
from .hosting import HEADERS, headers_file
from .ical import maintenance_calendar
from .public import PublicView, by_kind
from .statuspage import Page, api_files, component_statuses, incident_status, maintenance_status, overall_status
from .uptime import FORMULA, Day, uptime_days, uptime_percent

HOME = "index.md"
HISTORY = "history/index.md"
ABOUT = "about.md"
FORMULA_ANCHOR = "how-uptime-is-counted"
_ASSETS = Path(__file__).parent.parent / "assets"
FEED_CSS, FEED_XSL = "feed.css", "feed.xsl"  # a feed opened in a browser: rendered as a page by the XSLT, styled
FEED_CSS_SOURCE, FEED_XSL_SOURCE = _ASSETS / "feed.css", _ASSETS / "feed.xsl"
STATUS_JS = "assets/postmortems/status.js"  # arrow keys between the days of an uptime bar; the page works without
STATUS_JS_SOURCE = _ASSETS / "status.js"
# Material's `hide`: a status page is no documentation page (the header keeps the team's logo and name).
HIDDEN_CHROME = ("navigation", "toc", "footer")
API_ENTRY = "api/v2/summary.json"  # the entry of the Statuspage API (`statuspage.api_files`)
MEDIA_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
# Material fetches a sitemap.xml beside every <link rel="alternate"> (for its instant navigation and language
# switch); an empty one in each folder that holds one keeps every page free of 404s.
EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
)
CALENDAR = "maintenance.ics"
BADGE_SVG, BADGE_JSON = "badge.svg", "badge.json"
# Linked as `.xml`, which every host serves as XML (Chromium renders it through `feed.xsl`; `.atom` it shows as text
# and `.rss` it downloads where the host sends their own types); `subscribed_name` is each one's earlier name, which
# readers and Statuspage's tools follow, written too.
FEEDS = {"atom": "history.atom.xml", "rss": "history.rss.xml"}
RECENT_DAYS = 15  # the status page lists the last 15 days, as Statuspage does


def incident_uri(view: PublicView) -> str:
    return f"incidents/{view.code}.md"


def history_uri(number: int) -> str:
    return HISTORY if number == 1 else f"history/{number}.md"


def component_slug(name: str) -> str:
    return slugify(name, max_words=12)


def component_uri(name: str) -> str:
    """The component's uptime calendar."""
    return f"components/{component_slug(name)}/index.md"


def component_history_uri(name: str) -> str:
    return f"components/{component_slug(name)}/history.md"


def component_feeds(name: str) -> dict[str, str]:
    """A component's own Atom and RSS feeds, by kind."""
    return {kind: f"feeds/{component_slug(name)}.{kind}.xml" for kind in FEEDS}


def subscribed_name(feed: str) -> str:
    """The name a feed had before it took `.xml` (`history.atom`, Statuspage's), kept for readers that follow it."""
    return feed.removesuffix(".xml")


def status_label(view: PublicView, today: date, now: datetime) -> str:
    """What an incident or a maintenance is at the build's time, as the API says it: an incident `resolved` once
    over (`moments`), else its newest update's `investigating`, `identified` or `monitoring`; a maintenance
    `scheduled`, `in_progress`, `verifying` or `completed`."""
    return maintenance_status(view, today, now) if view.kind == "maintenance" else incident_status(view)


@dataclass(frozen=True)
class ComponentStatus:
    """One component on the status page: its current status, its uptime days (oldest first) and their average,
    and the source URI of its uptime calendar (None: no such page, as in the internal preview)."""

    name: str
    status: str
    days: tuple[Day, ...]
    uptime: float | None
    page: str | None = None

    def day_uri(self, day: Day) -> str | None:
        return f"{self.page}#day-{day.day.isoformat()}" if self.page else None


@dataclass(frozen=True)
class Subscription:
    """A file readers and tools follow: the label the status page gives it, its source URI, its media type, a line
    on what it is, and the title of its `<link rel="alternate">` after the site's name. A `component`'s own feeds
    are linked from that component's pages and the status page, the others from every page; the status page offers
    those that are `offered`."""

    label: str
    uri: str
    media_type: str
    description: str
    head_title: str = ""
    component: str | None = None
    offered: bool = True


def every_subscription(components: Sequence[str]) -> list[Subscription]:
    """Every file of the public site a reader or a tool follows, in the order the status page and each page's
    `<head>` list them."""
    found = [
        Subscription(
            "Atom feed",
            FEEDS["atom"],
            MEDIA_TYPES["atom"],
            "Every incident and maintenance, with each update, for a feed reader.",
            " (Atom)",
        ),
        Subscription("RSS feed", FEEDS["rss"], MEDIA_TYPES["rss"], "The same, for readers that want RSS.", " (RSS)"),
        Subscription(
            "Maintenance calendar",
            CALENDAR,
            "text/calendar",
            "Planned maintenance windows, for your calendar (iCalendar).",
            ": maintenance calendar",
        ),
        Subscription(
            "JSON API",
            API_ENTRY,
            "application/json",
            "Statuspage-compatible JSON for tools; also status.json, incidents.json and scheduled-maintenances.json.",
            ": status API",
        ),
    ]
    for name in components:
        feeds = component_feeds(name)
        found += [
            Subscription(
                f"{name} (Atom)",
                feeds["atom"],
                MEDIA_TYPES["atom"],
                f"Incidents and maintenance of {name} only.",
                f": {name} (Atom)",
                name,
            ),
            Subscription(
                f"{name} (RSS)",
                feeds["rss"],
                MEDIA_TYPES["rss"],
                f"Incidents and maintenance of {name} only, for readers that want RSS.",
                f": {name} (RSS)",
                name,
                offered=False,
            ),
        ]
    return found


def subscriptions(components: Sequence[str]) -> list[Subscription]:
    """Everything a reader can subscribe to, in the order the status page offers it."""
    return [way for way in every_subscription(components) if way.offered]


@dataclass(frozen=True)
class PublicSite:
    """Every page and file of the public status site (a file's content, or the path of a file to copy), and the
    files each page names in its `<head>`. `name` is the site's."""

    pages: list[PageSpec]
    files: dict[str, str | Path]
    subscriptions: tuple[Subscription, ...]
    name: str

    def head_links(self, uri: str, up: str) -> str:
        """What the <head> of page `uri` (any page of the site; `up` leads from it to the site root) must also hold,
        so readers and tools find them: the feeds, the maintenance calendar and the JSON API on every page; a
        component's own feeds on its pages and on the status page."""
        return "".join(
            f'<link rel="alternate" type="{way.media_type}" title="{escape(self.name + way.head_title)}" '
            f'href="{up}{escape(way.uri)}">'
            for way in self.subscriptions
            if way.component is None
            or uri in (HOME, component_uri(way.component), component_history_uri(way.component))
        )


def months(incidents: Sequence[PublicView]) -> list[tuple[str, list[PublicView]]]:
    """Incidents grouped by the month they started, newest first (`November 2026`)."""
    label = lambda view: f"{view.started:%B} {view.started.year}" if view.started else "Undated"  # noqa: E731
    return [(month, list(group)) for month, group in groupby(incidents, key=label)]


def recent_days(views: Sequence[PublicView], today: date, count: int = RECENT_DAYS) -> list[tuple[date, list]]:
    """The last `count` UTC days, today first, each with what started that day (a maintenance once begun), as
    Statuspage lists its past incidents; a quiet day has an empty list."""
    listed: dict[date, list[PublicView]] = {}
    for view in views:
        if view.started is None or (view.kind == "maintenance" and view.started.date() > today):
            continue
        listed.setdefault(in_utc(view.started).date(), []).append(view)
    return [(day, listed.get(day, [])) for day in dict.fromkeys(plus_days(today, -offset) for offset in range(count))]


def moment_of(today: date, now: datetime | None) -> datetime:
    """The build's time: `now` when given, else midnight UTC of `today` (the core never reads the clock)."""
    return now if now is not None else datetime(today.year, today.month, today.day, tzinfo=timezone.utc)


def status_context(
    views: Sequence[PublicView],
    policy: Policy,
    today: date,
    incident_page: Callable[[PublicView], str],
    history: str | None = HISTORY,
    now: datetime | None = None,
    public: bool = False,
) -> dict:
    """What `status.html` shows: when it was built, the overall status, what is wrong now, maintenance in
    progress and upcoming, each component with its uptime days, the last 15 days, each incident's status
    (`status_of`), and (on the public site, `public`) the ways to subscribe, the links to each component's calendar,
    to the uptime formula and to About, and the bars' keyboard script. `incident_page` and `history` are the source
    URIs its links go to."""
    moment = moment_of(today, now)
    incidents, maintenances = by_kind(views)
    statuses = component_statuses(incidents, policy.components)
    components = []
    until = now if public else None  # the preview's bars end at the build's day, so two builds of a day match
    for name in policy.components:
        days = tuple(uptime_days(name, incidents, today, policy.uptime_days, policy.component_since(name), until))
        components.append(
            ComponentStatus(name, statuses[name], days, uptime_percent(days), component_uri(name) if public else None)
        )
    planned = [(view, maintenance_status(view, today, moment)) for view in maintenances]
    return {
        "overall": overall_status(incidents),
        "components": components,
        "updated": moment if public else moment_of(today, None),  # the preview: the build's day, so two builds match
        "unresolved": [view for view in incidents if not view.closed],
        "active_maintenance": [view for view, state in planned if state in ("in_progress", "verifying")],
        "upcoming_maintenance": sorted(
            (view for view, state in planned if state == "scheduled"), key=lambda view: view.started or moment
        ),
        "recent_days": recent_days(views, today),
        "formula": FORMULA,
        "formula_uri": f"{ABOUT}#{FORMULA_ANCHOR}" if public else None,
        "subscriptions": subscriptions(policy.components) if public else [],
        "incident_uri": incident_page,
        "history_uri": history,
        "about_uri": ABOUT if public else None,
        "status_of": lambda view: status_label(view, today, moment),
        "script": STATUS_JS if public else None,
    }


def _history_page(
    uri: str,
    title: str,
    views: Sequence[PublicView],
    policy: Policy,
    status_of: Callable[[PublicView], str],
    in_nav: bool = False,
    component: str | None = None,
    **paging,
) -> PageSpec:
    return PageSpec(
        uri,
        title,
        "status-history",
        {
            "months": months(views),
            "incident_uri": incident_uri,
            "status_of": status_of,
            "component": component,
            "filters": [(None, HISTORY)] + [(name, component_history_uri(name)) for name in policy.components],
            "page_number": paging.get("page_number", 1),
            "page_count": paging.get("page_count", 1),
            "previous_uri": paging.get("previous_uri"),
            "next_uri": paging.get("next_uri"),
        },
        in_nav=in_nav,
    )


def public_site(
    views: Sequence[PublicView],
    policy: Policy,
    today: date,
    page: Page,
    url_of: Callable[[str], str],
    now: datetime | None = None,
) -> PublicSite:
    """Every page and file of the public site, declared here and nowhere else. `url_of` turns a source URI into its
    URL from the site root; `now` is the build's time (default: midnight of `today`), shown as "last updated"."""
    moment = moment_of(today, now)
    status_of = lambda view: status_label(view, today, moment)  # noqa: E731
    pages = [
        PageSpec(
            HOME,
            page.name,
            "status",
            status_context(views, policy, today, incident_uri, now=moment, public=True),
            in_nav=True,
        )
    ]
    pages += [
        PageSpec(
            incident_uri(view),
            view.title,
            "status-incident",
            {
                "incident": view,
                "status_uri": HOME,
                "status": status_of(view),
                "maintenance_status": maintenance_status(view, today, moment) if view.kind == "maintenance" else None,
            },
        )
        for view in views
    ]
    size = max(policy.history_page_size, 1)
    chunks = [list(views[start : start + size]) for start in range(0, len(views), size)] or [[]]
    for number, chunk in enumerate(chunks, 1):
        pages.append(
            _history_page(
                history_uri(number),
                "History" if number == 1 else f"History, page {number}",
                chunk,
                policy,
                status_of,
                in_nav=number == 1,
                page_number=number,
                page_count=len(chunks),
                previous_uri=history_uri(number - 1) if number > 1 else None,
                next_uri=history_uri(number + 1) if number < len(chunks) else None,
            )
        )
    incidents = by_kind(views)[0]
    for name in policy.components:
        naming = [view for view in views if name in view.components]
        pages.append(
            _history_page(component_history_uri(name), f"{name}: history", naming, policy, status_of, component=name)
        )
        days = uptime_days(name, incidents, today, policy.uptime_days, policy.component_since(name), moment)
        pages.append(
            PageSpec(
                component_uri(name),
                f"{name}: uptime",
                "status-component",
                {
                    "name": name,
                    "calendar": calendar(days),
                    "uptime": uptime_percent(days),
                    "days": days,
                    "history_uri": component_history_uri(name),
                    "feeds": component_feeds(name),
                    "status_uri": HOME,
                    "incident_uri": incident_uri,
                    "formula_uri": f"{ABOUT}#{FORMULA_ANCHOR}",
                },
            )
        )
    pages.append(PageSpec(ABOUT, "About", "status-about", {"formula": FORMULA, "anchor": FORMULA_ANCHOR}))

    def absolute(path: str) -> str:
        """`path` from the site root as a full URL, or root-relative without a `site_url`."""
        return page.url.rstrip("/") + "/" + path if page.url else "/" + path

    def incident_url(view: PublicView) -> str:
        return absolute(url_of(incident_uri(view)))

    since = {name: policy.component_since(name) for name in policy.components if policy.component_since(name)}
    files: dict[str, str | Path] = dict(api_files(page, views, policy.components, incident_url, since, today, moment))
    feeds = {
        FEEDS["atom"]: atom_feed(page, views, incident_url, absolute(FEEDS["atom"]), FEED_XSL),
        FEEDS["rss"]: rss_feed(page, views, incident_url, absolute(FEEDS["rss"]), FEED_XSL),
    }
    for name in policy.components:
        naming = [view for view in views if name in view.components]
        own, home = component_feeds(name), absolute(url_of(component_uri(name)))
        feeds[own["atom"]] = atom_feed(page, naming, incident_url, absolute(own["atom"]), "../" + FEED_XSL, name, home)
        feeds[own["rss"]] = rss_feed(page, naming, incident_url, absolute(own["rss"]), "../" + FEED_XSL, name, home)
    for uri, text in feeds.items():
        files[uri] = files[subscribed_name(uri)] = text  # the same text under both names: one string
    files[CALENDAR] = maintenance_calendar(page, by_kind(views)[1], today, incident_url)
    indicator, description = overall_status(incidents)
    files[BADGE_SVG] = badge_svg(indicator, description)
    files[BADGE_JSON] = badge_json(indicator, description)
    files[FEED_CSS], files[FEED_XSL], files[STATUS_JS] = FEED_CSS_SOURCE, FEED_XSL_SOURCE, STATUS_JS_SOURCE
    followed = every_subscription(policy.components)
    for folder in sorted({way.uri.rpartition("/")[0] for way in followed if "/" in way.uri}):
        files.setdefault(f"{folder}/sitemap.xml", EMPTY_SITEMAP)
    files[HEADERS] = headers_file(files, folders=("feeds",))
    return PublicSite(pages, files, tuple(followed), page.name)


def calendar(days: Sequence[Day]) -> list[tuple[str, list[list[Day | None]]]]:
    """`days` as month calendars, newest month first: (`November 2026`, weeks Monday to Sunday, None outside)."""
    by_month: dict[tuple[int, int], list[Day]] = {}
    for day in days:
        by_month.setdefault((day.day.year, day.day.month), []).append(day)
    found = []
    for (year, month), listed in sorted(by_month.items(), reverse=True):
        cells: list[Day | None] = [None] * listed[0].day.weekday() + list(listed)
        cells += [None] * (-len(cells) % 7)
        found.append((date(year, month, 1).strftime("%B %Y"), [cells[i : i + 7] for i in range(0, len(cells), 7)]))
    return found

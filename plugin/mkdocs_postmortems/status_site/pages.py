"""The public status site, as data: its pages (`PageSpec`s) and files (API JSON, feeds), built from the public
incidents alone, so nothing internal can reach them. The internal site previews the status page at `/status/`.
"""

from __future__ import annotations

from datetime import date
from itertools import groupby
from typing import Callable, Sequence

from .feeds import atom_feed, rss_feed
from ..render import PageSpec
from ..policy import Policy
from .public import PublicView, by_kind
from .statuspage import Page, api_files, component_statuses, overall_status
from .uptime import FORMULA, uptime_days, uptime_percent

HOME = "index.md"
HISTORY = "history/index.md"
FEEDS = {"atom": "history.atom", "rss": "history.rss"}


def incident_uri(view: PublicView) -> str:
    return f"incidents/{view.code}.md"


def history_uri(number: int) -> str:
    return HISTORY if number == 1 else f"history/{number}.md"


def months(incidents: Sequence[PublicView]) -> list[tuple[str, list[PublicView]]]:
    """Incidents grouped by the month they started, newest first (`November 2026`)."""
    label = lambda view: f"{view.started:%B} {view.started.year}" if view.started else "Undated"  # noqa: E731
    return [(month, list(group)) for month, group in groupby(incidents, key=label)]


def status_context(incidents: Sequence[PublicView], policy: Policy, today: date,
                   incident_page: Callable[[PublicView], str], history: str = HISTORY) -> dict:
    """What `status.html` shows: the overall status, each component with its uptime days, and recent history.
    `incident_page` and `history` are the source URIs its links go to. Maintenance is not shown here."""
    incidents, _ = by_kind(incidents)
    statuses = component_statuses(incidents, policy.components)
    components = []
    for name in policy.components:
        days = uptime_days(name, incidents, today, policy.uptime_days, policy.component_since(name))
        components.append((name, statuses[name], days, uptime_percent(days)))
    return {"overall": overall_status(incidents), "components": components,
            "unresolved": [view for view in incidents if not view.closed],
            "months": months(incidents[:policy.history_page_size]), "formula": FORMULA,
            "incident_uri": incident_page, "history_uri": history}


def public_site(incidents: Sequence[PublicView], policy: Policy, today: date, page: Page,
                url_of: Callable[[str], str]) -> tuple[list[PageSpec], dict[str, str]]:
    """Every page and file of the public site. `url_of` turns a source URI into its URL from the site root.
    Maintenance goes into the API alone."""
    views, incidents = incidents, by_kind(incidents)[0]
    pages = [PageSpec(HOME, page.name, "status", status_context(incidents, policy, today, incident_uri), in_nav=True)]
    pages += [PageSpec(incident_uri(view), view.title, "status-incident", {"incident": view, "status_uri": HOME})
              for view in incidents]
    size = max(policy.history_page_size, 1)
    chunks = [incidents[start:start + size] for start in range(0, len(incidents), size)] or [[]]
    for number, chunk in enumerate(chunks, 1):
        pages.append(PageSpec(history_uri(number), "Incident history" if number == 1 else f"Incident history, page {number}",
                              "status-history", {
                                  "months": months(chunk), "page_number": number, "page_count": len(chunks),
                                  "previous_uri": history_uri(number - 1) if number > 1 else None,
                                  "next_uri": history_uri(number + 1) if number < len(chunks) else None,
                                  "incident_uri": incident_uri}, in_nav=number == 1))

    def absolute(path: str) -> str:
        """`path` from the site root as a full URL, or root-relative without a `site_url`."""
        return page.url.rstrip("/") + "/" + path if page.url else "/" + path

    def incident_url(view: PublicView) -> str:
        return absolute(url_of(incident_uri(view)))

    since = {name: policy.component_since(name) for name in policy.components if policy.component_since(name)}
    files = api_files(page, views, policy.components, incident_url, since, today)
    files[FEEDS["atom"]] = atom_feed(page, incidents, incident_url, absolute(FEEDS["atom"]))
    files[FEEDS["rss"]] = rss_feed(page, incidents, incident_url, absolute(FEEDS["rss"]))
    return pages, files

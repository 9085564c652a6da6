"""The public incidents in the shapes of Statuspage's public API v2, so existing consumers read them unchanged.

`api_files` gives `api/v2/summary.json`, `status.json`, `components.json`, `incidents.json`,
`incidents/unresolved.json` and `scheduled-maintenances.json` (with `upcoming.json` and `active.json`), with
Statuspage's field names and order. IDs are `public_code`s: a page's of its
name, a component's of its name, an incident's of its postmortem ID (`PublicView.code`), and an update's of
`<incident code>/update/<n>`, `n` counting from its oldest update, so adding an update keeps the others' IDs.
Times are UTC as a UTC Statuspage writes them (`2025-05-16T17:05:00.000Z`). An update's `body` is what
Statuspage's is, an HTML fragment or plain text: the sanitised HTML of a text that is markup (a Statuspage import's,
`html_text.api_body`), any other text as written. An incident is unresolved until it is over for customers, and its
`resolved_at` is when they stopped being affected (the last resolved update, else `mitigated`: `moments.window`),
never the internal resolution time. A maintenance's status is judged against the build's date and time (`today`,
`now`, given) by `moments.phase`: nothing here reads the clock, so the same records and date always give the same
files.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone

from ..dates import in_utc
from ..moments import RESOLVED, phase
from .html_text import api_body
from .public import COMPONENT_STATUS, PublicView, by_kind, public_code
from .uptime import OPERATIONAL, STATUS_ORDER

INCIDENTS_LIMIT = 50  # Statuspage's incidents.json lists the 50 newest
OPEN_STATUSES = ("investigating", "identified", "monitoring")
# Statuspage's overall indicator for the worst impact among unresolved incidents, and its words for it.
INDICATORS = ("none", "minor", "major", "critical")
DESCRIPTIONS = {
    "none": "All Systems Operational",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major System Outage",
}


@dataclass(frozen=True)
class Page:
    """The public site: `url` is its address, or "" when pages are linked by root-relative paths."""

    name: str
    url: str


def timestamp(moment: datetime | None) -> str | None:
    """`2025-05-16T17:05:00.000Z`, or None; a naive time is taken as UTC."""
    if moment is None:
        return None
    moment = in_utc(moment)
    return f"{moment.date().isoformat()}T{moment:%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def unresolved(incidents: Sequence[PublicView]) -> list[PublicView]:
    return [view for view in incidents if not view.closed]


def overall_status(incidents: Sequence[PublicView]) -> tuple[str, str]:
    """(indicator, description) from the worst impact among unresolved incidents: `("none", "All Systems
    Operational")` when there is none."""
    impacts = [view.impact for view in unresolved(incidents) if view.impact in INDICATORS]
    indicator = max(impacts, key=INDICATORS.index, default="none")
    return indicator, DESCRIPTIONS[indicator]


def component_statuses(incidents: Sequence[PublicView], components: Sequence[str]) -> dict[str, str]:
    """Each component's worst `COMPONENT_STATUS` among the unresolved incidents naming it, else operational."""
    statuses = dict.fromkeys(components, OPERATIONAL)
    for view in unresolved(incidents):
        status = COMPONENT_STATUS.get(view.impact, OPERATIONAL)
        for name in view.components:
            if name in statuses:
                statuses[name] = max(statuses[name], status, key=STATUS_ORDER.index)
    return statuses


def incident_status(view: PublicView) -> str:
    """`resolved` once over for customers (`moments.phase`), else its newest update's status (`investigating`
    without an open one)."""
    if phase(view) == RESOLVED:
        return RESOLVED
    newest = view.updates[0].status if view.updates else ""
    return newest if newest in OPEN_STATUSES else "investigating"


def _changed(view: PublicView) -> datetime | None:
    """The last time the incident could have changed a component's status: its last update or resolution."""
    return max((moment for moment in (view.updated, view.resolved) if moment), default=None)


def _earliest(incidents: Sequence[PublicView]) -> datetime | None:
    return min((view.started for view in incidents if view.started), default=None)


def _components(
    page_id: str, incidents: Sequence[PublicView], components: Sequence[str], since: Mapping[str, date | None]
) -> dict[str, dict]:
    """Statuspage's component objects by name. Created when it started serving customers (`since`), else at the
    first incident naming it, else at the site's first incident; updated at its last incident's last change."""
    statuses = component_statuses(incidents, components)
    found = {}
    for position, name in enumerate(components, 1):
        naming = [view for view in incidents if name in view.components]
        first = since.get(name)
        created = (
            datetime(first.year, first.month, first.day, tzinfo=timezone.utc)
            if first
            else _earliest(naming) or _earliest(incidents)
        )
        updated = max((changed for view in naming if (changed := _changed(view))), default=None) or created
        found[name] = {
            "id": public_code(name),
            "name": name,
            "status": statuses[name],
            "created_at": timestamp(created),
            "updated_at": timestamp(updated),
            "position": position,
            "description": None,
            "showcase": True,
            "start_date": first.isoformat() if first else None,
            "group_id": None,
            "page_id": page_id,
            "group": False,
            "only_show_if_degraded": False,
        }
    return found


def _affected(view: PublicView, index: int, components: Mapping[str, dict]) -> list[dict] | None:
    """The component changes an update made: its first turns the components to the impact's status, a resolved
    update turns them back to operational; None for the others, as Statuspage writes it."""
    impact = COMPONENT_STATUS.get(view.impact, OPERATIONAL)
    update = view.updates[index]
    if update.status == "resolved":
        old, new = impact, OPERATIONAL
    elif index == len(view.updates) - 1:
        old, new = OPERATIONAL, impact
    else:
        return None
    return [
        {"code": components[name]["id"], "name": name, "old_status": old, "new_status": new}
        for name in view.components
        if name in components
    ] or None


def _update(view: PublicView, index: int, affected: list[dict] | None) -> dict:
    """The update `index` (newest first) as Statuspage writes it; its ID counts from the oldest update."""
    update = view.updates[index]
    return {
        "id": public_code(f"{view.code}/update/{len(view.updates) - 1 - index}"),
        "status": update.status,
        "body": api_body(update.body),
        "incident_id": view.code,
        "created_at": timestamp(update.at),
        "updated_at": timestamp(update.at),
        "display_at": timestamp(update.at),
        "affected_components": affected,
        "deliver_notifications": True,
        "custom_tweet": None,
        "tweet_id": None,
    }


def _incident(
    view: PublicView, page_id: str, components: Mapping[str, dict], incident_url: Callable[[PublicView], str]
) -> dict:
    monitoring = [update.at for update in view.updates if update.status == "monitoring" and update.at]
    updates = [_update(view, index, _affected(view, index, components)) for index in range(len(view.updates))]
    return {
        "id": view.code,
        "name": view.title,
        "status": incident_status(view),
        "created_at": timestamp(view.started),
        "updated_at": timestamp(view.updated),
        "monitoring_at": timestamp(min(monitoring, default=None)),
        "resolved_at": timestamp(view.resolved),
        "impact": view.impact,
        "shortlink": incident_url(view),
        "started_at": timestamp(view.started),
        "page_id": page_id,
        "incident_updates": updates,
        "components": [components[name] for name in view.components if name in components],
    }


def maintenance_status(view: PublicView, today: date, now: datetime | None = None) -> str:
    """Statuspage's status of a maintenance, as `moments.phase` judges it: with the build's time `now`, scheduled
    before `started`, in progress from it, verifying from `mitigated` (the work done), completed from `resolved`; by
    `today` alone (a window known only to the day), scheduled before its start's day, in progress from then,
    verifying from the day of `mitigated`, completed after the day of `resolved`."""
    return phase(view, now, today)


def _maintenance(
    view: PublicView,
    today: date,
    page_id: str,
    components: Mapping[str, dict],
    shortlink: str,
    now: datetime | None = None,
) -> dict:
    """A scheduled maintenance as Statuspage writes it: the window as `scheduled_for` and `scheduled_until`, and
    its updates with maintenance statuses."""
    status = maintenance_status(view, today, now)
    updates = [_update(view, index, None) for index in range(len(view.updates))]
    return {
        "id": view.code,
        "name": view.title,
        "status": status,
        "created_at": timestamp(view.announced),
        "updated_at": timestamp(view.updated),
        "monitoring_at": timestamp(view.mitigated),
        "resolved_at": timestamp(view.resolved) if status == "completed" else None,
        "impact": "maintenance",
        "shortlink": shortlink,
        "started_at": timestamp(view.started),
        "page_id": page_id,
        "incident_updates": updates,
        "components": [components[name] for name in view.components if name in components],
        "scheduled_for": timestamp(view.started),
        "scheduled_until": timestamp(view.resolved),
    }


def api_files(
    page: Page,
    incidents: Sequence[PublicView],
    components: Sequence[str],
    incident_url: Callable[[PublicView], str],
    since: Mapping[str, date | None] | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> dict[str, str]:
    """Statuspage's public API v2 files, as JSON text by path. `incidents` newest first, maintenance among them
    (`kind`); `components` the public components in display order; `since` the day each started serving customers
    (its `start_date`; None or missing where unknown); `today` the build date and `now` its time, which a
    maintenance's status depends on (default: none listed)."""
    incidents, maintenances = by_kind(incidents)
    page_id = public_code(page.name)
    page_object = {
        "id": page_id,
        "name": page.name,
        "url": page.url or "/",
        "time_zone": "Etc/UTC",
        "updated_at": timestamp(max((view.updated for view in incidents if view.updated), default=None)),
    }
    indicator, description = overall_status(incidents)
    status = {"indicator": indicator, "description": description}
    by_name = _components(page_id, incidents, components, since or {})
    component_list = list(by_name.values())

    def shaped(views: Sequence[PublicView]) -> list[dict]:
        return [_incident(view, page_id, by_name, incident_url) for view in views]

    open_incidents = shaped(unresolved(incidents))
    planned = (
        [_maintenance(view, today, page_id, by_name, incident_url(view), now) for view in maintenances] if today else []
    )
    upcoming = [m for m in planned if m["status"] == "scheduled"]
    active = [m for m in planned if m["status"] in ("in_progress", "verifying")]
    documents = {
        "api/v2/summary.json": {
            "page": page_object,
            "components": component_list,
            "incidents": open_incidents,
            "scheduled_maintenances": upcoming + active,
            "status": status,
        },
        "api/v2/status.json": {"page": page_object, "status": status},
        "api/v2/components.json": {"page": page_object, "components": component_list},
        "api/v2/incidents.json": {"page": page_object, "incidents": shaped(incidents[:INCIDENTS_LIMIT])},
        "api/v2/incidents/unresolved.json": {"page": page_object, "incidents": open_incidents},
        "api/v2/scheduled-maintenances.json": {
            "page": page_object,
            "scheduled_maintenances": planned[:INCIDENTS_LIMIT],
        },
        "api/v2/scheduled-maintenances/upcoming.json": {"page": page_object, "scheduled_maintenances": upcoming},
        "api/v2/scheduled-maintenances/active.json": {"page": page_object, "scheduled_maintenances": active},
    }
    return {path: json.dumps(document, ensure_ascii=False, indent=2) + "\n" for path, document in documents.items()}

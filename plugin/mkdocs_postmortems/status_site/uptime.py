"""Uptime per public component and UTC day, from the public incidents alone (standard library only).

A day counts the minutes of each incident touching the component, weighted by its impact (`DOWNTIME_WEIGHT`);
where incidents overlap, a minute counts once, at the heaviest weight. The status page publishes the rule
(`FORMULA`), so readers can check the figures against the incident history.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from itertools import pairwise

from ..dates import in_utc, plus, plus_days
from .public import COMPONENT_STATUS, DOWNTIME_WEIGHT, PublicView

OPERATIONAL = "operational"
NO_DATA = "no-data"
# Mildest first: a day shows the worst status of the incidents touching it.
STATUS_ORDER = (OPERATIONAL, "degraded_performance", "partial_outage", "major_outage")
DAY_MINUTES = 24 * 60

FORMULA = (
    "Uptime is counted per UTC day: every minute of an incident with critical impact (major outage) counts "
    "as down, a minute of major impact (partial outage) counts 0.3 of a minute, and minor impact (degraded "
    "performance) does not count; where incidents overlap, a minute counts once, at the heaviest weight. "
    "A day's uptime is 1 − counted minutes / 1440, and a component's uptime is the average over the days "
    "with data; an incident not yet resolved counts until this page was last updated."
)


@dataclass(frozen=True)
class Day:
    """One UTC day of one component: its worst status, its uptime in percent and the incidents touching it."""

    day: date
    status: str  # "operational", a value of COMPONENT_STATUS, or "no-data"
    uptime: float | None  # percent; None for no-data
    incidents: tuple[PublicView, ...]  # those touching this component that day, in the order given

    @property
    def label(self) -> str:
        """`2026-10-01: 99.81% uptime, partial outage (Errors on the website)`, or `2026-10-01: no data`."""
        if self.uptime is None:
            return f"{self.day.isoformat()}: no data"
        text = f"{self.day.isoformat()}: {percent_text(self.uptime)} uptime, {self.status.replace('_', ' ')}"
        titles = "; ".join(view.title for view in self.incidents)
        return f"{text} ({titles})" if titles else text


def percent_text(percent: float | None) -> str:
    """`99.81%`, rounded down so a day with any downtime never reads 100.00%; `no data` for None."""
    if percent is None:
        return "no data"
    return f"{math.floor(round(percent * 100, 6)) / 100:.2f}%"


def _utc(moment: datetime) -> datetime:
    """A naive time is taken as UTC; an aware one is converted."""
    return in_utc(moment)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), timezone.utc)


def _day_end(day: date) -> datetime:
    """The midnight after `day`; for the calendar's last day, its last moment."""
    return plus(_midnight(day), timedelta(days=1))


def _counted_minutes(spans: list[tuple[datetime, datetime, float]]) -> float:
    """Weighted minutes of the (start, end, weight) spans within one day, each minute at its heaviest weight."""
    bounds = sorted({moment for start, end, _ in spans for moment in (start, end)})
    counted = 0.0
    for left, right in pairwise(bounds):
        weight = max((w for start, end, w in spans if start <= left and end >= right), default=0.0)
        counted += weight * (right - left).total_seconds() / 60
    return min(counted, DAY_MINUTES)


def uptime_days(
    component: str,
    incidents: Sequence[PublicView],
    today: date,
    days: int = 90,
    since: date | None = None,
    now: datetime | None = None,
) -> list[Day]:
    """`days` UTC days ending with `today`, oldest first, for `component`.

    An incident's window runs from `started` to `resolved` (unresolved: to `now`, the build's time, or without one
    to the end of `today`), clipped to each
    day it touches; an incident without `started`, or whose start or end is known only to the day or not at all, has
    no window: any figure for it would be invented. Maintenance is never downtime. Days before `since` have no data. The work is
    linear in the incidents and the days each spans, not in all days times all incidents. At the first days of the
    calendar there are fewer days to show; at its last, the window ends a microsecond before year 10000."""
    first = plus_days(today, -(days - 1))
    window_start, window_end = _midnight(first), _day_end(today)
    spans: dict[date, list[tuple[datetime, datetime, float]]] = {}
    touching: dict[date, list[PublicView]] = {}
    for view in incidents:
        if (
            component not in view.components
            or view.kind == "maintenance"
            or not view.window_known
            or view.started is None
        ):  # a known window has a start
            continue
        start = _utc(view.started)
        open_end = min(_utc(now), window_end) if now is not None else window_end
        end = _utc(view.resolved) if view.resolved is not None else max(open_end, start)
        ends_before = end < window_start or (end == window_start and end > start)  # ended by the first midnight
        if end < start or start >= window_end or ends_before:
            continue
        clipped_start, clipped_end = max(start, window_start), min(end, window_end)
        # The last day is the one holding the window's last instant; a zero-length incident touches its own day.
        last = (clipped_end - timedelta(microseconds=1)).date() if clipped_end > clipped_start else clipped_start.date()
        for offset in range((last - clipped_start.date()).days + 1):
            day = clipped_start.date() + timedelta(days=offset)
            piece = (max(clipped_start, _midnight(day)), min(clipped_end, _day_end(day)))
            spans.setdefault(day, []).append((*piece, DOWNTIME_WEIGHT.get(view.impact, 0.0)))
            touching.setdefault(day, []).append(view)
    result = []
    for offset in range((today - first).days + 1):
        day = first + timedelta(days=offset)
        if since is not None and day < since:
            result.append(Day(day, NO_DATA, None, ()))
            continue
        views = tuple(touching.get(day, ()))
        statuses = [COMPONENT_STATUS.get(view.impact, OPERATIONAL) for view in views]
        status = max(statuses, key=STATUS_ORDER.index, default=OPERATIONAL)
        uptime = 100 * (1 - _counted_minutes(spans.get(day, [])) / DAY_MINUTES)
        result.append(Day(day, status, uptime, views))
    return result


def uptime_percent(days: Sequence[Day]) -> float | None:
    """The average uptime over the days with data; None when no day has any."""
    known = [day.uptime for day in days if day.uptime is not None]
    return sum(known) / len(known) if known else None

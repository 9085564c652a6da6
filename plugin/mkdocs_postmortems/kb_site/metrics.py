"""Incident metrics for charts and tables: incidents per month by severity, and response-time distributions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..dates import minutes, newest_plausible, quarter_of, year_month
from ..model import Postmortem
from .stats import Distribution, distribution

RESPONSE_TIMES = (
    ("Time to detect", "time_to_detect"),
    ("Time to mitigate", "time_to_mitigate"),
    ("Time to resolve", "time_to_resolve"),
)


MAX_MONTHS = 600  # fifty years of bars; a typo such as `started: 0001-01-01` must not draw 120,000 of them


def month_range(first: str, last: str) -> list[str]:
    """Every `YYYY-MM` from `first` to `last`, so quiet months show as zeros; at most the last `MAX_MONTHS`."""
    start, end = int(first[:4]) * 12 + int(first[5:]) - 1, int(last[:4]) * 12 + int(last[5:]) - 1
    return [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(max(start, end - MAX_MONTHS + 1), end + 1)]


def monthly_counts(
    postmortems: Sequence[Postmortem], severities: Sequence[str], limit: int | None = None, today: date | None = None
) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """(months, [(severity, incidents per month)]), oldest first, over every month from the first incident to the
    last (at most the last `MAX_MONTHS`); with `limit`, over the `limit` months up to the newest incident not
    after `today` (a typo'd year 1628 or 2062 makes no chart of centuries). Incidents outside the window are not
    counted."""
    dated = [(pm, pm.started) for pm in postmortems if pm.started]
    if not dated:
        return [], []
    starts = [started for _, started in dated]
    last = (newest_plausible(starts, today) if today else None) or max(starts)
    months = month_range(year_month(min(starts)), year_month(last))
    if limit is not None:
        months = months[-limit:]
    position = {month: index for index, month in enumerate(months)}
    counts = {severity: [0] * len(months) for severity in severities}
    for pm, started in dated:
        index = position.get(year_month(started))
        if index is not None:
            counts.setdefault(pm.severity or "unknown", [0] * len(months))[index] += 1
    return months, [(severity, row) for severity, row in counts.items() if any(row)]


def response_times(postmortems: Sequence[Postmortem]) -> list[tuple[str, Distribution]]:
    """Time to detect, mitigate and resolve (minutes since `started`) as distributions; missing ones counted."""
    return [(label, distribution(minutes(getattr(pm, name)) for pm in postmortems)) for label, name in RESPONSE_TIMES]


def quarterly_response(
    postmortems: Sequence[Postmortem],
    severities: Sequence[str],
    quarters: Sequence[str],
) -> list[tuple[str, str, Distribution, Distribution]]:
    """Per quarter of the window (`quarters`, newest first) and severity with an incident in it: (quarter,
    severity, time to detect, time to resolve) as distributions, by the UTC quarter of `started`."""
    window = set(quarters)
    groups: dict[tuple[str, str], list[Postmortem]] = {}
    for pm in postmortems:
        if pm.started and quarter_of(pm.started) in window:
            groups.setdefault((quarter_of(pm.started), pm.severity or "unknown"), []).append(pm)
    order = {severity: rank for rank, severity in enumerate(severities)}
    return [
        (
            quarter,
            severity,
            distribution(minutes(pm.time_to_detect) for pm in pms),
            distribution(minutes(pm.time_to_resolve) for pm in pms),
        )
        for (quarter, severity), pms in sorted(
            groups.items(), key=lambda kv: (quarters.index(kv[0][0]), order.get(kv[0][1], len(order)))
        )
    ]


def quarterly_series(
    quarterly: Sequence[tuple[str, str, Distribution, Distribution]],
    quarters: Sequence[str],
    measure: int,
    severities: Sequence[str] = (),
) -> list[tuple[str, list[float | None], list[float | None]]]:
    """`quarterly_response`'s rows as one panel per severity with a row, in the order of `severities` (any other
    after them): (severity, medians, p90s) of `measure` (2: time to detect, 3: time to resolve), aligned with
    `quarters`; None where the quarter has no value."""
    found: dict[str, dict[str, Distribution]] = {}
    for quarter, severity, detect, resolve in quarterly:
        found.setdefault(severity, {})[quarter] = resolve if measure == 3 else detect
    order = {severity: rank for rank, severity in enumerate(severities)}
    return [
        (
            severity,
            [by_quarter[q].median if q in by_quarter else None for q in quarters],
            [by_quarter[q].p90 if q in by_quarter else None for q in quarters],
        )
        for severity, by_quarter in sorted(found.items(), key=lambda kv: order.get(kv[0], len(order)))
    ]

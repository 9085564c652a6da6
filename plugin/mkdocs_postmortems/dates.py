"""Calendar arithmetic that never raises: the core adds days and spans to dates people wrote, and a date near
either end of the calendar (`9999-12-31`, a common "not yet" placeholder) must not take the site down.

Every sum saturates at the ends of Python's calendar (years 1 to 9999): a deadline past 9999-12-31 is 9999-12-31,
which no `today` will ever pass. Times are timezone-aware UTC, as everywhere in the core.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

FIRST_MOMENT = datetime.min.replace(tzinfo=timezone.utc)
LAST_MOMENT = datetime.max.replace(tzinfo=timezone.utc)


def plus_days(day: date, days: int) -> date:
    """`day` + `days`, or the first or last day of the calendar when the sum falls outside it."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def plus(moment: datetime, span: timedelta) -> datetime:
    """`moment` + `span` (an aware datetime), saturating at the first or last representable moment in UTC."""
    try:
        return moment + span
    except OverflowError:
        return LAST_MOMENT if span > timedelta(0) else FIRST_MOMENT


def add_business_days(start: date, days: int) -> date:
    """The date `days` business days (Monday to Friday; no holidays) after `start`; at most the calendar's last day."""
    current = start
    while days > 0 and current < date.max:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def in_utc(moment: datetime) -> datetime:
    """`moment` in UTC (a naive one is taken as UTC); as it is where the conversion would leave the calendar
    (0001-01-01 at +14:00)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    if moment.utcoffset() == timedelta(0):
        return moment
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:
        return moment


def iso_z(moment: datetime) -> str:
    """`2024-03-14T09:58:00Z`, converted to UTC first; four-digit years at both ends of the calendar, which
    `strftime` does not promise (glibc writes year 1 as `1`)."""
    moment = in_utc(moment)
    return f"{moment.date().isoformat()}T{moment:%H:%M:%S}Z"


def utc_minute(moment: datetime) -> str:
    """`2024-03-14 09:58 UTC`, converted to UTC first, for people."""
    moment = in_utc(moment)
    return f"{moment.date().isoformat()} {moment:%H:%M} UTC"


def year_month(moment: datetime | date) -> str:
    """`2024-03`, four-digit year always."""
    return f"{moment.year:04d}-{moment.month:02d}"

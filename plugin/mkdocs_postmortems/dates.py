"""Calendar arithmetic that never raises: the core adds days and spans to dates people wrote, and a date near
either end of the calendar (`9999-12-31`, a common "not yet" placeholder) must not take the site down.

Every sum saturates at the ends of Python's calendar (years 1 to 9999): a deadline past 9999-12-31 is 9999-12-31,
which no `today` will ever pass. Times are timezone-aware UTC, as everywhere in the core. The labels and windows of
the cross-incident pages (months, quarters, the newest plausible date) are here too, shared by `kb_site/indexes.py`
and `kb_site/metrics.py`.

The build's clock is here too, and only here (`build_time`): the plugin, `postmortems generate` and the default
`today` of the knowledge base all read it, so they never say two different things of one build.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from typing import overload

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


def quarter_of(moment: datetime | date) -> str:
    """`2024-Q1`, four-digit year always, so labels sort as the quarters do."""
    return f"{moment.year:04d}-Q{(moment.month - 1) // 3 + 1}"


def recent_quarters(first: datetime, last: datetime, count: int) -> list[str]:
    """The quarters from `first` to `last`, at most the `count` up to the one holding `last`, newest first."""
    end = last.year * 4 + (last.month - 1) // 3
    start = max(first.year * 4 + (first.month - 1) // 3, end - count + 1)
    return [f"{number // 4:04d}-Q{number % 4 + 1}" for number in range(end, min(start, end) - 1, -1)]


def newest_plausible(moments: list[datetime], today: date) -> datetime | None:
    """The newest of `moments` not after `today` (a typo'd future year must not set a window's end), else the
    oldest of them (all in the future: the least absurd)."""
    past = [moment for moment in moments if moment.date() <= today]
    return max(past) if past else min(moments, default=None)


@overload
def minutes(span: timedelta) -> float: ...
@overload
def minutes(span: timedelta | None) -> float | None: ...
def minutes(span: timedelta | None) -> float | None:
    """A span in minutes, None for none."""
    return span.total_seconds() / 60 if span is not None else None


class SourceDateEpochError(ValueError):
    """`SOURCE_DATE_EPOCH` is set to something that is not a time: the build cannot say when it was made."""


def build_time() -> datetime:
    """The build's time, timezone-aware UTC: `SOURCE_DATE_EPOCH` when it is set, else the clock's.

    `SOURCE_DATE_EPOCH` is what reproducible builds set (https://reproducible-builds.org/specs/source-date-epoch/):
    seconds since 1970-01-01 UTC, digits only, as `date +%s` or `git log -1 --format=%ct` print them. With it, two
    builds of the same sources say the same "last updated" and judge deadlines on the same day, so they are the same
    byte for byte. A value that is no such number (empty, `+5`, `1.5`, a date, past year 9999) raises
    `SourceDateEpochError`, as the specification asks: a build that ignored it would look reproducible and not be.
    """
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None:
        return datetime.now(timezone.utc)
    try:
        if not (value.isascii() and value.isdigit()):  # int() would take " 5", "+5" and "1_000"
            raise ValueError(value)
        return datetime.fromtimestamp(int(value), timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise SourceDateEpochError(
            f"SOURCE_DATE_EPOCH is `{value}`, not a whole number of seconds since 1970-01-01 UTC; set it as "
            "`git log -1 --format=%ct` prints it, or unset it to use the clock"
        ) from None


def judging_time() -> datetime:
    """The time to judge deadlines and states by: `build_time`, or the clock's when `SOURCE_DATE_EPOCH` is no time.
    A check is no build, and goes on; a build fails on such a value before it judges anything (the plugin in
    `on_pre_build`, `postmortems generate` through `last_updated`)."""
    try:
        return build_time()
    except SourceDateEpochError:
        return datetime.now(timezone.utc)


def build_day() -> date:
    """The day to judge deadlines by when none is given: `judging_time`'s."""
    return judging_time().date()


def last_updated(today: date) -> datetime | None:
    """What a site says it was last updated: the build's time when the knowledge base is judged on the build's day,
    else None, which the pages show as midnight UTC of `today` (a build judged on another day, `--today`)."""
    now = build_time()
    return now if now.date() == today else None

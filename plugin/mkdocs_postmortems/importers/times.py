"""Dates and times as people write them in a foreign source: ISO dates, US dates (`4/21/23`), dates written out
(`September 29, 2025`, `31st March`), times of day (`4:05 PM`), and the zone they are in, named next to the time
(`10:05 CEST`, `+02:00`, `GMT+1`, `Europe/Berlin`) or once for the whole record ("All times in CET").

A time keeps the zone its source gave it: `written()` is ISO 8601 with that offset (`2023-04-21T10:05:00+02:00`,
`Z` for UTC), and the site shows it in UTC. A time of day without a zone is no time at all: the importers keep its
date alone rather than guess a zone.

The readings a person should check are stated with the value (`Found.notes`), never decided silently:

- an abbreviation with several meanings is read as its most common one in incident reports: `IST` as India
  Standard Time (+05:30, not Irish or Israel Standard Time), `CST` as North American Central Standard Time (-06:00,
  not China Standard Time), `AST` as Atlantic Standard Time (-04:00, not Arabia Standard Time);
- an abbreviation is read as the offset it names (`CET` is +01:00 all year), and the note says when the region's
  clocks showed another offset that day (a `CET` time in July, when Central Europe is on `CEST`);
- `GMT+1` and `UTC+1` mean one hour ahead of UTC, as people write them (not the inverted POSIX `Etc/GMT+1`);
- `03/04/2023` is month/day (the US order) unless another date of the same file says otherwise (`21/04/2023`
  is day/month: there is no 21st month), and the note says which reading was chosen and why.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EARLIEST_YEAR = 1990

# abbreviation -> (hours from UTC, the IANA zone whose local time it names, its other meanings when ambiguous)
ABBREVIATIONS: dict[str, tuple[float, str, str]] = {
    "UTC": (0, "", ""),
    "GMT": (0, "", ""),
    "WET": (0, "Europe/Lisbon", ""),
    "WEST": (1, "Europe/Lisbon", ""),
    "BST": (1, "Europe/London", ""),
    "CET": (1, "Europe/Berlin", ""),
    "CEST": (2, "Europe/Berlin", ""),
    "EET": (2, "Europe/Helsinki", ""),
    "EEST": (3, "Europe/Helsinki", ""),
    "MSK": (3, "Europe/Moscow", ""),
    "IST": (5.5, "Asia/Kolkata", "Irish Standard Time (+01:00) and Israel Standard Time (+02:00)"),
    "SGT": (8, "Asia/Singapore", ""),
    "HKT": (8, "Asia/Hong_Kong", ""),
    "JST": (9, "Asia/Tokyo", ""),
    "KST": (9, "Asia/Seoul", ""),
    "AWST": (8, "Australia/Perth", ""),
    "ACST": (9.5, "Australia/Adelaide", ""),
    "AEST": (10, "Australia/Sydney", ""),
    "AEDT": (11, "Australia/Sydney", ""),
    "NZST": (12, "Pacific/Auckland", ""),
    "NZDT": (13, "Pacific/Auckland", ""),
    "AST": (-4, "America/Halifax", "Arabia Standard Time (+03:00)"),
    "ADT": (-3, "America/Halifax", ""),
    "EST": (-5, "America/New_York", ""),
    "EDT": (-4, "America/New_York", ""),
    "CST": (-6, "America/Chicago", "China Standard Time (+08:00) and Cuba Standard Time (-05:00)"),
    "CDT": (-5, "America/Chicago", ""),
    "MST": (-7, "America/Denver", ""),
    "MDT": (-6, "America/Denver", ""),
    "PST": (-8, "America/Los_Angeles", ""),
    "PDT": (-7, "America/Los_Angeles", ""),
    "AKST": (-9, "America/Anchorage", ""),
    "AKDT": (-8, "America/Anchorage", ""),
    "HST": (-10, "Pacific/Honolulu", ""),
}
# One zone as written: an offset (`UTC+2`, `GMT+01:00`, `+0200`), an IANA name, `Z`, or an abbreviation in capitals
# (lower case `est` and `ist` are words in other languages). Unnamed groups only: it goes inside other patterns.
ZONE = (
    r"(?:(?i:UTC|GMT)\s?[+-]\d{1,2}(?::?\d{2})?(?![\d:])"
    r"|[+-]\d{2}:?\d{2}(?!\d)"
    r"|(?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)/[A-Za-z_]+(?:/[A-Za-z_]+)?"
    r"|(?i:UTC|GMT)|Z|" + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)) + r")(?![\w/])"
)
_OFFSET = re.compile(r"^(?:(?:UTC|GMT)\s?)?([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_ZONE_TOKEN = re.compile(ZONE)


class Zone(NamedTuple):
    """A zone as the source named it: `tz` gives its offset at any time, `label` is what was written, `note` what
    a person should know about the reading (an ambiguous abbreviation), `region` the IANA zone whose clocks an
    abbreviation names (to say when they showed another offset)."""

    tz: tzinfo
    label: str
    note: str = ""
    region: str = ""


UTC = Zone(timezone.utc, "UTC")


def zone_named(text: str) -> Zone | None:
    """The zone `text` names (`UTC`, `Z`, `CEST`, `+02:00`, `GMT+1`, `Europe/Berlin`), or None."""
    label = text.strip().strip("()")
    if label.upper() in ("Z", "UTC", "GMT"):
        return Zone(timezone.utc, label)
    offset = _OFFSET.match(label)
    if offset:
        sign, hours, minutes = offset.group(1), int(offset.group(2)), int(offset.group(3) or 0)
        if hours > 14 or minutes > 59:
            return None
        span = timedelta(hours=hours, minutes=minutes)
        return Zone(timezone(span if sign == "+" else -span), label)
    if label in ABBREVIATIONS:
        named, region, others = ABBREVIATIONS[label]
        note = f"`{label}` read as {_names(label)} (UTC{_offset_text(named)}); it also names {others}" if others else ""
        return Zone(timezone(timedelta(hours=named), label), label, note, region)
    if "/" in label:
        try:
            return Zone(ZoneInfo(label), label)
        except (ZoneInfoNotFoundError, ValueError):  # unknown, or no time zone database on this machine
            return None
    return None


def _names(label: str) -> str:
    return {"IST": "India Standard Time", "CST": "Central Standard Time", "AST": "Atlantic Standard Time"}.get(
        label, label
    )


def _offset_text(hours: float) -> str:
    minutes = round(abs(hours) * 60)
    return f"{'+' if hours >= 0 else '-'}{minutes // 60:02d}:{minutes % 60:02d}"


_STATEMENTS = (
    # "All times in CET.", "All times are UTC", "all timestamps are in PDT"
    re.compile(
        r"(?i:\ball\s+(?:times?|timestamps?|dates?\s+and\s+times?)\b(?:\s+(?:are|is|shown|given|listed|below|above))*"
        r"\s*(?:in\s+|as\s+|:\s*)?)(" + ZONE + ")"
    ),
    # "Times are in UTC", "times below are CEST"
    re.compile(r"(?i:\b(?:times?|timestamps?)(?:\s+(?:below|above|here))?\s+(?:are|is)\s+(?:in\s+)?)(" + ZONE + ")"),
    # "Time zone: Europe/Berlin", "timezone is PST"
    re.compile(r"(?i:\btime\s*zone\s*(?:is\s+|:\s*))(" + ZONE + ")"),
)
_LABELLED = re.compile(r"(?:\(\s*|(?i:\bin\s+))(" + ZONE + r")\s*\)?")


def stated_zone(text: str, label: bool = False) -> Zone | None:
    """The zone `text` says its times are in ("All times in CET", "Time zone: Europe/Berlin"), or None. A heading
    or a table's header cell (`label`) may say it in brackets or with "in" ("Timeline (UTC)", "Date and Time in
    CET")."""
    for pattern in (*_STATEMENTS, *((_LABELLED,) if label else ())):
        found = pattern.search(text)
        if found:
            zone = zone_named(found.group(1))
            if zone is not None:
                return zone
    return None


def in_zone(day: date, clock: tuple[int, int, int], zone: Zone) -> datetime:
    """The moment at `clock` on `day` in `zone` (an IANA zone gives the offset of that day)."""
    return datetime(day.year, day.month, day.day, *clock, tzinfo=zone.tz)


def written(moment: datetime) -> str:
    """ISO 8601 with the moment's own offset (`2023-04-21T10:05:00+02:00`), `Z` when it is UTC."""
    offset = moment.utcoffset()
    if not offset:
        return f"{moment.date().isoformat()}T{moment:%H:%M:%S}Z"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{moment.date().isoformat()}T{moment:%H:%M:%S}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def season_note(moment: datetime, zone: Zone) -> str:
    """What a person should know when an abbreviation's region showed another offset that day (`CET` in July), or
    an empty string."""
    if not zone.region:
        return ""
    try:
        local = moment.astimezone(ZoneInfo(zone.region))
    except (ZoneInfoNotFoundError, ValueError):
        return ""
    offset, theirs = moment.utcoffset(), local.utcoffset()
    if offset is None or theirs is None or offset == theirs:
        return ""
    hours = (theirs - offset).total_seconds() / 3600
    spoken = f"{abs(hours):g} hour{'s' if abs(hours) != 1 else ''}"
    name = local.tzname() or ""
    return (
        f"`{zone.label}` read as UTC{_offset_text(offset.total_seconds() / 3600)}, as written; on "
        f"{moment.date().isoformat()} {zone.region} clocks showed UTC{_offset_text(theirs.total_seconds() / 3600)}"
        f"{f' ({name})' if name[:1].isalpha() else ''}: if the source means local time, its times are {spoken} "
        f"{'earlier' if hours > 0 else 'later'} in UTC"
    )


# --------------------------------------------------------------------------------------------------
# Dates and times of day in text

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        1,
    )
    for name in names
}
_MONTH_NAME = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_ISO_DATE = r"(?<![\d/.])(\d{4})-(\d{2})-(\d{2})(?!\d)"
_SLASH_DATE = r"(?<![\d/.])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\d/])"
_WRITTEN_DATE = (
    rf"\b(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_NAME}(?:,?\s+(\d{{4}}))?"
    rf"|{_MONTH_NAME}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?)\b"
)
_DATE = re.compile(rf"{_ISO_DATE}|{_SLASH_DATE}|(?i:{_WRITTEN_DATE})")
# a time of day: `16:58`, `4:05 PM`, `16:58:30 UTC`, `10:05 (CEST)`, `10:05+02:00`; group 5 the zone
CLOCK = re.compile(
    r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*([AaPp]\.?[Mm]\.?)(?![\w]))?(?:\s*\(?\s*("
    + ZONE
    + r")\)?)?"
    r"(?![\d:])"
)
_BETWEEN = re.compile(r"(?:T|\s*,?\s*(?:(?i:at)\s+|@\s*)?)")
_SLASHES = re.compile(_SLASH_DATE)


class Order(NamedTuple):
    """How a file's `nn/nn/yyyy` dates are read: `day_first` or month first, and why."""

    day_first: bool
    reason: str


US_ORDER = Order(False, "the US order: nothing else in the file says which comes first")


def date_order(text: str) -> Order:
    """The reading of `text`'s slash dates: day/month when one of them can only be (`21/04/2023`), month/day when
    one can only be that (`04/21/2023`) or when none says (the US order)."""
    day_first = month_first = None
    for found in _SLASHES.finditer(text):
        first, second = int(found.group(1)), int(found.group(2))
        if first > 12 >= second and day_first is None:
            day_first = found.group(0)
        elif second > 12 >= first and month_first is None:
            month_first = found.group(0)
    if day_first and not month_first:
        return Order(True, f"day/month, as `{day_first}` in the same file")
    if month_first and not day_first:
        return Order(False, f"month/day, as `{month_first}` in the same file")
    if day_first and month_first:
        return Order(False, f"month/day, the US order: the file has both `{month_first}` and `{day_first}`")
    return US_ORDER


class Found(NamedTuple):
    """A date and/or time of day found in text: what was written (`day`, `clock`, `zone`, any of them None),
    where (`start`, `end`), and the readings a person should check (`notes`)."""

    day: date | None
    clock: tuple[int, int, int] | None
    zone: Zone | None
    start: int
    end: int
    notes: tuple[str, ...] = ()

    def moment(self, zone: Zone | None = None) -> datetime | None:
        """The moment, in the zone written next to it or else `zone`; None without a date, a time or a zone."""
        zone = self.zone or zone
        if self.day is None or self.clock is None or zone is None:
            return None
        return in_zone(self.day, self.clock, zone)


def dates_in(text: str, today: date, year: int | None = None, order: Order = US_ORDER) -> list[Found]:
    """Every real date of `text`, in order, each with the time of day written right after it (`2023-04-21 10:05
    CEST`, `April 21, 2023 at 10:05 PM PDT`). A written date without its year takes `year`; a date outside
    1990 .. next year is no date."""
    found: list[Found] = []
    for match in _DATE.finditer(text):
        day, notes = _day_of(match, today, year, order)
        if day is None:
            continue
        clock = _clock_after(text, match.end())
        if clock is None:
            found.append(Found(day, None, None, match.start(), match.end(), notes))
        else:
            found.append(clock._replace(day=day, start=match.start(), notes=notes + clock.notes))
    return found


def when_in(text: str, today: date, year: int | None = None, order: Order = US_ORDER) -> Found | None:
    """The first date of `text` (with its time of day), else its first time of day, else None."""
    dates = dates_in(text, today, year, order)
    return dates[0] if dates else clock_in(text)


def when_at_start(text: str, today: date, year: int | None = None, order: Order = US_ORDER) -> Found | None:
    """A date or time of day (or both) that `text` starts with (`2021-03-31 12:06 ...`, `16:58 UTC - ...`)."""
    dates = dates_in(text, today, year, order)
    if dates and dates[0].start == 0:
        return dates[0]
    clock = CLOCK.match(text)
    return _clock_of(clock) if clock else None


def clock_in(text: str) -> Found | None:
    """The first time of day of `text`, with its zone when one follows it."""
    for match in CLOCK.finditer(text):
        found = _clock_of(match)
        if found:
            return found
    return None


def _clock_after(text: str, at: int) -> Found | None:
    between = _BETWEEN.match(text, at)
    clock = CLOCK.match(text, between.end() if between else at)
    return _clock_of(clock) if clock else None


def _clock_of(match: re.Match) -> Found | None:
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    meridiem = (match.group(4) or "").upper()
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem.startswith("P") else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    zone = zone_named(match.group(5)) if match.group(5) else None
    notes = (zone.note,) if zone and zone.note else ()
    return Found(None, (hour, minute, second), zone, match.start(), match.end(), notes)


def _day_of(match: re.Match, today: date, year: int | None, order: Order) -> tuple[date | None, tuple[str, ...]]:
    groups = match.groups()
    notes: tuple[str, ...] = ()
    try:
        if groups[0]:  # ISO
            day = date(int(groups[0]), int(groups[1]), int(groups[2]))
        elif groups[3]:  # slash
            first, second, written_year = int(groups[3]), int(groups[4]), int(groups[5])
            if len(groups[5]) == 2:
                written_year += 2000 if written_year <= today.year % 100 + 1 else 1900
            day_first = first > 12 or (order.day_first and second <= 12)
            month, number = (second, first) if day_first else (first, second)
            day = date(written_year, month, number)
            if first <= 12 and second <= 12 and first != second:
                reading = "day/month" if day_first else "month/day"
                notes = (f"`{match.group(0)}` read as {day.isoformat()} ({reading}: {order.reason})",)
        else:  # written out
            if groups[6]:
                number, month_name, written = groups[6], groups[7], groups[8]
            else:
                month_name, number, written = groups[9], groups[10], groups[11]
            day_year = int(written) if written else year
            if day_year is None:
                return None, ()
            day = date(day_year, MONTHS[month_name.casefold()], int(number))
    except (ValueError, KeyError):
        return None, ()
    return (day, notes) if EARLIEST_YEAR <= day.year <= today.year + 1 else (None, ())


def file_name_date(name: str, today: date) -> date | None:
    """The ISO date a file's name starts with (`2025-09-29-flags-is-down.md`), or None."""
    found = re.match(_ISO_DATE, name)
    if not found:
        return None
    try:
        day = date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None
    return day if EARLIEST_YEAR <= day.year <= today.year + 1 else None

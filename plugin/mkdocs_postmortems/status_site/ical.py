"""`maintenance.ics`: the public maintenance windows as an iCalendar feed (RFC 5545), standard library only.

One `VEVENT` a maintenance with a known start: `UID` `<code>@<host>` (its public ID, so a calendar updates the
same event when the record changes), `DTSTART`/`DTEND` its window in UTC (a start known only to the day is a
`VALUE=DATE`; an end not given is left out, never made up), `SUMMARY` its public title, `DESCRIPTION` its summary
and the updates that were posted, as plain text (HTML a Statuspage import kept, as its words: `html_text.as_text`),
`URL` its page, `SEQUENCE` how many updates it has, `LAST-MODIFIED` its last change. `DTSTAMP` is the build's
date (`today`, midnight UTC), never the clock, so the same records and date give the same file. Text is escaped
(backslash, semicolon, comma, newline) and lines are folded at 75 octets, never inside a UTF-8 character; lines end
in CRLF. `calendar` writes any such calendar: the internal site's regulatory deadlines (`kb_site/regulatory.py`) too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from urllib.parse import urlsplit

from ..dates import in_utc, utc_minute
from ..model import DAY
from .html_text import as_text
from .public import PublicView
from .statuspage import Page

PRODID = "-//mkdocs-postmortems//Status site//EN"


def escape_text(text: str) -> str:
    """An iCalendar TEXT value (RFC 5545 3.3.11)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """`line` folded into lines of at most 75 octets, continuation lines starting with a space (RFC 5545 3.1)."""
    pieces, current, size, limit = [], "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, 74  # the leading space counts
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def utc_text(moment: datetime) -> str:
    """An iCalendar DATE-TIME in UTC: `20261205T220000Z`."""
    moment = in_utc(moment)
    return f"{moment.year:04d}{moment:%m%dT%H%M%SZ}"


def _moment(name: str, view: PublicView) -> str | None:
    """`DTSTART:20261205T220000Z`, `DTSTART;VALUE=DATE:20261205`, or None when not known."""
    moment = getattr(view, name)
    key = "DTSTART" if name == "started" else "DTEND"
    if moment is None or view.precision.get(name) not in (None, DAY):
        return None
    if view.precision.get(name) == DAY:
        return f"{key};VALUE=DATE:{moment:%Y%m%d}"
    return f"{key}:{utc_text(moment)}"


def _description(view: PublicView) -> str:
    """The summary, then each update as `Status 2026-12-05 22:00 UTC: body`, as plain text (`html_text.as_text`)."""
    summary = as_text(view.summary).strip()
    parts = [summary] if summary else []
    for update in view.updates:
        when = f" {utc_minute(update.at)}" if update.at else ""
        parts.append(f"{update.status.replace('_', ' ').capitalize()}{when}: {as_text(update.body).strip()}")
    return "\n\n".join(parts)


def calendar(name: str, events: Iterable[Sequence[str]], product: str = PRODID) -> str:
    """The iCalendar text of a calendar called `name` holding `events`, each the lines of one `VEVENT` between its
    `BEGIN` and `END` (their values escaped already: `escape_text`), every line folded and ended in CRLF."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{product}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += ["BEGIN:VEVENT", *event, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def maintenance_calendar(
    page: Page, maintenances: Sequence[PublicView], today: date, url_of: Callable[[PublicView], str]
) -> str:
    """The iCalendar text of `maintenances` (the public maintenance views, any order; listed as given)."""
    host = (urlsplit(page.url).hostname or "status") if page.url else "status"
    stamp = f"{today:%Y%m%d}T000000Z"
    events = []
    for view in maintenances:
        start = _moment("started", view)
        if start is None:
            continue  # no window to put in a calendar
        lines = [f"UID:{view.code}@{host}", f"DTSTAMP:{stamp}", start]
        end = _moment("resolved", view)
        if end is not None and (";" in end) == (";" in start):  # DTEND must have DTSTART's value type
            lines.append(end)
        lines += [
            f"SUMMARY:{escape_text(view.title)}",
            f"DESCRIPTION:{escape_text(_description(view))}",
            f"URL:{url_of(view)}",
            f"SEQUENCE:{len(view.updates)}",
            "STATUS:CONFIRMED",
            "TRANSP:OPAQUE",
        ]
        if view.updated is not None:
            lines.append(f"LAST-MODIFIED:{utc_text(view.updated)}")
        events.append(lines)
    return calendar(page.name + " maintenance", events)

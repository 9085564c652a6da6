"""`status_site/ical.py`: `maintenance.ics`, the iCalendar feed of the maintenance windows (RFC 5545 escaping, folding,
stable UIDs, no invented times)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from mkdocs_postmortems.model import DAY, PublicUpdate
from mkdocs_postmortems.status_site.ical import escape_text, fold, maintenance_calendar
from mkdocs_postmortems.status_site.public import PublicView
from mkdocs_postmortems.status_site.statuspage import Page

UTC = timezone.utc
PAGE = Page("Larkspur status", "https://status.example.com/")
START, END = datetime(2026, 12, 9, 23, tzinfo=UTC), datetime(2026, 12, 10, 1, tzinfo=UTC)
PLANNED = PublicView(
    "2026-12-09-upgrade",
    "Upgrade; ordering, paused",
    "Line one\nline two, with \\ too.",
    ("Checkout",),
    "minor",
    "",
    (PublicUpdate("scheduled", datetime(2026, 11, 25, 10, tzinfo=UTC), "Planned."),),
    START,
    END,
    kind="maintenance",
)


def url(view: PublicView) -> str:
    return f"https://status.example.com/incidents/{view.code}/"


def lines(text: str) -> list[str]:
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_a_maintenance_is_one_event_with_its_window_and_escaped_text():
    text = maintenance_calendar(PAGE, [PLANNED], date(2026, 12, 1), url)
    event = lines(text)
    assert event[:6] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//mkdocs-postmortems//Status site//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Larkspur status maintenance",
    ]
    assert f"UID:{PLANNED.code}@status.example.com" in event
    assert "DTSTAMP:20261201T000000Z" in event and "DTSTART:20261209T230000Z" in event
    assert "DTEND:20261210T010000Z" in event
    assert "SUMMARY:Upgrade\\; ordering\\, paused" in event
    assert "DESCRIPTION:Line one\\nline two\\, with \\\\ too.\\n\\nScheduled 2026-11-25 10:00 UTC: Planned." in event
    assert "LAST-MODIFIED:20261125T100000Z" in event  # its post, not its (future) window
    assert maintenance_calendar(PAGE, [PLANNED], date(2026, 12, 1), url) == text  # the same records, the same file


def test_no_time_is_invented():
    no_end = replace(PLANNED, resolved=None)
    assert "DTEND" not in maintenance_calendar(PAGE, [no_end], date(2026, 12, 1), url)
    by_day = replace(PLANNED, precision={"started": DAY, "resolved": DAY})
    event = lines(maintenance_calendar(PAGE, [by_day], date(2026, 12, 1), url))
    assert "DTSTART;VALUE=DATE:20261209" in event and "DTEND;VALUE=DATE:20261210" in event
    assert "BEGIN:VEVENT" not in maintenance_calendar(PAGE, [replace(PLANNED, started=None)], date(2026, 12, 1), url)


@pytest.mark.parametrize("text", ["a" * 200, "é" * 100, "€" * 60 + "x", "🙂" * 40])
def test_folding_keeps_lines_within_75_octets_and_never_splits_a_character(text):
    folded = fold("DESCRIPTION:" + text)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + text


def test_escaping_follows_rfc_5545():
    assert escape_text("a;b,c\\d\r\ne") == "a\\;b\\,c\\\\d\\ne"


def test_html_a_statuspage_import_kept_is_plain_text_in_the_description():
    imported = replace(
        PLANNED,
        summary="<p>We upgrade the database &amp; the cache.</p><ul><li><strong>Checkout</strong>: paused</li></ul>",
        updates=(
            PublicUpdate(
                "scheduled",
                datetime(2026, 11, 25, 10, tzinfo=UTC),
                'Planned, see <a href="https://status.example.com/m" rel="noopener noreferrer nofollow">details</a>.',
            ),
        ),
    )
    description = next(
        line
        for line in lines(maintenance_calendar(PAGE, [imported], date(2026, 12, 1), url))
        if line.startswith("DESCRIPTION:")
    )
    assert description == (
        "DESCRIPTION:We upgrade the database & the cache.\\n\\n- Checkout: paused\\n\\n"
        "Scheduled 2026-11-25 10:00 UTC: Planned\\, see details (https://status.example.com/m)."
    )

"""The status site's smaller files and helpers: the iCalendar feed (RFC 5545 escaping, folding, stable UIDs,
no invented times), the badge, the uptime calendar, maintenance status by the build's time, and the head links."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from mkdocs_postmortems.model import DAY, PublicUpdate
from mkdocs_postmortems.status_site.badge import badge_json, badge_svg
from mkdocs_postmortems.status_site.ical import escape_text, fold, maintenance_calendar
from mkdocs_postmortems.status_site.pages import calendar, component_feeds, recent_days
from mkdocs_postmortems.status_site.public import PublicView
from mkdocs_postmortems.status_site.statuspage import Page, maintenance_status
from mkdocs_postmortems.status_site.uptime import uptime_days

UTC = timezone.utc
PAGE = Page("Larkspur status", "https://status.example.com/")
START, END = datetime(2026, 12, 9, 23, tzinfo=UTC), datetime(2026, 12, 10, 1, tzinfo=UTC)
PLANNED = PublicView("2026-12-09-upgrade", "Upgrade; ordering, paused", "Line one\nline two, with \\ too.",
                     ("Checkout",), "minor", "", (PublicUpdate("scheduled", datetime(2026, 11, 25, 10, tzinfo=UTC),
                                                                "Planned."),), START, END, kind="maintenance")


def url(view: PublicView) -> str:
    return f"https://status.example.com/incidents/{view.code}/"


def lines(text: str) -> list[str]:
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_a_maintenance_is_one_event_with_its_window_and_escaped_text():
    text = maintenance_calendar(PAGE, [PLANNED], date(2026, 12, 1), url)
    event = lines(text)
    assert event[:6] == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//mkdocs-postmortems//Status site//EN",
                         "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:Larkspur status maintenance"]
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


def test_the_badge_says_the_status_in_words_with_contrast():
    svg = badge_svg("major", "Partial System Outage")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and "<title>status: Partial System Outage</title>"
    assert "Partial System Outage</text>" in svg and 'fill="#bf360c"' in svg
    assert json.loads(badge_json("none", "All Systems Operational")) == {
        "schemaVersion": 1, "label": "status", "message": "All Systems Operational", "color": "brightgreen"}
    assert "&lt;b&gt;" in badge_svg("none", "<b>")


def test_the_calendar_is_weeks_from_monday_newest_month_first():
    days = uptime_days("Checkout", [], date(2026, 12, 2), 5)  # Saturday Nov 28 to Wednesday Dec 2
    months = calendar(days)
    assert [label for label, _ in months] == ["December 2026", "November 2026"]
    (december,) = months[0][1]
    assert [d.day.day if d else None for d in december] == [None, 1, 2, None, None, None, None]
    assert [[d.day.day if d else None for d in week] for week in months[1][1]] == [
        [None, None, None, None, None, 28, 29], [30, None, None, None, None, None, None]]


def test_maintenance_status_follows_the_builds_time_when_given():
    today = date(2026, 12, 9)
    assert maintenance_status(PLANNED, today) == "in_progress"  # by the day alone, as before
    assert maintenance_status(PLANNED, today, datetime(2026, 12, 9, 22, tzinfo=UTC)) == "scheduled"
    assert maintenance_status(PLANNED, today, datetime(2026, 12, 9, 23, 30, tzinfo=UTC)) == "in_progress"
    assert maintenance_status(PLANNED, date(2026, 12, 10), datetime(2026, 12, 10, 1, tzinfo=UTC)) == "completed"


def test_an_open_incident_counts_until_the_builds_time_not_the_end_of_the_day():
    ongoing = PublicView("x", "Down", "", ("Checkout",), "critical", "", (), datetime(2026, 12, 1, 12, tzinfo=UTC), None)
    (day,) = uptime_days("Checkout", [ongoing], date(2026, 12, 1), 1, now=datetime(2026, 12, 1, 18, tzinfo=UTC))
    assert round(day.uptime, 2) == 75.0  # 6 of 24 hours down
    (day,) = uptime_days("Checkout", [ongoing], date(2026, 12, 1), 1)
    assert round(day.uptime, 2) == 50.0  # without a time: to the end of the day


def test_the_last_15_days_list_what_started_on_each_and_no_maintenance_to_come():
    incident = PublicView("i", "Slow", "", ("Checkout",), "minor", "", (), datetime(2026, 12, 1, 3, tzinfo=UTC), None)
    days = recent_days([PLANNED, incident], date(2026, 12, 2))
    assert len(days) == 15 and days[0][0] == date(2026, 12, 2) and days[-1][0] == date(2026, 11, 18)
    assert [(day, [v.title for v in views]) for day, views in days if views] == [(date(2026, 12, 1), ["Slow"])]


def test_component_feeds_have_stable_paths():
    assert component_feeds("Product search") == {"atom": "feeds/product-search.atom", "rss": "feeds/product-search.rss"}

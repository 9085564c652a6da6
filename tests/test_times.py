"""`importers/times.py`: dates and times of day as sources write them (ISO, US, written out, 12-hour), the zone
named beside a time or stated once for the record, the offset kept in what is written, and the readings a person
should check said with the value: an ambiguous abbreviation, an abbreviation out of season, an ambiguous day/month."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from mkdocs_postmortems.importers.times import (
    US_ORDER,
    Order,
    date_order,
    dates_in,
    file_name_date,
    season_note,
    stated_zone,
    when_at_start,
    when_in,
    written,
    zone_named,
)

TODAY = date(2026, 11, 22)


def offset(text: str, day: date = date(2023, 4, 21)) -> str | None:
    zone = zone_named(text)
    if zone is None:
        return None
    moment = datetime(day.year, day.month, day.day, 10, 5, tzinfo=zone.tz)
    return written(moment)[-6:] if not written(moment).endswith("Z") else "Z"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("UTC", "Z"),
        ("utc", "Z"),
        ("GMT", "Z"),
        ("Z", "Z"),
        ("CET", "+01:00"),
        ("CEST", "+02:00"),
        ("BST", "+01:00"),
        ("PST", "-08:00"),
        ("PDT", "-07:00"),
        ("EST", "-05:00"),
        ("EDT", "-04:00"),
        ("IST", "+05:30"),
        ("CST", "-06:00"),
        ("+02:00", "+02:00"),
        ("+0530", "+05:30"),
        ("-07:00", "-07:00"),
        ("GMT+1", "+01:00"),  # one hour ahead, as people write it; not POSIX's Etc/GMT+1
        ("UTC-5", "-05:00"),
        ("UTC+05:30", "+05:30"),
        ("Europe/Berlin", "+02:00"),  # on 2023-04-21, summer time
        ("America/New_York", "-04:00"),
        ("(CEST)", "+02:00"),
        ("est", None),  # a word in other languages
        ("XYZ", None),
        ("+15:00", None),
        ("Mars/Olympus", None),
    ],
)
def test_a_zone_is_read_from_what_is_written_beside_a_time(text, expected):
    assert offset(text) == expected


def test_an_iana_zone_gives_the_offset_of_the_day():
    assert offset("Europe/Berlin", date(2023, 1, 21)) == "+01:00"


@pytest.mark.parametrize(
    "text, note",
    [
        (
            "IST",
            "`IST` read as India Standard Time (UTC+05:30); it also names Irish Standard Time (+01:00) and Israel "
            "Standard Time (+02:00)",
        ),
        (
            "CST",
            "`CST` read as Central Standard Time (UTC-06:00); it also names China Standard Time (+08:00) and Cuba "
            "Standard Time (-05:00)",
        ),
        ("AST", "`AST` read as Atlantic Standard Time (UTC-04:00); it also names Arabia Standard Time (+03:00)"),
        ("CET", ""),
        ("PDT", ""),
    ],
)
def test_an_ambiguous_abbreviation_is_read_by_a_documented_choice_and_says_so(text, note):
    zone = zone_named(text)
    assert zone is not None and zone.note == note


@pytest.mark.parametrize(
    "moment, expected",
    [
        (datetime(2023, 4, 21, 10, 5, tzinfo=timezone.utc), "2023-04-21T10:05:00Z"),
        (datetime(2023, 4, 21, 10, 5, tzinfo=timezone(timedelta(hours=2))), "2023-04-21T10:05:00+02:00"),
        (datetime(2023, 4, 21, 22, 5, 30, tzinfo=timezone(timedelta(hours=-7))), "2023-04-21T22:05:30-07:00"),
        (datetime(2023, 4, 21, 10, 5, tzinfo=timezone(timedelta(hours=5, minutes=30))), "2023-04-21T10:05:00+05:30"),
    ],
)
def test_a_time_is_written_with_its_own_offset(moment, expected):
    assert written(moment) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Outage 2023-04-21 10:05 CEST", "2023-04-21T10:05:00+02:00"),
        ("2023-04-21T10:05:00+02:00", "2023-04-21T10:05:00+02:00"),
        ("2024-03-14T09:50:00.123-07:00", "2024-03-14T09:50:00-07:00"),
        ("2021-03-31 12:06 UTC", "2021-03-31T12:06:00Z"),
        ("2021-03-31T12:06:00Z", "2021-03-31T12:06:00Z"),
        ("2023-04-21 10:05 Europe/Berlin", "2023-04-21T10:05:00+02:00"),
        ("2023-04-21 10:05 (PDT)", "2023-04-21T10:05:00-07:00"),
        ("4/21/23 at 10:05 PM PDT", "2023-04-21T22:05:00-07:00"),
        ("April 21, 2023 at 12:05 am GMT+1", "2023-04-21T00:05:00+01:00"),
        ("21st April 2023, 10:05 UTC-03:00", "2023-04-21T10:05:00-03:00"),
        ("Dec 4, 2019 16:58 UTC", "2019-12-04T16:58:00Z"),
    ],
)
def test_a_date_with_its_time_and_zone_is_one_moment(text, expected):
    found = when_in(text, TODAY)
    assert found is not None and written(found.moment()) == expected


def test_a_time_without_a_zone_is_a_moment_only_in_the_zone_the_record_states():
    found = when_in("2023-04-21 10:05", TODAY)
    assert found is not None and (found.day, found.clock, found.zone) == (date(2023, 4, 21), (10, 5, 0), None)
    assert found.moment() is None
    cet = zone_named("CET")
    assert written(found.moment(cet)) == "2023-04-21T10:05:00+01:00"
    own = when_in("2023-04-21 10:05 UTC", TODAY)
    assert own is not None and written(own.moment(cet)) == "2023-04-21T10:05:00Z"  # its own zone first


@pytest.mark.parametrize(
    "text, year, expected",
    [
        ("on 2024-03-14 at noon", None, date(2024, 3, 14)),
        ("September 29, 2025", None, date(2025, 9, 29)),
        ("Sept. 29 2025", None, date(2025, 9, 29)),
        ("31st March", 2021, date(2021, 3, 31)),
        ("31st March", None, None),
        ("February 30, 2024", None, None),
        ("4/21/23", None, date(2023, 4, 21)),
        ("04/21/2023", None, date(2023, 4, 21)),
        ("21/04/2023", None, date(2023, 4, 21)),  # there is no 21st month
        ("13/13/2023", None, None),
        ("1989-12-31", None, None),
        ("2028-01-01", None, None),  # more than a year ahead
        ("v1.2/3/4", None, None),
        ("2024-03-14-outage", None, date(2024, 3, 14)),
    ],
)
def test_a_date_is_iso_written_out_or_with_slashes(text, year, expected):
    found = dates_in(text, TODAY, year)
    assert (found[0].day if found else None) == expected


def test_the_dates_of_a_text_come_in_order_with_their_times():
    text = "From November 11, 4:02 PM UTC to 2025-11-14 15:02, and 11/15/2025."
    assert [(f.day, f.clock, f.zone) for f in dates_in(text, TODAY)] == [
        (date(2025, 11, 14), (15, 2, 0), None),  # November 11 has no year: no date
        (date(2025, 11, 15), None, None),
    ]
    first = dates_in(text, TODAY, year=2025)[0]
    assert (first.day, first.clock, first.zone.label if first.zone else None) == (date(2025, 11, 11), (16, 2, 0), "UTC")


@pytest.mark.parametrize(
    "text, order",
    [
        ("on 21/04/2023, then 03/04/2023", Order(True, "day/month, as `21/04/2023` in the same file")),
        ("on 04/21/2023, then 03/04/2023", Order(False, "month/day, as `04/21/2023` in the same file")),
        (
            "21/04/2023 and 04/21/2023",
            Order(False, "month/day, the US order: the file has both `04/21/2023` and `21/04/2023`"),
        ),
        ("only 03/04/2023", US_ORDER),
    ],
)
def test_a_files_slash_dates_are_read_one_way_when_one_of_them_says_which(text, order):
    assert date_order(text) == order


@pytest.mark.parametrize(
    "text, expected, note",
    [
        (
            "21/04/2023 and 03/04/2023",
            date(2023, 4, 3),
            "`03/04/2023` read as 2023-04-03 (day/month: day/month, as `21/04/2023` in the same file)",
        ),
        (
            "03/04/2023",
            date(2023, 3, 4),
            "`03/04/2023` read as 2023-03-04 (month/day: the US order: nothing else in the file says which comes "
            "first)",
        ),
        ("04/04/2023", date(2023, 4, 4), None),  # either way the same day
        ("04/21/2023", date(2023, 4, 21), None),
    ],
)
def test_an_ambiguous_day_and_month_is_reported_with_the_reading_chosen(text, expected, note):
    found = dates_in(text, TODAY, order=date_order(text))[-1]
    assert found.day == expected and found.notes == ((note,) if note else ())


@pytest.mark.parametrize(
    "text, label",
    [
        ("All times in CET.", "CET"),
        ("All times are UTC", "UTC"),
        ("all timestamps are in PDT", "PDT"),
        ("Times are in UTC+2.", "UTC+2"),
        ("Times below are CEST", "CEST"),
        ("Time zone: Europe/Berlin", "Europe/Berlin"),
        ("timezone is IST", "IST"),
        ("screenshots include timestamps in UTC+2", None),  # a remark, not the record's zone
        ("All times in est", None),
    ],
)
def test_a_record_states_the_zone_of_its_times(text, label):
    zone = stated_zone(text)
    assert (zone.label if zone else None) == label


@pytest.mark.parametrize(
    "text, label", [("Timeline (UTC)", "UTC"), ("Date and Time in CET", "CET"), ("Time (PST)", "PST"), ("Time", None)]
)
def test_a_heading_or_a_header_cell_states_it_in_brackets_or_with_in(text, label):
    zone = stated_zone(text, label=True)
    assert (zone.label if zone else None) == label
    assert stated_zone(text) is None  # in a sentence, brackets say nothing of the record


def test_an_abbreviation_out_of_season_is_read_as_written_and_said():
    cet = zone_named("CET")
    assert cet is not None
    summer = datetime(2020, 7, 1, 10, 0, tzinfo=cet.tz)
    assert season_note(summer, cet) == (
        "`CET` read as UTC+01:00, as written; on 2020-07-01 Europe/Berlin clocks showed UTC+02:00 (CEST): if the "
        "source means local time, its times are 1 hour earlier in UTC"
    )
    assert season_note(datetime(2020, 1, 21, 10, 0, tzinfo=cet.tz), cet) == ""
    cest = zone_named("CEST")
    assert cest is not None
    assert season_note(datetime(2020, 1, 21, 10, 0, tzinfo=cest.tz), cest).endswith("1 hour later in UTC")
    utc = zone_named("UTC")
    assert utc is not None and season_note(summer, utc) == ""


@pytest.mark.parametrize(
    "text, expected",
    [
        ("16:58 UTC - deploy", ((16, 58, 0), "UTC", None)),
        ("4:05 PM - paged", ((16, 5, 0), None, None)),
        ("12:30 am", ((0, 30, 0), None, None)),
        ("2021-03-31 12:06 paged", ((12, 6, 0), None, date(2021, 3, 31))),
        ("13:05 PM", None),  # no such time
        ("25:00 UTC", None),
        ("deploy at 16:58", None),  # not at the start
        ("HH:mm", None),
    ],
)
def test_a_timeline_entry_starts_with_its_time(text, expected):
    found = when_at_start(text, TODAY)
    assert (
        (found.clock, found.zone.label if found.zone else None, found.day) if found is not None else None
    ) == expected


def test_a_file_name_date_is_the_iso_date_it_starts_with():
    assert file_name_date("2025-09-29-flags-is-down.md", TODAY) == date(2025, 9, 29)
    assert file_name_date("PM2021-004 - x.md", TODAY) is None
    assert file_name_date("2025-02-30-x.md", TODAY) is None

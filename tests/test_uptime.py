"""Uptime per component and UTC day: the published formula, day by day."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from mkdocs_postmortems.status_site.public import PublicView
from mkdocs_postmortems.status_site.uptime import FORMULA, Day, percent_text, uptime_days, uptime_percent

TODAY = date(2026, 11, 22)
UTC = timezone.utc


def at(day: int, hour: int = 0, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def incident(
    started: datetime | None,
    resolved: datetime | None,
    impact: str = "critical",
    components: tuple[str, ...] = ("API",),
    title: str = "Errors",
) -> PublicView:
    return PublicView(f"pm-{title}-{started}", title, "", components, impact, "", (), started, resolved)


def by_day(days: list[Day]) -> dict[date, Day]:
    return {day.day: day for day in days}


def test_the_window_is_the_days_ending_today_oldest_first():
    days = uptime_days("API", [], TODAY, days=90)
    assert len(days) == 90
    assert days[0].day == TODAY - timedelta(days=89) and days[-1].day == TODAY
    assert all(d.status == "operational" and d.uptime == 100 and d.incidents == () for d in days)


def test_a_critical_two_hour_incident_counts_every_minute():
    day = by_day(uptime_days("API", [incident(at(20, 10), at(20, 12))], TODAY, days=7))[date(2026, 11, 20)]
    assert day.uptime == pytest.approx(100 * (1 - 120 / 1440))
    assert day.status == "major_outage"


def test_a_major_incident_counts_three_tenths_of_its_minutes():
    day = by_day(uptime_days("API", [incident(at(20, 10), at(20, 12), "major")], TODAY, days=7))[date(2026, 11, 20)]
    assert day.uptime == pytest.approx(100 * (1 - 0.3 * 120 / 1440))
    assert day.status == "partial_outage"


def test_a_minor_incident_counts_nothing_but_shows_degraded():
    view = incident(at(20, 10), at(20, 12), "minor")
    day = by_day(uptime_days("API", [view], TODAY, days=7))[date(2026, 11, 20)]
    assert day.uptime == 100
    assert day.status == "degraded_performance"
    assert day.incidents == (view,)


def test_an_incident_over_midnight_is_split_between_the_days():
    view = incident(at(19, 23), at(20, 1, 30))
    days = by_day(uptime_days("API", [view], TODAY, days=7))
    assert days[date(2026, 11, 19)].uptime == pytest.approx(100 * (1 - 60 / 1440))
    assert days[date(2026, 11, 20)].uptime == pytest.approx(100 * (1 - 90 / 1440))
    assert days[date(2026, 11, 19)].incidents == days[date(2026, 11, 20)].incidents == (view,)
    assert days[date(2026, 11, 21)].incidents == () and days[date(2026, 11, 18)].incidents == ()


def test_an_incident_ending_at_midnight_does_not_touch_the_next_day():
    days = by_day(uptime_days("API", [incident(at(20, 22), at(21))], TODAY, days=7))
    assert days[date(2026, 11, 20)].uptime == pytest.approx(100 * (1 - 120 / 1440))
    assert days[date(2026, 11, 21)].status == "operational" and days[date(2026, 11, 21)].incidents == ()


def test_an_unresolved_incident_runs_to_the_end_of_today():
    view = incident(at(21, 12), None, "major")
    days = by_day(uptime_days("API", [view], TODAY, days=7))
    assert days[date(2026, 11, 21)].uptime == pytest.approx(100 * (1 - 0.3 * 720 / 1440))
    assert days[TODAY].uptime == pytest.approx(100 * (1 - 0.3))
    assert days[TODAY].status == "partial_outage" and days[TODAY].incidents == (view,)


def test_days_before_since_have_no_data():
    days = uptime_days("API", [incident(at(18, 10), at(18, 12))], TODAY, days=7, since=date(2026, 11, 19))
    assert [d.status for d in days[:3]] == ["no-data"] * 3
    assert [d.uptime for d in days[:3]] == [None] * 3
    assert days[0].incidents == () and days[2].incidents == ()  # the 18th's incident is before `since`
    assert days[3].day == date(2026, 11, 19) and days[3].status == "operational" and days[3].uptime == 100


def test_the_worst_status_of_overlapping_incidents_wins_and_a_minute_counts_once():
    minor = incident(at(20, 9), at(20, 13), "minor", title="Slow")
    critical = incident(at(20, 10), at(20, 11), "critical", title="Down")
    major = incident(at(20, 10, 30), at(20, 12), "major", title="Errors")
    day = by_day(uptime_days("API", [minor, critical, major], TODAY, days=7))[date(2026, 11, 20)]
    assert day.status == "major_outage"
    assert day.incidents == (minor, critical, major)
    # 10:00-11:00 critical (60), 11:00-12:00 major only (0.3 * 60); the half hour both cover counts once.
    assert day.uptime == pytest.approx(100 * (1 - (60 + 18) / 1440))


def test_the_worst_status_does_not_depend_on_order():
    views = [incident(at(20, 10), at(20, 11), "major"), incident(at(20, 12), at(20, 13), "minor")]
    for order in (views, views[::-1]):
        assert by_day(uptime_days("API", order, TODAY, days=3))[date(2026, 11, 20)].status == "partial_outage"


def test_only_incidents_of_the_component_count():
    views = [incident(at(20, 10), at(20, 12), components=("Website",))]
    day = by_day(uptime_days("API", views, TODAY, days=7))[date(2026, 11, 20)]
    assert (day.status, day.uptime, day.incidents) == ("operational", 100, ())


def test_a_long_incident_is_clipped_to_the_window_and_caps_a_day_at_zero():
    view = incident(at(1, month=10), at(21, 6))
    days = uptime_days("API", [view], TODAY, days=7)
    assert [d.uptime for d in days[:5]] == [0, 0, 0, 0, 0]
    assert days[5].uptime == pytest.approx(100 * (1 - 360 / 1440))
    assert days[6].uptime == 100


def test_incidents_outside_the_window_or_without_a_start_are_left_out():
    views = [incident(at(1, month=9), at(2, month=9)), incident(None, None), incident(at(23, 1), None)]
    assert all(d.uptime == 100 and not d.incidents for d in uptime_days("API", views, TODAY, days=7))


def test_a_naive_time_is_taken_as_utc():
    view = incident(datetime(2026, 11, 20, 10), datetime(2026, 11, 20, 12))
    assert by_day(uptime_days("API", [view], TODAY, days=3))[date(2026, 11, 20)].uptime == pytest.approx(
        100 * (1 - 120 / 1440)
    )


def test_the_percent_is_the_average_over_days_with_data():
    days = [
        Day(date(2026, 11, 20), "no-data", None, ()),
        Day(date(2026, 11, 21), "operational", 100.0, ()),
        Day(date(2026, 11, 22), "major_outage", 90.0, ()),
    ]
    assert uptime_percent(days) == pytest.approx(95.0)
    assert uptime_percent(days[:1]) is None
    assert uptime_percent([]) is None


def test_the_percent_from_uptime_days():
    days = uptime_days("API", [incident(at(22, 0), at(22, 12))], TODAY, days=4, since=date(2026, 11, 21))
    assert uptime_percent(days) == pytest.approx((100 + 50) / 2)


def test_a_day_says_its_figures_as_text():
    day = Day(
        date(2026, 10, 1),
        "partial_outage",
        99.8125,
        (incident(at(1, month=10), None, "major", title="A"), incident(at(1, month=10), None, "major", title="B")),
    )
    assert day.label == "2026-10-01: 99.81% uptime, partial outage (A; B)"
    assert Day(date(2026, 10, 1), "no-data", None, ()).label == "2026-10-01: no data"
    assert Day(date(2026, 10, 1), "operational", 100.0, ()).label == "2026-10-01: 100.00% uptime, operational"


def test_percent_text_rounds_down_so_downtime_never_reads_100():
    assert percent_text(99.999) == "99.99%"
    assert percent_text(100 * (1 - 0.3 * 60 / 1440)) == "98.75%"
    assert percent_text(100.0) == "100.00%"
    assert percent_text(None) == "no data"


def test_the_formula_states_the_weights():
    for words in ("UTC day", "critical", "0.3", "minor", "1440", "average"):
        assert words in FORMULA


def test_an_open_incident_counts_until_the_builds_time_not_the_end_of_the_day():
    ongoing = PublicView(
        "x", "Down", "", ("Checkout",), "critical", "", (), datetime(2026, 12, 1, 12, tzinfo=UTC), None
    )
    (day,) = uptime_days("Checkout", [ongoing], date(2026, 12, 1), 1, now=datetime(2026, 12, 1, 18, tzinfo=UTC))
    assert round(day.uptime, 2) == 75.0  # 6 of 24 hours down
    (day,) = uptime_days("Checkout", [ongoing], date(2026, 12, 1), 1)
    assert round(day.uptime, 2) == 50.0  # without a time: to the end of the day

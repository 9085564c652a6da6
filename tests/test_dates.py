"""`dates.py`: calendar arithmetic that saturates at the ends of the calendar instead of raising, UTC labels with
four-digit years, and the build's one clock (`SOURCE_DATE_EPOCH`, else the system's)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from mkdocs_postmortems import dates

UTC = timezone.utc
PLUS_14 = timezone(timedelta(hours=14))


def test_sums_saturate_at_the_ends_of_the_calendar():
    assert dates.plus_days(date(2024, 2, 28), 2) == date(2024, 3, 1)
    assert dates.plus_days(date(9999, 12, 1), 60) == date.max
    assert dates.plus_days(date(1, 1, 5), -10) == date.min
    assert dates.plus(datetime(9999, 12, 31, tzinfo=UTC), timedelta(days=2)) == dates.LAST_MOMENT
    assert dates.plus(datetime(1, 1, 1, 1, tzinfo=UTC), -timedelta(hours=2)) == dates.FIRST_MOMENT
    assert dates.plus(datetime(2024, 1, 1, tzinfo=UTC), timedelta(hours=1)) == datetime(2024, 1, 1, 1, tzinfo=UTC)


def test_business_days_skip_weekends_and_stop_at_the_last_day():
    friday = date(2024, 3, 15)
    assert dates.add_business_days(friday, 1) == date(2024, 3, 18)  # Monday
    assert dates.add_business_days(friday, 5) == date(2024, 3, 22)
    assert dates.add_business_days(friday, 0) == friday
    assert dates.add_business_days(date(9999, 12, 30), 10) == date.max


def test_times_are_shown_in_utc_with_four_digit_years():
    local = datetime(2024, 3, 14, 1, 30, tzinfo=timezone(timedelta(hours=2)))
    assert dates.iso_z(local) == "2024-03-13T23:30:00Z"
    assert dates.utc_minute(local) == "2024-03-13 23:30 UTC"
    assert dates.iso_z(datetime(1, 1, 1, tzinfo=UTC)) == "0001-01-01T00:00:00Z"
    assert dates.in_utc(datetime(2024, 1, 1)) == datetime(2024, 1, 1, tzinfo=UTC)  # naive is UTC
    edge = datetime(1, 1, 1, 5, tzinfo=PLUS_14)  # before the calendar's first moment in UTC: kept as it is
    assert dates.in_utc(edge) is edge


def test_months_and_quarters_sort_as_they_come():
    assert dates.year_month(date(987, 3, 1)) == "0987-03" and dates.quarter_of(date(987, 12, 1)) == "0987-Q4"
    assert dates.recent_quarters(datetime(2023, 2, 1, tzinfo=UTC), datetime(2024, 5, 1, tzinfo=UTC), 3) == [
        "2024-Q2",
        "2024-Q1",
        "2023-Q4",
    ]
    assert dates.recent_quarters(datetime(2024, 4, 1, tzinfo=UTC), datetime(2024, 5, 1, tzinfo=UTC), 8) == ["2024-Q2"]


def test_the_newest_plausible_moment_ignores_the_future_unless_all_is():
    past, future = datetime(2024, 1, 1, tzinfo=UTC), datetime(2062, 1, 1, tzinfo=UTC)
    assert dates.newest_plausible([past, future], date(2025, 1, 1)) == past
    assert dates.newest_plausible([future, datetime(2070, 1, 1, tzinfo=UTC)], date(2025, 1, 1)) == future
    assert dates.newest_plausible([], date(2025, 1, 1)) is None
    assert dates.minutes(timedelta(hours=1, seconds=30)) == 60.5 and dates.minutes(None) is None


def test_the_build_time_is_source_date_epoch_when_set(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748764800")
    assert dates.build_time() == datetime(2025, 6, 1, 8, tzinfo=UTC)
    assert dates.build_day() == date(2025, 6, 1)
    assert dates.last_updated(date(2025, 6, 1)) == datetime(2025, 6, 1, 8, tzinfo=UTC)
    assert dates.last_updated(date(2025, 6, 2)) is None  # judged on another day: midnight of that day is shown
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    before = datetime.now(UTC)
    assert before <= dates.build_time() <= datetime.now(UTC)


@pytest.mark.parametrize("value", ["", " 5", "+5", "1.5", "1_000", "2024-01-01", "9" * 20, "٣"])
def test_a_source_date_epoch_that_is_no_time_fails_the_build_but_not_a_check(monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(dates.SourceDateEpochError, match="SOURCE_DATE_EPOCH"):
        dates.build_time()
    assert dates.build_day() == datetime.now(UTC).date()

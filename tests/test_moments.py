"""`moments.py`: one truth about time and state. When a record ended for customers (the last resolved update, else
`mitigated`, else `resolved`), whether it is over, its phase at the build's time (a maintenance scheduled, in progress,
completed), and durations that say so when it is not over; the public view carries the same window."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from mkdocs_postmortems import moments
from mkdocs_postmortems.model import DAY, NO_TIME, Communication, Postmortem, PublicSummary, PublicUpdate
from mkdocs_postmortems.moments import (
    BY_LIFECYCLE,
    BY_MITIGATION,
    BY_RESOLUTION,
    BY_UPDATE,
    COMPLETED,
    IN_PROGRESS,
    ONGOING,
    RESOLVED,
    SCHEDULED,
    VERIFYING,
    build_moment,
    customers_affected_until,
    phase,
    span_text,
    state_of,
    window,
)
from mkdocs_postmortems.policy import Policy
from mkdocs_postmortems.render import template_environment
from mkdocs_postmortems.status_site.public import public_view

UTC = timezone.utc
START = datetime(2024, 11, 29, 7, 2, tzinfo=UTC)
NOW = datetime(2026, 12, 7, 1, 30, tzinfo=UTC)


def at(hours: float) -> datetime:
    return START + timedelta(hours=hours)


def post(minutes_after: int, status: str = "") -> Communication:
    return Communication("customers", "status-page", START + timedelta(minutes=minutes_after), "Said.", status)


def incident(**fields) -> Postmortem:
    values = {
        "id": "2024-11-29-search",
        "path": "postmortems/2024-11-29-search.md",
        "title": "Search saturated",
        "status": "published",
        "severity": "SEV2",
        "services": ("search",),
        "started": START,
        "detected": START + timedelta(minutes=4),
        "mitigated": START + timedelta(minutes=79),  # 08:21
        "resolved": START + timedelta(minutes=298),  # 12:00
        "public": PublicSummary("Slow search", "Searches were slow.", ("Search",)),
    }
    return Postmortem(**{**values, **fields})


def maintenance(**fields) -> Postmortem:
    values = {
        "kind": "maintenance",
        "severity": "",
        "status": "ongoing",
        "started": datetime(2026, 12, 9, 23, 0, tzinfo=UTC),
        "mitigated": None,
        "resolved": datetime(2026, 12, 10, 1, 0, tzinfo=UTC),
        "detected": None,
    }
    return incident(**{**values, **fields})


# --------------------------------------------------------------------------------------------------
# When it ended for customers


def test_the_last_resolved_post_ends_it_for_customers_not_the_internal_resolution():
    """The Black Friday case: mitigated 08:21, "recovered" posted 08:30, resolved internally 12:00."""
    pm = incident(communications=(post(18), post(88)))  # 07:20 investigating, 08:30 resolved (from the timeline)
    end = customers_affected_until(pm)
    assert (end.at, end.by) == (START + timedelta(minutes=88), BY_UPDATE)
    state = state_of(pm, NOW)
    assert (state.phase, state.over, state.ended_text) == (RESOLVED, True, "2024-11-29 08:30 UTC")
    assert state.duration_text == "1 h 28 min"
    assert state.summary == (
        "resolved, customers affected until 2024-11-29 08:30 UTC (the last resolved update), 1 h 28 min"
    )


def test_a_public_update_marked_resolved_counts_and_the_last_one_wins():
    updates = (
        PublicUpdate("investigating", at(0.2), "Slow."),
        PublicUpdate("resolved", at(1.0), "Fixed."),
        PublicUpdate("resolved", at(1.5), "Fixed for good."),
    )
    pm = incident(public=PublicSummary("Slow search", "Searches were slow.", ("Search",), updates=updates))
    assert customers_affected_until(pm).at == at(1.5)


def test_without_a_resolved_update_mitigated_ends_it_else_resolved():
    assert (customers_affected_until(incident()).at, customers_affected_until(incident()).by) == (
        START + timedelta(minutes=79),
        BY_MITIGATION,
    )
    never_mitigated = customers_affected_until(incident(mitigated=None))
    assert (never_mitigated.at, never_mitigated.by) == (START + timedelta(minutes=298), BY_RESOLUTION)
    by_day = customers_affected_until(incident(precision={"mitigated": DAY}))
    assert (by_day.precision, state_of(incident(precision={"mitigated": DAY}), NOW).duration_text) == (DAY, "unknown")


def test_a_record_the_lifecycle_says_is_over_ended_at_an_unknown_time():
    pm = incident(status="draft", mitigated=None, resolved=None)
    assert customers_affected_until(pm) == moments.End(None, NO_TIME, BY_LIFECYCLE)
    state = state_of(pm, NOW)
    assert (state.phase, state.ended_text, state.duration_text) == (RESOLVED, "unknown", "unknown")
    assert state.summary == "resolved, customers affected until unknown"


@pytest.mark.parametrize("status", ["ongoing", "imported"])
def test_a_live_or_imported_incident_without_an_end_is_ongoing_and_says_so(status):
    pm = incident(status=status, mitigated=None, resolved=None)
    assert customers_affected_until(pm) is None
    state = state_of(pm, NOW)
    assert (state.phase, state.live, state.ended_text) == (ONGOING, True, "")
    assert state.duration_text == "not over, ongoing since 2024-11-29 07:02 UTC"
    assert state.ongoing_for(at(2 + 1 / 6)) == "ongoing for 2 h 10 min as of 2024-11-29 09:12 UTC"
    assert state_of(incident(status=status, started=None, mitigated=None, resolved=None)).duration_text == "not over"


def test_a_mitigated_live_incident_is_still_ongoing_and_a_resolved_post_ends_it():
    monitoring = incident(status="ongoing", resolved=None, communications=(post(18),))
    assert phase(monitoring) == ONGOING
    told = incident(status="ongoing", resolved=None, communications=(post(18), post(88, "resolved")))
    assert (phase(told), customers_affected_until(told).at) == (RESOLVED, START + timedelta(minutes=88))


def test_a_live_record_that_is_over_reads_its_state_and_a_postmortem_its_lifecycle():
    assert state_of(incident(status="ongoing"), NOW).status == "resolved"
    assert state_of(incident(status="ongoing", resolved=None, mitigated=None), NOW).status == "ongoing"
    assert state_of(incident(status="in-review"), NOW).status == "in-review"
    assert state_of(maintenance(), NOW).status == "scheduled"


# --------------------------------------------------------------------------------------------------
# Maintenance: judged against the build's time


@pytest.mark.parametrize(
    ("now", "expected", "duration"),
    [
        (datetime(2026, 12, 6, 12, 0, tzinfo=UTC), SCHEDULED, "not started, 2 h 0 min planned"),
        (datetime(2026, 12, 9, 22, 59, tzinfo=UTC), SCHEDULED, "not started, 2 h 0 min planned"),
        (datetime(2026, 12, 9, 23, 0, tzinfo=UTC), IN_PROGRESS, "not over, 2 h 0 min planned"),
        (datetime(2026, 12, 10, 0, 59, tzinfo=UTC), IN_PROGRESS, "not over, 2 h 0 min planned"),
        (datetime(2026, 12, 10, 1, 0, tzinfo=UTC), COMPLETED, "2 h 0 min"),
    ],
)
def test_a_maintenance_is_scheduled_until_it_starts_in_progress_in_its_window_and_completed_after(
    now, expected, duration
):
    state = state_of(maintenance(), now)
    assert (state.phase, state.duration_text, state.over) == (expected, duration, expected == COMPLETED)
    assert state.summary == f"{state.label}: {duration}"


def test_a_maintenance_verifies_from_mitigated_and_a_day_only_window_is_judged_by_the_day():
    worked = maintenance(mitigated=datetime(2026, 12, 10, 0, 30, tzinfo=UTC))
    assert phase(worked, datetime(2026, 12, 10, 0, 45, tzinfo=UTC)) == VERIFYING
    by_day = maintenance(precision={"started": DAY, "resolved": DAY})
    assert phase(by_day, datetime(2026, 12, 8, 12, tzinfo=UTC)) == SCHEDULED
    assert phase(by_day, datetime(2026, 12, 9, 0, 0, tzinfo=UTC)) == IN_PROGRESS
    assert phase(by_day, datetime(2026, 12, 10, 23, 0, tzinfo=UTC)) == IN_PROGRESS
    assert phase(by_day, datetime(2026, 12, 11, 0, 0, tzinfo=UTC)) == COMPLETED
    assert phase(maintenance(), today=date(2026, 12, 9)) == IN_PROGRESS  # no time: by the day alone
    with pytest.raises(ValueError, match="build's time"):
        phase(maintenance())


def test_the_state_of_a_maintenance_in_progress_says_how_long_for():
    state = state_of(maintenance(), datetime(2026, 12, 9, 23, 40, tzinfo=UTC))
    assert state.ongoing_for(datetime(2026, 12, 9, 23, 40, tzinfo=UTC)) == (
        "in progress for 40 min as of 2026-12-09 23:40 UTC"
    )
    assert state_of(maintenance(), NOW).ongoing_for(NOW) == "not started, 2 h 0 min planned"


# --------------------------------------------------------------------------------------------------
# The public view carries the same window, so the core says the same of both


@pytest.mark.parametrize(
    "pm",
    [
        incident(communications=(post(18), post(88))),
        incident(),
        incident(mitigated=None),
        incident(status="ongoing", resolved=None, mitigated=None),
        incident(status="draft", resolved=None, mitigated=None, communications=(post(18),)),
        maintenance(),
        maintenance(resolved=None),
    ],
    ids=["post", "mitigated", "resolved", "live", "lifecycle", "maintenance", "open-maintenance"],
)
def test_a_postmortem_and_its_public_view_have_one_state(pm):
    view = public_view(pm, Policy(), posts_only=pm.status == "draft")
    assert (view.resolved, view.precision.get("resolved")) == (
        window(pm).resolved,
        window(pm).precision.get("resolved"),
    )
    for now in (NOW, datetime(2026, 12, 9, 23, 30, tzinfo=UTC), datetime(2026, 12, 10, 2, tzinfo=UTC)):
        assert state_of(view, now).phase == state_of(pm, now).phase
        assert state_of(view, now).ended_text == state_of(pm, now).ended_text
        assert state_of(view, now).duration_text == state_of(pm, now).duration_text


def test_durations_are_never_negative_and_times_out_of_order_give_none():
    assert span_text(timedelta(minutes=-1)) == "" and span_text(None) == ""
    assert (span_text(timedelta(minutes=45)), span_text(timedelta(hours=76))) == ("45 min", "3 d 4 h")
    backwards = incident(mitigated=START - timedelta(minutes=5))
    assert state_of(backwards, NOW).duration_text == "unknown"


def test_the_builds_moment_is_its_clock_on_its_own_day_else_midnight(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796434200")  # 2026-12-05 01:30 UTC
    assert build_moment() == datetime(2026, 12, 5, 1, 30, tzinfo=UTC)
    assert build_moment(date(2026, 12, 5)) == datetime(2026, 12, 5, 1, 30, tzinfo=UTC)
    assert build_moment(date(2026, 12, 1)) == datetime(2026, 12, 1, tzinfo=UTC)


def test_a_state_exports_as_a_record():
    record = state_of(maintenance(), NOW).as_record()
    assert record == {
        "phase": "scheduled",
        "label": "scheduled",
        "status": "scheduled",
        "over": False,
        "ended": "2026-12-10T01:00:00Z",
        "ended_by": "window",
        "minutes": None,
        "duration": "not started, 2 h 0 min planned",
    }
    assert state_of(incident(), NOW).as_record()["minutes"] == 79.0


def test_templates_read_the_state_through_the_state_filter():
    """`|state` (render.py): a status template says how long a live incident has been going on, as of its build."""
    view = public_view(incident(status="ongoing", mitigated=None, resolved=None), Policy())
    template = template_environment().from_string(
        "{% set state = incident|state(updated) %}{{ state.label }}; {{ state.ongoing_for(updated) }}; {{ pm|state }}"
    )
    text = template.render(incident=view, updated=at(2 + 1 / 6), pm=incident())
    assert text.startswith("ongoing; ongoing for 2 h 10 min as of 2024-11-29 09:12 UTC; State(")

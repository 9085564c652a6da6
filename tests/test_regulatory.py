"""`regulatory.py`: each regime's clocks on both sides of every boundary (a minute before, at and after the deadline),
time zones as offsets, daylight saving time in Europe and the US, the SEC's weekends and federal holidays, the
earlier-of rule both ways, "one month" at month ends, stages after an unsubmitted report, and the states."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import holidays
import pytest
from hypothesis import given, settings, strategies as st

from mkdocs_postmortems.dates import LAST_MOMENT, iso_z
from mkdocs_postmortems.knowledge import postmortem_from_source
from mkdocs_postmortems.model import Postmortem, Regulatory, RegulatoryReport
from mkdocs_postmortems.parsing.frontmatter import parse_source
from mkdocs_postmortems.policy import REGIMES, Policy, Service
from mkdocs_postmortems.regulatory import (
    LATE,
    NEW_YORK,
    NOT_REPORTABLE,
    OPEN,
    OVERDUE,
    STAGES,
    STATES,
    SUBMITTED,
    WAITING,
    Clock,
    business_days_after,
    clocks,
    in_zones,
    one_month_after,
    regimes_of,
    reporting_policy,
    sec_deadline,
    why_no_regime,
)

POLICY = Policy(services=(Service("ledger", regulated=True), Service("search")), regulatory_regimes=REGIMES)
MINUTE = timedelta(minutes=1)
NOW = datetime(2026, 12, 7, tzinfo=timezone.utc)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def record(
    regulatory: str = "",
    started: str = "2026-01-05T09:00:00Z",
    detected: str | None = "2026-01-05T10:00:00Z",
    services: str = "[ledger]",
    extra: str = "",
    policy: Policy = POLICY,
) -> Postmortem:
    """A postmortem read by the real reader from front matter written as a team would, offsets as given."""
    lines = [
        "title: Ledger outage",
        "status: draft",
        "severity: SEV2",
        f"services: {services}",
        "authors: [alice]",
        f"started: {started}",
        *([f"detected: {detected}"] if detected else []),
        "impact: {summary: Postings were late.}",
        *extra.splitlines(),
    ]
    if regulatory:
        lines += ["regulatory:", textwrap.indent(textwrap.dedent(regulatory).strip("\n"), "  ")]
    text = "---\n" + "\n".join(lines) + "\n---\n\nBody.\n"
    pm, problems = postmortem_from_source(parse_source(text, "pm.md"), "pm", "pm.md", policy)
    assert problems == [], problems
    assert pm is not None
    return pm


def clock_of(pm: Postmortem, regime: str, stage: str, now: datetime = NOW, policy: Policy = POLICY) -> Clock:
    (found,) = [c for c in clocks(pm, policy, now) if (c.regime, c.stage) == (regime, stage)]
    return found


def with_report(pm: Postmortem, regime: str, stage: str, submitted: datetime) -> Postmortem:
    block = pm.regulatory or Regulatory()
    return replace(pm, regulatory=replace(block, reports=(*block.reports, RegulatoryReport(regime, stage, submitted))))


# Each case: its name, the record (regulatory block and other fields), the stage, and its deadline in UTC, worked
# out by hand in the comment.
CASES = [
    # DORA initial: the earlier of 4 h after classified_major and 24 h after aware.
    pytest.param(
        {"regulatory": "classified_major: 2026-01-05T12:00:00+01:00"},  # 11:00 UTC
        ("dora", "initial"),
        "2026-01-05T15:00:00Z",  # 11:00 + 4 h, before aware 10:00 + 24 h
        id="dora-initial-4h-after-classification",
    ),
    pytest.param(
        {"regulatory": "classified_major: 2026-01-06T08:30:00-05:00"},  # 01-06 13:30 UTC
        ("dora", "initial"),
        "2026-01-06T10:00:00Z",  # aware 01-05 10:00 + 24 h, before 13:30 + 4 h
        id="dora-initial-24h-after-aware",
    ),
    pytest.param(
        {"regulatory": "classified_major: 2026-01-06T06:00:00Z"},
        ("dora", "initial"),
        "2026-01-06T10:00:00Z",  # both limits fall at 10:00
        id="dora-initial-both-limits-equal",
    ),
    pytest.param(
        {"regulatory": "aware: 2026-01-05T09:30:00+00:00\nclassified_major: 2026-01-06T08:00:00Z"},
        ("dora", "initial"),
        "2026-01-06T09:30:00Z",  # the given aware, not detected: 09:30 + 24 h, before 08:00 + 4 h
        id="dora-initial-aware-given",
    ),
    pytest.param(
        {
            "regulatory": """
            classified_major: 2026-03-27T23:00:00+01:00
            reports:
              - {regime: dora, stage: initial, submitted: 2026-03-28T01:00:00+01:00}
            """,
            "started": "2026-03-27T20:00:00Z",
            "detected": "2026-03-27T21:00:00Z",
        },
        ("dora", "intermediate"),
        "2026-03-31T00:00:00Z",  # submitted 03-28 00:00 UTC + 72 h, across the EU's summer time on 03-29
        id="dora-intermediate-across-eu-dst",
    ),
    pytest.param(
        {"regulatory": "classified_major: 2026-01-05T12:00:00Z"},
        ("dora", "intermediate"),
        "2026-01-08T16:00:00Z",  # initial not submitted: its deadline 01-05 16:00 + 72 h
        id="dora-intermediate-from-the-initial-deadline",
    ),
    pytest.param(
        {
            "regulatory": """
            classified_major: 2026-01-29T11:00:00Z
            reports:
              - {regime: dora, stage: intermediate, submitted: 2026-01-31T10:00:00Z}
            """,
            "started": "2026-01-29T09:00:00Z",
            "detected": "2026-01-29T10:00:00Z",
        },
        ("dora", "final"),
        "2026-02-28T10:00:00Z",  # 01-31 + one month: February 2026 has 28 days
        id="dora-final-31-jan-non-leap",
    ),
    pytest.param(
        {
            "regulatory": """
            classified_major: 2028-01-29T11:00:00Z
            reports:
              - {regime: dora, stage: intermediate, submitted: 2028-01-31T10:00:00Z}
            """,
            "started": "2028-01-29T09:00:00Z",
            "detected": "2028-01-29T10:00:00Z",
        },
        ("dora", "final"),
        "2028-02-29T10:00:00Z",  # 01-31 + one month: 2028 is a leap year
        id="dora-final-31-jan-leap",
    ),
    pytest.param(
        {
            "regulatory": """
            classified_major: 2026-03-29T11:00:00Z
            reports:
              - {regime: dora, stage: intermediate, submitted: 2026-03-30T08:00:00Z}
              - {regime: dora, stage: intermediate, submitted: 2026-03-31T08:00:00+02:00}
            """,
            "started": "2026-03-29T09:00:00Z",
            "detected": "2026-03-29T10:00:00Z",
        },
        ("dora", "final"),
        "2026-04-30T06:00:00Z",  # the latest intermediate, 03-31 06:00 UTC, + one month: April has 30 days
        id="dora-final-31-mar-from-the-latest-intermediate",
    ),
    pytest.param(
        {
            "regulatory": """
            classified_major: 2026-04-28T11:00:00Z
            reports:
              - {regime: dora, stage: intermediate, submitted: 2026-04-30T12:00:00Z}
            """,
            "started": "2026-04-28T09:00:00Z",
            "detected": "2026-04-28T10:00:00Z",
        },
        ("dora", "final"),
        "2026-05-30T12:00:00Z",  # 04-30 + one month: the 30th of May, not its last day
        id="dora-final-30-apr",
    ),
    pytest.param(
        {
            "regulatory": """
            classified_major: 2026-12-30T11:00:00Z
            reports:
              - {regime: dora, stage: intermediate, submitted: 2026-12-31T23:30:00Z}
            """,
            "started": "2026-12-30T09:00:00Z",
            "detected": "2026-12-30T10:00:00Z",
        },
        ("dora", "final"),
        "2027-01-31T23:30:00Z",  # December + one month: January of the next year
        id="dora-final-across-the-year",
    ),
    pytest.param(
        {"regulatory": "classified_major: 2026-01-05T12:00:00Z"},
        ("dora", "final"),
        "2026-02-08T16:00:00Z",  # initial due 01-05 16:00; intermediate due 01-08 16:00 (both unsubmitted) + one month
        id="dora-final-from-the-intermediate-deadline",
    ),
    # NIS2: 24 h and 72 h after aware; final one month after the notification.
    pytest.param(
        {"started": "2026-10-24T21:00:00+02:00", "detected": "2026-10-24T23:30:00+02:00"},  # 21:30 UTC
        ("nis2", "early-warning"),
        "2026-10-25T21:30:00Z",  # + 24 h in UTC; the EU's summer time ends on 10-25 (25 h on a Paris clock)
        id="nis2-early-warning-across-eu-dst",
    ),
    pytest.param(
        {"started": "2026-10-24T21:00:00+02:00", "detected": "2026-10-24T23:30:00+02:00"},
        ("nis2", "notification"),
        "2026-10-27T21:30:00Z",
        id="nis2-notification",
    ),
    pytest.param(
        {"regulatory": "reports:\n  - {regime: nis2, stage: notification, submitted: 2026-01-31T18:00:00-06:00}"},
        ("nis2", "final"),
        "2026-03-01T00:00:00Z",  # submitted 02-01 00:00 UTC (still 01-31 in Chicago) + one month
        id="nis2-final-counted-in-utc",
    ),
    pytest.param(
        {},
        ("nis2", "final"),
        "2026-02-08T10:00:00Z",  # notification due 01-08 10:00, unsubmitted, + one month
        id="nis2-final-from-the-notification-deadline",
    ),
    # GDPR: 72 h after aware.
    pytest.param(
        {"started": "2026-03-07T10:00:00-05:00", "detected": "2026-03-07T12:00:00-05:00"},  # 17:00 UTC
        ("gdpr", "notification"),
        "2026-03-10T17:00:00Z",  # + 72 h in UTC; US summer time starts 03-08 (71 h on a New York clock)
        id="gdpr-across-us-dst",
    ),
    pytest.param(
        {"detected": None},
        ("gdpr", "notification"),
        "2026-01-08T09:00:00Z",  # no detected: aware is started, 01-05 09:00
        id="gdpr-aware-from-started",
    ),
    # SEC: the end of the fourth business day after materiality_determined, New York time.
    pytest.param(
        {"regulatory": "materiality_determined: 2026-01-08T16:00:00-05:00"},
        ("sec-8k", "8-k"),
        "2026-01-15T05:00:00Z",  # Thu 01-08; Fri, [weekend], Mon, Tue, Wed 01-14; its end is 00:00 EST = 05:00 UTC
        id="sec-across-a-weekend",
    ),
    pytest.param(
        {"regulatory": "materiality_determined: 2026-01-10T10:00:00-05:00"},
        ("sec-8k", "8-k"),
        "2026-01-16T05:00:00Z",  # Sat 01-10; Mon 12 is the first business day, Thu 15 the fourth
        id="sec-determined-on-a-saturday",
    ),
    pytest.param(
        {"regulatory": "materiality_determined: 2026-01-09T04:30:00Z"},
        ("sec-8k", "8-k"),
        "2026-01-15T05:00:00Z",  # 01-08 23:30 in New York: day 0 is Thursday there, Friday in UTC
        id="sec-new-york-date-is-day-0",
    ),
    pytest.param(
        {"regulatory": "materiality_determined: 2026-11-23T09:00:00-05:00"},
        ("sec-8k", "8-k"),
        "2026-12-01T05:00:00Z",  # Mon 11-23; Tue, Wed, [Thanksgiving 11-26], Fri, Mon 11-30
        id="sec-across-thanksgiving",
    ),
    pytest.param(
        {"regulatory": "materiality_determined: 2026-06-16T14:00:00-04:00"},
        ("sec-8k", "8-k"),
        "2026-06-24T04:00:00Z",  # Tue 06-16; Wed, Thu, [Juneteenth Fri 06-19], Mon, Tue 06-23; 00:00 EDT = 04:00 UTC
        id="sec-across-juneteenth",
    ),
    pytest.param(
        {"regulatory": "materiality_determined: 2022-06-16T15:00:00-04:00", "started": "2022-06-16T12:00:00Z"},
        ("sec-8k", "8-k"),
        "2022-06-24T04:00:00Z",  # Thu; Fri 17, [Mon 20: Juneteenth observed, 06-19 a Sunday], Tue, Wed, Thu 23
        id="sec-observed-monday",
    ),
    pytest.param(
        {"regulatory": "materiality_determined: 2026-07-01T12:00:00-04:00"},
        ("sec-8k", "8-k"),
        "2026-07-09T04:00:00Z",  # Wed; Thu 02, [Fri 03: Independence Day observed, 07-04 a Saturday], Mon, Tue, Wed 08
        id="sec-observed-friday",
    ),
    pytest.param(
        {"regulatory": "materiality_determined: 2026-03-05T10:00:00-05:00"},
        ("sec-8k", "8-k"),
        "2026-03-12T04:00:00Z",  # Thu (EST); Fri, Mon 09, Tue, Wed 11 (EDT since 03-08): 00:00 EDT = 04:00 UTC
        id="sec-across-us-dst-spring",
    ),
    pytest.param(
        {"regulatory": "materiality_determined: 2026-10-28T10:00:00-04:00"},
        ("sec-8k", "8-k"),
        "2026-11-04T05:00:00Z",  # Wed (EDT); Thu, Fri, Mon 11-02, Tue 11-03 (EST since 11-01): 00:00 EST = 05:00 UTC
        id="sec-across-us-dst-autumn",
    ),
]


@pytest.mark.parametrize(("fields", "stage", "due"), CASES)
def test_each_deadline_is_the_one_computed_by_hand(fields, stage, due):
    assert iso_z(clock_of(record(**fields), *stage).due) == due


@pytest.mark.parametrize(("fields", "stage", "due"), CASES)
def test_a_stage_is_open_to_the_minute_before_its_deadline_and_overdue_from_it(fields, stage, due):
    pm, deadline = record(**fields), utc(due)
    assert clock_of(pm, *stage, now=deadline - MINUTE).state == OPEN
    assert clock_of(pm, *stage, now=deadline).state == OVERDUE
    assert clock_of(pm, *stage, now=deadline + MINUTE).state == OVERDUE


@pytest.mark.parametrize(("fields", "stage", "due"), CASES)
def test_a_report_is_on_time_up_to_its_deadline_and_late_after_it(fields, stage, due):
    pm, deadline = record(**fields), utc(due)
    for submitted, state in ((deadline - MINUTE, SUBMITTED), (deadline, SUBMITTED), (deadline + MINUTE, LATE)):
        clock = clock_of(with_report(pm, *stage, submitted), *stage)
        assert (clock.submitted, clock.state, iso_z(clock.due)) == (submitted, state, due)


def test_the_earlier_of_rule_says_both_limits():
    clock = clock_of(record("classified_major: 2026-01-05T12:00:00+01:00"), "dora", "initial")
    assert clock.counts_from == (
        "4 h after classified_major (2026-01-05 11:00 UTC), no later than 24 h after aware (detected, 2026-01-05 "
        "10:00 UTC)"
    )


def test_a_stage_after_an_unsubmitted_report_counts_from_its_deadline_and_says_so():
    pm = record("classified_major: 2026-01-05T12:00:00Z")
    intermediate = clock_of(pm, "dora", "intermediate")
    assert intermediate.counts_from == (
        "72 h after the initial notification's deadline (2026-01-05 16:00 UTC), as it is not submitted"
    )
    submitted = clock_of(with_report(pm, "dora", "initial", utc("2026-01-05T13:00:00Z")), "dora", "intermediate")
    assert submitted.counts_from == "72 h after the initial notification's submission (2026-01-05 13:00 UTC)"
    assert iso_z(submitted.due) == "2026-01-08T13:00:00Z"


def test_a_late_report_moves_the_next_stage_with_it():
    """The intermediate report counts from the initial notification's submission, even a late one."""
    pm = with_report(record("classified_major: 2026-01-05T12:00:00Z"), "dora", "initial", utc("2026-01-06T09:00:00Z"))
    assert clock_of(pm, "dora", "initial").state == LATE
    assert iso_z(clock_of(pm, "dora", "intermediate").due) == "2026-01-09T09:00:00Z"


def test_the_first_report_of_a_stage_is_the_one_judged():
    pm = record("""
        classified_major: 2026-01-05T12:00:00Z
        reports:
          - {regime: dora, stage: initial, submitted: 2026-01-05T18:00:00Z, reference: DORA-2}
          - {regime: dora, stage: initial, submitted: 2026-01-05T15:00:00Z, reference: DORA-1}
        """)
    clock = clock_of(pm, "dora", "initial")
    assert (clock.state, clock.reference, clock.submitted) == (SUBMITTED, "DORA-1", utc("2026-01-05T15:00:00Z"))


def test_a_stage_waits_on_the_key_that_would_start_its_clock():
    pm = record("aware: 2026-01-05T10:00:00Z")
    for stage in ("initial", "intermediate", "final"):
        clock = clock_of(pm, "dora", stage)
        assert (clock.due, clock.state, clock.waiting_on) == (None, WAITING, "regulatory.classified_major")
    assert "not recorded" in clock_of(pm, "dora", "initial").counts_from
    sec = clock_of(pm, "sec-8k", "8-k")
    assert (sec.due, sec.state, sec.waiting_on) == (None, WAITING, "regulatory.materiality_determined")


def test_aware_known_only_to_the_day_is_not_recorded():
    pm = record(started="2026-01-05", detected="2026-01-05")
    clock = clock_of(pm, "gdpr", "notification")
    assert (clock.due, clock.state, clock.waiting_on) == (None, WAITING, "regulatory.aware")
    assert clock.counts_from == "72 h after aware (not recorded)"


def test_a_submitted_stage_without_a_deadline_is_submitted():
    pm = record("reports:\n  - {regime: sec-8k, stage: 8-k, submitted: 2026-01-09T12:00:00Z}")
    clock = clock_of(pm, "sec-8k", "8-k")
    assert (clock.due, clock.state, clock.waiting_on) == (None, SUBMITTED, "")


def test_not_reportable_covers_every_stage_of_its_regime_and_no_other():
    pm = record("not_reportable:\n  - {regime: nis2, reason: Not a significant incident under art. 23(3)}")
    nis2 = [clock for clock in clocks(pm, POLICY, NOW) if clock.regime == "nis2"]
    assert [clock.state for clock in nis2] == [NOT_REPORTABLE] * 3
    assert {clock.reason for clock in nis2} == {"Not a significant incident under art. 23(3)"}
    assert iso_z(nis2[0].due) == "2026-01-06T10:00:00Z"  # the text's deadline, still shown
    assert clock_of(pm, "gdpr", "notification").state == OVERDUE


def test_personal_data_false_stops_gdpr_and_unknown_does_not():
    stopped = clock_of(record("personal_data: false"), "gdpr", "notification")
    assert (stopped.state, stopped.reason) == (NOT_REPORTABLE, "not a personal data breach (`personal_data: false`)")
    assert clock_of(record("personal_data: true"), "gdpr", "notification").state == OVERDUE
    assert clock_of(record(), "gdpr", "notification").state == OVERDUE


def test_the_block_is_read_as_every_timestamp_is_with_an_explicit_offset():
    text = "---\ntitle: T\nstatus: draft\nseverity: SEV2\nservices: [ledger]\nauthors: [a]\n"
    text += "started: 2026-01-05T09:00:00Z\nimpact: {summary: S}\nregulatory:\n  aware: 2026-01-05T10:00:00\n---\n"
    pm, problems = postmortem_from_source(parse_source(text, "pm.md"), "pm", "pm.md", POLICY)
    assert [(d.code, d.line, d.col) for d in problems] == [("timestamp-offset", 10, 10)]
    assert pm is not None and pm.regulatory is not None and pm.regulatory.aware is None
    assert clock_of(pm, "gdpr", "notification").counts_from == "72 h after aware (started, 2026-01-05 09:00 UTC)"


def test_every_stage_of_every_regime_in_order():
    found = [(clock.regime, clock.stage, clock.title) for clock in clocks(record(), POLICY, NOW)]
    assert found == [(stage.regime, stage.name, stage.title) for regime in REGIMES for stage in STAGES[regime]]
    assert {clock.state for clock in clocks(record(), POLICY, NOW)} <= set(STATES)


def test_regimes_come_from_the_regulated_services_and_the_configuration():
    policy = Policy(
        services=(
            Service("ledger", regulated=("gdpr", "dora")),
            Service("cards", regulated=("sec-8k",)),
            Service("search"),
        ),
        regulatory_regimes=("dora", "gdpr", "sec-8k"),
    )
    assert regimes_of(record(services="[ledger]", policy=policy), policy) == ("dora", "gdpr")
    assert regimes_of(record(services="[search, cards, ledger]", policy=policy), policy) == ("dora", "gdpr", "sec-8k")
    assert regimes_of(record(services="[search]", policy=policy), policy) == ()
    assert regimes_of(record(), POLICY) == REGIMES  # `regulated: true`: every configured regime
    unconfigured = Policy(services=(Service("ledger", regulated=True),))
    assert regimes_of(record(policy=unconfigured), unconfigured) == ()  # the day count applies instead
    assert clocks(record(policy=unconfigured), unconfigured, NOW) == ()


def test_a_maintenance_has_no_clocks():
    pm = record(extra="kind: maintenance")
    assert regimes_of(pm, POLICY) == ()
    assert clocks(pm, POLICY, NOW) == ()


def test_imported_history_has_no_clocks_until_it_is_reviewed():
    """An imported status-page history of a regulated service is no list of overdue reports: its reporting happened,
    or not, before it came here."""
    imported = replace(record(), status="imported")
    assert regimes_of(imported, POLICY) == () and clocks(imported, POLICY, NOW) == ()
    assert clocks(replace(imported, status="in-review"), POLICY, NOW)
    assert why_no_regime(imported) == "it is imported history, whose clocks start once it is reviewed"
    assert why_no_regime(record(extra="kind: maintenance")) == "a maintenance owes regulators no report"


def test_a_deadline_is_shown_in_utc_and_in_the_teams_zone():
    moment = utc("2026-12-21T20:00:00Z")
    assert in_zones(moment, POLICY) == "2026-12-21 20:00 UTC"  # the default zone is UTC: said once
    berlin = replace(POLICY, regulatory_timezone="Europe/Berlin")
    assert in_zones(moment, berlin) == "2026-12-21 20:00 UTC (21:00 CET, Europe/Berlin)"
    summer = utc("2026-07-01T23:30:00Z")
    assert in_zones(summer, berlin) == "2026-07-01 23:30 UTC (2026-07-02 01:30 CEST, Europe/Berlin)"
    new_york = replace(POLICY, regulatory_timezone="America/New_York")
    assert in_zones(utc("2026-03-10T17:00:00Z"), new_york) == "2026-03-10 17:00 UTC (13:00 EDT, America/New_York)"
    assert in_zones(LAST_MOMENT, replace(POLICY, regulatory_timezone="Asia/Tokyo")) == "9999-12-31 23:59 UTC"


# --- the calendar --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-01-31T10:00:00Z", "2026-02-28T10:00:00Z"),
        ("2028-01-31T10:00:00Z", "2028-02-29T10:00:00Z"),
        ("2026-03-31T23:59:00Z", "2026-04-30T23:59:00Z"),
        ("2026-04-30T00:00:00Z", "2026-05-30T00:00:00Z"),
        ("2026-12-31T12:00:00Z", "2027-01-31T12:00:00Z"),
        ("2026-02-28T08:00:00Z", "2026-03-28T08:00:00Z"),
        ("9999-12-15T00:00:00Z", iso_z(LAST_MOMENT)),
    ],
)
def test_one_month_after(moment, expected):
    assert iso_z(one_month_after(utc(moment))) == expected


@pytest.mark.parametrize(
    ("day", "fourth"),
    [
        (date(2026, 1, 8), date(2026, 1, 14)),  # Thu -> Wed, over a weekend
        (date(2026, 1, 10), date(2026, 1, 15)),  # Sat -> Thu: Monday is the first
        (date(2026, 1, 14), date(2026, 1, 21)),  # Wed -> Wed, over Martin Luther King Jr. Day (Mon 01-19)
        (date(2026, 11, 25), date(2026, 12, 2)),  # Wed -> Wed, over Thanksgiving (Thu 11-26)
        (date(2021, 12, 29), date(2022, 1, 5)),  # Wed -> Wed, over New Year's Day observed on Fri 2021-12-31
        (date(2026, 12, 24), date(2026, 12, 31)),  # Thu -> Thu, over Christmas (Fri 12-25)
    ],
)
def test_business_days_skip_weekends_and_federal_holidays(day, fourth):
    assert business_days_after(day, 4) == fourth


def test_the_calendar_is_the_federal_one_with_observed_days():
    assert business_days_after(date(2021, 6, 17), 1) == date(2021, 6, 21)  # Juneteenth's first year, observed Fri 18
    assert business_days_after(date(2020, 6, 18), 1) == date(2020, 6, 19)  # before it was a holiday
    assert business_days_after(date(2026, 4, 2), 1) == date(2026, 4, 3)  # Good Friday: no federal holiday


def test_the_sec_deadline_at_the_ends_of_the_calendar():
    assert sec_deadline(datetime(1, 1, 1, tzinfo=timezone.utc)) > datetime(1, 1, 5, tzinfo=timezone.utc)
    assert sec_deadline(datetime(9999, 12, 30, tzinfo=timezone.utc)) == LAST_MOMENT


# --- properties ----------------------------------------------------------------------------------------------------

FEDERAL = holidays.country_holidays("US")  # the calendar the SEC counts by, read here without regulatory.py
MOMENTS = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(timezone.utc)
)
OFFSETS = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59)


def written(moment: datetime, offset_minutes: int) -> str:
    """`moment` as a team may write it: the same instant at another UTC offset."""
    local = moment.astimezone(timezone(timedelta(minutes=offset_minutes)))
    sign, minutes = ("-" if offset_minutes < 0 else "+"), abs(offset_minutes)
    return f"{local:%Y-%m-%dT%H:%M}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


@settings(max_examples=60, deadline=None)
@given(aware=MOMENTS, hours=st.integers(0, 72), offsets=st.lists(OFFSETS, min_size=3, max_size=3))
def test_no_deadline_depends_on_the_offset_a_time_is_written_with(aware, hours, offsets):
    aware = aware.replace(second=0, microsecond=0)
    later = aware + timedelta(hours=hours)

    def block(moments: list[str]) -> str:
        return f"aware: {moments[0]}\nclassified_major: {moments[1]}\nmateriality_determined: {moments[2]}"

    in_utc = record(block([written(moment, 0) for moment in (aware, later, later)]), started=written(aware, 0))
    elsewhere = record(
        block([written(m, o) for m, o in zip((aware, later, later), offsets, strict=True)]), started=written(aware, 0)
    )
    assert [c.due for c in clocks(in_utc, POLICY, NOW)] == [c.due for c in clocks(elsewhere, POLICY, NOW)]


@settings(max_examples=200, deadline=None)
@given(aware=MOMENTS, classified_after=st.integers(0, 96 * 60), determined=MOMENTS)
def test_no_deadline_is_before_the_moment_it_counts_from(aware, classified_after, determined):
    pm = Postmortem(
        "pm",
        "pm.md",
        "Ledger outage",
        "draft",
        "SEV2",
        ("ledger",),
        aware,
        regulatory=Regulatory(
            classified_major=aware + timedelta(minutes=classified_after), materiality_determined=determined
        ),
    )
    found = {(c.regime, c.stage): c.due for c in clocks(pm, POLICY, aware)}
    assert all(due is not None for due in found.values())
    assert found["dora", "initial"] <= aware + timedelta(hours=24)
    assert found["dora", "initial"] > aware
    for regime in REGIMES:
        stages = [found[regime, stage.name] for stage in STAGES[regime]]
        assert stages == sorted(stages)  # each stage after the one it counts from
        assert stages[0] > (determined if regime == "sec-8k" else aware)
    assert found["sec-8k", "8-k"] > determined + timedelta(days=4)


@settings(max_examples=300, deadline=None)
@given(moment=st.datetimes(max_value=datetime(9999, 11, 1), timezones=st.just(timezone.utc)))
def test_one_month_later_is_the_same_time_on_the_same_day_or_the_month_end(moment):
    later = one_month_after(moment)
    assert later > moment
    assert (later.year * 12 + later.month) - (moment.year * 12 + moment.month) == 1
    assert later.time() == moment.time()
    assert later.day == moment.day or (later.day < moment.day and (later + timedelta(days=1)).day == 1)


@settings(max_examples=300, deadline=None)
@given(moment=MOMENTS)
def test_the_sec_deadline_ends_the_fourth_business_day_in_new_york(moment):
    due = sec_deadline(moment)
    local = due.astimezone(NEW_YORK)
    assert (local.hour, local.minute) == (0, 0)
    day_zero, last = moment.astimezone(NEW_YORK).date(), local.date() - timedelta(days=1)
    between = [day_zero + timedelta(days=n) for n in range(1, (last - day_zero).days + 1)]
    working = [day for day in between if day.weekday() < 5 and day not in FEDERAL]
    assert len(working) == 4 and working[-1] == last
    assert timedelta(days=4) < due - moment < timedelta(days=12)


def test_the_regulators_part_of_the_policy_says_the_clocks_the_day_count_or_no_service():
    ledger = Service("ledger", regulated=True)
    assert reporting_policy(Policy()) == "no service is marked regulated"
    assert reporting_policy(Policy(services=(ledger,), regulator_report_within_days=5)) == (
        "the regulator gets a report within 5 days of detection (or the start) when a regulated service (ledger) was "
        "affected"
    )
    assert reporting_policy(Policy(services=(ledger,), regulatory_regimes=("dora", "sec-8k"))) == (
        "regulators get each report on the clock of its regime (DORA, SEC) when a regulated service (ledger) was "
        "affected"
    )

"""The regulators' reporting clocks: for each regime that applies to a postmortem, each stage's deadline, the moments it
counts from, and whether it was reported in time. Pure: the postmortem, the policy and the moment to judge by in,
`Clock` values out; the rules (`checks/regulatory.py`), the `/regulatory/` pages and the stage reports read them.

The clocks, as the published texts set them:

- **DORA**, Regulation (EU) 2022/2554 art. 19(4) and Delegated Regulation (EU) 2025/301 art. 5(1): the initial
  notification within 4 hours of classifying the incident as major (`classified_major`), and no later than 24 hours
  after becoming aware of it (`aware`): the earlier of the two; the intermediate report within 72 hours of the initial
  notification's submission; the final report within one month of the latest (updated) intermediate report's
  submission. The earlier-of rule as written: a classification more than 20 hours after awareness leaves the initial
  notification due 24 hours after awareness, however late the classification. Not computed: the later deadline
  art. 5 allows some entities when one falls on a weekend or a bank holiday (noon of the next working day), so the
  deadline shown is never the later one.
- **NIS2**, Directive (EU) 2022/2555 art. 23(4): the early warning within 24 hours of becoming aware of a significant
  incident (point a), the incident notification within 72 hours of it (point b), the final report within one month of
  the incident notification's submission (point d). Intermediate reports on request (point c) have no clock.
- **GDPR**, Regulation (EU) 2016/679 art. 33(1): a personal data breach notified to the supervisory authority within
  72 hours of becoming aware of it; `personal_data: false` (no personal data breach) stops the clock.
- **SEC**, Form 8-K item 1.05 and its General Instruction B.1: within four business days of determining that a
  cybersecurity incident is material (`materiality_determined`), due by the end of the fourth business day, US
  Eastern time. Business days as the SEC counts them: no Saturday, Sunday or US federal holiday
  (`us_federal_holidays()`). Not computed: EDGAR's 5:30 p.m. filing cut-off (Regulation S-T rule 13(a)(4)), closures
  ordered ad hoc (a national day of mourning) and the Attorney General's delay under item 1.05(c).

Readings where the texts leave room, the issue's (#25): hours are counted in UTC, so a change of daylight saving time
does not move a deadline; "one month" ends at the same time (UTC) on the same day of the next month, or on that
month's last day when it has no such day (31 January -> 28 or 29 February); a stage that counts from an earlier report
not yet submitted counts from that report's deadline, and says so; `aware` defaults to `detected`, else `started`
(each only when known to the minute). A stage whose moments are not all recorded is `waiting` on the key to fill.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .dates import LAST_MOMENT, add_business_days, in_utc, plus, plus_days, utc_minute
from .model import Postmortem, Regulatory, RegulatoryReport
from .policy import IMPORTED, REGIMES, Policy


@dataclass(frozen=True)
class Stage:
    """One report a regime asks for, in the regime's order: `name` as the front matter writes it, `title` for people."""

    regime: str
    name: str
    title: str


STAGES: Mapping[str, tuple[Stage, ...]] = MappingProxyType(
    {
        "dora": (
            Stage("dora", "initial", "Initial notification"),
            Stage("dora", "intermediate", "Intermediate report"),
            Stage("dora", "final", "Final report"),
        ),
        "nis2": (
            Stage("nis2", "early-warning", "Early warning"),
            Stage("nis2", "notification", "Incident notification"),
            Stage("nis2", "final", "Final report"),
        ),
        "gdpr": (Stage("gdpr", "notification", "Notification of a personal data breach"),),
        "sec-8k": (Stage("sec-8k", "8-k", "Form 8-K, item 1.05"),),
    }
)
REGIME_NAMES: Mapping[str, str] = MappingProxyType({"dora": "DORA", "nis2": "NIS2", "gdpr": "GDPR", "sec-8k": "SEC"})
STATES = ("submitted", "late", "open", "overdue", "waiting", "not-reportable")
SUBMITTED, LATE, OPEN, OVERDUE, WAITING, NOT_REPORTABLE = STATES

NEW_YORK = ZoneInfo("America/New_York")


@functools.cache
def us_federal_holidays() -> Container[date]:
    """The US federal holidays of 5 U.S.C. 6103: the `holidays` package's US calendar (its public category, without a
    state's holidays), each with its observed day (a Saturday's on the Friday before, a Sunday's on the Monday after),
    Juneteenth from 2021, when it became one. Loaded on first use: the package and its calendar take about 80 ms,
    which a check with no SEC clock need not pay."""
    import holidays

    return holidays.country_holidays("US")


@dataclass(frozen=True)
class Clock:
    """One stage of one regime for one postmortem. `due` is UTC, None only while a moment it counts from is not
    recorded (then `state` is `waiting` and `waiting_on` names the front-matter key to fill); `counts_from` says from
    what, in words; `submitted` and `reference` are the stage's first report's; `reason` is `not_reportable`'s."""

    regime: str
    stage: str
    title: str
    due: datetime | None
    counts_from: str
    submitted: datetime | None
    reference: str
    state: str
    waiting_on: str = ""
    reason: str = ""


def one_month_after(moment: datetime) -> datetime:
    """The same time on the same day of the next month, or on its last day when it has no such day (31 January ->
    28 or 29 February, 31 March -> 30 April); the calendar's last moment past year 9999."""
    year, month = (moment.year, moment.month + 1) if moment.month < 12 else (moment.year + 1, 1)
    if year > LAST_MOMENT.year:
        return LAST_MOMENT
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def business_days_after(day: date, count: int) -> date:
    """The `count`th business day after `day` (which may be any day: a Saturday's first is the Monday after), skipping
    Saturdays, Sundays and `us_federal_holidays()`; at most the calendar's last day."""
    for _ in range(count):
        day = add_business_days(day, 1)
        while day in us_federal_holidays() and day < date.max:
            day = add_business_days(day, 1)
    return day


def sec_deadline(determined: datetime) -> datetime:
    """Form 8-K item 1.05's deadline: the end of the fourth business day after `determined`, whose date in New York is
    day 0, in UTC: midnight in New York at the start of the next day (05:00 UTC in winter, 04:00 UTC in summer)."""
    try:
        day = determined.astimezone(NEW_YORK).date()
    except OverflowError:  # the calendar's first hours, which New York has not reached
        day = determined.date()
    last = business_days_after(day, 4)
    if last == date.max:
        return LAST_MOMENT
    return datetime.combine(plus_days(last, 1), time(), NEW_YORK).astimezone(timezone.utc)


def reporting_policy(policy: Policy) -> str:
    """The regulators' part of the communication policy, in words, as the communications page and the period reviews
    say it: the regimes' clocks when any is configured, else the day count of `regulator_report_within_days`."""
    regulated = ", ".join(service.name for service in policy.services if service.regulated)
    if not regulated:
        return "no service is marked regulated"
    if policy.regulatory_regimes:
        regimes = ", ".join(REGIME_NAMES[regime] for regime in policy.regulatory_regimes)
        return (
            f"regulators get each report on the clock of its regime ({regimes}) when a regulated service ({regulated}) "
            "was affected"
        )
    return (
        f"the regulator gets a report within {policy.regulator_report_within_days} days of detection (or the start) "
        f"when a regulated service ({regulated}) was affected"
    )


def in_zones(moment: datetime, policy: Policy) -> str:
    """A deadline for people: `2026-12-21 20:00 UTC`, and the same moment in the team's zone (`regulatory.timezone`)
    when that is another: `2026-12-21 20:00 UTC (21:00 CET, Europe/Berlin)`, its date too when it differs."""
    shown = utc_minute(moment)
    if policy.regulatory_timezone == "UTC":
        return shown
    try:
        local = in_utc(moment).astimezone(ZoneInfo(policy.regulatory_timezone))
    except (ZoneInfoNotFoundError, ValueError, OverflowError):  # the configuration's check refuses a bad zone
        return shown
    day = "" if local.date() == in_utc(moment).date() else f"{local.date().isoformat()} "
    return f"{shown} ({day}{local:%H:%M} {local.tzname()}, {policy.regulatory_timezone})"


@dataclass(frozen=True)
class _Span:
    """How long a stage runs from a moment: its words and the deadline it gives."""

    words: str
    after: Callable[[datetime], datetime]


def _hours(count: int) -> _Span:
    return _Span(f"{count} h", lambda moment: plus(moment, timedelta(hours=count)))


_MONTH = _Span("one month", one_month_after)
_FOURTH_BUSINESS_DAY = _Span("the end of the 4th US business day (New York time)", sec_deadline)


@dataclass(frozen=True)
class _Term:
    """One limit of a stage: `span` after `source`, a moment of the record (`aware`, `classified_major`,
    `materiality_determined`) or an earlier stage of the regime (its first submission, or its `latest`)."""

    span: _Span
    source: str
    latest: bool = False


# Each stage's limits; with two, the earlier deadline holds.
_TERMS: Mapping[tuple[str, str], tuple[_Term, ...]] = MappingProxyType(
    {
        ("dora", "initial"): (_Term(_hours(4), "classified_major"), _Term(_hours(24), "aware")),
        ("dora", "intermediate"): (_Term(_hours(72), "initial"),),
        ("dora", "final"): (_Term(_MONTH, "intermediate", latest=True),),
        ("nis2", "early-warning"): (_Term(_hours(24), "aware"),),
        ("nis2", "notification"): (_Term(_hours(72), "aware"),),
        ("nis2", "final"): (_Term(_MONTH, "notification"),),
        ("gdpr", "notification"): (_Term(_hours(72), "aware"),),
        ("sec-8k", "8-k"): (_Term(_FOURTH_BUSINESS_DAY, "materiality_determined"),),
    }
)


# Each key of the `regulatory` block that starts a clock, with the regimes whose clocks it starts, and GDPR's
# `personal_data`, which stops its clock: what a new record is asked for (`postmortems new`).
KEYS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        key: tuple(dict.fromkeys(regime for (regime, _), terms in _TERMS.items() for t in terms if t.source == key))
        for key in ("aware", "classified_major", "materiality_determined")
    }
    | {"personal_data": ("gdpr",)}
)


@dataclass(frozen=True)
class Origin:
    """A moment a stage counts from: in words, when (None: not recorded), and the key that would record it."""

    words: str
    at: datetime | None
    key: str = ""


def regimes_of(pm: Postmortem, policy: Policy) -> tuple[str, ...]:
    """The configured regimes whose clocks run for `pm`, in `REGIMES` order: those of each regulated service it names
    (`regulated: true`: every configured regime). None for a maintenance, none for imported history (its reporting
    happened, or not, before it came here; its clocks start once it is reviewed and no longer `imported`), and none
    while no regime is configured (the communication policy's day count applies then)."""
    if pm.is_maintenance or pm.status == IMPORTED or not policy.regulatory_regimes:
        return ()
    named: set[str] = set()
    for service in policy.services:
        regulated = service.regulated
        if regulated and service.name in pm.services:
            named.update(regulated if isinstance(regulated, tuple) else policy.regulatory_regimes)
    return tuple(regime for regime in REGIMES if regime in named and regime in policy.regulatory_regimes)


def why_no_regime(pm: Postmortem) -> str:
    """Why no regime applies to `pm` (`regimes_of` is empty), in words: none configured counts as none named."""
    if pm.is_maintenance:
        return "a maintenance owes regulators no report"
    if pm.status == IMPORTED:
        return "it is imported history, whose clocks start once it is reviewed"
    return "it names no service regulated under a regime"


def aware_of(pm: Postmortem) -> Origin:
    """When the entity became aware: `regulatory.aware`, else `detected`, else `started` (known to the minute)."""
    given = pm.regulatory.aware if pm.regulatory else None
    if given is not None:
        return Origin(f"aware ({utc_minute(given)})", given)
    for name in ("detected", "started"):
        moment = pm.exact(name)
        if moment is not None:
            return Origin(f"aware ({name}, {utc_minute(moment)})", moment)
    return Origin("aware (not recorded)", None, "regulatory.aware")


def clocks(pm: Postmortem, policy: Policy, now: datetime) -> tuple[Clock, ...]:
    """Every stage of every regime of `pm` (`regimes_of`), in order, judged at `now`."""
    record = pm.regulatory or Regulatory()
    result: list[Clock] = []
    for regime in regimes_of(pm, policy):
        reason = _not_reportable(record, regime)
        earlier: dict[str, Clock] = {}
        for stage in STAGES[regime]:
            clock = _clock(pm, record, stage, earlier, now, reason)
            earlier[stage.name] = clock
            result.append(clock)
    return tuple(result)


def _not_reportable(record: Regulatory, regime: str) -> str:
    """Why `regime` owes no report, or "" when it does."""
    ruled_out = next((entry.reason for entry in record.not_reportable if entry.regime == regime), None)
    if ruled_out is not None:
        return ruled_out or "not reportable"
    if regime == "gdpr" and record.personal_data is False:
        return "not a personal data breach (`personal_data: false`)"
    return ""


def _submissions(record: Regulatory, regime: str, stage: str) -> list[RegulatoryReport]:
    """The stage's reports with a submission time, first submitted first."""
    made = [r for r in record.reports if r.regime == regime and r.stage == stage and r.submitted is not None]
    return sorted(made, key=lambda report: report.submitted or LAST_MOMENT)


def _clock(
    pm: Postmortem, record: Regulatory, stage: Stage, earlier: Mapping[str, Clock], now: datetime, reason: str
) -> Clock:
    limits = [
        (term.span, _source(pm, record, stage.regime, term, earlier)) for term in _TERMS[stage.regime, stage.name]
    ]
    counts_from = ", no later than ".join(f"{span.words} after {source.words}" for span, source in limits)
    unrecorded = next((source for _, source in limits if source.at is None), None)
    due = None if unrecorded else min(span.after(source.at) for span, source in limits if source.at)
    reports = _submissions(record, stage.regime, stage.name)
    first = reports[0] if reports else None
    submitted = first.submitted if first else None
    if reason:
        state = NOT_REPORTABLE
    elif submitted is not None:
        state = LATE if due is not None and submitted > due else SUBMITTED
    elif due is None:
        state = WAITING
    else:
        state = OPEN if now < due else OVERDUE
    return Clock(
        stage.regime,
        stage.name,
        stage.title,
        due,
        counts_from,
        submitted,
        first.reference if first else "",
        state,
        unrecorded.key if unrecorded and state == WAITING else "",
        reason,
    )


def _source(pm: Postmortem, record: Regulatory, regime: str, term: _Term, earlier: Mapping[str, Clock]) -> Origin:
    """The moment `term` counts from: a moment of the record, or an earlier stage's submission, else its deadline."""
    if term.source == "aware":
        return aware_of(pm)
    if term.source not in earlier:
        moment = getattr(record, term.source)
        shown = utc_minute(moment) if moment else "not recorded"
        return Origin(f"{term.source} ({shown})", moment, f"regulatory.{term.source}")
    before = earlier[term.source]
    title = before.title[0].lower() + before.title[1:]
    reports = _submissions(record, regime, term.source)
    if reports:
        report = reports[-1] if term.latest else reports[0]
        which = "latest " if term.latest and len(reports) > 1 else ""
        return Origin(
            f"the {which}{title}'s submission ({utc_minute(report.submitted or LAST_MOMENT)})", report.submitted
        )
    if before.due is not None:
        return Origin(f"the {title}'s deadline ({utc_minute(before.due)}), as it is not submitted", before.due)
    return Origin(f"the {title} (not submitted; its deadline waits on `{before.waiting_on}`)", None, before.waiting_on)

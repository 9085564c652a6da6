"""Period reviews: a quarter, a month, a year or any span of days against the one before it, from the postmortems a
site shows. `postmortems report` prints one (`review_report.py`), and the internal site has a page per quarter with
an incident under `/reviews/` (`review_pages`).

Every figure reuses the definition of the page that shows it across all time, so a review never disagrees with the
site: response times are the metrics page's (`metrics.response_times`, `stats.percentile`), recurring causes and
fixes that did not hold the root causes page's (`Indexes.recurring`, `Indexes.recurred_after_fix`), what is owed
the communications page's (`communications_owed`), and availability the status site's uptime (`uptime_days`,
`uptime_percent`). `definitions` states each in words, and every output prints them.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar

from ..checks.communications import Owed, communications_owed
from ..dates import plus_days, quarter_of
from ..knowledge import KnowledgeBase
from ..model import ActionItem, Postmortem
from ..policy import Policy
from ..regulatory import reporting_policy
from ..render import PageSpec
from ..status_site.public import PublicView, by_kind, public_incidents
from ..status_site.uptime import FORMULA, uptime_days, uptime_percent
from .indexes import ActionItemEntry, Indexes, RecurredAfterFix, Recurring
from .metrics import RESPONSE_TIMES, response_times
from .stats import SMALL_SAMPLE, Distribution
from .urls import REVIEWS, review_page

QUARTER, MONTH, YEAR, SPAN = "quarter", "month", "year", "span"
MAX_DAYS = 36_525  # a span of a hundred years at most: availability is counted day by day
REVIEW_ROWS = 100  # rows of a list on a review page; the report prints every one
T = TypeVar("T")
_PERIOD = re.compile(r"(?P<year>\d{4})(?:-(?:[Qq](?P<quarter>[1-4])|(?P<month>\d{2})))?")


@dataclass(frozen=True)
class Period:
    """The UTC days from `start` to `end`, both included: a `quarter` (`2026-Q3`), a `month` (`2026-09`), a `year`
    (`2026`) or a `span` of days."""

    label: str
    kind: str
    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def slug(self) -> str:
        """`2026-q3`: the last part of its page's URL."""
        return self.label.lower() if self.kind != SPAN else f"{self.start.isoformat()}-to-{self.end.isoformat()}"

    @property
    def dates(self) -> str:
        """`2026-07-01 to 2026-09-30`."""
        return f"{self.start.isoformat()} to {self.end.isoformat()}"

    @property
    def title(self) -> str:
        """`2026-Q3 (2026-07-01 to 2026-09-30)`, or the dates alone for a span."""
        return self.dates if self.kind == SPAN else f"{self.label} ({self.dates})"

    def previous(self) -> Period:
        """The period of the same kind just before: the quarter, month or year before, or as many days before."""
        before = plus_days(self.start, -1)
        if self.kind == QUARTER:
            return quarter(before.year, (before.month - 1) // 3 + 1)
        if self.kind == MONTH:
            return month(before.year, before.month)
        if self.kind == YEAR:
            return year(before.year)
        return span(plus_days(before, -(self.days - 1)), before)


def quarter(year: int, number: int) -> Period:
    first = 3 * (number - 1) + 1
    return Period(f"{year:04d}-Q{number}", QUARTER, date(year, first, 1), _month_end(year, first + 2))


def month(year: int, number: int) -> Period:
    return Period(f"{year:04d}-{number:02d}", MONTH, date(year, number, 1), _month_end(year, number))


def year(number: int) -> Period:
    return Period(f"{number:04d}", YEAR, date(number, 1, 1), date(number, 12, 31))


def span(start: date, end: date) -> Period:
    """The days from `start` to `end`, both included. ValueError when `end` comes first or it is over `MAX_DAYS`."""
    if end < start:
        raise ValueError(f"the period ends ({end.isoformat()}) before it starts ({start.isoformat()})")
    if (end - start).days + 1 > MAX_DAYS:
        raise ValueError(f"a period is at most {MAX_DAYS} days (a hundred years)")
    return Period(f"{start.isoformat()} to {end.isoformat()}", SPAN, start, end)


def _month_end(year: int, number: int) -> date:
    return date(year, number, calendar.monthrange(year, number)[1])


def parse_period(text: str) -> Period:
    """`2026-Q3` (a quarter), `2026-09` (a month) or `2026` (a year); ValueError, saying what is expected, else."""
    match = _PERIOD.fullmatch(text.strip())
    number = int(match["year"]) if match else 0
    if match is None or number < 1 or (match["month"] and not 1 <= int(match["month"]) <= 12):
        raise ValueError(f"`{text}` is no period: write a quarter (2026-Q3), a month (2026-09) or a year (2026)")
    if match["quarter"]:
        return quarter(number, int(match["quarter"]))
    return month(number, int(match["month"])) if match["month"] else year(number)


def quarter_period(day: date) -> Period:
    return quarter(day.year, (day.month - 1) // 3 + 1)


# One period's figures.


@dataclass(frozen=True)
class Figures:
    """One period's figures. `judged` is the day its action items are judged on: its last day, or the report's day
    when that comes first (a period not over yet)."""

    period: Period
    judged: date
    records: tuple[Postmortem, ...]  # incidents and maintenance that started in it, newest first
    response: tuple[tuple[str, str, Distribution], ...]  # (field, label, distribution): detect, mitigate, resolve
    opened: tuple[ActionItemEntry, ...]
    closed: tuple[ActionItemEntry, ...]  # a `closed` date in the period, done or won't do
    overdue: tuple[ActionItemEntry, ...]  # on `judged`
    availability: dict[str, float | None]  # public component -> percent, None without data

    @property
    def incidents(self) -> tuple[Postmortem, ...]:
        return tuple(pm for pm in self.records if not pm.is_maintenance)

    def by_severity(self) -> dict[str, int]:
        """Incidents per severity (`unknown` without one)."""
        counts: dict[str, int] = {}
        for pm in self.incidents:
            counts[pm.severity or "unknown"] = counts.get(pm.severity or "unknown", 0) + 1
        return counts

    def by_service(self) -> dict[str, int]:
        """Incidents per service affected: an incident counts once for each of its services."""
        counts: dict[str, int] = {}
        for pm in self.incidents:
            for service in dict.fromkeys(pm.services):
                counts[service] = counts.get(service, 0) + 1
        return counts

    def closed_as(self, status: str) -> int:
        return sum(1 for entry in self.closed if entry.item.status == status)


def state_on(item: ActionItem, day: date) -> str:
    """An action item's state at the end of `day`: `open` when open now or closed after that day, else its status (a
    closed item without a `closed` date counts as closed then: nothing says when)."""
    if item.is_open or (item.closed is not None and item.closed > day):
        return "open"
    return item.status


def overdue_on(item: ActionItem, day: date) -> bool:
    """Open on `day` and due before it: `ActionItem.is_overdue` as it would have said on that day."""
    return state_on(item, day) == "open" and item.due is not None and item.due < day


def opened_on(entry: ActionItemEntry) -> date | None:
    """The day an action item was opened: its postmortem's, the UTC date of `started`; None when undated."""
    return entry.postmortem.started.date() if entry.postmortem.started else None


# The review: a period against the one before it.


@dataclass(frozen=True)
class RecurringCause:
    """A root-cause category on a service that struck in the period and had struck before or in it: the incidents
    with it in the period (newest first), and how many had it up to the period's end."""

    service: str
    category: str
    in_period: tuple[Postmortem, ...]
    to_date: int


@dataclass(frozen=True)
class OwnerCompletion:
    """One owner's action items opened in the period, and their state on the day they are judged."""

    owner: str
    opened: int
    done: int
    wont_do: int
    open: int
    overdue: int

    @property
    def completion(self) -> float | None:
        """Done out of those not dropped (opened − won't do), in percent; None when none is left."""
        wanted = self.opened - self.wont_do
        return 100 * self.done / wanted if wanted else None


@dataclass(frozen=True)
class Availability:
    component: str
    target: float | None
    current: float | None
    previous: float | None

    @property
    def met(self) -> bool | None:
        """Whether the period's availability reached the target; None without a target or without data."""
        return None if self.target is None or self.current is None else self.current >= self.target


@dataclass(frozen=True)
class Review:
    """A period's review (`current`) against the period before (`previous`), made on `today`."""

    today: date
    current: Figures
    previous: Figures
    severities: tuple[str, ...]  # rows of "by severity": the scale's, then any other found
    services: tuple[str, ...]  # rows of "by service": the catalog's order, then by name
    recurring: tuple[RecurringCause, ...]
    owners: tuple[OwnerCompletion, ...]
    fixes: tuple[RecurredAfterFix, ...]
    owed: tuple[tuple[Postmortem, tuple[Owed, ...]], ...]
    availability: tuple[Availability, ...]
    definitions: dict[str, str]

    @property
    def period(self) -> Period:
        return self.current.period


class Reviewer:
    """Reviews of any period of one knowledge base. What a period's figures need is sorted by date once, so each
    period takes a few bisections, and each period's figures are computed once (a quarter's page and the next
    quarter's both need them)."""

    def __init__(self, kb: KnowledgeBase, indexes: Indexes):
        self.kb, self.indexes, self.policy = kb, indexes, kb.policy
        self._figures: dict[Period, Figures] = {}
        by_id = sorted((pm for pm in indexes.postmortems if pm.started is not None), key=lambda pm: pm.id, reverse=True)
        dated = sorted(by_id, key=_started_moment)  # backwards, it is the site's order: newest first, then by ID
        self._records = _ByDay(dated, _started_day)
        closed = sorted((e for e in indexes.action_items if e.item.closed is not None), key=_closed_day)
        self._closed = _ByDay(closed, _closed_day)
        # An item can be overdue on a day from the day after it is due (and not before it is opened) until it is
        # closed: `overdue_on` decides; these bounds only spare it the items that cannot be.
        never, forever = 0, date.max.toordinal() + 1
        spans = []
        for entry in indexes.action_items:
            opened, item = opened_on(entry), entry.item
            if opened is not None and item.due is not None:
                ends = forever if item.is_open else item.closed.toordinal() if item.closed else never
                spans.append((max(item.due.toordinal() + 1, opened.toordinal()), ends, entry))
        spans.sort(key=lambda span: span[0])
        self._overdue_from, self._overdue = [span[0] for span in spans], spans
        self._fixes = _ByDay(
            sorted(
                (fix for fix in indexes.recurred_after_fix if fix.later.started), key=lambda f: _started_day(f.later)
            ),
            lambda fix: _started_day(fix.later),
        )
        self._recurring = [  # each recurring cause's incidents are oldest first already
            (cause, _ByDay([pm for pm in cause.postmortems if pm.started is not None], _started_day))
            for cause in indexes.recurring
        ]
        self._fix_order = {id(fix): at for at, fix in enumerate(indexes.recurred_after_fix)}  # newest first
        views = by_kind(public_incidents(kb.postmortems, kb.policy))[0]
        self._views = _ByDay(sorted((v for v in views if v.started is not None), key=_started_day), _started_day)

    def figures(self, period: Period) -> Figures:
        """`period`'s figures, its action items judged on its last day or, when that comes later, the report's."""
        if period not in self._figures:
            judged = min(period.end, self.kb.today)
            mine = tuple(self._records.within(period)[::-1])  # newest first, as the site lists them
            incidents = [pm for pm in mine if not pm.is_maintenance]
            response = tuple(
                (name, label, sample)
                for (label, name), (_, sample) in zip(RESPONSE_TIMES, response_times(incidents), strict=True)
            )
            items = self.indexes.items_by_postmortem
            day = judged.toordinal()
            reach = bisect.bisect_right(self._overdue_from, day)
            self._figures[period] = Figures(
                period,
                judged,
                mine,
                response,
                tuple(entry for pm in mine for entry in items.get(pm.id, ())),
                tuple(self._closed.within(period)),
                tuple(e for _, ends, e in self._overdue[:reach] if ends > day and overdue_on(e.item, judged)),
                self._availability(period),
            )
        return self._figures[period]

    def _availability(self, period: Period) -> dict[str, float | None]:
        """Each public component's uptime over the period's days up to the report's day, as the status site counts
        it (`uptime_days`, `uptime_percent`); None for a period that starts later, or days without data (before the
        component's `since`). Only the incidents touching those days are walked; a component none touches is up on
        every day with data, which its last day alone says."""
        last = min(period.end, self.kb.today)
        if last < period.start:
            return dict.fromkeys(self.policy.components)
        touching: dict[str, list[PublicView]] = {}
        for view in self._views.until(last):
            if view.resolved is None or view.resolved.date() >= period.start:
                for name in view.components:
                    touching.setdefault(name, []).append(view)
        found = {}
        for name in self.policy.components:
            since, views = self.policy.component_since(name), touching.get(name, [])
            days = uptime_days(name, views, last, (last - period.start).days + 1 if views else 1, since)
            found[name] = uptime_percent(days)
        return found

    def review(self, period: Period, previous: Period | None = None) -> Review:
        """`period` against `previous` (default: the period of the same kind before it)."""
        current, before = self.figures(period), self.figures(previous or period.previous())
        return Review(
            today=self.kb.today,
            current=current,
            previous=before,
            severities=_ordered(self.policy.severities, (current.by_severity(), before.by_severity()), last="unknown"),
            services=_ordered(self.policy.service_names, (current.by_service(), before.by_service())),
            recurring=recurring_in(self._recurring, period),
            owners=completion_by_owner(current.opened, current.judged),
            fixes=tuple(sorted(self._fixes.within(period), key=lambda fix: self._fix_order[id(fix)])),
            owed=tuple((pm, tuple(owed)) for pm in current.records if (owed := communications_owed(pm, self.policy))),
            availability=tuple(
                Availability(name, self.policy.targets.get(name), current.availability[name], before.availability[name])
                for name in self.policy.components
            ),
            definitions=definitions(self.policy, current),
        )


class _ByDay(Generic[T]):
    """Values sorted by a day (`day_of`), for the values of a period by bisection."""

    def __init__(self, values: list[T], day_of: Callable[[T], date]):
        self.values, self.days = values, [day_of(value).toordinal() for value in values]

    def within(self, period: Period) -> list[T]:
        first = bisect.bisect_left(self.days, period.start.toordinal())
        return self.values[first : bisect.bisect_right(self.days, period.end.toordinal())]

    def until(self, day: date) -> list[T]:
        return self.values[: bisect.bisect_right(self.days, day.toordinal())]


def _closed_day(entry: ActionItemEntry) -> date:
    """The day an item was closed; only asked of those with a `closed` date."""
    assert entry.item.closed is not None
    return entry.item.closed


def _started_moment(record: Postmortem) -> datetime:
    assert record.started is not None
    return record.started


def _started_day(record: Postmortem | PublicView) -> date:
    """The UTC date a record started on; only asked of those with a start."""
    assert record.started is not None
    return record.started.date()


def shown_postmortems(kb: KnowledgeBase) -> list[Postmortem]:
    """What a build of `kb` shows, newest first: `kb.published()`, and of two files with one ID (a `duplicate-id`
    error) the first, as the build keeps it."""
    first: dict[str, Postmortem] = {}
    for pm in kb.published():
        first.setdefault(pm.id, pm)
    return [pm for pm in kb.published() if first[pm.id] is pm]


def _ordered(known: Sequence[str], counts: Iterable[dict[str, int]], last: str = "") -> tuple[str, ...]:
    """The names with a count in either period: those of `known` in its order, then the others by name, `last` last."""
    found = {name for count in counts for name, n in count.items() if n}
    others = sorted(found - set(known), key=lambda name: (name == last, name))
    return (*(name for name in known if name in found), *others)


def recurring_in(causes: Iterable[tuple[Recurring, _ByDay[Postmortem]]], period: Period) -> tuple[RecurringCause, ...]:
    """The recurring causes (`Indexes.recurring`, each with its dated incidents by day) with an incident in `period`
    and two or more up to its end: most incidents in the period first, then most up to its end, then by service and
    category."""
    found = []
    for recurring, dated in causes:
        mine, to_date = dated.within(period), len(dated.until(period.end))
        if mine and to_date >= 2:
            found.append(RecurringCause(recurring.service, recurring.category, tuple(mine[::-1]), to_date))
    found.sort(key=lambda r: (-len(r.in_period), -r.to_date, r.service, r.category))
    return tuple(found)


def completion_by_owner(opened: Iterable[ActionItemEntry], judged: date) -> tuple[OwnerCompletion, ...]:
    """Per owner of an item in `opened`, its items' state on `judged`; owners by name, whatever the case."""
    by_owner: dict[str, list[ActionItem]] = {}
    for entry in opened:
        by_owner.setdefault(entry.item.owner, []).append(entry.item)
    rows = []
    for owner, items in by_owner.items():
        states = [state_on(item, judged) for item in items]
        rows.append(
            OwnerCompletion(
                owner,
                len(items),
                states.count("done"),
                states.count("wont-do"),
                states.count("open"),
                sum(overdue_on(item, judged) for item in items),
            )
        )
    return tuple(sorted(rows, key=lambda row: (row.owner.casefold(), row.owner)))


def definitions(policy: Policy, current: Figures) -> dict[str, str]:
    """What each figure of a review means, in words, keyed by the section it belongs to; every output prints them."""
    customers = " or ".join(policy.customer_notice_for) or "no"
    judged = current.judged.isoformat()
    return {
        "incidents": (
            "An incident is a record the site shows (drafts only with `include_drafts`) of `kind: incident` whose "
            "`started` falls in the period, by its UTC date. Maintenance is no incident. An incident counts once "
            "for each service in `services`; one without a severity counts as `unknown`."
        ),
        "response": (
            "Time to detect, mitigate and resolve: from `started` to `detected`, `mitigated` and `resolved`, for each "
            "incident of the period with both times known to the minute and in order; the others are counted as "
            "missing. The median and the 90th percentile (p90) are interpolated linearly between the closest ranks, "
            "as on the metrics page: the median of 1, 2, 3 and 4 minutes is 2.5 minutes, their p90 3.7 minutes. "
            f"With fewer than {SMALL_SAMPLE} incidents a median or p90 says little: such figures are marked "
            "(small sample)."
        ),
        "recurring": (
            "A recurring cause is a root-cause category on a service (the cause's own `service`, else each service "
            "of its incident) that an incident of the period had and that two or more incidents had up to the "
            "period's end, maintenance aside: the root causes page's recurring causes, as of the period."
        ),
        "action_items": (
            "Opened: the action items of the period's incidents and maintenance (an item is opened with its "
            "postmortem, on the UTC date of its `started`). Closed: the items with a `closed` date in the period, "
            f"done or won't do, whichever postmortem they belong to. Overdue: the items open on {judged} (the "
            "period's last day, or the day of the report if the period is not over) and due before it, as the "
            "action items page judges a day; an item closed after that day counts as open on it, one closed without "
            "a `closed` date as closed."
        ),
        "owners": (
            f"Per owner, the items opened in the period and their state on {judged}: done, won't do, open, and of "
            "the open ones overdue. Completion is done out of opened less won't do."
        ),
        "fixes": (
            "A fix that did not hold: an incident of the period had a root cause (service and category) that an "
            "earlier incident had too, and an action item of the earlier incident that addressed it was done, its "
            "`closed` date before this incident started: the root causes page's recurred after done."
        ),
        "communications": (
            "What the communication policy still requires of the period's incidents and maintenance, missing or "
            f"late, as the communications page shows it: customers are told of every {customers} incident with a "
            "public summary"
            f"; {reporting_policy(policy)}."
        ),
        "availability": (
            "Availability is each public component's uptime over the period's days up to the day of the report, "
            "computed as the status site computes it from the public incidents alone. "
            + FORMULA.replace("this page was last updated", "the end of that day")
            + " The target is the component's `status_page.targets`; it is met when the availability is at least "
            "the target."
        ),
    }


# The pages.


def review_pages(kb: KnowledgeBase, indexes: Indexes) -> list[PageSpec]:
    """`/reviews/`, which lists every quarter with an incident (newest first), and a review page per such quarter
    against the quarter before it."""
    reviewer = Reviewer(kb, indexes)
    quarters = sorted(
        {quarter_of(pm.started) for pm in indexes.postmortems if pm.started is not None and not pm.is_maintenance},
        reverse=True,
    )
    reviews = [reviewer.review(quarter(int(label[:4]), int(label[-1]))) for label in quarters]
    pages = [
        PageSpec(
            review_page(review.period.slug),
            f"Review of {review.period.label}",
            "review",
            {"review": review, "reviews": REVIEWS, "limit": REVIEW_ROWS},
        )
        for review in reviews
    ]
    listing = [(review_page(review.period.slug), review) for review in reviews]
    return [PageSpec(REVIEWS, "Period reviews", "reviews", {"reviews": listing, "today": kb.today}), *pages]

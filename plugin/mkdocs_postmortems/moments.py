"""One truth about time and state: whether a record is over, when it ended for customers, what state it is in at
the build's time and how long it lasted, decided here once and read by every page, feed and API, internal and public.

- **When it ended, for customers** (`customers_affected_until`): an incident's last `resolved` update that was said
  (a public update or a status-page post, as `said.said_updates` gives them to the status site), else `mitigated`,
  else `resolved`; when it is over and none is known, the time is unknown. The internal `resolved` (when the team
  closed it) stays on internal pages, labelled as such. A maintenance ends with its window (`resolved`).
- **Over**: an incident is over once it has such an end: it was resolved (`resolved`, at a known time or not), a
  `resolved` update was posted (customers were told), or its lifecycle says so (`draft`, `in-review`, `published`:
  the live record became its postmortem). A maintenance is over once its window has ended at the build's time.
- **State** (`phase`): an incident is `ongoing` until over, then `resolved`; a maintenance is `scheduled` before
  `started`, `in_progress` from it, `verifying` from `mitigated` (the work done), `completed` from the end of its
  window, all judged against the build's time (`build_moment`); a time known only to the day by the day.
- **Duration** (`State.duration_text`): of something over, from its start to when it ended for customers; of
  something not over, said so ("not over, ongoing since …", "not started, 2 h 0 min planned"), never an empty value.

`window(pm)` is the record's window as customers lived it; the public view (`status_site/public.py`) carries
exactly that, so `phase()` and `state_of()` say the same of a postmortem and of its public view. Times are UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Protocol

from .dates import in_utc, iso_z, judging_time, utc_minute
from .model import NO_TIME, Postmortem, PublicUpdate, moment_text
from .policy import LIVE, PUBLISHED
from .status_site.said import disclosed, said_updates

ONGOING, RESOLVED = "ongoing", "resolved"  # an incident's phases
SCHEDULED, IN_PROGRESS, VERIFYING, COMPLETED = "scheduled", "in_progress", "verifying", "completed"  # Statuspage's
OVER = (RESOLVED, COMPLETED)
OVER_BY_LIFECYCLE = ("draft", "in-review", PUBLISHED)  # the live record became its postmortem: the incident is over
# What ended an incident for customers (`End.by`): its last resolved update, its mitigation, its resolution, or its
# lifecycle alone (over, at a time nobody wrote down); a maintenance's window.
BY_UPDATE, BY_MITIGATION, BY_RESOLUTION, BY_LIFECYCLE, BY_WINDOW = "update", "mitigated", "resolved", "state", "window"
ENDED_BY = {
    BY_UPDATE: "the last resolved update",
    BY_MITIGATION: "mitigated",
    BY_RESOLUTION: "resolved",
    BY_LIFECYCLE: "time not recorded",
    BY_WINDOW: "end of the window",
}


class Timed(Protocol):
    """A record's window as customers lived it: `resolved` is when it ended for them (a `Window`, a `PublicView`)."""

    @property
    def kind(self) -> str: ...
    @property
    def started(self) -> datetime | None: ...
    @property
    def mitigated(self) -> datetime | None: ...
    @property
    def resolved(self) -> datetime | None: ...
    @property
    def precision(self) -> Mapping[str, str]: ...


@dataclass(frozen=True)
class End:
    """When a record ended for customers: `at` (None: time unknown), how precisely (`precision`: None to the minute,
    `DAY`, `NO_TIME`) and what says so (`by`: `BY_UPDATE`...)."""

    at: datetime | None
    precision: str | None
    by: str


@dataclass(frozen=True)
class Window:
    """A record's window as customers lived it (`window()`): its start and mitigation as written, and as `resolved`
    when it ended for them; `precision` as `Postmortem.precision`, its `resolved` that of the end."""

    kind: str
    started: datetime | None
    mitigated: datetime | None
    resolved: datetime | None
    precision: Mapping[str, str] = field(default_factory=dict)
    ended_by: str = ""  # `End.by`, empty while not over


def said(pm: Postmortem) -> tuple[PublicUpdate, ...]:
    """The updates the status site gives of `pm` (`said.said_updates`, its posts alone while `disclosed` says so)."""
    return said_updates(pm, posts_only=disclosed(pm) == "posts")


def customers_affected_until(pm: Postmortem, updates: Iterable[PublicUpdate] | None = None) -> End | None:
    """When `pm` ended for customers, or None while it has not (see the module's docstring). `updates`: those its
    public view shows (default: `said(pm)`)."""
    if pm.is_maintenance:
        return End(pm.resolved, pm.precision.get("resolved"), BY_WINDOW) if pm.happened("resolved") else None
    told = [update.at for update in (said(pm) if updates is None else updates) if update.status == RESOLVED]
    if not (told or pm.happened("resolved") or pm.status in OVER_BY_LIFECYCLE):
        return None
    timed = [moment for moment in told if moment is not None]
    if timed:
        return End(max(timed, key=in_utc), None, BY_UPDATE)
    for name, by in (("mitigated", BY_MITIGATION), ("resolved", BY_RESOLUTION)):
        if pm.happened(name):
            return End(getattr(pm, name), pm.precision.get(name), by)
    return End(None, NO_TIME, BY_LIFECYCLE)


def window(pm: Postmortem, updates: Iterable[PublicUpdate] | None = None) -> Window:
    """`pm`'s window as customers lived it: what its public view carries, and what its state is judged by."""
    precision = {name: pm.precision[name] for name in ("started", "mitigated") if name in pm.precision}
    end = customers_affected_until(pm, updates)
    if end is not None and end.precision is not None:
        precision["resolved"] = end.precision
    return Window(
        pm.kind,
        pm.started,
        pm.mitigated,
        end.at if end is not None else None,
        precision,
        end.by if end is not None else "",
    )


def _as_window(record: Postmortem | Timed) -> Timed:
    return window(record) if isinstance(record, Postmortem) else record


def is_closed(record: Timed) -> bool:
    """It has an end, at a known time or not (`resolved: unknown`)."""
    return record.resolved is not None or record.precision.get("resolved") == NO_TIME


def phase(record: Postmortem | Timed, now: datetime | None = None, today: date | None = None) -> str:
    """The record's state: an incident `ongoing` or `resolved`; a maintenance `scheduled`, `in_progress`,
    `verifying` or `completed` at the build's time `now` (a time known only to the day, or any time without `now`,
    by the day `today`, which defaults to `now`'s). A postmortem is judged by its `window()`."""
    timed = _as_window(record)
    if timed.kind != "maintenance":
        return RESOLVED if is_closed(timed) else ONGOING
    if today is None:
        if now is None:
            raise ValueError("a maintenance's state needs the build's time or day")
        today = in_utc(now).date()

    def reached(name: str) -> bool:
        moment = getattr(timed, name)
        if moment is None:
            return False
        if now is not None and name not in timed.precision:
            return in_utc(moment) <= in_utc(now)
        return moment.date() <= today if name != "resolved" else moment.date() < today

    if is_closed(timed) and (timed.resolved is None or reached("resolved")):
        return COMPLETED
    if reached("mitigated"):
        return VERIFYING
    if reached("started"):
        return IN_PROGRESS
    return SCHEDULED


def span_text(span: timedelta | None) -> str:
    """`1 h 12 min`, `3 d 4 h`, `45 min`; empty when unknown or negative (a data error, reported elsewhere)."""
    if span is None or span < timedelta(0):
        return ""
    minutes = int(span.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


@dataclass(frozen=True)
class State:
    """What a record is at the build's time, as every page, feed and API says it (`state_of`)."""

    kind: str
    phase: str
    started: datetime | None
    started_text: str  # `moment_text` of the start
    started_exact: bool  # known to the minute
    ended: datetime | None  # when it ended for customers (a maintenance: its window's end, planned or past)
    ended_text: str  # `moment_text` of the end, "unknown" when over at a time not known; empty when none
    ended_by: str  # `End.by`, empty without an end
    span: timedelta | None  # start to end, both known to the minute and in order
    lifecycle: str = ""  # the postmortem's `status`; empty for a public view

    @property
    def label(self) -> str:
        """The phase in words: `ongoing`, `resolved`, `scheduled`, `in progress`, `verifying`, `completed`."""
        return self.phase.replace("_", " ")

    @property
    def over(self) -> bool:
        return self.phase in OVER

    @property
    def live(self) -> bool:
        """Not over: an incident still ongoing, a maintenance not yet completed (scheduled too)."""
        return not self.over

    @property
    def status(self) -> str:
        """What its status reads: a live record's (`ongoing` lifecycle) is its phase, since that is all it is yet;
        a postmortem's lifecycle (`draft`... `published`, `imported`) otherwise."""
        return self.label if self.lifecycle in ("", LIVE) else self.lifecycle

    @property
    def duration_text(self) -> str:
        """How long it lasted for customers, or why that is not known yet; never empty."""
        lasted = span_text(self.span)
        if self.over:
            return lasted or "unknown"
        if self.kind != "maintenance":
            return f"not over, ongoing since {self.started_text}" if self.started_text else "not over"
        planned = f", {lasted} planned" if lasted else ""
        return f"not started{planned}" if self.phase == SCHEDULED else f"not over{planned}"

    @property
    def ended_note(self) -> str:
        """What the end was read from, for internal pages: `the last resolved update`, `mitigated`..."""
        return ENDED_BY.get(self.ended_by, "")

    @property
    def summary(self) -> str:
        """One line for a page: `resolved, customers affected until 2024-11-29 08:30 UTC (the last resolved update),
        1 h 28 min`; `not over: ongoing since …`; `scheduled: not started, 2 h 0 min planned`."""
        if self.kind == "maintenance":
            return f"{self.label}: {self.duration_text}"
        if not self.over:
            return f"not over: ongoing since {self.started_text}" if self.started_text else "not over"
        note = f" ({self.ended_note})" if self.ended_note and self.ended_by != BY_LIFECYCLE else ""
        lasted = f", {span_text(self.span)}" if self.span is not None else ""
        return f"{self.label}, customers affected until {self.ended_text or 'an unknown time'}{note}{lasted}"

    def ongoing_for(self, now: datetime) -> str:
        """`ongoing for 2 h 10 min as of 2026-11-30 23:00 UTC`, for a page that says when it was built; the
        `duration_text` otherwise (over, or a start not known to the minute)."""
        if self.over or self.phase == SCHEDULED or not self.started_exact or self.started is None:
            return self.duration_text
        lasted = span_text(in_utc(now) - in_utc(self.started))
        return f"{self.label} for {lasted} as of {utc_minute(now)}" if lasted else self.duration_text

    def as_record(self) -> dict:
        """For a JSON export: `phase`, `label`, `status`, `over`, `ended` (ISO, or None), `ended_by`, `minutes` (None
        while not over or unknown) and `duration` (`duration_text`)."""
        return {
            "phase": self.phase,
            "label": self.label,
            "status": self.status,
            "over": self.over,
            "ended": None if self.ended is None else iso_z(self.ended),
            "ended_by": self.ended_by or None,
            "minutes": self.span.total_seconds() / 60 if self.span is not None and self.over else None,
            "duration": self.duration_text,
        }


def state_of(record: Postmortem | Timed, now: datetime | None = None, today: date | None = None) -> State:
    """What `record` (a postmortem, judged by its `window()`, or a public view) is at the build's time `now` (see
    `phase`); a postmortem's state also knows its lifecycle."""
    timed = _as_window(record)
    current = phase(timed, now, today)
    precision = timed.precision
    end = timed.resolved
    exact = (
        timed.started is not None
        and end is not None
        and "started" not in precision
        and "resolved" not in precision
        and in_utc(end) >= in_utc(timed.started)
    )
    closed = is_closed(timed)
    return State(
        timed.kind,
        current,
        timed.started,
        moment_text(timed.started, precision.get("started")),
        timed.started is not None and "started" not in precision,
        end,
        moment_text(end, precision.get("resolved")) if closed else "",
        getattr(timed, "ended_by", "") or (BY_WINDOW if timed.kind == "maintenance" and closed else ""),
        in_utc(end) - in_utc(timed.started) if exact and end is not None and timed.started is not None else None,
        record.status if isinstance(record, Postmortem) else "",
    )


def build_moment(today: date | None = None) -> datetime:
    """The moment a build or a check judges states by: `dates.judging_time` (`SOURCE_DATE_EPOCH` when set) when
    it judges its own day, else midnight UTC of `today` (`--today`), as the status site's "last updated" is.
    `today` defaults to the build's day."""
    now = judging_time()
    today = now.date() if today is None else today
    return now if now.date() == today else datetime(today.year, today.month, today.day, tzinfo=timezone.utc)

"""The internal site's regulatory reporting: `/regulatory/`, every stage of every record with clocks
(`regulatory.clocks`), what is still owed first; `deadlines.json`, an entry per record, regime and stage; and
`deadlines.ics`, the stages still owed with a due time, for the team's calendar. Every record counts, a draft too: a
regulator's clock runs whatever the postmortem's review says. Internal only: the public build writes none of it, and
the leak gate refuses public text that names it (`status_site/leak_gate.py`, class `regulatory`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from ..model import Postmortem
from ..moments import span_text
from ..policy import Policy
from ..regulatory import (
    LATE,
    NOT_REPORTABLE,
    OPEN,
    OVERDUE,
    REGIME_NAMES,
    SUBMITTED,
    WAITING,
    Clock,
    clocks,
    in_zones,
)
from ..status_site.ical import calendar, escape_text, utc_text

REGULATORY_ROWS = 100  # stages per page: the list grows with the history, what is owed stays on the first page
OWED = (OVERDUE, OPEN, WAITING)  # the states of a stage still owed to a regulator, the most urgent first
PRODUCT = "-//mkdocs-postmortems//Regulatory deadlines//EN"  # the calendar's PRODID


@dataclass(frozen=True)
class Deadline:
    """One stage of one record's reporting: the record and the stage's clock at the build's time."""

    pm: Postmortem
    clock: Clock

    @property
    def owed(self) -> bool:
        return self.clock.state in OWED


def deadlines(postmortems: Iterable[Postmortem], policy: Policy, now: datetime) -> list[Deadline]:
    """Every stage of every record with clocks, soonest due first (a stage whose due time is unknown last), as
    `deadlines.json` lists them."""
    found = [Deadline(pm, clock) for pm in postmortems for clock in clocks(pm, policy, now)]
    return sorted(found, key=lambda d: (d.clock.due is None, d.clock.due or now, d.pm.id))


def listed(found: Sequence[Deadline]) -> list[Deadline]:
    """`found` as `/regulatory/` lists it: the stages still owed (overdue, open, waiting), soonest due first; then the
    past ones (submitted, late, not reportable), newest first (by submission, else due time; neither last)."""

    def newest_first(deadline: Deadline) -> tuple:
        moment = deadline.clock.submitted or deadline.clock.due
        return (moment is None, -moment.timestamp() if moment else 0.0, deadline.pm.id)

    return [d for d in found if d.owed] + sorted((d for d in found if not d.owed), key=newest_first)


def state_words(clock: Clock) -> str:
    """What a stage's state says in words: `open`, `overdue`, `submitted on time`, `submitted 1 h 5 min late`,
    `waiting: regulatory.aware is not recorded`, `not reportable: <reason>`. Never the time left: a page is read long
    after it is built, so it shows the due time itself, and the words are the same for every build that judges the
    stage alike."""
    if clock.state == LATE and clock.due is not None and clock.submitted is not None:
        return f"submitted {span_text(clock.submitted - clock.due)} late"
    if clock.state == SUBMITTED:
        return "submitted on time"
    if clock.state == WAITING:
        return f"waiting: {clock.waiting_on} is not recorded" if clock.waiting_on else "waiting"
    if clock.state == NOT_REPORTABLE:
        return f"not reportable: {clock.reason}" if clock.reason else "not reportable"
    return clock.state


def shown(clock: Clock, policy: Policy) -> tuple[str, str]:
    """A stage as the pages show it: its state in words (`state_words`) and its due time in UTC and the team's zone
    (`regulatory.in_zones`), "" when unknown."""
    return state_words(clock), in_zones(clock.due, policy) if clock.due else ""


def write_deadlines_calendar(out: TextIO, found: Iterable[Deadline], now: datetime) -> None:
    """`/regulatory/deadlines.ics`: an event at the due time of each stage still owed that has one, its UID the
    record's ID, regime and stage (so a calendar updates the same event when the record changes), `DTSTAMP` the
    build's time `now`."""
    events = [
        [
            f"UID:{d.pm.id}.{d.clock.regime}.{d.clock.stage}@regulatory.postmortems",
            f"DTSTAMP:{utc_text(now)}",
            f"DTSTART:{utc_text(d.clock.due)}",
            f"SUMMARY:{escape_text(f'{d.clock.title} ({REGIME_NAMES[d.clock.regime]}) due: {d.pm.title}')}",
            "DESCRIPTION:"
            + escape_text(
                f"{d.clock.title} ({REGIME_NAMES[d.clock.regime]}) for {d.pm.id} ({d.pm.path}): "
                f"{state_words(d.clock)}. Counts from {d.clock.counts_from}."
            ),
            "STATUS:CONFIRMED",
            "TRANSP:TRANSPARENT",
        ]
        for d in found
        if d.owed and d.clock.due is not None
    ]
    out.write(calendar("Regulatory deadlines", events, PRODUCT))

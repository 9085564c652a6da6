"""`action-item-drift`: an action item that says otherwise than the ticket it links to.

The tickets are what `postmortems sync` read from the trackers (`trackers.py`), each as a `Ticket` in our words: its
state as one of our statuses, the day it was closed, who it is assigned to. A build never reads a tracker, so the
rule finds nothing there (`Context.tickets` is empty); `sync` runs it with the tickets it read. Three fields are
compared:

- `status`: open and in progress are one state to a tracker that has only open and closed (GitHub, GitLab), so
  `open` against `in-progress` is no drift; an open item against a closed ticket is, and so is `done` against a
  ticket closed as not planned (`wont-do`), and a closed item against a ticket opened again.
- `closed`: the UTC day the ticket was closed, when the tracker says it; a `closed` date on an item whose ticket is
  open again is a drift too.
- `owner`, only when it can be compared: a handle (`@ana`) against the assignees' handles (GitHub and GitLab logins,
  Jira Data Center user names); a name against the assignees' names (GitLab, Jira) when the name is a person the
  postmortem knows (an author, a reviewer, or one of `blameless.names`). A team (`payments-team`) is never compared,
  nor an owner against a ticket assigned to nobody.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date

from ..diagnostics import Diagnostic, Level
from ..model import ActionItem, Postmortem
from ..policy import Policy
from .registry import Context, diagnostic, rule

CODE = "action-item-drift"
OPEN_STATUSES = ("open", "in-progress")


@dataclass(frozen=True)
class Person:
    """An assignee as an owner may be written: a `handle` (`@login`) and a display `name`, either possibly empty."""

    handle: str = ""
    name: str = ""


@dataclass(frozen=True)
class Ticket:
    """A ticket as `sync` read it: `status` one of our action-item statuses (`open`, `in-progress`, `done`,
    `wont-do`), `closed` the UTC day it was closed (None while open or when the tracker does not say), its
    `assignees`, and `said`, the tracker's own words for its state (`closed as not planned`, `Done (Won't Do)`)."""

    link: str
    status: str
    closed: date | None = None
    assignees: tuple[Person, ...] = ()
    said: str = ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class Drift:
    """One field of action item `index` that differs from its ticket: `ours` as the front matter has it, `theirs` as
    the ticket has it in front-matter terms ("" for none: no `closed` date)."""

    index: int
    link: str
    field: str
    ours: str
    theirs: str


def drifts(pm: Postmortem, tickets: Mapping[str, Ticket], names: frozenset[str] = frozenset()) -> list[Drift]:
    """Every drift of `pm`'s action items from the tickets they link to (those in `tickets`), item by item, in the
    order status, closed, owner. `names`: the people whose names an owner may be compared by, case-folded."""
    found: list[Drift] = []
    for index, item in enumerate(pm.action_items):
        ticket = tickets.get(item.link) if item.link else None
        if ticket is not None:
            found += _item_drifts(index, item, ticket, names | _known_people(pm))
    return found


def _item_drifts(index: int, item: ActionItem, ticket: Ticket, names: frozenset[str]) -> Iterator[Drift]:
    def drift(field: str, ours: str, theirs: str) -> Drift:
        return Drift(index, item.link, field, ours, theirs)

    if item.is_open != ticket.is_open or (not item.is_open and item.status != ticket.status):
        yield drift("status", item.status, ticket.status)
    ours_closed = item.closed.isoformat() if item.closed else ""
    if ticket.is_open and item.closed is not None:
        yield drift("closed", ours_closed, "")
    elif not ticket.is_open and ticket.closed is not None and item.closed != ticket.closed:
        yield drift("closed", ours_closed, ticket.closed.isoformat())
    assignee = assignee_for(item.owner, ticket.assignees, names)
    if assignee is not None and assignee.casefold() != item.owner.strip().casefold():
        yield drift("owner", item.owner, assignee)


def assignee_for(owner: str, assignees: tuple[Person, ...], names: frozenset[str]) -> str | None:
    """The assignee as `owner` would be written, when the two can be compared: `owner` itself if it is one of them,
    else the first assignee's handle (for a handle) or name (for a known person's name); None when they cannot be
    compared (a team, a ticket assigned to nobody, a handle against a tracker that gives only names)."""
    owner = owner.strip()
    if owner.startswith("@"):
        written = [person.handle for person in assignees if person.handle]
    elif owner.casefold() in names:
        written = [person.name for person in assignees if person.name]
    else:
        return None
    if not written:
        return None
    return next((each for each in written if each.casefold() == owner.casefold()), written[0])


def _known_people(pm: Postmortem) -> frozenset[str]:
    return frozenset(name.strip().casefold() for name in (*pm.authors, *pm.reviewers))


def message(item: ActionItem, found: Drift, ticket: Ticket) -> tuple[str, str]:
    """What a drift says, and how to fix it."""
    where = f"its ticket {found.link}"
    if found.field == "status":
        text = f"action item “{item.title}” is `{found.ours}` here, but {where} is {ticket.said or found.theirs}"
    elif found.field == "closed" and not found.theirs:
        text = f"action item “{item.title}” has `closed: {found.ours}` here, but {where} is open again"
    elif found.field == "closed":
        text = f"action item “{item.title}” was closed on {found.theirs} in {where}, not {found.ours or 'undated'} here"
    else:
        text = f"action item “{item.title}” is owned by {found.ours} here, but {where} is assigned to {found.theirs}"
    hint = "run `postmortems sync --write` to take the ticket's side and commit the change, or change the ticket"
    return text, hint


def drift_diagnostics(pm: Postmortem, tickets: Mapping[str, Ticket], policy: Policy) -> list[tuple[Drift, Diagnostic]]:
    """Each drift of `pm`'s items from `tickets`, with its diagnostic at the line of the field that differs (or of
    the item, when the field is missing), at the rule's level; none when `rule_levels` switches the rule off."""
    level = policy.level_of(CODE, Level.WARNING)
    if level is Level.OFF or not tickets:
        return []
    names = frozenset(name.strip().casefold() for name in policy.blameless_names)
    found: list[tuple[Drift, Diagnostic]] = []
    for each in drifts(pm, tickets, names):
        text, hint = message(pm.action_items[each.index], each, tickets[each.link])
        at = diagnostic(pm, ("action_items", each.index, each.field), CODE, text, hint)
        found.append((each, replace(at, level=level)))
    return found


@rule(
    CODE,
    Level.WARNING,
    "An action item's status, `closed` date or owner differs from its ticket's (reported by `postmortems sync`).",
    docs="trackers.md#drift",
)
def action_item_drift(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    """The drifts of `pm`'s items from the tickets `postmortems sync` read (`ctx.tickets`; none in a build)."""
    for _, found in drift_diagnostics(pm, ctx.tickets, ctx.policy):
        yield replace(found, level=Level.WARNING)  # the loader applies `rule_levels` to what a check yields

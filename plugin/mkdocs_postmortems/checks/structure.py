"""Rules on one postmortem's structure: its file name, the order of its times, its root-cause ids, reviewers and
action items. Each is declared in the registry beside its check."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from datetime import date

from ..diagnostics import Diagnostic, Level
from ..model import Postmortem
from .registry import Context, Scope, diagnostic, rule

FILE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$")
_TIMELINE = ("started", "detected", "mitigated", "resolved")
E, W = Level.ERROR, Level.WARNING


def _named_date(pm_id: str) -> date | None:
    """The date a `YYYY-MM-DD-slug` ID starts with; None if the ID has another form or no real date."""
    match = FILE_NAME.match(pm_id)
    try:
        return date.fromisoformat(match.group(1)) if match else None
    except ValueError:
        return None


@rule("file-name", E, "The file name is not `YYYY-MM-DD-slug.md`.")
def file_name(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if _named_date(pm.id) is None:
        yield diagnostic(
            pm,
            (),
            "file-name",
            f"file name `{pm.id}.md` is not `YYYY-MM-DD-short-slug.md`",
            "name it after the UTC start date and a lowercase slug, e.g. 2024-03-14-checkout-latency.md",
        )


@rule("file-date", E, "The file name's date is not the UTC date of `started`.")
def file_date(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    named = _named_date(pm.id)
    if named is not None and pm.started and named != pm.started.date():
        yield diagnostic(
            pm,
            ("started",),
            "file-date",
            f"file name date {named} is not the UTC date of `started` ({pm.started.date()})",
            f"rename the file to {pm.started.date()}{pm.id[10:]}.md or correct `started`",
        )


@rule("timestamp-order", E, "Not started ≤ detected ≤ mitigated ≤ resolved.")
def timestamp_order(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    previous = None
    for name in _TIMELINE:
        moment = getattr(pm, name)
        if moment is None:
            continue
        if previous and _before(pm, name, previous):
            yield diagnostic(
                pm,
                (name,),
                "timestamp-order",
                f"`{name}` is before `{previous}`",
                "the order must be started ≤ detected ≤ mitigated ≤ resolved; check the offsets",
            )
        previous = name


def _before(pm: Postmortem, name: str, other: str) -> bool:
    """`name` is before `other`; by date alone when either is known only to the day."""
    if name in pm.precision or other in pm.precision:
        return getattr(pm, name).date() < getattr(pm, other).date()
    return getattr(pm, name) < getattr(pm, other)


@rule("duplicate-root-cause-id", E, "Two root causes share an `id`.")
def duplicate_root_cause_ids(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    for index, cause in enumerate(pm.root_causes):
        if cause.id and cause.id in seen:
            yield diagnostic(
                pm,
                ("root_causes", index, "id"),
                "duplicate-root-cause-id",
                f"root cause id `{cause.id}` is used twice",
                "give each root cause its own id",
            )
        seen.add(cause.id)


@rule("unknown-root-cause", E, "An action item `addresses` an id no root cause has.")
def unknown_root_causes(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    seen = {cause.id for cause in pm.root_causes}
    for index, item in enumerate(pm.action_items):
        for position, cause_id in enumerate(item.addresses):
            if cause_id not in seen:
                known = ", ".join(c.id for c in pm.root_causes if c.id) or "none: add `id:` to the root causes"
                yield diagnostic(
                    pm,
                    ("action_items", index, "addresses", position),
                    "unknown-root-cause",
                    f"action item {index + 1} addresses `{cause_id}`, which is not a root cause id here",
                    f"root cause ids in this postmortem: {known}",
                )


@rule("reviewer-required", E, "In review or published without a reviewer.", states=("in-review", "published"))
def reviewers(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if not pm.reviewers and not pm.is_unknown("reviewers"):
        yield diagnostic(
            pm,
            ("status",),
            "reviewer-required",
            f"a postmortem {pm.status} needs a reviewer",
            "add `reviewers: [name]`, or set `status: draft`",
        )


@rule("action-item-overdue", W, "An open action item is past its due date.")
def overdue_action_items(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    for index, item in enumerate(pm.action_items):
        if item.is_overdue(ctx.today):
            yield diagnostic(
                pm,
                ("action_items", index, "due"),
                "action-item-overdue",
                f"action item “{item.title}” ({item.owner}) was due {item.due} and is still {item.status}",
                "finish it and set `status: done`, agree a new `due` date, or set `status: wont-do` with a `reason`",
            )


@rule("wont-do-reason", W, "An action item set to `wont-do` without a `reason`.")
def wont_do_reasons(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    for index, item in enumerate(pm.action_items):
        if item.status == "wont-do" and not item.reason:
            yield diagnostic(
                pm,
                ("action_items", index, "status"),
                "wont-do-reason",
                f"action item “{item.title}” is `wont-do` without a `reason`",
                "add `reason:` so readers know why the risk is accepted",
            )


@rule(
    "closed-date",
    W,
    "A done or won't-do action item without a `closed` date, or a `closed` date on an open item or after today.",
)
def closed_dates(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    for index, item in enumerate(pm.action_items):
        where = ("action_items", index, "closed")
        if not item.is_open and item.closed is None and not pm.is_unknown("action_items.closed"):
            yield diagnostic(
                pm,
                ("action_items", index, "status"),
                "closed-date",
                f"action item “{item.title}” is `{item.status}` without a `closed` date",
                "add `closed: YYYY-MM-DD`: later postmortems use it to tell whether the fix held",
            )
        elif item.is_open and item.closed is not None:
            yield diagnostic(
                pm,
                where,
                "closed-date",
                f"action item “{item.title}” is `{item.status}` but has a `closed` date",
                "remove `closed`, or set `status: done` or `wont-do`",
            )
        elif item.closed is not None and item.closed > ctx.today:
            yield diagnostic(
                pm,
                where,
                "closed-date",
                f"action item “{item.title}” is closed on {item.closed}, after today ({ctx.today})",
                "use the date it was actually closed",
            )


@rule(
    "action-items-missing",
    W,
    "A published postmortem of a severity that needs action items has none.",
    states=("published",),
)
def action_items_present(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if (
        pm.severity in ctx.policy.action_items_required_for
        and not pm.action_items
        and not pm.is_unknown("action_items")
    ):
        yield diagnostic(
            pm,
            ("severity",),
            "action-items-missing",
            f"a published {pm.severity} postmortem has no action items",
            "add `action_items` that address the root causes",
        )


def _given(pm: Postmortem, key: str) -> bool:
    """Whether the record gives `key` after all: for an action item's field, every item gives it."""
    if key.startswith("action_items."):
        name = key.split(".", 1)[1]  # given where written: the model fills in defaults (`status: open`)
        return bool(pm.action_items) and all(
            ("action_items", index, name) in pm.positions for index in range(len(pm.action_items))
        )
    if key in ("detected", "mitigated", "resolved"):
        return pm.happened(key)
    if key.startswith("impact."):
        return getattr(pm.impact, key.split(".", 1)[1]) not in ("", None)
    return key != "sections" and bool(getattr(pm, key))


@rule("unknown-given", W, "`provenance.unknown` lists a fact the record gives after all.")
def unknowns_given(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    for key in pm.provenance.unknown if pm.provenance else ():
        if _given(pm, key):
            yield diagnostic(
                pm,
                ("provenance", "unknown"),
                "unknown-given",
                f"`provenance.unknown` lists `{key}`, which the record now gives",
                f"remove `{key}` from `provenance.unknown`, so the rules check it again",
            )


EARLIEST_YEAR = 1970  # before any system a postmortem describes
ISOLATED_YEARS = 10  # a start this far from every other incident's is most likely a typo (1628 for 2024)


@rule(
    "date-implausible",
    W,
    "A date before 1970, after next year, or more than 10 years from every other incident's start.",
    scope=Scope.KNOWLEDGE_BASE,
)
def implausible_dates(postmortems: list[Postmortem], ctx: Context) -> Iterator[Diagnostic]:
    starts = ctx.starts if ctx.starts is not None else sorted(pm.started.year for pm in postmortems if pm.started)
    latest = ctx.today.year + 1
    for pm in postmortems:
        reported: set[int] = set()  # a year once per file: the first field that has it
        for name in (*_TIMELINE, "published_on"):
            moment = getattr(pm, name)
            if moment is None or moment.year in reported:
                continue
            year, reason = moment.year, ""
            if year < EARLIEST_YEAR or year > latest:
                reason = f"before {EARLIEST_YEAR}" if year < EARLIEST_YEAR else f"after {latest}"
            elif name == "started" and len(starts) >= 3 and _nearest_other(starts, year) > ISOLATED_YEARS:
                reason = f"more than {ISOLATED_YEARS} years from every other incident's start"
            if reason:
                reported.add(year)
                yield diagnostic(
                    pm,
                    (name,),
                    "date-implausible",
                    f"`{name}` is in {year}, {reason}",
                    "check the year for a typo; the pages chart the years around the newest incident",
                )


def _nearest_other(years: list[int], year: int) -> int:
    """How many years from `year` the nearest other year of the sorted `years` (which holds `year` once) is."""
    at = bisect.bisect_left(years, year)
    others = years[max(at - 1, 0) : at] + years[at + 1 : at + 2]
    return min((abs(other - year) for other in others), default=0)

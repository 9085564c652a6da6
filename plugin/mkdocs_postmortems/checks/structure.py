"""Validation rules over parsed postmortems. Each rule is a function that yields diagnostics.

A rule's default level is in `diagnostics.CODES`; a policy may raise, lower or switch off any of them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Callable, Iterable, Iterator

from ..diagnostics import CODES, Diagnostic
from ..model import Postmortem
from ..parsing.reader import did_you_mean
from ..policy import Policy

FILE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(```+|~~~+)")
_TIMELINE = ("started", "detected", "mitigated", "resolved")



class Context:
    """What a rule may look at besides the postmortem: the policy and the date to judge deadlines by."""

    def __init__(self, policy: Policy, today: date):
        self.policy = policy
        self.today = today


def diagnostic(pm: Postmortem, key_path: tuple, code: str, message: str, hint: str) -> Diagnostic:
    line, col = pm.position_of(*key_path)
    return Diagnostic(pm.path, line, col, code, message, hint, CODES[code][0])


def _named_date(pm_id: str) -> date | None:
    """The date a `YYYY-MM-DD-slug` ID starts with; None if the ID has another form or no real date."""
    match = FILE_NAME.match(pm_id)
    try:
        return date.fromisoformat(match.group(1)) if match else None
    except ValueError:
        return None


def file_name(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    named = _named_date(pm.id)
    if named is None:
        yield diagnostic(pm, (), "file-name", f"file name `{pm.id}.md` is not `YYYY-MM-DD-short-slug.md`",
                          "name it after the UTC start date and a lowercase slug, e.g. 2024-03-14-checkout-latency.md")
    elif pm.started and named != pm.started.date():
        yield diagnostic(pm, ("started",), "file-date",
                          f"file name date {named} is not the UTC date of `started` ({pm.started.date()})",
                          f"rename the file to {pm.started.date()}{pm.id[10:]}.md or correct `started`")


def timestamp_order(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    previous = None
    for name in _TIMELINE:
        moment = getattr(pm, name)
        if moment is None:
            continue
        if previous and _before(pm, name, previous):
            yield diagnostic(pm, (name,), "timestamp-order", f"`{name}` is before `{previous}`",
                              "the order must be started ≤ detected ≤ mitigated ≤ resolved; check the offsets")
        previous = name


def _before(pm: Postmortem, name: str, other: str) -> bool:
    """`name` is before `other`; by date alone when either is known only to the day."""
    if name in pm.precision or other in pm.precision:
        return getattr(pm, name).date() < getattr(pm, other).date()
    return getattr(pm, name) < getattr(pm, other)


def root_cause_ids(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    for index, cause in enumerate(pm.root_causes):
        if cause.id and cause.id in seen:
            yield diagnostic(pm, ("root_causes", index, "id"), "duplicate-root-cause-id",
                              f"root cause id `{cause.id}` is used twice", "give each root cause its own id")
        seen.add(cause.id)
    for index, item in enumerate(pm.action_items):
        for position, cause_id in enumerate(item.addresses):
            if cause_id not in seen:
                known = ", ".join(c.id for c in pm.root_causes if c.id) or "none: add `id:` to the root causes"
                yield diagnostic(pm, ("action_items", index, "addresses", position), "unknown-root-cause",
                                  f"action item {index + 1} addresses `{cause_id}`, which is not a root cause id here",
                                  f"root cause ids in this postmortem: {known}")


def reviewers(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if pm.status in ("in-review", "published") and not pm.reviewers and not pm.is_unknown("reviewers"):
        yield diagnostic(pm, ("status",), "reviewer-required", f"a postmortem {pm.status} needs a reviewer",
                          "add `reviewers: [name]`, or set `status: draft`")


def overdue_action_items(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    for index, item in enumerate(pm.action_items):
        if item.is_overdue(ctx.today):
            yield diagnostic(pm, ("action_items", index, "due"), "action-item-overdue",
                              f"action item “{item.title}” ({item.owner}) was due {item.due} and is still {item.status}",
                              "finish it and set `status: done`, agree a new `due` date, or set `status: wont-do` with a `reason`")


def wont_do_reasons(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    for index, item in enumerate(pm.action_items):
        if item.status == "wont-do" and not item.reason:
            yield diagnostic(pm, ("action_items", index, "status"), "wont-do-reason",
                              f"action item “{item.title}” is `wont-do` without a `reason`",
                              "add `reason:` so readers know why the risk is accepted")


def closed_dates(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    for index, item in enumerate(pm.action_items):
        where = ("action_items", index, "closed")
        if not item.is_open and item.closed is None and not pm.is_unknown("action_items.closed"):
            yield diagnostic(pm, ("action_items", index, "status"), "closed-date",
                              f"action item “{item.title}” is `{item.status}` without a `closed` date",
                              "add `closed: YYYY-MM-DD`: later postmortems use it to tell whether the fix held")
        elif item.is_open and item.closed is not None:
            yield diagnostic(pm, where, "closed-date", f"action item “{item.title}” is `{item.status}` but has a `closed` date",
                              "remove `closed`, or set `status: done` or `wont-do`")
        elif item.closed is not None and item.closed > ctx.today:
            yield diagnostic(pm, where, "closed-date", f"action item “{item.title}” is closed on {item.closed}, after today ({ctx.today})",
                              "use the date it was actually closed")


def action_items_present(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if pm.status == "published" and pm.severity in ctx.policy.action_items_required_for and not pm.action_items \
            and not pm.is_unknown("action_items"):
        yield diagnostic(pm, ("severity",), "action-items-missing",
                          f"a published {pm.severity} postmortem has no action items",
                          "add `action_items` that address the root causes")


def body_headings(body: str) -> list[str]:
    """The text of every ATX heading of a Markdown body, skipping fenced code."""
    headings, fence = [], None
    for line in body.split("\n"):
        marker = _FENCE.match(line)
        if marker:
            if fence is None:
                fence = marker.group(1)[0]
            elif marker.group(1)[0] == fence:
                fence = None
            continue
        heading = _HEADING.match(line) if fence is None else None
        if heading:
            headings.append(heading.group(2))
    return headings


def _given(pm: Postmortem, key: str) -> bool:
    """Whether the record gives `key` after all: for an action item's field, every item gives it."""
    if key.startswith("action_items."):
        name = key.split(".", 1)[1]  # given where written: the model fills in defaults (`status: open`)
        return bool(pm.action_items) and all(("action_items", index, name) in pm.positions
                                             for index in range(len(pm.action_items)))
    if key in ("detected", "mitigated", "resolved"):
        return pm.happened(key)
    if key.startswith("impact."):
        return getattr(pm.impact, key.split(".", 1)[1]) not in ("", None)
    return key != "sections" and bool(getattr(pm, key))


def unknowns_given(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    for key in pm.provenance.unknown if pm.provenance else ():
        if _given(pm, key):
            yield diagnostic(pm, ("provenance", "unknown"), "unknown-given",
                             f"`provenance.unknown` lists `{key}`, which the record now gives",
                             f"remove `{key}` from `provenance.unknown`, so the rules check it again")


FILE_RULES: tuple[Callable[[Postmortem, Context], Iterable[Diagnostic]], ...] = (
    file_name, timestamp_order, root_cause_ids, reviewers, overdue_action_items, closed_dates, wont_do_reasons,
    action_items_present, unknowns_given,
)


def check_postmortem(pm: Postmortem, ctx: Context) -> list[Diagnostic]:
    """All single-file rules on one postmortem."""
    return [d for rule in FILE_RULES for d in rule(pm, ctx)]


def check_references(postmortems: list[Postmortem], other_ids: Iterable[str] = ()) -> list[Diagnostic]:
    """Rules across files: IDs are unique and every `related` ID exists among `postmortems` or `other_ids`.

    One pass and a set lookup per reference, so it stays linear in the number of postmortems.
    """
    first_path: dict[str, str] = {}
    found = []
    for pm in postmortems:
        if pm.id in first_path:
            found.append(diagnostic(pm, (), "duplicate-id", f"another file is also named `{pm.id}.md`: {first_path[pm.id]}",
                                     "IDs are file names and must be unique across folders; rename one"))
        first_path.setdefault(pm.id, pm.path)
    known = set(first_path).union(other_ids)
    for pm in postmortems:
        for index, other in enumerate(pm.related):
            if other not in known:
                otherwise = "use the file name of a postmortem, without `.md`"
                # difflib costs a pass over every ID: only for the first few per file
                hint = did_you_mean(other, known, otherwise) if index < 10 else otherwise
                found.append(diagnostic(pm, ("related", index), "unknown-related",
                                         f"`related` names `{other}`, which is not a postmortem", hint))
    return found

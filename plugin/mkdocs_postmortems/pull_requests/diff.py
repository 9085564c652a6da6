"""A semantic diff of two versions of a postmortem's front matter: what a reviewer wants to see change.

Action items are matched by title, or by position when the title changed but the owner did not; root causes by
`id`, or by their whole content when they have none.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from ..model import ActionItem, Postmortem, RootCause

CLOSED_STATUSES = ("done", "wont-do")
# Front-matter fields a reviewer wants to see change, in this order.
REVIEWED_FIELDS = ("title", "status", "severity", "services")


@dataclass(frozen=True)
class FieldChange:
    """One field's value before and after, as text; `""` where there was none."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class ActionItemChange:
    """An action item `added`, `changed`, `closed` (now done or won't do) or `removed`; `item` as it is now
    (as it was, for `removed`)."""

    change: str
    item: ActionItem
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class RootCauseChange:
    """A root cause `added`, `changed` (same id, other content) or `removed`."""

    change: str
    cause: RootCause
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class FrontMatterDiff:
    """What changed in a postmortem's front matter that a reviewer cares about."""

    fields: tuple[FieldChange, ...] = ()
    root_causes: tuple[RootCauseChange, ...] = ()
    action_items: tuple[ActionItemChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.fields or self.root_causes or self.action_items)


def diff_postmortems(before: Postmortem | None, after: Postmortem | None) -> FrontMatterDiff:
    """The semantic diff of two versions of a postmortem (None: it did not exist, or was deleted).

    Action items are matched by title, then, for a retitled one, by position when the owner is the same;
    root causes by `id`, or by their whole content when they have none.
    """
    fields = _field_changes(before, after, REVIEWED_FIELDS) if before and after else ()
    return FrontMatterDiff(
        fields,
        tuple(_root_cause_changes(before.root_causes if before else (), after.root_causes if after else ())),
        tuple(_action_item_changes(before.action_items if before else (), after.action_items if after else ())),
    )


def _action_item_changes(before: Sequence[ActionItem], after: Sequence[ActionItem]) -> list[ActionItemChange]:
    matched: dict[int, int] = {}  # index in `after` -> index in `before`
    free = list(range(len(before)))
    for index, item in enumerate(after):
        same_title = next((i for i in free if before[i].title == item.title), None)
        if same_title is not None:
            matched[index] = same_title
            free.remove(same_title)
    for index, item in enumerate(after):
        if index not in matched and index in free and before[index].owner == item.owner:
            matched[index] = index
            free.remove(index)
    changes = []
    for index, item in enumerate(after):
        if index not in matched:
            changes.append(ActionItemChange("added", item))
            continue
        old = before[matched[index]]
        fields = _field_changes(old, item, [f.name for f in dataclasses.fields(ActionItem)])
        if fields:
            closed = item.status in CLOSED_STATUSES and old.status not in CLOSED_STATUSES
            changes.append(ActionItemChange("closed" if closed else "changed", item, fields))
    changes.extend(ActionItemChange("removed", before[i]) for i in free)
    return changes


def _root_cause_changes(before: Sequence[RootCause], after: Sequence[RootCause]) -> list[RootCauseChange]:
    def key(cause: RootCause):
        return cause.id or (cause.kind, cause.category, cause.summary)

    old: dict = {}
    for cause in before:
        old.setdefault(key(cause), cause)
    changes, kept = [], set()
    for cause in after:
        kept.add(key(cause))
        previous = old.get(key(cause))
        if previous is None:
            changes.append(RootCauseChange("added", cause))
        elif previous != cause:
            changes.append(
                RootCauseChange(
                    "changed", cause, _field_changes(previous, cause, [f.name for f in dataclasses.fields(RootCause)])
                )
            )
    changes.extend(RootCauseChange("removed", cause) for k, cause in old.items() if k not in kept)
    return changes


def _field_changes(before, after, names: Iterable[str]) -> tuple[FieldChange, ...]:
    pairs = ((name, value_text(getattr(before, name)), value_text(getattr(after, name))) for name in names)
    return tuple(FieldChange(name, old, new) for name, old, new in pairs if old != new)


def value_text(value) -> str:
    """A front-matter value as a reviewer reads it: dates ISO, lists comma-separated, none as `""`."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return ", ".join(map(value_text, value))
    return str(value)


# --- what `pr-summary` shows -----------------------------------------------------------------------

"""Cross-incident indexes: root causes, action items, services, facets, backlinks and similar incidents.

Everything is built from the postmortems a site shows in a few linear passes; nothing compares every
postmortem with every other one, so a knowledge base of thousands builds as fast per postmortem as one of ten.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from ..dates import minutes, newest_plausible, quarter_of, recent_quarters
from ..model import ActionItem, Postmortem, RootCause
from ..policy import ROOT_CAUSE_KINDS, Policy
from ..similarity import Similar, similar_incidents
from .stats import Distribution, distribution

# How each list is ordered, in the words the pages use beside it: each sits next to the key that sorts by it.
URGENCY = (
    "by priority, then the incident's severity (worst first), then how many incidents share the root cause the item "
    "addresses (more first), then due date (earliest first)"
)
OVERDUE_FIRST = f"overdue first, then {URGENCY}"
BY_IMPACT = "by impact (the longest total time users were affected first), then by number of incidents"
BY_OVERDUE = "most overdue items first, then most open items, then by name"
_EPOCH = datetime.min.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class ActionItemEntry:
    """An action item with its stable ID `<postmortem-id>#<n>` (n from 1, in file order) and its context."""

    id: str
    item: ActionItem
    postmortem: Postmortem
    recurrence: int  # most incidents sharing a (service, category) of a root cause this item addresses
    overdue: bool

    @property
    def anchor(self) -> str:
        """An HTML id for the item's row (`#` is not welcome in fragment identifiers)."""
        return "ai-" + self.id.replace("#", "-")


@dataclass(frozen=True)
class CauseEntry:
    postmortem: Postmortem
    cause: RootCause


@dataclass(frozen=True)
class Recurring:
    """The same root-cause category on the same service in two or more incidents, oldest first."""

    service: str
    category: str
    postmortems: tuple[Postmortem, ...]


@dataclass(frozen=True)
class RecurredAfterFix:
    """`later` has a root cause (service + category) that `earlier` had too, and `fix` addressed it,
    marked done on `fix.item.closed`, before `later` started: the fix did not hold."""

    later: Postmortem
    earlier: Postmortem
    service: str
    category: str
    fix: ActionItemEntry


@dataclass
class CategoryIndex:
    name: str
    description: str
    by_kind: dict[str, list[CauseEntry]] = field(default_factory=lambda: {kind: [] for kind in ROOT_CAUSE_KINDS})
    postmortems: list[Postmortem] = field(default_factory=list)  # distinct, newest first

    @property
    def count(self) -> int:
        return sum(len(entries) for entries in self.by_kind.values())


@dataclass
class ServiceIndex:
    name: str
    description: str
    postmortems: list[Postmortem] = field(default_factory=list)  # newest first
    open_items: list[ActionItemEntry] = field(default_factory=list)  # most urgent first (`URGENCY`)
    recurring: list[Recurring] = field(default_factory=list)

    @property
    def impact_minutes(self) -> float:
        """Minutes users were affected, summed over the incidents whose duration is known."""
        return sum(minutes(pm.duration) for pm in self.postmortems if pm.duration is not None)

    @property
    def time_to_detect(self) -> Distribution:
        return distribution(minutes(pm.time_to_detect) for pm in self.postmortems)

    @property
    def time_to_resolve(self) -> Distribution:
        return distribution(minutes(pm.time_to_resolve) for pm in self.postmortems)


@dataclass
class Indexes:
    """All cross-incident views of the postmortems a site shows (`postmortems`, newest first)."""

    postmortems: list[Postmortem]
    categories: list[CategoryIndex]
    quarters: list[str]  # the trend's window: the newest `policy.trend_quarters` quarters, newest first
    quarterly: dict[str, list[int]]  # category -> incidents per quarter, aligned with `quarters`
    recurring: list[Recurring]
    recurred_after_fix: list[RecurredAfterFix]
    action_items: list[ActionItemEntry]  # by postmortem, newest first, then file order
    services: list[ServiceIndex]
    facets: dict[str, dict[str, list[Postmortem]]]  # a dimension of `urls.FACETS` -> value -> postmortems
    backlinks: dict[str, list[Postmortem]]
    similar: dict[str, list[Similar]]  # by what they say (`similarity`), most similar first
    items_by_postmortem: dict[str, list[ActionItemEntry]]

    def open_items(self, policy: Policy) -> list[ActionItemEntry]:
        """Open and in-progress items, most urgent first (`URGENCY`)."""
        return sorted((e for e in self.action_items if e.item.is_open), key=urgency(policy))

    def closed_items(self, status: str) -> list[ActionItemEntry]:
        """`done` or `wont-do` items, most recently closed first (undated last)."""
        return sorted(
            (e for e in self.action_items if e.item.status == status),
            key=lambda e: (-(e.item.closed or date.min).toordinal(), e.id),
        )


def urgency(policy: Policy):
    """The sort key of `URGENCY`: priority (the policy's order), the incident's severity, how many incidents share the
    root cause the item addresses, due date (none last), then the ID."""
    priority = {name: rank for rank, name in enumerate(policy.priorities)}
    severity = {name: rank for rank, name in enumerate(policy.severities)}
    return lambda e: (
        priority.get(e.item.priority, len(priority)),
        severity.get(e.postmortem.severity, len(severity)),
        -e.recurrence,
        e.item.due or date.max,
        e.id,
    )


def overdue_first(entries: list[ActionItemEntry]) -> list[ActionItemEntry]:
    """`entries` (most urgent first) with the overdue ones before the others, each in the order given: `OVERDUE_FIRST`."""
    return sorted(entries, key=lambda e: not e.overdue)


@dataclass(frozen=True)
class OwnerLoad:
    """One owner's open action items: how many, how many overdue, the earliest due date among those overdue."""

    owner: str
    open: int
    overdue: int
    oldest_due: date | None


def owners_by_overdue(entries: list[ActionItemEntry]) -> list[OwnerLoad]:
    """Every owner of an open item in `entries`, `BY_OVERDUE`; the name's order ignores case."""
    found: dict[str, list[ActionItemEntry]] = {}
    for entry in entries:
        if entry.item.is_open:
            found.setdefault(entry.item.owner, []).append(entry)
    loads = []
    for owner, items in found.items():
        late = [e.item.due for e in items if e.overdue and e.item.due]
        loads.append(OwnerLoad(owner, len(items), sum(e.overdue for e in items), min(late, default=None)))
    return sorted(loads, key=lambda load: (-load.overdue, -load.open, load.owner.casefold(), load.owner))


def services_by_impact(services: list[ServiceIndex]) -> list[ServiceIndex]:
    """`services` `BY_IMPACT`, then by name: those without an incident last."""
    return sorted(services, key=lambda s: (-s.impact_minutes, -len(s.postmortems), s.name))


def _started(pm: Postmortem) -> datetime:
    return pm.started or _EPOCH


def _causes(pm: Postmortem) -> tuple[RootCause, ...]:
    """The root causes that count across incidents: a maintenance's count for none."""
    return () if pm.is_maintenance else pm.root_causes


def cause_pairs(pm: Postmortem, cause: RootCause) -> list[tuple[str, str]]:
    """The (service, category) pairs a root cause counts for: its own `service`, else every affected one."""
    return [(service, cause.category) for service in ((cause.service,) if cause.service else pm.services)]


def build_indexes(postmortems: list[Postmortem], policy: Policy, today: date) -> Indexes:
    """Every cross-incident index of `postmortems` (as shown, newest first)."""
    chronological = sorted(postmortems, key=lambda pm: (_started(pm), pm.id))
    categories = {c.name: CategoryIndex(c.name, c.description) for c in policy.categories}
    services = {s.name: ServiceIndex(s.name, s.description) for s in policy.services}
    by_pair: dict[tuple[str, str], list[Postmortem]] = {}  # chronological, each incident once
    facets: dict[str, dict[str, list[Postmortem]]] = {
        "severity": {s: [] for s in policy.severities},
        "status": {},
        "service": {},
        "category": {c.name: [] for c in policy.categories},
        "year": {},
        "tag": {},
    }
    backlinks: dict[str, list[Postmortem]] = {}
    for pm in chronological:
        for pair in {pair for cause in _causes(pm) for pair in cause_pairs(pm, cause)}:
            by_pair.setdefault(pair, []).append(pm)
    for pm in postmortems:  # newest first, so every list below is too
        if pm.severity:  # none for maintenance, or when the source did not say
            facets["severity"].setdefault(pm.severity, []).append(pm)
        facets["status"].setdefault(pm.status, []).append(pm)
        for category in dict.fromkeys(cause.category for cause in _causes(pm)):
            facets["category"].setdefault(category, []).append(pm)
        for service in pm.services:
            facets["service"].setdefault(service, []).append(pm)
            services.setdefault(service, ServiceIndex(service, "")).postmortems.append(pm)
        if pm.started:
            facets["year"].setdefault(str(pm.started.year), []).append(pm)
        for tag in pm.tags:
            facets["tag"].setdefault(tag, []).append(pm)
        for other in pm.related:
            backlinks.setdefault(other, []).append(pm)
        for category in dict.fromkeys(cause.category for cause in _causes(pm)):
            categories.setdefault(category, CategoryIndex(category, "")).postmortems.append(pm)
        for cause in _causes(pm):
            categories[cause.category].by_kind.setdefault(cause.kind, []).append(CauseEntry(pm, cause))
    catalog = {name: rank for rank, name in enumerate(policy.service_names)}
    facets["service"] = dict(
        sorted(facets["service"].items(), key=lambda kv: (catalog.get(kv[0], len(catalog)), kv[0]))
    )
    facets["tag"] = dict(sorted(facets["tag"].items()))
    facets["year"] = dict(sorted(facets["year"].items(), reverse=True))
    facets["severity"] = {s: pms for s, pms in facets["severity"].items() if pms}
    facets["category"] = {c: pms for c, pms in facets["category"].items() if pms}
    facets["status"] = dict(sorted(facets["status"].items()))

    items_by_postmortem = {pm.id: _entries(pm, by_pair, today) for pm in postmortems}
    recurring = [
        Recurring(service, category, tuple(pms)) for (service, category), pms in by_pair.items() if len(pms) > 1
    ]
    recurring.sort(key=lambda r: (-len(r.postmortems), r.service, r.category))
    for recurrence in recurring:  # a cause's own `service` may be one no shown incident affected, or not in the catalog
        services.setdefault(recurrence.service, ServiceIndex(recurrence.service, "")).recurring.append(recurrence)
    action_items = [entry for pm in postmortems for entry in items_by_postmortem[pm.id]]
    for entry in sorted((e for e in action_items if e.item.is_open), key=urgency(policy)):
        for service in entry.postmortem.services:
            services[service].open_items.append(entry)
    dated = [pm.started for pm in chronological if pm.started]
    newest = newest_plausible(dated, today)
    quarters = recent_quarters(dated[0], newest, policy.trend_quarters) if newest else []
    return Indexes(
        postmortems=postmortems,
        categories=list(categories.values()),
        quarters=quarters,
        quarterly=_quarterly(categories.values(), quarters),
        recurring=recurring,
        recurred_after_fix=_recurred_after_fix(chronological, items_by_postmortem),
        action_items=action_items,
        services=[s for s in services.values() if s.postmortems or s.recurring or s.name in policy.service_names],
        facets=facets,
        backlinks=backlinks,
        similar=similar_incidents(postmortems),
        items_by_postmortem=items_by_postmortem,
    )


def _entries(pm: Postmortem, by_pair: dict, today: date) -> list[ActionItemEntry]:
    causes = {cause.id: cause for cause in pm.root_causes if cause.id}
    entries = []
    for number, item in enumerate(pm.action_items, 1):
        recurrence = max(
            (
                len(by_pair.get(pair, ()))
                for cause_id in item.addresses
                if cause_id in causes
                for pair in cause_pairs(pm, causes[cause_id])
            ),
            default=0,
        )
        entries.append(ActionItemEntry(f"{pm.id}#{number}", item, pm, recurrence, item.is_overdue(today)))
    return entries


def _quarterly(categories, quarters: list[str]) -> dict[str, list[int]]:
    position = {quarter: index for index, quarter in enumerate(quarters)}
    trend = {}
    for category in categories:
        counts = [0] * len(quarters)
        for pm in category.postmortems:
            at = position.get(quarter_of(pm.started)) if pm.started else None
            if at is not None:  # outside the window: counted on no column
                counts[at] += 1
        trend[category.name] = counts
    return trend


def _recurred_after_fix(
    chronological: list[Postmortem], items: dict[str, list[ActionItemEntry]]
) -> list[RecurredAfterFix]:
    """Walk incidents oldest first, keeping per (service, category) the done fixes seen so far, sorted by the day
    they closed; a later incident with that pair recurred after the latest fix closed before the day it started."""
    fixes: dict[tuple[str, str], list[tuple[int, float, str]]] = {}
    entries: dict[str, ActionItemEntry] = {}
    found = []
    for pm in chronological:
        if pm.started is None:
            continue
        pairs = dict.fromkeys(pair for cause in pm.root_causes for pair in cause_pairs(pm, cause))
        for service, category in pairs:
            closed = fixes.get((service, category), [])
            before = bisect.bisect_left(closed, (pm.started.date().toordinal(),))
            if before:
                fix = entries[closed[before - 1][2]]
                found.append(RecurredAfterFix(pm, fix.postmortem, service, category, fix))
        causes = {cause.id: cause for cause in pm.root_causes if cause.id}
        for entry in items.get(pm.id, ()):
            if entry.item.status == "done" and entry.item.closed:
                entries[entry.id] = entry
                key = (entry.item.closed.toordinal(), pm.started.timestamp(), entry.id)
                for pair in dict.fromkeys(
                    pair
                    for cause_id in entry.item.addresses
                    if cause_id in causes
                    for pair in cause_pairs(pm, causes[cause_id])
                ):
                    bisect.insort(fixes.setdefault(pair, []), key)
    found.sort(key=lambda r: (-_started(r.later).timestamp(), r.service, r.category))
    return found

"""What a postmortem is: immutable values built from validated front matter. Times are UTC."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Iterable, Mapping


@dataclass(frozen=True)
class RootCause:
    kind: str
    category: str
    summary: str
    id: str = ""
    service: str = ""


@dataclass(frozen=True)
class ActionItem:
    title: str
    owner: str
    priority: str
    due: date | None
    status: str
    done_when: str = ""
    addresses: tuple[str, ...] = ()
    link: str = ""
    reason: str = ""
    closed: date | None = None

    @property
    def is_open(self) -> bool:
        return self.status in ("open", "in-progress")

    def is_overdue(self, today: date) -> bool:
        """Open and due before `today`."""
        return self.is_open and self.due is not None and self.due < today


@dataclass(frozen=True)
class Communication:
    audience: str
    channel: str
    at: datetime | None
    summary: str = ""


@dataclass(frozen=True)
class Impact:
    summary: str = ""
    customers_affected: int | None = None
    requests_failed: int | None = None
    data_loss: bool | None = None


@dataclass(frozen=True)
class PublicUpdate:
    status: str
    at: datetime | None
    body: str


@dataclass(frozen=True)
class PublicSummary:
    title: str
    summary: str
    components: tuple[str, ...] = ()
    impact: str = ""  # empty: by severity (see `public.public_view`)
    changes: str = ""
    updates: tuple[PublicUpdate, ...] = ()
    revised: datetime | None = None


@dataclass(frozen=True)
class Postmortem:
    """One postmortem. `id` is the file stem; `positions` maps key paths to (line, column)."""

    id: str
    path: str
    title: str
    status: str
    severity: str
    services: tuple[str, ...]
    started: datetime | None
    authors: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()
    detected: datetime | None = None
    mitigated: datetime | None = None
    resolved: datetime | None = None
    published_on: date | None = None
    impact: Impact = Impact()
    root_causes: tuple[RootCause, ...] = ()
    action_items: tuple[ActionItem, ...] = ()
    related: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    communications: tuple[Communication, ...] = ()
    public: PublicSummary | None = None
    body: str = ""
    body_line: int = 1
    positions: Mapping[tuple, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)
    suppressed_lines: frozenset[int] = field(default=frozenset(), compare=False, repr=False)
    errors: tuple[str, ...] = field(default=(), compare=False, repr=False)  # codes of its errors, once checked

    def position_of(self, *key_path) -> tuple[int, int]:
        """(line, column) of a key path such as `("action_items", 0, "due")`, or of its nearest parent.

        `("body",)` is where the Markdown body starts; unknown paths give the top of the file.
        """
        if key_path == ("body",):
            return self.body_line, 1
        while key_path and key_path not in self.positions:
            key_path = key_path[:-1]
        return self.positions.get(key_path, (1, 1))

    def _since_start(self, moment: datetime | None) -> timedelta | None:
        """The span from `started` to `moment`; None when either is unknown or `moment` comes first (a data error,
        reported as `timestamp-order`: a negative duration is no duration)."""
        return moment - self.started if moment and self.started and moment >= self.started else None

    @property
    def time_to_detect(self) -> timedelta | None:
        return self._since_start(self.detected)

    @property
    def time_to_mitigate(self) -> timedelta | None:
        return self._since_start(self.mitigated)

    @property
    def time_to_resolve(self) -> timedelta | None:
        return self._since_start(self.resolved)

    @property
    def duration(self) -> timedelta | None:
        """How long users were affected: start to mitigation, or to resolution if never mitigated."""
        return self._since_start(self.mitigated or self.resolved)


def people_of(postmortems: Iterable[Postmortem]) -> tuple[str, ...]:
    """Everyone the postmortems name as an author, reviewer or action-item owner, once each, in order."""
    return tuple(dict.fromkeys(name for pm in postmortems
                               for name in (*pm.authors, *pm.reviewers, *(item.owner for item in pm.action_items))))


def postmortem_from_values(pm_id: str, path: str, values: Mapping, body: str, body_line: int,
                           positions: Mapping, suppressed_lines: frozenset[int] = frozenset()) -> Postmortem:
    """Build a `Postmortem` from the values the schema reader produced (missing fields get neutral defaults)."""

    impact = values.get("impact") or {}
    public = values.get("public")
    return Postmortem(
        id=pm_id,
        path=path,
        title=values.get("title", pm_id),
        status=values.get("status", ""),  # missing: no state at all, so never hidden as a draft
        severity=values.get("severity", ""),
        services=tuple(values.get("services", ())),
        authors=tuple(values.get("authors", ())),
        reviewers=tuple(values.get("reviewers", ())),
        started=values.get("started"),
        detected=values.get("detected"),
        mitigated=values.get("mitigated"),
        resolved=values.get("resolved"),
        published_on=values.get("published_on"),
        impact=Impact(**impact),
        root_causes=tuple(
            RootCause(rc.get("kind", ""), rc.get("category", ""), rc.get("summary", ""), rc.get("id", ""),
                      rc.get("service", ""))
            for rc in values.get("root_causes", ())
        ),
        action_items=tuple(
            ActionItem(
                title=ai.get("title", ""), owner=ai.get("owner", ""), priority=ai.get("priority", ""),
                due=ai.get("due"), status=ai.get("status", "open"), done_when=ai.get("done_when", ""),
                addresses=tuple(ai.get("addresses", ())), link=ai.get("link", ""), reason=ai.get("reason", ""),
                closed=ai.get("closed"),
            )
            for ai in values.get("action_items", ())
        ),
        related=tuple(values.get("related", ())),
        tags=tuple(values.get("tags", ())),
        communications=tuple(
            Communication(c.get("audience", ""), c.get("channel", ""), c.get("at"), c.get("summary", ""))
            for c in values.get("communications", ())
        ),
        public=PublicSummary(
            public.get("title", ""), public.get("summary", ""), tuple(public.get("components", ())),
            public.get("impact", ""), public.get("changes", ""),
            tuple(PublicUpdate(u.get("status", ""), u.get("at"), u.get("body", "")) for u in public.get("updates", ())),
            public.get("revised"),
        ) if public is not None else None,
        body=body,
        body_line=body_line,
        positions=dict(positions),
        suppressed_lines=suppressed_lines,
    )

"""What a postmortem is: immutable values built from validated front matter. Times are UTC."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .dates import utc_minute
from .policy import IMPORTED


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
    synced: date | None = None  # the day `postmortems sync --write` last read its ticket

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
    status: str = ""  # a status-page post's status (`investigating`...); empty: from the timeline (`said.py`)


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
    source: tuple = field(default=(), compare=False)  # the key path it was read from: ("public", "updates", 0)


@dataclass(frozen=True)
class PublicSummary:
    title: str
    summary: str
    components: tuple[str, ...] = ()
    impact: str = ""  # empty: by severity (see `public.public_view`)
    changes: str = ""
    updates: tuple[PublicUpdate, ...] = ()
    revised: datetime | None = None
    allow: tuple[str, ...] = ()  # terms the leak gate lets through in this postmortem's public text


@dataclass(frozen=True)
class RegulatoryReport:
    """A report made to a regulator: the stage of a regime it fulfils, when it was submitted and its reference."""

    regime: str
    stage: str
    submitted: datetime | None
    reference: str = ""


@dataclass(frozen=True)
class NotReportable:
    """A regime whose reports this incident does not owe, and why (the team's call, written down)."""

    regime: str
    reason: str


@dataclass(frozen=True)
class Regulatory:
    """The `regulatory` block: the moments the regulators' clocks count from (`regulatory.py`), the reports made and
    the regimes ruled out. `aware` None: the clocks count from `detected`, else `started`."""

    aware: datetime | None = None
    classified_major: datetime | None = None
    materiality_determined: datetime | None = None
    personal_data: bool | None = None
    reports: tuple[RegulatoryReport, ...] = ()
    not_reportable: tuple[NotReportable, ...] = ()


# Key paths an importer may declare unknown (`provenance.unknown`): the rules that require them accept them, and
# pages show "unknown" instead of nothing.
UNKNOWABLE = (
    "severity",
    "services",
    "authors",
    "reviewers",
    "detected",
    "mitigated",
    "resolved",
    "published_on",
    "impact.summary",
    "impact.customers_affected",
    "impact.requests_failed",
    "root_causes",
    "action_items",
    "action_items.owner",
    "action_items.priority",
    "action_items.due",
    "action_items.status",
    "action_items.closed",
    "action_items.done_when",
    "communications",
    "sections",
)
KINDS = ("incident", "maintenance")
DAY, NO_TIME = "day", "none"  # a time known only to the day (`2021-03-04`), or not at all (`unknown`)


def moment_text(moment: datetime | None, precision: str | None) -> str:
    """A timeline time for people: `2024-03-14 09:58 UTC`, `2024-03-14 (time unknown)`, `unknown` or ``."""
    if precision == NO_TIME:
        return "unknown"
    if moment is None:
        return ""
    return f"{moment.date().isoformat()} (time unknown)" if precision == DAY else utc_minute(moment)


@dataclass(frozen=True)
class WrongFact:
    """A value the source gave that the record leaves out, and why (e.g. a resolution before the start)."""

    field: str
    value: str
    reason: str


@dataclass(frozen=True)
class Provenance:
    """Where an imported record came from, and what its source did not know or got wrong."""

    format: str
    source: str
    original_id: str
    imported_on: date | None = None
    already_public: bool = False
    content_hash: str = ""
    public_hash: str = ""  # `public_fingerprint` of the record as imported (`Postmortem.public_as_imported`)
    unknown: tuple[str, ...] = ()
    wrong: tuple[WrongFact, ...] = ()


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
    regulatory: Regulatory | None = None
    kind: str = "incident"
    provenance: Provenance | None = None
    precision: Mapping[str, str] = field(
        default_factory=dict, compare=False
    )  # timeline field -> DAY or NO_TIME; else minute
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

    def text_position(self, key_path: tuple, text: str, offset: int) -> tuple[int, int]:
        """The file line and column of character `offset` of `text`, the value at `key_path`: counted from where the
        text starts in the file (the line after `|` or `>` for a block scalar, after the quote for a quoted one)."""
        content = self.positions.get((*key_path, "text"))
        line, col = content or self.position_of(*key_path)
        lines_before = text.count("\n", 0, offset)
        if not lines_before:
            return line, col + offset
        return line + lines_before, (col - 1 if content else 0) + offset - text.rfind("\n", 0, offset)

    def is_unknown(self, key: str) -> bool:
        """Whether the provenance declares `key` (e.g. `authors`, `action_items.owner`) unknown to the source."""
        return self.provenance is not None and key in self.provenance.unknown

    @functools.cached_property  # asked by each rule and output that decides what goes public
    def public_as_imported(self) -> bool:
        """Whether what the status site would show of it is exactly what an import took from a public status page:
        an `imported` record whose provenance says its text was public already and whose `public_hash` is still its
        `public_fingerprint`. A record edited since, or one that only claims it (no hash, or another), is not: its
        text is new, and the leak gate applies to it in full."""
        source = self.provenance
        return (
            self.status == IMPORTED
            and source is not None
            and source.already_public
            and bool(source.public_hash)
            and source.public_hash == public_fingerprint(self)
        )

    @property
    def is_maintenance(self) -> bool:
        return self.kind == "maintenance"

    def exact(self, name: str) -> datetime | None:
        """A timeline time (`started`...) known to the minute, else None: a day-only time measures nothing."""
        return getattr(self, name) if name not in self.precision else None

    def when(self, name: str) -> str:
        """A timeline time as pages show it (`moment_text`); `unknown` also when the provenance says so."""
        text = moment_text(getattr(self, name), self.precision.get(name))
        return text or ("unknown" if self.is_unknown(name) else "")

    def happened(self, name: str) -> bool:
        """Whether `detected`, `mitigated` or `resolved` happened, at a known time or not (`resolved: unknown`)."""
        return getattr(self, name) is not None or self.precision.get(name) == NO_TIME

    def _since_start(self, name: str) -> timedelta | None:
        """The span from `started` to time `name`; None when either is not known to the minute or `name` comes
        first (a data error, reported as `timestamp-order`: a negative duration is no duration)."""
        moment, started = self.exact(name), self.exact("started")
        return moment - started if moment and started and moment >= started else None

    @property
    def time_to_detect(self) -> timedelta | None:
        return self._since_start("detected")

    @property
    def time_to_mitigate(self) -> timedelta | None:
        return self._since_start("mitigated")

    @property
    def time_to_resolve(self) -> timedelta | None:
        return self._since_start("resolved")

    @property
    def duration(self) -> timedelta | None:
        """How long users were affected: start to mitigation, or to resolution if never mitigated."""
        return self._since_start("mitigated" if self.happened("mitigated") else "resolved")


def public_fingerprint(pm: Postmortem) -> str:
    """`sha256:` and 16 hex digits of what the status site would show of `pm` and decides it by: its state and kind,
    its window (started, mitigated, resolved, and how precisely each is known), its `public` block and what it told
    customers in `communications`; nothing of its internal text, which never goes public. An import writes it as
    `provenance.public_hash` (`Postmortem.public_as_imported`)."""

    def moment(value: datetime | date | None) -> str | None:
        return value.isoformat() if value is not None else None

    public = pm.public
    shown = {
        "status": pm.status,
        "kind": pm.kind,
        "window": [moment(pm.started), moment(pm.mitigated), moment(pm.resolved)],
        "precision": sorted(pm.precision.items()),
        "public": None
        if public is None
        else [
            public.title,
            public.summary,
            list(public.components),
            public.impact,
            public.changes,
            [[update.status, moment(update.at), update.body] for update in public.updates],
            moment(public.revised),
            list(public.allow),
        ],
        "told": [
            [note.channel, moment(note.at), note.summary, note.status]
            for note in pm.communications
            if note.audience == "customers"
        ],
    }
    text = json.dumps(shown, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def people_of(postmortems: Iterable[Postmortem]) -> tuple[str, ...]:
    """Everyone the postmortems name as an author, reviewer or action-item owner, once each, in order."""
    return tuple(
        dict.fromkeys(
            name
            for pm in postmortems
            for name in (*pm.authors, *pm.reviewers, *(item.owner for item in pm.action_items))
        )
    )


def _provenance(values: Mapping) -> Provenance:
    return Provenance(
        values.get("format", ""),
        values.get("source", ""),
        values.get("original_id", ""),
        values.get("imported_on"),
        bool(values.get("already_public", False)),
        values.get("content_hash", ""),
        values.get("public_hash", ""),
        tuple(values.get("unknown", ())),
        tuple(WrongFact(w.get("field", ""), w.get("value", ""), w.get("reason", "")) for w in values.get("wrong", ())),
    )


def _regulatory(values: Mapping) -> Regulatory:
    return Regulatory(
        values.get("aware"),
        values.get("classified_major"),
        values.get("materiality_determined"),
        values.get("personal_data"),
        tuple(
            RegulatoryReport(r.get("regime", ""), r.get("stage", ""), r.get("submitted"), r.get("reference", ""))
            for r in values.get("reports", ())
        ),
        tuple(NotReportable(n.get("regime", ""), n.get("reason", "")) for n in values.get("not_reportable", ())),
    )


def postmortem_from_values(
    pm_id: str,
    path: str,
    values: Mapping,
    body: str,
    body_line: int,
    positions: Mapping,
    suppressed_lines: frozenset[int] = frozenset(),
    precision: Mapping[str, str] | None = None,
) -> Postmortem:
    """Build a `Postmortem` from the values the schema reader produced (missing fields get neutral defaults)."""

    impact = values.get("impact") or {}
    public = values.get("public")
    precision = precision or {}
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
            RootCause(
                rc.get("kind", ""),
                rc.get("category", ""),
                rc.get("summary", ""),
                rc.get("id", ""),
                rc.get("service", ""),
            )
            for rc in values.get("root_causes", ())
        ),
        action_items=tuple(
            ActionItem(
                title=ai.get("title", ""),
                owner=ai.get("owner", ""),
                priority=ai.get("priority", ""),
                due=ai.get("due"),
                status=ai.get("status", "open"),
                done_when=ai.get("done_when", ""),
                addresses=tuple(ai.get("addresses", ())),
                link=ai.get("link", ""),
                reason=ai.get("reason", ""),
                closed=ai.get("closed"),
                synced=ai.get("synced"),
            )
            for ai in values.get("action_items", ())
        ),
        related=tuple(values.get("related", ())),
        tags=tuple(values.get("tags", ())),
        communications=tuple(
            Communication(
                c.get("audience", ""), c.get("channel", ""), c.get("at"), c.get("summary", ""), c.get("status", "")
            )
            for c in values.get("communications", ())
        ),
        regulatory=_regulatory(values["regulatory"]) if "regulatory" in values else None,
        kind=values.get("kind", "incident"),
        provenance=_provenance(values["provenance"]) if "provenance" in values else None,
        precision=dict(precision),
        public=PublicSummary(
            public.get("title", ""),
            public.get("summary", ""),
            tuple(public.get("components", ())),
            public.get("impact", ""),
            public.get("changes", ""),
            tuple(
                PublicUpdate(u.get("status", ""), u.get("at"), u.get("body", ""), ("public", "updates", index))
                for index, u in enumerate(public.get("updates", ()))
            ),
            public.get("revised"),
            tuple(public.get("allow", ())),
        )
        if public is not None
        else None,
        body=body,
        body_line=body_line,
        positions=dict(positions),
        suppressed_lines=suppressed_lines,
    )

"""What may go public from a postmortem: the allowlist, as a `PublicView`; `leak_gate.py` keeps everything else in.

Only the allowlist leaves the internal knowledge base: the `public` block's title, summary, components,
impact, updates and "what we are changing", and the impact window: from `started` to when customers stopped being
affected (`moments.window`: the last resolved update, else `mitigated`), never the internal resolution time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ..checks.registry import RULES, Context, Scope, rule
from ..dates import utc_minute
from ..diagnostics import Diagnostic, Level
from ..model import Postmortem, PublicUpdate, moment_text
from ..moments import is_closed, window
from ..policy import PUBLIC_IMPACTS, Policy
from .said import disclosed, goes_public, said_updates

# Statuspage's component status for an incident's impact, and the share of a day's minutes an hour of each
# counts as down in the uptime figures (published on the status page).
COMPONENT_STATUS = {"minor": "degraded_performance", "major": "partial_outage", "critical": "major_outage"}
DOWNTIME_WEIGHT = {"minor": 0.0, "major": 0.3, "critical": 1.0}


def public_code(name: str) -> str:
    """A stable 12-character lowercase ID for a postmortem or component, as Statuspage's IDs look; it names
    nothing internal (a postmortem's file name may)."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class PublicView:
    """Exactly what goes public from one postmortem; `updates` newest first. Its window is the one customers lived
    (`moments.window`): `resolved` is when it ended for them, so `moments.phase` says the same of it as of its
    postmortem."""

    id: str
    title: str
    summary: str
    components: tuple[str, ...]
    impact: str
    changes: str
    updates: tuple[PublicUpdate, ...]
    started: datetime | None
    resolved: datetime | None
    revised: datetime | None = None
    kind: str = "incident"
    mitigated: datetime | None = None  # a maintenance's work done, verifying
    precision: Mapping[str, str] = field(default_factory=dict, compare=False)  # as `Postmortem.precision`

    @property
    def closed(self) -> bool:
        """Ended for customers, at a known time or not (`moments.is_closed`)."""
        return is_closed(self)

    @property
    def window_known(self) -> bool:
        """Its window is known to the minute: a start, and an end unless still open. Uptime counts nothing else."""
        exact = lambda name: name not in self.precision  # noqa: E731
        return self.started is not None and exact("started") and (exact("resolved") or not self.closed)

    def when(self, name: str) -> str:
        """`started` or `resolved` as pages show it (`model.moment_text`)."""
        return moment_text(getattr(self, name), self.precision.get(name))

    @property
    def code(self) -> str:
        """The incident's public ID: in its URL, the API and the feeds."""
        return public_code(self.id)

    @property
    def updated(self) -> datetime | None:
        """When the public text last changed: its newest update, its revision (`public.revised`), its resolution
        (which ends the window shown) or its start. A maintenance's window is a plan, not a change: its posts and
        revision alone count, and its start only when it has neither."""
        posted = [u.at for u in self.updates if u.at] + ([self.revised] if self.revised is not None else [])
        if self.kind == "maintenance":
            return max(posted, default=self.started)
        return max(posted + [m for m in (self.resolved, self.started) if m], default=None)

    @property
    def announced(self) -> datetime | None:
        """When it was first made public: its first post, else its start."""
        return min((u.at for u in self.updates if u.at), default=self.started)


def public_incidents(postmortems: Iterable[Postmortem], policy: Policy) -> list[PublicView]:
    """What the public site shows: every record that `said.disclosed` lets out, as much of it as that says, and that
    has no error (`pm.errors`, which the knowledge base
    fills in; see `public-withheld`), newest first; incidents and maintenance alike (`by_kind` splits them). Each
    ID once: of two files with one ID (a `duplicate-id` error), the first in the order given, as the knowledge
    base's `by_id` keeps it; the API, the feeds and the pages follow."""
    first: dict[str, Postmortem] = {}
    for pm in postmortems:
        first.setdefault(pm.id, pm)
    views = [
        view
        for pm in first.values()
        if goes_public(pm) and not pm.errors  # disclosed: it has a `public` block
        if (view := public_view(pm, policy, posts_only=disclosed(pm) == "posts")) is not None
    ]
    return sorted(views, key=lambda v: (v.started.timestamp() if v.started else 0, v.id), reverse=True)


def by_kind(views: Sequence[PublicView]) -> tuple[list[PublicView], list[PublicView]]:
    """(incidents, maintenance), each in the order given."""
    return (
        [view for view in views if view.kind != "maintenance"],
        [view for view in views if view.kind == "maintenance"],
    )


@rule(
    "public-withheld",
    Level.WARNING,
    "A published postmortem with a `public` block that has errors, so it is left out of the public site.",
    scope=Scope.FINDINGS,
    docs="publishing.md#what-may-go-public",
)
def withheld(postmortems: list[Postmortem], by_path: dict[str, list[Diagnostic]], ctx: Context) -> list[Diagnostic]:
    """`public-withheld` for each postmortem that would go public but has errors, naming where each is."""
    found = []
    for pm in postmortems:
        errors = [d for d in by_path.get(pm.path, ()) if d.level is Level.ERROR]
        if not goes_public(pm) or not errors:
            continue
        listed = "; ".join(f"{d.location()} [{d.code}]" for d in errors[:5])
        more = f" and {len(errors) - 5} more" if len(errors) > 5 else ""
        line, col = pm.position_of("public")
        found.append(
            Diagnostic(
                pm.path,
                line,
                col,
                "public-withheld",
                f"left out of the public site: {len(errors)} error{'s' if len(errors) != 1 else ''} "
                f"to fix first ({listed}{more})",
                "fix those errors and rebuild; until then customers see nothing of this incident",
                RULES["public-withheld"].level,
            )
        )
    return found


def impact_window(view: PublicView) -> str:
    """`2025-05-16 17:05 UTC – 2025-05-17 09:40 UTC`, or `… – ongoing` while unresolved."""
    return f"{view.when('started') or 'unknown'} – {view.when('resolved') or 'ongoing'}"


def _indented(text: str) -> list[str]:
    return [f"  {line}" if line else "" for line in text.strip().split("\n")]


def public_text(view: PublicView) -> str:
    """The public part as plain text, exactly as `postmortems public-diff` prints it: summary first, then the
    updates newest first, each with where it was read from."""
    lines = [
        f"Title: {view.title}",
        f"Components: {', '.join(view.components) or '(none)'}",
        f"Impact: {view.impact}, {impact_window(view)}",
        "Summary:",
        *_indented(view.summary),
    ]
    if view.changes:
        lines += ["What we are changing:", *_indented(view.changes)]
    lines += ["Updates, newest first:" if view.updates else "Updates: none posted"]
    for update in view.updates:
        when = utc_minute(update.at) if update.at else "(no time)"
        source = f" (from {'.'.join(map(str, update.source))})" if update.source else ""
        lines += [f"  {update.status} at {when}{source}", *(f"  {line}" for line in _indented(update.body))]
    return "\n".join(lines)


def held_title(kind: str, components: Sequence[str]) -> str:
    """The title of a record under review whose posts stay public: what it affects, and no text of the review's."""
    what = "Maintenance" if kind == "maintenance" else "Incident"
    return f"{what} affecting {', '.join(components)}" if components else what


def public_view(pm: Postmortem, policy: Policy, posts_only: bool = False) -> PublicView | None:
    """The allowlisted public part of `pm`, or None when it has no `public` block. Without a `public.impact`, the
    worst severity is critical, the next major and the rest minor. Its updates are only what was said
    (`said.said_updates`): `public.updates`, else the status-page posts in `communications`, else none.
    `posts_only` (a record not yet published, `said.disclosed`): its posts alone, the first as its summary, and
    nothing written since (`public.title`, `summary`, `changes`, `updates`, `revised`): the title says only what
    it affects (`held_title`)."""
    public = pm.public
    if public is None:
        return None
    rank = policy.severities.index(pm.severity) if pm.severity in policy.severities else len(policy.severities)
    impact = public.impact or PUBLIC_IMPACTS[::-1][min(rank, len(PUBLIC_IMPACTS) - 1)]
    updates = said_updates(pm, posts_only)
    newest_first = tuple(sorted(updates, key=lambda u: u.at.timestamp() if u.at else 0, reverse=True))
    title, summary, changes, revised = public.title, public.summary, public.changes, public.revised
    if posts_only:
        title, summary, changes, revised = held_title(pm.kind, public.components), updates[0].body, "", None
    lived = window(pm, updates)
    return PublicView(
        pm.id,
        title,
        summary,
        public.components,
        impact,
        changes,
        newest_first,
        lived.started,
        lived.resolved,
        revised,
        pm.kind,
        lived.mitigated,
        dict(lived.precision),
    )

"""What may go public from a postmortem, and the leak gate that keeps everything else in.

Only the allowlist leaves the internal knowledge base: the `public` block's title, summary, components,
impact, updates and "what we are changing", and the impact window (`started` to `resolved`). The leak gate reports public text that names what must
stay internal: a catalog service not marked public, a person (an author, reviewer or action-item owner of
the knowledge base), an `@mention`, a ticket key, an internal host or a private IP address, or a configured
deny-list term. A service whose name is also a public component's name (`checkout` and `Checkout`) passes. Each finding is a `public-leak` error at the field's line.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Mapping, Sequence

from ..diagnostics import CODES, Diagnostic
from ..model import NO_TIME, Postmortem, PublicUpdate, moment_text, people_of
from ..policy import PUBLIC_IMPACTS, Policy

# Private and loopback IPv4 addresses (RFC 1918, RFC 1122).
_PRIVATE_IP = (r"(?:10(?:\.\d{1,3}){3}|172\.(?:1[6-9]|2\d|3[01])(?:\.\d{1,3}){2}|192\.168(?:\.\d{1,3}){2}"
               r"|127(?:\.\d{1,3}){3})")
_MENTION = r"(?<![\w@.])@[A-Za-z0-9][\w.-]*[\w]"
_HOST_LABEL = r"[A-Za-z0-9-]+"


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
    """Exactly what goes public from one postmortem; `updates` newest first."""

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
        """Resolved, at a known time or not (`resolved: unknown`)."""
        return self.resolved is not None or self.precision.get("resolved") == NO_TIME

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
        """When the public text last changed: its newest update or its revision (`public.revised`), or its start."""
        moments = [u.at for u in self.updates if u.at] + [m for m in (self.revised, self.started) if m]
        return max(moments, default=None)


def public_incidents(postmortems: Iterable[Postmortem], policy: Policy) -> list[PublicView]:
    """What the public site shows: every published record with a `public` block, newest first; incidents and
    maintenance alike (`by_kind` splits them)."""
    views = [public_view(pm, policy) for pm in postmortems if pm.status == "published" and pm.public is not None]
    return sorted(views, key=lambda v: (v.started.timestamp() if v.started else 0, v.id), reverse=True)


def by_kind(views: Sequence[PublicView]) -> tuple[list[PublicView], list[PublicView]]:
    """(incidents, maintenance), each in the order given."""
    return ([view for view in views if view.kind != "maintenance"], [view for view in views if view.kind == "maintenance"])


def impact_window(view: PublicView) -> str:
    """`2025-05-16 17:05 UTC – 2025-05-17 09:40 UTC`, or `… – ongoing` while unresolved."""
    return f"{view.when('started') or 'unknown'} – {view.when('resolved') or 'ongoing'}"


def _indented(text: str) -> list[str]:
    return [f"  {line}" if line else "" for line in text.strip().split("\n")]


def public_text(view: PublicView) -> str:
    """The public part as plain text, exactly as `postmortems public-diff` prints it."""
    lines = [f"Title: {view.title}", f"Components: {', '.join(view.components) or '(none)'}",
             f"Impact: {view.impact}, {impact_window(view)}", "Summary:", *_indented(view.summary)]
    if view.changes:
        lines += ["What we are changing:", *_indented(view.changes)]
    lines += ["Updates, newest first:"]
    for update in view.updates:
        when = update.at.strftime("%Y-%m-%d %H:%M UTC") if update.at else "(no time)"
        lines += [f"  {update.status} at {when}", *(f"  {line}" for line in _indented(update.body))]
    return "\n".join(lines)


def derived_updates(pm: Postmortem, components: Iterable[str]) -> tuple[PublicUpdate, ...]:
    """Updates for a postmortem that gives none: investigating when detected, monitoring when mitigated,
    resolved when resolved (a maintenance: in progress, verifying, completed), in Statuspage's usual words; only
    those with a time."""
    affected = ", ".join(components) or "some of our services"
    steps = ((pm.detected or pm.started, "investigating", f"We are investigating a problem affecting {affected}."),
             (pm.mitigated, "monitoring", "A fix has been applied and we are monitoring the results."),
             (pm.resolved, "resolved", "This incident has been resolved."))
    if pm.is_maintenance:
        steps = ((pm.started, "in_progress", f"Scheduled maintenance of {affected} is in progress."),
                 (pm.mitigated, "verifying", "Verification is underway for the maintenance items."),
                 (pm.resolved, "completed", "The scheduled maintenance has been completed."))
    return tuple(PublicUpdate(status, at, body) for at, status, body in steps if at)


def public_view(pm: Postmortem, policy: Policy) -> PublicView | None:
    """The allowlisted public part of `pm`, or None when it has no `public` block. Without a `public.impact`, the
    worst severity is critical, the next major and the rest minor; without `public.updates`, they are derived."""
    public = pm.public
    if public is None:
        return None
    rank = policy.severities.index(pm.severity) if pm.severity in policy.severities else len(policy.severities)
    impact = public.impact or PUBLIC_IMPACTS[::-1][min(rank, len(PUBLIC_IMPACTS) - 1)]
    updates = public.updates or derived_updates(pm, public.components)
    newest_first = tuple(sorted(updates, key=lambda u: u.at.timestamp() if u.at else 0, reverse=True))
    return PublicView(pm.id, public.title, public.summary, public.components, impact, public.changes, newest_first,
                      pm.started, pm.resolved, public.revised, pm.kind, pm.mitigated, dict(pm.precision))


def _words(terms: Iterable[str]) -> str | None:
    """An alternation of `terms` as whole words (a hyphen or dot inside a term is part of it), longest first."""
    unique = sorted({term for term in terms if term.strip()}, key=lambda term: (-len(term), term))
    return "|".join(re.escape(term) for term in unique) or None


def _host(glob: str) -> str:
    """A host glob such as `*.internal` as a regex for the host names it covers."""
    labels = [rf"{_HOST_LABEL}(?:\.{_HOST_LABEL})*" if label == "*" else re.escape(label) for label in glob.split(".")]
    return r"\.".join(labels)


class LeakGate:
    """The leak gate's patterns for one knowledge base, compiled once; `find` lists the leaks in a text."""

    def __init__(self, policy: Policy, people: Iterable[str]):
        components = {component.casefold() for component in policy.components}  # public names by definition
        internal = (s.name for s in policy.services if not s.public and s.name.casefold() not in components)
        named = [("an internal service", _words(internal), re.I),
                 ("a person", _words(people), re.I),
                 ("a term on the deny list", _words(policy.public_deny), re.I)]
        self.patterns = [(what, re.compile(rf"(?<![\w@.-])(?:{words})(?![\w-]|\.\w)", flags))
                         for what, words, flags in named if words]
        self.patterns += [
            ("an @mention", re.compile(_MENTION)),
            ("a ticket key", re.compile(rf"(?<![\w-])(?:{policy.ticket_pattern})(?![\w-])")),
            ("a private IP address", re.compile(rf"(?<![\w.]){_PRIVATE_IP}(?![\w.]\d)")),
        ]
        if policy.internal_hosts:
            hosts = "|".join(_host(glob) for glob in policy.internal_hosts)
            self.patterns.append(("an internal host", re.compile(rf"(?<![\w.-])(?:{hosts})(?![\w-])", re.I)))

    def find(self, text: str) -> list[tuple[int, str, str]]:
        """(offset, term, what it is) of every leak in `text`, in order."""
        found = {(m.start(), m.group(), what) for what, pattern in self.patterns for m in pattern.finditer(text)}
        return sorted(found)


def check_leaks(postmortems: Iterable[Postmortem], policy: Policy) -> list[Diagnostic]:
    """`public-leak` for every public title and summary of `postmortems`; people are those the whole knowledge
    base names, so a name from another postmortem is caught too."""
    postmortems = list(postmortems)
    gate = LeakGate(policy, people_of(postmortems))
    found = []
    for pm in postmortems:
        if pm.public is None:
            continue
        texts = [(("public", "title"), "title", pm.public.title), (("public", "summary"), "summary", pm.public.summary),
                 (("public", "changes"), "changes", pm.public.changes)]
        texts += [(("public", "updates", index, "body"), "update", update.body)
                  for index, update in enumerate(pm.public.updates)]
        for key_path, name, text in texts:
            line, col = pm.position_of(*key_path)
            for offset, term, what in gate.find(text):
                lines_before = text.count("\n", 0, offset)
                at_col = col + offset if not lines_before else offset - text.rfind("\n", 0, offset)
                found.append(Diagnostic(
                    pm.path, line + lines_before, at_col, "public-leak",
                    f"the public {name} names `{term}`, {what}",
                    "public text may name components and what customers saw, never internal systems, people, "
                    "tickets or hosts; reword it, or mark the service `public: true` in the catalog if customers "
                    "know it by that name", CODES["public-leak"][0]))
    return found

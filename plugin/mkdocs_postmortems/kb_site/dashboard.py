"""The home dashboard: what a team looks at first, placed on any page of the user's by a Markdown marker.

`fill_dashboard` replaces `<!-- postmortems:dashboard -->` in a page's Markdown with HTML; the MkDocs plugin calls
it on each page's Markdown and `postmortems generate` on each user page it copies, so every engine shows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from ..knowledge import KnowledgeBase
from ..model import Postmortem
from ..moments import SCHEDULED, build_moment, state_of
from ..parsing.markdown import code_lines
from ..regulatory import in_zones
from .indexes import Indexes, quarter_of
from .metrics import minutes
from .pages import review_state
from .regulatory import OWED, deadlines
from .stats import distribution
from .urls import DASHBOARD_MARKER, REGULATORY

LATEST = 5  # newest incidents on the dashboard


def has_dashboard(markdown: str) -> bool:
    """Whether `markdown` places the dashboard: the marker on a line of its own, outside fenced code (a marker
    quoted in a sentence or a code block is text)."""
    if DASHBOARD_MARKER not in markdown:
        return False
    lines = markdown.split("\n")
    return any(
        not code and line.strip() == DASHBOARD_MARKER for line, code in zip(lines, code_lines(lines), strict=True)
    )


def fill_dashboard(markdown: str, html: str) -> str:
    """`markdown` with each marker line (see `has_dashboard`) replaced by `html` (a raw HTML block: blank lines
    around it, none inside, so every Markdown engine passes it through). Unchanged when there is none."""
    if not has_dashboard(markdown):
        return markdown
    block = "\n".join(line for line in html.splitlines() if line.strip())
    lines = markdown.split("\n")
    return "\n".join(
        f"\n{block}\n" if not code and line.strip() == DASHBOARD_MARKER else line
        for line, code in zip(lines, code_lines(lines), strict=True)
    )


def _previous_quarter(quarter: str) -> str:
    year, number = int(quarter[:4]), int(quarter[-1])
    return f"{year - 1:04d}-Q4" if number == 1 else f"{year:04d}-Q{number - 1}"


def live_records(postmortems: Iterable[Postmortem], severities: Sequence[str], now: datetime) -> list[tuple]:
    """What is happening at the build's time `now`, for the dashboard's banner: each incident not over and each
    maintenance in progress (`moments.state_of`), as (postmortem, state), incidents first, the worst severity
    first, then the oldest."""
    found = []
    for pm in postmortems:
        state = state_of(pm, now)
        if state.live and state.phase != SCHEDULED:
            rank = severities.index(pm.severity) if pm.severity in severities else len(severities)
            started = pm.started.timestamp() if pm.started else 0.0
            found.append(((pm.is_maintenance, rank, started, pm.id), pm, state))
    return [(pm, state) for _, pm, state in sorted(found, key=lambda row: row[0])]


def dashboard_context(kb: KnowledgeBase, indexes: Indexes, now: datetime | None = None) -> dict:
    """What is live at the build's time `now` (default `moments.build_moment` of `kb.today`: an ongoing incident,
    a maintenance in progress), the latest incidents, postmortems awaiting review (and those overdue for
    publication; an imported record awaits none, nor a record not over, see `review_state`), overdue action items
    by owner, the regulatory reports still owed (`regulatory.deadlines`: every record's, soonest due first) and the
    next one due (with its due time in UTC and the team's zone), and this quarter (of the build date) against the
    last."""
    today: date = kb.today
    now = build_moment(today) if now is None else now
    incidents = [pm for pm in indexes.postmortems if not pm.is_maintenance]
    waiting = []
    for pm in indexes.postmortems:
        review = review_state(pm, kb, now)
        if review is not None:
            waiting.append((pm, review))
    waiting.sort(key=lambda row: (not row[1]["overdue"], row[1]["due"] or date.max, row[0].id))
    overdue: dict[str, int] = {}
    for entry in indexes.action_items:
        if entry.overdue:
            overdue[entry.item.owner] = overdue.get(entry.item.owner, 0) + 1
    owed = [d for d in deadlines(kb.postmortems, kb.policy, now) if d.owed]  # soonest due first
    this = quarter_of(today)
    last = _previous_quarter(this)
    quarters = []
    for quarter in (this, last):
        pms = [pm for pm in incidents if pm.started and quarter_of(pm.started) == quarter]
        by_severity = {severity: sum(1 for pm in pms if pm.severity == severity) for severity in kb.policy.severities}
        quarters.append(
            {
                "quarter": quarter,
                "count": len(pms),
                "by_severity": by_severity,
                "resolve": distribution(minutes(pm.time_to_resolve) for pm in pms),
            }
        )
    return {
        "live": live_records(indexes.postmortems, kb.policy.severities, now),
        "latest": incidents[:LATEST],
        "waiting": waiting,
        "overdue_owners": sorted(overdue.items(), key=lambda kv: (-kv[1], kv[0].casefold())),
        "overdue_total": sum(overdue.values()),
        "reports_owed": owed,
        "next_due": next(((d, in_zones(d.clock.due, kb.policy)) for d in owed if d.clock.due), None),
        "owed_states": OWED,
        "regulatory": REGULATORY,
        "quarters": quarters,
        "severities": kb.policy.severities,
        "today": today,
    }

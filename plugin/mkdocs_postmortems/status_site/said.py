"""Only what was said: the public updates of a record, each traced to the text it was read from.

An update comes from `public.updates` when the record has any (the edited public record wins), else from the
customer-facing status-page posts in `communications`: entries with `audience: customers` and a status-page
channel (`status-page`, `statuspage` or `status page`, in any case). Such an entry maps to an update as:

- body: its `summary`, word for word;
- time: its `at`;
- status: its `status` when given; else from the record's own timeline, never from the text. An incident's
  posts are `investigating` before `mitigated` (all of them while not mitigated), `monitoring` from `mitigated`
  on, and its last post is `resolved` when the incident is resolved and the post came at or after `mitigated`
  (or `resolved`, without a mitigation). A maintenance's posts are `scheduled` before `started`, `in_progress`
  from it, `verifying` from `mitigated` and `completed` from `resolved`.

Nothing else becomes an update: a record with neither shows its summary and its window, and no stock text.
Every update keeps the key path it came from (`PublicUpdate.source`), so tests and `public-diff` can trace it.

The rules here: `communication-leak` runs the leak gate over the posts that become updates (the gate itself
checks `public.updates`), `already-public-leak` says what the gate finds in text an import took unchanged from a
public status page, which stays public, and `ongoing-unsaid` asks an ongoing incident for something said.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from ..checks.registry import RULES, Context, Scope, diagnostic, rule
from ..diagnostics import Diagnostic, Level
from ..model import Communication, Postmortem, PublicUpdate
from ..policy import IMPORTED, LIVE, PUBLISHED
from .leak_gate import LeakGate, gate_of, public_leaks

STATUS_PAGE_CHANNELS = ("status-page", "statuspage", "status page")


def is_status_page_post(note: Communication) -> bool:
    """A post to customers on the status page, which the status site publishes as an update."""
    return note.audience == "customers" and " ".join(note.channel.casefold().split()) in STATUS_PAGE_CHANNELS


def _at_or_after(moment: datetime | None, mark: datetime | None) -> bool:
    return moment is not None and mark is not None and moment >= mark


def _timeline_status(pm: Postmortem, at: datetime | None, last: bool) -> str:
    """The status a post without one had at `at`, by the record's timeline (see the module's docstring)."""
    if pm.is_maintenance:
        for name, status in (("resolved", "completed"), ("mitigated", "verifying"), ("started", "in_progress")):
            if _at_or_after(at, getattr(pm, name)):
                return status
        return "scheduled"
    recovered = pm.mitigated or pm.resolved
    if last and pm.happened("resolved") and _at_or_after(at, recovered):
        return "resolved"
    return "monitoring" if _at_or_after(at, pm.mitigated) else "investigating"


def posts(pm: Postmortem) -> list[tuple[int, Communication]]:
    """(index in `communications`, entry) of each status-page post to customers, in the order written."""
    return [(index, note) for index, note in enumerate(pm.communications) if is_status_page_post(note)]


def said_updates(pm: Postmortem, posts_only: bool = False) -> tuple[PublicUpdate, ...]:
    """The updates customers were given, in the order written: `public.updates`, else (or with `posts_only`) the
    status-page posts."""
    if pm.public is not None and pm.public.updates and not posts_only:
        return pm.public.updates
    found = posts(pm)
    timed = [note.at for _, note in found if note.at]
    newest = max(timed, default=None)
    return tuple(
        PublicUpdate(
            note.status or _timeline_status(pm, note.at, note.at == newest),
            note.at,
            note.summary,
            ("communications", index, "summary"),
        )
        for index, note in found
    )


def disclosed(pm: Postmortem) -> str | None:
    """What of `pm` customers may see now: the one statement of what goes public, which the status site, its
    feeds, API and calendar, and so `postmortems notify`, all follow (errors aside: `public.public_incidents`
    withholds a record with any).

    - `"record"`: it has a `public` block and is `published` (reviewed), or `ongoing` (live: the on-call posts as
      it happens, each post checked by the gate): its public block and its updates (`said_updates`).
    - `"record"` too for an `imported` record whose text was public already, unchanged since the import
      (`Postmortem.public_as_imported`): what an import took from a public status page goes out as it was there,
      what the gate finds in it a warning (`already-public-leak`). Edited since, it is new text that nobody
      reviewed: nothing of it goes public until it is `published`.
    - `"posts"`: a draft or a review with a `public` block and status-page posts in `communications`: those posts
      were shown to customers already and cannot be unsaid, so the record stays on the status site with them alone.
      Nothing written since goes out before it is published: not its `public.summary` or `changes` (the summary
      shown is its first post), not its `public.updates`.
    - None: nothing of it goes public; nor anything of any other `imported` record, which nobody reviewed here."""
    if pm.public is None:
        return None
    if pm.status in (LIVE, PUBLISHED):
        return "record"
    if pm.status == IMPORTED:
        return "record" if pm.public_as_imported else None
    return "posts" if posts(pm) else None


def goes_public(pm: Postmortem) -> bool:
    """Whether the status site shows anything of `pm` (see `disclosed`)."""
    return disclosed(pm) is not None


@rule(
    "communication-leak",
    Level.ERROR,
    "A status-page post to customers in `communications`, which the status "
    "site publishes, names an internal service, a person, a ticket or an internal host.",
    scope=Scope.KNOWLEDGE_BASE,
    docs="publishing.md#only-what-was-said",
)
def communication_leaks(postmortems: list[Postmortem], ctx: Context) -> list[Diagnostic]:
    """The leak gate over every post that becomes a public update: all of a record's posts, unless it publishes its
    `public.updates` instead (see `disclosed`), or an import took them unchanged from a public status page
    (`already-public-leak` reports those)."""
    gate, found = None, []
    for pm in postmortems:
        if not _posts_go_out(pm) or pm.public_as_imported:
            continue
        gate = gate or gate_of(postmortems, ctx)
        found += _post_leaks(pm, gate, ctx, "communication-leak")
    return found


@rule(
    "already-public-leak",
    Level.WARNING,
    "Text an import took unchanged from a public status page names what the leak gate keeps internal; it stays "
    "public, as it was.",
    scope=Scope.KNOWLEDGE_BASE,
    docs="publishing.md#what-reaches-customers-and-when",
)
def already_public_leaks(postmortems: list[Postmortem], ctx: Context) -> list[Diagnostic]:
    """What `public-leak` and `communication-leak` would find in the text of an imported record that was public
    already and nobody changed (`Postmortem.public_as_imported`): customers read it there before, so the status site
    publishes it again as it was, and this says what the gate saw in it. Once anyone edits that text, the two
    rules apply in full."""
    kept = [pm for pm in postmortems if pm.public is not None and pm.public_as_imported]
    if not kept:
        return []
    gate = gate_of(postmortems, ctx)
    said, hint = (
        "; it was public already, and is published again as imported",
        "nothing to do if it may stay public; else reword it: the gate then applies in full, and the record goes "
        "public again only once reviewed and `published`",
    )
    found = []
    for pm in kept:
        found += public_leaks(pm, gate, "already-public-leak", said, hint)
        if _posts_go_out(pm):
            found += _post_leaks(pm, gate, ctx, "already-public-leak", said, hint)
    return found


def _posts_go_out(pm: Postmortem) -> bool:
    """Whether `pm`'s status-page posts become its public updates: it has a `public` block, and no
    `public.updates` of its own published instead (see `disclosed`)."""
    return pm.public is not None and not (pm.public.updates and disclosed(pm) != "posts")


def _post_leaks(
    pm: Postmortem, gate: LeakGate, ctx: Context, code: str, said: str = "", hint: str = ""
) -> list[Diagnostic]:
    """A diagnostic of rule `code` for each leak in `pm`'s status-page posts, but in a public component's name."""
    found = []
    for index, note in posts(pm):
        line, col = pm.position_of("communications", index, "summary")
        for offset, term, what in _outside_components(gate.find(note.summary), note.summary, ctx):
            lines_before = note.summary.count("\n", 0, offset)
            at_col = col + offset if not lines_before else offset - note.summary.rfind("\n", 0, offset)
            found.append(
                Diagnostic(
                    pm.path,
                    line + lines_before,
                    at_col,
                    code,
                    f"the status-page post {index + 1} names `{term}`, {what}; the status site publishes it{said}",
                    hint
                    or "posts to customers may name components and what customers saw; reword the summary to what "
                    "was posted, or give the incident `public.updates` that say it",
                    RULES[code].level,
                )
            )
    return found


def _outside_components(leaks: list[tuple[int, str, str]], text: str, ctx: Context) -> list[tuple[int, str, str]]:
    """The leaks that are not part of a public component's name: `search` in "Product search is slow" is the
    component customers know, not the internal service."""
    folded = text.casefold()
    spans = [
        (start, start + len(name))
        for name in ctx.policy.components
        if name
        for start in _occurrences(folded, name.casefold())
    ]
    return [
        leak for leak in leaks if not any(start <= leak[0] and leak[0] + len(leak[1]) <= end for start, end in spans)
    ]


def _occurrences(text: str, word: str) -> Iterator[int]:
    start = text.find(word)
    while start != -1:
        yield start
        start = text.find(word, start + 1)


@rule(
    "ongoing-unsaid",
    Level.WARNING,
    "An ongoing incident without a `public` block or any public update: the status page has nothing to show.",
    states=(LIVE,),
    docs="publishing.md#live-incidents",
)
def ongoing_unsaid(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if pm.is_maintenance and pm.public is not None:
        return  # a maintenance is announced by its summary and window alone
    if pm.public is None or not said_updates(pm):
        yield diagnostic(
            pm,
            ("status",),
            "ongoing-unsaid",
            "an ongoing incident has nothing public to show",
            "post an update with `postmortems incident update FILE --message ...`, or add a `public` "
            "block with `updates`",
        )

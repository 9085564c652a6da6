"""Review rules: what each lifecycle state needs, review deadlines per severity, the machine-checkable items of
the reviewer checklist (`checklist.py`) and blameless wording.

`draft` needs only a well-formed file; `in-review` also needs reviewers (`reviewer-required`), every required
section and no template `TODO`s; `published` also needs the key timestamps, `published_on`, every causal root
cause addressed, `done_when` on first-priority items, quantified impact, more than causal causes, and a note of
who was told internally.
"""

from __future__ import annotations

import bisect
from datetime import date, timedelta
from typing import Callable, Iterable, Iterator

from .blameless import find_blame
from .communications import communications_owed
from ..diagnostics import CODES, Diagnostic
from ..model import Postmortem, people_of
from ..policy import Policy
from .structure import Context, body_headings, diagnostic

REVIEWED = ("in-review", "published")
_KEY_TIMESTAMPS = ("detected", "mitigated", "resolved")


def add_business_days(start: date, days: int) -> date:
    """The date `days` business days (Monday to Friday; no holidays) after `start`."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def required_sections(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if pm.status not in REVIEWED or pm.is_maintenance or pm.is_unknown("sections"):
        return
    present = {title.casefold() for title in body_headings(pm.body)}
    for section in ctx.policy.required_sections:
        if section.casefold() not in present:
            yield diagnostic(pm, ("body",), "section-missing", f"the body has no “{section}” section",
                              f"add a heading `## {section}`")


def _texts(pm: Postmortem) -> Iterator[tuple[tuple, str]]:
    """(key path, text) of every free-text front-matter value a person writes."""
    yield ("title",), pm.title
    yield ("impact", "summary"), pm.impact.summary
    for index, cause in enumerate(pm.root_causes):
        yield ("root_causes", index, "summary"), cause.summary
    for index, item in enumerate(pm.action_items):
        for name in ("title", "owner", "done_when", "reason"):
            yield ("action_items", index, name), getattr(item, name)
    for index, note in enumerate(pm.communications):
        yield ("communications", index, "summary"), note.summary
    if pm.public:
        yield ("public", "title"), pm.public.title
        yield ("public", "summary"), pm.public.summary


def placeholders(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if pm.status not in REVIEWED:
        return
    for key_path, text in _texts(pm):
        if text.lstrip().upper().startswith("TODO"):
            yield diagnostic(pm, key_path, "placeholder-left", f"`{'.'.join(map(str, key_path))}` is still a `TODO`",
                              "replace the template's placeholder with what happened")


def key_timestamps(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if pm.status != "published":
        return
    # a timestamp that is written but invalid has its own error already; maintenance has no detection or mitigation
    names = ("resolved",) if pm.is_maintenance else _KEY_TIMESTAMPS
    missing = [name for name in names if not pm.happened(name) and (name,) not in pm.positions
               and not pm.is_unknown(name)]
    if missing:
        yield diagnostic(pm, ("status",), "timestamp-missing",
                          f"a published postmortem needs {', '.join(f'`{m}`' for m in missing)}",
                          "add them from the timeline: time to detect, mitigate and resolve are measured from them")


def publication(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    resolved = pm.resolved.date() if pm.resolved else None
    if pm.status == "published":
        if pm.published_on is None and not pm.is_unknown("published_on"):
            yield diagnostic(pm, ("status",), "published-date", "a published postmortem needs `published_on`",
                              "add `published_on: YYYY-MM-DD`, the day the review was signed off")
        elif resolved and pm.published_on and pm.published_on < resolved:
            yield diagnostic(pm, ("published_on",), "published-date",
                              f"`published_on` {pm.published_on} is before the incident was resolved ({resolved})",
                              "correct `published_on` or `resolved`")
    days = ctx.policy.publish_within_business_days.get(pm.severity)
    if days is None or resolved is None:
        return
    deadline = add_business_days(resolved, days)
    if pm.status == "published" and pm.published_on and pm.published_on > deadline:
        yield diagnostic(pm, ("published_on",), "publish-overdue",
                          f"published {pm.published_on}, after the {pm.severity} deadline of {deadline} "
                          f"({days} business days after resolution)", "nothing to change now; review sooner next time")
    elif pm.status != "published" and ctx.today > deadline:
        yield diagnostic(pm, ("status",), "publish-overdue",
                          f"still `{pm.status}`: a {pm.severity} postmortem was due for publication by {deadline} "
                          f"({days} business days after resolution)", "ask the reviewers to finish, or publish it")


def first_priority_deadlines(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    days = ctx.policy.first_priority_due_within_days.get(pm.severity)
    if days is None or pm.resolved is None or pm.status not in REVIEWED:
        return
    first, latest = ctx.policy.priorities[0], pm.resolved.date() + timedelta(days=days)
    for index, item in enumerate(pm.action_items):
        if item.priority == first and item.is_open and item.due and item.due > latest:
            yield diagnostic(pm, ("action_items", index, "due"), "action-item-deadline",
                              f"{first} action item “{item.title}” is due {item.due}; a {pm.severity} allows "
                              f"{days} days after resolution ({latest})",
                              f"bring `due` forward to {latest} or earlier, or lower its priority")


def causes_addressed(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if pm.status != "published" or pm.is_maintenance or pm.is_unknown("action_items"):
        return
    addressed = {cause_id for item in pm.action_items for cause_id in item.addresses}
    if addressed - {cause.id for cause in pm.root_causes}:  # a mistyped id: `unknown-root-cause` says so
        return
    if not pm.action_items and (pm.severity in ctx.policy.action_items_required_for  # `action-items-missing` says so
                                or ("action_items",) in pm.positions):  # written, but not a list: `wrong-type`
        return
    for index, cause in enumerate(pm.root_causes):
        if cause.kind == "causal" and cause.id not in addressed:
            hint = ("list its `id` in an action item's `addresses`, or add a `wont-do` item with a `reason`"
                    if cause.id else "give it an `id` and list it in an action item's `addresses`")
            yield diagnostic(pm, ("root_causes", index), "cause-unaddressed",
                              f"causal root cause {cause.id or index + 1} has no action item", hint)


def done_when(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if pm.status != "published" or pm.is_unknown("action_items.done_when"):
        return
    first = ctx.policy.priorities[0]
    for index, item in enumerate(pm.action_items):
        if item.priority == first and not item.done_when and item.status != "wont-do":
            yield diagnostic(pm, ("action_items", index, "title"), "done-when-missing",
                              f"{first} action item “{item.title}” has no `done_when`",
                              "add the measurable condition that proves it is done")


def impact_quantified(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    # a number written but invalid has its own error, and so has an impact with no summary
    written = any(("impact", name) in pm.positions or pm.is_unknown(f"impact.{name}")
                  for name in ("customers_affected", "requests_failed"))
    if pm.status == "published" and not pm.is_maintenance and pm.impact.summary and pm.impact.customers_affected is None \
            and pm.impact.requests_failed is None and not written:
        yield diagnostic(pm, ("impact",), "impact-unquantified", "the impact has no number",
                          "add `customers_affected` or `requests_failed`, an estimate if need be")


def root_cause_depth(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if pm.status == "published" and pm.root_causes and all(cause.kind == "causal" for cause in pm.root_causes) \
            and not pm.is_maintenance:
        yield diagnostic(pm, ("root_causes",), "root-cause-shallow", "every root cause is `causal`",
                          "ask why the trigger could cause harm: add the `contributing` or `systemic` conditions")


def communications(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if pm.status == "published" and not any(note.audience == "internal" for note in pm.communications) \
            and not pm.is_unknown("communications"):
        yield diagnostic(pm, ("status",), "communication-missing", "no communication to internal teams is recorded",
                          "add a `communications` entry with `audience: internal` (the channel and when)")


def communication_owed(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if pm.status not in REVIEWED:
        return
    where = ("communications",) if pm.communications else ("status",)
    for owed in communications_owed(pm, ctx.policy):
        yield diagnostic(pm, where, "communication-owed", f"{owed.audience}: a notice is {owed.state} ({owed.reason})",
                         f"tell them, and add a `communications` entry with `audience: {owed.audience}`, the channel "
                         "and when")


def check_blame(postmortems: Iterable[Postmortem], policy: Policy) -> list[Diagnostic]:
    """`blame-language` over every postmortem's body and free-text fields.

    A person is anyone the knowledge base names as an author, reviewer or owner, or the policy's
    `blameless_names`: one list, so the lint's patterns are built once per build, not once per postmortem.
    """
    postmortems = list(postmortems)
    postmortems_by_path = {pm.path: pm for pm in postmortems}
    options = {"names": people_of(postmortems) + policy.blameless_names, "phrases": policy.blameless_phrases,
               "allowed": policy.blameless_allowed}
    found = []
    for pm in postmortems:
        fields = [(key_path, text) for key_path, text in _texts(pm) if text and key_path[-1] != "owner"]
        starts, line = [], 0  # each field's first line in the joined text; blank lines keep phrases apart
        for _, text in fields:
            starts.append(line)
            line += text.count("\n") + 2
        for finding in find_blame("\n\n".join(text for _, text in fields), markdown=False, **options):
            index = bisect.bisect_right(starts, finding.line) - 1
            at, col = pm.position_of(*fields[index][0])
            offset = finding.line - starts[index]  # a folded value's later lines start at column 1
            found.append(_blame(pm, at + offset, col + finding.col - 1 if offset == 0 else finding.col, finding))
        found += [_blame(pm, pm.body_line + f.line, f.col, f) for f in find_blame(pm.body, **options)]
    return [d for d in found if not _suppressed(d, postmortems_by_path)]


def _suppressed(found: Diagnostic, by_path: dict[str, Postmortem]) -> bool:
    """A `blameless-ok` comment on the finding's line or the line before."""
    marked = by_path[found.path].suppressed_lines
    return found.line in marked or found.line - 1 in marked


def _blame(pm: Postmortem, line: int, col: int, found) -> Diagnostic:
    return Diagnostic(pm.path, line, col, "blame-language", found.message,
                      f"{found.hint}; or add a `blameless-ok` comment if the wording is justified",
                      CODES["blame-language"][0])


REVIEW_RULES: tuple[Callable[[Postmortem, Context], Iterable[Diagnostic]], ...] = (
    required_sections, placeholders, key_timestamps, publication, first_priority_deadlines, causes_addressed,
    done_when, impact_quantified, root_cause_depth, communications, communication_owed,
)


def check_review(pm: Postmortem, ctx: Context) -> list[Diagnostic]:
    """Every review rule on one postmortem (blame-language runs over all of them: `check_blame`)."""
    return [d for rule in REVIEW_RULES for d in rule(pm, ctx)]

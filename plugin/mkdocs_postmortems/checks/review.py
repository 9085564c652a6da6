"""Review rules: what each lifecycle state needs, review deadlines per severity, the machine-checkable items of
the reviewer checklist (`checklist.py`).

`draft` needs only a well-formed file; `in-review` also needs reviewers (`reviewer-required`), every required
section and no template `TODO`s; `published` also needs the key timestamps, `published_on`, every causal root
cause addressed, `done_when` on first-priority items, quantified impact, more than causal causes, and a note of
who was told internally. An `imported` record, history nobody reviewed here, needs none of it, nor has a deadline.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ..dates import add_business_days, plus_days
from ..diagnostics import Diagnostic, Level
from ..model import Postmortem
from ..parsing.markdown import body_headings
from ..policy import REVIEW_STATES, Policy
from .communications import communications_owed
from .registry import Context, diagnostic, rule

REVIEWED = ("in-review", "published")
PUBLISHED = ("published",)
W = Level.WARNING
_KEY_TIMESTAMPS = ("detected", "mitigated", "resolved")
_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[ivx]+\.)\s+", re.I)
_EMPHASIS = re.compile(r"[*_`]")


@functools.lru_cache(maxsize=4096)  # the same few dozen headings recur in every postmortem
def heading_key(title: str) -> str:
    """A heading as compared with a section name: case, emphasis, spaces, a leading number ("3. Impact") and a
    trailing colon do not matter."""
    text = " ".join(_EMPHASIS.sub("", title).split())
    return _NUMBERING.sub("", text).rstrip(":").strip().casefold()


def _section_keys(policy: Policy) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each required section and the heading keys that count as it (its name and its aliases)."""
    return _keys(
        tuple((section, tuple(policy.section_aliases.get(section, ()))) for section in policy.required_sections)
    )


@functools.lru_cache(maxsize=16)
def _keys(sections: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple((section, frozenset(map(heading_key, (section, *aliases)))) for section, aliases in sections)


@rule("section-missing", W, "A postmortem in review or published lacks a required body section.", states=REVIEWED)
def required_sections(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if pm.is_maintenance or pm.is_unknown("sections"):
        return
    present = {heading_key(title) for title in body_headings(pm.body)}
    for section, keys in _section_keys(ctx.policy):
        if present.isdisjoint(keys):
            yield diagnostic(
                pm,
                ("body",),
                "section-missing",
                f"the body has no “{section}” section",
                f"add a heading `## {section}`",
            )


def free_texts(pm: Postmortem) -> Iterator[tuple[tuple, str]]:
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


@rule(
    "placeholder-left", W, "A postmortem in review or published still has a `TODO` from the template.", states=REVIEWED
)
def placeholders(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    for key_path, text in free_texts(pm):
        if text.lstrip().upper().startswith("TODO"):
            yield diagnostic(
                pm,
                key_path,
                "placeholder-left",
                f"`{'.'.join(map(str, key_path))}` is still a `TODO`",
                "replace the template's placeholder with what happened",
            )


@rule("timestamp-missing", W, "A published postmortem without `detected`, `mitigated` or `resolved`.", states=PUBLISHED)
def key_timestamps(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    # a timestamp that is written but invalid has its own error already; maintenance has no detection or mitigation
    names = ("resolved",) if pm.is_maintenance else _KEY_TIMESTAMPS
    missing = [
        name for name in names if not pm.happened(name) and (name,) not in pm.positions and not pm.is_unknown(name)
    ]
    if missing:
        yield diagnostic(
            pm,
            ("status",),
            "timestamp-missing",
            f"a published postmortem needs {', '.join(f'`{m}`' for m in missing)}",
            "add them from the timeline: time to detect, mitigate and resolve are measured from them",
        )


@rule(
    "published-date",
    W,
    "A published postmortem without `published_on`, or published before it was resolved.",
    states=PUBLISHED,
)
def published_date(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    resolved = pm.resolved.date() if pm.resolved else None
    if pm.published_on is None and not pm.is_unknown("published_on"):
        yield diagnostic(
            pm,
            ("status",),
            "published-date",
            "a published postmortem needs `published_on`",
            "add `published_on: YYYY-MM-DD`, the day the review was signed off",
        )
    elif resolved and pm.published_on and pm.published_on < resolved:
        yield diagnostic(
            pm,
            ("published_on",),
            "published-date",
            f"`published_on` {pm.published_on} is before the incident was resolved ({resolved})",
            "correct `published_on` or `resolved`",
        )


@rule(
    "publish-overdue",
    W,
    "Not published within the severity's business days of `resolved`.",
    states=REVIEW_STATES,  # an imported record's review never started here: it has no deadline
    docs="configuration.md#review-deadlines",
)
def publish_overdue(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    days = ctx.policy.publish_within_business_days.get(pm.severity)
    if days is None or pm.resolved is None:
        return
    deadline = add_business_days(pm.resolved.date(), days)
    if pm.status == "published" and pm.published_on and pm.published_on > deadline:
        yield diagnostic(
            pm,
            ("published_on",),
            "publish-overdue",
            f"published {pm.published_on}, after the {pm.severity} deadline of {deadline} "
            f"({days} business days after resolution)",
            "nothing to change now; review sooner next time",
        )
    elif pm.status != "published" and ctx.today > deadline:
        yield diagnostic(
            pm,
            ("status",),
            "publish-overdue",
            f"still `{pm.status}`: a {pm.severity} postmortem was due for publication by {deadline} "
            f"({days} business days after resolution)",
            "ask the reviewers to finish, or publish it",
        )


@rule(
    "action-item-deadline",
    W,
    "A first-priority action item due later than the severity allows after `resolved`.",
    states=REVIEWED,
    docs="configuration.md#review-deadlines",
)
def first_priority_deadlines(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    days = ctx.policy.first_priority_due_within_days.get(pm.severity)
    if days is None or pm.resolved is None:
        return
    first, latest = ctx.policy.priorities[0], plus_days(pm.resolved.date(), days)
    for index, item in enumerate(pm.action_items):
        if item.priority == first and item.is_open and item.due and item.due > latest:
            yield diagnostic(
                pm,
                ("action_items", index, "due"),
                "action-item-deadline",
                f"{first} action item “{item.title}” is due {item.due}; a {pm.severity} allows "
                f"{days} days after resolution ({latest})",
                f"bring `due` forward to {latest} or earlier, or lower its priority",
            )


@rule(
    "cause-unaddressed",
    W,
    "A published postmortem's causal root cause that no action item addresses.",
    states=PUBLISHED,
)
def causes_addressed(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if pm.is_maintenance or pm.is_unknown("action_items"):
        return
    addressed = {cause_id for item in pm.action_items for cause_id in item.addresses}
    if addressed - {cause.id for cause in pm.root_causes}:  # a mistyped id: `unknown-root-cause` says so
        return
    if not pm.action_items and (
        pm.severity in ctx.policy.action_items_required_for  # `action-items-missing` says so
        or ("action_items",) in pm.positions
    ):  # written, but not a list: `wrong-type`
        return
    for index, cause in enumerate(pm.root_causes):
        if cause.kind == "causal" and cause.id not in addressed:
            hint = (
                "list its `id` in an action item's `addresses`, or add a `wont-do` item with a `reason`"
                if cause.id
                else "give it an `id` and list it in an action item's `addresses`"
            )
            yield diagnostic(
                pm,
                ("root_causes", index),
                "cause-unaddressed",
                f"causal root cause {cause.id or index + 1} has no action item",
                hint,
            )


@rule(
    "done-when-missing", W, "A published postmortem's first-priority action item without `done_when`.", states=PUBLISHED
)
def done_when(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if pm.is_unknown("action_items.done_when"):
        return
    first = ctx.policy.priorities[0]
    for index, item in enumerate(pm.action_items):
        if item.priority == first and not item.done_when and item.status != "wont-do":
            yield diagnostic(
                pm,
                ("action_items", index, "title"),
                "done-when-missing",
                f"{first} action item “{item.title}” has no `done_when`",
                "add the measurable condition that proves it is done",
            )


@rule(
    "impact-unquantified",
    W,
    "A published postmortem's impact without `customers_affected` or `requests_failed`.",
    states=PUBLISHED,
)
def impact_quantified(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    # a number written but invalid has its own error, and so has an impact with no summary
    written = any(
        ("impact", name) in pm.positions or pm.is_unknown(f"impact.{name}")
        for name in ("customers_affected", "requests_failed")
    )
    if (
        not pm.is_maintenance
        and pm.impact.summary
        and pm.impact.customers_affected is None
        and pm.impact.requests_failed is None
        and not written
    ):
        yield diagnostic(
            pm,
            ("impact",),
            "impact-unquantified",
            "the impact has no number",
            "add `customers_affected` or `requests_failed`, an estimate if need be",
        )


@rule(
    "root-cause-shallow",
    W,
    "A published postmortem with causal root causes only: no contributing or systemic one.",
    states=PUBLISHED,
)
def root_cause_depth(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if pm.root_causes and all(cause.kind == "causal" for cause in pm.root_causes) and not pm.is_maintenance:
        yield diagnostic(
            pm,
            ("root_causes",),
            "root-cause-shallow",
            "every root cause is `causal`",
            "ask why the trigger could cause harm: add the `contributing` or `systemic` conditions",
        )


@rule(
    "communication-missing",
    W,
    "A published postmortem that records no communication to internal teams.",
    states=PUBLISHED,
)
def communications(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if not any(note.audience == "internal" for note in pm.communications) and not pm.is_unknown("communications"):
        yield diagnostic(
            pm,
            ("status",),
            "communication-missing",
            "no communication to internal teams is recorded",
            "add a `communications` entry with `audience: internal` (the channel and when)",
        )


@rule(
    "communication-owed",
    W,
    "A notice the communication policy requires (customers, regulators) is missing or late.",
    states=REVIEWED,
    docs="configuration.md#communication-policy",
)
def communication_owed(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    where = ("communications",) if pm.communications else ("status",)
    for owed in communications_owed(pm, ctx.policy):
        yield diagnostic(
            pm,
            where,
            "communication-owed",
            f"{owed.audience}: a notice is {owed.state} ({owed.reason})",
            f"tell them, and add a `communications` entry with `audience: {owed.audience}`, the channel and when",
        )

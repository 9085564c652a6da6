"""Regulatory rules: each regulator's stage that is open or overdue (`regulatory.clocks`), a record that names a
regulated service and says nothing of reporting, and a report that names a regime or stage that does not apply.

Imported history is not judged: its reporting happened, or not, before the record came here. The clocks depend on
the moment a check runs (`moments.build_moment`: the build's time, or midnight UTC of `check --today`), not only on
the file, so `regulatory-due` and `regulatory-overdue` run across the knowledge base at every check, never from a
file's cached results.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Level
from ..model import Postmortem
from ..moments import build_moment, span_text
from ..policy import REVIEW_STATES
from ..regulatory import OPEN, OVERDUE, STAGES, clocks, in_zones, regimes_of, why_no_regime
from .registry import Context, Scope, diagnostic, rule


def _stages(postmortems: list[Postmortem], ctx: Context, state: str, code: str) -> Iterator[Diagnostic]:
    """A diagnostic of `code` for each stage `OPEN` or `OVERDUE` at the check's moment, of the records not imported:
    the time left or past, the deadline in UTC and the team's zone, and what it counts from."""
    now = build_moment(ctx.today)
    for pm in postmortems:
        if pm.status not in REVIEW_STATES:
            continue
        for clock in clocks(pm, ctx.policy, now):
            if clock.state != state or clock.due is None:
                continue
            due = in_zones(clock.due, ctx.policy)
            if state == OPEN:
                when = f"is due in {span_text(clock.due - now)}, at {due}"
            else:
                when = f"was due at {due}, {span_text(now - clock.due)} ago"
            yield diagnostic(
                pm,
                ("regulatory",) if pm.regulatory is not None else ("services",),
                code,
                f"{clock.regime} {clock.title.lower()} {when}: {clock.counts_from}",
                f"submit it, then add `{{regime: {clock.regime}, stage: {clock.stage}, submitted: <when>, reference: "
                "<the regulator's>}` to `regulatory.reports`; if the regime does not apply, say why in "
                "`regulatory.not_reportable`",
            )


@rule(
    "regulatory-due",
    Level.WARNING,
    "A regulator's report is due and not yet submitted.",
    scope=Scope.KNOWLEDGE_BASE,
    states=REVIEW_STATES,
)
def regulatory_due(postmortems: list[Postmortem], ctx: Context) -> Iterator[Diagnostic]:
    return _stages(postmortems, ctx, OPEN, "regulatory-due")


@rule(
    "regulatory-overdue",
    Level.ERROR,
    "A regulator's report is past its deadline and not submitted.",
    scope=Scope.KNOWLEDGE_BASE,
    states=REVIEW_STATES,
)
def regulatory_overdue(postmortems: list[Postmortem], ctx: Context) -> Iterator[Diagnostic]:
    return _stages(postmortems, ctx, OVERDUE, "regulatory-overdue")


@rule(
    "regulatory-unreported",
    Level.WARNING,
    "A record names a service regulated under a configured regime and has no `regulatory` block.",
    states=REVIEW_STATES,
)
def regulatory_unreported(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    regimes = regimes_of(pm, ctx.policy)
    if regimes and pm.regulatory is None:
        yield diagnostic(
            pm,
            ("services",),
            "regulatory-unreported",
            f"it names a regulated service, under {', '.join(regimes)}, and says nothing of reporting",
            "add a `regulatory` block: `aware`, the reports made, or `not_reportable` with the reason per regime",
        )


@rule(
    "regulatory-regime",
    Level.WARNING,
    "A regulatory report or `not_reportable` names a regime that does not apply to the record.",
    states=REVIEW_STATES,
)
def regulatory_regime(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    if pm.regulatory is None:
        return
    applies = regimes_of(pm, ctx.policy)
    named = [("reports", index, report.regime) for index, report in enumerate(pm.regulatory.reports)]
    named += [("not_reportable", index, entry.regime) for index, entry in enumerate(pm.regulatory.not_reportable)]
    for key, index, regime in named:
        if regime and regime not in applies:
            yield diagnostic(
                pm,
                ("regulatory", key, index, "regime"),
                "regulatory-regime",
                f"`{regime}` does not apply to this record: "
                + (f"its regulated services are under {', '.join(applies)}" if applies else why_no_regime(pm)),
                "name the regulated service in `services`, configure the regime for it (`regulated`, "
                "`regulatory.regimes`), or remove the entry",
            )


@rule(
    "regulatory-stage",
    Level.ERROR,
    "A regulatory report names a stage its regime does not have.",
    states=REVIEW_STATES,
)
def regulatory_stage(pm: Postmortem, ctx: Context) -> Iterator[Diagnostic]:
    for index, report in enumerate(pm.regulatory.reports if pm.regulatory else ()):
        stages = [stage.name for stage in STAGES.get(report.regime, ())]
        if stages and report.stage and report.stage not in stages:
            yield diagnostic(
                pm,
                ("regulatory", "reports", index, "stage"),
                "regulatory-stage",
                f"{report.regime} has no stage `{report.stage}`",
                f"{report.regime}'s stages, in order: {', '.join(stages)}",
            )

"""Who must be told about an incident, under a knowledge base's communication policy, and what is still owed.

Customers are owed a notice when the incident has a `public` summary and a severity of
`customer_notice_for`; the regulator is owed a report, within `regulator_report_within_days` of detection
(or of the start), when a regulated service was affected and no regime is configured for it. Under a configured
regime (`regulatory.regimes`) the regulators' reports are judged by the regimes' clocks instead (`regulatory.py`,
the rules of `checks/regulatory.py`), never by both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ..dates import plus
from ..model import Communication, Postmortem
from ..policy import Policy
from ..regulatory import regimes_of


@dataclass(frozen=True)
class Owed:
    """A notice the policy requires: to whom, why, and whether it is `missing` or `late`."""

    audience: str
    reason: str
    state: str


def communications_owed(pm: Postmortem, policy: Policy) -> list[Owed]:
    """What `pm` still owes its audiences under `policy`; empty when everyone required was told in time."""
    told: dict[str, Communication] = {}  # each audience's first notice
    for note in pm.communications:
        first = told.get(note.audience)
        if first is None or (note.at and (first.at is None or note.at < first.at)):
            told[note.audience] = note
    owed = []
    if pm.public is not None and pm.severity in policy.customer_notice_for and "customers" not in told:
        owed.append(Owed("customers", f"a public {pm.severity} incident", "missing"))
    regulated = [s.name for s in policy.services if s.regulated and s.name in pm.services]
    if regulated and not regimes_of(pm, policy):
        reason = f"the regulated service {', '.join(regulated)} was affected"
        report = told.get("regulators")
        since = pm.detected or pm.started
        deadline = plus(since, timedelta(days=policy.regulator_report_within_days)) if since else None
        if report is None:
            owed.append(Owed("regulators", reason, "missing"))
        elif deadline and report.at and report.at > deadline:
            owed.append(Owed("regulators", f"{reason}; due within {policy.regulator_report_within_days} days", "late"))
    return owed

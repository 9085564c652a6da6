"""The reviewer checklist (after Google's SRE book): what a machine checks, as rule codes, and what a person must.

`postmortems pr-summary` shows it per changed postmortem: machine items ticked or not by their rules'
diagnostics, human items as questions for the reviewer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..policy import STATUSES
from .families import RULES


@dataclass(frozen=True)
class ChecklistItem:
    """One review question; `codes` are the rules that check it (none: only a person can)."""

    title: str
    question: str
    codes: tuple[str, ...] = ()

    @property
    def checked_in(self) -> tuple[str, ...]:
        """The states in which all of its rules run (most wait for `published`, see `review.py`)."""
        return tuple(state for state in STATUSES if all(RULES[code].runs_in(state) for code in self.codes))


CHECKLIST = (
    ChecklistItem(
        "Key data collected",
        "Are the timeline's times right, with detection and every decision in it?",
        ("timestamp-missing", "section-missing", "placeholder-left"),
    ),
    ChecklistItem(
        "Impact assessed",
        "Is the impact given in numbers users would recognise: customers, requests, orders, money, SLOs?",
        ("impact-unquantified",),
    ),
    ChecklistItem(
        "Root cause deep enough",
        "Does the analysis go past the trigger to the conditions that let it "
        "happen, and could they cause another incident elsewhere?",
        ("root-cause-shallow",),
    ),
    ChecklistItem(
        "Action plan appropriate",
        "Will the action items prevent a recurrence or shorten the next "
        "incident, and are they specific, owned and due soon enough?",
        ("action-items-missing", "cause-unaddressed", "done-when-missing", "action-item-deadline"),
    ),
    ChecklistItem(
        "Blameless", "Does the text describe what the system allowed, not who got it wrong?", ("blame-language",)
    ),
    ChecklistItem(
        "Outcome shared",
        "Have internal teams, customers and, where required, regulators been told?",
        ("communication-missing", "communication-owed"),
    ),
    ChecklistItem(
        "Reviewed on time",
        "Is the review moving: reviewers named, published within the deadline?",
        ("reviewer-required", "publish-overdue", "published-date"),
    ),
)


def checklist_results(
    diagnostics: Iterable[Diagnostic], status: str
) -> list[tuple[ChecklistItem, list[Diagnostic], bool]]:
    """Each checklist item with the diagnostics of its rules in one postmortem, and whether its rules have all run
    in `status` (an item with no findings passes only if they have)."""
    found = list(diagnostics)
    return [(item, [d for d in found if d.code in item.codes], status in item.checked_in) for item in CHECKLIST]

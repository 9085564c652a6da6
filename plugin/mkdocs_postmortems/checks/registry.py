"""The rule registry: each rule declared once, beside its check, with everything the rest derives from it.

A rule has a code, a default level, a one-line summary (the reference's "Meaning"), the lifecycle states it runs
in, its scope and its docs anchor. A rule family (a module listed in `families.py`) imports this module and
declares its rules with `@rule` (or `declare` for the parser's); this module imports no family and nothing above
the model and the policy. `RULES` holds the rules declared so far, each family's as soon as it is loaded;
`families.RULES` is all of them. The loader's loop, the levels diagnostics are reported at, the reviewer
checklist, the configuration's check of `rule_levels` and the reference's code table (tested) all read them;
adding a rule touches its module, its fixture and its line of docs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from ..diagnostics import Diagnostic, Level
from ..model import Postmortem
from ..policy import Policy

REFERENCE = "reference.md#diagnostics"


class Scope(str, Enum):
    """What a rule looks at: one file as it is read (the parser reports it), one parsed postmortem, every
    postmortem of the knowledge base at once (references, people, leaks), or what every other rule found (a
    postmortem with errors is withheld from the public site)."""

    FILE = "file"
    POSTMORTEM = "postmortem"
    KNOWLEDGE_BASE = "knowledge base"
    FINDINGS = "findings"


class Context:
    """What a rule may look at besides the postmortems: the policy, the date to judge deadlines by, the IDs of every
    Markdown file of the folder (a `related` ID may name a file that failed to parse), and the tickets action items
    link to, as `postmortems sync` read them (link -> `drift.Ticket`; none in a build, which never reads a tracker)."""

    def __init__(
        self,
        policy: Policy,
        today: date,
        ids: Iterable[str] = (),
        memo: dict | None = None,
        tickets: Mapping[str, Any] | None = None,
    ):
        self.policy = policy
        self.today = today
        self.ids = frozenset(ids)
        self.tickets: Mapping[str, Any] = tickets or {}
        self.memo = {} if memo is None else memo  # a rule's results kept between builds (same policy and today)
        # the whole folder's people and sorted start years, when not every file was parsed (`check --changed-since`)
        self.people: tuple[str, ...] | None = None
        self.starts: list[int] | None = None


# A rule's check: its arguments depend on its scope (see `Rule`).
Check = Callable[..., Iterable[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    """One rule. `states`: the lifecycle states it runs in (None: every state, an invalid one too). `check`: a
    function of (postmortem, context) for `Scope.POSTMORTEM`, of (postmortems, context) for
    `Scope.KNOWLEDGE_BASE`, of (postmortems, their diagnostics by path, context) for `Scope.FINDINGS`, and None for
    `Scope.FILE`, whose diagnostics the parser reports. `family`: the module that declares it."""

    code: str
    level: Level
    summary: str
    scope: Scope
    states: tuple[str, ...] | None = None
    check: Check | None = None
    docs: str = REFERENCE
    family: str = ""

    def runs_in(self, status: str) -> bool:
        return self.states is None or status in self.states


RULES: dict[str, Rule] = {}  # declared so far: `families.RULES` has every rule


def _declare(rule: Rule) -> None:
    if rule.code in RULES:
        raise ValueError(f"rule `{rule.code}` is declared twice")
    RULES[rule.code] = rule


def rule(
    code: str,
    level: Level,
    summary: str,
    *,
    scope: Scope = Scope.POSTMORTEM,
    states: Iterable[str] | None = None,
    docs: str = REFERENCE,
):
    """Declare the decorated function as the check of rule `code`."""

    def register(check):
        _declare(
            Rule(code, level, summary, scope, None if states is None else tuple(states), check, docs, check.__module__)
        )
        return check

    return register


def declare(code: str, level: Level, summary: str, docs: str = REFERENCE) -> None:
    """Declare a rule that the parser reports while reading a file (`Scope.FILE`), in the calling module's family."""
    _declare(Rule(code, level, summary, Scope.FILE, docs=docs, family=sys._getframe(1).f_globals["__name__"]))


def diagnostic(pm: Postmortem, key_path: tuple, code: str, message: str, hint: str) -> Diagnostic:
    """A diagnostic of rule `code` at the source position of `key_path` in `pm`, at the rule's default level."""
    line, col = pm.position_of(*key_path)
    return Diagnostic(pm.path, line, col, code, message, hint, RULES[code].level)

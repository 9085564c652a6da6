"""The rules a postmortem is checked against, one module per family, each declared once in the registry
(`registry.py`); importing this package registers them all."""

from __future__ import annotations

from functools import cache

from ..diagnostics import Diagnostic
from ..model import Postmortem
from ..status_site import leak_gate, public, said
from . import blameless, reading, references, review, structure
from .registry import RULES, Context, Rule, Scope

_FAMILIES = (reading, structure, review, references, blameless, leak_gate, public, said)  # each registers its rules


@cache
def _rules(scope: Scope) -> tuple[Rule, ...]:
    """The rules of `scope`, read once on first use: a family module imported first (say `status_site.said`)
    registers its rules only after this package has loaded."""
    return tuple(rule for rule in RULES.values() if rule.scope is scope)


def check_postmortem(pm: Postmortem, ctx: Context) -> list[Diagnostic]:
    """Every rule on one postmortem that runs in its lifecycle state."""
    return [d for rule in _rules(Scope.POSTMORTEM) if rule.runs_in(pm.status) for d in rule.check(pm, ctx)]


def check_knowledge_base(postmortems: list[Postmortem], ctx: Context) -> list[Diagnostic]:
    """Every rule across all postmortems at once: references, people, leaks."""
    return [d for rule in _rules(Scope.KNOWLEDGE_BASE) for d in rule.check(postmortems, ctx)]


def check_findings(postmortems: list[Postmortem], by_path: dict[str, list[Diagnostic]], ctx: Context) -> list[Diagnostic]:
    """Every rule over what the others found, at the levels they are reported at."""
    return [d for rule in _rules(Scope.FINDINGS) for d in rule.check(postmortems, by_path, ctx)]


__all__ = ["RULES", "Context", "Rule", "Scope", "check_findings", "check_knowledge_base", "check_postmortem"]

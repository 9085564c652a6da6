"""The rules a postmortem is checked against, one module per family, each declared once in the registry
(`registry.py`); importing this package registers them all."""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..model import Postmortem
from ..status_site import leak_gate, public
from . import blameless, reading, references, review, structure
from .registry import RULES, Context, Rule, Scope

_FAMILIES = (reading, structure, review, references, blameless, leak_gate, public)  # each declares its rules on import
_ON_ONE = tuple(rule for rule in RULES.values() if rule.scope is Scope.POSTMORTEM)
_ON_ALL = tuple(rule for rule in RULES.values() if rule.scope is Scope.KNOWLEDGE_BASE)
_ON_FINDINGS = tuple(rule for rule in RULES.values() if rule.scope is Scope.FINDINGS)


def check_postmortem(pm: Postmortem, ctx: Context) -> list[Diagnostic]:
    """Every rule on one postmortem that runs in its lifecycle state."""
    return [d for rule in _ON_ONE if rule.runs_in(pm.status) for d in rule.check(pm, ctx)]


def check_knowledge_base(postmortems: list[Postmortem], ctx: Context) -> list[Diagnostic]:
    """Every rule across all postmortems at once: references, people, leaks."""
    return [d for rule in _ON_ALL for d in rule.check(postmortems, ctx)]


def check_findings(postmortems: list[Postmortem], by_path: dict[str, list[Diagnostic]], ctx: Context) -> list[Diagnostic]:
    """Every rule over what the others found, at the levels they are reported at."""
    return [d for rule in _ON_FINDINGS for d in rule.check(postmortems, by_path, ctx)]


__all__ = ["RULES", "Context", "Rule", "Scope", "check_findings", "check_knowledge_base", "check_postmortem"]

"""The rule families, listed once: every module that declares rules, in the order their checks run, and the loops
that run them by scope. The registry (`registry.py`) imports no family; each family imports the registry, and this
module imports each family, as yamllint's `rules/__init__.py` lists its rule modules. A new family is a module that
declares its rules with `registry.rule` and a line in `FAMILIES`; `tests/test_registry.py` fails for a module that
declares rules and is not listed."""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..model import Postmortem
from ..status_site import leak_gate, public, said
from . import blameless, drift, reading, references, regulatory, review, structure
from .registry import RULES as DECLARED, Check, Context, Rule, Scope

FAMILIES = (reading, structure, review, regulatory, references, blameless, leak_gate, public, said, drift)


def _in_family_order() -> dict[str, Rule]:
    """The rules of `FAMILIES`, family by family, each family's in the order it declares them."""
    rank = {family.__name__: index for index, family in enumerate(FAMILIES)}
    listed = sorted((rule for rule in DECLARED.values() if rule.family in rank), key=lambda rule: rank[rule.family])
    return {rule.code: rule for rule in listed}


RULES: dict[str, Rule] = _in_family_order()
# Each scope's rules with their checks; `Scope.FILE` rules have none: the parser reports them.
_BY_SCOPE: dict[Scope, tuple[tuple[Rule, Check], ...]] = {
    scope: tuple((rule, rule.check) for rule in RULES.values() if rule.scope is scope and rule.check is not None)
    for scope in Scope
}


def check_postmortem(pm: Postmortem, ctx: Context) -> list[Diagnostic]:
    """Every rule on one postmortem that runs in its lifecycle state."""
    return [d for rule, check in _BY_SCOPE[Scope.POSTMORTEM] if rule.runs_in(pm.status) for d in check(pm, ctx)]


def check_knowledge_base(postmortems: list[Postmortem], ctx: Context) -> list[Diagnostic]:
    """Every rule across all postmortems at once: references, people, leaks."""
    return [d for _, check in _BY_SCOPE[Scope.KNOWLEDGE_BASE] for d in check(postmortems, ctx)]


def check_findings(
    postmortems: list[Postmortem],
    by_path: dict[str, list[Diagnostic]],
    ctx: Context,
) -> list[Diagnostic]:
    """Every rule over what the others found, at the levels they are reported at."""
    return [d for _, check in _BY_SCOPE[Scope.FINDINGS] for d in check(postmortems, by_path, ctx)]


__all__ = ["FAMILIES", "RULES", "Context", "check_findings", "check_knowledge_base", "check_postmortem"]

"""`checks/families.py`: the rule families listed once, and the three loops that run their rules by scope. One
postmortem gets only the rules of its lifecycle state; the knowledge base gets the rules across files; the findings
rules see what every other rule found."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

from conftest import TODAY, make_policy
from mkdocs_postmortems.checks import families
from mkdocs_postmortems.checks.registry import Context, Scope
from mkdocs_postmortems.diagnostics import Diagnostic, Level
from mkdocs_postmortems.model import Postmortem, PublicSummary

START = datetime(2024, 3, 14, 9, 50, tzinfo=timezone.utc)
CTX = Context(make_policy(), TODAY)
WITHOUT_REVIEWER = Postmortem(
    id="2024-03-14-x",
    path="postmortems/2024-03-14-x.md",
    title="X",
    status="in-review",
    severity="SEV3",
    services=("checkout",),
    started=START,
)


def test_every_rule_of_every_family_in_family_order():
    families_in_order = [rule.family for rule in families.RULES.values()]
    assert sorted(set(families_in_order), key=families_in_order.index) == [f.__name__ for f in families.FAMILIES]
    assert {rule.family for rule in families.RULES.values()} == {f.__name__ for f in families.FAMILIES}
    assert all((rule.check is None) == (rule.scope is Scope.FILE) for rule in families.RULES.values())


def test_a_postmortem_is_checked_by_the_rules_of_its_state_only():
    in_review = [d.code for d in families.check_postmortem(WITHOUT_REVIEWER, CTX)]
    assert "reviewer-required" in in_review
    as_draft = [d.code for d in families.check_postmortem(dataclasses.replace(WITHOUT_REVIEWER, status="draft"), CTX)]
    assert "reviewer-required" not in as_draft
    ran = set(in_review + as_draft)
    assert all(families.RULES[code].scope is Scope.POSTMORTEM for code in ran)


def test_the_knowledge_base_is_checked_across_files():
    again = dataclasses.replace(WITHOUT_REVIEWER, path="postmortems/2024/2024-03-14-x.md", related=("nothing",))
    found = families.check_knowledge_base([WITHOUT_REVIEWER, again], CTX)
    assert sorted(d.code for d in found) == ["duplicate-id", "unknown-related"]
    assert all(families.RULES[d.code].scope is Scope.KNOWLEDGE_BASE for d in found)


def test_the_findings_rules_see_the_errors_the_others_found():
    public = dataclasses.replace(WITHOUT_REVIEWER, status="published", public=PublicSummary("Slow", "Slow."))
    error = Diagnostic(public.path, 3, 1, "reviewer-required", "no reviewer", level=Level.ERROR)
    (withheld,) = families.check_findings([public], {public.path: [error]}, CTX)
    assert withheld.code == "public-withheld" and "reviewer-required" in withheld.message
    assert families.check_findings([public], {}, CTX) == []

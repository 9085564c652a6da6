"""The rule registry: each rule declared once, and everything derived from it agrees with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mkdocs_postmortems.checks.checklist import CHECKLIST
from mkdocs_postmortems.checks.families import RULES
from mkdocs_postmortems.checks.registry import Scope
from mkdocs_postmortems.policy import LIVE, STATUSES

DOCS = Path(__file__).parent.parent / "docs"


def heading_anchors(page: Path) -> set[str]:
    """The anchors MkDocs' `toc` extension gives a page's headings."""
    anchors = set()
    for heading in re.findall(r"^#{1,6} +(.+?) *#*$", page.read_text(encoding="utf-8"), re.M):
        text = re.sub(r"[`*_]", "", heading).strip().lower()
        anchors.add(re.sub(r"[\s]+", "-", re.sub(r"[^\w\s-]", "", text)))
    return anchors


@pytest.mark.parametrize("code", sorted(RULES))
def test_each_rule_links_a_section_of_the_docs_that_exists(code):
    page, _, anchor = RULES[code].docs.partition("#")
    assert anchor in heading_anchors(DOCS / page), f"{code}: docs/{page} has no heading #{anchor}"


@pytest.mark.parametrize("code", sorted(RULES))
def test_each_rule_has_a_check_unless_the_parser_reports_it(code):
    rule = RULES[code]
    assert (rule.check is None) is (rule.scope is Scope.FILE), code
    assert rule.states is None or set(rule.states) <= set(STATUSES), code
    assert rule.summary.endswith("."), code


def test_every_rule_that_waits_for_review_is_on_the_checklist():
    on_checklist = {code for item in CHECKLIST for code in item.codes}
    assert on_checklist <= set(RULES)
    waiting = {code for code, rule in RULES.items() if not rule.runs_in("draft") and rule.states != (LIVE,)}
    # the rules of a live incident (`ongoing`) are the on-call's, not the reviewer's
    assert waiting <= on_checklist


def test_checklist_states_are_those_in_which_all_its_rules_run():
    by_title = {item.title: item for item in CHECKLIST}
    assert by_title["Blameless"].checked_in == STATUSES  # blame-language runs in every state
    assert by_title["Key data collected"].checked_in == ("published",)  # timestamp-missing waits for it


def test_every_module_that_declares_rules_is_a_listed_family():
    """A module that declares rules runs only if `families.FAMILIES` lists it: load every module of the package, and
    the registry knows no rule the families do not."""
    import importlib
    import pkgutil

    import mkdocs_postmortems
    from mkdocs_postmortems.checks import registry
    from mkdocs_postmortems.checks.families import FAMILIES

    for module in pkgutil.walk_packages(mkdocs_postmortems.__path__, "mkdocs_postmortems."):
        importlib.import_module(module.name)
    listed = {family.__name__ for family in FAMILIES}
    assert {rule.family for rule in registry.RULES.values()} == listed
    assert registry.RULES == RULES
    in_order = [rule.code for family in FAMILIES for rule in RULES.values() if rule.family == family.__name__]
    assert list(RULES) == in_order

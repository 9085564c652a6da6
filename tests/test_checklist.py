"""`checks/checklist.py`: the reviewer checklist. Each machine item names declared rules, is checked only in the
states where all of them run, and is ticked by the absence of their diagnostics; human items are questions."""

from __future__ import annotations

from mkdocs_postmortems.checks.checklist import CHECKLIST, ChecklistItem, checklist_results
from mkdocs_postmortems.checks.families import RULES
from mkdocs_postmortems.diagnostics import Diagnostic, Level
from mkdocs_postmortems.policy import STATUSES


def finding(code: str) -> Diagnostic:
    return Diagnostic("postmortems/x.md", 1, 1, code, f"{code} found", level=Level.WARNING)


def test_every_item_is_a_question_checked_by_declared_rules():
    assert all(item.question.endswith("?") for item in CHECKLIST)
    assert [code for item in CHECKLIST for code in item.codes if code not in RULES] == []
    assert len({item.title for item in CHECKLIST}) == len(CHECKLIST)


def test_an_item_is_checked_in_the_states_where_all_its_rules_run():
    assert ChecklistItem("Person only", "Is it kind?").checked_in == STATUSES
    assert ChecklistItem("Reviewers", "Named?", ("reviewer-required",)).checked_in == ("in-review", "published")
    for item in CHECKLIST:
        assert item.checked_in == tuple(s for s in STATUSES if all(RULES[c].runs_in(s) for c in item.codes))
    impact = next(item for item in CHECKLIST if "impact-unquantified" in item.codes)
    assert "published" in impact.checked_in and "draft" not in impact.checked_in


def test_results_give_each_item_the_findings_of_its_rules_and_whether_they_ran():
    found = [finding("impact-unquantified"), finding("blame-language"), finding("unknown-key")]
    results = {item.title: (findings, ran) for item, findings, ran in checklist_results(found, "published")}
    assert list(results) == [item.title for item in CHECKLIST]
    assert [d.code for d in results["Impact assessed"][0]] == ["impact-unquantified"]
    assert [d.code for d in results["Blameless"][0]] == ["blame-language"]
    assert all(ran for _, ran in results.values())
    in_draft = {item.title: ran for item, _, ran in checklist_results([], "draft")}
    assert not in_draft["Impact assessed"] and in_draft["Blameless"]

"""`checks/drift.py`: an action item against its ticket as `sync` read it: status both ways, the closing day, the owner
only where a person can be compared, and a build, which reads no ticket, never reporting it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from conftest import TODAY, VALID
from mkdocs_postmortems.checks.drift import Drift, Person, Ticket, drift_diagnostics, drifts
from mkdocs_postmortems.checks.registry import Context
from mkdocs_postmortems.diagnostics import Level
from mkdocs_postmortems.knowledge import load_knowledge_base, postmortem_from_source
from mkdocs_postmortems.parsing.frontmatter import source_from_bytes
from mkdocs_postmortems.policy import Policy

LINK = "https://github.com/larkspur/checkout/issues/12"


def postmortem(item: str, authors: str = "[alice]"):
    """VALID with its one action item written as `item` (the lines after `- title: ...`)."""
    text = VALID.replace(
        "    status: open\n    addresses: [pool]\n", item + f"    link: {LINK}\n    addresses: [pool]\n"
    ).replace("authors: [alice]", f"authors: {authors}")
    pm, problems = postmortem_from_source(source_from_bytes(text.encode(), "x.md"), "x", "x.md", Policy())
    assert pm is not None and not problems, problems
    return pm


def fields(found: list[Drift]) -> list[tuple[str, str, str]]:
    return [(each.field, each.ours, each.theirs) for each in found]


OPEN = Ticket(LINK, "open", None, (), "open")
DONE = Ticket(LINK, "done", date(2024, 3, 20), (), "closed as completed")


@pytest.mark.parametrize(
    "item, ticket, expected",
    [
        ("    status: open\n", DONE, [("status", "open", "done"), ("closed", "", "2024-03-20")]),
        (
            "    status: in-progress\n",
            replace(DONE, status="wont-do"),
            [("status", "in-progress", "wont-do"), ("closed", "", "2024-03-20")],
        ),
        (
            "    status: done\n    closed: 2024-03-20\n",
            OPEN,
            [("status", "done", "open"), ("closed", "2024-03-20", "")],
        ),
        (
            "    status: done\n    closed: 2024-03-20\n",
            replace(DONE, status="wont-do"),
            [("status", "done", "wont-do")],
        ),
        ("    status: done\n    closed: 2024-03-19\n", DONE, [("closed", "2024-03-19", "2024-03-20")]),
        ("    status: done\n    closed: 2024-03-20\n", DONE, []),
        ("    status: done\n    closed: 2024-03-20\n", replace(DONE, closed=None), []),  # the day unknown there
        ("    status: open\n", replace(OPEN, status="in-progress"), []),  # open and in progress are one state
        ("    status: in-progress\n", OPEN, []),
    ],
)
def test_status_and_closing_day_drift_both_ways(item, ticket, expected):
    assert fields(drifts(postmortem(item), {LINK: ticket})) == expected


def test_an_owner_is_compared_only_where_a_person_can_be():
    ana, bo = Person("@ana", "Ana Lopez"), Person("@bo", "Bo Chen")

    def owner_drift(owner: str, *assignees: Person, names=frozenset(), authors="[alice]"):
        item = "    status: open\n"
        pm = postmortem(item, authors)
        pm = replace(pm, action_items=(replace(pm.action_items[0], owner=owner),))
        return fields(drifts(pm, {LINK: replace(OPEN, assignees=assignees)}, names))

    assert owner_drift("@bo", ana) == [("owner", "@bo", "@ana")]
    assert owner_drift("@ANA", ana, bo) == []  # one of the assignees, in any case
    assert owner_drift("@bo") == []  # assigned to nobody: nothing to compare
    assert owner_drift("team-checkout", ana) == []  # a team is never compared
    assert owner_drift("Bo Chen", ana) == []  # a name nobody says is a person
    assert owner_drift("Bo Chen", ana, names=frozenset({"bo chen"})) == [("owner", "Bo Chen", "Ana Lopez")]
    assert owner_drift("Bo Chen", ana, authors="[Bo Chen]") == [("owner", "Bo Chen", "Ana Lopez")]
    assert owner_drift("@bo", Person("", "Ana Lopez")) == []  # a handle against a tracker of names only (Jira Cloud)


def test_each_drift_is_a_diagnostic_at_the_line_of_its_field_at_the_rules_level():
    pm = postmortem("    status: open\n")
    found = drift_diagnostics(pm, {LINK: DONE}, Policy())
    status, closed = (diagnostic for _, diagnostic in found)
    assert (status.code, status.line, status.level) == ("action-item-drift", 25, Level.WARNING)
    assert status.message == (
        f"action item “Size the pool for peak traffic” is `open` here, but its ticket {LINK} is closed as completed"
    )
    assert "postmortems sync --write" in status.hint
    assert closed.line == pm.position_of("action_items", 0)[0]  # no `closed` key: the item's line
    assert "was closed on 2024-03-20 in its ticket" in closed.message
    assert drift_diagnostics(pm, {LINK: DONE}, Policy(rule_levels={"action-item-drift": Level.OFF})) == []
    assert [
        d.level for _, d in drift_diagnostics(pm, {LINK: DONE}, Policy(rule_levels={"action-item-drift": Level.ERROR}))
    ] == [Level.ERROR] * 2


def test_the_rule_finds_nothing_without_tickets_so_a_build_never_reports_it(tmp_path):
    from mkdocs_postmortems.checks.drift import action_item_drift

    pm = postmortem("    status: open\n")
    assert list(action_item_drift(pm, Context(Policy(), TODAY))) == []
    assert [d.code for d in action_item_drift(pm, Context(Policy(), TODAY, tickets={LINK: DONE}))] == [
        "action-item-drift"
    ] * 2
    (tmp_path / "2024-03-14-example.md").write_text(
        VALID.replace("    addresses: [pool]\n", f"    link: {LINK}\n    addresses: [pool]\n"), encoding="utf-8"
    )
    kb = load_knowledge_base(tmp_path, Policy(), today=TODAY)
    assert [d.code for d in kb.diagnostics if d.code == "action-item-drift"] == []

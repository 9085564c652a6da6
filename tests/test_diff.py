"""`pull_requests/diff.py`: the semantic diff of two versions of a postmortem's front matter that `postmortems
pr-summary` shows: action items matched by title (or by position and owner when retitled), root causes by ID (or by
content), and the fields a reviewer wants to see change."""

from __future__ import annotations

from datetime import date, datetime, timezone

from conftest import VALID
from mkdocs_postmortems.pull_requests.diff import FieldChange, FrontMatterDiff, diff_postmortems, value_text
from test_comment import ITEM, LOAD_TEST, parse, with_items


def diff(before: str | None, after: str | None) -> FrontMatterDiff:
    return diff_postmortems(before and parse(before), after and parse(after))


def item_changes(before: str, after: str) -> list[tuple]:
    return [
        (c.change, c.item.title, [(f.field, f.before, f.after) for f in c.fields])
        for c in diff(before, after).action_items
    ]


def test_unchanged_has_no_diff():
    assert not diff(VALID, VALID)
    assert not diff(VALID, VALID.replace("Checkouts were slow.", "Checkouts were very slow."))  # the body


def test_action_item_added():
    assert item_changes(VALID, with_items(ITEM, LOAD_TEST)) == [("added", "Load-test checkout before every sale", [])]


def test_action_item_done_is_closed():
    done = ITEM.replace("status: open", "status: done\n    closed: 2026-11-20")
    assert item_changes(VALID, with_items(done)) == [
        ("closed", "Size the pool for peak traffic", [("status", "open", "done"), ("closed", "", "2026-11-20")])
    ]


def test_action_item_wont_do_is_closed_and_reopening_is_a_change():
    wont = ITEM.replace("status: open", "status: wont-do\n    reason: the pool goes away")
    assert [c[0] for c in item_changes(VALID, with_items(wont))] == ["closed"]
    assert item_changes(with_items(wont), VALID) == [
        (
            "changed",
            "Size the pool for peak traffic",
            [("status", "wont-do", "open"), ("reason", "the pool goes away", "")],
        )
    ]
    in_progress = ITEM.replace("status: open", "status: in-progress")
    assert [c[0] for c in item_changes(VALID, with_items(in_progress))] == ["changed"]


def test_action_item_due_owner_priority_changed():
    later = ITEM.replace("due: 2027-01-31", "due: 2027-02-28").replace("priority: P1", "priority: P2")
    assert item_changes(VALID, with_items(later)) == [
        ("changed", "Size the pool for peak traffic", [("priority", "P1", "P2"), ("due", "2027-01-31", "2027-02-28")])
    ]
    other_owner = ITEM.replace("owner: team-checkout", "owner: team-sre")
    assert item_changes(VALID, with_items(other_owner)) == [
        ("changed", "Size the pool for peak traffic", [("owner", "team-checkout", "team-sre")])
    ]


def test_action_item_removed():
    assert item_changes(with_items(ITEM, LOAD_TEST), VALID) == [("removed", "Load-test checkout before every sale", [])]


def test_action_item_retitled_at_the_same_position_with_the_same_owner():
    retitled = ITEM.replace("Size the pool for peak traffic", "Size the connection pool for twice the peak")
    assert item_changes(VALID, with_items(retitled)) == [
        (
            "changed",
            "Size the connection pool for twice the peak",
            [("title", "Size the pool for peak traffic", "Size the connection pool for twice the peak")],
        )
    ]
    # another owner too: not the same item any more
    replaced = retitled.replace("owner: team-checkout", "owner: team-sre")
    assert [c[:2] for c in item_changes(VALID, with_items(replaced))] == [
        ("added", "Size the connection pool for twice the peak"),
        ("removed", "Size the pool for peak traffic"),
    ]


def test_action_items_reordered_are_unchanged():
    assert item_changes(with_items(ITEM, LOAD_TEST), with_items(LOAD_TEST, ITEM)) == []


def test_root_cause_added_removed_and_changed():
    systemic = (
        "root_causes:\n  - id: review\n    kind: systemic\n    category: process\n"
        "    summary: Capacity is not reviewed before sales.\n"
    )
    more = VALID.replace("root_causes:\n", systemic)
    changes = diff(VALID, more).root_causes
    assert [(c.change, c.cause.id, c.cause.kind) for c in changes] == [("added", "review", "systemic")]
    assert [(c.change, c.cause.id) for c in diff(more, VALID).root_causes] == [("removed", "review")]
    reworded = VALID.replace("sized for normal traffic", "sized for a quiet Tuesday")
    (change,) = diff(VALID, reworded).root_causes
    assert (change.change, change.fields) == (
        "changed",
        (
            FieldChange(
                "summary",
                "The connection pool was sized for normal traffic.",
                "The connection pool was sized for a quiet Tuesday.",
            ),
        ),
    )


def test_root_causes_without_ids_match_by_content():
    no_id = VALID.replace("  - id: pool\n    kind", "  - kind").replace("    addresses: [pool]\n", "")
    assert not diff(no_id, no_id).root_causes
    reworded = no_id.replace("normal traffic", "a quiet Tuesday")
    assert [c.change for c in diff(no_id, reworded).root_causes] == ["added", "removed"]


def test_severity_status_services_and_title_changes():
    after = (
        VALID.replace("status: published", "status: in-review")
        .replace("severity: SEV2", "severity: SEV1")
        .replace("services: [checkout]", "services: [checkout, orders-db]")
        .replace("title: Checkout latency", "title: Checkout outage")
    )
    assert diff(VALID, after).fields == (
        FieldChange("title", "Checkout latency during the spring sale", "Checkout outage during the spring sale"),
        FieldChange("status", "published", "in-review"),
        FieldChange("severity", "SEV2", "SEV1"),
        FieldChange("services", "checkout", "checkout, orders-db"),
    )


def test_added_and_deleted_postmortems():
    added = diff(None, with_items(ITEM, LOAD_TEST))
    assert added.fields == ()
    assert [c.change for c in added.action_items] == ["added", "added"]
    assert [c.change for c in added.root_causes] == ["added"]
    deleted = diff(VALID, None)
    assert [(c.change, c.item.title) for c in deleted.action_items] == [("removed", "Size the pool for peak traffic")]
    assert [c.change for c in deleted.root_causes] == ["removed"]


def test_a_value_reads_as_a_reviewer_reads_it():
    assert value_text(None) == ""
    assert value_text(date(2027, 1, 31)) == "2027-01-31"
    assert value_text(datetime(2024, 3, 14, 9, 50, tzinfo=timezone.utc)) == "2024-03-14T09:50:00+00:00"
    assert value_text(("checkout", "orders-db")) == "checkout, orders-db"
    assert value_text([date(2027, 1, 31), None, 3]) == "2027-01-31, , 3"

"""`checks/structure.py`: the rules on one postmortem's structure, each called on its own: the file name and its
date, the order of the times, root-cause ids, reviewers, action items, what an import said was unknown, and dates
that must be typos."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone

from conftest import TODAY, make_policy
from mkdocs_postmortems.checks import structure
from mkdocs_postmortems.checks.families import RULES
from mkdocs_postmortems.checks.registry import Context
from mkdocs_postmortems.model import ActionItem, Postmortem, Provenance, RootCause

UTC = timezone.utc
START = datetime(2024, 3, 14, 9, 50, tzinfo=UTC)
BASE = Postmortem(
    id="2024-03-14-checkout",
    path="postmortems/2024-03-14-checkout.md",
    title="Checkout",
    status="published",
    severity="SEV2",
    services=("checkout",),
    started=START,
    reviewers=("bob",),
    detected=START + timedelta(minutes=8),
    mitigated=START + timedelta(minutes=40),
    resolved=START + timedelta(hours=1),
    root_causes=(RootCause("causal", "capacity", "Pool too small.", "pool"),),
    action_items=(ActionItem("Size the pool", "sre", "P1", date(2027, 1, 31), "open", addresses=("pool",)),),
    positions={("started",): (8, 10), ("action_items", 0, "due"): (24, 10)},
)
CTX = Context(make_policy(), TODAY)


def codes(check, pm: Postmortem = BASE, ctx: Context = CTX, **fields) -> list[str]:
    return [d.code for d in check(dataclasses.replace(pm, **fields), ctx)]


def test_the_baseline_breaks_no_rule_of_the_family():
    checks = [
        structure.file_name,
        structure.file_date,
        structure.timestamp_order,
        structure.duplicate_root_cause_ids,
        structure.unknown_root_causes,
        structure.reviewers,
        structure.overdue_action_items,
        structure.wont_do_reasons,
        structure.closed_dates,
        structure.action_items_present,
        structure.unknowns_given,
    ]
    assert [code for check in checks for code in codes(check)] == []
    assert list(structure.implausible_dates([BASE], CTX)) == []


def test_the_file_name_is_a_real_date_and_a_lowercase_slug_and_its_date_is_the_start():
    for name in ("checkout", "2024-02-30-checkout", "2024-03-14-Checkout", "2024-03-14-"):
        assert codes(structure.file_name, id=name) == ["file-name"], name
    (found,) = structure.file_date(dataclasses.replace(BASE, id="2024-03-15-checkout"), CTX)
    assert (found.code, found.line) == ("file-date", 8) and "2024-03-14-checkout.md" in found.hint


def test_times_must_come_in_order():
    assert codes(structure.timestamp_order, detected=START - timedelta(minutes=1)) == ["timestamp-order"]
    assert codes(structure.timestamp_order, detected=None, mitigated=START + timedelta(minutes=1)) == []


def test_root_cause_ids_are_unique_and_every_addressed_one_exists():
    twice = BASE.root_causes * 2
    assert codes(structure.duplicate_root_cause_ids, root_causes=twice) == ["duplicate-root-cause-id"]
    item = dataclasses.replace(BASE.action_items[0], addresses=("pool", "cache"))
    assert codes(structure.unknown_root_causes, action_items=(item,)) == ["unknown-root-cause"]


def test_reviewers_are_needed_only_from_review_on():
    assert codes(structure.reviewers, reviewers=()) == ["reviewer-required"]
    assert codes(structure.reviewers, reviewers=(), status="in-review") == ["reviewer-required"]
    assert codes(structure.reviewers) == []
    assert RULES["reviewer-required"].states == ("in-review", "published")  # a draft needs none


def test_action_items_overdue_closed_and_wont_do():
    item = BASE.action_items[0]
    (overdue,) = structure.overdue_action_items(BASE, Context(make_policy(), date(2027, 2, 1)))
    assert (overdue.code, overdue.line) == ("action-item-overdue", 24)
    wont = dataclasses.replace(item, status="wont-do", closed=date(2024, 4, 1))
    assert codes(structure.wont_do_reasons, action_items=(wont,)) == ["wont-do-reason"]
    assert codes(structure.closed_dates, action_items=(dataclasses.replace(item, status="done"),)) == ["closed-date"]
    assert codes(structure.closed_dates, action_items=(dataclasses.replace(item, closed=date(2024, 4, 1)),)) == [
        "closed-date"
    ]
    future = dataclasses.replace(item, status="done", closed=TODAY + timedelta(days=1))
    assert codes(structure.closed_dates, action_items=(future,)) == ["closed-date"]


def test_action_items_are_required_for_the_configured_severities_unless_unknown():
    assert codes(structure.action_items_present, action_items=()) == ["action-items-missing"]
    assert codes(structure.action_items_present, action_items=(), severity="SEV4") == []
    unknown = Provenance("markdown", "x.md", "x", unknown=("action_items",))
    assert codes(structure.action_items_present, action_items=(), provenance=unknown) == []


def test_an_unknown_the_record_now_gives_is_reported():
    provenance = Provenance("markdown", "x.md", "x", unknown=("reviewers", "detected", "impact.summary"))
    assert codes(structure.unknowns_given, provenance=provenance) == ["unknown-given", "unknown-given"]


def test_dates_before_1970_after_next_year_or_far_from_every_other_start_are_implausible():
    def started(pm_id: str, year: int) -> Postmortem:
        return dataclasses.replace(
            BASE, id=pm_id, started=START.replace(year=year), detected=None, mitigated=None, resolved=None
        )

    found = structure.implausible_dates(
        [started("a", 1628), started("b", 2022), started("c", 2023), started("d", TODAY.year + 2)], CTX
    )
    assert [(d.path, d.message.split(", ")[1]) for d in found] == [
        ("postmortems/2024-03-14-checkout.md", "before 1970"),
        ("postmortems/2024-03-14-checkout.md", "after 2027"),
    ]
    isolated = [started("a", 1990), started("b", 2022), started("c", 2023), started("d", 2024)]
    assert [d.message for d in structure.implausible_dates(isolated, CTX)] == [
        "`started` is in 1990, more than 10 years from every other incident's start"
    ]

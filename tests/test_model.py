"""`model.py`: what a postmortem is, as immutable values built from validated front matter. Durations only between
times known to the minute and in order, times shown in UTC or as unknown, positions of key paths, people named."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone

import pytest

from mkdocs_postmortems.model import (
    DAY,
    NO_TIME,
    ActionItem,
    Communication,
    Postmortem,
    Provenance,
    PublicSummary,
    PublicUpdate,
    moment_text,
    people_of,
    postmortem_from_values,
    public_fingerprint,
)

UTC = timezone.utc
START = datetime(2024, 3, 14, 9, 50, tzinfo=UTC)


def postmortem(**fields) -> Postmortem:
    values = {
        "id": "2024-03-14-x",
        "path": "postmortems/2024-03-14-x.md",
        "title": "X",
        "status": "published",
        "severity": "SEV2",
        "services": ("checkout",),
        "started": START,
        "detected": START + timedelta(minutes=8),
        "mitigated": START + timedelta(minutes=40),
        "resolved": START + timedelta(minutes=70),
    }
    return Postmortem(**{**values, **fields})


def test_time_to_detect_mitigate_and_resolve_are_spans_from_the_start():
    pm = postmortem()
    assert (pm.time_to_detect, pm.time_to_mitigate, pm.time_to_resolve) == (
        timedelta(minutes=8),
        timedelta(minutes=40),
        timedelta(minutes=70),
    )
    assert pm.duration == timedelta(minutes=40)  # users were affected until the mitigation
    assert postmortem(mitigated=None).duration == timedelta(minutes=70)  # never mitigated: until resolved


def test_no_duration_from_a_time_out_of_order_or_known_only_to_the_day():
    assert postmortem(detected=START - timedelta(minutes=1)).time_to_detect is None  # never negative
    by_day = postmortem(precision={"resolved": DAY})
    assert by_day.time_to_resolve is None and by_day.exact("resolved") is None and by_day.happened("resolved")
    unknown = postmortem(mitigated=None, precision={"mitigated": NO_TIME})
    assert unknown.happened("mitigated") and unknown.duration is None  # mitigated at a time nobody knows
    assert not postmortem(mitigated=None).happened("mitigated")


def test_times_are_shown_in_utc_to_the_day_or_as_unknown():
    assert (
        moment_text(datetime(2024, 3, 14, 11, 58, tzinfo=timezone(timedelta(hours=2))), None) == "2024-03-14 09:58 UTC"
    )
    assert moment_text(START, DAY) == "2024-03-14 (time unknown)"
    assert moment_text(None, NO_TIME) == "unknown" and moment_text(None, None) == ""
    imported = postmortem(detected=None, provenance=Provenance("markdown", "x.md", "x", unknown=("detected",)))
    assert imported.when("detected") == "unknown" and postmortem(detected=None).when("detected") == ""
    assert imported.is_unknown("detected") and not imported.is_unknown("resolved")


def test_a_key_path_has_the_position_of_its_nearest_parent():
    pm = postmortem(positions={("action_items",): (20, 1), ("action_items", 0, "due"): (24, 10)}, body_line=28)
    assert pm.position_of("action_items", 0, "due") == (24, 10)
    assert pm.position_of("action_items", 1, "owner") == (20, 1)
    assert pm.position_of("impact", "summary") == (1, 1) and pm.position_of("body") == (28, 1)


def test_an_action_item_is_overdue_only_while_open():
    item = ActionItem("Fix", "sre", "P1", date(2024, 1, 31), "open")
    assert item.is_overdue(date(2024, 2, 1)) and not item.is_overdue(date(2024, 1, 31))
    assert not dataclasses.replace(item, status="done").is_overdue(date(2025, 1, 1))
    assert dataclasses.replace(item, status="in-progress").is_overdue(date(2025, 1, 1))
    assert not dataclasses.replace(item, due=None).is_overdue(date(2025, 1, 1))


def test_everyone_named_once_in_order():
    first = postmortem(
        authors=("alice", "bob"),
        reviewers=("carol",),
        action_items=(ActionItem("Fix", "team-sre", "P1", None, "open"),),
    )
    second = postmortem(authors=("bob",), reviewers=("dave",))
    assert people_of([first, second]) == ("alice", "bob", "carol", "team-sre", "dave")


def test_values_become_a_postmortem_with_neutral_defaults():
    pm = postmortem_from_values(
        "2024-03-14-x",
        "postmortems/2024-03-14-x.md",
        {
            "title": "Slow",
            "started": START,
            "action_items": [{"title": "Fix"}],
            "public": {
                "title": "Slow checkout",
                "summary": "Slow.",
                "updates": [{"status": "resolved", "body": "Done."}],
            },
            "provenance": {"format": "cstate", "unknown": ["authors"], "wrong": [{"field": "resolved", "value": "x"}]},
        },
        "body",
        9,
        {("title",): (2, 1)},
    )
    assert (pm.title, pm.status, pm.severity, pm.services, pm.kind) == ("Slow", "", "", (), "incident")
    assert pm.action_items == (ActionItem("Fix", "", "", None, "open"),)
    assert pm.public.updates[0].source == ("public", "updates", 0) and pm.public.components == ()
    assert pm.provenance.unknown == ("authors",) and pm.provenance.wrong[0].field == "resolved"
    assert pm.position_of("title") == (2, 1) and pm.position_of("body") == (9, 1)
    assert postmortem_from_values("x", "x.md", {}, "", 1, {}).title == "x"  # no title: its ID
    with pytest.raises(dataclasses.FrozenInstanceError):
        pm.title = "changed"


PUBLIC = PublicSummary(
    "Slow checkout",
    "Checkout was slow.",
    ("Checkout",),
    "major",
    "",
    (PublicUpdate("resolved", START + timedelta(hours=1), "Fixed."),),
)


def imported(**fields) -> Postmortem:
    """An imported record whose text was public already, its `public_hash` that of the record before `fields`."""
    record = postmortem(status="imported", public=PUBLIC)
    provenance = Provenance("statuspage", "x.json", "a", already_public=True, public_hash=public_fingerprint(record))
    return dataclasses.replace(record, provenance=provenance, **fields)


def test_a_record_as_imported_is_public_as_imported():
    assert imported().public_as_imported


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "published"},  # a person published it: theirs to answer for
        {"status": "draft"},
        {"kind": "maintenance"},
        {"resolved": START + timedelta(minutes=71)},
        {"public": dataclasses.replace(PUBLIC, summary="Checkout was slow!")},
        {"public": dataclasses.replace(PUBLIC, components=("Checkout", "Search"))},
        {"public": dataclasses.replace(PUBLIC, updates=())},
        {"public": dataclasses.replace(PUBLIC, allow=("db-7",))},
        {"public": None},
        {"communications": (Communication("customers", "status-page", START, "We are looking."),)},
        {"precision": {"resolved": DAY}},
    ],
)
def test_any_change_to_what_goes_public_and_when_is_no_longer_as_imported(fields):
    assert not imported(**fields).public_as_imported


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "Another internal title"},
        {"body": "## Notes\n\nWhat we learnt since."},
        {"authors": ("alice",)},
        {"severity": "SEV1"},
        {"communications": (Communication("internal", "slack", START, "Paged the on-call."),)},
    ],
)
def test_internal_text_is_no_part_of_it(fields):
    assert imported(**fields).public_as_imported


def test_a_claim_without_its_hash_or_provenance_is_not_enough():
    record = imported()
    assert record.provenance is not None
    assert not dataclasses.replace(
        record, provenance=dataclasses.replace(record.provenance, public_hash="")
    ).public_as_imported
    assert not dataclasses.replace(
        record, provenance=dataclasses.replace(record.provenance, already_public=False)
    ).public_as_imported
    assert not dataclasses.replace(record, provenance=None).public_as_imported
    assert public_fingerprint(record).startswith("sha256:") and len(public_fingerprint(record)) == 23

"""`importers/statuspage.py` on Statuspage API v2 documents written here: an `incidents.json` page, a
`scheduled-maintenances.json` page and a single incident as a webhook notification delivers it
(`{"page": ..., "incident": ...}`); each entry's record value by value (times in UTC from the offsets the page
gives, status, the public updates) with what the report calls unknown and what it asks of a person."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import make_policy
from mkdocs_postmortems.importers import statuspage
from mkdocs_postmortems.importers.records import FileReport, Record
from mkdocs_postmortems.importers.sources import SourceProblem
from mkdocs_postmortems.policy import Service

TODAY = date(2026, 11, 22)
POLICY = make_policy(services=(Service("api", "", "API", public=True),))
UNKNOWN = [
    "severity",
    "authors",
    "reviewers",
    "detected",
    "mitigated",
    "published_on",
    "impact.summary",
    "impact.customers_affected",
    "impact.requests_failed",
    "root_causes",
    "action_items",
    "communications",
    "sections",
]

PAGE = {
    "id": "p1",
    "name": "Example",
    "url": "https://status.example.com",
    "time_zone": "America/Los_Angeles",
    "updated_at": "2024-08-01T10:10:00.000-07:00",
}
RESOLVED = {  # times as a page in Los Angeles gives them, with the offset
    "id": "inc1",
    "name": "Elevated API errors",
    "status": "resolved",
    "impact": "major",
    "page_id": "p1",
    "created_at": "2024-07-01T03:05:00.000-07:00",
    "started_at": "2024-07-01T03:00:00.000-07:00",
    "monitoring_at": "2024-07-01T03:40:00.000-07:00",
    "resolved_at": "2024-07-01T04:00:00.000-07:00",
    "shortlink": "https://stspg.io/inc1",
    "components": [{"id": "c1", "name": "API", "group": False}, {"id": "c2", "name": "Website"}],
    "incident_updates": [  # newest first, as Statuspage lists them
        {
            "id": "u4",
            "status": "postmortem",
            "body": "We published a postmortem.",
            "created_at": "2024-07-02T09:00:00.000-07:00",
            "display_at": "2024-07-02T09:00:00.000-07:00",
        },
        {
            "id": "u3",
            "status": "resolved",
            "body": "This incident has been resolved.",
            "created_at": "2024-07-01T04:00:00.000-07:00",
            "display_at": "2024-07-01T04:00:00.000-07:00",
        },
        {
            "id": "u2",
            "status": "monitoring",
            "body": "A fix has been implemented.",
            "created_at": "2024-07-01T03:41:00.000-07:00",
            "display_at": "2024-07-01T03:40:00.000-07:00",
        },
        {
            "id": "u1",
            "status": "investigating",
            "body": "We are investigating errors on the API.",
            "created_at": "2024-07-01T03:05:00.000-07:00",
            "display_at": None,
        },
    ],
}
OPEN = {
    "id": "inc2",
    "name": "Slow checkout",
    "status": "identified",
    "impact": "minor",
    "created_at": "2024-08-01T10:00:00Z",
    "started_at": None,
    "resolved_at": None,
    "components": [],
    "incident_updates": [
        {"id": "v1", "status": "identified", "body": "We found the cause.", "created_at": "2024-08-01T10:10:00Z"}
    ],
}
RESOLVED_BEFORE = {
    "id": "inc3",
    "name": "Website unavailable",
    "status": "postmortem",
    "impact": "critical",
    "created_at": "2024-06-20T10:00:00+02:00",
    "started_at": "2024-06-20T10:00:00+02:00",
    "resolved_at": "2024-06-19T09:00:00+02:00",
    "components": [{"name": "Website"}],
    "incident_updates": [],
}
SCHEDULED = {
    "id": "mnt1",
    "name": "Network upgrade",
    "status": "scheduled",
    "impact": "maintenance",
    "created_at": "2024-05-20T10:00:00Z",
    "scheduled_for": "2024-06-01T01:00:00Z",
    "scheduled_until": "2024-06-01T03:00:00Z",
    "started_at": None,
    "resolved_at": None,
    "components": [{"name": "API"}],
    "incident_updates": [
        {
            "id": "m1",
            "status": "scheduled",
            "body": "We will upgrade the network.",
            "created_at": "2024-05-20T10:00:00Z",
            "display_at": "2024-05-20T10:00:00Z",
        }
    ],
}


@pytest.fixture
def exports(tmp_path: Path) -> dict[str, Path]:
    documents = {
        "incidents.json": {"page": PAGE, "incidents": [RESOLVED, OPEN, RESOLVED_BEFORE]},
        "scheduled-maintenances.json": {"page": PAGE, "scheduled_maintenances": [SCHEDULED]},
        "webhook.json": {
            "meta": {"unsubscribe": "https://status.example.com/unsubscribe", "documentation": ""},
            "page": {"id": "p1", "status_indicator": "major", "status_description": "Partial outage"},
            "incident": RESOLVED,
        },
        "components.json": {
            "page": PAGE,
            "components": [
                {"id": "c1", "name": "API", "description": "The public API"},
                {"id": "c3", "name": "Checkout", "description": "Paying for an order"},
                {"id": "g1", "name": "Backend", "group": True},
            ],
        },
    }
    paths = {}
    for name, document in documents.items():
        paths[name] = tmp_path / name
        paths[name].write_text(json.dumps(document), encoding="utf-8")
    return paths


def record(entry: dict, maintenance: bool = False) -> Record:
    return statuspage.entry_record(entry, maintenance, "incidents.json#incidents[0]", POLICY, TODAY)


# --- documents -----------------------------------------------------------------------------------------------


def test_every_entry_of_every_document_is_read_with_its_place(exports):
    found = list(
        statuspage.read(
            [
                exports[name]
                for name in ("incidents.json", "scheduled-maintenances.json", "webhook.json", "components.json")
            ],
            POLICY,
            TODAY,
        )
    )
    assert [type(item) for item in found] == [Record] * 5 + [FileReport]
    assert [(item.original_id, item.source) for item in found[:5]] == [
        ("inc1", "https://stspg.io/inc1"),  # its shortlink, when it has one
        ("inc2", f"{exports['incidents.json'].as_posix()}#incidents[1]"),
        ("inc3", f"{exports['incidents.json'].as_posix()}#incidents[2]"),
        ("mnt1", f"{exports['scheduled-maintenances.json'].as_posix()}#scheduled_maintenances[0]"),
        ("inc1", "https://stspg.io/inc1"),  # the webhook's incident is the same record: imported once
    ]
    assert (found[5].action, found[5].needs) == (
        "skipped",
        ["no `incidents`, `scheduled_maintenances` or `incident`: components.json only feeds the catalog"],
    )


def test_a_summary_numbers_its_maintenance_from_the_first(tmp_path):
    summary = tmp_path / "summary.json"
    summary.write_text(json.dumps({"page": PAGE, "incidents": [OPEN], "scheduled_maintenances": [SCHEDULED]}))
    places = [item.source for item in statuspage.read([summary], POLICY, TODAY)]
    assert places == [f"{summary.as_posix()}#incidents[0]", f"{summary.as_posix()}#scheduled_maintenances[0]"]


def test_a_single_incident_document_gives_the_incident_and_its_place(exports):
    ((place, entry, maintenance),) = statuspage.entries_of(json.loads(exports["webhook.json"].read_text()))
    assert (place, entry["id"], maintenance) == ("incident", "inc1", False)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("[]", "not a Statuspage export: the JSON is not an object"),
        ('{"incidents": ', "not JSON: Expecting value at line 1"),
        ('{"incidents": "no"}', "`incidents` is not a list"),
        ("[" * 100_000, "its JSON nests too deeply to be an export"),
    ],
)
def test_a_document_that_is_no_export_says_why(tmp_path, text, reason):
    path = tmp_path / "incidents.json"
    path.write_text(text, encoding="utf-8")
    (report,) = statuspage.read([path], POLICY, TODAY)
    assert (report.action, report.needs) == ("skipped", [reason])


def test_the_catalog_proposes_the_components_the_catalog_lacks_but_groups(exports):
    assert yaml.safe_load(statuspage.catalog(list(exports.values()), POLICY)) == {
        "services": [
            {"name": "website", "component": "Website", "public": True},
            {"name": "checkout", "description": "Paying for an order", "component": "Checkout", "public": True},
        ]
    }


# --- one entry's record ---------------------------------------------------------------------------------------


def test_a_resolved_incident_maps_its_times_to_utc_and_its_posted_updates_to_the_public_block():
    found = record(RESOLVED)
    assert (found.format, found.source, found.original_id) == ("statuspage", "https://stspg.io/inc1", "inc1")
    assert (found.title, found.day, found.already_public) == ("Elevated API errors", date(2024, 7, 1), True)
    assert found.fields == {
        "title": "Elevated API errors",
        "status": "published",
        "services": ["api", "website"],
        "started": "2024-07-01T10:00:00Z",  # started_at, 03:00 at -07:00
        "mitigated": "2024-07-01T10:40:00Z",  # monitoring_at
        "resolved": "2024-07-01T11:00:00Z",
        "public": {
            "title": "Elevated API errors",
            "summary": "This incident has been resolved.",  # the newest update, as the page shows it first
            "components": ["API", "Website"],
            "impact": "major",
            "updates": [  # oldest first, at display_at (else created_at); the postmortem note is no update
                {
                    "status": "investigating",
                    "at": "2024-07-01T10:05:00Z",
                    "body": "We are investigating errors on the API.",
                },
                {"status": "monitoring", "at": "2024-07-01T10:40:00Z", "body": "A fix has been implemented."},
                {"status": "resolved", "at": "2024-07-01T11:00:00Z", "body": "This incident has been resolved."},
            ],
        },
    }
    assert found.body == (
        "## Status page updates\n\n"
        "**postmortem** (2024-07-02T16:00:00Z)\n\nWe published a postmortem.\n\n"
        "**resolved** (2024-07-01T11:00:00Z)\n\nThis incident has been resolved.\n\n"
        "**monitoring** (2024-07-01T10:40:00Z)\n\nA fix has been implemented.\n\n"
        "**investigating** (2024-07-01T10:05:00Z)\n\nWe are investigating errors on the API.\n"
    )
    assert found.mapped == [
        "started_at -> started",
        "components -> services api, website",
        "monitoring_at -> mitigated",
        "resolved_at -> resolved",
        "updates left out of the public block (in the body): postmortem",
        "impact major -> public impact",
    ]
    assert found.unknown == [name for name in UNKNOWN if name != "mitigated"]
    assert found.needs == [] and found.wrong == []


def test_an_open_incident_starts_when_it_was_opened_and_waits_for_its_resolution():
    found = record(OPEN)
    assert found.fields == {"title": "Slow checkout", "status": "published", "started": "2024-08-01T10:00:00Z"}
    assert found.body == "## Status page updates\n\n**identified** (2024-08-01T10:10:00Z)\n\nWe found the cause.\n"
    assert found.mapped == ["created_at -> started"]  # no component: no public block, so no public impact
    assert found.unknown == [*UNKNOWN, "services", "resolved"]
    assert found.needs == [
        "no components named: name the services",
        "status `identified` in the source: add `resolved` once it is",
    ]


def test_a_resolution_before_the_start_is_left_out_and_kept_as_wrong():
    found = record(RESOLVED_BEFORE)
    assert (found.fields["started"], found.fields["resolved"]) == ("2024-06-20T08:00:00Z", "unknown")
    assert found.fields["public"] == {
        "title": "Website unavailable",
        "summary": "Website unavailable",
        "components": ["Website"],
        "impact": "critical",
    }
    assert found.body == "## Status page updates\n\n*The entry had no updates.*"
    assert found.wrong == [{"field": "resolved", "value": "2024-06-19T09:00:00+02:00", "reason": "before the start"}]
    assert found.needs == ["left out `resolved` 2024-06-19T09:00:00+02:00: before the start"]
    assert found.mapped == [
        "started_at -> started",
        "components -> services website",
        "status postmortem: resolved at an unknown time",
        "impact critical -> public impact",
    ]
    assert found.unknown == UNKNOWN


def test_a_scheduled_maintenance_runs_from_its_planned_start_to_its_planned_end():
    found = record(SCHEDULED, maintenance=True)
    assert found.day == date(2024, 6, 1)
    assert found.fields == {
        "title": "Network upgrade",
        "kind": "maintenance",
        "status": "published",
        "services": ["api"],
        "started": "2024-06-01T01:00:00Z",
        "resolved": "2024-06-01T03:00:00Z",
        "public": {
            "title": "Network upgrade",
            "summary": "We will upgrade the network.",
            "components": ["API"],
            "updates": [{"status": "scheduled", "at": "2024-05-20T10:00:00Z", "body": "We will upgrade the network."}],
        },
    }
    assert found.mapped == ["scheduled_for -> started", "components -> services api", "scheduled_until -> resolved"]
    assert found.unknown == UNKNOWN and found.needs == []


def test_a_completed_maintenance_ends_when_it_was_resolved():
    completed = {
        **SCHEDULED,
        "status": "completed",
        "started_at": "2024-06-01T01:05:00Z",
        "resolved_at": "2024-06-01T02:30:00Z",
    }
    found = record(completed, maintenance=True)
    assert (found.fields["started"], found.fields["resolved"]) == ("2024-06-01T01:05:00Z", "2024-06-01T02:30:00Z")
    assert found.mapped[0] == "started_at -> started" and "resolved_at -> resolved" in found.mapped


@pytest.mark.parametrize(
    "entry, reason",
    [
        ("text", "an entry that is not an object"),
        ({"id": "a"}, "an entry without `id` or `name`"),
        ({"id": "a", "name": "b", "created_at": "yesterday"}, "`created_at` is not a time: 'yesterday'"),
        ({"id": "a", "name": "b", "started_at": "0000-01-01"}, "`0000-01-01` is not a real date"),
    ],
)
def test_an_entry_that_cannot_be_a_record_says_why(entry, reason):
    with pytest.raises(SourceProblem) as raised:
        record(entry)
    assert str(raised.value) == reason

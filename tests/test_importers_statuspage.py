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

from conftest import STATUS_ENTRY_UNKNOWN as UNKNOWN, make_policy
from mkdocs_postmortems.importers import statuspage
from mkdocs_postmortems.importers.records import FileReport, Record
from mkdocs_postmortems.importers.sources import SourceProblem
from mkdocs_postmortems.policy import Service

TODAY = date(2026, 11, 22)
POLICY = make_policy(services=(Service("api", "", "API", public=True),))

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


def test_every_entry_of_every_document_is_read_with_its_place_and_each_incident_once(exports):
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
    assert [type(item) for item in found] == [FileReport] + [Record] * 4
    assert (found[0].action, found[0].needs) == (
        "skipped",
        ["components.json only feeds the catalog (the services to add to mkdocs.yml): it holds no incident"],
    )
    assert [(item.original_id, item.source) for item in found[1:]] == [
        ("inc1", "https://stspg.io/inc1"),  # its shortlink, when it has one
        ("inc2", f"{exports['incidents.json'].as_posix()}#incidents[1]"),
        ("inc3", f"{exports['incidents.json'].as_posix()}#incidents[2]"),
        ("mnt1", f"{exports['scheduled-maintenances.json'].as_posix()}#scheduled_maintenances[0]"),
    ]
    assert found[1].mapped[0] == (  # the webhook's copy is the same incident, as old as this one: imported once
        f"the same incident is also in {exports['webhook.json'].as_posix()}#incident: imported once, from its newest "
        "copy"
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
        ("[]", f"not a Statuspage export: expected an object with {statuspage.EXPECTED}; it is a list"),
        ("3", f"not a Statuspage export: expected an object with {statuspage.EXPECTED}; it is a number"),
        (
            '{"name": "x", "version": "1"}',
            f"not a Statuspage export: expected {statuspage.EXPECTED}; its keys are `name`, `version`",
        ),
        ("{}", f"not a Statuspage export: expected {statuspage.EXPECTED}; its keys are none"),
        (
            '{"page": {}, "status": {"indicator": "none"}}',
            "status.json only says the page's status now: it holds no incident",
        ),
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


# --- single incidents, folders and paged exports ---------------------------------------------------------------

API_PAGE = {  # the `page` of every /api/v2/ document
    "id": "y2j98763l56x",
    "name": "Example",
    "url": "https://status.example.com",
    "time_zone": "Etc/UTC",
    "updated_at": "2024-09-12T16:02:11.713Z",
}


def component(component_id: str, name: str) -> dict:
    return {
        "id": component_id,
        "name": name,
        "status": "operational",
        "created_at": "2019-01-02T10:00:00.000Z",
        "updated_at": "2024-09-12T16:02:11.650Z",
        "position": 1,
        "description": None,
        "showcase": True,
        "start_date": None,
        "group_id": None,
        "page_id": "y2j98763l56x",
        "group": False,
        "only_show_if_degraded": False,
    }


def update(update_id: str, incident_id: str, status: str, body: str, at: str) -> dict:
    return {
        "id": update_id,
        "status": status,
        "body": body,
        "incident_id": incident_id,
        "created_at": at,
        "updated_at": at,
        "display_at": at,
        "affected_components": None,
        "deliver_notifications": True,
        "custom_tweet": None,
        "tweet_id": None,
    }


def api_incident(incident_id: str, name: str, day: str, *updates: tuple[str, str, str], updated: str = "") -> dict:
    """An incident as /api/v2/ gives it, its `updates` (status, body, HH:MM) oldest first, listed newest first."""
    listed = [
        update(f"{incident_id}-u{n}", incident_id, s, b, f"{day}T{t}:00.000Z") for n, (s, b, t) in enumerate(updates)
    ]
    first, last = listed[0]["created_at"], listed[-1]["created_at"]
    return {
        "id": incident_id,
        "name": name,
        "status": "resolved",
        "created_at": first,
        "updated_at": updated or last,
        "monitoring_at": None,
        "resolved_at": last,
        "impact": "major",
        "shortlink": f"https://stspg.io/{incident_id}",
        "started_at": first,
        "page_id": "y2j98763l56x",
        "incident_updates": listed[::-1],
        "components": [component("c1", "API")],
        "reminder_intervals": None,
    }


HTML_INCIDENT = api_incident(
    "k7n2p9x4q1wz",
    "Delayed webhook deliveries",
    "2024-09-12",
    ("investigating", "We are investigating delays in <strong>webhook deliveries</strong>.", "15:10"),
    (
        "identified",
        "<p>We identified the cause &amp; are rolling back:</p><ul><li><strong>Webhooks</strong>: delayed up to 20 "
        'minutes</li><li>See <a href="https://status.example.com/help" target="_blank">our help page</a></li></ul>',
        "15:32",
    ),
    ("resolved", "This incident has been resolved.<br>Deliveries are back to normal.", "16:02"),
)


def write(folder: Path, name: str, document: object) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_single_incident_as_the_api_returns_it_is_imported(tmp_path):
    path = write(tmp_path, "k7n2p9x4q1wz.json", {"page": API_PAGE, "incident": HTML_INCIDENT})
    (found,) = statuspage.read([path], POLICY, TODAY)
    assert (found.original_id, found.source, found.title) == (
        "k7n2p9x4q1wz",
        "https://stspg.io/k7n2p9x4q1wz",
        "Delayed webhook deliveries",
    )
    assert [u["status"] for u in found.fields["public"]["updates"]] == ["investigating", "identified", "resolved"]


def test_a_folder_is_walked_for_its_json_and_what_holds_no_incident_is_passed_over(tmp_path):
    export = tmp_path / "export"
    second = api_incident("m3q8r1t6v2ya", "Login errors", "2024-08-02", ("resolved", "Fixed.", "09:00"))
    write(export, "incidents/k7n2p9x4q1wz.json", {"page": API_PAGE, "incident": HTML_INCIDENT})
    write(export, "incidents/m3q8r1t6v2ya.json", {"page": API_PAGE, "incident": second})
    write(export, "components.json", {"page": API_PAGE, "components": [component("c1", "API")]})
    write(export, "status.json", {"page": API_PAGE, "status": {"indicator": "none", "description": "All good"}})
    write(export, "package.json", {"name": "not-statuspage"})
    write(export, ".cache/old.json", {"page": API_PAGE, "incident": second})  # a dot folder: not entered
    (export / "README.md").write_text("# The export\n")
    found = list(statuspage.read([export], POLICY, TODAY))
    assert [(type(item).__name__, item.source) for item in found] == [
        ("FileReport", (export / "package.json").as_posix()),
        ("Record", "https://stspg.io/k7n2p9x4q1wz"),
        ("Record", "https://stspg.io/m3q8r1t6v2ya"),
    ]
    assert found[0].needs == [f"not a Statuspage export: expected {statuspage.EXPECTED}; its keys are `name`"]
    assert "checkout" not in statuspage.catalog([export], POLICY) and statuspage.catalog([export], POLICY) == ""


def test_the_pages_of_a_paged_export_import_each_incident_once_from_its_newest_copy(tmp_path):
    older = api_incident("p1", "Slow search", "2024-07-01", ("investigating", "Looking.", "10:00"))
    newer = api_incident(
        "p1", "Slow search", "2024-07-01", ("investigating", "Looking.", "10:00"), ("resolved", "Fixed.", "11:00")
    )
    other = api_incident("p2", "API errors", "2024-06-01", ("resolved", "Fixed.", "08:00"))
    pages = [
        write(tmp_path, "incidents-page-1.json", {"page": API_PAGE, "incidents": [older]}),
        write(tmp_path, "incidents-page-2.json", {"page": API_PAGE, "incidents": [newer, other]}),
    ]
    found = list(statuspage.read(pages, POLICY, TODAY))
    assert [(item.original_id, len(item.fields["public"]["updates"])) for item in found] == [("p1", 2), ("p2", 1)]
    assert found[0].mapped[0] == (
        f"the same incident is also in {pages[0].as_posix()}#incidents[0]: imported once, from its newest copy"
    )
    assert not any("also in" in line for line in found[1].mapped)


def test_of_two_copies_the_one_updated_last_wins_else_the_one_with_more_updates_else_the_first():
    base = api_incident("p1", "x", "2024-07-01", ("investigating", "a", "10:00"), ("resolved", "b", "11:00"))
    later = {**base, "updated_at": "2024-07-02T00:00:00Z", "incident_updates": base["incident_updates"][:1]}
    entries = lambda *copies: [statuspage.Entry(f"f#{n}", copy, False) for n, copy in enumerate(copies)]  # noqa: E731
    assert [e.where for e in statuspage.once_each(entries(base, later), TODAY)] == ["f#1"]  # updated last
    fewer = {**base, "updated_at": base["updated_at"], "incident_updates": base["incident_updates"][:1]}
    assert [e.where for e in statuspage.once_each(entries(fewer, base), TODAY)] == ["f#1"]  # more updates
    assert [e.where for e in statuspage.once_each(entries(base, dict(base)), TODAY)] == ["f#0"]  # the first
    (kept,) = statuspage.once_each(entries(base, later, dict(base)), TODAY)
    assert (kept.where, kept.also) == ("f#1", ["f#0", "f#2"])


# --- update bodies as the status page showed them ----------------------------------------------------------------

REL = 'rel="noopener noreferrer nofollow"'


def test_html_update_bodies_are_kept_as_the_page_showed_them_sanitised():
    found = record(HTML_INCIDENT)
    assert found.fields["public"]["updates"] == [
        {
            "status": "investigating",
            "at": "2024-09-12T15:10:00Z",
            "body": "<p>We are investigating delays in <strong>webhook deliveries</strong>.</p>",
        },
        {
            "status": "identified",
            "at": "2024-09-12T15:32:00Z",
            "body": "<p>We identified the cause &amp; are rolling back:</p><ul><li><strong>Webhooks</strong>: delayed up "
            f'to 20 minutes</li><li>See <a href="https://status.example.com/help" {REL}>our help page</a></li></ul>',
        },
        {
            "status": "resolved",
            "at": "2024-09-12T16:02:00Z",
            "body": "<p>This incident has been resolved.<br>Deliveries are back to normal.</p>",
        },
    ]
    assert found.fields["public"]["summary"] == found.fields["public"]["updates"][-1]["body"]
    assert found.body.startswith(
        '## Status page updates\n\n**resolved** (2024-09-12T16:02:00Z)\n\n<div class="pm-status-update">\n'
        "<p>This incident has been resolved.<br>Deliveries are back to normal.</p>\n</div>\n"
    )
    assert "&lt;" not in found.body and "<script" not in found.body


def test_plain_bodies_stay_plain_text_entities_decoded_and_line_breaks_kept():
    plain = api_incident(
        "p3",
        "x",
        "2024-07-01",
        ("investigating", "AT&amp;T customers cannot sign in.", "10:00"),
        ("resolved", "Fixed.\n\nWe will publish a postmortem.\nThank you.", "11:00"),
    )
    bodies = [u["body"] for u in record(plain).fields["public"]["updates"]]
    assert bodies == [
        "AT&T customers cannot sign in.",
        "<p>Fixed.</p><p>We will publish a postmortem.<br>Thank you.</p>",
    ]
    assert "**investigating** (2024-07-01T10:00:00Z)\n\nAT&T customers cannot sign in.\n" in record(plain).body
    shown_as_written = api_incident("p6", "x", "2024-07-01", ("resolved", "Use &amp;copy; for ©", "10:00"))
    assert record(shown_as_written).fields["public"]["updates"][0]["body"] == "Use &copy; for ©"
    assert "Use &amp;copy; for ©" in record(shown_as_written).body  # Markdown shows it as the status page did


@pytest.mark.parametrize(
    "body, kept, removed",
    [
        (
            '<script>fetch("https://evil.example")</script>Fixed <img src=x onerror="alert(1)">',
            "Fixed",
            "<img>; <script> and its content; onerror",
        ),
        ('<a href="javascript:alert(1)">Details</a>', f"<p><a {REL}>Details</a></p>", "javascript: link"),
        ("<div>" * 5_000 + "Deep", "Deep", "its HTML is too deeply nested to keep: its text alone is kept"),
        (
            "<p>" + "Long. " * 50_000,
            "Long. " * 49_999 + "Long.",
            "its HTML is too long to keep: its text alone is kept",
        ),
        ("<ul><li>Unclosed <b>bold", "<ul><li>Unclosed <b>bold</b></li></ul>", None),
    ],
)
def test_a_hostile_body_is_neutralised_and_what_was_removed_is_reported(body, kept, removed):
    hostile = api_incident("p4", "x", "2024-07-01", ("resolved", body, "10:00"))
    found = record(hostile)
    assert found.fields["public"]["updates"][0]["body"] == kept
    notes = [line for line in found.mapped if line.startswith("incident_updates[0]")]
    assert notes == ([f"incident_updates[0] (resolved) body: {removed}"] if removed else [])
    assert "<script" not in found.body and "onerror" not in found.body and "javascript:" not in found.body


def test_a_body_the_allowlist_empties_is_no_public_update():
    empty = api_incident("p5", "x", "2024-07-01", ("resolved", "<script>x()</script>", "10:00"))
    found = record(empty)
    assert "updates" not in found.fields["public"]
    assert "updates left out of the public block (in the body): resolved" in found.mapped


def test_components_are_named_in_the_catalogs_spelling_and_a_catch_all_is_every_component():
    spelt = {**OPEN, "components": [{"name": "api"}, {"name": "All Systems"}]}
    found = record(spelt)
    assert (found.fields["services"], found.fields["public"]["components"]) == (["api"], ["API"])
    assert found.mapped[1:3] == ["`api` -> the catalog's `API`", "`All Systems` -> every component of the catalog: API"]

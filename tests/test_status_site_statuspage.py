"""The Statuspage API v2 files: Statuspage's field sets and enums, the unresolved and worst-status logic, the
50-incident cap, stable IDs and byte-for-byte determinism, with hostile text kept as data."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from mkdocs_postmortems.model import PublicUpdate
from mkdocs_postmortems.status_site.public import PublicView, public_code
from mkdocs_postmortems.status_site.statuspage import (
    Page,
    api_files,
    component_statuses,
    maintenance_status,
    overall_status,
)
from test_ical import PLANNED

# Field sets as Statuspage's public API v2 documents and serves them (status.atlassian.com/api, a UTC page).
PAGE_KEYS = {"id", "name", "url", "time_zone", "updated_at"}
STATUS_KEYS = {"indicator", "description"}
COMPONENT_KEYS = {
    "id",
    "name",
    "status",
    "created_at",
    "updated_at",
    "position",
    "description",
    "showcase",
    "start_date",
    "group_id",
    "page_id",
    "group",
    "only_show_if_degraded",
}
INCIDENT_KEYS = {
    "id",
    "name",
    "status",
    "created_at",
    "updated_at",
    "monitoring_at",
    "resolved_at",
    "impact",
    "shortlink",
    "started_at",
    "page_id",
    "incident_updates",
    "components",
}
UPDATE_KEYS = {
    "id",
    "status",
    "body",
    "incident_id",
    "created_at",
    "updated_at",
    "display_at",
    "affected_components",
    "deliver_notifications",
    "custom_tweet",
    "tweet_id",
}
AFFECTED_KEYS = {"code", "name", "old_status", "new_status"}
FILE_KEYS = {
    "api/v2/summary.json": {"page", "components", "incidents", "scheduled_maintenances", "status"},
    "api/v2/status.json": {"page", "status"},
    "api/v2/components.json": {"page", "components"},
    "api/v2/incidents.json": {"page", "incidents"},
    "api/v2/incidents/unresolved.json": {"page", "incidents"},
    "api/v2/scheduled-maintenances.json": {"page", "scheduled_maintenances"},  # maintenance: see test_importing.py
    "api/v2/scheduled-maintenances/upcoming.json": {"page", "scheduled_maintenances"},
    "api/v2/scheduled-maintenances/active.json": {"page", "scheduled_maintenances"},
}
INDICATORS = {"none", "minor", "major", "critical"}
COMPONENT_STATUSES = {"operational", "degraded_performance", "under_maintenance", "partial_outage", "major_outage"}
INCIDENT_STATUSES = {"investigating", "identified", "monitoring", "resolved", "postmortem"}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
CODE = re.compile(r"^[0-9a-z]{12}$")

PAGE = Page("Larkspur", "https://status.example.com")
COMPONENTS = ("Website", "Checkout", "API")
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def view(
    pm_id: str,
    impact: str = "major",
    components=("Checkout",),
    resolved: int | None = 120,
    statuses=("investigating", "identified", "monitoring", "resolved"),
    start: int = 0,
    title: str = "",
    body: str = "Text.",
) -> PublicView:
    updates = tuple(PublicUpdate(status, at(start + 20 * i), f"{body} ({status})") for i, status in enumerate(statuses))
    return PublicView(
        pm_id,
        title or f"Incident {pm_id}",
        "Summary.",
        tuple(components),
        impact,
        "Changes.",
        updates[::-1],
        at(start),
        None if resolved is None else at(start + resolved),
    )


def url(v: PublicView) -> str:
    return f"https://status.example.com/incidents/{v.code}/"


def build(incidents, components=COMPONENTS, **kwargs) -> dict[str, dict]:
    return {path: json.loads(text) for path, text in api_files(PAGE, incidents, components, url, **kwargs).items()}


OPEN_MINOR = view("2026-11-01-cdn", "minor", ("Website", "API"), resolved=None, statuses=("investigating",), start=60)
OPEN_CRITICAL = view(
    "2026-11-01-db", "critical", ("Checkout",), resolved=None, statuses=("investigating", "identified"), start=30
)
CLOSED = view("2026-10-30-queue", "critical", ("Checkout", "API"), start=-3000)
ALL = [OPEN_MINOR, OPEN_CRITICAL, CLOSED]


def test_every_file_has_statuspage_fields_exactly():
    files = build(ALL, since={"Website": date(2020, 1, 6)})
    assert set(files) == set(FILE_KEYS)
    for path, document in files.items():
        assert set(document) == FILE_KEYS[path], path
        assert set(document["page"]) == PAGE_KEYS
        if "status" in document:
            assert set(document["status"]) == STATUS_KEYS
        for component in document.get("components", []):
            assert set(component) == COMPONENT_KEYS
        for incident in document.get("incidents", []):
            assert set(incident) == INCIDENT_KEYS
            assert all(set(component) == COMPONENT_KEYS for component in incident["components"])
            for update in incident["incident_updates"]:
                assert set(update) == UPDATE_KEYS
                assert all(set(change) == AFFECTED_KEYS for change in update["affected_components"] or [])


def test_values_are_of_statuspage_enums_and_formats():
    files = build(ALL)
    page = files["api/v2/summary.json"]["page"]
    assert page == {
        "id": public_code("Larkspur"),
        "name": "Larkspur",
        "url": "https://status.example.com",
        "time_zone": "Etc/UTC",
        "updated_at": "2026-11-01T10:00:00.000Z",
    }
    assert files["api/v2/summary.json"]["status"]["indicator"] in INDICATORS
    for component in files["api/v2/components.json"]["components"]:
        assert component["status"] in COMPONENT_STATUSES
        assert CODE.match(component["id"]) and component["page_id"] == page["id"]
        assert TIMESTAMP.match(component["created_at"]) and TIMESTAMP.match(component["updated_at"])
    for incident in files["api/v2/incidents.json"]["incidents"]:
        assert incident["status"] in INCIDENT_STATUSES and incident["impact"] in INDICATORS - {"none"}
        assert CODE.match(incident["id"]) and incident["page_id"] == page["id"]
        assert TIMESTAMP.match(incident["created_at"]) and incident["created_at"] == incident["started_at"]
        for update in incident["incident_updates"]:
            assert CODE.match(update["id"]) and update["incident_id"] == incident["id"]
            assert update["created_at"] == update["display_at"] and TIMESTAMP.match(update["display_at"])
            assert update["deliver_notifications"] is True and update["custom_tweet"] is update["tweet_id"] is None


def test_unresolved_incidents_and_the_worst_impact_make_the_status():
    files = build(ALL)
    unresolved = [incident["id"] for incident in files["api/v2/incidents/unresolved.json"]["incidents"]]
    assert unresolved == [OPEN_MINOR.code, OPEN_CRITICAL.code]
    assert [i["id"] for i in files["api/v2/summary.json"]["incidents"]] == unresolved
    assert files["api/v2/summary.json"]["scheduled_maintenances"] == []
    expected = {"indicator": "critical", "description": "Major System Outage"}
    assert files["api/v2/status.json"]["status"] == files["api/v2/summary.json"]["status"] == expected
    assert overall_status([CLOSED]) == ("none", "All Systems Operational")
    assert overall_status([OPEN_MINOR, CLOSED]) == ("minor", "Minor Service Outage")
    assert overall_status([view("x", "major", resolved=None)]) == ("major", "Partial System Outage")


def test_a_component_shows_the_worst_status_of_the_unresolved_incidents_naming_it():
    assert component_statuses(ALL, COMPONENTS) == {
        "Website": "degraded_performance",
        "Checkout": "major_outage",
        "API": "degraded_performance",
    }
    assert component_statuses([CLOSED], COMPONENTS) == dict.fromkeys(COMPONENTS, "operational")
    components = build(ALL)["api/v2/components.json"]["components"]
    assert [(c["name"], c["position"], c["status"]) for c in components] == [
        ("Website", 1, "degraded_performance"),
        ("Checkout", 2, "major_outage"),
        ("API", 3, "degraded_performance"),
    ]
    assert [c["id"] for c in components] == [public_code(name) for name in COMPONENTS]


def test_start_date_comes_from_since_and_is_null_otherwise():
    components = build(ALL, since={"Website": date(2020, 1, 6)})["api/v2/components.json"]["components"]
    assert [c["start_date"] for c in components] == ["2020-01-06", None, None]
    assert components[0]["created_at"] == "2020-01-06T00:00:00.000Z"


def test_incident_fields_follow_the_incident():
    files = build(ALL)
    (closed,) = [i for i in files["api/v2/incidents.json"]["incidents"] if i["id"] == CLOSED.code]
    assert closed["name"] == CLOSED.title and closed["status"] == "resolved" and closed["impact"] == "critical"
    assert closed["resolved_at"] == "2026-10-30T09:00:00.000Z"
    assert closed["monitoring_at"] == "2026-10-30T07:40:00.000Z"
    assert closed["shortlink"] == url(CLOSED)
    assert [c["name"] for c in closed["components"]] == ["Checkout", "API"]
    (critical,) = [i for i in files["api/v2/incidents.json"]["incidents"] if i["id"] == OPEN_CRITICAL.code]
    assert critical["status"] == "identified" and critical["resolved_at"] is critical["monitoring_at"] is None
    stray = build([view("y", resolved=None, statuses=("resolved",))])["api/v2/incidents.json"]["incidents"][0]
    assert stray["status"] == "investigating"  # not resolved without a resolved time


def test_updates_are_newest_first_and_say_what_changed_for_the_components():
    incident = build([CLOSED])["api/v2/incidents.json"]["incidents"][0]
    updates = incident["incident_updates"]
    assert [u["status"] for u in updates] == ["resolved", "monitoring", "identified", "investigating"]
    assert [u["created_at"] for u in updates] == sorted((u["created_at"] for u in updates), reverse=True)
    assert updates[0]["affected_components"] == [
        {"code": public_code(name), "name": name, "old_status": "major_outage", "new_status": "operational"}
        for name in ("Checkout", "API")
    ]
    assert updates[-1]["affected_components"][0]["new_status"] == "major_outage"
    assert updates[1]["affected_components"] is updates[2]["affected_components"] is None


def test_update_ids_stay_when_an_update_is_added():
    before = build([OPEN_CRITICAL])["api/v2/incidents.json"]["incidents"][0]["incident_updates"]
    later = view(
        "2026-11-01-db",
        "critical",
        ("Checkout",),
        resolved=None,
        statuses=("investigating", "identified", "monitoring"),
        start=30,
    )
    after = build([later])["api/v2/incidents.json"]["incidents"][0]["incident_updates"]
    assert [u["id"] for u in after[1:]] == [u["id"] for u in before]
    assert len({u["id"] for u in after}) == 3


def test_incidents_json_lists_the_50_newest():
    many = [view(f"pm-{n:03d}", start=-60 * n) for n in range(60)]
    incidents = build(many)["api/v2/incidents.json"]["incidents"]
    assert [i["id"] for i in incidents] == [v.code for v in many[:50]]


def test_the_files_are_deterministic_and_read_nothing_else():
    assert api_files(PAGE, ALL, COMPONENTS, url) == api_files(PAGE, list(ALL), list(COMPONENTS), url)
    empty = build([])
    assert empty["api/v2/summary.json"]["page"]["updated_at"] is None
    assert empty["api/v2/incidents.json"]["incidents"] == []
    assert empty["api/v2/status.json"]["status"]["indicator"] == "none"


@pytest.mark.parametrize(
    "hostile", ["</script><script>alert(1)</script>", '"}, {"id": "x', "a & b <c> ]]>", "nul\x00 bell\x07 \u2028 é"]
)
def test_hostile_strings_stay_data(hostile):
    incident = view("z", title=hostile, body=hostile, components=(hostile,), resolved=None, statuses=("investigating",))
    texts = api_files(Page(hostile, ""), [incident], (hostile,), lambda v: f"/incidents/{v.code}/")
    summary = json.loads(texts["api/v2/summary.json"])
    assert summary["page"]["name"] == hostile and summary["page"]["url"] == "/"
    assert summary["incidents"][0]["name"] == hostile
    assert summary["incidents"][0]["incident_updates"][0]["body"] == f"{hostile} (investigating)"
    assert summary["components"][0]["name"] == hostile
    assert all(isinstance(json.loads(text), dict) for text in texts.values())


def test_maintenance_status_follows_the_builds_time_when_given():
    today = date(2026, 12, 9)
    assert maintenance_status(PLANNED, today) == "in_progress"  # by the day alone, as before
    assert maintenance_status(PLANNED, today, datetime(2026, 12, 9, 22, tzinfo=timezone.utc)) == "scheduled"
    assert maintenance_status(PLANNED, today, datetime(2026, 12, 9, 23, 30, tzinfo=timezone.utc)) == "in_progress"
    assert (
        maintenance_status(PLANNED, date(2026, 12, 10), datetime(2026, 12, 10, 1, tzinfo=timezone.utc)) == "completed"
    )


def test_an_updates_body_is_what_statuspage_gives_sanitised_html_or_the_text_as_written():
    bodies = (
        '<p>Rolled back.</p><ul><li><a href="https://x.example" target="_blank" onclick="x()">details</a></li></ul>',
        "Plain text with a <span> and AT&T, as written",
    )
    incident = replace(
        view("z", resolved=None, statuses=("investigating",)),
        updates=tuple(
            PublicUpdate("investigating", at(minute), body) for minute, body in zip((5, 1), bodies, strict=True)
        ),
    )
    updates = build([incident])["api/v2/incidents.json"]["incidents"][0]["incident_updates"]
    assert [update["body"] for update in updates] == [
        '<p>Rolled back.</p><ul><li><a href="https://x.example" rel="noopener noreferrer nofollow">details</a></li></ul>',
        bodies[1],
    ]

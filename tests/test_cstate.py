"""`importers/cstate.py` on a cState content folder written here: the entries found, the systems of `config.yml`,
and each entry's record, value by value (title, times in UTC from the offsets given, status, the public block) with
what the report calls unknown and what it asks of a person."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import STATUS_ENTRY_UNKNOWN as UNKNOWN, make_policy
from mkdocs_postmortems.importers import cstate
from mkdocs_postmortems.importers.records import FileReport, Record
from mkdocs_postmortems.importers.sources import SourceProblem
from mkdocs_postmortems.policy import Service

TODAY = date(2026, 11, 22)
POLICY = make_policy(services=(Service("api", "", "API", public=True),))

CONFIG = """\
baseURL: https://status.example.com
title: Example status
params:
  systems:
    - name: API
      description: The public API
    - name: Website
      description: www.example.com
    - name: Payments
    - description: a system without a name
"""
API_DOWN = """\
---
title: API returning errors
date: 2024-03-14 09:50:00
resolved: true
resolvedWhen: 2024-03-14T11:00:00+01:00
# You can use: down, disrupted, notice
severity: down
affected:
  - API
  - Website
section: issue
---

The API returned errors for most requests.

{{< track "2024-03-14 10:30:00" >}} A fix is being deployed.
"""
MAINTENANCE = """\
---
title: Database maintenance
date: 2024-04-01T22:00:00-04:00
resolved: false
informational: true
severity: notice
affected: [Database, Database, " API "]
section: issue
pin: true
---
"""
DAY_ONLY = """\
---
title: Website slow
date: 2024-05-02
resolved: true
severity: disrupted
affected: []
lastmod: 2024-05-03
weight: 3
---
Slow pages. [The runbook](../runbooks/web.md)
"""
RESOLVED_BEFORE = """\
---
title: Login problems
date: 2024-06-01T10:00:00Z
resolved: true
resolvedWhen: 2024-06-01T09:00:00Z
severity: purple
affected: [API]
---
"""
UPGRADE = """\
---
title: Planned upgrade of the API
date: 2024-07-01 08:00
resolved: true
resolvedWhen: 2024-07-01 09:30
severity: notice
affected: [API]
---
{{< track "08:00" >}} Started.
{{% note %}}Hidden{{% /note %}} Done.
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A cState site: `config.yml` and `content/issues/`, with an index page and a file that is no entry."""
    issues = tmp_path / "site" / "content" / "issues"
    issues.mkdir(parents=True)
    (tmp_path / "site" / "config.yml").write_text(CONFIG, encoding="utf-8")
    for name, text in {
        "2024-03-14-api-down.md": API_DOWN,
        "2024-04-01-database-maintenance.md": MAINTENANCE,
        "_index.md": "---\ntitle: Issues\n---\n",
        "notes.txt": "not an entry\n",
        "2024-05-02-broken.md": "---\ntitle: 'Broken\n---\n",
    }.items():
        (issues / name).write_text(text, encoding="utf-8")
    return tmp_path / "site"


def record(text: str, name: str = "2024-03-14-api-down.md") -> Record:
    return cstate.issue_record(Path("content/issues") / name, text.encode("utf-8"), POLICY, TODAY)


# --- finding the entries and the systems ----------------------------------------------------------------------


def test_the_entries_of_a_site_are_its_issues_in_name_order(site):
    issues = site / "content" / "issues"
    assert list(cstate.issue_files([site])) == [
        issues / "2024-03-14-api-down.md",
        issues / "2024-04-01-database-maintenance.md",
        issues / "2024-05-02-broken.md",
    ]
    assert list(cstate.issue_files([issues])) == list(cstate.issue_files([site]))
    assert list(cstate.issue_files([issues / "2024-03-14-api-down.md", issues / "notes.txt"])) == [
        issues / "2024-03-14-api-down.md"
    ]


def test_the_systems_are_those_of_the_config_beside_the_sources(site):
    expected = [
        {"name": "API", "description": "The public API"},
        {"name": "Website", "description": "www.example.com"},
        {"name": "Payments"},
    ]
    assert cstate.systems([site]) == expected
    assert cstate.systems([site / "content" / "issues"]) == expected  # found from the issues, up the folders
    assert cstate.systems([site / "content" / "issues" / "2024-03-14-api-down.md"]) == expected


def test_a_config_that_is_not_yaml_has_no_systems(tmp_path):
    (tmp_path / "config.yml").write_text("params: [\n", encoding="utf-8")
    assert cstate.systems([tmp_path]) == []


def test_the_catalog_proposes_the_systems_and_the_affected_the_catalog_lacks(site):
    assert yaml.safe_load(cstate.catalog([site], POLICY)) == {
        "services": [
            {"name": "website", "description": "www.example.com", "component": "Website", "public": True},
            {"name": "payments", "component": "Payments", "public": True},
            {"name": "database", "component": "Database", "public": True},
        ]
    }


def test_reading_a_site_gives_a_record_per_entry_and_a_report_for_each_that_is_none(site):
    found = list(cstate.read([site], POLICY, TODAY))
    assert [type(item) for item in found] == [Record, Record, FileReport]
    assert [item.original_id for item in found[:2]] == ["2024-03-14-api-down", "2024-04-01-database-maintenance"]
    broken = found[2]
    assert (broken.source, broken.action) == ((site / "content/issues/2024-05-02-broken.md").as_posix(), "skipped")
    assert broken.needs == [
        "line 3: the front matter is not valid YAML: while scanning a quoted scalar found unexpected end of stream"
    ]


# --- one entry's record ---------------------------------------------------------------------------------------


def test_an_entry_maps_to_a_published_record_with_its_public_block():
    found = record(API_DOWN)
    assert (found.format, found.source, found.original_id) == (
        "cstate",
        "content/issues/2024-03-14-api-down.md",
        "2024-03-14-api-down",
    )
    assert (found.title, found.day, found.already_public) == ("API returning errors", date(2024, 3, 14), True)
    assert found.fields == {
        "title": "API returning errors",
        "status": "published",
        "services": ["api", "website"],
        "started": "2024-03-14T09:50:00Z",  # no offset: UTC, as Hugo reads it
        "resolved": "2024-03-14T10:00:00Z",  # 11:00 at +01:00
        "public": {
            "title": "API returning errors",
            "summary": "The API returned errors for most requests.\n\n*2024-03-14 10:30:00* A fix is being deployed.",
            "components": ["API", "Website"],
            "impact": "critical",
        },
    }
    assert found.body == (
        "## Status page entry\n\nThe API returned errors for most requests.\n\n"
        "*2024-03-14 10:30:00* A fix is being deployed."
    )
    assert found.mapped == [
        "affected -> services api, website",
        "`date` has no UTC offset: read as UTC, as Hugo does",
        "track shortcodes -> update times in italics",
        "severity down -> public impact critical",
    ]
    assert found.unknown == UNKNOWN and found.needs == [] and found.wrong == []


def test_an_informational_entry_is_maintenance_and_an_unresolved_one_says_so():
    found = record(MAINTENANCE, "2024-04-01-database-maintenance.md")
    assert found.day == date(2024, 4, 2)  # 22:00 at -04:00 is the next UTC day
    assert found.fields == {
        "title": "Database maintenance",
        "kind": "maintenance",
        "status": "published",
        "services": ["database", "api"],  # each once, trimmed; a system not in the catalog named after itself
        "started": "2024-04-02T02:00:00Z",
        "public": {
            "title": "Database maintenance",
            "summary": "Database maintenance",
            "components": ["Database", "API"],
            "impact": "minor",
        },
    }
    assert found.body == "## Status page entry\n\n*The entry had no text.*"
    assert found.mapped == [
        "informational entry -> maintenance",
        "affected -> services database, api",
        "severity notice -> public impact minor",
    ]
    assert found.unknown == [*UNKNOWN, "resolved"]
    assert found.needs == ["not resolved in the source: add `resolved` once it is"]


def test_a_day_without_a_time_stays_a_day_and_a_resolution_without_a_time_is_unknown():
    found = record(DAY_ONLY, "2024-05-02-website-slow.md")
    assert found.fields == {
        "title": "Website slow",
        "status": "published",
        "started": "2024-05-02",
        "resolved": "unknown",
        "public": {"title": "Website slow", "summary": "Slow pages. The runbook", "components": [], "impact": "major"},
    }  # public already, as a notice that named no component
    assert found.body == "## Status page entry\n\nSlow pages. The runbook"  # a link into the old site, as text
    assert found.mapped == ["resolved at an unknown time", "severity disrupted -> public impact major"]
    assert found.unknown == [*UNKNOWN, "services"]
    assert found.needs == [
        "keys not imported: weight",
        "no `affected` systems: name the services",
        "relative link `../runbooks/web.md` made plain text",
    ]


def test_a_resolution_before_the_start_is_left_out_and_kept_as_wrong():
    found = record(RESOLVED_BEFORE, "2024-06-01-login-problems.md")
    assert found.fields["started"] == "2024-06-01T10:00:00Z" and found.fields["resolved"] == "unknown"
    assert found.fields["public"] == {"title": "Login problems", "summary": "Login problems", "components": ["API"]}
    assert found.wrong == [
        {"field": "resolved", "value": "2024-06-01T09:00:00Z", "reason": "before the start (`date`)"}
    ]
    assert found.needs == [
        "left out `resolved` 2024-06-01T09:00:00Z: before the start (`date`)",
        "severity `purple` is not one of cState's (down, disrupted, notice): public impact left to the default",
    ]
    assert found.mapped == ["affected -> services api", "resolved at an unknown time"]


def test_a_resolution_that_is_no_date_is_left_out_and_kept_as_wrong():
    found = record(RESOLVED_BEFORE.replace("2024-06-01T09:00:00Z", "2024-02-30T09:00:00Z"))
    assert found.fields["resolved"] == "unknown"
    assert found.wrong == [
        {"field": "resolved", "value": "2024-02-30T09:00:00Z", "reason": "`2024-02-30T09:00:00Z` is not a real date"}
    ]


def test_a_notice_about_planned_work_is_maintenance_and_shortcodes_go():
    found = record(UPGRADE, "2024-07-01-upgrade.md")
    assert found.fields["kind"] == "maintenance"
    assert (found.fields["started"], found.fields["resolved"]) == ("2024-07-01T08:00:00Z", "2024-07-01T09:30:00Z")
    assert found.fields["public"]["summary"] == "*08:00* Started.\nHidden Done."
    assert found.mapped == [
        "notice about planned work -> maintenance",
        "affected -> services api",
        "`date` has no UTC offset: read as UTC, as Hugo does",
        "`resolvedWhen` has no UTC offset: read as UTC, as Hugo does",
        "track shortcodes -> update times in italics",
        "other Hugo shortcodes removed",
        "severity notice -> public impact minor",
    ]


@pytest.mark.parametrize(
    "text, reason",
    [
        ("---\ndate: 2024-01-01\n---\n", "no `title`"),
        ("---\ntitle: x\ndate: soon\n---\n", "`date` is not a date: 'soon'"),
        ("---\ntitle: x\ndate: 2024-13-01\n---\n", "`2024-13-01` is not a real date"),
        ("---\ntitle: x\ndate: 9999-12-31T00:00:00Z\n---\n", "`9999-12-31T00:00:00Z` is not a plausible date"),
        ("no front matter\n", "line 1: the file does not start with YAML front matter"),
        ("---\n- a\n---\n", "its front matter is not a mapping of `key: value` lines"),
    ],
)
def test_an_entry_that_cannot_be_a_record_says_why(text, reason):
    with pytest.raises(SourceProblem) as raised:
        record(text)
    assert str(raised.value) == reason


def test_the_public_text_keeps_track_times_and_drops_other_shortcodes():
    assert cstate.public_body('{{< track "2024-03-14 10:30" >}} A fix.\n{{< figure src="x.png" >}}\n') == (
        "*2024-03-14 10:30* A fix.",
        ["track shortcodes -> update times in italics", "other Hugo shortcodes removed"],
    )
    assert cstate.public_body("\nPlain text.\n") == ("Plain text.", [])

"""`importers/frontmatter.py` on catalogs of Markdown with front matter of their own, written here: each field from
the key `--map` names or from its usual names, the report saying which, the body read as the markdown importer reads
one, the keys that give no field kept as written, the files that are another command's left to it, the services the
catalog lacks proposed, and a whole import that passes `check` and changes nothing the second time."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import make_policy
from mkdocs_postmortems.importers import frontmatter, import_sources
from mkdocs_postmortems.importers.markdown import ALWAYS_UNKNOWN
from mkdocs_postmortems.importers.records import FileReport, Record
from mkdocs_postmortems.importers.sources import SourceProblem
from mkdocs_postmortems.parsing.schema import PROVENANCE

TODAY = date(2026, 11, 22)
POLICY = make_policy()  # services `checkout` (component Checkout) and `orders-db`
NOT_IN_THE_SCHEMA = pytest.mark.xfail(
    "frontmatter" not in next(field for field in PROVENANCE if field.name == "format").choices,
    reason="parsing/schema.py IMPORT_FORMATS lacks `frontmatter`: derive it from parsing.formats.FORMATS",
    strict=True,
)

CATALOG = """\
---
title: Checkout down
incident_date: 2024-03-14 09:50 CET
sev: SEV-2
affected_services:
  - Checkout
  - billing
ended: "2024-03-14T11:00:00+01:00"
owner: team-payments   # the incident's owner
layout: incident
---

# Checkout down

## Impact

Card payments failed
for an hour.

## Follow-ups

- Retry card authorisations
  once, after a second
"""


def page(text: str, name: str = "2024-03-14-checkout.md", key_map=None) -> Record:
    return frontmatter.page(Path(name), text, POLICY, TODAY, key_map)


def test_a_page_of_a_catalog_is_a_record_with_each_field_from_its_key():
    found = page(CATALOG)
    assert (found.format, found.original_id, found.title, found.day) == (
        "frontmatter",
        "2024-03-14-checkout",
        "Checkout down",
        date(2024, 3, 14),
    )
    assert found.fields == {
        "title": "Checkout down",
        "status": "published",
        "severity": "SEV2",
        "services": ["checkout"],
        "started": "2024-03-14T09:50:00+01:00",
        "resolved": "2024-03-14T11:00:00+01:00",
        "impact": {"summary": "Card payments failed for an hour."},
        "action_items": [{"title": "Retry card authorisations once, after a second"}],
    }
    assert found.mapped == [
        "title from `title` (guessed)",
        "severity from `sev` (guessed)",
        "services from `affected_services` (guessed)",
        "started from `incident_date` (guessed)",
        "resolved from `ended` (guessed)",
        "not in the source: Summary, Timeline, Root cause analysis, Resolution, Lessons learned sections",
        "impact summary from the Impact section's first paragraph",
        "1 action items from tables and lists",
        "kept in the body under “Source front matter”: `affected_services`, `owner`, `layout`",
    ]
    assert found.needs == [
        "`affected_services`: `billing` not in the service catalog, so not in `services`; add and import again"
    ]
    assert found.unknown == [
        *(name for name in ALWAYS_UNKNOWN if name not in ("severity", "services")),  # its keys gave those
        "detected",
        "mitigated",
        "sections",
        "action_items.owner",
        "action_items.priority",
        "action_items.due",
        "action_items.status",
        "action_items.done_when",
    ]
    assert found.body == (
        "## Impact\n\nCard payments failed\nfor an hour.\n\n## Follow-ups\n\n- Retry card authorisations\n"
        "  once, after a second\n\n## Source front matter\n\nThe source's keys that have no field here, as it gave "
        "them:\n\n```yaml\naffected_services:\n  - Checkout\n  - billing\nowner: team-payments\nlayout: incident\n```"
    )  # the title heading goes; the keys as written


def test_the_map_names_keys_and_the_time_is_read_in_the_zone_the_page_states():
    text = "---\nname: Queue outage\nwhen: 2024-05-02 10:05\ndate: 2024-05-06\n---\nAll times in UTC.\n"
    found = page(text, "queue.md", {"started": "when"})
    assert (found.title, found.fields["started"]) == ("Queue outage", "2024-05-02T10:05:00Z")
    assert found.mapped[:3] == [
        "title from `name` (guessed)",
        "started from `when`",
        "`when` read in UTC, the zone the record states",
    ]
    assert "date: 2024-05-06" in found.body


def test_a_time_from_a_key_that_comes_before_the_start_is_left_out_and_kept_as_wrong():
    text = "---\ntitle: Outage\nstarted: 2024-05-02T10:00:00Z\nresolved_at: 2024-05-02T09:00:00Z\n---\n"
    found = page(text, "x.md")
    assert "resolved" not in found.fields and "resolved" in found.unknown
    assert found.wrong == [{"field": "resolved", "value": "2024-05-02T09:00:00Z", "reason": "before `started`"}]


def test_a_day_from_a_key_that_contradicts_the_file_name_is_reported():
    found = page("---\ntitle: Outage\ndate: 2024-05-02\n---\n", "2024-05-06-outage.md")
    assert found.fields["started"] == "2024-05-02"
    assert found.needs == ["the file name says 2024-05-06 and its key 2024-05-02: the key's date is used"]


def test_a_cstate_incident_is_imported_and_said_to_be_cstates():
    text = "---\ntitle: API down\ndate: 2024-03-14T09:50:00Z\naffected: [Checkout]\nresolvedWhen: 2024-03-14\n---\n"
    found = page(text)
    assert found.fields["services"] == ["checkout"]
    assert found.needs == ["its keys are a cState incident's: `postmortems import cstate SOURCE` reads more of it"]


@pytest.mark.parametrize(
    "text, reason",
    [
        ("# Outage on 2024-05-02\n", "no front matter: `postmortems import markdown SOURCE` reads Markdown without"),
        (
            "---\ntitle: x\nstatus: draft\n---\n",
            "it has our front matter already: check it with `postmortems check` instead",
        ),
        (
            "---\ntitle: x\nprovenance: {format: markdown}\nsev: 2\n---\n",
            "it has our front matter already: check it with `postmortems check` instead",
        ),
        (
            "---\nlayout: post\n---\nText.\n",
            "no heading and no words after a date in its name: the first heading is the title",
        ),
        (
            "---\ntitle: Outage\nlayout: post\n---\nNo date anywhere.\n",
            "no date in the timeline, the title, the text or the file name",
        ),
    ],
)
def test_a_page_that_cannot_be_a_record_says_why(text, reason):
    with pytest.raises(SourceProblem) as raised:
        page(text, "x.md")
    assert str(raised.value) == reason


def test_reading_a_folder_reports_a_map_pair_no_key_fills_and_each_other_file(tmp_path):
    (tmp_path / "2024-03-14-checkout.md").write_text(CATALOG, encoding="utf-8")
    (tmp_path / "2024-03-14-checkout.pdf").write_bytes(b"%PDF")
    found = list(
        frontmatter.read([tmp_path], POLICY, TODAY, key_map={"root_causes": "why", "started": "incident_date"})
    )
    assert [type(item) for item in found] == [FileReport, Record, FileReport]
    assert (found[0].source, found[0].action) == ("--map", "skipped")
    assert found[0].needs[0].startswith("`root_causes` is no field this importer fills (one of title, kind, ")
    assert "started from `incident_date`" in found[1].mapped  # the other pair is used
    assert (found[2].action, found[2].mapped) == (
        "not imported (a PDF)",
        [f"named in the record of {tmp_path.name}/2024-03-14-checkout.md"],
    )


def test_the_services_the_catalog_lacks_are_proposed(tmp_path):
    (tmp_path / "a.md").write_text(CATALOG, encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: x\nsystems: Search\n---\n", encoding="utf-8")
    (tmp_path / "c.md").write_text("---\ntitle: x\nteam: Ledger\n---\n", encoding="utf-8")
    proposed = yaml.safe_load(frontmatter.catalog([tmp_path], POLICY))["services"]
    assert [entry["component"] for entry in proposed] == ["billing", "Search"]
    mapped = yaml.safe_load(frontmatter.catalog([tmp_path], POLICY, key_map={"services": "team"}))["services"]
    assert [entry["component"] for entry in mapped] == ["Ledger"]


@NOT_IN_THE_SCHEMA
def test_an_imported_page_passes_check_and_a_second_import_changes_nothing(tmp_path):
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "2024-03-14-checkout.md").write_text(CATALOG, encoding="utf-8")
    folder = tmp_path / "postmortems"
    (first,) = import_sources("frontmatter", [tmp_path / "source"], folder, POLICY, TODAY)
    assert first.action == "written", first.needs
    (again,) = import_sources("frontmatter", [tmp_path / "source"], folder, POLICY, TODAY)
    assert again.action == "unchanged"
    written = (folder / "2024-03-14-checkout-down.md").read_text(encoding="utf-8")
    assert "  format: frontmatter\n  source: source/2024-03-14-checkout.md\n" in written

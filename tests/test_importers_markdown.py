"""`importers/markdown.py` on a folder of Markdown postmortems with headings, written here: the files found, the
sections and their aliases, the start (from the timeline, the title or the file name; a time of day only in UTC),
the durations stated in the text, the action items of tables and lists, and each record value by value with what
the report calls unknown."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from conftest import make_policy
from mkdocs_postmortems.importers import markdown
from mkdocs_postmortems.importers.records import FileReport, Record
from mkdocs_postmortems.importers.sources import SourceProblem

TODAY = date(2026, 11, 22)
# the default sections: Summary, Impact, Timeline, Root cause analysis, Resolution, Lessons learned
POLICY = make_policy()
ALWAYS_UNKNOWN = [
    "severity",
    "services",
    "authors",
    "reviewers",
    "published_on",
    "impact.customers_affected",
    "impact.requests_failed",
    "root_causes",
    "communications",
]

FLAGS = """\
# Feature flags outage, September 29, 2025

## Issue Summary

Feature flags stopped evaluating for 40 minutes.

## Impact

- Every customer saw the default checkout for 40 minutes.
- Nothing was lost.

## Timeline (UTC)

- **16:58 UTC** - Flag service deploy started.
- **17:02 UTC** - Alerts fired.

## Root Cause Analysis

A config key was renamed.

```
## not a heading
```

## Remediation

Rolled back.

## Action Items

- [x] Add a schema check for the flags config
- [ ] Alert on evaluation errors
    - a nested note, not an item

### Completed

- Rolled back the deploy
"""
CERTIFICATE = """\
# Certificate outage

Time to detection: 5 minutes
Time to recovery: 84 minutes

## Timeline

| Time | Event |
| --- | --- |
| 2021-03-31 12:06 UTC | Certificate expired |
| 2021-03-31 12:11 UTC | Paged |

## Contributing Factors

See [the runbook](runbooks/cert.md).

## Lessons Learnt

Automate renewals.

## Follow-up

| Action | Owner | Status | Due |
| --- | --- | --- | --- |
| Automate renewal | *alice* | Done | 2021-04-15 |
| Monitor expiry | TBD | In progress | 2021-13-01 |
"""
RETRIES = """\
## Payments retries, 31st March

### Timeline

- 09:15 retries started
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name, text in {
        "2025-09-29-flags-is-down.md": FLAGS,
        "PM2021-004 - Certificate outage.md": CERTIFICATE,
        "old/PM2022-7 retries": RETRIES,
        "notes.md": "Just notes.\n",
        ".draft.md": "# Draft\n",
        "diagram.png": "not text",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def record(text: str, name: str) -> Record:
    return markdown.document_record(Path(name), text, POLICY, TODAY)


# --- files ---------------------------------------------------------------------------------------------------


def test_the_files_are_markdown_or_without_extension_in_path_order(folder):
    assert list(markdown.markdown_files([folder])) == [
        folder / "2025-09-29-flags-is-down.md",
        folder / "PM2021-004 - Certificate outage.md",
        folder / "notes.md",
        folder / "old" / "PM2022-7 retries",
    ]
    assert list(markdown.markdown_files([folder / "diagram.png"])) == [folder / "diagram.png"]  # as given: tried


def test_reading_a_folder_gives_a_record_per_postmortem_and_a_report_for_each_other_file(folder):
    found = list(markdown.read([folder], POLICY, TODAY))
    assert [type(item) for item in found] == [Record, Record, FileReport, Record]
    assert [item.original_id for item in found if isinstance(item, Record)] == [
        "2025-09-29-flags-is-down",
        "PM2021-004 - Certificate outage",
        "PM2022-7 retries",
    ]
    assert (found[2].source, found[2].needs) == (
        (folder / "notes.md").as_posix(),
        ["no heading: the first heading is the title"],
    )


# --- records -------------------------------------------------------------------------------------------------


def test_a_postmortem_with_a_utc_timeline_starts_at_its_first_entry_on_the_titles_date():
    found = record(FLAGS, "2025-09-29-flags-is-down.md")
    assert (found.format, found.source, found.original_id) == (
        "markdown",
        "2025-09-29-flags-is-down.md",
        "2025-09-29-flags-is-down",
    )
    assert (found.title, found.day, found.already_public) == (
        "Feature flags outage, September 29, 2025",
        date(2025, 9, 29),
        False,
    )
    assert found.fields == {
        "title": "Feature flags outage, September 29, 2025",
        "status": "published",
        "started": "2025-09-29T16:58:00Z",
        "impact": {"summary": "Every customer saw the default checkout for 40 minutes. Nothing was lost."},
        "action_items": [
            {"title": "Add a schema check for the flags config", "status": "done"},
            {"title": "Alert on evaluation errors"},
            {"title": "Rolled back the deploy", "status": "done"},
        ],  # under a heading saying done
    }
    assert found.mapped == [
        "title from the first heading",
        "started: the date in the title and the first timeline entry's time",
        "sections: “Issue Summary” -> Summary; “Timeline (UTC)” -> Timeline; “Root Cause Analysis” -> Root cause "
        "analysis; “Remediation” -> Resolution",
        "not in the source: Lessons learned sections",
        "impact summary from the Impact section's first paragraph",
        "3 action items from tables and lists",
    ]
    assert found.unknown == [
        *ALWAYS_UNKNOWN,
        "detected",
        "mitigated",
        "resolved",
        "sections",
        "action_items.owner",
        "action_items.priority",
        "action_items.due",
        "action_items.status",
        "action_items.closed",
        "action_items.done_when",
    ]
    assert found.needs == [] and found.wrong == []
    assert found.body.startswith("## Summary\n\nFeature flags stopped evaluating for 40 minutes.\n\n## Impact\n")
    assert (
        "## Root cause analysis\n\nA config key was renamed.\n\n```\n## not a heading\n```\n\n## Resolution\n"
        in found.body
    )  # a heading inside code stays code


def test_a_timeline_table_gives_the_start_and_stated_durations_detection_and_recovery():
    found = record(CERTIFICATE, "PM2021-004 - Certificate outage.md")
    assert found.day == date(2021, 3, 31)
    assert found.fields == {
        "title": "Certificate outage",
        "status": "published",
        "started": "2021-03-31T12:06:00Z",
        "detected": "2021-03-31T12:11:00Z",  # start + 5 minutes
        "mitigated": "2021-03-31T13:30:00Z",  # start + 84 minutes
        "action_items": [
            {"title": "Automate renewal", "owner": "alice", "status": "done", "due": "2021-04-15"},
            {"title": "Monitor expiry", "status": "in-progress"},
        ],  # no owner `TBD`, no 13th month
    }
    assert found.mapped == [
        "title from the first heading",
        "started: the first timeline entry's date and time",
        "detected: start + “Time to detection: 5 minutes”",
        "mitigated: start + “Time to recovery: 84 minutes”",
        "sections: “Contributing Factors” -> Root cause analysis; “Lessons Learnt” -> Lessons learned",
        "not in the source: Summary, Impact, Resolution sections",
        "2 action items from tables and lists",
    ]
    assert found.unknown == [
        *ALWAYS_UNKNOWN,
        "resolved",
        "sections",
        "impact.summary",
        "action_items.owner",
        "action_items.priority",
        "action_items.due",
        "action_items.closed",
        "action_items.done_when",
    ]
    assert found.needs == ["relative link `runbooks/cert.md` made plain text"]
    assert "## Root cause analysis\n\nSee the runbook.\n" in found.body


def test_a_timeline_that_does_not_say_utc_gives_the_day_alone_with_the_year_of_the_file_name():
    found = record(RETRIES, "PM2022-7 retries")
    assert found.fields == {"title": "Payments retries, 31st March", "status": "published", "started": "2022-03-31"}
    assert found.mapped == [
        "title from the first heading",
        "started: the date in the title (day only)",
        "not in the source: Summary, Impact, Root cause analysis, Resolution, Lessons learned sections",
    ]
    assert found.unknown == [
        *ALWAYS_UNKNOWN,
        "detected",
        "mitigated",
        "resolved",
        "sections",
        "impact.summary",
        "action_items",
    ]
    assert found.body == "### Timeline\n\n- 09:15 retries started"


def test_the_teams_own_section_aliases_come_first():
    text = "# Outage on 2024-02-01\n\n## Chronology\n\n- 10:00 UTC started\n\n## What Went Wrong\n\nA lot.\n"
    found = record(text, "outage.md")
    assert found.mapped[2] == "sections: “Chronology” -> Timeline; “What Went Wrong” -> Lessons learned"
    policy = make_policy(section_aliases={"Root cause analysis": ("What Went Wrong",)})
    moved = markdown.document_record(Path("outage.md"), text, policy, TODAY)
    assert "“What Went Wrong” -> Root cause analysis" in moved.mapped[2]


STATED = "# Outage on 2024-02-01\n\n{}\n\n## Timeline (UTC)\n\n- 10:00 started\n"


def test_a_stated_recovery_without_a_detection_is_not_imported_and_the_report_says_why():
    found = record(STATED.format("Time to recovery: 3 hours"), "outage.md")
    assert "mitigated" not in found.fields and found.fields["started"] == "2024-02-01T10:00:00Z"
    assert not [line for line in found.mapped if "recovery" in line]
    assert found.needs == [
        "“Time to recovery: 3 hours” not imported: `mitigated` needs `detected` before it; add both once you know them"
    ]
    assert found.unknown[len(ALWAYS_UNKNOWN) : len(ALWAYS_UNKNOWN) + 3] == ["detected", "mitigated", "resolved"]


def test_a_stated_recovery_before_the_detection_is_left_out_and_kept_as_wrong():
    found = record(STATED.format("Time to detection: 90 minutes\nTime to recovery: 30 minutes"), "outage.md")
    assert (found.fields["detected"], "mitigated" in found.fields) == ("2024-02-01T11:30:00Z", False)
    assert found.mapped[2] == "detected: start + “Time to detection: 90 minutes”"
    assert found.wrong == [{"field": "mitigated", "value": "2024-02-01T10:30:00Z", "reason": "before detection"}]
    assert found.unknown[len(ALWAYS_UNKNOWN) : len(ALWAYS_UNKNOWN) + 2] == ["mitigated", "resolved"]


def test_an_implausible_duration_is_left_out_and_kept_as_wrong():
    found = record(STATED.format("Time to detection: 999999 minutes"), "outage.md")
    assert "detected" not in found.fields
    assert found.wrong == [
        {"field": "detected", "value": "Time to detection: 999999 minutes", "reason": "not a plausible duration"}
    ]


def test_a_duration_without_a_time_of_day_to_add_it_to_is_ignored():
    found = record("# Outage on 2024-02-01\n\nTime to detection: 5 minutes\n", "outage.md")
    assert found.fields["started"] == "2024-02-01" and "detected" not in found.fields and found.needs == []


@pytest.mark.parametrize(
    "name, text, reason",
    [
        ("x.md", "---\ntitle: x\n---\n# T\n", "it has front matter already: check it with `postmortems check` instead"),
        ("x.md", "no heading\n", "no heading: the first heading is the title"),
        ("template.md", "# Outage on 2024-01-01\n", "it is a template, not a postmortem"),
        ("x.md", "# Incident title\n", "it is a template, not a postmortem"),
        ("x.md", "# Outage\n\nSome text.\n", "no date in the timeline, the title, the text or the file name"),
    ],
)
def test_a_file_that_cannot_be_a_record_says_why(name, text, reason):
    with pytest.raises(SourceProblem) as raised:
        record(text, name)
    assert str(raised.value) == reason


# --- the pure helpers ----------------------------------------------------------------------------------------


def test_sections_are_split_at_headings_outside_code():
    assert markdown.sections_of("intro\n# Title\ntext\n~~~\n# code\n~~~\n## Next\n") == [
        (0, "", ["intro"]),
        (1, "Title", ["text", "~~~", "# code", "~~~"]),
        (2, "Next", [""]),
    ]


@pytest.mark.parametrize(
    "heading, expected",
    [
        ("2. Root Cause (why)", "root cause"),
        ("**Lessons Learnt**", "lessons learnt"),
        ("Timeline (UTC)", "timeline"),
        ("1.2) Impact", "impact"),
    ],
)
def test_a_heading_is_compared_without_markup_numbering_or_a_trailing_note(heading, expected):
    assert markdown.canonical(heading) == expected


def test_timeline_entries_come_from_table_rows_and_list_items_that_start_with_a_time():
    lines = [
        "| Time | Event |",
        "| --- | --- |",
        "| 12:06 | expired |",
        "| later | no time |",
        "- **16:58 UTC** - deploy",
        "- 2021-03-31 12:06 paged",
        "- no time here",
    ]
    assert markdown.timeline_entries(lines) == [
        ("12:06", "expired"),
        ("16:58 UTC", "deploy"),
        ("2021-03-31 12:06", "paged"),
    ]


@pytest.mark.parametrize(
    "text, file_year, expected",
    [
        ("on 2024-03-14 at noon", None, date(2024, 3, 14)),
        ("September 29, 2025", None, date(2025, 9, 29)),
        ("31st March", 2021, date(2021, 3, 31)),
        ("31st March", None, None),
        ("February 30, 2024", None, None),
    ],
)
def test_a_date_is_read_from_iso_or_written_words(text, file_year, expected):
    assert markdown._date_in(text, file_year, TODAY) == expected


def test_the_start_takes_a_pm_time_from_the_first_entry():
    started, detail = markdown.start_of(
        Path("x.md"), "Outage on March 3, 2024", "", [("4:05 PM UTC", "paged")], None, TODAY
    )
    assert (started, detail) == (
        datetime(2024, 3, 3, 16, 5, tzinfo=timezone.utc),
        "started: the date in the title and the first timeline entry's time",
    )


def test_the_first_paragraph_skips_tables_and_images_and_is_bounded():
    assert markdown.first_paragraph(["", "![chart](x.png)", "- one", "- two", "", "later"]) == "one two"
    long = markdown.first_paragraph(["word " * 200])
    assert len(long) <= 500 and long.endswith("…")

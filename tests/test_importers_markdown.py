"""`importers/markdown.py` on a folder of Markdown postmortems with headings, written here: the files found (and
the others, reported and named in the record they belong with), the sections and their aliases (setext headings
too), the start (from the timeline, the title or the file name; a time of day only with its zone, kept), the
durations stated in the text, the action items of tables and lists (each list item whole), metadata lines (Pelican,
MultiMarkdown), and each record value by value with what the report calls unknown."""

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
    - on the error rate
    - on the latency
- Run a game day on flag outages, so that the team
  has practised the rollback
before the next launch

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
    assert list(markdown.markdown_files([folder / "diagram.png"])) == []


def test_reading_a_folder_gives_a_record_per_postmortem_and_a_report_for_each_other_file(folder):
    found = list(markdown.read([folder], POLICY, TODAY))
    assert [type(item) for item in found] == [Record, Record, FileReport, FileReport, Record]
    assert [item.original_id for item in found if isinstance(item, Record)] == [
        "2025-09-29-flags-is-down",
        "PM2021-004 - Certificate outage",
        "PM2022-7 retries",
    ]
    assert [(item.source, item.action, item.needs) for item in found if isinstance(item, FileReport)] == [
        ((folder / "diagram.png").as_posix(), "not imported (an image)", []),
        (
            (folder / "notes.md").as_posix(),
            "skipped",
            ["no heading and no words after a date in its name: the first heading is the title"],
        ),
    ]


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
            {"title": "Alert on evaluation errors (on the error rate; on the latency)"},  # its nested list
            {
                "title": "Run a game day on flag outages, so that the team has practised the rollback before the next launch"
            },
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
        "4 action items from tables and lists",
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
        ("x.md", "no heading\n", "no heading and no words after a date in its name: the first heading is the title"),
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


def test_timeline_entries_come_from_table_rows_and_list_items_that_start_with_a_time():
    lines = [
        "| Time | Event |",
        "| --- | --- |",
        "| 12:06 | expired |",
        "| later | no time |",
        "| Jan 14, 10:18 AM | reported |",
        "- **16:58 UTC** - deploy",
        "  of the flag service",
        "- 2021-03-31 12:06 paged",
        "- no time here",
    ]
    assert markdown.timeline_entries(lines, TODAY, 2026) == [
        ("12:06", "expired"),
        ("Jan 14, 10:18 AM", "reported"),  # the year of the file
        ("16:58 UTC", "deploy of the flag service"),  # the item whole
        ("2021-03-31 12:06", "paged"),
    ]


def test_the_start_takes_a_pm_time_from_the_first_entry():
    start = markdown.start_of(Path("x.md"), "Outage on March 3, 2024", "", [("4:05 PM UTC", "paged")], None, TODAY)
    assert start == markdown.Start(
        date(2024, 3, 3),
        datetime(2024, 3, 3, 16, 5, tzinfo=timezone.utc),
        "started: the date in the title and the first timeline entry's time",
        [],
    )


# --- action items whole --------------------------------------------------------------------------------------


WRAPPED = """\
# Queue outage on 2024-05-02

## Action Items

- Page the on-call engineer when the queue is
  more than ten minutes behind
- Document the
replay procedure
- [x] Add a dead-letter queue
  - with an alert
  - and a dashboard

1. **Capacity review**
   Decide the size of the cluster for the next year.

| Action | Owner |
| --- | --- |
| Upgrade the broker | team-queue |

## Lessons learned

- Queues hide outages:
  the producers saw nothing
"""


def test_wrapped_action_items_are_kept_whole_and_in_their_order():
    found = record(WRAPPED, "queue.md")
    assert found.fields["action_items"] == [
        {"title": "Page the on-call engineer when the queue is more than ten minutes behind"},
        {"title": "Document the replay procedure"},
        {"title": "Add a dead-letter queue (with an alert; and a dashboard)", "status": "done"},
        {"title": "Capacity review Decide the size of the cluster for the next year."},
        {"title": "Upgrade the broker", "owner": "team-queue"},
    ]
    assert "- Queues hide outages:\n  the producers saw nothing" in found.body  # lessons stay as written


def test_the_impact_summary_takes_a_lists_items_whole():
    text = (
        "# Outage on 2024-05-02\n\n## Impact\n\n- Checkout failed\n  for EU customers\n\n- Nothing was lost\n\nLater.\n"
    )
    assert record(text, "x.md").fields["impact"] == {"summary": "Checkout failed for EU customers Nothing was lost"}


# --- times in their zone --------------------------------------------------------------------------------------

CET_TIMELINE = """\
# Node failure

## Timeline

All times in CET.

| Time | Event |
| --- | --- |
| {when} | Nodes went NotReady |

Time to detection: 5 minutes
"""


@pytest.mark.parametrize(
    "when, started, detected, needs",
    [
        ("2020-01-21 15:36", "2020-01-21T15:36:00+01:00", "2020-01-21T15:41:00+01:00", []),
        ("2020-01-21 15:36 UTC", "2020-01-21T15:36:00Z", "2020-01-21T15:41:00Z", []),  # its own zone first
        ("2023-04-21 10:05 +02:00", "2023-04-21T10:05:00+02:00", "2023-04-21T10:10:00+02:00", []),
        ("2023-04-21 10:05 Europe/Berlin", "2023-04-21T10:05:00+02:00", "2023-04-21T10:10:00+02:00", []),
        ("4/21/23 10:05 PM PDT", "2023-04-21T22:05:00-07:00", "2023-04-21T22:10:00-07:00", []),
        (
            "2020-07-01 10:00",
            "2020-07-01T10:00:00+01:00",
            "2020-07-01T10:05:00+01:00",
            [
                "`CET` read as UTC+01:00, as written; on 2020-07-01 Europe/Berlin clocks showed UTC+02:00 (CEST): if "
                "the source means local time, its times are 1 hour earlier in UTC"
            ],
        ),
        (
            "2023-04-21 10:05 IST",
            "2023-04-21T10:05:00+05:30",
            "2023-04-21T10:10:00+05:30",
            [
                "`IST` read as India Standard Time (UTC+05:30); it also names Irish Standard Time (+01:00) and Israel "
                "Standard Time (+02:00)"
            ],
        ),
    ],
)
def test_a_time_keeps_the_zone_it_was_written_in(when, started, detected, needs):
    found = record(CET_TIMELINE.format(when=when), "PM2020-002 - Nodes.md")
    assert (found.fields["started"], found.fields["detected"]) == (started, detected)
    assert found.day == datetime.fromisoformat(started).astimezone(timezone.utc).date()  # the file name's, in UTC
    assert found.needs == needs


def test_a_time_after_midnight_in_its_zone_is_the_day_before_in_utc():
    found = record(CET_TIMELINE.format(when="2019-12-04 00:30"), "PM2019-010 - Nodes.md")
    assert (found.fields["started"], found.day) == ("2019-12-04T00:30:00+01:00", date(2019, 12, 3))


@pytest.mark.parametrize(
    "timeline, started",
    [
        (
            "## Timeline\n\n| Date and Time in CET | Event |\n| --- | --- |\n| 2019-12-04 09:30 | x |",
            "2019-12-04T09:30:00+01:00",
        ),
        ("## Timeline (PDT)\n\n- 2023-04-21 09:30 x", "2023-04-21T09:30:00-07:00"),
        ("## Timeline\n\nTime zone: Europe/Berlin\n\n- 2023-01-21 09:30 x", "2023-01-21T09:30:00+01:00"),
        ("Times are in UTC+2.\n\n## Timeline\n\n- 2023-01-21 09:30 x", "2023-01-21T09:30:00+02:00"),
        ("## Timeline\n\n- 2023-01-21 09:30 x", "2023-01-21"),  # no zone: the day alone
        ("Screenshots show timestamps in UTC+2.\n\n## Timeline\n\n- 2023-01-21 09:30 x", "2023-01-21"),
    ],
)
def test_the_record_states_the_zone_of_times_without_one(timeline, started):
    assert record(f"# Outage\n\n{timeline}\n", "x.md").fields["started"] == started


def test_a_time_of_day_without_a_zone_keeps_the_day_and_says_where_it_came_from():
    found = record("# Outage on 03/04/2023\n\n## Timeline\n\n- 10:05 paged\n", "x.md")
    assert found.fields["started"] == "2023-03-04"
    assert found.mapped[1] == "started: the date in the title (day only)"
    assert found.needs == [
        "`03/04/2023` read as 2023-03-04 (month/day: the US order: nothing else in the file says which comes first)"
    ]


def test_the_day_and_month_of_a_file_are_read_one_way_when_another_of_its_dates_says_which():
    text = "# Outage on 03/04/2023\n\n## Timeline\n\n- 21/04/2023 the review\n"
    found = record(text, "x.md")
    assert found.fields["started"] == "2023-04-03"
    assert found.needs == ["`03/04/2023` read as 2023-04-03 (day/month: day/month, as `21/04/2023` in the same file)"]


# --- the title's date against the file name's ------------------------------------------------------------------


def test_a_title_date_that_contradicts_the_file_names_is_used_and_reported():
    found = record("# Attack on November 24th, 2025\n\nWhat happened.\n", "2025-11-26-attack.md")
    assert (found.fields["started"], found.mapped[1]) == ("2025-11-24", "started: the date in the title (day only)")
    assert found.needs == [
        "the title says 2025-11-24 and the file name 2025-11-26: the title's date is used (a file is often named for "
        "the day it was written); correct `started` if the file name is right"
    ]


def test_the_file_names_date_is_used_when_the_text_has_it_and_not_the_titles():
    text = "# Outage of 2025-11-24\n\nOn 2025-11-26 the API failed.\n"
    found = record(text, "2025-11-26-api.md")
    assert (found.fields["started"], found.mapped[1]) == ("2025-11-26", "started: the date in the file name (day only)")
    assert found.needs == [
        "the title says 2025-11-24 and the file name 2025-11-26: the file name's date is used, as the text has it "
        "and not the title's"
    ]


def test_a_title_and_file_name_that_agree_say_nothing():
    assert record("# Outage, September 29, 2025\n", "2025-09-29-outage.md").needs == []


# --- metadata lines (Pelican, MultiMarkdown) ------------------------------------------------------------------

PELICAN = """\
Title: Reason for outage: database failover
Date: 2023-03-02 10:05 CET
Category: Status
Tags: database, checkout
Slug: db-outage
Summary: Checkout was unavailable
    for 12 minutes.

Checkout was unavailable while the database failed over.
"""


def test_metadata_lines_are_read_as_keys_and_the_others_kept():
    found = record(PELICAN, "db-outage.md")
    assert found.fields == {
        "title": "Reason for outage: database failover",  # the colon is the title's
        "status": "published",
        "started": "2023-03-02T10:05:00+01:00",
        "impact": {"summary": "Checkout was unavailable for 12 minutes."},  # a line indented under it continues it
        "tags": ["database", "checkout"],
    }
    assert found.already_public  # `Category: Status`: a status-page entry
    assert found.mapped == [
        "title from `Title` (guessed)",
        "started from `Date` (guessed)",
        "impact.summary from `Summary` (guessed)",
        "tags from `Tags` (guessed)",
        "not in the source: Summary, Impact, Timeline, Root cause analysis, Resolution, Lessons learned sections",
        "kept in the body under “Source metadata”: `Category`, `Slug`",
        "already public: its metadata says it was a status-page entry",
    ]
    assert found.body == (
        "Checkout was unavailable while the database failed over.\n\n## Source metadata\n\n"
        "The source's keys that have no field here, as it gave them:\n\n```yaml\nCategory: Status\nSlug: db-outage\n```"
    )


def test_metadata_keys_can_be_mapped_and_a_page_without_status_is_no_status_entry():
    text = "Title: Outage\nPublished: 2023-03-02\nCategory: Incidents\n\n# Outage\n\nText.\n"
    found = markdown.document_record(Path("x.md"), text, POLICY, TODAY, key_map={"started": "published"})
    assert found.fields["started"] == "2023-03-02" and not found.already_public
    assert "started from `Published`" in found.mapped and not found.body.startswith("#")  # the title heading goes


@pytest.mark.parametrize(
    "text",
    [
        "Summary: no title or date\n\n# Outage on 2024-01-01\n",  # no Title or Date among them
        "Title: x\n# Outage on 2024-01-01\n",  # a heading before the blank line
        "# Title: Outage on 2024-01-01\n",
    ],
)
def test_lines_that_are_no_metadata_are_text(text):
    assert markdown.metadata_lines(text) == ({}, text)


# --- headings, front matter, other files ----------------------------------------------------------------------


def test_a_setext_heading_is_a_heading():
    text = "Queue outage on 2024-05-02\n==========================\n\nIntro.\n\nImpact\n------\n\nLate jobs.\n\n---\n"
    found = record(text, "x.md")
    assert found.title == "Queue outage on 2024-05-02"
    assert found.fields["impact"] == {"summary": "Late jobs."}
    assert found.body == "Intro.\n\n## Impact\n\nLate jobs.\n\n---"  # a rule after a blank line stays a rule


@pytest.mark.parametrize(
    "front, reason",
    [
        ("title: x\nstatus: draft", "it has front matter already: check it with `postmortems check` instead"),
        (
            "title: x\ndate: 2024-01-01\naffected: [API]\nresolvedWhen: 2024-01-01",
            "it has a cState incident's front matter: `postmortems import cstate SOURCE` reads it",
        ),
        (
            "title: x\ndate: 2024-01-01\nlayout: post",
            "it has front matter: `postmortems import frontmatter SOURCE` reads it (`--map OURS=THEIRS` names its keys)",
        ),
    ],
)
def test_a_file_with_front_matter_is_left_to_the_command_that_reads_it(front, reason):
    with pytest.raises(SourceProblem) as raised:
        record(f"---\n{front}\n---\n# T\n", "x.md")
    assert str(raised.value) == reason


def test_other_files_are_reported_and_named_in_the_record_they_belong_with(tmp_path):
    source = tmp_path / "history"
    (source / "2024-05-02-queue").mkdir(parents=True)
    (source / "2024-05-02-queue.md").write_text("# Queue outage\n\n![lag](img/lag.png)\n", encoding="utf-8")
    (source / "2024-05-02-queue" / "timeline.pdf").write_bytes(b"%PDF")
    (source / "img").mkdir()
    (source / "img" / "lag.png").write_bytes(b"\x89PNG")
    (source / "budget.xlsx").write_bytes(b"PK")
    found = list(markdown.read([source], POLICY, TODAY))
    reports = {Path(item.source).name: item for item in found if isinstance(item, FileReport)}
    (queue,) = [item for item in found if isinstance(item, Record)]
    assert {name: (r.action, r.mapped) for name, r in reports.items()} == {
        "timeline.pdf": ("not imported (a PDF)", ["named in the record of history/2024-05-02-queue.md"]),
        "lag.png": ("not imported (an image)", ["named in the record of history/2024-05-02-queue.md"]),
        "budget.xlsx": ("not imported (a spreadsheet)", []),  # nobody's: in the report only
    }
    assert queue.body.endswith(
        "## Files in the source\n\nNot imported: the knowledge base holds postmortems only. By their path in the "
        "source:\n\n- `history/2024-05-02-queue/timeline.pdf` (a PDF)\n- `history/img/lag.png` (an image)"
    )
    assert "lag (not imported: img/lag.png)" in queue.body
    assert queue.mapped[-1] == "named under “Files in the source”: timeline.pdf, lag.png"


def test_a_report_without_a_heading_takes_its_title_from_the_words_after_the_date_in_its_name(tmp_path):
    source = tmp_path / "2024-02-28-decide is down.md"
    source.write_text("On 28th February, flags went down from 15:30 to 18:10 UTC.\n\nThe database stalled.\n")
    [found] = list(markdown.read([source], make_policy(), date(2024, 6, 1)))
    assert found.title == "Decide is down" and found.day == date(2024, 2, 28)
    assert "title from the file name (the text has no heading)" in found.mapped
    assert "title from the first heading" not in found.mapped

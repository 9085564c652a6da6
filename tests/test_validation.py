"""Validation of single postmortems and of a folder: every diagnostic code, its position and its level."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import TODAY, VALID, make_policy
from mkdocs_postmortems import load_knowledge_base
from mkdocs_postmortems.checks.blameless import find_blame
from mkdocs_postmortems.checks.families import RULES
from mkdocs_postmortems.checks.references import duplicate_ids, unknown_related
from mkdocs_postmortems.checks.registry import Context
from mkdocs_postmortems.diagnostics import Level
from mkdocs_postmortems.model import Postmortem
from mkdocs_postmortems.parsing.markdown import body_headings
from mkdocs_postmortems.policy import Service

FIXTURES = Path(__file__).parent / "fixtures" / "invalid"

# code: (line, col, level) of the single diagnostic its fixture in tests/fixtures/invalid/<code>/ gives.
EXPECTED = {
    "not-markdown": (1, 1, Level.WARNING),
    "front-matter-missing": (1, 1, Level.ERROR),
    "front-matter-unclosed": (1, 1, Level.ERROR),
    "front-matter-empty": (2, 1, Level.ERROR),
    "yaml-syntax": (2, 16, Level.ERROR),
    "yaml-too-deep": (27, 1, Level.ERROR),
    "invalid-key": (27, 1, Level.ERROR),
    "duplicate-key": (5, 1, Level.ERROR),
    "unknown-key": (27, 1, Level.ERROR),
    "missing-field": (6, 1, Level.ERROR),
    "wrong-type": (14, 23, Level.ERROR),
    "invalid-value": (4, 11, Level.ERROR),
    "timestamp-offset": (9, 11, Level.ERROR),
    "timestamp-range": (9, 11, Level.ERROR),
    "yaml-comment-cut": (13, 47, Level.WARNING),  # and not line 3's `# draft -> ...`, a comment written as one
    "front-matter-document-end": (12, 1, Level.ERROR),
    "reserved-name": (1, 1, Level.ERROR),
    "file-name": (1, 1, Level.ERROR),
    "file-date": (8, 10, Level.ERROR),
    "timestamp-order": (10, 12, Level.ERROR),
    "duplicate-root-cause-id": (20, 9, Level.ERROR),
    "unknown-root-cause": (26, 17, Level.ERROR),
    "reviewer-required": (3, 9, Level.ERROR),
    "unknown-related": (27, 11, Level.ERROR),
    "action-item-overdue": (24, 10, Level.WARNING),
    "wont-do-reason": (25, 13, Level.WARNING),
    "closed-date": (25, 13, Level.WARNING),
    "action-items-missing": (4, 11, Level.WARNING),
    "section-missing": (28, 1, Level.WARNING),
    "regulatory-due": (28, 3, Level.WARNING),
    "regulatory-overdue": (28, 3, Level.ERROR),
    "regulatory-unreported": (5, 11, Level.WARNING),
    "regulatory-regime": (29, 16, Level.WARNING),
    "regulatory-stage": (29, 29, Level.ERROR),
}
# The regulatory fixtures name `ledger`, regulated under DORA.
REGULATED = make_policy(
    services=(Service("checkout", "", "Checkout"), Service("orders-db"), Service("ledger", regulated=True)),
    regulatory_regimes=("dora",),
)

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"

# code: (file content, line) for byte-level problems, generated in tmp_path instead of committed.
GENERATED = {
    "empty-file": (b"", 1),
    "binary-file": (PNG_HEADER + b"\x00" * 64, 1),
    "encoding": (VALID.replace("authors: [alice]", "authors: [Zo\u00eb]").encode("latin-1"), 6),
    "file-too-large": (VALID.encode() + b"x" * 1_000_000, 1),
}

# Codes that need more than one file or an unreadable path; each has its own test below.
TESTED_ELSEWHERE = {
    "already-public-leak",  # in test_said_already_public.py
    "unreadable-file",
    "duplicate-id",
    "too-many-problems",
    "folder-missing",
    # the review rules, against a complete baseline, in test_review.py
    "placeholder-left",
    "timestamp-missing",
    "published-date",
    "publish-overdue",
    "action-item-deadline",
    "cause-unaddressed",
    "done-when-missing",
    "impact-unquantified",
    "root-cause-shallow",
    "communication-missing",
    "blame-language",
    "communication-owed",
    "public-leak",  # in test_public.py
    "communication-leak",
    "ongoing-unsaid",  # in test_said.py
    "unknown-given",  # in test_provenance.py
    "public-withheld",  # in test_data_errors.py
    "date-implausible",  # in test_long_histories.py
    "foreign-format",  # in test_formats.py
    "action-item-drift",  # by `postmortems sync`, against a tracker, in test_drift.py and test_sync.py
    # links, pipes, folders and merges, in test_files.py
    "not-regular-file",
    "link-outside",
    "linked-folder",
    "dot-folder",
    "conflict-marker",
}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def summary(kb) -> list[tuple]:
    return [(d.path, d.code, d.line, d.col, d.level) for d in kb.diagnostics]


# --- the registry and the fixtures ------------------------------------------------------------


def test_every_code_is_covered_by_a_test():
    assert set(EXPECTED) | set(GENERATED) | TESTED_ELSEWHERE == set(RULES)
    assert not set(EXPECTED) & set(GENERATED)
    assert not (set(EXPECTED) | set(GENERATED)) & TESTED_ELSEWHERE


def test_every_fixture_folder_is_expected_and_holds_one_file():
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert folders == set(EXPECTED)
    for name in folders:
        assert len(list((FIXTURES / name).iterdir())) == 1, name


def test_valid_baseline_has_no_diagnostics(tmp_path, check):
    write(tmp_path, "2024-03-14-example.md", VALID)
    kb = check(tmp_path)
    assert kb.diagnostics == []
    assert [pm.id for pm in kb.postmortems] == ["2024-03-14-example"]
    assert kb.rejected == []
    pm = kb.postmortems[0]
    assert pm.title == "Checkout latency during the spring sale"
    assert pm.services == ("checkout",)
    assert pm.impact.customers_affected == 1200
    assert pm.action_items[0].due == date(2027, 1, 31)
    assert pm.body_line == 28


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_fixture_reports_exactly_its_code(code, check):
    folder = FIXTURES / code
    (path,) = folder.iterdir()
    line, col, level = EXPECTED[code]
    kb = check(folder, REGULATED) if code.startswith("regulatory-") else check(folder)
    assert summary(kb) == [(path.name, code, line, col, level)]
    assert level is RULES[code].level
    (diagnostic,) = kb.diagnostics
    assert diagnostic.message
    assert diagnostic.hint


@pytest.mark.parametrize("code", sorted(GENERATED))
def test_generated_file_reports_exactly_its_code(code, tmp_path, check):
    content, line = GENERATED[code]
    (tmp_path / "2024-03-14-example.md").write_bytes(content)
    kb = check(tmp_path)
    assert summary(kb) == [("2024-03-14-example.md", code, line, 1, RULES[code].level)]
    assert kb.postmortems == []
    assert kb.rejected == ["2024-03-14-example.md"]


def test_whitespace_only_file_is_empty(tmp_path, check):
    (tmp_path / "2024-03-14-example.md").write_bytes(b"  \n\n\t\n")
    assert [d.code for d in check(tmp_path).diagnostics] == ["empty-file"]


def test_encoding_error_names_the_byte(tmp_path, check):
    content, _ = GENERATED["encoding"]
    (tmp_path / "2024-03-14-example.md").write_bytes(content)
    (diagnostic,) = check(tmp_path).diagnostics
    assert "0xeb" in diagnostic.message


def test_file_of_exactly_the_size_limit_is_read(tmp_path, check):
    text = VALID + "x" * (1_000_000 - len(VALID.encode()) - 1) + "\n"
    assert len(text.encode()) == 1_000_000
    write(tmp_path, "2024-03-14-example.md", text)
    assert check(tmp_path).diagnostics == []


def test_not_markdown_file_is_rejected_and_others_are_checked(tmp_path, check):
    write(tmp_path, "2024-03-14-example.md", VALID)
    (tmp_path / "graph.png").write_bytes(PNG_HEADER)
    write(tmp_path, ".gitkeep", "")
    kb = check(tmp_path)
    assert summary(kb) == [("graph.png", "not-markdown", 1, 1, Level.WARNING)]
    assert kb.rejected == ["graph.png"]
    assert [pm.id for pm in kb.postmortems] == ["2024-03-14-example"]


def test_unreadable_file(tmp_path, check):
    write(tmp_path, "2024-03-14-example.md", VALID.replace("SEV2", "SEV9"))
    unreadable = tmp_path / "2024-03-15-unreadable.md"
    unreadable.mkdir()  # a directory cannot be read as a file, even by root
    dangling = tmp_path / "2024-03-16-dangling.md"
    dangling.symlink_to(tmp_path / "nowhere.md")
    kb = check(tmp_path, paths=[tmp_path / "2024-03-14-example.md", unreadable, dangling])
    assert summary(kb) == [
        ("2024-03-14-example.md", "invalid-value", 4, 11, Level.ERROR),
        ("2024-03-15-unreadable.md", "unreadable-file", 1, 1, Level.ERROR),
        ("2024-03-16-dangling.md", "unreadable-file", 1, 1, Level.ERROR),
    ]
    assert RULES["unreadable-file"].level is Level.ERROR
    assert sorted(kb.rejected) == ["2024-03-15-unreadable.md", "2024-03-16-dangling.md"]


def test_duplicate_id_across_folders(tmp_path, check):
    write(tmp_path, "a/2024-03-14-example.md", VALID)
    write(tmp_path, "b/2024-03-14-example.md", VALID)
    kb = check(tmp_path)
    assert summary(kb) == [("b/2024-03-14-example.md", "duplicate-id", 1, 1, RULES["duplicate-id"].level)]
    assert "a/2024-03-14-example.md" in kb.diagnostics[0].message


# --- hints and positions ----------------------------------------------------------------------


def test_unknown_key_hint_suggests_the_close_key(tmp_path, check):
    write(tmp_path, "2024-03-14-example.md", VALID.replace("severity: SEV2", "serverity: SEV2"))
    kb = check(tmp_path)
    unknown = [d for d in kb.diagnostics if d.code == "unknown-key"]
    assert [(d.line, d.col) for d in unknown] == [(4, 1)]
    assert "`serverity`" in unknown[0].message
    assert "`severity`" in unknown[0].hint
    assert {d.code for d in kb.diagnostics} == {"unknown-key", "missing-field"}
    (missing,) = [d for d in kb.diagnostics if d.code == "missing-field"]
    assert "severity" in missing.message


def test_unknown_service_hint_suggests_the_close_service(tmp_path, check):
    write(tmp_path, "2024-03-14-example.md", VALID.replace("services: [checkout]", "services: [orders-db, checkuot]"))
    kb = check(tmp_path)
    assert summary(kb) == [("2024-03-14-example.md", "invalid-value", 5, 23, Level.ERROR)]
    assert "checkuot" in kb.diagnostics[0].message
    assert "`checkout`" in kb.diagnostics[0].hint


def test_invalid_value_without_close_match_lists_the_choices(tmp_path, check):
    write(tmp_path, "2024-03-14-example.md", VALID.replace("services: [checkout]", "services: [zzzzzz]"))
    (diagnostic,) = check(tmp_path).diagnostics
    assert "checkout" in diagnostic.hint and "orders-db" in diagnostic.hint


def test_unknown_related_hint_suggests_the_close_id(tmp_path, check):
    write(tmp_path, "2024-03-14-example.md", VALID)
    write(
        tmp_path,
        "2024-03-20-other.md",
        VALID.replace("2024-03-14T", "2024-03-20T").replace(
            "---\n\n## Summary", "related: [2024-03-14-exampel]\n---\n\n## Summary"
        ),
    )
    kb = check(tmp_path)
    assert summary(kb) == [("2024-03-20-other.md", "unknown-related", 27, 11, Level.ERROR)]
    assert "`2024-03-14-example`" in kb.diagnostics[0].hint


def test_duplicate_key_points_at_the_second_occurrence(tmp_path, check):
    (diagnostic,) = check(FIXTURES / "duplicate-key").diagnostics
    assert (diagnostic.line, diagnostic.col) == (5, 1)
    assert "line 4" in diagnostic.hint


def test_duplicate_nested_key(tmp_path, check):
    text = VALID.replace("  customers_affected: 1200\n", "  customers_affected: 1200\n  summary: Again.\n")
    write(tmp_path, "2024-03-14-example.md", text)
    kb = check(tmp_path)
    assert summary(kb) == [("2024-03-14-example.md", "duplicate-key", 15, 3, Level.ERROR)]
    assert "impact.summary" in kb.diagnostics[0].message
    assert "line 13" in kb.diagnostics[0].hint
    assert kb.postmortems[0].impact.summary == "Checkouts took up to 30 seconds for 40 minutes."


def test_missing_required_field_is_reported_at_the_mapping(tmp_path, check):
    write(tmp_path, "2024-03-14-example.md", VALID.replace("authors: [alice]\n", ""))
    kb = check(tmp_path)
    assert summary(kb) == [("2024-03-14-example.md", "missing-field", 2, 1, Level.ERROR)]
    assert "authors" in kb.diagnostics[0].message


def test_missing_nested_required_field(tmp_path, check):
    write(tmp_path, "2024-03-14-example.md", VALID.replace("    owner: team-checkout\n", ""))
    kb = check(tmp_path)
    assert summary(kb) == [("2024-03-14-example.md", "missing-field", 21, 5, Level.ERROR)]
    assert "action_items.0.owner" in kb.diagnostics[0].message


@pytest.mark.parametrize(
    "old, new, line, col",
    [
        ("title: Checkout latency during the spring sale", 'title: ""', 2, 1),
        ("title: Checkout latency during the spring sale", "title: '   '", 2, 1),
        ("  summary: Checkouts took up to 30 seconds for 40 minutes.", '  summary: ""', 13, 3),
    ],
    ids=["title-empty", "title-blank", "impact-summary-empty"],
)
def test_empty_string_in_a_required_field_is_missing(old, new, line, col, tmp_path, check):
    # docs/reference.md: "a required key with an empty value ... is reported as missing"
    write(tmp_path, "2024-03-14-example.md", VALID.replace(old, new))
    kb = check(tmp_path)
    assert [(d.code, d.line) for d in kb.diagnostics] == [("missing-field", line)]


# --- timestamps --------------------------------------------------------------------------------

OFFSET_TIMELINE = (
    VALID.replace("started: 2024-03-14T09:50:00Z", "started: 2024-03-15T00:30:00+01:00")
    .replace("detected: 2024-03-14T09:58:00Z", "detected: 2024-03-14T23:45:00Z")
    .replace("mitigated: 2024-03-14T10:30:00Z", "mitigated: 2024-03-15T01:10:00+01:00")
    .replace("resolved: 2024-03-14T11:00:00Z", "resolved: 2024-03-14T20:00:00-05:00")
)


def test_offsets_are_converted_to_utc_and_the_file_date_is_the_utc_date(tmp_path, check):
    write(tmp_path, "2024-03-14-example.md", OFFSET_TIMELINE)
    kb = check(tmp_path)
    assert kb.diagnostics == []
    pm = kb.postmortems[0]
    assert pm.started == datetime(2024, 3, 14, 23, 30, tzinfo=timezone.utc)
    assert pm.started.utcoffset() == timedelta(0)
    assert pm.mitigated.utcoffset() == timedelta(0)
    assert pm.time_to_detect == timedelta(minutes=15)
    assert pm.time_to_mitigate == timedelta(minutes=40)
    assert pm.time_to_resolve == timedelta(minutes=30 + 60)


def test_file_named_after_the_local_date_is_wrong(tmp_path, check):
    write(tmp_path, "2024-03-15-example.md", OFFSET_TIMELINE)
    kb = check(tmp_path)
    assert summary(kb) == [("2024-03-15-example.md", "file-date", 8, 10, Level.ERROR)]
    assert "2024-03-14-example.md" in kb.diagnostics[0].hint


def test_timestamp_order_compares_instants_not_local_times(tmp_path, check):
    # 10:00+01:00 is 09:00Z, before started (09:50Z), though "10:00" > "09:50".
    write(
        tmp_path,
        "2024-03-14-example.md",
        VALID.replace("detected: 2024-03-14T09:58:00Z", "detected: 2024-03-14T10:00:00+01:00"),
    )
    assert summary(check(tmp_path)) == [("2024-03-14-example.md", "timestamp-order", 9, 11, Level.ERROR)]


@pytest.mark.parametrize(
    "value",
    ["2024-03-14T09:50Z", "2024-03-14 10:50+01:00", "2024-03-14T09:50:00.250+00:00", "2024-03-14T04:20:00-05:30"],
)
def test_accepted_offset_spellings(value, tmp_path, check):
    write(tmp_path, "2024-03-14-example.md", VALID.replace("started: 2024-03-14T09:50:00Z", f"started: {value}"))
    assert check(tmp_path).diagnostics == []


@pytest.mark.parametrize(
    "value, code",
    [
        ("2024-03-14T09:58:00", "timestamp-offset"),
        ("2024-03-14 09:58", "timestamp-offset"),
        ("yesterday", "wrong-type"),
        ("2024-03-14T09:58:00+25:00", "wrong-type"),
        ("2024-03-14T09:58:00+01:60", "wrong-type"),
        ("2024-02-30T09:50:00Z", "wrong-type"),
    ],
)
def test_rejected_timestamps(value, code, tmp_path, check):
    write(tmp_path, "2024-03-14-example.md", VALID.replace("detected: 2024-03-14T09:58:00Z", f"detected: {value}"))
    assert summary(check(tmp_path)) == [("2024-03-14-example.md", code, 9, 11, Level.ERROR)]


# --- policy -------------------------------------------------------------------------------------


def test_rule_levels_can_switch_a_rule_off(check):
    kb = check(FIXTURES / "section-missing", policy=make_policy(rule_levels={"section-missing": Level.OFF}))
    assert kb.diagnostics == []


def test_rule_levels_can_raise_a_rule_to_error(check):
    kb = check(FIXTURES / "action-item-overdue", policy=make_policy(rule_levels={"action-item-overdue": Level.ERROR}))
    assert summary(kb) == [("2024-03-14-example.md", "action-item-overdue", 24, 10, Level.ERROR)]
    assert kb.count(Level.ERROR) == 1 and kb.count(Level.WARNING) == 0


def test_rule_levels_apply_to_parse_diagnostics_too(check):
    kb = check(FIXTURES / "unknown-key", policy=make_policy(rule_levels={"unknown-key": Level.INFO}))
    assert summary(kb) == [("2024-03-14-example.md", "unknown-key", 27, 1, Level.INFO)]
    assert kb.count(Level.ERROR) == 0


def test_overdue_depends_on_today(check, policy):

    folder = FIXTURES / "action-item-overdue"
    assert load_knowledge_base(folder, policy, today=date(2026, 11, 1), base=folder).diagnostics == []
    assert [d.code for d in load_knowledge_base(folder, policy, today=date(2026, 11, 2), base=folder).diagnostics] == [
        "action-item-overdue"
    ]


@pytest.mark.parametrize("status", ["done", "wont-do\n    reason: The pool is being replaced."])
def test_closed_action_items_are_never_overdue(status, tmp_path, check):
    closed = f"status: {status}\n    closed: 2024-03-30"
    write(
        tmp_path,
        "2024-03-14-example.md",
        VALID.replace("due: 2027-01-31", "due: 2024-04-01").replace("status: open", closed),
    )
    assert check(tmp_path).diagnostics == []


@pytest.mark.parametrize(
    "status, closed, message",
    [
        ("open", "2024-03-30", "is `open` but has a `closed` date"),
        ("done", "2026-11-30", "is closed on 2026-11-30, after today (2026-11-22)"),
    ],
)
def test_closed_date_must_fit_status_and_today(status, closed, message, tmp_path, check):
    write(tmp_path, "2024-03-14-example.md", VALID.replace("status: open", f"status: {status}\n    closed: {closed}"))
    [found] = check(tmp_path).diagnostics
    assert (found.code, found.line, found.col) == ("closed-date", 26, 13) and message in found.message


def test_in_progress_action_items_can_be_overdue(tmp_path, check):
    write(
        tmp_path,
        "2024-03-14-example.md",
        VALID.replace("due: 2027-01-31", "due: 2024-04-01").replace("status: open", "status: in-progress"),
    )
    assert summary(check(tmp_path)) == [("2024-03-14-example.md", "action-item-overdue", 24, 10, Level.WARNING)]


def test_drafts_are_checked_too(tmp_path, check):
    text = VALID.replace("status: published", "status: draft").replace("severity: SEV2", "severity: SEV9")
    write(tmp_path, "2024-03-14-example.md", text.replace("reviewers: [bob]\n", "reviewers: []\n"))
    kb = check(tmp_path)
    assert summary(kb) == [("2024-03-14-example.md", "invalid-value", 4, 11, Level.ERROR)]
    assert kb.published() == []


def test_in_review_needs_a_reviewer(tmp_path, check):
    write(
        tmp_path,
        "2024-03-14-example.md",
        VALID.replace("status: published", "status: in-review").replace("reviewers: [bob]\n", ""),
    )
    assert summary(check(tmp_path)) == [("2024-03-14-example.md", "reviewer-required", 3, 9, Level.ERROR)]


def test_action_items_are_only_required_for_configured_severities(tmp_path, check):
    text = FIXTURES.joinpath("action-items-missing", "2024-03-14-example.md").read_text()
    write(tmp_path, "2024-03-14-example.md", text.replace("severity: SEV2", "severity: SEV3"))
    # A SEV3 needs no action items as such, but a published one still owes its causal root cause one.
    assert [d.code for d in check(tmp_path).diagnostics] == ["cause-unaddressed"]


def test_required_sections_are_case_insensitive_and_configurable(tmp_path, check):
    write(tmp_path, "2024-03-14-example.md", VALID.replace("## Lessons learned", "## LESSONS LEARNED"))
    assert check(tmp_path).diagnostics == []
    kb = check(tmp_path, policy=make_policy(required_sections=("Summary", "Follow-up")))
    assert summary(kb) == [("2024-03-14-example.md", "section-missing", 28, 1, Level.WARNING)]
    assert "Follow-up" in kb.diagnostics[0].message


# --- the knowledge base -----------------------------------------------------------------------


def _dated(day: str, status: str = "published") -> str:
    return VALID.replace("2024-03-14T", f"{day}T").replace("status: published", f"status: {status}")


def test_published_is_newest_first_and_excludes_drafts(tmp_path, check):
    write(tmp_path, "2024-03-14-middle.md", _dated("2024-03-14"))
    write(tmp_path, "2023-12-31-oldest.md", _dated("2023-12-31"))
    write(tmp_path, "2024-06-01-newest.md", _dated("2024-06-01"))
    write(tmp_path, "2024-07-01-draft.md", _dated("2024-07-01", "draft"))
    write(tmp_path, "2024-03-14-another.md", _dated("2024-03-14", "in-review"))
    kb = check(tmp_path)
    assert kb.diagnostics == []
    assert [pm.id for pm in kb.published()] == [
        "2024-06-01-newest",
        "2024-03-14-another",
        "2024-03-14-middle",
        "2023-12-31-oldest",
    ]
    with_drafts = check(tmp_path, policy=make_policy(include_drafts=True))
    assert [pm.id for pm in with_drafts.published()] == [
        "2024-07-01-draft",
        "2024-06-01-newest",
        "2024-03-14-another",
        "2024-03-14-middle",
        "2023-12-31-oldest",
    ]


def test_postmortem_without_start_sorts_last(tmp_path, check):
    write(tmp_path, "2024-03-14-example.md", VALID)
    write(tmp_path, "2024-01-01-unstarted.md", VALID.replace("started: 2024-03-14T09:50:00Z\n", ""))
    kb = check(tmp_path)
    assert [pm.id for pm in kb.published()] == ["2024-03-14-example", "2024-01-01-unstarted"]
    assert summary(kb) == [("2024-01-01-unstarted.md", "missing-field", 2, 1, Level.ERROR)]


def test_diagnostics_are_sorted_by_path_and_line(tmp_path, check):
    write(tmp_path, "2024-03-14-b.md", VALID.replace("SEV2", "SEV9").replace("status: published", "status: nope"))
    write(tmp_path, "2024-03-14-a.md", VALID.replace("authors: [alice]", "authors: alice"))
    kb = check(tmp_path)
    assert [(d.path, d.line) for d in kb.diagnostics] == [
        ("2024-03-14-a.md", 6),
        ("2024-03-14-b.md", 3),
        ("2024-03-14-b.md", 4),
    ]
    assert set(kb.diagnostics_by_path()) == {"2024-03-14-a.md", "2024-03-14-b.md"}


# --- body headings ------------------------------------------------------------------------------


def test_body_headings_skip_fenced_code():
    body = "\n".join(
        [
            "## Summary",
            "```yaml",
            "## Inside backticks",
            "```",
            "~~~",
            "## Inside tildes",
            "```",
            "## Still inside tildes",
            "~~~",
            "   ### Indented three ###",
            "    ## Indented four is code",
            "#No space is not a heading",
            "####### Seven is not a heading",
            "# Last",
        ]
    )
    assert body_headings(body) == ["Summary", "Indented three", "Last"]


def test_a_longer_fence_holds_a_shorter_one_and_the_lint_agrees():
    """A four-backtick fence shows a three-backtick block: neither its `##` line nor its wording is prose."""
    body = "\n".join(
        [
            "## Summary",
            "````markdown",
            "```",
            "## Not a heading",
            "alice forgot to drain it",
            "```",
            "````",
            "```` with info",
            "## Also code",
            "`````",
            "## Timeline",
        ]
    )
    assert body_headings(body) == ["Summary", "Timeline"]
    assert find_blame(body, names=("alice",)) == []
    assert body_headings("```\n## Code\n``` not a closer\n## Still code") == []
    assert body_headings("```py`x\n## A heading: backticks in a backtick fence's info make it no fence") == [
        "A heading: backticks in a backtick fence's info make it no fence"
    ]


def test_section_inside_fenced_code_is_missing(tmp_path, check):
    write(tmp_path, "2024-03-14-example.md", VALID.replace("## Lessons learned", "```\n## Lessons learned\n```"))
    kb = check(tmp_path)
    assert summary(kb) == [("2024-03-14-example.md", "section-missing", 28, 1, Level.WARNING)]
    assert "Lessons learned" in kb.diagnostics[0].message


# --- the model ----------------------------------------------------------------------------------


def _utc(hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 3, 14, hour, minute, tzinfo=timezone.utc)


def _pm(pm_id: str = "2024-03-14-x", **fields) -> Postmortem:
    values = dict(
        path=f"{pm_id}.md", title="t", status="published", severity="SEV2", services=("checkout",), started=_utc(9, 50)
    )
    values.update(fields)
    return Postmortem(id=pm_id, **values)


def test_durations_from_the_baseline(tmp_path, check):
    write(tmp_path, "2024-03-14-example.md", VALID)
    pm = check(tmp_path).postmortems[0]
    assert pm.time_to_detect == timedelta(minutes=8)
    assert pm.time_to_mitigate == timedelta(minutes=40)
    assert pm.time_to_resolve == timedelta(minutes=70)
    assert pm.duration == timedelta(minutes=40)


def test_duration_falls_back_to_resolved():
    pm = _pm(resolved=_utc(12))
    assert pm.duration == timedelta(hours=2, minutes=10)
    assert pm.time_to_mitigate is None
    assert pm.time_to_detect is None


def test_durations_without_start_are_unknown():
    pm = _pm(started=None, detected=_utc(10), mitigated=_utc(11), resolved=_utc(12))
    assert (pm.time_to_detect, pm.time_to_mitigate, pm.time_to_resolve, pm.duration) == (None, None, None, None)


def test_position_of_falls_back_to_the_nearest_parent():
    pm = _pm(positions={("action_items", 0): (20, 5), ("title",): (2, 8)}, body_line=30)
    assert pm.position_of("action_items", 0, "due") == (20, 5)
    assert pm.position_of("title") == (2, 8)
    assert pm.position_of("nothing", 3) == (1, 1)
    assert pm.position_of("body") == (30, 1)


# --- references across files ------------------------------------------------------------------


def references(postmortems, ids=()):
    ctx = Context(make_policy(), TODAY, ids)
    return [*duplicate_ids(postmortems, ctx), *unknown_related(postmortems, ctx)]


def test_check_references_finds_only_the_unknown_id():
    a = _pm("2024-03-14-a", related=("2024-03-15-b",), positions={("related", 0): (9, 11)})
    b = _pm(
        "2024-03-15-b",
        related=("2024-03-14-a", "2024-01-01-gone"),
        positions={("related", 0): (9, 11), ("related", 1): (9, 27)},
    )
    (diagnostic,) = references([a, b])
    assert (diagnostic.path, diagnostic.line, diagnostic.col, diagnostic.code, diagnostic.level) == (
        "2024-03-15-b.md",
        9,
        27,
        "unknown-related",
        Level.ERROR,
    )
    assert "2024-01-01-gone" in diagnostic.message
    assert references([a, b], ids=["2024-01-01-gone"]) == []


def test_related_may_name_a_file_that_failed_to_parse(tmp_path, check):
    write(
        tmp_path,
        "2024-03-14-example.md",
        VALID.replace("---\n\n## Summary", "related: [2024-01-01-broken]\n---\n\n## Summary"),
    )
    write(tmp_path, "2024-01-01-broken.md", "no front matter\n")
    kb = check(tmp_path)
    assert [(d.path, d.code) for d in kb.diagnostics] == [("2024-01-01-broken.md", "front-matter-missing")]


def test_references_across_many_files_find_nothing_when_all_exist():
    count = 50_000
    ids = [f"2024-01-01-pm-{i}" for i in range(count)]
    postmortems = [_pm(ids[i], related=(ids[i - 1], ids[(i + 1) % count])) for i in range(count)]
    assert references(postmortems) == []


def test_problems_beyond_the_cap_are_summarised_not_listed(tmp_path, policy):
    from mkdocs_postmortems.diagnostics import MAX_PER_FILE

    extra = "".join(f"unknown_{n}: x\n" for n in range(MAX_PER_FILE + 50))
    write(tmp_path, "2024-03-14-example.md", VALID.replace("title:", extra + "title:", 1))
    found = load_knowledge_base(tmp_path, policy, today=TODAY, base=tmp_path).diagnostics
    assert len(found) == MAX_PER_FILE + 1
    assert [d.code for d in found[:-1]] == ["unknown-key"] * MAX_PER_FILE
    assert found[-1].code == "too-many-problems" and found[-1].message.startswith("50 more problems")


def test_a_missing_folder_is_reported_not_shown_as_empty(tmp_path, policy):
    kb = load_knowledge_base(tmp_path / "postmortem", policy, today=TODAY, base=tmp_path)
    assert [(d.path, d.code, d.level) for d in kb.diagnostics] == [("postmortem", "folder-missing", Level.WARNING)]
    assert kb.postmortems == [] and kb.rejected == []

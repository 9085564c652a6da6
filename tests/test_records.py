"""`importers/records.py`: a record as the file an import writes (its text, provenance and hash), the checks it must
pass as written (a leak moved out of the public block, blaming words marked for review), writing it idempotently
and never over a person's edits, and the report per file."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import make_policy
from mkdocs_postmortems.importers import records
from mkdocs_postmortems.importers.records import STATUS_PAGE_UNKNOWN, FileReport, Record
from mkdocs_postmortems.importers.sources import SourceProblem
from mkdocs_postmortems.knowledge import postmortem_from_source
from mkdocs_postmortems.model import public_fingerprint
from mkdocs_postmortems.parsing.frontmatter import source_from_bytes
from mkdocs_postmortems.policy import Service

TODAY = date(2026, 11, 22)
POLICY = make_policy(services=(Service("api", "", "API", public=True),))


def entry(
    summary: str = "The API returned errors.",
    body: str = "## Status page entry\n\nThe API returned errors.",
    original_id: str = "a",
    title: str = "API returning errors",
) -> Record:
    """A status-page record as the cState importer proposes it: public already, every unknown fact listed."""
    return Record(
        "cstate",
        f"issues/{original_id}.md",
        original_id,
        title,
        date(2024, 3, 14),
        {
            "title": title,
            "status": "published",
            "services": ["api"],
            "started": "2024-03-14T09:50:00Z",
            "resolved": "2024-03-14T10:00:00Z",
            "public": {"title": title, "summary": summary, "components": ["API"], "impact": "critical"},
        },
        body,
        unknown=list(STATUS_PAGE_UNKNOWN),
        already_public=True,
    )


def without_hash(text: str) -> str:
    return re.sub(r"^  content_hash: .*\n", "", text, flags=re.MULTILINE)


# --- the file's text ------------------------------------------------------------------------------------------


def test_a_record_renders_its_fields_then_its_provenance_then_its_body():
    record = Record(
        "cstate",
        "issues/a.md",
        "a",
        "API returning errors",
        date(2024, 3, 14),
        {
            "title": "API returning errors",
            "status": "published",
            "services": ["api"],
            "started": "2024-03-14T09:50:00Z",
            "public": {"title": "API returning errors", "summary": "Errors.\n\nA fix is out.", "components": ["API"]},
        },
        "## Status page entry\n\nErrors.\n\n",
        unknown=["severity", "authors", "severity"],
        already_public=True,
    )
    record.drop("resolved", "2024-03-14T08:00:00Z", "before the start")
    text = records.render(record, TODAY)
    public_hash = re.search(r"^  public_hash: (sha256:[0-9a-f]{16})$", text, re.MULTILINE).group(1)
    assert (
        without_hash(text)
        == f"""\
---
title: API returning errors
status: imported
services:
- api
started: '2024-03-14T09:50:00Z'
public:
  title: API returning errors
  summary: |-
    Errors.

    A fix is out.
  components:
  - API
provenance:
  format: cstate
  source: issues/a.md
  original_id: a
  imported_on: '2026-11-22'
  already_public: true
  public_hash: {public_hash}
  unknown:
  - severity
  - authors
  wrong:
  - field: resolved
    value: '2024-03-14T08:00:00Z'
    reason: before the start
---

## Status page entry

Errors.
"""
    )
    assert f"  content_hash: sha256:{records.content_hash(without_hash(text))}\n" in text
    assert record.needs == ["left out `resolved` 2024-03-14T08:00:00Z: before the start"]
    pm = parsed(text)
    assert public_hash == public_fingerprint(pm) and pm.public_as_imported  # public already, as imported


def parsed(text: str):
    pm, _ = postmortem_from_source(source_from_bytes(text.encode(), "2024-03-14-a.md"), "2024-03-14-a", "x.md", POLICY)
    return pm


def test_only_the_import_of_a_public_page_says_what_it_showed():
    record = entry()
    record.already_public = False
    assert "public_hash" not in records.render(record, TODAY)
    record = entry()
    del record.fields["public"]
    assert "public_hash" not in records.render(record, TODAY)


@pytest.mark.parametrize(
    "fields, start",
    [
        ({"title": "T", "status": "published", "services": ["api"]}, "title: T\nstatus: imported\nservices:"),
        ({"title": "T", "status": "draft"}, "title: T\nstatus: imported\n"),
        ({"title": "T", "kind": "maintenance", "services": ["api"]}, "title: T\nkind: maintenance\nstatus: imported\n"),
        ({"services": ["api"], "title": "T"}, "services:\n- api\ntitle: T\nstatus: imported\n"),
    ],
)
def test_an_imported_record_is_in_the_imported_state_whatever_the_importer_set(fields, start):
    """Every importer's records say what they are, history nobody reviewed here, from this one place."""
    record = entry()
    record.fields = fields
    assert records.render(record, TODAY).startswith("---\n" + start)


def test_a_file_edited_after_its_import_no_longer_matches_its_hash():
    text = records.render(entry(), TODAY)
    assert not records.edited_since_import(text)
    assert records.edited_since_import(text.replace("The API returned errors.", "The API failed."))
    assert records.edited_since_import(without_hash(text))  # no hash: a person's file


def test_the_catalog_snippet_lists_services_with_their_public_component():
    assert records.catalog_snippet([("website", "www.example.com", "Website"), ("db", "", "Database")]) == (
        "services:\n- name: website\n  description: www.example.com\n  component: Website\n  public: true\n"
        "- name: db\n  component: Database\n  public: true\n"
    )
    assert records.catalog_snippet([]) == ""


@pytest.mark.parametrize("component, service", [("API", "api"), ("api", "api"), ("Web Site (EU)", "web-site-eu")])
def test_a_component_is_the_catalog_service_showing_it_or_a_name_made_from_it(component, service):
    assert records.service_for(component, POLICY) == service


def test_a_source_that_fails_is_a_report_never_a_traceback():
    def refuse():
        raise SourceProblem("it is binary, not text")

    def crash():
        raise ValueError("boom")

    assert records.attempt("x.md", refuse) == FileReport("x.md", "skipped", needs=["it is binary, not text"])
    assert records.attempt("x.md", crash) == FileReport(
        "x.md", "skipped", needs=["could not read it (ValueError: boom); please report this file"]
    )
    made = entry()
    assert records.attempt("x.md", lambda: made) is made


# --- checked as written ---------------------------------------------------------------------------------------


def test_a_complete_status_page_record_passes_the_checks_as_written():
    text, problems = records.settle(entry(), POLICY, TODAY, TODAY)
    assert problems == [] and text == records.render(entry(), TODAY)


def test_a_record_without_its_unknown_facts_listed_has_the_problems_check_would_report():
    record = entry()
    record.unknown = ["severity", "authors"]
    codes = [
        d.code for d in records.problems_as_written(records.render(record, TODAY), "2024-03-14-a.md", POLICY, TODAY)
    ]
    assert codes == ["missing-field"]  # the impact; an imported record is never reviewed, so no review rule runs
    # were it published, it would need what a review gives
    published = records.render(record, TODAY).replace("status: imported", "status: published")
    codes = [d.code for d in records.problems_as_written(published, "2024-03-14-a.md", POLICY, TODAY)]
    assert codes[:2] == ["missing-field", "reviewer-required"] and "section-missing" in codes


def test_text_that_was_public_already_stays_public_as_it_was_and_the_report_says_what_the_gate_finds():
    record = entry(summary="Errors on db-7.prod.internal since 09:50.")
    text, problems = records.settle(record, POLICY, TODAY, TODAY)
    assert problems == [] and record.fields["public"]["summary"] == "Errors on db-7.prod.internal since 09:50."
    assert "  summary: Errors on db-7.prod.internal since 09:50.\n" in text and "Public text, as posted" not in text
    assert record.needs == [
        "public already, so kept as it was, but the leak gate finds: the public summary names `db-7.prod.internal`, "
        "an internal host [internal-host]"
    ]
    assert parsed(text).public_as_imported


def test_public_text_the_leak_gate_flags_moves_into_the_body_for_a_person():
    record = entry(summary="Errors on db-7.prod.internal since 09:50.")
    record.already_public = False  # text of our own, never public: the gate applies in full
    text, problems = records.settle(record, POLICY, TODAY, TODAY)
    assert problems == [] and "public" not in record.fields and "\npublic:" not in text
    assert record.body.endswith("## Public text, as posted\n\nErrors on db-7.prod.internal since 09:50.")
    assert record.needs == [
        "the leak gate flags the public text: the public summary names `db-7.prod.internal`, an internal host "
        "[internal-host]",
        "the public block was left out; its text is in the body under “Public text, as posted”: rephrase it and add "
        "a `public` block",
    ]


def test_blaming_words_are_kept_and_marked_for_review_in_the_body_and_the_front_matter():
    in_body = entry(body="## Status page entry\n\nCaused by human error: the engineer should have checked.")
    text, problems = records.settle(in_body, POLICY, TODAY, TODAY)
    assert problems == []
    assert in_body.body == (
        "## Status page entry\n\nCaused by human error: the engineer should have checked. "
        "<!-- blameless-ok: imported wording, to review -->"
    )
    assert in_body.needs == [
        "wording to review (marked blameless-ok): “human error” is a label, not a cause: it stops the analysis at a "
        "person",
        "wording to review (marked blameless-ok): “should have” judges with hindsight",
    ]
    in_public = entry(summary="Caused by human error of an operator.")
    text, problems = records.settle(in_public, POLICY, TODAY, TODAY)
    assert problems == [] and in_public.marked_lines == {10}
    assert "  # blameless-ok: imported wording, to review\n  summary: Caused by human error of an operator.\n" in text


def test_blaming_words_in_list_items_and_blocks_of_the_front_matter_are_marked_and_the_record_written(tmp_path):
    record = entry()
    record.fields.update(
        {
            "root_causes": [
                {"id": "x", "kind": "causal", "category": "software-bug", "summary": "The engineer should have known."}
            ],
            "action_items": [
                {
                    "title": "Stop human error",
                    "owner": "ops",
                    "priority": "P1",
                    "due": "2099-04-01",
                    "status": "open",
                    "addresses": ["x"],
                }
            ],
            "impact": {"summary": "Errors for an hour.\nThe root cause was human error."},
        }
    )
    record.unknown = [u for u in record.unknown if u not in ("root_causes", "action_items", "impact.summary")]
    (report,) = write(tmp_path, record)
    assert report.action == "written", report.needs
    text = Path(report.target).read_text(encoding="utf-8")
    mark = "# blameless-ok: imported wording, to review\n"
    assert f"  {mark}  summary: The engineer should have known.\n" in text
    assert f"  {mark}- title: Stop human error\n" in text
    assert f"  {mark}  summary: |-\n    Errors for an hour.\n    The root cause was human error.\n" in text
    assert len(report.needs) == 3 and all(need.startswith("wording to review") for need in report.needs)


@pytest.mark.parametrize(
    "lines, number, marked",
    [
        (["tags:", "- blamed the intern"], 2, 2),  # a list item of text
        (["root_causes:", "  - summary: x", "    kind: causal"], 2, 2),
        (["root_causes:", "- kind: causal", "  summary: x"], 3, 3),
        (["impact:", "  summary: |-", "    first", "    second"], 4, 2),  # in a block: its key
        (["lessons:", "- >-", "  folded", "  text"], 4, 2),
        (["impact:", "  summary: |-"], 2, 2),
        (["summary: |", "  text", "", "  after a blank line"], 4, 1),
        (["---", "  text of nothing"], 2, None),
    ],
)
def test_the_line_a_comment_goes_before(lines, number, marked):
    assert records._marked_line(lines, number) == marked


# --- writing --------------------------------------------------------------------------------------------------


def write(folder: Path, *found: Record | FileReport, **options) -> list[FileReport]:
    return list(records.write_records(found, folder, POLICY, TODAY, TODAY, **options))


def test_a_record_is_written_once_then_left_unchanged_then_kept_once_a_person_edits_it(tmp_path):
    (written,) = write(tmp_path, entry())
    path = tmp_path / "2024-03-14-api-returning-errors.md"
    assert (written.action, written.target, written.original_id) == ("written", path.as_posix(), "a")
    assert written.unknown == list(STATUS_PAGE_UNKNOWN) and written.needs == []
    assert path.read_text(encoding="utf-8") == records.render(entry(), TODAY)
    assert [r.action for r in write(tmp_path, entry())] == ["unchanged"]
    assert [r.action for r in write(tmp_path, entry(), dry_run=True)] == ["would leave unchanged"]
    path.write_text(path.read_text(encoding="utf-8").replace("errors.", "errors!"), encoding="utf-8")
    (kept,) = write(tmp_path, entry(summary="Changed at the source."))
    assert (kept.action, kept.needs) == (
        "kept (edited)",
        ["edited since it was imported: kept as it is (`--force` overwrites it)"],
    )
    (forced,) = write(tmp_path, entry(summary="Changed at the source."), force=True)
    assert forced.action == "updated" and "Changed at the source." in path.read_text(encoding="utf-8")


def test_a_changed_source_updates_a_file_nobody_edited(tmp_path):
    write(tmp_path, entry())
    assert [r.action for r in write(tmp_path, entry(summary="Resolved."), dry_run=True)] == ["would be updated"]
    assert [r.action for r in write(tmp_path, entry(summary="Resolved."))] == ["updated"]


def test_a_dry_run_writes_nothing(tmp_path):
    assert [r.action for r in write(tmp_path / "new", entry(), dry_run=True)] == ["would be written"]
    assert not (tmp_path / "new").exists()


def test_the_same_record_twice_is_imported_once_and_a_taken_name_gets_the_id(tmp_path):
    other = entry(original_id="b")  # another record with the same title and day
    reports = write(tmp_path, entry(), entry(), other)
    assert [(r.action, Path(r.target).name) for r in reports] == [
        ("written", "2024-03-14-api-returning-errors.md"),
        ("skipped", "2024-03-14-api-returning-errors.md"),
        ("written", "2024-03-14-api-returning-errors-b.md"),
    ]
    assert reports[1].needs == [f"the same record (a) is also in {reports[0].target}; imported once"]
    assert records.existing_records(tmp_path) == {
        ("cstate", "a"): tmp_path / "2024-03-14-api-returning-errors.md",
        ("cstate", "b"): tmp_path / "2024-03-14-api-returning-errors-b.md",
    }


@pytest.mark.parametrize(
    "title",
    [
        "2024-03-14 API returning errors",
        "2024-03-14: API returning errors",
        "[2024-03-14] API returning errors",
        "2024-03-14T09:50Z - API returning errors",
        "2024/03/14 API returning errors",
        "20240314 API returning errors",
        "14.03.2024 API returning errors",
        "03/14/2024: API returning errors",
        "14 March 2024 - API returning errors",
        "14th of March 2024: API returning errors",
        "March 14, 2024: API returning errors",
        "Thursday, Mar 14th 2024 \u2014 API returning errors",
    ],
)
def test_a_date_the_title_starts_with_is_not_repeated_in_the_file_name(tmp_path, title):
    (report,) = write(tmp_path, entry(title=title))
    assert Path(report.target).name == "2024-03-14-api-returning-errors.md"


@pytest.mark.parametrize(
    "title, slug",
    [
        ("2024-03-14", "a-1"),  # a date alone: the original ID names it
        ("2024 roadmap review", "2024-roadmap-review"),  # a year is no date
        ("12 servers failed", "12-servers-failed"),
        ("March 2024 outage", "march-2024-outage"),
        ("2024-13-14 is no date", "2024-13-14-is-no-date"),
    ],
)
def test_only_a_whole_date_is_taken_off_the_slug(title, slug):
    assert records.title_slug(title, "2024-03-14-a-1") == slug


def test_a_record_goes_back_to_its_file_whatever_its_title_now(tmp_path):
    write(tmp_path, entry())
    (again,) = write(tmp_path, entry(title="API errors, resolved"))
    assert Path(again.target).name == "2024-03-14-api-returning-errors.md" and again.action == "updated"


def test_a_records_file_that_became_a_link_is_never_written_through(tmp_path):
    (tmp_path / "kb").mkdir()
    write(tmp_path / "kb", entry())
    path = tmp_path / "kb" / "2024-03-14-api-returning-errors.md"
    path.rename(tmp_path / "outside.md")
    path.symlink_to(tmp_path / "outside.md")
    before = (tmp_path / "outside.md").read_text(encoding="utf-8")
    (report,) = write(tmp_path / "kb", entry(summary="Changed at the source."))
    assert (report.action, report.target) == ("kept (a link)", path.as_posix())
    assert report.needs == ["the file there is a link: replace it with the postmortem itself, then import again"]
    assert (tmp_path / "outside.md").read_text(encoding="utf-8") == before


def test_a_link_of_someone_else_where_the_file_would_go_is_left_alone(tmp_path):
    (tmp_path / "elsewhere.md").write_text("mine\n", encoding="utf-8")
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "2024-03-14-api-returning-errors.md").symlink_to(tmp_path / "elsewhere.md")
    (report,) = write(tmp_path / "kb", entry())
    assert (report.action, Path(report.target).name) == ("written", "2024-03-14-api-returning-errors-a.md")
    assert (tmp_path / "elsewhere.md").read_text(encoding="utf-8") == "mine\n"


def test_a_record_check_would_refuse_is_not_written_and_the_report_says_why(tmp_path):
    record = entry()
    record.fields["services"] = ["billing"]
    (report,) = write(tmp_path, record)
    assert report.action == "skipped" and not list(tmp_path.iterdir())
    assert report.needs == [
        "`check` would report: [invalid-value] `services[0]` is `billing`, which is not one of the configured values"
    ]


def test_a_failed_source_passes_through_as_its_report(tmp_path):
    failed = FileReport("x.md", "skipped", needs=["it is binary, not text"])
    assert write(tmp_path, failed) == [failed]


# --- the report -----------------------------------------------------------------------------------------------


def test_the_report_gives_each_file_then_the_totals():
    reports = [
        FileReport(
            "issues/a.md",
            "written",
            "kb/a.md",
            "a",
            mapped=["affected -> services api"],
            unknown=["severity", "authors"],
        ),
        FileReport("issues/b.md", "skipped", needs=["no `title`"]),
        FileReport("issues/c.md", "written", "kb/c.md", "c"),
    ]
    assert records.report_text(reports) == (
        "issues/a.md: written -> kb/a.md\n"
        "    mapped: affected -> services api\n"
        "    unknown: severity, authors\n"
        "issues/b.md: skipped\n"
        "    needs a person: no `title`\n"
        "issues/c.md: written -> kb/c.md\n"
        "1 skipped, 2 written"
    )
    assert records.report_text([]) == "nothing to import"


def _entry() -> Record:
    return Record("cstate", "x.md", "x", "Outage", date(2024, 3, 14), {}, "")


def test_a_catch_all_component_is_every_component_of_the_catalog():
    policy = make_policy(
        services=(Service("checkout", "", "Checkout"), Service("api", "", "API"), Service("orders-db"))
    )
    record = _entry()
    components, services = records.components_named(["All systems", "Checkout"], policy, record)
    assert components == ["Checkout", "API"] and services == ["checkout", "api"]
    assert any("every component of the catalog: Checkout, API" in line for line in record.mapped)


def test_a_component_spelt_otherwise_is_the_catalogs_own():
    record = _entry()
    components, services = records.components_named(["check_out", "Search"], make_policy(), record)
    assert components == ["Checkout", "Search"] and services == ["checkout", "search"]
    assert "`check_out` -> the catalog's `Checkout`" in record.mapped


def test_without_components_a_catch_all_stays_as_named_for_check_to_report():
    components, _ = records.components_named(["all"], make_policy(services=()), _entry())
    assert components == ["all"]

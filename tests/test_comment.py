"""`postmortems pr-summary`: the semantic diff of the front matter, the Markdown comment, and the command itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cli_support import commit, dated, git, related, run, write
from conftest import TODAY, VALID, make_policy
from mkdocs_postmortems.checks import checklist
from mkdocs_postmortems.diagnostics import Diagnostic, Level
from mkdocs_postmortems.parsing.frontmatter import MAX_FILE_BYTES
from mkdocs_postmortems.pull_requests.changes import ChangedPostmortem, changed_postmortems, postmortem_from_text
from mkdocs_postmortems.pull_requests.comment import MARKER, md_code, md_text, render_pr_summary
from mkdocs_postmortems.pull_requests.diff import FieldChange, FrontMatterDiff, diff_postmortems
from mkdocs_postmortems.status_site.public import public_view

PATH = "postmortems/2024-03-14-example.md"
ITEM = VALID[VALID.index("  - title: Size the pool"):VALID.index("---\n\n## Summary")]  # VALID's one action item
LOAD_TEST = """\
  - title: Load-test checkout before every sale
    owner: team-sre
    priority: P2
    due: 2027-03-31
    status: open
"""


def with_items(*items: str, text: str = VALID) -> str:
    """`text` with these action items instead of its own."""
    start, end = text.index("action_items:\n"), text.index("---\n\n## Summary")
    return text[:start] + "action_items:\n" + "".join(items) + text[end:]


def parse(text: str):
    pm = postmortem_from_text(text, "2024-03-14-example", PATH, make_policy())
    assert pm is not None
    return pm


def diff(before: str | None, after: str | None) -> FrontMatterDiff:
    return diff_postmortems(before and parse(before), after and parse(after))


def item_changes(before: str, after: str) -> list[tuple]:
    return [(c.change, c.item.title, [(f.field, f.before, f.after) for f in c.fields])
            for c in diff(before, after).action_items]


# --- the semantic diff -------------------------------------------------------------------------------

def test_unchanged_has_no_diff():
    assert not diff(VALID, VALID)
    assert not diff(VALID, VALID.replace("Checkouts were slow.", "Checkouts were very slow."))  # the body


def test_action_item_added():
    assert item_changes(VALID, with_items(ITEM, LOAD_TEST)) == [("added", "Load-test checkout before every sale", [])]


def test_action_item_done_is_closed():
    done = ITEM.replace("status: open", "status: done\n    closed: 2026-11-20")
    assert item_changes(VALID, with_items(done)) == [
        ("closed", "Size the pool for peak traffic", [("status", "open", "done"), ("closed", "", "2026-11-20")])]


def test_action_item_wont_do_is_closed_and_reopening_is_a_change():
    wont = ITEM.replace("status: open", "status: wont-do\n    reason: the pool goes away")
    assert [c[0] for c in item_changes(VALID, with_items(wont))] == ["closed"]
    assert item_changes(with_items(wont), VALID) == [
        ("changed", "Size the pool for peak traffic", [("status", "wont-do", "open"), ("reason", "the pool goes away", "")])]
    in_progress = ITEM.replace("status: open", "status: in-progress")
    assert [c[0] for c in item_changes(VALID, with_items(in_progress))] == ["changed"]


def test_action_item_due_owner_priority_changed():
    later = ITEM.replace("due: 2027-01-31", "due: 2027-02-28").replace("priority: P1", "priority: P2")
    assert item_changes(VALID, with_items(later)) == [
        ("changed", "Size the pool for peak traffic", [("priority", "P1", "P2"), ("due", "2027-01-31", "2027-02-28")])]
    other_owner = ITEM.replace("owner: team-checkout", "owner: team-sre")
    assert item_changes(VALID, with_items(other_owner)) == [
        ("changed", "Size the pool for peak traffic", [("owner", "team-checkout", "team-sre")])]


def test_action_item_removed():
    assert item_changes(with_items(ITEM, LOAD_TEST), VALID) == [("removed", "Load-test checkout before every sale", [])]


def test_action_item_retitled_at_the_same_position_with_the_same_owner():
    retitled = ITEM.replace("Size the pool for peak traffic", "Size the connection pool for twice the peak")
    assert item_changes(VALID, with_items(retitled)) == [
        ("changed", "Size the connection pool for twice the peak",
         [("title", "Size the pool for peak traffic", "Size the connection pool for twice the peak")])]
    # another owner too: not the same item any more
    replaced = retitled.replace("owner: team-checkout", "owner: team-sre")
    assert [c[:2] for c in item_changes(VALID, with_items(replaced))] == [
        ("added", "Size the connection pool for twice the peak"), ("removed", "Size the pool for peak traffic")]


def test_action_items_reordered_are_unchanged():
    assert item_changes(with_items(ITEM, LOAD_TEST), with_items(LOAD_TEST, ITEM)) == []


def test_root_cause_added_removed_and_changed():
    systemic = ("root_causes:\n  - id: review\n    kind: systemic\n    category: process\n"
                "    summary: Capacity is not reviewed before sales.\n")
    more = VALID.replace("root_causes:\n", systemic)
    changes = diff(VALID, more).root_causes
    assert [(c.change, c.cause.id, c.cause.kind) for c in changes] == [("added", "review", "systemic")]
    assert [(c.change, c.cause.id) for c in diff(more, VALID).root_causes] == [("removed", "review")]
    reworded = VALID.replace("sized for normal traffic", "sized for a quiet Tuesday")
    (change,) = diff(VALID, reworded).root_causes
    assert (change.change, change.fields) == ("changed", (FieldChange(
        "summary", "The connection pool was sized for normal traffic.", "The connection pool was sized for a quiet Tuesday."),))


def test_root_causes_without_ids_match_by_content():
    no_id = VALID.replace("  - id: pool\n    kind", "  - kind").replace("    addresses: [pool]\n", "")
    assert not diff(no_id, no_id).root_causes
    reworded = no_id.replace("normal traffic", "a quiet Tuesday")
    assert [c.change for c in diff(no_id, reworded).root_causes] == ["added", "removed"]


def test_severity_status_services_and_title_changes():
    after = (VALID.replace("status: published", "status: in-review").replace("severity: SEV2", "severity: SEV1")
             .replace("services: [checkout]", "services: [checkout, orders-db]")
             .replace("title: Checkout latency", "title: Checkout outage"))
    assert diff(VALID, after).fields == (
        FieldChange("title", "Checkout latency during the spring sale", "Checkout outage during the spring sale"),
        FieldChange("status", "published", "in-review"),
        FieldChange("severity", "SEV2", "SEV1"),
        FieldChange("services", "checkout", "checkout, orders-db"),
    )


def test_added_and_deleted_postmortems():
    added = diff(None, with_items(ITEM, LOAD_TEST))
    assert added.fields == ()
    assert [c.change for c in added.action_items] == ["added", "added"]
    assert [c.change for c in added.root_causes] == ["added"]
    deleted = diff(VALID, None)
    assert [(c.change, c.item.title) for c in deleted.action_items] == [("removed", "Size the pool for peak traffic")]
    assert [c.change for c in deleted.root_causes] == ["removed"]


def test_postmortem_from_text_like_a_file():
    assert parse(VALID.replace("\n", "\r\n")).title == "Checkout latency during the spring sale"
    assert parse("\ufeff" + VALID).severity == "SEV2"
    for text in ("", "no front matter\n", "---\ntitle: [unclosed\n", VALID.replace("title", "ti\0tle"),
                 VALID + "x" * MAX_FILE_BYTES):
        assert postmortem_from_text(text, "x", "x.md", make_policy()) is None


# --- the Markdown ---------------------------------------------------------------------------------------

def diagnostic(code: str, line: int, level: Level = Level.WARNING, path: str = PATH, message: str = "") -> Diagnostic:
    return Diagnostic(path, line, 3, code, message or f"{code} here", f"fix {code}", level)


def changed(before: str | None, after: str | None, diagnostics=(), elsewhere=(), change: str = "modified",
            pm_id: str = "2024-03-14-example") -> ChangedPostmortem:
    old = before and parse(before)
    new = after and parse(after)
    return ChangedPostmortem(pm_id, f"postmortems/{pm_id}.md", change, old, new, tuple(diagnostics), tuple(elsewhere),
                             diff_postmortems(old, new), new and public_view(new, make_policy()))


IN_REVIEW = VALID.replace("status: published", "status: in-review")
DRAFT = VALID.replace("status: published", "status: draft")


def test_markdown_for_a_modified_postmortem():
    done = ITEM.replace("status: open", "status: done\n    closed: 2026-11-20")
    after = with_items(done, LOAD_TEST, text=IN_REVIEW.replace("reviewers: [bob]\n", ""))
    change = changed(DRAFT, after, [
        diagnostic("reviewer-required", 3, Level.ERROR, message="a postmortem in-review needs a reviewer"),
        diagnostic("action-item-overdue", 30),
    ])
    text = render_pr_summary([change])
    lines = text.splitlines()
    assert lines[:3] == [MARKER, "## Postmortems in this pull request", ""]
    assert lines[3] == "**1 postmortem changed** (1 modified) · checks found 1 error, 1 warning."
    assert "<sub>Generated by `postmortems pr-summary`" in lines[5]
    assert "### Checkout latency during the spring sale" in lines
    assert ("`2024-03-14-example` · **modified** · `postmortems/2024-03-14-example.md` · state: draft → **in-review** "
            "· severity: **SEV2** · services: checkout") in lines
    assert "#### Checks: 1 error, 1 warning" in lines
    assert ("- **error** `postmortems/2024-03-14-example.md:3` `reviewer-required` a postmortem in-review needs a "
            "reviewer — fix reviewer-required") in lines
    assert "- status: draft → in-review" in lines
    assert ("- action item **closed**: “Size the pool for peak traffic” — status: open → done; closed: — → 2026-11-20"
            in lines)
    assert "- action item **added**: “Load-test checkout before every sale” (team-sre, P2, due 2027-03-31, open)" in lines
    sections = [line for line in lines if line.startswith("#")]
    assert sections == ["## Postmortems in this pull request", "### Checkout latency during the spring sale",
                        "#### Checks: 1 error, 1 warning", "#### Front matter changes", "#### Reviewer checklist"]
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_checklist_ticks_items_whose_rules_found_nothing(monkeypatch):
    monkeypatch.setattr(checklist, "CHECKLIST", (
        *checklist.CHECKLIST,
        checklist.ChecklistItem("Lessons shared", "Will the owning team present it at the weekly review?")))
    text = render_pr_summary([changed(IN_REVIEW, IN_REVIEW, [diagnostic("reviewer-required", 3, Level.ERROR),
                                                            diagnostic("section-missing", 28),
                                                            diagnostic("section-missing", 30)])])
    lines = text.splitlines()
    start = lines.index("#### Reviewer checklist") + 2
    items = [line for line in lines[start:] if line.startswith("- [")]
    assert len(items) == len(checklist.CHECKLIST)
    by_title = {re.match(r"- \[.\] \*\*(.+?)\*\*", line).group(1): line for line in items}
    for item in checklist.CHECKLIST:  # every item shows its question
        assert md_text(item.question) in by_title[md_text(item.title)]
    assert by_title["Key data collected"].endswith("— found: `section-missing` (lines 28, 30)")
    assert by_title["Reviewed on time"] == ("- [ ] **Reviewed on time**: Is the review moving: reviewers named, "
                                            "published within the deadline? — found: `reviewer-required` (line 3)")
    assert by_title["Blameless"].startswith("- [x] ") and by_title["Blameless"].endswith("_(checks pass)_")
    # in review, the rules that wait for publication have not run: nothing is ticked for them
    assert by_title["Impact assessed"].startswith("- [ ] ") and by_title["Impact assessed"].endswith(
        "_(checked once published)_")
    assert by_title["Lessons shared"] == ("- [ ] **Lessons shared**: Will the owning team present it at the weekly "
                                          "review? _(for the reviewer)_")
    # the findings themselves are listed once, under the checks
    assert lines.count("- **warning** `postmortems/2024-03-14-example.md:28` `section-missing` section-missing here "
                       "— fix section-missing") == 1


def test_no_problems_and_public_text():
    public = ("public:\n  title: Slow checkout\n  summary: |\n    Checkout was slow for 40 minutes.\n\n"
              "    We added capacity.\n  components: [Checkout]\n---\n\n## Summary")
    after = VALID.replace("---\n\n## Summary", public, 1)
    lines = render_pr_summary([changed(VALID, after)]).splitlines()
    assert "#### Checks: no problems" in lines
    assert "#### Front matter changes" not in lines
    start = lines.index("#### Would go public")
    assert lines[start + 2:start + 9] == ["> **Slow checkout**", ">", "> Checkout was slow for 40 minutes.", ">",
                                          "> We added capacity.", ">", "> Components: Checkout"]
    assert lines[3] == "**1 postmortem changed** (1 modified) · checks found no problems."


def test_deleted_postmortem_with_references_elsewhere():
    reference = diagnostic("unknown-related", 27, Level.ERROR, path="postmortems/2024-03-17-refers.md",
                           message="`related` names `2024-03-14-example`, which is not a postmortem")
    lines = render_pr_summary([changed(VALID, None, elsewhere=[reference], change="deleted")]).splitlines()
    assert lines[3] == "**1 postmortem changed** (1 deleted) · checks found 1 error."
    assert ("`2024-03-14-example` · **deleted** · `postmortems/2024-03-14-example.md` · state: **published** · "
            "severity: **SEV2** · services: checkout") in lines
    assert "#### Checks: no problems" in lines
    assert "#### In other postmortems that refer to it: 1 error" in lines
    assert ("- **error** `postmortems/2024-03-17-refers.md:27` `unknown-related` \\`related\\` names "
            "\\`2024-03-14-example\\`, which is not a postmortem — fix unknown-related") in lines
    assert ("Deleting it removes 1 root cause and 1 action item; still open: “Size the pool for peak traffic” "
            "(team-checkout).") in lines
    assert "#### Front matter changes" not in lines
    assert "#### Reviewer checklist" not in lines
    done = with_items(ITEM.replace("status: open", "status: done\n    closed: 2026-11-20"), LOAD_TEST.replace(
        "status: open", "status: wont-do\n    closed: 2026-11-20\n    reason: no sales any more"))
    lines = render_pr_summary([changed(done, None, change="deleted")]).splitlines()
    assert "Deleting it removes 1 root cause and 2 action items, none of them open." in lines


def test_unreadable_front_matter():
    change = changed(VALID, None, [diagnostic("yaml-syntax", 2, Level.ERROR)])
    lines = render_pr_summary([change]).splitlines()
    assert "### 2024\\-03\\-14\\-example" not in lines and "### Checkout latency during the spring sale" in lines
    assert "The front matter cannot be read: the checklist and the rest follow once it is fixed." in lines
    assert "#### Reviewer checklist" not in lines


def test_no_change():
    assert render_pr_summary([]).splitlines()[:4] == [MARKER, "## Postmortems in this pull request", "",
                                                       "No postmortem changed."]


def test_a_comment_too_long_for_github_leaves_sections_out():
    many = [changed(VALID, VALID, [diagnostic("section-missing", 28, path=f"postmortems/2024-03-{day:02d}-example.md")],
                    pm_id=f"2024-03-{day:02d}-example") for day in range(1, 21)]
    assert len(render_pr_summary(many)) < 65_536
    text = render_pr_summary(many, max_chars=6000)
    lines = text.splitlines()
    assert len(text) <= 6000
    assert lines[3] == "**20 postmortems changed** (20 modified) · checks found 20 warnings."
    shown = sum(line.startswith("### ") for line in lines)
    assert 0 < shown < 20
    assert lines[-1].startswith(f"**{20 - shown} more sections are left out**: GitHub takes at most 6,000 characters")


def test_other_files():
    other = diagnostic("not-markdown", 1, path="postmortems/notes.txt")
    lines = render_pr_summary([], [other]).splitlines()
    assert lines[-3:] == ["### Other files", "",
                          "- **warning** `postmortems/notes.txt:1` `not-markdown` not-markdown here — fix not-markdown"]


# --- escaping -----------------------------------------------------------------------------------------

HOSTILE = '<script>alert(1)</script> | **bold** [link](javascript:alert(1)) `code` @alice ~~x~~ $x$ &amp; <!-- c -->'


def test_hostile_title_and_fields_are_text():
    hostile = (VALID.replace("title: Checkout latency during the spring sale", f"title: '{HOSTILE}'")
               .replace("team-checkout", "'@org/team <b>'")
               .replace("---\n\n## Summary", f"public:\n  title: '{HOSTILE}'\n  summary: \"{HOSTILE}\\n\\n# "
                                            f"heading\\n- item\"\n---\n\n## Summary", 1))
    text = render_pr_summary([changed(None, hostile, change="added")])
    body = text.removeprefix(MARKER + "\n")
    assert re.findall(r"(?<!\\)<[^>]*>", body) == ["<sub>", "</sub>"]  # the only HTML is ours
    assert "@alice" not in text and "@&#8203;alice" in text and "@&#8203;org/team" in text
    escaped = ("\\<script\\>alert(1)\\</script\\> \\| \\*\\*bold\\*\\* \\[link\\](javascript:alert(1)) \\`code\\` "
               "@&#8203;alice \\~\\~x\\~\\~ \\$x\\$ \\&amp; \\<\\!-- c --\\>")
    lines = text.splitlines()
    assert f"### {escaped}" in lines
    assert f"> **{escaped}**" in lines
    assert "> \\# heading - item" in lines  # one paragraph: its lines joined


@pytest.mark.parametrize("raw, shown", [
    ("plain words", "plain words"),
    ("- starts a list", "\\- starts a list"),
    ("+ also", "\\+ also"),
    ("1. an ordered list", "1\\. an ordered list"),
    ("12) too", "12\\) too"),
    ("=== an underline", "\\=== an underline"),
    ("> a quote", "\\> a quote"),
    ("# a heading", "\\# a heading"),
    ("two\nlines\r\n\u2028and\x00more", "two lines and more"),
    ("a\\*b", "a\\\\\\*b"),
    # web addresses: linked by us, since GitHub's autolinking would keep the backslashes in the address
    ("see https://x.example/a_b?x=1&y=2.", "see [https://x.example/a\\_b?x=1\\&y=2](<https://x.example/a_b?x=1\\&y=2>)."),
    ("(www.example.com/a_(b))", "([www.example.com/a\\_(b)](<https://www.example.com/a_(b)>))"),
    ("<https://x.y/<b>", "\\<[https://x.y/](<https://x.y/>)\\<b\\>"),
    ("https://a.b/@me", "[https://a.b/@&#8203;me](<https://a.b/@me>)"),
    ("javascript:alert(1) www.", "javascript:alert(1) www."),
])
def test_md_text(raw, shown):
    assert md_text(raw) == shown


@pytest.mark.parametrize("raw, shown", [
    ("postmortems/a.md:3", "`postmortems/a.md:3`"),
    ("a`b", "``a`b``"),
    ("`a``", "``` `a`` ```"),
    ("<b>|x", "`<b>|x`"),
])
def test_md_code(raw, shown):
    assert md_code(raw) == shown


# --- with a knowledge base, and the command -----------------------------------------------------------

def test_changed_postmortems_takes_each_files_diagnostics_from_the_knowledge_base(tmp_path, check):
    folder = tmp_path / "postmortems"
    folder.mkdir()
    (folder / "2024-03-14-example.md").write_text(IN_REVIEW.replace("reviewers: [bob]\n", ""))
    (folder / "2024-03-15-added.md").write_text(dated(15))
    (folder / "2024-03-17-refers.md").write_text(related(dated(17), "2024-03-16-deleted"))
    (folder / "notes.txt").write_text("notes")
    kb = check(folder)
    paths = [folder / name for name in ("2024-03-14-example.md", "2024-03-15-added.md", "2024-03-16-deleted.md",
                                        "notes.txt")]
    before = {paths[0]: VALID, paths[2]: dated(16)}
    changes, others = changed_postmortems(kb, paths, before.get, base_dir=folder)
    assert [(c.id, c.change, c.path) for c in changes] == [
        ("2024-03-14-example", "modified", "2024-03-14-example.md"),
        ("2024-03-15-added", "added", "2024-03-15-added.md"),
        ("2024-03-16-deleted", "deleted", "2024-03-16-deleted.md"),
    ]
    example, added, deleted = changes
    assert [d.code for d in example.diagnostics] == ["reviewer-required"]
    assert (example.before.status, example.after.status) == ("published", "in-review")
    assert (added.before, added.after.id, added.diagnostics) == (None, "2024-03-15-added", ())
    assert (deleted.before.id, deleted.after, deleted.diagnostics) == ("2024-03-16-deleted", None, ())
    assert [(d.path, d.code) for d in deleted.elsewhere] == [("2024-03-17-refers.md", "unknown-related")]
    assert [(d.path, d.code) for d in others] == [("notes.txt", "not-markdown")]


def test_pr_summary_command(repo):
    write(repo, "2024-03-14-example.md", with_items(ITEM, text=DRAFT))
    write(repo, "2024-03-16-delete.md", dated(16))
    write(repo, "2024-03-17-refers.md", related(dated(17), "2024-03-16-delete"))
    commit(repo, "main")
    git(repo, "checkout", "-q", "-b", "review")
    done = ITEM.replace("status: open", "status: done\n    closed: 2026-11-20")
    write(repo, "2024-03-14-example.md", with_items(done, LOAD_TEST, text=IN_REVIEW))
    write(repo, "2024-03-18-added.md", dated(18).replace("title: Checkout latency", "title: <script> latency"))
    (repo / "postmortems" / "2024-03-16-delete.md").unlink()
    commit(repo, "review")
    result = run("pr-summary", "--base", "main", "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output  # the comment reports problems; it does not fail on them
    lines = result.stdout.splitlines()
    assert lines[0] == MARKER
    assert re.fullmatch(r"\*\*3 postmortems changed\*\* \(1 added, 1 modified, 1 deleted\) · checks found "
                        r"\d+ errors?(, \d+ warnings?)?(, \d+ info)?\.", lines[3])
    headings = [line for line in lines if line.startswith("### ")]
    assert headings == ["### Checkout latency during the spring sale", "### Checkout latency during the spring sale",
                        "### \\<script\\> latency during the spring sale"]
    assert any(line.startswith("`2024-03-14-example` · **modified** · `postmortems/2024-03-14-example.md` · "
                               "state: draft → **in-review**") for line in lines)
    assert "- action item **closed**: “Size the pool for peak traffic” — status: open → done; closed: — → 2026-11-20" in lines
    assert any(line.startswith("- **error** `postmortems/2024-03-17-refers.md:27` `unknown-related`") for line in lines)
    assert "<script>" not in result.stdout


@pytest.mark.parametrize("args, message", [
    (["--base", "no-such-branch"], "`no-such-branch` is not a commit"),
    ([], "Missing option '--base'"),
    (["--base", "main", "--format", "html"], "'html' is not"),
])
def test_pr_summary_usage_errors_exit_2(repo, args, message):
    write(repo, "2024-03-14-example.md", VALID)
    commit(repo, "main")
    result = run("pr-summary", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_pr_summary_outside_a_repository_exits_2(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.chdir(tmp_path)
    Path("postmortems").mkdir()
    result = run("pr-summary", "--base", "main")
    assert result.exit_code == 2
    assert "is not in a git repository" in result.output

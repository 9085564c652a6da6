"""`knowledge.py`: every file of the postmortems folder found, parsed once and checked once. What the walk enters and
reports, what is refused unread, one file's parse, the knowledge base's views of the result, the cache's equal
answer, and paths shown relative to where the command runs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import TODAY, VALID, make_policy
from mkdocs_postmortems.diagnostics import Level
from mkdocs_postmortems.knowledge import (
    KnowledgeCache,
    display_path,
    load_knowledge_base,
    load_postmortem,
    refusal,
    survey,
)

PM_ID = "2024-03-14-checkout-latency"


def test_the_walk_skips_dot_files_and_reports_the_folders_it_does_not_enter(tmp_path):
    for name in ("b.md", "a.md", ".gitkeep", "sub/c.md", ".hidden/d.md", "real/e.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    files, skipped = survey(tmp_path)
    assert [path.relative_to(tmp_path).as_posix() for path in files] == ["a.md", "b.md", "real/e.md", "sub/c.md"]
    assert skipped == [(tmp_path / ".hidden", "dot-folder"), (tmp_path / "linked", "linked-folder")]
    assert survey(tmp_path / "missing") == ([], [])


def test_links_out_of_the_repository_and_pipes_are_refused_unread(tmp_path):
    repo, outside = tmp_path / "repo", tmp_path / "outside.md"
    (repo / "postmortems").mkdir(parents=True)
    outside.write_text(VALID)
    (repo / "postmortems" / "out.md").symlink_to(outside)
    (repo / "inside.md").write_text(VALID)
    (repo / "postmortems" / "in.md").symlink_to(repo / "inside.md")
    os.mkfifo(repo / "postmortems" / "pipe.md")
    assert refusal(repo / "postmortems" / "out.md", repo)[0] == "link-outside"
    assert refusal(repo / "postmortems" / "in.md", repo) is None
    assert refusal(repo / "postmortems" / "pipe.md", repo)[0] == "not-regular-file"
    assert refusal(repo / "inside.md", repo) is None


def test_one_file_parses_into_a_postmortem_or_says_why_not(tmp_path):
    (tmp_path / f"{PM_ID}.md").write_text(VALID)
    pm, diagnostics = load_postmortem(tmp_path / f"{PM_ID}.md", f"postmortems/{PM_ID}.md", make_policy())
    assert (pm.id, pm.path, pm.severity, diagnostics) == (PM_ID, f"postmortems/{PM_ID}.md", "SEV2", [])
    (tmp_path / "broken.md").write_text("---\ntitle: [unclosed\n---\nbody\n")
    pm, diagnostics = load_postmortem(tmp_path / "broken.md", "broken.md", make_policy())
    assert pm is None and diagnostics and all(d.level is Level.ERROR for d in diagnostics)


def test_the_knowledge_base_shows_newest_first_and_drafts_only_when_asked(tmp_path):
    (tmp_path / f"{PM_ID}.md").write_text(VALID)
    (tmp_path / "2025-01-02-later.md").write_text(VALID.replace("2024-03-14", "2025-01-02"))
    (tmp_path / "2025-06-01-draft.md").write_text(
        VALID.replace("2024-03-14", "2025-06-01").replace("status: published", "status: draft")
    )
    kb = load_knowledge_base(tmp_path, make_policy(), today=TODAY, base=tmp_path)
    assert [pm.id for pm in kb.published()] == ["2025-01-02-later", PM_ID]
    with_drafts = load_knowledge_base(tmp_path, make_policy(include_drafts=True), today=TODAY, base=tmp_path)
    assert [pm.id for pm in with_drafts.published()] == ["2025-06-01-draft", "2025-01-02-later", PM_ID]
    assert set(kb.by_id) == {PM_ID, "2025-01-02-later", "2025-06-01-draft"} and kb.today == TODAY


def test_diagnostics_are_grouped_by_file_and_counted_by_level(tmp_path):
    (tmp_path / f"{PM_ID}.md").write_text(VALID.replace("severity: SEV2", "severity: SEV9"))
    (tmp_path / "2024-03-15-empty.md").write_text("")
    kb = load_knowledge_base(tmp_path, make_policy(), today=TODAY, base=tmp_path)
    by_path = kb.diagnostics_by_path()
    assert set(by_path) == {f"{PM_ID}.md", "2024-03-15-empty.md"}
    assert sum(map(len, by_path.values())) == len(kb.diagnostics)
    assert kb.count(Level.ERROR) == sum(1 for d in kb.diagnostics if d.level is Level.ERROR) >= 2
    assert kb.rejected == ["2024-03-15-empty.md"]


def test_a_cache_gives_the_answer_of_a_fresh_load(tmp_path):
    (tmp_path / f"{PM_ID}.md").write_text(VALID)
    (tmp_path / "2024-03-15-bad.md").write_text(VALID.replace("severity: SEV2", "severity: SEV9"))
    cache = KnowledgeCache()
    first = load_knowledge_base(tmp_path, make_policy(), today=TODAY, base=tmp_path, cache=cache)
    again = load_knowledge_base(tmp_path, make_policy(), today=TODAY, base=tmp_path, cache=cache)
    fresh = load_knowledge_base(tmp_path, make_policy(), today=TODAY, base=tmp_path)
    assert first.diagnostics == again.diagnostics == fresh.diagnostics
    assert [pm.id for pm in again.postmortems] == [pm.id for pm in fresh.postmortems]
    assert cache.hits == 2


@pytest.mark.parametrize(
    "path, base, shown",
    [
        ("/work/repo/postmortems/a.md", "/work/repo", "postmortems/a.md"),
        ("/work/repo/postmortems/a.md", "/work/repo/", "postmortems/a.md"),
        ("/work/repository/a.md", "/work/repo", "/work/repository/a.md"),  # a sibling sharing the prefix: not below
        ("/elsewhere/a.md", "/work/repo", "/elsewhere/a.md"),
    ],
)
def test_a_path_is_shown_relative_to_the_base_when_below_it(path, base, shown):
    assert display_path(Path(path), base) == shown

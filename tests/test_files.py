"""Files that are not what they seem: links out of the repository, pipes and devices, linked and hidden folders,
unfinished merges, a `...` inside front matter, reserved page names and one ID twice. Each is a diagnostic; none is
read past its limit, hangs, or is published silently."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import TODAY, VALID, make_policy, skip_or_fail
from mkdocs_postmortems import cli, load_knowledge_base, scaffold
from mkdocs_postmortems.build import build_site
from mkdocs_postmortems.parsing.frontmatter import MAX_FILE_BYTES, read_bounded
from mkdocs_postmortems.render import template_environment
from mkdocs_postmortems.status_site.public import public_incidents

NAME = "2024-03-14-checkout-latency.md"
PUBLIC = "\npublic:\n  title: Slow checkout\n  summary: Checkout was slow.\n  components: [Checkout]\n---\n\n## Summary"


def repository(tmp_path: Path) -> Path:
    """A repository `repo/` with `postmortems/` holding one valid postmortem; outside it, `outside/`."""
    folder = tmp_path / "repo" / "postmortems"
    folder.mkdir(parents=True)
    (folder / NAME).write_text(VALID, encoding="utf-8")
    (tmp_path / "outside").mkdir()
    return folder


def load(folder: Path):
    root = folder.parent
    return load_knowledge_base(folder, make_policy(), today=TODAY, base=root)


def found(kb) -> list[tuple[str, str]]:
    return [(d.path, d.code) for d in kb.diagnostics]


# --- links and special files --------------------------------------------------------------------------------------


def test_a_link_to_a_postmortem_outside_the_repository_is_refused_and_never_read(tmp_path):
    folder = repository(tmp_path)
    secret = tmp_path / "outside" / "2024-03-15-secret.md"
    secret.write_text(VALID.replace("Checkout latency", "Secret merger"), encoding="utf-8")
    (folder / "2024-03-15-secret.md").symlink_to(secret)
    kb = load(folder)
    assert found(kb) == [("postmortems/2024-03-15-secret.md", "link-outside")]
    assert [pm.id for pm in kb.postmortems] == ["2024-03-14-checkout-latency"]
    assert "postmortems/2024-03-15-secret.md" in kb.rejected


def test_a_link_inside_the_repository_is_read(tmp_path):
    folder = repository(tmp_path)
    (folder.parent / "drafts").mkdir()
    (folder.parent / "drafts" / "2024-03-15-inside.md").write_text(VALID.replace("2024-03-14", "2024-03-15"))
    (folder / "2024-03-15-inside.md").symlink_to(folder.parent / "drafts" / "2024-03-15-inside.md")
    assert [pm.id for pm in load(folder).postmortems] == ["2024-03-14-checkout-latency", "2024-03-15-inside"]


def test_a_link_to_dev_zero_is_refused_without_reading(tmp_path):
    folder = repository(tmp_path)
    (folder / "2024-03-15-zero.md").symlink_to("/dev/zero")
    assert found(load(folder)) == [("postmortems/2024-03-15-zero.md", "link-outside")]


def test_a_device_inside_the_repository_is_not_a_regular_file(tmp_path, monkeypatch):
    # a device node cannot be made without privileges; a link to /dev/zero from a repository that is `/`'s child
    folder = repository(tmp_path)
    (folder / "2024-03-15-zero.md").symlink_to("/dev/zero")
    kb = load_knowledge_base(folder, make_policy(), today=TODAY, base=folder.parent, root=Path("/"))
    assert found(kb) == [("postmortems/2024-03-15-zero.md", "not-regular-file")]


def needs_fifos() -> None:
    if not hasattr(os, "mkfifo"):
        skip_or_fail("no named pipes on this system")


def test_a_fifo_is_refused_and_never_blocks(tmp_path):
    needs_fifos()
    folder = repository(tmp_path)
    os.mkfifo(folder / "2024-03-15-pipe.md")
    result = {}
    worker = threading.Thread(target=lambda: result.setdefault("kb", load(folder)), daemon=True)
    worker.start()
    worker.join(60)  # a blocking open would never return; the bound is generous and never the assertion's point
    assert "kb" in result, "loading the folder blocked on the FIFO"
    assert found(result["kb"]) == [("postmortems/2024-03-15-pipe.md", "not-regular-file")]


def test_the_bounded_read_refuses_a_fifo_given_by_name(tmp_path):
    needs_fifos()
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(OSError, match="FIFO"):
        read_bounded(tmp_path / "pipe")


def test_the_bounded_read_refuses_a_device_whatever_stat_says_of_its_size():
    with pytest.raises(OSError, match="character device"):
        read_bounded(Path("/dev/zero"))


def test_a_file_growing_past_the_limit_is_read_only_to_it(tmp_path):
    path = tmp_path / "big.md"
    path.write_bytes(b"x" * (MAX_FILE_BYTES + 5000))
    assert len(read_bounded(path)) == MAX_FILE_BYTES + 1


def test_a_linked_folder_and_a_dot_folder_are_reported_not_skipped_silently(tmp_path):
    folder = repository(tmp_path)
    (tmp_path / "outside" / "2024-03-16-elsewhere.md").write_text(VALID)
    (folder / "linked").symlink_to(tmp_path / "outside", target_is_directory=True)
    (folder / ".archive").mkdir()
    (folder / ".archive" / "2024-03-17-hidden.md").write_text(VALID)
    (folder / ".gitkeep").write_text("")
    kb = load(folder)
    assert sorted(found(kb)) == [("postmortems/.archive", "dot-folder"), ("postmortems/linked", "linked-folder")]
    assert [pm.id for pm in kb.postmortems] == ["2024-03-14-checkout-latency"]


def test_a_loop_of_linked_folders_ends(tmp_path):
    folder = repository(tmp_path)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    assert found(load(folder)) == [("postmortems/loop", "linked-folder")]


# --- what the text says ---------------------------------------------------------------------------------------


def test_merge_conflict_markers_are_reported_on_their_lines(tmp_path, check):
    body = "\n<<<<<<< HEAD\nThe pool was too small.\n=======\nThe pool was far too small.\n>>>>>>> fix-cause\n"
    text = VALID.replace("\nThe pool was too small.\n", body)
    (tmp_path / NAME).write_text(text, encoding="utf-8")
    lines = text.split("\n")
    expected = [index + 1 for index, line in enumerate(lines) if line[:7] in ("<<<<<<<", "=======", ">>>>>>>")]
    kb = check(tmp_path)
    assert [(d.code, d.line) for d in kb.diagnostics] == [("conflict-marker", line) for line in expected]
    assert len(expected) == 3


def test_a_setext_heading_without_a_conflict_is_no_conflict(tmp_path, check):
    (tmp_path / NAME).write_text(VALID.replace("## Lessons learned", "Lessons learned\n======="), encoding="utf-8")
    assert "conflict-marker" not in [d.code for d in check(tmp_path).diagnostics]


def test_strict_check_fails_on_a_conflict_in_the_body(project):
    text = VALID.replace("\nThe pool was too small.\n", "\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n")
    (project / "postmortems" / NAME).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["check", "--strict", "--today", TODAY.isoformat()])
    assert result.exit_code == 1 and "[conflict-marker]" in result.output


def test_a_document_end_inside_the_front_matter_is_reported(tmp_path, check):
    text = VALID.replace("\n---\n\n## Summary", "\n...\ncommunications: []" + PUBLIC, 1)
    (tmp_path / NAME).write_text(text, encoding="utf-8")
    kb = check(tmp_path)
    assert [(d.code, d.line) for d in kb.diagnostics] == [("front-matter-document-end", 27)]
    assert kb.postmortems == []


def test_a_document_end_that_closes_the_front_matter_is_still_accepted(tmp_path, check):
    text = VALID.replace("\n---\n\n## Summary", "\n...\n\n## Summary\n\n---\n\nA rule: key: value", 1)
    (tmp_path / NAME).write_text(text, encoding="utf-8")
    assert check(tmp_path).diagnostics == []


@pytest.mark.parametrize("name", ["index.md", "README.md", "2024/index.md"])
def test_a_reserved_page_name_is_reported_and_never_replaces_the_index(name, tmp_path):
    folder = repository(tmp_path)
    (folder / name).parent.mkdir(exist_ok=True)
    (folder / name).write_text(VALID, encoding="utf-8")
    kb = load(folder)
    assert found(kb) == [(f"postmortems/{name}", "reserved-name")]
    site = build_site(kb, template_environment([]), [])
    assert site.pages["postmortems/index.md"].title != VALID.split("\n")[1]
    assert [pm.id for pm in kb.postmortems] == ["2024-03-14-checkout-latency"]


# --- one ID twice -----------------------------------------------------------------------------------------------


def test_one_id_twice_is_listed_once_in_the_public_output(tmp_path):
    folder = repository(tmp_path)
    text = VALID.replace("\n---\n\n## Summary", PUBLIC, 1)
    (folder / NAME).write_text(text, encoding="utf-8")
    (folder / "2024").mkdir()
    (folder / "2024" / NAME).write_text(text.replace("Slow checkout", "Slow checkout again"), encoding="utf-8")
    policy = make_policy(public_site=True)
    kb = load_knowledge_base(folder, policy, today=TODAY, base=folder.parent)
    assert ("postmortems/2024-03-14-checkout-latency.md", "duplicate-id") in found(kb) or (
        "postmortems/2024/2024-03-14-checkout-latency.md",
        "duplicate-id",
    ) in found(kb)
    incidents = public_incidents(kb.postmortems, policy)
    assert [view.id for view in incidents] == ["2024-03-14-checkout-latency"]
    assert incidents[0].title == kb.by_id["2024-03-14-checkout-latency"].public.title
    site = build_site(kb, template_environment([]), [], site_name="Status", site_url="https://status.example/")
    shown = incidents[0].title
    hidden = ({"Slow checkout", "Slow checkout again"} - {shown}).pop()
    for uri in ("api/v2/incidents.json", "api/v2/summary.json", "history.atom", "history.rss"):
        assert f"{hidden}<" not in site.files[uri] and f'"{hidden}"' not in site.files[uri], uri
    assert site.files["api/v2/incidents.json"].count(f'"{shown}"') == 1


def test_internal_site_shows_one_page_per_id(tmp_path):
    folder = repository(tmp_path)
    (folder / "2024").mkdir()
    (folder / "2024" / NAME).write_text(VALID.replace("Checkout latency", "Other title"), encoding="utf-8")
    kb = load(folder)
    site = build_site(kb, template_environment([]), [])
    assert site.postmortems["postmortems/2024-03-14-checkout-latency.md"] is kb.by_id["2024-03-14-checkout-latency"]


# --- postmortems new never writes through a link --------------------------------------------------------------


def test_new_never_writes_through_a_dangling_link(project, tmp_path):
    target = tmp_path.parent / f"{tmp_path.name}-outside.md"
    link = project / "postmortems" / "2024-03-14-slow-checkout.md"
    link.symlink_to(target)
    result = CliRunner().invoke(
        cli.main, ["new", "Slow checkout", "--severity", "SEV2", "--service", "checkout", "--date", "2024-03-14"]
    )
    assert result.exit_code == 1 and "already exists" in result.output
    assert not target.exists() and link.is_symlink()


def test_new_refuses_a_link_created_after_its_check(project, tmp_path, monkeypatch):
    target = tmp_path.parent / f"{tmp_path.name}-raced.md"
    path = project / "postmortems" / "2024-03-14-slow-checkout.md"
    real_new = scaffold.new_postmortem

    def racing(*args, **kwargs):  # the link appears between the existence check and the write
        path.symlink_to(target)
        return real_new(*args, **kwargs)

    monkeypatch.setattr(scaffold, "new_postmortem", racing)
    result = CliRunner().invoke(
        cli.main, ["new", "Slow checkout", "--severity", "SEV2", "--service", "checkout", "--date", "2024-03-14"]
    )
    assert result.exit_code == 1 and "already exists" in result.output
    assert not target.exists()


def test_the_folder_is_walked_in_the_order_of_its_paths(tmp_path):
    """Files come in `Path` order, part by part (`a/b.md` before `a-b.md`, unlike their strings): the order in
    which diagnostics are listed and the first of two files with one ID is shown."""
    from mkdocs_postmortems.knowledge import discover, file_names

    names = [
        "a-b.md",
        "a/b.md",
        "a.md",
        "A.md",
        "a b.md",
        "a/a/z.md",
        "a0.md",
        "é.md",
        "e.md",
        "2024/x.md",
        "2024-x.md",
        ".hidden.md",
        ".dot/y.md",
    ]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = discover(tmp_path)
    assert found == sorted(found) and len(found) == len(names) - 2
    assert found.index(tmp_path / "a" / "b.md") < found.index(tmp_path / "a-b.md")  # not the strings' order
    assert file_names(tmp_path) == [str(path) for path in found]

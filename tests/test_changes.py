"""`postmortems check --changed-since REF` and the git side of `changes.py`, in real temporary repositories."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from cli_support import CONFIG, check_json, commit, dated, git, related, run, write
from conftest import VALID, skip_or_fail
from mkdocs_postmortems.pull_requests.changes import ChangesError, changed_paths, merge_base, text_at

TODAY = ("--today", "2026-11-22")


@pytest.fixture
def branch(repo):
    """On main: five postmortems, one with an error of its own and one referring to the one the branch deletes.
    On the branch `review`: one modified (now with an error), one added, one deleted; main moves on meanwhile."""
    write(repo, "2024-03-14-keep.md", dated(14).replace("severity: SEV2", "severity: SEV9"))
    write(repo, "2024-03-15-modify.md", dated(15))
    write(repo, "2024-03-16-delete.md", dated(16))
    write(repo, "2024-03-17-refers.md", related(dated(17), "2024-03-16-delete", "2024-01-01-never-existed"))
    commit(repo, "main")
    git(repo, "checkout", "-q", "-b", "review")
    write(repo, "2024-03-15-modify.md", dated(15).replace("severity: SEV2", "severity: SEV9"))
    write(repo, "2024-03-18-added.md", dated(18))
    (repo / "postmortems" / "2024-03-16-delete.md").unlink()
    commit(repo, "review")
    git(repo, "checkout", "-q", "main")
    write(repo, "2024-03-19-main-only.md", dated(19))  # after the branch left main: not the branch's change
    commit(repo, "main moves on")
    git(repo, "checkout", "-q", "review")
    return repo


def located(diagnostics: list[dict]) -> list[tuple]:
    return [(d["path"], d["line"], d["col"], d["code"]) for d in diagnostics]


# --- changed_paths and text_at -------------------------------------------------------------------


def test_changed_paths_since_the_merge_base(branch):
    folder = branch / "postmortems"
    assert [p.name for p in changed_paths(branch, "main", folder)] == [
        "2024-03-15-modify.md",
        "2024-03-16-delete.md",
        "2024-03-18-added.md",
    ]
    assert all(p.is_absolute() and p.parent == folder.resolve() for p in changed_paths(branch, "main", folder))
    assert merge_base(branch, "main") == git(branch, "rev-parse", "main~1").strip()


def test_changed_paths_include_staged_unstaged_and_untracked_files(branch):
    folder = branch / "postmortems"
    write(branch, "2024-03-17-refers.md", dated(17))  # unstaged
    write(branch, "2024-03-20-staged.md", dated(20))
    git(branch, "add", "postmortems/2024-03-20-staged.md")
    write(branch, "sub/2024-03-21-untracked.md", dated(21))
    write(branch, ".gitkeep", "")  # a dot-file is no postmortem, as for the knowledge base
    (branch / ".gitignore").write_text("*.swp\n")
    write(branch, "2024-03-15-modify.md.swp", "ignored")
    (branch / "docs" / "other.md").write_text("outside the folder\n")
    names = [p.relative_to(folder.resolve()).as_posix() for p in changed_paths(branch, "main", folder)]
    assert names == [
        "2024-03-15-modify.md",
        "2024-03-16-delete.md",
        "2024-03-17-refers.md",
        "2024-03-18-added.md",
        "2024-03-20-staged.md",
        "sub/2024-03-21-untracked.md",
    ]


def test_changed_paths_with_no_change(branch):
    assert changed_paths(branch, "HEAD", branch / "postmortems") == []


def test_text_at_the_merge_base(branch):
    folder = branch / "postmortems"
    assert text_at(branch, "main", folder / "2024-03-15-modify.md") == dated(15)
    assert text_at(branch, "main", folder / "2024-03-16-delete.md") == dated(16)  # deleted since: still there
    assert text_at(branch, "main", folder / "2024-03-18-added.md") is None
    assert text_at(branch, "main", folder / "2024-03-19-main-only.md") is None  # only after the merge base


def test_text_at_keeps_the_bytes_a_parse_reads(repo):
    from mkdocs_postmortems.knowledge import load_postmortem
    from mkdocs_postmortems.policy import Policy
    from mkdocs_postmortems.pull_requests.changes import postmortem_from_text

    path = write(repo, "2024-03-14-latin-1.md", dated(14))
    path.write_bytes(dated(14).replace("spring sale", "f\u00eate").encode("latin-1"))  # not UTF-8
    commit(repo, "main")
    text = text_at(repo, "HEAD", path)
    assert text.encode("utf-8", "surrogateescape") == path.read_bytes()
    parsed, problems = load_postmortem(path, path.name, Policy())
    assert (parsed, [d.code for d in problems]) == (None, ["encoding"])
    assert postmortem_from_text(text, path.stem, path.name, Policy()) is None  # as the file parses: not at all


@pytest.mark.parametrize(
    "ref, message",
    [
        ("no-such-branch", "`no-such-branch` is not a commit"),
        ("--output=x", "is not a git revision"),  # never read as an option
        ("main:postmortems", "is not a commit"),  # a tree, not a commit
    ],
)
def test_bad_ref(branch, ref, message):
    with pytest.raises(ChangesError, match=message):
        changed_paths(branch, ref, branch / "postmortems")
    assert not (branch / "x").exists()


def test_not_a_repository(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        skip_or_fail("git is not installed")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    with pytest.raises(ChangesError, match="is not in a git repository"):
        changed_paths(tmp_path, "main", tmp_path / "postmortems")


def test_folder_outside_the_repository(branch, tmp_path_factory):
    with pytest.raises(ChangesError, match="not inside the git repository"):
        changed_paths(branch, "main", tmp_path_factory.mktemp("elsewhere"))


def test_no_common_ancestor(branch):
    git(branch, "checkout", "-q", "--orphan", "unrelated")
    commit(branch, "unrelated history")
    with pytest.raises(ChangesError, match="no common ancestor"):
        changed_paths(branch, "main", branch / "postmortems")


# --- check --changed-since ------------------------------------------------------------------------


def test_check_changed_since_reports_the_changed_files_and_references_to_them(branch):
    full_code, full = check_json()
    code, report = check_json("--changed-since", "main")
    changed = {"postmortems/2024-03-15-modify.md", "postmortems/2024-03-18-added.md"}
    in_changed_files = [d for d in full["diagnostics"] if d["path"] in changed]
    refers = [d for d in full["diagnostics"] if d["path"] == "postmortems/2024-03-17-refers.md"]
    assert [d["code"] for d in refers].count("unknown-related") == 2  # the deleted ID, and one that never existed
    (to_deleted,) = [d for d in refers if "2024-03-16-delete" in d["message"]]
    assert report["diagnostics"] == sorted(
        [*in_changed_files, to_deleted], key=lambda d: (d["path"], d["line"], d["col"], d["code"])
    )
    # the changed file's own error is there; the untouched file's error and the old unknown reference are not
    assert ("postmortems/2024-03-15-modify.md", 4, 11, "invalid-value") in located(report["diagnostics"])
    assert ("postmortems/2024-03-14-keep.md", 4, 11, "invalid-value") in located(full["diagnostics"])
    assert not any("keep" in d["path"] or "never-existed" in d["message"] for d in report["diagnostics"])
    assert report["postmortems"] == 2  # the modified and the added file; the deleted one is not checked
    assert report["errors"] == sum(d["level"] == "error" for d in report["diagnostics"])
    assert report["warnings"] == sum(d["level"] == "warning" for d in report["diagnostics"])
    assert (code, full_code) == (1, 1)


def test_check_changed_since_text_format(branch):
    result = run("check", *TODAY, "--changed-since", "main")
    assert result.exit_code == 1
    assert "postmortems/2024-03-15-modify.md:4:11: error [invalid-value]" in result.output
    assert "postmortems/2024-03-17-refers.md:27:" in result.output  # the `related` line naming the deleted one
    assert "2024-03-14-keep.md" not in result.output
    assert result.output.splitlines()[-1].startswith("2 postmortems, ")


def test_errors_elsewhere_do_not_fail_a_clean_change(repo):
    write(repo, "2024-03-14-broken.md", dated(14).replace("severity: SEV2", "severity: SEV9"))
    commit(repo, "main")
    git(repo, "checkout", "-q", "-b", "review")
    write(repo, "2024-03-15-new.md", dated(15))  # untracked: a change all the same
    code, report = check_json("--changed-since", "main")
    assert {d["path"] for d in report["diagnostics"]} <= {"postmortems/2024-03-15-new.md"}
    assert report["errors"] == 0 and report["postmortems"] == 1
    assert code == 0
    assert check_json()[0] == 1


def test_duplicate_id_in_an_unchanged_file_is_reported(repo):
    write(repo, "2024-03-17-same.md", dated(17))
    commit(repo, "main")
    git(repo, "checkout", "-q", "-b", "review")
    # sorts before the existing file, so the rule reports the existing one as the duplicate
    write(repo, "2024/2024-03-17-same.md", dated(17))
    code, report = check_json("--changed-since", "main")
    assert ("postmortems/2024-03-17-same.md", 1, 1, "duplicate-id") in located(report["diagnostics"])
    assert code == 1


def test_an_unchanged_fifo_never_blocks_the_check(repo):
    if not hasattr(os, "mkfifo"):
        skip_or_fail("no named pipes on this system")
    write(repo, "2024-03-14-first.md", dated(14))
    commit(repo, "main")
    git(repo, "checkout", "-q", "-b", "review")
    os.mkfifo(repo / "postmortems" / "2024-03-16-pipe.md")  # git lists no FIFO: it counts as unchanged
    write(repo, "2024-03-15-new.md", dated(15))
    result = {}
    worker = threading.Thread(
        target=lambda: result.setdefault("check", check_json("--changed-since", "main")), daemon=True
    )
    worker.start()
    worker.join(60)  # a blocking open would never return; the bound is generous and never the assertion's point
    assert "check" in result, "reading the unchanged files blocked on the FIFO"
    code, report = result["check"]
    assert (code, report["postmortems"], report["errors"]) == (0, 1, 0)


def test_no_change_no_output(branch):
    git(branch, "checkout", "-q", "main")
    result = run("check", *TODAY, "--changed-since", "main")
    assert (result.exit_code, result.output) == (0, "0 postmortems, 0 errors, 0 warnings\n")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--changed-since", "no-such-branch"], "`no-such-branch` is not a commit"),
        (["--changed-since", "main", "postmortems"], "not both"),
    ],
)
def test_usage_errors_exit_2(branch, args, message):
    result = run("check", *TODAY, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "[invalid-value]" not in result.output


def test_not_a_repository_exits_2(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        skip_or_fail("git is not installed")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    (tmp_path / "docs").mkdir()
    write(tmp_path, "2024-03-14-example.md", VALID)
    result = run("check", *TODAY, "--changed-since", "main")
    assert result.exit_code == 2
    assert "is not in a git repository" in result.output


def test_config_file_elsewhere_asks_its_own_repository(branch, tmp_path_factory, monkeypatch):
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    result = run("check", *TODAY, "-f", str(branch / "mkdocs.yml"), "--changed-since", "main")
    assert result.exit_code == 1
    assert "2024-03-15-modify.md:4:11: error [invalid-value]" in result.output


# --- the scan stands in for a parse ---------------------------------------------------------------------------

SCANNED = [
    "authors: [a.author, 'b.quoted']\nreviewers:\n  - r.one\n  - \"r.two\"  # a comment\nstarted: 2024-03-14T09:58:00Z\n",
    "authors:\n  - a.author\nstarted: 2024-01-01T00:30:00+01:00\naction_items:\n  - title: x\n    owner: team-sre\n"
    "  -   owner: o.two\n      title: y\n",
    "\ufeffauthors: [a.author]\r\nstarted: 2024-03-14\r\nreviewers: []\r\n",
    "authors: a.alone\nstarted: 2024-02-30T10:00:00Z\n",
    "started: unknown\nauthors: [a.author, ~]\n",
    "authors:\n  - \n  - a.author\nstarted: 2024-03-14\n",  # an empty item, `- ` alone
    "title: no people\n",
]


@pytest.mark.parametrize("front", SCANNED)
def test_the_scan_of_a_file_finds_the_people_and_year_a_parse_finds(front, tmp_path):
    from mkdocs_postmortems.knowledge import load_postmortem
    from mkdocs_postmortems.model import people_of
    from mkdocs_postmortems.parsing.scan import scan
    from mkdocs_postmortems.policy import Policy

    bom = front.startswith("\ufeff")
    text = (
        ("\ufeff" if bom else "")
        + "---\n"
        + front.lstrip("\ufeff")
        + "---\n\n## Summary\n\nauthors: not.front.matter\n"
    )
    path = tmp_path / "2024-03-14-scanned.md"
    path.write_bytes(text.encode("utf-8"))
    pm, _ = load_postmortem(path, path.name, Policy())
    assert pm is not None
    scanned = scan(text)
    assert scanned.people == people_of([pm])
    assert scanned.started_year == (pm.started.year if pm.started else None)


@pytest.mark.parametrize(
    "front, related",
    [
        ("related: [2024-01-01-a, '2024-01-02-b']\n", ("2024-01-01-a", "2024-01-02-b")),
        ('related:\n  - 2024-01-01-a  # why\n  - "2024-01-02-b"\ntitle: t\n', ("2024-01-01-a", "2024-01-02-b")),
        ("related:\n- 2024-01-01-a\n", ("2024-01-01-a",)),
        ("related: []\n", ()),
        ("related: ~\n", ()),
        ("title: nothing related\n", None),  # the word elsewhere: it may be a key the scan does not see
        ("related: &ids [2024-01-01-a]\n", None),
        ("related: [2024-01-01-a,\n  2024-01-02-b]\n", None),
        ("related:\n  - 2024-01-01-\n    a\n", None),  # an item over two lines
        ("related:\n  # a comment first\n  - 2024-01-01-a\n", None),
        ("related:\n  - \n  - 2024-01-01-a\n", None),  # an empty item (`- ` alone) is no ID the scan read
        ("related: 2024-01-01-a\n", None),
        ("related: [2024-01-01-a]\nrelated: [2024-01-02-b]\n", ("2024-01-01-a", "2024-01-02-b")),  # whichever is read
        ("{title: t, related: [2024-01-01-a]}\n", None),
        ("title: t\n", ()),
    ],
)
def test_the_scan_reads_related_ids_or_says_it_cannot(front, related, tmp_path):
    from mkdocs_postmortems.knowledge import load_postmortem
    from mkdocs_postmortems.parsing.scan import scan
    from mkdocs_postmortems.policy import Policy

    text = f"---\n{front}---\n\n## Summary\n\nrelated: not front matter\n"
    scanned = scan(text)
    assert scanned.related == related
    path = tmp_path / "2024-03-14-scanned.md"
    path.write_text(text, encoding="utf-8")
    pm, _ = load_postmortem(path, path.name, Policy())
    parsed = set(pm.related) if pm is not None else set()
    assert related is None or parsed <= set(related)  # never fewer than a parse finds
    assert scanned.may_name(parsed | {"2024-01-01-a"}) == (related is None or "2024-01-01-a" in related)


@pytest.mark.parametrize(
    "form",
    [
        "related: [2024-03-16-delete]\n",
        "related:\n  - 2024-03-16-delete\n",
        "related: &mine [2024-03-16-delete]\n",  # a form the scan does not read: the file is parsed all the same
    ],
)
def test_a_reference_to_a_deleted_postmortem_is_reported_in_any_form(repo, form):
    write(repo, "2024-03-16-delete.md", dated(16))
    write(repo, "2024-03-17-refers.md", dated(17).replace("---\n\n## Summary", f"{form}---\n\n## Summary", 1))
    commit(repo, "main")
    git(repo, "checkout", "-q", "-b", "review")
    (repo / "postmortems" / "2024-03-16-delete.md").unlink()
    for _ in range(2):  # cold, then with the scans kept
        code, report = check_json("--changed-since", "main")
        assert [(d["path"], d["code"]) for d in report["diagnostics"]] == [
            ("postmortems/2024-03-17-refers.md", "unknown-related")
        ]
        assert code == 1


@pytest.mark.parametrize(
    "spoil",
    [
        lambda raw: raw.replace(b"Checkouts were slow.", b"Caf\xe9 was slow."),  # not UTF-8
        lambda raw: raw.replace(b"Checkouts were slow.", b"x\x00y"),  # binary
        lambda raw: raw.replace(b"\n---\n\n## Summary", b"\n\n## Summary"),  # no closing line
        lambda raw: b"\xef\xbb\xbf" * 2 + raw,  # one byte-order mark too many
    ],
    ids=["latin-1", "nul", "unclosed", "two-boms"],
)
def test_an_unchanged_file_a_parse_rejects_names_nobody(repo, spoil):
    """Its people are nobody's to the blameless lint, in a check of the changes as in a full check."""
    path = write(repo, "2024-03-14-broken.md", dated(14).replace("authors: [alice]", "authors: [zed.quinn]"))
    path.write_bytes(spoil(path.read_bytes()))
    commit(repo, "main")
    git(repo, "checkout", "-q", "-b", "review")
    write(repo, "2024-03-15-new.md", dated(15).replace("Checkouts were slow.", "zed.quinn forgot to drain the pool."))
    full = [d for d in check_json()[1]["diagnostics"] if d["path"] == "postmortems/2024-03-15-new.md"]
    for _ in range(2):  # cold, then with the scans kept
        assert check_json("--changed-since", "main")[1]["diagnostics"] == full


# --- the scans kept between runs ------------------------------------------------------------------------------


def _scan_reads(monkeypatch) -> list:
    """The unchanged files read for their scan, from now on."""
    import mkdocs_postmortems.pull_requests.changes as changes

    reads, read = [], changes.read_bounded
    monkeypatch.setattr(changes, "read_bounded", lambda path: reads.append(path.name) or read(path))
    return reads


def test_a_warm_run_reads_no_unchanged_file_and_reports_the_same(branch, monkeypatch):
    from mkdocs_postmortems.pull_requests.scan_cache import cache_file

    uncached = check_json("--changed-since", "main", "--no-cache")
    assert not cache_file(branch).exists()
    reads = _scan_reads(monkeypatch)
    cold = check_json("--changed-since", "main")
    assert sorted(reads) == ["2024-03-14-keep.md", "2024-03-17-refers.md"]  # refers is parsed too: it names a change
    assert cache_file(branch).exists()
    reads.clear()
    warm = check_json("--changed-since", "main")
    assert reads == []
    assert cold == warm == uncached
    assert cold[1]["diagnostics"]  # the comparison is of something: the fixture's errors


def test_a_file_changed_after_its_scan_was_kept_is_parsed(branch):
    check_json("--changed-since", "main")  # keeps the scan of the untouched file, with its error of its own
    keep = branch / "postmortems" / "2024-03-14-keep.md"
    keep.write_text(keep.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")  # not committed
    code, report = check_json("--changed-since", "main")
    assert ("postmortems/2024-03-14-keep.md", 4, 11, "invalid-value") in located(report["diagnostics"])
    assert (code, report["postmortems"]) == (1, 3)


@pytest.mark.parametrize(
    "forged",
    [
        b"\x00not json",
        b'{"stamp": "an older release", "scans": {}}',
        b'{"stamp": "STAMP", "scans": {"BLOB": ["people", 2024, []]}}',  # an entry of the wrong shape
        b"[]",
    ],
)
def test_a_foreign_or_corrupt_cache_is_a_cold_run(branch, forged):
    from mkdocs_postmortems.pull_requests.changes import blob_ids
    from mkdocs_postmortems.pull_requests.scan_cache import ScanCache, cache_file

    expected = check_json("--changed-since", "main", "--no-cache")
    base = git(branch, "merge-base", "main", "HEAD").strip()
    refers = blob_ids(branch, base, branch / "postmortems")["2024-03-17-refers.md"]
    stamp = ScanCache(None, {}).stamp
    path = cache_file(branch)
    path.parent.mkdir(parents=True)
    # were the forged entry read, `refers` would name nothing, and its reference to the deleted one would go unseen
    poisoned = forged.replace(b"STAMP", stamp.encode()).replace(b"BLOB", refers.encode())
    path.write_bytes(poisoned.replace(b'"scans": {}', b'"scans": {"%s": [[], 2024, []]}' % refers.encode()))
    assert check_json("--changed-since", "main") == expected
    assert json.loads(path.read_bytes())["stamp"] == stamp  # rewritten as a cache of ours


def test_a_cache_that_cannot_be_written_never_fails_the_check(branch, tmp_path_factory, monkeypatch):
    expected = check_json("--changed-since", "main", "--no-cache")
    blocked = tmp_path_factory.mktemp("blocked") / "a-file"
    blocked.write_text("the cache folder cannot be made below a file")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert check_json("--changed-since", "main") == expected


def test_blob_ids_name_the_regular_files_below_the_folder(repo):
    from mkdocs_postmortems.pull_requests.changes import blob_ids

    write(repo, "2024-03-14-a.md", dated(14))
    write(repo, "2024/2024-03-15-b.md", dated(15))
    if hasattr(os, "symlink"):
        os.symlink("2024-03-14-a.md", repo / "postmortems" / "2024-03-16-link.md")
    (repo / "elsewhere.md").write_text("outside the folder\n")
    commit(repo, "main")
    blobs = blob_ids(repo, git(repo, "rev-parse", "HEAD").strip(), repo / "postmortems")
    assert blobs == {
        name: git(repo, "rev-parse", f"HEAD:postmortems/{name}").strip()
        for name in ("2024-03-14-a.md", "2024/2024-03-15-b.md")
    }


def test_a_cache_that_is_a_named_pipe_never_blocks_the_check(branch):
    from mkdocs_postmortems.pull_requests.scan_cache import cache_file

    if not hasattr(os, "mkfifo"):
        skip_or_fail("no named pipes on this system")
    expected = check_json("--changed-since", "main", "--no-cache")
    cache_file(branch).parent.mkdir(parents=True)
    os.mkfifo(cache_file(branch))
    result = {}
    worker = threading.Thread(
        target=lambda: result.setdefault("check", check_json("--changed-since", "main")), daemon=True
    )
    worker.start()
    worker.join(60)  # a blocking open would never return; the bound is generous and never the assertion's point
    assert result.get("check") == expected


# --- every name the walk sees ---------------------------------------------------------------------------------

# Names git would quote, escape or cut, and names a careless reader would take for something else. Bytes where the
# name is not UTF-8; each file gets an error of its own (SEV9), so a file the check sees is a file it reports on.
HOSTILE = [
    b"2024-03-20-caf\xe9.md",
    b"2024-03-20-\xff\xfe.md",
    b"dir-\xe9/2024-03-20-below-latin-1.md",
    "2024-03-21-with space.md",
    " 2024-03-21-leading space.md",
    "2024-03-21-trailing space.md ",
    "2024-03-22-new\nline.md",
    "2024-03-22-return\r.md",
    "2024-03-22-control\x01.md",
    '2024-03-23-"double".md',
    "2024-03-23-it's.md",
    "2024-03-23-back\\slash.md",
    "2024-03-24-tab\there.md",
    "-2024-03-25-dash.md",
    "--help.md",
    "-z.md",
    "2024-03-26-caf\u00e9.md",
    "2024-03-26-cafe\u0301.md",  # NFC and NFD: two files to the file system and to git
    "2024-03-27-upper.MD",
    "2024-03-27-UPPER.md",
    "2024-03-27-mixed.Md",
    "2024-03-27-dotted.md.",
    "2024/03/2024-03-28-nested.md",
    "a/b/c/d/2024-03-28-deep.md",
    "2024-03-29-star*.md",
    "2024-03-29-[glob].md",
    ":(exclude)2024-03-29-magic.md",
    "2024-03-29-colon:x.md",
    "2024-03-30-\U0001f525.md",
    "\u202e2024-03-30-rtl.md",
    "2024-03-30-\u00a0nbsp.md",
    "notes \xff.txt",
    ".drafts/2024-03-31-hidden.md",  # in a dot folder: the walk reports the folder and enters it not
    ".2024-03-31-dot-file.md",  # a dot-file: no postmortem to the walk
]


def _name(name: str | bytes) -> str:
    return os.fsdecode(name)


def _as_the_walk_reports(name: str) -> str | None:
    """The display path a full check reports a file at: itself, the dot folder holding it, or none (a dot-file)."""
    parts = name.split("/")
    for depth, part in enumerate(parts[:-1], 1):
        if part.startswith("."):
            return "postmortems/" + "/".join(parts[:depth])
    return None if parts[-1].startswith(".") else f"postmortems/{name}"


def _erroneous(day: int) -> str:
    return dated(day).replace("severity: SEV2", "severity: SEV9")


def _write_bytes(repo, name: str, text: str) -> bool:
    """Write `postmortems/name`; False where the file system refuses the name."""
    path = repo / "postmortems" / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    except (OSError, ValueError):
        return False
    return True


def _same_as_a_full_check(expected_paths: set[str]) -> None:
    """`check --changed-since main` reports on exactly the changed files a full check reports on, and says the same
    of each of them."""
    full_code, full = check_json()
    code, report = check_json("--changed-since", "main")
    expected = [d for d in full["diagnostics"] if d["path"] in expected_paths]
    assert {d["path"] for d in expected} == expected_paths  # each changed file has a diagnostic of its own
    assert report["diagnostics"] == expected
    assert code == full_code


def test_changed_since_sees_every_name_a_full_check_sees(repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "2024-04-02-secret.md"
    outside.write_text(_erroneous(2))
    base = {
        "2024-03-10-old name.md": 10,
        b"2024-03-11-mod\xfe.md": 11,
        "2024-03-12-source.md": 12,
        "2024-03-13-gone\n.md": 13,
        "2024-03-14-base.md": 14,
        ".hidden/2024-03-15-kept.md": 15,
    }
    for name, day in base.items():
        assert _write_bytes(repo, _name(name), _erroneous(day))
    commit(repo, "main")
    git(repo, "checkout", "-q", "-b", "review")
    folder = repo / "postmortems"
    changed = {_name(name) for name in HOSTILE if _write_bytes(repo, _name(name), _erroneous(20))}
    assert len(changed) >= len(HOSTILE) - 2, "this file system refuses most of the names: the test says little"
    os.rename(folder / "2024-03-10-old name.md", folder / _name(b"2024-03-10-renamed \xe9.md"))  # a rename
    (folder / _name(b"2024-03-11-mod\xfe.md")).write_text(_erroneous(11) + "\nMore.\n")  # modified
    shutil.copy(folder / "2024-03-12-source.md", folder / "2024-03-12-copy\tof.md")  # a copy
    (folder / "2024-03-13-gone\n.md").unlink()  # deleted: nothing to report
    (folder / ".hidden" / "2024-03-15-kept.md").write_text(_erroneous(15) + "\nMore.\n")  # in a dot folder
    links = {
        "2024-04-01-link.md": "2024-03-14-base.md",
        "2024-04-02-out.md": str(outside),
        "2024-04-03-dangling.md": "nowhere.md",
        "linked-folder": "../docs",
    }
    for name, target in links.items():
        os.symlink(target, folder / name)
    changed |= {
        _name(b"2024-03-10-renamed \xe9.md"),
        _name(b"2024-03-11-mod\xfe.md"),
        "2024-03-12-copy\tof.md",
        ".hidden/x",
        *links,
    }
    commit(repo, "review")
    # and a change not committed: untracked, with a name that is not UTF-8
    assert _write_bytes(repo, _name(b"2024-04-04-untracked \xe9.md"), _erroneous(4))
    changed.add(_name(b"2024-04-04-untracked \xe9.md"))
    expected = {shown for shown in map(_as_the_walk_reports, changed) if shown is not None}
    _same_as_a_full_check(expected)
    # pr-summary takes the same changes: every changed postmortem, under its own name; the dangling link is added,
    # not deleted, and two were deleted (the one renamed, the one removed)
    summary = run("pr-summary", "--base", "main", *TODAY)
    assert summary.exit_code == 0, summary.output
    added = sum(Path(shown).suffix == ".md" for shown in expected) - 1  # one of them modified
    assert f"**{added + 3} postmortems changed** ({added} added, 1 modified, 2 deleted)" in summary.output
    for name in (b"2024-03-20-caf\xe9.md", b"2024-04-04-untracked \xe9.md"):
        assert os.fsdecode(name)[:-3].encode("utf-8", "surrogateescape").decode("utf-8", "replace") in summary.output


_PIECES = [
    b"a",
    b"Z",
    b"0",
    b"-",
    b"--",
    b" ",
    b"\t",
    b"\n",
    b"\r",
    b"\x01",
    b'"',
    b"'",
    b"\\",
    b"*",
    b"?",
    b"[x]",
    b":",
    b":(top)",
    b"!",
    b"#",
    b"~",
    b"\xe9",
    b"\xff\xfe",
    "\u00e9".encode(),
    "e\u0301".encode(),
    "\U0001f525".encode(),
    "\u202e".encode(),
    b".",
]
_part = (
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=4)
    .map(b"".join)
    .filter(lambda part: part not in (b".", b"..") and part.lower() != b".git")
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    files=st.lists(
        st.tuples(
            st.lists(_part, max_size=2), _part, st.sampled_from([b".md", b".MD", b".Md", b".txt", b""]), st.booleans()
        ),
        min_size=1,
        max_size=5,
    )
)
def test_changed_since_sees_every_generated_name_a_full_check_sees(files, monkeypatch):
    if shutil.which("git") is None:
        skip_or_fail("git is not installed")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    with tempfile.TemporaryDirectory() as temporary:
        repo = Path(temporary)
        monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(repo.parent))
        monkeypatch.chdir(repo)
        git(repo, "init", "-q", "-b", "main")
        (repo / "mkdocs.yml").write_text(CONFIG)
        (repo / "docs").mkdir()
        write(repo, "2024-03-14-base.md", dated(14))
        commit(repo, "main")
        git(repo, "checkout", "-q", "-b", "review")
        changed, untracked = set(), []
        for index, (folders, stem, suffix, committed) in enumerate(files):
            name = os.fsdecode(b"/".join([*folders, stem + b"-%d" % index + suffix]))
            if _write_bytes(repo, name, _erroneous(20)):  # a folder of one name and a file of another: refused
                changed.add(name)
                untracked += [] if committed else [name]
        for name in untracked:  # stays untracked: kept aside while the rest is committed
            (repo / "postmortems" / name).rename(repo / os.fsdecode(b"aside-%d" % untracked.index(name)))
        commit(repo, "review")
        for name in untracked:
            (repo / os.fsdecode(b"aside-%d" % untracked.index(name))).rename(repo / "postmortems" / name)
        expected = {shown for shown in map(_as_the_walk_reports, changed) if shown is not None}
        if expected:
            _same_as_a_full_check(expected)
        else:
            assert check_json("--changed-since", "main")[1]["diagnostics"] == []

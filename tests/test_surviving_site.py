"""The last good site survives a failed build: a refused leak, a failing `--strict` build, a crash. Real builds:
MkDocs' own API, and `mkdocs build` as a deploy step runs it."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from mkdocs_postmortems.staging import Staging
from site_support import REPO, make_site, postmortem

PM = "2024-03-14-checkout-latency"
BLOCK = {"title": "Slow checkout", "summary": "Checkout was slow.", "components": ["Checkout"]}


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, byte for byte (links as their target)."""
    return {
        path.relative_to(folder).as_posix(): (os.readlink(path).encode() if path.is_symlink() else path.read_bytes())
        for path in sorted(folder.rglob("*"))
        if path.is_file() or path.is_symlink()
    }


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".building-" in p.name or ".previous-" in p.name)


def public_site(root: Path, text: str) -> Path:
    config = make_site(root, {f"{PM}.md": text}, {"status_page": {"public_site": True}})
    mkdocs = yaml.safe_load(config.read_text())
    mkdocs["plugins"][1]["postmortems"]["services"][0]["component"] = "Checkout"
    mkdocs["site_dir"] = "site-public"
    config.write_text(yaml.safe_dump(mkdocs, sort_keys=False))
    return config


def run_build(config: Path, strict: bool = False) -> None:
    build(load_config(str(config), strict=strict))


def test_a_refused_leak_leaves_the_previous_public_site_byte_for_byte(tmp_path):
    config = public_site(tmp_path, postmortem(PM, public=BLOCK))
    run_build(config)
    site = tmp_path / "site-public"
    before = files_of(site)
    assert "api/v2/summary.json" in before and "index.html" in before
    (tmp_path / "postmortems" / f"{PM}.md").write_text(postmortem(PM, public={**BLOCK, "summary": "alice broke it."}))
    with pytest.raises(Abort):
        run_build(config)
    assert files_of(site) == before
    assert leftovers(tmp_path) == []


def test_a_failing_strict_build_leaves_the_previous_site_byte_for_byte(tmp_path):
    config = make_site(tmp_path, {f"{PM}.md": postmortem(PM)})
    run_build(config, strict=True)
    site = tmp_path / "site"
    before = files_of(site)
    (tmp_path / "postmortems" / f"{PM}.md").write_text(postmortem(PM, title="Changed title"))
    (tmp_path / "postmortems" / "notes.txt").write_text("not a postmortem")  # a warning: not-markdown
    with pytest.raises(Abort, match="strict"):
        run_build(config, strict=True)
    assert files_of(site) == before
    assert leftovers(tmp_path) == []


def test_a_successful_build_replaces_the_site_and_keeps_its_permissions(tmp_path):
    config = make_site(tmp_path, {f"{PM}.md": postmortem(PM)})
    run_build(config)
    site = tmp_path / "site"
    (site / "stale.html").write_text("from an older build")
    os.chmod(site, 0o755)
    (tmp_path / "postmortems" / f"{PM}.md").write_text(postmortem(PM, title="Changed title"))
    run_build(config, strict=True)
    assert not (site / "stale.html").exists()
    assert "Changed title" in (site / "postmortems" / PM / "index.html").read_text(encoding="utf-8")
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    assert leftovers(tmp_path) == []


def test_a_first_build_creates_the_site_readable_by_a_web_server(tmp_path):
    config = make_site(tmp_path, {f"{PM}.md": postmortem(PM)})
    run_build(config)
    mode = stat.S_IMODE((tmp_path / "site").stat().st_mode)
    assert mode & 0o005 == 0o005 or os.umask(os.umask(0)) & 0o005  # not mkdtemp's 0700 unless the umask says so


def test_a_site_dir_that_is_a_link_stays_a_link(tmp_path):
    config = make_site(tmp_path, {f"{PM}.md": postmortem(PM)})
    served = tmp_path / "www" / "status"
    served.mkdir(parents=True)
    (tmp_path / "site").symlink_to(served)
    run_build(config)
    assert (tmp_path / "site").is_symlink() and (served / "index.html").is_file()
    assert leftovers(tmp_path / "www") == []


def test_abandon_removes_the_staged_folder_and_commit_swaps(tmp_path):
    target = tmp_path / "site"
    target.mkdir()
    (target / "old.html").write_text("old")
    staging = Staging(target)
    (staging.start() / "new.html").write_text("new")
    staging.abandon()
    assert files_of(target) == {"old.html": b"old"} and leftovers(tmp_path) == []
    (staging.start() / "new.html").write_text("new")
    staging.commit()
    assert files_of(target) == {"new.html": b"new"} and leftovers(tmp_path) == []


def example_copy(tmp_path: Path) -> Path:
    for name in ("mkdocs.yml", "mkdocs.public.yml"):
        shutil.copy(REPO / name, tmp_path / name)
    for name in ("docs", "postmortems"):
        shutil.copytree(REPO / name, tmp_path / name)
    return tmp_path


def mkdocs(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def test_the_examples_status_site_survives_a_refused_mkdocs_build(tmp_path):
    root = example_copy(tmp_path)
    first = mkdocs(root, "--strict", "-f", "mkdocs.public.yml")
    assert first.returncode == 0, first.stderr
    before = files_of(root / "site-public")
    assert len(before) > 20
    path = root / "postmortems" / "2025-05-16-duplicate-card-charges.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  title: Some customers charged twice", "  title: h.kowalczyk charged some twice"),
        encoding="utf-8",
    )
    refused = mkdocs(root, "-f", "mkdocs.public.yml")
    assert refused.returncode != 0 and "public-leak" in refused.stderr
    assert files_of(root / "site-public") == before
    assert leftovers(root) == []


# --- what cannot be written: one line, and the last good site stays ------------------------------------------------


def one_error_line(caplog) -> str:
    """The one error of ours a failed build logged, which must say everything: no error is logged with a traceback
    (MkDocs adds a line of its own, "Error building page", where a page could not be written)."""
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert all(record.exc_info is None and "\n" not in record.getMessage() for record in errors)
    (ours,) = [record.getMessage() for record in errors if "cannot write the site to " in record.getMessage()]
    return ours.removeprefix("mkdocs_postmortems: ")


def test_a_full_disk_during_the_build_keeps_the_last_good_site(tmp_path, monkeypatch, caplog):
    import mkdocs.utils

    config = make_site(tmp_path, {f"{PM}.md": postmortem(PM)})
    run_build(config)
    site = tmp_path / "site"
    before = files_of(site)
    write, written = mkdocs.utils.write_file, []

    def fills_the_disk(content, path):  # as a real disk fills: some pages are written, then none
        written.append(path)
        if len(written) > 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        write(content, path)

    monkeypatch.setattr(mkdocs.utils, "write_file", fills_the_disk)
    (tmp_path / "postmortems" / f"{PM}.md").write_text(postmortem(PM, title="Changed title"))
    with pytest.raises(Abort):
        run_build(config)
    message = one_error_line(caplog)
    assert message.startswith("cannot write the site to ") and "the disk is full; free space on it" in message
    assert message.endswith(f"; the last good site in {site} is kept")
    assert files_of(site) == before
    assert leftovers(tmp_path) == []


def test_a_site_dir_below_a_file_is_one_line_and_writes_nothing(tmp_path, caplog):
    """A folder that is a file (a mistyped `site_dir`) stops even root, unlike a folder without write permission."""
    config = make_site(tmp_path, {f"{PM}.md": postmortem(PM)})
    (tmp_path / "public").write_text("a file, not a folder")
    with pytest.raises(Abort):
        build(load_config(str(config), site_dir=str(tmp_path / "public" / "site")))
    message = one_error_line(caplog)
    assert f"{tmp_path / 'public'} is a file, not a folder; move that file away, or set `site_dir` elsewhere" in message
    assert message.endswith(f"; no site was written to {tmp_path / 'public' / 'site'}")
    assert (tmp_path / "public").read_text() == "a file, not a folder"


@pytest.mark.parametrize(
    "code, says",
    [
        (errno.EROFS, "the file system is read-only; set `site_dir` to a folder on a writable file system"),
        (errno.EACCES, "permission denied; make {parent} writable for this user"),
    ],
)
def test_a_site_folder_that_cannot_be_made_is_one_line(tmp_path, monkeypatch, caplog, code, says):
    """A read-only mount, or a folder this user may not write (as root in CI, chmod stops nothing: the error is
    the file system's, made here)."""
    import tempfile

    config = make_site(tmp_path, {f"{PM}.md": postmortem(PM)})
    run_build(config)
    before = files_of(tmp_path / "site")

    def refused(*args, dir=None, **kwargs):
        raise OSError(code, os.strerror(code), str(dir))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    monkeypatch.setattr(tempfile, "mkdtemp", refused)
    with pytest.raises(Abort):
        run_build(config)
    message = one_error_line(caplog)
    assert says.format(parent=tmp_path) in message
    assert message.endswith(f"; the last good site in {tmp_path / 'site'} is kept")
    assert files_of(tmp_path / "site") == before


def test_a_swap_that_fails_half_way_puts_the_last_good_site_back(tmp_path, monkeypatch, caplog):
    config = make_site(tmp_path, {f"{PM}.md": postmortem(PM)})
    run_build(config)
    site = tmp_path / "site"
    before = files_of(site)
    replace, calls = os.replace, []

    def second_fails(source, destination):  # the old site moves aside; the new one cannot move in
        calls.append(destination)
        if len(calls) == 2:
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(source), str(destination))
        replace(source, destination)

    monkeypatch.setattr(os, "replace", second_fails)
    (tmp_path / "postmortems" / f"{PM}.md").write_text(postmortem(PM, title="Changed title"))
    with pytest.raises(Abort):
        run_build(config)
    monkeypatch.undo()
    message = one_error_line(caplog)
    assert message.startswith(f"cannot write the site to {site}: Input/output error")
    assert message.endswith(f"; the last good site in {site} is kept")
    assert files_of(site) == before
    assert leftovers(tmp_path) == []


def _limited_file_size():
    """In the build process: no file larger than 32 KiB, and writing past it an error (EFBIG), not a signal."""
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (32 * 1024, 32 * 1024))


@pytest.mark.skipif(sys.platform == "win32", reason="no RLIMIT_FSIZE on Windows")
def test_mkdocs_build_that_cannot_write_exits_1_in_one_line(tmp_path):
    """A real write failure of `mkdocs build`, as a deploy step runs it: a file size limit makes every large page
    fail as a full disk does, for root too."""
    config = make_site(tmp_path, {f"{PM}.md": postmortem(PM)})
    first = mkdocs(tmp_path, "-f", str(config))
    assert first.returncode == 0, first.stderr
    before = files_of(tmp_path / "site")
    (tmp_path / "postmortems" / f"{PM}.md").write_text(postmortem(PM, title="Changed title"))
    failed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limited_file_size,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    (line,) = [line for line in failed.stderr.splitlines() if "ERROR" in line]
    assert f"cannot write the site to {tmp_path / 'site'}{os.sep}" in line and "(`ulimit -f`)" in line
    assert files_of(tmp_path / "site") == before
    assert leftovers(tmp_path) == []

"""`staging.py`: what a build killed outright leaves beside its site is removed by the next build of that site, never
what a running build is writing, and never published. Real builds killed with SIGKILL, and `Staging` itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mkdocs_postmortems.staging import Staging
from site_support import make_site, postmortem
from test_surviving_site import PM, files_of, leftovers, run_build

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGKILL") or sys.platform == "win32", reason="no SIGKILL and no flock on Windows"
)

# A hook that stops a build once every page is written, before the swap: the moment a kill leaves the most behind.
HANG = """\
import pathlib, time

def on_post_build(config, **kwargs):
    pathlib.Path(config.config_file_path).with_name("ready").write_text(config.site_dir)
    time.sleep(600)
"""


def start_hanging_build(root: Path) -> tuple[subprocess.Popen, Path]:
    """`mkdocs build` of `root`'s site, stopped before its swap; the process and the folder it builds in."""
    config = root / "mkdocs.yml"
    hanging = root / "mkdocs.hang.yml"
    hanging.write_text(config.read_text() + "hooks: [hang.py]\n")
    (root / "hang.py").write_text(HANG)
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(hanging)],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    ready = root / "ready"
    deadline = time.monotonic() + 120
    while not ready.exists() or not ready.read_text():
        if process.poll() is not None:
            pytest.fail(f"the build ended before its swap: {process.stderr.read().decode()}")
        assert time.monotonic() < deadline, "the build never reached its swap"
        time.sleep(0.05)
    building = Path(ready.read_text())  # the hook saw the site_dir the build writes in
    ready.unlink()
    return process, building


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(60)
    process.stderr.close()


def test_a_killed_build_leaves_its_folder_and_the_next_build_removes_it(tmp_path):
    config = make_site(tmp_path, {f"{PM}.md": postmortem(PM)})
    run_build(config)
    good = files_of(tmp_path / "site")
    process, building = start_hanging_build(tmp_path)
    kill(process)
    assert (building / "index.html").is_file()  # a whole site, left behind: what the issue saw pile up
    assert leftovers(tmp_path) == sorted([building.name, building.name + ".lock"])
    assert files_of(tmp_path / "site") == good  # never swapped in
    run_build(config)
    assert leftovers(tmp_path) == []
    assert files_of(tmp_path / "site") == good  # the new build's, not the stale folder's


def test_the_folder_of_a_running_build_is_never_removed(tmp_path):
    config = make_site(tmp_path, {f"{PM}.md": postmortem(PM)})
    process, building = start_hanging_build(tmp_path)
    try:
        before = files_of(building)
        run_build(config)  # a second build of the same site meanwhile
        assert files_of(building) == before
        assert leftovers(tmp_path) == sorted([building.name, building.name + ".lock"])
        assert (tmp_path / "site" / "index.html").is_file()
    finally:
        kill(process)
    run_build(config)
    assert leftovers(tmp_path) == []


def test_a_staging_folder_is_removed_only_once_its_build_is_over(tmp_path):
    target = tmp_path / "site"
    running = Staging(target)
    (running.start() / "index.html").write_text("being written")
    other = Staging(target)
    other.start()
    assert (running.folder / "index.html").read_text() == "being written"
    other.abandon()
    running.commit()
    assert files_of(target) == {"index.html": b"being written"} and leftovers(tmp_path) == []


def test_a_killed_staging_is_removed_by_the_next_start(tmp_path):
    """A build process that dies holding its lock: the kernel releases it, and the next start removes the folder."""
    target = tmp_path / "site"
    code = (
        f"from mkdocs_postmortems.staging import Staging; import os, signal; s = Staging({str(target)!r}); "
        "(s.start() / 'index.html').write_text('stale'); os.kill(os.getpid(), signal.SIGKILL)"
    )
    subprocess.run([sys.executable, "-c", code], check=False, timeout=60)
    assert len(leftovers(tmp_path)) == 2  # the folder and its lock
    staging = Staging(target)
    staging.start()
    assert leftovers(tmp_path) == sorted([staging.folder.name, staging.folder.name + ".lock"])
    staging.commit()
    assert files_of(target) == {} and leftovers(tmp_path) == []


@pytest.mark.parametrize("name", [".site.building-k2j4h5l1", ".site.previous-k2j4h5l1"])
def test_a_folder_an_older_release_left_without_a_lock_is_removed(tmp_path, name):
    config = make_site(tmp_path, {f"{PM}.md": postmortem(PM)})
    run_build(config)
    (tmp_path / name / "assets").mkdir(parents=True)
    (tmp_path / name / "index.html").write_text("stale")
    run_build(config)
    assert leftovers(tmp_path) == []
    assert "stale" not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_only_the_folders_of_the_same_site_are_removed(tmp_path):
    """`site` and `site-public` side by side: a build of one never touches what a build of the other left."""
    (tmp_path / ".site-public.building-k2j4h5l1").mkdir()
    (tmp_path / ".sites.building-k2j4h5l1").mkdir()
    staging = Staging(tmp_path / "site")
    staging.start()
    staging.abandon()
    assert leftovers(tmp_path) == [".site-public.building-k2j4h5l1", ".sites.building-k2j4h5l1"]


def test_a_site_a_killed_swap_moved_aside_is_put_back_not_removed(tmp_path):
    """Killed between the two renames of its swap, a build leaves no site and the last good one moved aside: the
    next build puts that one back, so that should it fail too, the last good site is where it was."""
    aside = tmp_path / ".site.previous-k2j4h5l1"
    aside.mkdir()
    (aside / "index.html").write_text("the last good site")
    (tmp_path / ".site.building-k2j4h5l1").mkdir()  # the new site, never swapped in
    staging = Staging(tmp_path / "site")
    staging.start()
    staging.abandon()  # the build fails
    assert files_of(tmp_path / "site") == {"index.html": b"the last good site"}
    assert leftovers(tmp_path) == []

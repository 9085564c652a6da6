"""The last good site survives a failed build: a refused leak, a failing `--strict` build, a crash. Real builds:
MkDocs' own API, and `mkdocs build` as a deploy step runs it."""

from __future__ import annotations

import os
import shutil
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
    return {path.relative_to(folder).as_posix(): (os.readlink(path).encode() if path.is_symlink() else path.read_bytes())
            for path in sorted(folder.rglob("*")) if path.is_file() or path.is_symlink()}


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
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def test_the_examples_status_site_survives_a_refused_mkdocs_build(tmp_path):
    root = example_copy(tmp_path)
    first = mkdocs(root, "--strict", "-f", "mkdocs.public.yml")
    assert first.returncode == 0, first.stderr
    before = files_of(root / "site-public")
    assert len(before) > 20
    path = root / "postmortems" / "2025-05-16-duplicate-card-charges.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  title: Some customers charged twice", "  title: h.kowalczyk charged some twice"),
                    encoding="utf-8")
    refused = mkdocs(root, "-f", "mkdocs.public.yml")
    assert refused.returncode != 0 and "public-leak" in refused.stderr
    assert files_of(root / "site-public") == before
    assert leftovers(root) == []

"""`cli/publishing.py`'s `postmortems generate OUT` (its `notify` is in tests/test_notify.py): a site source for engines
without plugins. What it writes, what it refuses, and that it reports and exits like `check`. Small sites, no engine:
tests/test_engines.py builds the output with Zensical; how `generator.py` writes each page is in
tests/test_generator.py."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from mkdocs_postmortems.generator import MARKER, read_config
from site_support import IMG, SCRIPT, make_site, postmortem, run_cli

PM = "2024-03-14-checkout-latency"


def small_site(root: Path) -> Path:
    """A small site with two postmortems (one a draft) and pages of the user's, in `root`."""
    make_site(
        root,
        {f"{PM}.md": postmortem(PM), "2024-04-01-draft.md": postmortem("2024-04-01-draft", status="draft")},
        docs={"guide/writing.md": "# Writing\n\nHow we write.\n", "img/logo.svg": "<svg/>"},
    )
    return root


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    """`small_site`; the current directory is its root."""
    monkeypatch.chdir(tmp_path)
    return small_site(tmp_path)


def generated(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file()}


def test_writes_the_docs_every_generated_page_and_file_and_a_config_without_the_plugin(site):
    result = run_cli("generate", "out")
    assert result.exit_code == 0, result.output
    files = generated(site / "out")
    assert {
        "docs/index.md",
        "docs/guide/writing.md",
        "docs/img/logo.svg",
        f"docs/postmortems/{PM}.md",
        "docs/postmortems/index.md",
        "docs/root-causes/index.md",
        "docs/action-items/index.md",
        "docs/action-items/action-items.csv",
        "docs/postmortems/index.json",
        "docs/assets/postmortems/postmortems.css",
        "mkdocs.yml",
        MARKER,
    } <= set(files)
    assert "docs/postmortems/2024-04-01-draft.md" not in files  # drafts are not shown, as in the plugin's build
    assert files["docs/guide/writing.md"] == "# Writing\n\nHow we write.\n"
    config = yaml.safe_load(files["mkdocs.yml"].split("\n", 1)[1])
    assert config["docs_dir"] == "docs" and config["site_dir"] == "site"
    assert config["plugins"] == ["search"]
    assert config["extra_css"] == ["assets/postmortems/postmortems.css"]
    assert f"/postmortems/{PM}.md" in config["not_in_nav"].split("\n")
    # no nav of the user's: the automatic one, with the knowledge base's index and not every postmortem
    assert config["nav"] == ["index.md", {"Guide": ["guide/writing.md"]}, {"Postmortems": ["postmortems/index.md"]}]


def test_a_postmortem_page_holds_its_card_body_and_tables_and_an_escaped_title(site):
    (site / "postmortems" / f"{PM}.md").write_text(postmortem(PM, title=f"Slow {SCRIPT} {IMG}"), encoding="utf-8")
    assert run_cli("generate", "out").exit_code == 0
    text = (site / "out" / "docs" / "postmortems" / f"{PM}.md").read_text(encoding="utf-8")
    front, rest = text.removeprefix("---\n").split("\n---\n", 1)
    assert yaml.safe_load(front) == {
        "title": "Slow &lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
    }
    assert rest.index('class="pm-card"') < rest.index("## Summary") < rest.index('<h2 id="root-causes">')
    assert SCRIPT not in text and "<img src=x" not in text
    cross = (site / "out" / "docs" / "root-causes" / "index.md").read_text(encoding="utf-8")
    assert yaml.safe_load(cross.removeprefix("---\n").split("\n---\n")[0]) == {
        "title": "Root causes",
        "search": {"exclude": True},
    }
    assert cross.count('<h1 id="root-causes">Root causes</h1>') == 1


def test_the_users_nav_and_options_are_kept_and_inherit_merged(site):
    config = yaml.safe_load((site / "mkdocs.yml").read_text())
    (site / "base.yml").write_text(yaml.safe_dump({**config, "site_description": "From the base"}))
    (site / "mkdocs.yml").write_text(
        "INHERIT: base.yml\nsite_name: Child\nnav:\n  - Home: index.md\n"
        "  - Postmortems: postmortems/index.md\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
    )
    assert run_cli("generate", "out").exit_code == 0
    written = (site / "out" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "!!python/name:material.extensions.emoji.twemoji" in written  # tags go to the engine untouched
    config = read_config(site / "out" / "mkdocs.yml")
    assert config["site_name"] == "Child" and config["site_description"] == "From the base"
    assert config["nav"] == [{"Home": "index.md"}, {"Postmortems": "postmortems/index.md"}]
    assert "INHERIT" not in config


def test_reports_the_diagnostics_of_check_and_exits_like_it(site):
    (site / "postmortems" / "2024-05-01-broken.md").write_text(postmortem("2024-05-01-broken", severity="SEV9"))
    check, generate = run_cli("check"), run_cli("generate", "out")
    assert check.exit_code == generate.exit_code == 1
    diagnostics = [line for line in check.output.splitlines() if ": error [" in line or ": warning [" in line]
    assert diagnostics and all(line in generate.output for line in diagnostics)
    (site / "postmortems" / "2024-05-01-broken.md").write_text(
        postmortem(
            "2024-05-01-broken",
            action_items=[{"title": "Fix", "owner": "sre", "priority": "P2", "due": "2020-01-01", "status": "open"}],
        )
    )
    assert run_cli("generate", "out").exit_code == 0  # a warning (overdue) only
    assert run_cli("generate", "out", "--strict").exit_code == 1


def test_refuses_an_out_inside_the_sources_or_a_folder_it_did_not_write(site):
    for out in ("docs/generated", "postmortems/out", "docs"):
        result = run_cli("generate", out)
        assert result.exit_code == 2 and "inside" in result.output, (out, result.output)
    (site / "mine").mkdir()
    (site / "mine" / "notes.txt").write_text("keep me")
    result = run_cli("generate", "mine")
    assert result.exit_code == 2 and MARKER in result.output
    assert (site / "mine" / "notes.txt").read_text() == "keep me" and len(list((site / "mine").iterdir())) == 1
    assert sorted(p.name for p in (site / "docs").iterdir()) == ["guide", "img", "index.md"]


def test_a_second_run_rewrites_only_what_changed_and_removes_what_is_gone(site):
    assert run_cli("generate", "out").exit_code == 0
    out = site / "out" / "docs"
    unchanged = [out / "index.md", out / "img" / "logo.svg", out / "assets" / "postmortems" / "postmortems.css"]
    for path in [*unchanged, out / "postmortems" / "index.md"]:
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    (site / "docs" / "guide" / "writing.md").unlink()
    (site / "postmortems" / "2024-05-02-new.md").write_text(postmortem("2024-05-02-new"))
    assert run_cli("generate", "out").exit_code == 0
    assert not (out / "guide" / "writing.md").exists()
    assert (out / "postmortems" / "2024-05-02-new.md").is_file()
    # unchanged files are not rewritten, so an engine's watcher sees only what changed: here the index
    assert [path.stat().st_mtime_ns for path in unchanged] == [1_000_000_000] * 3
    assert (out / "postmortems" / "index.md").stat().st_mtime_ns != 1_000_000_000


def test_never_follows_a_link_out_of_the_repository(site, tmp_path_factory):
    secret = tmp_path_factory.mktemp("outside") / "config"
    secret.write_text("token = hunter2")
    (site / "docs" / "leak.md").symlink_to(secret)
    result = run_cli("generate", "out")
    assert result.exit_code == 0 and "leak.md" in result.output
    assert not (site / "out" / "docs" / "leak.md").exists()
    assert "hunter2" not in "".join(generated(site / "out").values())


def test_a_leak_in_the_public_build_writes_nothing_and_keeps_the_last_good_output(site):
    config = yaml.safe_load((site / "mkdocs.yml").read_text())
    config["plugins"][1]["postmortems"]["services"][0]["component"] = "Checkout"
    (site / "mkdocs.yml").write_text(yaml.safe_dump(config))
    (site / "docs" / "public").mkdir()  # the status site's pages: never the knowledge base's own
    public = {**config, "docs_dir": "docs/public"}
    public["plugins"][1]["postmortems"]["status_page"] = {"public_site": True}
    (site / "public.yml").write_text(yaml.safe_dump(public))
    block = {"title": "Slow checkout", "summary": "Checkout was slow.", "components": ["Checkout"]}
    (site / "postmortems" / f"{PM}.md").write_text(postmortem(PM, public=block))
    assert run_cli("generate", "-f", "public.yml", "status").exit_code == 0
    before = generated(site / "status")
    assert "docs/index.md" in before and "docs/api/v2/summary.json" in before
    (site / "postmortems" / f"{PM}.md").write_text(postmortem(PM, public={**block, "summary": "alice broke it."}))
    result = run_cli("generate", "-f", "public.yml", "status")
    assert result.exit_code == 1 and "public-leak" in result.output and "nothing was published" in result.output
    assert generated(site / "status") == before


def test_watch_generates_again_when_a_postmortem_changes(site):
    """The watch loop as `zensical serve` users run it, in a real process, stopped once it has regenerated."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs_postmortems.cli", "generate", "out", "--watch", "--interval", "0.2"],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        page = site / "out" / "docs" / "postmortems" / f"{PM}.md"
        _wait_for(lambda: page.is_file() and "Slow checkout" not in page.read_text(encoding="utf-8"))
        (site / "postmortems" / f"{PM}.md").write_text(postmortem(PM, title="Slow checkout"), encoding="utf-8")
        _wait_for(lambda: "Slow checkout" in page.read_text(encoding="utf-8"))
        assert process.poll() is None  # still watching
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for(condition, limit: float = 60.0) -> None:
    """Poll `condition` until it holds; fail after `limit` seconds (a bound on a hang, not a speed target)."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "the watch loop did not regenerate"
        time.sleep(0.1)

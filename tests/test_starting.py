"""`cli/starting.py`, `postmortems init`: a new knowledge base that passes `postmortems check --strict` and builds
strictly as written, internal and public, with MkDocs, ProperDocs and Zensical (through `postmortems generate`);
`--empty`; `--from FORMAT SOURCE...`, whose services become the catalog; and never a file written over."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest
import yaml

from mkdocs_postmortems.catalog import plugin_services
from site_support import build_site, run_cli
from test_engines import _engine_command, _run
from test_starter import EXAMPLE, WRITTEN

FIXTURES = Path(__file__).parent / "fixtures" / "import"
TODAY = "2026-11-22"


def init(folder: Path, *options: str):
    return run_cli("init", str(folder), "--today", TODAY, "--author", "alice", *options)


def check_strict(root: Path, today: str = TODAY):
    return run_cli("check", "--strict", "-f", str(root / "mkdocs.yml"), "--today", today)


def contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def started(tmp_path_factory) -> tuple[Path, str]:
    """A knowledge base `postmortems init` wrote, and what it printed."""
    root = tmp_path_factory.mktemp("init") / "acme"
    result = init(root, "--name", "Acme")
    assert result.exit_code == 0, result.output
    return root, result.output


@pytest.fixture(scope="module")
def built(started) -> tuple[Path, Path]:
    """Its internal and its public site, each built strictly by MkDocs."""
    root = started[0]
    build_site(root / "mkdocs.public.yml", strict=True)
    return build_site(root / "mkdocs.yml", strict=True), root / "site-public"


def test_init_writes_and_reports_every_file(started):
    root, output = started
    for path in (*WRITTEN, EXAMPLE):
        assert (root / path).is_file(), path
        assert f"wrote {root / path}: " in output
    assert output.rstrip().endswith(
        f"Next: `cd {root} && mkdocs serve` to browse it, `postmortems new` to write a postmortem."
    )


def test_the_new_knowledge_base_passes_check_strict_today_and_years_from_now(started):
    root = started[0]
    for today in (TODAY, "2031-06-30"):  # dates alone never fail it: overdue items are `info`
        result = check_strict(root, today)
        assert result.exit_code == 0 and "1 postmortems, 0 errors, 0 warnings" in result.output, result.output


def test_both_sites_build_strictly(built):
    site, public = built
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<h1" in home and "Acme postmortems" in home and "postmortems:dashboard" not in home
    assert (site / "postmortems" / "index.html").is_file() and (site / "status" / "index.html").is_file()
    assert (public / "index.html").is_file() and (public / "about" / "index.html").is_file()
    summary = (public / "api" / "v2" / "summary.json").read_text(encoding="utf-8")
    assert '"Website"' in summary and "Acme status" in summary
    status = (public / "index.html").read_text(encoding="utf-8")
    assert "Made with" not in status  # a status page, not a documentation site: no credit, no navigation
    assert re.search(r'md-sidebar--primary"[^>]*data-md-type="navigation" hidden>', status)
    about = (public / "about" / "index.html").read_text(encoding="utf-8")
    assert 'href="../history.atom.xml"' in about and (public / "history.atom.xml").is_file()


@pytest.mark.engines
@pytest.mark.parametrize("engine", ["properdocs", "zensical"])
@pytest.mark.parametrize("config, shows", [("mkdocs.yml", "postmortems/index.html"), ("mkdocs.public.yml", "about")])
def test_other_engines_build_both_sites_strictly(started, engine, config, shows, tmp_path):
    command, root = _engine_command(engine), started[0]
    site = tmp_path / "site"
    if engine == "properdocs":
        _run(*command, "build", "--strict", "-f", config, "-d", str(site), cwd=root)
    else:  # Zensical runs no plugins: `postmortems generate` writes the site's source, with its site_dir
        out = tmp_path / "out"
        _run(sys.executable, "-m", "mkdocs_postmortems.cli", "generate", str(out), "-f", config, "--strict", cwd=root)
        _run(*command, "build", "-f", str(out / "mkdocs.yml"), "--strict", cwd=root)
        site = out / yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8")).get("site_dir", "site")
    assert (site / "index.html").is_file() and (site / shows).exists()


def test_the_pre_commit_hook_runs_on_the_new_postmortem(started, monkeypatch):
    root = started[0]
    (repo,) = yaml.safe_load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"]
    program, *arguments = shlex.split(repo["hooks"][0]["entry"])
    monkeypatch.chdir(root)
    result = run_cli(*arguments, EXAMPLE)
    assert program == "postmortems" and result.exit_code == 0, result.output


# --- never over a file --------------------------------------------------------------------------------------------


def test_init_again_writes_nothing_and_names_every_file_there(started):
    root = started[0]
    before = contents(root)
    result = init(root)
    assert result.exit_code == 1 and "wrote nothing" in result.output
    for path in (*WRITTEN, EXAMPLE):
        assert f"exists: {root / path}" in result.output
    assert contents(root) == before


@pytest.mark.parametrize("place", ["a file", "a dangling link", "a file where a folder goes"])
def test_anything_in_the_way_stops_init_before_it_writes(tmp_path, place):
    root = tmp_path / "kb"
    root.mkdir()
    if place == "a file":
        (root / "mkdocs.yml").write_text("site_name: ours\n", encoding="utf-8")
        blocked = "mkdocs.yml"
    elif place == "a dangling link":
        (root / ".gitignore").symlink_to(tmp_path / "elsewhere")
        blocked = ".gitignore"
    else:
        (root / "docs").write_text("not a folder\n", encoding="utf-8")
        blocked = "docs/index.md"
    before = sorted(p.name for p in root.iterdir())
    result = init(root)
    assert result.exit_code == 1 and f"exists: {root / blocked}" in result.output
    assert "of the files init writes exist" in result.output and "it wrote nothing" in result.output
    assert sorted(p.name for p in root.iterdir()) == before and not (tmp_path / "elsewhere").exists()


# --- --empty and --from -----------------------------------------------------------------------------------------


def test_empty_has_no_example_and_still_checks_and_builds(tmp_path):
    root = tmp_path / "kb"
    result = init(root, "--empty")
    assert result.exit_code == 0 and [p.name for p in (root / "postmortems").iterdir()] == [".gitkeep"]
    assert plugin_services((root / "mkdocs.yml").read_text(encoding="utf-8")) == []
    assert check_strict(root).exit_code == 0
    assert (build_site(root / "mkdocs.yml", strict=True) / "index.html").is_file()


def test_from_imports_a_history_whose_services_become_the_catalog(tmp_path):
    root = tmp_path / "kb"
    result = init(root, "--from", "cstate", str(FIXTURES / "cstate"), "--name", "Example")
    assert result.exit_code == 1, result.output  # two entries of the fixture need a person, as `import` says
    assert f"added to {root / 'mkdocs.yml'}: the service `api` (component API)" in result.output
    assert "2 skipped, 4 written" in result.output and not (root / EXAMPLE).exists()
    services = plugin_services((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert [(s["name"], s["component"]) for s in services] == [("api", "API"), ("website", "Website")]
    check = check_strict(root)
    assert check.exit_code == 0 and "4 postmortems, 0 errors, 0 warnings" in check.output, check.output
    assert (build_site(root / "mkdocs.yml", strict=True) / "index.html").is_file()
    public = build_site(root / "mkdocs.public.yml", strict=True).parent / "site-public"
    assert '"API"' in (public / "api" / "v2" / "components.json").read_text(encoding="utf-8")


def test_from_takes_every_source_up_to_the_next_option(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exports = [str(FIXTURES / "statuspage" / name) for name in ("components.json", "incidents.json")]
    result = run_cli("init", "--from=statuspage", *exports, "--today", TODAY, "--author", "alice")
    assert "https://stspg.io/inc001: written" in result.output and "components.json: skipped" in result.output
    assert (tmp_path / "mkdocs.yml").is_file() and check_strict(tmp_path).exit_code == 0


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--from", "cstate"], "name the sources to import"),
        (["--from", "cstate", "no-such-folder"], "no such file or folder: no-such-folder"),
        (["--from", "nonsense", "x"], "'nonsense' is not one of"),
    ],
)
def test_a_bad_from_is_a_usage_error_before_anything_is_written(tmp_path, monkeypatch, arguments, message):
    monkeypatch.chdir(tmp_path)
    result = run_cli("init", "kb", *arguments)
    assert result.exit_code == 2 and message in result.output and not (tmp_path / "kb").exists()

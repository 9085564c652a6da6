"""`plugin.py`, the MkDocs adapter: what is MkDocs' own in a build. The core's decisions it hands over (titles, search
flags, sections, assets, the log line of a diagnostic) reach MkDocs; the nav holds only the index; `mkdocs serve`
watches the postmortems and rebuilds in the same process; a build never writes into the sources. The pages
themselves are tested in tests/test_plugin_build.py, and the same pages under `postmortems generate` in
tests/test_adapters.py."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from mkdocs_postmortems.cli import main as cli
from mkdocs_postmortems.site_pages import CSS, JS
from site_support import (
    SECTIONS,
    body,
    build_site,
    index,
    listed_ids,
    make_site,
    nav_links,
    page,
    postmortem,
    resolve,
    run_cli,
    snapshot,
)
from test_plugin_build import PROBLEM_CASES

# --------------------------------------------------------------------------------------------------
# The core's decisions, handed to MkDocs


def test_on_config_adds_the_assets_once_however_often_it_runs(tmp_path):
    """`mkdocs serve` runs on_config again on the same config at every rebuild."""
    config = load_config(str(make_site(tmp_path, {})))
    plugin = config.plugins["postmortems"]
    for _ in range(3):
        plugin.on_config(config)
    assert config.extra_css.count(CSS) == 1 and config.extra_javascript.count(JS) == 1


def test_a_diagnostic_is_one_log_record_at_its_level_with_its_hint(tmp_path, caplog):
    pm_id = "2024-04-02-bad"
    config = make_site(tmp_path, {f"{pm_id}.md": postmortem(pm_id, body(SECTIONS[:-1]))})
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.mkdocs_postmortems"):
        build_site(config)
    (record,) = [record for record in caplog.records if f"{pm_id}.md:" in record.getMessage()]
    assert record.levelname == "WARNING"
    shown = rf"mkdocs_postmortems: postmortems/{pm_id}\.md:\d+:\d+: warning \[section-missing\] .+ \(hint: .+\)"
    assert re.fullmatch(shown, record.getMessage())


def test_the_table_of_contents_lists_the_sections_around_the_body(tmp_path):
    pm_id = "2024-03-14-checkout-latency"
    html = page(build_site(make_site(tmp_path, {f"{pm_id}.md": postmortem(pm_id)}), strict=True), pm_id)
    toc = html[html.index('class="md-nav md-nav--secondary"') :]
    toc = toc[: toc.index("</nav>")]
    anchors = re.findall(r'href="#([^"]+)"', toc)
    assert anchors[: len(SECTIONS)] == [
        "summary",
        "impact",
        "timeline",
        "root-cause-analysis",
        "resolution",
        "lessons-learned",
    ]
    assert anchors[len(SECTIONS) :] == ["root-causes", "action-items", "related"] or anchors[len(SECTIONS) :] == [
        "root-causes",
        "action-items",
    ]


# --------------------------------------------------------------------------------------------------
# mkdocs serve


def test_serve_watches_the_postmortems_folder(tmp_path):
    """The folder lives beside docs/, so without this `mkdocs serve` would not rebuild on an edit."""
    config = load_config(str(make_site(tmp_path, {})))
    plugin = config.plugins["postmortems"]
    plugin.on_config(config)

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path):
            self.watched.append(path)

    server = Server()
    assert plugin.on_serve(server, config=config, builder=None) is server
    assert [Path(p).resolve() for p in server.watched] == [(tmp_path / "postmortems").resolve()]


# --------------------------------------------------------------------------------------------------
# Navigation


def _nav_site(tmp_path, config=None):
    files = {f"2024-0{n}-01-incident-{n}.md": postmortem(f"2024-0{n}-01-incident-{n}") for n in range(1, 4)}
    docs = {"guide/setup.md": "# Setup\n", "guide/usage.md": "# Usage\n", "about.md": "# About\n"}
    return make_site(tmp_path, files, config=config, docs=docs), [Path(n).stem for n in files]


def test_postmortems_stay_out_of_an_automatic_nav_but_are_built(tmp_path):
    config, ids = _nav_site(tmp_path)
    site = build_site(config, strict=True)
    for src in ("index.html", "about/index.html", "guide/setup/index.html", "postmortems/index.html"):
        links = nav_links((site / src).read_text(encoding="utf-8"))
        assert links, f"no nav links found in {src}"
        targets = {resolve(site, src.removesuffix("index.html"), href) for href in links}
        assert site / "postmortems/index.html" in targets and site / "guide/usage/index.html" in targets
        assert not [t for t in targets for pm_id in ids if pm_id in t.as_posix()], src
    for pm_id in ids:
        assert (site / "postmortems" / pm_id / "index.html").is_file()
        assert pm_id in (site / "search" / "search_index.json").read_text(encoding="utf-8")


def test_no_previous_or_next_links_lead_into_postmortems_with_an_automatic_nav(tmp_path):
    """Material's footer and <link rel=prev/next> follow page.previous_page/next_page: none may be a postmortem."""
    config, ids = _nav_site(tmp_path, {"theme": {"name": "material", "font": False, "features": ["navigation.footer"]}})
    site = build_site(config, strict=True)
    for html_file in site.rglob("index.html"):
        html = html_file.read_text(encoding="utf-8")
        if any(f"/{pm_id}/" in html_file.as_posix() for pm_id in ids):
            continue
        footer = re.findall(r'<a href="([^"]*)" class="md-footer__link', html)
        rel = re.findall(r'<link rel="(?:prev|next)" href="([^"]*)"', html)
        assert not [h for h in footer + rel for pm_id in ids if pm_id in h], html_file.relative_to(site)


def test_an_explicit_nav_may_list_a_postmortem(tmp_path):
    config, ids = _nav_site(
        tmp_path,
        {
            "nav": [
                {"Home": "index.md"},
                {"Postmortems": "postmortems/index.md"},
                {"Pinned": f"postmortems/{ids_stem(1)}.md"},
            ]
        },
    )
    site = build_site(config)
    targets = {resolve(site, "", href) for href in nav_links((site / "index.html").read_text(encoding="utf-8"))}
    assert site / "postmortems" / ids_stem(1) / "index.html" in targets
    assert site / "postmortems" / ids_stem(2) / "index.html" not in targets
    assert all((site / "postmortems" / pm_id / "index.html").is_file() for pm_id in ids)


def ids_stem(n: int) -> str:
    return f"2024-0{n}-01-incident-{n}"


# --------------------------------------------------------------------------------------------------
# Rebuilds (mkdocs serve)


def _rebuild_site(tmp_path):
    files = {
        "2024-03-01-one.md": postmortem("2024-03-01-one", related=["2024-03-02-two"]),
        "2024-03-02-two.md": postmortem("2024-03-02-two", severity="SEV9"),  # with a problems notice
        "2024-03-03-broken.md": b"\x00",
    }
    return make_site(tmp_path, files)


def test_a_second_build_of_the_same_config_gives_identical_pages(tmp_path):
    """As `mkdocs serve` may: on_config runs again on the same config (once linked the stylesheet twice)."""
    cfg = load_config(str(_rebuild_site(tmp_path)))
    build(cfg)
    first = snapshot(tmp_path / "site")
    build(cfg)
    second = snapshot(tmp_path / "site")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_a_second_load_and_build_in_the_same_process_gives_identical_pages(tmp_path):
    config = _rebuild_site(tmp_path)
    site = build_site(config)
    first = snapshot(site)
    build_site(config)
    second = snapshot(site)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_a_rebuild_of_the_same_config_sees_changed_postmortems(tmp_path):
    config = _rebuild_site(tmp_path)
    cfg = load_config(str(config))
    build(cfg)
    assert listed_ids(index(tmp_path / "site")) == ["2024-03-02-two", "2024-03-01-one"]
    folder = tmp_path / "postmortems"
    (folder / "2024-03-02-two.md").write_text(postmortem("2024-03-02-two", title="Renamed two"), encoding="utf-8")
    (folder / "2024-03-01-one.md").unlink()
    (folder / "2024-03-03-broken.md").unlink()
    (folder / "2024-03-04-three.md").write_text(postmortem("2024-03-04-three"), encoding="utf-8")
    build(cfg)
    site = tmp_path / "site"
    html = index(site)
    assert listed_ids(html) == ["2024-03-04-three", "2024-03-02-two"]
    assert "Renamed two" in html and "files-with-problems" not in html
    assert "pm-problems" not in page(site, "2024-03-02-two")
    assert "<h1>Renamed two</h1>" in page(site, "2024-03-02-two")
    assert not (site / "postmortems" / "2024-03-01-one").exists()


# --------------------------------------------------------------------------------------------------
# Sources stay untouched


def _tree(folder: Path) -> dict[str, tuple]:
    return {
        p.relative_to(folder).as_posix(): (p.is_dir(), p.stat().st_size if p.is_file() else 0, p.stat().st_mtime_ns)
        for p in [folder, *folder.rglob("*")]
    }


def test_a_build_never_writes_into_docs_or_postmortems(tmp_path):
    files = {
        "2024-03-01-one.md": postmortem("2024-03-01-one"),
        "2024-03-02-bad.md": postmortem("2024-03-02-bad", severity="SEV9"),
        "2024-03-03-broken.md": b"\x00",
        "notes.txt": "x\n",
    }
    config = make_site(tmp_path, files, docs={"guide/page.md": "# Page\n"})
    before = {name: _tree(tmp_path / name) for name in ("docs", "postmortems")}
    site = build_site(config)
    build_site(config)
    with pytest.raises(Abort):
        build_site(config, strict=True)
    run_cli("check", "-f", str(config))
    assert {name: _tree(tmp_path / name) for name in ("docs", "postmortems")} == before
    assert (site / "postmortems" / "2024-03-01-one" / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "mkdocs.yml", "postmortems", "site"]


# --------------------------------------------------------------------------------------------------
# The command line in the same process


def test_running_the_cli_in_process_does_not_weaken_a_later_strict_build(tmp_path, monkeypatch):
    """`postmortems check` quiets MkDocs' logger while it loads the config; it must restore it after."""
    config = make_site(tmp_path, PROBLEM_CASES["warning"])
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["check", "-f", "mkdocs.yml"]).exit_code == 0
    with pytest.raises(Abort):
        build_site(config, strict=True)

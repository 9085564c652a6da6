"""Rebuilds under `mkdocs serve`: the plugin object survives them, keeps each file's parse and checks, and lets
`--dirty` skip the pages whose inputs did not change. Whatever it reuses, a rebuild must give the site and the
diagnostics of a fresh build of the same files."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from site_support import REPO, snapshot

EXAMPLE = ("mkdocs.yml", "docs", "postmortems")
TODAY_FREE = "2026-02-17-basket-quantity-migration"  # named in `related` by 2025-03-11-orders-db-failover-maintenance


@pytest.fixture
def example(tmp_path):
    for name in EXAMPLE:
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, tmp_path / name)
    return tmp_path


def _build(config: Path, site: Path, dirty: bool, caplog) -> list[str]:
    """One build as `mkdocs serve` runs it (the plugin object is kept between builds); its diagnostics, in order."""
    caplog.clear()
    cfg = load_config(str(config), site_dir=str(site))
    cfg.plugins.on_startup(command="serve", dirty=dirty)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.mkdocs_postmortems"):
        build(cfg, dirty=dirty)
    return [r.getMessage() for r in caplog.records if r.name.startswith("mkdocs.plugins.mkdocs_postmortems")]


def _fresh(config: Path, site: Path, caplog) -> list[str]:
    """A build by a new plugin object, as `mkdocs build` in a new process."""
    MkDocsConfig.plugins.plugin_cache.clear()
    shutil.rmtree(site, ignore_errors=True)
    return _build(config, site, False, caplog)


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / f"{name}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = {
    "body": lambda folder: _edit(
        folder, TODAY_FREE, "## Summary", "## Summary\n\nOne more sentence, in the body only.\n"
    ),
    "front matter": lambda folder: _edit(folder, TODAY_FREE, "title: ", "title: Renamed "),
    "a broken related link elsewhere": lambda folder: (folder / f"{TODAY_FREE}.md").rename(
        folder / "2026-02-17-renamed.md"
    ),
    "a deleted file": lambda folder: (folder / f"{TODAY_FREE}.md").unlink(),
    "a new file": lambda folder: shutil.copy(folder / f"{TODAY_FREE}.md", folder / "2026-02-18-copy.md"),
}


class Served:
    """The example served in one process, as `mkdocs serve` and `mkdocs serve --dirty` run it, and fresh builds to
    compare with; shared by the edit cases of this module, since each build of the example takes a second.

    Each `serve` session keeps its plugin objects (as MkDocs keeps them between rebuilds) and its site folder from
    case to case: a case first undoes the last case's edit and rebuilds (which must give the fresh build of the
    example), then makes its own edit to the example as it is in git and rebuilds. A fresh build of each state of
    the sources, by new plugin objects as `mkdocs build` in a new process, is made once and serves both sessions."""

    def __init__(self, folder: Path):
        self.folder, self.sessions, self.fresh = folder, {}, {}
        self.pristine = {
            path.relative_to(folder): path.read_bytes()
            for path in (folder / "postmortems").rglob("*")
            if path.is_file()
        }
        self.edited: dict[bool, str | None] = {}  # the edit each session's last build saw (None: the example as in git)

    def restore(self) -> None:
        """The example's postmortems as in git: files back as they were (a new mtime, as git writes them), and
        files an edit added removed."""
        for path in [p for p in (self.folder / "postmortems").rglob("*") if p.is_file()]:
            if path.relative_to(self.folder) not in self.pristine:
                path.unlink()
        for name, data in self.pristine.items():
            path = self.folder / name
            if not path.is_file() or path.read_bytes() != data:
                path.write_bytes(data)

    def build(self, dirty: bool, caplog) -> list[str]:
        """A (re)build by session `dirty`'s plugin objects; its diagnostics."""
        MkDocsConfig.plugins.plugin_cache.clear()
        MkDocsConfig.plugins.plugin_cache.update(self.sessions.get(dirty, {}))
        site = self.folder / ("served-dirty" if dirty else "served")
        diagnostics = _build(self.folder / "mkdocs.yml", site, dirty, caplog)
        self.sessions[dirty] = dict(MkDocsConfig.plugins.plugin_cache)
        return diagnostics

    def site(self, dirty: bool) -> dict[str, bytes]:
        return snapshot(self.folder / ("served-dirty" if dirty else "served"))

    def expected(self, edit: str | None, caplog) -> tuple[list[str], dict[str, bytes]]:
        """The diagnostics and site of a fresh build of the sources as they are now: the example with `edit`."""
        if edit not in self.fresh:
            diagnostics = _fresh(self.folder / "mkdocs.yml", self.folder / "fresh", caplog)
            self.fresh[edit] = diagnostics, snapshot(self.folder / "fresh")
        return self.fresh[edit]

    def start(self, dirty: bool, caplog) -> None:
        """Session `dirty`, with its last build of the example as in git: its first build, or a rebuild undoing the
        last case's edit, which must give the site and the diagnostics of a fresh build."""
        if dirty in self.edited and self.edited[dirty] is None:
            return
        undoing = self.edited.get(dirty, "")
        self.restore()
        diagnostics = self.build(dirty, caplog)
        self.edited[dirty] = None
        if undoing:
            expected_diagnostics, expected = self.expected(None, caplog)
            rebuilt = self.site(dirty)
            assert diagnostics == expected_diagnostics, f"undoing {undoing!r}"
            if dirty:  # as in the edit cases: the search index is merged, a deleted page's HTML stays behind
                expected = {name: data for name, data in expected.items() if name != "search/search_index.json"}
            else:
                assert rebuilt.keys() == expected.keys(), f"undoing {undoing!r}"
            assert [name for name in expected if rebuilt.get(name) != expected[name]] == [], f"undoing {undoing!r}"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    for name in EXAMPLE:
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, folder / name)
    return Served(folder)


@pytest.mark.parametrize("dirty", [False, True], ids=["serve", "serve --dirty"])
@pytest.mark.parametrize("edit", list(EDITS))
def test_a_rebuild_after_an_edit_gives_the_site_and_diagnostics_of_a_fresh_build(served, caplog, edit, dirty):
    served.start(dirty, caplog)
    before = served.site(dirty)
    served.edited[dirty] = edit
    EDITS[edit](served.folder / "postmortems")
    diagnostics = served.build(dirty, caplog)
    rebuilt = served.site(dirty)
    expected_diagnostics, expected = served.expected(edit, caplog)
    expected = dict(expected)

    assert diagnostics == expected_diagnostics
    if edit == "a broken related link elsewhere":
        assert any("[unknown-related]" in line and TODAY_FREE in line for line in diagnostics)
    if dirty:  # the search index merges the rebuilt pages into the last one; a deleted page's HTML stays behind
        expected.pop("search/search_index.json", None)  # Material's, where the site lists it
        changed = [name for name in expected if before.get(name) != expected[name]]
        assert changed, "the edit changed no page"
        assert len(changed) < len(expected) / 2 or edit != "body"
    else:
        assert rebuilt.keys() == expected.keys()
    assert [name for name in expected if rebuilt[name] != expected[name]] == []


def test_dirty_rebuilds_only_the_pages_an_edit_of_a_body_changes(example, caplog, monkeypatch):
    from mkdocs.commands import build as mkdocs_build

    config, served = example / "mkdocs.yml", example / "served"
    MkDocsConfig.plugins.plugin_cache.clear()
    _build(config, served, True, caplog)
    EDITS["body"](example / "postmortems")
    rendered = []
    original = mkdocs_build._populate_page

    def populate(page, config, files, dirty=False):
        if not dirty or page.file.is_modified():
            rendered.append(page.file.src_uri)
        return original(page, config, files, dirty)

    monkeypatch.setattr(mkdocs_build, "_populate_page", populate)
    _build(config, served, True, caplog)
    ours = [
        uri
        for uri in rendered
        if uri.startswith(
            ("postmortems/", "root-causes/", "action-items/", "services/", "metrics/", "communications/", "status/")
        )
    ]
    assert ours == [f"postmortems/{TODAY_FREE}.md"]


def test_the_cache_reads_only_changed_files_and_forgets_deleted_ones(example):
    from mkdocs_postmortems.knowledge import KnowledgeCache, load_knowledge_base
    from mkdocs_postmortems.policy import Policy

    folder, cache, policy = example / "postmortems", KnowledgeCache(), Policy()
    first = load_knowledge_base(folder, policy, base=example, cache=cache)
    assert cache.misses == len(list(folder.glob("*.md"))) and cache.hits == 0
    EDITS["front matter"](folder)
    (folder / "2024-02-19-ingress-timeout-change.md").unlink()
    second = load_knowledge_base(folder, policy, base=example, cache=cache)
    assert cache.misses == 1 and cache.hits == len(list(folder.glob("*.md"))) - 1
    assert "postmortems/2024-02-19-ingress-timeout-change.md" not in cache.entries
    assert second.diagnostics == load_knowledge_base(folder, policy, base=example).diagnostics
    assert len(second.postmortems) == len(first.postmortems) - 1


# --------------------------------------------------------------------------------------------------
# check --changed-since parses only what the change involves


def _people_blamed(folder: Path) -> None:
    """A body naming a person who is only named in other files, as the subject of a failure."""
    _edit(folder, TODAY_FREE, "## Summary", "## Summary\n\nr.haddad forgot to check the migration.\n")


CHANGES = {
    "front matter": (["front matter"], [TODAY_FREE]),
    "blame naming someone from another file": ([_people_blamed], [TODAY_FREE]),
    "a deleted file named in related elsewhere": (["a deleted file"], [TODAY_FREE]),
    "a new file": (["a new file"], ["2026-02-18-copy"]),
    "a new file far from every other start": (
        [
            lambda folder: (folder / "1999-01-01-old.md").write_text(
                (folder / f"{TODAY_FREE}.md").read_text(encoding="utf-8").replace("started: 2026", "started: 1999", 1),
                encoding="utf-8",
            )
        ],
        ["1999-01-01-old"],
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_changed_since_gives_the_diagnostics_of_a_full_check(example, change):
    from mkdocs_postmortems.cli.options import load_policy
    from mkdocs_postmortems.knowledge import load_knowledge_base
    from mkdocs_postmortems.pull_requests.changes import diagnostics_of_changes, knowledge_base_of_changes

    edits, names = CHANGES[change]
    folder = example / "postmortems"
    policy, _ = load_policy(example / "mkdocs.yml")
    for edit in edits:
        (EDITS[edit] if isinstance(edit, str) else edit)(folder)
    changed = [folder / f"{name}.md" for name in names]
    full = diagnostics_of_changes(load_knowledge_base(folder, policy, base=example), changed, example)
    fast = diagnostics_of_changes(knowledge_base_of_changes(folder, policy, changed, base=example), changed, example)
    assert fast == full
    assert full or change in ("a new file", "front matter")

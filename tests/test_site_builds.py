"""`site_builds.py`: one site built again and again by a long-lived adapter. A rebuild reads only changed files,
says which pages' inputs are unchanged, notices when a postmortem's facts changed, writes a deployed build beside its
folder until it succeeds, and forgets the last build when one fails. Whole rebuilds under `mkdocs serve` are tested
in tests/test_incremental.py."""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import VALID, make_policy
from mkdocs_postmortems.site_builds import BUILD_COLLECTOR_THRESHOLD, SiteBuilds, template_stamps

PM = "2024-03-14-checkout-latency"
PAGE = f"postmortems/{PM}.md"


@dataclass
class Settings:
    site_dir: str
    site_name: str = "KB"
    site_url: str | None = None
    use_directory_urls: bool = True


@pytest.fixture(autouse=True)
def collector():
    """Builds here may begin without ending: the process's collector is as it was after each test."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.fixture
def root(tmp_path) -> Path:
    (tmp_path / "postmortems").mkdir()
    (tmp_path / "postmortems" / f"{PM}.md").write_text(VALID)
    (tmp_path / "postmortems" / "2024-03-20-other.md").write_text(VALID.replace("2024-03-14", "2024-03-20"))
    return tmp_path


def build(builds: SiteBuilds, root: Path, settings: Settings, staged: bool = False):
    builds.begin(settings, staged)
    kb = builds.knowledge_base(root, make_policy())
    site = builds.site(kb, ["index.md"], settings)
    return site


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    path.write_text(text.replace(old, new, 1))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))


def test_a_rebuild_of_the_same_files_has_every_page_unchanged(root):
    builds, settings = SiteBuilds(), Settings(str(root / "site"))
    first = build(builds, root, settings)
    assert not builds.unchanged(PAGE)  # nothing built before
    builds.succeeded()
    build(builds, root, settings)
    assert [page.uri for page in first.generated_pages() if not builds.unchanged(page.uri)] == []
    assert not builds.facts_changed() and builds.cache.hits == 2


def test_an_edit_of_a_body_changes_its_page_only_and_no_fact(root):
    builds, settings = SiteBuilds(), Settings(str(root / "site"))
    build(builds, root, settings)
    builds.succeeded()
    edit(root / "postmortems" / f"{PM}.md", "Checkouts were slow.", "Checkouts were very slow.")
    site = build(builds, root, settings)
    assert [page.uri for page in site.generated_pages() if not builds.unchanged(page.uri)] == [PAGE]
    assert not builds.facts_changed()


def test_an_edit_of_a_fact_changes_the_pages_that_show_it(root):
    builds, settings = SiteBuilds(), Settings(str(root / "site"))
    build(builds, root, settings)
    builds.succeeded()
    edit(root / "postmortems" / f"{PM}.md", "title: Checkout latency", "title: Checkout slowness")
    site = build(builds, root, settings)
    changed = [page.uri for page in site.generated_pages() if not builds.unchanged(page.uri)]
    assert PAGE in changed and "postmortems/index.md" in changed and builds.facts_changed()


def test_other_settings_or_a_failed_build_reuse_nothing(root):
    builds, settings = SiteBuilds(), Settings(str(root / "site"))
    build(builds, root, settings)
    builds.succeeded()
    build(builds, root, Settings(str(root / "site"), site_name="Another"))
    assert not builds.unchanged(PAGE)
    builds.succeeded()
    build(builds, root, settings)
    assert builds.failed(RuntimeError("a plugin failed")) is None  # nothing staged: nothing to say
    build(builds, root, settings)
    assert not builds.unchanged(PAGE)  # the failed build's pages may be half written


def test_a_staged_build_writes_beside_its_folder_until_it_succeeds(root):
    builds, settings = SiteBuilds(), Settings(str(root / "site"))
    (root / "site").mkdir()
    (root / "site" / "last-good.html").write_text("last good")
    build(builds, root, settings, staged=True)
    assert settings.site_dir != str(root / "site") and Path(settings.site_dir).parent == root
    (Path(settings.site_dir) / "new.html").write_text("new")
    builds.succeeded()
    assert settings.site_dir == str(root / "site") and os.listdir(root / "site") == ["new.html"]
    build(builds, root, settings, staged=True)
    staged = Path(settings.site_dir)
    builds.failed(RuntimeError("the build failed"))
    assert settings.site_dir == str(root / "site") and not staged.exists()
    assert os.listdir(root / "site") == ["new.html"]


def test_templates_of_ours_are_stamped_and_an_edited_override_renders_again(tmp_path):
    (tmp_path / "overrides" / "postmortems").mkdir(parents=True)
    override = tmp_path / "overrides" / "postmortems" / "postmortem.html"
    override.write_text("{% extends 'postmortems/base/postmortem.html' %}")
    stamps = template_stamps([str(tmp_path / "overrides"), str(tmp_path / "missing")])
    assert [path for path, _ in stamps] == [str(override)]
    edit(override, "extends", "extends ")
    assert template_stamps([str(tmp_path / "overrides")]) != stamps
    builds = SiteBuilds()
    env = builds.env
    builds.use_templates([str(tmp_path / "overrides")])
    assert builds.env is not env
    kept = builds.env
    builds.use_templates([str(tmp_path / "overrides")])
    assert builds.env is kept  # the same folders: the compiled templates outlive the rebuild


def test_a_template_edited_between_builds_renders_again_though_jinja_does_not_look(root, tmp_path):
    included = tmp_path / "overrides" / "postmortems" / "base" / "header.html"  # included by postmortem.html
    included.parent.mkdir(parents=True)
    included.write_text("<p>first header</p>")
    builds, settings = SiteBuilds(), Settings(str(tmp_path / "site"))
    builds.use_templates([str(tmp_path / "overrides")])
    assert "first header" in build(builds, root, settings).render(PAGE).before
    builds.succeeded()
    assert "first header" in build(builds, root, settings).render(PAGE).before  # kept: nothing was edited
    builds.succeeded()
    edit(included, "first", "second")
    assert "second header" in build(builds, root, settings).render(PAGE).before


@pytest.mark.parametrize("ends", ["succeeded", "failed"])
def test_the_collector_runs_rarely_during_a_build_and_as_before_after_it(root, tmp_path, ends):
    before = gc.get_threshold()
    builds = SiteBuilds()
    builds.begin(Settings(str(tmp_path / "site")), staged=False)
    assert gc.get_threshold() == BUILD_COLLECTOR_THRESHOLD != before
    builds.knowledge_base(root, make_policy())
    assert gc.get_freeze_count() > 0  # the knowledge base lives to the end of the build
    builds.succeeded() if ends == "succeeded" else builds.failed(RuntimeError("a page failed"))
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0

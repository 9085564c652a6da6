"""The example knowledge base built by every engine we support, each as its user runs it: `mkdocs build` and
`properdocs build` with the plugin, `zensical build` from `postmortems generate`. Each site must have a page per
shown postmortem, every cross-incident page and export, links that all resolve, and search that finds a word
that only a root cause says. Under CI a missing engine fails these tests instead of skipping them."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import skip_or_fail
from history_support import indexed
from site_support import REPO, index, links_of, listed_ids, page, resolve

pytestmark = pytest.mark.engines

SOURCES = ("mkdocs.yml", "mkdocs.public.yml", "docs", "postmortems")
SEARCH_INDEX = {  # the plugin's engines search with Pagefind (site_search.py); Zensical with its own
    "mkdocs": "pagefind/pagefind-entry.json",
    "properdocs": "pagefind/pagefind-entry.json",
    "zensical": "search.json",
}
CROSS_INCIDENT = (
    "postmortems/index.html",
    "root-causes/index.html",
    "action-items/index.html",
    "services/index.html",
    "metrics/index.html",
    "communications/index.html",
    "status/index.html",
)
EXPORTS = (
    "postmortems/index.json",
    "action-items/action-items.json",
    "action-items/action-items.csv",
    "assets/postmortems/postmortems.css",
)


def _status(path: Path) -> str | None:
    """The `status:` of a postmortem by plain text search in its front matter (None if there is none): an oracle
    independent of the parser."""
    match = re.match(r"---\n(.*?)\n---", path.read_text(encoding="utf-8", errors="replace"), re.S)
    status = re.search(r"^status:[ \t]*[\"']?([\w-]+)", match.group(1), re.M) if match else None
    return status.group(1) if status else None


EXAMPLE = sorted((REPO / "postmortems").glob("*.md"))
SHOWN = sorted(p.stem for p in EXAMPLE if _status(p) not in (None, "draft"))
DRAFTS = sorted(p.stem for p in EXAMPLE if _status(p) == "draft")
# a live incident and a planned maintenance have no root-cause analysis (yet)
ANALYSED = sorted(p.stem for p in EXAMPLE if re.search(r"^root_causes:", p.read_text(encoding="utf-8"), re.M))


def _run(*command: str, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"},
    )
    assert done.returncode == 0, f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


def _engine_command(engine: str) -> list[str]:
    module = {"mkdocs": "mkdocs", "properdocs": "properdocs", "zensical": "zensical"}[engine]
    if importlib.util.find_spec(module) is None:
        skip_or_fail(f"{engine} is not installed (pip install -e '.[test]' installs it)")
    return [sys.executable, "-m", module]


@pytest.fixture(scope="module", params=["mkdocs", "properdocs", "zensical"])
def built(request, tmp_path_factory) -> tuple[str, Path]:
    """The example, copied and built by one engine, strictly: (engine, site folder)."""
    engine = request.param
    command = _engine_command(engine)
    root = tmp_path_factory.mktemp(engine)
    for name in SOURCES:
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, root / name)
    if engine == "zensical":
        _run(sys.executable, "-m", "mkdocs_postmortems.cli", "generate", "out", "--strict", cwd=root)
        _run(*command, "build", "-f", "out/mkdocs.yml", "--strict", cwd=root)
        return engine, root / "out" / "site"
    _run(*command, "build", "--strict", "-f", "mkdocs.yml", "-d", "site", cwd=root)
    return engine, root / "site"


def test_a_page_per_shown_postmortem_and_none_for_drafts(built):
    engine, site = built
    assert SHOWN, "the example has no published or in-review postmortems"
    for pm_id in SHOWN:
        html = page(site, pm_id)
        assert 'class="pm-card"' in html and "pm-problems" not in html, (engine, pm_id)
        assert bool(
            re.search(r'<h2 id="root-causes">Root causes(<a class="headerlink"[^>]*>[^<]*</a>)?</h2>', html)
        ) is (pm_id in ANALYSED), (engine, pm_id)
        assert ('href="#root-causes"' in html) is (pm_id in ANALYSED), (engine, pm_id)  # and the contents list it
    for pm_id in DRAFTS:
        assert not (site / "postmortems" / pm_id).exists(), (engine, pm_id)
    assert sorted(listed_ids(index(site))) == SHOWN, engine
    assert "files-with-problems" not in index(site), engine


def test_every_cross_incident_page_and_export(built):
    engine, site = built
    for path in (*CROSS_INCIDENT, *EXPORTS):
        assert (site / path).is_file(), (engine, path)
    assert (
        sorted(pm["id"] for pm in json.loads((site / EXPORTS[0]).read_text(encoding="utf-8"))["postmortems"]) == SHOWN
    ), engine
    stylesheet = "assets/postmortems/postmortems.css"
    assert stylesheet in (site / "postmortems" / "index.html").read_text(encoding="utf-8"), engine


def test_every_link_of_every_page_resolves(built):
    engine, site = built
    checked = 0
    for html_file in site.rglob("*.html"):
        if html_file.name == "404.html":  # served at any depth: its links are root-relative by design
            continue
        from_page = html_file.relative_to(site).as_posix().removesuffix("index.html")
        for href, _ in links_of(html_file.read_text(encoding="utf-8")):
            if re.match(r"^(?:[a-z][a-z0-9+.-]*:|#|//)", href):
                continue
            assert resolve(site, from_page, href).exists(), (engine, from_page, href)
            checked += 1
    assert checked > 500, (engine, checked)


def test_search_finds_a_word_only_a_root_cause_says(built):
    """A word of a root cause's summary that the postmortem's body never uses is searchable only if the engine
    indexed the plugin's tables (or their compact text)."""
    engine, site = built
    pm_id = "2024-10-27-delivery-slot-dst-overbooking"
    front, body = (REPO / "postmortems" / f"{pm_id}.md").read_text(encoding="utf-8").split("\n---\n", 1)
    summaries = " ".join(cause["summary"] for cause in yaml.safe_load(front.removeprefix("---\n"))["root_causes"])
    word = next(w for w in re.findall(r"[a-z]{6,}", summaries.lower()) if w not in body.lower())
    if engine == "zensical":
        data = json.loads((site / SEARCH_INDEX[engine]).read_text(encoding="utf-8"))
        entries = data.get("docs") or data.get("items")
    else:  # each page's fragment; a service's or a category's record links its page, and is no page's text
        assert (site / SEARCH_INDEX[engine]).is_file()
        found = indexed(site).items()
        entries = [{"location": url, "text": page["content"]} for url, page in found if not page["meta"].get("kind")]
    hits = {entry["location"].split("#")[0] for entry in entries if word in entry["text"].lower()}
    assert f"postmortems/{pm_id}/" in hits, (engine, word, sorted(hits)[:5])
    cross = {entry["location"].split("#")[0] for entry in entries} & {"root-causes/", "action-items/"}
    assert not cross, (engine, cross)  # cross-incident pages repeat the postmortems: out of search

"""`site_search.py`: Pagefind serves the knowledge base's search unless the site lists a search plugin of its own; it
indexes the pages whose front matter keeps them in search and a short record per service and root-cause category,
and fails a build in one line when it cannot. The example's index (built once per session) holds every postmortem,
no cross-incident page, and a record for each service and category that links a page (or section) that exists.

The browser side (the header's search box, ranking, axe) is in test_site_search_browser.py; what a first view and
a query download, in test_site_search_budget.py."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from conftest import REPO, VALID
from history_support import build, indexed
from mkdocs_postmortems.policy import Policy
from mkdocs_postmortems.render import PageSpec
from mkdocs_postmortems.site_search import (
    NAME_WEIGHT,
    NamedRecord,
    SearchNotWritten,
    SiteSearch,
    _path_of,
    excluded,
    named_records,
    serves_search,
    write_index,
)
from mkdocs_postmortems.staging import SiteNotWritten
from site_support import build_site


@pytest.mark.parametrize(
    "plugins, public, serves",
    [
        (["postmortems"], False, True),
        (["search", "postmortems"], False, False),
        (["material/search", "postmortems"], False, False),
        (["postmortems", "tags"], True, False),  # the public status site has no search
    ],
)
def test_pagefind_serves_search_unless_the_site_has_a_search_plugin_or_is_public(plugins, public, serves):
    assert serves_search(Policy(public_site=public), plugins) is serves


@pytest.mark.parametrize(
    "front_matter, out",
    [({}, False), ({"search": {"exclude": True}}, True), ({"search": {"boost": 2}}, False), ({"search": "x"}, False)],
)
def test_a_page_is_left_out_only_when_its_front_matter_says_so(front_matter, out):
    assert excluded(front_matter) is out


def test_a_disabled_site_search_collects_nothing():
    search = SiteSearch()
    search.begin(False)
    search.add("a/", "site/a/index.html", {})
    assert search.pages == {}


def test_a_build_that_writes_only_what_changed_keeps_the_other_pages_and_the_index(tmp_path):
    site, settings = SimpleNamespace(renderer=SimpleNamespace(specs={})), SimpleNamespace(use_directory_urls=True)
    settings.site_dir = str(tmp_path / "site")
    a, b = (
        _page(tmp_path / "site" / "a" / "index.html", "A", "alpha"),
        _page(tmp_path / "site" / "b" / "index.html", "B", "beta"),
    )
    search = SiteSearch()
    search.begin(True, keep=True)  # the first build of `serve --dirty` writes every page, and the index
    search.add("a/", a, {})
    search.add("b/", b, {})
    search.write(site, settings)
    assert set(indexed(tmp_path / "site")) == {"a/", "b/"}
    search.begin(True, keep=True)  # a save: only b is written again, and now leaves search
    search.add("b/", b, {"search": {"exclude": True}})
    assert search.pages == {"a/": a} and not search.refresh
    search.write(site, settings)
    assert set(indexed(tmp_path / "site")) == {"a/", "b/"}  # the session's index, until a full build
    search.begin(True)  # a build that writes every page
    assert search.pages == {} and search.refresh


def _specs(split: bool) -> list[PageSpec]:
    service = SimpleNamespace(name="checkout", description="Basket & pricing")
    categories = [
        SimpleNamespace(name="config-change", description="A flag"),
        SimpleNamespace(name="data", description=""),
    ]
    specs = [
        PageSpec("services/checkout.md", "Service: checkout", "service", {"service": service}),
        PageSpec(
            "root-causes/index.md", "Root causes", "root-causes", {"indexes": SimpleNamespace(categories=categories)}
        ),
    ]
    if split:
        specs += [
            PageSpec("root-causes/config-change.md", "Root causes: config-change", "category",
                     {"category": categories[0], "pager": {"at": 0}}),
            PageSpec("root-causes/config-change/2.md", "Root causes: config-change, page 2", "category",
                     {"category": categories[0], "pager": {"at": 1}}),
        ]  # fmt: skip
    return specs


def test_each_service_and_category_has_a_record_linking_its_page_or_its_section():
    records = {record.name: record for record in named_records(_specs(split=False))}
    assert records["checkout"] == NamedRecord("Service", "checkout", "Basket & pricing", "services/checkout/")
    assert records["config-change"].link == "root-causes/#category-config-change"
    assert records["data"].kind == "Root-cause category"
    split = {record.name: record.link for record in named_records(_specs(split=True), directory_urls=False)}
    assert split == {
        "checkout": "services/checkout.html",
        "config-change": "root-causes/config-change.html",  # its first page, not its second
        "data": "root-causes/index.html#category-data",
    }


def test_a_record_is_the_name_at_the_highest_weight_escaped():
    html = NamedRecord("Service", "<b>x</b>", 'a "b" & c', 'services/x"y/').html("de")
    assert '<html lang="de">' in html and f'data-pagefind-weight="{NAME_WEIGHT}">&lt;b&gt;x&lt;/b&gt;</h1>' in html
    assert "a &quot;b&quot; &amp; c" in html and 'link:services/x&quot;y/"' in html and "<b>" not in html


@pytest.mark.parametrize(
    "url, path",
    [
        ("", "index.html"),
        ("./", "./index.html"),
        ("postmortems/a/", "postmortems/a/index.html"),
        ("postmortems/a.html", "postmortems/a.html"),
        ("caf%C3%A9/", "café/index.html"),
        ("a/#x", "a/index.html"),
    ],
)
def test_a_page_url_is_served_from_its_file(url, path):
    assert _path_of(url) == path


def _page(path: Path, title: str, words: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'<!DOCTYPE html><html lang="en"><body><nav>navigation words</nav><article class="md-content__inner">'
        f'<h1>{title}</h1><p>{words}</p><a class="headerlink">¶</a><div class="pm-related">elsewhere</div>'
        "</article></body></html>",
        encoding="utf-8",
    )
    return str(path)


def test_only_the_pages_given_and_the_records_are_indexed_and_only_their_content(tmp_path):
    site = tmp_path / "site"
    kept = _page(site / "a" / "index.html", "Alpha", "pool exhaustion")
    _page(site / "b" / "index.html", "Beta", "never indexed")  # written, but not handed to the index
    (site / "pagefind").mkdir()
    (site / "pagefind" / "stale.txt").write_text("from the last build")
    write_index(site, [("a/", kept)], [NamedRecord("Service", "checkout", "Basket", "services/checkout/")])
    found = indexed(site)
    assert set(found) == {"a/", "services/checkout/"}
    assert found["a/"]["meta"]["title"] == "Alpha" and "pool exhaustion" in found["a/"]["content"]
    assert not {"navigation", "elsewhere", "¶"} & set(found["a/"]["content"].replace(".", " ").split())
    assert found["services/checkout/"]["meta"] == {"title": "checkout", "kind": "Service", "link": "services/checkout/"}
    assert not (site / "pagefind" / "stale.txt").exists()
    assert [path.name for path in tmp_path.iterdir()] == ["site"]  # the scratch folder is gone


def test_nothing_to_index_writes_no_index(tmp_path):
    (tmp_path / "pagefind").mkdir()
    write_index(tmp_path, [], [])
    assert not (tmp_path / "pagefind").exists()


def test_a_missing_or_failing_pagefind_fails_the_build_in_one_line(tmp_path, monkeypatch):
    import pagefind.service

    page = _page(tmp_path / "a" / "index.html", "A", "b")
    monkeypatch.setattr(pagefind.service, "get_executable", lambda: None)
    with pytest.raises(SearchNotWritten, match=r"pip install 'pagefind\[bin\]'") as missing:
        write_index(tmp_path, [("a/", page)], [])
    assert isinstance(missing.value, SiteNotWritten)  # a refusal the adapters report in one line
    monkeypatch.setattr(pagefind.service, "get_executable", lambda: Path("/bin/false"))
    with pytest.raises(SearchNotWritten, match=r"Pagefind failed \(exit 1\)"):
        write_index(tmp_path, [("a/", page)], [])


# --------------------------------------------------------------------------------------------------
# The example's index


def test_the_example_is_searched_with_pagefind_not_material(example_site):
    assert not (example_site / "search" / "search_index.json").exists()
    entry = json.loads((example_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["en"]
    home = (example_site / "index.html").read_text(encoding="utf-8")
    assert "assets/postmortems/search.js" in home and 'data-md-component="search"' not in home


def test_the_example_index_holds_every_postmortem_and_no_cross_incident_page(example_site):
    found = indexed(example_site)
    shown = {path.parent.name for path in (example_site / "postmortems").glob("2*/index.html")}
    assert {url.split("/")[1] for url in found if url.startswith("postmortems/")} == shown
    for uri in ("root-causes/", "action-items/", "services/", "metrics/", "postmortems/", "services/checkout/",
                "postmortems/tag/kubernetes/", "communications/", "status/"):  # fmt: skip
        assert uri not in found or found[uri]["meta"].get("kind"), uri  # only a named record may link there
    assert "browsing/" in found and "" in found  # the manual and the home page are searched
    pm_id = "2025-09-10-notification-email-backlog"
    assert "default-deny egress NetworkPolicy" in found[f"postmortems/{pm_id}/"]["content"]  # a root cause's words


def test_the_example_has_a_record_for_each_service_and_category_linking_what_exists(example_site):
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["plugins"]["postmortems"]
    records = {f["meta"]["title"]: f["meta"] for f in indexed(example_site).values() if f["meta"].get("kind")}
    services = {s["name"] for s in config["services"]}
    categories = {c["name"] for c in config["root_cause_categories"]}
    assert {name for name, meta in records.items() if meta["kind"] == "Service"} == services
    assert {name for name, meta in records.items() if meta["kind"] == "Root-cause category"} == categories
    for name, meta in records.items():
        page, _, anchor = meta["link"].partition("#")
        html = (example_site / page / "index.html").read_text(encoding="utf-8")
        assert not anchor or f'id="{anchor}"' in html, (name, meta["link"])
    assert records["checkout"]["link"] == "services/checkout/"


def test_a_site_with_material_search_keeps_it_and_a_page_out_of_search_stays_out(tmp_path):
    from cli_support import CONFIG

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nWelcome.\n")
    (tmp_path / "docs" / "private.md").write_text("---\nsearch:\n  exclude: true\n---\n# Private\n\nHidden words.\n")
    (tmp_path / "postmortems").mkdir()
    (tmp_path / "postmortems" / "2024-03-14-checkout-latency.md").write_text(VALID)
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    site = build(tmp_path / "mkdocs.yml")
    found = indexed(site)
    assert "postmortems/2024-03-14-checkout-latency/" in found and "" in found and "private/" not in found
    assert not (site / "search").exists()

    (tmp_path / "mkdocs.yml").write_text(CONFIG.replace("plugins:\n", "plugins:\n  - search\n"))
    site = build(tmp_path / "mkdocs.yml")
    assert (site / "search" / "search_index.json").is_file() and not (site / "pagefind").exists()
    assert "search.js" not in (site / "index.html").read_text(encoding="utf-8")


def test_with_materials_search_the_example_keeps_its_index_lean_and_cross_incident_pages_out(tmp_path):
    """A site that lists `search` keeps Material's search. Its index of the example is within 1.2x of the same site
    without the plugin (the same docs, every postmortem file a plain page out of the nav): a postmortem gives it its
    root causes, action items, services and impact as compact text, and the cross-incident pages stay out."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    kept = tmp_path / "kept"
    for name in ("docs", "postmortems"):
        shutil.copytree(REPO / name, kept / name)
    (kept / "mkdocs.yml").write_text(
        yaml.safe_dump({**config, "plugins": {"search": {}, **config["plugins"]}}), encoding="utf-8"
    )
    site = build_site(kept / "mkdocs.yml")
    assert not (site / "pagefind").exists()
    docs = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    locations = {doc["location"].split("#")[0] for doc in docs}
    for uri in ("root-causes/", "action-items/", "services/", "metrics/", "postmortems/", "services/checkout/",
                "postmortems/tag/kubernetes/"):  # fmt: skip
        assert uri not in locations, uri
    texts = " ".join(doc["text"] for doc in docs if doc["location"].startswith("postmortems/2025-09-10"))
    assert "default-deny egress NetworkPolicy" in texts  # a root-cause summary is searchable on its postmortem

    bare = tmp_path / "bare"
    shutil.copytree(REPO / "docs", bare / "docs")
    shutil.copytree(REPO / "postmortems", bare / "docs" / "postmortems")

    def nav(entries):  # the nav without the plugin's pages, its sections (the manual) kept
        for entry in entries:
            ((title, target),) = entry.items()
            if isinstance(target, list):
                yield {title: list(nav(target))}
            elif (bare / "docs" / target).exists():
                yield entry

    baseline = {**config, "plugins": ["search"], "nav": list(nav(config["nav"])), "not_in_nav": "/postmortems/"}
    (bare / "mkdocs.yml").write_text(yaml.safe_dump(baseline), encoding="utf-8")
    ratio = (site / "search/search_index.json").stat().st_size / (
        build_site(bare / "mkdocs.yml") / "search/search_index.json"
    ).stat().st_size
    assert 1.0 < ratio <= 1.2, ratio


def test_two_builds_write_the_same_index(example_site, tmp_path):
    """Pagefind names its files by their content: the same pages give the same files, byte for byte."""
    pages = [(url, str(example_site / url / "index.html")) for url in ("", "browsing/")]
    for name in ("one", "two"):
        write_index(tmp_path / name / "site", pages, [NamedRecord("Service", "checkout", "", "services/checkout/")])
    one, two = (
        {path.relative_to(root): path.read_bytes() for path in root.rglob("*") if path.is_file()}
        for root in (tmp_path / "one" / "site", tmp_path / "two" / "site")
    )
    assert one == two and len(one) > 5


def test_the_public_status_site_has_no_search(public_example_site):
    assert not (public_example_site / "pagefind").exists()
    assert not (public_example_site / "search" / "search_index.json").exists()
    assert "search.js" not in (public_example_site / "index.html").read_text(encoding="utf-8")


def test_fragments_are_gzip_behind_a_signature(example_site):
    """`history_support.indexed` reads Pagefind's fragments as Pagefind 1.x writes them; if an upgrade changes that,
    this says so first."""
    fragment = next((example_site / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert re.match(rb"pagefind_dcd\{", gzip.decompress(fragment.read_bytes()))

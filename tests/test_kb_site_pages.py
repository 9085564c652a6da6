"""`kb_site/pages.py`, the cross-incident pages, in built sites: every page and link exists, exports parse, builds
repeat byte for byte, users can add text and override templates, and front matter stays text. What search holds of
them is tests/test_site_search.py's."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
import yaml

from site_support import IMG, REPO, SCRIPT, build_site, links_of, make_site, postmortem, resolve, section, snapshot

PAGES = [
    "root-causes/index.html",
    "action-items/index.html",
    "services/index.html",
    "metrics/index.html",
    "postmortems/index.html",
]


def copy_example(root: Path) -> Path:
    for name in ("docs", "postmortems"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root / "mkdocs.yml"


@pytest.fixture(scope="module")
def example(example_site) -> Path:
    """The example, built under `--strict` once per session (conftest's `example_site`)."""
    return example_site


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_is_built_and_every_internal_link_resolves(example):
    for name in PAGES:
        assert (example / name).is_file(), name
    for name in (
        "services/platform-k8s/index.html",
        "postmortems/severity/sev1/index.html",
        "postmortems/year/2025/index.html",
        "postmortems/tag/kubernetes/index.html",
        "postmortems/service/checkout/index.html",
    ):
        assert (example / name).is_file(), name
    broken = []
    for path in html_pages(example):
        from_page = path.relative_to(example).as_posix()
        for href, _ in links_of(path.read_text(encoding="utf-8")):
            if href.startswith(("http:", "https:", "mailto:", "#", "/")):
                continue
            if not resolve(example, from_page, href).exists():
                broken.append((from_page, href))
    assert not broken, broken[:10]


def test_home_page_links_every_cross_incident_page(example):
    home = (example / "index.html").read_text(encoding="utf-8")
    targets = {resolve(example, "index.html", href) for href, _ in links_of(home)}
    for name in PAGES:
        assert example / name in targets, name


def test_filter_pages_list_exactly_the_matching_postmortems(example):
    raw = {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1])
        for p in (REPO / "postmortems").glob("*.md")
    }
    shown = {pm_id: v for pm_id, v in raw.items() if v["status"] != "draft"}
    listing = (example / "postmortems/service/platform-k8s/index.html").read_text(encoding="utf-8")
    listed = {href.strip("./").split("/")[-1] for href, _ in links_of(section(listing, "pm-index"))}
    assert listed == {pm_id for pm_id, v in shown.items() if "platform-k8s" in v["services"]}
    index = (example / "postmortems/index.html").read_text(encoding="utf-8")
    assert f"SEV2 ({sum(v.get('severity') == 'SEV2' for v in shown.values())})" in index


def test_exports_parse_and_point_at_pages(example):
    data = json.loads((example / "postmortems/index.json").read_text(encoding="utf-8"))
    assert len(data["postmortems"]) == len(list((example / "postmortems").glob("2*/index.html")))
    for record in data["postmortems"]:
        assert (example / record["url"] / "index.html").is_file()
    items = json.loads((example / "action-items/action-items.json").read_text(encoding="utf-8"))["action_items"]
    rows = list(csv.DictReader((example / "action-items/action-items.csv").open(encoding="utf-8", newline="")))
    assert [row["id"] for row in rows] == [item["id"] for item in items]
    assert len(items) == sum(len(record["action_items"]) for record in data["postmortems"])
    page_of_first = items[0]["url"].split("#")[0]
    assert f'id="{items[0]["url"].split("#")[1]}"' in (example / page_of_first / "index.html").read_text(
        encoding="utf-8"
    )


def test_two_builds_of_the_example_are_byte_identical(example, tmp_path):
    again = build_site(copy_example(tmp_path), strict=True)
    first, second = snapshot(example), snapshot(again)
    for name in ("postmortems/index.json", "action-items/action-items.csv", "action-items/action-items.json"):
        first[name], second[name] = (example / name).read_bytes(), (again / name).read_bytes()
    assert first.keys() == second.keys() and [n for n in first if first[n] != second[n]] == []


def test_a_page_of_the_users_keeps_its_text_and_templates_can_be_overridden(tmp_path):
    (tmp_path / "overrides" / "postmortems").mkdir(parents=True)
    (tmp_path / "overrides" / "postmortems" / "metrics.html").write_text(
        '<p class="our-metrics">{{ count }} incidents, our way.</p>\n', encoding="utf-8"
    )
    config = make_site(
        tmp_path,
        {"2024-03-14-one.md": postmortem("2024-03-14-one")},
        config={"theme": {"name": "material", "font": False, "custom_dir": "overrides"}},
        docs={"root-causes/index.md": "# Why things break\n\nOur taxonomy is explained in the handbook.\n"},
    )
    site = build_site(config, strict=True)
    causes = (site / "root-causes/index.html").read_text(encoding="utf-8")
    assert "Why things break</h1>" in causes and "Our taxonomy is explained" in causes
    assert causes.index("Our taxonomy is explained") < causes.index('id="recurring"')
    assert ">Root causes</h1>" not in causes  # the user's heading, not a second one of ours
    assert '<p class="our-metrics">1 incidents, our way.</p>' in (site / "metrics/index.html").read_text(
        encoding="utf-8"
    )


def test_front_matter_stays_text_on_every_cross_incident_page(tmp_path):
    hostile = postmortem(
        "2024-03-14-hostile",
        tags=[SCRIPT, IMG],
        title=f"Outage {SCRIPT}",
        root_causes=[{"id": "c", "kind": "causal", "category": "capacity", "summary": f"Cause {IMG}"}],
        action_items=[
            {
                "title": f"Fix {SCRIPT}",
                "owner": f"=cmd|{IMG}",
                "priority": "P1",
                "due": "2099-01-01",
                "status": "open",
                "addresses": ["c"],
            }
        ],
    )
    site = build_site(make_site(tmp_path, {"2024-03-14-hostile.md": hostile}))
    pages = [p for p in html_pages(site) if "search" not in p.parts]
    assert len([p for p in pages if "/tag/" in p.as_posix()]) == 2
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert SCRIPT not in html and "<img src=x" not in html, path
    tag_page = next(p for p in pages if "/tag/" in p.as_posix() and "script" in p.as_posix())
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in tag_page.read_text(encoding="utf-8")
    rows = list(csv.DictReader((site / "action-items/action-items.csv").open(encoding="utf-8", newline="")))
    assert rows[0]["owner"].startswith("'=")


def test_automatic_nav_holds_only_the_index_which_links_the_cross_incident_pages(tmp_path):
    config = make_site(tmp_path, {"2024-03-14-one.md": postmortem("2024-03-14-one", tags=["db"])})
    site = build_site(config, strict=True)
    home = (site / "index.html").read_text(encoding="utf-8")
    nav = {resolve(site, "index.html", href).relative_to(site).as_posix() for href, in_nav in links_of(home) if in_nav}
    assert nav & set(PAGES) == {"postmortems/index.html"}
    assert not any(name.startswith(("postmortems/2024", "postmortems/tag", "services/")) for name in nav)
    listing = (site / "postmortems/index.html").read_text(encoding="utf-8")
    linked = {
        resolve(site, "postmortems/index.html", href).relative_to(site).as_posix() for href, _ in links_of(listing)
    }
    assert set(PAGES) - {"postmortems/index.html"} <= linked


def test_no_page_shows_a_drafts_title(example):
    drafts = [
        yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1]) for p in (REPO / "postmortems").glob("*.md")
    ]
    titles = [v["title"] for v in drafts if v["status"] == "draft"]
    assert titles
    files = [p for p in example.rglob("*") if p.suffix in (".html", ".json", ".csv")]
    leaks = [
        (p.relative_to(example).as_posix(), t) for p in files for t in titles if t in p.read_text(encoding="utf-8")
    ]
    assert leaks == []
    assert "not published: draft" in (
        example / "postmortems/2024-10-27-delivery-slot-dst-overbooking/index.html"
    ).read_text(encoding="utf-8")


def test_communications_page_lists_who_was_told_and_what_is_owed(example, tmp_path):
    html = (example / "communications/index.html").read_text(encoding="utf-8")
    row = html[html.index("2025-05-16-duplicate-card-charges/") :]
    row = row[: row.index("</tr>")]
    assert row.count("regulator portal") == 1 and "email" in row and "—</td>" in row  # reported, nothing owed
    assert "Nothing is owed." in html
    # the same knowledge base without the regulator reports owes one, by the day count of a site with no regime (the
    # example's regimes judge the ledger by their clocks instead: `checks/regulatory.py`)
    config = copy_example(tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace("regimes: [dora, gdpr]", "regimes: []"))
    path = tmp_path / "postmortems" / "2025-05-16-duplicate-card-charges.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("audience: regulators", "audience: internal"), encoding="utf-8"
    )
    owing = build_site(tmp_path / "mkdocs.yml").joinpath("communications/index.html").read_text(encoding="utf-8")
    assert "1 incident still owes a notice." in owing and "regulators: missing" in owing


def test_an_imported_records_page_says_where_it_came_from_and_that_nobody_reviewed_it(tmp_path):
    """No review state it never had, no "Reviewers: unknown", no review banner: "Imported from …, never reviewed"."""
    imported = postmortem(
        "2024-03-14-imported",
        status="imported",
        reviewers=None,
        authors=None,
        provenance={
            "format": "cstate",
            "source": "content/issues/2024-03-14-api-down.md",
            "original_id": "2024-03-14-api-down",
            "imported_on": "2026-11-22",
            "unknown": ["authors", "reviewers", "published_on"],
        },
    )
    origin = yaml.safe_load(imported.split("---")[1])["provenance"]
    reviewed = postmortem("2024-03-15-reviewed", provenance={**origin, "unknown": ["published_on"]})
    site = build_site(make_site(tmp_path, {"2024-03-14-imported.md": imported, "2024-03-15-reviewed.md": reviewed}))
    html = (site / "postmortems" / "2024-03-14-imported" / "index.html").read_text(encoding="utf-8")
    card = section(html, "pm-card", "</small></p></div>")
    assert (
        "<dt>Review</dt><dd>Imported from cstate (content/issues/2024-03-14-api-down.md) on 2026-11-22, never reviewed"
        "</dd>" in card
    )
    assert "<dt>Reviewers</dt>" not in card and "<dt>Authors</dt><dd>unknown</dd>" in card
    assert 'title="Status: imported history, never reviewed here">imported</span>' in card
    assert "Its ID there: 2024-03-14-api-down." in card and "pm-review-banner" not in html
    # a record imported, then reviewed and published by a person, names its reviewers and its origin as before
    other = (site / "postmortems" / "2024-03-15-reviewed" / "index.html").read_text(encoding="utf-8")
    assert "<dt>Reviewers</dt><dd>bob</dd>" in other and "never reviewed" not in other
    assert "Imported from cstate (content/issues/2024-03-14-api-down.md, 2024-03-14-api-down) on 2026-11-22" in other

"""#14 item 2: no page grows with the history. Long lists are split into pages as docs/browsing.md ("Long
histories") says, and the complete data stays in the exports.

Synthetic knowledge bases (benchmarks/synthetic.py) are built with small `PAGE_ROWS`, `ITEM_ROWS`, `CAUSE_ROWS` and
`SHOWN`, so a few hundred postmortems split every list the way thousands do with the defaults. How tall the pages
of 1,000 postmortems are in a browser is measured in test_kb_site_pages_browser.py.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from mkdocs_postmortems.kb_site import pages

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from synthetic import write_knowledge_base  # noqa: E402

ROWS = 20
SHOWN = 5
_ROW = re.compile(r"<tr[ >]")
_LISTS = re.compile(r'<div class="pm-(?:index|action-items pm-item-list|causes) pm-table[^"]*">(.*?)</table>', re.S)


def built_site(root: Path, count: int, monkeypatch) -> Path:
    for name in ("PAGE_ROWS", "ITEM_ROWS", "CAUSE_ROWS"):
        monkeypatch.setattr(pages, name, ROWS)
    monkeypatch.setattr(pages, "SHOWN", SHOWN)
    monkeypatch.setattr(pages, "RECURRING_SHOWN", 3)  # bounded by services × categories, saturated early
    write_knowledge_base(root, count)
    logging.getLogger("mkdocs").setLevel(logging.NOTSET)
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site")))
    return root / "site"


def cross_incident_pages(site: Path) -> dict[str, int]:
    """Path -> size in bytes of every generated HTML page that is not a postmortem's own."""
    found = {}
    for path in site.rglob("index.html"):
        relative = path.relative_to(site).as_posix()
        if re.match(r"postmortems/\d{4}-\d{2}-\d{2}-", relative):
            continue
        found[relative] = path.stat().st_size
    return found


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    monkeypatch = pytest.MonkeyPatch()
    try:
        yield {count: built_site(tmp_path_factory.mktemp(f"kb{count}"), count, monkeypatch) for count in (150, 450)}
    finally:
        monkeypatch.undo()


def test_the_largest_page_does_not_grow_with_the_history(sites):
    small, large = (cross_incident_pages(sites[count]) for count in (150, 450))
    # three times the postmortems: more pages, but no page much larger (the nav and the counts grow a little)
    assert max(large.values()) <= 1.35 * max(small.values()), (max(small, key=small.get), max(large, key=large.get))
    assert len(large) > len(small)
    assert max(large.values()) < 1_000_000


def test_every_list_table_holds_at_most_a_page_of_rows(sites):
    site = sites[450]
    for relative in cross_incident_pages(site):
        html = (site / relative).read_text(encoding="utf-8")
        for table in _LISTS.findall(html):
            rows = len(_ROW.findall(table)) - 1  # the header row
            assert rows <= ROWS, (relative, rows)


def test_lists_are_split_where_the_docs_say(sites):
    site = sites[450]
    assert (site / "postmortems/page/2/index.html").is_file()
    assert (site / "action-items/owner/team-sre/2/index.html").is_file()
    assert any((site / "action-items/done").glob("20*/index.html"))
    assert any((site / "action-items/wont-do").glob("20*/index.html"))
    assert (site / "root-causes/config-change/index.html").is_file()
    main = (site / "action-items/index.html").read_text(encoding="utf-8")
    assert re.search(r'href="[./]*action-items/done/20\d\d/"', main)  # the year pages are linked
    assert "every one is on its owner's page" in main


def test_every_action_item_has_exactly_one_home_and_its_links_find_it(sites):
    site = sites[450]
    records = json.loads((site / "action-items/action-items.json").read_text(encoding="utf-8"))["action_items"]
    anchors: dict[str, list[str]] = {}
    for path in site.rglob("index.html"):
        relative = path.relative_to(site).as_posix()
        if relative.startswith("action-items/"):
            for anchor in re.findall(r'<tr id="(ai-[^"]+)"', path.read_text(encoding="utf-8")):
                anchors.setdefault(anchor, []).append(relative)
    expected = {"ai-" + record["id"].replace("#", "-") for record in records}
    assert set(anchors) == expected  # the exports hold every item, and every item has a row
    assert all(len(homes) == 1 for homes in anchors.values()), [a for a, h in anchors.items() if len(h) > 1][:3]
    record = records[0]
    page = (site / record["url"].split("#")[0] / "index.html").read_text(encoding="utf-8")
    anchor = "ai-" + record["id"].replace("#", "-")
    link = re.search(rf'href="([^"]*#{re.escape(anchor)})" title=', page).group(1)
    target = (site / record["url"].split("#")[0] / link.split("#")[0]).resolve() / "index.html"
    assert f'id="{anchor}"' in target.read_text(encoding="utf-8")


def rows_of(html: str, heading_id: str) -> int:
    """How many body rows the tables of the section `heading_id` (up to the next heading) have."""
    start = html.index(f'<h2 id="{heading_id}">')
    end = html.find("<h2 ", start + 1)
    section = html[start : end if end > 0 else len(html)]
    return sum(len(_ROW.findall(body)) for body in re.findall(r"<tbody>(.*?)</tbody>", section, re.S))


def test_overview_pages_show_the_first_rows_and_link_the_rest(sites):
    site = sites[450]
    main = (site / "action-items/index.html").read_text(encoding="utf-8")
    assert rows_of(main, "overdue") == SHOWN and rows_of(main, "open") == SHOWN
    assert f"The {SHOWN} most urgent of" in main and "every one is on its owner's page, overdue first" in main
    roots = (site / "root-causes/index.html").read_text(encoding="utf-8")
    assert rows_of(roots, "recurring") == SHOWN and rows_of(roots, "recurred-after-fix") == SHOWN
    assert "each service's page lists its own" in roots
    service = (site / "services/checkout/index.html").read_text(encoding="utf-8")
    assert rows_of(service, "incidents") == SHOWN and rows_of(service, "open-action-items") == SHOWN
    assert re.search(r'href="[./]*postmortems/service/checkout/">every incident on checkout</a>', service)


def test_an_owners_pages_list_the_overdue_items_first(sites):
    site = sites[450]
    records = json.loads((site / "action-items/action-items.json").read_text(encoding="utf-8"))["action_items"]
    overdue = {record["id"] for record in records if record["overdue"]}
    owner = site / "action-items/owner/team-sre"
    shown = []
    for path in sorted(owner.rglob("index.html"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 1):
        shown += re.findall(r'<code class="pm-item-id">([^<]+)</code>', path.read_text(encoding="utf-8"))
    late = [item in overdue for item in shown]
    assert shown and late == sorted(late, reverse=True), "an item not overdue comes before an overdue one"

"""`kb_site/reviews.py` in Chromium: a quarter's review of the example prints on A4, a section a page, with no table
row cut across two pages and nothing of the site's header, navigation or table of contents; axe-core finds no
serious violation on a review or on the list of reviews.

Chromium writes a tagged PDF with an outline (`page.pdf(outline=True, tagged=True)`): the outline gives each
heading's text and page, the structure tree each table row's pages. Both are plain objects in the file, read here
with the standard library."""

from __future__ import annotations

import re

import pytest

from browser_support import StaticServer, axe_in_both_schemes, axe_source, new_page

pytestmark = pytest.mark.browser

QUARTER = "2026-q2"  # the example's quarter with something in every section: recurring causes, fixes that did not hold
A4 = (595.92, 842.88)  # points, as Chromium writes A4's MediaBox


class Pdf:
    """The objects of a PDF that Chromium wrote, with its pages in order."""

    def __init__(self, data: bytes):
        self.data = data
        self.objects = {int(m[1]): m[2] for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", data, re.DOTALL)}
        root = next(o for o in self.objects.values() if re.search(rb"/Type\s*/Pages\b", o) and b"/Parent" not in o)
        self.pages = [int(n) for n in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids\s*\[([^\]]*)\]", root)[1])]

    def page_of(self, reference: int) -> int:
        return self.pages.index(reference)

    def outline(self) -> list[tuple[str, int]]:
        """(title, page number from 0) of every outline entry, in the order of the file."""
        found = []
        for body in self.objects.values():
            title, dest = re.search(rb"/Title\s*\((.*?)\)\n", body), re.search(rb"/Dest\s*\[(\d+) 0 R", body)
            if title and dest:
                found.append((title[1].decode("latin-1"), self.page_of(int(dest[1]))))
        return found

    def pages_of(self, number: int, page: int | None = None) -> set[int]:
        """The pages the marked content of structure element `number` (and all below it) lies on."""
        body = self.objects[number]
        own = re.search(rb"/Pg (\d+) 0 R", body)
        page = self.page_of(int(own[1])) if own else page
        kids = re.search(rb"/K\s*(\[[^\]]*\]|\d+ 0 R|\d+)", body)
        found = set()
        for child in re.finditer(rb"(\d+) 0 R|(\d+)", kids[1] if kids else b""):
            if child[1]:
                found |= self.pages_of(int(child[1]), page)
            elif page is not None:
                found.add(page)  # an MCID on the element's page
        return found

    def elements(self, kind: str) -> list[int]:
        return [n for n, body in self.objects.items() if re.search(rb"/S /" + kind.encode() + rb"\b", body)]


@pytest.fixture(scope="module")
def printed(example_site, browser):
    with StaticServer(example_site) as server:
        page = new_page(browser, 30_000, viewport={"width": 1280, "height": 900})
        try:
            page.goto(f"{server.url}/reviews/{QUARTER}/")
            sections = page.locator(".pm-review h2").all_inner_texts()
            page.emulate_media(media="print")
            hidden = page.evaluate(
                "() => ['.md-header', '.md-sidebar--primary', '.md-sidebar--secondary', '.md-footer'].map(s => "
                "[...document.querySelectorAll(s)].every(e => !e.offsetParent && e.getClientRects().length === 0))"
            )
            pdf = Pdf(page.pdf(format="A4", outline=True, tagged=True))
            page.recorder.assert_clean()
        finally:
            page.context.close()
    return sections, hidden, pdf


def test_the_review_prints_on_a4_a_section_a_page(printed):
    sections, hidden, pdf = printed
    assert sections == [
        "Incidents",
        "Time to detect, mitigate and resolve",
        "Recurring causes",
        "Action items",
        "Fixes that did not hold",
        "Communications owed",
        "Availability",
        "Definitions",
    ]
    sizes = {
        tuple(round(float(n), 2) for n in box.split()[2:]) for box in re.findall(rb"/MediaBox \[([^\]]*)\]", pdf.data)
    }
    assert sizes == {A4}
    assert len(pdf.pages) >= len(sections)
    outline = dict(pdf.outline())
    assert all(section in outline for section in sections), outline  # each section's heading is text of the PDF
    starts = [outline[section] for section in sections]
    assert starts == sorted(set(starts)) and starts[0] == 0  # each on a page of its own, in order, from the first
    assert outline["Review of 2026-Q2"] == 0 and outline["Completion by owner"] == outline["Action items"]
    assert all(hidden), "the site's header, navigation, table of contents and footer are not printed"


def test_no_table_row_is_cut_across_two_pages(printed):
    _, _, pdf = printed
    rows = pdf.elements("TR")
    assert len(rows) > 40  # every table's rows, the example's quarter has eight tables
    assert [row for row in rows if len(pdf.pages_of(row)) != 1] == []
    assert len({page for table in pdf.elements("Table") for page in pdf.pages_of(table)}) >= 5


@pytest.mark.parametrize("path", ["reviews/", f"reviews/{QUARTER}/"])
def test_axe_finds_no_serious_violation(example_site, browser, path):
    axe = axe_source()
    with StaticServer(example_site) as server:
        page = new_page(browser, 30_000, viewport={"width": 1440, "height": 900})
        try:
            page.goto(f"{server.url}/{path}")
            found = axe_in_both_schemes(page, axe)
        finally:
            page.context.close()
    assert found == {}

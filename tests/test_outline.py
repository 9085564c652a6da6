"""`importers/outline.py`: a Markdown text's outline as its author wrote it: sections under ATX and setext headings
(code skipped), headings compared without markup or numbering, list items whole (wrapped and lazy lines, loose
paragraphs, nested lists, a numbered list's steps with their details, boxes), table cells, and a section's first
paragraph or list."""

from __future__ import annotations

import pytest

from mkdocs_postmortems.importers import outline


def test_sections_are_split_at_headings_outside_code():
    assert outline.sections_of("intro\n# Title\ntext\n~~~\n# code\n~~~\n## Next\n") == [
        (0, "", ["intro"]),
        (1, "Title", ["text", "~~~", "# code", "~~~"]),
        (2, "Next", [""]),
    ]


def test_a_line_underlined_is_a_heading_unless_it_is_no_paragraph_of_its_own():
    text = "Title\n=====\nIntro\n\nImpact\n---\n- an item\n---\n\n---\n    code\n---\n"
    assert outline.sections_of(text) == [
        (0, "", []),
        (1, "Title", ["Intro", ""]),
        (2, "Impact", ["- an item", "---", "", "---", "    code", "---", ""]),  # rules, not headings
    ]


@pytest.mark.parametrize(
    "line, cells",
    [
        ("| a | b |", ["a", "b"]),
        ("|a|b", ["a", "b"]),
        ("| --- | :-: |", None),
        ("a | b", None),
    ],
)
def test_a_table_row_is_its_cells(line, cells):
    assert outline.table_cells(line) == cells


@pytest.mark.parametrize(
    "heading, expected",
    [
        ("2. Root Cause (why)", "root cause"),
        ("**Lessons Learnt**", "lessons learnt"),
        ("Timeline (UTC)", "timeline"),
        ("1.2) Impact", "impact"),
    ],
)
def test_a_heading_is_compared_without_markup_numbering_or_a_trailing_note(heading, expected):
    assert outline.canonical(heading) == expected


def items(text: str) -> list[str]:
    return [item.text() for item in outline.list_items(text.split("\n"))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("- one\n  wrapped\n- two", ["one wrapped", "two"]),  # indented
        ("- one\nwrapped lazily\n- two", ["one wrapped lazily", "two"]),  # a lazy continuation
        ("1. one\n   wrapped\n2) two", ["one wrapped", "two"]),
        ("- one\n\n  its second paragraph\n\n- two", ["one its second paragraph", "two"]),  # a loose list
        ("- one\n  - a\n    - deeper\n  - b\n- two", ["one (a (deeper); b)", "two"]),
        ("- Rehearse:\n  - monthly\n  - yearly", ["Rehearse: monthly; yearly"]),
        ("* one\n+ two\n\nA paragraph.\n\n- three", ["one", "two", "three"]),
        ("- one\n\nA paragraph, not the item's.", ["one"]),
        ("- one\n  ```\n  code\n  ```\n  after", ["one after"]),  # code is left out of the text
        ("- one\n| a | b |", ["one"]),  # a table ends it
        ("---\n* * *\n-\tone", ["one"]),  # rules are no items
        ("    - code, not an item", []),
        (
            "1. Step one\n\n- detail a\n- detail b\n\n2. Step two:\n\n- c\n\nText.\n\n- unrelated",
            ["Step one (detail a; detail b)", "Step two: c", "unrelated"],
        ),  # bullets between numbered steps are the step's
        ("1. Step\n\n- not its own: no colon, no step after", ["Step", "not its own: no colon, no step after"]),
    ],
)
def test_a_list_item_is_read_whole(text, expected):
    assert items(text) == expected


def test_a_list_item_says_its_line_and_its_box():
    found = outline.list_items(["intro", "- [x] done", "  still done", "- [ ] open", "- plain"])
    assert [(item.line, item.checked, item.text()) for item in found] == [
        (1, True, "done still done"),
        (3, False, "open"),
        (4, None, "plain"),
    ]


def test_the_first_paragraph_skips_tables_and_images_and_is_bounded():
    assert outline.first_paragraph(["", "![chart](x.png)", "- one", "- two", "", "later"]) == "one two"
    long = outline.first_paragraph(["word " * 200])
    assert len(long) <= 500 and long.endswith("…")

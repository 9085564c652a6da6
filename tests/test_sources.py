"""`importers/sources.py`: reading a foreign source as every importer does (the files below the folders given and
what each is, the files that belong with a page, bounded bytes of a regular file, UTF-8 text, front matter as plain
values under a node budget and as written), its times as UTC with what the text gave, and its links into its own
repository made plain text."""

from __future__ import annotations

import os
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from mkdocs_postmortems.importers.sources import (
    SourceProblem,
    beside,
    decode,
    entries_as_written,
    files_below,
    front_matter,
    kind_of,
    parse_time,
    read_bytes,
    relative_targets,
    source_root,
    without_relative_links,
)

TODAY = date(2026, 11, 22)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-03-14T09:50:00Z", (utc(2024, 3, 14, 9, 50), True, True)),
        ("2024-03-14 09:50", (utc(2024, 3, 14, 9, 50), True, False)),  # no offset: the caller says how it reads it
        ("2024-03-14T09:50:00.123-07:00", (utc(2024, 3, 14, 16, 50), True, True)),
        ("2024-03-14T09:50:00+0530", (utc(2024, 3, 14, 4, 20), True, True)),
        ("2024-03-14 09:50 UTC", (utc(2024, 3, 14, 9, 50), True, True)),
        ("2024-03-14", (utc(2024, 3, 14), False, False)),
        ("2024-3-4", (utc(2024, 3, 4), False, False)),
        (" 2031-12-31 ", (utc(2031, 12, 31), False, False)),  # up to five years ahead
        ("soon", None),
        (None, None),
        (5, None),
    ],
)
def test_a_time_is_utc_with_whether_a_time_of_day_and_an_offset_were_given(text, expected):
    assert parse_time(text, TODAY) == expected


@pytest.mark.parametrize(
    "text, reason",
    [
        ("2024-02-30", "`2024-02-30` is not a real date"),
        ("2024-03-14T09:50:00+25:00", "`2024-03-14T09:50:00+25:00` has an impossible UTC offset"),
        ("1989-12-31", "`1989-12-31` is not a plausible date"),
        ("2032-01-01", "`2032-01-01` is not a plausible date"),
    ],
)
def test_a_time_that_cannot_be_true_says_why(text, reason):
    with pytest.raises(SourceProblem) as raised:
        parse_time(text, TODAY)
    assert str(raised.value) == reason


def test_text_is_utf8_without_a_byte_order_mark_and_with_newlines_only():
    assert decode(b"\xef\xbb\xbfone\r\ntwo\rthree") == "one\ntwo\nthree"


@pytest.mark.parametrize(
    "raw, reason", [(b"a\0b", "it is binary, not text"), (b"caf\xe9", "it is not UTF-8 (byte 0xe9 at offset 3)")]
)
def test_text_that_is_not_utf8_says_why(raw, reason):
    with pytest.raises(SourceProblem) as raised:
        decode(raw)
    assert str(raised.value) == reason


def test_bytes_are_read_up_to_the_limit_from_regular_files_only(tmp_path):
    (tmp_path / "entry.md").write_bytes(b"x" * 10)
    assert read_bytes(tmp_path / "entry.md", 10) == b"x" * 10
    os.mkfifo(tmp_path / "pipe")  # reading it would wait for a writer forever
    for path, limit, reason in (
        (tmp_path / "entry.md", 5, "it is more than the 5 bytes an import reads"),
        (tmp_path / "pipe", 10, "it is a named pipe (FIFO), not a file"),
        (tmp_path / "missing.md", 10, "cannot read it: No such file or directory"),
    ):
        with pytest.raises(SourceProblem) as raised:
            read_bytes(path, limit)
        assert str(raised.value) == reason


def test_front_matter_is_plain_values_never_constructed():
    assert front_matter(b"---\ntitle: x\ndate: 2024-03-14\nlist: [a, 1, null]\nmap: {k: v}\n---\nBody\n", "x.md") == (
        {"title": "x", "date": "2024-03-14", "list": ["a", "1", None], "map": {"k": "v"}},
        "Body\n",
    )


@pytest.mark.parametrize(
    "raw, reason",
    [
        (
            b"---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            b"e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n---\n",
            "its front matter is too large or nested to be a status-page entry",
        ),
        (b"---\n- a\n---\n", "its front matter is not a mapping of `key: value` lines"),
        (b"no front matter\n", "line 1: the file does not start with YAML front matter"),
    ],
)
def test_front_matter_that_is_no_entry_says_why(raw, reason):
    with pytest.raises(SourceProblem) as raised:
        front_matter(raw, "x.md")
    assert str(raised.value) == reason


def test_links_into_the_sources_repository_become_plain_text_and_the_report_says_so():
    text = (
        'See [the runbook](runbooks/a.md "t"), ![graph](img/g.png), [site](https://x.example/a), [top](#top), '
        "[abs](/abs).\n\n[ref]: ../docs/ref.md\n[web]: https://x.example\n"
    )
    assert without_relative_links(text) == (
        "See the runbook, graph (not imported: img/g.png), [site](https://x.example/a), [top](#top), [abs](/abs).\n\n"
        "[web]: https://x.example\n",
        [
            "relative link `runbooks/a.md` made plain text",
            "relative image `img/g.png` made plain text",
            "relative link definition `../docs/ref.md` removed",
        ],
    )


def test_the_links_into_the_repository_are_listed_by_target():
    text = "![graph](img/g%201.png) [runbook](../runbook.md#step) [web](https://x.example)\n\n[ref]: notes/a.pdf\n"
    assert relative_targets(text) == ["img/g%201.png", "../runbook.md#step", "notes/a.pdf"]


def test_the_sources_root_is_the_folder_holding_them_all(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert source_root([tmp_path / "a" / "b", tmp_path / "a" / "x.md"]) == tmp_path / "a"
    assert source_root([tmp_path / "a"]) == tmp_path


def test_the_files_below_a_folder_skip_dot_files_and_dot_and_linked_folders(tmp_path):
    for name in ("b.md", "a/graph.png", ".git/HEAD", ".DS_Store", "a/.hidden.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "linked").symlink_to(tmp_path / "a")
    assert list(files_below([tmp_path, tmp_path / ".DS_Store"])) == [
        tmp_path / "a" / "graph.png",
        tmp_path / "b.md",
        tmp_path / ".DS_Store",  # given by name: read
    ]


@pytest.mark.parametrize(
    "name, kind",
    [
        ("report.md", None),
        ("report.MARKDOWN", None),
        ("PM2022-009 - Bad AWS EKS AMI", None),  # no extension: tried as Markdown
        ("v1.2 upgrade", None),  # `.2 upgrade` is no extension
        ("PM2021-004 - Release 2.0", None),
        ("timeline.pdf", "a PDF"),
        ("graph.PNG", "an image"),
        ("notes.docx", "a document"),
        ("costs.csv", "a spreadsheet"),
        ("SOURCE.txt", "a text file"),
        ("dump.json", "data"),
        ("bundle.tar", "an archive"),
        ("call.mp4", "a recording"),
        ("blob.dat", "a `.dat` file"),
    ],
)
def test_each_file_is_markdown_or_says_what_it_is(name, kind):
    assert kind_of(Path(name)) == kind


def test_the_files_that_belong_with_a_page_are_linked_named_or_in_its_folder(tmp_path):
    page = tmp_path / "reports" / "2023-04-21-db.md"
    others = [
        tmp_path / "reports" / "img" / "graph 1.png",  # linked from the page
        tmp_path / "reports" / "2023-04-21-db" / "timeline.png",  # in a folder of its name
        tmp_path / "reports" / "2023-04-21-db.assets" / "a.png",
        tmp_path / "reports" / "2023-04-21-db.pdf",  # its name, another extension
        tmp_path / "reports" / "2023-04-21-db-slides.pdf",
        tmp_path / "reports" / "2023-04-21-dba.pdf",  # another name
        tmp_path / "reports" / "other" / "2023-04-21-db.pdf",  # its name, elsewhere
        tmp_path / "shared" / "logo.png",
    ]
    assert beside(page, ["img/graph%201.png"], others) == others[:5]
    assert beside(page, ["../shared/logo.png"], others) == [*others[1:5], others[7]]


def test_a_front_matter_is_kept_as_written_entry_by_entry():
    raw = b"---\ntitle: x\ndraft: true # a comment\nlist:\n  - a\n  - b\nblock: |\n  text\n---\nBody\n"
    assert entries_as_written(raw, "x.md") == {
        "title": "title: x",
        "draft": "draft: true",
        "list": "list:\n  - a\n  - b",
        "block": "block: |\n  text",
    }
    assert entries_as_written(b"no front matter\n", "x.md") == {}

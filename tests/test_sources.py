"""`importers/sources.py`: reading a foreign source as every importer does (bounded bytes of a regular file, UTF-8
text, front matter as plain values under a node budget), its times as UTC with what the text gave, and its links
into its own repository made plain text."""

from __future__ import annotations

import os
from datetime import date, datetime, timezone

import pytest

from mkdocs_postmortems.importers.sources import (
    SourceProblem,
    decode,
    front_matter,
    parse_time,
    read_bytes,
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

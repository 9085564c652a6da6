"""`parsing/scan.py`: what the rules across files need of a postmortem that is not parsed (its people, the year it
started, the IDs it names as related), read from its front matter's lines as a parse would read them, and nothing
from a file a parse reads no postmortem from."""

from __future__ import annotations

import pytest

from conftest import VALID
from mkdocs_postmortems.knowledge import load_postmortem
from mkdocs_postmortems.model import people_of
from mkdocs_postmortems.parsing.scan import Scanned, scan, scan_bytes
from mkdocs_postmortems.policy import Policy

RELATED = VALID.replace(
    "action_items:\n", "related:\n  - 2024-01-02-cache\n  - 2024-02-03-dns  # the DNS one\naction_items:\n"
)


def test_people_start_year_and_related_as_a_parse_finds_them(tmp_path):
    scanned = scan(RELATED)
    assert scanned == Scanned(("alice", "bob", "team-checkout"), 2024, ("2024-01-02-cache", "2024-02-03-dns"))
    (tmp_path / "2024-03-14-x.md").write_text(RELATED)
    pm, _ = load_postmortem(tmp_path / "2024-03-14-x.md", "2024-03-14-x.md", Policy())
    assert scanned.people == people_of([pm]) and scanned.started_year == pm.started.year
    assert scanned.related == pm.related


@pytest.mark.parametrize(
    "started, year",
    [
        ("2023-12-31T23:30:00-02:00", 2024),  # the year in UTC, as the reader converts it
        ("2021-03-04", 2021),
        ("2024-03-14T09:50:00", None),  # no offset: the reader refuses it
        ("'not a date'", None),
    ],
)
def test_the_start_year_is_read_as_the_reader_reads_started(started, year):
    assert scan(VALID.replace("started: 2024-03-14T09:50:00Z", f"started: {started}")).started_year == year


def test_a_related_field_the_scan_cannot_read_may_name_anything():
    odd = VALID.replace("action_items:\n", "related: &ids [a, b]\naction_items:\n")
    assert scan(odd).related is None and scan(odd).may_name({"c"})
    flow = scan(VALID.replace("action_items:\n", "related: [2024-01-02-cache]\naction_items:\n"))
    assert flow.related == ("2024-01-02-cache",)
    assert flow.may_name({"2024-01-02-cache", "x"}) and not flow.may_name({"x"}) and not flow.may_name(set())


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"no front matter\n",
        b"---\ntitle: unclosed\n",
        VALID.encode("utf-16"),
        VALID.encode().replace(b"title", b"ti\0tle"),
        b"---\nauthors: [caf\xe9]\n---\n",
    ],
)
def test_a_file_a_parse_reads_nothing_from_names_nobody(raw):
    assert scan_bytes(raw) == Scanned((), None)


def test_a_byte_order_mark_and_crlf_change_nothing():
    assert scan_bytes(("\ufeff" + RELATED.replace("\n", "\r\n")).encode()) == scan(RELATED)

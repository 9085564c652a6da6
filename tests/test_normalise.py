"""`status_site/normalise.py`: text as the leak gate reads it. One canonical spelling of what a reader sees (entities
decoded, look-alikes and compatibility forms folded, invisible characters dropped, whitespace collapsed), the order a
browser shows it in, and a map from each character back to the text as written. The corpus of real attempts is in
tests/test_leak_gate_corpus.py."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from mkdocs_postmortems.status_site.normalise import display_order, displayed, fold, normalise, without_markup


@pytest.mark.parametrize(
    "written, read",
    [
        ("ops\u2010123", "ops-123"),  # a look-alike hyphen
        ("al\u200bice", "alice"),  # a zero-width space
        ("\u0430lice", "alice"),  # a Cyrillic a (U+0430)
        ("&#64;alice &amp; &#x41;", "@alice & a"),  # entities
        ("\uff2f\uff30\uff33", "ops"),  # fullwidth letters
        ("Cafe\u0301", "cafe"),  # a combining accent
        ("Project\n   Falcon", "project falcon"),  # whitespace collapsed, line breaks too
        ("orders-\ndb", "orders-db"),  # a word hyphenated across a line break
        ("Stra\u00dfe", "strasse"),  # case-folded
    ],
)
def test_what_a_reader_sees_has_one_spelling(written, read):
    assert fold(written) == read


def test_each_character_read_maps_back_to_the_original_as_written():
    original = "Ask &#64;\u0430lice about\nOPS\u2010123"
    read = normalise(original)
    start = read.text.index("@alice")
    assert read.written(start, start + len("@alice")) == "&#64;\u0430lice"
    start = read.text.index("ops-123")
    assert read.written(start, start + 7) == "OPS\u2010123"
    assert len(read.starts) == len(read.ends) == len(read.text)


def test_characters_that_hide_or_turn_text_around_are_noted():
    read = normalise("see \u202ebd-sredro\u202c now")
    assert read.turned and any(kind for _, _, kind in read.hidden)
    assert not normalise("plain text").turned and normalise("plain text").hidden == ()


def test_text_turned_around_by_a_bidi_override_is_read_in_the_order_shown():
    shown = displayed("see \u202ebd-sredro\u202c now")
    assert shown is not None and "orders-db" in shown.text
    assert displayed("plain text") is None
    assert display_order("abc") == [0, 1, 2]
    assert display_order("a\u202ebc\u202cd") == [0, 3, 2, 5]  # the controls removed, `bc` shown as `cb`


def test_markup_is_left_out_as_a_renderer_would():
    assert without_markup("orders<b></b>-db").text == "orders-db"
    assert without_markup("<!-- hidden -->visible").text == "visible"
    assert without_markup("no markup here") is None


@given(st.text(max_size=200))
def test_any_text_reads_in_one_pass_with_a_map_inside_the_original(text):
    read = normalise(text)
    assert all(0 <= start <= end <= len(text) for start, end in zip(read.starts, read.ends, strict=True))
    assert "  " not in read.text  # every run of whitespace is one space

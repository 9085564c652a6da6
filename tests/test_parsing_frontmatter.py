"""`parsing/frontmatter.py`: a file's bytes checked before any YAML parser sees them (size, encoding, NUL bytes,
nesting), then split into front matter as YAML nodes with positions and a Markdown body. Every refusal is a
diagnostic at a line, never an exception."""

from __future__ import annotations

import os

import pytest
import yaml

from conftest import VALID
from mkdocs_postmortems.parsing.frontmatter import (
    MAX_FILE_BYTES,
    NotRegularFile,
    conflict_markers,
    parse_source,
    read_bounded,
    read_source,
    required_fields,
    source_from_bytes,
    wide_encoding,
)


def code_of(raw: bytes) -> str:
    source, diagnostics = source_from_bytes(raw, "x.md")
    assert source is None
    (diagnostic,) = diagnostics
    return diagnostic.code


def test_the_front_matter_is_yaml_nodes_and_the_body_starts_after_it():
    source, problems = source_from_bytes(VALID.encode(), "postmortems/x.md")
    assert problems == [] and source.path == "postmortems/x.md"
    assert isinstance(source.front_matter, yaml.MappingNode) and source.front_matter.value[0][0].value == "title"
    assert source.body_line == 28 and source.body.startswith("\n## Summary")
    crlf, _ = source_from_bytes(("\ufeff" + VALID.replace("\n", "\r\n")).encode(), "x.md")
    assert crlf.body == source.body and crlf.body_line == 28  # a BOM and CRLF change nothing


@pytest.mark.parametrize(
    "raw, code",
    [
        (b"", "empty-file"),
        (b"  \n\n", "empty-file"),
        (b"---\ntitle: x\n\0", "binary-file"),
        (b"---\ntitle: caf\xe9\n---\n", "encoding"),
        ("---\ntitle: x\n---\n".encode("utf-16"), "encoding"),
        (b"x" * (MAX_FILE_BYTES + 1), "file-too-large"),
        (b"# Title\n\n## Summary\n", "front-matter-missing"),
        (b"---\ntitle: x\n", "front-matter-unclosed"),
        (b"---\n---\n", "front-matter-empty"),
        (b"---\ntitle: x\n...\nseverity: SEV2\n---\n", "front-matter-document-end"),
        (b"---\ntitle: [x\n---\n", "yaml-syntax"),
        (b"---\nx: " + b"[" * 200 + b"]" * 200 + b"\n---\n", "yaml-too-deep"),
    ],
)
def test_each_byte_level_problem_is_one_diagnostic_and_no_source(raw, code):
    assert code_of(raw) == code


def test_a_yaml_error_points_at_its_line_in_the_file_and_a_tab_gets_its_own_hint():
    _, (found,) = parse_source("---\ntitle: x\nservices:\n\t- checkout\n---\n", "x.md")
    assert (found.code, found.line) == ("yaml-syntax", 4) and found.hint == "indent with spaces, not tabs"
    _, (found,) = source_from_bytes(b"---\ntitle: x\n---\nok\n\xff\n", "x.md")
    assert (found.code, found.line) == ("encoding", 5)


def test_wide_encodings_are_named_with_or_without_a_bom():
    text = "---\ntitle: Checkout latency\n---\n"
    assert wide_encoding(text.encode("utf-16")).startswith("UTF-16")
    assert wide_encoding(text.encode("utf-16-be")) == "UTF-16 (big-endian)"
    assert wide_encoding(text.encode("utf-32-le")) == "UTF-32 (little-endian)"
    assert wide_encoding(text.encode()) is None and wide_encoding(b"a\0b") is None


def test_merge_conflict_markers_count_only_in_a_file_with_a_start_marker():
    conflicted = "---\ntitle: x\n---\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> branch\n"
    assert [(d.code, d.line) for d in conflict_markers(conflicted, "x.md")] == [
        ("conflict-marker", 4),
        ("conflict-marker", 6),
        ("conflict-marker", 8),
    ]
    assert conflict_markers("Heading\n=======\n", "x.md") == []


def test_blameless_ok_comments_mark_their_lines():
    text = VALID.replace("The pool was too small.", "Bob forgot. <!-- blameless-ok -->")
    source, _ = parse_source(text, "x.md")
    assert source.suppressed_lines == {text.split("\n").index("Bob forgot. <!-- blameless-ok -->") + 1}
    assert parse_source(VALID, "x.md")[0].suppressed_lines == frozenset()


def test_at_most_one_byte_past_the_limit_is_read_and_only_from_a_regular_file(tmp_path):
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * 5000)
    assert len(read_bounded(big, limit=100)) == 101
    os.mkfifo(tmp_path / "pipe.md")
    with pytest.raises(NotRegularFile, match="named pipe"):
        read_bounded(tmp_path / "pipe.md")
    _, (found,) = read_source(tmp_path / "pipe.md", "pipe.md")
    assert found.code == "not-regular-file"
    _, (found,) = read_source(tmp_path / "missing.md", "missing.md")
    assert found.code == "unreadable-file"


def test_the_required_fields_are_listed_nested_ones_dotted():
    fields = required_fields()
    assert {"title", "status", "severity", "services", "started", "impact.summary"} <= set(fields)
    assert "impact" not in fields and "tags" not in fields

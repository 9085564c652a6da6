"""Hostile input: every file gives diagnostics, never an exception; its neighbours are still checked. How long each
case takes is measured by benchmarks/hostile_speed.py, never asserted here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from conftest import VALID, skip_or_fail
from mkdocs_postmortems.diagnostics import Level
from mkdocs_postmortems.parsing import frontmatter

NAME = "2024-03-14-hostile.md"
NEIGHBOUR = "2024-03-14-neighbour.md"
CLOSING = "---\n\n## Summary"

BOMB = 'lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 9)
)


@pytest.fixture(params=["libyaml", "pure-python"])
def loader(request, monkeypatch):
    """Run a test with libyaml and with the pure-Python parser that frontmatter.py falls back to without it."""
    if request.param == "pure-python":
        monkeypatch.setattr(frontmatter, "_Loader", yaml.SafeLoader)
    elif not getattr(yaml, "__with_libyaml__", False):
        skip_or_fail("PyYAML is built without libyaml")
    return request.param


def extra_front_matter(text: str) -> str:
    """VALID with `text` added as the last lines of the front matter (from line 27 on)."""
    return VALID.replace(CLOSING, text + CLOSING, 1)


def check_hostile(tmp_path: Path, content: bytes | str, check) -> list[tuple]:
    """Check a folder of the hostile file and a neighbour with one known problem; the hostile file's diagnostics."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    (tmp_path / NAME).write_bytes(data)
    (tmp_path / NEIGHBOUR).write_text(VALID.replace("severity: SEV2", "severity: SEV9"), encoding="utf-8")
    kb = check(tmp_path)
    neighbour = [(d.code, d.line, d.col) for d in kb.diagnostics if d.path == NEIGHBOUR]
    assert neighbour == [("invalid-value", 4, 11)]
    assert "2024-03-14-neighbour" in [pm.id for pm in kb.postmortems]
    return [(d.code, d.line, d.col, d.level) for d in kb.diagnostics if d.path == NAME]


# --- YAML aliases ---------------------------------------------------------------------------------


def test_alias_bomb_as_tags_and_unknown_keys(tmp_path, check, loader):
    found = check_hostile(tmp_path, extra_front_matter(BOMB + "tags: *a8\nextra: *a8\n"), check)
    unknown = [(code, line) for code, line, _, _ in found if code == "unknown-key"]
    assert unknown == [("unknown-key", 27 + i) for i in range(9)] + [("unknown-key", 37)]
    # tags is a list of 9 lists: one wrong-type per item, not per expanded leaf
    assert [code for code, *_ in found].count("wrong-type") == 9
    assert len(found) == 19


def without(field: str) -> str:
    lines = VALID.split("\n")
    if field == "action_items":  # lines 20-26
        return "\n".join(lines[:19] + lines[26:])
    return "\n".join(line for line in lines if not line.startswith(field + ":"))


@pytest.mark.parametrize("field", ["services", "authors", "action_items", "related", "communications"])
def test_alias_bomb_as_a_list_field(field, tmp_path, check):
    found = check_hostile(tmp_path, without(field).replace(CLOSING, BOMB + f"{field}: *a8\n" + CLOSING, 1), check)
    codes = [code for code, *_ in found if code != "cause-unaddressed"]  # broken items address nothing
    assert codes.count("unknown-key") == 9
    assert codes.count("wrong-type") == 9
    assert len(codes) == 18


def test_alias_bomb_as_an_object(tmp_path, check):
    text = VALID.replace(
        "impact:\n  summary: Checkouts took up to 30 seconds for 40 minutes.\n  customers_affected: 1200\n",
        BOMB + "impact: *a8\n",
    )
    found = check_hostile(tmp_path, text, check)
    assert [code for code, *_ in found].count("unknown-key") == 9
    assert [code for code, *_ in found].count("wrong-type") == 1
    assert len(found) == 10
    (diagnostic,) = [d for d in check(tmp_path).diagnostics if d.path == NAME and d.code == "wrong-type"]
    assert diagnostic.message.startswith("impact must be a mapping")


def test_recursive_alias_is_rejected(tmp_path, check, loader):
    found = check_hostile(tmp_path, extra_front_matter("tags: &loop [*loop]\n"), check)
    assert found and all(level is Level.ERROR for *_, level in found)


# --- sizes, bytes and encodings -------------------------------------------------------------------


def test_ten_megabyte_file(tmp_path, check):
    content = VALID.encode() + b"A" * 10_000_000
    assert check_hostile(tmp_path, content, check) == [("file-too-large", 1, 1, Level.ERROR)]


def test_long_lines_within_the_limit(tmp_path, check):
    content = VALID.replace("title: Checkout latency", "title: Checkout latency" + " x" * 400_000)
    assert check_hostile(tmp_path, content, check) == []


def test_binary_file_named_md(tmp_path, check):
    content = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 1000
    assert check_hostile(tmp_path, content, check) == [("binary-file", 1, 1, Level.ERROR)]


def test_nul_byte_inside_front_matter(tmp_path, check):
    assert check_hostile(tmp_path, VALID.replace("alice", "al\0ice"), check) == [("binary-file", 1, 1, Level.ERROR)]


@pytest.mark.parametrize(
    "encoding, name",
    [
        ("utf-16", "UTF-16 (little-endian)"),
        ("utf-16-le", "UTF-16 (little-endian)"),
        ("utf-16-be", "UTF-16 (big-endian)"),
        ("utf-32", "UTF-32 (little-endian)"),
        ("utf-32-be", "UTF-32 (big-endian)"),
    ],
)
def test_utf16_and_utf32_are_an_encoding_problem_with_a_hint_to_re_save(encoding, name, tmp_path, check):
    assert check_hostile(tmp_path, VALID.encode(encoding), check) == [("encoding", 1, 1, Level.ERROR)]
    (diagnostic,) = [d for d in check(tmp_path).diagnostics if d.path == NAME]
    assert diagnostic.message == f"the file is {name}, not UTF-8"
    assert "UTF-8" in diagnostic.hint


def test_latin1(tmp_path, check):
    content = VALID.replace("Checkout latency", "Caf\u00e9 latency").encode("latin-1")
    assert check_hostile(tmp_path, content, check) == [("encoding", 2, 1, Level.ERROR)]


def test_utf8_bom_is_accepted(tmp_path, check):
    assert check_hostile(tmp_path, b"\xef\xbb\xbf" + VALID.encode(), check) == []
    pm = next(pm for pm in check(tmp_path).postmortems if pm.id == "2024-03-14-hostile")
    assert pm.title == "Checkout latency during the spring sale"


def test_crlf_is_accepted(tmp_path, check):
    assert check_hostile(tmp_path, VALID.replace("\n", "\r\n"), check) == []
    pm = next(pm for pm in check(tmp_path).postmortems if pm.id == "2024-03-14-hostile")
    assert "\r" not in pm.title + pm.body
    assert pm.body_line == 28


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_line_numbers(newline, tmp_path, check):
    text = VALID.replace("severity: SEV2", "severity: SEV7").replace("## Lessons learned", "## Afterwards")
    found = check_hostile(tmp_path, (b"\xef\xbb\xbf" + text.replace("\n", newline).encode()), check)
    assert found == [("invalid-value", 4, 11, Level.ERROR), ("section-missing", 28, 1, Level.WARNING)]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_unicode_line_separators_do_not_shift_line_numbers(separator, tmp_path, check):
    # Editors, grep and GitHub count lines by "\n"; YAML also breaks lines at NEL, LS and PS.
    text = VALID.replace("title: Checkout latency during the spring sale", f'title: "Checkout{separator}latency"', 1)
    text = text.replace("severity: SEV2", "severity: SEV7")
    assert check_hostile(tmp_path, text, check) == [("invalid-value", 4, 11, Level.ERROR)]


def test_tabs_for_indentation(tmp_path, check, loader):
    text = VALID.replace("  summary: Checkouts took", "\tsummary: Checkouts took")
    found = check_hostile(tmp_path, text, check)
    assert [(code, line) for code, line, *_ in found] == [("yaml-syntax", 13)]
    (diagnostic,) = [d for d in check(tmp_path).diagnostics if d.path == NAME]
    assert "tab" in diagnostic.hint


# --- keys ------------------------------------------------------------------------------------------


def test_non_string_keys(tmp_path, check, loader):
    found = check_hostile(tmp_path, extra_front_matter("1: x\n[a]: b\n? {a: b}: c\n"), check)
    assert found == [
        ("invalid-key", 27, 1, Level.ERROR),
        ("invalid-key", 28, 1, Level.ERROR),
        ("invalid-key", 29, 3, Level.ERROR),
    ]


@pytest.mark.parametrize("key", ["yes", "null", "~", "2024-03-14", "3.5", "<<", "!!python/name:os.system"])
def test_keys_that_yaml_does_not_read_as_strings(key, tmp_path, check):
    found = check_hostile(tmp_path, extra_front_matter(f"{key} : {{x: 1}}\n"), check)
    assert found == [("invalid-key", 27, 1, Level.ERROR)]


def test_non_string_key_in_a_nested_mapping(tmp_path, check):
    text = VALID.replace("  customers_affected: 1200\n", "  customers_affected: 1200\n  42: answer\n")
    assert check_hostile(tmp_path, text, check) == [("invalid-key", 15, 3, Level.ERROR)]


# --- nesting -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["[" * 100_000, "{" * 100_000, "[{" * 50_000 + "x" + "}]" * 50_000])
def test_deep_flow_nesting(value, tmp_path, check, loader):
    assert check_hostile(tmp_path, extra_front_matter(f"tags: {value}\n"), check) == [
        ("yaml-too-deep", 27, 1, Level.ERROR)
    ]


@pytest.mark.parametrize("marker", ["- ", "? ", "- &a ", "- !!seq "])
def test_deep_block_nesting_on_one_line(marker, tmp_path, check, loader):
    assert check_hostile(tmp_path, extra_front_matter("tags:\n" + marker * 50_000 + "x\n"), check) == [
        ("yaml-too-deep", 28, 1, Level.ERROR)
    ]


def test_deep_block_nesting_across_lines(tmp_path, check, loader):
    lines = "".join(" " * depth + "-\n" for depth in range(1, 600))
    found = check_hostile(tmp_path, extra_front_matter("tags:\n" + lines), check)
    assert (
        found == [("wrong-type", 29, 3, Level.ERROR)] if loader == "libyaml" else [("yaml-too-deep", 2, 1, Level.ERROR)]
    )


def test_deep_mapping_nesting_across_lines(tmp_path, check, loader):
    lines = "".join(" " * depth + "k:\n" for depth in range(1, 600))
    found = check_hostile(tmp_path, extra_front_matter("unknown:\n" + lines), check)
    # the pure-Python parser recurses per level and gives up earlier than libyaml: still a diagnostic
    assert (
        found == [("unknown-key", 27, 1, Level.ERROR)]
        if loader == "libyaml"
        else [("yaml-too-deep", 2, 1, Level.ERROR)]
    )


# --- front matter that is not a mapping ------------------------------------------------------------


@pytest.mark.parametrize("front_matter", ["- title\n- status\n", "just a sentence\n", "42\n", "'quoted'\n"])
def test_front_matter_that_is_not_a_mapping(front_matter, tmp_path, check):
    found = check_hostile(tmp_path, "---\n" + front_matter + "---\n" + VALID.split("---\n", 2)[2], check)
    assert found == [("wrong-type", 2, 1, Level.ERROR)]


# --- tags that construct Python objects -------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        '!!python/object/apply:os.system ["touch pwned"]',
        '!!python/object/apply:os.system {args: ["touch pwned"]}',
        "!!python/name:os.system",
        "!!python/object/new:os.system [touch pwned]",
    ],
)
def test_python_tags_never_execute(value, tmp_path, check, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def no_system(command):
        raise AssertionError(f"os.system ran {command!r}")

    monkeypatch.setattr(os, "system", no_system)
    folder = tmp_path / "postmortems"
    folder.mkdir()
    found = check_hostile(
        folder, VALID.replace("title: Checkout latency during the spring sale", f"title: {value}"), check
    )
    assert not (tmp_path / "pwned").exists()
    assert not (folder / "pwned").exists()
    # a diagnostic at the title, or the tagged scalar read as a plain string (empty: missing)
    assert found in ([], [("wrong-type", 2, 8, Level.ERROR)], [("missing-field", 2, 8, Level.ERROR)])
    if value.startswith("!!python/object/apply:os.system ["):
        assert found == [("wrong-type", 2, 8, Level.ERROR)]

"""Read a postmortem file and split it into YAML nodes (with source positions) and a Markdown body.

Hostile input is expected: sizes, encodings, NUL bytes and nesting depth are checked before the
YAML parser sees the text, so every file is handled in bounded time and memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..diagnostics import Diagnostic
from .formats import looks_like_markdown_postmortem
from .schema import POSTMORTEM

MAX_FILE_BYTES = 1_000_000
MAX_FLOW_DEPTH = 64
_BLOCK_NESTING = re.compile(r"^[ \t]*(?:[-?:][ \t]+(?:[&!][^ \t]*[ \t]+)*){32,}", re.MULTILINE)
_TOO_DEEP = ("yaml-too-deep", "the front matter is nested too deeply to be a postmortem", "flatten the structure")
_YAML_ONLY_BREAKS = {0x85: " ", 0x2028: " ", 0x2029: " "}
_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)

try:  # libyaml makes parsing several times faster; fall back to the pure-Python parser without it.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


SUPPRESS = "blameless-ok"  # in a comment on a line, or the line before, silences `blame-language` there


@dataclass(frozen=True)
class Source:
    """A postmortem file after the byte-level checks: its front matter as YAML nodes and its body."""

    path: str
    front_matter: yaml.Node
    body: str
    body_line: int
    suppressed_lines: frozenset[int] = frozenset()  # 1-based lines with a `blameless-ok` comment
    front_matter_text: str = ""  # the YAML as written: where a block scalar's text starts (the leak gate's columns)


def read_source(path: Path, display_path: str) -> tuple[Source | None, list[Diagnostic]]:
    """Read `path`; return its `Source`, or None and the diagnostics that explain why there is none."""

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # before reading it: memory stays bounded whatever the file
            return _too_large(display_path, size)
        raw = path.read_bytes()
    except OSError as error:
        return _fail(display_path, "unreadable-file",
                     f"cannot read the file: {error.strerror or error}", "check its permissions")
    return source_from_bytes(raw, display_path)


def source_from_bytes(raw: bytes, display_path: str) -> tuple[Source | None, list[Diagnostic]]:
    """A file's bytes (from disk, or an older version from git) as a `Source`, after the byte-level checks."""
    if len(raw) > MAX_FILE_BYTES:
        return _too_large(display_path, len(raw))
    if b"\0" in raw:
        return _fail(display_path, "binary-file",
                     "the file is binary, not Markdown", "postmortems are UTF-8 Markdown text files")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return _fail(
            display_path,
            "encoding",
            f"the file is not valid UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})",
            "re-save the file as UTF-8",
            line,
        )
    if not text.strip():
        return _fail(display_path, "empty-file",
                     "the file is empty", "start it with `postmortems new \"Title\"` or delete it")
    return parse_source(text.replace("\r\n", "\n").replace("\r", "\n"), display_path)


def parse_source(text: str, display_path: str) -> tuple[Source | None, list[Diagnostic]]:
    """Split `text` into front matter and body and compose the front matter into YAML nodes."""

    if not text.startswith("---\n") and text.rstrip("\n") != "---":
        return _fail(display_path, "front-matter-missing", *_no_front_matter(text))
    closing = _FENCE.search(text, 4)
    if closing is None:
        return _fail(display_path, "front-matter-unclosed",
                     "the front matter has no closing `---` line", "add a line `---` after the last field")
    # YAML also breaks lines at U+0085, U+2028 and U+2029; editors do not, so positions would drift.
    yaml_text = text[4 : closing.start()].translate(_YAML_ONLY_BREAKS)
    body_line = text.count("\n", 0, closing.end()) + 2
    body = text[closing.end() + 1 :]

    too_deep = _nesting_too_deep(yaml_text)
    if too_deep:
        return _fail(display_path, *_TOO_DEEP, too_deep + 1)
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 2, mark.column + 1) if mark else (2, 1)
        problem = " ".join(filter(None, [error.context, error.problem])) or "invalid YAML"
        lines = yaml_text.split("\n")
        tab_line = mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]
        hint = "indent with spaces, not tabs" if tab_line else (
            "quote values that contain `: `, `#`, or start with `@`, `*`, `&`, `[` or `{`"
        )
        return _fail(display_path, "yaml-syntax", f"the front matter is not valid YAML: {problem}", hint, line, col)
    except yaml.YAMLError as error:
        return _fail(display_path, "yaml-syntax",
                     f"the front matter is not valid YAML: {error}", "check the YAML syntax", 2)
    except RecursionError:  # the pure-Python parser recurses per nesting level
        return _fail(display_path, *_TOO_DEEP, 2)
    if node is None:
        return _fail(display_path, "front-matter-empty",
                     "the front matter is empty", "add the required fields, at least `title`", 2)
    suppressed = frozenset(number for number, line in enumerate(text.split("\n"), 1) if SUPPRESS in line) \
        if SUPPRESS in text else frozenset()
    return Source(display_path, node, body, body_line, suppressed, yaml_text), []


def required_fields() -> list[str]:
    """The front matter's required keys, nested ones dotted (`impact.summary`)."""
    return [f"{field.name}.{sub.name}" if sub else field.name for field in POSTMORTEM if field.required
            for sub in ([s for s in field.fields if s.required] or [None])]


def _no_front_matter(text: str) -> tuple[str, str]:
    """The message and hint of `front-matter-missing`: what the file looks like, and the way forward."""
    fields = ", ".join(f"`{name}`" for name in required_fields())
    add = (f"begin the file with a line `---`, the required fields ({fields}) and another `---` line; "
           "`postmortems new \"Title\" --severity SEV2 --service NAME` writes a complete one to copy from")
    headings = looks_like_markdown_postmortem(text)
    if not headings:
        return "the file does not start with YAML front matter", add
    shown = ", ".join(f"“{heading}”" for heading in headings[:5]) + (", ..." if len(headings) > 5 else "")
    return (f"the file has no YAML front matter: it looks like a Markdown postmortem with headings only ({shown})",
            f"convert it with `postmortems import markdown SOURCE`, or {add}")


def _too_large(path: str, size: int):
    return _fail(path, "file-too-large", f"file is {size:,} bytes; a postmortem may be at most {MAX_FILE_BYTES:,}",
                 "move logs, dumps and screenshots to attachments and link to them")


def _fail(path: str, code: str, message: str, hint: str, line: int = 1, col: int = 1):
    """No `Source`, and the one diagnostic that says why."""
    return None, [Diagnostic(path, line, col, code, message, hint)]


def _nesting_too_deep(yaml_text: str) -> int:
    """The 1-based line of nesting too deep for the YAML parser to handle safely, or 0."""
    if yaml_text.count("[") + yaml_text.count("{") > MAX_FLOW_DEPTH:
        depth = 0
        for offset, char in enumerate(yaml_text):
            if char in "[{":
                depth += 1
                if depth > MAX_FLOW_DEPTH:
                    return yaml_text.count("\n", 0, offset) + 1
            elif char in "]}" and depth:
                depth -= 1
    match = _BLOCK_NESTING.search(yaml_text)
    return yaml_text.count("\n", 0, match.start()) + 1 if match else 0

"""Read a postmortem file and split it into YAML nodes (with source positions) and a Markdown body.

Hostile input is expected: sizes, encodings, NUL bytes and nesting depth are checked before the
YAML parser sees the text, so every file is handled in bounded time and memory.
"""

from __future__ import annotations

import errno
import os
import re
import stat
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
_DASHES = re.compile(r"^---[ \t]*$", re.MULTILINE)
_FIELD = re.compile(r"^([A-Za-z_][\w-]*):(?:[ \t]|$)", re.MULTILINE)
_CONFLICT_START = re.compile(r"^<{7}(?: |$)", re.MULTILINE)
_CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7}|\|{7})(?: .*)?$", re.MULTILINE)

try:  # libyaml makes parsing several times faster; fall back to the pure-Python parser without it.
    _Parser = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    # PyYAML's stubs declare CSafeLoader whether or not libyaml was built in; the pure-Python loader stands in
    _Parser = yaml.SafeLoader  # type: ignore[assignment, misc]

_TAGS: dict[str, str] = {}  # a short plain scalar -> its implicit tag: keys and values recur from file to file


class _Loader(_Parser):
    """The safe loader, resolving each short plain scalar's tag once per process (the same keys, statuses and
    severities are in every file), and without the path resolvers the safe loader does not have."""

    def resolve(self, kind, value, implicit):
        if kind is not yaml.ScalarNode or not implicit[0] or len(value) > 40:
            return super().resolve(kind, value, implicit)
        tag = _TAGS.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(_TAGS) < 50_000:
                _TAGS[value] = tag
        return tag

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass


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
    """Read `path`; return its `Source`, or None and the diagnostics that explain why there is none.

    Only a regular file is read, and at most `MAX_FILE_BYTES` + 1 bytes of it: the size `stat` gives is not
    trusted (`/dev/zero` says 0), and a FIFO is opened without blocking and refused before any read."""
    try:
        raw = read_bounded(path)
    except NotRegularFile as refused:
        return _fail(
            display_path,
            "not-regular-file",
            f"this is {refused.kind}, not a file",
            "keep only regular files in the postmortems folder",
        )
    except OSError as error:
        return _fail(
            display_path, "unreadable-file", f"cannot read the file: {error.strerror or error}", "check its permissions"
        )
    if len(raw) > MAX_FILE_BYTES:  # read no further: how much larger does not matter
        return _too_large(display_path)
    return source_from_bytes(raw, display_path)


class NotRegularFile(OSError):
    """A FIFO, device or socket where a file was expected; `kind` says which."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_bounded(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` + 1 of them (one more tells "too large").

    `O_NONBLOCK` keeps a FIFO from blocking the open; the type is checked on the open descriptor (`fstat`), so a
    file swapped for a device after a check is still refused. Links are followed: the caller decides which to
    allow (`knowledge.survey`)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        status = os.fstat(descriptor)
        mode = status.st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        if not stat.S_ISREG(mode):
            raise NotRegularFile(next((kind for test, kind in _KINDS if test(mode)), "not a regular file"))
        # reads of the file's size (and one byte for the end): a larger buffer costs more to allocate than to fill
        size = max(status.st_size + 1, 4096)
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(descriptor, min(left, size))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
)


def wide_encoding(raw: bytes) -> str | None:
    """The name of the UTF-16 or UTF-32 encoding `raw` is in (by its BOM, or without one by where its NUL bytes
    fall in ASCII text), or None."""
    for bom, name in _WIDE_BOMS:
        if raw.startswith(bom):
            return name
    sample = raw[:4096]
    if len(sample) < 8 or b"\0" not in sample:
        return None
    for name, width, zero_at, text_at in (
        ("UTF-32 (little-endian)", 4, (1, 2, 3), 0),
        ("UTF-32 (big-endian)", 4, (0, 1, 2), 3),
        ("UTF-16 (little-endian)", 2, (1,), 0),
        ("UTF-16 (big-endian)", 2, (0,), 1),
    ):
        units = len(sample) // width
        zeros = all(sample[i::width][:units].count(0) >= 0.9 * units for i in zero_at)
        if zeros and sample[text_at::width][:units].count(0) < 0.1 * units:
            return name
    return None


def source_from_bytes(raw: bytes, display_path: str) -> tuple[Source | None, list[Diagnostic]]:
    """A file's bytes (from disk, or an older version from git) as a `Source`, after the byte-level checks."""
    if len(raw) > MAX_FILE_BYTES:
        return _too_large(display_path, len(raw))
    wide = wide_encoding(raw)
    if wide:
        return _fail(
            display_path,
            "encoding",
            f"the file is {wide}, not UTF-8",
            "re-save the file as UTF-8 (in most editors: “Save with encoding”, UTF-8)",
        )
    if b"\0" in raw:
        return _fail(
            display_path, "binary-file", "the file is binary, not Markdown", "postmortems are UTF-8 Markdown text files"
        )
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
        return _fail(
            display_path, "empty-file", "the file is empty", 'start it with `postmortems new "Title"` or delete it'
        )
    return parse_source(text.replace("\r\n", "\n").replace("\r", "\n"), display_path)


def parse_source(text: str, display_path: str) -> tuple[Source | None, list[Diagnostic]]:
    """Split `text` into front matter and body and compose the front matter into YAML nodes."""

    if not text.startswith("---\n") and text.rstrip("\n") != "---":
        return _fail(display_path, "front-matter-missing", *_no_front_matter(text))
    closing = _FENCE.search(text, 4)
    if closing is None:
        return _fail(
            display_path,
            "front-matter-unclosed",
            "the front matter has no closing `---` line",
            "add a line `---` after the last field",
        )
    if closing.group().startswith("..."):
        dashes = _DASHES.search(text, closing.end())
        if dashes is not None and _looks_like_fields(text[closing.end() : dashes.start()]):
            # `...` ends a YAML document: the fields after it would silently become body text
            return _fail(
                display_path,
                "front-matter-document-end",
                "a `...` line ends the front matter early; the fields after it would be read as text",
                "remove the `...` line: the front matter ends at the `---` line",
                text.count("\n", 0, closing.start()) + 1,
            )
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
        hint = (
            "indent with spaces, not tabs"
            if tab_line
            else ("quote values that contain `: `, `#`, or start with `@`, `*`, `&`, `[` or `{`")
        )
        return _fail(display_path, "yaml-syntax", f"the front matter is not valid YAML: {problem}", hint, line, col)
    except yaml.YAMLError as error:
        return _fail(
            display_path, "yaml-syntax", f"the front matter is not valid YAML: {error}", "check the YAML syntax", 2
        )
    except RecursionError:  # the pure-Python parser recurses per nesting level
        return _fail(display_path, *_TOO_DEEP, 2)
    if node is None:
        return _fail(
            display_path,
            "front-matter-empty",
            "the front matter is empty",
            "add the required fields, at least `title`",
            2,
        )
    problems = conflict_markers(text, display_path)
    suppressed = (
        frozenset(number for number, line in enumerate(text.split("\n"), 1) if SUPPRESS in line)
        if SUPPRESS in text
        else frozenset()
    )
    return Source(display_path, node, body, body_line, suppressed, yaml_text), problems


def required_fields() -> list[str]:
    """The front matter's required keys, nested ones dotted (`impact.summary`)."""
    return [
        name
        for field in POSTMORTEM
        if field.required
        for name in ([f"{field.name}.{sub.name}" for sub in field.fields if sub.required] or [field.name])
    ]


def _no_front_matter(text: str) -> tuple[str, str]:
    """The message and hint of `front-matter-missing`: what the file looks like, and the way forward."""
    fields = ", ".join(f"`{name}`" for name in required_fields())
    add = (
        f"begin the file with a line `---`, the required fields ({fields}) and another `---` line; "
        '`postmortems new "Title" --severity SEV2 --service NAME` writes a complete one to copy from'
    )
    headings = looks_like_markdown_postmortem(text)
    if not headings:
        return "the file does not start with YAML front matter", add
    shown = ", ".join(f"“{heading}”" for heading in headings[:5]) + (", ..." if len(headings) > 5 else "")
    return (
        f"the file has no YAML front matter: it looks like a Markdown postmortem with headings only ({shown})",
        f"convert it with `postmortems import markdown SOURCE`, or {add}",
    )


def _looks_like_fields(text: str) -> bool:
    """Whether `text` (between a `...` line and a later `---` line) holds front-matter fields: a line starting
    with a top-level key of the format (`public:`), and no Markdown heading, which would make it body text."""
    from .schema import POSTMORTEM  # the schema imports the model, which this module must not need at import

    keys = {field.name for field in POSTMORTEM}
    if re.search(r"^#", text, re.MULTILINE):
        return False
    return any(match.group(1) in keys for match in _FIELD.finditer(text))


def conflict_markers(text: str, display_path: str) -> list[Diagnostic]:
    """A diagnostic for each line of an unresolved merge conflict (`<<<<<<<`, `|||||||`, `=======`, `>>>>>>>`).
    `=======` alone is also a Markdown heading's underline, so lines count only in a file with a `<<<<<<<` line."""
    if "<<<<<<<" not in text or not _CONFLICT_START.search(text):
        return []
    return [
        Diagnostic(
            display_path,
            text.count("\n", 0, match.start()) + 1,
            1,
            "conflict-marker",
            f"a merge-conflict marker `{match.group()[:7]}`: the merge was not finished",
            "keep the right version of the lines between the markers, and remove the marker lines",
        )
        for match in _CONFLICT.finditer(text)
    ][:20]


def _too_large(path: str, size: int | None = None):
    told = f"file is {size:,} bytes" if size is not None else f"file is larger than {MAX_FILE_BYTES:,} bytes"
    return _fail(
        path,
        "file-too-large",
        f"{told}; a postmortem may be at most {MAX_FILE_BYTES:,}",
        "move logs, dumps and screenshots to attachments and link to them",
    )


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

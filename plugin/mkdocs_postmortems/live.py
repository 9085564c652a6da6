"""Live incidents: the on-call person's edits of a record while it happens, as text (no MkDocs, no YAML
re-emission).

`open_record` writes a new `status: ongoing` record with its first status-page post; `add_post` appends a post
(a `communications` entry with `audience: customers`, `channel: status-page`, its `status` and `at`), and,
when the record keeps its own `public.updates`, the same update there; `set_time` sets a timeline key
(`resolved`, `mitigated`). Each edit inserts or replaces whole lines of the front matter and leaves every other
line as it was, comments and order included; a value is written as a double-quoted YAML scalar. What cannot be
edited that way (a flow-style list with entries, a front matter that is not a block mapping) is an `EditError`,
never a rewrite.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from .policy import PUBLIC_IMPACTS, Policy

_DELIMITER = re.compile(r"^---\s*$")
TIMELINE_AFTER = {
    "detected": ("started",),
    "mitigated": ("detected", "started"),
    "resolved": ("mitigated", "detected", "started"),
}


class EditError(Exception):
    """The record cannot be edited line by line; the message says what to fix by hand."""


@dataclass(frozen=True)
class Post:
    """One status-page post: its status, when, and what it said."""

    status: str
    at: datetime
    message: str


def stamp(moment: datetime) -> str:
    """`2026-12-01T18:04:00Z`."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 .,()/'-]*[A-Za-z0-9.)]$")
_YAML_WORDS = {"yes", "no", "true", "false", "on", "off", "null", "y", "n"}


def quoted(text: str) -> str:
    """`text` as a YAML scalar: plain when it cannot be read as anything else (`Errors placing orders`), else
    double-quoted (JSON's string syntax, which YAML reads the same way)."""
    text = text.strip()
    if _PLAIN.match(text) and text.casefold() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(items) -> str:
    return "[" + ", ".join(quoted(item) for item in items) + "]"


def severity_for(impact: str, policy: Policy) -> str:
    """The severity an impact stands for, as `public_view` reads it backwards: critical the worst, major the
    next, minor the third (or the mildest the scale has)."""
    rank = PUBLIC_IMPACTS[::-1].index(impact)
    return policy.severities[min(rank, len(policy.severities) - 1)]


def open_record(
    title: str,
    components: list[str],
    services: list[str],
    impact: str,
    severity: str,
    author: str,
    post: Post,
    started: datetime,
    policy: Policy,
) -> str:
    """The text of a new ongoing record: what is known now, the first post, and the review's sections to come."""
    lines = [
        "---",
        f"title: {quoted(title)}",
        "status: ongoing",
        f"severity: {quoted(severity)}",
        f"services: {_flow(services)}",
        f"authors: {_flow([author])}",
        f"started: {stamp(started)}",
        f"detected: {stamp(post.at)}",
        "impact:",
        '  summary: "TODO: who was affected and how, in numbers"',
        "communications:",
        *_post_lines(post, "  "),
        "public:",
        f"  title: {quoted(title)}",
        f"  summary: {quoted(post.message)}",
        f"  components: {_flow(components)}",
        f"  impact: {impact}",
        "---",
        "",
        "<!-- Live incident: post updates with `postmortems incident update`, close it with "
        "`postmortems incident resolve`, then write the postmortem here (status: draft). -->",
        "",
    ]
    for section in policy.required_sections:
        lines += [f"## {section}", "", "TODO", ""]
    return "\n".join(lines)


def _post_lines(post: Post, indent: str) -> list[str]:
    return [
        f"{indent}- audience: customers",
        f"{indent}  channel: status-page",
        f"{indent}  at: {stamp(post.at)}",
        f"{indent}  status: {post.status}",
        f"{indent}  summary: {quoted(post.message)}",
    ]


def _update_lines(post: Post, indent: str) -> list[str]:
    return [
        f"{indent}- status: {post.status}",
        f"{indent}  at: {stamp(post.at)}",
        f"{indent}  body: {quoted(post.message)}",
    ]


class FrontMatter:
    """The lines of a record, and where its front matter's block mapping starts and ends."""

    def __init__(self, text: str):
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.lines = text.replace("\r\n", "\n").split("\n")
        if not self.lines or not _DELIMITER.match(self.lines[0]):
            raise EditError("the file does not start with `---` front matter")
        closing = next((i for i in range(1, len(self.lines)) if _DELIMITER.match(self.lines[i])), None)
        if closing is None:
            raise EditError("the front matter has no closing `---`")
        self.end = closing

    def text(self) -> str:
        return self.newline.join(self.lines)

    def find(self, key: str, start: int = 1, end: int | None = None, indent: int = 0) -> int | None:
        """The line of `key:` at exactly `indent` spaces between `start` and `end`, or None."""
        pattern = re.compile(rf"^ {{{indent}}}{re.escape(key)}\s*:(\s|$)")
        for index in range(start, self.end if end is None else end):
            if pattern.match(self.lines[index]):
                return index
        return None

    def block_end(self, index: int, indent: int) -> int:
        """The line after the block of the key at `index` (its nested lines, and `- ` items at its indent),
        trailing blank and comment lines left outside."""
        last, line = index, index + 1
        while line < self.end:
            text = self.lines[line]
            stripped = text.lstrip(" ")
            depth = len(text) - len(stripped)
            if stripped and not stripped.startswith("#"):
                if depth < indent or (depth == indent and not stripped.startswith("- ")):
                    break
                last = line
            line += 1
        return last + 1

    def value(self, index: int) -> str:
        """What follows `key:` on line `index`, without a trailing comment."""
        after = self.lines[index].split(":", 1)[1]
        return re.sub(r"\s+#.*$", "", after).strip()

    def append_item(self, key: str, item: list[str], parent: str | None = None) -> None:
        """Append `item` (lines written for an indent of zero, `- ` first) to the block list at `key` (top level,
        or below the top-level `parent`), creating the key before the closing `---` (or at the end of `parent`)
        if it is missing."""
        start, end, indent = 1, self.end, 0
        if parent is not None:
            parent_line = self.find(parent)
            if parent_line is None:
                raise EditError(f"the front matter has no `{parent}`")
            start, end = parent_line + 1, self.block_end(parent_line, 0)
            indent = _child_indent(self.lines, start, end)
        line = self.find(key, start, end, indent)
        pad = " " * indent
        if line is None:
            self._insert(end, [f"{pad}{key}:", *(f"{pad}  {text}" for text in item)])
            return
        value = self.value(line)
        if value in ("[]", "null", "~", ""):
            if value:
                self.lines[line] = f"{pad}{key}:"
            block = self.block_end(line, indent)
            item_indent = _item_indent(self.lines, line + 1, block, indent)
            self._insert(block, [" " * item_indent + text for text in item])
            return
        raise EditError(
            f"`{key}` is written in flow style ({value[:30]}…); make it a block list (one `- ` item a "
            "line) and run the command again"
        )

    def set_scalar(self, key: str, value: str, after: tuple[str, ...] = ()) -> None:
        """Set top-level `key: value`, in place if present, else after the first of `after` that is present."""
        line = self.find(key)
        if line is not None:
            comment = re.search(r"\s+#.*$", self.lines[line].split(":", 1)[1])
            self.lines[line] = f"{key}: {value}" + (comment.group(0) if comment else "")
            return
        anchor = next((self.find(name) for name in after if self.find(name) is not None), None)
        self._insert(self.end if anchor is None else anchor + 1, [f"{key}: {value}"])

    def _insert(self, index: int, new: list[str]) -> None:
        self.lines[index:index] = new
        self.end += len(new)


def _child_indent(lines: list[str], start: int, end: int) -> int:
    for text in lines[start:end]:
        stripped = text.lstrip(" ")
        if stripped and not stripped.startswith("#"):
            return len(text) - len(stripped)
    return 2


def _item_indent(lines: list[str], start: int, end: int, indent: int) -> int:
    """The indent of the list's `- ` items, as written; two more than the key's for a new list."""
    for text in lines[start:end]:
        stripped = text.lstrip(" ")
        if stripped.startswith("- "):
            return len(text) - len(stripped)
    return indent + 2


def add_post(text: str, post: Post, has_public_updates: bool) -> str:
    """`text` with `post` appended to `communications` (and to `public.updates`, which would hide it otherwise)."""
    front = FrontMatter(text)
    front.append_item("communications", [line[2:] for line in _post_lines(post, "  ")])
    if has_public_updates:
        front.append_item("updates", [line[2:] for line in _update_lines(post, "  ")], parent="public")
    return front.text()


def set_time(text: str, key: str, moment: datetime) -> str:
    """`text` with the timeline time `key` set to `moment`."""
    front = FrontMatter(text)
    front.set_scalar(key, stamp(moment), TIMELINE_AFTER.get(key, ()))
    return front.text()

"""Read composed YAML nodes against the schema: typed values, their positions, and type diagnostics."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from functools import partial

import yaml

from ..diagnostics import MAX_PER_FILE, Diagnostic
from ..model import DAY, NO_TIME
from ..policy import Policy
from .formats import close_match, foreign_meaning
from .schema import DATE_PART, DATE_PATTERN, OFFSET_PART, TIME_PART, Field, choices_of

STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
INT_TAG = "tag:yaml.org,2002:int"
BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP = re.compile(f"^{DATE_PART}{TIME_PART}{OFFSET_PART}?$")  # offset optional, to report it missing
_DATE = re.compile(DATE_PATTERN)
# After a plain value on its line: blanks, `#` and no blank: a word YAML took as a comment (`in #incidents`).
_COMMENT_CUT = re.compile(r"[ \t]+#(?=\S)")

Path = tuple  # a key path such as ("action_items", 0, "due")
_KEY_PATHS: dict[Path, Path] = {}  # one tuple per key path, shared by every postmortem's positions


def _shared(key_path: Path) -> Path:
    if len(_KEY_PATHS) >= 100_000:
        return key_path
    return _KEY_PATHS.setdefault(key_path, key_path)


class Reader:
    """Walks one front matter; collects `values`, `positions` (key path -> line, col) and `diagnostics`."""

    def __init__(self, path: str, policy: Policy, first_line: int = 2, text: str = ""):
        self.path = path
        self.text = text  # the YAML as written, if known
        self.policy = policy
        self.first_line = first_line
        self.positions: dict[Path, tuple[int, int]] = {}
        self.diagnostics: list[Diagnostic] = []
        self.precision: dict[str, str] = {}  # a `moment` field known only to the day, or not at all
        self.missing: dict[int, str] = {}  # index in `diagnostics` of each missing-field -> its dotted key, no indexes
        self.choices: dict[int, tuple[str, ...]] = {}  # id of a schema field -> its allowed values (`choices_of`)
        self._lines: list[str] | None = None  # `text` by line, split when a value needs it

    def at(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + self.first_line, node.start_mark.column + 1

    def text_at(self, node: yaml.ScalarNode) -> tuple[int, int]:
        """Where a quoted or block scalar's text starts: after the quote, or on the first line of the block at its
        indentation (the leak gate points at a term inside it)."""
        line, col = self.at(node)
        if node.style in ('"', "'"):
            return line, col + 1
        if not self.text:
            return line, col
        lines = self.text.split("\n", node.end_mark.line + 1)[node.start_mark.line + 1 : node.end_mark.line + 1]
        for text_line in lines:  # a leading blank line is text too: the text starts on the next line regardless
            if text_line.strip():
                return line + 1, len(text_line) - len(text_line.lstrip(" ")) + 1
        return line + 1, col

    def report_missing(self, node: yaml.Node, key_path: Path, message: str, hint: str) -> None:
        """A `missing-field`, remembered by key so a declared unknown (`provenance.unknown`) can accept it."""
        self.missing[len(self.diagnostics)] = ".".join(str(k) for k in key_path if not isinstance(k, int))
        self.report(node, "missing-field", message, hint)

    def report(self, node: yaml.Node, code: str, message: str, hint: str | Callable[[], str] = "") -> None:
        """Record a problem; `hint` may be a function, called only while the file is under its diagnostic cap."""
        line, col = self.at(node)
        if callable(hint):
            hint = hint() if len(self.diagnostics) < MAX_PER_FILE else ""
        self.diagnostics.append(Diagnostic(self.path, line, col, code, message, hint))

    def read_object(self, node: yaml.Node, fields: tuple[Field, ...], key_path: Path = ()) -> dict:
        """Read a mapping node into a dict of the known `fields`; report everything else."""
        if not isinstance(node, yaml.MappingNode):
            where = ".".join(map(str, key_path)) or "the front matter"
            self.report(
                node,
                "wrong-type",
                f"{where} must be a mapping of `key: value` lines, not {_describe(node)}",
                "write one `key: value` per line",
            )
            return {}
        known = {f.name: f for f in fields}
        values: dict = {}
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR_TAG:
                self.report(
                    key_node,
                    "invalid-key",
                    f"keys must be plain words, not {_describe(key_node)}",
                    f"use one of: {', '.join(known)}",
                )
                continue
            key = key_node.value
            if key in seen:
                first_line = self.at(seen[key])[0]
                self.report(
                    key_node,
                    "duplicate-key",
                    f"`{_dotted(key_path, key)}` is given twice",
                    f"it was first given on line {first_line}; keep one",
                )
                continue
            seen[key] = key_node
            field = known.get(key)
            if field is None:
                self.report(
                    key_node,
                    "unknown-key",
                    f"unknown key `{_dotted(key_path, key)}`",
                    partial(_unknown_key_hint, key, node, not key_path, known),
                )
                continue
            if value_node.tag == NULL_TAG:
                if field.required:
                    self.report_missing(
                        key_node,
                        (*key_path, key),
                        f"required field `{_dotted(key_path, key)}` is empty",
                        f"give `{key}` a value; {field.description}",
                    )
                    self.positions[_shared((*key_path, key))] = self.at(key_node)
                continue
            self.positions[_shared((*key_path, key))] = self.at(value_node)
            if isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">", '"', "'"):
                self.positions[_shared((*key_path, key, "text"))] = self.text_at(value_node)
            value = self.read_value(value_node, field, (*key_path, key))
            if value is not None:
                values[key] = value
        for field in fields:  # a required field that was given, however wrongly, has been reported already
            if field.required and field.name not in values and (*key_path, field.name) not in self.positions:
                self.report_missing(
                    node,
                    (*key_path, field.name),
                    f"required field `{_dotted(key_path, field.name)}` is missing",
                    f"add `{field.name}:`; {field.description}",
                )
        return values

    def read_value(self, node: yaml.Node, field: Field, key_path: Path):
        """Convert one value node to the Python value `field` declares, or report why it cannot be."""
        name = ".".join(map(str, key_path))
        if field.type == "object":
            return self.read_object(node, field.fields, key_path)
        if field.type in ("objects", "strings"):
            if not isinstance(node, yaml.SequenceNode):
                example = "[a, b]" if field.type == "strings" else "a list of `- key: value` entries"
                self.report(node, "wrong-type", f"`{name}` must be a list, not {_describe(node)}", f"write {example}")
                return None
            items: list[dict | str] = []  # objects' mappings, or strings
            for index, item in enumerate(node.value):
                self.positions[_shared((*key_path, index))] = self.at(item)
                if field.type == "objects":
                    items.append(self.read_object(item, field.fields, (*key_path, index)))
                else:
                    text = self.read_scalar(item, f"{name}[{index}]")
                    if text is not None and self.check_choice(item, field, text, f"{name}[{index}]"):
                        items.append(text)
            if field.required and not node.value and not field.empty_ok:
                self.report_missing(node, key_path, f"`{name}` needs at least one entry", field.description)
            return items
        text = self.read_scalar(node, name)
        if text is None:
            return None
        if not text and field.required:
            self.report_missing(
                node, key_path, f"required field `{name}` is empty", f"give it a value; {field.description}"
            )
            return None
        if field.type == "integer":
            number = _whole_number(text) if node.tag == INT_TAG else None
            if number is None:
                self.report(
                    node,
                    "wrong-type",
                    f"`{name}` must be a whole number ≥ 0, not `{text}`",
                    "write digits only, e.g. 12000",
                )
            return number
        if field.type == "boolean":
            if node.tag != BOOL_TAG:
                self.report(node, "wrong-type", f"`{name}` must be true or false, not `{text}`")
                return None
            return text.lower() in ("true", "yes", "on", "y")
        if field.type == "timestamp":
            return self.read_timestamp(node, text, name)
        if field.type == "moment":
            return self.read_moment(node, field, text, name)
        if field.type == "date":
            try:
                if _DATE.match(text):
                    return date.fromisoformat(text)
            except ValueError:
                pass
            self.report(node, "wrong-type", f"`{name}` must be a date `YYYY-MM-DD`, not `{text}`", "e.g. 2024-03-29")
            return None
        if field.type == "url" and not re.match(r"https?://\S+$", text):
            self.report(
                node,
                "wrong-type",
                f"`{name}` must be an http(s) URL, not `{text}`",
                "e.g. https://tracker.example/PAY-123",
            )
            return None
        return text if self.check_choice(node, field, text, name) else None

    def read_scalar(self, node: yaml.Node, name: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag == NULL_TAG:
            self.report(node, "wrong-type", f"`{name}` must be a single value, not {_describe(node)}")
            return None
        self.check_comment_cut(node, name)
        return node.value.strip()

    def check_comment_cut(self, node: yaml.ScalarNode, name: str) -> None:
        """`yaml-comment-cut` where a plain (unquoted) value is followed on its line by ` #` and a word (`#incidents`,
        `#123`): YAML ends the value there and drops the rest as a comment, which reads as a cut value. A comment
        written as one, with a space after `#` (`status: draft   # draft -> in-review`), is left alone."""
        if node.style or not self.text or "#" not in self.text:  # plain: None, or "" from libyaml
            return
        if self._lines is None:
            self._lines = self.text.split("\n")
        line = node.end_mark.line
        rest = self._lines[line][node.end_mark.column :] if line < len(self._lines) else ""
        cut = _COMMENT_CUT.match(rest)
        if cut is None:
            return
        comment = rest[cut.end() - 1 :].rstrip()
        comment = comment if len(comment) <= 24 else comment[:23].rstrip() + "…"
        column = node.end_mark.column + cut.end()  # of the `#`, from 1
        self.diagnostics.append(
            Diagnostic(
                self.path,
                line + self.first_line,
                column,
                "yaml-comment-cut",
                f"`{name}` reads `{node.value.strip()}`: YAML took `{comment}` after it as a comment",
                "quote the value if the rest of the line belongs to it; a comment has a space after `#`",
            )
        )

    def read_moment(self, node: yaml.Node, field: Field, text: str, name: str) -> datetime | None:
        """A timestamp; a date alone (midnight UTC, known to the day); or `unknown` (it happened, time unknown)."""
        if text == "unknown" and not field.required:
            self.precision[name] = NO_TIME
            return None
        if _DATE.match(text):
            try:
                day = date.fromisoformat(text)
            except ValueError:
                day = None
            if day is not None:
                self.precision[name] = DAY
                return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
        hint = "e.g. 2024-03-14T09:58:00Z, or 2024-03-14 when the time of day is unknown"
        return self.read_timestamp(node, text, name, hint if field.required else hint + ", or `unknown`")

    def read_timestamp(
        self, node: yaml.Node, text: str, name: str, example: str = "e.g. 2024-03-14T09:58:00Z"
    ) -> datetime | None:
        match = _TIMESTAMP.match(text)
        moment = None
        if match:
            fraction, offset = match.group(1) or "", match.group(2)
            local = text[: match.start(1) if fraction else match.start(2) if offset else len(text)]
            # no fromisoformat on the whole text: what it accepts differs between Python versions
            with contextlib.suppress(ValueError):
                moment = datetime.fromisoformat(local.replace(" ", "T"))
        if moment is None:
            self.report(node, "wrong-type", f"`{name}` must be an ISO 8601 timestamp, not `{text}`", example)
            return None
        if not offset:
            self.report(
                node,
                "timestamp-offset",
                f"`{name}` has no UTC offset: `{text}`",
                "add `Z` for UTC or an offset such as `+01:00`, e.g. 2024-03-14T09:58:00Z",
            )
            return None
        moment = moment.replace(microsecond=int((fraction[1:] + "000000")[:6]))
        if offset.upper() != "Z":
            hours, minutes = int(offset[1:3]), int(offset[-2:])
            if hours > 23 or minutes > 59:
                self.report(
                    node,
                    "wrong-type",
                    f"`{name}` has an impossible UTC offset `{offset}`",
                    "offsets run from -23:59 to +23:59, e.g. +01:00",
                )
                return None
            try:
                moment -= (1 if offset[0] == "+" else -1) * timedelta(hours=hours, minutes=minutes)
            except OverflowError:  # 0001-01-01T00:00:00+14:00 is a moment before the calendar's first day in UTC
                self.report(
                    node,
                    "timestamp-range",
                    f"`{name}` is outside the calendar in UTC: `{text}`",
                    "timestamps run from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z; write the real one",
                )
                return None
        return moment.replace(tzinfo=timezone.utc)

    def check_choice(self, node: yaml.Node, field: Field, text: str, name: str) -> bool:
        choices = self.choices.get(id(field))
        if choices is None:
            choices = self.choices[id(field)] = choices_of(field, self.policy)
        if not choices or text in choices:
            return True
        self.report(
            node,
            "invalid-value",
            f"`{name}` is `{text}`, which is not one of the configured values",
            lambda: did_you_mean(text, choices, f"allowed: {', '.join(choices)}"),
        )
        return False


def _unknown_key_hint(key: str, node: yaml.MappingNode, top_level: bool, known: dict[str, Field]) -> str:
    """The hint for an unknown `key` of the mapping `node`: at the top level, what it means in a foreign format (the
    mapping's other keys say which); else, or for a key no format has, the known key it misspells."""
    siblings = (k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode))
    return (top_level and foreign_meaning(key, siblings)) or did_you_mean(
        key, known, f"known keys here: {', '.join(known)}"
    )


def did_you_mean(word: str, candidates, otherwise: str) -> str:
    """`did you mean `x`?` when `word` is a misspelling of a candidate (`formats.close_match`), else `otherwise`."""
    close = close_match(word, candidates)
    return f"did you mean `{close}`?" if close else otherwise


def _whole_number(text: str) -> int | None:
    try:
        number = int(text.replace("_", ""))
    except ValueError:
        return None
    return number if number >= 0 else None


def _dotted(key_path: Path, key: str) -> str:
    return ".".join(map(str, (*key_path, key)))


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == NULL_TAG:
        return "an empty value"
    return f"`{node.value[:40]}`"

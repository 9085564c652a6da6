"""Diagnostics: every problem found in a postmortem, as a value."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Level(str, Enum):
    """How much a diagnostic matters; `off` silences a rule (see `Policy.rule_levels`)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    OFF = "off"


MAX_PER_FILE = 100  # a hostile file could otherwise produce a diagnostic per byte


@dataclass(frozen=True)
class Diagnostic:
    """One problem at one place: `path:line:col`, a stable rule `code`, what is wrong and how to fix it."""

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""
    level: Level = Level.ERROR

    def location(self) -> str:
        """`path:line:col`, the form editors and terminals turn into links."""
        return f"{self.path}:{self.line}:{self.col}"

    def headline(self) -> str:
        """`path:line:col: level [code] message`, on one line (`log_line`): how every adapter shows a diagnostic."""
        return log_line(f"{self.location()}: {self.level.value} [{self.code}] {self.message}")

    def one_line(self) -> str:
        """The headline and the hint in one line, for a log whose records are lines (the plugin's, under MkDocs)."""
        return f"{self.headline()} (hint: {log_line(self.hint)})" if self.hint else self.headline()

    def text(self) -> str:
        """The headline, and the hint on a line of its own below it, for a terminal (`check`, `generate`, `new`)."""
        return f"{self.headline()}\n    hint: {log_line(self.hint)}" if self.hint else self.headline()

    def as_dict(self) -> dict:
        """A JSON-ready mapping with stable keys."""
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "level": self.level.value,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


def log_line(text: str) -> str:
    """`text` as one line of a log that CI reads: carriage returns and newlines written as `\\r` and `\\n`, and a
    leading `::` broken up, so no value a postmortem holds can start a GitHub Actions workflow command."""
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return ": :" + text[2:] if text.startswith("::") else text


def cap_per_file(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """At most `MAX_PER_FILE` diagnostics a file, then one `too-many-problems` that says how many were left out."""
    kept: list[Diagnostic] = []
    per_path: dict[str, int] = {}
    for diagnostic in diagnostics:
        seen = per_path[diagnostic.path] = per_path.get(diagnostic.path, 0) + 1
        if seen <= MAX_PER_FILE:
            kept.append(diagnostic)
    for path, seen in per_path.items():
        if seen > MAX_PER_FILE:
            kept.append(
                Diagnostic(
                    path,
                    1,
                    1,
                    "too-many-problems",
                    f"{seen - MAX_PER_FILE} more problems in this file are not listed",
                    "fix the ones listed first; is this really a postmortem?",
                )
            )
    return kept

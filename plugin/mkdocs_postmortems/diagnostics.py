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


@dataclass(frozen=True, order=True)
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


def count(diagnostics, level: Level) -> int:
    """How many of `diagnostics` are at `level`."""
    return sum(1 for d in diagnostics if d.level is level)

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


# Every diagnostic code the project reports, with its default level and what it means.
CODES: dict[str, tuple[Level, str]] = {
    "unreadable-file": (Level.ERROR, "The file cannot be read."),
    "file-too-large": (Level.ERROR, "The file is larger than 1 MB."),
    "empty-file": (Level.ERROR, "The file is empty."),
    "binary-file": (Level.ERROR, "The file contains NUL bytes."),
    "encoding": (Level.ERROR, "The file is not UTF-8."),
    "folder-missing": (Level.WARNING, "The configured postmortems folder does not exist."),
    "not-markdown": (Level.WARNING, "A file in the postmortems folder that is not `.md`."),
    "front-matter-missing": (Level.ERROR, "The file does not start with a `---` line."),
    "front-matter-unclosed": (Level.ERROR, "The front matter has no closing `---` line."),
    "front-matter-empty": (Level.ERROR, "The front matter has no fields."),
    "yaml-syntax": (Level.ERROR, "The front matter is not valid YAML (the parser's position is given)."),
    "yaml-too-deep": (Level.ERROR, "The front matter nests too deeply to parse safely."),
    "invalid-key": (Level.ERROR, "A key that is not a plain word (a number, list or mapping)."),
    "duplicate-key": (Level.ERROR, "The same key twice in one mapping."),
    "unknown-key": (Level.ERROR, "A key the format does not define."),
    "missing-field": (Level.ERROR, "A required field is missing or empty."),
    "wrong-type": (Level.ERROR, "A value of the wrong type."),
    "invalid-value": (Level.ERROR, "A value outside its configured set."),
    "timestamp-offset": (Level.ERROR, "A timestamp without an explicit UTC offset."),
    "file-name": (Level.ERROR, "The file name is not `YYYY-MM-DD-slug.md`."),
    "file-date": (Level.ERROR, "The file name's date is not the UTC date of `started`."),
    "timestamp-order": (Level.ERROR, "Not started ≤ detected ≤ mitigated ≤ resolved."),
    "duplicate-root-cause-id": (Level.ERROR, "Two root causes share an `id`."),
    "unknown-root-cause": (Level.ERROR, "An action item `addresses` an id no root cause has."),
    "reviewer-required": (Level.ERROR, "In review or published without a reviewer."),
    "unknown-related": (Level.ERROR, "`related` names a postmortem that does not exist."),
    "duplicate-id": (Level.ERROR, "Two files have the same name in different folders."),
    "too-many-problems": (Level.ERROR, "More problems in one file than are worth listing; the first ones are shown."),
    "action-item-overdue": (Level.WARNING, "An open action item is past its due date."),
    "closed-date": (Level.WARNING, "A done or won't-do action item without a `closed` date, or a `closed` date that "
                                   "does not fit its status or the build date."),
    "wont-do-reason": (Level.WARNING, "An action item set to `wont-do` without a `reason`."),
    "action-items-missing": (Level.WARNING, "A published postmortem of a severity that needs action items has none."),
    "section-missing": (Level.WARNING, "A postmortem in review or published lacks a required body section."),
    "placeholder-left": (Level.WARNING, "A postmortem in review or published still has a `TODO` from the template."),
    "timestamp-missing": (Level.WARNING, "A published postmortem without `detected`, `mitigated` or `resolved`."),
    "published-date": (Level.WARNING, "A published postmortem without `published_on`, or published before it was resolved."),
    "publish-overdue": (Level.WARNING, "Not published within the severity's business days of `resolved`."),
    "action-item-deadline": (Level.WARNING, "A first-priority action item due later than the severity allows after `resolved`."),
    "cause-unaddressed": (Level.WARNING, "A published postmortem's causal root cause that no action item addresses."),
    "done-when-missing": (Level.WARNING, "A published postmortem's first-priority action item without `done_when`."),
    "impact-unquantified": (Level.WARNING, "A published postmortem's impact without `customers_affected` or `requests_failed`."),
    "root-cause-shallow": (Level.WARNING, "A published postmortem with causal root causes only: no contributing or systemic one."),
    "communication-missing": (Level.WARNING, "A published postmortem that records no communication to internal teams."),
    "communication-owed": (Level.WARNING, "A notice the communication policy requires (customers, regulators) is "
                                          "missing or late."),
    "public-leak": (Level.ERROR, "Public text that names an internal service, a person, a ticket or an internal host."),
    "blame-language": (Level.WARNING, "Wording that blames a person instead of describing the system."),
    "unknown-given": (Level.WARNING, "`provenance.unknown` lists a fact the record gives after all."),
}


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
            kept.append(Diagnostic(path, 1, 1, "too-many-problems",
                                   f"{seen - MAX_PER_FILE} more problems in this file are not listed",
                                   "fix the ones listed first; is this really a postmortem?"))
    return kept

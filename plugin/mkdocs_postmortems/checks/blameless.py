"""Blameless language: wording that puts a person, not the system, at the centre of a failure.

`find_blame` returns `Finding`s in a text; `check_blame`, the `blame-language` rule, runs it over every
postmortem at once and handles `blameless-ok` suppression. Decisions:

- "should have" is flagged wherever it appears, about systems too ("the alert should have fired") and
  after a negation: it is hindsight either way; say what happened and why. "should have to" is not.
- "we" and pronouns are never the subject of a failure: "we missed the SLO" is the team owning an
  outcome, and "he", "she" or "they" cannot be told apart from a system.
- A person is the subject of a failure when one of `names` (also `@name`) or a role ("the on-call
  engineer", "someone", ...) is followed, within four words of the same clause, by a failure verb
  ("forgot", "failed to", ...). The window stops at punctuation, at words that open a clause ("and",
  "that", "when", ...) and at forms of "be" (a passive: "requests will be ignored"). A possessive is
  not a subject ("alice's change caused"). It is a heuristic: "alice saw the job failed to start" is flagged.
- Judgement words (error, fault, blame, careless, ...) right after a negation are not flagged:
  "this was not human error", "nobody's fault", "we do not assign blame".
- "faulty", "fault tolerance", "failover", "blameless" are not blame; "fault of" always is.
- Findings never overlap: where two would, the one starting first is kept.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ..diagnostics import Diagnostic, Level
from ..model import Postmortem
from ..parsing.markdown import code_lines
from ..people import people
from .registry import RULES, Context, Scope, rule
from .review import free_texts

# Whitespace with at most one line break: a phrase may wrap onto the next line but not cross a paragraph.
_SP = r"(?:[^\S\n]++\n?+|\n)[^\S\n]*+"  # possessive: a long run of spaces costs no backtracking


@dataclass(frozen=True)
class Finding:
    """Blaming wording at `line` (0-based, in the text given) and `col` (1-based), with how to rewrite it."""

    line: int
    col: int
    phrase: str
    message: str
    hint: str


class Phrase(NamedTuple):
    """A built-in rule: a lower-case regex (it is matched against lower-cased text), a space standing for any space."""

    pattern: str
    message: str  # `{}` is the phrase as written
    hint: str
    negatable: bool = True  # skipped right after "not", "no", "never", "without", "n't"...


DEFAULT_PHRASES: tuple[Phrase, ...] = (
    Phrase(
        r"(?:human|operator) errors?",
        "“{}” is a label, not a cause: it stops the analysis at a person",
        'ask what made the action possible and its effect hard to see, e.g. "the CLI ran against production '
        'without asking for confirmation"',
    ),
    Phrase(
        r"should(?: not|n['’]t)? have(?! to\b)|should(?:n['’]t)?['’]ve",
        "“{}” judges with hindsight",
        'describe what the system made easy or hard, e.g. "the runbook did not mention draining the node"',
        negatable=False,
    ),
    Phrase(
        r"careless(?:ly|ness)?",
        "“{}” judges a person's care instead of the system's safeguards",
        'describe what made the slip easy, e.g. "both commands look alike and neither asks for confirmation"',
    ),
    Phrase(
        r"negligen(?:t|tly|ce)",
        "“{}” is a legal judgement of a person",
        'name the safeguard that was missing, e.g. "changes to firewall rules needed no review"',
    ),
    Phrase(
        r"sloppy|sloppily|sloppiness|incompeten(?:t|ce)|lazy(?![\s-]?(?:load|init|eval|import|fetch|iterat|sequence"
        r"|propert|singleton|mode|delet|expir|evaluat|compil|bind|val\b|list|stream|quantifier|match))|laziness",
        "“{}” judges a person's character",
        'describe the working conditions, e.g. "the check was manual, took 40 minutes and was often skipped"',
    ),
    # "'s fault" starts at the apostrophe, for speed; `find_blame` adds the owner's name to the phrase
    Phrase(
        r"fault of|(?:was|were|is|are) at fault|(?<!\bit)(?<!\bthat)(?<!\bthere)(?<!\bwhat)(?<!\bwho)(?<!\bnobody)"
        r"['’]s fault(?![\w-]| (?:toleran|domain|injection|zone|line|isolation|detection|handling|code|state|mode|led|light))",
        "“{}” assigns fault to someone",
        'list the conditions that contributed, e.g. "the alert threshold was above the error rate of the outage"',
    ),
    Phrase(
        r"(?<!git\s)blam(?:e|es|ed|ing)",
        "“{}” looks for someone to blame",
        'ask what the system allowed, e.g. "the config change could go out without a canary"',
    ),
    Phrase(
        r"did(?: not|n['’]?t) bother",
        "“{}” presumes a person's motive",
        'say why skipping the step looked reasonable then, e.g. "the check took 20 minutes and had never failed"',
        negatable=False,
    ),
)

# Every first character a built-in match can start with (keep in step with the patterns): the regex tries its many
# alternatives only where one of these starts a word, or at an apostrophe right after a word.
_BUILTIN_FIRST = "abcdfhilnostw'’"
# A word stem every built-in match contains (keep in step with the patterns, as `_BUILTIN_FIRST`): the regex, the
# slow part at thousands of postmortems, runs only around the lines that hold one.
_STEMS = (
    "error",
    "should",
    "careless",
    "negligen",
    "slopp",
    "incompeten",
    "lazy",
    "lazi",
    "fault",
    "blam",
    "did",
    "failed",
    "forgot",
    "missed",
    "neglected",
    "ignored",
    "overlooked",
    "broke",
    "mistakenly",
    "accidentally",
    "inadvertently",
    "caused",
    "messed",
    "screwed",
)
_ROLE = (
    r"(?:the|an?) (?:on(?:-| )?call(?: (?:engineer|sre|responder))?|engineer|operator|developer|sre"
    r"|responder|admin(?:istrator)?)|some(?:one|body)"
)
_FAILURE = (
    r"failed to|forgot(?:ten)?|missed|neglected|ignored|overlooked|broke|mistakenly|accidentally"
    r"|inadvertently|caused|(?:messed|screwed) up|did(?: not|n['’]?t) (?:check|notice|test|follow|read|verify)"
)
_STOP = (
    r"(?:and|but|or|so|because|when|while|after|before|until|since|that|which|who|if|although|though"
    r"|am|is|are|was|were|be|been|being)\b"
)
_GAP = rf"[*_]*+{_SP}[*_]*+"  # emphasis markers may surround the words
_WORD = rf"\b(?!{_STOP})\w[\w'’-]*+"
# The messages of a person as the subject of a failure, and of a configured phrase; their patterns are built per site.
_SUBJECT = Phrase(
    "",
    "“{}” makes a person, not the system, the subject of the failure",
    'make the system the subject: what let the step be missed, or hid its effect, e.g. "the deploy '
    'script did not drain the node and nothing checked that it was drained"',
    negatable=False,
)
_EXTRA = Phrase(
    "",
    "“{}” is on this site's list of blaming phrases",
    "describe the system condition that allowed the action, not the person who took it",
    negatable=False,
)

_TICKS = re.compile(r"`+")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_URL = re.compile(r"(?=[hfwm<\]])(?:(?:https?://|ftp://|www\.|mailto:)[^\s<>`]+|<[^\s<>]+>|\]\([^()\s]*\))", re.I)
_URL_MARKERS = ("://", "www.", "mailto:", "<", "](")  # a text without any has no URL for `_URL` to blank
_CLAUSE_BREAK = re.compile(r"[.!?;:,()]|\n[^\S\n]*\n")
_OWNER = re.compile(r"\w*$")
_NEGATION = re.compile(r"(?:\b(?:not|no|never|without|nobody|nor|cannot)|n['’]t)\W+(?:\w+\W+){0,3}$")


def _spaced(pattern: str) -> str:
    return pattern.replace(" ", _SP)


def _literal(phrase: str) -> str:
    return _SP.join(re.escape(word) for word in phrase.split())


def _lower(text: str) -> str:
    """`text` in lower case, character for character (offsets kept): matching is then case-insensitive without
    `re.IGNORECASE`, which makes the scan twice as slow. "İ" is the one character whose `lower()` is longer."""
    return text.replace("\u0130", "i").lower()


def _unique(values: Iterable[str], strip: str = "") -> tuple[str, ...]:
    """Non-empty values in lower case with spaces normalised, once each, longest first."""
    return tuple(
        sorted(
            {" ".join(_lower(str(value)).strip().lstrip(strip).split()) for value in values} - {""},
            key=lambda value: (-len(value), value),
        )
    )


@lru_cache(maxsize=64)
def _compile(names: tuple[str, ...], phrases: tuple[str, ...], allowed: tuple[str, ...]):
    """The blame regex (one named group per rule) and the allowed regex (None without allowed phrases), both for
    lower-case text."""
    people = ("@?(?:" + "|".join(map(_literal, names)) + ")|" if names else "") + _spaced(_ROLE)
    rules = [rf"(?P<subject>(?:{people})(?:{_GAP}{_WORD}){{0,4}}{_GAP}(?:{_spaced(_FAILURE)}))"]
    rules += [f"(?P<d{i}>{_spaced(row.pattern)})" for i, row in enumerate(DEFAULT_PHRASES)]
    rules += [f"(?P<x{i}>{_literal(phrase)})" for i, phrase in enumerate(phrases)]
    first = (
        "".join(sorted({re.escape(value[0]) for value in names + phrases})) + _BUILTIN_FIRST + ("@" if names else "")
    )
    blame = re.compile(rf"(?=[{first}])(?:(?<![\w@])(?!['’])|(?<=\w)(?=['’]s))(?:" + "|".join(rules) + r")(?!\w)")
    allow = re.compile(r"(?<![\w@])(?:" + "|".join(map(_literal, allowed)) + r")(?!\w)") if allowed else None
    return blame, allow


def _blank(match: re.Match) -> str:
    found = match.group()
    return " " * len(found) if "\n" not in found else re.sub(r"[^\n]", " ", found)


def _without_code_spans(line: str) -> str:
    """`line` with each inline code span blanked: a run of backticks up to the next run of the same length."""
    if "`" not in line:
        return line
    runs = list(_TICKS.finditer(line))
    closer: list[int | None] = [None] * len(runs)
    later: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        size = runs[index].end() - runs[index].start()
        closer[index], later[size] = later.get(size), index
    parts, done, index = [], 0, 0
    while index < len(runs):
        end_run = closer[index]
        if end_run is None:
            index += 1
            continue
        start, end = runs[index].start(), runs[end_run].end()
        parts += [line[done:start], " " * (end - start)]
        done, index = end, end_run + 1
    return "".join(parts) + line[done:]


def prose_only(text: str) -> str:
    """`text` with fenced code, inline code, HTML comments and URLs blanked, every offset and line kept."""
    prose = text
    if "`" in text or "~~~" in text:  # no fence and no code span without one of them
        lines = text.split("\n")
        prose = "\n".join(
            " " * len(line) if code else _without_code_spans(line)
            for line, code in zip(lines, code_lines(lines), strict=True)
        )
    if "<!--" in prose:
        prose = _COMMENT.sub(_blank, prose)
    if any(marker in prose for marker in _URL_MARKERS):
        prose = _URL.sub(_blank, prose)
    return prose


def _windows(prose: str, stems: Iterable[str], line_starts: list[int]) -> list[tuple[int, int]]:
    """Character spans worth matching: each line holding a stem, with the lines before and after it (a phrase or
    a name may wrap), merged. A plain substring search per stem, much faster than the regex over everything."""
    lines = set()
    for stem in stems:
        at = prose.find(stem)
        while at != -1:
            lines.add(bisect_right(line_starts, at) - 1)
            at = prose.find(stem, at + 1)
    windows: list[tuple[int, int]] = []
    for line in sorted(lines):
        start = line_starts[max(line - 1, 0)]
        end = line_starts[line + 2] if line + 2 < len(line_starts) else len(prose)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def _negated(prose: str, start: int) -> bool:
    """Whether a negation comes at most three words before `start` in the same clause."""
    return bool(_NEGATION.search(_CLAUSE_BREAK.split(prose[max(0, start - 60) : start])[-1]))


def find_blame(
    text: str,
    names: Iterable[str] = (),
    phrases: Iterable[str] = (),
    allowed: Iterable[str] = (),
    markdown: bool = True,
) -> list[Finding]:
    """Blaming wording in `text`: built-in phrases, extra `phrases`, and `names` or roles as the subject of a failure.

    Case-insensitive, whole words; a finding inside one of the `allowed` phrases is dropped. With `markdown`, code,
    HTML comments and URLs are skipped. Linear in the size of `text`; the regexes are built once per configuration.
    """
    phrases = _unique(phrases)
    prose = _lower(prose_only(text) if markdown else text)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    windows = _windows(prose, (*_STEMS, *(phrase.split()[0] for phrase in phrases)), line_starts)
    if not windows:
        return []
    blame, allow = _compile(_unique(names, "@"), phrases, _unique(allowed))
    allowed_spans = [m.span() for m in allow.finditer(prose)] if allow else []
    findings = []
    for match in (match for start, end in windows for match in blame.finditer(prose, start, end)):
        start, end = match.span()
        if prose[start] in "'’":  # "alice's fault": the owner is part of the phrase
            owner = _OWNER.search(prose, max(0, start - 40), start)  # `\w*$` matches, if only the empty word
            if owner is not None:
                start -= len(owner.group())
        inside = bisect_right(allowed_spans, (start, len(prose))) - 1
        if inside >= 0 and allowed_spans[inside][1] >= end:
            continue
        kind = match.lastgroup
        row = _SUBJECT if kind == "subject" else _EXTRA if kind[0] == "x" else DEFAULT_PHRASES[int(kind[1:])]
        if row.negatable and _negated(prose, start):
            continue
        line = bisect_right(line_starts, start) - 1
        message = row.message.format(" ".join(text[start:end].split()))
        findings.append(Finding(line, start - line_starts[line] + 1, text[start:end], message, row.hint))
    return findings


@rule(
    "blame-language",
    Level.WARNING,
    "Wording that blames a person instead of describing the system.",
    scope=Scope.KNOWLEDGE_BASE,
    docs="reviewing.md#blameless-language",
)
def check_blame(postmortems: list[Postmortem], ctx: Context) -> list[Diagnostic]:
    """`blame-language` over every postmortem's body and free-text fields.

    A person is anyone the knowledge base names as an author, reviewer or owner, or the policy's
    `blameless_names`, but for initials, common words and organisations (`people.people`): one list, so the
    lint's patterns are built once per build, not once per postmortem.
    """
    policy = ctx.policy
    options = {
        "names": ctx.people if ctx.people is not None else people(postmortems, policy),
        "phrases": policy.blameless_phrases,
        "allowed": policy.blameless_allowed,
    }
    # A postmortem's findings depend on it and on `options` alone: a rebuild under `mkdocs serve` (`ctx.memo`, kept by
    # the knowledge base's cache) scans only the postmortems that changed, as long as the people stay the same.
    previous = ctx.memo.get("blame-language")
    reuse = previous["by_pm"] if previous is not None and previous["options"] == options else {}
    by_pm: dict[int, tuple[Postmortem, list[Diagnostic]]] = {}
    ctx.memo["blame-language"] = {"options": options, "by_pm": by_pm}
    found = []
    for pm in postmortems:
        hit = reuse.get(id(pm))
        if hit is not None and hit[0] is pm:
            found += hit[1]
            by_pm[id(pm)] = hit
            continue
        mine = _blame_in(pm, options)
        by_pm[id(pm)] = (pm, mine)
        found += mine
    return found


def _blame_in(pm: Postmortem, options: dict) -> list[Diagnostic]:
    """`blame-language` in one postmortem's free-text fields and body, but where a `blameless-ok` comment allows it:
    on the finding's line or the line before, or, for a block of text (`|`, `>`), where no comment can go, on the
    line of its key or the line before."""
    found = []
    fields = [(key_path, text) for key_path, text in free_texts(pm) if text and key_path[-1] != "owner"]
    starts, line = [], 0  # each field's first line in the joined text; blank lines keep phrases apart
    for _, text in fields:
        starts.append(line)
        line += text.count("\n") + 2
    for finding in find_blame("\n\n".join(text for _, text in fields), markdown=False, **options):
        index = bisect_right(starts, finding.line) - 1
        key_path, text = fields[index]
        lines = text.split("\n")[: finding.line - starts[index]]
        offset = sum(len(before) + 1 for before in lines) + finding.col - 1
        diagnostic = _blame(pm, *pm.text_position(key_path, text, offset), finding)
        if not _suppressed(diagnostic.line, pm) and not (
            (*key_path, "text") in pm.positions and _suppressed(pm.position_of(*key_path)[0], pm)
        ):
            found.append(diagnostic)
    body = [_blame(pm, pm.body_line + f.line, f.col, f) for f in find_blame(pm.body, **options)]
    return found + [d for d in body if not _suppressed(d.line, pm)]


def _suppressed(line: int, pm: Postmortem) -> bool:
    """A `blameless-ok` comment on `line` or the line before."""
    return line in pm.suppressed_lines or line - 1 in pm.suppressed_lines


def _blame(pm: Postmortem, line: int, col: int, found) -> Diagnostic:
    return Diagnostic(
        pm.path,
        line,
        col,
        "blame-language",
        found.message,
        f"{found.hint}; or add a `blameless-ok` comment if the wording is justified",
        RULES["blame-language"].level,
    )

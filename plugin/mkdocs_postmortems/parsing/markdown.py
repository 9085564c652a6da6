"""The Markdown structure of a postmortem's body that the rules need: which lines are fenced code, and the
headings outside it. One scanner, so the section rules and the blameless lint agree on what is code."""

from __future__ import annotations

import re
from collections.abc import Iterator

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$")
_CANDIDATE = re.compile(r"^ {0,3}[#`~].*$", re.MULTILINE)  # a line that may be a fence or a heading


def code_lines(lines: list[str]) -> Iterator[bool]:
    """For each line, whether it belongs to fenced code (its fence lines included), after CommonMark: a fence
    closes only on a line of the same character, at least as long, with nothing after it; a backtick fence's
    info string holds no backtick; an unclosed fence runs to the end."""
    fence = ""
    for line in lines:
        fence, code = _step(fence, line)
        yield code


def body_headings(body: str) -> list[str]:
    """The text of every ATX heading of a Markdown body, outside fenced code. Only lines that may open or close
    a fence or be a heading change anything, so only those are looked at."""
    fence, headings = "", []
    for candidate in _CANDIDATE.finditer(body):
        line = candidate.group()
        fence, code = _step(fence, line)
        if not code and (heading := _HEADING.match(line)):
            headings.append(heading.group(2))
    return headings


def _step(fence: str, line: str) -> tuple[str, bool]:
    """The fence still open after `line` (or ""), given the one open before it, and whether `line` is code."""
    marker = _FENCE.match(line)
    if fence:
        closes = (
            marker
            and marker.group(1)[0] == fence[0]
            and len(marker.group(1)) >= len(fence)
            and not marker.group(2).strip()
        )
        return ("" if closes else fence), True
    if marker and not (marker.group(1)[0] == "`" and "`" in marker.group(2)):
        return marker.group(1), True
    return "", False

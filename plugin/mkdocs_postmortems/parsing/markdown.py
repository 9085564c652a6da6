"""The Markdown structure of a postmortem's body that the rules need: which lines are fenced code, and the
headings outside it. One scanner, so the section rules and the blameless lint agree on what is code."""

from __future__ import annotations

import re
from typing import Iterator

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$")


def code_lines(lines: list[str]) -> Iterator[bool]:
    """For each line, whether it belongs to fenced code (its fence lines included), after CommonMark: a fence
    closes only on a line of the same character, at least as long, with nothing after it; a backtick fence's
    info string holds no backtick; an unclosed fence runs to the end."""
    fence = ""
    for line in lines:
        marker = _FENCE.match(line)
        if fence:
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence) \
                    and not marker.group(2).strip():
                fence = ""
            yield True
        elif marker and not (marker.group(1)[0] == "`" and "`" in marker.group(2)):
            fence = marker.group(1)
            yield True
        else:
            yield False


def body_headings(body: str) -> list[str]:
    """The text of every ATX heading of a Markdown body, outside fenced code."""
    lines = body.split("\n")
    return [heading.group(2) for line, code in zip(lines, code_lines(lines))
            if not code and (heading := _HEADING.match(line))]

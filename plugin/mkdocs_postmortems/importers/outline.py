"""A Markdown text's outline as its author wrote it, for the importers: its sections under ATX (`## Impact`) and
setext (a line underlined with `===` or `---`) headings, code skipped; its list items whole (wrapped and lazy lines,
paragraphs indented under an item, nested lists, the details of a numbered list's steps); its table cells; and a
section's first paragraph or list as one line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_SETEXT = re.compile(r"^ {0,3}(=|-)\1*[ \t]*$")  # the underline of a setext heading
_MARKER = re.compile(r"^( *)([-*+]|\d{1,9}[.)])(?:[ \t]+|$)(?:\[([ xX])\][ \t]+)?(.*)$")  # a list item's first line
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")  # a thematic break: no item
_BLOCK = re.compile(r"^ {0,3}(?:#{1,6}[ \t]|\||>|<[a-zA-Z/!]|```|~~~)")  # a block that ends a paragraph


def sections_of(text: str) -> list[tuple[int, str, list[str]]]:
    """(level, heading, lines) of each heading of `text` (level 0 for the text before the first), code skipped.
    A heading is an ATX heading (`## Impact`) or a setext one (a line of text underlined with `===` or `---`)."""
    sections: list[tuple[int, str, list[str]]] = [(0, "", [])]
    fence = None
    for line in text.split("\n"):
        marker = _FENCE.match(line)
        if marker:
            fence = None if fence == marker.group(1) else fence or marker.group(1)
        heading = _HEADING.match(line) if fence is None and not marker else None
        underline = _SETEXT.match(line) if fence is None and not marker else None
        lines = sections[-1][2]
        if heading:
            sections.append((len(heading.group(1)), heading.group(2).strip(), []))
        elif underline and lines and _underlined(lines[-1]):
            sections.append((1 if underline.group(1) == "=" else 2, lines.pop().strip(), []))
        else:
            lines.append(line)
    return sections


def _underlined(line: str) -> bool:
    """Whether a line above `===` or `---` is a setext heading's text: a line of a paragraph of its own."""
    return bool(
        line.strip()
        and not line.startswith(("    ", "\t"))
        and not _MARKER.match(line)
        and not _BLOCK.match(line)
        and not _SETEXT.match(line)
    )


def canonical(heading: str) -> str:
    """A heading casefolded, without a trailing `(...)` note, markup or numbering (`2. Root Cause (why)`)."""
    text = re.sub(r"[*_`]", "", heading).casefold().strip()
    text = re.sub(r"^\d+(\.\d+)*[.)]?\s+", "", text)
    return re.sub(r"\s*\(.*\)\s*$", "", text).strip()


@dataclass
class ListItem:
    """A list item whole: its `line` (index of its first line), whether its box is `checked` (None: no box), its
    `paragraphs` (the lines of each joined, as Markdown renders them), the `points` of its nested list, whether it
    is `ordered` (numbered), and the `run` of lists it is in."""

    line: int
    checked: bool | None
    paragraphs: list[str]
    points: list[ListItem] = field(default_factory=list)
    ordered: bool = False  # a numbered item
    run: int = 0  # the list it is in: text between lists parts them

    def text(self) -> str:
        """The item as one line: its paragraphs, then its points (`Text: one; two`, or `Text (one; two)`)."""
        words = " ".join(paragraph for paragraph in self.paragraphs if paragraph)
        if not self.points:
            return words
        points = "; ".join(point.text() for point in self.points)
        if not words:
            return points
        return f"{words} {points}" if words.endswith(":") else f"{words} ({points})"


def list_items(lines: list[str]) -> list[ListItem]:
    """The items of the lists in `lines`, each whole: a line indented under an item, or one that continues its
    paragraph without a blank line (a lazy continuation), belongs to it; a list indented under it is its points;
    code inside an item is left out of its text. A blank line then an unindented line ends the list."""
    items: list[ListItem] = []
    open_items: list[tuple[int, ListItem]] = []  # (marker indent, item), outermost first
    blank, fence, run = False, "", 0
    for number, raw in enumerate(lines):
        line = raw.expandtabs(4)
        stripped = line.strip()
        if fence:
            fence = "" if stripped.startswith(fence) else fence
            continue
        if not stripped:
            blank = True
            continue
        indent = len(line) - len(line.lstrip(" "))
        marker = _MARKER.match(line) if not _RULE.match(line) else None
        if marker and (open_items or indent <= 3):
            while open_items and open_items[-1][0] >= indent:
                open_items.pop()
            box = marker.group(3)
            checked = None if box is None else box != " "
            item = ListItem(number, checked, [marker.group(4).strip()], [], marker.group(2)[0].isdigit(), run)
            (open_items[-1][1].points if open_items else items).append(item)
            open_items.append((indent, item))
        elif open_items:
            owners = [index for index, (at, _) in enumerate(open_items) if indent > at]
            if stripped.startswith(("```", "~~~")) and (owners or not blank):
                fence = stripped[:3]
            elif not blank and not _BLOCK.match(line):  # the paragraph goes on
                paragraphs = open_items[-1][1].paragraphs
                paragraphs[-1] = f"{paragraphs[-1]} {stripped}".strip()
            elif blank and owners:  # a paragraph of its own, indented under its item
                del open_items[owners[-1] + 1 :]
                open_items[-1][1].paragraphs.append(stripped)
            else:
                open_items.clear()
                run += 1
        blank = False
    return _steps_with_details(items)


def _steps_with_details(items: list[ListItem]) -> list[ListItem]:
    """A bullet list written unindented between the steps of a numbered list (`1. Step`, a blank line, `- detail`)
    is the previous step's details, as its author meant; and so is one after the last step when that step ends
    with a colon (“... while monitoring:”). Text between them parts them (`ListItem.run`)."""
    kept: list[ListItem] = []
    step = None  # the last step, while only its details follow it
    for index, item in enumerate(items):
        if item.ordered:
            kept.append(item)
            step = item
            continue
        if step is not None and step.run == item.run:
            later = any(other.ordered and other.run == item.run for other in items[index + 1 :])
            if later or " ".join(step.paragraphs).endswith(":"):
                step.points.append(item)
                continue
        step = None
        kept.append(item)
    return kept


def table_cells(line: str) -> list[str] | None:
    """The cells of a table row, or None for a line that is no row (or the row under the header)."""
    line = line.strip()
    if not line.startswith("|") or re.fullmatch(r"[|\s:-]+", line):
        return None
    return [cell.strip() for cell in line.strip("|").split("|")]


def first_paragraph(lines: list[str]) -> str:
    """The first paragraph or list of a section, as one line of text (markup kept), at most 500 characters; a
    list's items whole."""
    paragraph: list[str] = []
    for number, line in enumerate(lines):
        if not line.strip():
            if paragraph:
                break
            continue
        if line.lstrip().startswith(("<img", "|", "```", "![")):
            continue
        if not paragraph and _MARKER.match(line.expandtabs(4)):
            paragraph = [item.text() for item in _first_list(lines[number:])]
            break
        paragraph.append(line.strip())
    text = " ".join(paragraph)
    return text if len(text) <= 500 else text[:497].rsplit(" ", 1)[0] + "…"


def _first_list(lines: list[str]) -> list[ListItem]:
    """The items of the list `lines` start with: up to a paragraph after a blank line, which ends it."""
    items = list_items(lines)
    end = next(
        (
            number
            for number in range(1, len(lines))
            if lines[number].strip()
            and not lines[number - 1].strip()
            and not lines[number].startswith((" ", "\t"))
            and not _MARKER.match(lines[number])
        ),
        len(lines),
    )
    return [item for item in items if item.line < end]

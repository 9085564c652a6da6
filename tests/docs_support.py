"""Reading the docs in tests: files, and the Markdown tables outside code blocks."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"

FENCE = re.compile(r"^(```+|~~~+).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """Every Markdown table outside code blocks, as (header cells, body rows of cells)."""
    found, block = [], []
    for line in [*FENCE.sub("", text).split("\n"), ""]:
        if line.lstrip().startswith("|"):
            block.append([cell.strip() for cell in _CELL_SPLIT.split(line.strip().strip("|"))])
            continue
        if len(block) >= 2 and set("".join(block[1])) <= set("-: "):
            found.append((block[0], block[2:]))
        block = []
    return found


def section(text: str, heading: str) -> str:
    """The text under `heading` (a whole heading line, such as `## Install`) up to the next heading of its level or
    above."""
    level = heading.split(" ", 1)[0]
    match = re.search(rf"^{re.escape(heading)}\n(.*?)(?=^#{{1,{len(level)}}} |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"no section {heading!r}"
    return match.group(1)


def code_blocks(text: str, language: str) -> list[str]:
    """The fenced code blocks of `language` (```sh, ```yaml...) in `text`, each without its fences."""
    return re.findall(rf"^```{re.escape(language)}\n(.*?)^```", text, re.MULTILINE | re.DOTALL)

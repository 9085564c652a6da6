"""CONTRIBUTING.md shows the real files: every line of its Python snippets (but `...` and comments) is a line of
the package, so a renamed function or a moved declaration fails here instead of misleading the next contributor."""

from __future__ import annotations

import re

from docs_support import ROOT, read

CONTRIBUTING = read(ROOT / "CONTRIBUTING.md")
SOURCE = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "plugin").rglob("*.py"))
SOURCE_LINES = {line.strip() for line in SOURCE.splitlines()}


def snippets() -> list[str]:
    return re.findall(r"^ *```python\n(.*?)^ *```", CONTRIBUTING, re.MULTILINE | re.DOTALL)


def test_contributing_shows_a_snippet_for_a_rule_a_public_output_and_an_option():
    assert len(snippets()) >= 4


def test_every_line_of_contributings_snippets_is_a_line_of_the_package():
    shown = [line.strip() for snippet in snippets() for line in snippet.splitlines()]
    missing = [
        line for line in shown if line and line != "..." and not line.startswith("#") and line not in SOURCE_LINES
    ]
    assert missing == []

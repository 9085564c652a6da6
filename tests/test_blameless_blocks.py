"""`checks/blameless.py` in the front matter's blocks of text (`|`, `>`): a finding points at its own line and column
inside the block, and a `blameless-ok` comment on the line of the block's key (or the line before), the one place a
comment can go, allows the whole block."""

from __future__ import annotations

import pytest

from conftest import TODAY, VALID, make_policy
from mkdocs_postmortems.knowledge import load_knowledge_base

BLOCK = """\
impact:
  summary: |-
    Checkouts took up to 30 seconds.
    The root cause was human error.
  customers_affected: 1200
"""


def blame(tmp_path, front: str) -> list[tuple[int, int]]:
    text = VALID.replace(
        "impact:\n  summary: Checkouts took up to 30 seconds for 40 minutes.\n  customers_affected: 1200\n", front
    )
    assert front in text
    (tmp_path / "2024-03-14-example.md").write_text(text, encoding="utf-8")
    kb = load_knowledge_base(tmp_path, make_policy(), today=TODAY, base=tmp_path)
    lines = text.split("\n")
    found = [d for d in kb.diagnostics if d.code == "blame-language"]
    for d in found:
        assert lines[d.line - 1][d.col - 1 :].startswith("human error"), d
    return [(d.line, d.col) for d in found]


def test_a_finding_on_a_later_line_of_a_block_points_at_it(tmp_path):
    assert blame(tmp_path, BLOCK) == [(15, 24)]


@pytest.mark.parametrize(
    "front",
    [
        BLOCK.replace("  summary: |-\n", "  # blameless-ok: quoting the customer\n  summary: |-\n"),
        BLOCK.replace("  summary: |-\n", "  summary: |-  # blameless-ok: quoting the customer\n"),
        BLOCK.replace("  summary: |-\n", "  summary: >-  # blameless-ok: quoting the customer\n"),
    ],
)
def test_a_comment_at_the_blocks_key_allows_the_whole_block(tmp_path, front):
    assert blame(tmp_path, front) == []


def test_a_comment_elsewhere_allows_nothing_in_the_block(tmp_path):
    front = "# blameless-ok: about the line below, not the impact's text\n" + BLOCK
    assert [line for line, _ in blame(tmp_path, front)] == [16]

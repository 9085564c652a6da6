"""`checks/reading.py`: the rules the parser reports as it reads a file. Each is declared once, with no check of its
own, and a file that breaks it gets its diagnostic at the declared level from the knowledge base's loader."""

from __future__ import annotations

import pytest

from conftest import TODAY, VALID, make_policy
from mkdocs_postmortems.checks import reading
from mkdocs_postmortems.checks.families import RULES
from mkdocs_postmortems.checks.registry import Scope
from mkdocs_postmortems.diagnostics import Level
from mkdocs_postmortems.knowledge import load_knowledge_base

READING = {code: rule for code, rule in RULES.items() if rule.family == reading.__name__}
NAME = "2024-03-14-checkout.md"
FILES = {  # a file that breaks one reading rule -> its code
    "empty-file": b"",
    "binary-file": VALID.encode().replace(b"title", b"ti\0tle"),
    "encoding": VALID.encode().replace(b"Checkouts were slow.", b"Checkouts were \xff slow."),
    "front-matter-missing": b"# Checkout latency\n",
    "front-matter-unclosed": b"---\ntitle: x\n",
    "front-matter-empty": b"---\n---\nbody\n",
    "yaml-syntax": b"---\ntitle: [unclosed\n---\n",
    "duplicate-key": VALID.replace("severity: SEV2\n", "severity: SEV2\nseverity: SEV3\n").encode(),
    "unknown-key": VALID.replace("severity: SEV2\n", "severity: SEV2\nsevirity: SEV3\n").encode(),
    "wrong-type": VALID.replace("services: [checkout]", "services: checkout").encode(),
    "invalid-value": VALID.replace("severity: SEV2", "severity: SEV9").encode(),
    "timestamp-offset": VALID.replace("started: 2024-03-14T09:50:00Z", "started: 2024-03-14T09:50:00").encode(),
    "conflict-marker": VALID.replace("## Impact", "<<<<<<< HEAD\n## Impact").encode(),
}


def test_the_family_declares_the_parsers_rules_with_no_check_of_their_own():
    assert len(READING) >= 25
    assert all(rule.scope is Scope.FILE and rule.check is None and rule.states is None for rule in READING.values())
    assert all(rule.summary.endswith(".") for rule in READING.values())


@pytest.mark.parametrize("code", sorted(FILES))
def test_a_file_breaking_a_reading_rule_gets_its_code_at_the_declared_level(code, tmp_path):
    (tmp_path / NAME).write_bytes(FILES[code])
    kb = load_knowledge_base(tmp_path, make_policy(), today=TODAY, base=tmp_path)
    found = [d for d in kb.diagnostics if d.code == code]
    assert found, [d.code for d in kb.diagnostics]
    assert all(d.level is READING[code].level for d in found)


def test_a_policy_level_applies_to_a_reading_rule_too(tmp_path):
    (tmp_path / NAME).write_bytes(FILES["invalid-value"])
    policy = make_policy(rule_levels={"invalid-value": Level.WARNING})
    kb = load_knowledge_base(tmp_path, policy, today=TODAY, base=tmp_path)
    assert {d.level for d in kb.diagnostics if d.code == "invalid-value"} == {Level.WARNING}


@pytest.mark.parametrize(
    ("line", "cut"),
    [
        ("    summary: SEV2 declared in #incidents; three hubs.", ("`SEV2 declared in`", 31)),
        ("    summary: Tracked in #123", ("`Tracked in`", 25)),
        ("    summary: Declared.   #incidents", ("`Declared.`", 26)),
        ("    summary: Declared in the channel. # a comment written as one", None),
        ('    summary: "SEV2 declared in #incidents"', None),
        ("    summary: Declared in#incidents", None),  # no blank before `#`: part of the value, nothing is cut
        ("    summary: |\n      SEV2 declared in #incidents", None),  # a block scalar keeps `#`
    ],
)
def test_a_value_cut_by_a_comment_is_a_warning_and_a_comment_written_as_one_is_not(line, cut, tmp_path):
    """`yaml-comment-cut`: YAML reads ` #` as the start of a comment, so `SEV2 declared in #incidents` keeps only
    `SEV2 declared in`; a `#` followed by a word reads as a cut value, a `# ` as a comment meant as one."""
    post = "communications:\n  - audience: internal\n    channel: slack\n    at: 2024-03-14T10:00:00Z\n" + line + "\n"
    text = VALID.replace("---\n\n## Summary", post + "---\n\n## Summary", 1).replace(
        "status: published\n", "status: published   # draft -> in-review -> published\n"
    )
    (tmp_path / NAME).write_text(text, encoding="utf-8")
    kb = load_knowledge_base(tmp_path, make_policy(), today=TODAY, base=tmp_path)
    found = [d for d in kb.diagnostics if d.code == "yaml-comment-cut"]
    if cut is None:
        assert found == []
        return
    (diagnostic,) = found
    line_number = text.split("\n").index(line) + 1
    assert (diagnostic.line, diagnostic.col, diagnostic.level) == (line_number, cut[1], Level.WARNING)
    assert cut[0] in diagnostic.message and "#" in diagnostic.message
    assert diagnostic.hint.startswith("quote the value")

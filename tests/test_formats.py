"""`parsing/formats.py` and the diagnostics that lead somewhere: foreign formats recognised with the command that
converts them (the importer that reads them: a blog page's front matter is `frontmatter`'s, headings without front
matter `markdown`'s), "did you mean" only for misspellings, `front-matter-missing` listing the required fields, and
section aliases."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TODAY, VALID, make_policy
from mkdocs_postmortems.diagnostics import Level
from mkdocs_postmortems.knowledge import load_knowledge_base
from mkdocs_postmortems.parsing.formats import MARKDOWN, close_match, recognise
from mkdocs_postmortems.parsing.schema import POSTMORTEM

CSTATE = """\
---
title: Database maintenance
date: 2024-03-14 09:00:00
resolved: true
resolvedWhen: 2024-03-14 11:00:00
severity: disrupted
affected:
  - API
section: issue
informational: false
---
We are performing maintenance.
"""
HUGO = """\
---
title: "Checkout outage"
date: 2024-03-14T09:00:00Z
draft: false
layout: post
categories: [incidents]
---
## Summary
"""
HEADINGS_ONLY = """\
# Checkout outage, 14 March

## Issue Summary

Checkout failed.

## Timeline (UTC)

- 09:50 alerts fired
"""
POLICY = make_policy()


def load(tmp_path: Path, text: str, name: str = "2024-03-14-checkout.md", policy=POLICY):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return load_knowledge_base(tmp_path, policy, today=TODAY, base=tmp_path)


def by_code(kb, code: str) -> list:
    return [d for d in kb.diagnostics if d.code == code]


@pytest.mark.parametrize(
    "text, looks_like, command, meanings",
    [
        (
            CSTATE,
            "cState incident",
            "cstate",
            {"affected": "`services` here", "resolvedWhen": "`resolved` here", "date": "`started` here"},
        ),
        (
            HUGO,
            "Hugo, Jekyll or Astro page",
            "frontmatter",
            {"draft": "no equivalent, the import keeps it in the body", "categories": "`tags` here"},
        ),
    ],
)
def test_a_foreign_file_is_recognised_and_its_keys_explained(tmp_path, text, looks_like, command, meanings):
    kb = load(tmp_path, text)
    (found,) = by_code(kb, "foreign-format")
    assert looks_like in found.message and f"`postmortems import {command} SOURCE`" in found.hint
    hints = {d.message: d.hint for d in by_code(kb, "unknown-key")}
    for key, meaning in meanings.items():
        assert meaning in hints[f"unknown key `{key}`"], key
    assert not any("did you mean" in hint for hint in hints.values())


def test_our_own_format_is_never_foreign(tmp_path):
    assert not by_code(load(tmp_path, VALID), "foreign-format")
    assert recognise(field.name for field in POSTMORTEM) is None


def test_markdown_without_front_matter_has_no_keys_to_recognise():
    assert MARKDOWN.keys == {} and recognise(["title", "Title", "Date", "Category"]) is None


def test_headings_without_front_matter_point_to_the_markdown_importer(tmp_path):
    (found,) = load(tmp_path, HEADINGS_ONLY).diagnostics
    assert found.code == "front-matter-missing"
    assert "Markdown postmortem with headings only" in found.message and "“Issue Summary”" in found.message
    assert "`postmortems import markdown SOURCE`" in found.hint


def test_front_matter_missing_lists_the_required_fields_and_postmortems_new(tmp_path):
    (found,) = load(tmp_path, "Just some notes.\n").diagnostics
    for name in ("title", "status", "severity", "services", "authors", "started", "impact.summary"):
        assert f"`{name}`" in found.hint
    assert "postmortems new" in found.hint and "import" not in found.hint


@pytest.mark.parametrize(
    "word, expected",
    [
        ("sevrity", "severity"),
        ("servcies", "services"),
        ("Title", "title"),
        ("root_cause", "root_causes"),
        ("action-items", "action_items"),
        ("author", "authors"),
        ("reviewrs", "reviewers"),
        ("affected", None),
        ("resolvedWhen", None),
        ("date", None),
        ("summary", None),
        ("status_page", None),
    ],
)
def test_did_you_mean_only_for_misspellings(word, expected):
    assert close_match(word, [field.name for field in POSTMORTEM]) == expected


def test_a_misspelt_key_still_gets_its_suggestion(tmp_path):
    kb = load(tmp_path, VALID.replace("severity: SEV2", "sevrity: SEV2"))
    (unknown,) = by_code(kb, "unknown-key")
    assert unknown.hint == "did you mean `severity`?"


SECTIONED = (
    VALID[: VALID.index("\n---\n", 4) + 5]
    + """
## Issue Summary
## Customer impact
## Timeline (UTC)
## Contributing Factors
## 5. Remediation:
## **Lessons Learnt**
"""
)


def test_equivalent_headings_satisfy_the_required_sections(tmp_path):
    policy = make_policy(rule_levels={"section-missing": Level.WARNING})
    assert not by_code(load(tmp_path, SECTIONED, policy=policy), "section-missing")


def test_without_aliases_the_same_headings_are_missing(tmp_path):
    policy = make_policy(rule_levels={"section-missing": Level.WARNING}, section_aliases={})
    missing = by_code(load(tmp_path, SECTIONED, policy=policy), "section-missing")
    assert len(missing) == 6


def test_an_alias_for_a_section_that_is_not_required_is_a_configuration_error():
    from mkdocs_postmortems.mkdocs_config import PostmortemsConfig

    config = PostmortemsConfig()
    config.load_dict({"section_aliases": {"Postmortem": ["Retro"]}})
    failed, _ = config.validate()
    assert failed and "section_aliases" in str(failed[0][1])

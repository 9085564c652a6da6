"""docs/regulatory-reporting.md as the code has it: its configuration and front matter make a record that checks without an
error, every command of its `sh` block runs on that record, its field table is `regulatory_report.FIELDS`, its JSON
keys are `report_json`'s, its stages and rules are the core's, and the README and the writing guide link it."""

from __future__ import annotations

import json
import re
import shlex

import pytest
import yaml

from cli_support import run
from docs_support import DOCS, README, code_blocks, read, section, tables
from mkdocs_postmortems.checks.families import RULES
from mkdocs_postmortems.regulatory import STAGES
from mkdocs_postmortems.regulatory_report import FIELDS

PAGE = read(DOCS / "regulatory-reporting.md")
RECORD = "postmortems/2026-11-20-ledger-writes-failed.md"


@pytest.fixture
def documented(project):
    """The project the page describes: its configuration, and its front-matter example as a record."""
    (config,) = [block for block in code_blocks(PAGE, "yaml") if block.startswith("plugins:")]
    (front_matter,) = [block for block in code_blocks(PAGE, "yaml") if "\nregulatory:\n" in block]
    options = yaml.safe_load(config)["plugins"][0]["postmortems"]
    site = {"site_name": "t", "theme": {"name": "material", "font": False}, "plugins": [{"postmortems": options}]}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(site), encoding="utf-8")
    (project / RECORD).write_text(f"---\n{front_matter}---\n\n## Summary\n\nThe ledger refused writes.\n")
    return project


def test_the_example_record_checks_without_an_error(documented):
    result = run("check", "--format", "json", "--today", "2026-12-01", RECORD)
    report = json.loads(result.stdout)
    assert report["errors"] == 0, report["diagnostics"]
    assert "regulatory-unreported" not in {d["code"] for d in report["diagnostics"]}


def test_every_command_runs_on_the_example(documented):
    (block,) = code_blocks(section(PAGE, "## Stage reports: `postmortems regulatory report`"), "sh")
    commands = [shlex.split(line) for line in block.splitlines() if line.strip()]
    assert len(commands) == 3 and all(command[:3] == ["postmortems", "regulatory", "report"] for command in commands)
    for command in commands:
        result = run(*command[1:], "--today", "2026-12-01")
        assert result.exit_code == 0, f"{shlex.join(command)}: {result.output}"
    report = json.loads((documented / "dora-intermediate.json").read_text(encoding="utf-8"))
    assert report["fields"][0]["value"] == "DORA-2026-0042"  # the initial notification's reference
    (bullet,) = [item for item in block_items() if item.startswith("`--format json`")]
    assert keys_of(report) <= set(re.findall(r"`(\w+)`", bullet)), "the page names every key of the JSON"


def block_items() -> list[str]:
    return section(PAGE, "## Stage reports: `postmortems regulatory report`").split("\n- ")


def keys_of(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys_of(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys_of(item)}
    return set()


def test_the_field_table_is_the_codes():
    body = section(PAGE, "## Stage reports: `postmortems regulatory report`")
    ((_, rows),) = [(h, r) for h, r in tables(body) if h[0] == "Report"]
    assert rows == [
        [f"{regime} {stage}", field.number, field.label, f"`{field.key}`" if field.key else "—"]
        for (regime, stage), (_, fields) in FIELDS.items()
        for field in fields
    ]


def test_the_stages_and_rules_are_the_cores():
    ((_, stages),) = [(h, r) for h, r in tables(section(PAGE, "## What each regime asks")) if h[0] == "Regime"]
    documented = [(row[0].strip("`"), re.search(r"\(`([\w-]+)`\)$", row[1]).group(1)) for row in stages]
    assert documented == [(regime, stage.name) for regime, known in STAGES.items() for stage in known]
    ((_, rules),) = tables(section(PAGE, "## Rules"))
    levels = {code: rule.level.value for code, rule in RULES.items()}
    assert [(row[0].strip("`"), row[1]) for row in rules] == [
        (code, levels[code]) for code in ("regulatory-due", "regulatory-overdue", "regulatory-unreported")
    ]


def test_the_limits_are_said():
    limits = section(PAGE, "## Limits")
    assert "**This is not legal advice.**" in limits and "**Which regime applies is the team's call.**" in limits


def test_the_readme_and_the_writing_guide_link_the_page():
    readme = read(README)
    assert "| `postmortems regulatory report FILE` |" in readme
    assert "(docs/regulatory-reporting.md)" in readme
    assert "(regulatory-reporting.md)" in read(DOCS / "writing.md")

"""docs/period-reviews.md as `cli/reporting.py` runs it: every command of its `sh` block runs on the example knowledge base,
its example is what `postmortems report` prints (UPDATE_DOCS=1 rewrites it), its configuration is valid, and the
README lists the command and links the page."""

from __future__ import annotations

import os
import shlex

import yaml

from docs_support import DOCS, README, ROOT, code_blocks, read
from mkdocs_postmortems.mkdocs_config import PostmortemsConfig, policy_from_options
from site_support import run_cli

REVIEWS = DOCS / "period-reviews.md"
START = (
    "<!-- The example is generated from the example knowledge base: "
    "UPDATE_DOCS=1 python3 -m pytest tests/test_reporting_docs.py -->\n\n```markdown\n"
)
END = "```\n\n<!-- end of the generated example -->"
EXAMPLE = ("report", "--period", "2026-Q2", "--today", "2026-12-01")


def test_every_command_runs_on_the_example():
    (block,) = code_blocks(read(REVIEWS), "sh")
    commands = [shlex.split(line) for line in block.splitlines() if line.strip()]
    assert len(commands) == 4 and all(command[:2] == ["postmortems", "report"] for command in commands)
    for command in commands:
        result = run_cli(*command[1:], "-f", str(ROOT / "mkdocs.yml"), "--today", "2026-12-01")
        assert result.exit_code == 0, f"{shlex.join(command)}: {result.output}"


def test_the_example_is_what_the_command_prints():
    text = read(REVIEWS)
    assert text.count(START) == 1 and text.count(END) == 1, "the example's markers are missing"
    assert " ".join(EXAMPLE) in text  # the page names the command it shows
    before, rest = text.split(START)
    shown, after = rest.split(END)
    result = run_cli(*EXAMPLE, "-f", str(ROOT / "mkdocs.yml"))
    assert result.exit_code == 0, result.output
    if os.environ.get("UPDATE_DOCS") and shown != result.stdout:
        REVIEWS.write_text(before + START + result.stdout + END + after, encoding="utf-8")
        shown = result.stdout
    assert shown == result.stdout, "the example is stale: run the command in its marker to regenerate it"
    for heading in ("## Recurring causes", "## Fixes that did not hold", "## Availability"):
        assert f"{heading}\n" in shown
    assert "| Checkout | 99.95% |" in shown  # the example's own target, from mkdocs.yml


def test_the_configuration_snippet_is_valid():
    (block,) = [block for block in code_blocks(read(REVIEWS), "yaml") if "targets:" in block]
    ((options,),) = [[p["postmortems"] for p in yaml.safe_load(block)["plugins"] if "postmortems" in p]]
    config = PostmortemsConfig()
    config.load_dict(options)
    assert config.validate() == ([], [])
    assert policy_from_options(config).targets == {"Checkout": 99.9}


def test_the_readme_lists_the_command_and_links_the_page():
    readme = read(README)
    assert "| `postmortems report --period PERIOD` |" in readme
    assert "(docs/period-reviews.md)" in readme

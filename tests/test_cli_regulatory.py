"""`cli/regulatory.py`: `postmortems regulatory report` through click and once as a process: the report on stdout or
in a file, Markdown or JSON, and each refusal in one line with its exit code, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cli_support import CONFIG, run
from test_regulatory_report import FULL, earlier

REGULATED = CONFIG.replace(
    "        - name: checkout\n          component: Checkout\n",
    "        - name: checkout\n          component: Checkout\n          regulated: true\n",
).replace("      services:\n", "      regulatory:\n        regimes: [dora, gdpr]\n      services:\n", 1)
RECORD = "postmortems/2026-11-20-checkout.md"


@pytest.fixture
def regulated(project):
    (project / "mkdocs.yml").write_text(REGULATED)
    (project / RECORD).write_text(FULL.replace("[ledger]", "[checkout]"), encoding="utf-8")
    (project / "postmortems/2026-03-01-earlier.md").write_text(
        earlier("2026-03-01T10:00:00Z", "checkout", "capacity"), encoding="utf-8"
    )
    return project


def report(*options: str):
    return run("regulatory", "report", RECORD, "--today", "2026-12-01", *options)


def test_the_report_is_printed_as_markdown_with_recurring_causes_from_the_folder(regulated):
    result = report("--regime", "dora", "--stage", "final")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Final report (DORA): Ledger writes failed\n")
    assert "- checkout / capacity: 2026-03-01-earlier (2026-03-01)" in result.stdout
    assert result.stdout.rstrip().endswith("write it into the report")


def test_json_goes_to_the_output_file(regulated):
    result = report("--regime", "gdpr", "--stage", "notification", "--format", "json", "--output", "gdpr.json")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    data = json.loads((regulated / "gdpr.json").read_text(encoding="utf-8"))
    assert (data["regime"], data["stage"], data["postmortem"]["path"]) == ("gdpr", "notification", RECORD)
    assert f"wrote gdpr.json: {len(data['missing'])} of {len(data['fields'])} fields still missing" in result.stderr


@pytest.mark.parametrize(
    "options, code, message",
    [
        (("--regime", "mifid", "--stage", "final"), 2, "Invalid value for '--regime': 'mifid' is not one of"),
        (("--regime", "gdpr", "--stage", "final"), 2, "gdpr has no stage `final`; its stages: notification"),
        (("--regime", "nis2", "--stage", "final"), 1, "nis2 does not apply to 2026-11-20-checkout: its regimes are"),
    ],
)
def test_a_refusal_is_one_line_and_its_exit_code(regulated, options, code, message):
    result = report(*options)
    assert result.exit_code == code
    assert message in result.stderr and "Traceback" not in result.output


def test_a_file_that_is_no_record_exits_1(regulated):
    (regulated / "postmortems/notes.md").write_text("no front matter\n", encoding="utf-8")
    for path in ("postmortems/notes.md", "postmortems/missing.md"):
        result = run("regulatory", "report", path, "--regime", "dora", "--stage", "final")
        assert result.exit_code == 1
        assert result.stderr.startswith(f"Error: {path} cannot be read: ") and result.stderr.count("\n") == 1


def test_as_a_process_it_reports_and_refuses_without_a_traceback(regulated):
    command = [sys.executable, "-m", "mkdocs_postmortems.cli", "regulatory", "report", RECORD, "--today", "2026-12-01"]
    done = subprocess.run([*command, "--regime", "dora", "--stage", "initial"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "## 2.3 Date and time of classification as major\n\n2026-11-20 10:30 UTC\n" in done.stdout
    refused = subprocess.run([*command, "--regime", "nis2", "--stage", "final"], capture_output=True, text=True)
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.startswith("Error: nis2 does not apply") and "Traceback" not in refused.stderr

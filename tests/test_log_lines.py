"""No value of a postmortem can start a GitHub Actions workflow command in a log: every diagnostic the plugin logs
and `check` prints is one line, and none starts with `::`."""

from __future__ import annotations

import logging

from conftest import VALID
from mkdocs_postmortems.cli.check import format_github, format_text
from mkdocs_postmortems.diagnostics import Diagnostic, log_line
from site_support import build_site, make_site

FORGED = "SEV9\\n::error file=x,line=1::forged\\r::warning::also forged"


def test_log_line_is_one_line_and_never_starts_a_command():
    assert log_line("a\nb\r\nc") == "a\\nb\\r\\nc"
    assert not log_line("::error::x").startswith("::")
    assert log_line("plain text: kept") == "plain text: kept"


def test_check_text_output_keeps_each_value_on_its_line():
    diagnostic = Diagnostic("p.md", 4, 11, "invalid-value", "severity is `SEV9\n::error::forged`", "fix\n::warning::it")
    lines = format_text(diagnostic).split("\n")
    assert len(lines) == 2 and not any(line.lstrip().startswith("::") for line in lines)
    assert "\n" not in format_github(diagnostic).rstrip("\n")  # the github format escapes as GitHub asks


def test_the_plugin_logs_each_diagnostic_on_one_line(tmp_path, caplog):
    text = VALID.replace("severity: SEV2", f'severity: "{FORGED}"')
    config = make_site(tmp_path, {"2024-03-14-checkout-latency.md": text})
    with caplog.at_level(logging.INFO):
        build_site(config)
    messages = [record.getMessage() for record in caplog.records if "invalid-value" in record.getMessage()]
    assert messages, [record.getMessage() for record in caplog.records]
    for message in messages:
        assert "\n" not in message and "\r" not in message
        assert "::error" in message  # still there to read, but inside the line

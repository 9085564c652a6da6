"""`cli/check.py` and the `postmortems` command around it: exit codes, output formats, `new`, `schema`, and config
loading shared with the plugin (`cli/options.py`). `new` and `incident` are in tests/test_writing.py too."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cli_support import CONFIG, check_json, run
from conftest import REVIEW_ONLY, VALID
from mkdocs_postmortems.cli import main
from mkdocs_postmortems.parsing.schema import POSTMORTEM

TEXT_LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning|info) "
    r"\[(?P<code>[a-z-]+)\] (?P<message>.+)$"
)
SUMMARY = re.compile(r"^(\d+) postmortems, (\d+) errors, (\d+) warnings$")
GITHUB_LINE = re.compile(r"^::(error|warning|notice) file=([^,:]+),line=(\d+),col=(\d+),title=([a-z-]+)::(.+)$")


def postmortem(project: Path, name: str, text: str = VALID) -> Path:
    path = project / "postmortems" / name
    path.write_text(text, encoding="utf-8")
    return path


def diagnostic_lines(output: str) -> list[dict]:
    return [m.groupdict() for m in map(TEXT_LINE.match, output.splitlines()) if m]


def summary_of(output: str) -> tuple[int, int, int]:
    (match,) = [m for m in map(SUMMARY.match, output.splitlines()) if m]
    return tuple(int(n) for n in match.groups())


# --- exit codes and the text format ---------------------------------------------------------


def test_clean_folder_exits_0(project):
    postmortem(project, "2024-03-14-example.md")
    result = run("check", "--today", "2026-11-22")
    assert result.exit_code == 0
    assert result.output.splitlines() == ["1 postmortems, 0 errors, 0 warnings"]


def test_errors_exit_1_with_text_lines(project):
    postmortem(project, "2024-03-14-example.md", VALID.replace("severity: SEV2", "severity: SEV9"))
    postmortem(project, "2024-03-15-other.md", VALID.replace("authors: [alice]", "authors: alice"))
    result = run("check", "--today", "2026-11-22")
    assert result.exit_code == 1
    assert [(d["path"], d["line"], d["col"], d["level"], d["code"]) for d in diagnostic_lines(result.output)] == [
        ("postmortems/2024-03-14-example.md", "4", "11", "error", "invalid-value"),
        ("postmortems/2024-03-15-other.md", "6", "10", "error", "wrong-type"),
        ("postmortems/2024-03-15-other.md", "8", "10", "error", "file-date"),
    ]
    lines = result.output.splitlines()
    assert lines[1] == "    hint: did you mean `SEV4`?"
    assert summary_of(result.output) == (2, 3, 0)
    assert lines[-1] == "2 postmortems, 3 errors, 0 warnings"


def test_warnings_exit_0_but_1_with_strict(project):
    postmortem(project, "2024-03-14-example.md")  # its action item is due 2027-01-31
    late = run("check", "--today", "2027-02-01")
    assert late.exit_code == 0
    assert [(d["line"], d["level"], d["code"]) for d in diagnostic_lines(late.output)] == [
        ("24", "warning", "action-item-overdue")
    ]
    assert summary_of(late.output) == (1, 0, 1)
    assert run("check", "--today", "2027-02-01", "--strict").exit_code == 1
    assert run("check", "--today", "2027-01-31", "--strict").exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--today", "2026-13-01"],
        ["check", "--today", "tomorrow"],
        ["check", "--format", "xml"],
        ["check", "postmortems/2099-01-01-nope.md"],
        ["check", "--no-such-option"],
        ["new", "Title", "--severity", "SEV2", "--service", "checkout", "--date", "2024-02-30"],
    ],
)
def test_usage_errors_exit_2(args, project):
    postmortem(project, "2024-03-14-example.md", VALID.replace("severity: SEV2", "severity: SEV9"))
    result = run(*args)
    assert result.exit_code == 2
    assert "Error" in result.output
    assert "[invalid-value]" not in result.output


def test_bad_today_names_the_value(project):
    result = run("check", "--today", "2026-13-01")
    assert "2026-13-01" in result.output


# --- the github format --------------------------------------------------------------------------


def test_github_format(project):
    postmortem(
        project,
        "2024-03-14-example.md",
        VALID.replace("severity: SEV2", "severity: SEV9").replace("## Lessons learned", "## Afterwards"),
    )
    result = run("check", "--format", "github", "--today", "2026-11-22")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=postmortems/2024-03-14-example.md,line=4,col=11,title=invalid-value::"
        "`severity` is `SEV9`, which is not one of the configured values. did you mean `SEV4`?",
        "::warning file=postmortems/2024-03-14-example.md,line=28,col=1,title=section-missing::"
        "the body has no “Lessons learned” section. add a heading `## Lessons learned`",
    ]
    # the summary is not a workflow command: it goes to stderr
    assert result.stderr.splitlines() == ["1 postmortems, 1 errors, 1 warnings"]


def test_github_format_escapes_properties_and_data(project):
    postmortem(project, "2024-03-14-50%,a:b.md")
    result = run("check", "--format", "github", "--today", "2026-11-22")
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith("::error file=postmortems/2024-03-14-50%25%2Ca%3Ab.md,line=1,col=1,title=file-name::")
    match = GITHUB_LINE.match(line)
    assert match and match.group(5) == "file-name"
    message = line.split("::", 2)[2]
    assert "`2024-03-14-50%25,a:b.md`" in message  # data escapes only %, CR and LF


def test_github_info_level_is_a_notice(project):
    (project / "mkdocs.yml").write_text(CONFIG + "        section-missing: info\n")
    postmortem(project, "2024-03-14-example.md", VALID.replace("## Lessons learned", "## Afterwards"))
    result = run("check", "--format", "github", "--today", "2026-11-22", "--strict")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "::notice file=postmortems/2024-03-14-example.md,line=28,col=1,title=section-missing::"
    )


# --- the json format --------------------------------------------------------------------------------


def test_json_format(project):
    postmortem(project, "2024-03-14-example.md", VALID.replace("severity: SEV2", "severity: SEV9"))
    postmortem(
        project, "2024-03-15-late.md", VALID.replace("2024-03-14T", "2024-03-15T").replace("2027-01-31", "2026-01-31")
    )
    (project / "postmortems" / "notes.txt").write_text("notes")
    code, report = check_json()
    assert code == 1
    assert set(report) == {"postmortems", "errors", "warnings", "diagnostics"}
    assert (report["postmortems"], report["errors"], report["warnings"]) == (3, 1, 2)
    assert [set(d) for d in report["diagnostics"]] == [{"path", "line", "col", "level", "code", "message", "hint"}] * 3
    assert [(d["path"], d["line"], d["col"], d["level"], d["code"]) for d in report["diagnostics"]] == [
        ("postmortems/2024-03-14-example.md", 4, 11, "error", "invalid-value"),
        ("postmortems/2024-03-15-late.md", 24, 10, "warning", "action-item-overdue"),
        ("postmortems/notes.txt", 1, 1, "warning", "not-markdown"),
    ]
    assert report["diagnostics"][0]["hint"] == "did you mean `SEV4`?"
    assert "2026-01-31" in report["diagnostics"][1]["message"]


def test_json_clean(project):
    postmortem(project, "2024-03-14-example.md")
    assert check_json() == (0, {"postmortems": 1, "errors": 0, "warnings": 0, "diagnostics": []})


# --- paths ---------------------------------------------------------------------------------------------


def _related(text: str, *ids: str) -> str:
    return text.replace("---\n\n## Summary", f"related: [{', '.join(ids)}]\n---\n\n## Summary", 1)


def test_check_one_file_resolves_related_against_the_whole_folder(project):
    postmortem(project, "2024-03-14-example.md", _related(VALID, "2024-01-10-older"))
    postmortem(project, "2024-01-10-older.md", VALID.replace("2024-03-14T", "2024-01-10T").replace("SEV2", "SEV9"))
    code, report = check_json("postmortems/2024-03-14-example.md")
    assert (code, report["postmortems"], report["diagnostics"]) == (0, 1, [])


def test_check_one_file_reports_an_unknown_related(project):
    postmortem(project, "2024-03-14-example.md", _related(VALID, "2024-01-10-older", "2024-01-11-missing"))
    postmortem(project, "2024-01-10-older.md", VALID.replace("2024-03-14T", "2024-01-10T"))
    code, report = check_json("postmortems/2024-03-14-example.md")
    assert code == 1
    assert [(d["line"], d["col"], d["code"]) for d in report["diagnostics"]] == [(27, 29, "unknown-related")]


def test_check_only_the_given_files(project):
    postmortem(project, "2024-03-14-example.md")
    postmortem(project, "2024-03-15-broken.md", VALID.replace("SEV2", "SEV9"))
    assert check_json("postmortems/2024-03-14-example.md")[0] == 0
    code, report = check_json("postmortems")
    assert (code, report["postmortems"]) == (1, 2)


def test_a_file_given_twice_is_checked_once(project):
    postmortem(project, "2024-03-14-example.md")
    code, report = check_json("postmortems", "postmortems/2024-03-14-example.md")
    assert [d["code"] for d in report["diagnostics"]] == []
    assert (code, report["postmortems"]) == (0, 1)


# --- config loading shared with the plugin ------------------------------------------------------------


@pytest.mark.parametrize("off", ["'off'", "off"])  # unquoted, YAML 1.1 reads `off` as false
def test_rule_levels_from_the_config(off, project):
    postmortem(project, "2024-03-14-example.md", VALID.replace("## Lessons learned", "## Afterwards"))
    before = run("check", "--today", "2026-11-22", "--strict")
    assert before.exit_code == 1
    assert [d["code"] for d in diagnostic_lines(before.output)] == ["section-missing"]
    (project / "mkdocs.yml").write_text(CONFIG + f"        section-missing: {off}\n")
    after = run("check", "--today", "2026-11-22", "--strict")
    assert after.exit_code == 0
    assert after.output.splitlines() == ["1 postmortems, 0 errors, 0 warnings"]


def test_rule_levels_can_make_a_warning_an_error(project):
    (project / "mkdocs.yml").write_text(CONFIG + "        action-item-overdue: error\n")
    postmortem(project, "2024-03-14-example.md")
    result = run("check", "--today", "2027-02-01")
    assert result.exit_code == 1
    assert summary_of(result.output) == (1, 1, 0)


def test_unknown_rule_in_rule_levels_is_rejected_like_the_plugin_does(project, caplog):
    # A typo must not silently keep a rule on: `mkdocs build` refuses this config, and so must the CLI.
    (project / "mkdocs.yml").write_text(CONFIG + "        sektion-missing: 'off'\n")
    postmortem(project, "2024-03-14-example.md", VALID.replace("## Lessons learned", "## Afterwards"))
    result = run("check", "--today", "2026-11-22")
    assert result.exit_code == 2
    assert "sektion-missing" in result.output + caplog.text
    assert "[section-missing]" not in result.output


def test_config_folder_option(project):
    (project / "mkdocs.yml").write_text(CONFIG + "      folder: incidents\n")
    (project / "incidents").mkdir()
    (project / "incidents" / "2024-03-14-example.md").write_text(VALID.replace("SEV2", "SEV9"))
    postmortem(project, "2024-03-15-ignored.md", "not checked")
    code, report = check_json()
    assert code == 1
    assert [(d["path"], d["code"]) for d in report["diagnostics"]] == [
        ("incidents/2024-03-14-example.md", "invalid-value")
    ]


def test_config_file_option_resolves_the_folder_beside_it(project, tmp_path_factory, monkeypatch):
    postmortem(project, "2024-03-14-example.md", VALID.replace("SEV2", "SEV9"))
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    result = run("check", "-f", str(project / "mkdocs.yml"), "--today", "2026-11-22")
    assert result.exit_code == 1
    assert [d["code"] for d in diagnostic_lines(result.output)] == ["invalid-value"]


def test_config_without_the_plugin_is_an_error(project):
    (project / "mkdocs.yml").write_text("site_name: t\n")
    result = run("check")
    assert result.exit_code == 2
    assert "postmortems" in result.output


def test_invalid_config_is_an_error(project, caplog):
    (project / "mkdocs.yml").write_text(CONFIG + "      include_drafts: sometimes\n")
    result = run("check")
    assert result.exit_code == 2
    # MkDocs logs the reason (pytest captures the log) and aborts
    assert "include_drafts" in result.output + caplog.text
    assert "Traceback" not in result.output


def test_missing_config_file_is_a_usage_error(project):
    result = run("check", "-f", "nope.yml")
    assert result.exit_code == 2
    assert "nope.yml" in result.output


def test_without_a_config_the_defaults_apply(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "postmortems").mkdir()
    (tmp_path / "postmortems" / "2024-03-14-example.md").write_text(VALID.replace("[checkout]", "[anything-goes]"))
    result = run("check", "--today", "2026-11-22")
    assert result.exit_code == 0  # the defaults include the review rules, which VALID predates: warnings only
    assert {line.split("[")[1].split("]")[0] for line in result.output.splitlines() if "[" in line} == set(
        REVIEW_ONLY
    ) - {"publish-overdue", "communication-owed"}  # published, so not overdue; nothing public or regulated is owed
    assert "0 errors" in result.output.splitlines()[-1]


# --- new ------------------------------------------------------------------------------------------------

NEW = (
    "new",
    "Checkout: latency during the Spring Sale!",
    "--severity",
    "SEV2",
    "--service",
    "checkout",
    "--service",
    "orders-db",
    "--author",
    "alice",
    "--date",
    "2026-11-20",
)
NEW_PATH = Path("postmortems/2026-11-20-checkout-latency-during-the-spring-sale.md")


def test_new_writes_a_draft_that_passes_check(project):
    result = run(*NEW)
    assert result.exit_code == 0, result.output
    path = project / NEW_PATH
    assert path.is_file()
    assert str(NEW_PATH) in result.output
    text = path.read_text(encoding="utf-8")
    assert 'title: "Checkout: latency during the Spring Sale!"' in text
    assert "started: 2026-11-20T00:00:00Z" in text
    code, report = check_json("--strict", str(NEW_PATH))
    assert (code, report["errors"], report["warnings"]) == (0, 0, 0), report
    # the placeholder action item is due 30 days later: afterwards it is the only warning
    result = run("check", "--format", "json", "--today", "2026-12-21")
    late = json.loads(result.stdout)
    assert late["errors"] == 0
    assert {d["code"] for d in late["diagnostics"]} == {"action-item-overdue"}


def test_new_with_unicode_and_quotes_in_the_title(project):
    result = run(
        "new",
        'Café "down" #1: 100% \\ broken',
        "--severity",
        "SEV4",
        "--service",
        "checkout",
        "--author",
        "Zoë O'Neil",
        "--date",
        "2026-11-20",
    )
    assert result.exit_code == 0, result.output
    (path,) = (project / "postmortems").iterdir()
    assert path.name == "2026-11-20-cafe-down-1-100-broken.md"
    assert check_json()[1]["diagnostics"] == []
    from mkdocs_postmortems.knowledge import load_knowledge_base
    from mkdocs_postmortems.policy import Policy

    (pm,) = load_knowledge_base(project / "postmortems", Policy()).postmortems
    assert pm.title == 'Café "down" #1: 100% \\ broken'
    assert pm.authors == ("Zoë O'Neil",)


def test_new_never_overwrites(project):
    assert run(*NEW).exit_code == 0
    path = project / NEW_PATH
    path.write_text("my edits\n")
    result = run(*NEW)
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert path.read_text() == "my edits\n"


@pytest.mark.parametrize("option, value", [("--severity", "SEV9"), ("--service", "checkuot")])
def test_new_rejects_unknown_severity_and_service(option, value, project):
    args = list(NEW)
    args[args.index(option) + 1] = value
    result = run(*args)
    assert result.exit_code == 2
    assert value in result.output
    assert not (project / NEW_PATH).exists()


def test_new_uses_the_configured_scales(project):
    (project / "mkdocs.yml").write_text(
        CONFIG + "      severities: [critical, major, minor]\n      action_items_required_for: [critical]\n"
        "      priorities: [now, soon]\n"
    )
    assert run(*NEW).exit_code == 2
    result = run(
        "new", "Search down", "--severity", "major", "--service", "checkout", "--author", "a", "--date", "2026-11-20"
    )
    assert result.exit_code == 0
    text = (project / "postmortems/2026-11-20-search-down.md").read_text()
    assert "severity: major" in text
    assert "priority: now" in text
    assert check_json("--strict")[1]["diagnostics"] == []


def test_new_quotes_configured_values_that_need_it(project):
    (project / "mkdocs.yml").write_text(
        CONFIG + '      severities: ["S1: outage", "S2"]\n      priorities: ["P1 #now", "P2"]\n'
    )
    result = run(
        "new",
        "Search down",
        "--severity",
        "S1: outage",
        "--service",
        "checkout",
        "--author",
        "a",
        "--date",
        "2026-11-20",
    )
    assert result.exit_code == 0
    code, report = check_json("--strict")
    assert (code, report["diagnostics"]) == (0, [])


# --- schema ----------------------------------------------------------------------------------------------


def test_schema(project):
    (project / "mkdocs.yml").write_text(
        CONFIG + "      severities: [critical, major, minor]\n      action_items_required_for: [critical]\n"
    )
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert list(schema["properties"]) == [field.name for field in POSTMORTEM]
    assert schema["properties"]["severity"]["enum"] == ["critical", "major", "minor"]
    assert schema["properties"]["services"]["items"]["enum"] == ["checkout", "orders-db"]
    assert schema["properties"]["public"]["properties"]["components"]["items"]["enum"] == ["Checkout"]
    assert set(schema["required"]) == {field.name for field in POSTMORTEM if field.required}
    assert schema["additionalProperties"] is False


def test_schema_without_a_config_has_the_default_severities(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    schema = json.loads(run("schema").stdout)
    assert schema["properties"]["severity"]["enum"] == ["SEV1", "SEV2", "SEV3", "SEV4"]
    assert "enum" not in schema["properties"]["services"]["items"]


# --- each command loaded when it runs ------------------------------------------------------------------


def test_each_command_is_found_under_its_own_name():
    assert all(command.name == name for name, command in main.commands.items())


def test_check_starts_without_what_only_other_commands_need():
    script = "import sys; from mkdocs_postmortems.cli import main; main.commands['check']; print(*sys.modules)"
    run_check = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = set(run_check.stdout.split())
    others = {
        "mkdocs",
        "mkdocs_postmortems.importers",
        "mkdocs_postmortems.pull_requests.comment",
        "mkdocs_postmortems.scaffold",
        "mkdocs_postmortems.live",
        "mkdocs_postmortems.generator",
        "mkdocs_postmortems.build",
        "mkdocs_postmortems.status_site.notify",
        "mkdocs_postmortems.cli.writing",
        "mkdocs_postmortems.cli.importing",
        "mkdocs_postmortems.cli.publishing",
    }
    assert not loaded & others


def test_a_file_name_that_is_not_utf8_is_reported_on_a_strict_utf8_terminal_without_a_crash(tmp_path):
    """GitHub Actions' runners print UTF-8 strictly: a name with a stray byte must not turn a check into exit 3."""
    import os
    import subprocess
    import sys

    folder = tmp_path / "postmortems"
    folder.mkdir()
    (folder / os.fsdecode(b"2025-01-01-bad\xff.md")).write_text("---\ntitle: x\n---\n", encoding="utf-8")
    for output in ("text", "github", "json"):
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs_postmortems.cli", "check", "--format", output],
            cwd=tmp_path,
            capture_output=True,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            timeout=60,
        )
        assert result.returncode == 1, result.stderr
        assert b"Traceback" not in result.stderr and b"2025-01-01-bad" in result.stdout


# --- similar past incidents after the text (similarity.py) ------------------------------------------------------


def retold(day: int, changes: dict[str, str]) -> str:
    """VALID started on 2024-03-`day`, with each of `changes` (old text: new text) made."""
    text = VALID.replace("2024-03-14T", f"2024-03-{day}T")
    for old, new in changes.items():
        text = text.replace(old, new)
    return text


TITLE = "title: Checkout latency during the spring sale"
POOL_DRAFT = retold(
    16,
    {
        "status: published": "status: draft",
        TITLE: "title: Orders slow as the connection pool ran dry",
        "services: [checkout]": "services: [orders-db]",
        "Checkouts were slow.": "Order writes waited for a free connection.",
        "Load-test before sales.": "Size connection pools with headroom.",
    },
)
SEARCH = retold(
    15,
    {
        TITLE: "title: Search results empty after reindex",
        "The connection pool was sized for normal traffic.": "The alias pointed at an empty index.",
        "Checkouts took up to 30 seconds for 40 minutes.": "Searches found nothing for an hour.",
        "Checkouts were slow.": "Every search came back empty.",
        "Load-test before sales.": "Count documents before switching an alias.",
    },
)
SIMILAR_LINE = re.compile(r"^  - Checkout latency during the spring sale \(2024-03-14-example\), 0\.\d\d: (.+)$")


def similar_part(output: str) -> list[str]:
    lines = output.splitlines()
    return lines[next((n for n, line in enumerate(lines) if line.startswith("Similar past incidents")), len(lines)) :]


def test_check_names_the_past_incidents_like_each_draft(project):
    postmortem(project, "2024-03-14-example.md")
    postmortem(project, "2024-03-15-search.md", SEARCH)
    postmortem(project, "2024-03-16-pool.md", POOL_DRAFT)
    result = run("check", "--today", "2026-11-22")
    heading, *found = similar_part(result.output)
    assert heading == "Similar past incidents for postmortems/2024-03-16-pool.md:"  # the draft only
    assert SIMILAR_LINE.match(found[0]) and "connection" in found[0] and "pool" in found[0]
    assert "(2024-03-15-search)" not in result.output  # shares too little
    assert summary_of(result.output) == (3, 0, 0)


def test_check_of_files_names_the_past_incidents_of_the_whole_folder(project):
    postmortem(project, "2024-03-14-example.md")
    postmortem(project, "2024-03-15-search.md", SEARCH)
    pool = postmortem(project, "2024-03-16-pool.md", POOL_DRAFT.replace("status: draft", "status: published"))
    for options in ((), ("--whole-folder",)):
        result = run("check", "--today", "2026-11-22", *options, str(pool))
        heading, first, *_ = similar_part(result.output)
        assert heading == "Similar past incidents for postmortems/2024-03-16-pool.md:", options
        assert SIMILAR_LINE.match(first)
        assert summary_of(result.output) == (1, 0, 0)


def test_check_names_nothing_when_nothing_is_alike_nor_in_json_or_github_output(project):
    postmortem(project, "2024-03-15-search.md", SEARCH)
    postmortem(project, "2024-03-16-pool.md", POOL_DRAFT)
    assert similar_part(run("check", "--today", "2026-11-22").output) == []
    postmortem(project, "2024-03-14-example.md")
    for output in ("json", "github"):
        result = run("check", "--today", "2026-11-22", "--format", output)
        assert "Similar past incidents" not in result.output
    assert json.loads(run("check", "--format", "json", "--today", "2026-11-22").stdout)["postmortems"] == 3


def test_check_loads_no_stemmer_until_it_prints_similar_incidents():
    script = "import sys; from mkdocs_postmortems.cli import main; main.commands['check']; print(*sys.modules)"
    loaded = set(
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    )
    assert not loaded & {"mkdocs_postmortems.similarity", "mkdocs_postmortems.terms", "snowballstemmer"}

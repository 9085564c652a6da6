"""`postmortems sync` (cli/syncing.py) against a tracker on 127.0.0.1: its text and JSON output and exit codes, `--write`
and `--create`, tokens in no output, options that cannot be used, the documented scheduled workflow run as written,
and builds and `check`, which never read a tracker."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cli_support import CONFIG
from conftest import VALID
from mkdocs_postmortems.cli import main
from tracker_support import GITHUB_NOT_FOUND, TOKEN, Reply, github_issue, serve

DOCS = Path(__file__).parent.parent / "docs" / "trackers.md"


@pytest.fixture
def tracker(monkeypatch):
    yield from serve(monkeypatch)


def trackers_config(url: str, token_env: str = "GITHUB_TOKEN", more: str = "") -> str:
    return CONFIG + (
        "      trackers:\n"
        "        - kind: github\n"
        f"          links: {url}/\n"
        f"          api: {url}/api\n"
        f"          token_env: {token_env}\n" + more
    )


@pytest.fixture
def site(tmp_path, monkeypatch, tracker):
    """mkdocs.yml with a GitHub tracker on the fake, a record whose two items link issues 1 and 2, the token set."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    (tmp_path / "mkdocs.yml").write_text(trackers_config(tracker.url), encoding="utf-8")
    (tmp_path / "postmortems").mkdir()
    record = VALID.replace(
        "    addresses: [pool]\n",
        f"    link: {tracker.url}/larkspur/checkout/issues/1\n    addresses: [pool]\n"
        "  - title: Alert on pool saturation\n    owner: team-checkout\n    priority: P2\n    due: 2027-02-28\n"
        f"    status: open\n    link: {tracker.url}/larkspur/checkout/issues/2\n",
    )
    path = tmp_path / "postmortems" / "2024-03-14-example.md"
    path.write_text(record, encoding="utf-8")
    return path


def sync(*args: str):
    return CliRunner().invoke(main, ["sync", "--today", "2026-11-22", *args], catch_exceptions=False)


def assert_discreet(*outputs: str) -> None:
    for output in outputs:
        assert TOKEN not in output and "Traceback" not in output, output


def test_drift_is_reported_with_file_and_line_and_exits_1(tracker, site):
    tracker.on(
        "GET",
        "/api/repos/larkspur/checkout/issues/1",
        Reply(200, github_issue(1, "closed", "completed", "2024-03-30T08:00:00Z")),
    )
    tracker.on("GET", "/api/repos/larkspur/checkout/issues/2", Reply(200, github_issue(2)))
    result = sync()
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "postmortems/2024-03-14-example.md:25:13: warning [action-item-drift] action item “Size the pool for peak "
        f"traffic” is `open` here, but its ticket {tracker.url}/larkspur/checkout/issues/1 is closed as completed"
    )
    assert lines[-1] == "2 action items read from their tickets, 2 drifts, 0 not synced"
    assert_discreet(result.stdout, result.stderr)


def test_json_lists_each_drift_and_each_item_not_synced(tracker, site):
    tracker.on(
        "GET",
        "/api/repos/larkspur/checkout/issues/1",
        Reply(200, github_issue(1, "closed", "not_planned", "2024-03-30T08:00:00Z")),
    )
    tracker.on("GET", "/api/repos/larkspur/checkout/issues/2", Reply(404, GITHUB_NOT_FOUND))
    result = sync("--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    link = f"{tracker.url}/larkspur/checkout/issues/1"
    path = "postmortems/2024-03-14-example.md"
    assert report["drift"] == [
        {"path": path, "line": 25, "link": link, "field": "status", "ours": "open", "theirs": "wont-do"},
        {"path": path, "line": 21, "link": link, "field": "closed", "ours": "", "theirs": "2024-03-30"},
    ]
    assert report["not_synced"] == [
        {
            "path": path,
            "line": 33,
            "link": f"{tracker.url}/larkspur/checkout/issues/2",
            "reason": "not read: gone, or private to the token (HTTP 404 Not Found)",
        }
    ]
    assert (report["created"], report["written"]) == ([], [])
    assert_discreet(result.stdout, result.stderr)


def test_write_fixes_the_drift_exits_0_and_records_the_sync(tracker, site):
    tracker.on(
        "GET",
        "/api/repos/larkspur/checkout/issues/1",
        Reply(200, github_issue(1, "closed", "completed", "2024-03-30T08:00:00Z")),
    )
    tracker.on("GET", "/api/repos/larkspur/checkout/issues/2", Reply(200, github_issue(2)))
    result = sync("--write")
    assert result.exit_code == 0, result.output
    assert "wrote postmortems/2024-03-14-example.md" in result.stdout
    text = site.read_text(encoding="utf-8")
    assert "    status: done\n    closed: 2024-03-30\n" in text and text.count("    synced: 2026-11-22\n") == 2
    check = CliRunner().invoke(main, ["check", "--today", "2026-11-22"], catch_exceptions=False)
    assert check.exit_code == 0, check.output  # what --write wrote passes `check`
    assert sync("--write").exit_code == 0 and site.read_text(encoding="utf-8") == text


def test_create_opens_tickets_and_writes_their_links(tracker, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    (tmp_path / "mkdocs.yml").write_text(
        trackers_config(tracker.url, more="          create_in: larkspur/checkout\n"), encoding="utf-8"
    )
    (tmp_path / "postmortems").mkdir()
    path = tmp_path / "postmortems" / "2024-03-14-example.md"
    path.write_text(VALID, encoding="utf-8")
    tracker.on("GET", "/api/repos/larkspur/checkout/issues", Reply(200, []))
    tracker.on("POST", "/api/repos/larkspur/checkout/issues", Reply(201, github_issue(7, base=tracker.url)))
    tracker.on("GET", "/api/repos/larkspur/checkout/issues/7", Reply(200, github_issue(7)))
    result = sync("--create")
    assert result.exit_code == 0, result.output
    link = f"{tracker.url}/larkspur/checkout/issues/7"
    assert result.stdout.startswith(
        f"postmortems/2024-03-14-example.md:21: opened {link} for “Size the pool for peak traffic”"
    )
    assert f'    link: "{link}"\n    synced: 2026-11-22\n' in path.read_text(encoding="utf-8")
    assert tracker.paths("POST") == ["/api/repos/larkspur/checkout/issues"]
    assert sync().exit_code == 0  # the next run reads the new ticket


@pytest.mark.parametrize("status, body", [(401, {"message": f"Bad credentials {TOKEN}"}), (500, {"message": TOKEN})])
def test_no_output_holds_the_token_whatever_the_tracker_answers(tracker, site, status, body):
    tracker.on("GET", "/api/repos/larkspur/checkout/issues/1", Reply(status, body))
    tracker.on("GET", "/api/repos/larkspur/checkout/issues/2", Reply(status, body))
    for output in ("text", "json"):
        result = sync("--format", output)
        assert result.exit_code == 1
        assert_discreet(result.stdout, result.stderr)
    assert all(seen.headers["authorization"] == f"Bearer {TOKEN}" for seen in tracker.seen)


def test_a_configuration_without_trackers_or_with_unusable_ones_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    result = sync()
    assert result.exit_code == 2 and "no `trackers` are configured" in result.stderr
    (tmp_path / "mkdocs.yml").write_text(
        trackers_config("http://127.0.0.1:9", token_env=TOKEN + "-x"), encoding="utf-8"
    )
    result = sync()
    assert result.exit_code == 2
    assert "`trackers` entry 1 (github): `token_env` is not the name of an environment variable" in result.stderr
    assert_discreet(result.stdout, result.stderr)


def test_check_never_reads_a_tracker_and_a_build_never_loads_the_clients(tracker, site):
    result = CliRunner().invoke(main, ["check", "--today", "2026-11-22"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert tracker.seen == []
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, mkdocs_postmortems.plugin, mkdocs_postmortems.build, mkdocs_postmortems.generator; "
            "print(sorted(m for m in sys.modules if m.endswith(('.trackers', '.sync', '.bounded_http'))))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"


# The scheduled workflow in docs/trackers.md, run as written


def workflow() -> dict:
    blocks = [b for b in DOCS.read_text(encoding="utf-8").split("```yaml\n")[1:] if "create-pull-request" in b]
    assert len(blocks) == 1, "docs/trackers.md shows the scheduled workflow once"
    return yaml.safe_load(blocks[0].split("```")[0])


def test_the_documented_workflow_runs_sync_write_on_a_schedule_and_opens_a_pull_request(tracker, site):
    flow = workflow()
    triggers = flow.get("on") or flow.get(True)  # YAML 1.1 reads an unquoted `on` as true
    assert triggers["schedule"][0]["cron"] and "workflow_dispatch" in triggers
    assert flow["permissions"] == {"contents": "write", "pull-requests": "write"}
    (job,) = flow["jobs"].values()
    steps = job["steps"]
    (syncing,) = [step for step in steps if "postmortems sync" in step.get("run", "")]
    (opening,) = [step for step in steps if step.get("uses", "").startswith("peter-evans/create-pull-request@")]
    assert steps.index(syncing) < steps.index(opening) and syncing.get("continue-on-error") is True
    assert set(syncing["env"]) == {"GITHUB_TOKEN"} and "secrets." in syncing["env"]["GITHUB_TOKEN"]
    assert opening["with"]["branch"] and opening["with"]["add-paths"] == "postmortems/**"
    tracker.on(
        "GET",
        "/api/repos/larkspur/checkout/issues/1",
        Reply(200, github_issue(1, "closed", "completed", "2024-03-30T08:00:00Z")),
    )
    tracker.on("GET", "/api/repos/larkspur/checkout/issues/2", Reply(200, github_issue(2)))
    (command,) = [line for line in syncing["run"].splitlines() if line.startswith("postmortems sync")]
    args = shlex.split(command)[1:]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "    status: done\n    closed: 2024-03-30\n" in site.read_text(encoding="utf-8")

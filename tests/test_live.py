"""`postmortems incident open|update|resolve`: a live incident run from its record, each step a valid file that
passes `check --strict`, edited line by line so comments and order survive."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from cli_support import run
from mkdocs_postmortems.live import EditError, FrontMatter, quoted

CONFIG = """\
site_name: t
theme:
  name: material
  font: false
plugins:
  - postmortems:
      services:
        - name: checkout
          component: Checkout
        - name: payments
          component: Payments
        - name: orders-db
"""
DAY = "2026-12-01"


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "postmortems").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def strict_check(path: Path) -> tuple[int, str]:
    result = run("check", "--strict", "--today", DAY, str(path))
    return result.exit_code, result.output


def open_incident(*extra: str):
    return run(
        "incident",
        "open",
        "Errors placing orders",
        "--component",
        "Checkout",
        "--impact",
        "major",
        "--message",
        "Some customers see an error when placing an order.",
        "--author",
        "on-call",
        "--at",
        f"{DAY}T17:20:00Z",
        *extra,
    )


def test_an_incident_from_first_post_to_resolution_is_valid_at_every_step(project):
    opened = open_incident()
    assert opened.exit_code == 0, opened.output
    path = project / "postmortems" / f"{DAY}-errors-placing-orders.md"
    assert f"opened postmortems/{DAY}-errors-placing-orders.md" in opened.output
    assert strict_check(path) == (0, "1 postmortems, 0 errors, 0 warnings\n")
    text = path.read_text(encoding="utf-8")
    assert "status: ongoing\n" in text and "severity: SEV2\n" in text and "services: [checkout]\n" in text
    assert "resolved:" not in text

    steps = [
        (
            "update",
            "--status",
            "identified",
            "--message",
            "We found the cause and are rolling it back.",
            "--at",
            f"{DAY}T17:35:00Z",
        ),
        (
            "update",
            "--status",
            "monitoring",
            "--mitigated",
            "--message",
            "Orders go through again.",
            "--at",
            f"{DAY}T17:50:00Z",
        ),
        ("resolve", "--message", "Resolved: orders that failed were not charged.", "--at", f"{DAY}T18:05:00Z"),
    ]
    for command, *options in steps:
        before = path.read_text(encoding="utf-8")
        result = run("incident", command, str(path), *options)
        assert result.exit_code == 0, result.output
        after = path.read_text(encoding="utf-8")
        assert strict_check(path) == (0, "1 postmortems, 0 errors, 0 warnings\n"), command
        edits = difflib.SequenceMatcher(None, before.split("\n"), after.split("\n")).get_opcodes()
        assert {tag for tag, *_ in edits} <= {"equal", "insert"}  # lines added; none removed, changed or moved
    text = path.read_text(encoding="utf-8")
    assert "mitigated: 2026-12-01T17:50:00Z\nresolved: 2026-12-01T18:05:00Z\n" in text
    assert text.count("    channel: status-page\n") == 4
    assert '    status: resolved\n    summary: "Resolved: orders that failed were not charged."\n' in text
    public = run("public-diff", str(path)).output
    assert public.index("resolved at 2026-12-01 18:05 UTC") < public.index("investigating at 2026-12-01 17:20 UTC")


def test_comments_and_order_survive_and_public_updates_get_the_post_too(project):
    path = project / "postmortems" / f"{DAY}-errors-placing-orders.md"
    open_incident()
    text = path.read_text(encoding="utf-8").replace("communications:\n", "communications:  # what we said\n")
    text = text.replace("public:\n", "public:\n  # edited by the comms team\n")
    text = text.replace(
        "  impact: major\n",
        "  impact: major\n  updates:\n    - status: investigating\n"
        "      at: 2026-12-01T17:21:00Z\n      body: We are looking into errors at checkout.\n",
    )
    path.write_text(text, encoding="utf-8")
    result = run(
        "incident", "update", str(path), "--status", "identified", "--message", "Found it.", "--at", f"{DAY}T17:40:00Z"
    )
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    assert "communications:  # what we said\n" in after and "  # edited by the comms team\n" in after
    assert after.count("body: Found it.") == 1 and after.count("summary: Found it.") == 1
    assert after.index("body: Found it.") > after.index("body: We are looking")
    assert strict_check(path)[0] == 0


def test_a_leaking_post_leaves_the_file_unchanged(project):
    path = project / "postmortems" / f"{DAY}-errors-placing-orders.md"
    open_incident()
    before = path.read_text(encoding="utf-8")
    result = run(
        "incident",
        "update",
        str(path),
        "--status",
        "identified",
        "--message",
        "on-call restarted orders-db.",
        "--at",
        f"{DAY}T17:40:00Z",
    )
    assert result.exit_code == 1
    assert "[communication-leak]" in result.output and "was left unchanged" in result.output
    assert path.read_text(encoding="utf-8") == before


def test_a_leaking_first_post_writes_no_file(project):
    result = run(
        "incident",
        "open",
        "Errors",
        "--component",
        "Checkout",
        "--impact",
        "minor",
        "--message",
        "orders-db is down",
        "--at",
        f"{DAY}T17:20:00Z",
    )
    assert result.exit_code == 1 and not list((project / "postmortems").iterdir())


def test_an_unknown_component_is_a_usage_error(project):
    result = run("incident", "open", "Errors", "--component", "Basket", "--impact", "minor", "--message", "x")
    assert result.exit_code == 2 and "not a public component: Basket" in result.output


def test_a_flow_style_list_with_entries_is_refused_not_rewritten(project):
    path = project / "postmortems" / f"{DAY}-errors-placing-orders.md"
    open_incident()
    text = path.read_text(encoding="utf-8")
    start, end = text.index("communications:\n"), text.index("public:\n")
    text = (
        text[:start] + "communications: [{audience: internal, channel: slack, at: 2026-12-01T17:21:00Z}]\n" + text[end:]
    )
    path.write_text(text, encoding="utf-8")
    result = run("incident", "update", str(path), "--status", "identified", "--message", "Found it.")
    assert result.exit_code == 1 and "flow style" in result.output
    assert path.read_text(encoding="utf-8") == text


def test_a_maintenance_update_takes_maintenance_statuses(project):
    path = project / "postmortems" / f"{DAY}-errors-placing-orders.md"
    open_incident()
    path.write_text(
        path.read_text(encoding="utf-8").replace("title:", "kind: maintenance\ntitle:", 1), encoding="utf-8"
    )
    result = run("incident", "resolve", str(path), "--message", "Done.", "--at", f"{DAY}T19:00:00Z")
    assert result.exit_code == 0, result.output
    assert "    status: completed\n" in path.read_text(encoding="utf-8")


def test_front_matter_edits_keep_crlf_and_insert_missing_keys():
    front = FrontMatter("---\r\ntitle: x\r\nstarted: 2026-12-01T10:00:00Z\r\n---\r\nbody\r\n")
    front.set_scalar("resolved", "2026-12-01T11:00:00Z", ("mitigated", "started"))
    front.append_item("communications", ["- audience: customers", "  channel: status-page"])
    assert front.text() == (
        "---\r\ntitle: x\r\nstarted: 2026-12-01T10:00:00Z\r\nresolved: 2026-12-01T11:00:00Z\r\n"
        "communications:\r\n  - audience: customers\r\n    channel: status-page\r\n---\r\nbody\r\n"
    )
    with pytest.raises(EditError):
        FrontMatter("no front matter")


@pytest.mark.parametrize(
    "text, written",
    [
        ("Checkout is slow.", "Checkout is slow."),
        ("yes", '"yes"'),
        ("Cause: a release", '"Cause: a release"'),
        ("#1 issue", '"#1 issue"'),
        ('say "hi"\nnow', '"say \\"hi\\"\\nnow"'),
    ],
)
def test_values_are_plain_only_when_yaml_reads_them_back_the_same(text, written):
    import yaml

    assert quoted(text) == written
    assert yaml.safe_load(f"k: {quoted(text)}")["k"] == text.strip()

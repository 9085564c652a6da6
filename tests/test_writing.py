"""`cli/writing.py`: the commands that write records by hand. A new file is created, never written through a link
or over a file; times given to `incident` carry a UTC offset; a record the command would leave invalid is put back.
The templates of `new` are tested in tests/test_scaffold.py, a live incident's whole run in tests/test_live.py."""

from __future__ import annotations

import click
import pytest

from cli_support import run
from mkdocs_postmortems.cli.writing import write_new


def test_write_new_creates_the_file_and_refuses_anything_already_there(tmp_path):
    write_new(tmp_path / "new.md", "text\r\nkept as written\n")
    assert (tmp_path / "new.md").read_bytes() == b"text\r\nkept as written\n"
    with pytest.raises(click.ClickException, match="already exists"):
        write_new(tmp_path / "new.md", "other")
    (tmp_path / "dangling.md").symlink_to(tmp_path / "outside" / "target.md")
    with pytest.raises(click.ClickException, match="already exists"):
        write_new(tmp_path / "dangling.md", "through the link")
    assert not (tmp_path / "outside").exists()
    with pytest.raises(click.ClickException, match="cannot create"):
        write_new(tmp_path / "missing-folder" / "x.md", "text")


def test_new_never_writes_through_a_link_at_the_drafts_name(project):
    (project / "postmortems" / "2026-11-22-slow-checkout.md").symlink_to(project / "elsewhere.md")
    result = run("new", "Slow checkout", "--severity", "SEV2", "--service", "checkout", "--date", "2026-11-22")
    assert result.exit_code == 1 and "already exists" in result.output
    assert not (project / "elsewhere.md").exists()


@pytest.mark.parametrize("at, message", [("2026-12-01T18:04:00", "no UTC offset"), ("six pm", "not a time")])
def test_an_incident_time_needs_a_utc_offset(project, at, message):
    result = run(
        "incident",
        "open",
        "Checkout down",
        "--component",
        "Checkout",
        "--impact",
        "major",
        "--message",
        "Checkout fails for some customers.",
        "--at",
        at,
    )
    assert result.exit_code == 2 and message in result.output
    assert list((project / "postmortems").iterdir()) == []


def test_an_incident_opened_at_an_offset_is_filed_under_its_utc_day(project):
    result = run(
        "incident",
        "open",
        "Checkout down",
        "--component",
        "Checkout",
        "--impact",
        "major",
        "--message",
        "Checkout fails for some customers.",
        "--at",
        "2026-12-02T01:30:00+03:00",
        "--author",
        "alice",
    )
    assert result.exit_code == 0, result.output
    (path,) = (project / "postmortems").iterdir()
    assert path.name == "2026-12-01-checkout-down.md" and "started: 2026-12-01T22:30:00Z" in path.read_text()


def test_an_update_to_a_file_that_is_no_record_says_so_and_changes_nothing(project):
    path = project / "postmortems" / "2026-12-01-notes.md"
    path.write_text("just notes\n")
    result = run("incident", "update", str(path), "--status", "identified", "--message", "Found it.")
    assert result.exit_code == 1 and "cannot be read" in result.output
    assert path.read_text() == "just notes\n"


def test_new_names_the_past_incidents_its_title_is_like(project):
    from conftest import VALID

    (project / "postmortems" / "2024-03-14-example.md").write_text(VALID)
    result = run(
        "new", "Slow orders in the spring sale", "--severity", "SEV2", "--service", "orders-db", "--date", "2026-11-22"
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    at = lines.index("Similar past incidents:")
    assert lines[at + 1].startswith("  - Checkout latency during the spring sale (2024-03-14-example), ")
    assert {"spring", "sale"} <= set(lines[at + 1].rpartition(": ")[2].split(", "))


def test_new_names_nothing_in_an_empty_folder_or_when_nothing_is_alike(project):
    result = run(
        "new", "Warehouse printers jammed", "--severity", "SEV2", "--service", "checkout", "--date", "2026-11-22"
    )
    assert result.exit_code == 0 and "Similar past incidents" not in result.output

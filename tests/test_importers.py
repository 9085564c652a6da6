"""The importers' registry (`importers/__init__.py`): each format declared once (`parsing.formats.FORMATS`), its
module named for its importer, and everything that lists the formats derived from the declarations: the command's
choices and help, `check`'s hints, the `provenance.format` the importers write and the documentation."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import click
import pytest

from mkdocs_postmortems import importers
from mkdocs_postmortems.cli.importing import parse_key_map
from mkdocs_postmortems.importers import IMPORTERS
from mkdocs_postmortems.parsing.formats import FORMATS, foreign_meaning, recognise
from mkdocs_postmortems.parsing.schema import PROVENANCE
from mkdocs_postmortems.policy import Policy
from site_support import REPO, run_cli


def test_every_declared_format_has_its_importer_in_the_declarations_order():
    assert [importer.format for importer in IMPORTERS.values()] == list(FORMATS)
    assert list(IMPORTERS) == [declared.importer for declared in FORMATS] == ["cstate", "statuspage", "markdown"]


def test_each_importer_is_the_module_named_for_it():
    for name, importer in IMPORTERS.items():
        module = getattr(importers, name)
        assert module.FORMAT is importer.format
        assert importer.read is module.read and importer.docs == module.__doc__
        assert importer.catalog is getattr(module, "catalog", None)
        assert importer.docs.strip() and importer.format.reads and importer.format.keys


def test_the_formats_that_name_services_propose_them():
    assert {name for name, importer in IMPORTERS.items() if importer.catalog} == {"cstate", "statuspage"}


def test_the_command_offers_every_importer_and_says_what_each_reads():
    result = run_cli("import", "--help")
    help_text = " ".join(result.stdout.split())
    assert (
        "Import records from another tool into the configured folder: `cstate` (a cState site or its "
        "content/issues), `statuspage` (Statuspage API v2 JSON exports) or `markdown` (postmortems without front "
        "matter). Re-running updates the same files;"
    ) in help_text
    refused = run_cli("import", "nope", str(REPO))
    assert refused.exit_code == 2
    assert "'nope' is not one of 'cstate', 'markdown', 'statuspage'" in refused.output


def test_check_names_the_command_of_each_format():
    cstate, statuspage, markdown = FORMATS
    assert recognise(["title", "date", "affected", "resolvedWhen"]) is cstate
    assert recognise(["name", "created_at", "incident_updates"]) is statuspage
    assert recognise(["title", "date", "draft", "layout"]) is markdown
    assert foreign_meaning("affected") == (
        "a cState incident's `affected`: the systems affected: `services` here; "
        "`postmortems import cstate SOURCE` converts the file"
    )


def test_a_key_of_ours_that_a_format_shares_never_recognises_it():
    assert recognise(["title", "resolved"]) is None
    assert foreign_meaning("resolved") == ""


def test_the_provenance_format_is_one_of_the_importers():
    (declared,) = [field for field in PROVENANCE if field.name == "format"]
    assert set(declared.choices) == set(IMPORTERS)


def test_the_guide_documents_each_importer():
    guide = (REPO / "docs" / "importing.md").read_text(encoding="utf-8")
    assert re.findall(r"^### `([a-z]+)`$", guide, re.MULTILINE) == list(IMPORTERS)


def test_the_declarations_load_without_an_importer():
    """`check` reads the declarations; it never loads an importer, which checks every record it writes."""
    script = (
        "import sys, mkdocs_postmortems.parsing.formats, mkdocs_postmortems.knowledge; "
        "print(*sorted(m for m in sys.modules if m.startswith('mkdocs_postmortems.importers')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=Path(__file__).parent
    )
    assert done.stdout.strip() == ""


def test_sources_are_named_from_the_folder_holding_them_never_by_the_machines_absolute_path(tmp_path):
    history = tmp_path / "old" / "reports"
    history.mkdir(parents=True)
    (history / "2023-04-21-db.md").write_text("# Database outage\n\nThe database was down for an hour.\n")
    folder = tmp_path / "kb"
    reports = importers.import_sources("markdown", [history], folder, Policy(), date(2024, 1, 1))
    assert [r.source for r in reports] == ["reports/2023-04-21-db.md"]
    written = "".join(path.read_text() for path in folder.glob("*.md"))
    assert "source: reports/2023-04-21-db.md" in written and str(tmp_path) not in written


def test_a_key_map_is_ours_equals_theirs_pairs():
    with pytest.raises(click.UsageError):
        parse_key_map(None, None, "started")
    assert parse_key_map(None, None, " started=date , title=name,") == {"started": "date", "title": "name"}

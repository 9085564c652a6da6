"""The importers' registry (`importers/__init__.py`): each format declared once (`parsing.formats.FORMATS`), its
module named for its importer, and everything that lists the formats derived from the declarations: the command's
choices and help, `check`'s hints (which name the importer that reads the file), the `provenance.format` the
importers write, `--map` for the importers that read keys, and the documentation, whose example of each format is
imported here and compared with the record it shows."""

from __future__ import annotations

import os
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
from mkdocs_postmortems.policy import Policy, Service
from site_support import REPO, run_cli

GUIDE = REPO / "docs" / "importing.md"
# the schema's `provenance.format` choices are not derived from FORMATS yet (parsing/schema.py IMPORT_FORMATS)
NOT_IN_THE_SCHEMA = pytest.mark.xfail(
    "frontmatter" not in next(field for field in PROVENANCE if field.name == "format").choices,
    reason="parsing/schema.py IMPORT_FORMATS lacks `frontmatter`: derive it from parsing.formats.FORMATS",
    strict=True,
)


def test_every_declared_format_has_its_importer_in_the_declarations_order():
    assert [importer.format for importer in IMPORTERS.values()] == list(FORMATS)
    assert list(IMPORTERS) == [declared.importer for declared in FORMATS]
    assert list(IMPORTERS) == ["cstate", "statuspage", "markdown", "frontmatter"]


def test_each_importer_is_the_module_named_for_it():
    for name, importer in IMPORTERS.items():
        module = getattr(importers, name)
        assert module.FORMAT is importer.format
        assert importer.read is module.read and importer.docs == module.__doc__
        assert importer.catalog is getattr(module, "catalog", None)
        assert importer.docs.strip() and importer.format.reads
        assert bool(importer.format.keys) == (name != "markdown")  # Markdown without front matter has no keys


def test_the_formats_that_name_services_propose_them():
    assert {name for name, importer in IMPORTERS.items() if importer.catalog} == {"cstate", "statuspage", "frontmatter"}


def test_the_importers_that_read_the_sources_own_keys_take_a_key_map():
    assert {name for name, importer in IMPORTERS.items() if importer.reads_keys} == {"markdown", "frontmatter"}


def test_a_key_map_for_an_importer_that_reads_no_keys_is_reported_not_a_crash(tmp_path):
    (tmp_path / "issue.md").write_text("---\ntitle: x\ndate: 2024-03-14\n---\n")
    (report,) = importers.import_sources(
        "cstate", [tmp_path / "issue.md"], tmp_path / "kb", Policy(), date(2024, 4, 1), key_map={"started": "date"}
    )
    assert (report.source, report.action, report.needs) == (
        "--map",
        "skipped",
        ["`cstate` reads no keys named by `--map` (only `markdown`, `frontmatter` do)"],
    )
    assert not (tmp_path / "kb").exists()


def test_the_command_offers_every_importer_and_says_what_each_reads():
    result = run_cli("import", "--help")
    help_text = " ".join(result.stdout.split())
    assert (
        "Import records from another tool into the configured folder: `cstate` (a cState site or its "
        "content/issues), `statuspage` (Statuspage API v2 JSON exports), `markdown` (postmortems without front "
        "matter) or `frontmatter` (Markdown with front matter of its own, `--map` naming its keys)."
    ) in help_text
    refused = run_cli("import", "nope", str(REPO))
    assert refused.exit_code == 2
    assert "'nope' is not one of 'cstate', 'frontmatter', 'markdown', 'statuspage'" in refused.output


def test_check_names_the_command_of_each_format():
    cstate, statuspage, _, frontmatter = FORMATS
    assert recognise(["title", "date", "affected", "resolvedWhen"]) is cstate
    assert recognise(["name", "created_at", "incident_updates"]) is statuspage
    assert recognise(["title", "date", "draft", "layout"]) is frontmatter
    assert foreign_meaning("affected") == (
        "a cState incident's `affected`: the systems affected: `services` here; "
        "`postmortems import cstate SOURCE` converts the file"
    )


def test_checks_hint_for_a_blog_page_names_the_importer_that_reads_it(tmp_path):
    """`check` said `import markdown` of Hugo and Jekyll pages, which the markdown importer refuses."""
    hint = foreign_meaning("layout", ["title", "date", "draft", "layout"])
    assert hint.endswith("`postmortems import frontmatter SOURCE` converts the file")
    page = tmp_path / "2024-03-14-outage.md"
    page.write_text("---\ntitle: Outage\ndate: 2024-03-14\ndraft: false\nlayout: post\n---\n# Outage\n")
    (read,) = IMPORTERS["frontmatter"].read([page], Policy(), date(2024, 4, 1))
    assert read.fields["started"] == "2024-03-14"
    (refused,) = IMPORTERS["markdown"].read([page], Policy(), date(2024, 4, 1))
    assert refused.needs == [
        "it has front matter: `postmortems import frontmatter SOURCE` reads it (`--map OURS=THEIRS` names its keys)"
    ]


def test_a_key_of_ours_that_a_format_shares_never_recognises_it():
    assert recognise(["title", "resolved"]) is None
    assert foreign_meaning("resolved") == ""


@NOT_IN_THE_SCHEMA
def test_the_provenance_format_is_one_of_the_importers():
    (declared,) = [field for field in PROVENANCE if field.name == "format"]
    assert set(declared.choices) == set(IMPORTERS)


def test_the_guide_documents_each_importer():
    guide = GUIDE.read_text(encoding="utf-8")
    assert re.findall(r"^### `([a-z]+)`$", guide, re.MULTILINE) == list(IMPORTERS)
    assert {example.group("format") for example in EXAMPLE.finditer(guide)} == set(IMPORTERS)


# Each format's example in docs/importing.md: a source file, then the record the import writes. Regenerate the
# records after a change of the importers with `UPDATE_DOCS=1 python3 -m pytest tests/test_importers.py -k guide`.
EXAMPLE = re.compile(
    r'^<!-- import example: (?P<format>\w+) "(?P<name>[^"]+)"(?P<options>[^>]*?) -->\n(?P<fence>`{3,})\w*\n'
    r"(?P<source>.*?)^(?P=fence)\n\nwrites `(?P<target>[^`]*)`:\n\n(?P<outer>`{3,})markdown\n(?P<record>.*?)^(?P=outer)$",
    re.MULTILINE | re.DOTALL,
)
EXAMPLE_POLICY = Policy(services=(Service("api", component="API"),))
EXAMPLE_DAY = date(2026, 11, 22)


def imported_example(example: re.Match, tmp_path: Path) -> tuple[str, str]:
    """(the file written, its text) when the example's source is imported as the guide says."""
    source = tmp_path / "source" / example.group("name")
    source.parent.mkdir(parents=True)
    source.write_text(example.group("source"), encoding="utf-8")
    pairs = re.search(r"--map (\S+)", example.group("options"))
    key_map = parse_key_map(None, None, pairs.group(1)) if pairs else None
    folder = tmp_path / "postmortems"
    (report,) = importers.import_sources(
        example.group("format"), [source], folder, EXAMPLE_POLICY, EXAMPLE_DAY, key_map=key_map
    )
    assert report.action == "written", report.needs
    written = Path(report.target)
    return f"postmortems/{written.name}", written.read_text(encoding="utf-8")


EXAMPLES = [
    pytest.param(
        i,
        id=f"{m.group('format')}-{m.group('name')}",
        marks=[NOT_IN_THE_SCHEMA] if m.group("format") == "frontmatter" else [],
    )
    for i, m in enumerate(EXAMPLE.finditer(GUIDE.read_text(encoding="utf-8")))
]


@pytest.mark.parametrize("index", EXAMPLES)
def test_the_guide_shows_the_record_each_example_imports_into(index, tmp_path):
    guide = GUIDE.read_text(encoding="utf-8")
    example = list(EXAMPLE.finditer(guide))[index]
    target, record = imported_example(example, tmp_path)
    if os.environ.get("UPDATE_DOCS") and (target, record) != (example.group("target"), example.group("record")):
        start = example.span("target")[0]
        fence = "````" if "```" in record else "```"  # a record whose body has code is fenced with more backticks
        GUIDE.write_text(
            guide[:start] + f"{target}`:\n\n{fence}markdown\n{record}{fence}" + guide[example.end() :], encoding="utf-8"
        )
        return
    assert (example.group("target"), example.group("record")) == (target, record)


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

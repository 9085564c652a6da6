"""Text an import took from a public status page stays public as it was (`said.disclosed`, `already-public-leak`), and
only while it is exactly what was imported: through `postmortems check` and the built status site, an unchanged import
is a warning and published; one character edited, a record that merely claims the provenance, or one a person
published, is a `public-leak` error and the status site refuses to publish it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from mkdocs_postmortems.importers.records import STATUS_PAGE_UNKNOWN, Record, render
from site_support import build_site, make_site, run_cli

LEAK = "db-7.prod.internal"  # an internal host: `*.internal`
SUMMARY = f"Errors reached {LEAK}; we moved traffic away."
NAME = "2024-03-14-checkout-errors.md"


OPTIONS = (
    {"services": [{"name": "checkout", "component": "Checkout"}], "status_page": {"public_site": True}},
    {"site_dir": "site-public"},
)


def imported(summary: str = SUMMARY) -> str:
    """The file `postmortems import` writes for a Statuspage incident, whose public text names an internal host."""
    record = Record(
        "statuspage",
        "https://status.example/incidents/a1",
        "a1",
        "Checkout errors",
        date(2024, 3, 14),
        {
            "title": "Checkout errors",
            "status": "published",  # as the importer proposes it; the record says `imported`
            "services": ["checkout"],
            "started": "2024-03-14T09:50:00Z",
            "resolved": "2024-03-14T10:40:00Z",
            "public": {
                "title": "Checkout errors",
                "summary": summary,
                "components": ["Checkout"],
                "impact": "major",
                "updates": [{"status": "resolved", "at": "2024-03-14T10:40:00Z", "body": summary}],
            },
        },
        "## Status page updates\n\nAs posted.",
        unknown=list(STATUS_PAGE_UNKNOWN),
        already_public=True,
    )
    return render(record, date(2026, 11, 22))


def without_public_hash(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("  public_hash:"))


CASES = {
    "unchanged": lambda text: text,
    "one character edited": lambda text: text.replace("we moved traffic", "we moved trafic", 1),
    "claimed without a hash": without_public_hash,
    "claimed with another hash": lambda text: text.replace("public_hash: sha256:", "public_hash: sha256:0", 1),
    "published by a person": lambda text: text.replace("status: imported", "status: published", 1),
}


def site(tmp_path: Path, case: str) -> Path:
    text = CASES[case](imported())
    assert text != imported() or case == "unchanged"
    return make_site(tmp_path, {NAME: text}, *OPTIONS)


def found(config: Path) -> list[tuple[str, str]]:
    result = run_cli("check", "-f", str(config), "--format", "json")
    return sorted({(d["code"], d["level"]) for d in json.loads(result.output)["diagnostics"]})


def published(config: Path) -> str:
    built = build_site(config).parent / "site-public"
    return "\n".join(path.read_text(encoding="utf-8") for path in built.rglob("*") if path.suffix in (".html", ".json"))


def test_an_unchanged_import_of_a_public_page_is_published_as_it_was_with_a_warning(tmp_path):
    config = site(tmp_path, "unchanged")
    assert found(config) == [("already-public-leak", "warning")]
    result = run_cli("check", "-f", str(config))
    assert f"`{LEAK}`, an internal host [internal-host]; it was public already" in result.output
    text = published(config)
    assert SUMMARY in text and "Checkout errors" in text


def test_an_imported_record_edited_since_goes_public_only_once_published(tmp_path):
    """Clean text edited after the import is new text nobody reviewed: kept off the status site, without an error,
    until a person publishes it."""
    clean = imported(SUMMARY.replace(LEAK, "a database"))
    edited = clean.replace("we moved traffic", "we moved trafic")
    reviewed = edited.replace("status: imported", "status: published\npublished_on: 2024-03-20", 1)
    for name, text in (("clean", clean), ("edited", edited), ("reviewed", reviewed)):
        (tmp_path / name).mkdir()
        config = make_site(tmp_path / name, {NAME: text}, *OPTIONS)
        assert [level for _, level in found(config)] in ([], ["warning"]), name
        site = published(config)
        assert ("we moved traffic" in site, "we moved trafic" in site) == (name == "clean", name == "reviewed"), name


@pytest.mark.parametrize("case", [case for case in CASES if case != "unchanged"])
def test_text_that_is_no_longer_what_was_public_meets_the_whole_gate_and_is_not_published(tmp_path, case, caplog):
    config = site(tmp_path, case)
    assert ("public-leak", "error") in found(config)
    assert ("already-public-leak", "warning") not in found(config)
    with pytest.raises(Abort):
        published(config)
    assert "public-leak error(s); nothing was published" in caplog.text and f"`{LEAK}`" in caplog.text
    assert not (tmp_path / "site-public" / "index.html").exists()

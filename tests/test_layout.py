"""Tests are found from the source, as yamllint's tests/rules/test_<rule>.py mirror rules/<rule>.py: a reader who
changes a module opens the test file of its name.

The rule:

- Every module of the package (`plugin/mkdocs_postmortems/**/*.py`, but `__init__.py` and `__main__.py`) has
  `tests/test_<name>.py`, `<name>` being its file name without `.py`; when two modules share a file name, each has
  `tests/test_<package>_<name>.py` instead (`kb_site/pages.py` -> test_kb_site_pages.py, `status_site/pages.py` ->
  test_status_site_pages.py). That file names its module, by an import or by its path (`kb_site/pages.py`).
- More tests of one module, or of a package's `__init__.py`, go in `tests/test_<name>_<aspect>.py`
  (test_notify_hostile.py for `status_site/notify.py`, test_importers_markdown.py beside test_importers.py).
- Every other test file is cross-cutting: it tests a property of the whole product (through builds, the browser,
  the docs or the workflow) rather than one module, and is listed in `CROSS_CUTTING` below with what it covers.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
PACKAGE = TESTS.parent / "plugin" / "mkdocs_postmortems"
NOT_MODULES = ("__init__.py", "__main__.py")

# Test files that are no module's: what each covers.
CROSS_CUTTING = {
    "adapters": "the MkDocs plugin and `postmortems generate` hand their engines the same pages, HTML and files",
    "browser": "the built example in Chromium: pages, search, links, counts against the front matter",
    "browsing_ui": "tables, filters, sorting, print and axe-core on every page type, in Chromium",
    "data_errors": "a file with data errors is listed and never published, and durations are never negative",
    "docs": "the documentation matches the code: fields, codes, options, Quick start, links",
    "docs_architecture": "docs/architecture.md's layers and line counts match the package",
    "docs_browsing": "the browsing docs match the exports, URLs and templates of a build",
    "docs_contributing": "CONTRIBUTING.md's snippets are lines of the package",
    "edges": "the ends of the calendar, every UTC offset and over-long names, through every page and export",
    "engines": "the example built by MkDocs, ProperDocs and Zensical",
    "files": "files that are not what they seem: links, pipes, hidden folders, merges, reserved names",
    "hostile_input": "any file gives diagnostics, never an exception",
    "hostile_values": "every page, chart and export copes with negative, missing and huge values",
    "incremental": "rebuilds under `mkdocs serve` and `check --changed-since` give what a full run gives",
    "layout": "this rule: every module has the test file of its name, every other test file is listed here",
    "large_pages": "no page grows with the history: long lists are split into pages",
    "layers": "every module imports on its own, with no cycle and no MkDocs in the core",
    "log_lines": "no value of a postmortem can start a workflow command in a CI log",
    "long_histories": "trend and chart windows, filters and uptime stay bounded over long histories",
    "reproducible": "two builds at the same SOURCE_DATE_EPOCH are the same byte for byte",
    "status_live_browser": "a live incident and a maintenance on the status site, in the API, feeds and Chromium",
    "surviving_site": "the last good site survives a refused, failed or killed build",
    "validation": "every diagnostic code against its fixture, with its position and level",
    "workflow": "the GitHub Actions workflow and the pre-commit hook",
}


def modules() -> list[Path]:
    return sorted(path.relative_to(PACKAGE) for path in PACKAGE.rglob("*.py") if path.name not in NOT_MODULES)


def named_for(module: Path, shared: Counter) -> str:
    """`<name>` for a module whose file name no other module has, else `<package>_<name>` (its folders joined)."""
    name = module.stem
    return name if shared[name] <= 1 else "_".join((*module.parent.parts, name))


SHARED = Counter(module.stem for module in modules())
NAMES = {named_for(module, SHARED): module for module in modules()}
PACKAGES = {"_".join(path.parent.relative_to(PACKAGE).parts) for path in PACKAGE.rglob("*/__init__.py")}
TEST_FILES = sorted(path.stem.removeprefix("test_") for path in TESTS.glob("test_*.py"))


def owner(name: str) -> str | None:
    """The module name or package a test file is named for: itself, or the longest one it starts with and `_`."""
    if name in NAMES or name in PACKAGES:
        return name
    found = [known for known in (*NAMES, *PACKAGES) if name.startswith(known + "_")]
    return max(found, key=len) if found else None


def test_a_shared_file_name_takes_its_package():
    assert SHARED["pages"] == 2 and {"kb_site_pages", "status_site_pages"} <= NAMES.keys()
    assert named_for(Path("kb_site/pages.py"), SHARED) == "kb_site_pages"
    assert named_for(Path("kb_site/charts.py"), SHARED) == "charts"
    assert "pages" not in NAMES and "markdown" not in NAMES  # only the package-qualified names


@pytest.mark.parametrize("module", modules(), ids=lambda module: module.as_posix())
def test_every_module_has_the_test_file_of_its_name(module):
    name = named_for(module, SHARED)
    path = TESTS / f"test_{name}.py"
    assert path.is_file(), f"{module.as_posix()} has no tests/test_{name}.py"
    text = path.read_text(encoding="utf-8")
    dotted = ".".join((*module.parent.parts, module.stem))
    package = ".".join(("mkdocs_postmortems", *module.parent.parts))
    imported = re.search(rf"\bmkdocs_postmortems\.{re.escape(dotted)}\b", text) or re.search(
        rf"^from {re.escape(package)} import [^\n]*\b{module.stem}\b", text, re.MULTILINE
    )
    named = re.search(rf"(?<![\w/.]){re.escape(module.as_posix())}\b", text)
    assert imported or named, f"tests/test_{name}.py neither imports nor names {module.as_posix()}"


@pytest.mark.parametrize("name", TEST_FILES)
def test_every_test_file_is_a_modules_or_listed_as_cross_cutting(name):
    assert owner(name) is not None or name in CROSS_CUTTING, (
        f"tests/test_{name}.py is named for no module (test_<name>.py, test_<name>_<aspect>.py): rename it after the "
        "module it tests, or list it in CROSS_CUTTING with what it covers"
    )


def test_the_cross_cutting_list_names_existing_files_that_are_no_modules():
    assert sorted(name for name in CROSS_CUTTING if name not in TEST_FILES) == []
    assert sorted(name for name in CROSS_CUTTING if owner(name) is not None) == []
    assert all(what and not what.endswith(".") for what in CROSS_CUTTING.values())

"""Shared test data: a small service catalog, a fixed "today" and a valid baseline postmortem."""

# Where tests live (tests/test_layout.py checks it): a module's tests are in tests/test_<name>.py, <name> its file name
# (tests/test_<package>_<name>.py when two modules share a file name, as kb_site/pages.py and status_site/pages.py
# do); more tests of it in tests/test_<name>_<aspect>.py. Any other test file is cross-cutting and listed, with what
# it covers, in test_layout.CROSS_CUTTING.

from __future__ import annotations

import logging
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

from mkdocs_postmortems import load_knowledge_base
from mkdocs_postmortems.diagnostics import Level
from mkdocs_postmortems.policy import Policy, Service

# Under CI the property tests draw the same examples on every run, so that main's verdict does not depend on luck;
# anywhere else they draw new ones each run, which is where a counterexample is found and then pinned as a case.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

TODAY = date(2026, 11, 22)
# What a status-page entry (cState, Statuspage) never says, in the order an import's report lists it: written out
# here, not taken from `records.STATUS_PAGE_UNKNOWN`, so that a change there fails the importers' tests.
STATUS_ENTRY_UNKNOWN = [
    "severity",
    "authors",
    "reviewers",
    "detected",
    "mitigated",
    "published_on",
    "impact.summary",
    "impact.customers_affected",
    "impact.requests_failed",
    "root_causes",
    "action_items",
    "communications",
    "sections",
]


def pytest_addoption(parser, pluginmanager):
    """pyproject's `addopts` runs the tests on pytest-xdist's workers (`--numprocesses auto --dist loadfile
    --no-loadscope-reorder`); without xdist (`-p no:xdist`, or not installed) they run in this one process, its
    options ignored."""
    if not pluginmanager.has_plugin("xdist"):
        parser.addoption("--numprocesses", help="ignored: pytest-xdist is not loaded")
        parser.addoption("--dist", help="ignored: pytest-xdist is not loaded")
        parser.addoption("--no-loadscope-reorder", action="store_true", help="ignored: pytest-xdist is not loaded")


def pytest_collection_modifyitems(config, items):
    """The screenshot refresh (`@pytest.mark.screenshots`) is a tool, not a test: it runs with UPDATE_SCREENSHOTS=1
    and is otherwise deselected, never skipped. On xdist's workers the files that drive Chromium or build with every
    engine, the longest, are handed out first, so that the workers finish together."""
    if "PYTEST_XDIST_WORKER" in os.environ:
        items.sort(key=lambda item: "browser" not in item.keywords and "engines" not in item.keywords)
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        return
    deselected = [item for item in items if "screenshots" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if "screenshots" not in item.keywords]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def skip_or_fail(reason: str):
    """Outside CI a missing tool skips the test; with CI set it fails it, so CI never goes green by skipping."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this test must run)", pytrace=False)
    pytest.skip(reason)


# A minimal postmortem with no problems at all under `make_policy()` and TODAY.
# Line numbers matter to the tests: title is line 2, severity line 4, started line 8,
# impact.summary line 13, the closing `---` line 27 and the body starts on line 28.
VALID = """\
---
title: Checkout latency during the spring sale
status: published
severity: SEV2
services: [checkout]
authors: [alice]
reviewers: [bob]
started: 2024-03-14T09:50:00Z
detected: 2024-03-14T09:58:00Z
mitigated: 2024-03-14T10:30:00Z
resolved: 2024-03-14T11:00:00Z
impact:
  summary: Checkouts took up to 30 seconds for 40 minutes.
  customers_affected: 1200
root_causes:
  - id: pool
    kind: causal
    category: capacity
    summary: The connection pool was sized for normal traffic.
action_items:
  - title: Size the pool for peak traffic
    owner: team-checkout
    priority: P1
    due: 2027-01-31
    status: open
    addresses: [pool]
---

## Summary

Checkouts were slow.

## Impact

1200 customers waited.

## Timeline

| Time (UTC) | Event |
|---|---|
| 09:50 | Latency rises |

## Root cause analysis

The pool was too small.

## Resolution

We raised the pool size.

## Lessons learned

Load-test before sales.
"""


# VALID is the baseline for the format rules: a well-formed postmortem, published before the review rules asked
# for more. Those rules have a complete baseline of their own in test_review.py; here they are off, so each test
# sees only the rule it is about.
REVIEW_ONLY = (
    "published-date",
    "communication-missing",
    "root-cause-shallow",
    "action-item-deadline",
    "done-when-missing",
    "publish-overdue",
    "communication-owed",
)
REVIEW_OFF = dict.fromkeys(REVIEW_ONLY, Level.OFF)


def make_policy(**changes) -> Policy:
    changes["rule_levels"] = {**REVIEW_OFF, **changes.get("rule_levels", {})}
    changes.setdefault("services", (Service("checkout", "", "Checkout"), Service("orders-db")))
    return Policy(**changes)


@pytest.fixture
def policy() -> Policy:
    return make_policy()


@pytest.fixture
def check(policy):
    """Load and check a folder the way the plugin does, with display paths relative to the folder."""

    def run(folder: Path, policy: Policy = policy, **options):
        return load_knowledge_base(folder, policy, today=TODAY, base=folder, **options)

    return run


@pytest.fixture(autouse=True)
def _mkdocs_logger_reset():
    """A strict build counts the warnings that reach the `mkdocs` logger; whatever another test (or an in-process
    `postmortems check`) did to that logger's level, start each test from the default and put it back after."""
    logger = logging.getLogger("mkdocs")
    before = logger.level
    logger.setLevel(logging.NOTSET)
    yield
    logger.setLevel(before)


@pytest.fixture(autouse=True)
def _own_cache_folder(tmp_path_factory, monkeypatch):
    """`check --changed-since` keeps scans in the user's cache folder: each test has its own, never the real one."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))


@pytest.fixture(autouse=True)
def _fresh_plugin_objects():
    """MkDocs keeps plugin objects that define `on_startup` (ours does, for `mkdocs serve`) across `load_config`
    calls; each test starts with new ones, as a new `mkdocs build` process would."""
    from mkdocs.config.defaults import MkDocsConfig

    MkDocsConfig.plugins.plugin_cache.clear()
    yield


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A MkDocs project in the current directory: mkdocs.yml enabling the plugin, docs/ and postmortems/."""
    from cli_support import CONFIG

    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    (tmp_path / "docs").mkdir()
    (tmp_path / "postmortems").mkdir()
    return tmp_path


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """An empty MkDocs project in a new git repository (the current directory), isolated from any git config."""
    from cli_support import CONFIG, git

    if shutil.which("git") is None:
        skip_or_fail("git is not installed")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))  # never find a repository above
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# t\n")
    (tmp_path / "postmortems").mkdir()
    return tmp_path


REPO = Path(__file__).resolve().parent.parent


def _build_example(root: Path, config: str) -> None:
    """Build `root/config` strictly with new plugin objects, whatever a test did to MkDocs' logger before."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.config.defaults import MkDocsConfig

    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.NOTSET)  # a strict build counts what reaches the logger (see _mkdocs_logger_reset)
    MkDocsConfig.plugins.plugin_cache.clear()
    try:
        build(load_config(str(root / config), strict=True))
    finally:
        logger.setLevel(level)


@pytest.fixture(scope="session")
def example_root(tmp_path_factory) -> Path:
    """A copy of the repository's example (mkdocs.yml, mkdocs.public.yml, docs/, postmortems/), never changed."""
    root = tmp_path_factory.mktemp("example")
    for name in ("docs", "postmortems"):
        shutil.copytree(REPO / name, root / name)
    for name in ("mkdocs.yml", "mkdocs.public.yml"):
        shutil.copy(REPO / name, root / name)
    return root


@pytest.fixture(scope="session")
def example_site(example_root) -> Path:
    """The example's knowledge base (mkdocs.yml) built once per session under `--strict`, for the modules that only
    read or serve it (the browser tests, the cross-incident pages, the docs). A test that changes the example
    builds a copy of its own."""
    _build_example(example_root, "mkdocs.yml")
    return example_root / "site"


@pytest.fixture(scope="session")
def public_example_site(example_root) -> Path:
    """The example's status site (mkdocs.public.yml) built once per session under `--strict`, as `example_site`."""
    _build_example(example_root, "mkdocs.public.yml")
    return example_root / "site-public"


@pytest.fixture(scope="session")
def history_site(tmp_path_factory) -> Path:
    """The site of a history of 1,000 synthetic postmortems (history_support), never changed: for what only scale
    shows (bounded pages, search's budget) and the layout of the browsing pages at length. Built once per run: on
    pytest-xdist's workers, in the run's folder above each worker's own, by the first worker that asks for it."""
    from history_support import build_history, build_history_once

    if "PYTEST_XDIST_WORKER" in os.environ:
        return build_history_once(tmp_path_factory.getbasetemp().parent / "history")
    return build_history(tmp_path_factory.mktemp("history"))


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per session, each test in a context of its own (see browser_support.launch_chromium)."""
    from browser_support import launch_chromium, unavailable

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    playwright = sync_playwright().start()
    try:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()

"""Shared test data: a small service catalog, a fixed "today" and a valid baseline postmortem."""

from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path

import pytest

from mkdocs_postmortems import load_knowledge_base
from mkdocs_postmortems.policy import Policy, Service

TODAY = date(2026, 11, 22)


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


def make_policy(**changes) -> Policy:
    return Policy(services=(Service("checkout", "", "Checkout"), Service("orders-db")), **changes)


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

"""Running the `postmortems` CLI in tests: a project's config, the command in process, and git repositories."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from click.testing import CliRunner

from conftest import REVIEW_ONLY, VALID
from mkdocs_postmortems.cli import main

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
        - name: orders-db
      rule_levels:  # the review rules are off for VALID, as in conftest; a test appends more levels below
""" + "".join(f"        {code}: 'off'\n" for code in REVIEW_ONLY)


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def check_json(*args: str) -> tuple[int, dict]:
    result = run("check", "--format", "json", "--today", "2026-11-22", *args)
    return result.exit_code, json.loads(result.stdout)


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def dated(day: int, text: str = VALID) -> str:
    """VALID, started on 2024-03-`day` so that a file named after that day has the right date."""
    return text.replace("2024-03-14T", f"2024-03-{day:02d}T")


def related(text: str, *ids: str) -> str:
    return text.replace("---\n\n## Summary", f"related: [{', '.join(ids)}]\n---\n\n## Summary", 1)


def write(repo: Path, name: str, text: str) -> Path:
    path = repo / "postmortems" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path

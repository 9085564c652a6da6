"""Reproducible builds: one clock in the core (`dates.build_time`), `SOURCE_DATE_EPOCH` when it is set. Two builds of
the same sources at the same `SOURCE_DATE_EPOCH` are the same byte for byte, and the plugin and `postmortems
generate` say the same "last updated"."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from mkdocs_postmortems.dates import SourceDateEpochError, build_time, last_updated
from site_support import postmortem, run_cli
from test_surviving_site import BLOCK, PM, files_of, public_site

EPOCH = "1748764800"  # 2025-06-01 08:00:00 UTC: not today, so a build that reads the clock shows it
AT = "2025-06-01T08:00:00Z"
UPDATED = re.compile(r'Last updated <time datetime="([^"]+)">')


def sources(root: Path, public: bool) -> Path:
    """A site of two postmortems, one with a public block; its config."""
    config = public_site(root, postmortem(PM, public=BLOCK))
    if not public:
        config.write_text(config.read_text().replace("public_site: true", "public_site: false"))
    (root / "postmortems" / "2024-05-01-other.md").write_text(postmortem("2024-05-01-other"), encoding="utf-8")
    return config


def build_into(config: Path, folder: str) -> Path:
    build(load_config(str(config), site_dir=str(config.parent / folder)))
    return config.parent / folder


def a_second_later(start: float) -> None:
    """Wait until the clock's second is not that of `start`: a build reading the clock then says another time."""
    while int(time.time()) == int(start):
        time.sleep(0.05)


@pytest.mark.parametrize("public", [True, False], ids=["public", "internal"])
def test_two_builds_at_one_source_date_epoch_are_the_same_byte_for_byte(tmp_path, monkeypatch, public):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    config = sources(tmp_path, public)
    start = time.time()
    first = files_of(build_into(config, "first"))
    a_second_later(start)
    second = files_of(build_into(config, "second"))
    assert first.keys() == second.keys() and "sitemap.xml.gz" in first  # MkDocs takes its gzip time from the epoch
    assert [name for name in first if first[name] != second[name]] == []
    # and the time they say is the epoch's, on the epoch's day
    page = (tmp_path / "first" / ("index.html" if public else "status/index.html")).read_text("utf-8")
    assert UPDATED.findall(page) == [AT if public else "2025-06-01T00:00:00Z"]


def test_the_plugin_and_generate_say_the_same_last_updated(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    config = sources(tmp_path, public=True)
    site = build_into(config, "site-public")
    monkeypatch.chdir(tmp_path)
    result = run_cli("generate", "out")
    assert result.exit_code == 0, result.output
    generated = (tmp_path / "out" / "docs" / "index.md").read_text(encoding="utf-8")
    assert UPDATED.findall(generated) == UPDATED.findall((site / "index.html").read_text(encoding="utf-8")) == [AT]


def test_the_build_time_is_the_epoch_or_the_clock(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert build_time() == datetime(2025, 6, 1, 8, tzinfo=timezone.utc)
    assert last_updated(build_time().date()) == build_time()
    assert last_updated(datetime(2025, 6, 2).date()) is None  # judged on another day: midnight of that day
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert build_time() == datetime(1970, 1, 1, tzinfo=timezone.utc)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    before = datetime.now(timezone.utc)
    assert before <= build_time() <= datetime.now(timezone.utc)
    assert build_time().tzinfo is timezone.utc


def test_the_knowledge_base_is_judged_on_the_epochs_day(tmp_path, monkeypatch):
    from conftest import make_policy
    from mkdocs_postmortems import load_knowledge_base

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert load_knowledge_base(tmp_path, make_policy()).today == datetime(2025, 6, 1).date()


BAD = ["", "abc", "+5", " 5", "1_000", "1.5", "-1", "1e9", "2025-06-01", "99999999999999999999", "\u0661\u0662"]


@pytest.mark.parametrize("value", BAD)
def test_a_source_date_epoch_that_is_no_time_is_an_error(monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(SourceDateEpochError, match=f"^SOURCE_DATE_EPOCH is `{re.escape(value)}`, not a whole number"):
        build_time()


def test_a_build_with_a_source_date_epoch_that_is_no_time_fails_in_one_line(tmp_path, monkeypatch, caplog):
    config = sources(tmp_path, public=True)
    site = build_into(config, "site-public")
    before = files_of(site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "2025-06-01")
    with pytest.raises(Abort):
        build_into(config, "site-public")
    (error,) = [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]
    assert error.startswith("SOURCE_DATE_EPOCH is `2025-06-01`, not a whole number of seconds since 1970-01-01 UTC")
    assert files_of(site) == before


def test_mkdocs_build_with_a_source_date_epoch_that_is_no_time_exits_1_without_a_traceback(tmp_path):
    config = sources(tmp_path, public=False)
    failed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "tomorrow"},
    )
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr and "SOURCE_DATE_EPOCH is `tomorrow`" in failed.stderr


def test_generate_with_a_source_date_epoch_that_is_no_time_is_a_usage_error(tmp_path, monkeypatch):
    sources(tmp_path, public=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "tomorrow")
    result = run_cli("generate", "out")
    assert result.exit_code == 2 and "SOURCE_DATE_EPOCH is `tomorrow`" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_a_check_is_no_build_and_goes_on_with_the_clocks_day(tmp_path, monkeypatch):
    from conftest import make_policy
    from mkdocs_postmortems import load_knowledge_base

    sources(tmp_path, public=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "tomorrow")
    assert load_knowledge_base(tmp_path, make_policy()).today == datetime.now(timezone.utc).date()
    result = run_cli("check")
    assert result.exit_code in (0, 1) and result.output.splitlines()[-1].startswith("2 postmortems, ")

"""`cli/options.py`: what every command shares. `-f` reads the policy as a build does (the whole `INHERIT` chain),
no config means the defaults and `./postmortems`, a config that cannot be used is a usage error (exit 2), and a
`DATE` is YYYY-MM-DD."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
import pytest

from cli_support import CONFIG
from mkdocs_postmortems.cli.options import ConfigError, load_policy, parse_day, site_of
from mkdocs_postmortems.policy import Policy


def test_without_a_config_the_defaults_and_the_postmortems_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_policy(None) == (Policy(), Path("postmortems"))


def test_the_policy_of_mkdocs_yml_and_its_folder_beside_it(tmp_path, monkeypatch):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "mkdocs.yml").write_text(
        CONFIG.replace("      services:", "      folder: incidents\n      services:")
    )
    policy, folder = load_policy(tmp_path / "site" / "mkdocs.yml")
    assert policy.service_names == ("checkout", "orders-db") and folder == tmp_path / "site" / "incidents"
    monkeypatch.chdir(tmp_path / "site")
    assert load_policy(None)[0] == policy  # ./mkdocs.yml when there is one


def test_the_options_of_the_whole_inherit_chain(tmp_path):
    (tmp_path / "base.yml").write_text(CONFIG)
    (tmp_path / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: child\n")
    policy, _ = load_policy(tmp_path / "mkdocs.yml")
    assert policy.service_names == ("checkout", "orders-db")


def test_a_config_that_cannot_be_used_is_a_usage_error(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - postmortems:\n      severities: SEV1\n")
    with pytest.raises(ConfigError) as refused:
        load_policy(tmp_path / "mkdocs.yml")
    assert refused.value.exit_code == 2 and "severities" in refused.value.message
    with pytest.raises(ConfigError):
        site_of(tmp_path / "mkdocs.yml")


def test_a_date_is_yyyy_mm_dd_or_a_usage_error():
    assert parse_day(None, None, "2026-11-22") == date(2026, 11, 22)
    assert parse_day(None, None, None) is None
    for value in ("22/11/2026", "2026-02-30", "today"):
        with pytest.raises(click.BadParameter, match=value):
            parse_day(None, None, value)

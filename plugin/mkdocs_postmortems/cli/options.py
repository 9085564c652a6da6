"""What the commands share: `-f/--config-file` and the policy and folder it configures, and the `DATE` values."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..policy import Policy, policy_from_options


class ConfigError(click.ClickException):
    """A config file that cannot be used: a usage error (exit 2), not a problem in a postmortem (exit 1)."""

    exit_code = 2


def load_policy(config_file: Path | None) -> tuple[Policy, Path]:
    """The policy configured in `config_file` (via MkDocs' own config loading) and the postmortems folder.

    With no `config_file` given: `mkdocs.yml` if there is one, else the defaults and `./postmortems`.
    """
    if config_file is None:
        config_file = Path("mkdocs.yml")
        if not config_file.exists():
            return Policy(), Path("postmortems")
    policy = policy_from_options(_plugin_options(config_file))
    return policy, config_file.parent / policy.folder


def _plugin_options(config_file: Path):
    """The plugin's options in `config_file`, read by MkDocs' own YAML loader (`INHERIT`, `!ENV`) and validated by
    the plugin's own `PostmortemsConfig`, as a build validates them, without loading the theme and every other
    plugin, which a check does not need (`publishing._site_config` does, for the commands that build)."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    from ..mkdocs_config import PostmortemsConfig

    try:
        with open(config_file, "rb") as source:
            settings = yaml_load(source)
    except (OSError, ConfigurationError) as error:
        raise ConfigError(f"{config_file}: {error}") from None
    options = _plugin_entries(settings.get("plugins") if isinstance(settings, dict) else None).get("postmortems")
    if isinstance(options, dict) and options.get("enabled", True) is False:
        options = None
    if options is None:
        raise ConfigError(f"{config_file} does not enable the `postmortems` plugin")
    if not isinstance(options, dict):
        raise ConfigError(f"{config_file}: the options of the `postmortems` plugin must be a mapping of `key: value`")
    options = {key: value for key, value in options.items() if key != "enabled"}
    config = PostmortemsConfig(config_file_path=str(config_file))
    config.load_dict(options)
    failed, _ = config.validate()
    if failed:
        raise ConfigError(f"{config_file}: " + "; ".join(f"plugin `postmortems`, option `{key}`: {error}"
                                                          for key, error in failed))
    return config


def _plugin_entries(plugins) -> dict:
    """MkDocs' `plugins` setting, a list (`- name` or `- name: {options}`) or a mapping, as name -> options."""
    if isinstance(plugins, dict):
        return {name: {} if options is None else options for name, options in plugins.items()}
    entries = {}
    for entry in plugins if isinstance(plugins, list) else ():
        if isinstance(entry, str):
            entries[entry] = {}
        elif isinstance(entry, dict) and len(entry) == 1:
            (name, options), = entry.items()
            entries[name] = {} if options is None else options
    return entries


def parse_day(ctx, param, value: str | None) -> date | None:
    """The `DATE` of an option (`--today`, `--date`), YYYY-MM-DD; a usage error if it is not one."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"`{value}` is not a date YYYY-MM-DD") from None


config_option = click.option("-f", "--config-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                             help="The MkDocs config with the plugin's options (default: ./mkdocs.yml if present).")

"""The plugin's options as a typed MkDocs `Config`, and how the CLI reads them from a config file. Every default is
read from the core's `Policy()`, so a default is written once; `policy_from_options` turns validated options into
the `Policy` the core uses."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import base, load_config
from mkdocs.config import config_options as c
from mkdocs.exceptions import ConfigurationError, MkDocsException
from mkdocs.utils.yaml import yaml_load

from .diagnostics import Level
from .policy import Policy, policy_from_options

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

DEFAULTS = Policy()


class _Level(c.Choice):
    """A rule level; YAML 1.1 reads an unquoted `off` as false, which here means `off`."""

    def run_validation(self, value):
        return super().run_validation("off" if value is False else value)


class _Service(base.Config):
    name = c.Type(str)
    description = c.Type(str, default="")
    component = c.Optional(c.Type(str))
    public = c.Type(bool, default=False)
    regulated = c.Type(bool, default=False)
    since = c.Optional(c.Type(date))
    provider = c.Optional(c.Type(str))


class _Category(base.Config):
    name = c.Type(str)
    description = c.Type(str, default="")


class _Review(base.Config):  # default (None): by rank on the severity scale, see policy.py
    publish_within_business_days = c.Optional(c.DictOfItems(c.Type(int)))
    first_priority_due_within_days = c.Optional(c.DictOfItems(c.Type(int)))


class _Blameless(base.Config):
    names = c.ListOfItems(c.Type(str), default=[])
    phrases = c.ListOfItems(c.Type(str), default=[])
    allowed = c.ListOfItems(c.Type(str), default=[])


class _LeakGate(base.Config):
    ticket_pattern = c.Type(str, default=DEFAULTS.ticket_pattern)
    internal_hosts = c.ListOfItems(c.Type(str), default=list(DEFAULTS.internal_hosts))
    deny = c.ListOfItems(c.Type(str), default=[])
    internal_domains = c.ListOfItems(c.Type(str), default=list(DEFAULTS.internal_domains))
    public_domains = c.ListOfItems(c.Type(str), default=list(DEFAULTS.public_domains))
    public_tickets = c.ListOfItems(c.Type(str), default=list(DEFAULTS.public_tickets))
    cloud_patterns = c.ListOfItems(c.Type(str), default=list(DEFAULTS.cloud_patterns))
    cluster_patterns = c.ListOfItems(c.Type(str), default=list(DEFAULTS.cluster_patterns))
    allow = c.ListOfItems(c.Type(str), default=list(DEFAULTS.public_allow))


class _CommunicationPolicy(base.Config):
    customers_for = c.Optional(c.ListOfItems(c.Type(str)))  # default: the two worst severities
    regulator_report_within_days = c.Type(int, default=DEFAULTS.regulator_report_within_days)


class _Webhook(base.Config):
    url = c.Optional(c.Type(str))
    url_env = c.Optional(c.Type(str))
    format = c.Choice(("json", "slack"), default="json")
    secret_env = c.Optional(c.Type(str))


class _StatusPage(base.Config):
    public_site = c.Type(bool, default=DEFAULTS.public_site)  # mkdocs.public.yml: build the public status site instead
    history_page_size = c.Type(int, default=DEFAULTS.history_page_size)
    uptime_days = c.Type(int, default=DEFAULTS.uptime_days)
    webhooks = c.ListOfItems(c.SubConfig(_Webhook), default=[])  # `postmortems notify`


class _Views(base.Config):  # how much of a long history the cross-incident pages show
    trend_quarters = c.Type(int, default=DEFAULTS.trend_quarters)
    chart_months = c.Type(int, default=DEFAULTS.chart_months)
    facet_limit = c.Type(int, default=DEFAULTS.facet_limit)


class PostmortemsConfig(base.Config):
    folder = c.Type(str, default=DEFAULTS.folder)
    severities = c.ListOfItems(c.Type(str), default=list(DEFAULTS.severities))
    services = c.ListOfItems(c.SubConfig(_Service), default=[])
    root_cause_categories = c.ListOfItems(
        c.SubConfig(_Category), default=[{"name": category.name, "description": category.description}
                                         for category in DEFAULTS.categories])
    priorities = c.ListOfItems(c.Type(str), default=list(DEFAULTS.priorities))
    required_sections = c.ListOfItems(c.Type(str), default=list(DEFAULTS.required_sections))
    section_aliases = c.Optional(c.DictOfItems(c.ListOfItems(c.Type(str))))  # default: the built-in aliases
    action_items_required_for = c.Optional(c.ListOfItems(c.Type(str)))  # default: the two worst severities
    include_drafts = c.Type(bool, default=DEFAULTS.include_drafts)
    rule_levels = c.DictOfItems(_Level([level.value for level in Level]), default={})
    review = c.SubConfig(_Review)
    blameless = c.SubConfig(_Blameless)
    organisations = c.ListOfItems(c.Type(str), default=list(DEFAULTS.organisations))
    templates_folder = c.Optional(c.Type(str))
    leak_gate = c.SubConfig(_LeakGate)
    communication_policy = c.SubConfig(_CommunicationPolicy)
    status_page = c.SubConfig(_StatusPage)
    views = c.SubConfig(_Views)

    def validate(self):
        """Check the options against each other too, so a bad policy fails `load_config` (build and CLI)."""
        failed, warnings = super().validate()
        if not failed:
            try:
                policy_from_options(self)
            except ValueError as error:
                failed.append(("postmortems", c.ValidationError(str(error))))
        return failed, warnings


class ConfigFileError(Exception):
    """A config file the plugin's options cannot be read from; the message names the file and what is wrong."""


def plugin_options(config_file: Path) -> PostmortemsConfig:
    """The plugin's options in `config_file`, read by MkDocs' own YAML loader (`INHERIT`, `!ENV`) and validated as a
    build validates them, without loading the theme and the other plugins (`site_config` loads them)."""
    try:
        with open(config_file, "rb") as source:
            settings = yaml_load(source)
    except (OSError, ConfigurationError) as error:
        raise ConfigFileError(f"{config_file}: {error}") from None
    options = _plugin_entries(settings.get("plugins") if isinstance(settings, dict) else None).get("postmortems")
    if isinstance(options, dict) and options.get("enabled", True) is False:
        options = None
    if options is None:
        raise ConfigFileError(f"{config_file} does not enable the `postmortems` plugin")
    if not isinstance(options, dict):
        raise ConfigFileError(f"{config_file}: the options of the `postmortems` plugin must be a mapping of "
                              f"`key: value`")
    config = PostmortemsConfig(config_file_path=str(config_file))
    config.load_dict({key: value for key, value in options.items() if key != "enabled"})
    failed, _ = config.validate()
    if failed:
        raise ConfigFileError(f"{config_file}: " + "; ".join(f"plugin `postmortems`, option `{key}`: {error}"
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


def site_config(config_file: Path) -> MkDocsConfig:
    """The site's whole configuration as MkDocs validates it for a build, theme and plugins loaded."""
    mkdocs_log = logging.getLogger("mkdocs")
    level = mkdocs_log.level
    mkdocs_log.setLevel(logging.ERROR)  # only configuration errors; a check prints its own findings
    try:
        config = load_config(str(config_file))
    except MkDocsException as error:  # MkDocs has logged each problem already
        raise ConfigFileError(f"{config_file}: {error}") from None
    finally:
        mkdocs_log.setLevel(level)
    if config.plugins.get("postmortems") is None:
        raise ConfigFileError(f"{config_file} does not enable the `postmortems` plugin")
    return config

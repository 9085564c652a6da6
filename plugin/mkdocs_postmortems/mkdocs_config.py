"""The plugin's options as a typed MkDocs `Config`, and how the CLI reads them from a config file. Every default is
read from the core's `Policy()`, so a default is written once; `policy_from_options` turns validated options into
the `Policy` the core uses."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from mkdocs.config import base, load_config
from mkdocs.config import config_options as c
from mkdocs.exceptions import MkDocsException
from mkdocs.utils.yaml import get_yaml_loader

from .diagnostics import Level
from .policy import Policy, policy_from_options, with_own_domains

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


class PluginNotEnabled(ConfigFileError):
    """A config file whose chain does not enable the plugin (a program may still enable it by its own arguments)."""


# The options the leak gate knows internal names from: a public build must read them as the knowledge base does.
GATE_OPTIONS = ("folder", "services", "blameless", "organisations", "leak_gate")
_MAX_INHERIT = 16


@dataclass(frozen=True)
class Options:
    """The plugin's options as a config file's whole `INHERIT` chain gives them, and the site and repository URLs
    the company's own domains are read from (`policy.with_own_domains`)."""

    config: PostmortemsConfig
    urls: tuple[str, ...]
    site_url: str | None

    def policy(self) -> Policy:
        return with_own_domains(policy_from_options(self.config), self.urls, self.site_url)


def plugin_options(config_file: Path) -> PostmortemsConfig:
    """The plugin's options in `config_file`, validated as a build validates them (`resolved_options`), without
    loading the theme and the other plugins (`site_config` loads them)."""
    return resolved_options(config_file).config


def resolved_options(config_file: Path) -> Options:
    """The plugin's options in `config_file` and the files it inherits (`INHERIT`, `!ENV`), each file's `plugins`
    read as a mapping whether written as a list or a mapping, merged as MkDocs merges mappings. MkDocs itself
    replaces a parent's list of plugins with a child's mapping, or a mapping with a list, dropping the parent's
    options without a word; read so, a public build's leak gate would know no internal name.

    A public build (`status_page.public_site`) must know every internal name the knowledge base knows: its
    `GATE_OPTIONS` must equal those of the knowledge base's config (the nearest file it inherits that builds the
    knowledge base, else `mkdocs.yml` beside it), or this refuses, naming the file to change."""
    chain = config_chain(config_file)
    settings = _merged(chain)
    config = _validated(config_file, _options_of(settings))
    urls = [settings.get("site_url"), settings.get("repo_url")]
    if config["status_page"]["public_site"]:
        knowledge_base = _knowledge_base_of(config_file, chain)
        if knowledge_base is not None:
            path, kb_settings, setters = knowledge_base
            kb_config = _validated(path, _options_of(kb_settings))
            for key in GATE_OPTIONS:
                if _gate_value(key, kb_config, path) != _gate_value(key, config, config_file):
                    setter = next((file for file, options in setters[::-1] if key in options), config_file)
                    raise ConfigFileError(
                        f"{config_file}: the public build must check public text with the knowledge base's "
                        f"`{key}`, but the `postmortems` option `{key}` differs from {path}'s (set in {setter}): "
                        f"remove it from {setter}, which then inherits it, or change it in {path}, which both builds "
                        "read")
            _own_pages(config_file, settings, path, kb_settings)
            urls += [kb_settings.get("site_url"), kb_settings.get("repo_url")]
    return Options(config, tuple(url for url in urls if isinstance(url, str)),
                   settings.get("site_url") if config["status_page"]["public_site"] else None)


def _own_pages(config_file: Path, settings: dict, kb_file: Path, kb_settings: dict) -> None:
    """Refuse a public build whose `docs_dir` holds the knowledge base's pages: every one of them, which no gate
    reads, would be published."""
    def docs_dir(file: Path, values: dict) -> str:
        return os.path.realpath(Path(file).parent / str(values.get("docs_dir") or "docs"))

    public, internal = docs_dir(config_file, settings), docs_dir(kb_file, kb_settings)
    if internal == public or internal.startswith(public.rstrip(os.sep) + os.sep):
        raise ConfigFileError(f"{config_file}: the public build's `docs_dir` holds the pages of {kb_file}'s, and "
                              "would publish every one of them: give the status site a folder of its own "
                              f"(`docs_dir: docs/public`) and leave it out of {kb_file} (`exclude_docs: /public/`)")


def config_chain(config_file: Path) -> list[tuple[Path, dict]]:
    """Each file of `config_file`'s `INHERIT` chain, the root first, as written, its `plugins` as a mapping."""
    chain: list[tuple[Path, dict]] = []
    path = Path(config_file)
    while True:
        if len(chain) > _MAX_INHERIT or any(os.path.realpath(path) == os.path.realpath(seen) for seen, _ in chain):
            raise ConfigFileError(f"{config_file}: `INHERIT` goes round in a loop or deeper than {_MAX_INHERIT} files "
                                  f"(at {path})")
        try:
            with open(path, "rb") as source:
                settings = yaml.load(source, Loader=get_yaml_loader()) or {}  # noqa: S506 - MkDocs' own safe loader
        except OSError as error:
            raise ConfigFileError(f"{path}: {error.strerror or error}") from None
        except (yaml.YAMLError, ValueError) as error:  # !ENV of an unset variable without a default is a ValueError
            raise ConfigFileError(f"{path}: not a valid MkDocs config: {error}") from None
        if not isinstance(settings, dict):
            raise ConfigFileError(f"{path}: a config file must be a mapping of `key: value`")
        settings = dict(settings)
        parent = settings.pop("INHERIT", None)
        if "plugins" in settings:
            settings["plugins"] = _plugin_entries(settings["plugins"])
        chain.append((path, settings))
        if parent is None:
            return chain[::-1]
        path = Path(os.path.normpath(path.parent / str(parent)))


def _merged(chain: list[tuple[Path, dict]]) -> dict:
    merged: dict = {}
    for _, settings in chain:
        merged = _merge(merged, settings)
    return merged


def _merge(base: dict, child: dict) -> dict:
    """`child` over `base`: mappings merged key by key, anything else replaced (as MkDocs merges `INHERIT`)."""
    merged = dict(base)
    for key, value in child.items():
        both = isinstance(value, dict) and isinstance(merged.get(key), dict)
        merged[key] = _merge(merged[key], value) if both else value
    return merged


def _options_of(settings: dict) -> dict | None:
    """The `postmortems` plugin's options in merged settings, or None when the plugin is not enabled."""
    options = (settings.get("plugins") or {}).get("postmortems")
    if isinstance(options, dict) and options.get("enabled", True) is False:
        return None
    return options


def _validated(config_file: Path, options) -> PostmortemsConfig:
    if options is None:
        raise PluginNotEnabled(f"{config_file} does not enable the `postmortems` plugin")
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


def _knowledge_base_of(config_file: Path, chain: list[tuple[Path, dict]]):
    """(path, merged settings, [(file, its plugin options)] of the files after it) of the config that builds the
    knowledge base a public config publishes: the nearest file of its chain whose merged options enable the plugin
    without `public_site`, else a `mkdocs.yml` beside it that does. None when there is neither."""
    def builds_knowledge_base(settings: dict) -> bool:
        options = _options_of(settings)
        return isinstance(options, dict) and not (options.get("status_page") or {}).get("public_site")

    for index in range(len(chain) - 2, -1, -1):
        settings = _merged(chain[:index + 1])
        if builds_knowledge_base(settings):
            later = [(path, (own.get("plugins") or {}).get("postmortems") or {}) for path, own in chain[index + 1:]]
            return chain[index][0], settings, [(path, o) for path, o in later if isinstance(o, dict)]
    beside = Path(config_file).parent / "mkdocs.yml"
    if beside.is_file() and os.path.realpath(beside) != os.path.realpath(config_file):
        try:
            settings = _merged(config_chain(beside))
        except ConfigFileError:
            return None
        if builds_knowledge_base(settings):
            own = (chain[-1][1].get("plugins") or {}).get("postmortems") or {}
            return beside, settings, [(Path(config_file), own if isinstance(own, dict) else {})]
    return None


def _gate_value(key: str, config: PostmortemsConfig, config_file: Path):
    """An option as plain values, comparable between two files (the folder as a real path)."""
    if key == "folder":
        return os.path.realpath(Path(config_file).parent / config[key])
    return _plain(config[key])


def _plain(value):
    if isinstance(value, base.Config):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


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

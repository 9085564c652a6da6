"""The plugin's options as a typed MkDocs `Config`, the `Policy` they give the core, and how the CLI reads them from
a config file.

No option is written here: each is declared once in the core, as the field of the core's value it sets (`Policy`,
or an item such as `Service`), with `option_fields.option()`. `_Options` derives each MkDocs option from its field:
its type from the annotation, its name, group, checks and documentation from the field's `Option`, its default from
the field's. `policy_from_options` reads the options back into those fields. The only checks written here are those
that need more than the core may import (`_CHECKS_ABOVE_THE_CORE`)."""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import yaml
from mkdocs.config import base, config_options as c, load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.utils.yaml import get_yaml_loader

from .catalog import spelling_twins
from .checks.families import RULES
from .diagnostics import Level
from .option_fields import Check, Group, Option, option_of
from .policy import Policy, Tracker, with_own_domains

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


class _Options(base.Config):
    """The options of one value of the core (`value`: `Policy`, or an item such as `Service`) in one of its groups
    (`group`), each derived from the field it sets (`fields`: option name -> field name); without a group, those of
    no group and each group as a sub-config, where its first field is."""

    value: ClassVar[type]
    fields: ClassVar[dict[str, str]]

    def __init_subclass__(cls, *, value: type, group: Group | None = None, **kwargs):
        cls.value, cls.fields = value, {}
        hints = typing.get_type_hints(value)
        for field in dataclasses.fields(value):
            declared = option_of(field)
            if declared is None:
                raise TypeError(f"{value.__name__}.{field.name}: declare the field with `option()`, which documents it")
            if declared.group == group:
                name = declared.name or field.name
                cls.fields[name] = field.name
                setattr(cls, name, _config_option(field, hints[field.name], declared))
            elif group is None and declared.group is not None and declared.group.name not in cls.__dict__:
                options = _options_class(declared.group.name, value, declared.group)
                setattr(cls, declared.group.name, _documented(c.SubConfig(options), Option(declared.group.text)))
        super().__init_subclass__(**kwargs)


def _options_class(name: str, value: type, group: Group | None = None) -> type[_Options]:
    """The options of `value` (in `group`), in a class named as one written by hand would be: `_StatusPage`."""
    return types.new_class("_" + name.title().replace("_", ""), (_Options,), {"value": value, "group": group})


def _config_option(field: dataclasses.Field, hint: Any, declared: Option) -> c.BaseConfigOption:
    """The MkDocs option of `field`: of its annotation's type, with its default, or None when its default is computed
    from the other options (`Option.unset`)."""
    if declared.unset is not None:
        return _documented(c.Optional(_typed(hint, declared.choices)), declared)
    config_option = _typed(hint, declared.choices)
    if field.default is not dataclasses.MISSING:
        config_option.default = _as_option(field.default)
    elif field.default_factory is not dataclasses.MISSING:
        config_option.default = _as_option(field.default_factory())
    return _documented(config_option, declared)


def _typed(hint: Any, choices: tuple[str, ...]) -> c.BaseConfigOption:
    """The MkDocs option that checks a value of type `hint` (a field's annotation), of `choices` if any."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint == bool | tuple[str, ...]:  # `true`, `false` or a list of `choices`
        return _Regulated(choices)
    if isinstance(hint, types.UnionType) and type(None) in args:
        (given,) = (arg for arg in args if arg is not type(None))
        return c.Optional(_typed(given, choices))
    if origin is tuple and isinstance(args[0], type) and dataclasses.is_dataclass(args[0]):
        return c.ListOfItems(c.SubConfig(_options_class(args[0].__name__, args[0])))  # items, each a value of its own
    if origin is tuple:
        return c.ListOfItems(_typed(args[0], choices))
    if origin is Mapping:
        return c.DictOfItems(_typed(args[1], choices))
    if choices:
        return c.Choice(choices)
    if hint is float:
        return _Number()
    if hint is Level:
        return _Level([level.value for level in Level])
    if isinstance(hint, type):
        return c.Type(hint)
    raise TypeError(f"no MkDocs option for a field of type {hint}")


def _documented(config_option: c.BaseConfigOption, declared: Option) -> c.BaseConfigOption:
    # MkDocs' option classes have no place for our documentation: it rides on the option as `doc`
    config_option.doc = declared  # type: ignore[attr-defined]
    return config_option


def _as_option(value):
    """A default of the core as an option's value: tuples as lists, an item (`Category`) as a mapping."""
    if isinstance(value, (tuple, list)):
        return [_as_option(item) for item in value]
    if dataclasses.is_dataclass(value):
        return {field.name: _as_option(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {key: _as_option(item) for key, item in value.items()}
    return value


class _Regulated(c.BaseConfigOption):
    """`true`, `false`, or a list of regimes (`[dora, gdpr]`), each of `choices`."""

    type_name = "boolean or list of regimes"  # as the options table writes it

    def __init__(self, choices: tuple[str, ...]):
        super().__init__()
        self.choices = choices

    def run_validation(self, value):
        if isinstance(value, bool):
            return value
        known = ", ".join(self.choices)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            unknown = sorted(set(value) - set(self.choices))
            if unknown:
                raise c.ValidationError(f"names unknown regimes {', '.join(unknown)}; known: {known}")
            return value
        raise c.ValidationError(f"expected `true`, `false` or a list of regimes ({known}), not {value!r}")


class _Number(c.Type):
    """A number: YAML reads `99.9` as a float and `100` as an integer; both are the float they say, never `true`."""

    def __init__(self, **kwargs):
        super().__init__(float, **kwargs)

    def run_validation(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        return super().run_validation(value)


class _Level(c.Choice):
    """A rule level; YAML 1.1 reads an unquoted `off` as false, which here means `off`."""

    def run_validation(self, value):
        return super().run_validation("off" if value is False else value)


# The checks that need more than the core may import: the rule registry, the service catalog's spellings (and the
# config file's lines that name them) and the trackers' API shapes; each by the field whose option it checks.


def _known_rules(value, options) -> str | None:
    unknown = set(value) - set(RULES)
    return f"names unknown rules: {', '.join(sorted(unknown))}" if unknown else None


def _usable_trackers(value, options) -> str | None:
    from .trackers import tracker_problem  # only for a configuration that has trackers: `check` starts without HTTP

    for index, tracker in enumerate(value):
        problem = tracker_problem(Tracker(**tracker))
        if problem:
            return f"entry {index + 1} ({tracker['kind']}): {problem}"
    return None


def _one_spelling(value, options) -> str | None:
    """Two services, or two components, that are one name spelt two ways (`Workers`, `work-ers`): postmortems and
    importers would take them for two."""
    config_file = getattr(options, "config_file_path", None)
    for key, repeats, what, fix in (
        ("name", True, "service", "keep one entry, and write its name that way in every postmortem"),
        ("component", False, "component", "spell the component the same way in every service behind it"),
    ):
        for first, second in spelling_twins((service[key] for service in value if service[key]), repeats):
            at_first = _lines_naming(config_file, key, first)
            at_second = at_first[1:] if first == second else _lines_naming(config_file, key, second)
            return (
                f"has the {what} {_named(first, at_first)} and the {what} {_named(second, at_second)}, one name "
                f"however it is spelt (case, `-`, `_`, `.` and spaces do not count): {fix}"
            )
    return None


_CHECKS_ABOVE_THE_CORE: dict[tuple[type, str], tuple[Check, ...]] = {
    (Policy, "rule_levels"): (_known_rules,),
    (Policy, "services"): (_one_spelling,),
    (Policy, "trackers"): (_usable_trackers,),
}


def _named(name: str, places: list[str]) -> str:
    return f"`{name}`" + (f" ({places[0]})" if places else "")


def _lines_naming(config_file: str | None, key: str, name: str) -> list[str]:
    """`file:line` of each line `key: name` (or `- key: name`) in `config_file` and the files it inherits."""
    line = re.compile(rf"^\s*(?:- +)?{key}: *(['\"]?){re.escape(name)}\1 *(?:#.*)?$")
    found: list[str] = []
    path = Path(config_file) if config_file else None
    for _ in range(_MAX_INHERIT):
        try:
            text = path.read_text(encoding="utf-8") if path else ""
        except (OSError, UnicodeDecodeError):
            break
        found += [f"{path}:{number}" for number, written in enumerate(text.split("\n"), 1) if line.match(written)]
        parent = re.search(r"^INHERIT: *(\S+)", text, re.MULTILINE)
        if path is None or parent is None:
            break
        path = path.parent / parent.group(1)
    return found


class PostmortemsConfig(_Options, value=Policy):
    """The plugin's options: every field of `Policy`, as `mkdocs.yml` writes them."""

    def validate(self):
        """Check the options against each other too, so a bad policy fails `load_config` (build and CLI)."""
        failed, warnings = super().validate()
        if not failed:
            try:
                policy_from_options(self)
            except ValueError as error:
                failed.append(("postmortems", c.ValidationError(str(error))))
        return failed, warnings


def policy_from_options(options: Mapping) -> Policy:
    """The `Policy` of type-checked plugin options (a `PostmortemsConfig`): each option's value, or its default
    computed from the others, checked and put into the field it sets.

    Raises ValueError, naming the option, when the options contradict each other, so a typo never switches a rule
    off."""
    return Policy(**_fields(PostmortemsConfig, options, options))


def _fields(config_class: type[_Options], values: Mapping, options: Mapping, prefix: str = "") -> dict[str, Any]:
    """The fields of `config_class.value` that `values`, options of `config_class`, set. `options`: all of them."""
    fields: dict[str, Any] = {}
    for name, config_option in config_class._schema:
        path, value = prefix + name, values[name]
        if isinstance(config_option, c.SubConfig):  # a group: more fields of the same value
            fields |= _fields(config_option.config_class, value, options, f"{path}.")
        else:
            field = config_class.fields[name]
            checks = _CHECKS_ABOVE_THE_CORE.get((config_class.value, field), ())
            fields[field] = _field(path, config_option, value, options, checks)
    return fields


def _field(path: str, config_option, value, options: Mapping, checks: tuple[Check, ...]):
    """One option's value as its field's: computed if unset, else checked (by its own checks, then `checks`);
    converted."""
    declared: Option = config_option.doc
    if value is None and declared.unset is not None:
        value = declared.unset(options)
    else:
        for check in declared.checks + checks:
            problem = check(value, options)
            if problem:
                raise ValueError(f"`{path}` {problem}")
    items = item_options(config_option)
    if items is not None:  # a list of items: each a value of its own (`Service`)
        return tuple(items.value(**_fields(items, item, options, f"{path}.")) for item in value)
    return declared.convert(value) if declared.convert else _frozen(value)


def _frozen(value):
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, Mapping):
        return {key: _frozen(item) for key, item in value.items()}
    return value


def item_options(config_option) -> type[_Options] | None:
    """The options of each item of a list of mappings (`services`), else None."""
    config_class = getattr(getattr(config_option, "option_type", None), "config_class", None)
    return config_class if isinstance(config_class, type) and issubclass(config_class, _Options) else None


def declared_options(
    config_class: type[_Options] = PostmortemsConfig, prefix: str = ""
) -> Iterator[tuple[str, c.BaseConfigOption]]:
    """Every option, as (its path such as `leak_gate.deny` or `services.name`, the MkDocs option carrying its
    `Option` as `doc`), a group before its options and a list of items before the items' options, in declaration order."""
    for name, config_option in config_class._schema:
        yield prefix + name, config_option
        inner = config_option.config_class if isinstance(config_option, c.SubConfig) else item_options(config_option)
        if inner is not None:
            yield from declared_options(inner, f"{prefix}{name}.")


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


def build_options(options: PostmortemsConfig, config: MkDocsConfig) -> Options:
    """The options a build of `config` uses: those of its config file's whole `INHERIT` chain (`resolved_options`),
    else, for a program that enables the plugin by its own arguments to `load_config`, those MkDocs validated."""
    public_url = config.site_url if options["status_page"]["public_site"] else None
    given = Options(options, (config.site_url or "", config.repo_url or ""), public_url)
    try:
        return resolved_options(Path(config.config_file_path)) if config.config_file_path else given
    except PluginNotEnabled:
        return given


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
                        "read"
                    )
            _own_pages(config_file, settings, path, kb_settings)
            urls += [kb_settings.get("site_url"), kb_settings.get("repo_url")]
    return Options(
        config,
        tuple(url for url in urls if isinstance(url, str)),
        settings.get("site_url") if config["status_page"]["public_site"] else None,
    )


def _own_pages(config_file: Path, settings: dict, kb_file: Path, kb_settings: dict) -> None:
    """Refuse a public build whose `docs_dir` holds the knowledge base's pages: every one of them, which no gate
    reads, would be published."""

    def docs_dir(file: Path, values: dict) -> str:
        return os.path.realpath(Path(file).parent / str(values.get("docs_dir") or "docs"))

    public, internal = docs_dir(config_file, settings), docs_dir(kb_file, kb_settings)
    if internal == public or internal.startswith(public.rstrip(os.sep) + os.sep):
        raise ConfigFileError(
            f"{config_file}: the public build's `docs_dir` holds the pages of {kb_file}'s, and "
            "would publish every one of them: give the status site a folder of its own "
            f"(`docs_dir: docs/public`) and leave it out of {kb_file} (`exclude_docs: /public/`)"
        )


def config_chain(config_file: Path) -> list[tuple[Path, dict]]:
    """Each file of `config_file`'s `INHERIT` chain, the root first, as written, its `plugins` as a mapping."""
    chain: list[tuple[Path, dict]] = []
    path = Path(config_file)
    while True:
        if len(chain) > _MAX_INHERIT or any(os.path.realpath(path) == os.path.realpath(seen) for seen, _ in chain):
            raise ConfigFileError(
                f"{config_file}: `INHERIT` goes round in a loop or deeper than {_MAX_INHERIT} files (at {path})"
            )
        try:
            with open(path, "rb") as source:
                settings = yaml.load(source, Loader=get_yaml_loader()) or {}  # MkDocs' own safe loader
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
        raise ConfigFileError(
            f"{config_file}: the options of the `postmortems` plugin must be a mapping of `key: value`"
        )
    config = PostmortemsConfig(config_file_path=str(config_file))
    config.load_dict({key: value for key, value in options.items() if key != "enabled"})
    failed, _ = config.validate()
    if failed:
        raise ConfigFileError(
            f"{config_file}: " + "; ".join(f"plugin `postmortems`, option `{key}`: {error}" for key, error in failed)
        )
    return config


def _knowledge_base_of(config_file: Path, chain: list[tuple[Path, dict]]):
    """(path, merged settings, [(file, its plugin options)] of the files after it) of the config that builds the
    knowledge base a public config publishes: the nearest file of its chain whose merged options enable the plugin
    without `public_site`, else a `mkdocs.yml` beside it that does. None when there is neither."""

    def builds_knowledge_base(settings: dict) -> bool:
        options = _options_of(settings)
        return isinstance(options, dict) and not (options.get("status_page") or {}).get("public_site")

    for index in range(len(chain) - 2, -1, -1):
        settings = _merged(chain[: index + 1])
        if builds_knowledge_base(settings):
            later = [(path, (own.get("plugins") or {}).get("postmortems") or {}) for path, own in chain[index + 1 :]]
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
    entries: dict[str, Any] = {}
    for entry in plugins if isinstance(plugins, list) else ():
        if isinstance(entry, str):
            entries[entry] = {}
        elif isinstance(entry, dict) and len(entry) == 1:
            ((name, options),) = entry.items()
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

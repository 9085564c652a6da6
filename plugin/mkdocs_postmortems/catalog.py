"""The service catalog as a team grows it: one name however it is spelt, catch-alls that are no service, and the
services an import proposes written into the plugin's `services:` in mkdocs.yml.

- `fold()`: a name as the catalog compares it, so `Workers`, `workers` and `work-ers` are one name (case, and
  `-`, `_`, `.` and spaces, do not count); `spelling_twins()` finds names a catalog spells two ways, which the
  plugin's options refuse (`mkdocs_config`).
- `is_catch_all()`: a status page's component that stands for every component (`All systems`, `everything`). It
  is never made a service: an incident naming one affected every component of the catalog, and its importer is
  the one to name them all.
- `plan()`: of the services an importer proposes, those the catalog lacks, and each left out with the reason.
- `add_services()`: mkdocs.yml's text with those services appended to the plugin's `services:`, whichever form
  `plugins:` takes (a list or a mapping). It inserts whole lines, indented as the file is, and changes nothing
  else: comments, order and every other line stay as written. What cannot be edited so (a flow list with entries,
  options written as a flow mapping) is a `CatalogEditError` saying what to change by hand, never a rewrite.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import yaml

from .live import quoted
from .policy import Service

_SEPARATORS = re.compile(r"[\s_.\-\u2010\u2011\u2012\u2013]+")
_CATCH_ALL = re.compile(
    r"\*|all|any|everything|everywhere|all of (?:it|them)"
    r"|(?:all|every|entire|whole)(?: (?:the|our))? "
    r"(?:services?|systems?|components?|products?|platforms?|apps?|applications?|sites?|regions?|features?)"
)
_NULL = "tag:yaml.org,2002:null"


def fold(name: str) -> str:
    """`name` as the catalog compares it: NFKC, case folded, without separators (`Work-ers` -> `workers`)."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", name).casefold())


def words(name: str) -> str:
    """`name` in lower case, its separators one space each (`All_Systems` -> `all systems`)."""
    return _SEPARATORS.sub(" ", unicodedata.normalize("NFKC", name).casefold()).strip()


def is_catch_all(name: str) -> bool:
    """Whether a component's name stands for every component rather than one (`all`, `All systems`,
    `all-services`, `everything`, `Entire platform`): an incident naming it affected the whole catalog."""
    return bool(_CATCH_ALL.fullmatch(words(name)))


def catalog_name(name: str, names: Iterable[str]) -> str | None:
    """The catalog's own spelling of `name` among `names` (`work-ers` -> `Workers`), or None."""
    folded = fold(name)
    return next((known for known in names if fold(known) == folded), None)


def spelling_twins(names: Iterable[str], repeats: bool = True) -> list[tuple[str, str]]:
    """Pairs (first, second) of `names` that are one name spelt two ways; with `repeats`, the very same spelling
    twice is a pair too (two services of one name), else it is not (two services behind one component)."""
    first: dict[str, str] = {}
    pairs = []
    for name in names:
        folded = fold(name)
        if folded not in first:
            first[folded] = name
        elif repeats or first[folded] != name:
            pairs.append((first[folded], name))
    return pairs


@dataclass(frozen=True)
class Plan:
    """What `--add-services` does with an importer's proposal: the entries it adds (mappings of `Service`'s
    fields, in the importer's order), and each it leaves out, with the reason."""

    added: tuple[dict, ...]
    left_out: tuple[tuple[dict, str], ...]


def plan(proposed: Iterable[Mapping], services: Iterable[Service]) -> Plan:
    """Of the importer's `proposed` catalog entries (`records.catalog_snippet`'s), those that name neither a
    service nor a component of `services` (nor one proposed before them) in any spelling, and are no catch-all."""
    names = {fold(service.name): service for service in services}
    components = {fold(s.component): s for s in names.values() if s.component}
    added: list[dict] = []
    left_out: list[tuple[dict, str]] = []
    for entry in proposed:
        name, component = str(entry["name"]), str(entry.get("component") or "")
        same_name, same_component = names.get(fold(name)), components.get(fold(component)) if component else None
        if is_catch_all(component or name):
            left_out.append((dict(entry), "it stands for every component, not one: no service is made of it"))
        elif same_component is not None:
            left_out.append((dict(entry), f"the component `{same_component.component}` is in the catalog already"))
        elif same_name is not None:
            hint = (
                f"; give it `component: {component}` if it is the same" if component and not same_name.component else ""
            )
            left_out.append((dict(entry), f"the service `{same_name.name}` is in the catalog already{hint}"))
        else:
            added.append(dict(entry))
            service = Service(name=name, component=component or None)
            names[fold(name)] = service
            if component:
                components[fold(component)] = service
    return Plan(tuple(added), tuple(left_out))


# --------------------------------------------------------------------------------------------------
# mkdocs.yml, line by line


class CatalogEditError(Exception):
    """mkdocs.yml cannot be extended line by line; the message says what to change by hand."""


class _AnyTag(yaml.SafeLoader):
    """Reads a config whatever tags it uses (`!ENV`, `!!python/name:`): those values are not the catalog's."""


_AnyTag.add_multi_constructor("", lambda loader, suffix, node: None)


def plugin_services(text: str) -> list:
    """The `services` of the `postmortems` plugin in a config's text, as written (`[]` when there are none)."""
    settings = yaml.load(text, Loader=_AnyTag) or {}
    plugins = settings.get("plugins") if isinstance(settings, dict) else None
    if isinstance(plugins, list):
        plugins = {k: v for entry in plugins for k, v in (entry.items() if isinstance(entry, dict) else [(entry, {})])}
    options = (plugins or {}).get("postmortems") if isinstance(plugins, dict) else None
    return list((options or {}).get("services") or []) if isinstance(options, dict) else []


def add_services(text: str, entries: Iterable[Mapping], where: str = "mkdocs.yml") -> str:
    """`text`, a config enabling the `postmortems` plugin, with `entries` appended to the plugin's `services:`
    (created when missing), as lines indented like the file's own. Raises `CatalogEditError`."""
    entries = [dict(entry) for entry in entries]
    if not entries:
        return text
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise CatalogEditError(f"{where} is not valid YAML: {error}") from None
    lines = [line + "\n" for line in text.split("\n")]  # as YAML counts lines (`str.splitlines` counts more breaks)
    if lines[-1] == "\n":
        lines.pop()
    owner, options = _plugin_options(root, where)
    step = _indent_step(root)
    block = isinstance(options, yaml.MappingNode) and options.flow_style is not True
    services = _value_of(options, "services") if isinstance(options, yaml.MappingNode) else None
    if block and services is None:
        column = options.value[0][0].start_mark.column
        after, new = _last_line(options), [" " * column + "services:\n"]
        dash = column + step
    elif block and services is not None:
        key = next(k for k, v in options.value if v is services)
        after, new, dash = _list_start(lines, key, services, step, where)
    elif owner is None or _is_empty(options):
        column = (owner.start_mark.column if owner is not None else options.start_mark.column) + step
        after = _emptied(lines, owner, options)
        new, dash = [" " * column + "services:\n"], column + step
    else:
        raise CatalogEditError(
            f"{where}: the `postmortems` plugin's options are a flow mapping (`{{...}}`): write them as a block "
            "mapping, one `key: value` per line, and run the command again"
        )
    offset = _item_offset(services)
    for entry in entries:
        new += _entry_lines(entry, dash, offset)
    edited = "".join(lines[: after + 1] + new + lines[after + 1 :])
    if plugin_services(edited) != plugin_services(text) + entries:  # a shape this editor misread
        raise CatalogEditError(f"{where}: could not add the services line by line; add them by hand")
    return edited


def _plugin_options(root: yaml.Node | None, where: str) -> tuple[yaml.Node | None, yaml.Node]:
    """(the `postmortems` key or list item, its options node) in the config's `plugins:`."""
    plugins = _value_of(root, "plugins") if isinstance(root, yaml.MappingNode) else None
    if isinstance(plugins, yaml.MappingNode) and plugins.flow_style is not True:
        for key, value in plugins.value:
            if key.value == "postmortems":
                return key, value
    elif isinstance(plugins, yaml.SequenceNode) and plugins.flow_style is not True:
        for item in plugins.value:
            if isinstance(item, yaml.ScalarNode) and item.value == "postmortems":
                return None, item
            if isinstance(item, yaml.MappingNode) and len(item.value) == 1 and item.value[0][0].value == "postmortems":
                return item.value[0]
    elif plugins is not None:
        raise CatalogEditError(f"{where}: `plugins:` is written in flow style: write it one plugin per line")
    raise CatalogEditError(
        f"{where} does not enable the `postmortems` plugin in its own `plugins:`: add the services to the file that does"
    )


def _value_of(mapping: yaml.MappingNode, key: str) -> yaml.Node | None:
    return next((value for k, value in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _is_empty(node: yaml.Node) -> bool:
    """No value (`key:`, `~`, `null`), `{}` or `[]`."""
    if isinstance(node, yaml.ScalarNode):
        return node.tag == _NULL
    return isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.flow_style is True and not node.value


def _emptied(lines: list[str], owner: yaml.Node | None, node: yaml.Node) -> int:
    """Make the line of an empty value ready for a block under it: a list's bare `- postmortems` gets its colon;
    a `~`, `null`, `{}` or `[]` is removed, a comment after it kept. Returns the index of that line."""
    start, end = node.start_mark, node.end_mark
    line = lines[start.line]
    if owner is None:
        lines[start.line] = line[: end.column] + ":" + line[end.column :]
        return start.line
    if end.line == start.line and end.column > start.column:
        rest = line[end.column :]
        lines[start.line] = line[: start.column].rstrip() + (rest if rest.strip() else "\n")
    return owner.start_mark.line


def _list_start(
    lines: list[str], key: yaml.Node, services: yaml.Node, step: int, where: str
) -> tuple[int, list[str], int]:
    """(the line after which entries go, lines to insert first, the column of their `-`) for `services:`."""
    if isinstance(services, yaml.SequenceNode) and services.flow_style is not True and services.value:
        return _last_line(services), [], services.start_mark.column
    if _is_empty(services):
        return _emptied(lines, key, services), [], key.start_mark.column + step
    raise CatalogEditError(
        f"{where}: the `postmortems` plugin's `services` is written as a flow list (`[...]`): write it as a block "
        "list, one `- name: ...` per line, and run the command again"
    )


def _last_line(node: yaml.Node) -> int:
    """The last line a block node's own text is on (a block collection's end mark lies at the next token)."""
    if isinstance(node, yaml.MappingNode) and node.flow_style is not True and node.value:
        return _last_line(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and node.flow_style is not True and node.value:
        return _last_line(node.value[-1])
    end = node.end_mark
    return end.line if end.column > 0 else end.line - 1  # a block scalar (`|`) ends at the next line's start


def _indent_step(root: yaml.Node | None) -> int:
    """How far the file indents a mapping under its key (the first one found), else 2."""
    for key, value in _pairs(root):
        below = value.start_mark.line > key.start_mark.line
        if isinstance(value, yaml.MappingNode) and value.flow_style is not True and value.value and below:
            return max(1, value.start_mark.column - key.start_mark.column)
    return 2


def _pairs(node: yaml.Node | None) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key, value
            yield from _pairs(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _pairs(item)


def _item_offset(services: yaml.Node | None) -> int:
    """How far an existing entry's keys sit right of its `-` (`- name:` -> 2), else 2."""
    if isinstance(services, yaml.SequenceNode) and services.value and isinstance(services.value[0], yaml.MappingNode):
        return max(2, services.value[0].start_mark.column - services.start_mark.column)
    return 2


def _entry_lines(entry: Mapping, dash: int, offset: int) -> list[str]:
    def scalar(value) -> str:
        return ("true" if value else "false") if isinstance(value, bool) else quoted(str(value))

    return [
        (" " * dash + "-" + " " * (offset - 1) if index == 0 else " " * (dash + offset)) + f"{key}: {scalar(value)}\n"
        for index, (key, value) in enumerate(entry.items())
    ]


__all__ = [
    "CatalogEditError",
    "Plan",
    "add_services",
    "catalog_name",
    "fold",
    "is_catch_all",
    "plan",
    "plugin_services",
    "spelling_twins",
]

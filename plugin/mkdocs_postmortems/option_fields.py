"""Each option of `mkdocs.yml` declared once, as the field of the core's value it sets (`Policy`, or an item such as
`Service`): `option()` gives the field its default and an `Option`, the rest of what the option is, while the
field's annotation is its type. No MkDocs here: the adapter (`mkdocs_config.py`) derives its typed options from
these fields, and the options table of `docs/configuration.md` is generated from them.

The checks several options share are here too; each takes the value given and every option as `mkdocs.yml` gives
them, and says what is wrong (after the option's path) or None."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Check = Callable[[Any, Mapping], "str | None"]  # (value given, all options) -> what is wrong, or None
REQUIRED: Any = dataclasses.MISSING  # the default of an option that has none: each item must give it


@dataclass(frozen=True)
class Group:
    """Options that sit together in `mkdocs.yml` under `name` (`status_page:`), and the group's docs text."""

    name: str
    text: str


@dataclass(frozen=True)
class Option:
    """What an option is besides its field's default and type: `text`, its row's "What it does" in
    `docs/configuration.md`; `group`, the group it sits in, if any; `name`, its name in `mkdocs.yml` when not the
    field's; `choices`, the only values it (or each of its items) takes; `shown`, its default as the docs write it
    when the value would say too little (None, computed) or too much; `unset`, its value computed from all the options
    when it is left unset; `checks` of a value given; `convert`, the field's value from the option's (lists become
    tuples otherwise); `keys`, what the keys of a mapping are, for its type in the docs."""

    text: str
    group: Group | None = None
    name: str | None = None
    choices: tuple[str, ...] = ()
    shown: str | None = None
    unset: Callable[[Mapping], Any] | None = None
    checks: tuple[Check, ...] = ()
    convert: Callable[[Any], Any] | None = None
    keys: str = "string"


def option(default: Any, text: str, **declared: Any) -> Any:
    """A dataclass field that is an option: its `default` (`REQUIRED` for none), `text` and any other of `Option`'s
    fields. A mapping's default is copied for each value, as a dataclass requires."""
    metadata = {Option: Option(text, **declared)}
    if isinstance(default, dict):
        return dataclasses.field(default_factory=lambda: dict(default), metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def option_of(field: dataclasses.Field) -> Option | None:
    """The `Option` a field was declared with, or None for a field that is no option."""
    return field.metadata.get(Option)


def not_empty(value, options) -> str | None:
    return None if value else "must list at least one value"


def among(other: str, what: str) -> Check:
    """The values (or a mapping's keys) must be among those of option `other`."""

    def check(value, options) -> str | None:
        stray = set(value) - set(options[other])
        return f"names {what} not in `{other}`: {', '.join(sorted(stray))}" if stray else None

    return check


def regular_expressions(value, options) -> str | None:
    for pattern in [value] if isinstance(value, str) else value:
        try:
            re.compile(pattern)
        except re.error as error:
            return f"has `{pattern}`, not a regular expression: {error}"
    return None


def at_least_one(value, options) -> str | None:
    return None if value >= 1 else f"is {value}; it must be at least 1"

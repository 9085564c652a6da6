"""`option_fields.py`: an option is a dataclass field with its default and its `Option`, a mapping's default is each
value's own, and the checks several options share say what is wrong after the option's path."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pytest

from mkdocs_postmortems.option_fields import (
    REQUIRED,
    Group,
    Option,
    among,
    at_least_one,
    not_empty,
    option,
    option_of,
    regular_expressions,
)

GROUP = Group("views", "How much the pages show.")


@dataclass(frozen=True)
class Settings:
    name: str = option(REQUIRED, "Its name.")
    limit: int = option(20, "The most shown.", group=GROUP, name="max", checks=(at_least_one,))
    aliases: dict[str, str] = option({"a": "b"}, "Other names.", keys="name")
    plain: int = 0


def test_an_option_is_a_field_with_its_default_and_its_declaration():
    name, limit, aliases, plain = dataclasses.fields(Settings)
    assert name.default is dataclasses.MISSING and name.default_factory is dataclasses.MISSING
    assert option_of(name) == Option("Its name.")
    assert limit.default == 20 and option_of(limit) == Option("The most shown.", GROUP, "max", checks=(at_least_one,))
    assert option_of(aliases).keys == "name" and option_of(plain) is None
    with pytest.raises(TypeError):
        Settings()  # type: ignore[call-arg]  # `name` is required


def test_a_mappings_default_is_each_values_own():
    first, second = Settings("a"), Settings("b")
    assert first.aliases == second.aliases == {"a": "b"} and first.aliases is not second.aliases


def test_the_shared_checks_say_what_is_wrong_or_none():
    options = {"severities": ["SEV1", "SEV2"]}
    assert not_empty([], options) == "must list at least one value" and not_empty(["x"], options) is None
    assert among("severities", "severities")(["SEV3", "SEV1", "SEV0"], options) == (
        "names severities not in `severities`: SEV0, SEV3"
    )
    assert among("severities", "severities")({"SEV2": 1}, options) is None
    assert regular_expressions(["ok", "(x"], options) == (
        "has `(x`, not a regular expression: missing ), unterminated subpattern at position 0"
    )
    assert regular_expressions(r"OPS-\d+", options) is None
    assert at_least_one(0, options) == "is 0; it must be at least 1" and at_least_one(1, options) is None

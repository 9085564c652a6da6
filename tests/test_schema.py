"""`parsing/schema.py`: the front-matter format as one table. Every key path listed once, the choices of a field
from the policy, and a JSON Schema whose patterns accept exactly the times the reader accepts."""

from __future__ import annotations

import re

import pytest

from conftest import VALID, make_policy
from mkdocs_postmortems.parsing.formats import FORMATS
from mkdocs_postmortems.parsing.schema import (
    MOMENT_PATTERN,
    POSTMORTEM,
    TIMESTAMP_PATTERN,
    Field,
    choices_of,
    field_paths,
    json_schema,
)
from mkdocs_postmortems.policy import Policy, Service

FIELDS = {field.name: field for field in POSTMORTEM}


def test_every_key_path_once_nested_ones_dotted_in_order():
    paths = field_paths()
    assert len(paths) == len(set(paths))
    assert paths.index("action_items") < paths.index("action_items.due") < paths.index("related")
    assert {"impact.summary", "root_causes.kind", "public.updates.status"} <= set(paths)
    assert field_paths((Field("a", "object", "A", fields=(Field("b", "string", "B"),)),), "x.") == ["x.a", "x.a.b"]


def test_choices_come_from_the_field_or_from_the_policy():
    policy = make_policy(severities=("P0", "P1"))
    assert choices_of(FIELDS["severity"], policy) == ("P0", "P1")
    assert choices_of(FIELDS["services"], Policy()) == ()  # no catalog: any service
    assert choices_of(FIELDS["status"], policy) == ("ongoing", "draft", "in-review", "published", "imported")
    assert choices_of(FIELDS["title"], policy) == ()


def test_the_json_schema_has_the_policys_enums_and_no_other_keys():
    schema = json_schema(Policy(services=(Service("checkout"), Service("search"))))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False and set(schema["properties"]) == set(FIELDS)
    assert schema["required"] == [field.name for field in POSTMORTEM if field.required]
    assert schema["properties"]["services"]["items"]["enum"] == ["checkout", "search"]
    assert schema["properties"]["services"]["minItems"] == 1
    assert schema["properties"]["status"]["enum"] == ["ongoing", "draft", "in-review", "published", "imported"]
    items = schema["properties"]["action_items"]
    assert items["type"] == "array" and items["items"]["additionalProperties"] is False
    assert all(prop["description"] for prop in schema["properties"].values())


@pytest.mark.parametrize(
    "text, timestamp, moment",
    [
        ("2024-03-14T09:58:00Z", True, True),
        ("2024-03-14 10:58+01:00", True, True),
        ("2024-03-14T09:58:00.5+0100", True, True),
        ("2024-03-14T09:58:00", False, False),
        ("2024-03-14", False, True),
        ("unknown", False, True),
        ("yesterday", False, False),
    ],
)
def test_the_patterns_accept_the_forms_the_docs_name(text, timestamp, moment):
    assert bool(re.match(TIMESTAMP_PATTERN, text)) is timestamp
    assert bool(re.match(MOMENT_PATTERN, text)) is moment


def test_provenance_names_every_foreign_formats_importer():
    """A format declared in parsing/formats.py is a `provenance.format` its importer may write, without a second list."""
    assert choices_of(FIELDS["provenance"].fields[0], Policy()) == tuple(found.importer for found in FORMATS)
    assert "frontmatter" in FIELDS["provenance"].fields[0].choices


@pytest.mark.parametrize("components, errors", [("[]", []), ("[Checkout]", []), (None, ["missing-field"])])
def test_public_components_may_be_an_empty_list_a_notice_that_named_none(tmp_path, check, components, errors):
    line = f"  components: {components}\n" if components is not None else ""
    public = f"public:\n  title: A notice\n  summary: Pages were slow for some.\n{line}"
    (tmp_path / "2024-03-14-notice.md").write_text(VALID.replace("\n---\n", f"\n{public}---\n", 1))
    kb = check(tmp_path)
    assert [d.code for d in kb.diagnostics if d.level.value == "error"] == errors
    schema = json_schema(make_policy())["properties"]["public"]["properties"]["components"]
    assert "minItems" not in schema and FIELDS["services"].required

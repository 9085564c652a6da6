"""`parsing/reader.py`: the front matter's YAML nodes read against the schema: typed values, the position of every
key path, the precision of a time known only to the day, and a diagnostic for each value that does not fit."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
import yaml

from conftest import make_policy
from mkdocs_postmortems.parsing.reader import Reader, did_you_mean
from mkdocs_postmortems.parsing.schema import POSTMORTEM

FIELDS = {field.name: field for field in POSTMORTEM}


def read(yaml_text: str, policy=None) -> Reader:
    reader = Reader("x.md", policy or make_policy(), text=yaml_text)
    reader.values = reader.read_object(yaml.compose(yaml_text), POSTMORTEM)
    return reader


def test_values_are_typed_and_every_key_path_has_its_position():
    reader = read(
        "title: Slow\nseverity: SEV2\nservices: [checkout]\nstarted: 2024-03-14T10:50:00+01:00\n"
        "impact:\n  summary: Slow.\n  customers_affected: 1_200\n"
    )
    assert reader.values["started"] == datetime(2024, 3, 14, 9, 50, tzinfo=timezone.utc)
    assert reader.values["services"] == ["checkout"] and reader.values["impact"]["customers_affected"] == 1200
    assert reader.positions[("title",)] == (2, 8)  # its value's; the front matter starts on line 2 of the file
    assert reader.positions[("impact", "customers_affected")] == (8, 23)
    assert sorted(reader.missing.values()) == ["authors", "status"]  # all but the fields not given fit
    assert {d.code for d in reader.diagnostics} == {"missing-field"}


@pytest.mark.parametrize(
    "line, code",
    [
        ("severity: SEV9", "invalid-value"),
        ("services: checkout", "wrong-type"),
        ("started: 2024-03-14T09:50:00", "timestamp-offset"),
        ("started: 0001-01-01T01:00:00+02:00", "timestamp-range"),
        ("sevrity: SEV2", "unknown-key"),
        ("1: x", "invalid-key"),
        ("impact:\n  customers_affected: -3", "wrong-type"),
    ],
)
def test_a_value_that_does_not_fit_gets_its_code(line, code):
    reader = read(f"title: Slow\n{line}\n")
    assert code in [d.code for d in reader.diagnostics], [d.message for d in reader.diagnostics]


def test_a_time_known_to_the_day_or_not_at_all_is_kept_with_its_precision():
    reader = read("title: Slow\nstarted: 2024-03-14T09:50:00Z\nresolved: 2024-03-15\nmitigated: unknown\n")
    assert reader.values["resolved"] == datetime(2024, 3, 15, tzinfo=timezone.utc)
    assert reader.precision == {"resolved": "day", "mitigated": "none"}
    assert reader.values.get("mitigated") is None


def test_a_missing_required_field_is_reported_at_its_mapping_and_remembered_by_key():
    reader = read("title: Slow\nimpact:\n  customers_affected: 3\n")
    missing = {reader.missing[i]: reader.diagnostics[i] for i in reader.missing}
    assert (missing["impact.summary"].line, missing["impact.summary"].col) == (4, 3)  # where the mapping starts
    assert {"status", "severity", "services", "started"} <= set(missing)


def test_a_misspelling_gets_a_suggestion_and_anything_else_the_fallback():
    assert did_you_mean("sevrity", ["severity", "services"], "no") == "did you mean `severity`?"
    assert did_you_mean("colour", ["severity", "services"], "known keys: x") == "known keys: x"
    reader = read("title: Slow\nservices: [chekout]\n", make_policy())
    (found,) = [d for d in reader.diagnostics if d.code == "invalid-value"]
    assert "did you mean `checkout`?" in found.hint


def test_dates_are_dates_and_a_year_outside_the_calendar_is_no_date():
    reader = read("title: Slow\npublished_on: 2024-04-01\n")
    assert reader.values["published_on"] == date(2024, 4, 1)
    late = read("title: Slow\nstarted: 9999-12-31T23:00:00-02:00\n")
    assert "timestamp-range" in [d.code for d in late.diagnostics]

"""`importers/fields.py`: a source's own keys read as ours, by `--map` or by their usual names (without case or
separators, the first whose value fits), each said with where it came from; values that do not translate said and
kept; every key that gives no field kept, in the source's order."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from conftest import make_policy
from mkdocs_postmortems.importers.fields import GUESSES, normal, read_keys, unknown_targets
from mkdocs_postmortems.importers.times import zone_named

TODAY = date(2026, 11, 22)
POLICY = make_policy()  # services `checkout` (component Checkout) and `orders-db`


def test_the_usual_names_give_our_fields_and_the_report_says_they_were_guessed():
    keys = read_keys(
        {
            "Title": "Checkout down",
            "Incident_Date": "2024-03-14 09:50 UTC",
            "sev": "sev-2",
            "affected-services": ["Checkout", "orders-db"],
            "author": "alice, bob",
            "categories": "payments",
            "description": "Checkout failed.",
            "type": "incident",
            "layout": "post",
        },
        None,
        POLICY,
        TODAY,
    )
    assert keys.fields == {
        "title": "Checkout down",
        "kind": "incident",
        "severity": "SEV2",
        "services": ["checkout", "orders-db"],  # a public component is its service
        "authors": ["alice", "bob"],
        "started": "2024-03-14T09:50:00Z",
        "impact": {"summary": "Checkout failed."},
        "tags": ["payments"],
    }
    assert keys.moments == {"started": datetime(2024, 3, 14, 9, 50, tzinfo=timezone.utc)}
    assert keys.mapped == [
        "title from `Title` (guessed)",
        "kind from `type` (guessed)",
        "severity from `sev` (guessed)",
        "services from `affected-services` (guessed)",
        "authors from `author` (guessed)",
        "started from `Incident_Date` (guessed)",
        "impact.summary from `description` (guessed)",
        "tags from `categories` (guessed)",
    ]
    assert keys.left == {"layout": "post"} and keys.needs == [] and keys.missing == []


def test_the_map_names_the_key_and_an_absent_one_is_said():
    values = {"title": "Outage", "date": "2024-03-14", "when": "2024-03-13"}
    keys = read_keys(values, {"started": "When", "severity": "level"}, POLICY, TODAY)
    assert keys.fields == {"title": "Outage", "started": "2024-03-13"}
    assert keys.mapped == ["title from `title` (guessed)", "started from `when`"]
    assert keys.missing == ["severity"] and keys.needs == ["`--map severity=level`: this file has no `level`"]
    assert keys.left == {"date": "2024-03-14"}  # `date` is no longer guessed: the map named another key


def test_values_that_do_not_translate_are_said_and_kept_whole():
    keys = read_keys(
        {
            "severity": "high",
            "services": ["checkout", "billing"],
            "kind": "postmortem",
            "title": {"en": "x"},
            "tags": [{"a": 1}],
        },
        None,
        POLICY,
        TODAY,
    )
    assert keys.fields == {"services": ["checkout"]}
    assert keys.needs == [
        "`title` `{'en': 'x'}`: not text; kept in the body",
        "`kind` `postmortem`: not a kind (incident, maintenance); kept in the body",
        "`severity` `high`: not a severity of the scale (SEV1, SEV2, SEV3, SEV4); kept in the body",
        "`services`: `billing` not in the service catalog, so not in `services`; add and import again",
        "`tags` `[{'a': 1}]`: not a name or a list of names; kept in the body",
    ]  # in the order of our fields
    assert list(keys.left) == ["severity", "services", "kind", "title", "tags"]  # the source's order


def test_the_first_usual_name_whose_value_fits_gives_the_field():
    keys = read_keys({"resolved": "true", "resolvedWhen": "2024-03-14T11:00:00+01:00"}, None, POLICY, TODAY)
    assert keys.fields == {"resolved": "2024-03-14T11:00:00+01:00"}
    assert keys.mapped == ["resolved from `resolvedWhen` (guessed)"]
    assert keys.left == {"resolved": "true"} and keys.needs == []  # kept, and nothing to fix: another key gave it


def test_a_time_without_a_zone_keeps_its_day_unless_the_record_states_one():
    values = {"started": "2024-03-14 09:50", "resolved": "2024-07-01 10:00"}
    alone = read_keys(values, None, POLICY, TODAY)
    assert alone.fields == {"started": "2024-03-14", "resolved": "2024-07-01"}
    assert alone.moments == {"started": date(2024, 3, 14), "resolved": date(2024, 7, 1)}
    assert alone.needs == [
        "`started` `2024-03-14 09:50` has a time of day but no zone: kept the day; write the time with its offset",
        "`resolved` `2024-07-01 10:00` has a time of day but no zone: kept the day; write the time with its offset",
    ]
    cet = zone_named("CET")
    stated = read_keys(values, None, POLICY, TODAY, cet)
    assert stated.fields == {"started": "2024-03-14T09:50:00+01:00", "resolved": "2024-07-01T10:00:00+01:00"}
    assert stated.moments["started"] == datetime(2024, 3, 14, 9, 50, tzinfo=timezone(timedelta(hours=1)))
    assert stated.mapped == [
        "started from `started` (guessed)",
        "`started` read in CET, the zone the record states",
        "resolved from `resolved` (guessed)",
        "`resolved` read in CET, the zone the record states",
    ]
    assert stated.needs == [
        "`CET` read as UTC+01:00, as written; on 2024-07-01 Europe/Berlin clocks showed UTC+02:00 (CEST): if the "
        "source means local time, its times are 1 hour earlier in UTC"
    ]


def test_a_date_that_is_no_date_is_kept_and_said():
    keys = read_keys({"date": "last Tuesday", "pubDate": "03/04/2024"}, None, POLICY, TODAY)
    assert keys.fields == {"published_on": "2024-03-04"}
    assert keys.needs == [
        "`date` `last Tuesday`: not a date this importer reads; kept in the body",
        "`03/04/2024` read as 2024-03-04 (month/day: the US order: nothing else in the file says which comes first)",
    ]
    assert keys.left == {"date": "last Tuesday"}


def test_an_empty_value_gives_nothing_and_is_kept():
    keys = read_keys({"title": "", "tags": [], "severity": None}, None, POLICY, TODAY)
    assert keys.fields == {} and keys.mapped == [] and keys.left == {"title": "", "tags": [], "severity": None}


@pytest.mark.parametrize("key", ["Created_At", "created-at", "created at", " CREATED_AT "])
def test_keys_compare_without_case_or_separators(key):
    assert normal(key) == "created at"
    assert read_keys({key: "2024-03-14"}, None, POLICY, TODAY).fields == {"started": "2024-03-14"}


def test_a_map_pair_for_a_field_no_key_fills_is_named():
    assert unknown_targets({"started": "date", "root_causes": "why", "owner": "x"}) == ["root_causes", "owner"]
    assert "status" not in GUESSES  # an import decides a record's status, whatever the source says

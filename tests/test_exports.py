"""`kb_site/exports.py`: the knowledge base's JSON and the action items' JSON and CSV. Stable keys, UTC times, one
record per line, each action item's record made once for every export, and no cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from mkdocs_postmortems.kb_site.exports import (
    CSV_COLUMNS,
    FORMAT_VERSION,
    as_text,
    postmortem_record,
    write_action_items_csv,
    write_action_items_json,
    write_knowledge_base_json,
)
from mkdocs_postmortems.model import Impact
from test_indexes import TODAY, incident, indexes_of


def url_of(pm_id: str) -> str:
    return f"postmortems/{pm_id}/"


def sample():
    first = incident(
        "2024-01-10-pool",
        "2024-01-10",
        causes=[("pool", "causal", "capacity", "checkout")],
        items=[
            {"title": '=HYPERLINK("http://evil")', "addresses": ("pool",), "due": date(2024, 2, 1)},
            {"title": "Alert on p99", "status": "done", "closed": date(2024, 1, 20), "owner": "-sre"},
        ],
        impact=Impact("Slow checkout", customers_affected=12),
    )
    second = incident("2024-03-02-cache", "2024-03-02", related=("2024-01-10-pool",))
    return first, second, indexes_of(first, second)


def test_an_action_item_record_has_its_id_url_and_context():
    _, _, indexes = sample()
    text = as_text(write_action_items_json, indexes, url_of, TODAY)
    document = json.loads(text)
    assert (document["version"], document["as_of"]) == (FORMAT_VERSION, TODAY.isoformat())
    first = document["action_items"][0]
    assert first["id"] == "2024-01-10-pool#1" and first["url"] == "postmortems/2024-01-10-pool/#ai-2024-01-10-pool-1"
    assert (first["due"], first["overdue"], first["addresses"], first["categories"]) == (
        "2024-02-01",
        True,
        ["pool"],
        ["capacity"],
    )
    assert first["started"] == "2024-01-10T10:00:00Z" and first["services"] == ["checkout"]
    assert text.count("\n") == 2 + len(document["action_items"])  # a record a line, readable in a diff


def test_the_csv_quotes_what_a_spreadsheet_would_run_and_writes_empty_for_none():
    _, _, indexes = sample()
    rows = list(csv.reader(io.StringIO(as_text(write_action_items_csv, indexes, url_of))))
    assert tuple(rows[0]) == CSV_COLUMNS
    first, done = (dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:])
    assert first["title"] == '\'=HYPERLINK("http://evil")' and done["owner"] == "'-sre"
    assert (first["overdue"], done["overdue"], first["closed"], done["closed"]) == ("true", "false", "", "2024-01-20")
    assert first["addresses"] == "pool"


def test_the_knowledge_base_record_has_its_times_in_minutes_and_its_neighbours():
    first, _, indexes = sample()
    record = postmortem_record(first, indexes, url_of)
    assert record["minutes"] == {
        "to_detect": 5.0,
        "to_mitigate": 65.0,
        "to_resolve": 180.0,
        "impact": record["minutes"]["impact"],
    }
    assert record["impact"]["customers_affected"] == 12 and record["referenced_by"] == ["2024-03-02-cache"]
    assert [item["id"] for item in record["action_items"]] == ["2024-01-10-pool#1", "2024-01-10-pool#2"]
    assert "body" not in record
    document = json.loads(as_text(write_knowledge_base_json, indexes, url_of, TODAY))
    assert [pm["id"] for pm in document["postmortems"]] == ["2024-03-02-cache", "2024-01-10-pool"]  # newest first


def test_exports_sharing_records_make_each_action_items_record_once():
    _, _, indexes = sample()
    records: dict = {}
    items = json.loads(as_text(write_action_items_json, indexes, url_of, TODAY, records))["action_items"]
    assert len(records) == len(items) == 2
    shared = dict(records)
    as_text(write_knowledge_base_json, indexes, url_of, TODAY, records)
    assert records == shared and all(records[key] is shared[key] for key in shared)

"""`kb_site/exports.py`: the knowledge base's JSON and the action items' JSON and CSV. Stable keys, UTC times, one
record per line, each action item's record made once for every export, and no cell a spreadsheet would run. The
explorer's compact indexes: a row per record with repeated strings looked up once, the cells' values as the static
rows show them, the text filter's words apart, and each a fraction of the export it summarises."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from mkdocs_postmortems.kb_site.exports import (
    ACTION_ITEM_COLUMNS,
    CSV_COLUMNS,
    EXPLORER_TEXT,
    FORMAT_VERSION,
    POSTMORTEM_COLUMNS,
    as_text,
    explorer_uri,
    postmortem_record,
    write_action_items_csv,
    write_action_items_explorer,
    write_action_items_json,
    write_knowledge_base_json,
    write_postmortems_explorer,
    write_postmortems_text,
)
from mkdocs_postmortems.model import Impact
from mkdocs_postmortems.render import format_duration
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
            {
                "title": "Alert on p99",
                "status": "done",
                "closed": date(2024, 1, 20),
                "owner": "-sre",
                "synced": date(2024, 1, 21),
            },
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
    assert (first["synced"], done["synced"]) == ("", "2024-01-21")  # the day `sync --write` last read its ticket
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


# --- the explorer's compact indexes -----------------------------------------------------------------------------


def rows_of(document: dict) -> list[dict]:
    """A compact index's rows as records, each value looked up as the explorer looks it up."""
    lookups = {
        "severity": "severity",
        "kind": "kind",
        "status": "status",
        "services": "service",
        "categories": "category",
        "owners": "owner",
        "tags": "tag",
        "owner": "owner",
        "priority": "priority",
    }
    found = []
    for row in document["rows"]:
        record = dict(zip(document["columns"], row, strict=True))
        for name, dimension in lookups.items():
            if name in record and dimension in document["values"]:
                value, names = record[name], document["values"][dimension]
                record[name] = [names[at] for at in value] if isinstance(value, list) else (
                    None if value is None else names[value])  # fmt: skip
        found.append(record)
    return found


def test_the_explorer_index_sits_beside_the_export_it_summarises():
    assert explorer_uri("postmortems/index.json") == "postmortems/explore.json"
    assert explorer_uri("kb/postmortems/index.json", EXPLORER_TEXT) == "kb/postmortems/explore-text.json"
    assert explorer_uri("index.json") == "explore.json"


def test_the_postmortems_compact_index_has_what_a_row_shows_and_filters_need():
    first, second, indexes = sample()
    text = as_text(write_postmortems_explorer, indexes, url_of, TODAY, {first.id: 2})
    document = json.loads(text)
    assert (document["version"], document["as_of"], tuple(document["columns"])) == (
        FORMAT_VERSION,
        TODAY.isoformat(),
        POSTMORTEM_COLUMNS,
    )
    assert document["url_pattern"] == ["postmortems/", "/"]
    rows = rows_of(document)
    assert [row["id"] for row in rows] == [second.id, first.id]  # newest first, as the listing
    pool = rows[1]
    assert pool["url"] is None  # the pattern around the ID
    assert (pool["title"], pool["started"], pool["severity"], pool["kind"], pool["status"]) == (
        first.title,
        "2024-01-10T10:00:00Z",
        "SEV2",
        "incident",
        "published",
    )
    assert (pool["services"], pool["categories"], pool["owners"], pool["problems"]) == (
        ["checkout"],
        ["capacity"],
        ["team", "-sre"],
        2,
    )
    assert pool["duration"] == format_duration(first.duration) and pool["minutes"] == 65.0
    assert rows[0]["problems"] == 0 and rows[0]["categories"] == []
    assert text.count("\n") == 2 + len(rows) + 3  # a row a line, then a line per key after them


def test_a_postmortem_whose_url_is_not_the_pattern_names_it():
    _, _, indexes = sample()
    odd = json.loads(as_text(write_postmortems_explorer, indexes, lambda pm_id: f"x/{pm_id}.html", TODAY, {}))
    assert odd["url_pattern"] == ["x/", ".html"] and all(row[1] is None for row in odd["rows"])
    quoted = json.loads(as_text(write_postmortems_explorer, indexes, lambda pm_id: f"p/{pm_id}%20/", TODAY, {}))
    assert quoted["url_pattern"] == ["p/", "%20/"]


def test_the_text_filters_words_come_apart_in_the_same_order():
    first, second, indexes = sample()
    document = json.loads(as_text(write_postmortems_text, indexes, TODAY))
    assert document["text"] == ["", "Slow checkout capacity cause"]  # the impact and the causes' summaries
    assert [row[0] for row in json.loads(as_text(write_postmortems_explorer, indexes, url_of, TODAY, {}))["rows"]] == [
        second.id,
        first.id,
    ]


def test_the_action_items_compact_index_has_what_an_item_row_shows():
    first, _, indexes = sample()
    urls = {"team": "action-items/owner/team/"}
    document = json.loads(as_text(write_action_items_explorer, indexes, url_of, TODAY, urls.get))
    assert tuple(document["columns"]) == ACTION_ITEM_COLUMNS
    rows = rows_of(document)
    assert len(rows) == 2
    open_item, done = rows
    assert document["postmortems"][open_item["postmortem"]] == [
        first.id,
        first.title,
        url_of(first.id),
        document["values"]["severity"].index("SEV2"),
        "2024-01-10T10:00:00Z",
        [document["values"]["service"].index("checkout")],
    ]
    assert (open_item["number"], open_item["title"], open_item["due"], open_item["overdue"]) == (
        1,
        '=HYPERLINK("http://evil")',  # text, never a formula: the explorer sets it as text
        "2024-02-01",
        1,
    )
    assert (open_item["owner"], open_item["priority"], open_item["categories"]) == ("team", "P2", ["capacity"])
    assert (done["status"], done["closed"], done["owner"]) == ("done", "2024-01-20", "-sre")
    owners = document["values"]["owner"]
    assert document["owner_urls"] == [urls.get(owner) for owner in owners]


def test_the_compact_indexes_are_a_fraction_of_the_exports():
    postmortems = [
        incident(
            f"2024-01-{day:02d}-x{day}",
            f"2024-01-{day:02d}",
            causes=[("c", "causal", "capacity", "checkout")],
            items=[{"title": f"Fix {day}", "addresses": ("c",), "done_when": "It holds.", "reason": "Why."}] * 3,
            impact=Impact("Slow checkout for an hour", customers_affected=12),
            tags=("database", "capacity"),
        )
        for day in range(1, 29)
    ]
    indexes = indexes_of(*postmortems)
    full = len(as_text(write_knowledge_base_json, indexes, url_of, TODAY))
    compact = len(as_text(write_postmortems_explorer, indexes, url_of, TODAY, {}))
    assert compact * 4 < full
    items = len(as_text(write_action_items_json, indexes, url_of, TODAY))
    assert len(as_text(write_action_items_explorer, indexes, url_of, TODAY, lambda owner: None)) * 2 < items

"""Machine-readable exports of the internal site: the knowledge base's metadata and every action item.

Formats are documented in docs/browsing.md; keys are only ever added, so scripts keep working.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import TextIO

from ..dates import iso_z
from ..model import Postmortem
from .indexes import ActionItemEntry, Indexes
from .metrics import minutes

UrlOf = Callable[[str], str]  # postmortem ID -> its page's URL relative to the site root
FORMAT_VERSION = 1
CSV_COLUMNS = (
    "id",
    "title",
    "owner",
    "priority",
    "due",
    "status",
    "closed",
    "overdue",
    "done_when",
    "reason",
    "link",
    "addresses",
    "postmortem",
    "severity",
    "url",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run these as formulas


def _iso(moment: datetime | date | None) -> str | None:
    if moment is None:
        return None
    return iso_z(moment) if isinstance(moment, datetime) else moment.isoformat()


def action_item_record(entry: ActionItemEntry, url_of: UrlOf) -> dict:
    """One action item with its stable ID and the postmortem it comes from."""
    item, pm = entry.item, entry.postmortem
    return {
        "id": entry.id,
        "title": item.title,
        "owner": item.owner,
        "priority": item.priority,
        "due": _iso(item.due),
        "status": item.status,
        "closed": _iso(item.closed),
        "overdue": entry.overdue,
        "done_when": item.done_when,
        "reason": item.reason,
        "link": item.link,
        "addresses": list(item.addresses),
        "postmortem": pm.id,
        "severity": pm.severity,
        "url": f"{url_of(pm.id)}#{entry.anchor}",
        "services": list(pm.services),
        "categories": _addressed_categories(entry),
        "started": _iso(pm.started),
    }


def _record(entry: ActionItemEntry, url_of: UrlOf, records: dict | None) -> dict:
    """`action_item_record`, made once per item when the exports share `records` (id of the entry -> record)."""
    if records is None:
        return action_item_record(entry, url_of)
    found = records.get(id(entry))
    if found is None:
        found = records[id(entry)] = action_item_record(entry, url_of)
    return found


def _addressed_categories(entry: ActionItemEntry) -> list[str]:
    """The root-cause categories of the causes an item addresses, in file order, each once."""
    causes = {cause.id: cause for cause in entry.postmortem.root_causes if cause.id}
    return list(dict.fromkeys(causes[cause_id].category for cause_id in entry.item.addresses if cause_id in causes))


def _write_document(out: TextIO, key: str, records: Iterable[dict], today: date) -> None:
    """`{"version", "as_of", key: [...]}` with one record per line, written as the records come: readable in a
    diff, never held whole, and written by the C encoder (an `indent` makes `json` fall back to pure Python, 10x
    slower on thousands of records)."""
    head = json.dumps({"version": FORMAT_VERSION, "as_of": today.isoformat()})[:-1]
    out.write(f'{head}, "{key}": [\n')
    separator = ""
    for record in records:
        out.write(separator)
        out.write(json.dumps(record, ensure_ascii=False))
        separator = ",\n"
    out.write("\n]}\n")


def write_action_items_json(
    out: TextIO, indexes: Indexes, url_of: UrlOf, today: date, records: dict | None = None
) -> None:
    """`action-items.json`: every action item."""
    _write_document(out, "action_items", (_record(entry, url_of, records) for entry in indexes.action_items), today)


def write_action_items_csv(out: TextIO, indexes: Indexes, url_of: UrlOf, records: dict | None = None) -> None:
    """CSV for spreadsheets: one row per action item; text that a spreadsheet would evaluate is quoted with `'`."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in indexes.action_items:
        record = _record(entry, url_of, records)
        writer.writerow(
            _cell(" ".join(record[column]) if column == "addresses" else record[column]) for column in CSV_COLUMNS
        )


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def postmortem_record(pm: Postmortem, indexes: Indexes, url_of: UrlOf, records: dict | None = None) -> dict:
    """Everything the internal site knows about one postmortem, minus its body."""
    return {
        "id": pm.id,
        "url": url_of(pm.id),
        "title": pm.title,
        "status": pm.status,
        "severity": pm.severity,
        "services": list(pm.services),
        "tags": list(pm.tags),
        "authors": list(pm.authors),
        "reviewers": list(pm.reviewers),
        "started": _iso(pm.started),
        "detected": _iso(pm.detected),
        "mitigated": _iso(pm.mitigated),
        "resolved": _iso(pm.resolved),
        "minutes": {
            "to_detect": minutes(pm.time_to_detect),
            "to_mitigate": minutes(pm.time_to_mitigate),
            "to_resolve": minutes(pm.time_to_resolve),
            "impact": minutes(pm.duration),
        },
        "impact": {
            "summary": pm.impact.summary,
            "customers_affected": pm.impact.customers_affected,
            "requests_failed": pm.impact.requests_failed,
            "data_loss": pm.impact.data_loss,
        },
        "root_causes": [
            {"id": c.id, "kind": c.kind, "category": c.category, "service": c.service, "summary": c.summary}
            for c in pm.root_causes
        ],
        "action_items": [_record(entry, url_of, records) for entry in indexes.items_by_postmortem[pm.id]],
        "related": list(pm.related),
        "referenced_by": [other.id for other in indexes.backlinks.get(pm.id, ())],
        "similar": [other.id for other in indexes.similar[pm.id]],
    }


def write_knowledge_base_json(
    out: TextIO, indexes: Indexes, url_of: UrlOf, today: date, records: dict | None = None
) -> None:
    """`/postmortems/index.json`: every postmortem the site shows, newest first. Exports sharing `records` (an
    empty dict to start) make each action item's record once."""
    _write_document(
        out, "postmortems", (postmortem_record(pm, indexes, url_of, records) for pm in indexes.postmortems), today
    )


def as_text(write: Callable[..., None], *args) -> str:
    """What one of the `write_*` functions above writes, as a string."""
    out = io.StringIO(newline="")
    write(out, *args)
    return out.getvalue()

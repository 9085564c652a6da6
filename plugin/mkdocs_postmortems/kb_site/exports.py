"""Machine-readable exports of the internal site: the knowledge base's metadata, every action item and the regulatory
deadlines, and the compact indexes the explorer reads in their place (`explore.json` beside each export,
`explore-text.json`).

Formats are documented in docs/browsing.md (`deadlines.json` in docs/regulatory-reporting.md); keys are only ever added, so
scripts keep working.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import TextIO

from ..dates import iso_z
from ..model import Postmortem
from ..moments import build_moment, state_of
from ..render import format_iso
from .indexes import ActionItemEntry, Indexes
from .metrics import minutes
from .regulatory import Deadline

UrlOf = Callable[[str], str]  # postmortem ID -> its page's URL relative to the site root
OwnerUrl = Callable[[str], "str | None"]  # owner -> the URL of their page from the site root; None when they have none
FORMAT_VERSION = 1
EXPLORER = "explore.json"  # the compact index of an export, beside it: the explorer derives its URL from the export's
EXPLORER_TEXT = "explore-text.json"  # beside the postmortems' compact index: the text only the text filter reads
POSTMORTEM_COLUMNS = (
    "id",
    "url",
    "title",
    "started",
    "severity",
    "kind",
    "status",
    "services",
    "categories",
    "owners",
    "tags",
    "minutes",
    "duration",
    "problems",
)
ACTION_ITEM_COLUMNS = (
    "postmortem",
    "number",
    "title",
    "link",
    "done_when",
    "reason",
    "status",
    "overdue",
    "closed",
    "due",
    "owner",
    "priority",
    "recurrence",
    "categories",
)
CSV_COLUMNS = (
    "id",
    "title",
    "owner",
    "priority",
    "due",
    "status",
    "closed",
    "synced",
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
        "synced": _iso(item.synced),
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


def postmortem_record(
    pm: Postmortem, indexes: Indexes, url_of: UrlOf, records: dict | None = None, now: datetime | None = None
) -> dict:
    """Everything the internal site knows about one postmortem, minus its body; `state` as of the build's time
    `now` (`moments.state_of`), as its page says it."""
    return {
        "id": pm.id,
        "url": url_of(pm.id),
        "title": pm.title,
        "status": pm.status,
        "state": state_of(pm, build_moment() if now is None else now).as_record(),
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
        out,
        "postmortems",
        (postmortem_record(pm, indexes, url_of, records, build_moment(today)) for pm in indexes.postmortems),
        today,
    )


def deadline_record(deadline: Deadline) -> dict:
    """One entry of `/regulatory/deadlines.json`: the record's file and ID, the regime and stage, the due and
    submission times (ISO 8601 UTC, null when unknown) and the state at the build's time."""
    pm, clock = deadline.pm, deadline.clock
    return {
        "path": pm.path,
        "id": pm.id,
        "regime": clock.regime,
        "stage": clock.stage,
        "due": _iso(clock.due),
        "submitted": _iso(clock.submitted),
        "state": clock.state,
    }


def write_deadlines_json(out: TextIO, deadlines: Iterable[Deadline], today: date) -> None:
    """`/regulatory/deadlines.json`: an entry per record, regime and stage, soonest due first (`regulatory.deadlines`);
    internal only, as the whole of `/regulatory/`."""
    _write_document(out, "deadlines", map(deadline_record, deadlines), today)


def as_text(write: Callable[..., None], *args) -> str:
    """What one of the `write_*` functions above writes, as a string."""
    out = io.StringIO(newline="")
    write(out, *args)
    return out.getvalue()


def explorer_uri(export_uri: str, name: str = EXPLORER) -> str:
    """Where the explorer's compact index of export `export_uri` lives: beside it (`postmortems/explore.json`)."""
    folder = export_uri.rpartition("/")[0]
    return f"{folder}/{name}" if folder else name


class _Values:
    """The distinct strings of one dimension in the order first met: a compact record holds their indexes."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def of(self, value: str | None) -> int | None:
        return None if value is None else self.index.setdefault(value, len(self.index))

    def each(self, values: Iterable[str]) -> list[int]:
        return [self.index.setdefault(value, len(self.index)) for value in values]

    def listed(self) -> list[str]:
        return list(self.index)


def _write_compact(out: TextIO, columns: tuple[str, ...], rows: Iterable[list], head: Callable[[], dict]) -> None:
    """`{"version", "columns": [...], "rows": [[...], ...], **head()}`, a row per line, without spaces; `head` is
    asked for once the rows are written, as their `values` fill while they are made."""
    out.write(f'{{"version": {FORMAT_VERSION}, "columns": {json.dumps(list(columns))}, "rows": [\n')
    separator = ""
    for row in rows:
        out.write(separator)
        out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
        separator = ",\n"
    out.write("\n]")
    for key, value in head().items():
        out.write(f",\n{json.dumps(key)}: {json.dumps(value, ensure_ascii=False, separators=(',', ':'))}")
    out.write("}\n")


def _url_pattern(url_of: UrlOf) -> tuple[str, str]:
    """The URL of a postmortem's page around its ID (`postmortems/`, `/`): a compact record names only its ID."""
    before, _, after = url_of("pm-id").partition("pm-id")
    return before, after


def write_postmortems_explorer(
    out: TextIO, indexes: Indexes, url_of: UrlOf, today: date, problems: Mapping[str, int]
) -> None:
    """`postmortems/explore.json`: what the explorer's rows, filters and sorting need of every postmortem the site
    shows, newest first, and no more: a row per postmortem in the order of `columns`, each repeated string (severity,
    state, kind, service, category, owner, tag) an index into `values`. The cells show what the listing's cells
    (`row.html`) show, from the same values and filters: the start as `format_iso` writes it, the duration as
    `|state`, the count of problems. `url` is null where the page's URL is `url_pattern` around the ID."""
    values = {name: _Values() for name in ("severity", "kind", "status", "service", "category", "owner", "tag")}
    before, after = _url_pattern(url_of)
    now = build_moment(today)

    def row(pm: Postmortem) -> list:
        url, state = url_of(pm.id), state_of(pm, now)  # the state and duration the listing's row says (`|state`)
        items = indexes.items_by_postmortem.get(pm.id, ())
        return [
            pm.id,
            None if url == f"{before}{pm.id}{after}" else url,
            pm.title,
            format_iso(pm.started) or None,
            values["severity"].of(pm.severity or None),
            values["kind"].of(pm.kind),
            values["status"].of(state.status),
            values["service"].each(pm.services),
            values["category"].each(dict.fromkeys(cause.category for cause in pm.root_causes)),
            values["owner"].each(dict.fromkeys(entry.item.owner for entry in items if entry.item.owner)),
            values["tag"].each(pm.tags),
            _rounded(minutes(state.span) if state.over else None),  # as `state.minutes`: none until over
            state.duration_text,
            problems.get(pm.id, 0),
        ]

    _write_compact(
        out,
        POSTMORTEM_COLUMNS,
        (row(pm) for pm in indexes.postmortems),
        lambda: {
            "as_of": today.isoformat(),
            "url_pattern": [before, after],
            "values": {name: found.listed() for name, found in values.items()},
        },
    )


def write_postmortems_text(out: TextIO, indexes: Indexes, today: date) -> None:
    """`postmortems/explore-text.json`: per postmortem, in the order of `explore.json`, the words its row does not
    show (the impact and the root causes' summaries), which the explorer fetches once a reader types in its text
    filter."""
    head = json.dumps({"version": FORMAT_VERSION, "as_of": today.isoformat()})[:-1]
    out.write(f'{head}, "text": [\n')
    separator = ""
    for pm in indexes.postmortems:
        words = " ".join(filter(None, [pm.impact.summary, *(cause.summary for cause in pm.root_causes)]))
        out.write(separator + json.dumps(words, ensure_ascii=False))
        separator = ",\n"
    out.write("\n]}\n")


def write_action_items_explorer(out: TextIO, indexes: Indexes, url_of: UrlOf, today: date, owner_url: OwnerUrl) -> None:
    """`action-items/explore.json`: what the action items' explorer shows and filters of every item, as the
    postmortems' compact index: a row per item in the order of `columns`, its postmortem an index into
    `postmortems` (ID, title, URL, severity, start, services), repeated strings indexes into `values`, and each
    owner's page in `owner_urls` (null for an owner without one). An item's ID is `<postmortem>#<number>`."""
    values = {name: _Values() for name in ("status", "owner", "priority", "severity", "service", "category")}
    postmortems: dict[str, int] = {}
    records: list[list] = []

    def row(entry: ActionItemEntry) -> list:
        item, pm = entry.item, entry.postmortem
        if pm.id not in postmortems:
            postmortems[pm.id] = len(records)
            records.append(
                [
                    pm.id,
                    pm.title,
                    url_of(pm.id),
                    values["severity"].of(pm.severity or None),
                    format_iso(pm.started) or None,
                    values["service"].each(pm.services),
                ]
            )
        return [
            postmortems[pm.id],
            int(entry.id.rpartition("#")[2]),
            item.title,
            item.link,
            item.done_when,
            item.reason,
            values["status"].of(item.status),
            1 if entry.overdue else 0,
            _iso(item.closed),
            _iso(item.due),
            values["owner"].of(item.owner),
            values["priority"].of(item.priority),
            entry.recurrence,
            values["category"].each(_addressed_categories(entry)),
        ]

    _write_compact(
        out,
        ACTION_ITEM_COLUMNS,
        (row(entry) for entry in indexes.action_items),
        lambda: {
            "as_of": today.isoformat(),
            "postmortems": records,
            "values": {name: found.listed() for name, found in values.items()},
            "owner_urls": [owner_url(owner) for owner in values["owner"].listed()],
        },
    )


def _rounded(value: float | None) -> float | None:
    """Minutes to a tenth: enough to sort by, and a third of the digits."""
    return None if value is None else round(value, 1)

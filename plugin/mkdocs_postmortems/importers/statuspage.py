"""Atlassian Statuspage's public API v2, as a page serves it at `/api/v2/`, and what its exports are made of.

What it reads: `incidents.json`, `scheduled-maintenances.json` and `summary.json` (`{"page": ..., "incidents":
[...]}` and `scheduled_maintenances`); a single incident, `{"page": ..., "incident": {...}}`, as
`/api/v2/incidents/<id>.json` returns it and a webhook notification delivers it; the pages of a paged export
(`incidents-page-1.json`, `incidents-page-2.json`..., each an `incidents.json`); and a folder of any of these, walked
for its `*.json` files (dot-files and dot folders left out). The same incident met twice (in two pages fetched at
different times, in a page and a notification) is imported once, from its newest copy (its `updated_at`, else the one
with more updates), and the report says where else it was. `components.json` only feeds the catalog, and
`status.json` holds no incident: named as sources, they are reported as such; met in a folder, they are passed over.
Any other JSON is refused, with what was expected and the keys it has.

An incident: `id`, `name`, `status` (investigating, identified, monitoring, resolved, postmortem), `impact` (none,
minor, major, critical), `created_at`, `started_at`, `monitoring_at`, `resolved_at`, `shortlink`, `components`
(each with a `name`) and `incident_updates` (`status`, `body`, `created_at`, `display_at`). A scheduled maintenance
adds `scheduled_for` and `scheduled_until`, with the statuses scheduled, in_progress, verifying and completed.

An update's `body` is what its author typed into Statuspage, which shows it as HTML with its line breaks kept: an
HTML fragment (`<p>`, `<ul><li><strong>…`, `<br>`, `<a href>`, `&amp;`) or plain text. The record keeps it as the
page showed it (`status_site.html_text.from_fragment`): plain text when that says it all, else HTML sanitised to the
allowlist, which every surface (the status site, feeds, API, calendar, notify) renders as HTML, and sanitises again.
It is not converted to Markdown: public text is plain text or that HTML (`html_text`), never Markdown. What the
allowlist removed (a `<script>`, an `onclick`, a `javascript:` link) is said in the report. The record's body lists
every update as posted, HTML bodies as a `<div>` block of the same sanitised HTML, so the knowledge base's page shows
them as the status page did, and nothing from the source reaches it unsanitised.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import partial
from pathlib import Path

from ..parsing.formats import STATUSPAGE
from ..policy import MAINTENANCE_UPDATE_STATUSES, PUBLIC_UPDATE_STATUSES, Policy
from ..status_site.html_text import as_html, from_fragment, is_markup
from .records import (
    STATUS_PAGE_UNKNOWN,
    FileReport,
    Record,
    attempt,
    catalog_snippet,
    components_named,
    service_for,
    utc_text,
)
from .sources import SourceProblem, decode, files_below, parse_time, read_bytes

FORMAT = STATUSPAGE  # its declaration: name, what it reads, what `check` says of its files
CLOSED = ("resolved", "postmortem", "completed")
IMPACTS = {"minor": "minor", "major": "major", "critical": "critical"}
ENTRIES = {"incidents": False, "scheduled_maintenances": True}  # the lists of entries, and whether they are maintenance
EXPECTED = (
    "`incidents` (incidents.json, summary.json, a page of a paged export), `scheduled_maintenances` "
    "(scheduled-maintenances.json) or `incident` (one incident, as /api/v2/incidents/<id>.json or a webhook gives it)"
)
NO_ENTRIES = {  # documents of the API that hold no incident: what each is for
    "components": "components.json only feeds the catalog (the services to add to mkdocs.yml): it holds no incident",
    "status": "status.json only says the page's status now: it holds no incident",
}
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_ENTITY = re.compile(r"&(?=#|[A-Za-z][A-Za-z0-9]*;)")  # an `&` that starts a character reference


def export_files(sources: Iterable[Path]) -> Iterator[tuple[Path, bool]]:
    """(file, whether it was found in a folder given) for each source: a file as given, a folder's `*.json` files in
    path order (`sources.files_below`: no dot-files, no dot or linked folders)."""
    for source in sources:
        if source.is_dir():
            yield from ((path, True) for path in files_below([source]) if path.suffix.lower() == ".json")
        else:
            yield source, False


def load(path: Path) -> dict:
    """An export file as JSON; raises `SourceProblem` when it is not one."""
    try:
        document = json.loads(decode(read_bytes(path)))
    except json.JSONDecodeError as error:
        raise SourceProblem(f"not JSON: {error.msg} at line {error.lineno}") from None
    except RecursionError:
        raise SourceProblem("its JSON nests too deeply to be an export") from None
    if not isinstance(document, dict):
        what = {list: "a list", str: "a string", bool: "true or false", type(None): "null"}.get(
            type(document), "a number"
        )
        raise SourceProblem(f"not a Statuspage export: expected an object with {EXPECTED}; it is {what}")
    return document


def catalog(sources: Iterable[Path], policy: Policy) -> str:
    """The components of the exports that are not in the service catalog yet, as a snippet for mkdocs.yml."""
    known = set(policy.service_names) | set(policy.components)
    found: dict[str, str] = {}
    for path, _ in export_files(sources):
        try:
            document = load(path)
        except SourceProblem:
            continue
        entries = [c for c in document.get("components") or [] if isinstance(c, dict)]
        try:
            listed = entries_of(document)
        except SourceProblem:
            listed = []
        for _, entry, _ in listed:
            entries += (
                [c for c in (entry.get("components") or []) if isinstance(c, dict)]
                if isinstance(entry, dict) and isinstance(entry.get("components"), list)
                else []
            )
        for component in entries:
            name = component.get("name")
            if isinstance(name, str) and name.strip() and name not in known and not component.get("group"):
                found.setdefault(name, str(component.get("description") or "").strip())
    return catalog_snippet((service_for(name, policy), text, name) for name, text in found.items())


def read(sources: Iterable[Path], policy: Policy, today: date) -> Iterator[Record | FileReport]:
    """A record per incident and scheduled maintenance of the sources, each once, and a report for each file that
    holds none (a document found in a folder that is meant to hold none, `NO_ENTRIES`, is passed over)."""
    entries: list[Entry] = []
    for path, walked in export_files(sources):
        try:
            document = load(path)
        except SourceProblem as problem:
            yield FileReport(path.as_posix(), "skipped", needs=[str(problem)])
            continue
        try:
            found = entries_of(document)
        except SourceProblem as problem:
            if not (walked and set(NO_ENTRIES) & set(document)):
                yield FileReport(path.as_posix(), "skipped", needs=[str(problem)])
            continue
        entries += [Entry(f"{path.as_posix()}#{place}", entry, maintenance) for place, entry, maintenance in found]
    for entry in once_each(entries, today):
        build = partial(entry_record, entry.entry, entry.maintenance, entry.where, policy, today, entry.also)
        yield attempt(entry.where, build)


@dataclass
class Entry:
    """One incident or maintenance of a document: where it is (`file#incidents[2]`), the entry as read, whether it
    is a maintenance, and where else the same incident was met (`also`)."""

    where: str
    entry: object
    maintenance: bool
    also: list[str] = field(default_factory=list)


def once_each(entries: list[Entry], today: date) -> list[Entry]:
    """`entries` with each incident (by `id`) once, where it was first met, from its newest copy: the one updated
    last (`updated_at`), else the one with more updates, else the first. An entry without an `id` is kept, for its
    record to say what it lacks."""
    kept: dict[str, Entry] = {}
    found: list[Entry] = []
    for entry in entries:
        key = entry.entry.get("id") if isinstance(entry.entry, dict) else None
        if not isinstance(key, str) or not key.strip():
            found.append(entry)
        elif key not in kept:
            kept[key] = entry
            found.append(entry)
        else:
            first = kept[key]
            newer = _newness(entry.entry, today) > _newness(first.entry, today)
            first.also.append(first.where if newer else entry.where)
            if newer:
                first.where, first.entry = entry.where, entry.entry
            first.maintenance = first.maintenance or entry.maintenance
    return found


def _newness(entry: object, today: date) -> tuple[datetime, int]:
    if not isinstance(entry, dict):
        return EPOCH, 0
    try:
        updated = parse_time(entry.get("updated_at"), today)
    except SourceProblem:
        updated = None
    updates = entry.get("incident_updates")
    return (updated[0] if updated else EPOCH), len(updates) if isinstance(updates, list) else 0


def entries_of(document: dict) -> list[tuple[str, object, bool]]:
    """(where in the document, entry, whether it is a scheduled maintenance) of each entry: the lists of
    `incidents.json`, `scheduled-maintenances.json` and `summary.json`, or a single incident's `incident`. Raises
    `SourceProblem` for a document with none of them, saying what it is when it is another document of the API."""
    found: list[tuple[str, object, bool]] = []
    for key, maintenance in ENTRIES.items():
        found += [(f"{key}[{index}]", entry, maintenance) for index, entry in enumerate(_listed(document, key))]
    if "incident" in document:
        found.append(("incident", document["incident"], False))
    if not found and not {*ENTRIES, "incident"} & set(document):
        for key, what in NO_ENTRIES.items():
            if key in document:
                raise SourceProblem(what)
        keys = ", ".join(f"`{key}`" for key in sorted(document)[:8]) or "none"
        raise SourceProblem(f"not a Statuspage export: expected {EXPECTED}; its keys are {keys}")
    return found


def _listed(document: dict, key: str) -> list:
    entries = document.get(key) or []
    if not isinstance(entries, list):
        raise SourceProblem(f"`{key}` is not a list")
    return entries


def _text(entry: dict, key: str) -> str:
    value = entry.get(key)
    return value.strip() if isinstance(value, str) else ""


def entry_record(
    entry: object, maintenance: bool, where: str, policy: Policy, today: date, also: Iterable[str] = ()
) -> Record:
    """One incident or scheduled maintenance as a record (`also`: where else it was met); raises `SourceProblem`
    when it cannot be one."""
    if not isinstance(entry, dict):
        raise SourceProblem("an entry that is not an object")
    original_id, title = _text(entry, "id"), _text(entry, "name")
    if not original_id or not title:
        raise SourceProblem("an entry without `id` or `name`")
    planned = maintenance and entry.get("scheduled_for")
    start_key = (
        "scheduled_for"
        if planned and not entry.get("started_at")
        else ("started_at" if entry.get("started_at") else "created_at")
    )
    started = parse_time(entry.get(start_key), today)
    if started is None:
        raise SourceProblem(f"`{start_key}` is not a time: {str(entry.get(start_key))[:40]!r}")
    record = Record(
        FORMAT.importer,
        _text(entry, "shortlink") or where,
        original_id,
        title,
        started[0].date(),
        {},
        "",
        unknown=list(STATUS_PAGE_UNKNOWN),
        already_public=True,
    )
    if also:
        record.mapped.append(f"the same incident is also in {', '.join(also)}: imported once, from its newest copy")
    record.mapped.append(f"{start_key} -> started")
    status = _text(entry, "status")
    fields = record.fields
    fields["title"] = title
    if maintenance:
        fields["kind"] = "maintenance"
    fields["status"] = "published"
    named = [
        c["name"].strip()
        for c in entry.get("components") or []
        if isinstance(c, dict) and isinstance(c.get("name"), str) and c["name"].strip()
    ]
    components, services = components_named(named, policy, record)  # the catalog's spelling; a catch-all is all
    if components:
        fields["services"] = services
        record.mapped.append(f"components -> services {', '.join(services)}")
    else:
        record.unknown.append("services")
        record.needs.append("no components named: name the services")
    fields["started"] = utc_text(started[0])
    _timeline(record, entry, started, status, maintenance, today)
    updates, body = _updates(record, entry, maintenance, today)
    impact = IMPACTS.get(_text(entry, "impact"))
    public: dict[str, object] = {"title": title, "summary": _summary(entry, updates) or title, "components": components}
    if impact:
        public["impact"] = impact
    if updates:
        public["updates"] = updates
    if components:  # a public block names what customers saw affected; without, the report says none was named
        fields["public"] = public
        if impact:
            record.mapped.append(f"impact {impact} -> public impact")
    record.body = "## Status page updates\n\n" + (body or "*The entry had no updates.*")
    return record


def _timeline(record: Record, entry: dict, started, status: str, maintenance: bool, today: date) -> None:
    """`mitigated` from `monitoring_at`, `resolved` from `resolved_at` (a maintenance not yet completed: its
    planned end, `scheduled_until`); a time before the start is wrong, and left out."""
    closed = status in CLOSED
    end_key = "resolved_at" if closed or not maintenance else "scheduled_until"
    for name, key in (("mitigated", "monitoring_at"), ("resolved", end_key)):
        value = entry.get(key)
        if value in (None, ""):
            continue
        try:
            moment = parse_time(value, today)
        except SourceProblem as problem:
            record.drop(name, value, str(problem))
            continue
        if moment is None:
            record.drop(name, value, "not a time")
        elif moment[0] < started[0]:
            record.drop(name, value, "before the start")
        else:
            record.fields[name] = utc_text(moment[0])
            if name in record.unknown:
                record.unknown.remove(name)
            record.mapped.append(f"{key} -> {name}")
    if "resolved" not in record.fields:
        if closed:
            record.fields["resolved"] = "unknown"
            record.mapped.append(f"status {status}: resolved at an unknown time")
        else:
            record.unknown.append("resolved")
            record.needs.append(f"status `{status or 'none'}` in the source: add `resolved` once it is")


def _updates(record: Record, entry: dict, maintenance: bool, today: date) -> tuple[list[dict], str]:
    """The public updates (those with a status, a time we know and a text) and the body: every update as posted.
    Each text is as the status page showed it (`html_text.from_fragment`); what the allowlist removed is reported."""
    allowed = MAINTENANCE_UPDATE_STATUSES if maintenance else PUBLIC_UPDATE_STATUSES
    updates, lines, left_out = [], [], set()
    raw = entry.get("incident_updates") or []
    for index, update in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(update, dict):
            continue
        status = _text(update, "status")
        body, removed = from_fragment(update["body"] if isinstance(update.get("body"), str) else "")
        if removed:
            record.mapped.append(f"incident_updates[{index}] ({status or 'no status'}) body: {'; '.join(removed)}")
        try:
            at = parse_time(update.get("display_at") or update.get("created_at"), today)
        except SourceProblem:
            at = None
        when = utc_text(at[0]) if at else "time unknown"
        lines.append(f"**{status or 'update'}** ({when})\n\n{_as_posted(body)}\n")
        if status in allowed and at and body:
            updates.append({"status": status, "at": utc_text(at[0]), "body": body})
        else:
            left_out.add(status or "no status")
    if left_out:
        record.mapped.append(f"updates left out of the public block (in the body): {', '.join(sorted(left_out))}")
    updates.sort(key=lambda u: u["at"])
    return updates, "\n".join(lines)


def _as_posted(text: str) -> str:
    """An update's text in the record's Markdown body: HTML as a block of the HTML the status site shows (sanitised
    again), which Markdown passes through as it is; plain text as it is (it has no `<`: `from_fragment`), but for an
    `&` that Markdown would read as an entity."""
    if is_markup(text):
        return f'<div class="pm-status-update">\n{as_html(text)}\n</div>'
    return _ENTITY.sub("&amp;", text)


def _summary(entry: dict, updates: list[dict]) -> str:
    """The incident's public text: its newest update's body, as the status page shows it first."""
    return updates[-1]["body"] if updates else ""

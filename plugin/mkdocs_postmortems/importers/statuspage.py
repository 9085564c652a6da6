"""Atlassian Statuspage API v2 exports: `incidents.json`, `scheduled-maintenances.json`, `summary.json` (and
`components.json` for the catalog), as a Statuspage-hosted page serves them at `/api/v2/`; and a single incident
as a webhook notification delivers it, `{"page": ..., "incident": ...}`.

An incident: `id`, `name`, `status` (investigating, identified, monitoring, resolved, postmortem), `impact` (none,
minor, major, critical), `created_at`, `started_at`, `monitoring_at`, `resolved_at`, `shortlink`, `components`
(each with a `name`) and `incident_updates` (`status`, `body`, `created_at`, `display_at`). A scheduled maintenance
adds `scheduled_for` and `scheduled_until`, with the statuses scheduled, in_progress, verifying and completed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from functools import partial
from pathlib import Path

from ..parsing.formats import STATUSPAGE
from ..policy import MAINTENANCE_UPDATE_STATUSES, PUBLIC_UPDATE_STATUSES, Policy
from .records import STATUS_PAGE_UNKNOWN, FileReport, Record, attempt, catalog_snippet, service_for, utc_text
from .sources import SourceProblem, decode, parse_time, read_bytes

FORMAT = STATUSPAGE  # its declaration: name, what it reads, what `check` says of its files
CLOSED = ("resolved", "postmortem", "completed")
IMPACTS = {"minor": "minor", "major": "major", "critical": "critical"}


def load(path: Path) -> dict:
    """An export file as JSON; raises `SourceProblem` when it is not one."""
    try:
        document = json.loads(decode(read_bytes(path)))
    except json.JSONDecodeError as error:
        raise SourceProblem(f"not JSON: {error.msg} at line {error.lineno}") from None
    except RecursionError:
        raise SourceProblem("its JSON nests too deeply to be an export") from None
    if not isinstance(document, dict):
        raise SourceProblem("not a Statuspage export: the JSON is not an object")
    return document


def catalog(sources: Iterable[Path], policy: Policy) -> str:
    """The components of the exports that are not in the service catalog yet, as a snippet for mkdocs.yml."""
    known = set(policy.service_names) | set(policy.components)
    found: dict[str, str] = {}
    for path in sources:
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
    """A record per incident and scheduled maintenance of each export, and a report for each that is none."""
    for path in sources:
        try:
            entries = entries_of(load(path))
        except SourceProblem as problem:
            yield FileReport(path.as_posix(), "skipped", needs=[str(problem)])
            continue
        for place, entry, maintenance in entries:
            where = f"{path.as_posix()}#{place}"
            yield attempt(where, partial(entry_record, entry, maintenance, where, policy, today))


def entries_of(document: dict) -> list[tuple[str, object, bool]]:
    """(where in the document, entry, whether it is a scheduled maintenance) of each entry: the lists of
    `incidents.json`, `scheduled-maintenances.json` and `summary.json`, or a webhook notification's `incident`.
    Raises `SourceProblem` for a document with none of them."""
    found: list[tuple[str, object, bool]] = []
    for key, maintenance in (("incidents", False), ("scheduled_maintenances", True)):
        found += [(f"{key}[{index}]", entry, maintenance) for index, entry in enumerate(_listed(document, key))]
    if "incident" in document:
        found.append(("incident", document["incident"], False))
    if not found and not {"incidents", "scheduled_maintenances", "incident"} & set(document):
        raise SourceProblem(
            "no `incidents`, `scheduled_maintenances` or `incident`: components.json only feeds the catalog"
        )
    return found


def _listed(document: dict, key: str) -> list:
    entries = document.get(key) or []
    if not isinstance(entries, list):
        raise SourceProblem(f"`{key}` is not a list")
    return entries


def _text(entry: dict, key: str) -> str:
    value = entry.get(key)
    return value.strip() if isinstance(value, str) else ""


def entry_record(entry: object, maintenance: bool, where: str, policy: Policy, today: date) -> Record:
    """One incident or scheduled maintenance as a record; raises `SourceProblem` when it cannot be one."""
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
    record.mapped.append(f"{start_key} -> started")
    status = _text(entry, "status")
    fields = record.fields
    fields["title"] = title
    if maintenance:
        fields["kind"] = "maintenance"
    fields["status"] = "published"
    components = [
        c["name"].strip()
        for c in entry.get("components") or []
        if isinstance(c, dict) and isinstance(c.get("name"), str) and c["name"].strip()
    ]
    components = list(dict.fromkeys(components))
    if components:
        fields["services"] = list(dict.fromkeys(service_for(name, policy) for name in components))
        record.mapped.append(f"components -> services {', '.join(fields['services'])}")
    else:
        record.unknown.append("services")
        record.needs.append("no components named: name the services")
    fields["started"] = utc_text(started[0])
    _timeline(record, entry, started, status, maintenance, today)
    updates, body = _updates(record, entry, maintenance, today)
    impact = IMPACTS.get(_text(entry, "impact"))
    public = {"title": title, "summary": _summary(entry, updates) or title, "components": components}
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
    """The public updates (those with a status and time we know) and the body: every update as posted."""
    allowed = MAINTENANCE_UPDATE_STATUSES if maintenance else PUBLIC_UPDATE_STATUSES
    updates, lines, left_out = [], [], set()
    raw = entry.get("incident_updates") or []
    for update in raw if isinstance(raw, list) else []:
        if not isinstance(update, dict):
            continue
        status, body = _text(update, "status"), _text(update, "body")
        try:
            at = parse_time(update.get("display_at") or update.get("created_at"), today)
        except SourceProblem:
            at = None
        when = utc_text(at[0]) if at else "time unknown"
        lines.append(f"**{status or 'update'}** ({when})\n\n{body}\n")
        if status in allowed and at and body:
            updates.append({"status": status, "at": utc_text(at[0]), "body": body})
        else:
            left_out.add(status or "no status")
    if left_out:
        record.mapped.append(f"updates left out of the public block (in the body): {', '.join(sorted(left_out))}")
    updates.sort(key=lambda u: u["at"])
    return updates, "\n".join(lines)


def _summary(entry: dict, updates: list[dict]) -> str:
    """The incident's public text: its newest update's body, as the status page shows it first."""
    return updates[-1]["body"] if updates else ""

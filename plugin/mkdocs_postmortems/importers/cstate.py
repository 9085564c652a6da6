"""cState (Hugo) status pages: `content/issues/*.md` entries and the systems of `config.yml`.

An entry's front matter: `title`, `date` (the start), `resolved` (true/false), `resolvedWhen`, `severity` (`down`,
`disrupted` or `notice`: what customers saw), `affected` (systems), `section: issue`, `informational`, `pin`. Its
body is what the status page showed, Hugo shortcodes and update lines included. Hugo reads a time without an
offset as UTC (its default `timeZone`), and so does this importer, saying so in the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from functools import partial
from pathlib import Path

from ..parsing.formats import CSTATE
from ..policy import Policy
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
from .sources import SourceProblem, decode, front_matter, parse_time, plain, read_bytes, without_relative_links

FORMAT = CSTATE  # its declaration: name, what it reads, what `check` says of its files
PUBLIC_IMPACT = {"down": "critical", "disrupted": "major", "notice": "minor"}  # cState's colours, Statuspage's words
KNOWN_KEYS = {
    "title",
    "date",
    "resolved",
    "resolvedWhen",
    "severity",
    "affected",
    "section",
    "informational",
    "pin",
    "lastmod",
    "draft",
    "tags",
}
_MAINTENANCE = re.compile(r"\b(maintenance|scheduled|upgrade|migration|migrating)\b", re.IGNORECASE)
_TRACK = re.compile(r"\{\{[<%]\s*track\s+\"([^\"]*)\"\s*[>%]\}\}")
_SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}", re.DOTALL)


def issue_files(sources: Iterable[Path]) -> Iterator[Path]:
    """The entries: each `.md` given, and those below each folder given (`content/issues/`, or a whole site)."""
    for source in sources:
        if source.is_dir():
            issues = source / "content" / "issues"
            yield from sorted(
                p for p in (issues if issues.is_dir() else source).rglob("*.md") if not p.name.startswith(("_", "."))
            )
        elif source.suffix == ".md":
            yield source


def systems(sources: Iterable[Path]) -> list[dict]:
    """The systems of every `config.yml` found beside the sources (a site root or its `content/issues`)."""
    found = []
    for source in sources:
        base = source if source.is_dir() else source.parent
        for folder in (base, *base.parents[:3]):
            config = folder / "config.yml"
            if config.is_file():
                found += _systems_of(config)
                break
    return list({s["name"]: s for s in found}.values())


def _systems_of(config: Path) -> list[dict]:
    try:
        values = plain(_compose(decode(read_bytes(config))))
    except (SourceProblem, ValueError):
        return []
    params = values.get("params") if isinstance(values, dict) else None
    listed = params.get("systems") if isinstance(params, dict) else None
    return [s for s in listed or [] if isinstance(s, dict) and isinstance(s.get("name"), str)]


def _compose(text: str):
    import yaml  # the config is the site's own file, composed (never constructed), like a front matter

    try:
        return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        raise ValueError(str(error)) from None


def catalog(sources: Iterable[Path], policy: Policy) -> str:
    """The cState systems (of `config.yml` and named by entries) not in the service catalog yet, as a snippet for
    mkdocs.yml."""
    known = set(policy.service_names) | set(policy.components)
    found = {s["name"]: str(s.get("description") or "").strip() for s in systems(sources)}
    for path in issue_files(sources):  # entries may name systems the config no longer lists
        try:
            values, _ = front_matter(read_bytes(path, 1_000_000), path.name)
        except SourceProblem:
            continue
        affected = values.get("affected")
        for name in affected if isinstance(affected, list) else []:
            if isinstance(name, str) and name.strip():
                found.setdefault(name.strip(), "")
    return catalog_snippet((service_for(name, policy), text, name) for name, text in found.items() if name not in known)


def read(sources: Iterable[Path], policy: Policy, today: date) -> Iterator[Record | FileReport]:
    """A record per entry of the sources, and a report for each entry that is none."""
    for path in issue_files(sources):
        # attempt() calls it at once, the read included, so a bad file is reported
        yield attempt(path.as_posix(), partial(_read_issue, path, policy, today))


def _read_issue(path: Path, policy: Policy, today: date) -> Record:
    return issue_record(path, read_bytes(path, 1_000_000), policy, today)


def issue_record(path: Path, raw: bytes, policy: Policy, today: date) -> Record:
    """One cState entry as a record; raises `SourceProblem` when it cannot be one."""
    values, body = front_matter(raw, path.name)
    title = values.get("title")
    if not isinstance(title, str) or not title.strip():
        raise SourceProblem("no `title`")
    started = parse_time(values.get("date"), today)
    if started is None:
        raise SourceProblem(f"`date` is not a date: {str(values.get('date'))[:40]!r}")
    record = Record(
        FORMAT.importer,
        path.as_posix(),
        path.stem,
        title.strip(),
        started[0].date(),
        {},
        "",
        unknown=list(STATUS_PAGE_UNKNOWN),
        already_public=True,
    )
    unknown_keys = sorted(set(values) - KNOWN_KEYS)
    if unknown_keys:
        record.needs.append(f"keys not imported: {', '.join(unknown_keys)}")
    severity = values.get("severity")
    informational = str(values.get("informational", "")).lower() == "true"
    maintenance = informational or (severity == "notice" and bool(_MAINTENANCE.search(title)))
    affected = values.get("affected")
    named = [s.strip() for s in affected if isinstance(s, str) and s.strip()] if isinstance(affected, list) else []
    components, services = components_named(named, policy, record)
    fields = record.fields
    fields["title"] = record.title
    if maintenance:
        fields["kind"] = "maintenance"
        record.mapped.append(
            "informational entry -> maintenance" if informational else "notice about planned work -> maintenance"
        )
    fields["status"] = "published"
    if services:
        fields["services"] = services
        record.mapped.append(f"affected -> services {', '.join(services)}")
    else:
        record.unknown.append("services")
        record.needs.append("no `affected` systems: name the services")
    fields["started"] = _moment(started)
    _note_offset(record, "date", started)
    _resolution(record, values, started, today)
    body_text, notes = public_body(body)
    body_text, unlinked = without_relative_links(body_text)
    record.mapped += notes
    record.needs += unlinked
    impact = PUBLIC_IMPACT.get(severity) if isinstance(severity, str) else None
    if severity is not None and impact is None:
        record.needs.append(
            f"severity `{severity}` is not one of cState's (down, disrupted, notice): public impact left to the default"
        )
    public = {"title": record.title, "summary": body_text or record.title, "components": components}
    if impact:
        public["impact"] = impact
    fields["public"] = public  # public already: kept, with the components it named (none: a general notice)
    if impact:
        record.mapped.append(f"severity {severity} -> public impact {impact}")
    record.body = "## Status page entry\n\n" + (body_text or "*The entry had no text.*")
    return record


def _moment(parsed) -> str:
    moment, has_time, _ = parsed
    return utc_text(moment) if has_time else moment.date().isoformat()


def _note_offset(record: Record, key: str, parsed) -> None:
    if parsed[1] and not parsed[2]:
        record.mapped.append(f"`{key}` has no UTC offset: read as UTC, as Hugo does")


def _resolution(record: Record, values: dict, started, today: date) -> None:
    """`resolved` from `resolved` and `resolvedWhen`; a time before the start is wrong, and left out."""
    if str(values.get("resolved", "")).lower() != "true":
        record.unknown.append("resolved")
        record.needs.append("not resolved in the source: add `resolved` once it is")
        return
    when = values.get("resolvedWhen")
    try:
        resolved = parse_time(when, today) if when is not None else None
    except SourceProblem as problem:
        record.drop("resolved", when, str(problem))
        resolved = None
    else:
        if when is not None and resolved is None:
            record.drop("resolved", when, "not a date")
    if resolved is not None and resolved[0] < started[0] and (resolved[1] or resolved[0].date() < started[0].date()):
        record.drop("resolved", when, "before the start (`date`)")
        resolved = None
    if resolved is None:
        record.fields["resolved"] = "unknown"
        record.mapped.append("resolved at an unknown time")
        return
    record.fields["resolved"] = _moment(resolved)
    _note_offset(record, "resolvedWhen", resolved)


def public_body(body: str) -> tuple[str, list[str]]:
    """The entry's text without Hugo shortcodes: `{{< track "time" >}}` becomes the time in italics."""
    notes = []
    text = _TRACK.sub(lambda m: f"*{m.group(1)}*", body)
    if text != body:
        notes.append("track shortcodes -> update times in italics")
    stripped = _SHORTCODE.sub("", text)
    if stripped != text:
        notes.append("other Hugo shortcodes removed")
    return stripped.strip(), notes

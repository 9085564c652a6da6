"""Postmortems written as plain Markdown, without front matter: structure from the headings.

The title is the first heading. Sections are matched by heading, with aliases (`Contributing Factors` is the
root cause analysis, `Timeline (UTC)` the timeline) and renamed to the configured section names. The start is the
first timeline entry's time, or a date from the text or the file name (`2025-09-29-flags-is-down.md`,
`PM2021-004 - ADFS outage.md` gives the year); a time of day needs its zone, written beside it (`10:05 CEST`) or
once for the record ("All times in CET", `Timeline (UTC)`), and keeps it. Action items come from the action-item
sections' tables and lists, each list item whole: its wrapped lines and its nested list are its text.

A page may start with metadata lines instead of a heading, as Pelican and MultiMarkdown write them (`Title:`,
`Date:`, `Category:`, `Tags:`, `Slug:`, `Summary:` ... up to the first blank line): they are read as keys, as the
`frontmatter` importer reads a front matter's (`--map` names them), and those that give no field are kept at the
end of the body. A page whose `Category`, `Tags` or `Template` says `status` was a status-page entry: its record
says it was public already.

Other files of the source (PDFs, images...) are not imported: the knowledge base's folder holds postmortems only.
Each is reported, and named, by its path from the source's folder, in the record it belongs with (a link of the
record leads to it, or it sits in a folder or has a name of the record's own).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import NamedTuple

import yaml

from ..parsing.formats import FRONTMATTER, MARKDOWN, Format, recognise
from ..parsing.schema import POSTMORTEM
from ..policy import Policy
from .fields import Keys, normal, read_keys
from .outline import canonical, first_paragraph, list_items, sections_of, table_cells
from .records import FileReport, Record, attempt, words_after_date
from .sources import (
    SourceProblem,
    beside,
    decode,
    files_below,
    front_matter,
    kind_of,
    read_bytes,
    relative_targets,
    source_root,
    without_relative_links,
)
from .times import (
    Found,
    Order,
    Zone,
    date_order,
    dates_in,
    file_name_date,
    in_zone,
    season_note,
    stated_zone,
    when_at_start,
    written,
)

FORMAT = MARKDOWN  # its declaration: name, what it reads, what `check` says of its files
MAX_BYTES = 1_000_000

# Section name (casefolded) -> the headings other templates give it, casefolded, without a trailing `(...)`: read
# after the team's own `section_aliases`, which `check` reads too (`section_for`).
ALIASES = {
    "summary": (
        "summary",
        "issue summary",
        "incident summary",
        "overview",
        "executive summary",
        "what happened",
        "tl;dr",
        "description",
    ),
    "impact": ("impact", "customer impact", "user impact", "scope", "impact and scope"),
    "timeline": ("timeline", "incident timeline", "timeline of events", "detailed timeline"),
    "root cause analysis": (
        "root cause analysis",
        "root cause",
        "root causes",
        "contributing factors",
        "cause",
        "causes",
        "why did it happen?",
        "how did it happen?",
    ),
    "resolution": ("resolution", "remediation", "mitigation", "recovery", "fix", "resolution and recovery"),
    "lessons learned": (
        "lessons learned",
        "lessons",
        "key takeaways",
        "takeaways",
        "insights",
        "learnings",
        "what we learned",
        "reflections",
    ),
}
ACTION_HEADINGS = (
    "action items",
    "actions",
    "follow-up",
    "follow-ups",
    "follow up actions",
    "next steps",
    "remediation",
    "moving forward",
    "how are we preventing it from happening again?",
    "preventive measures",
    "corrective actions",
    "improvements",
)
ALWAYS_UNKNOWN = [
    "severity",
    "services",
    "authors",
    "reviewers",
    "published_on",
    "impact.customers_affected",
    "impact.requests_failed",
    "root_causes",
    "communications",
]
_FILE_YEAR = re.compile(r"^(?:PM|PIR|INC|IR)[-_ ]?(\d{4})", re.IGNORECASE)
_METADATA_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9 _-]{0,40}?)[ \t]*:(?:[ \t]+(.*)|)$")
_STATS = re.compile(
    r"time to (detection|detect|recovery|recover|resolution|resolve|mitigation|mitigate)"
    r"\s*[:\-–]\s*(\d+)\s*(minutes?|mins?|hours?|hrs?|h)\b",
    re.IGNORECASE,
)
_DONE = re.compile(r"\b(done|completed?|closed|finished|fixed|resolved)\b", re.IGNORECASE)
_STATUS_ENTRY = re.compile(r"\bstatus\b", re.IGNORECASE)
FIELD_ORDER = [f.name for f in POSTMORTEM]


# --------------------------------------------------------------------------------------------------
# The files of a source


def read(
    sources: Iterable[Path], policy: Policy, today: date, key_map: Mapping[str, str] | None = None
) -> Iterator[Record | FileReport]:
    """A record per postmortem of the sources, and a report for each file that is none."""
    build = partial(document_record, policy=policy, today=today, key_map=key_map)
    yield from read_pages(sources, build, "metadata")


def read_pages(
    sources: Iterable[Path], build: Callable[[Path, str], Record], keys_name: str
) -> Iterator[Record | FileReport]:
    """`build(path, text)`'s record for each Markdown file of the sources (a report for one it cannot read), and a
    report for each other file, which the record it belongs with names under “Files in the source”."""
    sources = list(sources)
    root = source_root(sources)
    found: list[tuple[Path, Record | FileReport]] = []
    links: dict[Path, list[str]] = {}

    def build_one(path: Path) -> Record:
        text = decode(read_bytes(path, MAX_BYTES))
        links[path] = relative_targets(text)
        return build(path, text)

    others = []
    for path in files_below(sources):
        kind = kind_of(path)
        if kind is None:
            # attempt() calls it at once, the read included, so a bad file is reported
            found.append((path, attempt(path.as_posix(), partial(build_one, path))))
        else:
            others.append(path)
            found.append((path, FileReport(path.as_posix(), f"not imported ({kind})")))
    reports = {path: item for path, item in found if isinstance(item, FileReport)}
    for path, item in found:
        if isinstance(item, Record):
            _name_files(item, path, beside(path, links.get(path, ()), others), root, reports)
    yield from (item for _, item in found)


def _name_files(record: Record, path: Path, files: list[Path], root: Path, reports: dict[Path, FileReport]) -> None:
    """Name the files that belong with a record in its body, by their path from the source's folder."""
    if not files:
        return
    named = [_from_root(other, root) for other in files]
    lines = [f"- `{name}` ({kind_of(other)})" for name, other in zip(named, files, strict=True)]
    record.body += (
        "\n\n## Files in the source\n\nNot imported: the knowledge base holds postmortems only. "
        "By their path in the source:\n\n" + "\n".join(lines)
    )
    record.mapped.append(f"named under “Files in the source”: {', '.join(other.name for other in files)}")
    for other in files:
        reports[other].mapped.append(f"named in the record of {_from_root(path, root)}")


def _from_root(path: Path, root: Path) -> str:
    absolute = path.absolute()
    return absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else path.name


def markdown_files(sources: Iterable[Path]) -> Iterator[Path]:
    """The files of the sources read as Markdown: `.md` files and names without an extension."""
    return (path for path in files_below(sources) if kind_of(path) is None)


# --------------------------------------------------------------------------------------------------
# A page


def document_record(
    path: Path, text: str, policy: Policy, today: date, key_map: Mapping[str, str] | None = None
) -> Record:
    """One Markdown postmortem as a record; raises `SourceProblem` when it cannot be one."""
    if text.startswith("---\n"):
        raise SourceProblem(_has_front_matter(text, path))
    values, body = metadata_lines(text)
    written_lines = {key: f"{key}: {value}" for key, value in values.items()}
    record = page_record(path, values, body, policy, today, key_map, FORMAT, "Source metadata", written_lines)
    if values and any(
        _STATUS_ENTRY.search(str(value))
        for key, value in values.items()
        if normal(key) in ("category", "tags", "template")
    ):
        record.already_public = True
        record.mapped.append("already public: its metadata says it was a status-page entry")
    return record


def _has_front_matter(text: str, path: Path) -> str:
    """Why a file with front matter is not this importer's, and which reads it."""
    try:
        values, _ = front_matter(text.encode("utf-8"), path.name)
    except SourceProblem:
        values = {}
    found = recognise(values)
    if found is not None and found not in (MARKDOWN, FRONTMATTER):
        return f"it has {found.name}'s front matter: `{found.command}` reads it"
    if values and set(values) <= set(FIELD_ORDER):
        return "it has front matter already: check it with `postmortems check` instead"
    return "it has front matter: `postmortems import frontmatter SOURCE` reads it (`--map OURS=THEIRS` names its keys)"


def metadata_lines(text: str) -> tuple[dict[str, str], str]:
    """Pelican and MultiMarkdown metadata: `Key: value` lines at the top (a line indented under one continues it)
    up to the first blank line, among them a `Title` or a `Date`; and the text after them. ({}, text) for a page
    without."""
    values: dict[str, str] = {}
    lines = text.split("\n")
    last = None
    end = len(lines)
    for number, line in enumerate(lines):
        if not line.strip():
            end = number + 1
            break
        pair = _METADATA_LINE.match(line)
        if pair:
            last = pair.group(1).strip()
            values[last] = (pair.group(2) or "").strip()
        elif last is not None and line[:1] in (" ", "\t"):
            values[last] = f"{values[last]} {line.strip()}".strip()
        else:
            return {}, text
    if not any(normal(key) in ("title", "date") for key in values):
        return {}, text
    return values, "\n".join(lines[end:])


def page_record(
    path: Path,
    values: Mapping[str, object],
    text: str,
    policy: Policy,
    today: date,
    key_map: Mapping[str, str] | None,
    fmt: Format,
    kept_under: str,
    as_written: Mapping[str, str] | None = None,
) -> Record:
    """A page as a record: its keys (`values`, a front matter's or metadata lines') read as ours, the rest from its
    Markdown `text`; keys that give no field are kept at the end of the body, under `kept_under`, as written
    (`as_written`: each key's text)."""
    sections = sections_of(text)
    timeline = next((s for s in sections if canonical(s[1]) in ALIASES["timeline"]), None)
    zone = record_zone(text, timeline)
    keys = read_keys(values, key_map, policy, today, zone)
    titled = [s for s in sections if s[0] > 0]
    title = keys.fields.get("title")
    heading = re.sub(r"[*_`]", "", titled[0][1]).strip() if titled else ""
    named = words_after_date(path.stem)  # `2024-02-28-decide is down`: a title after the date
    if not title and not heading and not named:
        raise SourceProblem("no heading and no words after a date in its name: the first heading is the title")
    from_name = not title and not heading
    if from_name:
        keys.mapped.append("title from the file name (the text has no heading)")
        heading = named.replace("_", " ").replace("-", " ").strip().capitalize()
    title = title or heading
    if title.casefold() in ("incident title", "title", "postmortem template") or "template" in path.name.casefold():
        raise SourceProblem("it is a template, not a postmortem")
    year = year_of(path, title, today)
    entries = timeline_entries(timeline[2], today, year) if timeline else []
    start = (
        _start_from_keys(keys, path, today)
        if "started" in keys.moments
        else start_of(path, title, text, entries, year, today, zone)
    )
    record = Record(fmt.importer, path.as_posix(), path.stem, title, start.day, {}, "")
    record.unknown = [name for name in ALWAYS_UNKNOWN if name not in keys.fields]
    record.mapped = (
        ["title from the first heading"] if "title" not in keys.fields and not from_name else []
    ) + keys.mapped
    record.mapped += [start.detail] if start.detail else []
    record.needs += keys.needs + start.needs
    fields = {**keys.fields, "title": title}
    fields.setdefault("status", "published")
    fields["started"] = written(start.moment) if start.moment else start.day.isoformat()
    record.fields = fields
    _in_order(record, keys, start)
    _stats(record, text, start.moment)
    from_heading = "title" not in keys.fields or heading.casefold() == title.casefold()
    body, renamed, present = _body(sections, titled[0][0] if titled and from_heading else 0, policy)
    record.body, unlinked = without_relative_links(body)
    record.needs += unlinked
    if renamed:
        record.mapped.append("sections: " + "; ".join(renamed))
    missing = [name for name in policy.required_sections if name.casefold() not in present]
    if missing:
        record.unknown.append("sections")
        record.mapped.append(f"not in the source: {', '.join(missing)} sections")
    if "impact" not in fields:
        impact = [s for s in sections if canonical(s[1]) in ALIASES["impact"]]
        summary = first_paragraph(impact[0][2]) if impact else ""
        if summary:
            fields["impact"] = {"summary": summary}
            record.mapped.append("impact summary from the Impact section's first paragraph")
        else:
            record.unknown.append("impact.summary")
    _action_items(record, sections)
    _keep(record, keys, kept_under, as_written or {})
    record.fields = {name: fields[name] for name in FIELD_ORDER if name in fields}
    return record


def _keep(record: Record, keys: Keys, heading: str, as_written: Mapping[str, str]) -> None:
    """The source's keys that gave no field, as written, at the end of the body."""
    if not keys.left:
        return
    text = "\n".join(
        as_written.get(key) or yaml.safe_dump({key: value}, allow_unicode=True, width=100).strip()
        for key, value in keys.left.items()
    )
    record.body += (
        f"\n\n## {heading}\n\nThe source's keys that have no field here, as it gave them:\n\n```yaml\n{text}\n```"
    )
    record.mapped.append(f"kept in the body under “{heading}”: {', '.join(f'`{key}`' for key in keys.left)}")


def year_of(path: Path, title: str, today: date) -> int | None:
    """The year of dates written without one (`31st March`, `Jan 14, 10:18 AM`): the file name's (`PM2021-004`,
    `2026-01-17-...`), else the title's."""
    numbered = _FILE_YEAR.match(path.name)
    if numbered:
        return int(numbered.group(1))
    named = file_name_date(path.name, today)
    if named is not None:
        return named.year
    dated = [found.day for found in dates_in(title, today) if found.day]
    return dated[0].year if dated else None


class Start(NamedTuple):
    """When it started: the UTC `day` (the file name's), the `moment` with the source's offset (None: the day
    alone), where it came from (`detail`, for the report) and the readings a person should check (`needs`)."""

    day: date
    moment: datetime | None
    detail: str
    needs: list[str]


def _start_from_keys(keys: Keys, path: Path, today: date) -> Start:
    given = keys.moments["started"]
    if isinstance(given, datetime):
        return Start(given.astimezone(timezone.utc).date(), given, "", [])
    needs = []
    named = file_name_date(path.name, today)
    if named is not None and named != given:
        needs.append(f"the file name says {named} and its key {given}: the key's date is used")
    return Start(given, None, "", needs)


def record_zone(text: str, timeline: tuple[int, str, list[str]] | None) -> Zone | None:
    """The zone a record states for its times: in its timeline's heading (`Timeline (UTC)`) or table header (`Date
    and Time in CET`), or a statement ("All times in CET") in its timeline or anywhere in its text."""
    if timeline is not None:
        header = next((cells[0] for cells in map(table_cells, timeline[2]) if cells), "")
        for found in (
            stated_zone(timeline[1], label=True),
            stated_zone(header, label=True),
            stated_zone("\n".join(timeline[2])),
        ):
            if found is not None:
                return found
    return stated_zone(text)


def start_of(
    path: Path,
    title: str,
    text: str,
    entries: list[tuple[str, str]],
    file_year: int | None,
    today: date,
    zone: Zone | None = None,
) -> Start:
    """The start, and where it came from: the first timeline entry with a date and a time of day; else a date
    written in the title, the file name or the text, with the first entry's time of day when it has one. A time of
    day needs its zone, written beside it or stated for the record (`zone`): without, the date alone."""
    order = date_order(f"{title}\n{path.stem}\n{text}")
    first = when_at_start(entries[0][0], today, file_year, order) if entries else None
    if first is not None and first.day is not None:
        moment = first.moment(zone)
        if moment is not None:
            return Start(
                moment.astimezone(timezone.utc).date(),
                moment,
                "started: the first timeline entry's date and time",
                _readings(first, moment, zone),
            )
    day, where, needs = _day_of(path, title, text, file_year, today, order)
    if first is not None and first.clock is not None and (first.day is None or first.day == day):
        used = first.zone or zone
        if used is not None:
            moment = in_zone(day, first.clock, used)
            return Start(
                moment.astimezone(timezone.utc).date(),
                moment,
                f"started: the date in {where} and the first timeline entry's time",
                needs + _readings(first, moment, zone),
            )
    return Start(day, None, f"started: the date in {where} (day only)", needs)


def _readings(found: Found, moment: datetime, zone: Zone | None) -> list[str]:
    """What a person should check of a time read: an ambiguous date or zone, a zone out of season."""
    used = found.zone or zone
    notes = list(found.notes)
    if used is not None and found.zone is None and used.note:
        notes.append(used.note)
    season = season_note(moment, used) if used is not None else ""
    return notes + ([season] if season else [])


def _day_of(
    path: Path, title: str, text: str, file_year: int | None, today: date, order: Order
) -> tuple[date, str, list[str]]:
    """A day from the title, the file name or the text, where it came from, and what a person should check: the
    title's date against the file name's, when they differ."""
    title_dates = dates_in(title, today, file_year, order)
    named = file_name_date(path.name, today)
    stem_dates = [] if named else dates_in(path.stem, today, file_year, order)
    file_day = named or (stem_dates[0].day if stem_dates else None)
    if title_dates:
        day = title_dates[0].day
        assert day is not None
        needs = list(title_dates[0].notes)
        if file_day is not None and file_day != day:
            text_days = {found.day for found in dates_in(text.replace(title, "", 1), today, file_year, order)}
            if file_day in text_days and day not in text_days:
                return (
                    file_day,
                    "the file name",
                    [
                        f"the title says {day} and the file name {file_day}: the file name's date is used, as the text "
                        "has it and not the title's"
                    ],
                )
            needs.append(
                f"the title says {day} and the file name {file_day}: the title's date is used (a file is often "
                "named for the day it was written); correct `started` if the file name is right"
            )
        return day, "the title", needs
    if file_day is not None:
        return file_day, "the file name", list(stem_dates[0].notes) if stem_dates else []
    in_text = dates_in(text, today, file_year, order)
    if in_text and in_text[0].day is not None:
        return in_text[0].day, "the text", list(in_text[0].notes)
    raise SourceProblem("no date in the timeline, the title, the text or the file name")


def _in_order(record: Record, keys: Keys, start: Start) -> None:
    """Times from keys that come before the one they must follow are wrong: left out, kept in the provenance."""
    previous: tuple[str, datetime | date] = ("started", start.moment or start.day)
    for name in ("detected", "mitigated", "resolved"):
        given = keys.moments.get(name)
        if given is None:
            continue
        if _before(given, previous[1]):
            record.fields.pop(name, None)
            record.drop(name, keys.fields[name], f"before `{previous[0]}`")
            record.unknown.append(name)
            continue
        previous = (name, given)


def _before(later: datetime | date, earlier: datetime | date) -> bool:
    if isinstance(later, datetime) and isinstance(earlier, datetime):
        return later < earlier
    as_day = [
        moment.astimezone(timezone.utc).date() if isinstance(moment, datetime) else moment
        for moment in (later, earlier)
    ]
    return as_day[0] < as_day[1]


# --------------------------------------------------------------------------------------------------
# Markdown structure


def timeline_entries(lines: list[str], today: date, year: int | None = None) -> list[tuple[str, str]]:
    """(when, what) of each timeline row: table rows whose first cell starts with a date or a time, and list items
    that start with one (`- **16:58 UTC** - ...`, `- 2021-03-31 12:06 ...`), each item whole; a date without its
    year (`Jan 14, 10:18 AM`) takes `year`."""
    entries: list[tuple[int, str, str]] = []
    for number, line in enumerate(lines):
        cells = table_cells(line)
        if cells and len(cells) >= 2 and when_at_start(_plain(cells[0]), today, year):
            entries.append((number, cells[0], " ".join(cells[1:])))
    for item in list_items(lines):
        text = re.sub(r"[*_`]", "", item.text())
        found = when_at_start(text, today, year)
        if found is not None:
            entries.append((item.line, text[: found.end], text[found.end :].lstrip(" -–—:")))
    return [(when, what) for _, when, what in sorted(entries)]


def _stats(record: Record, text: str, started: datetime | None) -> None:
    """`detected` and `mitigated` from "Time to detection: 5 minutes" and "Time to recovery: 84 minutes" (in the
    start's own offset), unless its keys gave them; the report names each statement imported, and says why one was
    not."""
    stated: dict[str, tuple[str, datetime]] = {}  # the time -> the statement it came from, and the time
    fields = record.fields
    for match in _STATS.finditer(text):
        name = "detected" if match.group(1).lower().startswith("detect") else "mitigated"
        if started is None or name in fields or name in stated:
            continue
        amount = int(match.group(2))
        if amount > 100_000:
            record.drop(name, match.group(0), "not a plausible duration")
            continue
        span = timedelta(hours=amount) if match.group(3).lower().startswith("h") else timedelta(minutes=amount)
        stated[name] = (match.group(0), started + span)
    if "mitigated" in stated and "detected" not in stated and "detected" not in fields:
        record.needs.append(
            f"“{stated.pop('mitigated')[0]}” not imported: `mitigated` needs `detected` before it; "
            "add both once you know them"
        )
    if "mitigated" in stated and "detected" in stated and stated["mitigated"][1] < stated["detected"][1]:
        record.drop("mitigated", written(stated.pop("mitigated")[1]), "before detection")
    for name, (statement, moment) in stated.items():
        fields[name] = written(moment)
        record.mapped.append(f"{name}: start + “{statement}”")
    record.unknown += [name for name in ("detected", "mitigated", "resolved") if name not in fields]


def _body(sections, title_level: int, policy: Policy) -> tuple[str, list[str], set[str]]:
    """The body without the title heading (`title_level` 0: the title is no heading of it); headings that mean a
    configured section renamed to it."""
    renamed, present, lines, title_seen = [], set(), [], not title_level
    for level, heading, content in sections:
        if level == 0:
            lines += content
            continue
        if not title_seen:
            title_seen = True
            lines += content
            continue
        target = section_for(heading, policy)
        if target and target.casefold() not in present and level <= max(title_level, 1) + 1:
            present.add(target.casefold())
            if heading != target:
                renamed.append(f"“{heading}” -> {target}")
            heading = target
        lines += [f"{'#' * max(level, 2)} {heading}", *content]
    return "\n".join(lines).strip("\n"), renamed, present


def section_for(heading: str, policy: Policy) -> str | None:
    """The configured section `heading` means: its name or one of the team's `section_aliases` (as `check` reads
    them), else a heading other templates give it (`ALIASES`); None for any other heading."""
    key = canonical(heading)
    for name in policy.required_sections:
        if key == canonical(name) or key in {canonical(alias) for alias in policy.section_aliases.get(name, ())}:
            return name
    return next((name for name in policy.required_sections if key in ALIASES.get(name.casefold(), ())), None)


def _action_items(record: Record, sections) -> None:
    """Action items from the sections about them (and their subsections): table rows and list items."""
    items, inside = [], None
    for level, heading, content in sections:
        key = canonical(heading)
        if inside is not None and level > inside:
            done_here = bool(_DONE.search(heading))
        elif key in ACTION_HEADINGS:
            inside, done_here = level, bool(_DONE.search(heading))
        else:
            inside = None
            continue
        items += _items_in(content, done_here)
    if not items:
        record.unknown.append("action_items")
        return
    record.fields["action_items"] = items
    record.mapped.append(f"{len(items)} action items from tables and lists")
    for name in ("owner", "priority", "due", "status", "closed", "done_when"):
        needed = [item for item in items if name not in item and (name != "closed" or item.get("status") == "done")]
        if needed:
            record.unknown.append(f"action_items.{name}")


def _items_in(lines: list[str], done_here: bool) -> list[dict]:
    """The action items of a section's lines, in their order: its tables' rows and its lists' items, whole."""
    found: list[tuple[int, dict]] = []
    header = None
    for number, line in enumerate(lines):
        cells = table_cells(line)
        if cells is None:
            header = None if not line.strip() or not line.lstrip().startswith("|") else header
            continue
        if header is None:
            header = [canonical(cell) for cell in cells]
            continue
        row = dict(zip(header, cells, strict=False))
        title = next(
            (row[k] for k in ("action", "action item", "item", "task", "description", "what", "title") if row.get(k)),
            "",
        )
        if title:
            found.append((number, _item(title, row, done_here)))
    for item in list_items(lines):
        text = item.text()
        if text.strip("- ").strip():
            found.append((item.line, _item(text, {"status": "done" if item.checked else ""}, done_here)))
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def _item(title: str, row: dict, done_here: bool) -> dict:
    item = {"title": _plain(title)}
    owner = _plain(row.get("owner") or row.get("assignee") or row.get("who") or "")
    if owner and owner.casefold() not in ("tbd", "-", "n/a", "?"):
        item["owner"] = owner
    status = row.get("status", "")
    if done_here or _DONE.search(status):
        item["status"] = "done"
    elif re.search(r"\b(open|todo|to do|planned|not started)\b", status, re.IGNORECASE):
        item["status"] = "open"
    elif re.search(r"\b(in progress|in-progress|ongoing|started)\b", status, re.IGNORECASE):
        item["status"] = "in-progress"
    due = re.fullmatch(r"\s*(\d{4}-\d{2}-\d{2})\s*", row.get("due") or row.get("due date") or "")
    if due:
        with contextlib.suppress(ValueError):
            item["due"] = date.fromisoformat(due.group(1)).isoformat()
    return item


def _plain(text: str) -> str:
    """Markdown inline markup as text: links become their words, emphasis and code marks go."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]+", "", text).strip()

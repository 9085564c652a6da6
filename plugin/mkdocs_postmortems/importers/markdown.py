"""Postmortems written as plain Markdown, without front matter: structure from the headings.

The title is the first heading. Sections are matched by heading, with aliases (`Contributing Factors` is the
root cause analysis, `Timeline (UTC)` the timeline) and renamed to the configured section names. The start is the
first timeline entry's time, or a date from the text or the file name (`2025-09-29-flags-is-down.md`,
`PM2021-004 - ADFS outage.md` gives the year). Action items come from the action-item sections' tables and lists.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta, timezone
from functools import partial
from pathlib import Path

from ..parsing.formats import MARKDOWN
from ..policy import Policy
from .records import FileReport, Record, attempt, utc_text
from .sources import SourceProblem, decode, parse_time, read_bytes, without_relative_links

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
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        1,
    )
    for name in names
}
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2}))?(?!\d)")
_MONTH_NAME = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_WRITTEN_DATE = re.compile(
    rf"\b(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_NAME}(?:,?\s+(\d{{4}}))?"
    rf"|{_MONTH_NAME}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?)\b",
    re.IGNORECASE,
)
_FILE_YEAR = re.compile(r"^(?:PM|PIR|INC|IR)[-_ ]?(\d{4})", re.IGNORECASE)
_CLOCK = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::\d{2})?\s*([AP]\.?M\.?)?\s*(UTC|Z|GMT)?(?![\d:])", re.IGNORECASE)
_UTC = re.compile(r"\b(UTC|GMT)\b|\d(Z)\b")
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+(?:\[([ xX])\]\s+)?(.*\S)\s*$")
_STATS = re.compile(
    r"time to (detection|detect|recovery|recover|resolution|resolve|mitigation|mitigate)"
    r"\s*[:\-–]\s*(\d+)\s*(minutes?|mins?|hours?|hrs?|h)\b",
    re.IGNORECASE,
)
_DONE = re.compile(r"\b(done|completed?|closed|finished|fixed|resolved)\b", re.IGNORECASE)


def markdown_files(sources: Iterable[Path]) -> Iterator[Path]:
    """Each file given, and every file below each folder given (a file without `.md` is tried too)."""
    for source in sources:
        if source.is_dir():
            yield from sorted(
                p
                for p in source.rglob("*")
                if p.is_file() and not p.name.startswith(".") and p.suffix in (".md", ".markdown", "")
            )
        else:
            yield source


def read(sources: Iterable[Path], policy: Policy, today: date) -> Iterator[Record | FileReport]:
    """A record per postmortem of the sources, and a report for each file that is none."""
    for path in markdown_files(sources):
        # attempt() calls it at once, the read included, so a bad file is reported
        yield attempt(path.as_posix(), partial(_read_document, path, policy, today))


def _read_document(path: Path, policy: Policy, today: date) -> Record:
    return document_record(path, decode(read_bytes(path, MAX_BYTES)), policy, today)


def sections_of(text: str) -> list[tuple[int, str, list[str]]]:
    """(level, heading, lines) of each heading of `text` (level 0 for the text before the first), code skipped."""
    sections: list[tuple[int, str, list[str]]] = [(0, "", [])]
    fence = None
    for line in text.split("\n"):
        marker = _FENCE.match(line)
        if marker:
            fence = None if fence == marker.group(1) else fence or marker.group(1)
        heading = _HEADING.match(line) if fence is None and not marker else None
        if heading:
            sections.append((len(heading.group(1)), heading.group(2).strip(), []))
        else:
            sections[-1][2].append(line)
    return sections


def canonical(heading: str) -> str:
    """A heading casefolded, without a trailing `(...)` note, markup or numbering (`2. Root Cause (why)`)."""
    text = re.sub(r"[*_`]", "", heading).casefold().strip()
    text = re.sub(r"^\d+(\.\d+)*[.)]?\s+", "", text)
    return re.sub(r"\s*\(.*\)\s*$", "", text).strip()


def document_record(path: Path, text: str, policy: Policy, today: date) -> Record:
    """One Markdown postmortem as a record; raises `SourceProblem` when it cannot be one."""
    if text.startswith("---\n"):
        raise SourceProblem("it has front matter already: check it with `postmortems check` instead")
    sections = sections_of(text)
    titled = [s for s in sections if s[0] > 0]
    if not titled:
        raise SourceProblem("no heading: the first heading is the title")
    title_level, title, _ = titled[0]
    title = re.sub(r"[*_`]", "", title).strip()
    if title.casefold() in ("incident title", "title", "postmortem template") or "template" in path.name.casefold():
        raise SourceProblem("it is a template, not a postmortem")
    file_year = _FILE_YEAR.match(path.name)
    timeline = [s for s in sections if canonical(s[1]) in ALIASES["timeline"]]
    entries = timeline_entries(timeline[0][2]) if timeline else []
    # a time of day is used only where the text says it is UTC: any other zone would be a guess
    utc = bool(timeline) and bool(_UTC.search(timeline[0][1] + "\n".join(timeline[0][2])))
    started, detail = start_of(path, title, text, entries, int(file_year.group(1)) if file_year else None, today, utc)
    record = Record(
        FORMAT.importer,
        path.as_posix(),
        path.stem,
        title,
        started.date(),
        {},
        "",
        unknown=list(ALWAYS_UNKNOWN),
        mapped=["title from the first heading", detail],
    )
    record.fields.update({"title": title, "status": "published"})
    record.fields["started"] = utc_text(started) if "time" in detail else started.date().isoformat()
    _stats(record, text, started, "time" in detail)
    body, renamed, present = _body(sections, title_level, policy)
    record.body, unlinked = without_relative_links(body)
    record.needs += unlinked
    if renamed:
        record.mapped.append("sections: " + "; ".join(renamed))
    missing = [name for name in policy.required_sections if name.casefold() not in present]
    if missing:
        record.unknown.append("sections")
        record.mapped.append(f"not in the source: {', '.join(missing)} sections")
    impact = [s for s in sections if canonical(s[1]) in ALIASES["impact"]]
    summary = first_paragraph(impact[0][2]) if impact else ""
    if summary:
        record.fields["impact"] = {"summary": summary}
        record.mapped.append("impact summary from the Impact section's first paragraph")
    else:
        record.unknown.append("impact.summary")
    _action_items(record, sections)
    return record


def start_of(
    path: Path,
    title: str,
    text: str,
    entries: list[tuple[str, str]],
    file_year: int | None,
    today: date,
    utc: bool = True,
) -> tuple[datetime, str]:
    """The start, and where it came from: the first timeline entry with a date and time; else a date written in
    the title, the text or the file name, with the first entry's time of day when it has one. A time of day only
    when `utc` (the timeline says its times are UTC)."""
    for when, _ in entries[:1]:
        parsed = _iso_in(when, today)
        if parsed and parsed[1] and utc:
            return parsed[0], "started: the first timeline entry's date and time"
    day, where = None, ""
    for source, label in ((title, "the title"), (path.stem, "the file name"), (text, "the text")):
        day = _date_in(source, file_year, today)
        if day:
            where = label
            break
    if day is None:
        raise SourceProblem("no date in the timeline, the title, the text or the file name")
    clock = _CLOCK.search(entries[0][0]) if entries and utc else None
    hour = (
        int(clock.group(1)) % 12 + (12 if (clock.group(3) or "").upper().startswith("P") else 0)
        if clock and clock.group(3)
        else int(clock.group(1))
        if clock
        else 99
    )
    if clock and hour < 24 and int(clock.group(2)) < 60:
        moment = datetime(day.year, day.month, day.day, hour, int(clock.group(2)), tzinfo=timezone.utc)
        return moment, f"started: the date in {where} and the first timeline entry's time"
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc), f"started: the date in {where} (day only)"


def _iso_in(text: str, today: date):
    match = _ISO_DATE.search(text)
    if not match:
        return None
    try:
        return parse_time(match.group(0).replace("T", " "), today)
    except SourceProblem:
        return None


def _date_in(text: str, file_year: int | None, today: date) -> date | None:
    """The first real date in `text`: ISO, or written out (`September 29, 2025`, `31st March` with the file's year)."""
    parsed = _iso_in(text, today)
    if parsed:
        return parsed[0].date()
    for match in _WRITTEN_DATE.finditer(text):
        day, month, year = (
            (match.group(1), match.group(2), match.group(3))
            if match.group(1)
            else (match.group(5), match.group(4), match.group(6))
        )
        year = int(year) if year else file_year
        if year is None:
            continue
        try:
            found = date(year, MONTHS[month.casefold()], int(day))
        except (ValueError, KeyError):
            continue
        if 1990 <= found.year <= today.year + 1:
            return found
    return None


def timeline_entries(lines: list[str]) -> list[tuple[str, str]]:
    """(when, what) of each timeline row: table rows whose first cell has a time, and list items that start with
    one (`- **16:58 UTC** - ...`, `- 2021-03-31 12:06 ...`)."""
    entries = []
    for line in lines:
        cells = _cells(line)
        if cells and len(cells) >= 2 and (_CLOCK.search(cells[0]) or _ISO_DATE.search(cells[0])):
            entries.append((cells[0], " ".join(cells[1:])))
            continue
        item = _LIST_ITEM.match(line)
        if item:
            text = re.sub(r"[*_`]", "", item.group(2))
            clock = _CLOCK.match(text) or re.match(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}", text)
            if clock:
                entries.append((text[: clock.end()], text[clock.end() :].lstrip(" -–:")))
    return entries


def _cells(line: str) -> list[str] | None:
    line = line.strip()
    if not line.startswith("|") or re.fullmatch(r"[|\s:-]+", line):
        return None
    return [cell.strip() for cell in line.strip("|").split("|")]


def _stats(record: Record, text: str, started: datetime, exact: bool) -> None:
    """`detected` and `mitigated` from "Time to detection: 5 minutes" and "Time to recovery: 84 minutes"; the
    report names each statement imported, and says why one was not."""
    stated: dict[str, str] = {}  # the time -> the statement it came from
    for match in _STATS.finditer(text):
        name = "detected" if match.group(1).lower().startswith("detect") else "mitigated"
        if not exact or name in record.fields:
            continue
        amount = int(match.group(2))
        if amount > 100_000:
            record.drop(name, match.group(0), "not a plausible duration")
            continue
        span = timedelta(hours=amount) if match.group(3).lower().startswith("h") else timedelta(minutes=amount)
        record.fields[name] = utc_text(started + span)
        stated[name] = match.group(0)
    if "mitigated" in record.fields and "detected" not in record.fields:  # mitigated would come before detection
        record.fields.pop("mitigated")
        record.needs.append(
            f"“{stated.pop('mitigated')}” not imported: `mitigated` needs `detected` before it; "
            "add both once you know them"
        )
    if "mitigated" in record.fields and record.fields["mitigated"] < record.fields["detected"]:
        record.drop("mitigated", record.fields.pop("mitigated"), "before detection")
        stated.pop("mitigated")
    record.mapped += [f"{name}: start + “{statement}”" for name, statement in stated.items()]
    record.unknown += [name for name in ("detected", "mitigated", "resolved") if name not in record.fields]


def _body(sections, title_level: int, policy: Policy) -> tuple[str, list[str], set[str]]:
    """The body without the title heading; headings that mean a configured section renamed to it."""
    renamed, present, lines, title_seen = [], set(), [], False
    for level, heading, content in sections:
        if level == 0:
            lines += content
            continue
        if not title_seen:
            title_seen = True
            lines += content
            continue
        target = section_for(heading, policy)
        if target and target.casefold() not in present and level <= title_level + 1:
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


def first_paragraph(lines: list[str]) -> str:
    """The first paragraph or list of a section, as one line of text (markup kept), at most 500 characters."""
    paragraph: list[str] = []
    for line in lines:
        if not line.strip():
            if paragraph:
                break
            continue
        if line.lstrip().startswith(("<img", "|", "```", "![")):
            continue
        paragraph.append(re.sub(r"^\s*[-*+]\s+", "", line.strip()))
    text = " ".join(paragraph)
    return text if len(text) <= 500 else text[:497].rsplit(" ", 1)[0] + "…"


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
    items, header = [], None
    for line in lines:
        cells = _cells(line)
        if cells is not None:
            if header is None:
                header = [canonical(cell) for cell in cells]
                continue
            row = dict(zip(header, cells, strict=False))
            title = next(
                (
                    row[k]
                    for k in ("action", "action item", "item", "task", "description", "what", "title")
                    if row.get(k)
                ),
                "",
            )
            if title:
                items.append(_item(title, row, done_here))
            continue
        header = None if not line.strip() else header
        item = _LIST_ITEM.match(line)
        if item and item.group(2).strip("- ").strip() and not line.startswith((" " * 4, "\t")):
            items.append(_item(item.group(2), {"status": "done" if (item.group(1) or "").strip() else ""}, done_here))
    return items


def _item(title: str, row: dict, done_here: bool) -> dict:
    item = {"title": _plain(title)[:300]}
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

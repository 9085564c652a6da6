"""What every importer shares: the `Record` it proposes, the checks it must pass as written, writing it
idempotently (never over a person's edits), and the per-file report."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import yaml

from ..catalog import catalog_name, fold, is_catch_all
from ..checks.families import Context, check_knowledge_base, check_postmortem
from ..dates import iso_z
from ..diagnostics import Level
from ..kb_site.urls import slugify
from ..knowledge import discover, postmortem_from_source
from ..model import public_fingerprint
from ..parsing.frontmatter import source_from_bytes
from ..policy import IMPORTED, Policy
from .sources import SourceProblem, front_matter, read_bytes

_HASH_LINE = re.compile(r"^  content_hash: .*\n", re.MULTILINE)
_SUPPRESS = " <!-- blameless-ok: imported wording, to review -->"
_SUPPRESS_YAML = "# blameless-ok: imported wording, to review"
# A front-matter line that holds a value a comment line may precede: `key: value`, `- key: value` or `- value`; and
# the line that opens a block of text (`key: |`, `- key: >-`, `- |`), where the comment goes for the block.
_VALUE_LINE = re.compile(r"^ *(?:- )?[a-z_]+: (?![|>])|^ *- (?![|>]|[a-z_]+:(?: |$))\S")
_BLOCK_START = re.compile(r"^ *(?:- )?(?:[a-z_]+: )?[|>][-+0-9]*$")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR, _MM, _DD = r"(?:19|20)\d\d", r"(?:0?[1-9]|1[0-2])", r"(?:0?[1-9]|[12]\d|3[01])"
_ORDINAL = rf"{_DD}(?:st|nd|rd|th)?"
# A date a title starts with, in the forms people write one: 2017-09-27 (with a time), 2017/09/27, 20170927,
# 27.09.2017, 09/27/2017, 27 September 2017, Wednesday, September 27th, 2017, Sep 27 2017; and what separates it
# from the rest (`: `, ` - `, `, `).
_LEADING_DATE = re.compile(
    rf"^\W*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:{_YEAR}[-/.]{_MM}[-/.]{_DD}(?:[t ]\d\d:\d\d(?::\d\d)?(?:\s*(?:z|utc|[+-]\d\d:?\d\d))?)?"
    rf"|{_YEAR}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    rf"|{_DD}[-/.]{_DD}[-/.](?:{_YEAR}|\d\d)"
    rf"|{_ORDINAL}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"
    rf"|{_MONTH}\s+{_ORDINAL},?\s+{_YEAR})"
    r"(?!\w)[\W_]*",
    re.IGNORECASE,
)


# What a public status-page entry never says: a person fills it in, or it stays unknown.
STATUS_PAGE_UNKNOWN = (
    "severity",
    "authors",
    "reviewers",
    "detected",
    "mitigated",
    "published_on",
    "impact.summary",
    "impact.customers_affected",
    "impact.requests_failed",
    "root_causes",
    "action_items",
    "communications",
    "sections",
)


@dataclass
class Record:
    """A record an importer proposes: its front matter (YAML-ready values, in order) and body, with what the
    source lacked (`unknown`), what it got wrong (`wrong`), what was mapped, and what a person must look at."""

    format: str
    source: str
    original_id: str
    title: str
    day: date
    fields: dict
    body: str
    unknown: list[str] = field(default_factory=list)
    wrong: list[dict] = field(default_factory=list)
    mapped: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    already_public: bool = False
    marked_lines: set[int] = field(default_factory=set)  # front-matter lines to mark `blameless-ok` for review

    def drop(self, key: str, value: object, reason: str) -> None:
        """Leave a wrong value out of the record; keep it in the provenance and tell a person."""
        self.wrong.append({"field": key, "value": str(value), "reason": reason})
        self.needs.append(f"left out `{key}` {value}: {reason}")


@dataclass
class FileReport:
    """What happened to one source file: `action` is written, updated, unchanged, kept (edited since import),
    skipped (an error), or `would ...` in a dry run."""

    source: str
    action: str
    target: str = ""
    original_id: str = ""
    mapped: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def attempt(where: str, build: Callable[[], Record]) -> Record | FileReport:
    """`build()`'s record, or a report of why it could not be built: never a traceback for one bad source."""
    try:
        return build()
    except SourceProblem as problem:
        return FileReport(where, "skipped", needs=[str(problem)])
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError) as error:
        return FileReport(
            where, "skipped", needs=[f"could not read it ({type(error).__name__}: {error}); please report this file"]
        )


def utc_text(moment: datetime) -> str:
    return iso_z(moment.astimezone(timezone.utc))


def catalog_snippet(services: Iterable[tuple[str, str, str]]) -> str:
    """`services:` entries for mkdocs.yml, from (name, description, public component) triples."""
    entries = [
        {"name": name, **({"description": text} if text else {}), "component": component, "public": True}
        for name, text, component in services
    ]
    if not entries:
        return ""
    return yaml.safe_dump({"services": entries}, sort_keys=False, allow_unicode=True, width=100)


def service_for(component: str, policy: Policy) -> str:
    """The catalog service whose public component is `component` (however it is spelt: `catalog.fold`), else a
    service name made from it."""
    folded = fold(component)
    for service in policy.services:
        if fold(service.component or "") == folded or fold(service.name) == folded:
            return service.name
    return slugify(component, max_words=8)


def components_named(names: Iterable[str], policy: Policy, record: Record) -> tuple[list[str], list[str]]:
    """The public components and the services behind the components a status-page entry names: each in the catalog's
    own spelling (`workers` is the catalog's `Workers`), and a catch-all (`All systems`) as every component of the
    catalog, each said in the record's report."""
    components: list[str] = []
    for name in names:
        if is_catch_all(name) and policy.components:
            components += policy.components
            record.mapped.append(f"`{name}` -> every component of the catalog: {', '.join(policy.components)}")
            continue
        spelt = catalog_name(name, policy.components) or name
        if spelt != name:
            record.mapped.append(f"`{name}` -> the catalog's `{spelt}`")
        components.append(spelt)
    components = list(dict.fromkeys(components))
    return components, list(dict.fromkeys(service_for(name, policy) for name in components))


# --------------------------------------------------------------------------------------------------
# Rendering, self-check and writing


class _Dumper(yaml.SafeDumper):
    """Multi-line text as `|` blocks, as a person would write it."""


def _text_block(dumper: yaml.SafeDumper, text: str):
    style = "|" if "\n" in text and not any(line != line.rstrip() for line in text.split("\n")) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _text_block)


def render(record: Record, imported_on: date) -> str:
    """The file's text, its provenance last, with the hash of everything but the hash line."""
    provenance: dict[str, object] = {
        "format": record.format,
        "source": record.source,
        "original_id": record.original_id,
        "imported_on": imported_on.isoformat(),
    }
    if record.already_public:
        provenance["already_public"] = True
    provenance["content_hash"] = ""
    if record.already_public and "public" in record.fields:
        provenance["public_hash"] = ""  # what it shows as imported: it stays public while that holds
    if record.unknown:
        provenance["unknown"] = list(dict.fromkeys(record.unknown))
    if record.wrong:
        provenance["wrong"] = record.wrong
    values = _with_status(record.fields)
    values["provenance"] = provenance
    dumped = yaml.dump(values, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000)
    lines = ("---\n" + dumped).split("\n")
    for number in sorted(record.marked_lines, reverse=True):  # a comment line of its own, before the value
        line = lines[number - 1]
        lines.insert(number - 1, " " * (len(line) - len(line.lstrip(" -"))) + _SUPPRESS_YAML)
    text = "\n".join(lines) + "---\n\n" + record.body.strip("\n") + "\n"
    if "  public_hash: ''\n" in text:
        text = text.replace("  public_hash: ''\n", f"  public_hash: {_public_hash(text, record)}\n", 1)
    return text.replace("  content_hash: ''\n", f"  content_hash: sha256:{content_hash(_without_hash(text))}\n", 1)


def _public_hash(text: str, record: Record) -> str:
    """`model.public_fingerprint` of the record `text` holds, read as `check` reads it: with the permissive default
    policy, which keeps every value the fingerprint covers as written."""
    name = f"{record.day.isoformat()}-x.md"
    pm, _ = postmortem_from_source(source_from_bytes(text.encode("utf-8"), name), Path(name).stem, name, Policy())
    return public_fingerprint(pm) if pm is not None else ""


def _with_status(fields: dict) -> dict:
    """`fields` in their order, their `status` `imported` whatever the importer set: an imported record is history
    that nobody reviewed here (`policy.IMPORTED`), and says so, whatever its state was in the tool it came from."""
    if "status" in fields:
        return {**fields, "status": IMPORTED}
    items = list(fields.items())
    at = next((index + 1 for key in ("kind", "title") for index, item in enumerate(items) if item[0] == key), 0)
    return dict([*items[:at], ("status", IMPORTED), *items[at:]])


def _without_hash(text: str) -> str:
    return _HASH_LINE.sub("", text, count=1)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def edited_since_import(text: str) -> bool:
    """Whether a person changed the file after the import wrote it: its hash no longer matches."""
    found = re.search(r"^  content_hash: sha256:([0-9a-f]+)$", text, re.MULTILINE)
    return found is None or found.group(1) != content_hash(_without_hash(text))


def problems_as_written(text: str, name: str, policy: Policy, today: date) -> list:
    """Every error and warning `postmortems check` would report on this one file, as the importer wrote it."""
    pm, found = postmortem_from_source(source_from_bytes(text.encode("utf-8"), name), Path(name).stem, name, policy)
    if pm is None:
        return found
    ctx = Context(policy, today)
    found = found + check_postmortem(pm, ctx) + check_knowledge_base([pm], ctx)
    return [d for d in found if policy.level_of(d.code, d.level) in (Level.ERROR, Level.WARNING)]


def settle(record: Record, policy: Policy, imported_on: date, today: date) -> tuple[str, list]:
    """The text to write and the problems it would still have. Text that was public already stays as it was, and
    what the leak gate finds in it is reported (`already-public-leak`); leaks in other public text move the text into
    the body for a person to rephrase; blaming wording is marked for review; anything else stays a problem."""
    name = f"{record.day.isoformat()}-x.md"
    text = render(record, imported_on)
    problems = problems_as_written(text, name, policy, today)
    record.needs += [
        f"public already, so kept as it was, but the leak gate finds: {d.message.split('; it was public')[0]}"
        for d in problems
        if d.code == "already-public-leak"
    ][:5]
    leaks = [d for d in problems if d.code == "public-leak"]
    if leaks and "public" in record.fields:
        public = record.fields.pop("public")
        record.needs += [f"the leak gate flags the public text: {d.message}" for d in leaks[:3]]
        record.needs.append(
            "the public block was left out; its text is in the body under “Public text, as "
            "posted”: rephrase it and add a `public` block"
        )
        record.body += "\n\n## Public text, as posted\n\n" + public.get("summary", "")
        text = render(record, imported_on)
        problems = problems_as_written(text, name, policy, today)
    blame = [d for d in problems if d.code == "blame-language"]
    body_start = text.count("\n", 0, text.index("\n---\n") + 5) + 1
    lines = text.split("\n")
    marks = {d.line: _marked_line(lines, d.line) for d in blame if d.line < body_start}
    if blame and None not in marks.values():
        body_lines = record.body.strip("\n").split("\n")
        first_body_line = body_start + 1  # a blank line follows the closing `---`
        record.marked_lines.update(line for line in marks.values() if line is not None)
        for line in sorted({d.line for d in blame if d.line > body_start}, reverse=True):
            index = line - first_body_line
            if 0 <= index < len(body_lines) and _SUPPRESS not in body_lines[index]:
                body_lines[index] += _SUPPRESS
        record.needs += [f"wording to review (marked blameless-ok): {d.message}" for d in blame[:5]]
        record.body = "\n".join(body_lines)
        text = render(record, imported_on)
        problems = problems_as_written(text, name, policy, today)
    return text, [d for d in problems if d.code != "already-public-leak"]


def _marked_line(lines: list[str], number: int) -> int | None:
    """The front-matter line before which a `blameless-ok` comment allows the wording on line `number`: that line
    when a value is written on it (`key: value`, `- value`), else the line that opens the block of text holding it
    (`summary: |`); None when neither."""
    line = lines[number - 1]
    if _VALUE_LINE.match(line) or _BLOCK_START.match(line):
        return number
    indent = len(line) - len(line.lstrip(" "))
    for above in range(number - 1, 0, -1):
        text = lines[above - 1]
        if text.strip() and len(text) - len(text.lstrip(" ")) < indent:
            return above if _BLOCK_START.match(text) else None
    return None


def existing_records(folder: Path) -> dict[tuple[str, str], Path]:
    """(format, original ID) -> file, for every imported record already in `folder`."""
    found: dict[tuple[str, str], Path] = {}
    for path in discover(folder):
        if path.suffix != ".md":
            continue
        try:
            values, _ = front_matter(read_bytes(path, 1_000_000), path.name)
        except SourceProblem:
            continue
        provenance = values.get("provenance")
        if isinstance(provenance, dict) and isinstance(provenance.get("original_id"), str):
            found.setdefault((str(provenance.get("format")), provenance["original_id"]), path)
    return found


def target_for(record: Record, folder: Path, existing: dict[tuple[str, str], Path], taken: set[Path]) -> Path:
    """The file for `record`: the one it was imported into before, else `<day>-<slug>.md`, with its original ID
    appended when another record has that name."""
    known = existing.get((record.format, record.original_id))
    if known is not None:
        return known
    stem = f"{record.day.isoformat()}-{title_slug(record.title, record.original_id)}"
    path = folder / f"{stem}.md"
    if path.exists() or path in taken:
        path = folder / f"{stem}-{slugify(record.original_id, max_words=12)}.md"
    return path


def words_after_date(text: str) -> str:
    """What follows a date `text` starts with (`2024-02-28-decide is down` -> `decide is down`): empty without such a
    date, or without a word after it."""
    found = _LEADING_DATE.match(text)
    rest = text[found.end() :] if found else ""
    return rest if re.search(r"[^\W_]", rest) else ""


def title_slug(title: str, original_id: str = "") -> str:
    """The slug of a record's file name, after its day: its title's, without a date the title starts with (the file
    name has the day already: `2017-09-27-2017-09-27-outage` says it twice); the original ID's when the title is a
    date alone."""
    for text, words in ((title, 6), (original_id, 12)):
        rest = _LEADING_DATE.sub("", text, count=1)
        if re.search(r"[^\W_]", rest):
            return slugify(rest, max_words=words)
    return slugify("")


def write_records(
    records: Iterable[Record | FileReport],
    folder: Path,
    policy: Policy,
    imported_on: date,
    today: date,
    dry_run: bool = False,
    force: bool = False,
) -> Iterator[FileReport]:
    """Write each record into `folder` (or say what would happen), one report each; a `FileReport` given among
    the records (a source that failed) is passed through."""
    existing = existing_records(folder)
    taken: set[Path] = set()
    done: dict[tuple[str, str], str] = {}
    for record in records:
        if isinstance(record, FileReport):
            yield record
            continue
        report = FileReport(
            record.source,
            "",
            original_id=record.original_id,
            mapped=record.mapped,
            unknown=list(dict.fromkeys(record.unknown)),
            needs=record.needs,
        )
        key = (record.format, record.original_id)
        if key in done:
            report.action, report.target = "skipped", done[key]
            report.needs = [f"the same record ({record.original_id}) is also in {done[key]}; imported once"]
            yield report
            continue
        path = target_for(record, folder, existing, taken)
        taken.add(path)
        report.target = path.as_posix()
        done[key] = report.target
        text, problems = settle(record, policy, imported_on, today)
        if problems:
            report.action = "skipped"
            report.needs = record.needs + [f"`check` would report: [{d.code}] {d.message}" for d in problems[:10]]
            yield report
            continue
        report.action = _write(path, text, record, dry_run, force)
        yield report


def _write(path: Path, text: str, record: Record, dry_run: bool, force: bool) -> str:
    """Write `text` unless the file holds it already or a person edited it since the import (without `force`)."""
    verb = "would " if dry_run else ""
    if path.is_symlink():  # writing would follow it, perhaps out of the folder
        record.needs.append("the file there is a link: replace it with the postmortem itself, then import again")
        return f"{verb}keep (a link)" if dry_run else "kept (a link)"
    if not path.exists():
        action = "written"
    else:
        old = path.read_text(encoding="utf-8", errors="replace")
        imported_on = re.search(r"^  imported_on: '?(\d{4}-\d{2}-\d{2})'?$", old, re.MULTILINE)
        if imported_on and render(record, date.fromisoformat(imported_on.group(1))) == old:
            return f"{verb}leave unchanged" if dry_run else "unchanged"
        if edited_since_import(old) and not force:
            record.needs.append("edited since it was imported: kept as it is (`--force` overwrites it)")
            return f"{verb}keep (edited)" if dry_run else "kept (edited)"
        action = "updated"
    if dry_run:
        return f"would be {action}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return action


def report_text(reports: list[FileReport]) -> str:
    """The report for people: one block per file, then the totals."""
    lines = []
    for report in reports:
        target = f" -> {report.target}" if report.target else ""
        lines.append(f"{report.source}: {report.action}{target}")
        if report.mapped:
            lines.append(f"    mapped: {'; '.join(report.mapped)}")
        if report.unknown:
            lines.append(f"    unknown: {', '.join(report.unknown)}")
        lines += [f"    needs a person: {need}" for need in report.needs]
    counts: dict[str, int] = {}
    for report in reports:
        counts[report.action] = counts.get(report.action, 0) + 1
    lines.append(", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "nothing to import")
    return "\n".join(lines)

"""Reading a foreign source as every importer does: the files below the folders given (and what each is), its
bytes (bounded, regular files only), its text, its front matter as plain values (with a node budget against
aliases), its times, and its links into its own repository made plain text. A source that cannot be read raises
`SourceProblem`, which the file's report gives as the reason."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote

import yaml

from ..knowledge import discover
from ..parsing.frontmatter import NotRegularFile, read_bounded, source_from_bytes

MAX_SOURCE_BYTES = 5_000_000  # a JSON export may be larger than a postmortem; beyond this it is not an export
MAX_NODES = 20_000  # YAML nodes read from one foreign front matter: aliases can make a few bytes into millions
EARLIEST_YEAR = 1990


class SourceProblem(Exception):
    """A source that cannot be imported, with the reason the report gives."""


def source_root(sources: Iterable[Path]) -> Path:
    """The folder that holds every source given (a source folder's parent, so its own name is kept)."""
    parents = [str(path.absolute().parent) for path in sources]
    return Path(os.path.commonpath(parents)) if parents else Path.cwd()


def files_below(sources: Iterable[Path]) -> Iterator[Path]:
    """Each file given, and every file below each folder given, in path order: no dot-files, and no dot or linked
    folders (`.git`), as the knowledge base's own walk."""
    for source in sources:
        yield from discover(source) if source.is_dir() else (source,)


MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
KINDS = {
    "a PDF": (".pdf",),
    "an image": (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".tif", ".tiff", ".heic"),
    "a document": (".doc", ".docx", ".odt", ".rtf", ".pages", ".ppt", ".pptx", ".odp", ".key"),
    "a spreadsheet": (".xls", ".xlsx", ".ods", ".numbers", ".csv", ".tsv"),
    "a text file": (".txt", ".text", ".log", ".rst", ".adoc", ".org"),
    "a web page": (".html", ".htm"),
    "data": (".json", ".yml", ".yaml", ".xml", ".toml"),
    "an archive": (".zip", ".gz", ".tgz", ".tar", ".7z", ".bz2", ".xz"),
    "a recording": (".mp4", ".mov", ".webm", ".mp3", ".wav", ".m4a"),
}
_KIND_OF = {suffix: kind for kind, suffixes in KINDS.items() for suffix in suffixes}


def kind_of(path: Path) -> str | None:
    """What a file that is no Markdown is (`a PDF`, `an image`, `a .dat file`), or None for Markdown: a `.md` file
    or a name without a real extension (`PM2022-009 - Bad AMI`, `v1.2 upgrade`), which is tried as Markdown."""
    suffix = path.suffix.casefold()
    if suffix in MARKDOWN_SUFFIXES or not re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) or suffix[1:].isdigit():
        return None
    return _KIND_OF.get(suffix, f"a `{suffix}` file")


def beside(document: Path, links: Iterable[str], others: Iterable[Path]) -> list[Path]:
    """The files of `others` that belong with `document`: a relative link of its text leads to them, or they sit
    in a folder named for it (`db-outage/graph.png`, `db-outage.assets/`, `db-outage_files/`), or their name
    starts with its name (`db-outage.pdf`, `db-outage-timeline.png`), beside it."""
    folder, stem = document.parent.absolute(), document.stem
    linked = {os.path.normpath(folder / _unquoted(target)) for target in links}
    own = [folder / name for name in (stem, f"{stem}.assets", f"{stem}_files")]
    found = []
    for other in others:
        path = other.absolute()
        if (
            os.path.normpath(path) in linked
            or any(path.is_relative_to(place) for place in own)
            or (path.parent == folder and re.match(re.escape(stem) + r"(?:$|[\s._-])", path.stem))
        ):
            found.append(other)
    return found


def _unquoted(target: str) -> str:
    return unquote(target.split("#", 1)[0].split("?", 1)[0])


def read_bytes(path: Path, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """A source's bytes, refused before reading when too large."""
    try:
        raw = read_bounded(path, limit)  # a regular file only, and never more than the limit (stat may lie)
        if len(raw) > limit:
            raise SourceProblem(f"it is more than the {limit:,} bytes an import reads")
        return raw
    except NotRegularFile as refused:
        raise SourceProblem(f"it is {refused.kind}, not a file") from None
    except OSError as error:
        raise SourceProblem(f"cannot read it: {error.strerror or error}") from None


def decode(raw: bytes) -> str:
    if b"\0" in raw:
        raise SourceProblem("it is binary, not text")
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as error:
        raise SourceProblem(f"it is not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})") from None


def front_matter(raw: bytes, name: str) -> tuple[dict, str]:
    """A foreign Markdown file's front matter as plain Python values (strings, lists, dicts), and its body.
    The byte checks, the nesting limit and the YAML errors are the knowledge base's own."""
    source, problems = source_from_bytes(raw, name)
    if source is None:
        problem = problems[0]
        raise SourceProblem(f"line {problem.line}: {problem.message}")
    values = plain(source.front_matter)
    if not isinstance(values, dict):
        raise SourceProblem("its front matter is not a mapping of `key: value` lines")
    return values, source.body


def entries_as_written(raw: bytes, name: str) -> dict[str, str]:
    """The text of each top-level entry of a front matter as written (`draft: true`, a list with its items), by
    key; empty when it cannot be read."""
    source, _ = source_from_bytes(raw, name)
    if source is None or not isinstance(source.front_matter, yaml.MappingNode):
        return {}
    text = source.front_matter_text
    return {
        str(key.value): text[key.start_mark.index : value.end_mark.index].rstrip()
        for key, value in source.front_matter.value
        if isinstance(key, yaml.ScalarNode)
    }


def plain(node: yaml.Node, budget: list[int] | None = None, depth: int = 0):
    """Composed YAML as strings, lists and dicts, never expanding more than `MAX_NODES` nodes (aliases)."""
    budget = budget if budget is not None else [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0 or depth > 20:
        raise SourceProblem("its front matter is too large or nested to be a status-page entry")
    if isinstance(node, yaml.MappingNode):
        return {str(plain(k, budget, depth + 1)): plain(v, budget, depth + 1) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [plain(item, budget, depth + 1) for item in node.value]
    return None if node.tag.endswith(":null") else node.value


_TIME = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*"
    r"(Z|[+-]\d{2}:?\d{2}| ?UTC)?$",
    re.IGNORECASE,
)


def parse_time(text: object, today: date) -> tuple[datetime, bool, bool] | None:
    """(UTC time, whether a time of day was given, whether an offset was given) from ISO-like text, or None.
    Raises `SourceProblem` for a date that cannot be real (month 13, year 3000)."""
    if not isinstance(text, str):
        return None
    match = _TIME.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), tzinfo=timezone.utc
        )
    except ValueError:
        raise SourceProblem(f"`{text}` is not a real date") from None
    if not EARLIEST_YEAR <= moment.year <= today.year + 5:
        raise SourceProblem(f"`{text}` is not a plausible date")
    if offset and offset.strip().upper() not in ("Z", "UTC"):
        sign = 1 if offset[0] == "+" else -1
        hours, minutes = int(offset[1:3]), int(offset[-2:])
        if hours > 23 or minutes > 59:
            raise SourceProblem(f"`{text}` has an impossible UTC offset")
        moment -= sign * timedelta(hours=hours, minutes=minutes)
    return moment, hour is not None, offset is not None


_RELATIVE_LINK = re.compile(r"(!?)\[([^\]]*)\]\((?![a-z][a-z0-9+.-]*:|#|/)([^)\s]+)(?:\s+\"[^\"]*\")?\)", re.IGNORECASE)


_RELATIVE_DEFINITION = re.compile(
    r"^ {0,3}\[[^\]]+\]:\s*<?((?![a-z][a-z0-9+.-]*:|#|/)[^\s>]+)>?.*$\n?", re.IGNORECASE | re.MULTILINE
)


def relative_targets(text: str) -> list[str]:
    """The targets of `text`'s links and images into its own repository (`img/graph.png`, `../runbook.md`)."""
    return [m.group(3) for m in _RELATIVE_LINK.finditer(text)] + _RELATIVE_DEFINITION.findall(text)


def without_relative_links(body: str) -> tuple[str, list[str]]:
    """The body with links into the source's own repository made plain text (they lead nowhere in the knowledge
    base), and a note for each."""
    notes: list[str] = []

    def plain_text(match: re.Match) -> str:
        notes.append(f"relative {'image' if match.group(1) else 'link'} `{match.group(3)[:80]}` made plain text")
        return f"{match.group(2)} (not imported: {match.group(3)})" if match.group(1) else match.group(2)

    def no_definition(match: re.Match) -> str:
        notes.append(f"relative link definition `{match.group(1)[:80]}` removed")
        return ""

    return _RELATIVE_DEFINITION.sub(no_definition, _RELATIVE_LINK.sub(plain_text, body)), notes

"""What the rules across files need of a postmortem that is not parsed: its people, the year it started and the
postmortems it names as related.

`postmortems check --changed-since` parses only the files a pull request changed (and those naming them in
`related`); the blameless lint and the leak gate still match everyone the knowledge base names, and
`date-implausible` still compares a start with every other. A scan of the front matter's lines for `authors`,
`reviewers`, `owner`, `started` and `related` gives them at a fraction of a parse; values are read as the schema
reader reads them. A scan depends on the text alone, so `scan_cache.py` may keep it by the file's git blob.

A file a parse reads no postmortem from names nobody and started never, as in a full load: `scan_bytes` refuses
what `frontmatter.source_from_bytes` refuses (too large, UTF-16 or UTF-32, binary, not UTF-8), and `scan` a front
matter without its closing line. A front matter that is no valid YAML is still scanned: telling it would take the
parse the scan saves.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import yaml

from .frontmatter import MAX_FILE_BYTES, wide_encoding

_ITEM = re.compile(r"^[ \t]*-[ \t]+(.+)$")
_PLAIN = re.compile(r"^[^'\"\[\]{}#&*!|>%@`,]+$")  # a plain scalar that needs no YAML to read


_NULLS = ("~", "null", "Null", "NULL")


@dataclass(frozen=True)
class Scanned:
    people: tuple[str, ...]  # authors, reviewers, then owners, in the file's order as `people_of` lists them
    started_year: int | None
    # every ID a parse may find in `related`, and maybe more; None where the front matter says `related` in a way
    # the scan does not read (another form, a second key, the word elsewhere): then it may name any postmortem
    related: tuple[str, ...] | None = ()

    def may_name(self, ids: set[str]) -> bool:
        """Whether a parse of this file may find one of `ids` in its `related` entries."""
        return bool(ids) and (self.related is None or not ids.isdisjoint(self.related))


_NOTHING = Scanned((), None)


def _scalar(text: str) -> str | None:
    text = text.split(" #", 1)[0].strip()
    if not text or text in _NULLS:
        return None
    if _PLAIN.match(text):
        return text
    try:
        value = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    return None if value is None or isinstance(value, (list, dict)) else str(value).strip()


def _flow_list(text: str) -> list[str] | None:
    text = text.split(" #", 1)[0].strip()
    if not (text.startswith("[") and text.endswith("]")):
        return None
    inner = text[1:-1]
    if _PLAIN.match(inner.replace(",", "")) or not inner.strip():
        return [part.strip() for part in inner.split(",") if part.strip() and part.strip() not in _NULLS]
    try:
        value = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    return [str(item).strip() for item in value if item is not None and not isinstance(item, (list, dict))]


# a line of the front matter, which starts with a newline as `scan` pads it: a literal first character is found
# far faster than a line start
_FIELDS = re.compile(r"\n(?:(authors|reviewers|started|related):[ \t]*(.*)|[ \t]+(?:-[ \t]+)?owner:[ \t]*(.+))(?=\n)")
_END = re.compile(r"\n(?:---|\.\.\.)[ \t]*$", re.MULTILINE)  # from the newline before it, as `_FIELDS`
_BLOCK_ITEMS = re.compile(r"(?:\n[ \t]*-[ \t]+[^\n]*)+")


def scan_bytes(raw: bytes) -> Scanned:
    """`scan` of a file's bytes, or nothing where a parse would read no text from them."""
    if len(raw) > MAX_FILE_BYTES or b"\0" in raw or wide_encoding(raw):
        return _NOTHING
    try:
        text = raw.decode("utf-8")  # its byte-order mark, if any, for `scan` to take off as `utf-8-sig` does
    except UnicodeDecodeError:
        return _NOTHING
    return scan(text)


def scan(text: str) -> Scanned:
    """People, start year and related IDs of a postmortem's text, from its front matter's lines."""
    text = text[1:] if text.startswith("\ufeff") else text  # one byte-order mark, as `utf-8-sig` reads one
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.startswith("---\n"):
        return _NOTHING
    end = _END.search(text, 3)
    if end is None:  # no closing line: a parse reads no front matter, and no postmortem
        return _NOTHING
    front = f"\n{text[4 : end.start() + 1]}\n"
    named: dict[str, list[str]] = {"authors": [], "reviewers": [], "owner": [], "related": []}
    year, related_lines, related_read = None, 0, True
    for match in _FIELDS.finditer(front):
        key, rest, owner = match.groups()
        if owner is not None:
            value = _scalar(owner)
            if value:
                named["owner"].append(value)
        elif key == "started":
            year = _year(_scalar(rest) or "")
        else:
            values, read = _strings(rest, front, match.end())
            named[key] += values
            if key == "related":
                related_lines, related_read = related_lines + 1, related_read and read
    people = tuple(dict.fromkeys((*named["authors"], *named["reviewers"], *named["owner"])))
    # sure only where every mention of the word in the front matter is a `related:` line the scan read
    sure = related_read and related_lines == front.count("related")
    return Scanned(people, year, tuple(dict.fromkeys(named["related"])) if sure else None)


def _strings(rest: str, front: str, at: int) -> tuple[list[str], bool]:
    """The strings of a list field whose key line ends at `at` (`rest` follows the key): a flow list on that line,
    or a block list of one-line items below it. And whether they were read as a parse reads them: False for another
    form (a lone value, an anchor, a list over several lines, an item it cannot read)."""
    inline = rest.split(" #", 1)[0].strip()
    if inline:
        listed = _flow_list(inline)
        if listed is not None:
            return listed, True
        return [], inline in _NULLS  # a lone value is no list to a parse either
    block = _BLOCK_ITEMS.match(front, at)
    lines = block.group(0).split("\n")[1:] if block else []
    # `- ` and nothing more is an empty item: not read as a parse reads it (a null), so `read` is False
    items = [dash.group(1) if (dash := _ITEM.match(line)) else "" for line in lines]
    values = [_scalar(item) for item in items]
    after = front[block.end() if block else at :][:2]  # an indented line after the list: more than it read
    read = after not in ("\n ", "\n\t") and all(
        value is not None or item.split(" #", 1)[0].strip() in _NULLS for item, value in zip(items, values, strict=True)
    )
    return [value for value in values if value], read


def _year(text: str) -> int | None:
    """The year of `started` as the reader takes it: a date, or a timestamp with a UTC offset."""
    node = yaml.ScalarNode("tag:yaml.org,2002:str", text, yaml.Mark("", 0, 0, 0, None, 0))
    moment = _reader().read_moment(node, _started(), text, "started")
    return moment.year if moment else None


@functools.lru_cache(maxsize=1)
def _started():
    from .schema import POSTMORTEM

    return next(f for f in POSTMORTEM if f.name == "started")


def _reader():
    from .reader import Reader  # the reader's own rules, so the scan never disagrees with a parse

    return Reader("", _policy())


@functools.lru_cache(maxsize=1)
def _policy():
    from ..policy import Policy

    return Policy()

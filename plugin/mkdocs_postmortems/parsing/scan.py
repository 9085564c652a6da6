"""What the rules across files need of a postmortem that is not parsed: its people and the year it started.

`postmortems check --changed-since` parses only the files a pull request changed (and those naming them); the
blameless lint and the leak gate still match everyone the knowledge base names, and `date-implausible` still
compares a start with every other. A scan of the front matter's lines for `authors`, `reviewers`, `owner` and
`started` gives them at a fraction of a parse; values are read as the schema reader reads them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import yaml

_ITEM = re.compile(r"^[ \t]*-[ \t]+(.+)$")
_PLAIN = re.compile(r"^[^'\"\[\]{}#&*!|>%@`,]+$")  # a plain scalar that needs no YAML to read


_NULLS = ("~", "null", "Null", "NULL")


@dataclass(frozen=True)
class Scanned:
    people: tuple[str, ...]  # authors, reviewers, then owners, in the file's order as `people_of` lists them
    started_year: int | None


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
_FIELDS = re.compile(r"\n(?:(authors|reviewers|started):[ \t]*(.*)|[ \t]+(?:-[ \t]+)?owner:[ \t]*(.+))(?=\n)")
_END = re.compile(r"\n(?:---|\.\.\.)[ \t]*$", re.MULTILINE)  # from the newline before it, as `_FIELDS`
_BLOCK_ITEMS = re.compile(r"(?:\n[ \t]*-[ \t]+[^\n]*)+")


def scan(text: str) -> Scanned:
    """People and start year of a postmortem's text, from its front matter's lines."""
    text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.startswith("---\n"):
        return Scanned((), None)
    end = _END.search(text, 3)
    front = f"\n{text[4:end.start() + 1 if end else len(text)]}\n"
    named: dict[str, list[str]] = {"authors": [], "reviewers": [], "owner": []}
    year = None
    for match in _FIELDS.finditer(front):
        key, rest, owner = match.groups()
        if owner is not None:
            value = _scalar(owner)
            if value:
                named["owner"].append(value)
        elif key == "started":
            year = _year(_scalar(rest) or "")
        elif rest.strip() and not rest.lstrip().startswith("#"):
            named[key] += _flow_list(rest) or []
        else:  # a block list on the lines below
            block = _BLOCK_ITEMS.match(front, match.end())
            for item in block.group(0).split("\n")[1:] if block else ():
                value = _scalar(_ITEM.match(item).group(1))
                if value:
                    named[key].append(value)
    return Scanned(tuple(dict.fromkeys((*named["authors"], *named["reviewers"], *named["owner"]))), year)


def _year(text: str) -> int | None:
    """The year of `started` as the reader takes it: a date, or a timestamp with a UTC offset."""
    node = yaml.ScalarNode("tag:yaml.org,2002:str", text, yaml.Mark("", 0, 0, 0, None, None))
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

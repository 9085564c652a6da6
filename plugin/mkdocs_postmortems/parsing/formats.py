"""The foreign formats, each declared once: what a file of it looks like, what each of its keys means here, and
the importer that converts it (`postmortems import NAME`) with what it reads.

Teams arrive with cState incident files, Statuspage exports, blog-engine pages (Hugo, Jekyll, Astro) and other
catalogs with front matter of their own, and plain Markdown postmortems with headings but no front matter. A key of theirs is not a typo of ours ("`affected`: did
you mean `detected`?" sent people the wrong way), so each known foreign key carries what it means here, and
`close_match` suggests only near-identical spellings.

Everything that lists the formats derives from `FORMATS`: `check`'s hints here, and the importers' registry
(`importers.IMPORTERS`), whose module for each format (`importers/<importer>.py`) names its declaration as its
`FORMAT`; `postmortems import` takes its choices and help from that registry. The declarations live here, below
the importers, because `check` reads them and never loads an importer.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .markdown import body_headings


@dataclass(frozen=True, eq=False)
class Format:
    """A foreign format. `importer` is its importer's name: `postmortems import NAME`, the module
    `importers/NAME.py`, and the `provenance.format` of what it writes. `name` is what a file of the format is, as
    `check` says it; `reads` what the command's SOURCE may be, as its help says; `keys` the format's distinctive
    front-matter keys and what each means here (an empty meaning: a key of ours too, which never counts towards
    recognising the format; none for a format without front matter). A key's meaning names only what its
    importer does with it, so that `check`'s hint and the import agree."""

    importer: str
    name: str
    reads: str
    keys: Mapping[str, str]

    @property
    def command(self) -> str:
        return f"postmortems import {self.importer} SOURCE"


CSTATE = Format(
    "cstate",
    "a cState incident",
    "a cState site or its content/issues",
    MappingProxyType(
        {
            "affected": "the systems affected: `services` here",
            "resolvedWhen": "when it was resolved: `resolved` here",
            "informational": "an informational notice: not an incident",
            "section": "cState's page section (`issue`): no equivalent",
            "pin": "cState pins an issue to its page: no equivalent",
            "resolved": "",  # ours too, but cState's is `true`/`false`
            "date": "when it started: `started` here",
        }
    ),
)
STATUSPAGE = Format(
    "statuspage",
    "a Statuspage incident",
    "Statuspage API v2 JSON exports",
    MappingProxyType(
        {
            "created_at": "when it was opened: `started` here",
            "resolved_at": "when it was resolved: `resolved` here",
            "monitoring_at": "when a fix was monitored: `mitigated` here",
            "incident_updates": "the updates customers saw: `public.updates` here",
            "shortlink": "the incident's short URL: no equivalent",
            "page_id": "the Statuspage page: no equivalent",
            "impact_override": "the impact set by hand: `public.impact` here",
            "name": "the incident's name: `title` here",
        }
    ),
)
MARKDOWN = Format(  # Markdown with headings only (`looks_like_markdown_postmortem`): no front matter, no keys
    "markdown",
    "a Markdown postmortem with headings only",
    "postmortems without front matter",
    MappingProxyType({}),
)
FRONTMATTER = Format(  # a blog engine's page, or any catalog whose front matter has keys of its own
    "frontmatter",
    "a Hugo, Jekyll or Astro page",
    "Markdown with front matter of its own, `--map` naming its keys",
    MappingProxyType(
        {
            "date": "the page's date: `started` here",
            "draft": "whether the page is a draft: no equivalent, the import keeps it in the body",
            "layout": "the page's layout: no equivalent",
            "permalink": "the page's URL: no equivalent, the file name is the ID",
            "pubDate": "the publication date: `published_on` here",
            "slug": "the page's URL slug: no equivalent, the file name is the ID",
            "categories": "the page's categories: `tags` here",
            "lastmod": "when the page last changed: no equivalent",
            "weight": "the page's order: no equivalent",
            "aliases": "other URLs of the page: no equivalent",
            "author": "who wrote it: `authors` (a list) here",
            "description": "a summary: `impact.summary` here",
        }
    ),
)
FORMATS = (CSTATE, STATUSPAGE, MARKDOWN, FRONTMATTER)  # the order of the command's help, and of recognition's ties
# keys we share with a foreign format (an empty meaning): they do not count towards recognising it
_OURS = {key for candidate in FORMATS for key, meaning in candidate.keys.items() if not meaning}
_FOREIGN = {key for candidate in FORMATS for key in candidate.keys} - _OURS


def recognise(keys: Iterable[str]) -> Format | None:
    """The foreign format whose distinctive keys the front matter's top-level `keys` use most (at least two, or
    one that no other format has), or None."""
    keys = set(keys)
    if keys.isdisjoint(_FOREIGN):  # our own files: no key of any other format
        return None
    best, best_count = None, 0
    for candidate in FORMATS:
        used = (keys & set(candidate.keys)) - _OURS
        unique = used - {key for other in FORMATS if other is not candidate for key in other.keys}
        if (len(used) >= 2 or unique) and len(used) > best_count:
            best, best_count = candidate, len(used)
    return best


def foreign_meaning(key: str, keys: Iterable[str] = ()) -> str:
    """What a foreign top-level `key` means here, as a hint, preferring the format the other `keys` look like;
    empty for a key no foreign format has."""
    found = recognise(keys)
    for candidate in ((found,) if found else ()) + FORMATS:
        meaning = candidate.keys.get(key) if candidate else None
        if meaning:
            return f"{candidate.name}'s `{key}`: {meaning}; `{candidate.command}` converts the file"
    return ""


_HEADING_HINTS = re.compile(
    r"summary|impact|timeline|root cause|resolution|lessons|postmortem|post-mortem|incident", re.I
)


def looks_like_markdown_postmortem(text: str) -> list[str]:
    """The headings of a Markdown text without front matter that reads like a postmortem (two headings or more,
    one of them a postmortem's section), or an empty list."""
    headings = body_headings(text)
    return headings if len(headings) >= 2 and any(_HEADING_HINTS.search(h) for h in headings) else []


def _distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one place)."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if previous2 is not None and i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _normal(word: str) -> str:
    return re.sub(r"[\s_-]+", "_", word.strip().casefold())


def close_match(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate `word` is a misspelling of, or None: the same but for case, separators (`_`, `-`, spaces) or
    a plural `s`, or at most one edit away per four letters (`sevrity`, `servcies`). Never a word of another
    meaning that merely looks alike (`affected` is not `detected`, `date` is not `due`)."""
    word_normal = _normal(word)
    tied: list[str] = []
    best_distance = None
    for candidate in candidates:
        normal = _normal(candidate)
        if (
            normal == word_normal
            or normal.rstrip("s") == word_normal.rstrip("s")
            or normal.replace("_", "") == word_normal.replace("_", "")
        ):
            return candidate
        allowed = len(normal) // 4
        if not allowed or abs(len(normal) - len(word_normal)) > allowed:
            continue
        distance = _distance(word_normal, normal)
        if distance <= allowed and (best_distance is None or distance <= best_distance):
            tied = [candidate] if best_distance is None or distance < best_distance else [*tied, candidate]
            best_distance = distance
    # equally near (`SEV5`: `SEV1`..`SEV4`): the one difflib finds most alike, as before
    return difflib.get_close_matches(word, tied, n=1, cutoff=0)[0] if tied else None

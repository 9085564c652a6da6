"""Markdown with a YAML front matter of its own: a Hugo, Jekyll or Astro site's pages, or any catalog of
postmortems whose keys are not ours (`incident_date`, `sev`, `affected_services`...).

Each key of ours is read from the key `--map OURS=THEIRS` names, else from the first of its usual names the file
has, compared without case or separators: `title` (`title`, `name`, `subject`), `started` (`started`, `start`,
`incident_date`, `date`, `created`...), `detected`, `mitigated`, `resolved` (`resolved_at`, `ended`...),
`severity` (`severity`, `sev`: a severity of the configured scale, `sev-2` being `SEV2`), `services` (`services`,
`service`, `affected`, `components`: names or public components of the catalog), `authors` (`author`), `reviewers`,
`published_on` (`pubDate`), `impact.summary` (`impact`, `summary`, `description`), `tags` (`tags`, `categories`),
`kind`. The report says which key gave each field, and whether it was guessed. A time keeps its offset; one without
a zone is read in the zone the page states ("All times in CET"), else kept as its date alone.

The body is read as the `markdown` importer reads a page: its sections renamed to yours, the start from its
timeline when no key gives it, its action items. Every key that gives no field (a value that does not translate,
such as a severity outside your scale or a service outside the catalog, included) is kept at the end of the body
under "Source front matter", as written, and listed in the report. A file that is another format's (a cState
incident) or already a postmortem of ours is left to its own command.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from functools import partial
from pathlib import Path

from ..parsing.formats import CSTATE, FRONTMATTER, recognise
from ..parsing.schema import POSTMORTEM
from ..policy import Policy
from .fields import GUESSES, normal, unknown_targets
from .markdown import page_record, read_pages
from .records import FileReport, Record, catalog_snippet, service_for
from .sources import SourceProblem, decode, entries_as_written, files_below, front_matter, kind_of, read_bytes

FORMAT = FRONTMATTER  # its declaration: name, what it reads, what `check` says of its files
KEPT_UNDER = "Source front matter"
_OURS = {field.name for field in POSTMORTEM}


def read(
    sources: Iterable[Path], policy: Policy, today: date, key_map: Mapping[str, str] | None = None
) -> Iterator[Record | FileReport]:
    """A record per page of the sources, a report for each file that is none, and one for a `--map` pair that
    names no field of ours."""
    key_map = dict(key_map or {})
    wrong = unknown_targets(key_map)
    if wrong:
        fields = ", ".join(GUESSES)
        yield FileReport(
            "--map",
            "skipped",
            needs=[
                f"`{ours}` is no field this importer fills (one of {fields}): `--map {ours}=...` not used"
                for ours in wrong
            ],
        )
    usable = {ours: theirs for ours, theirs in key_map.items() if ours not in wrong}
    yield from read_pages(sources, partial(page, policy=policy, today=today, key_map=usable), KEPT_UNDER)


def page(path: Path, text: str, policy: Policy, today: date, key_map: Mapping[str, str] | None = None) -> Record:
    """One page as a record; raises `SourceProblem` when it cannot be one."""
    if not text.startswith("---\n"):
        raise SourceProblem("no front matter: `postmortems import markdown SOURCE` reads Markdown without")
    raw = text.encode("utf-8")
    values, body = front_matter(raw, path.name)
    if "provenance" in values or (values and set(values) <= _OURS and not key_map):
        raise SourceProblem("it has our front matter already: check it with `postmortems check` instead")
    record = page_record(
        path, values, body, policy, today, key_map, FORMAT, KEPT_UNDER, entries_as_written(raw, path.name)
    )
    if recognise(values) is CSTATE:  # the one other format of Markdown files
        record.needs.append(f"its keys are {CSTATE.name}'s: `{CSTATE.command}` reads more of it")
    return record


def catalog(sources: Iterable[Path], policy: Policy, key_map: Mapping[str, str] | None = None) -> str:
    """The services the pages name (by `key_map`'s key for `services`, else its usual names) that the catalog
    lacks, as a snippet for mkdocs.yml."""
    known = set(policy.service_names) | set(policy.components)
    names = {normal(name) for name in ((key_map or {}).get("services"),) if name} or set(
        map(normal, GUESSES["services"])
    )
    found: dict[str, str] = {}
    for path in files_below(sources):
        if kind_of(path) is not None:
            continue
        try:
            values, _ = front_matter(decode(read_bytes(path, 1_000_000)).encode("utf-8"), path.name)
        except SourceProblem:
            continue
        given = next((value for key, value in values.items() if normal(key) in names), None)
        for name in [given] if isinstance(given, str) else given if isinstance(given, list) else []:
            if isinstance(name, str) and name.strip() and name.strip() not in known:
                found.setdefault(name.strip(), "")
    return catalog_snippet((service_for(name, policy), "", name) for name in found)

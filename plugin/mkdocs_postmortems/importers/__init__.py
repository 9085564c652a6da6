"""Importers: one module per foreign format, each reading sources into `records.Record`s that `records` writes."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple

from ..policy import Policy
from . import cstate, markdown, statuspage
from .records import FileReport, Record, write_records


class Format(NamedTuple):
    """An importer: `read` turns sources into records (or reports of sources it could not read); `catalog`
    proposes the services the sources name that the catalog lacks, as a mkdocs.yml snippet."""

    read: Callable[[Iterable[Path], Policy, date], Iterator[Record | FileReport]]
    catalog: Callable[[Iterable[Path], Policy], str] | None


FORMATS = {
    "cstate": Format(cstate.read, cstate.catalog),
    "statuspage": Format(statuspage.read, statuspage.catalog),
    "markdown": Format(markdown.read, None),
}


def import_sources(name: str, sources: list[Path], folder: Path, policy: Policy, today: date,
                   dry_run: bool = False, force: bool = False) -> list[FileReport]:
    """Import `sources` in format `name` into `folder`: one report per record or unreadable source."""
    found = FORMATS[name].read(sources, policy, today)
    return list(write_records(found, folder, policy, today, today, dry_run, force))


__all__ = ["FORMATS", "FileReport", "Record", "import_sources"]

"""The importers, one module per foreign format, and their registry.

Each format is declared once, in `parsing.formats` (`FORMATS`: its importer's name, what it reads, what `check`
says of its files), where `check` reads it without loading an importer. Its module here, named for its importer,
names that declaration as its `FORMAT` and holds `read(sources, policy, today)`, yielding a `records.Record` per
source it understands and a `records.FileReport` for each it does not; `catalog(sources, policy)` when the format
names services; and, as its docstring, the format's documentation. `IMPORTERS`, in the declarations' order, is what
`postmortems import` offers and runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import NamedTuple

from ..parsing.formats import FORMATS, Format
from ..policy import Policy
from . import cstate, markdown, statuspage
from .records import FileReport, Record, write_records


class Importer(NamedTuple):
    """A declared format and its module's functions: `read` turns sources into records (or reports of sources it
    could not read); `catalog` proposes the services the sources name that the catalog lacks, as a mkdocs.yml
    snippet (None: the format names no services); `docs` is the module's docstring."""

    format: Format
    read: Callable[[Iterable[Path], Policy, date], Iterator[Record | FileReport]]
    catalog: Callable[[Iterable[Path], Policy], str] | None
    docs: str

    @classmethod
    def of(cls, module: ModuleType) -> Importer:
        return cls(module.FORMAT, module.read, getattr(module, "catalog", None), module.__doc__ or "")


_MODULES = {module.FORMAT: module for module in (cstate, statuspage, markdown)}
# a declared format without its module fails here, on import, rather than when a person runs it
IMPORTERS: Mapping[str, Importer] = MappingProxyType(
    {declared.importer: Importer.of(_MODULES[declared]) for declared in FORMATS}
)


def import_sources(
    name: str,
    sources: list[Path],
    folder: Path,
    policy: Policy,
    today: date,
    dry_run: bool = False,
    force: bool = False,
) -> list[FileReport]:
    """Import `sources` with importer `name` into `folder`: one report per record or unreadable source."""
    found = IMPORTERS[name].read(sources, policy, today)
    return list(write_records(found, folder, policy, today, today, dry_run, force))


__all__ = ["IMPORTERS", "FileReport", "Importer", "Record", "import_sources"]

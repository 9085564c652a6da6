"""The importers, one module per foreign format, and their registry.

Each format is declared once, in `parsing.formats` (`FORMATS`: its importer's name, what it reads, what `check`
says of its files), where `check` reads it without loading an importer. Its module here, named for its importer,
names that declaration as its `FORMAT` and holds `read(sources, policy, today)`, yielding a `records.Record` per
source it understands and a `records.FileReport` for each it does not (a `key_map=` keyword when it reads the
source's own keys, which `--map` names); `catalog(sources, policy)` when the format names services; and, as its
docstring, the format's documentation. `IMPORTERS`, in the declarations' order, is what `postmortems import` offers
and runs.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import NamedTuple

from ..parsing.formats import FORMATS, Format
from ..policy import Policy
from . import cstate, frontmatter, markdown, statuspage
from .records import FileReport, Record, write_records
from .sources import source_root


class Importer(NamedTuple):
    """A declared format and its module's functions: `read` turns sources into records (or reports of sources it
    could not read); `catalog` proposes the services the sources name that the catalog lacks, as a mkdocs.yml
    snippet (None: the format names no services); `docs` is the module's docstring."""

    format: Format
    read: Callable[..., Iterator[Record | FileReport]]  # (sources, policy, today), and `key_map=` if `reads_keys`
    catalog: Callable[..., str] | None  # (sources, policy), and `key_map=` if `reads_keys`
    docs: str

    @classmethod
    def of(cls, module: ModuleType) -> Importer:
        return cls(module.FORMAT, module.read, getattr(module, "catalog", None), module.__doc__ or "")

    @property
    def reads_keys(self) -> bool:
        """Whether it reads the source's own keys, which `--map` names."""
        return "key_map" in inspect.signature(self.read).parameters

    def records(
        self, sources: Iterable[Path], policy: Policy, today: date, key_map: Mapping[str, str] | None = None
    ) -> Iterator[Record | FileReport]:
        """`read`, given `key_map` when it reads keys and one is given."""
        return self.read(sources, policy, today, **self._keys(key_map))

    def proposal(self, sources: Iterable[Path], policy: Policy, key_map: Mapping[str, str] | None = None) -> str:
        """`catalog`'s snippet, given `key_map` as `records` is; empty for a format that names no services."""
        return self.catalog(sources, policy, **self._keys(key_map)) if self.catalog else ""

    def _keys(self, key_map: Mapping[str, str] | None) -> dict:
        return {"key_map": key_map} if key_map and self.reads_keys else {}


_MODULES = {module.FORMAT: module for module in (cstate, statuspage, markdown, frontmatter)}
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
    key_map: Mapping[str, str] | None = None,
) -> list[FileReport]:
    """Import `sources` with importer `name` into `folder`: one report per record or unreadable source. Sources
    are named relative to the folder holding them (`source_root`), never by the importing machine's absolute path;
    `key_map` (from `--map`) names the source's own front-matter keys for the importers that read them."""
    importer = IMPORTERS[name]
    if key_map and not importer.reads_keys:
        readers = ", ".join(f"`{other}`" for other, known in IMPORTERS.items() if known.reads_keys)
        return [FileReport("--map", "skipped", needs=[f"`{name}` reads no keys named by `--map` (only {readers} do)"])]
    found = importer.records(sources, policy, today, key_map)
    root = source_root(sources)
    return list(
        write_records((relative_to(item, root) for item in found), folder, policy, today, today, dry_run, force)
    )


def relative_to(item: Record | FileReport, root: Path) -> Record | FileReport:
    """`item` with its source named from `root` when it is a path there (a URL or other text is kept)."""
    path = Path(item.source)
    if "://" not in item.source and path.absolute().is_relative_to(root):
        item.source = path.absolute().relative_to(root).as_posix()
    return item


__all__ = ["IMPORTERS", "FileReport", "Importer", "Record", "import_sources"]

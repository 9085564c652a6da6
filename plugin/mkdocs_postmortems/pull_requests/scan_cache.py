"""The scans of unchanged postmortems (`parsing.scan`), kept between runs of `check --changed-since` by git blob.

A file a branch did not change has the content of its blob at the merge base, and a scan depends on the text alone,
so the scan of that blob holds on any branch. A warm run reads no unchanged file: the time of a check grows with the
change, not with the knowledge base. The cache is one JSON file per project in the user's cache folder
(`cache_file`), never in the repository, where a pull request could commit a forged one. It is rewritten with the
blobs of the last run only, so it never grows past the folder, and stamped with the scan's own code, so a new release
never reads an old scan. A missing, unreadable, foreign or corrupt cache is a cold run, and one that cannot be written
is left as it is: a cache never fails a check.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..parsing import frontmatter, reader, scan as scanning
from ..parsing.frontmatter import read_bounded
from ..parsing.scan import Scanned

MAX_CACHE_BYTES = 64 * 1024 * 1024  # a cache bigger than this is no cache of ours


def cache_file(project: Path) -> Path:
    """Where the scans of the project in folder `project` are kept: `$XDG_CACHE_HOME` (default `~/.cache`)
    `/mkdocs-postmortems/scans-<hash of the project's path>.json`."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    digest = hashlib.sha256(os.fsencode(os.path.abspath(project))).hexdigest()[:16]
    return Path(home, "mkdocs-postmortems", f"scans-{digest}.json")


@functools.lru_cache(maxsize=1)
def _stamp() -> str:
    """What a scan depends on besides the text: the code of the scan, of the reader it reads values with and of the
    byte checks it shares with a parse (read once per process)."""
    digest = hashlib.sha256()
    for module in (scanning, reader, frontmatter):
        try:
            code = Path(module.__file__).read_bytes() if module.__file__ is not None else None
        except OSError:
            code = None
        if code is None:  # no source beside the code: a stamp nothing matches, so nothing stale is read
            return os.urandom(16).hex()
        digest.update(code)
    return digest.hexdigest()


class ScanCache:
    """Scans by blob ID, for the files of one tree: `blobs` maps each file's path (relative to the postmortems
    folder, POSIX) to its blob at the merge base. `path` is the cache's file (`cache_file`); None keeps nothing."""

    def __init__(self, path: Path | None, blobs: dict[str, str]):
        self.path = path
        self.blobs = blobs
        self.stamp = _stamp()
        self.known = self._read()  # blob -> entry as stored, read as a scan only when its file is asked for
        self.used: dict[str, list] = {}  # blob -> entry, of this run: what the cache holds next
        self.changed = False

    def scan(self, relative: str, read: Callable[[], bytes]) -> Scanned:
        """The scan of the file at `relative`: from the cache when its blob was scanned before, else of the bytes
        `read()` gives (`parsing.scan.scan_bytes`)."""
        blob = self.blobs.get(relative)
        entry = self.known.get(blob) if blob is not None else None
        found = _scanned(entry) if entry is not None else None
        if entry is None or found is None:
            found = scanning.scan_bytes(read())
            entry, self.changed = _entry(found), True
        if blob is not None:
            self.used[blob] = entry
        return found

    def save(self) -> None:
        """Write this run's scans, unless they are what was read."""
        if self.path is None or not (self.changed or self.used.keys() != self.known.keys()):
            return
        text = json.dumps({"stamp": self.stamp, "scans": self.used}, separators=(",", ":"))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".scans-", suffix=".json")
        except OSError:
            return
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, self.path)  # readers see the old file or the new one, never half of one
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)

    def _read(self) -> dict[str, list]:
        if self.path is None:
            return {}
        try:  # bounded and non-blocking, as a postmortem is read: a FIFO or a huge file here is no cache of ours
            raw = read_bounded(self.path, MAX_CACHE_BYTES)
            record = json.loads(raw) if len(raw) <= MAX_CACHE_BYTES else None
        except (OSError, ValueError):
            return {}
        if isinstance(record, dict) and record.get("stamp") == self.stamp and isinstance(record.get("scans"), dict):
            return record["scans"]
        return {}


def _entry(found: Scanned) -> list:
    return [list(found.people), found.started_year, None if found.related is None else list(found.related)]


def _scanned(entry) -> Scanned | None:
    """A cache entry as a scan; None for anything that is not one (a hand-edited or foreign file)."""
    if not (isinstance(entry, list) and len(entry) == 3):
        return None
    people, year, related = entry
    if not (_is_strings(people) and (year is None or type(year) is int) and (related is None or _is_strings(related))):
        return None
    return Scanned(tuple(people), year, None if related is None else tuple(related))


def _is_strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)

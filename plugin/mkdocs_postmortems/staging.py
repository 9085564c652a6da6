"""Build a site beside its folder and swap it in only when the build succeeded, so the last good site survives.

MkDocs empties `site_dir` before it builds, and a refused public build (a leak) or a failed `--strict` build would
leave an empty or half-new site for a careless deploy step to publish. `Staging` gives the build a sibling folder
(`.site-public.building-XXXX`, on the same file system, so the swap is two renames), swaps it in with `commit()`
and removes it with `abandon()`. Nothing here knows MkDocs.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path


class Staging:
    """The folder a build writes into instead of `target`, and the swap that publishes it."""

    def __init__(self, target: str | os.PathLike):
        # A `site_dir` that is a link (to a web server's folder) stays a link: the real folder is swapped.
        self.target = Path(os.path.realpath(target))
        self.folder: Path | None = None

    def start(self) -> Path:
        """A new, empty sibling folder of `target` to build into."""
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.building-", dir=self.target.parent))
        return self.folder

    def commit(self) -> None:
        """Put the built folder where `target` was, with `target`'s permissions (a new one: the umask's); the
        previous site is removed only once the new one is in place."""
        if self.folder is None:
            return
        built, self.folder = self.folder, None
        if self.target.is_dir() and not self.target.is_symlink():
            mode = stat.S_IMODE(self.target.stat().st_mode)
            previous = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.previous-", dir=self.target.parent))
            os.replace(self.target, previous)  # onto the empty folder mkdtemp made
            os.replace(built, self.target)
            shutil.rmtree(previous, ignore_errors=True)
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o777 & ~umask
            if self.target.exists() or self.target.is_symlink():
                self.target.unlink()  # a file where the site should be: MkDocs would have failed on it
            os.replace(built, self.target)
        os.chmod(self.target, mode)

    def abandon(self) -> None:
        """Remove what the failed build wrote; `target` is left as it was."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

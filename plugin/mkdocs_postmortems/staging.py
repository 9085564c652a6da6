"""Build a site beside its folder and swap it in only when the build succeeded, so the last good site survives.

MkDocs empties `site_dir` before it builds, and a refused public build (a leak) or a failed `--strict` build would
leave an empty or half-new site for a careless deploy step to publish. `Staging` gives the build a sibling folder
(`.site-public.building-XXXX`, on the same file system, so the swap is two renames), swaps it in with `commit()`
and removes it with `abandon()`. Nothing here knows MkDocs.

A build killed outright (SIGKILL: the OOM killer, a cancelled CI job) removes nothing. So while it runs, a build
holds a lock (`fcntl.flock`) on `.site-public.building-XXXX.lock` beside its folder, and `start()` removes the
folders of every build of the same target whose lock it can take: the kernel released it when that build died.
A folder whose lock another build holds is that build's, and is left alone; a stale folder is only ever removed,
never swapped in. Where there are no locks (Windows, a file system without them), nothing is removed.

What cannot be written (a full disk, a read-only file system, a file where a folder should be) is a
`SiteNotWritten` with a one-line message: what failed, where, and what to do. The last good site stays.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no locks, so no build may tell a dead build's folder from a running one's
    fcntl = None  # type: ignore[assignment]

_LOCK = ".lock"

# errno -> (what went wrong, what to do); `{folder}` is the folder the site is written in
_REASONS: dict[int | None, tuple[str, str]] = {  # by `OSError.errno`, which may be None
    errno.ENOSPC: ("the disk is full", "free space on it, or set `site_dir` to a folder on another disk"),
    errno.EDQUOT: ("the disk quota is used up", "free space in it, or set `site_dir` to a folder on another disk"),
    errno.EFBIG: ("a file is larger than this process may write (`ulimit -f`)", "raise the limit and build again"),
    errno.EROFS: ("the file system is read-only", "set `site_dir` to a folder on a writable file system"),
    errno.EACCES: (
        "permission denied",
        "make {folder} writable for this user, or set `site_dir` to a folder it may write",
    ),
    errno.EPERM: (
        "operation not permitted",
        "make {folder} writable for this user, or set `site_dir` to a folder it may write",
    ),
}
_OUT_OF_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS)  # whichever file it was: nothing can be written


class SiteNotWritten(Exception):
    """The site cannot be written or swapped in; the message is one line, and the last good site is kept."""


class Staging:
    """The folder a build writes into instead of `target`, and the swap that publishes it."""

    def __init__(self, target: str | os.PathLike):
        # A `site_dir` that is a link (to a web server's folder) stays a link: the real folder is swapped.
        self.target = Path(os.path.realpath(target))
        self.folder: Path | None = None
        self._lock: tuple[Path, int] | None = None  # this build's lock file and its open descriptor

    @property
    def _prefixes(self) -> tuple[str, str]:
        return f".{self.target.name}.building-", f".{self.target.name}.previous-"

    def start(self) -> Path:
        """A new, empty sibling folder of `target` to build into, once the folders of dead builds are removed."""
        building, _ = self._prefixes
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            # the lock first, then the folder: no folder of a running build is ever without its lock
            self._lock = _new_lock(self.target.parent, building) if fcntl is not None else None
            if self._lock is None:  # no locks here: no build can tell a dead build's folder, so none is removed
                self.folder = Path(tempfile.mkdtemp(prefix=building, dir=self.target.parent))
                return self.folder
            self.remove_stale()
            folder = Path(str(self._lock[0])[: -len(_LOCK)])
            folder.mkdir(mode=0o700)
            self.folder = folder
        except OSError as error:
            self._release()
            raise SiteNotWritten(self.failure(error, always=True)) from None
        return self.folder

    def remove_stale(self) -> list[Path]:
        """Remove the folders of dead builds of `target` (their locks can be taken) and of builds that held no lock
        (an older release); the paths removed. Should `target` be gone (a build killed between the two renames of
        its swap), the site it moved aside is put back: that is the last good site, not a stale one."""
        if fcntl is None:
            return []
        building, previous = self._prefixes
        with os.scandir(self.target.parent) as entries:
            names = sorted(entry.name for entry in entries if entry.name.startswith((building, previous)))
        removed = []
        for name in names:
            prefix = building if name.startswith(building) else previous
            token = name[len(prefix) :]
            lock = self.target.parent / (building + token)
            if prefix == building and token.endswith(_LOCK):
                handle = _take(lock)
                if handle is None:  # a running build's, or gone meanwhile
                    continue
                try:
                    token = token[: -len(_LOCK)]
                    removed += self._remove(token)
                    with contextlib.suppress(OSError):
                        lock.unlink()
                finally:
                    os.close(handle)
            elif not os.path.lexists(f"{lock}{_LOCK}"):
                # no lock beside it: never a running build's, as a build takes its lock before it makes its folder
                removed += self._remove(token)
        return removed

    def _remove(self, token: str) -> list[Path]:
        """Remove the folders of the build `token`: put back the site it moved aside, if `target` is gone."""
        building, previous = (self.target.parent / (prefix + token) for prefix in self._prefixes)
        if previous.is_dir() and not os.path.lexists(self.target):
            with contextlib.suppress(OSError):
                os.replace(previous, self.target)
        removed = [path for path in (building, previous) if os.path.lexists(path)]
        for path in removed:
            _remove_tree(path)
        return removed

    def commit(self) -> None:
        """Put the built folder where `target` was, with `target`'s permissions (a new one: the umask's); the
        previous site is removed only once the new one is in place, and put back if the new one cannot be."""
        if self.folder is None:
            return
        built = self.folder
        try:
            if self.target.is_dir() and not self.target.is_symlink():
                os.chmod(built, stat.S_IMODE(self.target.stat().st_mode))
                previous = self.target.parent / (self._prefixes[1] + built.name[len(self._prefixes[0]) :])
                os.replace(self.target, previous)
                try:
                    os.replace(built, self.target)
                except OSError:
                    os.replace(previous, self.target)  # the last good site goes back where it was
                    raise
                self.folder = None
                _remove_tree(previous)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(built, 0o777 & ~umask)
                if self.target.exists() or self.target.is_symlink():
                    self.target.unlink()  # a file where the site should be: MkDocs would have failed on it
                os.replace(built, self.target)
                self.folder = None
        except OSError as error:
            raise SiteNotWritten(self.failure(error, always=True)) from None
        self._release()

    def abandon(self) -> None:
        """Remove what the failed build wrote; `target` is left as it was."""
        if self.folder is not None:
            _remove_tree(self.folder)
            self.folder = None
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            lock, handle = self._lock
            self._lock = None
            with contextlib.suppress(OSError):
                lock.unlink()
            os.close(handle)

    def failure(self, error: BaseException, always: bool = False) -> str | None:
        """`error` as one line saying what could not be written, where, and what to do; None when it is not about
        writing the site (a bug, a missing template: a traceback says more), unless `always`."""
        if not isinstance(error, OSError):
            return None
        named = [
            Path(os.path.abspath(os.fsdecode(name)))
            for name in (error.filename, error.filename2)
            if isinstance(name, (str, bytes, os.PathLike))
        ]
        ours = [path for path in named if path in (self.target, self.target.parent) or self._as_published(path) != path]
        if not (always or ours or error.errno in _OUT_OF_ROOM):
            return None
        # the file written rather than the one copied from (`shutil` names both), as it would have been published
        where = self._as_published((ours or named)[0]) if named else self.target
        blocking = _file_in_the_way(where) if error.errno in (errno.EEXIST, errno.ENOTDIR) else None
        if blocking is not None:
            where, reason = self.target, f"{blocking} is a file, not a folder"
            advice = "move that file away, or set `site_dir` elsewhere"
        else:
            reason, advice = _REASONS.get(
                error.errno, (error.strerror or str(error), "check it, or set `site_dir` elsewhere")
            )
        kept = (
            f"the last good site in {self.target} is kept"
            if self.target.is_dir()
            else f"no site was written to {self.target}"
        )
        return f"cannot write the site to {where}: {reason}; {advice.format(folder=self.target.parent)}; {kept}"

    def _as_published(self, path: Path) -> Path:
        """`path` in a staging folder as it would have been published, in `target`: what the user knows."""
        for folder in (path, *path.parents):
            if folder.parent == self.target.parent and folder.name.startswith(self._prefixes):
                return self.target.joinpath(*path.parts[len(folder.parts) :])
        return path


def _new_lock(folder: Path, prefix: str) -> tuple[Path, int] | None:
    """A new lock file in `folder`, locked by this process, and its descriptor; None on a file system without locks.
    Another build's `remove_stale` may take a new file's lock before this one does, and remove the file: then it is
    made again."""
    for _ in range(100):
        handle, name = tempfile.mkstemp(prefix=prefix, suffix=_LOCK, dir=folder)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.path.samestat(os.fstat(handle), os.stat(name, follow_symlinks=False)):
                return Path(name), handle
        except BlockingIOError:  # taken by another build, which removes it
            pass
        except FileNotFoundError:  # removed by another build
            pass
        except OSError:  # a file system without locks
            with contextlib.suppress(OSError):
                os.unlink(name)
            os.close(handle)
            return None
        os.close(handle)
    raise OSError(errno.EAGAIN, "another build keeps taking this build's lock", str(folder))


def _take(lock: Path) -> int | None:
    """The descriptor of `lock`, locked, when no running build holds it; else None."""
    try:
        handle = os.open(lock, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(handle)
        return None
    return handle


def _file_in_the_way(path: Path) -> Path | None:
    """The nearest of `path` and its folders that exists, when it is not a folder: a file named like one."""
    for folder in [path, *path.parents]:
        if os.path.lexists(folder):
            return None if folder.is_dir() else folder
    return None


def _remove_tree(path: Path) -> None:
    """Remove `path` and all below it, read-only folders too (a site whose folders were made read-only), as far as
    this user may; what is left is removed by a later build."""

    def writable(function, name, _):
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(name), stat.S_IRWXU)
            function(name)

    if path.is_symlink() or not path.is_dir():
        with contextlib.suppress(OSError):
            path.unlink()
    elif sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=writable)
    else:
        shutil.rmtree(path, onerror=writable)

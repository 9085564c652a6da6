"""What a branch changed in the postmortems folder, for reviewing postmortems as pull requests.

- from git: the files changed since the merge base of a ref and HEAD (`changed_paths`) and a file's text
  at that base (`text_at`). Git runs as a subprocess, never through a shell;
- from the knowledge base: the diagnostics a change is responsible for (`diagnostics_of_changes`);
- everything `postmortems pr-summary` shows about a changed postmortem (`changed_postmortems`), with the
  front-matter diff of `diff.py`.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from ..knowledge import KnowledgeBase, display_path, load_knowledge_base, postmortem_from_source, walk
from ..model import Postmortem
from ..parsing.frontmatter import read_bounded, source_from_bytes
from ..parsing.scan import Scanned
from ..policy import Policy
from ..status_site.public import PublicView, public_view
from .diff import FrontMatterDiff, diff_postmortems
from .scan_cache import ScanCache

if TYPE_CHECKING:  # `pr-summary` hands the similarity in: `check` starts without the stemmer
    from ..similarity import Similar


class ChangesError(Exception):
    """Git cannot say what changed: not a repository, an unknown ref, no common history. A usage error."""


# --- from git -------------------------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """`git ARGS` in `cwd`, its output as text (what git says of refs and commits, never a file's name)."""
    result = _git_bytes(cwd, *args)
    result.stdout, result.stderr = (out.decode("utf-8", "replace") for out in (result.stdout, result.stderr))
    return result


def _git_bytes(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """`git ARGS` in `cwd`, its output as bytes: a file's name is bytes to git as to the file system, and only
    `_names` turns it into the string the folder's walk gives (`os.fsdecode`, so a name that is not UTF-8 is kept
    byte for byte)."""
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise ChangesError("git is not installed, or not on PATH") from None
    except NotADirectoryError:
        raise ChangesError(f"{cwd} is not a directory") from None


def _names(listing: bytes) -> list[str]:
    """The names of a `-z` listing, as `os.walk` gives them: no quoting, no escapes, any byte but NUL."""
    return [os.fsdecode(name) for name in listing.split(b"\0") if name]


def _top_level(repo: Path) -> Path:
    result = _git_bytes(repo, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        raise ChangesError(f"{os.path.abspath(repo)} is not in a git repository")
    return Path(os.fsdecode(result.stdout.rstrip(b"\n"))).resolve()


def merge_base(repo: Path, ref: str) -> str:
    """The commit where HEAD's branch left `ref`: what a pull request against `ref` is compared with."""
    top = _top_level(repo)
    if ref.startswith("-") or not ref.strip():  # git would read it as an option
        raise ChangesError(f"`{ref}` is not a git revision")
    resolved = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if resolved.returncode != 0:
        raise ChangesError(
            f"`{ref}` is not a commit in {top}; in CI, fetch it first "
            f"(`git fetch origin {ref}`, or `fetch-depth: 0` with actions/checkout)"
        )
    head = _git(top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if head.returncode != 0:
        raise ChangesError(f"{top} has no commit checked out (HEAD)")
    base = _git(top, "merge-base", resolved.stdout.strip(), head.stdout.strip())
    if base.returncode != 0:
        raise ChangesError(f"`{ref}` and HEAD have no common ancestor; in a shallow clone, fetch more history")
    return base.stdout.strip()


def changed_paths(repo: Path, ref: str, folder: Path) -> list[Path]:
    """What the folder's walk finds of the files below `folder` that differ between the merge base of `ref` and
    HEAD, and the working tree.

    Added, modified and deleted files (a rename or a copy counts as a deletion and an addition), plus untracked files
    git does not ignore, each under the name the walk gives it (`knowledge.walk`), whatever bytes it holds: a
    dot-file is left out as the walk leaves it out, and a file in a dot folder or below a link to a folder stands
    as that folder, which the walk reports and does not enter. Absolute paths, sorted. Raises `ChangesError` when
    git cannot answer.
    """
    base = merge_base(repo, ref)
    top, folder_abs, pathspec = _folder_in(repo, folder)
    # cwd=top: both commands then print paths relative to the top, whatever `diff.relative` says; -z: each name as
    # it is, never quoted (`core.quotepath`) nor cut at a newline
    listings = (
        _git_bytes(
            top, "diff", "--name-only", "--no-renames", "--no-ext-diff", "--no-color", "-z", base, "--", pathspec
        ),
        _git_bytes(top, "ls-files", "--others", "--exclude-standard", "--full-name", "-z", "--", pathspec),
    )
    names: set[str] = set()
    for listing in listings:
        if listing.returncode != 0:
            raise ChangesError(
                f"git cannot list the changes since `{ref}`: {listing.stderr.decode('utf-8', 'replace').strip()}"
            )
        names.update(_names(listing.stdout))
    walked = (_as_walked(folder_abs, top / name) for name in names)
    return sorted({path for path in walked if path is not None})


def _as_walked(folder: Path, path: Path) -> Path | None:
    """`path` (below `folder`) as the folder's walk sees it: itself, the dot folder or linked folder holding it (the
    walk reports the folder and enters it not), or None for a dot-file (the walk skips it)."""
    parts = path.relative_to(folder).parts
    if not parts:  # the folder itself (a link, a submodule): no file of the walk
        return None
    for depth, part in enumerate(parts[:-1], 1):
        holding = folder.joinpath(*parts[:depth])
        if part.startswith(".") or os.path.islink(holding):
            return holding
    return None if parts[-1].startswith(".") else path


def _folder_in(repo: Path, folder: Path) -> tuple[Path, Path, str]:
    """The repository's top, the folder's absolute path, and a pathspec naming the folder from the top."""
    top = _top_level(repo)
    folder_abs = Path(os.path.abspath(folder)).resolve()
    relative = os.path.relpath(folder_abs, top)
    if relative == ".." or relative.startswith(".." + os.sep):
        raise ChangesError(f"the postmortems folder {folder} is not inside the git repository {top}")
    return top, folder_abs, f":(top,literal){Path(relative).as_posix()}"


def blob_ids(repo: Path, commit: str, folder: Path) -> dict[str, str]:
    """Each regular file below `folder` in `commit` (a merge base), by its path relative to `folder` (POSIX), to its
    blob ID: the content of every file the branch did not change. Links and submodules are left out (a link's blob
    is its target's name, not the text read through it)."""
    top, folder_abs, pathspec = _folder_in(repo, folder)
    listing = _git_bytes(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", pathspec)
    if listing.returncode != 0:
        raise ChangesError(
            f"git cannot list the files of {commit}: {listing.stderr.decode('utf-8', 'replace').strip()}"
        )
    prefix = Path(os.path.relpath(folder_abs, top)).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    blobs = {}
    for entry in _names(listing.stdout):
        meta, _, name = entry.partition("\t")
        mode, kind, blob = meta.split(" ")
        if kind == "blob" and mode.startswith("100"):
            blobs[name[len(prefix) :]] = blob
    return blobs


def text_at(repo: Path, ref: str, path: Path) -> str | None:
    """The text of `path` at the merge base of `ref` and HEAD; None if it did not exist there. Bytes that are not
    UTF-8 are kept as `surrogateescape` keeps them, so `postmortem_from_text` reads what a parse of the file reads."""
    base = merge_base(repo, ref)
    top = _top_level(repo)
    relative = os.path.relpath(_resolved(path), top)  # a link's own path: git keeps a link, not what it names
    if relative == ".." or relative.startswith(".." + os.sep):
        return None
    shown = _git_bytes(top, "cat-file", "blob", f"{base}:{Path(relative).as_posix()}")
    return shown.stdout.decode("utf-8", "surrogateescape") if shown.returncode == 0 else None


# --- from the knowledge base ------------------------------------------------------------------------


def knowledge_base_of_changes(
    folder: Path,
    policy: Policy,
    changed: Iterable[Path],
    today=None,
    base: Path | None = None,
    scans: ScanCache | None = None,
) -> KnowledgeBase:
    """The knowledge base as far as `diagnostics_of_changes` needs it, without parsing every file.

    Parsed and checked: the changed files, the files with a changed file's name (a `duplicate-id`), and those whose
    `related` entries may name a changed postmortem (`Scanned.may_name`). Every other file is scanned for what the
    rules across files need of it (`parsing.scan`: people, start year); IDs come from file names as always. So the
    diagnostics of the changed files are those of a full load, in time that grows with the size of the change
    rather than of the knowledge base. `scans` gives the scans of files unchanged since an earlier run."""
    changed = list(changed)
    folder_abs = Path(os.path.realpath(folder))
    changed_relative = {Path(os.path.relpath(_resolved(path), folder_abs)).as_posix() for path in changed}
    changed_ids = {path.stem for path in changed if path.suffix == ".md"}
    shown_folder = display_path(folder, os.path.abspath(base or "."))
    parse: list[Path] = []
    others: dict[str, Scanned | None] = {}  # every file's display path in order, its scan or None where it is parsed
    scans = scans if scans is not None else ScanCache(None, {})
    cut = len(os.path.join(folder, ""))
    names, skipped = walk(folder)  # strings, not `Path`s: most of these files are never opened
    for name in names:
        relative = name[cut:].replace(os.sep, "/")
        shown = f"{shown_folder}/{relative}"
        stem, suffix = os.path.splitext(os.path.basename(name))
        scanned: Scanned | None
        if relative in changed_relative or stem in changed_ids or suffix != ".md":
            scanned = None
        else:
            scanned = scans.scan(relative, partial(_bytes, Path(name)))
        if scanned is None or scanned.may_name(changed_ids):
            parse.append(Path(name))
            others[shown] = None
        else:
            others[shown] = scanned
    scans.save()
    # a dot folder or a linked folder the change touched, as `changed_paths` names it: the walk reports it
    touched = [
        (path, code)
        for path, code in skipped
        if Path(os.path.relpath(_resolved(path), folder_abs)).as_posix() in changed_relative
    ]
    return load_knowledge_base(folder, policy, today=today, base=base, paths=parse, others=others, skipped=touched)


def _bytes(path: Path) -> bytes:
    """An unchanged file's bytes for its scan (which reads none of a file a parse reads no text of); none where it
    cannot be read."""
    try:  # bounded and non-blocking: git lists no FIFO, so an unchanged one lands here
        return read_bounded(path)
    except OSError:
        return b""


def diagnostics_of_changes(kb: KnowledgeBase, changed: Iterable[Path], base_dir: Path = Path(".")) -> list[Diagnostic]:
    """The diagnostics a change is responsible for, in the knowledge base's order.

    Those in a changed file, and those in other files that involve a changed or deleted postmortem (see
    `ids_involved`). `base_dir` is what the knowledge base's display paths are relative to.
    """
    changed = list(changed)
    changed_files = {_resolved(path) for path in changed}
    changed_ids = {path.stem for path in changed if path.suffix == ".md"}
    in_changed_file = {
        shown: _resolved(base_dir / shown) in changed_files for shown in {d.path for d in kb.diagnostics}
    }
    by_path = {pm.path: pm for pm in kb.postmortems}
    return [d for d in kb.diagnostics if in_changed_file[d.path] or ids_involved(d, by_path.get(d.path)) & changed_ids]


def ids_involved(d: Diagnostic, pm: Postmortem | None) -> set[str]:
    """The postmortem IDs a diagnostic in `pm`'s file is about, besides `pm` itself: the ID a `related`
    entry names when the diagnostic is at that entry, and `pm`'s own ID for a `duplicate-id` (the other
    file has it too)."""
    if pm is None:
        return set()
    ids = {other for index, other in enumerate(pm.related) if pm.position_of("related", index) == (d.line, d.col)}
    if d.code == "duplicate-id":
        ids.add(pm.id)
    return ids


def _resolved(path: Path) -> Path:
    """`path` with the links of its folders resolved, and not that of its last part: a link among the postmortems
    is a file of its own to the walk and to git, whatever it names."""
    absolute = os.path.abspath(path)
    return Path(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute))


# --- two versions of one postmortem -----------------------------------------------------------------


def postmortem_from_text(text: str, pm_id: str, display_path: str, policy: Policy) -> Postmortem | None:
    """Parse a postmortem's text (e.g. an older version from git) like a file; None if it has no front matter.
    Parse diagnostics are dropped: this is for comparing, not checking."""
    try:  # `text_at` keeps bytes that are not UTF-8 as surrogates: the file's own bytes again
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "replace")
    pm, _ = postmortem_from_source(source_from_bytes(raw, display_path), pm_id, display_path, policy)
    return pm


@dataclass(frozen=True)
class ChangedPostmortem:
    """A postmortem file a branch added, modified or deleted, with what the checks say about it.

    `before`/`after` are None where the file did not (or no longer) exist, or has no readable front
    matter; `diagnostics` are this file's, `elsewhere` those in other files that involve its ID.
    """

    id: str
    path: str
    change: str  # added | modified | deleted
    before: Postmortem | None
    after: Postmortem | None
    diagnostics: tuple[Diagnostic, ...]
    elsewhere: tuple[Diagnostic, ...]
    diff: FrontMatterDiff
    public: PublicView | None = None  # what the new version would publish
    similar: tuple[Similar, ...] = ()  # past incidents whose text is like the new version's ("same cause?")

    @property
    def current(self) -> Postmortem | None:
        """The version a reviewer is asked about: the new one, or the deleted one."""
        return self.after or self.before

    @property
    def title(self) -> str:
        return self.current.title if self.current else self.id


def changed_postmortems(
    kb: KnowledgeBase,
    changed: Iterable[Path],
    text_before: Callable[[Path], str | None],
    base_dir: Path = Path("."),
    similar_to: Callable[[str], Sequence[Similar]] = lambda pm_id: (),
) -> tuple[list[ChangedPostmortem], list[Diagnostic]]:
    """Each changed `.md` file as a `ChangedPostmortem`, and the diagnostics of the other changed files
    (attachments and the like). `text_before` gives a file's text at the base, or None; `similar_to` the past
    incidents like the postmortem of an ID (`similarity.closest`)."""
    changed = list(changed)
    by_path = {pm.path: pm for pm in kb.postmortems}
    current = {_resolved(base_dir / pm.path): pm for pm in kb.postmortems}
    in_file: dict[Path, list[Diagnostic]] = {}
    for d in diagnostics_of_changes(kb, changed, base_dir):
        in_file.setdefault(_resolved(base_dir / d.path), []).append(d)
    results, others = [], []
    for path in changed:
        own = in_file.pop(_resolved(path), [])
        if path.suffix != ".md":
            others.extend(own)
            continue
        shown = display_path(path, os.path.abspath(base_dir))  # absolute: `display_path` keeps a base it was given
        old_text = text_before(path)
        before = postmortem_from_text(old_text, path.stem, shown, kb.policy) if old_text is not None else None
        after = current.get(_resolved(path))
        change = "deleted" if not os.path.lexists(path) else "added" if old_text is None else "modified"
        results.append(
            ChangedPostmortem(
                path.stem,
                shown,
                change,
                before,
                after,
                tuple(own),
                (),
                diff_postmortems(before, after),
                public_view(after, kb.policy) if after is not None else None,
                tuple(similar_to(after.id)) if after is not None else (),
            )
        )
    # what is left is in unchanged files: it goes with the changed postmortem it involves
    elsewhere = [d for found in in_file.values() for d in found]
    return [
        dataclasses.replace(r, elsewhere=tuple(d for d in elsewhere if r.id in ids_involved(d, by_path.get(d.path))))
        for r in results
    ], others

"""The knowledge base: every file of the postmortems folder, parsed once and checked once."""

from __future__ import annotations

import dataclasses
import functools
import os
import stat
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import yaml

from .checks.families import RULES, Context, check_findings, check_knowledge_base, check_postmortem
from .dates import build_day
from .diagnostics import Diagnostic, Level, cap_per_file
from .model import Postmortem, people_of, postmortem_from_values
from .parsing.formats import recognise
from .parsing.frontmatter import Source, read_source
from .parsing.reader import Reader
from .parsing.scan import Scanned
from .parsing.schema import POSTMORTEM
from .people import people_from_names
from .policy import Policy

MAINTENANCE_NEEDS_NOT = ("severity", "impact", "impact.summary")  # required of incidents only
_OUR_KEYS = frozenset(field.name for field in POSTMORTEM)


@dataclass
class KnowledgeBase:
    """All postmortems of a folder and every diagnostic about them; `rejected` are files with no postmortem."""

    policy: Policy
    today: date
    postmortems: list[Postmortem] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    by_id: dict[str, Postmortem] = field(default_factory=dict)
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)  # display path -> (size, mtime_ns), when cached
    _by_path: dict[str, list[Diagnostic]] | None = field(default=None, repr=False, compare=False)

    def diagnostics_by_path(self) -> dict[str, list[Diagnostic]]:
        """The diagnostics grouped by file; grouped once, as the pages and the plugin each ask for them."""
        if self._by_path is None:
            self._by_path = {}
            for diagnostic in self.diagnostics:
                self._by_path.setdefault(diagnostic.path, []).append(diagnostic)
        return self._by_path

    def published(self) -> list[Postmortem]:
        """What the site shows, newest first: drafts only if the policy includes them."""
        shown = [pm for pm in self.postmortems if self.policy.include_drafts or pm.status != "draft"]
        return sorted(shown, key=_newest_first)

    def count(self, level: Level) -> int:
        return sum(1 for d in self.diagnostics if d.level is level)


def _newest_first(pm: Postmortem):
    started = pm.started or datetime.min.replace(tzinfo=timezone.utc)
    return (-started.timestamp(), pm.id)


RESERVED_NAMES = ("index", "README")  # a postmortem page of this name would be the folder's index page


def discover(folder: Path) -> list[Path]:
    """Every file below `folder` a person or tool put there (dangling links too, to be reported), except
    dot-files (`.gitkeep`, `.DS_Store`); linked and dot folders are not entered (`survey` reports them)."""
    return survey(folder)[0]


def survey(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """(every file below `folder`, the folders not entered with the rule that reports each): a linked folder
    (`linked-folder`: its files may lie anywhere, and a loop never ends) and a dot folder (`dot-folder`). Dot-files
    are skipped: `.gitkeep` and `.DS_Store` are no postmortems."""
    files, skipped = walk(folder)
    return [Path(name) for name in files], skipped


def file_names(folder: Path) -> list[str]:
    """The files `discover` finds, in its order, as strings: for a walk over thousands that opens a few."""
    return walk(folder)[0]


def walk(folder: Path) -> tuple[list[str], list[tuple[Path, str]]]:
    """`survey`, with the files as strings. A name is the file system's bytes as `os.fsdecode` gives them (one that
    is not UTF-8 keeps its bytes as surrogates), and `.md` is the one suffix of a postmortem, in that case:
    `check --changed-since` names each changed file as this walk does (`pull_requests.changes.changed_paths`)."""
    if not folder.is_dir():
        return [], []
    files: list[str] = []
    skipped: list[tuple[Path, str]] = []
    for top, folders, names in os.walk(folder):
        for name in sorted(folders):
            path = os.path.join(top, name)
            if os.path.islink(path):
                skipped.append((Path(path), "linked-folder"))
            elif name.startswith("."):
                skipped.append((Path(path), "dot-folder"))
        folders[:] = sorted(
            name for name in folders if not name.startswith(".") and not os.path.islink(os.path.join(top, name))
        )
        files.extend(os.path.join(top, name) for name in names if not name.startswith("."))
    # in the order of `Path`s (part by part), at a fraction of the cost of sorting them as `Path`s
    files.sort(key=lambda name: os.path.normcase(name).split(os.sep))
    return files, sorted(skipped)


def refusal(path: Path, root: Path) -> tuple[str, str, str] | None:
    """Why `path` must not be read, as (code, message, hint), or None: a link that leaves `root` (the repository;
    a link may point anywhere inside it), or anything but a regular file (a FIFO would hang a read, `/dev/zero`
    never ends). Looked at with `lstat` before anything opens it; `read_source` checks the type again on the
    open file."""
    try:
        if path.is_symlink():
            target = Path(os.path.realpath(path))
            if not target.is_relative_to(Path(os.path.realpath(root))):
                return (
                    "link-outside",
                    f"`{path.name}` links to `{os.readlink(path)}`, outside the repository",
                    "copy the postmortem into the repository instead of linking to it",
                )
        mode = path.stat().st_mode
    except (OSError, RuntimeError):  # a dangling link, or a loop of links: reading it reports why
        return None
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):  # a folder given by name: reading it says why not
        return (
            "not-regular-file",
            f"`{path.name}` is not a regular file (a pipe, device or socket)",
            "keep only regular files in the postmortems folder",
        )
    return None


_SKIPPED = {
    "linked-folder": (
        "`{name}` is a link to a folder; postmortems in it are not read",
        "move the postmortems into the folder itself; links to folders are never followed",
    ),
    "dot-folder": (
        "`{name}` is a hidden folder; postmortems in it are not read",
        "rename it without the leading `.`, or move it out of the postmortems folder",
    ),
}


def load_postmortem(path: Path, display_path: str, policy: Policy) -> tuple[Postmortem | None, list[Diagnostic]]:
    """Parse one file into a `Postmortem` (even a flawed one) plus its parse and type diagnostics."""
    return postmortem_from_source(read_source(path, display_path), path.stem, display_path, policy)


def postmortem_from_source(
    read: tuple[Source | None, list[Diagnostic]], pm_id: str, display_path: str, policy: Policy
) -> tuple[Postmortem | None, list[Diagnostic]]:
    """A `Postmortem` from what `read_source` or `source_from_bytes` returned, with the reader's diagnostics."""
    source, problems = read
    if source is None:
        return None, problems
    reader = Reader(display_path, policy, text=source.front_matter_text)
    values = reader.read_object(source.front_matter, POSTMORTEM)
    pm = postmortem_from_values(
        pm_id,
        display_path,
        values,
        source.body,
        source.body_line,
        reader.positions,
        source.suppressed_lines,
        reader.precision,
    )
    excused = set(pm.provenance.unknown if pm.provenance else ()) | set(
        MAINTENANCE_NEEDS_NOT if pm.is_maintenance else ()
    )
    if "impact.summary" in excused:  # the impact's only required field: the mapping itself may go
        excused.add("impact")
    kept = [d for index, d in enumerate(reader.diagnostics) if reader.missing.get(index) not in excused]
    # the parser's findings about a file it could read (merge markers) too
    return pm, problems + kept + _foreign_format(source, display_path)


def _foreign_format(source: Source, display_path: str) -> list[Diagnostic]:
    """`foreign-format` when the front matter's keys are another tool's: say which, and the command converting it."""
    node = source.front_matter
    if not isinstance(node, yaml.MappingNode):
        return []
    keys = [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
    found = recognise(keys)
    if found is None:
        return []
    theirs = ", ".join(f"`{key}`" for key in keys if key in found.keys and key not in _OUR_KEYS)
    return [
        Diagnostic(
            display_path,
            1,
            1,
            "foreign-format",
            f"this file looks like {found.name} (keys {theirs}), not a postmortem",
            f"convert it with `{found.command}`; the other diagnostics say what each key means here",
            RULES["foreign-format"].level,
        )
    ]


@dataclass
class _Cached:
    """One file's own results: its postmortem (None: no postmortem), its parse diagnostics and those of the rules
    that look at it alone. `with_errors` keeps the last `_with_errors` copy, so an unchanged postmortem is the same
    object from build to build."""

    stamp: tuple[int, int]
    pm: Postmortem | None
    problems: list[Diagnostic]
    checks: list[Diagnostic]
    with_errors: tuple[tuple[str, ...], Postmortem] | None = None


class KnowledgeCache:
    """Each file's parse and per-file checks, kept between builds: `mkdocs serve` rebuilds after every save, and
    only the saved file needs reading again.

    An entry is reused while the file's size and mtime (ns), its display path, the policy and the date to judge
    deadlines by are the same; anything else reads the file again. Only per-file results are kept: the rules across
    files (references, people, leaks, findings) run over the postmortems every build, so a change in one file is
    reported in the others exactly as a fresh build reports it. A per-file rule sees one postmortem, the policy and
    `today`, never the other files (`Context.ids` is for the rules across files)."""

    def __init__(self) -> None:
        self.key: tuple | None = None  # (policy, today) the entries were made under
        self.entries: dict[str, _Cached] = {}  # display path -> its results
        self.memo: dict = {}  # rules across files keep what depends on one postmortem here (`Context.memo`)
        self.hits = self.misses = 0  # for the last load: how many files were reused and how many read

    def begin(self, policy: Policy, today: date) -> None:
        if self.key is None or self.key[1] != today or self.key[0] != policy:
            self.entries.clear()
            self.memo.clear()
        self.key = (policy, today)
        self.hits = self.misses = 0

    def results(self, path: Path, shown: str, policy: Policy, ctx: Context) -> _Cached:
        try:
            info = os.stat(path)
            stamp: tuple[int, int] | None = (info.st_size, info.st_mtime_ns)
        except OSError:  # unreadable or dangling: reported by the parse, never cached
            stamp = None
        entry = self.entries.get(shown)
        if entry is not None and stamp is not None and entry.stamp == stamp:
            self.hits += 1
            return entry
        self.misses += 1
        entry = _read(path, shown, policy, ctx, stamp)
        if stamp is None:
            self.entries.pop(shown, None)
        else:
            self.entries[shown] = entry
        return entry

    def forget_except(self, shown: set[str]) -> None:
        """Drop the entries of files that are gone, so a deleted file's results never come back."""
        for path in set(self.entries) - shown:
            del self.entries[path]


def _read(path: Path, shown: str, policy: Policy, ctx: Context, stamp) -> _Cached:
    pm, problems = load_postmortem(path, shown, policy)
    return _Cached(stamp, pm, problems, [] if pm is None else check_postmortem(pm, ctx))


def load_knowledge_base(
    folder: Path,
    policy: Policy,
    today: date | None = None,
    base: Path | None = None,
    paths: list[Path] | None = None,
    root: Path | None = None,
    cache: KnowledgeCache | None = None,
    others: dict[str, Scanned | None] | None = None,
    skipped: list[tuple[Path, str]] | None = None,
) -> KnowledgeBase:
    """Parse and check every postmortem in `folder` (or just `paths`), in one pass over the files.

    Display paths are relative to `base` (default: the current directory) so diagnostics are clickable. Links
    may point anywhere inside `root`, the repository (default: `base`, else the folder holding `folder`). With a
    `cache`, files unchanged since the last load are not read again; the result is the same as without one.
    `others` (every file's display path, in the folder's order -> its `parsing.scan.Scanned`, or None for a file in
    `paths`) stands for the files not parsed where the rules across files need them: their people and start years
    (`check --changed-since`), which reports the folders of `skipped` (as `survey` gives them) its change touches.
    """
    today = today or build_day()  # the build's clock: SOURCE_DATE_EPOCH when set
    kb = KnowledgeBase(policy, today)
    found: list[Diagnostic] = []
    if paths is not None and others is not None:  # `others` names every file of the folder: no second walk
        everything, skipped, names = paths, skipped or [], list(others)
    else:
        in_folder, skipped = survey(folder)
        everything, skipped = (in_folder, skipped) if paths is None else (paths, [])
        names = [path.name for path in in_folder]
    if cache is not None:
        cache.begin(policy, today)
    ctx = Context(
        policy,
        today,
        (name.rpartition("/")[2][:-3] for name in names if name.endswith(".md")),
        None if cache is None else cache.memo,
    )  # `related` may name any postmortem of the folder
    base_dir = os.path.abspath(base or ".")
    root = Path(root or base or folder.absolute().parent)
    for path, code in skipped:
        message, hint = _SKIPPED[code]
        found.append(
            Diagnostic(display_path(path, base_dir), 1, 1, code, message.format(name=path.name), hint, Level.WARNING)
        )
    if paths is None and not folder.is_dir():  # most likely a typo in `folder`: say so, never show 0 silently
        shown = display_path(folder, base_dir)
        found.append(
            Diagnostic(
                shown,
                1,
                1,
                "folder-missing",
                f"the postmortems folder `{shown}` does not exist",
                "create it, or set the plugin's `folder` option to where the postmortems are",
                Level.WARNING,
            )
        )
    cached: dict[str, _Cached] = {}
    for path in everything:
        shown = display_path(path, base_dir)
        refused = refusal(path, root)
        if refused:
            found.append(Diagnostic(shown, 1, 1, *refused))
            kb.rejected.append(shown)
            continue
        if path.suffix == ".md" and path.stem in RESERVED_NAMES:
            found.append(
                Diagnostic(
                    shown,
                    1,
                    1,
                    "reserved-name",
                    f"`{path.name}` would replace the generated page at that place (the index)",
                    "rename it `YYYY-MM-DD-slug.md`; to add text to the index, write "
                    f"`docs/{Path(policy.folder).as_posix()}/index.md`",
                )
            )
            kb.rejected.append(shown)
            continue
        if path.suffix != ".md":
            found.append(
                Diagnostic(
                    shown,
                    1,
                    1,
                    "not-markdown",
                    f"`{path.name}` is not a postmortem (`.md`) file",
                    "rename it to `YYYY-MM-DD-slug.md`, or keep attachments outside the postmortems folder",
                    Level.WARNING,
                )
            )
            kb.rejected.append(shown)
            continue
        entry = _read(path, shown, policy, ctx, None) if cache is None else cache.results(path, shown, policy, ctx)
        found.extend(entry.problems)
        if entry.pm is None:
            kb.rejected.append(shown)
            continue
        cached[shown] = entry
        if entry.stamp is not None and cache is not None:
            kb.stamps[shown] = entry.stamp
        kb.postmortems.append(entry.pm)
        kb.by_id.setdefault(entry.pm.id, entry.pm)
        found.extend(entry.checks)
    if cache is not None and paths is None:
        cache.forget_except({display_path(path, base_dir) for path in everything})
    if others is not None:
        _stand_in(ctx, kb.postmortems, others)
    found.extend(check_knowledge_base(kb.postmortems, ctx))
    found = _apply_levels(found, policy)
    by_path: dict[str, list[Diagnostic]] = {}
    for diagnostic in found:
        by_path.setdefault(diagnostic.path, []).append(diagnostic)
    kb.postmortems = [_with_errors(pm, by_path.get(pm.path, ()), cached.get(pm.path)) for pm in kb.postmortems]
    kb.by_id = {}
    for pm in kb.postmortems:
        kb.by_id.setdefault(pm.id, pm)
    found += _apply_levels(check_findings(kb.postmortems, by_path, ctx), policy)
    kb.diagnostics = cap_per_file(sorted(found, key=lambda d: (d.path, d.line, d.col, d.code)))
    return kb


def _stand_in(ctx: Context, parsed: list[Postmortem], others: dict[str, Scanned | None]) -> None:
    """People and start years of the whole folder, in its order (that of `others`, which names every file, None for
    a parsed one), from the parsed postmortems and the scanned rest."""
    by_path = {pm.path: pm for pm in parsed}
    names: list[str] = []
    starts: list[int] = []
    for shown, scanned in others.items():
        pm = by_path.get(shown)
        if pm is not None:
            names += people_of([pm])
            starts += [pm.started.year] if pm.started else []
        elif scanned is not None:
            names += scanned.people
            starts += [scanned.started_year] if scanned.started_year else []
    ctx.people = people_from_names(names, ctx.policy)
    ctx.starts = sorted(starts)


def _with_errors(pm: Postmortem, diagnostics, entry: _Cached | None = None) -> Postmortem:
    """`pm` knowing the codes of its errors, at the levels reported: what may go public asks for them."""
    errors = tuple(dict.fromkeys(d.code for d in diagnostics if d.level is Level.ERROR))
    if not errors:
        return pm
    if entry is not None and entry.with_errors is not None and entry.with_errors[0] == errors:
        return entry.with_errors[1]
    copy = dataclasses.replace(pm, errors=errors)
    if entry is not None:
        entry.with_errors = (errors, copy)
    return copy


def _apply_levels(found: list[Diagnostic], policy: Policy) -> list[Diagnostic]:
    """Each diagnostic at its rule's level: the registry's default unless the policy sets another; `off` drops it."""
    leveled = (dataclasses.replace(d, level=policy.level_of(d.code, RULES[d.code].level)) for d in found)
    return [d for d in leveled if d.level is not Level.OFF]


def display_path(path: Path, base_dir: Path | str) -> str:
    """`path` relative to `base_dir` when it lies below it, else as given; always with `/`. Diagnostics name
    files this way, so they are clickable from where the command runs."""
    absolute, base = os.path.abspath(path), _absolute(str(base_dir))
    if absolute.startswith(base) and absolute[len(base) : len(base) + 1] == os.sep:  # the usual case, without relpath
        relative = absolute[len(base) + 1 :]
    else:
        relative = os.path.relpath(absolute, base)
    return Path(path if relative.startswith("..") else relative).as_posix()


@functools.lru_cache(maxsize=64)
def _absolute(path: str) -> str:
    return os.path.abspath(path)

"""`postmortems sync`: every action item that links a ticket of a configured tracker, against that ticket.

`run_sync` reads each linked ticket once (`trackers.read_ticket`), reports each drift of an item from its ticket as an
`action-item-drift` diagnostic (`checks/drift.py`), and each item whose ticket could not be read (gone, private,
unreachable, rate limited past the cap, out of time) with the reason, never touching that item. With `write`, it takes
the tickets' side in the front matter: `status`, `closed` (and a `reason` for a ticket closed as not planned), `owner`,
and `synced`, the day the item's ticket was last read. With `create`, it opens a ticket for each open item without a
link (in the first tracker with `create_in`; one found with the same title that names the postmortem is taken instead
of opening a second) and writes its `link`. Files are edited line by line (`ItemLines`, on `live.FrontMatter`): only the
keys that change, comments and order kept, and a file whose edit does not read back as intended is left as it was.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from .checks.drift import Ticket, drift_diagnostics
from .diagnostics import Diagnostic, Level
from .knowledge import postmortem_from_source
from .live import EditError, FrontMatter, quoted
from .model import ActionItem, Postmortem
from .parsing.frontmatter import source_from_bytes
from .policy import Policy, Tracker
from .trackers import (
    TICKET_SHAPES,
    Budget,
    Opened,
    Session,
    TicketRef,
    Unavailable,
    create_ticket,
    read_ticket,
    ticket_ref,
    tickets_opened,
    tracker_of,
)

Value = str | date | None  # a key's new value (None: the key goes)


class NotWritten(Exception):
    """A file whose edit could not be made line by line, or did not read back as intended; it is left as it was."""


@dataclass(frozen=True)
class Drifted:
    """A drift found, where it is, and whether `--write` took the ticket's side in the file."""

    path: str
    line: int
    link: str
    field: str
    ours: str
    theirs: str
    diagnostic: Diagnostic
    written: bool = False

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "link": self.link,
            "field": self.field,
            "ours": self.ours,
            "theirs": self.theirs,
        }


@dataclass(frozen=True)
class NotSynced:
    """An item whose ticket could not be read or opened, and why; its file is left as it is."""

    path: str
    line: int
    link: str
    reason: str

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "link": self.link, "reason": self.reason}


@dataclass(frozen=True)
class Created:
    """A ticket `--create` opened (or found opened before) for an item, and whether its link was written."""

    path: str
    line: int
    title: str
    link: str
    found: bool = False
    written: bool = False

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "title": self.title, "link": self.link, "found": self.found}


@dataclass
class SyncReport:
    """What a run found and did: `read`, the items whose ticket was read."""

    drifts: list[Drifted] = field(default_factory=list)
    not_synced: list[NotSynced] = field(default_factory=list)
    created: list[Created] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    read: int = 0
    untracked: int = 0

    @property
    def failed(self) -> bool:
        """Drift left in the files, or an item not synced: the run's exit status is 1."""
        return any(not each.written for each in self.drifts) or bool(self.not_synced)


@dataclass
class _Edits:
    """The keys to set in each action item of one file, by index, in order."""

    keys: dict[int, dict[str, Value]] = field(default_factory=dict)

    def set(self, index: int, key: str, value: Value) -> None:
        self.keys.setdefault(index, {})[key] = value


def run_sync(
    postmortems: list[Postmortem],
    policy: Policy,
    environ: Mapping[str, str],
    budget: Budget,
    today: date,
    write: bool = False,
    create: bool = False,
    max_create: int = 20,
) -> SyncReport:
    """Sync the action items of `postmortems` with their tickets, as the module says; files change only with `write`
    (the tickets' side) or `create` (the new tickets' links)."""
    report = SyncReport()
    sessions = {tracker: Session(tracker, environ, budget) for tracker in policy.trackers}
    tickets: dict[str, Ticket] = {}
    by_url: dict[str, Ticket | Unavailable] = {}
    edits: dict[str, _Edits] = {}
    for pm in postmortems:
        for index, item in enumerate(pm.action_items):
            tracker = tracker_of(item.link, policy.trackers) if item.link else None
            if item.link and tracker is None:
                report.untracked += 1
                continue
            if tracker is None:
                continue
            line = pm.position_of("action_items", index, "link")[0]
            ref = ticket_ref(tracker, item.link)
            if ref is None:
                reason = f"not read: not a ticket's link (a {tracker.kind} ticket's is {TICKET_SHAPES[tracker.kind]})"
                report.not_synced.append(NotSynced(pm.path, line, item.link, reason))
                continue
            got = by_url.get(ref.api_url) or _read(sessions[tracker], ref)
            by_url[ref.api_url] = got
            if isinstance(got, Unavailable):
                report.not_synced.append(NotSynced(pm.path, line, item.link, got.reason))
                continue
            tickets[item.link] = Ticket(item.link, got.status, got.closed, got.assignees, got.said)
            report.read += 1
            if write:
                edits.setdefault(pm.path, _Edits()).set(index, "synced", today)
    if create:
        _create(postmortems, policy, sessions, today, max_create, report, edits)
    for pm in postmortems:
        for found, diagnostic in drift_diagnostics(pm, tickets, policy):
            if write:
                _take_tickets_side(edits.setdefault(pm.path, _Edits()), pm.action_items[found.index], found, tickets)
            report.drifts.append(
                Drifted(pm.path, diagnostic.line, found.link, found.field, found.ours, found.theirs, diagnostic)
            )
    by_path = {pm.path: pm for pm in postmortems}
    done: set[str] = set()
    for path, wanted in edits.items():
        try:
            if write_items(Path(path), by_path[path], wanted.keys, policy):
                report.written.append(path)
            done.add(path)
        except NotWritten as refused:
            for index in wanted.keys:
                line = by_path[path].position_of("action_items", index)[0]
                link = wanted.keys[index].get("link") or by_path[path].action_items[index].link
                report.not_synced.append(NotSynced(path, line, str(link), f"not written: {refused}"))
    report.drifts = [replace(each, written=each.path in done) for each in report.drifts]
    report.created = [replace(each, written=each.path in done) for each in report.created]
    return report


def _read(session: Session, ref: TicketRef) -> Ticket | Unavailable:
    try:
        return read_ticket(session, ref)
    except Unavailable as error:
        return error


def _take_tickets_side(edits: _Edits, item: ActionItem, found, tickets: Mapping[str, Ticket]) -> None:
    """The keys that make `item` say what its ticket says about `found.field`."""
    index, ticket = found.index, tickets[found.link]
    if found.field == "status":
        edits.set(index, "status", found.theirs)
        if found.theirs == "wont-do" and not item.reason:
            edits.set(index, "reason", f"its ticket says: {ticket.said or 'closed as not planned'}")
    elif found.field == "closed":
        edits.set(index, "closed", date.fromisoformat(found.theirs) if found.theirs else None)
    else:
        edits.set(index, "owner", found.theirs)


def ticket_lines(pm: Postmortem, item: ActionItem) -> list[str]:
    """What a ticket `--create` opens says: the item's facts, and the postmortem by title and ID (by which a later
    run knows the ticket as this item's)."""
    return [
        f"Action item of the postmortem “{pm.title}” ({pm.id}).",
        "",
        f"Owner: {item.owner}",
        f"Priority: {item.priority}",
        f"Due: {item.due.isoformat() if item.due else 'not set'}",
        *([f"Done when: {item.done_when}"] if item.done_when else []),
        "",
        f"Opened by `postmortems sync --create`; {pm.path} links here.",
    ]


def _create(
    postmortems: list[Postmortem],
    policy: Policy,
    sessions: dict[Tracker, Session],
    today: date,
    max_create: int,
    report: SyncReport,
    edits: dict[str, _Edits],
) -> None:
    """Open (or find) a ticket for each open item without a link, of postmortems not imported from another tool."""
    tracker = next((tracker for tracker in policy.trackers if tracker.create_in), None)
    wanted = [
        (pm, index, item)
        for pm in postmortems
        if pm.status != "imported"
        for index, item in enumerate(pm.action_items)
        if not item.link and item.is_open
    ]
    if not wanted:
        return
    opened: list[Opened] | Unavailable | None = None
    for count, (pm, index, item) in enumerate(wanted):
        line = pm.position_of("action_items", index)[0]

        def skip(reason: str, pm: Postmortem = pm, line: int = line) -> None:
            report.not_synced.append(NotSynced(pm.path, line, "", reason))

        if tracker is None:
            skip("no ticket opened: no tracker has `create_in`")
            continue
        if count >= max_create:
            skip(f"no ticket opened: more than {max_create} to open in one run (`--max-create`)")
            continue
        session = sessions[tracker]
        if opened is None:
            try:
                opened = tickets_opened(session)
            except Unavailable as error:
                opened = error
        if isinstance(opened, Unavailable):
            skip(
                f"no ticket opened: those opened before could not be listed ({opened.reason.removeprefix('not read: ')})"
            )
            continue
        same = next((each for each in opened if each.title == item.title and pm.id in each.text), None)
        link = same.link if same else None
        if link is None:
            try:
                link = create_ticket(session, item.title, ticket_lines(pm, item))
            except Unavailable as error:
                skip(f"no ticket opened: {error.reason.removeprefix('not read: ')}")
                continue
            opened.append(Opened(item.title, pm.id, link))
        report.created.append(Created(pm.path, line, item.title, link, found=same is not None))
        file_edits = edits.setdefault(pm.path, _Edits())
        file_edits.set(index, "link", link)
        file_edits.set(index, "synced", today)


# The front matter, line by line


class ItemLines(FrontMatter):
    """A front matter whose `action_items` entries are edited key by key, line by line: a key's line replaced in
    place (its comment kept), a new key inserted after a given one or at the end of its item, a key's lines removed.
    What cannot be edited so (a flow-style list or item) is an `EditError`."""

    def items(self) -> list[tuple[int, int, int]]:
        """(first line, line after the last content line, indent of the keys) of each item of `action_items`."""
        start = self.find("action_items")
        if start is None:
            raise EditError("the front matter has no `action_items`")
        if self.value(start):
            raise EditError("`action_items` is written in flow style; make it a block list (one `- ` item a line)")
        end = self.block_end(start, 0)
        dashes = [line for line in range(start + 1, end) if self.lines[line].lstrip(" ").startswith("-")]
        if not dashes:
            return []
        depth = min(len(self.lines[line]) - len(self.lines[line].lstrip(" ")) for line in dashes)
        firsts = [line for line in dashes if len(self.lines[line]) - len(self.lines[line].lstrip(" ")) == depth]
        found = []
        for number, first in enumerate(firsts):
            stop = firsts[number + 1] if number + 1 < len(firsts) else end
            after_dash = self.lines[first][depth + 1 :]
            if after_dash.strip().startswith(("{", "[")):
                raise EditError("an action item is written in flow style (`- {...}`); write one key a line")
            indent = depth + 1 + len(after_dash) - len(after_dash.lstrip(" ")) if after_dash.strip() else None
            last = first
            for line in range(first + 1, stop):
                stripped = self.lines[line].lstrip(" ")
                if stripped and not stripped.startswith("#"):
                    last = line
                    indent = indent if indent is not None else len(self.lines[line]) - len(stripped)
            found.append((first, last + 1, indent if indent is not None else depth + 2))
        return found

    def _key_line(self, first: int, stop: int, indent: int, key: str) -> int | None:
        for line in range(first, stop):
            text, prefix = self.lines[line], self.lines[line][:indent]
            at_indent = not prefix.strip() or (line == first and not prefix.strip(" -"))  # `  - key:` on the first
            if at_indent and text[indent:].startswith(f"{key}:"):
                return line
        return None

    def set_key(self, index: int, key: str, value: str | None, after: tuple[str, ...] = ()) -> None:
        """In item `index`, `key: value` in place, or inserted after the first of `after` present (else at the
        item's end); with `value` None, the key and its lines go."""
        first, stop, indent = self.items()[index]
        line = self._key_line(first, stop, indent, key)
        if line is not None:
            ends = self.block_end(line, indent)
            if value is None:
                if line == first:
                    raise EditError(f"`{key}` is the first key of its item; remove it by hand")
                del self.lines[line:ends]
                self.end -= ends - line
                return
            after_colon = self.lines[line][indent + len(key) + 1 :]
            comment = re.search(r"\s+#.*$", after_colon)
            self.lines[line] = f"{self.lines[line][:indent]}{key}: {value}" + (comment.group(0) if comment else "")
            del self.lines[line + 1 : ends]
            self.end -= ends - line - 1
            return
        if value is None:
            return
        anchors = (self._key_line(first, stop, indent, name) for name in after)
        anchor = next((found for found in anchors if found is not None), None)
        at = stop if anchor is None else self.block_end(anchor, indent)
        self._insert(at, [f"{' ' * indent}{key}: {value}"])


# Where each key goes when an item lacks it: after the first of these it has.
_AFTER = {
    "status": ("due", "priority"),
    "closed": ("status",),
    "reason": ("closed", "status"),
    "owner": ("title",),
    "link": ("done_when", "reason", "closed", "status"),
    "synced": ("link",),
}


def _yaml(value: Value) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else quoted(value)


def edited(text: str, keys: Mapping[int, Mapping[str, Value]]) -> str:
    """`text` with each action item's keys set (`ItemLines.set_key`); `EditError` when it cannot be done line by
    line."""
    front = ItemLines(text)
    for index, wanted in keys.items():
        for key, value in wanted.items():
            front.set_key(index, key, _yaml(value), _AFTER.get(key, ()))
    return front.text()


def write_items(path: Path, pm: Postmortem, keys: Mapping[int, Mapping[str, Value]], policy: Policy) -> bool:
    """Set `keys` in the action items of the file at `path` (`pm` as it was read); whether the file changed.
    The new text must read back with every key as set, no item more or less and no new problem, or the file stays as
    it was and `NotWritten` says why."""
    try:
        before = path.read_bytes().decode("utf-8")
        after = edited(before, keys)
    except (OSError, UnicodeDecodeError) as error:
        raise NotWritten(f"the file cannot be read ({type(error).__name__})") from None
    except EditError as error:
        raise NotWritten(f"{error} (edit it by hand)") from None
    if after == before:
        return False
    read, problems = _parsed(after, pm, policy)
    _, problems_before = _parsed(before, pm, policy)
    if read is None or len(read.action_items) != len(pm.action_items) or _errors(problems) > _errors(problems_before):
        raise NotWritten("the edited front matter did not read back as the same items (edit it by hand)")
    for index, wanted in keys.items():
        item = read.action_items[index]
        if any(
            getattr(item, key) != ("" if value is None and key == "reason" else value) for key, value in wanted.items()
        ):
            raise NotWritten("the edited front matter did not read back with the values written (edit it by hand)")
    with open(path, "w", encoding="utf-8", newline="") as file:
        file.write(after)
    return True


def _parsed(text: str, pm: Postmortem, policy: Policy) -> tuple[Postmortem | None, list[Diagnostic]]:
    return postmortem_from_source(source_from_bytes(text.encode("utf-8"), pm.path), pm.id, pm.path, policy)


def _errors(problems: list[Diagnostic]) -> int:
    return sum(1 for problem in problems if problem.level is Level.ERROR)

"""The trackers' REST APIs, as `postmortems sync` reads and writes them: GitHub REST v3 issues, GitLab v4 issues and
Jira v3 (Cloud) or v2 (Data Center) issues. A build never imports this module.

A ticket is read with one GET (`read_ticket`) and said in our words (`drift.Ticket`):

- GitHub `GET /repos/{owner}/{repo}/issues/{number}`: `state` open or closed, `state_reason` (`not_planned` and
  `duplicate` are `wont-do`, anything else closed is `done`), `closed_at`, `assignees[].login` as `@login`.
- GitLab `GET /projects/{path, URL-encoded}/issues/{iid}`: `state` opened or closed, `closed_at`, `assignees[]`'s
  `username` (as `@username`) and `name`.
- Jira `GET /issue/{key}?fields=status,resolution,resolutiondate,statuscategorychangedate,assignee`:
  `status.statusCategory.key` new (open), indeterminate (in progress) or done, with `resolution.name` (`Won't Do`,
  `Duplicate`... are `wont-do`), `resolutiondate` (else `statuscategorychangedate`) and `assignee.displayName` (and
  Data Center's user `name`, as `@name`).

`sync --create` lists the tickets it opened before (labelled `label` in `create_in`; every page, up to `MAX_PAGES`:
GitHub's and GitLab's `Link: <...>; rel="next"`, Jira Cloud's `nextPageToken`, Data Center's `startAt`/`total`) to
open none twice, then POSTs a new one (`create_ticket`).

Every request goes through a `Session`, which bounds it and the run (`Budget`): one deadline per request, no redirect
followed, answers read up to `MAX_ANSWER_BYTES`; rate limits honoured (`Retry-After`, GitHub's
`X-RateLimit-Remaining: 0` until `X-RateLimit-Reset`, GitLab's `RateLimit-Remaining`/`RateLimit-Reset`, Jira's 429
with `Retry-After` or `X-RateLimit-Reset`), every wait counted against `Budget.max_wait`; a wait beyond it, the run's
time running out or a refused token stops that tracker, and every ticket not read says why (`Unavailable`). The token
goes in a header to the API's own origin only (never to a next page on another host) and no message holds it: each
says what went wrong in our words (`bounded_http.describe`).
"""

from __future__ import annotations

import base64
import email.utils
import json
import math
import re
import time
import urllib.error
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from email.message import Message
from typing import Any

from .bounded_http import Deadline, ResponseTooLarge, describe, origin, read_at_most, request, url_problem
from .checks.drift import Person, Ticket
from .policy import Tracker

USER_AGENT = "mkdocs-postmortems-sync"
MAX_ANSWER_BYTES = 8 * 1024 * 1024  # a page of 100 issues with long bodies fits; an endless answer is cut
MAX_PAGES = 20  # pages of 100 listed to find the tickets `--create` opened before
PER_PAGE = 100
MAX_ATTEMPTS = 4  # a request and the retries after rate limits
UNSAID_WAIT = 60.0  # seconds to wait after a 429 that says nothing of when to come back (GitHub: "at least a minute")
JIRA_FIELDS = "status,resolution,resolutiondate,statuscategorychangedate,assignee"
WONT_DO_RESOLUTIONS = frozenset(
    ("won't do", "won't fix", "wont do", "wont fix", "duplicate", "cannot reproduce", "incomplete", "declined")
)
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SHOWN_ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*")  # an upper-case name is a name, never a token, so messages say it


class Unavailable(Exception):
    """A ticket (or a listing, or a creation) that could not be had, and why, in words that hold no secret. `final`:
    the tracker can give nothing more in this run (a refused token, a rate limit beyond the cap, no time left)."""

    def __init__(self, reason: str, final: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.final = final


# Configuration


def env_shown(name: str) -> str:
    """An environment variable's name as a message may show it: a name in capitals, else not at all (someone may
    have written the token itself where its variable's name goes)."""
    return f"`{name}`" if _SHOWN_ENV_NAME.fullmatch(name) else "(the name given, not shown)"


def tracker_problem(tracker: Tracker) -> str | None:
    """What keeps `tracker`'s options from being used, or None: URLs, the Jira and GitLab API paths, where `--create`
    opens tickets, and environment variables' names (never repeating one that may be a token)."""
    problem = url_problem(tracker.links)
    if problem:
        return f"`links` {problem}"
    if tracker.api is not None:
        problem = url_problem(tracker.api)
        if problem:
            return f"`api` {problem}"
        path = urllib.parse.urlsplit(tracker.api).path.rstrip("/")
        if tracker.kind == "jira" and not re.search(r"/rest/api/[23]$", path):
            return "`api` must end in `/rest/api/3` (Jira Cloud) or `/rest/api/2` (Jira Data Center)"
        if tracker.kind == "gitlab" and not path.endswith("/api/v4"):
            return "`api` must end in `/api/v4`, the GitLab REST API"
    for key in ("token_env", "user_env"):
        name = getattr(tracker, key)
        if name is not None and not _ENV_NAME.fullmatch(name):
            return f"`{key}` is not the name of an environment variable (not shown: it may be a secret itself)"
    if tracker.user_env is not None and tracker.kind != "jira":
        return "`user_env` is for Jira Cloud only"
    where = tracker.create_in
    shapes = {
        "github": (r"[\w.-]+/[\w.-]+", "`owner/repo`"),
        "gitlab": (r"[\w.-]+(?:/[\w.-]+)*", "the project's path, `group/project`"),
        "jira": (r"[A-Z][A-Z0-9_]+", "a project key in capitals, `OPS`"),
    }
    pattern, shape = shapes[tracker.kind]
    if where is not None and not re.fullmatch(pattern, where):
        return f"`create_in` is not {shape}"
    return None


def api_base(tracker: Tracker) -> str:
    """The base URL of `tracker`'s REST API: `api`, else by kind on the host of `links` (`https://api.github.com` for
    github.com)."""
    if tracker.api:
        return tracker.api.rstrip("/")
    parts = urllib.parse.urlsplit(tracker.links)
    root = f"{parts.scheme}://{parts.netloc}"
    if tracker.kind == "github":
        return "https://api.github.com" if parts.hostname == "github.com" else f"{root}/api/v3"
    return f"{root}/api/v4" if tracker.kind == "gitlab" else f"{root}/rest/api/3"


def _jira_version(api: str) -> int:
    return 2 if api.endswith("/2") else 3


def _jira_site(api: str) -> str:
    return re.sub(r"/rest/api/[23]$", "", api)


def tracker_of(link: str, trackers: tuple[Tracker, ...]) -> Tracker | None:
    """The tracker whose `links` `link` starts with (the longest, when several do), or None."""
    matching = [tracker for tracker in trackers if tracker.links and link.startswith(tracker.links)]
    return max(matching, key=lambda tracker: len(tracker.links), default=None)


@dataclass(frozen=True)
class TicketRef:
    """Where a ticket's link is read: `api_url`, the GET that returns it."""

    tracker: Tracker
    link: str
    api_url: str


TICKET_SHAPES = {
    "github": "https://HOST/OWNER/REPO/issues/NUMBER",
    "gitlab": "https://HOST/GROUP/PROJECT/-/issues/IID",
    "jira": "https://SITE/browse/KEY-123",
}


def ticket_ref(tracker: Tracker, link: str) -> TicketRef | None:
    """Where `link`, one of `tracker`'s tickets, is read; None when it is no ticket's link (a commit, a board)."""
    try:
        path = urllib.parse.urlsplit(link).path
    except ValueError:
        return None
    api = api_base(tracker)
    quote = urllib.parse.quote
    if tracker.kind == "github":
        found = re.fullmatch(r".*?/([^/]+)/([^/]+)/(?:issues|pull)/(\d+)/?", path)
        if found:
            owner, repo, number = found.groups()
            return TicketRef(tracker, link, f"{api}/repos/{quote(owner)}/{quote(repo)}/issues/{number}")
    elif tracker.kind == "gitlab":
        found = re.fullmatch(r"/(.+?)(?:/-)?/(?:issues|work_items)/(\d+)/?", path)
        if found:
            project, number = found.groups()
            root = re.sub(r"/api/v4$", "", urllib.parse.urlsplit(api).path.rstrip("/")).strip("/")
            if root and project.startswith(root + "/"):  # GitLab served below a path of its host
                project = project[len(root) + 1 :]
            return TicketRef(tracker, link, f"{api}/projects/{quote(project, safe='')}/issues/{number}")
    else:
        found = re.search(r"/browse/([A-Za-z][A-Za-z0-9_]*-\d+)/?$", path)
        if found:
            return TicketRef(tracker, link, f"{api}/issue/{found.group(1).upper()}?fields={JIRA_FIELDS}")
    return None


# Time and rate limits


@dataclass
class Budget:
    """The time a run may take: `timeout` seconds per request, `total` seconds for the whole run, and at most
    `max_wait` seconds of waiting for rate limits in all. `clock` measures the run, `wall` reads the epoch (rate-limit
    resets are epoch times), `sleep` waits; tests give their own."""

    timeout: float = 10.0
    total: float = 300.0
    max_wait: float = 60.0
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    waited: float = 0.0
    end: float = field(init=False)

    def __post_init__(self) -> None:
        self.end = self.clock() + self.total

    def left(self) -> float:
        return self.end - self.clock()

    def request_seconds(self) -> float:
        """The time the next request may take: `timeout`, or less when the run ends sooner."""
        left = self.left()
        if left <= 0:
            raise Unavailable(f"not read: the run's {self.total:g} s (`--max-time`) were up", final=True)
        return min(self.timeout, left)

    def wait(self, seconds: float, why: str) -> None:
        """Wait `seconds` for a rate limit, if what `max_wait` and the run's time leave allows it; else `Unavailable`,
        final."""
        seconds = max(0.0, seconds)
        allowed = min(self.max_wait - self.waited, self.left())
        if seconds > allowed:
            raise Unavailable(
                f"not read: {why}, for {math.ceil(seconds)} s more, longer than the {max(0, math.floor(allowed))} s "
                "of waiting left (`--max-wait`, `--max-time`)",
                final=True,
            )
        self.sleep(seconds)
        self.waited += seconds


def _seconds_until(text: str | None, now: float) -> float | None:
    """The seconds from `now` (epoch) to a reset time: an epoch in seconds (GitHub, GitLab) or an ISO 8601 time
    (Jira's `yyyy-MM-ddTHH:mmZ`); None when there is none or it cannot be read."""
    if not text:
        return None
    text = text.strip()
    if text.isdigit():
        return int(text) - now
    moment = _moment(text)
    return None if moment is None else moment.timestamp() - now


def _retry_after(text: str | None, now: float) -> float | None:
    """`Retry-After`: seconds, or an HTTP date."""
    if not text:
        return None
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        return email.utils.parsedate_to_datetime(text).timestamp() - now
    except (TypeError, ValueError, IndexError):
        return None


def rate_limit_wait(code: int, headers: Message | None, now: float) -> float | None:
    """How long to wait before asking again after an answer `code` with `headers`; None when it is no rate limit.

    429 always is one (`Retry-After`, else the reset time, else `UNSAID_WAIT`); GitHub's 403 is one when it says
    `Retry-After` or `X-RateLimit-Remaining: 0`; a 503 when it says `Retry-After`. Any other 403 is a refusal."""
    if code not in (403, 429, 503) or headers is None:
        return None
    retry_after = _retry_after(headers.get("Retry-After"), now)
    remaining = headers.get("X-RateLimit-Remaining") or headers.get("RateLimit-Remaining")
    reset = _seconds_until(headers.get("X-RateLimit-Reset") or headers.get("RateLimit-Reset"), now)
    if code == 403 and retry_after is None and (remaining or "").strip() != "0":
        return None
    if code == 503 and retry_after is None:
        return None
    if retry_after is not None:
        return retry_after
    return reset if reset is not None else UNSAID_WAIT


def _refusal(error: urllib.error.HTTPError, timeout: float, url: str) -> Unavailable:
    said = describe(error, timeout, url)
    if error.code == 401:
        return Unavailable(f"not read: the token was refused ({said}): is it set, valid and unexpired?", final=True)
    if error.code == 403:
        return Unavailable(f"not read: private, or the token may not read it ({said})")
    if error.code == 404:
        return Unavailable(f"not read: gone, or private to the token ({said})")
    if error.code == 410:
        return Unavailable(f"not read: gone, deleted ({said})")
    if 300 <= error.code < 400:
        return Unavailable(f"not read: moved ({said}); write its new link")
    return Unavailable(f"not read: {said}")


# Requests


class Session:
    """Requests to one tracker's API with its credentials, bounded by the run's `Budget`. Once a request fails for
    good (`Unavailable.final`), every later one fails at once with the same reason, without a request."""

    def __init__(self, tracker: Tracker, environ: Mapping[str, str], budget: Budget):
        self.tracker, self.budget = tracker, budget
        self.api = api_base(tracker)
        self.stopped: str | None = None
        self.quota_until: float | None = None  # epoch: the last answer said the quota is spent until then
        self.headers = {"Accept": "application/json"}
        token = environ.get(tracker.token_env, "") if tracker.token_env else ""
        if tracker.token_env and not token:
            self.stopped = f"not read: the environment variable {env_shown(tracker.token_env)} (`token_env`) is not set"
        elif tracker.kind == "github":
            self.headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
            if token:
                self.headers["Authorization"] = f"Bearer {token}"
        elif tracker.kind == "gitlab" and token:
            self.headers["PRIVATE-TOKEN"] = token
        elif tracker.kind == "jira" and token:
            user = environ.get(tracker.user_env, "") if tracker.user_env else ""
            if tracker.user_env and not user:
                self.stopped = (
                    f"not read: the environment variable {env_shown(tracker.user_env)} (`user_env`) is not set"
                )
            pair = base64.b64encode(f"{user}:{token}".encode()).decode("ascii")
            self.headers["Authorization"] = f"Basic {pair}" if user else f"Bearer {token}"

    def call(self, url: str, body: Mapping | None = None) -> tuple[Any, Message]:
        """The JSON answer to a GET of `url` (a POST of `body`), and its headers; `Unavailable` when there is none."""
        if self.stopped:
            raise Unavailable(self.stopped, final=True)
        try:
            return self._call(url, body)
        except Unavailable as error:
            if error.final:
                self.stopped = error.reason
            raise

    def _call(self, url: str, body: Mapping | None) -> tuple[Any, Message]:
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {**self.headers, **({"Content-Type": "application/json"} if data is not None else {})}
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if self.quota_until is not None:
                wait, self.quota_until = self.quota_until - self.budget.wall(), None
                self.budget.wait(wait, "the rate limit is spent")
            seconds = self.budget.request_seconds()
            try:
                with request(url, Deadline(seconds), data, headers, credentials=False, user_agent=USER_AGENT) as answer:
                    raw = read_at_most(answer, MAX_ANSWER_BYTES)
                    self._note_quota(answer.headers)
                    return _json(raw, self.tracker.kind), answer.headers
            except urllib.error.HTTPError as error:
                error.close()
                limited = rate_limit_wait(error.code, error.headers, self.budget.wall())
                if limited is None:
                    raise _refusal(error, seconds, url) from None
                if attempt == MAX_ATTEMPTS:
                    raise Unavailable(f"not read: still rate limited after {attempt} attempts", final=True) from None
                self.budget.wait(limited, f"rate limited ({describe(error, seconds, url)})")
            except ResponseTooLarge:
                raise Unavailable(f"not read: the answer is larger than {MAX_ANSWER_BYTES // 2**20} MiB") from None
            except Unavailable:
                raise
            except Exception as error:  # any failure of the network said in our words, never with the URL's
                raise Unavailable(f"not read: unreachable ({describe(error, seconds, url)})") from None
        raise AssertionError("unreachable")

    def _note_quota(self, headers: Message) -> None:
        """After an answer that spent the quota (`X-RateLimit-Remaining: 0`, GitLab's `RateLimit-Remaining: 0`), the
        next request waits for its reset."""
        remaining = headers.get("X-RateLimit-Remaining") or headers.get("RateLimit-Remaining")
        if (remaining or "").strip() == "0":
            now = self.budget.wall()
            wait = _seconds_until(headers.get("X-RateLimit-Reset") or headers.get("RateLimit-Reset"), now)
            if wait is not None and wait > 0:
                self.quota_until = now + wait

    def pages(self, url: str, next_page: Callable[[Any, Message, str], str | None]) -> Iterator[Any]:
        """Each page's JSON from `url` on, the next one's URL given by `next_page(answer, headers, url)`; at most
        `MAX_PAGES`, never on another host than the API's (where the token would go)."""
        for _ in range(MAX_PAGES):
            data, headers = self.call(url)
            yield data
            following = next_page(data, headers, url)
            if not following:
                return
            if origin(urllib.parse.urljoin(url, following)) != origin(self.api):
                raise Unavailable("the next page is on another host than the API's; not followed")
            url = urllib.parse.urljoin(url, following)
        raise Unavailable(f"more than {MAX_PAGES} pages of {PER_PAGE}")


def _json(raw: bytes, kind: str) -> Any:
    try:
        return json.loads(raw) if raw.strip() else None
    except (ValueError, RecursionError):
        raise Unavailable(f"not read: the answer is not the JSON of the {kind} API") from None


def _with_query(url: str, **params: str | int) -> str:
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    query.update({key: str(value) for key, value in params.items()})
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def link_next(headers: Message, url: str) -> str | None:
    """The `rel="next"` URL of a `Link` header (GitHub, GitLab), else `url` at GitLab's `X-Next-Page` page."""
    for part in (headers.get("Link") or "").split(","):
        found = re.fullmatch(r'\s*<([^>]*)>\s*;(?:.*;)?\s*rel="?next"?\s*(?:;.*)?', part)
        if found:
            return found.group(1)
    number = (headers.get("X-Next-Page") or "").strip()
    return _with_query(url, page=number) if number.isdigit() else None


# What each tracker's answers say


def _object(data: Any, what: str) -> dict:
    if not isinstance(data, dict):
        raise Unavailable(f"not read: the answer is not {what}")
    return data


def _moment(text: Any) -> datetime | None:
    """An ISO 8601 time with an offset (`Z`, `+00:00`, Jira's `+0000`), or None."""
    if not isinstance(text, str):
        return None
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _utc_day(text: Any) -> date | None:
    moment = _moment(text)
    return moment.astimezone(timezone.utc).date() if moment else None


def _people(many: Any, one: Any, handle_key: str, name_key: str | None) -> tuple[Person, ...]:
    found = [person for person in (many if isinstance(many, list) else [one]) if isinstance(person, dict)]
    people = []
    for person in found:
        handle = person.get(handle_key)
        name = person.get(name_key) if name_key else None
        people.append(
            Person(f"@{handle}" if isinstance(handle, str) and handle else "", name if isinstance(name, str) else "")
        )
    return tuple(person for person in people if person.handle or person.name)


def github_ticket(link: str, data: Any) -> Ticket:
    """A GitHub issue (`GET /repos/{owner}/{repo}/issues/{number}`) in our words."""
    issue = _object(data, "a GitHub issue")
    state, reason = issue.get("state"), issue.get("state_reason")
    if state not in ("open", "closed"):
        raise Unavailable("not read: the answer is not a GitHub issue (its `state` is neither open nor closed)")
    people = _people(issue.get("assignees"), issue.get("assignee"), "login", None)
    if state == "open":
        return Ticket(link, "open", None, people, "open")
    wont = {"not_planned": "closed as not planned", "duplicate": "closed as a duplicate"}
    status = "wont-do" if reason in wont else "done"
    return Ticket(link, status, _utc_day(issue.get("closed_at")), people, wont.get(str(reason), "closed as completed"))


def gitlab_ticket(link: str, data: Any) -> Ticket:
    """A GitLab issue (`GET /projects/:id/issues/:iid`) in our words."""
    issue = _object(data, "a GitLab issue")
    state = issue.get("state")
    if state not in ("opened", "closed"):
        raise Unavailable("not read: the answer is not a GitLab issue (its `state` is neither opened nor closed)")
    people = _people(issue.get("assignees"), issue.get("assignee"), "username", "name")
    if state == "opened":
        return Ticket(link, "open", None, people, "open")
    return Ticket(link, "done", _utc_day(issue.get("closed_at")), people, "closed")


def jira_ticket(link: str, data: Any) -> Ticket:
    """A Jira issue (`GET /rest/api/3/issue/{key}`, or `/2/`) in our words."""
    fields = _object(_object(data, "a Jira issue").get("fields"), "a Jira issue with `fields`")
    status = _object(fields.get("status"), "a Jira issue with a `status`")
    group = status.get("statusCategory")
    category = group.get("key") if isinstance(group, dict) else None
    if not isinstance(category, str) or category not in ("new", "indeterminate", "done", "undefined"):
        raise Unavailable("not read: the answer is not a Jira issue (no `status.statusCategory.key`)")
    name = status["name"] if isinstance(status.get("name"), str) else category
    people = _people(None, fields.get("assignee"), "name", "displayName")
    if category != "done":
        return Ticket(link, "in-progress" if category == "indeterminate" else "open", None, people, name)
    resolution = fields.get("resolution")
    resolved = resolution["name"] if isinstance(resolution, dict) and isinstance(resolution.get("name"), str) else ""
    folded = resolved.replace("’", "'").casefold()
    closed = _utc_day(fields.get("resolutiondate")) or _utc_day(fields.get("statuscategorychangedate"))
    said = f"{name} ({resolved})" if resolved else name
    return Ticket(link, "wont-do" if folded in WONT_DO_RESOLUTIONS else "done", closed, people, said)


TICKET_READERS = {"github": github_ticket, "gitlab": gitlab_ticket, "jira": jira_ticket}


def read_ticket(session: Session, ref: TicketRef) -> Ticket:
    """The ticket `ref` names, read with one GET; `Unavailable` with the reason when it cannot be read."""
    data, _ = session.call(ref.api_url)
    return TICKET_READERS[session.tracker.kind](ref.link, data)


# The tickets `sync --create` opens


@dataclass(frozen=True)
class Opened:
    """A ticket `--create` opened, in a run before or this one: its title, its text and its link."""

    title: str
    text: str
    link: str


def tickets_opened(session: Session) -> list[Opened]:
    """Every ticket labelled `label` in `create_in`, open or closed, page after page: those `--create` opened."""
    tracker, api = session.tracker, session.api
    where = tracker.create_in or ""
    quote = urllib.parse.quote
    found: list[Opened] = []
    if tracker.kind == "github":
        url = f"{api}/repos/{where}/issues?" + urllib.parse.urlencode(
            {"state": "all", "labels": tracker.label, "per_page": PER_PAGE}
        )
        for page in session.pages(url, lambda data, headers, url: link_next(headers, url)):
            found += [
                Opened(str(issue.get("title")), str(issue.get("body") or ""), str(issue.get("html_url")))
                for issue in _list(page, "GitHub issues")
                if "pull_request" not in issue
            ]
    elif tracker.kind == "gitlab":
        url = f"{api}/projects/{quote(where, safe='')}/issues?" + urllib.parse.urlencode(
            {"labels": tracker.label, "scope": "all", "per_page": PER_PAGE}
        )
        for page in session.pages(url, lambda data, headers, url: link_next(headers, url)):
            found += [
                Opened(str(issue.get("title")), str(issue.get("description") or ""), str(issue.get("web_url")))
                for issue in _list(page, "GitLab issues")
            ]
    else:
        label = tracker.label.replace("\\", "\\\\").replace('"', '\\"')
        query = {"jql": f'project = "{where}" AND labels = "{label}"', "fields": "summary,description"}
        if _jira_version(api) == 3:  # Jira Cloud: the enhanced search, a token per next page
            url = f"{api}/search/jql?" + urllib.parse.urlencode({**query, "maxResults": PER_PAGE})
            pages = session.pages(url, _jira_next_token)
        else:  # Jira Data Center: startAt, maxResults and total
            url = f"{api}/search?" + urllib.parse.urlencode({**query, "startAt": 0, "maxResults": PER_PAGE})
            pages = session.pages(url, _jira_next_start)
        for page in pages:
            for issue in _list(_object(page, "a Jira search result").get("issues"), "Jira issues"):
                fields = issue["fields"] if isinstance(issue.get("fields"), dict) else {}
                text = json.dumps(fields.get("description"), ensure_ascii=False)  # v3: a document; v2: a string
                found.append(Opened(str(fields.get("summary")), text, f"{_jira_site(api)}/browse/{issue.get('key')}"))
    return found


def _list(data: Any, what: str) -> list[dict]:
    if not isinstance(data, list):
        raise Unavailable(f"the answer is not a list of {what}")
    return [item for item in data if isinstance(item, dict)]


def _jira_next_token(data: Any, headers: Message, url: str) -> str | None:
    token = data.get("nextPageToken") if isinstance(data, dict) else None
    if not isinstance(token, str) or not token or data.get("isLast") is True:
        return None  # the last page has no token (JRACLOUD-92184), or says `isLast`
    return _with_query(url, nextPageToken=token)


def _jira_next_start(data: Any, headers: Message, url: str) -> str | None:
    if not isinstance(data, dict):
        return None
    start, total, issues = data.get("startAt"), data.get("total"), data.get("issues")
    if not (isinstance(start, int) and isinstance(total, int) and isinstance(issues, list)) or not issues:
        return None
    following = start + len(issues)
    return _with_query(url, startAt=following) if following < total else None


def create_ticket(session: Session, title: str, lines: list[str]) -> str:
    """Open a ticket titled `title` whose text is `lines` in `create_in`, labelled `label`; its link."""
    tracker, api = session.tracker, session.api
    where = tracker.create_in or ""
    text = "\n".join(lines)
    if tracker.kind == "github":
        answer = _object(
            session.call(f"{api}/repos/{where}/issues", {"title": title, "body": text, "labels": [tracker.label]})[0],
            "a GitHub issue",
        )
        link = answer.get("html_url")
    elif tracker.kind == "gitlab":
        url = f"{api}/projects/{urllib.parse.quote(where, safe='')}/issues"
        answer = _object(
            session.call(url, {"title": title, "description": text, "labels": tracker.label})[0], "a GitLab issue"
        )
        link = answer.get("web_url")
    else:
        description: Any = text
        if _jira_version(api) == 3:  # Jira Cloud's v3 takes an Atlassian Document: a paragraph a line
            description = {
                "type": "doc",
                "version": 1,
                "content": [
                    {"type": "paragraph", "content": [{"type": "text", "text": line}]} for line in lines if line
                ],
            }
        fields = {
            "project": {"key": where},
            "summary": title,
            "issuetype": {"name": tracker.issue_type},
            "labels": [tracker.label],
            "description": description,
        }
        answer = _object(session.call(f"{api}/issue", {"fields": fields})[0], "a created Jira issue")
        key = answer.get("key")
        link = (
            f"{_jira_site(api)}/browse/{key}"
            if isinstance(key, str) and re.fullmatch(r"[A-Z][A-Z0-9_]*-\d+", key)
            else None
        )
    if not isinstance(link, str) or url_problem(link):
        raise Unavailable("the tracker's answer names no link to the ticket it opened")
    return link


def secrets_of(trackers: tuple[Tracker, ...], environ: Mapping[str, str]) -> list[str]:
    """The tokens the trackers read from the environment, for output to be checked against (`redact`)."""
    names = [tracker.token_env for tracker in trackers if tracker.token_env]
    return [environ[name] for name in names if environ.get(name)]


def redact(text: str, secrets: list[str]) -> str:
    """`text` with every secret replaced by `***`: a last guard, since no message is made from one."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= 4:
            text = text.replace(secret, "***")
    return text

"""A ticket tracker on 127.0.0.1 for the tests of `postmortems sync`: it answers each request from a table the test
fills (`FakeTracker.on`), in the shapes GitHub's, GitLab's and Jira's documentation gives, and records every request.

The shapes, as documented (trimmed to the fields a client reads, plus a few it must ignore):

- GitHub REST v3, "Get an issue" (https://docs.github.com/rest/issues/issues#get-an-issue): `state` open|closed,
  `state_reason` completed|not_planned|reopened|duplicate|null, `closed_at`, `assignee`/`assignees[].login`,
  `html_url`; errors `{"message": "Not Found", "documentation_url": ...}`; rate limits
  (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api): 403 or 429 with
  `x-ratelimit-remaining: 0` and `x-ratelimit-reset` (epoch seconds), or `retry-after` (seconds); pages
  (https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api): `link: <...>; rel="next"`.
- GitLab v4, "Single project issue" (https://docs.gitlab.com/ee/api/issues.html#single-project-issue): `state`
  opened|closed, `closed_at`, `assignees[]` with `username` and `name`, `web_url`; errors `{"message": "404 Not
  found"}`; rate limits (https://docs.gitlab.com/ee/user/admin_area/settings/user_and_ip_rate_limits.html): 429 with
  `Retry-After` and `RateLimit-Remaining`, `RateLimit-Reset` (epoch); pages: `Link` and `X-Next-Page`
  (https://docs.gitlab.com/ee/api/rest/#pagination).
- Jira Cloud REST v3, "Get issue"
  (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get):
  `fields.status.statusCategory.key` new|indeterminate|done, `fields.resolution.name`, `fields.resolutiondate`
  (`2024-03-20T15:04:05.000+0000`), `fields.assignee.displayName`; errors `{"errorMessages": [...], "errors": {}}`;
  rate limits (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/): 429 with `Retry-After` (seconds)
  and `X-RateLimit-Reset` (ISO 8601); the enhanced search
  (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-get)
  pages with `nextPageToken`, absent on the last page.
"""

from __future__ import annotations

import http.server
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

TOKEN = "ghp_t0k3nN3v3rPr1nt3dAnywh3r3"


@dataclass
class Reply:
    """One answer: a status, a JSON body (or raw bytes), headers, and how long to wait before answering."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class FakeTracker:
    """The table of answers and the log of requests, shared by the server's handler threads."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Reply]] = {}
        self.seen: list[Seen] = []
        self.stop = threading.Event()
        self.url = ""

    def on(self, method: str, path: str, *replies: Reply) -> None:
        """Answer `method path` (with its query, or without to match any) with `replies` in turn, the last for ever."""
        self.routes[(method, path)] = list(replies)

    def answer(self, method: str, path: str) -> Reply:
        replies = self.routes.get((method, path)) or self.routes.get((method, urlsplit(path).path))
        if not replies:
            return Reply(404, {"message": "Not Found"})
        return replies.pop(0) if len(replies) > 1 else replies[0]

    def paths(self, method: str = "GET") -> list[str]:
        return [seen.path for seen in self.seen if seen.method == method]


def _handler(tracker: FakeTracker):
    class Handler(http.server.BaseHTTPRequestHandler):
        def _reply(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            tracker.seen.append(Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            reply = tracker.answer(self.command, self.path)
            if reply.delay and tracker.stop.wait(reply.delay):
                return
            data = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value.replace("{url}", tracker.url))
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client gave up (a timeout under test)
                pass

        do_GET = do_POST = _reply  # the base class's naming

        def log_message(self, format, *args):  # the base class's signature
            pass

    return Handler


def serve(monkeypatch) -> Iterator[FakeTracker]:
    """A `FakeTracker` served on 127.0.0.1 (its `url`) for a test, stopped after it, sleeping answers cut short; each
    test module makes it its `tracker` fixture (`yield from serve(monkeypatch)`)."""
    for name in list(os.environ):  # requests to 127.0.0.1 go straight to it, whatever proxy the machine configures
        if name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)
    fake = FakeTracker()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    httpd.daemon_threads = True
    httpd.block_on_close = False
    fake.url = f"http://127.0.0.1:{httpd.server_port}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield fake
    fake.stop.set()
    httpd.shutdown()
    httpd.server_close()


# The documented shapes


def github_issue(number: int, state: str = "open", reason: str | None = None, closed_at=None, logins=(), base=""):
    """A GitHub issue as `GET /repos/{owner}/{repo}/issues/{number}` returns it (trimmed)."""
    people = [{"login": login, "id": 1000 + i, "type": "User", "site_admin": False} for i, login in enumerate(logins)]
    return {
        "id": 1_000_000 + number,
        "node_id": "MDU6SXNzdWUx",
        "url": f"{base}/api/repos/larkspur/checkout/issues/{number}",
        "html_url": f"{base}/larkspur/checkout/issues/{number}",
        "number": number,
        "state": state,
        "state_reason": reason,
        "title": "Size the pool for peak traffic",
        "body": "From the postmortem.",
        "user": {"login": "octocat", "id": 1},
        "labels": [{"name": "postmortem"}],
        "assignee": people[0] if people else None,
        "assignees": people,
        "locked": False,
        "comments": 0,
        "closed_at": closed_at,
        "created_at": "2024-03-15T09:00:00Z",
        "updated_at": closed_at or "2024-03-15T09:00:00Z",
        "author_association": "MEMBER",
    }


def gitlab_issue(iid: int, state: str = "opened", closed_at=None, people=(), base=""):
    """A GitLab issue as `GET /projects/:id/issues/:iid` returns it (trimmed); `people`: (username, name) pairs."""
    assignees = [
        {"id": 10 + i, "username": username, "name": name, "state": "active", "web_url": f"{base}/{username}"}
        for i, (username, name) in enumerate(people)
    ]
    return {
        "id": 5_000 + iid,
        "iid": iid,
        "project_id": 42,
        "title": "Alert on pool saturation",
        "description": "From the postmortem.",
        "state": state,
        "created_at": "2024-03-15T09:00:00.000Z",
        "updated_at": "2024-03-18T12:00:00.000Z",
        "closed_at": closed_at,
        "closed_by": {"username": "root"} if closed_at else None,
        "labels": ["postmortem"],
        "assignees": assignees,
        "assignee": assignees[0] if assignees else None,
        "type": "ISSUE",
        "web_url": f"{base}/platform/db/-/issues/{iid}",
    }


def jira_issue(key: str, category: str = "new", status: str = "To Do", resolution=None, resolved=None, assignee=None):
    """A Jira Cloud issue as `GET /rest/api/3/issue/{key}?fields=...` returns it (trimmed)."""
    ids = {"new": 2, "indeterminate": 4, "done": 3}
    return {
        "expand": "renderedFields,names,schema",
        "id": "10042",
        "self": f"https://larkspur.atlassian.net/rest/api/3/issue/{key}",
        "key": key,
        "fields": {
            "status": {
                "self": "https://larkspur.atlassian.net/rest/api/3/status/10001",
                "description": "",
                "name": status,
                "id": "10001",
                "statusCategory": {"id": ids[category], "key": category, "colorName": "green", "name": status},
            },
            "resolution": {"id": "10000", "name": resolution, "description": ""} if resolution else None,
            "resolutiondate": resolved,
            "statuscategorychangedate": resolved or "2024-03-15T09:00:00.000+0000",
            "assignee": {
                "accountId": "5b10a2844c20165700ede21g",
                "displayName": assignee,
                "active": True,
                "timeZone": "Europe/London",
            }
            if assignee
            else None,
        },
    }


GITHUB_NOT_FOUND = {
    "message": "Not Found",
    "documentation_url": "https://docs.github.com/rest/issues/issues#get-an-issue",
}
GITHUB_BAD_CREDENTIALS = {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}
GITHUB_RATE_LIMITED = {
    "message": "API rate limit exceeded for user ID 1.",
    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
}
GITLAB_NOT_FOUND = {"message": "404 Not found"}
GITLAB_UNAUTHORIZED = {"message": "401 Unauthorized"}
JIRA_NOT_FOUND = {"errorMessages": ["Issue does not exist or you do not have permission to see it."], "errors": {}}

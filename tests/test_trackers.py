"""`trackers.py`: each tracker's REST API as its documentation shapes it (`tracker_support.py` cites each shape),
served on 127.0.0.1: tickets read in our words, missing and private tickets, a refused token, rate limits (429 with
`Retry-After`, GitHub's `X-RateLimit-Remaining: 0` until its reset, GitLab's `RateLimit-*`, Jira's ISO reset) within a
cap on waiting, slow servers bounded per request and per run, pagination, tickets opened, and no token in any
message."""

from __future__ import annotations

import base64
from datetime import date, datetime, timezone
from email.message import Message

import pytest

from mkdocs_postmortems.checks.drift import Person
from mkdocs_postmortems.policy import Tracker
from mkdocs_postmortems.trackers import (
    Budget,
    Session,
    Unavailable,
    api_base,
    create_ticket,
    rate_limit_wait,
    read_ticket,
    redact,
    ticket_ref,
    tickets_opened,
    tracker_of,
    tracker_problem,
)
from tracker_support import (
    GITHUB_BAD_CREDENTIALS,
    GITHUB_NOT_FOUND,
    GITHUB_RATE_LIMITED,
    GITLAB_NOT_FOUND,
    GITLAB_UNAUTHORIZED,
    JIRA_NOT_FOUND,
    TOKEN,
    Reply,
    github_issue,
    gitlab_issue,
    jira_issue,
    serve,
)


@pytest.fixture
def tracker(monkeypatch):
    yield from serve(monkeypatch)


ENV = {"GITHUB_TOKEN": TOKEN, "GITLAB_TOKEN": TOKEN, "JIRA_TOKEN": TOKEN, "JIRA_USER": "sre-bot@larkspur.example"}


class Clock:
    """A run's clock that moves only when it sleeps: rate-limit waits are recorded, never waited for."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def budget(self, **limits) -> Budget:
        return Budget(clock=lambda: self.now, wall=lambda: self.now, sleep=self.sleep, **limits)


def github(url: str, **more) -> Tracker:
    return Tracker("github", f"{url}/", api=f"{url}/api", token_env="GITHUB_TOKEN", **more)


def gitlab(url: str, **more) -> Tracker:
    return Tracker("gitlab", f"{url}/", api=f"{url}/api/v4", token_env="GITLAB_TOKEN", **more)


def jira(url: str, version: int = 3, **more) -> Tracker:
    return Tracker("jira", f"{url}/browse/", api=f"{url}/rest/api/{version}", token_env="JIRA_TOKEN", **more)


def read(tracker: Tracker, link: str, clock: Clock | None = None, env=ENV, **limits):
    session = Session(tracker, env, (clock or Clock()).budget(**limits))
    return read_ticket(session, ticket_ref(tracker, link))


# Links and configuration


def test_each_kind_of_link_is_read_from_its_api():
    hub = Tracker("github", "https://github.com/")
    assert ticket_ref(hub, "https://github.com/larkspur/checkout/issues/12").api_url == (
        "https://api.github.com/repos/larkspur/checkout/issues/12"
    )
    assert ticket_ref(hub, "https://github.com/larkspur/checkout/pull/7#issuecomment-1").api_url.endswith("/issues/7")
    enterprise = Tracker("github", "https://git.larkspur.example/")
    assert ticket_ref(enterprise, "https://git.larkspur.example/sre/db/issues/3").api_url == (
        "https://git.larkspur.example/api/v3/repos/sre/db/issues/3"
    )
    lab = Tracker("gitlab", "https://gitlab.example.com/")
    assert ticket_ref(lab, "https://gitlab.example.com/platform/sub/db/-/issues/9").api_url == (
        "https://gitlab.example.com/api/v4/projects/platform%2Fsub%2Fdb/issues/9"
    )
    below = Tracker("gitlab", "https://example.com/gitlab/", api="https://example.com/gitlab/api/v4")
    assert ticket_ref(below, "https://example.com/gitlab/platform/db/-/issues/9").api_url == (
        "https://example.com/gitlab/api/v4/projects/platform%2Fdb/issues/9"
    )
    cloud = Tracker("jira", "https://larkspur.atlassian.net/browse/")
    assert ticket_ref(cloud, "https://larkspur.atlassian.net/browse/OPS-12").api_url == (
        "https://larkspur.atlassian.net/rest/api/3/issue/OPS-12"
        "?fields=status,resolution,resolutiondate,statuscategorychangedate,assignee"
    )
    for tracker, link in (
        (hub, "https://github.com/larkspur/checkout/commit/abc123"),
        (lab, "https://gitlab.example.com/platform/db/-/merge_requests/4"),
        (cloud, "https://larkspur.atlassian.net/jira/software/projects/OPS/boards/1"),
    ):
        assert ticket_ref(tracker, link) is None


def test_a_link_belongs_to_the_tracker_with_the_longest_matching_prefix():
    public = Tracker("github", "https://github.com/")
    ours = Tracker("github", "https://github.com/larkspur/", token_env="GITHUB_TOKEN")
    assert tracker_of("https://github.com/larkspur/x/issues/1", (public, ours)) is ours
    assert tracker_of("https://github.com/other/x/issues/1", (public, ours)) is public
    assert tracker_of("https://jira.example.com/browse/OPS-1", (public, ours)) is None
    assert api_base(
        Tracker("jira", "https://jira.example.com/browse/", api="https://jira.example.com/rest/api/2/")
    ) == ("https://jira.example.com/rest/api/2")


@pytest.mark.parametrize(
    "tracker, problem",
    [
        (Tracker("github", "github.com/"), "`links` is not an http:// or https:// URL"),
        (Tracker("jira", "https://j.example/browse/", api="https://j.example"), "must end in `/rest/api/3`"),
        (Tracker("gitlab", "https://g.example/", api="https://g.example/api/v3"), "must end in `/api/v4`"),
        (Tracker("github", "https://github.com/", create_in="larkspur"), "`create_in` is not `owner/repo`"),
        (Tracker("jira", "https://j.example/browse/", create_in="ops"), "`create_in` is not a project key"),
        (Tracker("github", "https://github.com/", user_env="JIRA_USER"), "`user_env` is for Jira Cloud only"),
        (Tracker("github", "https://github.com/", token_env=TOKEN + "!"), "not the name of an environment variable"),
    ],
)
def test_options_that_cannot_be_used_are_refused_never_repeating_a_token(tracker, problem):
    said = tracker_problem(tracker)
    assert said is not None and problem in said
    assert TOKEN not in said


def test_usable_options_have_no_problem():
    for tracker in (
        Tracker("github", "https://github.com/", token_env="GITHUB_TOKEN", create_in="larkspur/checkout"),
        Tracker("gitlab", "https://gitlab.com/", create_in="platform/db"),
        Tracker("jira", "https://larkspur.atlassian.net/browse/", token_env="JIRA_TOKEN", user_env="JIRA_USER"),
        Tracker("jira", "https://jira.example.com/browse/", api="https://jira.example.com/rest/api/2", create_in="OPS"),
    ):
        assert tracker_problem(tracker) is None, tracker


# Tickets in our words (happy path), each tracker's documented shape


@pytest.mark.parametrize(
    "state, reason, status, said",
    [
        ("open", None, "open", "open"),
        ("open", "reopened", "open", "open"),
        ("closed", "completed", "done", "closed as completed"),
        ("closed", None, "done", "closed as completed"),
        ("closed", "not_planned", "wont-do", "closed as not planned"),
        ("closed", "duplicate", "wont-do", "closed as a duplicate"),
    ],
)
def test_a_github_issue_in_our_words(tracker, state, reason, status, said):
    closed_at = "2024-03-20T23:30:00Z" if state == "closed" else None
    tracker.on(
        "GET",
        "/api/repos/larkspur/checkout/issues/12",
        Reply(200, github_issue(12, state, reason, closed_at, ["ana", "bo"])),
    )
    ticket = read(github(tracker.url), f"{tracker.url}/larkspur/checkout/issues/12")
    assert (ticket.status, ticket.said) == (status, said)
    assert ticket.closed == (date(2024, 3, 20) if closed_at else None)
    assert ticket.assignees == (Person("@ana"), Person("@bo"))
    (seen,) = tracker.seen
    assert seen.headers["authorization"] == f"Bearer {TOKEN}"
    assert seen.headers["accept"] == "application/vnd.github+json"
    assert seen.headers["x-github-api-version"] == "2022-11-28"


def test_a_gitlab_issue_in_our_words_its_project_path_encoded(tracker):
    tracker.on(
        "GET",
        "/api/v4/projects/platform%2Fdb/issues/9",
        Reply(200, gitlab_issue(9, "closed", "2024-03-18T12:00:00.000Z", [("ana.lopez", "Ana Lopez")])),
    )
    ticket = read(gitlab(tracker.url), f"{tracker.url}/platform/db/-/issues/9")
    assert (ticket.status, ticket.closed, ticket.said) == ("done", date(2024, 3, 18), "closed")
    assert ticket.assignees == (Person("@ana.lopez", "Ana Lopez"),)
    assert tracker.seen[0].headers["private-token"] == TOKEN
    tracker.on("GET", "/api/v4/projects/platform%2Fdb/issues/10", Reply(200, gitlab_issue(10)))
    assert read(gitlab(tracker.url), f"{tracker.url}/platform/db/-/issues/10").status == "open"


@pytest.mark.parametrize(
    "category, name, resolution, status, said",
    [
        ("new", "To Do", None, "open", "To Do"),
        ("indeterminate", "In Progress", None, "in-progress", "In Progress"),
        ("done", "Done", "Done", "done", "Done (Done)"),
        ("done", "Closed", "Won't Do", "wont-do", "Closed (Won't Do)"),
        ("done", "Closed", "Duplicate", "wont-do", "Closed (Duplicate)"),
    ],
)
def test_a_jira_issue_in_our_words(tracker, category, name, resolution, status, said):
    resolved = "2024-03-20T23:30:00.000-0500" if category == "done" else None  # the next day in UTC
    tracker.on(
        "GET",
        "/rest/api/3/issue/OPS-7",
        Reply(200, jira_issue("OPS-7", category, name, resolution, resolved, "Ana Lopez")),
    )
    ticket = read(jira(tracker.url, user_env="JIRA_USER"), f"{tracker.url}/browse/OPS-7")
    assert (ticket.status, ticket.said, ticket.assignees) == (status, said, (Person("", "Ana Lopez"),))
    assert ticket.closed == (date(2024, 3, 21) if resolved else None)
    (seen,) = tracker.seen
    assert (
        seen.path == "/rest/api/3/issue/OPS-7?fields=status,resolution,resolutiondate,statuscategorychangedate,assignee"
    )
    pair = base64.b64encode(f"sre-bot@larkspur.example:{TOKEN}".encode()).decode()
    assert seen.headers["authorization"] == f"Basic {pair}"


def test_jira_data_center_reads_v2_with_a_bearer_token_and_user_names_as_handles(tracker):
    issue = jira_issue("OPS-8", "done", "Done", "Fixed", None)
    issue["fields"]["statuscategorychangedate"] = "2024-03-19T08:00:00.000+0000"  # no resolution date: this one
    issue["fields"]["assignee"] = {"name": "alopez", "displayName": "Ana Lopez", "active": True}
    tracker.on("GET", "/rest/api/2/issue/OPS-8", Reply(200, issue))
    ticket = read(jira(tracker.url, version=2), f"{tracker.url}/browse/OPS-8")
    assert (ticket.status, ticket.closed, ticket.assignees) == (
        "done",
        date(2024, 3, 19),
        (Person("@alopez", "Ana Lopez"),),
    )
    assert tracker.seen[0].headers["authorization"] == f"Bearer {TOKEN}"


def test_an_answer_not_of_the_documented_shape_is_no_ticket(tracker):
    tracker.on("GET", "/api/repos/o/r/issues/1", Reply(200, {"state": "merged"}))
    tracker.on("GET", "/api/repos/o/r/issues/2", Reply(200, b"<html>sign in</html>"))
    tracker.on("GET", "/rest/api/3/issue/OPS-1", Reply(200, {"fields": {"status": {"name": "Open"}}}))
    for tracker_config, link in (
        (github(tracker.url), f"{tracker.url}/o/r/issues/1"),
        (github(tracker.url), f"{tracker.url}/o/r/issues/2"),
        (jira(tracker.url), f"{tracker.url}/browse/OPS-1"),
    ):
        with pytest.raises(Unavailable, match="not read: the answer is not"):
            read(tracker_config, link)


# Gone, private, refused


@pytest.mark.parametrize(
    "make, path, link, reply, said",
    [
        (
            github,
            "/api/repos/o/r/issues/404",
            "/o/r/issues/404",
            Reply(404, GITHUB_NOT_FOUND),
            "gone, or private to the token (HTTP 404 Not Found)",
        ),
        (
            github,
            "/api/repos/o/r/issues/410",
            "/o/r/issues/410",
            Reply(410, {"message": "This issue was deleted"}),
            "gone, deleted (HTTP 410 Gone)",
        ),
        (
            github,
            "/api/repos/o/r/issues/403",
            "/o/r/issues/403",
            Reply(403, {"message": "Must have admin rights"}),
            "private, or the token may not read it (HTTP 403 Forbidden)",
        ),
        (
            github,
            "/api/repos/o/r/issues/301",
            "/o/r/issues/301",
            Reply(301, GITHUB_NOT_FOUND, {"Location": "{url}/api/repositories/9/issues/1?secret=1"}),
            "moved (HTTP 301 Moved Permanently, a redirect to http://127.0.0.1",
        ),
        (
            gitlab,
            "/api/v4/projects/a%2Fb/issues/4",
            "/a/b/-/issues/4",
            Reply(404, GITLAB_NOT_FOUND),
            "gone, or private to the token",
        ),
        (
            jira,
            "/rest/api/3/issue/OPS-404",
            "/browse/OPS-404",
            Reply(404, JIRA_NOT_FOUND),
            "gone, or private to the token",
        ),
    ],
)
def test_a_missing_or_private_ticket_is_not_read_and_says_why(tracker, make, path, link, reply, said):
    tracker.on("GET", path, reply)
    with pytest.raises(Unavailable) as raised:
        read(make(tracker.url), tracker.url + link)
    assert said in raised.value.reason and not raised.value.final
    assert "secret" not in raised.value.reason and "repositories" not in raised.value.reason


@pytest.mark.parametrize(
    "make, path, link, body",
    [
        (github, "/api/repos/o/r/issues/1", "/o/r/issues/1", GITHUB_BAD_CREDENTIALS),
        (gitlab, "/api/v4/projects/a%2Fb/issues/1", "/a/b/-/issues/1", GITLAB_UNAUTHORIZED),
        (jira, "/rest/api/3/issue/OPS-1", "/browse/OPS-1", {"errorMessages": ["Client must be authenticated"]}),
    ],
)
def test_a_refused_token_stops_the_tracker_without_more_requests(tracker, make, path, link, body):
    tracker.on("GET", path, Reply(401, body))
    session = Session(make(tracker.url), ENV, Clock().budget())
    ref = ticket_ref(session.tracker, tracker.url + link)
    for _ in range(3):
        with pytest.raises(Unavailable, match="the token was refused") as raised:
            read_ticket(session, ref)
        assert raised.value.final and TOKEN not in raised.value.reason
    assert len(tracker.seen) == 1


def test_a_token_variable_not_set_reads_nothing_and_says_which(tracker):
    session = Session(github(tracker.url), {}, Clock().budget())
    with pytest.raises(Unavailable, match="the environment variable `GITHUB_TOKEN` \\(`token_env`\\) is not set"):
        read_ticket(session, ticket_ref(session.tracker, f"{tracker.url}/o/r/issues/1"))
    assert tracker.seen == []
    public = Tracker("github", f"{tracker.url}/", api=f"{tracker.url}/api")  # no token_env: read without one
    tracker.on("GET", "/api/repos/o/r/issues/1", Reply(200, github_issue(1)))
    assert read(public, f"{tracker.url}/o/r/issues/1", env={}).status == "open"
    assert "authorization" not in tracker.seen[0].headers


# Rate limits


def test_a_429_waits_as_retry_after_says_then_reads(tracker):
    clock = Clock()
    tracker.on(
        "GET",
        "/api/repos/o/r/issues/1",
        Reply(429, GITHUB_RATE_LIMITED, {"Retry-After": "7"}),
        Reply(200, github_issue(1, "closed", "completed", "2024-03-20T10:00:00Z")),
    )
    assert read(github(tracker.url), f"{tracker.url}/o/r/issues/1", clock).status == "done"
    assert clock.slept == [7.0] and len(tracker.seen) == 2


def test_githubs_spent_quota_waits_for_its_reset_both_when_refused_and_after_the_last_request(tracker):
    clock = Clock()
    reset = str(int(clock.now) + 30)
    spent = {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
    tracker.on("GET", "/api/repos/o/r/issues/1", Reply(403, GITHUB_RATE_LIMITED, spent), Reply(200, github_issue(1)))
    tracker.on(
        "GET",
        "/api/repos/o/r/issues/2",
        Reply(200, github_issue(2), dict(spent, **{"X-RateLimit-Reset": str(int(clock.now) + 75)})),
    )
    tracker.on("GET", "/api/repos/o/r/issues/3", Reply(200, github_issue(3)))
    session = Session(github(tracker.url), ENV, clock.budget(max_wait=200))
    for number in (1, 2, 3):
        read_ticket(session, ticket_ref(session.tracker, f"{tracker.url}/o/r/issues/{number}"))
    assert clock.slept == [30.0, 45.0]  # the 403 until its reset; then, before issue 3, until the last answer's reset


def test_gitlabs_ratelimit_headers_and_jiras_iso_reset_are_honoured(tracker):
    clock = Clock()
    tracker.on(
        "GET",
        "/api/v4/projects/a%2Fb/issues/1",
        Reply(
            429,
            {"message": "Retry later"},
            {"RateLimit-Limit": "600", "RateLimit-Remaining": "0", "RateLimit-Reset": str(int(clock.now) + 12)},
        ),
        Reply(200, gitlab_issue(1)),
    )
    assert read(gitlab(tracker.url), f"{tracker.url}/a/b/-/issues/1", clock).status == "open"
    assert clock.slept == [12.0]
    clock = Clock()
    clock.now = datetime(2027, 1, 15, 8, 0, tzinfo=timezone.utc).timestamp()
    iso = "2027-01-15T08:01Z"  # Jira's `yyyy-MM-ddTHH:mmZ`, a minute later
    tracker.on(
        "GET",
        "/rest/api/3/issue/OPS-2",
        Reply(
            429,
            {"errorMessages": ["Rate limit exceeded."]},
            {"X-RateLimit-Reset": iso, "RateLimit-Reason": "jira-quota-based"},
        ),
        Reply(429, {"errorMessages": ["Rate limit exceeded."]}, {"Retry-After": "5"}),
        Reply(200, jira_issue("OPS-2")),
    )
    assert read(jira(tracker.url), f"{tracker.url}/browse/OPS-2", clock, max_wait=120).status == "open"
    assert clock.slept == [60.0, 5.0]


def test_a_wait_beyond_the_cap_is_not_waited_and_stops_the_tracker(tracker):
    clock = Clock()
    tracker.on("GET", "/api/repos/o/r/issues/1", Reply(429, GITHUB_RATE_LIMITED, {"Retry-After": "3600"}))
    session = Session(github(tracker.url), ENV, clock.budget(max_wait=60))
    for number in (1, 2):
        with pytest.raises(Unavailable, match=r"rate limited .* for 3600 s more, longer than the 60 s of waiting left"):
            read_ticket(session, ticket_ref(session.tracker, f"{tracker.url}/o/r/issues/{number}"))
    assert clock.slept == [] and len(tracker.seen) == 1


def test_the_waits_of_a_run_add_up_to_the_cap_at_most(tracker):
    clock = Clock()
    tracker.on("GET", "/api/repos/o/r/issues/1", Reply(429, GITHUB_RATE_LIMITED, {"Retry-After": "40"}))
    session = Session(github(tracker.url), ENV, clock.budget(max_wait=100))
    with pytest.raises(Unavailable, match="for 40 s more, longer than the 20 s of waiting left"):
        read_ticket(session, ticket_ref(session.tracker, f"{tracker.url}/o/r/issues/1"))
    assert clock.slept == [40.0, 40.0]


@pytest.mark.parametrize(
    "code, headers, wait",
    [
        (429, {}, 60.0),  # says nothing: GitHub's "wait at least one minute"
        (429, {"Retry-After": "Wed, 21 Oct 2015 07:28:10 GMT"}, 10.0),
        (403, {}, None),  # a refusal, no rate limit
        (403, {"Retry-After": "20"}, 20.0),  # GitHub's secondary rate limit
        (503, {}, None),
        (503, {"Retry-After": "3"}, 3.0),
        (404, {"Retry-After": "3"}, None),
    ],
)
def test_what_counts_as_a_rate_limit(code, headers, wait):
    message = Message()
    for name, value in headers.items():
        message[name] = value
    now = 1445412480.0  # 2015-10-21 07:28:00 UTC
    assert rate_limit_wait(code, message, now) == wait


# Slow servers


def test_a_slow_server_times_out_per_request_and_the_run_ends_by_its_time(tracker):
    tracker.on("GET", "/api/repos/o/r/issues/1", Reply(200, github_issue(1), delay=30))
    tracker.on("GET", "/api/repos/o/r/issues/2", Reply(200, github_issue(2), delay=30))
    session = Session(github(tracker.url), ENV, Budget(timeout=0.3, total=0.5))
    ref = ticket_ref(session.tracker, f"{tracker.url}/o/r/issues/1")
    with pytest.raises(Unavailable, match=r"not read: unreachable \(timed out after 0.3 s\)") as raised:
        read_ticket(session, ref)
    assert not raised.value.final
    reasons = []
    for _ in range(3):
        try:
            read_ticket(session, ticket_ref(session.tracker, f"{tracker.url}/o/r/issues/2"))
        except Unavailable as error:
            reasons.append(error.reason)
    assert reasons[-1] == "not read: the run's 0.5 s (`--max-time`) were up"
    assert len(tracker.seen) <= 3  # no request once the run's time is up


# Pagination: the tickets `--create` opened before


def test_github_lists_every_page_by_its_link_header_and_skips_pull_requests(tracker):
    hub = github(tracker.url, create_in="larkspur/checkout")
    first = "/api/repos/larkspur/checkout/issues?state=all&labels=postmortem&per_page=100"
    pull = dict(github_issue(3), pull_request={"url": "..."})
    tracker.on(
        "GET",
        first,
        Reply(
            200,
            [github_issue(1), pull],
            {
                "Link": '<{url}/api/repositories/9/issues?page=2>; rel="next", <{url}/api/repositories/9/issues?page=3>; rel="last"'
            },
        ),
    )
    tracker.on(
        "GET",
        "/api/repositories/9/issues?page=2",
        Reply(200, [github_issue(2)], {"Link": '<{url}/api/repositories/9/issues?page=3>; rel="next"'}),
    )
    tracker.on(
        "GET",
        "/api/repositories/9/issues?page=3",
        Reply(200, [github_issue(4)], {"Link": '<{url}/api/repositories/9/issues?page=1>; rel="first"'}),
    )
    opened = tickets_opened(Session(hub, ENV, Clock().budget()))
    assert [each.link.rsplit("/", 1)[1] for each in opened] == ["1", "2", "4"]
    assert tracker.paths() == [first, "/api/repositories/9/issues?page=2", "/api/repositories/9/issues?page=3"]


def test_gitlab_lists_every_page_by_x_next_page(tracker):
    lab = gitlab(tracker.url, create_in="platform/db")
    base = "/api/v4/projects/platform%2Fdb/issues?labels=postmortem&scope=all&per_page=100"
    tracker.on("GET", base, Reply(200, [gitlab_issue(1)], {"X-Next-Page": "2", "X-Page": "1"}))
    tracker.on("GET", base + "&page=2", Reply(200, [gitlab_issue(2)], {"X-Next-Page": "", "X-Page": "2"}))
    opened = tickets_opened(Session(lab, ENV, Clock().budget()))
    assert [each.title for each in opened] == ["Alert on pool saturation"] * 2 and len(tracker.seen) == 2


def test_jira_cloud_pages_by_next_page_token_and_data_center_by_start_at(tracker):
    def found(key):
        return {
            "id": "1",
            "key": key,
            "fields": {"summary": f"Item {key}", "description": {"type": "doc", "version": 1, "content": []}},
        }

    cloud = jira(tracker.url, create_in="OPS")
    first = "/rest/api/3/search/jql?jql=project+%3D+%22OPS%22+AND+labels+%3D+%22postmortem%22&fields=summary%2Cdescription&maxResults=100"
    tracker.on("GET", first, Reply(200, {"issues": [found("OPS-1")], "nextPageToken": "CAEaAggD", "isLast": False}))
    tracker.on("GET", first + "&nextPageToken=CAEaAggD", Reply(200, {"issues": [found("OPS-2")], "isLast": True}))
    opened = tickets_opened(Session(cloud, ENV, Clock().budget()))
    assert [each.link for each in opened] == [f"{tracker.url}/browse/OPS-1", f"{tracker.url}/browse/OPS-2"]
    center = jira(tracker.url, version=2, create_in="OPS")
    base = "/rest/api/2/search?jql=project+%3D+%22OPS%22+AND+labels+%3D+%22postmortem%22&fields=summary%2Cdescription"
    tracker.on(
        "GET",
        base + "&startAt=0&maxResults=100",
        Reply(200, {"startAt": 0, "maxResults": 100, "total": 101, "issues": [found(f"OPS-{n}") for n in range(100)]}),
    )
    tracker.on(
        "GET",
        base + "&startAt=100&maxResults=100",
        Reply(200, {"startAt": 100, "maxResults": 100, "total": 101, "issues": [found("OPS-100")]}),
    )
    assert len(tickets_opened(Session(center, ENV, Clock().budget()))) == 101


def test_a_next_page_on_another_host_is_not_followed_with_the_token(tracker):
    hub = github(tracker.url, create_in="o/r")
    tracker.on(
        "GET",
        "/api/repos/o/r/issues",
        Reply(200, [github_issue(1)], {"Link": '<http://198.51.100.7/steal?page=2>; rel="next"'}),
    )
    with pytest.raises(Unavailable, match="another host"):
        tickets_opened(Session(hub, ENV, Clock().budget()))
    assert len(tracker.seen) == 1


# Opening tickets


def test_each_tracker_opens_a_ticket_in_its_documented_shape_and_gives_its_link(tracker):
    tracker.on("POST", "/api/repos/larkspur/checkout/issues", Reply(201, github_issue(31, base=tracker.url)))
    tracker.on("POST", "/api/v4/projects/platform%2Fdb/issues", Reply(201, gitlab_issue(32, base=tracker.url)))
    tracker.on(
        "POST",
        "/rest/api/3/issue",
        Reply(201, {"id": "10033", "key": "OPS-33", "self": "https://x/rest/api/3/issue/10033"}),
    )
    lines = ["Action item of the postmortem “Checkout latency” (2024-03-14-checkout).", "", "Owner: @ana"]
    for config, link in (
        (github(tracker.url, create_in="larkspur/checkout"), f"{tracker.url}/larkspur/checkout/issues/31"),
        (gitlab(tracker.url, create_in="platform/db"), f"{tracker.url}/platform/db/-/issues/32"),
        (jira(tracker.url, create_in="OPS"), f"{tracker.url}/browse/OPS-33"),
    ):
        assert create_ticket(Session(config, ENV, Clock().budget()), "Size the pool", lines) == link
    hub, lab, cloud = (seen.body for seen in tracker.seen)
    assert hub == {"title": "Size the pool", "body": "\n".join(lines), "labels": ["postmortem"]}
    assert lab == {"title": "Size the pool", "description": "\n".join(lines), "labels": "postmortem"}
    assert cloud["fields"]["project"] == {"key": "OPS"} and cloud["fields"]["issuetype"] == {"name": "Task"}
    assert cloud["fields"]["description"]["type"] == "doc"  # v3 takes an Atlassian Document
    assert [p["content"][0]["text"] for p in cloud["fields"]["description"]["content"]] == [lines[0], lines[2]]
    assert all(seen.headers["content-type"] == "application/json" for seen in tracker.seen)


# Secrets


def test_no_message_holds_the_token(tracker):
    tracker.on("GET", "/api/repos/o/r/issues/1", Reply(500, {"message": f"echo {TOKEN}"}))
    with pytest.raises(Unavailable) as raised:
        read(github(tracker.url), f"{tracker.url}/o/r/issues/1")
    assert raised.value.reason == "not read: HTTP 500 Internal Server Error"
    assert redact(f"a {TOKEN} b", [TOKEN]) == "a *** b"

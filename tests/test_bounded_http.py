"""`bounded_http.py`, what `notify` and `sync` share, on 127.0.0.1: one deadline per request, no redirect followed,
credentials only when asked, answers read up to a cap, and URLs and failures said without their secrets.
(`test_notify_hostile.py` tries the same through `postmortems notify`.)"""

from __future__ import annotations

import socket
import urllib.error

import pytest

from mkdocs_postmortems.bounded_http import (
    Deadline,
    ResponseTooLarge,
    describe,
    read_at_most,
    request,
    retryable,
    shown_url,
    url_problem,
)
from tracker_support import Reply, serve


@pytest.fixture
def tracker(monkeypatch):
    yield from serve(monkeypatch)


def test_a_url_is_shown_without_its_user_password_or_query():
    assert shown_url("https://bot:s3cret@example.com/hooks/1?token=abc") == "https://***@example.com/hooks/1?***"
    assert shown_url("not a url") == "the URL given"
    assert url_problem("ftp://example.com/") == "is not an http:// or https:// URL"
    assert url_problem("https://example.com:99999/") == "has a host or port that cannot be read"
    assert url_problem("https://example.com/ok") is None


def test_a_request_ends_by_its_deadline_and_says_so_in_our_words(tracker):
    tracker.on("GET", "/slow", Reply(200, {}, delay=30))
    with pytest.raises(Exception) as raised:
        request(f"{tracker.url}/slow?key=s3cret", Deadline(0.3))
    assert describe(raised.value, 0.3, f"{tracker.url}/slow?key=s3cret") == "timed out after 0.3 s"
    assert retryable(raised.value)


def test_a_redirect_is_not_followed_and_said_by_its_host_only(tracker):
    tracker.on("GET", "/moved", Reply(302, {}, {"Location": "http://198.51.100.7/path?token=s3cret"}))
    with pytest.raises(urllib.error.HTTPError) as raised:
        request(f"{tracker.url}/moved", Deadline(5))
    said = describe(raised.value, 5, f"{tracker.url}/moved")
    assert said == "HTTP 302 Found, a redirect to http://198.51.100.7, not followed"
    assert tracker.paths() == ["/moved"] and not retryable(raised.value)


def test_credentials_in_a_url_are_sent_only_when_asked(tracker):
    tracker.on("GET", "/doc", Reply(200, {"ok": True}))
    host = tracker.url.removeprefix("http://")
    request(f"http://bot:pw@{host}/doc", Deadline(5), credentials=False).close()
    request(f"http://bot:pw@{host}/doc", Deadline(5), headers={"Accept": "application/json"}).close()
    without, with_them = tracker.seen
    assert "authorization" not in without.headers
    assert with_them.headers["authorization"] == "Basic Ym90OnB3" and with_them.headers["accept"] == "application/json"
    assert with_them.headers["user-agent"] == "mkdocs-postmortems"


def test_an_answer_is_read_up_to_the_cap_never_whole(tracker):
    tracker.on("GET", "/big", Reply(200, b"x" * 5000))
    with request(f"{tracker.url}/big", Deadline(5)) as answer, pytest.raises(ResponseTooLarge):
        read_at_most(answer, 1000)
    with request(f"{tracker.url}/big", Deadline(5)) as answer:
        assert len(read_at_most(answer, 5000)) == 5000


def test_failures_are_described_without_the_exceptions_text():
    assert describe(socket.gaierror("name of secret.example unknown"), 5) == "the host name could not be resolved"
    assert describe(ConnectionRefusedError(111, "refused s3cret"), 5) == "connection refused"
    assert describe(ValueError("s3cret"), 5) == "an unexpected ValueError"

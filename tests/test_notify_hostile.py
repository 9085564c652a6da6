"""`postmortems notify` against hostile servers and hostile documents, all local (127.0.0.1): servers that answer a
byte at a time or without end, webhooks that redirect, malformed incidents.json, and text in records meant for Slack.

Whatever they do, the command ends within its `--timeout` per request, refuses what it cannot use with one line (exit
1, or 2 for what the configuration or the command line got wrong), sends a webhook's POST nowhere but to it, and
never prints a webhook URL, a signing secret, or the credentials and query of a `--previous` URL. A command that
could hang runs in a subprocess that the test stops after `HANG_GUARD` seconds: a hang fails the test, no wall-clock
figure is asserted beyond that.
"""

from __future__ import annotations

import base64
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import ClassVar

import pytest

from cli_support import run
from mkdocs_postmortems.policy import Webhook
from mkdocs_postmortems.status_site.notify import Change, payload
from test_notify import FIRST, SECOND, incidents_json, project, view

HANG_GUARD = 20.0  # seconds: far above any bounded run here (about 1 s), far below a hang
TICK = 0.2  # seconds between two bytes of a trickling server: under --timeout, so no single read ever times out
CEILING = 256 * 1024 * 1024  # what an "endless" server sends at most, so that a regression cannot exhaust memory
PATH_SECRET = "T0SECRET/B0SECRET/xoxb-path-secret"  # a Slack URL's path is its secret
QUERY_SECRET = "query-token-s3cret"
SIGNING_SECRET = "signing-key-s3cret"
PASSWORD = "hunter2-pass"
LOCATION_SECRET = "location-token-s3cret"
SECRETS = (PATH_SECRET, "xoxb-path-secret", QUERY_SECRET, SIGNING_SECRET, PASSWORD, LOCATION_SECRET)
BEFORE, AFTER = incidents_json(view(FIRST)), incidents_json(view(SECOND, FIRST))


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch):
    """Requests to 127.0.0.1 go straight to it, whatever proxy the machine running the tests configures."""
    for name in list(os.environ):
        if name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)


class Hostile(http.server.BaseHTTPRequestHandler):
    """Answers by the path's first segments (the rest, and the query, hold secrets): `/doc` the previous deploy's
    incidents.json, `/sink` 200, `/status/N` N, `/redirect/N` N to `/sink` (with a token), `/moved` 302 to `/doc`,
    `/loop` 302 to itself, `/away` 302 to the `other` server's `/doc`, `/trickle-head` a status line and headers a
    byte at a time without end, `/trickle-body` headers, then a body a byte at a time without end, `/endless` a body
    as fast as it can (up to CEILING), `/declared-huge` a Content-Length of 400 MiB."""

    seen: ClassVar[list[tuple[str, str, dict]]] = []  # shared by every request's handler, read by the tests
    written: ClassVar[dict[str, int]] = {}
    stop = threading.Event()
    other = ""

    def do_GET(self):  # the base class's naming
        self.answer()

    def do_POST(self):  # the base class's naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.answer()

    def answer(self):
        segments = self.path.split("?")[0].split("/")
        route = "/".join(segments[:3] if segments[1] in ("status", "redirect") else segments[:2])
        self.seen.append((self.command, route, dict(self.headers)))
        if route == "/doc":
            self.reply(200, BEFORE.encode())
        elif route == "/sink":
            self.reply(200, b"ok")
        elif route.startswith("/status/"):
            self.reply(int(route.split("/")[2]), b"no")
        elif route.startswith("/redirect/"):
            self.reply(int(route.split("/")[2]), b"", Location=f"/sink/{LOCATION_SECRET}?token={LOCATION_SECRET}")
        elif route in ("/moved", "/loop", "/away"):
            target = {"/moved": "/doc", "/loop": "/loop", "/away": f"{self.other}/doc"}[route]
            self.reply(302, b"", Location=target)
        elif route == "/trickle-head":
            self.trickle(b"HTTP/1.0 200 OK\r\nX-Slow: " + b"a" * 10_000)
        elif route == "/trickle-body":
            self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n")
            self.trickle(b"[" * 10_000)
        elif route == "/endless":
            self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n")
            self.flood(route)
        elif route == "/declared-huge":
            self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n" % (400 * 1024 * 1024))
            self.trickle(b" " * 10_000)
        else:
            self.reply(404, b"")

    def reply(self, code: int, body: bytes, **headers: str):
        self.send_response(code)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def trickle(self, data: bytes):
        """`data` a byte each TICK, until the client hangs up (or the test ends)."""
        try:
            for byte in data:
                if self.stop.wait(TICK):
                    return
                self.wfile.write(bytes([byte]))
        except OSError:
            pass

    def flood(self, route: str):
        """Spaces as fast as the client takes them, up to CEILING; how many it took, in `written`."""
        chunk, sent = b" " * 65536, 0
        try:
            while sent < CEILING and not self.stop.is_set():
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass
        self.written[route] = sent

    def log_message(self, format, *args):  # the base class's signature
        pass


def serve() -> tuple[str, http.server.ThreadingHTTPServer]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_port}", httpd


@pytest.fixture
def server():
    Hostile.seen, Hostile.written, Hostile.stop = [], {}, threading.Event()
    (base, httpd), (other, other_httpd) = serve(), serve()
    Hostile.other = other
    yield base
    Hostile.stop.set()
    for each in (httpd, other_httpd):
        each.shutdown()
        each.server_close()


def cli(cwd: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """`postmortems ARGS` in a subprocess: its exit code and stdout + stderr; a test failure if it is still running
    after HANG_GUARD seconds."""
    environ = {name: value for name, value in os.environ.items() if not name.lower().endswith("_proxy")}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs_postmortems.cli", *args],
            cwd=cwd,
            env={**environ, **(env or {})},
            capture_output=True,
            text=True,
            timeout=HANG_GUARD,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`postmortems {args[0]}` was still running after {HANG_GUARD:g} s", pytrace=False)
    return done.returncode, done.stdout + done.stderr


def assert_discreet(output: str):
    """No traceback, and none of the secrets."""
    assert "Traceback" not in output, output
    for secret in SECRETS:
        assert secret not in output, f"{secret!r} printed:\n{output}"


def previous_file(tmp_path: Path, text: str | bytes = BEFORE) -> Path:
    path = tmp_path / "previous.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def site(tmp_path: Path, current: str = AFTER) -> Path:
    """A status site built as `current`, with a webhook that tests which send nothing (`--dry-run`) never reach."""
    return project(tmp_path, [{"url": "http://127.0.0.1:9/", "format": "slack"}], current)


def one_error_line(output: str) -> str:
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), output
    return lines[0]


# A previous deploy that answers slowly, without end, or with too much


@pytest.mark.parametrize("route", ["/trickle-head", "/trickle-body"])
def test_a_previous_deploy_answering_a_byte_at_a_time_times_out_once_not_per_read(tmp_path, server, route):
    config = site(tmp_path)
    previous = f"http://alice:{PASSWORD}@{server.removeprefix('http://')}{route}?token={QUERY_SECRET}"
    code, output = cli(tmp_path, "notify", "-f", str(config), "--previous", previous, "--timeout", "1")
    assert code == 1, output
    assert f"{server.replace('http://', 'http://***@')}{route}?***: timed out after 1 s" in one_error_line(output)
    assert_discreet(output)


@pytest.mark.parametrize("route", ["/endless", "/declared-huge"])
def test_a_previous_deploy_larger_than_the_cap_is_refused_not_read_whole(tmp_path, server, route):
    config = site(tmp_path)
    code, output = cli(tmp_path, "notify", "-f", str(config), "--previous", f"{server}{route}", "--timeout", "5")
    assert code == 1, output
    assert f"{server}{route}: larger than 32 MiB" in one_error_line(output)
    assert Hostile.written.get(route, 0) < CEILING


def test_a_previous_file_larger_than_the_cap_or_not_a_file_is_refused(tmp_path):
    config = site(tmp_path)
    huge = tmp_path / "huge.json"
    with huge.open("wb") as file:
        file.truncate(33 * 1024 * 1024)  # sparse: no disk used
    result = run("notify", "-f", str(config), "--previous", str(huge))
    assert result.exit_code == 1 and f"{huge}: larger than 32 MiB" in one_error_line(result.output)
    fifo = tmp_path / "previous.fifo"
    os.mkfifo(fifo)  # opening it would wait for a writer for ever
    code, output = cli(tmp_path, "notify", "-f", str(config), "--previous", str(fifo))
    assert code == 1 and f"{fifo}: not a regular file" in one_error_line(output)


# Webhooks that answer slowly or without end, or redirect


def hook_project(tmp_path: Path) -> Path:
    """A status site with one webhook, its URL in HOOK_URL (`hook_env`), signed with the secret in HOOK_SECRET."""
    return project(tmp_path, [{"url_env": "HOOK_URL", "format": "json", "secret_env": "HOOK_SECRET"}], AFTER)


def hook_env(url: str) -> dict[str, str]:
    return {"HOOK_URL": url, "HOOK_SECRET": SIGNING_SECRET}


def test_a_webhook_answering_a_byte_at_a_time_times_out_once_not_per_read(tmp_path, server):
    config = hook_project(tmp_path)
    url = f"{server}/trickle-head/{PATH_SECRET}?token={QUERY_SECRET}"
    code, output = cli(
        tmp_path,
        "notify",
        "-f",
        str(config),
        "--previous",
        str(previous_file(tmp_path)),
        "--timeout",
        "1",
        "--retries",
        "0",
        env=hook_env(url),
    )
    assert code == 1, output
    assert "webhook 1 (json, HOOK_URL): failed: timed out after 1 s after 1 attempt" in output
    assert_discreet(output)


@pytest.mark.parametrize("route", ["/trickle-body", "/endless"])
def test_a_webhooks_answer_is_not_read_beyond_its_status(tmp_path, server, route):
    """A 2xx is the answer: a body without end, slow or fast, neither holds the command nor fills its memory."""
    config = hook_project(tmp_path)
    code, output = cli(
        tmp_path,
        "notify",
        "-f",
        str(config),
        "--previous",
        str(previous_file(tmp_path)),
        "--timeout",
        "5",
        env=hook_env(f"{server}{route}"),
    )
    assert code == 0, output
    assert "webhook 1 (json, HOOK_URL): sent (1 attempt)" in output
    deadline = time.monotonic() + 5
    while route == "/endless" and route not in Hostile.written and time.monotonic() < deadline:
        time.sleep(0.05)  # the server notices the hang-up on its next write
    assert Hostile.written.get(route, 0) < 64 * 1024 * 1024


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_webhook_that_redirects_fails_and_its_post_goes_nowhere_else(tmp_path, server, status):
    config = hook_project(tmp_path)
    url = f"{server}/redirect/{status}/{PATH_SECRET}?token={QUERY_SECRET}"
    code, output = cli(
        tmp_path,
        "notify",
        "-f",
        str(config),
        "--previous",
        str(previous_file(tmp_path)),
        "--backoff",
        "0",
        env=hook_env(url),
    )
    assert code == 1, output
    assert (
        f"webhook 1 (json, HOOK_URL): failed: HTTP {status} " in output
        and f", a redirect to {server}, not followed after 1 attempt" in output
    )
    assert [(method, route) for method, route, _ in Hostile.seen] == [("POST", f"/redirect/{status}")]
    assert_discreet(output)


# A previous deploy's URL: redirects, credentials, errors


def test_a_previous_deploy_is_followed_through_redirects_its_credentials_only_to_its_own_origin(tmp_path, server):
    config = site(tmp_path)
    host = server.removeprefix("http://")
    result = run("notify", "-f", str(config), "--previous", f"http://alice:{PASSWORD}@{host}/moved", "--dry-run")
    assert result.exit_code == 0 and "1 change(s) since the previous deploy" in result.output
    assert [route for _, route, _ in Hostile.seen] == ["/moved", "/doc"]
    basic = "Basic " + base64.b64encode(f"alice:{PASSWORD}".encode()).decode()
    assert Hostile.seen[0][2].get("Authorization") == basic
    Hostile.seen.clear()
    result = run("notify", "-f", str(config), "--previous", f"http://alice:{PASSWORD}@{host}/away", "--dry-run")
    assert result.exit_code == 0, result.output
    assert [route for _, route, _ in Hostile.seen] == ["/away", "/doc"]
    assert "Authorization" not in Hostile.seen[1][2]  # another origin (port): no credentials
    result = run("notify", "-f", str(config), "--previous", f"{server}/loop")
    assert result.exit_code == 1 and f"{server}/loop: more than 5 redirects" in one_error_line(result.output)


@pytest.mark.parametrize(
    "route, said", [("/status/500", "HTTP 500 Internal Server Error"), ("/status/404", "not found: a first deploy")]
)
def test_a_previous_deploys_credentials_and_query_are_never_printed(tmp_path, server, route, said):
    config = site(tmp_path)
    previous = f"http://alice:{PASSWORD}@{server.removeprefix('http://')}{route}?token={QUERY_SECRET}"
    result = run("notify", "-f", str(config), "--previous", previous)
    assert result.exit_code == (1 if route.endswith("500") else 0), result.output
    assert f"{server.replace('http://', 'http://***@')}{route}?***" in result.output and said in result.output
    assert_discreet(result.output)


@pytest.mark.parametrize(
    "previous",
    [
        f"ftp://alice:{PASSWORD}@127.0.0.1:1/incidents.json?token={QUERY_SECRET}",
        f"https://alice:{PASSWORD}@status.example.com/a b.json?token={QUERY_SECRET}",
        f"http://:{PASSWORD}@/incidents.json?token={QUERY_SECRET}",
        f"http://status.example.com:99999/incidents.json?token={QUERY_SECRET}",
    ],
    ids=["ftp", "space", "no-host", "bad-port"],
)
def test_a_previous_url_that_cannot_be_used_is_a_usage_error_that_never_shows_it(tmp_path, previous):
    config = site(tmp_path)
    result = run("notify", "-f", str(config), "--previous", previous)
    assert result.exit_code == 2 and "Invalid value for '--previous': the URL " in result.output
    assert_discreet(result.output)


@pytest.mark.parametrize(
    "previous",
    [
        "status.example.com/api/v2/incidents.json",
        f"alice:{PASSWORD}@status.example.com/incidents.json?token={QUERY_SECRET}",
        "127.0.0.1:8000/api/v2/incidents.json",
    ],
)
def test_a_previous_url_without_its_scheme_is_a_usage_error_not_a_silent_first_deploy(tmp_path, previous):
    """A missing file is a first deploy that sends nothing: a URL typed without `https://` must not pass for one."""
    config = site(tmp_path)
    result = run("notify", "-f", str(config), "--previous", previous)
    assert result.exit_code == 2 and "looks like a URL without its scheme" in result.output, result.output
    assert_discreet(result.output)


def test_a_previous_file_that_is_missing_is_a_first_deploy(tmp_path):
    config = site(tmp_path)
    result = run("notify", "-f", str(config), "--previous", str(tmp_path / "previous.json"))
    assert result.exit_code == 0 and "a first deploy" in result.output, result.output


# Webhooks whose configuration cannot be used


@pytest.mark.parametrize(
    "hook, env, said",
    [
        ({"url": f"hooks.slack.com/services/{PATH_SECRET}"}, {}, "its `url` is not an http:// or https:// URL"),
        (
            {"url_env": "HOOK_URL"},
            {"HOOK_URL": f"https://hooks.slack.com/services/{PATH_SECRET} x"},
            "the URL in HOOK_URL contains spaces",
        ),
        ({"url": f"ftp://127.0.0.1:1/{PATH_SECRET}"}, {}, "its `url` is not an http:// or https:// URL"),
        ({"url": f"http://127.0.0.1:99999/{PATH_SECRET}?token={QUERY_SECRET}"}, {}, "its `url` has a host or port"),
        ({"url_env": "HOOK_URL"}, {}, "the environment variable HOOK_URL (its `url_env`) is not set"),
    ],
    ids=["no-scheme", "space", "ftp", "bad-port", "unset"],
)
def test_a_webhook_that_cannot_be_used_is_a_usage_error_that_never_shows_its_url(
    tmp_path, monkeypatch, hook, env, said
):
    monkeypatch.delenv("HOOK_URL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = project(
        tmp_path, [{"url": "http://127.0.0.1:1/fine", "format": "slack"}, {**hook, "format": "slack"}], AFTER
    )
    result = run("notify", "-f", str(config), "--previous", str(previous_file(tmp_path)))
    assert result.exit_code == 2, result.output
    assert f"webhook 2 (slack{', HOOK_URL' if 'url_env' in hook else ''}): {said}" in result.output
    assert "1 of 2 webhook(s) cannot be used; nothing sent" in result.output
    assert_discreet(result.output)


# Malformed documents


def malformed(change) -> bytes:
    document = json.loads(BEFORE)
    change(document)
    return json.dumps(document).encode()


MALFORMED_PREVIOUS = {
    "bad-id": (malformed(lambda d: d["incidents"][0].update(id=["230bb0367d8b"])), "incidents[0].id is not a string"),
    "updates-not-a-list": (
        malformed(lambda d: d["incidents"][0].update(incident_updates={"id": "x"})),
        "incidents[0].incident_updates is not a list",
    ),
    "incident-not-an-object": (
        malformed(lambda d: d["incidents"].insert(0, "230bb0367d8b")),
        "incidents[0] is not an object",
    ),
    "update-without-id": (
        malformed(lambda d: d["incidents"][0]["incident_updates"][0].pop("id")),
        "incidents[0].incident_updates[0].id is missing",
    ),
    "page-not-an-object": (malformed(lambda d: d.update(page=[])), "page is not an object"),
    "deep-nesting": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "invalid-utf-8": (b'{"incidents": [], "page": {"name": "\xff"}}', "not JSON ('utf-8' codec can't decode"),
    "not-json": (b"<html>Moved</html>", "not JSON (Expecting value"),
    "not-an-object": (b"[]", "not a Statuspage incidents.json: it is not a JSON object"),
    "no-incidents": (b'{"page": {}}', "it has no `incidents` list"),
}


@pytest.mark.parametrize("name", MALFORMED_PREVIOUS)
def test_a_malformed_previous_document_is_one_error_line(tmp_path, name):
    raw, said = MALFORMED_PREVIOUS[name]
    config = site(tmp_path)
    previous = previous_file(tmp_path, raw)
    result = run("notify", "-f", str(config), "--previous", str(previous))
    assert result.exit_code == 1, result.output
    assert one_error_line(result.output).startswith(f"Error: {previous}: ") and said in result.output


@pytest.mark.parametrize(
    "change, said",
    [
        (lambda d: d["incidents"][0].pop("name"), "incidents[0].name is missing"),
        (
            lambda d: d["incidents"][0]["incident_updates"][0].update(body=["<!channel>"]),
            "incidents[0].incident_updates[0].body is not a string",
        ),
        (lambda d: d.update(page="Larkspur"), "page is not an object"),
    ],
    ids=["no-name", "body-not-a-string", "page-not-an-object"],
)
def test_a_malformed_new_incidents_json_is_one_error_line(tmp_path, change, said):
    config = site(tmp_path, malformed(change).decode())
    result = run("notify", "-f", str(config), "--previous", str(previous_file(tmp_path, b'{"incidents": []}')))
    assert result.exit_code == 1 and said in one_error_line(result.output)


# Text meant for Slack


def test_record_text_reaches_slack_escaped_and_only_our_own_link_is_markup():
    hostile = Change(
        "230bb0367d8b",
        "Orders <!here> & <@U123>",
        "identified",
        "Fixed. <!channel> <!everyone> <https://evil.example|status page> &amp;",
        "2026-12-01T17:35:00Z",
        "https://status.example.com/incidents/230bb0367d8b/?a=1&b=|<x>",
        True,
    )
    not_a_link = Change("9", "Plain", "resolved", "", None, "<!channel>", False)
    slack = Webhook(url="https://hooks.example/x", format="slack")
    text = json.loads(payload(slack, {"name": "Larkspur <!subteam^S1>"}, [hostile, not_a_link]))["text"]
    assert "<!" not in text and "<@" not in text and "<https://evil" not in text
    assert text.count("<") == 1 and text.count(">") == 1
    assert "Larkspur &lt;!subteam^S1&gt;: 2 status updates" in text
    assert (
        "*<https://status.example.com/incidents/230bb0367d8b/?a=1&amp;b=%7C&lt;x&gt;|Orders &lt;!here&gt; &amp; "
        "&lt;@U123&gt;>*: Identified - Fixed. &lt;!channel&gt; &lt;!everyone&gt; &lt;https://evil.example|status "
        "page&gt; &amp;amp;"
    ) in text
    assert "*Plain*: Resolved" in text
    generic = json.loads(payload(Webhook(url="https://hooks.example/x"), {"name": "Larkspur"}, [hostile]))
    assert generic["changes"][0]["body"] == hostile.body and generic["changes"][0]["incident"] == hostile.incident

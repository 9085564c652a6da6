"""`postmortems notify`: what the public feed gained since the previous deploy, sent to webhooks on a local HTTP
server (127.0.0.1 only): Slack-compatible and signed generic JSON, retries with backoff on 5xx, a clear failure
when an endpoint never recovers, and `--dry-run`."""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import ClassVar

import pytest

from cli_support import run
from mkdocs_postmortems.model import PublicUpdate
from mkdocs_postmortems.status_site.notify import NotifyError, changes, send, slack_text
from mkdocs_postmortems.status_site.public import PublicView
from mkdocs_postmortems.status_site.statuspage import Page, api_files

UTC = timezone.utc
SECRET = "s3cret-for-tests"


def view(*updates: PublicUpdate, resolved=None) -> PublicView:
    return PublicView(
        "2026-12-01-errors",
        "Errors placing orders",
        "Orders failed.",
        ("Checkout",),
        "major",
        "",
        tuple(updates),
        datetime(2026, 12, 1, 17, 20, tzinfo=UTC),
        resolved,
    )


FIRST = PublicUpdate("investigating", datetime(2026, 12, 1, 17, 20, tzinfo=UTC), "Some orders fail.")
SECOND = PublicUpdate("identified", datetime(2026, 12, 1, 17, 35, tzinfo=UTC), "Rolling back a release.")


def incidents_json(*views: PublicView) -> str:
    files = api_files(
        Page("Larkspur status", "https://status.example.com/"),
        list(views),
        ["Checkout"],
        lambda v: f"https://status.example.com/incidents/{v.code}/",
    )
    return files["api/v2/incidents.json"]


class Endpoints(http.server.BaseHTTPRequestHandler):
    """POST /ok: 200; /flaky: 503 on the first request, then 200; /down: 500 always; GET serves `documents`."""

    received: ClassVar[list[tuple[str, dict, bytes]]] = []  # shared by every request's handler, read by the tests
    hits: ClassVar[dict[str, int]] = {}
    documents: ClassVar[dict[str, str]] = {}

    def do_POST(self):  # the base class's naming
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.received.append((self.path, dict(self.headers), body))
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        code = {"/ok": 200, "/flaky": 503 if self.hits[self.path] == 1 else 200, "/down": 500}.get(self.path, 404)
        self.send_response(code)
        self.end_headers()
        self.wfile.write(b"ok" if code == 200 else b"no")

    def do_GET(self):  # the base class's naming
        text = self.documents.get(self.path)
        self.send_response(200 if text is not None else 404)
        self.end_headers()
        self.wfile.write((text or "").encode())

    def log_message(self, format, *args):  # the base class's signature
        pass


@pytest.fixture
def server():
    Endpoints.received, Endpoints.hits, Endpoints.documents = [], {}, {}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Endpoints)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def project(tmp_path: Path, hooks: list[dict], current: str) -> Path:
    lines = [
        "site_name: Larkspur status",
        "site_dir: site-public",
        "theme:",
        "  name: material",
        "  font: false",
        "plugins:",
        "  - postmortems:",
        "      services:",
        "        - name: checkout",
        "          component: Checkout",
        "      status_page:",
        "        public_site: true",
        "        webhooks:",
    ]
    for hook in hooks:
        lines += ["          - " + json.dumps(hook)]
    config = tmp_path / "mkdocs.public.yml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    api = tmp_path / "site-public" / "api" / "v2"
    api.mkdir(parents=True)
    (api / "incidents.json").write_text(current, encoding="utf-8")
    return config


def test_changes_are_the_new_updates_and_the_new_incidents_oldest_first():
    before, after = json.loads(incidents_json(view(FIRST))), json.loads(incidents_json(view(SECOND, FIRST)))
    assert [(c.status, c.body, c.new_incident) for c in changes(before, after)] == [
        ("identified", "Rolling back a release.", False)
    ]
    assert changes(after, after) == []
    assert [(c.status, c.new_incident) for c in changes({"incidents": []}, after)] == [
        ("investigating", True),
        ("identified", True),
    ]
    quiet = json.loads(incidents_json(view()))
    assert [(c.status, c.body) for c in changes({"incidents": []}, quiet)] == [("investigating", "")]


def test_a_change_gives_the_html_a_statuspage_import_kept_as_its_words_for_chat():
    imported = PublicUpdate(
        "identified",
        datetime(2026, 12, 1, 17, 35, tzinfo=UTC),
        "<p>Rolling back &amp; watching.</p><ul><li><strong>Checkout</strong></li></ul><p>See "
        '<a href="https://status.example.com/x" rel="noopener noreferrer nofollow">details</a>.</p>',
    )
    before, after = json.loads(incidents_json(view(FIRST))), json.loads(incidents_json(view(imported, FIRST)))
    (change,) = changes(before, after)
    assert change.body == "Rolling back & watching.\n\n- Checkout\n\nSee details (https://status.example.com/x)."
    assert slack_text("Larkspur", [change]).endswith(
        "Identified - Rolling back &amp; watching.\n\n- Checkout\n\nSee details (https://status.example.com/x)."
    )


def test_webhooks_get_slack_text_and_signed_json_and_a_5xx_is_retried(tmp_path, server, monkeypatch):
    monkeypatch.setenv("STATUS_SECRET", SECRET)
    monkeypatch.setenv("SLACK_URL", f"{server}/ok")
    config = project(
        tmp_path,
        [
            {"url_env": "SLACK_URL", "format": "slack"},
            {"url": f"{server}/flaky", "format": "json", "secret_env": "STATUS_SECRET"},
        ],
        incidents_json(view(SECOND, FIRST)),
    )
    previous = tmp_path / "previous.json"
    previous.write_text(incidents_json(view(FIRST)), encoding="utf-8")
    result = run("notify", "-f", str(config), "--previous", str(previous), "--backoff", "0")
    assert result.exit_code == 0, result.output
    assert "webhook 1 (slack, SLACK_URL): sent (1 attempt)" in result.output
    host = server.removeprefix("http://")
    assert f"webhook 2 (json, {host}): attempt 1 failed (HTTP 503" in result.output
    assert f"webhook 2 (json, {host}): sent (2 attempts)" in result.output
    (slack_path, _, slack_body), *flaky = Endpoints.received
    assert slack_path == "/ok"
    text = json.loads(slack_body)["text"]
    link = "<https://status.example.com/incidents/230bb0367d8b/|Errors placing orders>"
    assert f"*{link}*: Identified - Rolling back a release." in text and "Some orders fail" not in text
    assert [path for path, _, _ in flaky] == ["/flaky", "/flaky"]
    _, headers, body = flaky[-1]
    assert headers["X-Postmortems-Signature"] == "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    document = json.loads(body)
    assert document["event"] == "status.updated" and document["page"]["name"] == "Larkspur status"
    assert [change["body"] for change in document["changes"]] == ["Rolling back a release."]


def test_an_endpoint_that_never_recovers_fails_the_run_with_a_clear_message(tmp_path, server):
    config = project(
        tmp_path,
        [{"url": f"{server}/down"}, {"url": f"{server}/ok", "format": "slack"}],
        incidents_json(view(SECOND, FIRST)),
    )
    Endpoints.documents["/api/v2/incidents.json"] = incidents_json(view(FIRST))  # the previous deploy, by URL
    result = run(
        "notify", "-f", str(config), "--previous", f"{server}/api/v2/incidents.json", "--backoff", "0", "--retries", "2"
    )
    assert result.exit_code == 1
    assert (
        f"webhook 1 (json, {server.removeprefix('http://')}): failed: HTTP 500 Internal Server Error after 3 attempts"
    ) in result.output
    assert "1 of 2 webhook(s) failed; the others were sent" in result.output
    assert Endpoints.hits == {"/down": 3, "/ok": 1}


def test_dry_run_sends_nothing_and_a_first_deploy_has_nothing_to_compare(tmp_path, server):
    config = project(tmp_path, [{"url": f"{server}/ok", "format": "slack"}], incidents_json(view(SECOND, FIRST)))
    previous = tmp_path / "previous.json"
    previous.write_text(incidents_json(view(FIRST)), encoding="utf-8")
    result = run("notify", "-f", str(config), "--previous", str(previous), "--dry-run")
    assert result.exit_code == 0 and "would POST" in result.output and "Rolling back a release." in result.output
    result = run("notify", "-f", str(config), "--previous", str(tmp_path / "missing.json"))
    assert result.exit_code == 0 and "nothing to compare; nothing sent" in result.output
    result = run("notify", "-f", str(config), "--previous", f"{server}/nothing-here.json")
    assert result.exit_code == 0 and "nothing sent" in result.output
    assert Endpoints.received == []


def test_backoff_doubles_and_is_bounded_and_a_4xx_is_not_retried(server):
    waits = []
    with pytest.raises(NotifyError, match="after 5 attempts"):
        send(f"{server}/down", b"{}", {}, retries=4, backoff=10, sleep=waits.append)
    assert waits == [10, 20, 30, 30]
    with pytest.raises(NotifyError, match=r"HTTP 404 .* after 1 attempt$"):
        send(f"{server}/nowhere", b"{}", {}, retries=4, backoff=0, sleep=waits.append)


def test_a_missing_secret_is_a_usage_error_and_nothing_is_sent(tmp_path, server, monkeypatch):
    monkeypatch.delenv("STATUS_SECRET", raising=False)
    config = project(
        tmp_path,
        [{"url": f"{server}/ok", "format": "slack"}, {"url": f"{server}/ok", "secret_env": "STATUS_SECRET"}],
        incidents_json(view(SECOND, FIRST)),
    )
    previous = tmp_path / "previous.json"
    previous.write_text(incidents_json(view(FIRST)), encoding="utf-8")
    result = run("notify", "-f", str(config), "--previous", str(previous))
    assert result.exit_code == 2, result.output
    assert "the environment variable STATUS_SECRET (its `secret_env`) is not set" in result.output
    assert "1 of 2 webhook(s) cannot be used; nothing sent" in result.output
    assert Endpoints.received == []

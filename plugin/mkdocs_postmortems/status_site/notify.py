"""`postmortems notify`: tell webhooks what the public feed gained since the last deploy (standard library only).

`changes` compares the new build's `api/v2/incidents.json` with the previous deploy's (a path or a URL): every
update whose ID the previous one lacks is a change, and so is an incident whose status changed without a new
update. Nothing else is compared, so re-running a deploy sends nothing twice.

Each configured webhook (`status_page.webhooks`) gets one POST with every change: `slack` a Slack-compatible
`{"text": ...}`, `json` a generic payload (`event`, `page`, `changes`) signed with HMAC-SHA256 of the body under
the secret read from the environment variable `secret_env`, in `X-Postmortems-Signature: sha256=<hex>`. A
webhook's URL may come from an environment variable too (`url_env`: Slack's URLs are secrets). A request times
out after `timeout` seconds; a network error, a timeout, 429 or a 5xx is retried up to `retries` times, waiting
`backoff`, then twice that, and so on up to `MAX_WAIT` seconds; any other 4xx fails at once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence

from ..policy import Webhook

SIGNATURE_HEADER = "X-Postmortems-Signature"
USER_AGENT = "mkdocs-postmortems-notify"
MAX_WAIT = 30.0


class NotifyError(Exception):
    """A document could not be read, or a webhook refused every attempt."""


@dataclass(frozen=True)
class Change:
    """One thing the feed gained: an incident's new update (or status), with what customers read."""

    incident_id: str
    incident: str
    status: str
    body: str
    at: str | None
    url: str
    new_incident: bool

    def as_dict(self) -> dict:
        return {"incident_id": self.incident_id, "incident": self.incident, "status": self.status, "body": self.body,
                "at": self.at, "url": self.url, "new_incident": self.new_incident}


def read_document(source: str, timeout: float = 10.0) -> dict | None:
    """The JSON at a path or an http(s) URL; None when it does not exist (a first deploy: a missing file, 404)."""
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
                raw = response.read()
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise NotifyError(f"{source}: HTTP {error.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise NotifyError(f"{source}: {getattr(error, 'reason', error)}") from None
    else:
        path = Path(source)
        if not path.exists():
            return None
        raw = path.read_bytes()
    try:
        document = json.loads(raw)
    except ValueError as error:
        raise NotifyError(f"{source} is not JSON: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("incidents"), list):
        raise NotifyError(f"{source} is not a Statuspage incidents.json (no `incidents` list)")
    return document


def changes(previous: Mapping, current: Mapping) -> list[Change]:
    """What `current` (incidents.json) gained over `previous`, oldest first."""
    before = {incident.get("id"): incident for incident in previous.get("incidents", []) if isinstance(incident, dict)}
    found = []
    for incident in current.get("incidents", []):
        old = before.get(incident["id"])
        seen = {update.get("id") for update in (old or {}).get("incident_updates", [])}
        new_updates = [update for update in incident.get("incident_updates", []) if update["id"] not in seen]
        for update in reversed(new_updates):  # the API lists them newest first
            found.append(Change(incident["id"], incident["name"], update["status"], update.get("body") or "",
                                update.get("created_at"), incident.get("shortlink") or "", old is None))
        if not new_updates and (old is None or old.get("status") != incident.get("status")):
            found.append(Change(incident["id"], incident["name"], incident["status"], "",
                                incident.get("updated_at"), incident.get("shortlink") or "", old is None))
    return sorted(found, key=lambda change: change.at or "")


def slack_text(page_name: str, found: Sequence[Change]) -> str:
    lines = [f"{page_name}: {len(found)} status update{'s' if len(found) != 1 else ''}"]
    for change in found:
        status = change.status.replace("_", " ").capitalize()
        new = "New incident: " if change.new_incident else ""
        body = f" - {change.body}" if change.body else ""
        lines.append(f"• {new}*{change.incident}*: {status}{body} {change.url}".rstrip())
    return "\n".join(lines)


def payload(webhook: Webhook, page: Mapping, found: Sequence[Change]) -> bytes:
    """The body POSTed to `webhook`."""
    if webhook.format == "slack":
        document = {"text": slack_text(page.get("name", ""), found)}
    else:
        document = {"event": "status.updated", "page": {"id": page.get("id"), "name": page.get("name"),
                                                        "url": page.get("url")},
                    "changes": [change.as_dict() for change in found]}
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def _retryable(error: Exception) -> bool:
    if isinstance(error, urllib.error.HTTPError):
        return error.code == 429 or error.code >= 500
    return isinstance(error, (urllib.error.URLError, TimeoutError, OSError))


def _describe(error: Exception) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}"
    return str(getattr(error, "reason", None) or error) or type(error).__name__


def send(url: str, body: bytes, headers: Mapping[str, str], timeout: float = 10.0, retries: int = 3,
         backoff: float = 1.0, sleep: Callable[[float], None] = time.sleep,
         log: Callable[[str], None] = lambda message: None) -> int:
    """POST `body` to `url`; the number of attempts it took. Raises NotifyError when every attempt failed."""
    attempts = max(retries, 0) + 1
    for attempt in range(1, attempts + 1):
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json", "User-Agent": USER_AGENT, **headers})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - configured URLs
                response.read()
            return attempt
        except Exception as error:  # noqa: BLE001 - sorted into retryable and not below
            if not _retryable(error) or attempt == attempts:
                raise NotifyError(f"{_describe(error)} after {attempt} attempt{'s' if attempt != 1 else ''}") from None
            wait = min(backoff * 2 ** (attempt - 1), MAX_WAIT)
            log(f"attempt {attempt} failed ({_describe(error)}); retrying in {wait:g} s")
            sleep(wait)
    raise AssertionError("unreachable")


def webhook_url(webhook: Webhook, environ: Mapping[str, str]) -> str:
    if webhook.url_env:
        url = environ.get(webhook.url_env, "")
        if not url:
            raise NotifyError(f"the environment variable {webhook.url_env} (a webhook's `url_env`) is not set")
        return url
    return webhook.url or ""


def webhook_headers(webhook: Webhook, body: bytes, environ: Mapping[str, str]) -> dict[str, str]:
    if webhook.format != "json" or not webhook.secret_env:
        return {}
    secret = environ.get(webhook.secret_env, "")
    if not secret:
        raise NotifyError(f"the environment variable {webhook.secret_env} (a webhook's `secret_env`) is not set")
    return {SIGNATURE_HEADER: signature(secret, body)}

"""`postmortems notify`: tell webhooks what the public feed gained since the last deploy (HTTP with the standard
library only).

`changes` compares the new build's `api/v2/incidents.json` with the previous deploy's (a path or a URL): every
update whose ID the previous one lacks is a change, and so is an incident whose status changed without a new
update; its body is the update's text as plain text (`html_text.as_text`: HTML the API holds, as its words).
Nothing else is compared, so re-running a deploy sends nothing twice. Both documents are checked first
(`parse_document`): what is not a Statuspage incidents.json, or is larger than `MAX_DOCUMENT_BYTES`, is a
`NotifyError` naming the first field that is wrong, never a crash.

Each configured webhook (`status_page.webhooks`) gets one POST with every change: `slack` a Slack-compatible
`{"text": ...}` (every piece of public text escaped, so a record cannot mention `<!channel>` or disguise a link),
`json` a generic payload (`event`, `page`, `changes`) signed with HMAC-SHA256 of the body under the secret read from
the environment variable `secret_env`, in `X-Postmortems-Signature: sha256=<hex>`. A webhook's URL may come from an
environment variable too (`url_env`: Slack's URLs are secrets), so no message shows a webhook's URL (`Target.name`
says which one) nor a `--previous` URL's user, password or query (`shown_url`).

Every request has one deadline (`Deadline`): `timeout` seconds from resolving the host to the last byte read, not
per read, so a server that answers a byte at a time ends it like one that never answers. A webhook is not
redirected (a 3xx fails, naming only the host it pointed to: the POST and its signature go nowhere else); the
previous document follows at most `MAX_REDIRECTS` redirects to http(s) URLs, within the same deadline, its
credentials sent to its own origin only. A network error, a timeout, 429 or a 5xx is retried up to `retries` times,
waiting `backoff`, then twice that, and so on up to `MAX_WAIT` seconds; any other answer fails at once. So one
webhook takes at most `(retries + 1) * timeout` plus those waits.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import re
import time
import urllib.error
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..bounded_http import (
    Deadline,
    ResponseTooLarge,
    describe,
    host_of,
    origin,
    read_at_most,
    request,
    retryable,
    shown_url,
    url_problem,
)
from ..policy import Webhook
from .html_text import as_text

SIGNATURE_HEADER = "X-Postmortems-Signature"
USER_AGENT = "mkdocs-postmortems-notify"
MAX_WAIT = 30.0  # seconds: the longest wait between two attempts
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024  # an incidents.json larger than this is refused, not read whole
MAX_REDIRECTS = 5  # followed when reading the previous document; a webhook follows none
REDIRECTS = (301, 302, 303, 307, 308)
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


class NotifyError(Exception):
    """A document could not be read, or a webhook refused every attempt. Its text never holds a secret."""


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
        return {
            "incident_id": self.incident_id,
            "incident": self.incident,
            "status": self.status,
            "body": self.body,
            "at": self.at,
            "url": self.url,
            "new_incident": self.new_incident,
        }


# URLs, and what messages may show of them


def is_url(source: str) -> bool:
    """Whether `source` (of `--previous`) is a URL (`scheme://...`) rather than a path."""
    return bool(_URL.match(source))


def looks_like_a_url(source: str) -> bool:
    """Whether a `--previous` that is no http(s) URL reads as one without its scheme (`status.example.com/api/...`,
    `user:token@host/...`): its first part is a host name with a dot, or holds an `@`, and a path follows. A
    missing file is a first deploy, so such a typo would otherwise send nothing, silently, for ever."""
    first, slash, _ = source.partition("/")
    host = r"(?:(?:[\w-]+\.)+[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3}|localhost)(?::\d+)?"
    return bool(slash) and (bool(re.fullmatch(host, first, re.IGNORECASE)) or "@" in first)


def shown_source(source: str) -> str:
    return shown_url(source) if is_url(source) else source


# The documents


def read_document(source: str, timeout: float = 10.0, limit: int = MAX_DOCUMENT_BYTES) -> dict | None:
    """The incidents.json at a path or an http(s) URL, checked (`parse_document`); None when it does not exist (a
    first deploy: a missing file, 404). A URL is read within one `timeout`, redirects included."""
    raw = _fetch(source, timeout, limit) if is_url(source) else _read_file(Path(source), limit)
    return None if raw is None else parse_document(raw, shown_source(source))


def _fetch(source: str, timeout: float, limit: int) -> bytes | None:
    shown = shown_url(source)
    problem = url_problem(source)
    if problem:
        raise NotifyError(f"{shown}: the URL {problem}")
    deadline, url = Deadline(timeout), source
    for _ in range(MAX_REDIRECTS + 1):
        where = shown if url == source else f"{shown} (redirected to {shown_url(url)})"
        try:
            with request(url, deadline, credentials=origin(url) == origin(source), user_agent=USER_AGENT) as response:
                return _read_at_most(response, limit, where)
        except NotifyError:
            raise
        except urllib.error.HTTPError as error:
            error.close()
            location = error.headers.get("Location") if error.headers is not None else None
            if error.code == 404:
                return None
            if error.code not in REDIRECTS or not location:
                raise NotifyError(f"{where}: {describe(error, timeout, url)}") from None
            try:
                target = urllib.parse.urljoin(url, location)
            except ValueError:
                target = ""
            problem = url_problem(target)
            if problem:
                raise NotifyError(f"{where}: redirects to a URL that {problem}") from None
            url = target
        except Exception as error:  # every failure said in our words, never with the URL
            raise NotifyError(f"{where}: {describe(error, timeout, url)}") from None
    raise NotifyError(f"{shown}: more than {MAX_REDIRECTS} redirects")


def _read_at_most(response: http.client.HTTPResponse, limit: int, where: str) -> bytes:
    try:
        return read_at_most(response, limit)
    except ResponseTooLarge:
        raise NotifyError(
            f"{where}: larger than {limit // 1024 // 1024} MiB, more than an incidents.json can be"
        ) from None


def _read_file(path: Path, limit: int) -> bytes | None:
    try:
        if not path.exists():
            return None
        if not path.is_file():
            raise NotifyError(f"{path}: not a regular file")
        with path.open("rb") as file:
            raw = file.read(limit + 1)
    except OSError as error:
        raise NotifyError(f"{path}: cannot be read ({error.strerror or type(error).__name__})") from None
    if len(raw) > limit:
        raise NotifyError(f"{path}: larger than {limit // 1024 // 1024} MiB, more than an incidents.json can be")
    return raw


def parse_document(raw: bytes, name: str) -> dict:
    """The incidents.json in `raw`, if it is one as `changes` reads it; else a NotifyError naming what is wrong."""
    try:
        document = json.loads(raw)
    except RecursionError:
        raise NotifyError(f"{name}: nested too deeply to be an incidents.json") from None
    except ValueError as error:  # not JSON, not UTF-8, an integer too long
        raise NotifyError(f"{name}: not JSON ({error})") from None
    problem = next(_problems(document), None)
    if problem:
        raise NotifyError(f"{name}: not a Statuspage incidents.json: {problem}")
    return document


def _problems(document) -> Iterator[str]:
    """What keeps `document` from being an incidents.json as `changes` and `payload` read it, first problem first."""
    if not isinstance(document, dict):
        yield "it is not a JSON object"
        return
    page = document.get("page", {})
    if not isinstance(page, dict):
        yield "page is not an object"
    else:
        yield from _field_problems(page, "page", (), ("id", "name", "url"))
    incidents = document.get("incidents")
    if not isinstance(incidents, list):
        yield "it has no `incidents` list"
        return
    for number, incident in enumerate(incidents):
        where = f"incidents[{number}]"
        if not isinstance(incident, dict):
            yield f"{where} is not an object"
            continue
        yield from _field_problems(incident, where, ("id", "name", "status"), ("shortlink", "updated_at"))
        updates = incident.get("incident_updates", [])
        if not isinstance(updates, list):
            yield f"{where}.incident_updates is not a list"
            continue
        for index, update in enumerate(updates):
            if not isinstance(update, dict):
                yield f"{where}.incident_updates[{index}] is not an object"
                continue
            yield from _field_problems(
                update, f"{where}.incident_updates[{index}]", ("id", "status"), ("body", "created_at")
            )


def _field_problems(value: Mapping, where: str, required: Sequence[str], optional: Sequence[str]) -> Iterator[str]:
    for key in required:
        if not isinstance(value.get(key), str):
            yield f"{where}.{key} is {'missing' if key not in value else 'not a string'}"
    for key in optional:
        if value.get(key) is not None and not isinstance(value[key], str):
            yield f"{where}.{key} is not a string"


def changes(previous: Mapping, current: Mapping) -> list[Change]:
    """What `current` (incidents.json) gained over `previous`, oldest first; both as `parse_document` returns them."""
    before = {incident["id"]: incident for incident in previous.get("incidents", [])}
    found = []
    for incident in current.get("incidents", []):
        old = before.get(incident["id"])
        seen = {update["id"] for update in (old or {}).get("incident_updates", [])}
        new_updates = [update for update in incident.get("incident_updates", []) if update["id"] not in seen]
        for update in reversed(new_updates):  # the API lists them newest first
            found.append(
                Change(
                    incident["id"],
                    incident["name"],
                    update["status"],
                    as_text(update.get("body") or ""),  # the API's HTML (a Statuspage import's) as its words
                    update.get("created_at"),
                    incident.get("shortlink") or "",
                    old is None,
                )
            )
        if not new_updates and (old is None or old.get("status") != incident.get("status")):
            found.append(
                Change(
                    incident["id"],
                    incident["name"],
                    incident["status"],
                    "",
                    incident.get("updated_at"),
                    incident.get("shortlink") or "",
                    old is None,
                )
            )
    return sorted(found, key=lambda change: change.at or "")


# The payloads


def slack_escape(text: str) -> str:
    """`text` as Slack shows it verbatim: its control characters `&`, `<` and `>` escaped, so that no `<!channel>`,
    `<@U123>` or `<url|text>` in a record reaches Slack as markup (Slack's "Escaping text")."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_link(url: str, text: str) -> str:
    """`text` linked to `url` (`<url|text>`, both escaped), or `text` alone when `url` is not a plain http(s) URL."""
    if not re.fullmatch(r"https?://[!-~]+", url):
        return slack_escape(text)
    return f"<{slack_escape(url.replace('|', '%7C'))}|{slack_escape(text)}>"


def slack_text(page_name: str, found: Sequence[Change]) -> str:
    lines = [f"{slack_escape(page_name)}: {len(found)} status update{'s' if len(found) != 1 else ''}"]
    for change in found:
        status = slack_escape(change.status.replace("_", " ").capitalize())
        new = "New incident: " if change.new_incident else ""
        body = f" - {slack_escape(change.body)}" if change.body else ""
        lines.append(f"• {new}*{_slack_link(change.url, change.incident)}*: {status}{body}")
    return "\n".join(lines)


def payload(webhook: Webhook, page: Mapping, found: Sequence[Change]) -> bytes:
    """The body POSTed to `webhook`."""
    if webhook.format == "slack":
        document: dict[str, object] = {"text": slack_text(page.get("name") or "", found)}
    else:
        document = {
            "event": "status.updated",
            "page": {"id": page.get("id"), "name": page.get("name"), "url": page.get("url")},
            "changes": [change.as_dict() for change in found],
        }
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


# The webhooks


@dataclass(frozen=True)
class Target:
    """A webhook ready to be sent to: its name for messages, and its URL and signing secret, which no message shows."""

    webhook: Webhook
    name: str
    url: str = field(repr=False)
    secret: str | None = field(default=None, repr=False)

    def headers(self, body: bytes) -> dict[str, str]:
        return {SIGNATURE_HEADER: signature(self.secret, body)} if self.secret else {}


def targets(webhooks: Sequence[Webhook], environ: Mapping[str, str]) -> tuple[list[Target], list[str]]:
    """Each webhook with its URL and secret read (from the environment where configured so), and the problems that
    keep the others from being sent to, each naming its webhook as `webhook 2 (slack, hooks.slack.com)` or by its
    `url_env`, never by its URL."""
    ready, problems = [], []
    for number, webhook in enumerate(webhooks, 1):
        url = environ.get(webhook.url_env, "") if webhook.url_env else webhook.url or ""
        problem = url_problem(url)
        if webhook.url_env:
            name = f"webhook {number} ({webhook.format}, {webhook.url_env})"
        else:
            name = f"webhook {number} ({webhook.format}{'' if problem else ', ' + host_of(urllib.parse.urlsplit(url))})"
        if webhook.url_env and not url:
            problems.append(f"{name}: the environment variable {webhook.url_env} (its `url_env`) is not set")
            continue
        if problem:
            where = f"the URL in {webhook.url_env}" if webhook.url_env else "its `url`"
            problems.append(f"{name}: {where} {problem} (not shown: a webhook's URL may be a secret)")
            continue
        secret = None
        if webhook.format == "json" and webhook.secret_env:
            secret = environ.get(webhook.secret_env, "")
            if not secret:
                problems.append(f"{name}: the environment variable {webhook.secret_env} (its `secret_env`) is not set")
                continue
        ready.append(Target(webhook, name, url, secret))
    return ready, problems


def send(
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    timeout: float = 10.0,
    retries: int = 3,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    log: Callable[[str], None] = lambda message: None,
) -> int:
    """POST `body` to `url`; the number of attempts it took. Raises NotifyError when every attempt failed.

    Each attempt ends within `timeout` seconds, its answer's body unread; a redirect is not followed (it fails at
    once), so the POST and its signature reach `url` only. At most `(retries + 1) * timeout` seconds plus the waits.
    """
    attempts = max(retries, 0) + 1
    for attempt in range(1, attempts + 1):
        try:
            request(
                url, Deadline(timeout), body, {"Content-Type": "application/json", **headers}, user_agent=USER_AGENT
            ).close()
            return attempt
        except Exception as error:  # any failure: sorted into retryable and not; said in our words
            if isinstance(error, urllib.error.HTTPError):
                error.close()
            reason = describe(error, timeout, url)
            if not retryable(error) or attempt == attempts:
                raise NotifyError(f"{reason} after {attempt} attempt{'s' if attempt != 1 else ''}") from None
            wait = min(backoff * 2 ** (attempt - 1), MAX_WAIT)
            log(f"attempt {attempt} failed ({reason}); retrying in {wait:g} s")
            sleep(wait)
    raise AssertionError("unreachable")

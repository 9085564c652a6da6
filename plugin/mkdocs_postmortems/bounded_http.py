"""HTTP with the standard library, bounded and discreet: what `postmortems notify` and `postmortems sync` share.

Every request has one deadline (`Deadline`): resolving the host, connecting, each write and each read take only what
is left of it, so a server that answers a byte at a time ends the request like one that never answers. `request` never
follows a redirect (a 3xx is an `urllib.error.HTTPError` like any other answer that is not 2xx), honours the proxies
of the environment, and sends a URL's user and password as Basic authentication only when asked. `describe` says what
went wrong in words of our own, never an exception's text, which may quote a URL, its credentials or a header; and
`shown_url` is a URL as a message may show it, its user, password and query hidden. `read_at_most` reads an answer's
body up to a cap, never whole.
"""

from __future__ import annotations

import base64
import http.client
import io
import os
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from functools import partial
from http import HTTPStatus

USER_AGENT = "mkdocs-postmortems"
_CHUNK = 64 * 1024
_HOST = re.compile(r"[A-Za-z0-9.:_-]+")


class ResponseTooLarge(Exception):
    """An answer's body is larger than the cap it was read with (`read_at_most`)."""


# URLs, and what messages may show of them


def url_problem(url: str) -> str | None:
    """Why `url` cannot be requested, in words that do not repeat it (it may be a secret); None if it can."""
    if not url:
        return "is empty"
    if not re.fullmatch(r"[!-~]+", url):
        return "contains spaces, control characters or characters outside ASCII"
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number from 0 to 65535
    except ValueError:
        return "has a host or port that cannot be read"
    if parts.scheme not in ("http", "https"):
        return "is not an http:// or https:// URL"
    if not parts.hostname:
        return "has no host"
    return None


def host_of(parts: urllib.parse.SplitResult) -> str:
    """`host` or `host:port` of a split URL, an IPv6 address in brackets."""
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return host + (f":{parts.port}" if parts.port else "")


def shown_url(url: str) -> str:
    """`url` as a message may show it: its user, password and query (where credentials and tokens go) hidden."""
    if url_problem(url):
        return "the URL given"
    parts = urllib.parse.urlsplit(url)
    user = "***@" if "@" in parts.netloc else ""
    return f"{parts.scheme}://{user}{host_of(parts)}{parts.path}{'?***' if parts.query else ''}"


def origin(url: str) -> tuple:
    """(scheme, host, port) of `url`: credentials go to their own origin only."""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme, parts.hostname, parts.port


# One deadline for a whole request


class Deadline:
    """The end of one request: resolving the host, connecting, each write and each read may take only what is left,
    so the request ends by then however slowly the server answers."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        """The seconds left; TimeoutError when there are none."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"timed out after {self.seconds:g} s")
        return left


def _connect(address: tuple[str, int], timeout=None, source_address=None, *, deadline: Deadline) -> socket.socket:
    """A socket connected to `address` by the deadline (the name resolved in a thread, which the deadline bounds
    too): http.client's `_create_connection`, whose own timeout applies to each step afresh."""
    host, port = address
    found: list = []

    def resolve() -> None:
        try:
            found.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except Exception as error:  # any failure: handed to the caller below
            found.append(error)

    resolver = threading.Thread(target=resolve, name="postmortems-http-resolve", daemon=True)
    resolver.start()
    resolver.join(deadline.left())
    if not found:
        raise TimeoutError(f"timed out after {deadline.seconds:g} s")
    if isinstance(found[0], Exception):
        raise found[0]
    failure: OSError = OSError("no address for the host")
    for family, kind, protocol, _, sockaddr in found[0]:
        sock = None
        try:
            sock = socket.socket(family, kind, protocol)
            sock.settimeout(deadline.left())
            sock.connect(sockaddr)
            sock.settimeout(deadline.left())  # a TLS handshake, next, ends by the deadline too
            return sock
        except OSError as error:
            if sock is not None:
                sock.close()
            failure = error
    raise failure


class _BoundedReader(io.RawIOBase):
    """A socket's reading end whose every read ends by the deadline."""

    def __init__(self, sock: socket.socket, deadline: Deadline):
        super().__init__()
        self.sock, self.deadline, self.raw = sock, deadline, sock.makefile("rb", buffering=0)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int | None:
        self.sock.settimeout(self.deadline.left())
        return self.raw.readinto(buffer)

    def close(self) -> None:
        self.raw.close()
        super().close()


class _BoundedResponse(http.client.HTTPResponse):
    def __init__(self, sock, *args, deadline: Deadline, **kwargs):
        super().__init__(sock, *args, **kwargs)
        self.fp.close()
        self.fp = io.BufferedReader(_BoundedReader(sock, deadline))


class _Bounded(http.client.HTTPConnection):
    """An http.client connection (with the class after it) that ends by `deadline`: connecting through `_connect`,
    each write and (through `_BoundedResponse`) each read taking only the time left."""

    def __init__(self, *args, deadline: Deadline, **kwargs):
        super().__init__(*args, **kwargs)
        self.deadline = deadline
        self._create_connection = partial(_connect, deadline=deadline)
        # http.client only calls `response_class(sock, method=...)`; typeshed types it as a class
        self.response_class = partial(_BoundedResponse, deadline=deadline)  # type: ignore[assignment]

    def connect(self) -> None:
        self.timeout = self.deadline.left()  # what bounds each step should http.client stop using the hook above
        super().connect()
        self.sock.settimeout(self.deadline.left())

    def send(self, data) -> None:
        if self.sock is not None:
            self.sock.settimeout(self.deadline.left())
        super().send(data)


class _BoundedHTTPConnection(_Bounded, http.client.HTTPConnection):
    pass


class _BoundedHTTPSConnection(_Bounded, http.client.HTTPSConnection):
    pass


class _BoundedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: Deadline):
        super().__init__()
        self.deadline = deadline

    def http_open(self, request):
        return self.do_open(partial(_BoundedHTTPConnection, deadline=self.deadline), request)


class _BoundedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: Deadline):
        super().__init__()
        self.deadline = deadline

    def https_open(self, request):
        return self.do_open(partial(_BoundedHTTPSConnection, deadline=self.deadline), request)


def request(
    url: str,
    deadline: Deadline,
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    credentials: bool = True,
    user_agent: str = USER_AGENT,
) -> http.client.HTTPResponse:
    """One request to `url` (GET, or POST of `data`), proxies from the environment honoured, redirects never
    followed: a 2xx answer, its body not read yet; any other an `urllib.error.HTTPError`. A user and password in the
    URL are sent as Basic authentication when `credentials`."""
    parts = urllib.parse.urlsplit(url)
    plain = urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2], fragment=""))
    outgoing = urllib.request.Request(
        plain,
        data=data,
        method="GET" if data is None else "POST",
        headers={"User-Agent": user_agent, **(headers or {})},
    )
    if credentials and parts.username is not None:
        pair = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
        outgoing.add_unredirected_header("Authorization", "Basic " + base64.b64encode(pair.encode()).decode("ascii"))
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        _BoundedHTTPHandler(deadline),
        _BoundedHTTPSHandler(deadline),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener.open(outgoing, timeout=deadline.left())


def describe(error: BaseException, timeout: float, url: str = "") -> str:
    """What went wrong, in words of our own: never an exception's text, which may quote the URL."""
    if isinstance(error, urllib.error.HTTPError):
        code = error.code
        try:
            text = f"HTTP {code} {HTTPStatus(code).phrase}"
        except ValueError:  # a code HTTP does not define
            text = f"HTTP {code}"
        location = error.headers.get("Location") if error.headers is not None else None
        if 300 <= code < 400 and location:
            text += f", a redirect to {redirect_target(url, location)}, not followed"
        return text
    if isinstance(error, urllib.error.URLError) and isinstance(error.reason, BaseException):
        error = error.reason
    if isinstance(error, TimeoutError):
        return f"timed out after {timeout:g} s"
    if isinstance(error, socket.gaierror):
        return "the host name could not be resolved"
    if isinstance(error, ssl.SSLCertVerificationError):
        return "its TLS certificate could not be verified"
    if isinstance(error, ssl.SSLError):
        return "a TLS error"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(error, ConnectionError):
        return "the connection was reset"
    if isinstance(error, http.client.HTTPException):
        return "the answer is not valid HTTP"
    if isinstance(error, urllib.error.URLError):
        return "the request could not be made (a proxy or URL scheme that cannot be used)"
    if isinstance(error, OSError) and error.errno:
        return os.strerror(error.errno)
    return f"an unexpected {type(error).__name__}"


def redirect_target(url: str, location: str) -> str:
    """Where a redirect points, as far as a message may say: its scheme and host, never its path or query."""
    try:
        parts = urllib.parse.urlsplit(urllib.parse.urljoin(url, location))
        host = host_of(parts)
    except ValueError:
        return "an invalid location"
    if parts.scheme not in ("http", "https") or not _HOST.fullmatch(host.strip("[]")):
        return "a location that is not a plain http(s) URL"
    return f"{parts.scheme}://{host}"


def retryable(error: BaseException) -> bool:
    """Whether another attempt may succeed: 429, a 5xx, a network error or a timeout; never a refusal (4xx), an
    unusable URL or a certificate that cannot be verified."""
    if isinstance(error, urllib.error.HTTPError):
        return error.code == 429 or 500 <= error.code < 600
    if isinstance(error, urllib.error.URLError):
        error = error.reason if isinstance(error.reason, BaseException) else error
    if isinstance(error, (urllib.error.URLError, ssl.SSLCertVerificationError)):
        return False
    return isinstance(error, OSError)


def read_at_most(response: http.client.HTTPResponse, limit: int) -> bytes:
    """The body of `response`, read in chunks; `ResponseTooLarge` as soon as it is longer than `limit` bytes (or its
    `Content-Length` says it will be), so an endless answer is never read whole."""
    length = response.getheader("Content-Length") or ""
    if length.isdigit() and int(length) > limit:
        raise ResponseTooLarge(limit)
    raw = bytearray()
    while chunk := response.read(min(_CHUNK, limit + 1 - len(raw))):
        raw += chunk
        if len(raw) > limit:
            raise ResponseTooLarge(limit)
    return bytes(raw)

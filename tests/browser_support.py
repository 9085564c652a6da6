"""Helpers for the real-browser tests: a local static server, Chromium via Playwright, and a recorder of
every request, console error and page error a page produces."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from conftest import skip_or_fail as unavailable  # a missing browser skips locally, fails under CI

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOST = "127.0.0.1"
# Not network requests: the page's own documents and scripts may create these.
_LOCAL_SCHEMES = {"data", "blob", "about"}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the base class's signature
        pass


class StaticServer:
    """Serves `root` on 127.0.0.1 at a free port from a daemon thread."""

    def __init__(self, root: Path):
        self.directory = root
        self.httpd = http.server.ThreadingHTTPServer(
            (LOCAL_HOST, 0), functools.partial(_QuietHandler, directory=str(root))
        )
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="static-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{LOCAL_HOST}:{self.httpd.server_port}"

    def __enter__(self) -> StaticServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def launch_chromium(playwright):
    """Debian's Chromium, headless; `unavailable` when it is not installed or cannot start."""
    if not os.access(CHROMIUM, os.X_OK):
        unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
    except Exception as error:  # any launch failure means there is no browser to test with
        unavailable(f"{CHROMIUM} does not start: {error}")


@dataclass
class Recorder:
    """Everything a page asked for or complained about while a test drove it."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, context, page) -> None:
        # page.on("request") sees the page's requests; the context also sees those of its workers
        # (Material's search worker fetches the search index).
        page.on("request", lambda request: self.requests.append(request.url))
        context.on("request", lambda request: self.requests.append(request.url))
        page.on("requestfailed", self._failed)
        page.on(
            "console",
            lambda message: (
                self.console_errors.append(f"{message.text} @ {message.location}") if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("dialog", self._dialog)

    def _failed(self, request) -> None:
        # A navigation cancels the previous page's pending loads (net::ERR_ABORTED); that is not a failure.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.failed_requests.append(f"{request.url}: {request.failure}")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def foreign_requests(self) -> list[str]:
        return sorted(
            {
                url
                for url in self.requests
                if urlsplit(url).scheme not in _LOCAL_SCHEMES and urlsplit(url).hostname != LOCAL_HOST
            }
        )

    def assert_clean(self) -> None:
        assert self.requests, "no requests were recorded"
        assert self.foreign_requests() == [], "requests left 127.0.0.1"
        assert self.console_errors == [], "console errors"
        assert self.page_errors == [], "uncaught page errors"
        assert self.failed_requests == [], "failed requests"
        assert self.dialogs == [], "dialogs opened (injected script ran?)"


def new_page(browser, timeout_ms: int, **context_options):
    """A page in a fresh context, with a `Recorder` attached as `page.recorder`; close `page.context` after."""
    context = browser.new_context(service_workers="block", **context_options)
    context.set_default_timeout(timeout_ms)
    page = context.new_page()
    page.recorder = Recorder()
    page.recorder.attach(context, page)
    return page


def table_rows(locator) -> list[list[str]]:
    """The text of every cell of every body row of the table(s) `locator` matches or contains, whitespace
    collapsed; also of tables not rendered, such as one inside a closed <details>."""
    return locator.locator("tbody tr").evaluate_all(
        "rows => rows.map(row => [...row.cells].map(cell => cell.textContent.replace(/\\s+/g, ' ').trim()))"
    )


def link_targets(locator) -> list[str]:
    """The absolute URLs the links `locator` matches point to, resolved against their document."""
    return locator.evaluate_all("links => links.map(a => a.href)")


def headings(page, level: str = "h2") -> list[str]:
    """The article's headings of one level, without the permalink sign the toc extension adds."""
    return [text.replace("\u00b6", "").strip() for text in page.locator(f"article {level}").all_inner_texts()]


def section_texts(page, heading_id: str, selector: str, prop: str = "innerText") -> list[str]:
    """`prop` (the text, or `href` for a link's absolute URL) of every element matching `selector` between the
    article's `h2#heading_id` and the next h2."""
    return page.locator(f"article h2#{heading_id}").evaluate(
        """(heading, [selector, prop]) => {
        const found = [];
        for (let node = heading.nextElementSibling; node && node.tagName !== 'H2'; node = node.nextElementSibling) {
            if (node.matches(selector)) found.push(node);
            found.push(...node.querySelectorAll(selector));
        }
        return found.map(element => String(element[prop]).trim());
    }""",
        [selector, prop],
    )


AXE_DEFAULT = Path(__file__).resolve().parent / ".axe" / "node_modules" / "axe-core" / "axe.min.js"


def axe_source() -> str:
    """axe-core's axe.min.js, from `AXE_PATH` or tests/.axe/node_modules/axe-core/axe.min.js (`npm install
    --no-save --prefix tests/.axe axe-core@4`); `unavailable` when neither exists (skips locally, fails in CI)."""
    path = Path(os.environ.get("AXE_PATH") or AXE_DEFAULT)
    if not path.is_file():
        unavailable(
            f"axe-core is not installed at {path} (npm install --no-save --prefix tests/.axe axe-core@4, "
            "or set AXE_PATH)"
        )
    return path.read_text(encoding="utf-8")


# Every explorer of the page has loaded its records (explorer.js marks it active), or is folded and waits to be opened
# (the action items', unless the URL opens it): the page axe must check.
EXPLORERS_READY = """() => [...document.querySelectorAll('[data-pm-explore]')].every(container =>
    container.classList.contains('pm-explore--active')
    || (container.classList.contains('pm-explore--folded') && !location.search))"""


def settled(page, url: str) -> None:
    """Open `url` and wait until it is loaded, its explorers are ready and postmortems.js has named Material's
    scrolling tables (50 ms after the load, once Material has wrapped them): nothing else of a page of ours fetches
    anything until a reader acts, so waiting for the network to be idle would only add half a second a page."""
    page.goto(url)
    if page.evaluate("document.documentElement.classList.contains('js')"):  # Material's script ran: scripts do
        page.wait_for_function(EXPLORERS_READY)
        page.wait_for_timeout(100)


# axe-core's rules that read colours: the only ones the colour scheme changes. The page the others check is the same
# markup in either scheme, so a page is checked whole in the light scheme and for these in the dark one.
COLOUR_RULES = ("color-contrast", "link-in-text-block")
# The dark palette's colours put on the page as Material's palette component puts them when a reader switches (not
# stored, so the next page opens as the OS says), once the colours' transitions end; false when the site offers no
# dark scheme.
_TO_DARK = """async () => {
    const dark = document.querySelector('[data-md-component=palette] input[data-md-color-scheme=slate]');
    if (!dark) return false;
    for (const key of ['scheme', 'primary', 'accent']) {
        const value = dark.getAttribute('data-md-color-' + key);
        if (value) document.body.setAttribute('data-md-color-' + key, value);
    }
    await Promise.all(document.getAnimations().map(animation => animation.finished));  // colours fade in
    return true;
}"""


_AXE_RUN = """async ([scope, options]) =>
    (await axe.run(scope ? document.querySelector(scope) : document, options)).violations"""


def serious(violations: list[dict]) -> list[dict]:
    """axe's serious and critical findings: each rule's id and its first three nodes, with axe's summary."""
    return [
        {"id": v["id"], "nodes": [(n["target"], n["failureSummary"]) for n in v["nodes"][:3]]}
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def axe_in_both_schemes(page, axe: str, scope: str | None = None) -> dict[str, list[dict]]:
    """axe's serious findings on the loaded page (opened in the light scheme), or in the element the CSS selector
    `scope` picks, by scheme (none: `{}`): every rule in the light scheme, then `COLOUR_RULES` in the dark one when
    the site has one."""
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default", "the page follows the OS: light"
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe)
    found = {"light": serious(page.evaluate(_AXE_RUN, [scope, {"resultTypes": ["violations"]}]))}
    if page.evaluate(_TO_DARK):
        only = {"resultTypes": ["violations"], "runOnly": {"type": "rule", "values": list(COLOUR_RULES)}}
        found["dark"] = serious(page.evaluate(_AXE_RUN, [scope, only]))
    return {scheme: findings for scheme, findings in found.items() if findings}

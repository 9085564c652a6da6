"""`status_site/feeds.py`'s feeds opened in Chromium, as a person who clicks "RSS feed" sees them: a page rendered by
the site's own `feed.xsl`, each entry's title as text and its content as the HTML it is (no literal `<p>`), an en dash
an en dash (never `â€“`), and shown rather than downloaded, both where a host serves by extension (Python's
http.server here, GitHub Pages) and where it sends what the site's `_headers` says (Netlify, Cloudflare Pages; a
server here that reads the file as they do). Public text that holds script stays text there too.

A small status site is built once per module, with an en dash in a title and HTML in an update. Outside CI these tests
skip when Chromium or Playwright is missing; with CI set they fail instead.
"""

from __future__ import annotations

import functools
import http.server
import threading
import xml.etree.ElementTree as ElementTree
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from typing import ClassVar

import pytest

from browser_support import LOCAL_HOST, StaticServer, new_page
from test_public_browser import _postmortem, build_public, quokka

pytestmark = pytest.mark.browser

TIMEOUT_MS = 10_000
ATOM = "{http://www.w3.org/2005/Atom}"
TITLE = "Checkout – slow payments"  # an en dash: `â€“` if a host's missing charset were guessed as Latin-1
MARKUP = "<p>We <b>enlarged</b> the pool – it holds the peak.</p>"  # allowlisted HTML: shown as HTML
SCRIPT = '<img src=x onerror="window.__pwned=1"> We are looking into it.'  # not allowlisted: shown as text
FEEDS = ("history.atom.xml", "history.rss.xml", "feeds/checkout.atom.xml", "feeds/checkout.rss.xml")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = quokka(tmp_path_factory.mktemp("feeds"))
    started = datetime.combine(datetime.now(timezone.utc).date() - timedelta(days=3), time(9), timezone.utc)
    block = {
        "title": TITLE,
        "summary": "Payments were slow for some customers.",
        "components": ["Checkout"],
        "impact": "major",
        "updates": [
            {"status": "investigating", "at": started + timedelta(minutes=10), "body": SCRIPT},
            {"status": "resolved", "at": started + timedelta(minutes=90), "body": MARKUP},
        ],
    }
    (root / "postmortems" / f"{started:%Y-%m-%d}-slow-payments.md").write_text(
        _postmortem("Slow payments", block, started, resolved=True), encoding="utf-8"
    )
    return build_public(root, strict=False)[0]


class _HeadersHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder as Netlify and Cloudflare Pages do with its `_headers`: a rule's `Content-Type` for the path
    it names, exactly or by a trailing `/*`; its own type by extension otherwise. The file itself is not served."""

    rules: ClassVar[dict[str, str]] = {}

    def guess_type(self, path):
        url = self.path.split("?")[0]
        for rule, kind in self.rules.items():
            if url == rule or (rule.endswith("/*") and url.startswith(rule[:-1])):
                return kind
        return super().guess_type(path)

    def send_head(self):
        if self.path.split("?")[0] == "/_headers":
            self.send_error(404)
            return None
        return super().send_head()

    def log_message(self, format, *args):  # the base class's signature
        pass


def _rules(site: Path) -> dict[str, str]:
    lines = [line for line in (site / "_headers").read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return {path: value.split(": ", 1)[1] for path, value in zip(lines[::2], lines[1::2], strict=True)}


@pytest.fixture(scope="module")
def hosts(browser, site):
    """The site served by extension (GitHub Pages, `python3 -m http.server`) and as its `_headers` say."""
    handler = type("Handler", (_HeadersHandler,), {"rules": _rules(site)})
    headed = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(handler, directory=str(site)))
    headed.daemon_threads = True
    thread = threading.Thread(target=headed.serve_forever, daemon=True)
    thread.start()
    with StaticServer(site) as plain:
        yield {"extension": plain.url, "headers": f"http://{LOCAL_HOST}:{headed.server_port}"}
    headed.shutdown()
    headed.server_close()


@pytest.fixture
def page(browser):
    tab = new_page(browser, TIMEOUT_MS, viewport={"width": 1440, "height": 900})
    yield tab
    tab.context.close()


def assert_clean(page) -> None:
    """The recorder's checks, but for Chromium's own look for `/favicon.ico` beside an XML document (which names no
    icon; the page the stylesheet makes names none to fetch, and every HTML page of the site names Material's)."""
    page.recorder.console_errors = [e for e in page.recorder.console_errors if "/favicon.ico" not in e]
    page.recorder.assert_clean()


def titles_of(site: Path, feed: str) -> list[str]:
    root = ElementTree.fromstring((site / feed).read_bytes())
    return [entry.text or "" for entry in root.iter() if entry.tag in (f"{ATOM}title", "title")][1:]


def rendered(page) -> dict:
    """What the page a feed became shows: its kind of document, entry titles, text, and what ran."""
    return page.evaluate("""() => ({
        root: document.documentElement.tagName,
        titles: [...document.querySelectorAll('.pm-feed__entry h2')].map(h => h.textContent),
        text: document.body.innerText,
        bold: [...document.querySelectorAll('.pm-feed__content b')].map(b => b.textContent),
        styled: getComputedStyle(document.body).maxWidth,
        pwned: typeof window.__pwned,
        images: document.querySelectorAll('img').length,
    })""")


@pytest.mark.parametrize("feed", FEEDS)
@pytest.mark.parametrize("host", ["extension", "headers"])
def test_a_linked_feed_opens_as_a_page_with_its_entries(site, hosts, page, host, feed):
    response = page.goto(f"{hosts[host]}/{feed}")  # a download would raise here
    assert response is not None and response.ok
    page.locator(".pm-feed h1").wait_for()
    shown = rendered(page)
    assert shown["root"] == "HTML" and shown["titles"] == titles_of(site, feed) == [TITLE]
    assert "<p>" not in shown["text"] and "&lt;" not in shown["text"] and "â€“" not in shown["text"]
    assert shown["bold"] == ["enlarged"]  # the update's HTML, rendered
    assert SCRIPT.split(">", 1)[0] + ">" in shown["text"]  # the other update's markup, as text
    assert (shown["pwned"], shown["images"]) == ("undefined", 0)
    assert shown["styled"] == "704px"  # feed.css, found beside feed.xsl from a component's feed too
    if host == "headers":
        assert response.headers["content-type"] == "application/xml; charset=utf-8"
    assert_clean(page)


@pytest.mark.parametrize("feed", ["history.atom", "history.rss", "feeds/checkout.rss"])
def test_the_names_readers_subscribed_to_display_too_where_the_headers_are_read(site, hosts, page, feed):
    response = page.goto(f"{hosts['headers']}/{feed}")  # `.rss` as its own type would download
    assert response is not None and response.headers["content-type"] == "application/xml; charset=utf-8"
    page.locator(".pm-feed h1").wait_for()
    assert rendered(page)["titles"] == [TITLE]
    assert_clean(page)


def test_subscribe_opens_each_feed_as_a_page(hosts, page):
    page.goto(hosts["extension"] + "/")
    page.locator(".pm-status__subscribe summary").click()
    for label in ("Atom feed", "RSS feed", "Checkout (Atom)"):
        page.goto(hosts["extension"] + "/")
        page.locator(".pm-status__subscribe summary").click()
        page.locator(".pm-status__subscribe a", has_text=label).click()
        page.locator(".pm-feed h1").wait_for()
        assert rendered(page)["titles"] == [TITLE], label
    assert_clean(page)


def test_every_text_file_is_served_with_a_charset_where_the_headers_are_read(site, hosts, page):
    for path in ("api/v2/summary.json", "maintenance.ics", "badge.svg", "feed.xsl", "feeds/checkout.atom"):
        response = page.request.get(f"{hosts['headers']}/{path}")
        assert response.ok and response.headers["content-type"].endswith("; charset=utf-8"), path
    summary = page.request.get(f"{hosts['headers']}/api/v2/incidents.json").text()
    assert TITLE in summary

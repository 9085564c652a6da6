"""The public status site (`mkdocs build -f mkdocs.public.yml`) in a real browser: Debian's Chromium driven by
Playwright.

The example's status site is built once per module and served from 127.0.0.1; its status page, an incident
page, the history and the about page must load with no console or page error and no request to another host.
A second knowledge base puts script and markup in every public text field; its pages must show them as text
and run none of them, and its feeds and API must give them back as text.
Outside CI these tests skip when Chromium or Playwright is missing; with CI set they fail instead.

`UPDATE_SCREENSHOTS=1 python -m pytest tests/test_public_browser.py` refreshes docs/images/status-page.png.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import xml.etree.ElementTree as ElementTree
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from browser_support import StaticServer, link_targets, new_page, table_rows

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
SCREENSHOT = REPO / "docs" / "images" / "status-page.png"
UPDATE_SCREENSHOTS = os.environ.get("UPDATE_SCREENSHOTS") == "1"
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000
UPTIME_DAYS = 90  # `status_page.uptime_days`, which neither example configuration sets
ATOM = "{http://www.w3.org/2005/Atom}"


def build_public(root: Path, strict: bool) -> tuple[Path, list]:
    """Build `root/mkdocs.public.yml` into `root/site-public`; also return the knowledge base's diagnostics."""
    logging.getLogger("mkdocs").setLevel(logging.NOTSET)  # in case a CLI test changed it (see test_plugin_build)
    config = load_config(str(root / "mkdocs.public.yml"), strict=strict)
    build(config)
    return root / "site-public", config.plugins["postmortems"].site.renderer.kb.diagnostics


def read_json(site: Path, name: str) -> dict:
    return json.loads((site / "api" / "v2" / name).read_text(encoding="utf-8"))


def words(text: str) -> str:
    return " ".join(text.split())


def incident_code(url: str) -> str:
    """`dc5f810b9630` from `http://127.0.0.1:8000/incidents/dc5f810b9630/`."""
    match = re.search(r"/incidents/([0-9a-f]{12})/$", urlsplit(url).path)
    assert match, url
    return match.group(1)


# --------------------------------------------------------------------------------------------------
# Fixtures: one browser per module, one site per knowledge base, a fresh context and page per test


@pytest.fixture(scope="module")
def example(browser, public_example_site):
    """The example's status site, built strictly once per session (conftest's `public_example_site`) and served;
    `.api` holds its incidents and components JSON."""
    site = public_example_site
    with StaticServer(site) as server:
        server.api = {
            name: read_json(site, f"{name}.json")
            for name in ("status", "components", "incidents", "scheduled-maintenances")
        }
        yield server


@pytest.fixture
def page(browser):
    tab = new_page(browser, TIMEOUT_MS, viewport=VIEWPORT)
    yield tab
    tab.context.close()


def screenshot(page) -> None:
    """Refresh the guide's screenshot of the status page, only when asked to: the image is committed."""
    if not UPDATE_SCREENSHOTS:
        return
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOT), full_page=False, animations="disabled")


# --------------------------------------------------------------------------------------------------
# The example's status site


def test_status_page_shows_the_status_every_component_and_its_uptime_bars(example, page):
    response = page.goto(example.url + "/")
    assert response is not None and response.ok
    assert page.inner_text("article h1").strip() == "Larkspur status"
    banner = page.locator(".pm-status__banner .pm-status__overall")
    assert banner.is_visible()
    assert banner.inner_text().strip() == example.api["status"]["status"]["description"]

    components = [component["name"] for component in example.api["components"]["components"]]
    assert components, "the example has no public components"
    rows = page.locator("li.pm-status__component")
    assert rows.count() == len(components)
    for index, name in enumerate(components):
        row = rows.nth(index)
        assert row.locator(".pm-status__component-head strong").inner_text().strip() == name
        bars = row.locator(".pm-status__bars .pm-status__bar").evaluate_all(
            "bars => bars.map(bar => [bar.getAttribute('title') || '', bar.getAttribute('aria-label') || ''])"
        )
        assert len(bars) == UPTIME_DAYS, name
        assert all(title.strip() and label.strip() for title, label in bars), name
        assert row.locator(".pm-status__bars").is_visible()

    uptime = page.locator("details.pm-status__data table")
    assert uptime.count() == 1
    assert [row[0] for row in table_rows(uptime)] == components
    assert page.locator("p.pm-status__formula a").inner_text() == "How uptime is counted"  # the formula, on About
    screenshot(page)
    page.wait_for_load_state("networkidle")
    page.recorder.assert_clean()


def test_the_live_incident_opens_its_page(example, page):
    incidents = {incident["id"]: incident for incident in example.api["incidents"]["incidents"]}
    page.goto(example.url + "/")
    recent = page.locator(".pm-status__unresolved a")
    assert {incident_code(url) for url in link_targets(recent)} <= set(incidents)
    code = incident_code(link_targets(recent)[0])
    recent.first.click()
    page.wait_for_url(re.compile(rf"/incidents/{code}/$"))
    incident = incidents[code]
    page.locator("article h1", has_text=incident["name"]).wait_for()
    assert page.title().startswith(incident["name"])
    facts = dict(
        zip(
            page.locator(".pm-status__facts dt").all_inner_texts(),
            page.locator(".pm-status__facts dd").all_inner_texts(),
            strict=True,
        )
    )
    assert facts["Affected components"] == ", ".join(component["name"] for component in incident["components"])
    assert facts["Impact"].lower().startswith(incident["impact"])
    updates = page.locator("ol.pm-status__updates li.pm-status__update")
    assert updates.count() == len(incident["incident_updates"])
    assert words(updates.first.inner_text()).startswith(incident["incident_updates"][0]["status"].capitalize())
    assert page.locator("article h2#summary").is_visible()
    assert page.locator("article h2").first.get_attribute("id") == "summary"  # the summary first, then the updates
    page.wait_for_load_state("networkidle")
    page.recorder.assert_clean()


def test_history_lists_every_public_incident_and_about_names_the_feeds(example, page):
    codes = {incident["id"] for incident in example.api["incidents"]["incidents"]}
    codes |= {planned["id"] for planned in example.api["scheduled-maintenances"]["scheduled_maintenances"]}
    page.goto(example.url + "/")
    page.locator(".pm-status__updated a", has_text="Incident history").click()  # no nav: the status page links it
    page.wait_for_url(re.compile(r"/history/$"))
    page.locator("article h1", has_text="History").wait_for()
    listed = [incident_code(url) for url in link_targets(page.locator(".pm-status__history a"))]
    assert sorted(listed) == sorted(codes)

    page.goto(example.url + "/about/")
    assert page.inner_text("article h1").replace("\u00b6", "").strip() == "About this page"
    feeds = link_targets(page.locator("article a[href$='history.atom.xml'], article a[href$='history.rss.xml']"))
    assert sorted(urlsplit(url).path for url in feeds) == ["/history.atom.xml", "/history.rss.xml"]
    for url in feeds:
        response = page.request.get(url)
        assert response.ok, url
        ElementTree.fromstring(response.body())
    head = page.locator("head link[rel='alternate']").evaluate_all("links => links.map(link => link.href)")
    assert sorted(urlsplit(url).path for url in head) == [
        "/api/v2/summary.json",
        "/history.atom.xml",
        "/history.rss.xml",
        "/maintenance.ics",
    ]
    assert "Uptime is counted per UTC day" in page.inner_text("article #how-uptime-is-counted + p")
    page.wait_for_load_state("networkidle")
    page.recorder.assert_clean()


# --------------------------------------------------------------------------------------------------
# Script and markup in every public text field stay text

TITLE = 'Quokka <script>window.__pwned=1</script> "><img src=x onerror="window.__pwned=2"> & co'
SUMMARY = (
    'Checkout was slow <svg onload="window.__pwned=3"></svg> for some customers; see '
    "[details](javascript:window.__pwned=4) or javascript:window.__pwned=5 AT&amp;T {{ 7*7 }}."
)
CHANGES = "</p><script>window.__pwned=6</script><p> We are <b>adding</b> capacity <!-- a comment -->."
BODIES = (
    '<img src=x onerror="window.__pwned=7"> We are looking into slow checkouts.',
    '<a href="javascript:window.__pwned=8">Fixed</a> <iframe srcdoc="<script>parent.__pwned=9</script>">',
)
ONGOING = '<svg><script>window.__pwned=10</script></svg> Payments are failing "><img src=x onerror=alert(1)>'
ONGOING_BODY = "<style>body{display:none}</style> We have found the cause <marquee>and are fixing it</marquee>."
VECTORS = (TITLE, SUMMARY, CHANGES, *BODIES, ONGOING, ONGOING_BODY)


def _postmortem(title: str, public: dict, started: datetime, resolved: bool) -> str:
    """A published postmortem with `public` that the checks find nothing wrong with; without `resolved`, a live record
    (`ongoing`): a published postmortem is over, whatever its times say (`moments.py`)."""
    moment = lambda minutes: started + timedelta(minutes=minutes)  # noqa: E731
    values = {
        "title": title,
        "status": "published" if resolved else "ongoing",
        "severity": "SEV3",
        "services": ["checkout", "payments"],
        "authors": ["alice"],
        "reviewers": ["bob"],
        "started": moment(0),
        "detected": moment(5),
        **({"mitigated": moment(60), "resolved": moment(90)} if resolved else {}),
        "published_on": (started + timedelta(days=1)).date(),
        "impact": {"summary": "Checkouts were slow.", "customers_affected": 120},
        "root_causes": [
            {"id": "pool", "kind": "causal", "category": "capacity", "summary": "A pool was small."},
            {"id": "alert", "kind": "contributing", "category": "monitoring-gap", "summary": "No alert on the pool."},
        ],
        "action_items": [
            {
                "title": "Size the pool",
                "owner": "team-checkout",
                "priority": "P1",
                "due": "2099-01-01",
                "status": "open",
                "done_when": "It holds peak traffic.",
                "addresses": ["pool"],
            }
        ],
        "communications": [{"audience": "internal", "channel": "slack", "at": moment(6)}],
        "public": public,
    }
    sections = "\n".join(
        f"## {section}\n\nText.\n"
        for section in ("Summary", "Impact", "Timeline", "Root cause analysis", "Resolution", "Lessons learned")
    )
    return f"---\n{yaml.safe_dump(values, sort_keys=False, allow_unicode=True)}---\n{sections}"


def quokka(root: Path) -> Path:
    """`root` made a knowledge base with a status site, Quokka's, and no postmortem yet: its catalog has Checkout and
    Payments as components and orders-db as an internal service; build it with `build_public`."""
    (root / "docs" / "public").mkdir(parents=True)
    (root / "postmortems").mkdir()
    config = {
        "site_name": "Quokka",
        "theme": {"name": "material", "font": False},
        "plugins": {
            "search": {},
            "postmortems": {
                "services": [
                    {"name": "checkout", "component": "Checkout"},
                    {"name": "payments", "component": "Payments"},
                    {"name": "orders-db"},
                ]
            },
        },
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    public_config = {
        "INHERIT": "mkdocs.yml",
        "site_name": "Quokka status",
        "site_url": "https://status.quokka.example/",
        "docs_dir": "docs/public",
        "site_dir": "site-public",
        "plugins": {"search": {"enabled": False}, "postmortems": {"status_page": {"public_site": True}}},
    }
    (root / "mkdocs.public.yml").write_text(yaml.safe_dump(public_config), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def hostile(browser, tmp_path_factory):
    """A status site whose public text is all script and markup: one incident resolved three days ago and one
    still open, both inside the uptime bars' 90 days. `.site` is the built folder."""
    root = quokka(tmp_path_factory.mktemp("public-hostile"))
    today = datetime.now(timezone.utc).date()
    resolved_start = datetime.combine(today - timedelta(days=3), time(9, 0), timezone.utc)
    ongoing_start = datetime.combine(today - timedelta(days=1), time(12, 0), timezone.utc)
    updates = [
        {"status": "investigating", "at": resolved_start + timedelta(minutes=10), "body": BODIES[0]},
        {"status": "resolved", "at": resolved_start + timedelta(minutes=90), "body": BODIES[1]},
    ]
    (root / "postmortems" / f"{resolved_start:%Y-%m-%d}-slow-checkout.md").write_text(
        _postmortem(
            "Slow checkout",
            {
                "title": TITLE,
                "summary": SUMMARY,
                "components": ["Checkout"],
                "impact": "major",
                "changes": CHANGES,
                "updates": updates,
            },
            resolved_start,
            resolved=True,
        ),
        encoding="utf-8",
    )
    (root / "postmortems" / f"{ongoing_start:%Y-%m-%d}-payments-failing.md").write_text(
        _postmortem(
            "Payments failing",
            {
                "title": ONGOING,
                "summary": ONGOING_BODY,
                "components": ["Payments"],
                "impact": "critical",
                "updates": [
                    {"status": "identified", "body": ONGOING_BODY, "at": ongoing_start + timedelta(minutes=20)}
                ],
            },
            ongoing_start,
            resolved=False,
        ),
        encoding="utf-8",
    )

    site, diagnostics = build_public(root, strict=False)
    # The leak gate found nothing: the vectors are neither people, tickets, hosts nor internal services.
    found = {(Path(d.path).name, d.code) for d in diagnostics if d.level.name in ("ERROR", "WARNING")}
    assert found == set(), found
    with StaticServer(site) as server:
        server.site = site
        yield server


def _nothing_ran(page) -> None:
    injected = page.evaluate("""() => ({
        pwned: typeof window.__pwned,
        images: document.querySelectorAll('img[src="x"]').length,
        scripts: [...document.scripts].filter(s => s.textContent.includes('__pwned')).length,
        markup: document.querySelectorAll('article svg, article iframe, article b, article marquee, article style, '
                                          + 'a[href^="javascript:"]').length,
    })""")
    assert injected == {"pwned": "undefined", "images": 0, "scripts": 0, "markup": 0}


def test_public_text_is_shown_as_text_on_every_page(hostile, page):
    page.goto(hostile.url + "/")
    banner = words(page.inner_text(".pm-status__banner"))
    assert words(ONGOING) in banner and "Major System Outage" in banner
    recent = words(page.inner_text(".pm-status__days"))
    assert words(TITLE) in recent and words(ONGOING) in recent
    labels = page.locator(".pm-status__bar").evaluate_all(
        "bars => bars.map(bar => [bar.getAttribute('title'), bar.getAttribute('aria-label')])"
    )
    assert [title for title, _ in labels if TITLE in title] and all(title == label for title, label in labels)
    assert [title for title, _ in labels if ONGOING in title]
    _nothing_ran(page)

    page.locator(".pm-status__days a", has_text="Quokka").click()
    page.wait_for_url(re.compile(r"/incidents/[0-9a-f]{12}/$"))
    page.locator("article h2#updates").wait_for()
    assert page.inner_text("article h1").strip() == TITLE
    assert page.title().startswith(TITLE)
    article = words(page.inner_text("article"))
    for text in (SUMMARY, CHANGES, *BODIES):
        assert words(text) in article, text
    _nothing_ran(page)

    page.goto(hostile.url + "/history/")
    history = words(page.inner_text(".pm-status__history"))
    assert words(TITLE) in history and words(ONGOING) in history
    _nothing_ran(page)
    page.wait_for_load_state("networkidle")
    page.recorder.assert_clean()


def test_feeds_and_api_give_public_text_back_as_text(hostile):
    site = hostile.site
    incidents = {incident["name"]: incident for incident in read_json(site, "incidents.json")["incidents"]}
    assert set(incidents) == {TITLE, ONGOING}
    resolved = incidents[TITLE]
    assert [update["body"] for update in resolved["incident_updates"]] == [BODIES[1], BODIES[0]]
    assert [update["body"] for update in incidents[ONGOING]["incident_updates"]] == [ONGOING_BODY]
    unresolved = read_json(site, "incidents/unresolved.json")["incidents"]
    assert [incident["name"] for incident in unresolved] == [ONGOING]
    assert [incident["name"] for incident in read_json(site, "summary.json")["incidents"]] == [ONGOING]

    def escaped(text: str) -> str:  # how a text field reads inside the feeds' HTML content
        return html.escape(text.strip()).replace("\n", "<br>")

    atom = ElementTree.fromstring((site / "history.atom").read_bytes())
    entries = {entry.findtext(f"{ATOM}title"): entry for entry in atom.iter(f"{ATOM}entry")}
    assert set(entries) == {TITLE, ONGOING}
    content = entries[TITLE].find(f"{ATOM}content")
    assert content.get("type") == "html"
    rss = ElementTree.fromstring((site / "history.rss").read_bytes())
    items = {item.findtext("title"): item.findtext("description") for item in rss.iter("item")}
    assert set(items) == {TITLE, ONGOING}
    for text in (content.text, items[TITLE]):
        for vector in (SUMMARY, CHANGES, *BODIES):
            assert escaped(vector) in text, vector
        assert "<script" not in text and "<img" not in text and "<svg" not in text and "<iframe" not in text
    assert escaped(ONGOING_BODY) in items[ONGOING] and "<style" not in items[ONGOING]

"""A live incident and a maintenance window on the status site, built under `--strict` and checked in the API,
the feeds, the iCalendar file and in Chromium: the keyboard reaches every day's details, Subscribe offers every
feed, nothing scrolls sideways at 390 px, text keeps 4.5:1 contrast in light and dark, and no request leaves
127.0.0.1.

The knowledge base is made the way the person on call makes it (`postmortems incident open|update`), with times
relative to now, so it is live whatever day the tests run."""

from __future__ import annotations

import json
import logging
import re
import xml.etree.ElementTree as ElementTree
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from browser_support import StaticServer, new_page
from cli_support import run

pytestmark = pytest.mark.browser

TIMEOUT_MS = 10_000
ATOM = "{http://www.w3.org/2005/Atom}"
NOW = datetime.now(timezone.utc).replace(second=0, microsecond=0)
CONFIG = """\
site_name: Quokka status
site_url: http://127.0.0.1/
docs_dir: docs
site_dir: site-public
theme:
  name: material
  font: false
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle: {icon: material/weather-night, name: Dark}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle: {icon: material/weather-sunny, name: Light}
nav:
  - Status: index.md
  - History: history/index.md
  - About: about.md
plugins:
  search:
    enabled: false
  postmortems:
    services:
      - name: checkout
        component: Checkout
      - name: payments
        component: Payments
      - name: orders-db
    status_page:
      public_site: true
"""
FIRST = "Some customers see an error when they pay. We are investigating."
SECOND = "We have found the cause and are rolling back a change."
PLANNED = "We upgrade the systems behind checkout; checkout may be unavailable for up to five minutes."


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def maintenance(start: datetime, end: datetime, announced: datetime, title: str) -> str:
    return f"""---
title: {title}
kind: maintenance
status: ongoing
services: [checkout]
authors: [team-data]
started: {stamp(start)}
resolved: {stamp(end)}
communications:
  - audience: customers
    channel: status-page
    at: {stamp(announced)}
    status: scheduled
    summary: {PLANNED}
public:
  title: {title}
  summary: "Planned work on checkout; a comma, a semicolon; and a backslash \\\\ for the calendar."
  components: [Checkout]
---

## Plan

One switchover.
"""


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The site, built strictly, with the paths of its records; `.url` serves it on 127.0.0.1."""
    root = tmp_path_factory.mktemp("live")
    (root / "mkdocs.public.yml").write_text(CONFIG, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "about.md").write_text("# About\n\nOur status page.\n", encoding="utf-8")
    folder = root / "postmortems"
    folder.mkdir()
    opened_at = NOW - timedelta(hours=2)
    result = run(
        "incident",
        "open",
        "Payment errors",
        "--component",
        "Payments",
        "--impact",
        "major",
        "--message",
        FIRST,
        "--author",
        "on-call",
        "--at",
        stamp(opened_at),
        "-f",
        str(root / "mkdocs.public.yml"),
    )
    assert result.exit_code == 0, result.output
    (path,) = folder.iterdir()
    result = run(
        "incident",
        "update",
        str(path),
        "--status",
        "identified",
        "--message",
        SECOND,
        "--at",
        stamp(NOW - timedelta(hours=1)),
        "-f",
        str(root / "mkdocs.public.yml"),
    )
    assert result.exit_code == 0, result.output
    start = (NOW + timedelta(days=3)).replace(hour=23, minute=0)
    (folder / f"{start:%Y-%m-%d}-checkout-upgrade.md").write_text(
        maintenance(start, start + timedelta(hours=2), NOW - timedelta(days=1), "Checkout upgrade"), encoding="utf-8"
    )
    begun = NOW - timedelta(minutes=30)
    (folder / f"{begun:%Y-%m-%d}-payments-tune-up.md").write_text(
        maintenance(begun, begun + timedelta(hours=3), NOW - timedelta(days=2), "Payments tune-up").replace(
            "components: [Checkout]", "components: [Payments]"
        ),
        encoding="utf-8",
    )
    check = run("check", "--strict", "-f", str(root / "mkdocs.public.yml"))
    assert check.exit_code == 0, check.output
    logging.getLogger("mkdocs").setLevel(logging.NOTSET)
    build(load_config(str(root / "mkdocs.public.yml"), strict=True))
    site = root / "site-public"
    with StaticServer(site) as server:
        server.site = site
        yield server


def read(site: Path, name: str):
    text = (site / name).read_bytes().decode("utf-8")  # as written: CRLF stays CRLF
    return json.loads(text) if name.endswith(".json") else text


def test_the_api_has_the_live_incident_and_the_maintenance(live):
    unresolved = read(live.site, "api/v2/incidents/unresolved.json")["incidents"]
    assert [(i["name"], i["status"], i["impact"]) for i in unresolved] == [("Payment errors", "identified", "major")]
    assert [u["body"] for u in unresolved[0]["incident_updates"]] == [SECOND, FIRST]
    assert read(live.site, "api/v2/status.json")["status"] == {
        "indicator": "major",
        "description": "Partial System Outage",
    }
    upcoming = read(live.site, "api/v2/scheduled-maintenances/upcoming.json")["scheduled_maintenances"]
    active = read(live.site, "api/v2/scheduled-maintenances/active.json")["scheduled_maintenances"]
    assert [m["name"] for m in upcoming] == ["Checkout upgrade"] and [m["name"] for m in active] == ["Payments tune-up"]
    assert upcoming[0]["incident_updates"][0]["body"] == PLANNED
    assert read(live.site, "badge.json") == {
        "schemaVersion": 1,
        "label": "status",
        "message": "Partial System Outage",
        "color": "orange",
    }
    assert "Partial System Outage" in read(live.site, "badge.svg")


def test_every_public_update_is_one_that_was_posted(live):
    records = "\n".join(path.read_text(encoding="utf-8") for path in (live.site.parent / "postmortems").iterdir())
    incidents = read(live.site, "api/v2/incidents.json")["incidents"]
    planned = read(live.site, "api/v2/scheduled-maintenances.json")["scheduled_maintenances"]
    bodies = [u["body"] for item in incidents + planned for u in item["incident_updates"]]
    assert bodies and all(f"summary: {body}" in records for body in bodies)


def test_the_feeds_and_the_calendar_have_them(live):
    feed = ElementTree.fromstring(read(live.site, "history.atom").encode())
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert sorted(titles) == ["Checkout upgrade", "Payment errors", "Payments tune-up"]
    payments = ElementTree.fromstring(read(live.site, "feeds/payments.atom").encode())
    assert sorted(e.findtext(f"{ATOM}title") for e in payments.findall(f"{ATOM}entry")) == [
        "Payment errors",
        "Payments tune-up",
    ]
    calendar = read(live.site, "maintenance.ics")
    assert calendar.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and calendar.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in calendar.split("\r\n"))
    unfolded = calendar.replace("\r\n ", "")
    assert unfolded.count("BEGIN:VEVENT") == 2
    assert "a comma\\, a semicolon\\; and a backslash \\\\ for the calendar." in unfolded
    assert f"DTSTAMP:{NOW:%Y%m%d}T000000Z" in unfolded
    uids = re.findall(r"^UID:(\S+)\r$", unfolded, re.M)
    assert len(set(uids)) == 2 and all(uid.endswith("@127.0.0.1") for uid in uids)


@pytest.fixture
def page(browser):
    tab = new_page(browser, TIMEOUT_MS, viewport={"width": 1440, "height": 900})
    yield tab
    tab.context.close()


def test_the_home_page_shows_the_live_incident_maintenance_and_last_updated(live, page):
    page.goto(live.url + "/")
    banner = page.locator(".pm-status__banner")
    assert "Partial System Outage" in banner.inner_text() and SECOND in banner.inner_text()
    assert page.locator("h2#maintenance-in-progress + ul").inner_text().startswith("Payments tune-up")
    assert page.locator("h2#scheduled-maintenance + ul").inner_text().startswith("Checkout upgrade")
    updated = page.locator(".pm-status__updated time").get_attribute("datetime")
    assert abs(datetime.fromisoformat(updated.replace("Z", "+00:00")) - datetime.now(timezone.utc)) < timedelta(hours=1)
    assert page.locator(".pm-status__component-foot").first.inner_text().split("\n")[0].strip()[-4:].isdigit()
    page.wait_for_load_state("networkidle")
    page.recorder.assert_clean()


def test_the_keyboard_reaches_a_day_and_its_details(live, page):
    page.goto(live.url + "/")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('pm-status__bar')"):
            break
    else:
        pytest.fail("Tab never reached an uptime bar")
    tip = page.evaluate("""() => { const tip = document.activeElement.querySelector('.pm-status__tip');
        const box = tip.getBoundingClientRect();
        return [getComputedStyle(tip).display, tip.textContent, box.width > 0 && box.height > 0]; }""")
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert tip[0] == "block" and tip[1] == label and tip[2] and re.match(r"\d{4}-\d\d-\d\d: ", label)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/components/[a-z-]+/#day-\d{4}-\d\d-\d\d$"))
    day = page.evaluate("location.hash.slice(1)")
    cell = page.locator(f"td#{day}")
    assert cell.is_visible() and label.split(":")[0] in cell.inner_html()
    assert re.search(r"(No incidents|Degraded|Partial outage|Major outage|No data)", cell.inner_text())
    page.wait_for_load_state("networkidle")
    page.recorder.assert_clean()


def test_subscribe_offers_every_feed_and_each_is_also_a_head_link(live, page):
    page.goto(live.url + "/")
    page.locator(".pm-status__subscribe summary").click()
    links = page.locator(".pm-status__subscribe a")
    offered = links.evaluate_all("links => links.map(a => [a.textContent, new URL(a.href).pathname])")
    assert [label for label, _ in offered] == [
        "Atom feed",
        "RSS feed",
        "Maintenance calendar",
        "JSON API",
        "Checkout (Atom)",
        "Payments (Atom)",
    ]
    assert all(links.nth(index).is_visible() for index in range(links.count()))
    head = set(
        page.locator("head link[rel='alternate']").evaluate_all("links => links.map(l => new URL(l.href).pathname)")
    )
    assert {path for _, path in offered} <= head
    for _, path in offered:
        response = page.request.get(live.url + path)
        assert response.ok, path
    page.wait_for_load_state("networkidle")
    page.recorder.assert_clean()


def test_a_feed_opened_in_the_browser_is_styled_from_the_site_itself(live, page):
    # Chromium shows `application/atom+xml` as plain text whatever the feed says; served as `application/xml`
    # (its `.xml` name, or `_headers`: see publishing.md), it renders the feed as a page with the site's `feed.xsl`
    # (tests/test_feeds_browser.py tests that page).
    page.goto(live.url + "/history.atom.xml")
    assert "paste its address into a feed reader" in page.inner_text(".pm-feed__about")
    assert sorted(page.locator(".pm-feed__entry h2").all_inner_texts()) == [
        "Checkout upgrade",
        "Payment errors",
        "Payments tune-up",
    ]
    page.recorder.console_errors = [e for e in page.recorder.console_errors if "/favicon.ico" not in e]
    page.recorder.assert_clean()


PAGES = ("/", "/history/", "/components/payments/", "/components/payments/history/", "/about/")


@pytest.mark.parametrize("path", PAGES)
def test_nothing_scrolls_sideways_at_390_px(live, browser, path):
    tab = new_page(browser, TIMEOUT_MS, viewport={"width": 390, "height": 844})
    try:
        tab.goto(live.url + path)
        tab.wait_for_load_state("networkidle")
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390, path
        tab.recorder.assert_clean()
    finally:
        tab.context.close()


CONTRAST = """() => {
  const rgb = text => (text.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = element => { for (let e = element; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor); if (c.length === 3 || c[3] > 0.5) return c.slice(0, 3); }
      return [255, 255, 255]; };
  const found = [];
  for (const element of document.querySelectorAll(
      '.pm-status__state, .pm-status__impact, .pm-status__overall, .pm-status__updated, .pm-status__component-foot, '
      + '.pm-status__subscribe summary, .pm-calendar__status, .pm-status__incident-row, .pm-status__quiet')) {
    const fg = rgb(getComputedStyle(element).color).slice(0, 3), bg = background(element);
    const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    found.push([element.className, element.textContent.trim().slice(0, 30), (light + 0.05) / (dark + 0.05)]);
  }
  return found;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["/", "/components/payments/"])
def test_status_text_keeps_4_5_to_1_contrast(live, browser, scheme, path):
    tab = new_page(browser, TIMEOUT_MS, viewport={"width": 1440, "height": 900}, color_scheme=scheme)
    try:
        tab.goto(live.url + path)
        tab.wait_for_load_state("networkidle")
        if path == "/":
            tab.locator(".pm-status__subscribe summary").click()
        expected = "slate" if scheme == "dark" else "default"
        assert tab.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
        found = tab.evaluate(CONTRAST)
        assert found and [item for item in found if item[2] < 4.5] == []
    finally:
        tab.context.close()

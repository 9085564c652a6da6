"""The history feeds: valid Atom and RSS whatever the text, entries newest first with stable tag IDs, `updated`
moving with the updates, and each entry's HTML in Statuspage's shape with hostile text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

import pytest

from mkdocs_postmortems.model import PublicUpdate
from mkdocs_postmortems.status_site.feeds import atom_feed, entry_id, rss_feed
from mkdocs_postmortems.status_site.public import PublicView
from mkdocs_postmortems.status_site.statuspage import Page

A = "{http://www.w3.org/2005/Atom}"
PAGE = Page("Larkspur", "https://status.example.com/")
T0 = datetime(2026, 5, 6, 17, 5, tzinfo=timezone.utc)


def incident(
    pm_id: str,
    start: timedelta = timedelta(0),
    title: str = "Slow checkout",
    body: str = "Text.",
    summary: str = "What happened.",
    changes: str = "What we change.",
) -> PublicView:
    times = [T0 + start + timedelta(minutes=m) for m in (0, 25, 70)]
    statuses = ("investigating", "monitoring", "resolved")
    updates = tuple(
        PublicUpdate(status, moment, f"{body} {status}") for status, moment in zip(statuses, times, strict=True)
    )
    return PublicView(pm_id, title, summary, ("Checkout",), "major", changes, updates[::-1], times[0], times[-1])


NEWER = incident("2026-05-10-api", timedelta(days=4))
OLDER = incident("2026-05-06-checkout")


def url(view: PublicView) -> str:
    return f"https://status.example.com/incidents/{view.code}/"


def atom(incidents, page=PAGE) -> ET.Element:
    return ET.fromstring(atom_feed(page, incidents, url, "https://status.example.com/history.atom"))


def rss(incidents, page=PAGE) -> ET.Element:
    return ET.fromstring(rss_feed(page, incidents, url, "https://status.example.com/history.rss"))


class Shape(HTMLParser):
    """The sequence of tags and text of an entry's HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag))

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        self.events.append(("data", data))


def shape(html_text: str) -> list[tuple[str, str]]:
    parser = Shape()
    parser.feed(html_text)
    parser.close()
    return parser.events


def update_shape(when: str, status: str, body: str) -> list[tuple[str, str]]:
    return [
        ("start", "p"),
        ("start", "small"),
        ("data", when),
        ("end", "small"),
        ("start", "br"),
        ("start", "strong"),
        ("data", status),
        ("end", "strong"),
        ("data", f" - {body}"),
        ("end", "p"),
    ]


def test_atom_lists_each_incident_newest_first_with_links_and_times():
    feed = atom([NEWER, OLDER])
    entries = feed.findall(f"{A}entry")
    assert [e.findtext(f"{A}title") for e in entries] == ["Slow checkout", "Slow checkout"]
    assert [e.find(f"{A}link").get("href") for e in entries] == [url(NEWER), url(OLDER)]
    assert [e.findtext(f"{A}id") for e in entries] == [
        f"tag:status.example.com,2026-05-10:incident/{NEWER.code}",
        f"tag:status.example.com,2026-05-06:incident/{OLDER.code}",
    ]
    assert entries[1].findtext(f"{A}published") == "2026-05-06T17:05:00Z"
    assert entries[1].findtext(f"{A}updated") == "2026-05-06T18:15:00Z"
    assert feed.findtext(f"{A}updated") == entries[0].findtext(f"{A}updated") == "2026-05-10T18:15:00Z"
    assert feed.findtext(f"{A}id") == "tag:status.example.com,2005:/history"
    assert feed.findtext(f"{A}title") == "Larkspur Status - Incident History"
    assert feed.findtext(f"{A}author/{A}name") == "Larkspur"
    (self_link,) = [link for link in feed.findall(f"{A}link") if link.get("rel") == "self"]
    assert self_link.get("href") == "https://status.example.com/history.atom"


def test_rss_lists_the_same_incidents_with_guids_and_rfc822_dates():
    channel = rss([NEWER, OLDER]).find("channel")
    items = channel.findall("item")
    assert [i.findtext("guid") for i in items] == [entry_id(PAGE, NEWER), entry_id(PAGE, OLDER)]
    assert all(i.find("guid").get("isPermaLink") == "false" for i in items)
    assert [i.findtext("link") for i in items] == [url(NEWER), url(OLDER)]
    assert items[1].findtext("pubDate") == "Wed, 06 May 2026 18:15:00 +0000"  # UTC, as the pages say; never GMT
    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) == NEWER.updated
    assert channel.findtext("link") == "https://status.example.com/"


def test_ids_are_stable_and_updated_moves_forward_when_an_update_is_added():
    later = T0 + timedelta(days=1)
    added = replace(OLDER, updates=(PublicUpdate("resolved", later, "Postmortem published."), *OLDER.updates))
    before, after = atom([OLDER]).find(f"{A}entry"), atom([added]).find(f"{A}entry")
    assert before.findtext(f"{A}id") == after.findtext(f"{A}id")
    assert after.findtext(f"{A}updated") == "2026-05-07T17:05:00Z" > before.findtext(f"{A}updated")
    assert atom([added]).findtext(f"{A}updated") == "2026-05-07T17:05:00Z"
    assert rss([added]).find("channel/item/guid").text == rss([OLDER]).find("channel/item/guid").text
    assert entry_id(Page("Larkspur", ""), OLDER) == f"tag:status,2026-05-06:incident/{OLDER.code}"


def test_builds_are_deterministic_and_an_empty_history_is_still_a_valid_feed():
    assert atom_feed(PAGE, [NEWER, OLDER], url, "x") == atom_feed(PAGE, [NEWER, OLDER], url, "x")
    assert atom([]).findtext(f"{A}updated") == "1970-01-01T00:00:00Z"
    assert rss([]).find("channel/item") is None


def test_content_is_the_summary_and_window_first_then_the_updates_newest_first_then_changes():
    content = atom([OLDER]).find(f"{A}entry/{A}content")
    assert content.get("type") == "html"
    html_text = content.text
    assert html_text.startswith(
        "<p><strong>Summary</strong><br>What happened.</p>"
        "<p><strong>Window</strong><br>May  6, 17:05 UTC – May  6, 18:15 UTC</p>"
    )
    events = shape(html_text)
    assert events[14:44] == (
        update_shape("May  6, 18:15 UTC", "Resolved", "Text. resolved")
        + update_shape("May  6, 17:30 UTC", "Monitoring", "Text. monitoring")
        + update_shape("May  6, 17:05 UTC", "Investigating", "Text. investigating")
    )
    assert events[44:] == [
        ("start", "p"),
        ("start", "strong"),
        ("data", "What we are changing"),
        ("end", "strong"),
        ("start", "br"),
        ("data", "What we change."),
        ("end", "p"),
    ]
    assert rss([OLDER]).findtext("channel/item/description") == html_text


def test_an_incident_without_updates_gets_none_made_up_and_an_open_one_says_ongoing():
    quiet = replace(OLDER, updates=(), resolved=None)
    html_text = atom([quiet]).find(f"{A}entry/{A}content").text
    assert html_text == (
        "<p><strong>Summary</strong><br>What happened.</p>"
        "<p><strong>Window</strong><br>May  6, 17:05 UTC – ongoing</p>"
        "<p><strong>What we are changing</strong><br>What we change.</p>"
    )


def test_feeds_name_their_stylesheet_and_a_component_feed_has_its_own_id_and_title():
    text = atom_feed(PAGE, [OLDER], url, "https://status.example.com/feeds/checkout.atom", "../feed.xsl", "Checkout")
    assert text.split("\n")[:2] == [
        '<?xml version="1.0" encoding="UTF-8"?>',  # a browser that shows it as text reads an en dash as one
        '<?xml-stylesheet type="text/xsl" href="../feed.xsl"?>',  # a browser renders it as a page
    ]
    assert rss_feed(PAGE, [OLDER], url, "x", "feed.xsl").split("\n")[1] == (
        '<?xml-stylesheet type="text/xsl" href="feed.xsl"?>'
    )
    feed = ET.fromstring(text)
    assert feed.findtext(f"{A}title") == "Larkspur Status - Checkout Incident History"
    assert feed.findtext(f"{A}id") != atom([OLDER]).findtext(f"{A}id")
    assert "<?xml-stylesheet" not in atom_feed(PAGE, [OLDER], url, "x")  # none unless asked for


def test_a_maintenance_entry_has_a_maintenance_id_and_its_scheduled_window():
    planned = replace(OLDER, kind="maintenance", updates=())
    assert entry_id(PAGE, planned).endswith(f":maintenance/{planned.code}")
    assert "<strong>Scheduled window</strong>" in atom([planned]).find(f"{A}entry/{A}content").text


HOSTILE = [
    "<script>alert(1)</script>",
    'Tom & Jerry\'s "deal"',
    "]]><!-- x -->",
    "<![CDATA[ x ]]>",
    "</content></entry><entry>",
    "&amp; &lt;b&gt;",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_escaped_and_never_markup(text):
    view = incident("evil", title=text, body=text, summary=text, changes=text)
    page = Page(text, "")
    for root, title_path, content_path in (
        (atom([view], page), f"{A}entry/{A}title", f"{A}entry/{A}content"),
        (rss([view], page), "channel/item/title", "channel/item/description"),
    ):
        assert root.findtext(title_path) == text
        assert len(list(root.iter(f"{A}entry"))) + len(list(root.iter("item"))) == 1
        events = shape(root.findtext(content_path))
        tags = {tag for kind, tag in events if kind in ("start", "end")}
        assert tags == {"p", "small", "br", "strong"}
        assert ("data", f" - {text} resolved") in events and ("data", text) in events


def test_control_characters_are_dropped_and_the_feed_stays_valid_xml():
    text = "a\x00b\x01c\x08d\x0be\x0cf\x1fg\rh\ufffei\tj\nk"
    view = incident("ctrl", title=text, body=text, summary=text, changes=text)
    page = Page(text, "")
    feeds = [atom_feed(page, [view], url, "/history.atom"), rss_feed(page, [view], url, "/history.rss")]
    for feed in feeds:
        assert not any(ch in feed for ch in "\x00\x01\x08\x0b\x0c\x1f\r\ufffe")
        ET.fromstring(feed)
    assert atom([view]).findtext(f"{A}entry/{A}title") == "abcdefghi\tj\nk"
    assert ("data", "What we are changing") in shape(atom([view]).findtext(f"{A}entry/{A}content"))


MARKUP = (  # an update as a Statuspage import keeps it (`html_text.from_fragment`)
    "<p>Rolled back &amp; monitoring.</p><ul><li><strong>API</strong></li><li><a "
    'href="https://status.example.com/x" rel="noopener noreferrer nofollow">details</a></li></ul>'
)


def test_allowlisted_html_is_sanitised_html_in_the_entry_inline_when_one_paragraph_else_after_its_label():
    view = replace(
        OLDER,
        summary="We found it.<br>A fix is <b>rolling out</b>.",
        changes="<p>Two changes:</p><ol><li>one</li></ol>",
        updates=(
            PublicUpdate("resolved", T0, MARKUP),
            PublicUpdate("monitoring", T0, '<b onclick="x()">Fixed</b> <a href="javascript:alert(1)">x</a>'),
        ),
    )
    for content in (atom([view]).findtext(f"{A}entry/{A}content"), rss([view]).findtext("channel/item/description")):
        assert content.startswith("<p><strong>Summary</strong><br>We found it.<br>A fix is <b>rolling out</b>.</p>")
        assert (
            "<p><small>May  6, 17:05 UTC</small><br><strong>Resolved</strong></p><p>Rolled back &amp; monitoring.</p>"
            "<ul><li><strong>API</strong></li>" in content
        )
        assert (
            '<p><small>May  6, 17:05 UTC</small><br><strong>Monitoring</strong> - <b>Fixed</b> <a rel="noopener '
            'noreferrer nofollow">x</a></p>' in content
        )
        assert content.endswith("<p><strong>What we are changing</strong></p><p>Two changes:</p><ol><li>one</li></ol>")
        assert "&lt;" not in content and "onclick" not in content and "javascript" not in content
    raw = atom_feed(PAGE, [view], url, "x")
    assert "&lt;ul&gt;&lt;li&gt;&lt;strong&gt;API" in raw  # the HTML escaped once, as XML text of type html
    ET.fromstring(raw)

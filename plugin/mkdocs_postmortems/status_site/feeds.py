"""Atom (`history.atom`) and RSS 2.0 (`history.rss`) feeds of the public incident history, shaped as
Statuspage's, from the public incidents alone (standard library only).

One entry a public incident, newest first. Its ID is a tag URI (RFC 4151) that never changes:
`tag:<host>,<day>:incident/<code>`, where `host` is the host of the site's URL (`status` when the site has
none), `day` the UTC day the incident started (`YYYY-MM-DD`; its first update's day, or 1970-01-01, when it
has no start) and `code` its public ID. The feed's own ID is `tag:<host>,2005:/history`, as Statuspage's is.
An entry's `updated` (RSS `pubDate`, as Statuspage uses it) is the incident's last update, so a reader sees
the entry change when an update is added; the feed's is its newest entry's, never the build's time, so the
same incidents always give the same feed. Its content is HTML, escaped once more as XML text: each update,
the summary and the window first, then each update newest first, as
`<p><small>May 16, 17:05 UTC</small><br><strong>Resolved</strong> - body</p>` (the day padded to two places, as
Statuspage's `%e`), then what we are changing; only updates that were posted (`said.py`), none made up. A text is
escaped, its line breaks kept, unless it is HTML of the allowlist alone (a Statuspage import's, `html_text.py`),
which is sanitised: inline after its label when it is one paragraph, its blocks after the label otherwise. Every
time is UTC and says so (RSS dates end `+0000`, not GMT). Maintenance is in the feeds too (`…:maintenance/<code>`
IDs), and each component has feeds of its own. A feed names `feed.xsl` in an `xml-stylesheet` processing
instruction: a browser that opens it (served as XML: `hosting.py`) renders it as a page, each entry's content as the
HTML it is, rather than raw XML; feed readers ignore it. Its declaration says it is UTF-8. Characters XML 1.0
forbids (control characters but tab and newline, U+FFFE, U+FFFF, lone surrogates) are dropped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from email.utils import format_datetime
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from ..dates import in_utc, iso_z
from .html_text import as_html, as_inline_html, is_markup
from .public import PublicView, public_code
from .statuspage import Page

ATOM = "http://www.w3.org/2005/Atom"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)  # for what has no time at all
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # whatever the locale
_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (and carriage returns, which XML would turn into newlines)."""
    return _NOT_XML.sub("", text)


def _utc(moment: datetime) -> datetime:
    return in_utc(moment)


def _rfc3339(moment: datetime) -> str:
    return iso_z(_utc(moment))


def _rfc822(moment: datetime) -> str:
    """RFC 822's date with a numeric zone (`+0000`): the page says UTC, so the feed never says GMT."""
    return format_datetime(_utc(moment))


def _element(name: str, text: str | None = None, **attributes: str) -> str:
    """`<name a="…">text</name>`, or `<name a="…"/>` without text; all of it escaped and cleaned."""
    attrs = "".join(f" {key}={quoteattr(clean(value))}" for key, value in attributes.items())
    return f"<{name}{attrs}/>" if text is None else f"<{name}{attrs}>{escape(clean(text))}</{name}>"


def _host(page: Page) -> str:
    return (urlsplit(page.url).hostname or "status") if page.url else "status"


def entry_id(page: Page, view: PublicView) -> str:
    """The incident's (or maintenance's) tag URI: stable however many updates it gets."""
    first = view.started or min((update.at for update in view.updates if update.at), default=EPOCH)
    kind = "maintenance" if view.kind == "maintenance" else "incident"
    return f"tag:{_host(page)},{_utc(first):%Y-%m-%d}:{kind}/{view.code}"


def _when(moment: datetime) -> str:
    moment = _utc(moment)
    return f"{MONTHS[moment.month - 1]} {moment.day:>2}, {moment:%H:%M} UTC"


def _paragraph_text(text: str) -> str:
    return html.escape(clean(text).strip()).replace("\n", "<br>")


def _window(view: PublicView) -> str:
    """`May 16, 17:05 UTC – May 17, 09:40 UTC` from the record's times, `… – ongoing` while open."""

    def end(name: str, missing: str) -> str:
        moment = getattr(view, name)
        return _when(moment) if moment and name not in view.precision else (view.when(name) or missing)

    label = "Scheduled window" if view.kind == "maintenance" else "Window"
    return (
        f"<p><strong>{label}</strong><br>{html.escape(end('started', 'unknown'))} – "
        f"{html.escape(end('resolved', 'ongoing' if not view.closed else 'unknown'))}</p>"
    )


def _labelled(label: str, text: str) -> str:
    """`<p>{label}{text}</p>`: plain text escaped, its line breaks kept; markup (`html_text`) sanitised, inline when it
    is one paragraph, else after the label's own paragraph, as the blocks it is."""
    if not is_markup(text):
        return f"<p>{label}{_paragraph_text(text)}</p>"
    inline = as_inline_html(text)
    return (
        f"<p>{label}{inline}</p>"
        if inline is not None
        else f"<p>{label.removesuffix('<br>').removesuffix(' - ')}</p>{as_html(text)}"
    )


def entry_html(view: PublicView) -> str:
    """The entry's content as HTML: the summary and the window first, then the updates newest first, each in
    Statuspage's shape, then what we are changing. Nothing else: no update is made up."""
    parts = []
    if view.summary.strip():
        parts.append(_labelled("<strong>Summary</strong><br>", view.summary))
    parts.append(_window(view))
    for update in view.updates:
        when = f"<small>{_when(update.at)}</small><br>" if update.at else ""
        status = html.escape(clean(update.status).replace("_", " ").capitalize())
        parts.append(_labelled(f"{when}<strong>{status}</strong> - ", update.body))
    if view.changes.strip():
        parts.append(_labelled("<strong>What we are changing</strong><br>", view.changes))
    return "".join(parts)


def _title(page: Page, component: str = "") -> str:
    """Statuspage's `<name> Status - Incident History`, without saying "status" twice; a component's feed says
    `<name> Status - Checkout Incident History`."""
    name = page.name if page.name.casefold().endswith("status") else f"{page.name} Status"
    return f"{name} - {component + ' ' if component else ''}Incident History"


def _stylesheet(href: str) -> list[str]:
    """The processing instruction that renders the feed as a page for a person who opens it in a browser: the XSLT
    stylesheet of the site itself (`feed.xsl`, which links `feed.css` beside it)."""
    return [f'<?xml-stylesheet type="text/xsl" href={quoteattr(href)}?>'] if href else []


def _newest(incidents: Sequence[PublicView]) -> datetime:
    return max((_utc(view.updated) for view in incidents if view.updated), default=EPOCH)


def atom_feed(
    page: Page,
    incidents: Sequence[PublicView],
    incident_url: Callable[[PublicView], str],
    feed_url: str,
    stylesheet: str = "",
    component: str = "",
    home_url: str = "",
) -> str:
    """The Atom feed (RFC 4287) of `incidents`, given newest first; `component` names a component's own feed
    (its ID gets `/<component code>`), `stylesheet` the relative URL of `feed.xsl`."""
    feed_id = f"tag:{_host(page)},2005:/history" + (f"/{public_code(component)}" if component else "")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        *_stylesheet(stylesheet),
        f"<feed xmlns={quoteattr(ATOM)}>",
        "  " + _element("id", feed_id),
        "  " + _element("link", rel="alternate", type="text/html", href=home_url or page.url or "/"),
        "  " + _element("link", rel="self", type="application/atom+xml", href=feed_url),
        "  " + _element("title", _title(page, component)),
        "  " + _element("updated", _rfc3339(_newest(incidents))),
        "  <author>" + _element("name", page.name) + "</author>",
    ]
    for view in incidents:
        lines += ["  <entry>", "    " + _element("id", entry_id(page, view))]
        if view.started:
            lines.append("    " + _element("published", _rfc3339(view.started)))
        lines += [
            "    " + _element("updated", _rfc3339(view.updated or EPOCH)),
            "    " + _element("link", rel="alternate", type="text/html", href=incident_url(view)),
            "    " + _element("title", view.title),
            "    " + _element("content", entry_html(view), type="html"),
            "  </entry>",
        ]
    return "\n".join([*lines, "</feed>", ""])


def rss_feed(
    page: Page,
    incidents: Sequence[PublicView],
    incident_url: Callable[[PublicView], str],
    feed_url: str,
    stylesheet: str = "",
    component: str = "",
    home_url: str = "",
) -> str:
    """The RSS 2.0 feed of `incidents`, given newest first; `guid` is the Atom entry's ID."""
    of = f"{component} at {page.name}" if component else page.name
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        *_stylesheet(stylesheet),
        f'<rss version="2.0" xmlns:atom={quoteattr(ATOM)}>',
        "  <channel>",
        "    " + _element("title", _title(page, component)),
        "    " + _element("link", home_url or page.url or "/"),
        "    " + _element("description", f"Incident history of {of}"),
        "    " + _element("atom:link", href=feed_url, rel="self", type="application/rss+xml"),
        "    " + _element("lastBuildDate", _rfc822(_newest(incidents))),
    ]
    for view in incidents:
        lines += [
            "    <item>",
            "      " + _element("title", view.title),
            "      " + _element("description", entry_html(view)),
            "      " + _element("pubDate", _rfc822(view.updated or EPOCH)),
            "      " + _element("link", incident_url(view)),
            "      " + _element("guid", entry_id(page, view), isPermaLink="false"),
            "    </item>",
        ]
    return "\n".join([*lines, "  </channel>", "</rss>", ""])

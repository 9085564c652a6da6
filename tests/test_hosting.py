"""`status_site/hosting.py`: the type and charset a host must send with each text file of the status site, and the
`_headers` file that says so to Netlify and Cloudflare Pages."""

from __future__ import annotations

import re

import pytest

from mkdocs_postmortems.status_site.hosting import CONTENT_TYPES, content_type, headers_file


@pytest.mark.parametrize(
    "uri, expected",
    [
        ("history.atom.xml", "application/xml; charset=utf-8"),
        ("history.atom", "application/xml; charset=utf-8"),  # not application/atom+xml: Chromium shows that as text
        ("feeds/checkout.rss", "application/xml; charset=utf-8"),  # not application/rss+xml: Chromium downloads that
        ("feed.xsl", "application/xml; charset=utf-8"),
        ("api/v2/summary.json", "application/json; charset=utf-8"),
        ("maintenance.ics", "text/calendar; charset=utf-8"),
        ("badge.svg", "image/svg+xml; charset=utf-8"),
        ("index.html", None),  # every host sends a page's charset, and the page says it too
        ("images/logo.png", None),
    ],
)
def test_each_text_file_has_its_type_and_a_charset(uri, expected):
    assert content_type(uri) == expected


def test_every_type_says_utf_8():
    assert all(kind.endswith("; charset=utf-8") for kind in CONTENT_TYPES.values())


def test_the_headers_file_has_a_rule_per_file_and_one_per_folder_asked_for():
    uris = [
        "history.atom",
        "history.atom.xml",
        "api/v2/summary.json",
        "api/v2/sitemap.xml",
        "feeds/a.atom",
        "feeds/a.atom.xml",
        "feeds/b.rss",
        "feeds/sitemap.xml",
        "maintenance.ics",
        "index.html",
    ]
    text = headers_file(uris, folders=("feeds",))
    rules = re.findall(r"^(/\S*)\n  Content-Type: (.+)$", text, re.M)
    assert rules == [
        ("/api/v2/sitemap.xml", "application/xml; charset=utf-8"),
        ("/api/v2/summary.json", "application/json; charset=utf-8"),
        ("/feeds/*", "application/xml; charset=utf-8"),
        ("/history.atom", "application/xml; charset=utf-8"),
        ("/history.atom.xml", "application/xml; charset=utf-8"),
        ("/maintenance.ics", "text/calendar; charset=utf-8"),
    ]
    assert all(line.startswith(("#", "/", "  Content-Type: ")) for line in text.splitlines())
    assert headers_file(reversed(uris), folders=("feeds",)) == text  # the same files give the same text


def test_a_folder_of_two_types_is_no_single_rule():
    with pytest.raises(ValueError, match="two types"):
        headers_file(["api/v2/summary.json", "api/v2/sitemap.xml"], folders=("api/v2",))

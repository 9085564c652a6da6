"""What the status site's hosts must send with its text files, decided once (standard library only).

Every text file the site writes is UTF-8. A browser reads that from an HTML page's `<meta charset>` and from an
XML file's declaration, but a host that sends `Content-Type` without a charset leaves other files to the browser's
guess (an en dash of a feed Chromium shows as text reads `â€“`), and the type decides what Chromium does with a feed:
`application/xml` or `text/xml` it renders through the feed's XSLT stylesheet, `application/atom+xml` it shows as
plain text, `application/rss+xml` and `application/x-rss+xml` it downloads. So the feeds are linked under `.xml`
names, which every host serves as XML by their extension alone, and each host that takes a configuration is given
the type and charset of every text file (`CONTENT_TYPES`):

- Netlify and Cloudflare Pages read `_headers` at the site's root (`headers_file`): a rule per file, and one for
  the component feeds' folder (`/feeds/*`), so a site with many components stays within Cloudflare's 100 rules.
  Neither serves the file itself.
- nginx takes the `types` and `charset_types` of publishing.md, GitHub Pages serves by extension and takes no
  configuration (publishing.md says what it sends).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath

HEADERS = "_headers"
XML = "application/xml; charset=utf-8"
# Each text file the status site writes, by extension: the type Chromium displays it as (XML, rendered through the
# feed's stylesheet; JSON as text), and its charset.
CONTENT_TYPES = {
    ".xml": XML,
    ".atom": XML,  # a feed's subscribed name: `application/atom+xml` would show as plain text
    ".rss": XML,  # `application/rss+xml` would download
    ".xsl": XML,
    ".json": "application/json; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
}


def content_type(uri: str) -> str | None:
    """What a host must send as `Content-Type` for the site's file `uri`; None for one it serves rightly as it is
    (a page, an image)."""
    return CONTENT_TYPES.get(PurePosixPath(uri).suffix.lower())


def headers_file(uris: Iterable[str], folders: Iterable[str] = ()) -> str:
    """`_headers` (Netlify, Cloudflare Pages) for the site's files `uris`: a `Content-Type` for each text file, one
    rule for each of `folders` (`feeds` -> `/feeds/*`, a folder that holds nothing but the site's files of one type),
    one per file elsewhere; sorted, so the same files always give the same text."""
    whole = tuple(folders)
    rules: dict[str, str] = {}
    for uri in uris:
        kind = content_type(uri)
        if kind is None:
            continue
        folder = uri.rpartition("/")[0]
        rule = f"/{folder}/*" if folder in whole else f"/{uri}"
        if rules.setdefault(rule, kind) != kind:
            raise ValueError(f"{rule} holds files of two types: {rules[rule]} and {kind}")
    lines = [
        "# Written by mkdocs-postmortems: the type and charset of each text file of the status site, for Netlify and",
        "# Cloudflare Pages (publishing.md#hosting), which read this file and do not serve it.",
    ]
    for rule in sorted(rules):
        lines += [rule, f"  Content-Type: {rules[rule]}"]
    return "\n".join(lines) + "\n"

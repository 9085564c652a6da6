"""Where every generated page and file of the internal site lives, as MkDocs source URIs (`src_uri`).

Pure strings, so the URLs are stable and known to the core, the exports and the tests alike.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

ROOT_CAUSES = "root-causes/index.md"
ACTION_ITEMS = "action-items/index.md"
ACTION_ITEMS_CSV = "action-items/action-items.csv"
ACTION_ITEMS_JSON = "action-items/action-items.json"
SERVICES = "services/index.md"
METRICS = "metrics/index.md"
COMMUNICATIONS = "communications/index.md"
STATUS_PREVIEW = "status/index.md"  # the public status page, previewed in the internal site
REVIEWS = "reviews/index.md"  # the period reviews: a page per quarter with an incident (`review_page`)
REGULATORY = "regulatory/index.md"  # every regulatory reporting stage, internal only (`kb_site/regulatory.py`)
REGULATORY_JSON = "regulatory/deadlines.json"
REGULATORY_ICS = "regulatory/deadlines.ics"
FACETS = {
    "severity": "Severity",
    "status": "Status",
    "service": "Service",
    "category": "Category",
    "year": "Year",
    "tag": "Tag",
}
DASHBOARD_MARKER = "<!-- postmortems:dashboard -->"  # a user page's Markdown: the build puts the dashboard there


def review_page(period_slug: str) -> str:
    """A period's review: `reviews/2026-q3.md`, published at `/reviews/2026-q3/`."""
    return f"reviews/{period_slug}.md"


MAX_SLUG = 100  # bytes (a slug is ASCII); file systems take 255 for a name, and a page becomes `slug/index.html`


def slugify(title: str, max_words: int = 6) -> str:
    """`Checkout latency during the Spring Sale!` -> `checkout-latency-during-the-spring-sale`.

    At most `MAX_SLUG` characters: a longer slug is cut and ends with a hash of the whole one, so it stays stable
    and two long values that share a beginning still get different slugs."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    slug = "-".join(words[:max_words]) or "incident"
    if len(slug) <= MAX_SLUG:
        return slug
    digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
    return f"{slug[: MAX_SLUG - 9].rstrip('-')}-{digest}"


class SiteMap:
    """Source URIs of the pages of a knowledge base whose postmortems live under `folder/`."""

    def __init__(self, folder: str):
        self.folder = folder
        self.index = f"{folder}/index.md"
        self.index_json = f"{folder}/index.json"
        self._slugs: dict[tuple[str, str], str] = {}
        self._taken: set[str] = set()

    def postmortem(self, pm_id: str) -> str:
        return f"{self.folder}/{pm_id}.md"

    def service(self, name: str) -> str:
        return self._unique("services", name)

    def facet(self, dimension: str, value: str) -> str:
        """The page listing the postmortems of one severity, service, year or tag."""
        return self._unique(f"{self.folder}/{dimension}", value)

    def owner(self, name: str) -> str:
        """The page of one owner's (a team's or a person's) open action items."""
        return self._unique("action-items/owner", name)

    def category(self, name: str) -> str:
        """The page of every root cause of one category, when the root causes page is split."""
        return self._unique("root-causes", name)

    def facet_values(self, dimension: str) -> str:
        """The page listing every value of a dimension, when its filter links show only the top ones."""
        return f"{self.folder}/{dimension}/index.md"

    def _unique(self, prefix: str, value: str) -> str:
        """`prefix/slug.md`, with `-2`, `-3`... when two values slug alike (`C++` and `c`)."""
        key = (prefix, value)
        if key not in self._slugs:
            slug = slugify(value, max_words=12)
            uri, n = f"{prefix}/{slug}.md", 1
            while uri in self._taken or uri == f"{prefix}/index.md":
                n += 1
                uri = f"{prefix}/{slug}-{n}.md"
            self._taken.add(uri)
            self._slugs[key] = uri
        return self._slugs[key]

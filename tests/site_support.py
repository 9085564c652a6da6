"""Building small sites for tests: mkdocs.yml, docs/ and postmortems/ under a tmp folder, built with MkDocs' own API,
and helpers to read the HTML they produce."""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin

import yaml
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import REVIEW_ONLY
from mkdocs_postmortems.cli import main as cli

REVIEW_OFF = dict.fromkeys(REVIEW_ONLY, "off")  # the review rules, off for this baseline as in conftest

REPO = Path(__file__).resolve().parent.parent
SERVICES = ["checkout", "payments", "search"]
SECTIONS = ("Summary", "Impact", "Timeline", "Root cause analysis", "Resolution", "Lessons learned")
SCRIPT = '<script>alert("xss")</script>'
IMG = '"><img src=x onerror=alert(1)>'


# --------------------------------------------------------------------------------------------------
# Site and postmortem builders


def body(sections=SECTIONS, extra: str = "") -> str:
    text = "\n".join(f"## {s}\n\n{s} of the incident.\n" for s in sections)
    return text + extra


def front_matter(pm_id: str, **overrides) -> dict:
    """Valid, complete front matter for a published SEV2 that started on the date in `pm_id`."""
    day = pm_id[:10]
    values = {
        "title": f"Incident {pm_id}",
        "status": "published",
        "severity": "SEV2",
        "services": ["checkout"],
        "authors": ["alice"],
        "reviewers": ["bob"],
        "started": f"{day}T09:58:00Z",
        "detected": f"{day}T10:05:00Z",
        "mitigated": f"{day}T11:10:00Z",
        "resolved": f"{day}T13:00:00Z",
        "impact": {"summary": "Checkout was slow for a third of customers.", "customers_affected": 1200},
        "root_causes": [
            {
                "id": "pool",
                "kind": "causal",
                "category": "capacity",
                "summary": "The database connection pool was sized for last year's peak traffic.",
            },
            {
                "id": "alert",
                "kind": "contributing",
                "category": "monitoring-gap",
                "summary": "Latency alerts watched the average instead of the 99th percentile.",
            },
        ],
        "action_items": [
            {
                "title": "Size the pool from load tests",
                "owner": "team-checkout",
                "priority": "P1",
                "due": "2099-01-31",
                "status": "open",
                "done_when": "The pool survives twice last peak.",
                "addresses": ["pool"],
                "link": "https://tracker.example/CHK-1",
            },
            {
                "title": "Alert on p99 latency",
                "owner": "sre",
                "priority": "P2",
                "due": "2099-02-28",
                "status": "done",
                "closed": "2024-03-20",
                "addresses": ["alert"],
            },
        ],
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def postmortem(pm_id: str, text_body: str | None = None, **overrides) -> str:
    fm = yaml.safe_dump(front_matter(pm_id, **overrides), sort_keys=False, allow_unicode=True)
    return f"---\n{fm}---\n{body() if text_body is None else text_body}"


def make_site(
    root: Path,
    postmortems: dict[str, str | bytes],
    options: dict | None = None,
    config: dict | None = None,
    docs: dict[str, str] | None = None,
) -> Path:
    """Write mkdocs.yml, docs/ and postmortems/ under `root`; return the path of mkdocs.yml."""
    mkdocs = {
        "site_name": "Test postmortems",
        "theme": {"name": "material", "font": False},
        "plugins": [
            "search",
            {
                "postmortems": {
                    "services": [{"name": s} for s in SERVICES],
                    **(options or {}),
                    "rule_levels": {**REVIEW_OFF, **(options or {}).get("rule_levels", {})},
                }
            },
        ],
    }
    mkdocs.update(config or {})
    (root / "mkdocs.yml").write_text(yaml.safe_dump(mkdocs, sort_keys=False), encoding="utf-8")
    for name, text in {"index.md": "# Home\n\nWelcome.\n", **(docs or {})}.items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(text, encoding="utf-8")
    folder = root / "postmortems"
    folder.mkdir(exist_ok=True)
    for name, content in postmortems.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root / "mkdocs.yml"


def build_site(config_file: Path, strict: bool = False, **overrides) -> Path:
    build(load_config(str(config_file), strict=strict, **overrides))
    return Path(config_file).parent / "site"


def page(site: Path, pm_id: str) -> str:
    return (site / "postmortems" / pm_id / "index.html").read_text(encoding="utf-8")


def index(site: Path) -> str:
    return (site / "postmortems" / "index.html").read_text(encoding="utf-8")


def snapshot(site: Path) -> dict[str, bytes]:
    """Every page and Material's search index where the site has one (not sitemap.xml.gz: gzip stores a timestamp;
    nor Pagefind's index, which `tests/test_site_search.py` checks)."""
    files = [*site.rglob("*.html"), *[path for path in [site / "search" / "search_index.json"] if path.is_file()]]
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in files}


class Links(HTMLParser):
    """Every `<a href>` of a page, each with whether it sits inside a `<nav>`."""

    def __init__(self):
        super().__init__()
        self.nav_depth = 0
        self.links: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav":
            self.nav_depth += 1
        elif tag == "a" and attrs.get("href") is not None:
            self.links.append((attrs["href"], self.nav_depth > 0))

    def handle_endtag(self, tag):
        if tag == "nav" and self.nav_depth:
            self.nav_depth -= 1


def links_of(html: str) -> list[tuple[str, bool]]:
    parser = Links()
    parser.feed(html)
    return parser.links


def nav_links(html: str) -> list[str]:
    return [href for href, in_nav in links_of(html) if in_nav]


def section(html: str, css_class: str, end: str = "</table>") -> str:
    """The markup from the element with `css_class` up to the next `end`."""
    start = re.search(rf'class="{re.escape(css_class)}[ "]', html)
    assert start, f"no element with class {css_class}"
    return html[start.start() : html.index(end, start.start()) + len(end)]


def index_links(html: str) -> list[str]:
    return [href for href, _ in links_of(section(html, "pm-index"))]


def resolve(site: Path, from_page: str, href: str) -> Path:
    """The file a relative `href` on the page at `from_page` (a path under site/) serves."""
    target = unquote(urljoin("http://site/" + from_page, href).removeprefix("http://site/").split("#")[0])
    path = site / target
    return path / "index.html" if target.endswith("/") or path.is_dir() else path


def listed_ids(html: str) -> list[str]:
    return [unquote(href).strip("./").split("/")[-1] for href in index_links(html)]


def run_cli(*args: str):
    """`postmortems ARGS` in process, with the `mkdocs` logger as it was afterwards whatever the CLI does."""
    logger = logging.getLogger("mkdocs")
    level = logger.level
    try:
        return CliRunner().invoke(cli, list(args))
    finally:
        logger.setLevel(level)

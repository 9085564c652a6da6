"""The public status site (`mkdocs build -f mkdocs.public.yml`): what it contains, and that nothing internal does."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from mkdocs_postmortems.status_site.public import public_code

REPO = Path(__file__).resolve().parents[1]
API = ("summary", "status", "components", "incidents", "incidents/unresolved")


def copy_example(root: Path) -> Path:
    for name in ("docs", "postmortems"):
        shutil.copytree(REPO / name, root / name)
    for name in ("mkdocs.yml", "mkdocs.public.yml"):
        shutil.copy(REPO / name, root / name)
    return root


def build_public(root: Path, strict: bool = True) -> Path:
    build(load_config(str(root / "mkdocs.public.yml"), strict=strict))
    return root / "site-public"


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def public_published() -> dict[str, dict]:
    """ID -> front matter of the example postmortems the status site shows, counted independently."""
    found = {}
    for path in sorted((REPO / "postmortems").glob("*.md")):
        values = front_matter(path)
        if values["status"] in ("published", "ongoing") and values.get("public"):
            found[path.stem] = values
    return found


@pytest.fixture(scope="module")
def public(public_example_site) -> Path:
    return public_example_site  # built under --strict once per session (conftest)


def test_the_status_site_has_its_pages_feeds_and_api(public):
    shown = public_published()
    assert len(shown) == 13  # 11 postmortems, a live incident and a maintenance
    for pm_id in shown:
        assert (public / "incidents" / public_code(pm_id) / "index.html").is_file(), pm_id
    for name in ("index.html", "history/index.html", "about/index.html", "history.atom", "history.rss"):
        assert (public / name).is_file(), name
    for name in API:
        json.loads((public / "api" / "v2" / f"{name}.json").read_text(encoding="utf-8"))
    incidents = json.loads((public / "api/v2/incidents.json").read_text(encoding="utf-8"))["incidents"]
    planned = json.loads((public / "api/v2/scheduled-maintenances.json").read_text(encoding="utf-8"))
    assert sorted(i["id"] for i in incidents + planned["scheduled_maintenances"]) == sorted(
        public_code(pm_id) for pm_id in shown
    )
    home = (public / "index.html").read_text(encoding="utf-8")
    assert 'rel="alternate" type="application/atom+xml"' in home and 'href="history.atom.xml"' in home
    for feed in ("history.atom", "history.rss"):  # linked with `.xml`, which every host serves as XML
        ElementTree.fromstring((public / feed).read_bytes())
        assert (public / f"{feed}.xml").read_bytes() == (public / feed).read_bytes()  # the old name, for readers
    components = sorted(path.name for path in (public / "feeds").glob("*.atom"))
    assert components and all((public / "feeds" / f"{name}.xml").is_file() for name in components)


STATUS_PAGES = ("index.html", "history/index.html", "about/index.html", "components/checkout/index.html")


@pytest.mark.parametrize("name", STATUS_PAGES)
def test_a_status_page_has_no_documentation_chrome_and_the_teams_logo(public, name):
    html = (public / name).read_text(encoding="utf-8")
    # Material's `hide` front matter: the nav and the table of contents are hidden, no "Made with Material"
    assert re.search(r'class="md-sidebar md-sidebar--primary"[^>]*\bhidden\b', html), name
    assert re.search(r'class="md-sidebar md-sidebar--secondary"[^>]*\bhidden\b', html), name
    assert "Made with" not in html and "squidfunk" not in html
    assert re.search(r'<img src="[./]*images/larkspur\.svg" alt="logo">', html), name  # mkdocs.public.yml's logo
    assert "<title>" in html and "Larkspur status" in html


def test_every_text_file_gets_its_type_and_charset_from_headers(public):
    rules = dict(re.findall(r"^(/\S+)\n  Content-Type: (.+)$", (public / "_headers").read_text(encoding="utf-8"), re.M))
    assert rules["/history.atom.xml"] == rules["/history.atom"] == rules["/history.rss"] == rules["/feeds/*"]
    assert rules["/history.rss"] == "application/xml; charset=utf-8"  # displayed, not downloaded
    assert rules["/maintenance.ics"] == "text/calendar; charset=utf-8"
    assert rules["/api/v2/summary.json"] == "application/json; charset=utf-8"
    written = {
        "/" + path.relative_to(public).as_posix()
        for path in public.rglob("*")
        if path.suffix in (".json", ".atom", ".rss", ".ics", ".xsl") and not path.is_relative_to(public / "feeds")
    }
    assert written <= rules.keys() and len(rules) < 100  # Cloudflare Pages reads at most 100 rules


def test_nothing_of_the_knowledge_base_is_in_the_status_site(public):
    names = {path.relative_to(public).as_posix() for path in public.rglob("*")}
    for internal in (
        "postmortems",
        "root-causes",
        "action-items",
        "services",
        "metrics",
        "communications",
        "regulatory",
        "search",
        "reference",
        "writing",
        "status",
    ):
        assert not any(name == internal or name.startswith(internal + "/") for name in names), internal
    everything = "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in public.rglob("*")
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".atom", ".rss", ".txt")
    )
    for pm_id in public_published():
        assert pm_id not in everything  # file names are internal: public IDs are codes
    assert "git.larkspur.example" not in everything  # the knowledge base's repository


def test_no_internal_field_or_body_text_reaches_the_status_site(tmp_path):
    """A canary in every internal field and body section of every example postmortem; none may come out."""
    root = copy_example(tmp_path)
    canaries = []

    def canary() -> str:
        canaries.append(f"zqcanary{len(canaries):04d}x")
        return canaries[-1]

    for path in sorted((root / "postmortems").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, head, body = text.split("---\n", 2)
        values = yaml.safe_load(head)
        values["title"] += f" {canary()}"
        values["authors"] = [*values["authors"], canary()]
        values["reviewers"] = [*values.get("reviewers", []), canary()]
        values["tags"] = [*values.get("tags", []), canary()]
        if "impact" in values:  # a maintenance has none
            values["impact"]["summary"] += f" {canary()}"
        for cause in values.get("root_causes", []):
            cause["summary"] += f" {canary()}"
        for item in values.get("action_items", []):
            item["title"] += f" {canary()}"
            item["owner"] = canary()
            item["done_when"] = f"{item.get('done_when', '')} {canary()}"
            item["reason"] = f"{item.get('reason', '')} {canary()}"
            item["link"] = f"https://tracker.example/{canary()}"
        for note in values.get("communications", []):
            if note["audience"] == "customers" and note["channel"] == "status-page":
                continue  # a status-page post is public text by design (test_said.py)
            note["summary"] = f"{note.get('summary', '')} {canary()}"
            note["channel"] = canary()
        body = re.sub(r"^(## .+)$", lambda m: f"{m.group(1)}\n\n{canary()}\n", body, flags=re.MULTILINE)
        path.write_text(
            f"---\n{yaml.safe_dump(values, sort_keys=False, allow_unicode=True)}---\n{body}", encoding="utf-8"
        )
    site = build_public(root, strict=False)
    leaked = {
        c
        for path in site.rglob("*")
        if path.is_file()
        for c in re.findall(r"zqcanary\d{4}x", path.read_text(encoding="utf-8", errors="replace"))
    }
    assert len(canaries) > 300 and leaked == set()


def test_the_internal_site_previews_the_status_page(example_site):
    preview = (example_site / "status" / "index.html").read_text(encoding="utf-8")
    assert "Operational" in preview or "operational" in preview
    assert "../postmortems/2026-11-30-delivery-slot-booking-errors/" in preview  # the live incident, in the banner


def test_a_leak_fails_the_public_build(tmp_path, caplog):
    root = copy_example(tmp_path)
    path = root / "postmortems" / "2025-05-16-duplicate-card-charges.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "title: Some customers charged twice", "title: Some customers charged twice (PAY-1535)"
        )
    )
    with pytest.raises(Abort):
        build_public(root, strict=False)  # strict or not: nothing leaky is ever published
    assert "public-leak error(s); nothing was published" in caplog.text and "`PAY-1535`, a ticket key" in caplog.text
    assert not (root / "site-public" / "index.html").exists()


def test_every_public_update_was_said_in_its_record(public):
    """Each update the API, the feeds and the pages publish is a `public.updates` body or a status-page post to
    customers, of that very record, word for word: nothing is made up, nothing comes from elsewhere."""
    said = {}
    for path in sorted((REPO / "postmortems").glob("*.md")):
        values = front_matter(path)
        bodies = [u["body"] for u in (values.get("public") or {}).get("updates", [])]
        posts = [
            note["summary"]
            for note in values.get("communications", [])
            if note["audience"] == "customers" and note["channel"] == "status-page"
        ]
        said[public_code(path.stem)] = bodies or posts
    documents = [
        json.loads((public / "api/v2/incidents.json").read_text(encoding="utf-8"))["incidents"],
        json.loads((public / "api/v2/scheduled-maintenances.json").read_text(encoding="utf-8"))[
            "scheduled_maintenances"
        ],
    ]
    published = [
        (item["id"], update["body"]) for listing in documents for item in listing for update in item["incident_updates"]
    ]
    assert published and all(body in said[code] for code, body in published)
    assert {code for code, _ in published} >= {
        code
        for code, bodies in said.items()
        if bodies and code in {item["id"] for listing in documents for item in listing}
    }
    for code, _ in published:  # and the incident's page shows exactly those, in the same order
        page = (public / "incidents" / code / "index.html").read_text(encoding="utf-8")
        shown = re.findall(r'<li class="pm-status__update">.*?</p>\s*<p>(.*?)</p>', page, re.S)
        assert [html_unescape(text) for text in shown] == [body for c, body in published if c == code]
    for stock in (
        "We are investigating a problem affecting",
        "A fix has been applied and we are monitoring",
        "maintenance of Checkout is in progress",
        "Verification is underway",
    ):  # the stock text once made up
        assert not any(
            stock in path.read_text(encoding="utf-8", errors="replace")
            for path in public.rglob("*")
            if path.is_file() and path.suffix in (".html", ".json", ".atom", ".rss", ".ics")
        )


def html_unescape(text: str) -> str:
    import html

    return html.unescape(" ".join(text.split()))

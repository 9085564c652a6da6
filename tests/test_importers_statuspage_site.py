"""`importers/statuspage.py` end to end: a Statuspage export whose updates are HTML (a folder of single incidents, the
pages of a paged export and a maintenance), imported with `postmortems import`, checked, and built into the knowledge
base and the public status site. Every file either site writes shows the updates as the status page did: no literal
tag (`&lt;ul&gt;`, `&lt;strong&gt;`...) in any HTML, XML or JSON, and nothing of the source's script."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from site_support import build_site, run_cli
from test_importers_statuspage import API_PAGE, HTML_INCIDENT, api_incident, component, write
from test_importing import make_kb

PAYLOAD = "window.__pwned"  # what the source's scripts, handlers and links would run
# A tag of the allowlist written out as text, escaped once (HTML) or twice (inside XML or JSON strings, decoded here).
LITERAL = re.compile(r"&(?:amp;)*lt;/?(?:p|br|ul|ol|li|strong|b|em|i|a|code|pre|blockquote)\b", re.IGNORECASE)
HOSTILE = api_incident(
    "h0st1l3x9z2a",
    "Checkout errors",
    "2024-10-03",
    (
        "investigating",
        f'<script>{PAYLOAD}=1</script>Checkout fails <img src=x onerror="{PAYLOAD}=2"> for some '
        f'customers.<br>See <a href="javascript:{PAYLOAD}=3">the details</a> <span onclick="{PAYLOAD}=4">here</span>.',
        "09:00",
    ),
    (
        "monitoring",
        "A fix is out.\n\nWe are watching:\n<ul>\n<li><em>payments</em></li>\n<li>orders</li>\n</ul>",
        "09:40",
    ),
    ("resolved", "<p>Resolved &amp; closed.</p><p><b>Unclosed bold", "10:15"),
)
MAINTENANCE = {
    **api_incident(
        "m41nt3n4nc3x",
        "Database upgrade",
        "2024-11-05",
        ("scheduled", "<p>We will upgrade the database.</p><ul><li><strong>API</strong>: read-only</li></ul>", "01:00"),
        ("completed", "The upgrade is <strong>complete</strong>.", "03:00"),
    ),
    "status": "completed",
    "impact": "maintenance",
    "scheduled_for": "2024-11-05T01:00:00.000Z",
    "scheduled_until": "2024-11-05T03:00:00.000Z",
}


def export(folder: Path) -> Path:
    """A Statuspage export as a team keeps it: single incidents, the pages of incidents.json (one incident on both,
    the newer copy on the second), scheduled maintenance and the documents that hold no incident."""
    resolved_early = api_incident(
        "k7n2p9x4q1wz", HTML_INCIDENT["name"], "2024-09-12", ("investigating", "Delays.", "15:10")
    )
    write(folder, "incidents/k7n2p9x4q1wz.json", {"page": API_PAGE, "incident": HTML_INCIDENT})
    write(folder, "incidents-page-1.json", {"page": API_PAGE, "incidents": [HOSTILE, resolved_early]})
    write(folder, "incidents-page-2.json", {"page": API_PAGE, "incidents": [HTML_INCIDENT]})
    write(folder, "scheduled-maintenances.json", {"page": API_PAGE, "scheduled_maintenances": [MAINTENANCE]})
    write(folder, "components.json", {"page": API_PAGE, "components": [component("c1", "API")]})
    write(folder, "status.json", {"page": API_PAGE, "status": {"indicator": "none", "description": "All good"}})
    return folder


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The export imported into a new knowledge base, checked, and built: (report, check, site, public site)."""
    root = make_kb(tmp_path_factory.mktemp("statuspage-html"))  # services `api` (API) and `website`
    source = export(root / "export")
    result = run_cli(
        "import", "statuspage", str(source), "-f", str(root / "mkdocs.yml"), "--today", "2026-11-22", "--format", "json"
    )
    assert result.exit_code == 0, result.stdout
    check = run_cli("check", "--strict", "-f", str(root / "mkdocs.yml"), "--today", "2026-11-22")
    site = build_site(root / "mkdocs.yml", strict=True)
    public = build_site(root / "mkdocs.public.yml", strict=True).parent / "site-public"
    return json.loads(result.stdout), check, site, public


def written(site: Path) -> dict[str, str]:
    """Every text file a site wrote, as readers get its text: HTML as written, XML and JSON decoded (a feed's
    content is HTML escaped once as XML; a JSON body is a string)."""
    found = {}
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".atom", ".rss", ".xml", ".json", ".ics") and path.is_file():
            text = path.read_text(encoding="utf-8")
            if path.suffix in (".atom", ".rss", ".xml"):  # the XML's own escaping is no literal tag: decode it
                text = "\n".join(element.text or "" for element in ElementTree.fromstring(text).iter())
            elif path.suffix == ".json":
                text = "\n".join(strings(json.loads(text)))
            found[path.relative_to(site).as_posix()] = text
    return found


def strings(value: object) -> list[str]:
    """Every string of a JSON value."""
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [text for item in items for text in strings(item)]


def test_the_export_imports_each_incident_once_and_passes_check(imported):
    report, check, _, _ = imported
    written_ = [(Path(f["source"]).name, f["action"]) for f in report["files"]]
    assert sorted(written_) == [
        ("h0st1l3x9z2a", "written"),
        ("k7n2p9x4q1wz", "written"),
        ("m41nt3n4nc3x", "written"),
    ]
    assert all(f["source"].startswith("https://stspg.io/") for f in report["files"])
    hostile = next(f for f in report["files"] if f["original_id"] == "h0st1l3x9z2a")
    assert (
        "incident_updates[2] (investigating) body: <img>; <script> and its content; <span>; onclick; onerror; javascript: link"
        in hostile["mapped"]
    )
    assert check.exit_code == 0, check.stdout


@pytest.mark.parametrize("which", ["site", "public"])
def test_no_written_file_shows_a_literal_tag_or_runs_the_sources_script(imported, which):
    site = imported[2] if which == "site" else imported[3]
    files = written(site)
    assert len(files) > 10
    shown = {name: LITERAL.findall(text) for name, text in files.items() if LITERAL.search(text)}
    assert shown == {}
    assert [name for name, text in files.items() if PAYLOAD in text] == []


def test_the_status_site_shows_the_updates_html_as_html_on_every_surface(imported):
    public = imported[3]
    page = next(
        path.read_text(encoding="utf-8")
        for path in (public / "incidents").glob("*/index.html")
        if "Delayed webhook deliveries" in path.read_text(encoding="utf-8")
    )
    assert "<strong>Webhooks</strong>" in page and "We identified the cause &amp; are rolling back:" in page
    assert '<a href="https://status.example.com/help" rel="noopener noreferrer nofollow">our help page</a>' in page
    incidents = json.loads((public / "api" / "v2" / "incidents.json").read_text(encoding="utf-8"))["incidents"]
    bodies = {u["body"] for incident in incidents for u in incident["incident_updates"]}
    assert "<p>This incident has been resolved.<br>Deliveries are back to normal.</p>" in bodies
    atom = ElementTree.fromstring((public / "history.atom").read_bytes())
    contents = "".join(e.text or "" for e in atom.iter("{http://www.w3.org/2005/Atom}content"))
    assert "<li><strong>Webhooks</strong>: delayed up to 20 minutes</li>" in contents
    calendar = (public / "maintenance.ics").read_bytes().decode("utf-8").replace("\r\n ", "")
    assert "We will upgrade the database.\\n\\n- API: read-only" in calendar and "<" not in calendar


def test_the_knowledge_base_page_of_the_record_shows_the_updates_as_the_status_page_did(imported):
    site = imported[2]
    page = next(path.read_text(encoding="utf-8") for path in site.glob("postmortems/*checkout-errors*/index.html"))
    assert '<div class="pm-status-update">' in page and "Checkout fails" in page
    assert "<em>payments</em>" in page and "<b>Unclosed bold</b>" in page
    assert PAYLOAD not in page and "onerror" not in page

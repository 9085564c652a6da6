"""`cli/importing.py`, `postmortems import`: each format from fixtures of our own, idempotency, --force, --dry-run, the
report, provenance and unknown facts, day-only times, wrong facts, and imported records that pass check and a strict
build."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import TODAY
from mkdocs_postmortems import load_knowledge_base
from mkdocs_postmortems.checks.families import Context, check_postmortem
from mkdocs_postmortems.cli.options import load_policy
from mkdocs_postmortems.kb_site.metrics import response_times
from mkdocs_postmortems.knowledge import postmortem_from_source
from mkdocs_postmortems.model import DAY, NO_TIME
from mkdocs_postmortems.parsing.frontmatter import source_from_bytes
from mkdocs_postmortems.policy import Policy, Service
from mkdocs_postmortems.status_site.public import public_incidents
from mkdocs_postmortems.status_site.statuspage import Page, api_files, maintenance_status
from mkdocs_postmortems.status_site.uptime import uptime_days
from site_support import build_site, index, run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SOURCES = {
    "cstate": [FIXTURES / "cstate"],
    "markdown": [FIXTURES / "markdown"],
    "statuspage": sorted((FIXTURES / "statuspage").glob("*.json")),
}
CONFIG = {
    "site_name": "Imported",
    "theme": {"name": "material", "font": False},
    "plugins": {
        "search": {},
        "postmortems": {
            "services": [
                {"name": "api", "component": "API", "public": True},
                {"name": "website", "component": "Website", "public": True},
            ],
            "rule_levels": {"action-item-overdue": "info", "publish-overdue": "info"},
        },
    },
}


def make_kb(root: Path) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Imported\n")
    (root / "public").mkdir()
    (root / "public" / "about.md").write_text("# About\n")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(CONFIG, sort_keys=False))
    (root / "mkdocs.public.yml").write_text(
        "INHERIT: mkdocs.yml\ndocs_dir: public\nsite_dir: site-public\n"
        "plugins:\n  search:\n    enabled: false\n  postmortems:\n    status_page:\n      public_site: true\n"
    )
    return root


def do_import(root: Path, fmt: str, *options: str):
    result = run_cli(
        "import",
        fmt,
        *map(str, SOURCES[fmt]),
        "-f",
        str(root / "mkdocs.yml"),
        "--today",
        "2026-11-22",
        "--format",
        "json",
        *options,
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, json.loads(result.stdout)


def by_source(report: dict) -> dict[str, dict]:
    return {
        Path(f["source"].split("#")[0]).name + ("#" + f["source"].split("#")[1] if "#" in f["source"] else ""): f
        for f in report["files"]
    }


def load(root: Path):
    policy, folder = load_policy(root / "mkdocs.yml")
    return load_knowledge_base(folder, policy, today=TODAY, base=root)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """One knowledge base with every fixture set imported, checked and built once (internal and public)."""
    root = make_kb(tmp_path_factory.mktemp("kb"))
    reports = {fmt: do_import(root, fmt) for fmt in SOURCES}
    check = run_cli("check", "--strict", "-f", str(root / "mkdocs.yml"), "--today", "2026-11-22")
    site = build_site(root / "mkdocs.yml", strict=True)
    public = build_site(root / "mkdocs.public.yml", strict=True).parent / "site-public"
    return root, reports, check, site, public


# --- each format ------------------------------------------------------------------------------


def test_cstate_maps_what_the_entry_says_and_reports_the_rest(imported):
    root, reports, _, _, _ = imported
    code, report = reports["cstate"]
    files = by_source(report)
    assert code == 1  # two entries need a person first
    assert files["2024-03-14-api-down.md"]["action"] == "written"
    assert "broken-yaml.md" in files and files["broken-yaml.md"]["action"] == "skipped"
    assert "not a plausible date" in files["absurd-date.md"]["needs"][0]
    assert "api:" not in report["catalog"] and report["catalog"] == ""  # both systems are in the catalog already
    kb = load(root)
    pm = kb.by_id["2024-03-14-api-returning-errors"]
    assert pm.services == ("api",) and pm.public.components == ("API",) and pm.public.impact == "critical"
    assert pm.provenance.already_public and pm.provenance.format == "cstate"
    assert "*2024-03-14 10:30:00* A fix is being deployed." in pm.body  # the track shortcode, as text
    assert pm.started.isoformat() == "2024-03-14T09:50:00+00:00"


def test_cstate_informational_entry_is_maintenance(imported):
    kb = load(imported[0])
    pm = kb.by_id["2024-04-01-database-maintenance"]
    assert pm.kind == "maintenance" and pm.services == ("api", "website")
    assert pm.started.isoformat() == "2024-04-01T20:00:00+00:00"  # +02:00 applied


def test_a_resolution_before_the_start_goes_to_provenance_and_the_report(imported):
    root, reports, _, _, _ = imported
    files = by_source(reports["cstate"][1])
    assert any("before the start" in need for need in files["2024-05-02-website-slow.md"]["needs"])
    pm = load(root).by_id["2024-05-02-website-slow"]
    assert pm.resolved is None and pm.precision["resolved"] == NO_TIME  # resolved, at a time the source got wrong
    assert [(w.field, w.reason) for w in pm.provenance.wrong] == [("resolved", "before the start (`date`)")]


def test_a_date_without_a_time_is_kept_as_a_day(imported):
    pm = load(imported[0]).by_id["2024-06-01-login-problems"]
    assert pm.precision == {"started": DAY, "resolved": NO_TIME}
    assert pm.time_to_resolve is None and pm.when("started") == "2024-06-01 (time unknown)"
    assert pm.when("resolved") == "unknown"


def test_statuspage_incidents_and_maintenance(imported):
    root, reports, _, _, _ = imported
    _code, report = reports["statuspage"]
    files = by_source(report)
    assert files["truncated.json"]["action"] == "skipped" and "not JSON" in files["truncated.json"]["needs"][0]
    assert "components.json only feeds the catalog" in files["components.json"]["needs"][0]
    kb = load(root)
    pm = kb.by_id["2024-07-01-elevated-api-errors"]
    assert (
        pm.mitigated.isoformat() == "2024-07-01T10:40:00+00:00"
        and pm.resolved.isoformat() == "2024-07-01T11:00:00+00:00"
    )
    assert [u.status for u in pm.public.updates] == ["investigating", "monitoring", "resolved"]
    assert pm.provenance.source == "https://stspg.io/inc001" and pm.provenance.original_id == "inc001"
    wrong = kb.by_id["2024-06-20-website-unavailable"]
    assert [w.field for w in wrong.provenance.wrong] == ["resolved"] and wrong.precision["resolved"] == NO_TIME
    maintenance = kb.by_id["2024-06-01-network-upgrade"]
    assert maintenance.kind == "maintenance" and maintenance.public.updates[-1].status == "completed"


def test_markdown_sections_dates_timeline_and_action_items(imported):
    root, reports, _, _, _ = imported
    files = by_source(reports["markdown"][1])
    assert "no heading" in files["notes.md"]["needs"][0]
    kb = load(root)
    pm = kb.by_id["2021-03-31-certificate-outage"]
    assert pm.started.isoformat() == "2021-03-31T12:06:00+00:00"
    assert pm.time_to_detect.total_seconds() == 5 * 60 and pm.time_to_mitigate.total_seconds() == 84 * 60
    assert "## Root cause analysis" in pm.body and "Contributing Factors" not in pm.body
    assert [item.title for item in pm.action_items] == ["Monitor certificate expiry", "Turn on auto renewal"]
    assert pm.is_unknown("action_items.owner") and pm.is_unknown("authors")
    assert "(PM2020-001" not in pm.body and "the previous outage" in pm.body  # a link into the source repository
    flags = kb.by_id["2025-09-29-feature-flags-outage-september-29-2025"]
    assert flags.started.isoformat() == "2025-09-29T16:58:00+00:00"
    assert flags.impact.summary == "78% of flag evaluation requests failed in the US region"
    assert [(i.title, i.status, i.owner, str(i.due)) for i in flags.action_items] == [
        ("Timeouts moved to runtime configuration", "done", "", "None"),
        ("Add circuit breakers", "open", "team-flags", "2025-11-30"),
    ]


# --- the whole knowledge base -----------------------------------------------------------------


def test_imported_records_pass_check_strict(imported):
    check = imported[2]
    assert check.exit_code == 0, check.stdout
    assert "0 errors, 0 warnings" in check.stdout


def test_the_index_lists_maintenance_as_maintenance(imported):
    html = index(imported[3])
    row = html[html.index('data-kind="maintenance"') :]
    assert row.index("pm-badge--maintenance") < row.index("</tr>")


def test_unknown_facts_show_as_unknown_on_the_page(imported):
    html = (imported[3] / "postmortems" / "2021-03-31-certificate-outage" / "index.html").read_text()
    assert "<dt>Authors</dt><dd>unknown</dd>" in html and "Not in the source:" in html


def test_public_api_lists_maintenance_and_uptime_ignores_it(imported):
    public = imported[4]
    scheduled = json.loads((public / "api/v2/scheduled-maintenances.json").read_text())["scheduled_maintenances"]
    assert {m["name"]: m["status"] for m in scheduled} == {
        "Network upgrade": "completed",
        "Database maintenance": "completed",
    }
    network = next(m for m in scheduled if m["name"] == "Network upgrade")
    assert network["scheduled_for"] == "2024-06-01T01:00:00.000Z" and network["impact"] == "maintenance"
    incidents = json.loads((public / "api/v2/incidents.json").read_text())["incidents"]
    assert "Network upgrade" not in {i["name"] for i in incidents}


def test_metrics_leave_maintenance_out(imported):
    kb = load(imported[0])
    incidents = [pm for pm in kb.published() if not pm.is_maintenance]
    assert len(incidents) < len(kb.published())
    html = (imported[3] / "metrics" / "index.html").read_text()
    assert f"{len(incidents)} incident" in html or f"{len(incidents)} postmortem" in html


# --- re-running -------------------------------------------------------------------------------


def test_reimport_is_idempotent_and_keeps_edits_unless_forced(tmp_path):
    root = make_kb(tmp_path)
    do_import(root, "cstate")
    files = sorted((root / "postmortems").iterdir())
    _, again = do_import(root, "cstate")
    assert sorted((root / "postmortems").iterdir()) == files
    assert {f["action"] for f in again["files"]} == {"unchanged", "skipped"}
    edited = root / "postmortems" / "2024-03-14-api-returning-errors.md"
    edited.write_text(edited.read_text().replace("status: imported", "status: imported\nauthors: [alice]"))
    _, kept = do_import(root, "cstate")
    assert by_source(kept)["2024-03-14-api-down.md"]["action"] == "kept (edited)"
    assert "authors: [alice]" in edited.read_text()
    _, forced = do_import(root, "cstate", "--force")
    assert by_source(forced)["2024-03-14-api-down.md"]["action"] == "updated"
    assert "authors: [alice]" not in edited.read_text()


def test_dry_run_writes_nothing(tmp_path):
    root = make_kb(tmp_path)
    _, report = do_import(root, "markdown", "--dry-run")
    assert not (root / "postmortems").exists() or not list((root / "postmortems").iterdir())
    assert by_source(report)["PM2021-004 - Certificate outage.md"]["action"] == "would be written"


def test_text_report_names_what_mapped_is_unknown_and_needs_a_person(tmp_path):
    root = make_kb(tmp_path)
    result = run_cli(
        "import", "cstate", str(FIXTURES / "cstate"), "-f", str(root / "mkdocs.yml"), "--today", "2026-11-22"
    )
    assert result.exit_code == 1
    assert "    mapped: " in result.stdout and "    unknown: severity, authors" in result.stdout
    assert "needs a person: left out `resolved`" in result.stdout
    assert result.stdout.rstrip().endswith("2 skipped, 4 written")


def test_catalog_snippet_proposes_missing_services(tmp_path):
    root = make_kb(tmp_path)
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["plugins"]["postmortems"]["services"] = [{"name": "api", "component": "API", "public": True}]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    _, report = do_import(root, "cstate", "--dry-run")
    assert yaml.safe_load(report["catalog"]) == {
        "services": [{"name": "website", "description": "www.example.com", "component": "Website", "public": True}]
    }


# --- hostile sources --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content",
    [
        ("huge.md", "---\ntitle: x\n---\n" + "x" * 1_100_000),
        ("nul.md", "---\ntitle: x\x00\n---\n"),
        (
            "bomb.md",
            "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\ntitle: x\ndate: 2024-01-01\n---\n",
        ),
        ("month13.md", "---\ntitle: x\ndate: 2024-13-01T00:00:00Z\n---\n"),
        ("list.md", "---\n- a\n- b\n---\n"),
        ("title-list.md", "---\ntitle: [a]\ndate: 2024-01-01\n---\n"),
    ],
)
def test_hostile_cstate_entries_are_reported_not_raised(tmp_path, name, content):
    root = make_kb(tmp_path / "kb")
    source = tmp_path / "issues"
    source.mkdir()
    (source / name).write_text(content, encoding="utf-8")
    result = run_cli("import", "cstate", str(source), "-f", str(root / "mkdocs.yml"), "--format", "json")
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1
    [report] = json.loads(result.stdout)["files"]
    assert report["action"] == "skipped" and report["needs"]


@pytest.mark.parametrize(
    "content",
    [
        "[]",
        '{"incidents": "no"}',
        '{"incidents": [1, {"id": "a"}]}',
        '{"incidents": [{"id": "a", "name": "b", "started_at": "0000-01-01"}]}',
        "[" * 100_000,
        '{"incidents": [{"id": "a", "name": "b", "created_at": '
        '"2024-01-01T00:00:00Z", "components": [{"name": 3}], '
        '"incident_updates": "x"}]}',
    ],
)
def test_hostile_statuspage_exports_are_reported_not_raised(tmp_path, content):
    root = make_kb(tmp_path / "kb")
    source = tmp_path / "incidents.json"
    source.write_text(content)
    result = run_cli("import", "statuspage", str(source), "-f", str(root / "mkdocs.yml"), "--format", "json")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert all(f["needs"] or f["action"] == "written" for f in json.loads(result.stdout)["files"])


# --- the core's side: unknown facts, times, maintenance -----------------------------------------

RECORD = """\
---
title: Imported
status: published
services: [api]
started: 2024-03-14
resolved: unknown
provenance:
  format: markdown
  source: notes/x.md
  original_id: x
  imported_on: 2026-11-22
  unknown: [severity, authors, reviewers, detected, mitigated, published_on, impact.summary, root_causes,
            action_items, communications, sections]
---

Text.
"""


def parsed(text: str, policy: Policy | None = None):
    policy = policy or Policy(services=(Service("api"),))
    pm, found = postmortem_from_source(
        source_from_bytes(text.encode(), "2024-03-14-x.md"), "2024-03-14-x", "2024-03-14-x.md", policy
    )
    ctx = Context(policy, TODAY)
    return pm, found + check_postmortem(pm, ctx)


def test_rules_accept_facts_the_provenance_declares_unknown():
    pm, found = parsed(RECORD)
    assert found == []
    assert pm.severity == "" and pm.authors == () and pm.is_unknown("reviewers")


def test_without_the_provenance_the_same_facts_are_required():
    _, found = parsed(
        RECORD.replace(
            "  unknown: [severity, authors, reviewers, detected, mitigated, published_on, "
            "impact.summary, root_causes,\n            action_items, communications, "
            "sections]\n",
            "",
        )
    )
    assert {
        "missing-field",
        "reviewer-required",
        "timestamp-missing",
        "published-date",
        "section-missing",
        "communication-missing",
    } <= {d.code for d in found}


def test_unknown_given_when_the_record_fills_a_fact_in():
    _, found = parsed(RECORD.replace("status: published", "status: published\nauthors: [alice]"))
    assert [(d.code, d.line) for d in found] == [("unknown-given", 13)]  # the `unknown:` line


def test_day_only_and_unknown_times_count_as_missing_in_metrics():
    pm, _ = parsed(RECORD.replace("resolved: unknown", "detected: 2024-03-14T10:00:00Z\nresolved: unknown"))
    assert pm.time_to_detect is None and pm.happened("resolved") and pm.resolved is None
    detect, _, resolve = (dist for _, dist in response_times([pm]))
    assert (detect.count, detect.missing, resolve.missing) == (0, 1, 1)


def test_started_cannot_be_unknown():
    _, found = parsed(RECORD.replace("started: 2024-03-14", "started: unknown"))
    assert [d.code for d in found][:1] == ["wrong-type"]


def test_maintenance_needs_no_severity_impact_or_review_sections():
    text = RECORD.replace("title: Imported", "title: Imported\nkind: maintenance").replace(
        "  unknown: [severity, authors, reviewers, detected, mitigated, published_on, impact.summary, root_causes,\n"
        "            action_items, communications, sections]\n",
        "  unknown: [authors, reviewers, published_on, communications]\n",
    )
    pm, found = parsed(text)
    assert found == [] and pm.is_maintenance


def _maintenance_views(**times):
    policy = Policy(services=(Service("api", component="API"),))
    text = (
        RECORD.replace("title: Imported", "title: Imported\nkind: maintenance")
        .replace("resolved: unknown", "\n".join(f"{k}: {v}" for k, v in times.items()))
        .replace("started: 2024-03-14\n", "")
        .replace("provenance:", "public:\n  title: Upgrade\n  summary: We upgrade.\n  components: [API]\nprovenance:")
    )
    pm, _ = parsed(text, policy)
    return public_incidents([pm], policy)


def test_maintenance_is_not_downtime_and_is_scheduled_in_the_api():
    views = _maintenance_views(started="2024-03-14T22:00:00Z", resolved="2024-03-15T02:00:00Z")
    days = uptime_days("API", views, date(2024, 3, 16), days=3)
    assert [d.uptime for d in days] == [100.0, 100.0, 100.0]
    assert maintenance_status(views[0], date(2024, 3, 13)) == "scheduled"
    assert maintenance_status(views[0], date(2024, 3, 15)) == "in_progress"
    assert maintenance_status(views[0], date(2024, 3, 16)) == "completed"
    files = api_files(Page("Example", ""), views, ["API"], lambda view: "/x", today=date(2024, 3, 14))
    summary = json.loads(files["api/v2/summary.json"])
    assert [m["status"] for m in summary["scheduled_maintenances"]] == ["in_progress"]
    assert summary["incidents"] == [] and summary["status"]["indicator"] == "none"
    active = json.loads(files["api/v2/scheduled-maintenances/active.json"])["scheduled_maintenances"]
    assert active[0]["scheduled_until"] == "2024-03-15T02:00:00.000Z"
    assert json.loads(files["api/v2/scheduled-maintenances/upcoming.json"])["scheduled_maintenances"] == []


# --- --add-services: the catalog grown for the user -------------------------------------------------------------

# A knowledge base that knows only `api`, its plugins as a list, with comments that must survive the edit.
LIST_CONFIG = """\
site_name: Imported  # the team's site
theme:
  name: material
  font: false
plugins:
  - search
  - postmortems:
      services:  # what postmortems may name
        - name: api   # the public API
          component: API
          public: true
      rule_levels:  # dates must not fail a build
        action-item-overdue: info
        publish-overdue: info
"""
WEBSITE = {"name": "website", "description": "www.example.com", "component": "Website", "public": True}


def list_kb(root: Path) -> Path:
    make_kb(root)
    (root / "mkdocs.yml").write_text(LIST_CONFIG, encoding="utf-8")
    return root / "mkdocs.yml"


def test_add_services_writes_the_missing_services_keeps_the_rest_and_imports_with_them(tmp_path):
    config = list_kb(tmp_path)
    code, report = do_import(tmp_path, "cstate", "--add-services")
    assert code == 1  # the two broken entries still need a person
    assert report["added"] == [WEBSITE] and report["catalog"] == "" and report["left_out"] == []
    text = config.read_text(encoding="utf-8")
    assert text == LIST_CONFIG.replace(
        "          public: true\n",
        "          public: true\n        - name: website\n          description: www.example.com\n"
        "          component: Website\n          public: true\n",
    )
    assert {f["action"] for f in report["files"] if "website" in f["target"]} == {"written"}
    check = run_cli("check", "--strict", "-f", str(config), "--today", "2026-11-22")
    assert check.exit_code == 0, check.output
    again_code, again = do_import(tmp_path, "cstate", "--add-services")
    assert again["added"] == [] and config.read_text(encoding="utf-8") == text
    assert {f["action"] for f in again["files"] if f["action"] != "skipped"} == {"unchanged"} and again_code == 1


def test_without_add_services_the_services_are_only_proposed(tmp_path):
    config = list_kb(tmp_path)
    result = run_cli("import", "cstate", str(SOURCES["cstate"][0]), "-f", str(config), "--today", "2026-11-22")
    assert config.read_text(encoding="utf-8") == LIST_CONFIG
    assert "import again with --add-services" in result.stdout and "- name: website" in result.stdout
    assert "not one of the configured values" in result.stdout  # the website's records wait for the catalog


def test_a_dry_run_adds_the_services_to_nothing_but_its_report(tmp_path):
    config = list_kb(tmp_path)
    _code, report = do_import(tmp_path, "cstate", "--add-services", "--dry-run")
    assert config.read_text(encoding="utf-8") == LIST_CONFIG and not (tmp_path / "postmortems").exists()
    assert report["added"] == [WEBSITE]
    assert {f["action"] for f in report["files"] if "website" in f["target"]} == {"would be written"}


def test_the_text_report_names_each_service_added_and_each_left_out(tmp_path):
    config = list_kb(tmp_path)
    exports = tmp_path / "exports"
    exports.mkdir()
    components = json.loads((FIXTURES / "statuspage" / "components.json").read_text(encoding="utf-8"))
    components["components"] += [
        {"id": "c3", "name": "All Systems", "description": None, "group": False},
        {"id": "c4", "name": "web-site", "description": None, "group": False},
    ]
    (exports / "components.json").write_text(json.dumps(components), encoding="utf-8")
    result = run_cli("import", "statuspage", str(exports / "components.json"), "-f", str(config), "--add-services")
    assert f"added to {config}: the service `website` (component Website)" in result.stdout
    assert "left out of the catalog: `All Systems`: it stands for every component" in result.stdout
    assert "left out of the catalog: `web-site`: the component `Website` is in the catalog already" in result.stdout
    assert [s["component"] for s in yaml.safe_load(config.read_text())["plugins"][1]["postmortems"]["services"]] == [
        "API",
        "Website",
    ]


def test_add_services_needs_a_config_to_write_into(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("import", "cstate", str(SOURCES["cstate"][0]), "--add-services")
    assert result.exit_code == 2 and "mkdocs.yml, which does not exist" in result.output
    assert "postmortems init" in result.output and not (tmp_path / "postmortems").exists()


def test_a_config_that_cannot_be_edited_by_lines_is_left_as_it_is(tmp_path):
    config = list_kb(tmp_path)
    flow = LIST_CONFIG.split("      services:")[0] + "      services: [{name: api, component: API, public: true}]\n"
    config.write_text(flow, encoding="utf-8")
    result = run_cli("import", "cstate", str(SOURCES["cstate"][0]), "-f", str(config), "--add-services")
    assert result.exit_code == 2 and "flow list" in result.output and config.read_text(encoding="utf-8") == flow
    assert not (tmp_path / "postmortems").exists()


def test_a_config_with_windows_line_ends_keeps_them(tmp_path):
    config = list_kb(tmp_path)
    config.write_bytes(LIST_CONFIG.replace("\n", "\r\n").encode())
    do_import(tmp_path, "cstate", "--add-services")
    raw = config.read_bytes()
    assert b"- name: website\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n")

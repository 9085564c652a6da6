"""`kb_site/regulatory.py` through a built site: `/regulatory/` (what is owed first, soonest due first, then the past
stages newest first; paged), a postmortem's own section, the dashboard's panel, `deadlines.json` and `deadlines.ics`.

The knowledge base has a record in each state a stage can be in, a draft among them, judged at 2026-12-07 12:00 UTC
(`SOURCE_DATE_EPOCH`); every due time below is worked out by hand from the regimes' texts as docs/regulatory-reporting.md
states them, not by the code under test."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from mkdocs.config.defaults import MkDocsConfig

from docs_support import DOCS, code_blocks, read as read_doc, section, tables
from mkdocs_postmortems.kb_site import pages
from mkdocs_postmortems.kb_site.indexes import build_indexes
from mkdocs_postmortems.kb_site.regulatory import deadlines, listed
from mkdocs_postmortems.knowledge import load_knowledge_base
from mkdocs_postmortems.moments import build_moment
from mkdocs_postmortems.policy import Policy, Service
from site_support import build_site, make_site, postmortem

EPOCH = "1796644800"  # 2026-12-07 12:00:00 UTC
OPTIONS = {
    "services": [
        {"name": "checkout"},
        {"name": "ledger", "regulated": ["dora"]},
        {"name": "accounts", "regulated": ["gdpr"]},
        {"name": "broker", "regulated": ["sec-8k"]},
    ],
    "regulatory": {"regimes": ["dora", "gdpr", "sec-8k"], "timezone": "Europe/Berlin"},
}


def times(day: str, started: str, detected: str, mitigated: str, resolved: str) -> dict:
    return {name: f"{day}T{at}:00Z" for name, at in zip(TIMES, (started, detected, mitigated, resolved), strict=True)}


TIMES = ("started", "detected", "mitigated", "resolved")
RECORDS = {
    # classified major at 09:30: DORA's initial notification by 13:30 (before aware + 24 h); the two later stages
    # count from the deadline of the one before, not yet submitted
    "2026-12-07-ledger-open": dict(
        services=["ledger"],
        **times("2026-12-07", "06:00", "07:00", "08:00", "09:00"),
        regulatory={"classified_major": "2026-12-07T09:30:00Z"},
    ),
    # initial at 12:30 (due 13:00); intermediate due 72 h after it, 11-05 12:30, sent at 14:00; final one month after
    # that submission, 12-05 14:00, not sent
    "2026-11-02-ledger-reported": dict(
        services=["ledger"],
        **times("2026-11-02", "07:30", "08:00", "09:00", "10:00"),
        regulatory={
            "classified_major": "2026-11-02T09:00:00Z",
            "reports": [
                {"regime": "dora", "stage": "initial", "submitted": "2026-11-02T12:30:00Z", "reference": "DORA-4471"},
                {
                    "regime": "dora",
                    "stage": "intermediate",
                    "submitted": "2026-11-05T14:00:00Z",
                    "reference": "DORA-4486",
                },
            ],
        },
    ),
    # aware (detected) 12-01 09:00: GDPR would be due 12-04 09:00; ruled out
    "2026-12-01-accounts-exposure": dict(
        services=["accounts"],
        **times("2026-12-01", "08:30", "09:00", "10:00", "11:00"),
        regulatory={"not_reportable": [{"regime": "gdpr", "reason": "No personal data was exposed."}]},
    ),
    # materiality not determined yet: Form 8-K waits on it
    "2026-12-03-broker-intrusion": dict(services=["broker"], regulatory={"aware": "2026-12-03T10:05:00Z"}),
    # a draft's clock runs too: classified at 21:00, initial due 01:00, overdue
    "2026-12-06-ledger-draft": dict(
        status="draft",
        reviewers=[],
        services=["ledger"],
        **times("2026-12-06", "19:30", "20:00", "20:30", "21:00"),
        regulatory={"classified_major": "2026-12-06T21:00:00Z"},
    ),
    "2026-10-01-checkout-slow": dict(services=["checkout"]),  # no regulated service: no clock
}
OPEN, DRAFT, REPORTED = "2026-12-07-ledger-open", "2026-12-06-ledger-draft", "2026-11-02-ledger-reported"
EXPOSURE, BROKER = "2026-12-01-accounts-exposure", "2026-12-03-broker-intrusion"
# (record, regime, stage, due, state) in the page's order: owed by due, then the past by submission (else due), newest
LISTED = [
    (REPORTED, "dora", "final", "2026-12-05T14:00:00Z", "overdue"),
    (DRAFT, "dora", "initial", "2026-12-07T01:00:00Z", "overdue"),
    (OPEN, "dora", "initial", "2026-12-07T13:30:00Z", "open"),
    (DRAFT, "dora", "intermediate", "2026-12-10T01:00:00Z", "open"),
    (OPEN, "dora", "intermediate", "2026-12-10T13:30:00Z", "open"),
    (DRAFT, "dora", "final", "2027-01-10T01:00:00Z", "open"),
    (OPEN, "dora", "final", "2027-01-10T13:30:00Z", "open"),
    (BROKER, "sec-8k", "8-k", None, "waiting"),
    (EXPOSURE, "gdpr", "notification", "2026-12-04T09:00:00Z", "not-reportable"),
    (REPORTED, "dora", "intermediate", "2026-11-05T12:30:00Z", "late"),
    (REPORTED, "dora", "initial", "2026-11-02T13:00:00Z", "submitted"),
]
SUBMITTED = {(REPORTED, "initial"): "2026-11-02T12:30:00Z", (REPORTED, "intermediate"): "2026-11-05T14:00:00Z"}
ROW = re.compile(
    r'<tr data-pm-id="([^"]+)" data-regime="([^"]+)" data-stage="([^"]+)" data-state="([^"]+)">(.*?)</tr>', re.S
)


def read(site: Path, uri: str) -> str:
    return (site / uri).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The knowledge base's site, built once at `EPOCH`, with the dashboard on its home page."""
    root = tmp_path_factory.mktemp("regulatory")
    config = make_site(
        root,
        {f"{pm_id}.md": postmortem(pm_id, **values) for pm_id, values in RECORDS.items()},
        OPTIONS,
        docs={"index.md": "# Home\n\n<!-- postmortems:dashboard -->\n"},
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        MkDocsConfig.plugins.plugin_cache.clear()  # a new plugin object, as a new `mkdocs build`
        return build_site(config)


def test_the_page_lists_what_is_owed_first_soonest_due_first_then_the_past_newest_first(site):
    rows = ROW.findall(read(site, "regulatory/index.html"))
    assert [(pm_id, regime, stage, state) for pm_id, regime, stage, state, _ in rows] == [
        (pm_id, regime, stage, state) for pm_id, regime, stage, _, state in LISTED
    ]
    for (_, _, _, _, cells), (_, _, _, due, _) in zip(rows, LISTED, strict=True):
        assert (f'<time class="pm-due" datetime="{due}">' in cells) if due else ("unknown" in cells)
    # in UTC and in the team's zone, its date too where it differs
    assert "2026-12-07 13:30 UTC (14:30 CET, Europe/Berlin)</time>" in rows[2][4]
    assert "2027-01-10 01:00 UTC (02:00 CET, Europe/Berlin)</time>" in rows[5][4]


def test_each_row_says_its_state_in_words_with_its_submission_reference_and_what_it_counts_from(site):
    page = read(site, "regulatory/index.html")
    cells = {(pm_id, stage): text for pm_id, _, stage, _, text in ROW.findall(page)}
    late = cells[REPORTED, "intermediate"]
    assert "submitted 1 h 30 min late" in late and "DORA-4486" in late
    assert '<time datetime="2026-11-05T14:00:00Z">2026-11-05 14:00 UTC</time>' in late
    assert "the initial notification&#39;s submission (2026-11-02 12:30 UTC)" in late  # what it counts from
    assert "submitted on time" in cells[REPORTED, "initial"] and "DORA-4471" in cells[REPORTED, "initial"]
    overdue = cells[REPORTED, "final"]
    assert '<span class="pm-badge pm-badge--overdue">overdue</span>' in overdue  # in words, never colour alone
    assert '<span class="pm-badge pm-badge--overdue">submitted 1 h 30 min late</span>' in late
    assert "not reportable: No personal data was exposed." in cells[EXPOSURE, "notification"]
    assert "waiting: regulatory.materiality_determined is not recorded" in cells[BROKER, "8-k"]
    assert '<td class="pm-col-kind" data-label="Regime">DORA</td>' in late  # the regime's name, not its key
    assert "Regimes: DORA, GDPR, SEC." in page
    assert (
        "<strong>2 overdue</strong>, 5 open,\n1 waiting for a moment it counts from to be recorded, of 11 stages."
        in page
    )


def test_a_record_links_to_its_page_and_a_draft_without_one_shows_its_file(site):
    page = read(site, "regulatory/index.html")
    cells = {(pm_id, stage): text for pm_id, _, stage, _, text in ROW.findall(page)}
    assert f'<a href="../postmortems/{OPEN}/">Incident {OPEN}</a>' in cells[OPEN, "initial"]
    draft = cells[DRAFT, "initial"]
    assert "<a " not in draft.split("</td>")[0] and f"(draft: <code>postmortems/{DRAFT}.md</code>)" in draft
    assert not (site / "postmortems" / DRAFT).exists()


def test_a_postmortem_page_shows_its_own_clocks_and_one_without_none(site):
    page = read(site, f"postmortems/{REPORTED}/index.html")
    start = page.index('<h2 id="regulatory-reporting">')
    section = page[start : page.index("</table>", start)]
    states = re.findall(r'data-stage="([^"]+)" data-state="([^"]+)"', section)
    assert states == [("initial", "submitted"), ("intermediate", "late"), ("final", "overdue")]
    assert 'href="../../regulatory/"' in page
    assert "regulatory-reporting" not in read(site, "postmortems/2026-10-01-checkout-slow/index.html")


def test_the_dashboard_counts_what_is_owed_and_links_the_page(site):
    home = read(site, "index.html")
    panel = home[home.index('class="pm-dashboard__panel pm-dashboard__regulatory"') :].split("</section>")[0]
    counts = re.findall(r'<li data-state="([^"]+)">.*?<strong>(\d+)</strong></li>', panel)
    assert counts == [("overdue", "2"), ("open", "5"), ("waiting", "1")]
    assert "Next due: Final report (DORA)" in panel and "2026-12-05 14:00 UTC (15:00 CET, Europe/Berlin)" in panel
    assert home.count('href="regulatory/"') == 2  # the panel, and beside the period reviews


def test_deadlines_json_has_an_entry_per_record_regime_and_stage_sorted_by_due(site):
    data = json.loads(read(site, "regulatory/deadlines.json"))
    assert (data["version"], data["as_of"]) == (1, "2026-12-07")
    expected = sorted(LISTED, key=lambda row: (row[3] is None, row[3] or "", row[0]))
    assert data["deadlines"] == [
        {
            "path": f"postmortems/{pm_id}.md",
            "id": pm_id,
            "regime": regime,
            "stage": stage,
            "due": due,
            "submitted": SUBMITTED.get((pm_id, stage)),
            "state": state,
        }
        for pm_id, regime, stage, due, state in expected
    ]


def test_the_calendar_has_an_event_per_stage_owed_with_a_due_time_with_stable_uids(site):
    text = (site / "regulatory/deadlines.ics").read_bytes().decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.replace("\r\n ", "").split("\r\n")
    assert lines[:3] == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//mkdocs-postmortems//Regulatory deadlines//EN"]
    events = text.split("BEGIN:VEVENT")[1:]
    owed = [row for row in LISTED if row[4] in ("overdue", "open") and row[3]]
    assert len(events) == len(owed) == 7
    for event, (pm_id, regime, stage, due, _) in zip(
        events, sorted(owed, key=lambda row: (row[3], row[0])), strict=True
    ):
        event = event.replace("\r\n ", "")
        assert f"\r\nUID:{pm_id}.{regime}.{stage}@regulatory.postmortems\r\n" in event
        assert "\r\nDTSTAMP:20261207T120000Z\r\n" in event
        assert f"\r\nDTSTART:{due.replace('-', '').replace(':', '')}\r\n" in event
    assert "SUMMARY:Initial notification (DORA) due: Incident 2026-12-06-ledger-draft" in text.replace("\r\n ", "")


def test_a_long_list_is_paged_with_what_is_owed_on_the_first_page(tmp_path, monkeypatch):
    for pm_id, values in RECORDS.items():
        (tmp_path / f"{pm_id}.md").write_text(postmortem(pm_id, **values), encoding="utf-8")
    policy = Policy(
        services=(
            Service("ledger", regulated=("dora",)),
            Service("accounts", regulated=("gdpr",)),
            Service("broker", regulated=("sec-8k",)),
            Service("checkout"),
        ),
        regulatory_regimes=("dora", "gdpr", "sec-8k"),
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    kb = load_knowledge_base(tmp_path, policy, base=tmp_path.parent)
    monkeypatch.setattr(pages, "REGULATORY_ROWS", 4)
    specs = [
        spec
        for spec in pages.knowledge_base_pages(
            kb, build_indexes(kb.published(), policy, kb.today), pages.SiteMap("postmortems")
        )
        if spec.template == "regulatory"
    ]
    assert [spec.uri for spec in specs] == ["regulatory/index.md", "regulatory/page/2.md", "regulatory/page/3.md"]
    shown = [deadline for spec in specs for deadline, _, _ in spec.context["rows"]]
    assert shown == listed(deadlines(kb.postmortems, policy, build_moment(kb.today)))
    assert [(d.pm.id, d.clock.stage) for d in shown] == [(pm_id, stage) for pm_id, _, stage, _, _ in LISTED]
    assert specs[1].title == "Regulatory reporting, page 2" and specs[0].context["pager"]["total"] == 11


# --------------------------------------------------------------------------------------------------
# docs/regulatory-reporting.md, "Pages and exports": its `deadlines.json` is what a build of the page's own example writes


def test_the_documented_deadlines_json_is_what_the_pages_example_builds(tmp_path):
    page = read_doc(DOCS / "regulatory-reporting.md")
    (config,) = [block for block in code_blocks(page, "yaml") if block.startswith("plugins:")]
    (front_matter,) = [block for block in code_blocks(page, "yaml") if "\nregulatory:\n" in block]
    (documented,) = code_blocks(section(page, "## Pages and exports"), "json")
    record = "2026-11-20-ledger-writes-failed"
    options = yaml.safe_load(config)["plugins"][0]["postmortems"]
    made = make_site(tmp_path, {f"{record}.md": f"---\n{front_matter}---\n\n## Summary\n\nWrites failed.\n"}, options)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01 00:00 UTC
        MkDocsConfig.plugins.plugin_cache.clear()
        built = build_site(made)
    assert json.loads(read(built, "regulatory/deadlines.json")) == json.loads(documented)
    ((_, rows),) = [
        (header, rows) for header, rows in tables(section(page, "## Pages and exports")) if header[0] == "Key"
    ]
    keys = [key for row in rows for key in re.findall(r"`(\w+)`", row[0])]
    assert keys == list(json.loads(documented)["deadlines"][0])  # the built file's keys, in order

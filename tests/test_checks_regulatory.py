"""`checks/regulatory.py`: the regulators' stages judged at the check's moment (to the minute, at every check, never
from a cached result), through `check --today` and `pr-summary`; a regulated record without a `regulatory` block;
reports naming a regime or stage that does not apply; imported history left alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from cli_support import CONFIG, commit, git, run, write
from conftest import make_policy
from mkdocs_postmortems import load_knowledge_base
from mkdocs_postmortems.knowledge import KnowledgeCache
from mkdocs_postmortems.policy import Service

FIXTURES = Path(__file__).parent / "fixtures" / "invalid"
DUE = (FIXTURES / "regulatory-due" / "2026-11-21-ledger-outage.md").read_text(encoding="utf-8")
# Its DORA final report is due 2026-12-21 20:00 UTC: one month after the intermediate report of 2026-11-21 20:00.
POLICY = make_policy(
    services=(Service("checkout", "", "Checkout"), Service("orders-db"), Service("ledger", regulated=True)),
    regulatory_regimes=("dora",),
)
REGULATED_CONFIG = CONFIG.replace(
    "        - name: orders-db\n",
    "        - name: orders-db\n        - name: ledger\n          regulated: true\n      regulatory:\n        regimes: [dora]\n",
)
RULES = ("regulatory-due", "regulatory-overdue", "regulatory-unreported", "regulatory-regime", "regulatory-stage")


def at(monkeypatch, moment: str) -> None:
    """The build's clock (`SOURCE_DATE_EPOCH`), so a check on its day judges at that minute."""
    epoch = datetime.fromisoformat(moment.replace("Z", "+00:00")).timestamp()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(epoch)))


def regulatory(folder: Path, cache: KnowledgeCache | None = None) -> list[tuple[str, str]]:
    kb = load_knowledge_base(folder, POLICY, base=folder, cache=cache)
    return [(d.code, d.message) for d in kb.diagnostics if d.code.startswith("regulatory-")]


@pytest.fixture
def folder(tmp_path) -> Path:
    (tmp_path / "2026-11-21-ledger-outage.md").write_text(DUE, encoding="utf-8")
    return tmp_path


def test_an_open_stage_says_the_time_left_and_the_deadline_in_utc(folder, monkeypatch):
    at(monkeypatch, "2026-12-20T18:30:00Z")
    assert regulatory(folder) == [
        (
            "regulatory-due",
            "dora final report is due in 1 d 1 h, at 2026-12-21 20:00 UTC: one month after the intermediate "
            "report's submission (2026-11-21 20:00 UTC)",
        )
    ]


def test_the_deadline_is_shown_in_the_teams_zone_too(folder, monkeypatch):
    at(monkeypatch, "2026-12-20T18:30:00Z")
    kb = load_knowledge_base(folder, replace(POLICY, regulatory_timezone="Europe/Paris"), base=folder)
    (message,) = [d.message for d in kb.diagnostics if d.code == "regulatory-due"]
    assert "due in 1 d 1 h, at 2026-12-21 20:00 UTC (21:00 CET, Europe/Paris): one month after" in message


def test_a_stage_is_due_to_the_minute_before_its_deadline_and_overdue_from_it(folder, monkeypatch):
    at(monkeypatch, "2026-12-21T19:59:00Z")
    assert [code for code, _ in regulatory(folder)] == ["regulatory-due"]
    at(monkeypatch, "2026-12-21T20:00:00Z")
    assert regulatory(folder) == [
        (
            "regulatory-overdue",
            "dora final report was due at 2026-12-21 20:00 UTC, 0 min ago: one month after the intermediate "
            "report's submission (2026-11-21 20:00 UTC)",
        )
    ]


def test_the_clock_is_read_at_every_check_never_from_the_cache(folder, monkeypatch):
    """`mkdocs serve` keeps a file's results for the day; a deadline that passes meanwhile is still reported."""
    cache = KnowledgeCache()
    at(monkeypatch, "2026-12-21T09:00:00Z")
    assert [code for code, _ in regulatory(folder, cache)] == ["regulatory-due"]
    at(monkeypatch, "2026-12-21T21:00:00Z")
    assert [code for code, _ in regulatory(folder, cache)] == ["regulatory-overdue"]
    assert cache.hits == 1


def test_a_submitted_report_ends_the_warning(folder, monkeypatch):
    at(monkeypatch, "2026-12-20T18:30:00Z")
    final = "    - {regime: dora, stage: final, submitted: 2026-12-22T10:00:00Z}\n---"
    (folder / "2026-11-21-ledger-outage.md").write_text(
        DUE.replace("\n---\n\n## Summary", "\n" + final + "\n\n## Summary", 1)
    )
    assert regulatory(folder) == []  # late (after its deadline), which the pages show; nothing is owed any more


@pytest.fixture
def project(project):
    (project / "mkdocs.yml").write_text(REGULATED_CONFIG)
    (project / "postmortems" / "2026-11-21-ledger-outage.md").write_text(DUE, encoding="utf-8")
    return project


def test_check_today_judges_at_midnight_utc(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # the build's day is another: `--today` is judged at its midnight
    before = run("check", "--today", "2026-12-21", "--strict")
    assert before.exit_code == 1
    assert "[regulatory-due] dora final report is due in 20 h 0 min, at 2026-12-21 20:00 UTC" in before.output
    after = run("check", "--today", "2026-12-22")
    assert after.exit_code == 1
    assert "error [regulatory-overdue] dora final report was due at 2026-12-21 20:00 UTC, 4 h 0 min ago" in after.output


@pytest.fixture
def branch(repo):
    (repo / "mkdocs.yml").write_text(REGULATED_CONFIG)
    commit(repo, "main")
    git(repo, "checkout", "-q", "-b", "review")
    write(repo, "2026-11-21-ledger-outage.md", DUE)
    commit(repo, "review")
    return repo


def test_pr_summary_shows_the_regulatory_findings(branch, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    summary = run("pr-summary", "--base", "main", "--today", "2026-12-22")
    assert summary.exit_code == 0, summary.output
    assert (
        "**error** `postmortems/2026-11-21-ledger-outage.md:28` `regulatory-overdue` dora final report"
        in summary.output
    )


def test_imported_history_is_not_judged(tmp_path, monkeypatch):
    at(monkeypatch, "2026-12-22T00:00:00Z")
    unreported = (FIXTURES / "regulatory-unreported" / "2026-10-01-ledger-outage.md").read_text(encoding="utf-8")
    (tmp_path / "2026-11-21-ledger-outage.md").write_text(DUE.replace("status: published", "status: imported"))
    (tmp_path / "2026-10-01-ledger-outage.md").write_text(unreported.replace("status: published", "status: imported"))
    kb = load_knowledge_base(tmp_path, POLICY, base=tmp_path)
    assert [d.code for d in kb.diagnostics if d.code in RULES] == []


def test_an_ongoing_incident_is_judged(folder, monkeypatch):
    at(monkeypatch, "2026-12-20T18:30:00Z")
    path = folder / "2026-11-21-ledger-outage.md"
    path.write_text(DUE.replace("status: published", "status: ongoing"))
    assert [code for code, _ in regulatory(folder)] == ["regulatory-due"]


def test_no_regulatory_rule_without_a_configured_regime(folder, monkeypatch):
    """With no regime, the communication policy's day count applies, as before (`communications.py`)."""
    at(monkeypatch, "2026-12-22T00:00:00Z")
    unconfigured = make_policy(services=(Service("ledger", regulated=True),))
    unreported = (FIXTURES / "regulatory-unreported" / "2026-10-01-ledger-outage.md").read_text(encoding="utf-8")
    (folder / "2026-10-01-ledger-outage.md").write_text(unreported)
    kb = load_knowledge_base(folder, unconfigured, base=folder)
    assert {d.code for d in kb.diagnostics} & set(RULES) == {"regulatory-regime"}  # the reports name dora


def test_unreported_only_for_a_service_under_a_regime():
    """The fixture names `ledger`; here only `cards` is regulated."""
    other = make_policy(
        services=(Service("ledger"), Service("cards", regulated=("dora",))), regulatory_regimes=("dora",)
    )
    folder = FIXTURES / "regulatory-unreported"
    assert load_knowledge_base(folder, other, today=date(2026, 11, 22), base=folder).diagnostics == []


def test_a_stage_of_another_regime_lists_the_stages_of_its_own():
    folder = FIXTURES / "regulatory-stage"
    (found,) = load_knowledge_base(folder, POLICY, today=date(2026, 11, 22), base=folder).diagnostics
    assert (found.message, found.hint) == (
        "dora has no stage `early-warning`",
        "dora's stages, in order: initial, intermediate, final",
    )


def test_an_unknown_stage_is_an_invalid_value_with_every_stage_named(tmp_path):
    text = (FIXTURES / "regulatory-stage" / "2026-10-01-ledger-outage.md").read_text(encoding="utf-8")
    (tmp_path / "2026-10-01-ledger-outage.md").write_text(text.replace("early-warning", "interim"))
    (found,) = load_knowledge_base(tmp_path, POLICY, today=date(2026, 11, 22), base=tmp_path).diagnostics
    assert (found.code, found.line, found.col) == ("invalid-value", 29, 29)
    assert found.hint == "allowed: initial, intermediate, final, early-warning, notification, 8-k"


def test_a_report_under_a_regime_that_does_not_apply():
    folder = FIXTURES / "regulatory-regime"
    (found,) = load_knowledge_base(folder, POLICY, today=date(2026, 11, 22), base=folder).diagnostics
    assert found.message == "`nis2` does not apply to this record: its regulated services are under dora"

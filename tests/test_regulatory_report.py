"""`regulatory_report.py`: each regime's stage report, its fields in the order of the published text, filled from a
full record and missing on an empty one, recurring causes across files, and the JSON shape."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import make_policy
from mkdocs_postmortems.knowledge import load_postmortem
from mkdocs_postmortems.policy import Service
from mkdocs_postmortems.regulatory import STAGES
from mkdocs_postmortems.regulatory_report import (
    FIELDS,
    NotApplicable,
    ReportError,
    draft,
    recurring_causes,
    report_json,
    report_markdown,
)

NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)
POLICY = make_policy(
    services=(Service("ledger", regulated=True, provider="Ledgerly"), Service("search")),
    regulatory_regimes=("dora", "nis2", "gdpr", "sec-8k"),
)

# Each stage's fields as the texts number them, in their order: ITS 2025/302 Annex I's field numbers where given,
# else the point of RTS 2025/301 art. 3 or 4, NIS2 art. 23(4), GDPR art. 33(3) or Form 8-K Item 1.05(a).
ORDER = {
    ("dora", "initial"): ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9"],
    ("dora", "intermediate"): ["3.1", "3.2", "3.3", "3.4", *["RTS 3(d)"] * 4, *(f"RTS 3({p})" for p in "eghijkl")],
    ("dora", "final"): ["RTS 4(a)", "RTS 4(b)", "RTS 4(b)", "RTS 4(c)", "RTS 4(e)", "RTS 4(f)"],
    ("nis2", "early-warning"): ["23(4)(a)"] * 4,
    ("nis2", "notification"): ["23(4)(b)"] * 3,
    ("nis2", "final"): ["23(4)(d)(i)", "23(4)(d)(ii)", "23(4)(d)(iii)", "23(4)(d)(iii)", "23(4)(d)(iv)"],
    ("gdpr", "notification"): ["33(3)(a)", "33(3)(a)", "33(3)(a)", "33(3)(b)", "33(3)(c)", "33(3)(d)"],
    ("sec-8k", "8-k"): ["1.05(a)"] * 4,
}

FULL = """\
---
title: Ledger writes failed
status: in-review
severity: SEV1
services: [ledger]
authors: [alice]
reviewers: [bob]
started: 2026-11-20T09:50:00Z
detected: 2026-11-20T09:58:00Z
mitigated: 2026-11-20T10:30:00Z
resolved: 2026-11-20T11:00:00Z
impact:
  summary: Ledger writes failed for 40 minutes.
  customers_affected: 1200
  requests_failed: 5300
  data_loss: false
root_causes:
  - {id: pool, kind: causal, category: capacity, summary: The connection pool was sized for normal traffic.}
action_items:
  - {title: Size the pool for peak traffic, owner: team-ledger, priority: P1, due: 2026-12-15, status: done,
     closed: 2026-11-25, addresses: [pool]}
  - {title: Alert on pool saturation, owner: team-sre, priority: P2, due: 2027-01-15, status: open, addresses: [pool]}
regulatory:
  aware: 2026-11-20T10:00:00Z
  classified_major: 2026-11-20T10:30:00Z
  materiality_determined: 2026-11-23T15:00:00Z
  personal_data: true
  reports:
    - {regime: dora, stage: initial, submitted: 2026-11-20T13:00:00Z, reference: DORA-2026-0042}
    - {regime: dora, stage: intermediate, submitted: 2026-11-22T09:00:00Z}
    - {regime: nis2, stage: early-warning, submitted: 2026-11-20T20:00:00Z, reference: CSIRT-77}
---
## Summary
The ledger refused writes.
"""

EMPTY = """\
---
title: Ledger hiccup
status: draft
severity: SEV3
services: [ledger]
authors: [alice]
started: 2026-11-20T09:50:00Z
---
"""


def record(folder: Path, name: str, text: str):
    path = folder / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    pm, problems = load_postmortem(path, path.name, POLICY)
    assert pm is not None, problems
    return pm


def earlier(started: str, service: str, category: str, kind: str = "incident") -> str:
    return (
        f"---\ntitle: Earlier\nstatus: published\nseverity: SEV2\nkind: {kind}\nservices: [{service}]\n"
        f"authors: [alice]\nstarted: {started}\nimpact: {{summary: Slow.}}\n"
        f"root_causes: [{{id: c, kind: causal, category: {category}, summary: Small.}}]\n---\n"
    )


def test_every_stage_has_its_fields_in_the_order_of_its_text():
    assert set(FIELDS) == {(regime, stage.name) for regime, stages in STAGES.items() for stage in stages}
    for (regime, stage), numbers in ORDER.items():
        assert [field.number for field in FIELDS[(regime, stage)][1]] == numbers, (regime, stage)


def test_the_dora_initial_notification_follows_annex_i():
    labels = [field.label for field in FIELDS[("dora", "initial")][1]]
    assert labels[:4] == [
        "Incident reference code assigned by the financial entity",
        "Date and time of detection",
        "Date and time of classification as major",
        "Description of the incident",
    ]


@pytest.mark.parametrize("regime, stage", list(ORDER))
def test_a_full_record_fills_every_field_it_has_a_key_for(tmp_path, regime, stage):
    report = draft(record(tmp_path, "2026-11-20-ledger", FULL), POLICY, regime, stage, NOW)
    unfilled_keys = [filled.field.number for filled in report.fields if filled.value is None and filled.field.key]
    # no root cause names its own service; the alerting item addressing `pool` is still open
    assert unfilled_keys == {("dora", "intermediate"): ["RTS 3(h)"], ("dora", "final"): ["RTS 4(b)"]}.get(
        (regime, stage), []
    )


@pytest.mark.parametrize("regime, stage", list(ORDER))
def test_an_empty_record_leaves_missing_all_but_its_id_and_services(tmp_path, regime, stage):
    report = draft(record(tmp_path, "2026-11-20-hiccup", EMPTY), POLICY, regime, stage, NOW)
    filled = {filled.field.label for filled in report.fields if filled.value is not None}
    assert filled <= {
        "Incident reference code assigned by the financial entity",
        "Whether it originates from a third-party provider",  # the catalog says who runs the service
        "Affected functional areas and business processes",
        "Services affected",
        "Became aware of the significant incident",  # `aware` defaults to `started`
        "Scope of the incident",
        "Timing of the incident",
        "Date and time of occurrence",
    }
    markdown = report_markdown(report)
    tail = markdown.split("## Still missing\n", 1)[1]
    assert all(f"- {field.number} {field.label}" in tail for field in report.missing)
    assert "set `impact.summary`" in markdown or "impact.summary" not in {f.key for f in report.missing}


def test_the_values_are_read_from_the_record(tmp_path):
    pm = record(tmp_path, "2026-11-20-ledger", FULL)
    values = {f.field.label: f.value for f in draft(pm, POLICY, "dora", "intermediate", NOW).fields}
    assert values["Incident reference code provided by the competent authority"] == "DORA-2026-0042"
    assert values["Date and time of occurrence"] == datetime(2026, 11, 20, 9, 50, tzinfo=timezone.utc)
    assert values["Number of clients affected"] == 1200
    assert values["Service downtime (started to mitigated)"] == "40 min"
    assert values["Data losses"] == "no"
    assert values["Reporting to other authorities"] == (
        "nis2 early-warning: submitted 2026-11-20 20:00 UTC, reference CSIRT-77",
    )
    final = {f.field.label: f.value for f in draft(pm, POLICY, "dora", "final", NOW).fields}
    assert final["Date the root causes were addressed (last fix closed)"] is None  # an item addressing it is open
    assert final["Resolution of the incident (action items)"] == (
        "Size the pool for peak traffic (owner team-ledger, due 2026-12-15, done)",
        "Alert on pool saturation (owner team-sre, due 2027-01-15, open)",
    )
    nis2 = {f.field.label: f.value for f in draft(pm, POLICY, "nis2", "final", NOW).fields}
    assert nis2["Mitigation measures applied"] == (
        "Size the pool for peak traffic (owner team-ledger, due 2026-12-15, done)",
    )


def test_the_report_carries_its_clock_and_the_earlier_reports(tmp_path):
    report = draft(record(tmp_path, "2026-11-20-ledger", FULL), POLICY, "dora", "final", NOW)
    assert report.clock.stage == "final" and report.clock.state == "open"
    assert [clock.stage for clock in report.earlier] == ["initial", "intermediate"]
    markdown = report_markdown(report)
    assert markdown.startswith("# Final report (DORA): Ledger writes failed\n")
    assert f"Clock: due 2026-12-22 09:00 UTC: {report.clock.counts_from}; state: open." in markdown
    assert "- Initial notification: submitted 2026-11-20 13:00 UTC, reference DORA-2026-0042" in markdown
    assert "- Intermediate report: submitted 2026-11-22 09:00 UTC, no reference recorded" in markdown
    assert "not legal advice" in markdown


def test_a_clock_waiting_on_a_moment_names_its_key(tmp_path):
    report = draft(record(tmp_path, "2026-11-20-hiccup", EMPTY), POLICY, "sec-8k", "8-k", NOW)
    assert (report.clock.state, report.clock.due) == ("waiting", None)
    assert "; state: waiting; waiting on `regulatory.materiality_determined`." in report_markdown(report)
    assert report_json(report)["clock"]["due"] is None


def test_recurring_causes_are_the_earlier_incidents_with_the_same_service_and_category(tmp_path):
    pm = record(tmp_path, "2026-11-20-ledger", FULL)
    others = [
        record(tmp_path, "2026-03-01-same", earlier("2026-03-01T10:00:00Z", "ledger", "capacity")),
        record(tmp_path, "2026-05-01-same", earlier("2026-05-01T10:00:00Z", "ledger", "capacity")),
        record(tmp_path, "2026-04-01-other-category", earlier("2026-04-01T10:00:00Z", "ledger", "deployment")),
        record(tmp_path, "2026-04-02-other-service", earlier("2026-04-02T10:00:00Z", "search", "capacity")),
        record(tmp_path, "2026-12-24-later", earlier("2026-12-24T10:00:00Z", "ledger", "capacity")),
        record(
            tmp_path, "2026-04-03-maintenance", earlier("2026-04-03T10:00:00Z", "ledger", "capacity", "maintenance")
        ),
        pm,  # the record itself, as the knowledge base holds it
    ]
    (found,) = recurring_causes(pm, others)
    assert (found.service, found.category) == ("ledger", "capacity")
    assert [other.id for other in found.earlier] == ["2026-03-01-same", "2026-05-01-same"]
    report = draft(pm, POLICY, "dora", "final", NOW, others)
    assert report.fields[-1].value == ("ledger / capacity: 2026-03-01-same (2026-03-01); 2026-05-01-same (2026-05-01)",)
    alone = draft(pm, POLICY, "dora", "final", NOW).fields[-1].value
    assert alone == "None: no earlier incident had a root cause of the same category on the same service."


def test_the_json_has_every_field_and_what_is_missing(tmp_path):
    report = draft(record(tmp_path, "2026-11-20-ledger", FULL), POLICY, "gdpr", "notification", NOW)
    data = report_json(report)
    assert list(data) == [
        "regime",
        "stage",
        "title",
        "source",
        "postmortem",
        "drafted",
        "clock",
        "earlier_reports",
        "fields",
        "missing",
    ]
    assert data["postmortem"] == {
        "id": "2026-11-20-ledger",
        "path": "2026-11-20-ledger.md",
        "title": "Ledger writes failed",
    }
    assert data["drafted"] == "2026-12-01T00:00:00Z"
    assert data["clock"]["due"] == "2026-11-23T10:00:00Z" and data["clock"]["state"] == "overdue"
    assert [field["number"] for field in data["fields"]] == ORDER["gdpr", "notification"]
    assert data["fields"][1] == {
        "number": "33(3)(a)",
        "label": "Approximate number of data subjects concerned",
        "value": 1200,
        "key": "impact.customers_affected",
    }
    assert {"number": "33(3)(b)", "label": "Name and contact details of the data protection officer", "key": ""} in (
        data["missing"]
    )
    assert [field["value"] is None for field in data["fields"]].count(True) == len(data["missing"])
    sec = report_json(draft(record(tmp_path, "2026-11-20-ledger", FULL), POLICY, "sec-8k", "8-k", NOW))
    assert "determined material 2026-11-23 15:00 UTC" in sec["fields"][2]["value"]


def test_a_value_of_the_record_stays_text_in_markdown(tmp_path):
    text = FULL.replace("Ledger writes failed for 40 minutes.", "<b>x</b> | y")
    markdown = report_markdown(draft(record(tmp_path, "2026-11-20-ledger", text), POLICY, "dora", "initial", NOW))
    assert "<b>" not in markdown and "\\<b\\>x\\</b\\> \\| y" in markdown


def test_an_unknown_regime_or_stage_and_a_regime_that_does_not_apply_are_refused(tmp_path):
    pm = record(tmp_path, "2026-11-20-ledger", FULL)
    with pytest.raises(ReportError, match="no regime `mifid`"):
        draft(pm, POLICY, "mifid", "final", NOW)
    with pytest.raises(ReportError, match="gdpr has no stage `final`; its stages: notification"):
        draft(pm, POLICY, "gdpr", "final", NOW)
    only_gdpr = make_policy(services=(Service("ledger", regulated=("gdpr",)),), regulatory_regimes=("dora", "gdpr"))
    with pytest.raises(NotApplicable, match="dora does not apply to 2026-11-20-ledger: its regimes are gdpr"):
        draft(pm, only_gdpr, "dora", "final", NOW)
    with pytest.raises(NotApplicable, match="names no service regulated"):
        draft(pm, make_policy(), "dora", "final", NOW)


def test_the_reports_deadline_is_shown_in_the_teams_zone_too(tmp_path):
    pm = record(tmp_path, "2026-11-20-ledger", FULL)
    report = draft(pm, replace(POLICY, regulatory_timezone="Europe/Berlin"), "dora", "final", NOW)
    assert "Clock: due 2026-12-22 09:00 UTC (10:00 CET, Europe/Berlin): " in report_markdown(report)

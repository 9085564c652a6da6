"""Cross-incident indexes, metrics and exports: small hand-made cases, and the example against an independent count."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from conftest import TODAY
from mkdocs_postmortems.kb_site.exports import (
    CSV_COLUMNS,
    as_text,
    write_action_items_csv,
    write_action_items_json,
    write_knowledge_base_json,
)
from mkdocs_postmortems.kb_site.indexes import (
    OVERDUE_FIRST,
    URGENCY,
    OwnerLoad,
    build_indexes,
    overdue_first,
    owners_by_overdue,
    recent_quarters,
    services_by_impact,
)
from mkdocs_postmortems.kb_site.metrics import month_range, monthly_counts, response_times
from mkdocs_postmortems.kb_site.stats import distribution, percentile
from mkdocs_postmortems.kb_site.urls import SiteMap
from mkdocs_postmortems.knowledge import load_knowledge_base
from mkdocs_postmortems.mkdocs_config import policy_from_options
from mkdocs_postmortems.model import ActionItem, Postmortem, RootCause
from mkdocs_postmortems.policy import Category, Policy, Service

ROOT = Path(__file__).resolve().parent.parent
POLICY = Policy(
    services=(Service("checkout"), Service("payments"), Service("platform")),
    categories=(Category("config-change"), Category("capacity"), Category("process")),
)


def at(day: str) -> datetime:
    return datetime.fromisoformat(day + "T10:00:00").replace(tzinfo=timezone.utc)


def incident(
    pm_id: str, day: str, services=("checkout",), causes=(), items=(), severity="SEV2", **fields
) -> Postmortem:
    """`causes`: (id, kind, category, service); `items`: ActionItem keyword dicts."""
    return Postmortem(
        id=pm_id,
        path=f"postmortems/{pm_id}.md",
        title=f"Incident {pm_id}",
        status="published",
        severity=severity,
        services=tuple(services),
        started=at(day),
        detected=at(day) + timedelta(minutes=5),
        mitigated=at(day) + timedelta(minutes=65),
        resolved=at(day) + timedelta(hours=3),
        root_causes=tuple(
            RootCause(kind, category, f"{category} cause", cid, service) for cid, kind, category, service in causes
        ),
        action_items=tuple(
            ActionItem(
                **{
                    "title": "Fix it",
                    "owner": "team",
                    "priority": "P2",
                    "due": date(2030, 1, 1),
                    "status": "open",
                    **item,
                }
            )
            for item in items
        ),
        **fields,
    )


def newest_first(*postmortems: Postmortem) -> list[Postmortem]:
    return sorted(postmortems, key=lambda pm: pm.started, reverse=True)


def indexes_of(*postmortems: Postmortem, policy: Policy = POLICY, today: date = TODAY):
    return build_indexes(newest_first(*postmortems), policy, today)


# --- recurring causes and fixes that did not hold ---------------------------------------------------------------

FIX = {"status": "done", "addresses": ("c",)}


@pytest.mark.parametrize(
    "closed, recurred",
    [
        (date(2024, 2, 29), True),  # closed before the later incident's start day
        (date(2024, 3, 1), False),  # closed on the day it started: not known to be before
        (date(2024, 3, 2), False),  # closed after
    ],
)
def test_recurred_after_fix_needs_the_fix_closed_before_the_later_incident(closed, recurred):
    first = incident(
        "2024-01-10-a", "2024-01-10", causes=[("c", "causal", "config-change", "")], items=[{**FIX, "closed": closed}]
    )
    later = incident("2024-03-01-b", "2024-03-01", causes=[("x", "causal", "config-change", "")])
    found = indexes_of(first, later).recurred_after_fix
    assert [(r.later.id, r.earlier.id, r.service, r.category, r.fix.id) for r in found] == (
        [("2024-03-01-b", "2024-01-10-a", "checkout", "config-change", "2024-01-10-a#1")] if recurred else []
    )


def test_open_fixes_and_other_categories_or_services_do_not_count_as_recurred_after_fix():
    first = incident(
        "2024-01-10-a",
        "2024-01-10",
        causes=[("c", "causal", "config-change", "")],
        items=[{"status": "in-progress", "addresses": ("c",)}],
    )
    other_category = incident(
        "2024-02-01-b",
        "2024-02-01",
        causes=[("c", "causal", "capacity", "")],
        items=[{**FIX, "closed": date(2024, 2, 2)}],
    )
    other_service = incident(
        "2024-03-01-c", "2024-03-01", services=["payments"], causes=[("c", "causal", "config-change", "")]
    )
    later = incident("2024-04-01-d", "2024-04-01", causes=[("c", "causal", "config-change", "")])
    ix = indexes_of(first, other_category, other_service, later)
    assert ix.recurred_after_fix == []
    assert [(r.service, r.category, [pm.id for pm in r.postmortems]) for r in ix.recurring] == [
        ("checkout", "config-change", ["2024-01-10-a", "2024-04-01-d"])
    ]


def test_a_cause_counts_for_its_own_service_else_for_every_affected_one():
    ingress = ("c", "causal", "config-change", "platform")
    first = incident(
        "2024-01-10-a",
        "2024-01-10",
        services=["checkout", "payments"],
        causes=[ingress],
        items=[{**FIX, "closed": date(2024, 1, 20)}],
    )
    later = incident("2024-05-01-b", "2024-05-01", services=["checkout"], causes=[ingress])
    unattributed = incident(
        "2024-06-01-c", "2024-06-01", services=["checkout", "payments"], causes=[("c", "causal", "capacity", "")]
    )
    ix = indexes_of(first, later, unattributed)
    assert [(r.service, r.category) for r in ix.recurring] == [("platform", "config-change")]
    assert [(r.later.id, r.service) for r in ix.recurred_after_fix] == [("2024-05-01-b", "platform")]
    capacity = next(c for c in ix.categories if c.name == "capacity")
    assert [pm.id for pm in capacity.postmortems] == ["2024-06-01-c"] and capacity.count == 1
    # The service page of `platform` lists the recurrence although `platform` was never an affected service.
    platform = next(s for s in ix.services if s.name == "platform")
    assert platform.postmortems == [] and [r.category for r in platform.recurring] == ["config-change"]


def test_the_latest_fix_closed_before_the_incident_is_named():
    cause = [("c", "causal", "config-change", "")]
    old = incident("2024-01-10-a", "2024-01-10", causes=cause, items=[{**FIX, "closed": date(2024, 1, 12)}])
    newer = incident("2024-02-10-b", "2024-02-10", causes=cause, items=[{**FIX, "closed": date(2024, 2, 20)}])
    late = incident("2024-06-01-c", "2024-06-01", causes=cause)
    found = {r.later.id: r.earlier.id for r in indexes_of(old, newer, late).recurred_after_fix}
    assert found == {"2024-02-10-b": "2024-01-10-a", "2024-06-01-c": "2024-02-10-b"}


# --- action items ---------------------------------------------------------------------------------------------


def test_action_items_have_stable_ids_and_the_seeds_sort_order():
    cause = [("c", "causal", "config-change", "")]
    recurring_a = incident(
        "2024-01-10-a",
        "2024-01-10",
        causes=cause,
        severity="SEV3",
        items=[{"priority": "P2", "addresses": ("c",)}, {"priority": "P1", "due": date(2024, 2, 1)}],
    )
    recurring_b = incident(
        "2024-02-10-b",
        "2024-02-10",
        causes=cause,
        severity="SEV3",
        items=[{"priority": "P2", "addresses": ("c",), "due": date(2031, 1, 1)}],
    )
    severe = incident(
        "2024-03-10-c",
        "2024-03-10",
        causes=[("d", "causal", "capacity", "")],
        severity="SEV1",
        items=[
            {"priority": "P2", "addresses": ("d",)},
            {"status": "done", "closed": date(2024, 4, 1)},
            {"status": "wont-do", "closed": date(2024, 4, 2), "reason": "replaced"},
        ],
    )
    ix = indexes_of(recurring_a, recurring_b, severe)
    assert [e.id for e in ix.action_items] == [
        "2024-03-10-c#1",
        "2024-03-10-c#2",
        "2024-03-10-c#3",
        "2024-02-10-b#1",
        "2024-01-10-a#1",
        "2024-01-10-a#2",
    ]
    # priority, then the incident's severity, then how often the cause recurs, then due
    assert [e.id for e in ix.open_items(POLICY)] == [
        "2024-01-10-a#2",
        "2024-03-10-c#1",
        "2024-01-10-a#1",
        "2024-02-10-b#1",
    ]
    assert [e.recurrence for e in ix.open_items(POLICY)] == [0, 1, 2, 2]
    assert [e.id for e in ix.action_items if e.overdue] == ["2024-01-10-a#2"]
    assert [e.id for e in ix.closed_items("done")] == ["2024-03-10-c#2"]
    assert [e.id for e in ix.closed_items("wont-do")] == ["2024-03-10-c#3"]
    assert ix.action_items[0].anchor == "ai-2024-03-10-c-1"


# --- the summaries the pages open with, and the orders they state ----------------------------------------------


def urgent_and_late():
    """Two incidents whose open items rank by priority before due date: the P1 due last is the most urgent."""
    late = incident(
        "2021-03-01-a",
        "2021-03-01",
        services=["payments"],
        items=[
            {"priority": "P2", "due": date(2021, 3, 31), "owner": "team-b"},
            {"priority": "P3", "due": date(2030, 1, 1), "owner": "team-b"},
        ],
    )
    urgent = incident(
        "2025-11-01-b",
        "2025-11-01",
        services=["checkout", "payments"],
        items=[
            {"priority": "P1", "due": date(2025, 11, 17), "owner": "Team-a"},
            {"priority": "P1", "due": date(2031, 1, 1), "owner": "team-c"},
            {"priority": "P2", "due": None, "owner": "team-c", "status": "done"},
        ],
    )
    return indexes_of(late, urgent, policy=Policy(services=POLICY.services, categories=POLICY.categories))


def test_urgency_ranks_priority_before_due_date_and_says_so():
    ix = urgent_and_late()
    ranked = ix.open_items(Policy())
    order = [e.id for e in ranked]
    assert order == ["2025-11-01-b#1", "2025-11-01-b#2", "2021-03-01-a#1", "2021-03-01-a#2"]
    assert [e.item.due for e in ranked if e.overdue] == [date(2025, 11, 17), date(2021, 3, 31)]
    assert URGENCY.index("priority") < URGENCY.index("due date")  # the words follow the key
    # a service's open items are in the same order, whichever incident they come from
    by_name = {s.name: s for s in ix.services}
    assert [e.id for e in by_name["payments"].open_items] == order
    assert [e.id for e in by_name["checkout"].open_items] == ["2025-11-01-b#1", "2025-11-01-b#2"]


def test_an_owners_page_lists_the_overdue_first_in_urgency_order():
    ix = urgent_and_late()
    ranked = overdue_first(list(reversed(ix.open_items(Policy()))))
    assert [(e.id, e.overdue) for e in ranked] == [
        ("2021-03-01-a#1", True),
        ("2025-11-01-b#1", True),
        ("2021-03-01-a#2", False),
        ("2025-11-01-b#2", False),
    ]  # stable: each group keeps the order it was given
    assert OVERDUE_FIRST.startswith("overdue first, then by priority")


def test_owners_rank_by_overdue_then_open_then_name_ignoring_case():
    ix = urgent_and_late()
    assert owners_by_overdue(ix.action_items) == [
        OwnerLoad("team-b", 2, 1, date(2021, 3, 31)),  # one overdue, two open
        OwnerLoad("Team-a", 1, 1, date(2025, 11, 17)),
        OwnerLoad("team-c", 1, 0, None),  # a done item counts for nothing
    ]
    assert owners_by_overdue([]) == []


def test_services_rank_by_impact_then_incidents_and_those_without_incidents_last():
    a = incident("2024-01-10-a", "2024-01-10", services=["checkout"])  # 65 minutes each
    b = incident("2024-02-10-b", "2024-02-10", services=["checkout", "payments"])
    c = dataclasses.replace(
        incident("2024-03-10-c", "2024-03-10", services=["payments"]), mitigated=None, resolved=None
    )
    ranked = services_by_impact(indexes_of(a, b, c).services)
    assert [(s.name, s.impact_minutes, len(s.postmortems)) for s in ranked] == [
        ("checkout", 130, 2),
        ("payments", 65, 2),
        ("platform", 0, 0),
    ]


# --- services, facets, backlinks, similar ------------------------------------------------------------------------


def test_services_facets_and_backlinks():
    a = incident("2024-01-10-a", "2024-01-10", services=["checkout", "payments"], tags=("db", "sale"))
    b = incident("2025-02-10-b", "2025-02-10", services=["payments"], severity="SEV1", related=("2024-01-10-a",))
    c = incident("2025-03-10-c", "2025-03-10", related=("2024-01-10-a", "2025-02-10-b"), tags=("db",))
    ix = indexes_of(a, b, c)
    ids = lambda pms: [pm.id for pm in pms]  # noqa: E731
    assert {k: {v: ids(pms) for v, pms in values.items()} for k, values in ix.facets.items()} == {
        "severity": {"SEV1": ["2025-02-10-b"], "SEV2": ["2025-03-10-c", "2024-01-10-a"]},
        "status": {"published": ["2025-03-10-c", "2025-02-10-b", "2024-01-10-a"]},
        "category": {},
        "service": {"checkout": ["2025-03-10-c", "2024-01-10-a"], "payments": ["2025-02-10-b", "2024-01-10-a"]},
        "year": {"2025": ["2025-03-10-c", "2025-02-10-b"], "2024": ["2024-01-10-a"]},
        "tag": {"db": ["2025-03-10-c", "2024-01-10-a"], "sale": ["2024-01-10-a"]},
    }
    assert {k: ids(v) for k, v in ix.backlinks.items()} == {
        "2024-01-10-a": ["2025-03-10-c", "2025-02-10-b"],
        "2025-02-10-b": ["2025-03-10-c"],
    }
    checkout = next(s for s in ix.services if s.name == "checkout")
    assert ids(checkout.postmortems) == ["2025-03-10-c", "2024-01-10-a"]
    assert checkout.impact_minutes == 2 * 65  # started to mitigated, per incident
    assert checkout.time_to_detect.median == 5 and checkout.time_to_resolve.median == 180
    assert [s.name for s in ix.services] == ["checkout", "payments", "platform"]  # catalog order, unused kept


def test_similar_incidents_are_those_that_say_the_same_things_capped():
    def said(pm_id: str, title: str) -> Postmortem:
        return dataclasses.replace(incident(pm_id, pm_id[:10]), title=title)

    cert = [said(f"2024-0{n}-01-cert", f"Expired TLS certificate on the gateway ({n})") for n in range(1, 9)]
    disk = said("2024-09-01-disk", "Disk full on the database replica")
    ix = indexes_of(*cert, disk)
    assert [found.id for found in ix.similar["2024-01-01-cert"]] == [pm.id for pm in cert[1:6]]  # TOP_K, by ID
    assert all("certificate" in found.shared_words for found in ix.similar["2024-01-01-cert"])
    assert all(found.id != "2024-09-01-disk" for similar in ix.similar.values() for found in similar)


def test_quarters_and_months_include_quiet_ones():
    assert recent_quarters(at("2023-11-30"), at("2024-07-01"), 8) == ["2024-Q3", "2024-Q2", "2024-Q1", "2023-Q4"]
    assert recent_quarters(at("0999-11-30"), at("1000-01-01"), 8) == ["1000-Q1", "0999-Q4"]  # sorts as it reads
    assert month_range("2023-11", "2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]
    pms = [
        incident("2024-01-10-a", "2024-01-10", severity="SEV1"),
        incident("2024-03-02-b", "2024-03-02"),
        incident("2024-03-05-c", "2024-03-05"),
    ]
    months, series = monthly_counts(pms, ("SEV1", "SEV2", "SEV3"))
    assert months == ["2024-01", "2024-02", "2024-03"]
    assert series == [("SEV1", [1, 0, 0]), ("SEV2", [0, 0, 2])]  # severities with no incident are left out
    ix = indexes_of(*pms, incident("2024-02-01-d", "2024-02-01", causes=[("c", "causal", "capacity", "")]))
    assert ix.quarters == ["2024-Q1"] and ix.quarterly["capacity"] == [1] and ix.quarterly["process"] == [0]


def test_percentiles_interpolate_and_missing_timestamps_are_counted():
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([1, 2, 3, 4], 0.9) == pytest.approx(3.7)
    assert percentile([7], 0.9) == 7
    sample = distribution([30, None, 10, 20, None])
    assert (sample.values, sample.missing, sample.median, sample.is_small) == ((10, 20, 30), 2, 20, True)
    no_detect = incident("2024-01-10-a", "2024-01-10")
    no_detect = Postmortem(**{**no_detect.__dict__, "detected": None})
    [(label, detect), *_] = response_times([no_detect, incident("2024-01-11-b", "2024-01-11")])
    assert (label, detect.count, detect.missing, detect.median) == ("Time to detect", 1, 1, 5)


# --- exports -----------------------------------------------------------------------------------------------------


def test_csv_export_guards_against_spreadsheet_formulas_and_round_trips():
    hostile = incident(
        "2024-01-10-a",
        "2024-01-10",
        items=[{"title": '=HYPERLINK("http://evil")', "owner": "@ops", "done_when": '-1 errors, "quoted", a,b'}],
    )
    ix = indexes_of(hostile)
    rows = list(csv.DictReader(io.StringIO(as_text(write_action_items_csv, ix, lambda pm_id: f"postmortems/{pm_id}/"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil")' and rows[0]["owner"] == "'@ops"
    assert rows[0]["done_when"] == '\'-1 errors, "quoted", a,b'
    assert rows[0]["url"] == "postmortems/2024-01-10-a/#ai-2024-01-10-a-1" and rows[0]["overdue"] == "false"


def test_json_exports_carry_every_postmortem_and_item():
    a = incident(
        "2024-01-10-a",
        "2024-01-10",
        causes=[("c", "causal", "capacity", "payments")],
        items=[{"addresses": ("c",)}, {"status": "done", "closed": date(2024, 2, 1)}],
    )
    b = incident("2024-02-10-b", "2024-02-10", related=("2024-01-10-a",))
    ix = indexes_of(a, b)
    kb = json.loads(as_text(write_knowledge_base_json, ix, lambda pm_id: f"postmortems/{pm_id}/", TODAY))
    assert (kb["version"], kb["as_of"]) == (1, "2026-11-22")
    assert [pm["id"] for pm in kb["postmortems"]] == ["2024-02-10-b", "2024-01-10-a"]
    first = kb["postmortems"][1]
    assert first["minutes"] == {"to_detect": 5.0, "to_mitigate": 65.0, "to_resolve": 180.0, "impact": 65.0}
    assert first["root_causes"][0]["service"] == "payments" and first["referenced_by"] == ["2024-02-10-b"]
    assert [item["id"] for item in first["action_items"]] == ["2024-01-10-a#1", "2024-01-10-a#2"]
    assert first["action_items"][1]["closed"] == "2024-02-01" and first["started"] == "2024-01-10T10:00:00Z"
    items = json.loads(as_text(write_action_items_json, ix, lambda pm_id: f"postmortems/{pm_id}/", TODAY))[
        "action_items"
    ]
    assert [item["id"] for item in items] == ["2024-01-10-a#1", "2024-01-10-a#2"]


def test_site_map_gives_each_value_its_own_page():
    site = SiteMap("postmortems")
    assert site.facet("tag", "C++") == "postmortems/tag/c.md"
    assert site.facet("tag", "c") == "postmortems/tag/c-2.md"
    assert site.facet("tag", "C++") == "postmortems/tag/c.md"  # stable on a second call
    assert site.facet("tag", "index") == "postmortems/tag/index-2.md"  # never the folder's own index
    assert site.service("Orders DB") == "services/orders-db.md"


# --- the example, against an independent count of its front matter ---------------------------------------------


def example():
    import mkdocs.config

    config = mkdocs.config.load_config(str(ROOT / "mkdocs.yml"))
    policy = policy_from_options(config.plugins["postmortems"].config)
    kb = load_knowledge_base(ROOT / "postmortems", policy, today=TODAY, base=ROOT)
    raw = {}
    for path in sorted((ROOT / "postmortems").glob("*.md")):
        values = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        if values["status"] != "draft":
            raw[path.stem] = values
    return kb, build_indexes(kb.published(), policy, kb.today), raw


def test_example_indexes_agree_with_an_independent_count():
    _kb, ix, raw = example()
    causes = Counter((rc["category"], rc["kind"]) for v in raw.values() for rc in v.get("root_causes", []))
    assert {
        (c.name, kind): len(entries) for c in ix.categories for kind, entries in c.by_kind.items() if entries
    } == causes
    items = [(pm_id, n, ai) for pm_id, v in raw.items() for n, ai in enumerate(v.get("action_items", []), 1)]
    assert sorted(e.id for e in ix.action_items) == sorted(f"{pm_id}#{n}" for pm_id, n, _ in items)
    overdue = {
        f"{pm_id}#{n}" for pm_id, n, ai in items if ai["status"] in ("open", "in-progress") and ai["due"] < TODAY
    }
    assert {e.id for e in ix.action_items if e.overdue} == overdue and overdue
    by_service = Counter(s for v in raw.values() for s in v["services"])
    assert {s.name: len(s.postmortems) for s in ix.services} == dict(by_service)
    assert {v: len(pms) for v, pms in ix.facets["severity"].items()} == dict(
        Counter(v["severity"] for v in raw.values() if "severity" in v)
    )
    pairs = Counter()
    for v in raw.values():
        pairs.update(
            {
                (rc.get("service"), rc["category"]) if rc.get("service") else (s, rc["category"])
                for rc in v.get("root_causes", [])
                for s in ([rc["service"]] if rc.get("service") else v["services"])
            }
        )
    assert {(r.service, r.category): len(r.postmortems) for r in ix.recurring} == {
        k: n for k, n in pairs.items() if n > 1
    }
    # The story the example tells: the ingress config change on platform-k8s recurred after its fix.
    assert (
        "2026-06-23-ingress-forwarded-headers-rate-limit",
        "2025-09-10-notification-email-backlog",
        "platform-k8s",
        "config-change",
    ) in {(r.later.id, r.earlier.id, r.service, r.category) for r in ix.recurred_after_fix}

"""`cli/reporting.py`: `postmortems report` for a quarter, a month, a year and `--from/--to`, each against the period
before it. Every figure is checked against an oracle written here from the raw YAML of the files (PyYAML and the
standard library's `statistics`), never from the package's own functions."""

from __future__ import annotations

import json
import statistics
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from site_support import body, make_site, run_cli

TODAY = "2026-12-15"
SERVICES = [
    {"name": "checkout", "component": "Checkout"},
    {"name": "payments", "component": "Payments"},
    {"name": "search", "component": "Product search"},
    {"name": "ledger", "regulated": True},
]
TARGETS = {"Checkout": 99.9, "Payments": 99.99}
SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
CUSTOMERS_FOR = ("SEV1", "SEV2")
WEIGHT = {"minor": 0.0, "major": 0.3, "critical": 1.0}  # the published uptime rule


def item(title, owner, due, status="open", closed=None, addresses=()):
    found = {"title": title, "owner": owner, "priority": "P2", "due": due, "status": status}
    if closed:
        found["closed"] = closed
    if addresses:
        found["addresses"] = list(addresses)
    return found


def cause(cause_id, category, service=None):
    found = {"id": cause_id, "kind": "causal", "category": category, "summary": f"The {category} cause, written out."}
    if service:
        found["service"] = service
    return found


def record(day, *, services, severity="SEV2", times=(0, 5, 65, 180), causes=(), items=(), **more):
    """A published incident that started at 09:58 UTC on `day`; `times`: minutes from the start to each of started,
    detected, mitigated and resolved (None leaves the field out)."""
    start = datetime.fromisoformat(f"{day}T09:58:00+00:00")
    values = {
        "title": f"Incident of {day}",
        "status": "published",
        "severity": severity,
        "services": list(services),
        "authors": ["alice"],
        "reviewers": ["bob"],
    }
    for name, offset in zip(("started", "detected", "mitigated", "resolved"), times, strict=True):
        if offset is not None:
            values[name] = (start + timedelta(minutes=offset)).strftime("%Y-%m-%dT%H:%M:%SZ")
    values["impact"] = {"summary": "Customers could not finish their orders for a while."}
    values["root_causes"] = list(causes) or [cause("other", "software-bug")]
    values["action_items"] = list(items)
    values.update(more)
    return values


FILES = {
    "2025-08-01-search.md": record(
        "2025-08-01",
        services=["search"],
        severity="SEV3",
        times=(0, 20, 50, 70),
        causes=[cause("cfg", "config-change")],
    ),
    "2025-11-10-checkout.md": record(
        "2025-11-10",
        services=["checkout"],
        causes=[cause("pool", "capacity")],
        items=[
            item("Size the pool", "team-a", "2025-12-05", "done", "2025-12-01", ["pool"]),
            item("Load-test the pool", "team-a", "2026-01-15"),
        ],
    ),
    "2026-05-05-outage.md": record(
        "2026-05-05",
        services=["checkout", "payments"],
        severity="SEV1",
        times=(0, 5, 144, 180),
        causes=[cause("pool", "capacity", "checkout"), cause("retry", "software-bug")],
        items=[
            item("Autoscale the pool", "team-a", "2026-07-30", "done", "2026-07-10", ["pool"]),
            item("Drop the retry storm", "team-b", "2026-06-10", "wont-do", "2026-06-01", ["retry"]),
            item("Alert on pool saturation", "team-b", "2026-06-20"),
        ],
        communications=[{"audience": "customers", "channel": "email", "at": "2026-05-05T10:30:00Z"}],
        public={
            "title": "Orders failing",
            "summary": "Orders failed for a while.",
            "components": ["Checkout", "Payments"],
            "impact": "critical",
        },
    ),
    "2026-07-20-payments.md": record(
        "2026-07-20",
        services=["payments", "ledger"],
        times=(0, 12, 40, 90),
        causes=[cause("psp", "dependency")],
        items=[
            item("Fail over to the second provider", "team-b", "2026-08-01"),
            item("Page on provider errors", "team-b", "2026-09-01", "done", "2026-08-15"),
        ],
        public={
            "title": "Payments failing",
            "summary": "Some card payments failed.",
            "components": ["Payments"],
            "impact": "major",
        },
    ),
    "2026-07-05-search.md": record(
        "2026-07-05",
        services=["search"],
        severity="SEV4",
        times=(0, None, None, 30),
        causes=[cause("cfg", "config-change")],
        detected="2026-07-05",  # known to the day only: no time to detect
    ),
    "2026-08-03-search.md": record(
        "2026-08-03",
        services=["search"],
        severity="SEV3",
        times=(0, 15, None, 240),
        causes=[cause("cfg", "config-change")],
        items=[item("Validate the config", "team-a", "2026-12-31")],
    ),
    "2026-08-12-draft.md": {
        **record("2026-08-12", services=["checkout"], severity="SEV1", causes=[cause("pool", "capacity")]),
        "status": "draft",
    },
    "2026-08-20-maintenance.md": {
        "title": "Database upgrade",
        "kind": "maintenance",
        "status": "published",
        "services": ["checkout"],
        "authors": ["alice"],
        "reviewers": ["bob"],
        "started": "2026-08-20T23:00:00Z",
        "resolved": "2026-08-21T01:00:00Z",
        "action_items": [item("Write the upgrade runbook", "team-c", "2026-09-10", "done", "2026-09-05")],
    },
    "2026-09-28-checkout.md": record(
        "2026-09-28",
        services=["checkout"],
        times=(0, 3, 72, 100),
        causes=[cause("pool", "capacity")],
        items=[item("Shed load earlier", "team-c", "2026-10-15")],
        communications=[{"audience": "customers", "channel": "email", "at": "2026-09-28T10:30:00Z"}],
        public={
            "title": "Slow checkout",
            "summary": "Checkout was slow.",
            "components": ["Checkout"],
            "impact": "major",
        },
    ),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("reporting")
    texts = {
        name: "---\n" + yaml.safe_dump(values, sort_keys=False) + "---\n" + body() for name, values in FILES.items()
    }
    options = {
        "services": SERVICES,
        "status_page": {"targets": TARGETS},
        "rule_levels": {"action-item-overdue": "info", "communication-owed": "off"},
    }
    return make_site(root, texts, options)


def report(project: Path, *args: str) -> dict:
    result = run_cli("report", "-f", str(project), "--today", TODAY, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# The oracle: every figure from the raw YAML.


def raw_records(project: Path) -> dict[str, dict]:
    found = {}
    for path in sorted((project.parent / "postmortems").glob("*.md")):
        values = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        if values["status"] != "draft":  # what the site shows
            for action in values.get("action_items", ()):
                action.update({key: day(action[key]) for key in ("due", "closed") if key in action})
            found[path.stem] = values
    return found


def utc(value) -> datetime | None:
    """A time of the front matter, in UTC; None for a date alone (known to the day only) or nothing."""
    if isinstance(value, str) and "T" in value:
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value.astimezone(timezone.utc) if isinstance(value, datetime) else None


def day(value) -> date | None:
    """A date of the front matter (`due`, `closed`)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def day_of(values) -> date:
    return utc(values["started"]).date()


def in_period(values, start: date, end: date) -> bool:
    return start <= day_of(values) <= end


def quantile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=10 if fraction == 0.9 else 2, method="inclusive")
    return cuts[8] if fraction == 0.9 else cuts[0]


def open_on(action, day: date) -> bool:
    return action["status"] in ("open", "in-progress") or (action.get("closed") is not None and action["closed"] > day)


def oracle(project: Path, start: date, end: date, today: date) -> dict:
    records = raw_records(project)
    mine = {pm_id: v for pm_id, v in records.items() if in_period(v, start, end)}
    incidents = {pm_id: v for pm_id, v in mine.items() if v.get("kind", "incident") == "incident"}
    severities, services = {}, {}
    for values in incidents.values():
        severities[values["severity"]] = severities.get(values["severity"], 0) + 1
        for service in values["services"]:
            services[service] = services.get(service, 0) + 1
    response = {}
    for measure, field in (
        ("time_to_detect", "detected"),
        ("time_to_mitigate", "mitigated"),
        ("time_to_resolve", "resolved"),
    ):
        values = sorted(
            (utc(v[field]) - utc(v["started"])).total_seconds() / 60
            for v in incidents.values()
            if utc(v.get(field)) is not None
        )
        response[measure] = {
            "count": len(values),
            "missing": len(incidents) - len(values),
            "median_minutes": quantile(values, 0.5),
            "p90_minutes": quantile(values, 0.9),
        }
    judged = min(end, today)
    every = [(pm_id, v, a) for pm_id, v in records.items() for a in v.get("action_items", [])]
    opened = [(pm_id, a) for pm_id, v, a in every if pm_id in mine]
    owners: dict[str, dict] = {}
    for _, action in opened:
        row = owners.setdefault(action["owner"], {"opened": 0, "done": 0, "wont_do": 0, "open": 0, "overdue": 0})
        row["opened"] += 1
        if open_on(action, judged):
            row["open"] += 1
            row["overdue"] += action["due"] < judged
        else:
            row["done" if action["status"] == "done" else "wont_do"] += 1
    # A recurring cause: (service, category) of an incident of the period, in two or more incidents up to its end.
    pairs: dict[tuple[str, str], list[str]] = {}
    for pm_id, values in sorted(records.items(), key=lambda kv: kv[1]["started"]):
        if values.get("kind", "incident") == "incident" and day_of(values) <= end:
            for c in values["root_causes"]:
                for service in [c["service"]] if c.get("service") else values["services"]:
                    pairs.setdefault((service, c["category"]), []).append(pm_id)
    recurring = {
        (service, category): ([pm for pm in ids if pm in incidents], len(ids))
        for (service, category), ids in pairs.items()
        if len(ids) >= 2 and any(pm in incidents for pm in ids)
    }
    # A fix that did not hold: the latest done item addressing the pair, closed before the incident's day.
    fixes = set()
    for pm_id, values in incidents.items():
        for c in values["root_causes"]:
            for service in [c["service"]] if c.get("service") else values["services"]:
                done = [
                    (a["closed"], other)
                    for other, v, a in every
                    if a["status"] == "done"
                    and a.get("closed")
                    and a["closed"] < day_of(values)
                    and utc(v["started"]) < utc(values["started"])
                    and any(
                        x["id"] in a.get("addresses", ())
                        and x["category"] == c["category"]
                        and service in ([x["service"]] if x.get("service") else v["services"])
                        for x in v.get("root_causes", ())
                    )
                ]
                if done:
                    fixes.add((pm_id, service, c["category"], max(done)[1]))
    owed = set()
    for pm_id, values in mine.items():
        told = {c["audience"] for c in values.get("communications", [])}
        if values.get("public") and values.get("severity") in CUSTOMERS_FOR and "customers" not in told:
            owed.add((pm_id, "customers"))
        if "ledger" in values["services"] and "regulators" not in told:
            owed.add((pm_id, "regulators"))

    def availability(component: str) -> float | None:
        last = min(end, today)
        days = (last - start).days + 1
        down = 0.0
        for values in records.values():
            public = values.get("public") or {}
            if component in public.get("components", ()) and values.get("kind", "incident") == "incident":
                began, ended = utc(values["started"]), utc(values["mitigated"])
                if start <= began.date() <= last:  # no incident of the fixture crosses midnight
                    down += WEIGHT[public["impact"]] * (ended - began).total_seconds() / 60
        return 100 - 100 * down / (1440 * days)

    return {
        "total": len(incidents),
        "ids": sorted(incidents),
        "by_severity": severities,
        "by_service": services,
        "response": response,
        "opened": len(opened),
        "closed_done": sum(
            1 for _, _, a in every if a.get("closed") and start <= a["closed"] <= end and a["status"] == "done"
        ),
        "closed_wont_do": sum(
            1 for _, _, a in every if a.get("closed") and start <= a["closed"] <= end and a["status"] == "wont-do"
        ),
        "overdue": sum(1 for pm_id, v, a in every if day_of(v) <= judged and open_on(a, judged) and a["due"] < judged),
        "owners": owners,
        "recurring": recurring,
        "fixes": fixes,
        "owed": owed,
        "availability": {name: availability(name) for name in ("Checkout", "Payments", "Product search")},
    }


def figures_of(data: dict, side: str) -> dict:
    """The report's figures for `side` (`period` or `previous`), in the oracle's shape."""
    incidents, items = data["incidents"], data["action_items"]
    found = {
        "total": incidents["total"][side],
        "ids": sorted(incidents["ids"][side]),
        "by_severity": {row["severity"]: row[side] for row in incidents["by_severity"] if row[side]},
        "by_service": {row["service"]: row[side] for row in incidents["by_service"] if row[side]},
        "response": {row["measure"]: row[side] for row in data["response_times"]},
        "opened": items["opened"][side],
        "closed_done": items["closed_done"][side],
        "closed_wont_do": items["closed_wont_do"][side],
        "overdue": items["overdue"][side],
    }
    return found


def approx_response(response: dict) -> dict:
    return {
        measure: {key: pytest.approx(value) if isinstance(value, float) else value for key, value in sample.items()}
        for measure, sample in response.items()
    }


PERIODS = [
    (("--period", "2026-Q3"), (date(2026, 7, 1), date(2026, 9, 30)), (date(2026, 4, 1), date(2026, 6, 30))),
    (("--period", "2026-08"), (date(2026, 8, 1), date(2026, 8, 31)), (date(2026, 7, 1), date(2026, 7, 31))),
    (("--period", "2026"), (date(2026, 1, 1), date(2026, 12, 31)), (date(2025, 1, 1), date(2025, 12, 31))),
    (
        ("--from", "2026-06-15", "--to", "2026-08-31"),
        (date(2026, 6, 15), date(2026, 8, 31)),
        (date(2026, 3, 29), date(2026, 6, 14)),
    ),
]


@pytest.mark.parametrize("args,period,previous", PERIODS, ids=["quarter", "month", "year", "from-to"])
def test_every_figure_is_what_the_front_matter_says(project, args, period, previous):
    data = report(project, *args)
    today = date.fromisoformat(TODAY)
    assert (data["period"]["start"], data["period"]["end"]) == (period[0].isoformat(), period[1].isoformat())
    assert (data["previous"]["start"], data["previous"]["end"]) == (previous[0].isoformat(), previous[1].isoformat())
    for side, (start, end) in (("period", period), ("previous", previous)):
        expected = oracle(project, start, end, today)
        found = figures_of(data, side)
        response = expected.pop("response")
        assert found.pop("response") == approx_response(response), side
        assert found == {key: expected[key] for key in found}, side
        availability = {row["component"]: row[f"{side}_percent"] for row in data["availability"]}
        assert availability == {name: pytest.approx(value) for name, value in expected["availability"].items()}, side
    expected = oracle(project, *period, today)
    assert {
        row["owner"]: {key: row[key] for key in ("opened", "done", "wont_do", "open", "overdue")}
        for row in data["action_items"]["by_owner"]
    } == expected["owners"]
    assert {
        (row["service"], row["category"]): ([pm["id"] for pm in row["in_period"]][::-1], row["up_to_the_end"])
        for row in data["recurring_causes"]
    } == expected["recurring"]
    assert {
        (row["incident"]["id"], row["service"], row["category"], row["earlier"]["id"])
        for row in data["fixes_that_did_not_hold"]
    } == expected["fixes"]
    assert {(row["incident"]["id"], row["audience"]) for row in data["communications_owed"]} == expected["owed"]


def test_the_fixture_has_something_in_every_section(project):
    """The quarter under test is no empty one: each section has rows to compare, and no file has an error (one
    would keep its incident off the status site, and out of the availability)."""
    assert run_cli("check", "-f", str(project), "--today", TODAY).exit_code == 0
    data = report(project, "--period", "2026-Q3")
    assert data["incidents"]["total"] == {"period": 4, "previous": 1}
    assert data["recurring_causes"] and data["fixes_that_did_not_hold"] and data["communications_owed"]
    assert data["action_items"]["overdue"]["period"] and data["action_items"]["closed_wont_do"]["previous"] == 1
    met = {row["component"]: row["met"] for row in data["availability"]}
    assert met == {"Checkout": True, "Payments": True, "Product search": None}
    assert report(project, "--period", "2026-Q2")["availability"][0] == {
        "component": "Checkout",
        "target_percent": 99.9,
        "period_percent": pytest.approx(100 - 100 * 144 / (1440 * 91)),
        "previous_percent": 100.0,
        "met": False,  # 99.89%: 144 minutes down in 91 days misses 99.9%
    }


def test_the_json_has_one_shape(project):
    data = report(project, "--period", "2026-Q3")
    assert list(data) == [
        "period",
        "previous",
        "made_on",
        "incidents",
        "response_times",
        "recurring_causes",
        "action_items",
        "fixes_that_did_not_hold",
        "communications_owed",
        "availability",
        "definitions",
    ]
    assert data["period"] == {"label": "2026-Q3", "kind": "quarter", "start": "2026-07-01", "end": "2026-09-30"}
    assert data["previous"]["label"] == "2026-Q2" and data["made_on"] == TODAY
    assert list(data["incidents"]) == ["total", "ids", "by_severity", "by_service"]
    assert [row["measure"] for row in data["response_times"]] == [
        "time_to_detect",
        "time_to_mitigate",
        "time_to_resolve",
    ]
    assert set(data["response_times"][0]["period"]) == {"count", "missing", "median_minutes", "p90_minutes"}
    assert list(data["action_items"]) == [
        "judged_on",
        "opened",
        "closed_done",
        "closed_wont_do",
        "overdue",
        "overdue_ids",
        "by_owner",
    ]
    assert data["action_items"]["judged_on"] == {"period": "2026-09-30", "previous": "2026-06-30"}
    assert set(data["definitions"]) == {
        "incidents",
        "response",
        "recurring",
        "action_items",
        "owners",
        "fixes",
        "communications",
        "availability",
    }
    assert all(text.endswith(".") for text in data["definitions"].values())


def test_a_period_not_over_is_judged_on_the_day_of_the_report(project):
    data = report(project, "--period", "2026-Q4")
    assert data["action_items"]["judged_on"] == {"period": TODAY, "previous": "2026-09-30"}
    assert "open on 2026-12-15" in data["definitions"]["action_items"]


def test_markdown_states_every_definition_in_a_footnote(project):
    result = run_cli("report", "-f", str(project), "--today", TODAY, "--period", "2026-Q3")
    assert result.exit_code == 0, result.output
    text = result.stdout
    for key in report(project, "--period", "2026-Q3")["definitions"]:
        assert f"[^{key}]" in text.split("\n[^")[0], key  # referenced in the body
        assert f"\n[^{key}]: " in text, key  # and defined
    for heading in (
        "## Incidents by severity",
        "## Incidents by service",
        "## Time to detect, mitigate and resolve",
        "## Recurring causes",
        "## Action items",
        "### Completion by owner",
        "## Fixes that did not hold",
        "## Communications owed",
        "## Availability",
    ):
        assert f"\n{heading}\n" in text


@pytest.mark.parametrize(
    "args,message",
    [
        ((), "give --period, or --from and --to"),
        (("--period", "2026-Q3", "--from", "2026-01-01"), "give --period, or --from and --to"),
        (("--from", "2026-01-01"), "give both --from and --to"),
        (("--period", "2026-Q5"), "`2026-Q5` is no period"),
        (("--period", "2026-13"), "`2026-13` is no period"),
        (("--from", "2026-02-01", "--to", "2026-01-01"), "the period ends (2026-01-01) before it starts (2026-02-01)"),
        (("--from", "2026-02-30", "--to", "2026-03-01"), "`2026-02-30` is not a date"),
    ],
)
def test_a_period_that_is_none_is_a_usage_error(project, args, message):
    result = run_cli("report", "-f", str(project), *args)
    assert result.exit_code == 2 and message in result.output

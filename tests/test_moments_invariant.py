"""One truth about time and state (`moments.py`), checked as an invariant over the built sites: for every lifecycle
state × kind (an incident; a maintenance before, during and after its window, or open) × source of its times (the
timeline fields, public updates, status-page posts, a post that says it is resolved, none), no output contradicts
another about whether it is over, when it ended for customers, or what state it is in.

The outputs: the postmortem's page header, the dashboard and the status preview of the internal site, the explorer's
`index.json`; the status page, the incident page, the history, the Atom feed, the Statuspage API and the maintenance
calendar of the public site. Both sites are built once, from the same records, at one `SOURCE_DATE_EPOCH`.

What each record is, is computed here from the promise in docs/writing.md, independently of the code:

- an incident is over once resolved (at a time or not), once a `resolved` update or post was said, or once its
  lifecycle is `draft`, `in-review` or `published`; it ended for customers at the last resolved update, else at
  `mitigated`, else at `resolved`, else at a time nobody knows;
- a maintenance is scheduled before its window, in progress within it (and while it has no end), completed after.
"""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from mkdocs_postmortems.knowledge import postmortem_from_source
from mkdocs_postmortems.model import public_fingerprint
from mkdocs_postmortems.parsing.frontmatter import source_from_bytes
from mkdocs_postmortems.policy import Policy, Service
from mkdocs_postmortems.status_site.public import public_code
from site_support import build_site, make_site, postmortem, run_cli

UTC = timezone.utc
BUILT = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)  # the build's clock (`SOURCE_DATE_EPOCH`)
POLICY = Policy(services=(Service("checkout", component="Checkout"),))
LIFECYCLES = ("ongoing", "draft", "in-review", "published", "imported")
SOURCES = ("timeline", "updates", "posts", "told", "none")  # what says when an incident ended
WINDOWS = {  # a maintenance's window against BUILT; "today" starts after midnight: every page judges at BUILT
    "before": (datetime(2026, 12, 10, 23, 0, tzinfo=UTC), datetime(2026, 12, 11, 1, 0, tzinfo=UTC)),
    "during": (datetime(2026, 12, 6, 20, 0, tzinfo=UTC), datetime(2026, 12, 8, 4, 0, tzinfo=UTC)),
    "today": (datetime(2026, 12, 7, 6, 0, tzinfo=UTC), datetime(2026, 12, 7, 18, 0, tzinfo=UTC)),
    "after": (datetime(2026, 12, 1, 1, 0, tzinfo=UTC), datetime(2026, 12, 1, 3, 0, tzinfo=UTC)),
    "open": (datetime(2026, 12, 6, 20, 0, tzinfo=UTC), None),
}
UNKNOWN = "unknown"  # over, at a time nobody knows


@dataclass(frozen=True)
class Case:
    number: int
    lifecycle: str
    kind: str
    source: str  # an incident's source of times, or a maintenance's window

    @property
    def pm_id(self) -> str:
        return f"{self.started:%Y-%m-%d}-case-{self.number:03d}"

    @property
    def code(self) -> str:
        return public_code(self.pm_id)

    @property
    def started(self) -> datetime:
        if self.kind == "maintenance":
            return WINDOWS[self.source][0]
        if self.lifecycle in ("ongoing", "imported") and self.source == "none":
            return BUILT - timedelta(hours=2, minutes=10)  # live today
        return datetime(2026, 11, 1 + self.number % 28, 9, 0, tzinfo=UTC)

    def at(self, minutes: int) -> datetime:
        return self.started + timedelta(minutes=minutes)

    def expected(self) -> tuple[str, datetime | str | None]:
        """(phase, when it ended for customers: a time, `UNKNOWN`, or None while it has not), by the promise."""
        if self.kind == "maintenance":
            start, end = WINDOWS[self.source]
            if start > BUILT:
                return "scheduled", end
            return ("completed", end) if end is not None and end <= BUILT else ("in_progress", end)
        ended = {"timeline": self.at(79), "updates": self.at(90), "posts": self.at(88), "told": self.at(88)}
        if self.source in ended:
            return "resolved", ended[self.source]
        return ("ongoing", None) if self.lifecycle in ("ongoing", "imported") else ("resolved", UNKNOWN)


CASES = [
    Case(number, lifecycle, kind, source)
    for number, (lifecycle, kind, source) in enumerate(
        [(lifecycle, "incident", source) for lifecycle, source in itertools.product(LIFECYCLES, SOURCES)]
        + [(lifecycle, "maintenance", window) for lifecycle, window in itertools.product(LIFECYCLES, WINDOWS)]
    )
]


def _z(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _post(moment: datetime, text: str, status: str = "") -> dict:
    found = {"audience": "customers", "channel": "status-page", "at": _z(moment), "summary": text}
    return {**found, "status": status} if status else found


def _record(case: Case) -> str:
    """The case's postmortem, as its author would write it."""
    values: dict = {
        "title": f"Case {case.number}",
        "status": "imported" if case.lifecycle == "imported" else case.lifecycle,
        "started": _z(case.started),
        "detected": None,
        "mitigated": None,
        "resolved": None,
        "public": {"title": f"Public case {case.number}", "summary": "Checkout was slow.", "components": ["Checkout"]},
    }
    if case.kind == "maintenance":
        start, end = WINDOWS[case.source]
        values.update(kind="maintenance", severity=None, root_causes=None, action_items=None)
        values["resolved"] = _z(end) if end is not None else None
        values["communications"] = [_post(start - timedelta(days=3), "Planned work on checkout.", "scheduled")]
    elif case.source == "timeline":
        values.update(mitigated=_z(case.at(79)), resolved=_z(case.at(298)))
    elif case.source == "updates":
        values["public"]["updates"] = [
            {"status": "investigating", "at": _z(case.at(15)), "body": "Checkout is slow."},
            {"status": "resolved", "at": _z(case.at(90)), "body": "Checkout is back to normal."},
        ]
    elif case.source == "posts":  # the last post is resolved by the timeline, which has a resolution
        values.update(mitigated=_z(case.at(79)), resolved=_z(case.at(298)))
        values["communications"] = [_post(case.at(18), "Checkout is slow."), _post(case.at(88), "Recovered.")]
    elif case.source == "told":  # the post says so; the timeline has no resolution yet
        values.update(mitigated=_z(case.at(79)))
        values["communications"] = [
            _post(case.at(18), "Checkout is slow.", "investigating"),
            _post(case.at(88), "Recovered.", "resolved"),
        ]
    text = postmortem(case.pm_id, "## Summary\n\nWhat happened.\n", **values)
    return _as_imported(text, case) if case.lifecycle == "imported" else text


def _as_imported(text: str, case: Case) -> str:
    """`text` with the provenance of an import whose text was public already and is unchanged since."""
    path = case.pm_id + ".md"
    pm, _ = postmortem_from_source(source_from_bytes(text.encode(), path), case.pm_id, path, POLICY)
    provenance = {
        "format": "statuspage",
        "source": "incidents.json",
        "original_id": f"i{case.number}",
        "imported_on": "2026-11-22",
        "already_public": True,
        "public_hash": public_fingerprint(pm),
    }
    fence = text.index("\n---\n") + 1
    return text[:fence] + yaml.safe_dump({"provenance": provenance}, sort_keys=False) + text[fence:]


@dataclass(frozen=True)
class Built:
    internal: Path
    public: Path
    errors: set[str]
    public_ids: set[str]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    """The internal and the public site of every case, built at BUILT."""
    records = {f"{case.pm_id}.md": _record(case) for case in CASES}
    options = {"services": [{"name": "checkout", "component": "Checkout"}], "include_drafts": True}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(BUILT.timestamp())))
        root = tmp_path_factory.mktemp("moments-internal")
        internal = make_site(root, records, options, docs={"index.md": "# Home\n\n<!-- postmortems:dashboard -->\n"})
        public_root = tmp_path_factory.mktemp("moments-public")
        public = make_site(
            public_root,
            records,
            {**options, "status_page": {"public_site": True, "history_page_size": 500}},
            {"site_dir": "site-public"},
        )
        internal_site = build_site(internal)
        public_site = build_site(public).parent / "site-public"
        check = run_cli("check", "-f", str(internal), "--format", "json")
    errors = {Path(d["path"]).stem for d in json.loads(check.output)["diagnostics"] if d["level"] == "error"}
    listed = json.loads((public_site / "api/v2/incidents.json").read_text(encoding="utf-8"))["incidents"]
    planned = json.loads((public_site / "api/v2/scheduled-maintenances.json").read_text(encoding="utf-8"))
    codes = {entry["id"] for entry in listed + planned["scheduled_maintenances"]}
    return Built(internal_site, public_site, errors, {case.pm_id for case in CASES if case.code in codes})


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _between(html: str, start: str, end: str) -> str:
    """The markup from `start` to the next `end` after it, or "" without `start`."""
    at = html.find(start)
    return "" if at < 0 else html[at : html.index(end, at)]


def _iso(moment: datetime) -> str:
    return _z(moment)


def _goes_public(case: Case) -> bool:
    """Which records the status site shows (`said.disclosed`, tested in test_said_disclosure.py): a live or published
    record, an imported one as it was, a draft or review with status-page posts."""
    has_posts = case.kind == "maintenance" or case.source in ("posts", "told")
    return case.lifecycle in ("ongoing", "published", "imported") or has_posts


def test_the_premise_every_case_is_valid_and_public_as_disclosed(built):
    assert built.errors == set()
    assert built.public_ids == {case.pm_id for case in CASES if _goes_public(case)}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.lifecycle}-{c.kind}-{c.source}")
def test_the_postmortems_page_says_its_state_and_when_it_ended(built, case):
    html = _text(built.internal / "postmortems" / case.pm_id / "index.html")
    phase, ended = case.expected()
    found = re.search(r'class="pm-card__state" data-phase="([a-z_]+)"><dt>[^<]*</dt><dd>([^<]*)</dd>', html)
    assert found, "no state on the card"
    assert found.group(1) == phase
    summary = found.group(2)
    if phase == "ongoing":
        assert "not over" in summary and "customers affected until" not in summary
    elif case.kind == "incident":
        assert f"customers affected until {UNKNOWN if ended == UNKNOWN else _minute(ended)}" in summary
    else:
        assert summary.startswith(phase.replace("_", " ") + ":")
        assert ("not " in summary) == (phase != "completed")
    badge = re.search(r'title="Status[^"]*">([^<]+)<', html).group(1)
    assert badge == (phase.replace("_", " ") if case.lifecycle == "ongoing" else case.lifecycle)
    live = phase in ("ongoing", "scheduled", "in_progress")
    assert ("pm-review-banner" in html) == (not live and case.lifecycle in ("ongoing", "draft", "in-review"))
    assert "In review" not in _between(html, '<div class="pm-card"', "</div>\n") or not live


def _minute(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def test_the_dashboard_bannners_what_happens_now_and_awaits_no_review_of_it(built):
    html = _text(built.internal / "index.html")
    banner = dict(
        re.findall(
            r'<li data-pm-id="([^"]+)" data-phase="([a-z_]+)">', _between(html, "pm-dashboard__live", "</section>")
        )
    )
    waiting = set(re.findall(r'<li data-pm-id="([^"]+)">', _between(html, "pm-dashboard__waiting", "</ul>")))
    for case in CASES:
        phase, _ = case.expected()
        if phase in ("ongoing", "in_progress"):
            assert banner.get(case.pm_id) == phase, case
        else:
            assert case.pm_id not in banner, case
        if phase in ("ongoing", "scheduled", "in_progress"):
            assert case.pm_id not in waiting, case


def _linked(html: str, target: str) -> set[str]:
    """The postmortem IDs or public codes `html` links to (`…/<target>/<id>/`)."""
    return set(re.findall(rf'href="[^"]*{target}/([^/"]+)/"', html))


@pytest.mark.parametrize("site", ["public", "preview"])
def test_the_status_page_lists_exactly_what_is_live(built, site):
    if site == "public":
        html, target, key = _text(built.public / "index.html"), "incidents", lambda case: case.code
    else:
        html, target, key = _text(built.internal / "status" / "index.html"), "postmortems", lambda case: case.pm_id
    unresolved = _linked(_between(html, "pm-status__unresolved", "</ul>"), target)
    active = _linked(_between(html, 'id="maintenance-in-progress"', "</ul>"), target)
    upcoming = _linked(_between(html, 'id="scheduled-maintenance"', "</ul>"), target)
    for case in CASES:
        if not _goes_public(case):
            continue
        phase, _ = case.expected()
        assert (key(case) in unresolved) == (phase == "ongoing"), case
        assert (key(case) in active) == (phase == "in_progress"), case
        assert (key(case) in upcoming) == (phase == "scheduled"), case


PUBLIC_CASES = [case for case in CASES if _goes_public(case)]


@pytest.mark.parametrize("case", PUBLIC_CASES, ids=lambda c: f"{c.lifecycle}-{c.kind}-{c.source}")
def test_the_incident_page_says_when_it_ended_for_customers(built, case):
    html = _text(built.public / "incidents" / case.code / "index.html")
    phase, ended = case.expected()
    if case.kind == "maintenance":
        label = re.search(r"<dt>Maintenance</dt><dd><span[^>]*>([^<]+)</span>", html).group(1)
        assert label == phase.replace("_", " ").capitalize()
        return
    facts = _between(html, "<dt>Resolved</dt>", "</div>")
    if phase == "ongoing":
        assert "Not yet resolved" in facts and "<time" not in facts
    elif ended == UNKNOWN:
        assert "time unknown" in facts
    else:
        assert f'datetime="{_iso(ended)}"' in facts
        assert "<dt>Duration</dt>" not in html or re.search(
            rf"<dt>Duration</dt><dd>{re.escape(_span(ended - case.started))}</dd>", html
        )


def _span(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def test_the_history_says_when_each_ended(built):
    html = _text(built.public / "history" / "index.html")
    rows = {
        code: row
        for row in html.split('<li class="pm-status__incident-row">')[1:]
        for code in _linked(row, "incidents")
    }
    for case in PUBLIC_CASES:
        phase, ended = case.expected()
        row = rows[case.code]
        if case.kind == "maintenance":
            end = WINDOWS[case.source][1]
            assert (f'datetime="{_iso(end)}"' in row) if end else "not yet resolved" in row, case
        elif phase == "ongoing":
            assert "not yet resolved" in row, case
        elif ended == UNKNOWN:
            assert "time unknown" in row, case
        else:
            assert f'datetime="{_iso(ended)}"' in row and "not yet resolved" not in row, case


def test_the_feed_says_whether_each_is_over(built):
    feed = ET.fromstring(_text(built.public / "history.atom"))
    atom = "{http://www.w3.org/2005/Atom}"
    contents = {
        entry.findtext(f"{atom}id").rsplit("/", 1)[1]: entry.findtext(f"{atom}content") or ""
        for entry in feed.iter(f"{atom}entry")
    }
    for case in PUBLIC_CASES:
        phase, ended = case.expected()
        window = _between(contents[case.code], "Window</strong>", "</p>")
        if case.kind == "incident":
            assert window.endswith("– ongoing") == (phase == "ongoing"), case
            if isinstance(ended, datetime):
                assert f"{ended:%H:%M} UTC" in window.split("–")[-1], case


def test_the_api_says_the_status_and_when_it_resolved(built):
    api = built.public / "api" / "v2"
    incidents = {i["id"]: i for i in json.loads(_text(api / "incidents.json"))["incidents"]}
    planned = {m["id"]: m for m in json.loads(_text(api / "scheduled-maintenances.json"))["scheduled_maintenances"]}
    for case in PUBLIC_CASES:
        phase, ended = case.expected()
        if case.kind == "maintenance":
            entry = planned[case.code]
            assert entry["status"] == phase, case
            end = WINDOWS[case.source][1]
            assert entry["resolved_at"] == (f"{_iso(end)[:-1]}.000Z" if phase == "completed" else None), case
            continue
        entry = incidents[case.code]
        assert (entry["status"] == "resolved") == (phase == "resolved"), case
        resolved_at = f"{_iso(ended)[:-1]}.000Z" if isinstance(ended, datetime) else None
        assert entry["resolved_at"] == resolved_at, case


def test_the_calendar_ends_each_maintenance_with_its_window(built):
    text = re.sub(r"\r\n ", "", _text(built.public / "maintenance.ics"))
    events = {re.search(r"UID:([0-9a-f]+)@", event).group(1): event for event in text.split("BEGIN:VEVENT")[1:]}
    for case in PUBLIC_CASES:
        if case.kind != "maintenance":
            continue
        end = WINDOWS[case.source][1]
        event = events[case.code]
        assert (f"DTEND:{end:%Y%m%dT%H%M%SZ}" in event) if end else "DTEND" not in event, case


def test_the_explorers_records_say_the_same_state(built):
    records = {r["id"]: r for r in json.loads(_text(built.internal / "postmortems" / "index.json"))["postmortems"]}
    for case in CASES:
        phase, _ = case.expected()
        assert records[case.pm_id]["state"]["phase"] == phase, case


def test_the_explorers_rows_say_a_live_records_phase_and_never_an_empty_duration(built):
    explore = json.loads(_text(built.internal / "postmortems" / "explore.json"))
    column = {name: at for at, name in enumerate(explore["columns"])}
    rows = {row[column["id"]]: row for row in explore["rows"]}
    for case in CASES:
        row, (phase, _) = rows[case.pm_id], case.expected()
        status = explore["values"]["status"][row[column["status"]]]
        assert status == (phase.replace("_", " ") if case.lifecycle == "ongoing" else case.lifecycle), case
        assert row[column["duration"]], case  # "not over…", "unknown" or a span: never blank

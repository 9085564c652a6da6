"""`regulatory.py` on hostile values: the calendar's ends, any reports and references, any text. The clocks, the
rules, the pages' words, the exports, the stage reports and the leak gate's class cope, and never raise (hypothesis)."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

from hypothesis import HealthCheck, given, settings, strategies as st

from mkdocs_postmortems.checks.families import RULES, Context
from mkdocs_postmortems.kb_site.exports import as_text, write_deadlines_json
from mkdocs_postmortems.kb_site.regulatory import deadlines, listed, shown, write_deadlines_calendar
from mkdocs_postmortems.model import NotReportable, Postmortem, Regulatory, RegulatoryReport
from mkdocs_postmortems.policy import REGIMES, Policy, Service
from mkdocs_postmortems.regulatory import STAGES, STATES, clocks
from mkdocs_postmortems.regulatory_report import draft, report_json, report_markdown
from mkdocs_postmortems.status_site.leak_gate import LeakGate

POLICY = Policy(
    services=(Service("ledger", regulated=True), Service("accounts", regulated=("gdpr",))),
    regulatory_regimes=REGIMES,
    regulatory_timezone="Pacific/Kiritimati",  # UTC+14: a deadline near the calendar's end is past it there
)
MOMENTS = st.one_of(
    st.none(),
    st.datetimes(
        min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59), timezones=st.just(timezone.utc)
    ),
)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
REGIME = st.sampled_from([*REGIMES, "", "DORA", "sec"])
STAGE = st.sampled_from([*(stage.name for stages in STAGES.values() for stage in stages), "", "second"])


@st.composite
def records(draw, number: int) -> Postmortem:
    return Postmortem(
        id=f"2024-01-01-pm{number}",
        path=f"postmortems/2024-01-01-pm{number}.md",
        title=draw(TEXT),
        status=draw(st.sampled_from(["published", "in-review", "draft", "imported"])),
        severity="SEV1",
        services=tuple(draw(st.lists(st.sampled_from(["ledger", "accounts", "elsewhere"]), max_size=3, unique=True))),
        started=draw(MOMENTS),
        detected=draw(MOMENTS),
        kind=draw(st.sampled_from(["incident", "maintenance"])),
        regulatory=draw(
            st.one_of(
                st.none(),
                st.builds(
                    Regulatory,
                    MOMENTS,
                    MOMENTS,
                    MOMENTS,
                    st.one_of(st.none(), st.booleans()),
                    st.lists(st.builds(RegulatoryReport, REGIME, STAGE, MOMENTS, TEXT), max_size=4).map(tuple),
                    st.lists(st.builds(NotReportable, REGIME, TEXT), max_size=2).map(tuple),
                ),
            )
        ),
    )


NOW = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.just(timezone.utc))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 3), min_size=1, max_size=4).flatmap(lambda ns: st.tuples(*map(records, ns))), NOW)
def test_every_output_of_the_clocks_copes_with_any_values(postmortems, now):
    postmortems = list(postmortems)
    found = deadlines(postmortems, POLICY, now)
    for deadline in listed(found):
        assert deadline.clock.state in STATES
        words, due = shown(deadline.clock, POLICY)
        assert words and (due or deadline.clock.due is None)
    assert len(json.loads(as_text(write_deadlines_json, found, now.date()))["deadlines"]) == len(found)
    assert as_text(write_deadlines_calendar, found, now).startswith("BEGIN:VCALENDAR")
    ctx = Context(POLICY, now.date() if now.year < 9999 else date(9999, 12, 30))
    for code in ("regulatory-due", "regulatory-overdue", "regulatory-unreported", "regulatory-regime"):
        rule = RULES[code]
        scope_all = rule.scope.value == "knowledge base"
        for diagnostic in (
            rule.check(postmortems, ctx) if scope_all else (d for pm in postmortems for d in rule.check(pm, ctx))
        ):
            assert diagnostic.code == code
    for pm in postmortems:
        for clock in clocks(pm, POLICY, now):
            report = draft(pm, POLICY, clock.regime, clock.stage, now, postmortems)
            assert report_markdown(report).startswith("# ")
            json.dumps(report_json(report))
    gate = LeakGate.of(POLICY, postmortems)
    for pm in postmortems:
        gate.leaks(pm.title)

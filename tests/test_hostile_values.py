"""Every page, chart and export copes with negative, missing, absurd and huge values: properties over the indexes,
metrics and page contexts (hypothesis), and a whole build of a knowledge base of hostile values."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from mkdocs_postmortems.checks.families import RULES, Context
from mkdocs_postmortems.kb_site.exports import (
    as_text,
    write_action_items_csv,
    write_action_items_json,
    write_knowledge_base_json,
)
from mkdocs_postmortems.kb_site.indexes import build_indexes
from mkdocs_postmortems.kb_site.metrics import monthly_counts, response_times
from mkdocs_postmortems.kb_site.pages import details_context, knowledge_base_pages, problem_counts
from mkdocs_postmortems.kb_site.urls import SiteMap
from mkdocs_postmortems.knowledge import KnowledgeBase
from mkdocs_postmortems.model import ActionItem, Impact, Postmortem, PublicSummary, RootCause
from mkdocs_postmortems.policy import Category, Policy, Service
from mkdocs_postmortems.render import Links, Rows, render, template_environment
from mkdocs_postmortems.status_site.pages import status_context
from mkdocs_postmortems.status_site.public import public_incidents
from site_support import build_site, index, make_site, page

POLICY = Policy(
    services=(Service("checkout", "", "Checkout"), Service("payments")),
    categories=(Category("capacity"), Category("process")),
    trend_quarters=4,
    chart_months=6,
    facet_limit=3,
)
ENV = template_environment()
MOMENTS = st.one_of(
    st.none(),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(timezone.utc)),
)
DAYS = st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
WORDS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
HUGE = st.one_of(st.none(), st.integers(0, 10**30))


@st.composite
def postmortems(draw, number: int) -> Postmortem:
    pm_id = f"2024-01-01-pm{number}"
    return Postmortem(
        id=pm_id,
        path=f"postmortems/{pm_id}.md",
        title=draw(WORDS),
        status=draw(st.sampled_from(["published", "in-review", "draft", ""])),
        severity=draw(st.sampled_from(["SEV1", "SEV2", "SEV9", ""])),
        services=tuple(draw(st.lists(st.sampled_from(["checkout", "payments", "elsewhere"]), max_size=3, unique=True))),
        started=draw(MOMENTS),
        detected=draw(MOMENTS),
        mitigated=draw(MOMENTS),
        resolved=draw(MOMENTS),
        published_on=draw(DAYS),
        impact=Impact(draw(WORDS), draw(HUGE), draw(HUGE), draw(st.one_of(st.none(), st.booleans()))),
        root_causes=tuple(
            RootCause(
                draw(st.sampled_from(["causal", "systemic", "odd"])),
                draw(st.sampled_from(["capacity", "process", "unknown"])),
                draw(WORDS),
                f"c{k}",
                draw(st.sampled_from(["", "checkout", "nowhere"])),
            )
            for k in range(draw(st.integers(0, 2)))
        ),
        action_items=tuple(
            ActionItem(
                draw(WORDS),
                draw(WORDS),
                draw(st.sampled_from(["P1", "P9"])),
                draw(DAYS),
                draw(st.sampled_from(["open", "done", "wont-do"])),
                addresses=("c0",),
                closed=draw(DAYS),
            )
            for _ in range(draw(st.integers(0, 2)))
        ),
        tags=tuple(draw(st.lists(WORDS, max_size=5))),
        public=PublicSummary(draw(WORDS), draw(WORDS), ("Checkout",)) if draw(st.booleans()) else None,
        body="## Summary\n\n" + draw(WORDS),
    )


knowledge_bases = st.integers(0, 8).flatmap(lambda n: st.tuples(*[postmortems(k) for k in range(n)]))


def render_everything(kb: KnowledgeBase) -> list[str]:
    shown = kb.published()
    indexes = build_indexes(shown, kb.policy, kb.today)
    site = SiteMap("postmortems")
    links = Links(site, "../", lambda uri: uri, Rows(ENV, problem_counts(kb)))
    html = [render(ENV, spec.template, links=links, **spec.context) for spec in knowledge_base_pages(kb, indexes, site)]
    for pm in shown:
        html.append(render(ENV, "header", pm=pm, problems=[], links=None, review=None))
        html.append(render(ENV, "details", links=links, **details_context(pm, kb, indexes)))
    incidents = public_incidents(kb.postmortems, kb.policy)
    html.append(
        render(
            ENV,
            "status",
            links=links,
            **status_context(incidents, kb.policy, kb.today, lambda view: site.postmortem(view.id), site.index),
        )
    )
    json.loads(as_text(write_knowledge_base_json, indexes, lambda pm_id: pm_id, kb.today))
    json.loads(as_text(write_action_items_json, indexes, lambda pm_id: pm_id, kb.today))
    as_text(write_action_items_csv, indexes, lambda pm_id: pm_id)
    return html


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(knowledge_bases, st.dates(min_value=date(1971, 1, 1), max_value=date(9998, 1, 1)))
def test_every_page_export_and_check_copes_with_any_values(pms, today):
    kb = KnowledgeBase(POLICY, today, postmortems=list(pms), by_id={pm.id: pm for pm in pms})
    ctx = Context(POLICY, today, (pm.id for pm in pms))
    for rule in RULES.values():  # no rule raises on absurd dates either
        if rule.scope.value == "postmortem":
            list(rule.check(pms[0], ctx)) if pms else None
            for pm in pms:
                list(rule.check(pm, ctx))
        elif rule.scope.value == "knowledge base":
            list(rule.check(list(pms), ctx))
    for html in render_everything(kb):
        assert not re.search(r"-\d+ (?:d \d+ h|h \d+ min|min)\b", html)  # no negative duration is ever shown


@settings(max_examples=80, deadline=None)
@given(st.lists(MOMENTS, max_size=30), st.integers(1, 40), st.dates(min_value=date(1971, 1, 1)))
def test_metrics_windows_are_bounded_and_never_negative(moments, limit, today):
    pms = [
        Postmortem(
            f"p{k}", f"p{k}.md", "t", "published", "SEV1", (), moment, resolved=moment and moment - timedelta(days=1)
        )
        for k, moment in enumerate(moments)
    ]
    months, series = monthly_counts(pms, ("SEV1",), limit, today)
    assert len(months) <= limit and all(count >= 0 for _, row in series for count in row)
    assert months == sorted(months)
    for _, dist in response_times(pms):
        assert all(value >= 0 for value in dist.values)  # a resolution before the start is no duration
    quarters = build_indexes(pms, Policy(trend_quarters=limit), today).quarters
    assert len(quarters) <= limit and quarters == sorted(quarters, reverse=True)


# --- a whole build over a knowledge base of hostile values ------------------------------------------------------


def hostile(pm_id: str, **fields) -> str:
    day = pm_id[:10]
    values = {
        "title": f"Incident {pm_id}",
        "status": "published",
        "severity": "SEV2",
        "services": ["checkout"],
        "authors": ["alice"],
        "reviewers": ["AN"],
        "started": f"{day}T09:00:00Z",
        "detected": f"{day}T09:10:00Z",
        "resolved": f"{day}T11:00:00Z",
        "impact": {"summary": "Checkout failed.", "customers_affected": 10**30},
        "public": {"title": "Checkout errors", "summary": "An update made checkout fail.", "components": ["Checkout"]},
    }
    values.update(fields)
    values = {key: value for key, value in values.items() if value is not None}
    return "---\n" + yaml.safe_dump(values, sort_keys=False, allow_unicode=True) + "---\n## Summary\n\nIt broke.\n"


HOSTILE = {
    "2024-05-01-fine.md": hostile("2024-05-01-fine"),
    "2024-05-02-backwards.md": hostile("2024-05-02-backwards", resolved="2023-11-30T10:00:00Z"),
    "2024-05-03-no-status.md": hostile("2024-05-03-no-status", status=None),
    "1628-05-04-typo.md": hostile("1628-05-04-typo"),
    "9999-12-31-end-of-time.md": hostile(
        "9999-12-31-end-of-time",
        started="9999-12-31T23:00:00Z",
        detected="9999-12-31T23:30:00Z",
        resolved="9999-12-31T23:59:00Z",
        published_on="9999-12-31",
    ),
    "2024-05-05-tags.md": hostile(
        "2024-05-05-tags", tags=[f"tag-{n}" for n in range(60)], title="Form\ffeed \x85 and <script>alert(1)</script>"
    ),
    "2024-05-06-cstate.md": "---\ntitle: Maintenance\ndate: 2024-05-06 10:00\naffected: [API]\n"
    "resolvedWhen: 2024-05-06 11:00\nsection: issue\n---\nDone.\n",
    "2024-05-07-headings.md": "# Outage\n\n## Issue Summary\n\nIt broke.\n\n## Timeline (UTC)\n\n- 10:00\n",
}
OPTIONS = {
    "services": [{"name": "checkout", "component": "Checkout"}, {"name": "payments"}],
    "views": {"facet_limit": 5},
}


def test_a_knowledge_base_of_hostile_values_builds_and_shows_every_problem(tmp_path):
    site = build_site(make_site(tmp_path, HOSTILE, OPTIONS))
    html = index(site)
    assert '<h2 id="files-with-problems">' in html
    for name in (
        "2024-05-02-backwards.md",
        "2024-05-03-no-status.md",
        "2024-05-06-cstate.md",
        "2024-05-07-headings.md",
    ):
        assert f"<code>postmortems/{name}</code>" in html, name
    assert "all 60 values" in html and html.count('class="pm-filter"') < 40
    assert "-153 d" not in page(site, "2024-05-02-backwards")
    assert (site / "postmortems" / "tag" / "index.html").is_file()
    root_causes = (site / "root-causes" / "index.html").read_text(encoding="utf-8")
    assert "1628-Q2" not in root_causes and "9999-Q4" not in root_causes


def test_the_public_build_of_hostile_values_publishes_only_the_clean_incident(tmp_path):
    config = make_site(tmp_path, HOSTILE, {**OPTIONS, "status_page": {"public_site": True}})
    site = build_site(config)
    incidents = json.loads((site / "api" / "v2" / "incidents.json").read_text(encoding="utf-8"))["incidents"]
    for incident in incidents:
        assert incident["resolved_at"] is None or incident["resolved_at"] >= incident["created_at"]
    names = {incident["name"] for incident in incidents}
    assert names == {"Checkout errors"} and len(incidents) == 4  # fine, tags, 1628 and 9999: warnings only

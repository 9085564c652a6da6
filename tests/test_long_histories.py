"""Long histories stay bounded: trend and chart windows, collapsed filters, capped uptime, implausible years flagged."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import TODAY
from mkdocs_postmortems.checks.registry import Context
from mkdocs_postmortems.checks.structure import implausible_dates
from mkdocs_postmortems.kb_site.metrics import monthly_counts
from mkdocs_postmortems.kb_site.pages import knowledge_base_pages, shown_facets
from mkdocs_postmortems.kb_site.urls import SiteMap
from mkdocs_postmortems.knowledge import KnowledgeBase
from mkdocs_postmortems.mkdocs_config import PostmortemsConfig
from mkdocs_postmortems.policy import MAX_UPTIME_DAYS
from test_indexes import POLICY, incident, indexes_of


def typo_history():
    """Two years of incidents, one typo'd into 1628 and one into 2062."""
    pms = [
        incident(f"2024-{month:02d}-10-m{month}", f"2024-{month:02d}-10", causes=[("c", "causal", "capacity", "")])
        for month in range(1, 13)
    ]
    pms += [incident(f"2025-{month:02d}-10-n{month}", f"2025-{month:02d}-10") for month in range(1, 13)]
    pms.append(incident("1628-03-01-typo", "1628-03-01", causes=[("c", "causal", "capacity", "")]))
    pms.append(incident("2062-03-01-future", "2062-03-01"))
    return pms


def test_the_trend_shows_the_newest_quarters_first_and_ignores_typos():
    ix = indexes_of(*typo_history(), policy=dataclasses.replace(POLICY, trend_quarters=8))
    assert ix.quarters == ["2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1", "2024-Q4", "2024-Q3", "2024-Q2", "2024-Q1"]
    assert ix.quarterly["capacity"] == [0, 0, 0, 0, 3, 3, 3, 3]  # 1628 is on no column


def test_the_trend_is_never_longer_than_the_history():
    ix = indexes_of(incident("2024-01-10-a", "2024-01-10"), incident("2024-05-10-b", "2024-05-10"))
    assert ix.quarters == ["2024-Q2", "2024-Q1"]


def test_the_monthly_window_ends_at_the_newest_incident_not_after_today():
    months, series = monthly_counts(typo_history(), ("SEV1", "SEV2"), limit=24, today=TODAY)
    assert months[0] == "2024-01" and months[-1] == "2025-12" and len(months) == 24
    assert sum(sum(row) for _, row in series) == 24
    months, _ = monthly_counts(typo_history(), ("SEV2",), limit=6, today=TODAY)
    assert months == ["2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12"]


def test_the_metrics_page_says_how_many_incidents_are_outside_the_window():
    pms = sorted(typo_history(), key=lambda pm: pm.started, reverse=True)
    kb = KnowledgeBase(dataclasses.replace(POLICY, chart_months=12), TODAY, postmortems=pms)
    ix = indexes_of(*pms, policy=kb.policy)
    (metrics,) = [spec for spec in knowledge_base_pages(kb, ix, SiteMap("postmortems")) if spec.template == "metrics"]
    assert len(metrics.context["months"]) == 12 and metrics.context["outside_window"] == 14
    assert metrics.context["monthly_chart"].count("<rect") < 40


def test_implausible_years_are_flagged_and_normal_ones_are_not():
    pms = typo_history()
    found = {(d.path, d.message) for d in implausible_dates(pms, Context(POLICY, TODAY))}
    assert found == {
        ("postmortems/1628-03-01-typo.md", "`started` is in 1628, before 1970"),
        ("postmortems/2062-03-01-future.md", "`started` is in 2062, after 2027"),
    }
    lonely = incident("2003-03-01-lonely", "2003-03-01")
    (only,) = implausible_dates([lonely, *pms[:5]], Context(POLICY, TODAY))
    assert "more than 10 years from every other" in only.message
    assert not list(implausible_dates([lonely], Context(POLICY, TODAY)))  # one incident is no history to judge by


def test_many_tags_show_the_top_ones_and_link_a_page_of_every_tag():
    pms = [
        incident(f"2024-01-{day:02d}-t{day}", f"2024-01-{day:02d}", tags=tuple(f"tag{n}" for n in range(day)))
        for day in range(1, 29)
    ]
    ix = indexes_of(*pms)
    shown = shown_facets(ix.facets, 5)
    assert shown["tag"] == ["tag0", "tag1", "tag2", "tag3", "tag4"]  # the five on most postmortems, in name order
    kb = KnowledgeBase(dataclasses.replace(POLICY, facet_limit=5), TODAY, postmortems=pms)
    specs = knowledge_base_pages(kb, ix, SiteMap("postmortems"))
    (every,) = [spec for spec in specs if spec.template == "facet-values"]
    assert every.uri == "postmortems/tag/index.md" and every.context["dimension"] == "tag"
    index_spec = specs[0]
    assert index_spec.context["all_values"] == {"tag": "postmortems/tag/index.md"}


def test_uptime_days_beyond_a_year_is_a_configuration_error():
    config = PostmortemsConfig()
    config.load_dict({"status_page": {"uptime_days": 2400}})
    failed, _ = config.validate()
    assert failed and "uptime_days" in str(failed[0][1]) and str(MAX_UPTIME_DAYS) in str(failed[0][1])


@pytest.mark.parametrize("option", ["trend_quarters", "chart_months", "facet_limit"])
def test_views_must_show_something(option):
    config = PostmortemsConfig()
    config.load_dict({"views": {option: 0}})
    failed, _ = config.validate()
    assert failed and f"views.{option}" in str(failed[0][1])

"""`kb_site/reviews.py`: periods and the period before each, an action item's state on a past day, the figures a
review reuses from the indexes, metrics and status site, and the `/reviews/` pages of the example, a page per
quarter with an incident."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml

from mkdocs_postmortems.kb_site.indexes import build_indexes
from mkdocs_postmortems.kb_site.metrics import response_times
from mkdocs_postmortems.kb_site.reviews import (
    MAX_DAYS,
    Reviewer,
    month,
    overdue_on,
    parse_period,
    quarter,
    review_pages,
    shown_postmortems,
    span,
    state_on,
    year,
)
from mkdocs_postmortems.kb_site.urls import REVIEWS, review_page
from mkdocs_postmortems.knowledge import KnowledgeBase
from mkdocs_postmortems.model import ActionItem
from mkdocs_postmortems.policy import Policy
from site_support import links_of, resolve, section
from test_indexes import TODAY, incident

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "text,label,kind,start,end",
    [
        ("2026-Q3", "2026-Q3", "quarter", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-q1", "2026-Q1", "quarter", date(2026, 1, 1), date(2026, 3, 31)),
        ("2024-02", "2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
        (" 2026 ", "2026", "year", date(2026, 1, 1), date(2026, 12, 31)),
        ("9999-Q4", "9999-Q4", "quarter", date(9999, 10, 1), date(9999, 12, 31)),
    ],
)
def test_a_period_is_a_quarter_a_month_or_a_year(text, label, kind, start, end):
    period = parse_period(text)
    assert (period.label, period.kind, period.start, period.end) == (label, kind, start, end)
    assert period.start in period and period.end in period and date(start.year - 1, 1, 1) not in period


@pytest.mark.parametrize("text", ["2026-Q0", "2026-Q5", "2026-00", "2026-13", "26", "0000", "2026-W01", "Q3", ""])
def test_anything_else_is_no_period(text):
    with pytest.raises(ValueError, match="is no period: write a quarter"):
        parse_period(text)


def test_the_period_before_is_of_the_same_kind():
    assert quarter(2026, 1).previous() == quarter(2025, 4)
    assert quarter(2026, 3).previous() == quarter(2026, 2)
    assert month(2026, 1).previous() == month(2025, 12) and month(2024, 3).previous().days == 29
    assert year(2026).previous() == year(2025)
    before = span(date(2026, 6, 15), date(2026, 8, 31)).previous()
    assert (before.start, before.end, before.days) == (date(2026, 3, 29), date(2026, 6, 14), 78)
    assert quarter(1, 1).previous() == quarter(1, 1)  # the calendar's first quarter has none before it


def test_a_span_ends_after_it_starts_and_lasts_at_most_a_hundred_years():
    assert span(date(2026, 1, 1), date(2026, 1, 1)).days == 1
    assert span(date(2026, 1, 1), date(2026, 1, 1)).slug == "2026-01-01-to-2026-01-01"
    with pytest.raises(ValueError, match="ends"):
        span(date(2026, 1, 2), date(2026, 1, 1))
    with pytest.raises(ValueError, match="at most"):
        span(date(1900, 1, 1), date(1900, 1, 1).replace(year=1900 + MAX_DAYS // 365 + 1))
    assert quarter(2026, 3).slug == "2026-q3" and quarter(2026, 3).title == "2026-Q3 (2026-07-01 to 2026-09-30)"


def test_an_items_state_on_a_past_day():
    done = ActionItem("t", "o", "P1", date(2026, 3, 1), "done", closed=date(2026, 3, 10))
    assert state_on(done, date(2026, 3, 9)) == "open" and state_on(done, date(2026, 3, 10)) == "done"
    assert overdue_on(done, date(2026, 3, 9)) and not overdue_on(done, date(2026, 3, 1))  # due that day: not yet
    assert state_on(replace(done, closed=None), date(2020, 1, 1)) == "done"  # closed, nobody said when
    still = replace(done, status="in-progress", closed=None)
    assert overdue_on(still, date(2026, 3, 2)) == still.is_overdue(date(2026, 3, 2)) is True
    assert not overdue_on(replace(still, due=None), date(2030, 1, 1))


def test_response_times_are_the_metrics_pages_own():
    pms = [incident("a", "2026-07-02"), incident("b", "2026-08-02", severity="SEV1"), incident("c", "2026-04-02")]
    kb = KnowledgeBase(Policy(), TODAY, pms, by_id={pm.id: pm for pm in pms})
    review = Reviewer(kb, build_indexes(pms, kb.policy, TODAY)).review(quarter(2026, 3))
    assert [sample for _, _, sample in review.current.response] == [s for _, s in response_times(pms[:2])]
    assert [sample for _, _, sample in review.previous.response] == [s for _, s in response_times(pms[2:])]
    assert review.severities == ("SEV1", "SEV2")


def test_a_draft_and_a_second_file_with_one_id_are_not_shown():
    first, twin = incident("a", "2026-07-02"), replace(incident("a", "2026-07-03"), path="other/a.md")
    draft = replace(incident("d", "2026-07-04"), status="draft")
    kb = KnowledgeBase(Policy(), TODAY, [first, twin, draft])
    assert [pm.path for pm in shown_postmortems(kb)] == [twin.path]  # newest first; of one ID the first listed


# The example: a review page per quarter with an incident.


def _example_quarters() -> set[str]:
    """Each quarter the example's shown incidents started in, from their raw front matter."""
    found = set()
    for path in (REPO / "postmortems").glob("*.md"):
        values = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        if values.get("status") != "draft" and values.get("kind", "incident") == "incident":
            started = values["started"]
            found.add(f"{started.year}-q{(started.month - 1) // 3 + 1}")
    return found


def test_the_example_has_a_review_page_per_quarter_it_covers(example_site):
    quarters = _example_quarters()
    assert len(quarters) >= 8
    built = {path.parent.name for path in (example_site / "reviews").glob("*/index.html")}
    assert built == quarters
    listing = (example_site / "reviews" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<tr data-period="([^"]+)">', listing) == [q.upper() for q in sorted(quarters, reverse=True)]
    linked = {resolve(example_site, "reviews/", href) for href, _ in links_of(section(listing, "pm-table pm-reviews"))}
    assert linked == {example_site / "reviews" / q / "index.html" for q in quarters}
    for quarter_slug in quarters:
        page = (example_site / "reviews" / quarter_slug / "index.html").read_text(encoding="utf-8")
        assert f'<h1 id="review-of-{quarter_slug}">Review of {quarter_slug.upper()}</h1>' in page
        hrefs = [href for href, _ in links_of(section(page, "pm-review", end="</section>"))]
        assert example_site / "reviews" / "index.html" in {
            resolve(example_site, f"reviews/{quarter_slug}/", h) for h in hrefs
        }


def test_review_pages_are_declared_with_their_uris(example_root):
    from mkdocs_postmortems.cli.options import load_policy
    from mkdocs_postmortems.knowledge import load_knowledge_base

    policy, folder = load_policy(example_root / "mkdocs.yml")
    kb = load_knowledge_base(folder, policy, today=date(2026, 12, 1))
    specs = review_pages(kb, build_indexes(shown_postmortems(kb), policy, kb.today))
    assert specs[0].uri == REVIEWS and specs[0].template == "reviews"
    assert [spec.uri for spec in specs[1:]] == [review_page(q) for q in sorted(_example_quarters(), reverse=True)]
    assert all(spec.template == "review" and spec.title.startswith("Review of ") for spec in specs[1:])


def test_availability_is_the_status_sites_uptime_over_the_periods_days(example_root):
    """Each period's availability is `uptime_percent` of `uptime_days` over all the public incidents, however the
    reviewer narrows the incidents it walks (and the days, for a component no incident touches)."""
    from mkdocs_postmortems.cli.options import load_policy
    from mkdocs_postmortems.knowledge import load_knowledge_base
    from mkdocs_postmortems.status_site.public import by_kind, public_incidents
    from mkdocs_postmortems.status_site.uptime import uptime_days, uptime_percent

    policy, folder = load_policy(example_root / "mkdocs.yml")
    policy = replace(
        policy,
        services=(*policy.services[:-1], replace(policy.services[-1], component="Late", since=date(2026, 8, 15))),
    )
    kb = load_knowledge_base(folder, policy, today=date(2026, 12, 1))
    reviewer = Reviewer(kb, build_indexes(shown_postmortems(kb), policy, kb.today))
    views = by_kind(public_incidents(kb.postmortems, policy))[0]
    for period in (
        quarter(2024, 2),
        quarter(2025, 1),
        quarter(2026, 3),
        quarter(2026, 4),
        year(2025),
        quarter(2027, 1),
    ):
        last = min(period.end, kb.today)
        expected = {
            name: uptime_percent(
                uptime_days(name, views, last, (last - period.start).days + 1, policy.component_since(name))
            )
            if last >= period.start
            else None
            for name in policy.components
        }
        assert reviewer.figures(period).availability == expected, period.label
    assert reviewer.figures(quarter(2026, 3)).availability["Late"] == 100.0
    assert reviewer.figures(quarter(2026, 2)).availability["Late"] is None  # before its `since`: no data

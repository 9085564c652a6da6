"""The pages the knowledge base adds to a site, as data (`PageSpec`s): where each lives, its title, its template
and context. `build.py` turns them into a site's pages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import markupsafe

from ..checks.communications import communications_owed
from ..checks.review import add_business_days
from ..diagnostics import Level
from ..knowledge import KnowledgeBase
from ..model import Postmortem
from ..moments import build_moment, state_of
from ..policy import AUDIENCES, IMPORTED, LIVE, PUBLISHED, ROOT_CAUSE_KINDS
from ..regulatory import clocks, reporting_policy
from ..render import PageSpec, problems_of
from . import charts
from .indexes import (
    BY_IMPACT,
    BY_OVERDUE,
    OVERDUE_FIRST,
    URGENCY,
    Indexes,
    cause_pairs,
    overdue_first,
    owners_by_overdue,
    services_by_impact,
)
from .metrics import minutes, monthly_counts, quarterly_response, quarterly_series, response_times
from .regulatory import OWED, REGULATORY_ROWS, Deadline, deadlines, listed, shown
from .reviews import review_pages
from .stats import SMALL_SAMPLE
from .urls import (
    ACTION_ITEMS,
    ACTION_ITEMS_CSV,
    ACTION_ITEMS_JSON,
    COMMUNICATIONS,
    FACETS,
    METRICS,
    REGULATORY,
    REGULATORY_ICS,
    REGULATORY_JSON,
    ROOT_CAUSES,
    SERVICES,
    STATUS_PREVIEW,
    SiteMap,
)

PAGE_ROWS = (
    200  # postmortems (a line each) per page: a longer list is split into pages, so no page grows with the history
)
ITEM_ROWS = 50  # action items per page: an item's row holds its title, ID, `done_when` and incident on several lines
CAUSE_ROWS = 100  # root causes, and incidents on the communications page, per page
SHOWN = 20  # rows an overview page (/action-items/, /root-causes/, a service's) shows of a list whose whole it links
TOP = 5  # entries of a page's opening summary: the most recurring causes, the owners with most overdue items
REVIEW_LABELS = {"draft": "draft", "in-review": "in review"}  # a review banner's words for a lifecycle state
RECURRING_SHOWN = 5  # incidents named per recurring cause; every one is on the service's filter page


def paged(uri: str, rows: list, limit: int | None = None) -> list[tuple[str, list]]:
    """`rows` in pages of at most `limit`: the first at `uri`, the next at `<uri>/2.md`, `<uri>/3.md`... (an index
    page's at `<folder>/page/2.md`, which no postmortem or filter page can take). Always at least one page.
    `limit` defaults to `PAGE_ROWS`, read at each call."""
    limit = PAGE_ROWS if limit is None else limit
    if len(rows) <= limit:
        return [(uri, rows)]
    stem = f"{uri[: -len('/index.md')]}/page" if uri.endswith("/index.md") else uri[:-3]
    return [
        (uri if start == 0 else f"{stem}/{start // limit + 1}.md", rows[start : start + limit])
        for start in range(0, len(rows), limit)
    ]


def pager(chunks: list[tuple[str, list]], at: int) -> dict:
    """What `macros.pager` shows on page `at` of `chunks`: every page's URI and its first and last row number."""
    pages, first = [], 1
    for uri, rows in chunks:
        pages.append((uri, first, first + len(rows) - 1))
        first += len(rows)
    return {"pages": pages if len(pages) > 1 else [], "at": at, "total": first - 1}


def knowledge_base_pages(
    kb: KnowledgeBase,
    indexes: Indexes,
    site: SiteMap,
    homes: dict[str, str] | None = None,
    regulatory: Sequence[Deadline] | None = None,
) -> list[PageSpec]:
    """Every cross-incident page: the index and its filters, root causes, action items, services, metrics,
    communications, regulatory reporting, reviews. Fills `homes` with the home of every action item: ID -> the page
    whose row carries its anchor. `regulatory` is every record's stages (`regulatory.deadlines` at the build's time),
    made here when not given."""
    shown = shown_facets(indexes.facets, kb.policy.facet_limit)
    all_values = {
        dimension: site.facet_values(dimension)
        for dimension, values in indexes.facets.items()
        if len(values) > len(shown[dimension])
    }
    facet_context = {
        "facets": indexes.facets,
        "facet_labels": FACETS,
        "site": site,
        "shown_facets": shown,
        "all_values": all_values,
        "index_json": site.index_json,
    }
    index_context = _index_context(kb, indexes)
    chunks = paged(site.index, indexes.postmortems)
    pages = [
        PageSpec(
            uri,
            "Postmortems" if at == 0 else f"Postmortems, page {at + 1}",
            "index",
            {
                **facet_context,
                **index_context,
                "postmortems": rows,
                "pager": pager(chunks, at),
                "total": len(indexes.postmortems),
                "current": ("", ""),
                "first_page": at == 0,
            },
            in_nav=at == 0,
        )
        for at, (uri, rows) in enumerate(chunks)
    ]
    for dimension, values in indexes.facets.items():
        for value, postmortems in values.items():
            chunks = paged(site.facet(dimension, value), postmortems)
            title = f"Postmortems: {FACETS[dimension].lower()} {value}"
            pages += [
                PageSpec(
                    uri,
                    title if at == 0 else f"{title}, page {at + 1}",
                    "facet",
                    {
                        **facet_context,
                        "postmortems": rows,
                        "total": len(postmortems),
                        "pager": pager(chunks, at),
                        "current": (dimension, value),
                    },
                )
                for at, (uri, rows) in enumerate(chunks)
            ]
    for dimension, uri in all_values.items():
        pages.append(
            PageSpec(
                uri,
                f"Postmortems: every {FACETS[dimension].lower()}",
                "facet-values",
                {**facet_context, "dimension": dimension, "current": (dimension, "")},
            )
        )
    homes = {} if homes is None else homes
    pages += _root_causes_pages(indexes, site)
    pages += _action_items_pages(kb, indexes, site, homes)
    ranked = services_by_impact(indexes.services)
    pages += [
        PageSpec(
            SERVICES,
            "Services",
            "services",
            {"indexes": indexes, "ranked": ranked, "top": ranked[:TOP], "order": BY_IMPACT},
        ),
        PageSpec(METRICS, "Metrics", "metrics", _metrics_context(kb, indexes)),
    ]
    communications = _communications_context(kb, indexes)
    chunks = paged(COMMUNICATIONS, communications["rows"], CAUSE_ROWS)
    pages += [
        PageSpec(
            uri,
            "Communications" if at == 0 else f"Communications, page {at + 1}",
            "communications",
            {**communications, "rows": rows, "pager": pager(chunks, at)},
        )
        for at, (uri, rows) in enumerate(chunks)
    ]
    pages += [
        PageSpec(
            site.service(service.name),
            f"Service: {service.name}",
            "service",
            {
                "service": service,
                "site_services": SERVICES,
                "limit": SHOWN,
                "recurring_shown": RECURRING_SHOWN,
                "order": URGENCY,
            },
        )
        for service in indexes.services
    ]
    pages += _regulatory_pages(kb, regulatory)
    pages += review_pages(kb, indexes)
    return pages


def _regulatory_pages(kb: KnowledgeBase, found: Sequence[Deadline] | None) -> list[PageSpec]:
    """`/regulatory/`: every stage of every record with clocks, what is still owed first (`regulatory.listed`), each
    with its state in words at the build's time and its due time in UTC and the team's zone, paged by
    `REGULATORY_ROWS`."""
    now = build_moment(kb.today)
    found = deadlines(kb.postmortems, kb.policy, now) if found is None else found
    chunks = paged(REGULATORY, [(d, *shown(d.clock, kb.policy)) for d in listed(found)], REGULATORY_ROWS)
    counts = {state: sum(1 for d in found if d.clock.state == state) for state in OWED}
    return [
        PageSpec(
            uri,
            "Regulatory reporting" if at == 0 else f"Regulatory reporting, page {at + 1}",
            "regulatory",
            {
                "rows": rows,
                "pager": pager(chunks, at),
                "counts": counts,
                "total": len(found),
                "regimes": kb.policy.regulatory_regimes,
                "as_of": now.date(),
                "json": REGULATORY_JSON,
                "ics": REGULATORY_ICS,
            },
        )
        for at, (uri, rows) in enumerate(chunks)
    ]


def _root_causes_pages(indexes: Indexes, site: SiteMap) -> list[PageSpec]:
    """`/root-causes/`, which opens with the causes that recur most; past `CAUSE_ROWS` causes in all, each category's
    causes move to a page (or pages) of their own, which opens with the services it recurs on."""
    total = sum(c.count for c in indexes.categories)
    split = total > CAUSE_ROWS
    pages, category_pages = [], {}
    for category in indexes.categories:
        entries = sorted(
            (entry for kind in ROOT_CAUSE_KINDS for entry in category.by_kind.get(kind, [])),
            key=lambda e: (
                -(e.postmortem.started.timestamp() if e.postmortem.started else 0),
                ROOT_CAUSE_KINDS.index(e.cause.kind) if e.cause.kind in ROOT_CAUSE_KINDS else len(ROOT_CAUSE_KINDS),
            ),
        )
        if not split or not entries:
            continue
        chunks = paged(site.category(category.name), entries, CAUSE_ROWS)
        category_pages[category.name] = chunks[0][0]
        title = f"Root causes: {category.name}"
        recurring = [r for r in indexes.recurring if r.category == category.name]
        pages += [
            PageSpec(
                uri,
                title if at == 0 else f"{title}, page {at + 1}",
                "category",
                {
                    "category": category,
                    "entries": rows,
                    "pager": pager(chunks, at),
                    "root_causes": ROOT_CAUSES,
                    "recurring": recurring[:TOP] if at == 0 else [],
                    "recurring_count": len(recurring),
                },
            )
            for at, (uri, rows) in enumerate(chunks)
        ]
    main = PageSpec(
        ROOT_CAUSES,
        "Root causes",
        "root-causes",
        {
            "indexes": indexes,
            "kinds": ROOT_CAUSE_KINDS,
            "total_causes": total,
            "category_pages": category_pages,
            "recurring_shown": RECURRING_SHOWN,
            "top": indexes.recurring[:TOP],
            "recurring": indexes.recurring[:SHOWN],
            "recurred": indexes.recurred_after_fix[:SHOWN],
            "trend_chart": markupsafe.Markup(
                charts.trend_chart(
                    "pm-trend-chart",
                    "Incidents per quarter with a root cause of each category, newest first",
                    indexes.quarters,
                    [(c.name, indexes.quarterly[c.name]) for c in indexes.categories if any(indexes.quarterly[c.name])],
                )
            ),
        },
    )
    return [main, *pages]


def _action_items_pages(kb: KnowledgeBase, indexes: Indexes, site: SiteMap, homes: dict[str, str]) -> list[PageSpec]:
    """`/action-items/` opens with the counts and the owners with most overdue items, then shows what needs attention:
    the `SHOWN` most urgent overdue and open items. Past `SHOWN` open items, the open items live on their owners'
    pages (overdue first) and, past `ITEM_ROWS` closed ones, the closed ones on a page per year of their incident,
    each paged by `ITEM_ROWS`, so no page grows with the history. Every owner has a page, which the owner's name
    links to."""
    context = _action_items_context(kb, indexes)
    pages, owner_pages = [], {}
    split_open = len(context["open"]) > SHOWN
    for owner, entries in context["owners"].items():
        entries = overdue_first(entries)
        chunks = paged(site.owner(owner), entries, ITEM_ROWS)
        owner_pages[owner] = chunks[0][0]
        for at, (uri, rows) in enumerate(chunks):
            if split_open:
                homes.update((entry.id, uri) for entry in rows)
            title = f"Action items: {owner}"
            pages.append(
                PageSpec(
                    uri,
                    title if at == 0 else f"{title}, page {at + 1}",
                    "owner",
                    {
                        "owner": owner,
                        "entries": rows,
                        "anchors": split_open,
                        "pager": pager(chunks, at),
                        "action_items": ACTION_ITEMS,
                        "today": kb.today,
                        "count": len(entries),
                        "overdue": sum(1 for e in entries if e.overdue),
                        "order": OVERDUE_FIRST,
                    },
                )
            )
    if not split_open:
        homes.update((entry.id, ACTION_ITEMS) for entry in context["open"])
    closed_pages: dict[str, list[tuple[str, str, int]]] = {}  # status -> (year, its first page, its items)
    for status, label in (("done", "done"), ("wont_do", "won't do")):
        entries = context[status]
        if len(entries) <= ITEM_ROWS:
            homes.update((entry.id, ACTION_ITEMS) for entry in entries)
            continue
        years: dict[str, list] = {}
        for entry in entries:
            started = entry.postmortem.started
            years.setdefault(str(started.year) if started else "undated", []).append(entry)
        closed_pages[status] = []
        for year in sorted(years, reverse=True):
            chunks = paged(f"action-items/{status.replace('_', '-')}/{year}.md", years[year], ITEM_ROWS)
            closed_pages[status].append((year, chunks[0][0], len(years[year])))
            for at, (uri, rows) in enumerate(chunks):
                homes.update((entry.id, uri) for entry in rows)
                title = f"Action items {label}: {year}"
                pages.append(
                    PageSpec(
                        uri,
                        title if at == 0 else f"{title}, page {at + 1}",
                        "closed-items",
                        {
                            "status": status,
                            "label": label,
                            "year": year,
                            "entries": rows,
                            "pager": pager(chunks, at),
                            "action_items": ACTION_ITEMS,
                        },
                    )
                )
    loads = owners_by_overdue(context["open"])
    main = PageSpec(
        ACTION_ITEMS,
        "Action items",
        "action-items",
        {
            **context,
            "owner_pages": owner_pages,
            "owner_loads": loads,
            "most_overdue": [load for load in loads if load.overdue][:TOP],
            "closed_pages": closed_pages,
            "split_open": split_open,
            "limit": SHOWN,
            "shown_overdue": context["overdue"][:SHOWN],
            "shown_open": context["open"][:SHOWN],
            "orders": {"urgency": URGENCY, "owners": BY_OVERDUE, "owner_page": OVERDUE_FIRST},
        },
    )
    return [main, *pages]


def shown_facets(facets: dict[str, dict[str, list]], limit: int) -> dict[str, list[str]]:
    """Per dimension, the values the filter links show: all of them up to `limit`; beyond, the `limit` with most
    postmortems (years: the newest), in the dimension's own order. The others are on the dimension's "every
    value" page, so a knowledge base of 947 tags does not put 947 links above every listing."""
    shown = {}
    for dimension, values in facets.items():
        if len(values) <= limit:
            shown[dimension] = list(values)
            continue
        order = {value: rank for rank, value in enumerate(values)}
        top = (
            list(values)[:limit]
            if dimension == "year"
            else sorted(values, key=lambda value: (-len(values[value]), order[value]))[:limit]
        )
        shown[dimension] = sorted(top, key=order.__getitem__)
    return shown


def details_context(pm: Postmortem, kb: KnowledgeBase, indexes: Indexes, now: datetime | None = None) -> dict:
    """What a postmortem's page shows around its body (`header.html`, `details.html`): its `state` at the build's
    time `now` (default `moments.build_moment` of `kb.today`), its action items' state as of the build, its
    regulatory `clocks` at `now` as the pages show them (`regulatory.shown`). `related` is one list: every
    postmortem it names, that names it, or is similar to it, once, with the reasons."""
    related: dict[str, dict] = {}

    def add(other_id: str, kind: str, reason: str) -> None:
        entry = related.setdefault(other_id, {"id": other_id, "pm": kb.by_id.get(other_id), "reasons": []})
        entry["reasons"].append((kind, reason))

    for other_id in pm.related:
        add(other_id, "related", "related")
    for other in indexes.backlinks.get(pm.id, []):
        add(other.id, "referenced-by", "references this")
    own = {pair for cause in pm.root_causes for pair in cause_pairs(pm, cause)}
    for found in indexes.similar.get(pm.id, []):  # by what they say; and the causes they share, if any
        like = kb.by_id.get(found.id)
        pairs = {pair for cause in like.root_causes for pair in cause_pairs(like, cause)} if like else set()
        same = "; ".join(f"{service}, {category}" for service, category in sorted(own & pairs))
        add(found.id, "similar", f"similar: {', '.join(found.shared_words)}" + (f"; same {same}" if same else ""))
    now = build_moment(kb.today) if now is None else now
    return {
        "pm": pm,
        "state": state_of(pm, now),
        "by_id": kb.by_id,
        "items": indexes.items_by_postmortem.get(pm.id, []),
        "backlinks": indexes.backlinks.get(pm.id, []),
        "similar": indexes.similar.get(pm.id, []),
        "related": list(related.values()),
        "clocks": [(clock, *shown(clock, kb.policy)) for clock in clocks(pm, kb.policy, now)],
        "regulatory": REGULATORY,
    }


def review_state(pm: Postmortem, kb: KnowledgeBase, now: datetime | None = None) -> dict | None:
    """For a postmortem not yet published: its state (`label`: `draft`, `in review`, or for a live record that is
    over, that its postmortem is not started), the day it is due for publication (the severity's business days
    after `resolved`), whether that has passed, and what its checks say is missing. None once published, for an
    imported record (history that awaits no review, as its page says, until a person sets it `draft`), and for a
    record that is not over at the build's time `now` (`moments.state_of`): a live incident or a maintenance not yet
    completed awaits no review while it happens."""
    if pm.status in (PUBLISHED, IMPORTED):
        return None
    state = state_of(pm, build_moment(kb.today) if now is None else now)
    if state.live:
        return None
    days = kb.policy.publish_within_business_days.get(pm.severity)
    due = add_business_days(pm.resolved.date(), days) if days is not None and pm.resolved else None
    missing = [d for d in problems_of(kb.diagnostics_by_path().get(pm.path, ())) if d.code != "publish-overdue"]
    return {
        "status": pm.status,
        "label": REVIEW_LABELS.get(pm.status, pm.status)
        if pm.status != LIVE
        else f"{state.label}, postmortem not started",
        "due": due,
        "overdue": due is not None and kb.today > due,
        "days_late": (kb.today - due).days if due else 0,
        "missing": missing,
        "reviewers": pm.reviewers,
    }


def problem_counts(kb: KnowledgeBase) -> dict[str, int]:
    """Postmortem ID -> how many errors and warnings it has, for the badge in listings."""
    by_path = kb.diagnostics_by_path()
    return {pm.id: len(problems_of(by_path.get(pm.path, ()))) for pm in kb.postmortems}


def problem_files(kb: KnowledgeBase, indexes: Indexes) -> list[tuple[str, Postmortem | None, list]]:
    """Every file with an error, and every file that is no postmortem, in path order: (path, the postmortem if the
    site shows it, its problems). A file with a page lists its errors there; one without lists them here, so no
    file with problems is ever hidden (a draft, or a file whose `status` is missing or wrong)."""
    shown = {pm.path: pm for pm in indexes.postmortems}
    rejected = set(kb.rejected)
    files = []
    for path, diagnostics in sorted(kb.diagnostics_by_path().items()):
        problems = problems_of(diagnostics)
        errors = [d for d in problems if d.level is Level.ERROR]
        if errors or (path in rejected and problems):
            files.append((path, shown.get(path), errors if path in shown else problems))
    return files


def _index_context(kb: KnowledgeBase, indexes: Indexes) -> dict:
    by_path = kb.diagnostics_by_path()
    return {
        "postmortems": indexes.postmortems,
        "rejected": [(path, problems_of(by_path.get(path, ()))) for path in kb.rejected],
        "problem_files": problem_files(kb, indexes),
        "pages": {
            "root_causes": ROOT_CAUSES,
            "action_items": ACTION_ITEMS,
            "services": SERVICES,
            "metrics": METRICS,
            "communications": COMMUNICATIONS,
            "status": STATUS_PREVIEW,
        },
    }


def _action_items_context(kb: KnowledgeBase, indexes: Indexes) -> dict:
    open_items = indexes.open_items(kb.policy)
    done, wont_do = indexes.closed_items("done"), indexes.closed_items("wont-do")
    owners: dict[str, list] = {}
    for entry in sorted(open_items, key=lambda e: e.item.owner.casefold()):
        owners.setdefault(entry.item.owner, []).append(entry)
    by_priority = {p: {"open": 0, "overdue": 0, "done": 0, "wont_do": 0} for p in kb.policy.priorities}
    for entry in indexes.action_items:
        row = by_priority.setdefault(entry.item.priority, {"open": 0, "overdue": 0, "done": 0, "wont_do": 0})
        row["open" if entry.item.is_open else entry.item.status.replace("-", "_")] += 1
        row["overdue"] += entry.overdue
    overdue = [entry for entry in open_items if entry.overdue]
    return {
        "today": kb.today,
        "csv": ACTION_ITEMS_CSV,
        "json": ACTION_ITEMS_JSON,
        "by_priority": by_priority,
        "counts": {
            "total": len(indexes.action_items),
            "open": len(open_items),
            "overdue": len(overdue),
            "done": len(done),
            "wont_do": len(wont_do),
        },
        "overdue": overdue,
        "owners": owners,
        "open": open_items,
        "done": done,
        "wont_do": wont_do,
    }


def _metrics_context(kb: KnowledgeBase, indexes: Indexes) -> dict:
    incidents = [pm for pm in indexes.postmortems if not pm.is_maintenance]  # planned work is not an incident
    months, monthly = monthly_counts(incidents, kb.policy.severities, kb.policy.chart_months, kb.today)
    in_window = sum(sum(row) for _, row in monthly)
    undated = sum(1 for pm in incidents if pm.started is None)
    response = response_times(incidents)
    services = [s for s in indexes.services if s.postmortems]
    resolve = [(s.name, median) for s in services if (median := s.time_to_resolve.median) is not None]
    count = len(incidents)
    quarterly = quarterly_response(incidents, kb.policy.severities, indexes.quarters)
    return {
        "quarterly": quarterly,
        "quarterly_charts": [
            markupsafe.Markup(
                charts.small_multiples_chart(
                    f"pm-quarterly-{name}",
                    f"{label} per quarter, a plot per severity: median and p90, newest quarter first",
                    indexes.quarters,
                    quarterly_series(quarterly, indexes.quarters, measure, kb.policy.severities),
                )
            )
            for name, label, measure in (("detect", "Time to detect", 2), ("resolve", "Time to resolve", 3))
        ],
        "count": count,
        "months": months,
        "monthly": monthly,
        "chart_months": kb.policy.chart_months,
        "outside_window": count - undated - in_window,
        "totals": [sum(row[i] for _, row in monthly) for i in range(len(months))],
        "response": response,
        "services": services,
        "incident_counts": {s.name: sum(1 for pm in s.postmortems if not pm.is_maintenance) for s in services},
        "small_sample": (
            f"With fewer than {SMALL_SAMPLE} incidents a median or p90 says little; such figures are "
            "marked “small sample”."
        ),
        "monthly_chart": markupsafe.Markup(
            charts.stacked_bar_chart(
                "pm-incidents-per-month",
                "Incidents per month, stacked by severity, newest month first",
                months[::-1],
                [(severity, row[::-1]) for severity, row in monthly],
            )
        ),
        "response_chart": lambda links: markupsafe.Markup(
            charts.distribution_chart(
                "pm-response-times",
                "Time to detect, mitigate and resolve: every incident, median and p90",
                response,
                points=[
                    [(pm.title, links.postmortem(pm.id) or "") for pm in ordered] for ordered in _by_measure(incidents)
                ],
            )
        ),
        "service_chart": markupsafe.Markup(
            charts.bar_chart("pm-service-resolve", "Median time to resolve per service", resolve, unit="minutes")
        ),
    }


def _by_measure(incidents: list[Postmortem]) -> list[list[Postmortem]]:
    """Per measure of `response_times` (detect, mitigate, resolve), the incidents with a value, in the order of the
    sorted values, so each dot of the chart can name and link its incident."""
    measures = (lambda pm: pm.time_to_detect, lambda pm: pm.time_to_mitigate, lambda pm: pm.time_to_resolve)
    return [
        [
            pm
            for _, _, pm in sorted(
                (minutes(measure(pm)), pm.id, pm) for pm in incidents if minutes(measure(pm)) is not None
            )
        ]
        for measure in measures
    ]


def _communications_context(kb: KnowledgeBase, indexes: Indexes) -> dict:
    policy = kb.policy
    rows = [
        (
            pm,
            {audience: [n for n in pm.communications if n.audience == audience] for audience in AUDIENCES},
            communications_owed(pm, policy),
        )
        for pm in indexes.postmortems
    ]
    return {
        "rows": rows,
        "audiences": AUDIENCES,
        "customers_for": policy.customer_notice_for,
        "regulators": reporting_policy(policy),
        "regulatory": REGULATORY if policy.regulatory_regimes else None,
        "owing": sum(1 for _, _, owed in rows if owed),
        "owing_shown": [(pm, owed) for pm, _, owed in rows if owed][:SHOWN],
    }

"""The pages the knowledge base adds to a site, as data (`PageSpec`s): where each lives, its title, its template
and context. `build.py` turns them into a site's pages."""

from __future__ import annotations

import markupsafe

from . import charts
from .indexes import Indexes
from ..knowledge import KnowledgeBase
from ..checks.communications import communications_owed
from ..diagnostics import Level
from .metrics import monthly_counts, response_times
from ..model import Postmortem
from ..policy import AUDIENCES, ROOT_CAUSE_KINDS
from ..render import PageSpec, problems_of
from .urls import (ACTION_ITEMS, ACTION_ITEMS_CSV, ACTION_ITEMS_JSON, COMMUNICATIONS, FACETS, METRICS, ROOT_CAUSES,
                   SERVICES, STATUS_PREVIEW, SiteMap)
from .stats import SMALL_SAMPLE


def knowledge_base_pages(kb: KnowledgeBase, indexes: Indexes, site: SiteMap) -> list[PageSpec]:
    """Every cross-incident page: the index and its filters, root causes, action items, services, metrics."""
    shown = shown_facets(indexes.facets, kb.policy.facet_limit)
    all_values = {dimension: site.facet_values(dimension) for dimension, values in indexes.facets.items()
                  if len(values) > len(shown[dimension])}
    facet_context = {"facets": indexes.facets, "facet_labels": FACETS, "site": site, "shown_facets": shown,
                     "all_values": all_values}
    pages = [PageSpec(site.index, "Postmortems", "index", {**facet_context, **_index_context(kb, indexes),
                                                           "current": ("", "")}, in_nav=True)]
    for dimension, values in indexes.facets.items():
        for value, postmortems in values.items():
            pages.append(PageSpec(site.facet(dimension, value), f"Postmortems: {FACETS[dimension].lower()} {value}",
                                  "facet", {**facet_context, "postmortems": postmortems, "current": (dimension, value)}))
    for dimension, uri in all_values.items():
        pages.append(PageSpec(uri, f"Postmortems: every {FACETS[dimension].lower()}", "facet-values",
                              {**facet_context, "dimension": dimension, "current": (dimension, "")}))
    pages += [
        PageSpec(ROOT_CAUSES, "Root causes", "root-causes", {
            "indexes": indexes, "kinds": ROOT_CAUSE_KINDS, "total_causes": sum(c.count for c in indexes.categories)}),
        PageSpec(ACTION_ITEMS, "Action items", "action-items", _action_items_context(kb, indexes)),
        PageSpec(SERVICES, "Services", "services", {"indexes": indexes}),
        PageSpec(METRICS, "Metrics", "metrics", _metrics_context(kb, indexes)),
        PageSpec(COMMUNICATIONS, "Communications", "communications", _communications_context(kb, indexes)),
    ]
    pages += [PageSpec(site.service(service.name), f"Service: {service.name}", "service",
                       {"service": service, "site_services": SERVICES}) for service in indexes.services]
    return pages


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
        top = list(values)[:limit] if dimension == "year" else sorted(
            values, key=lambda value: (-len(values[value]), order[value]))[:limit]
        shown[dimension] = sorted(top, key=order.__getitem__)
    return shown


def details_context(pm: Postmortem, kb: KnowledgeBase, indexes: Indexes) -> dict:
    """What `details.html` shows after a postmortem's body, with its action items' state as of the build."""
    return {"pm": pm, "by_id": kb.by_id, "items": indexes.items_by_postmortem.get(pm.id, []),
            "backlinks": indexes.backlinks.get(pm.id, []), "similar": indexes.similar.get(pm.id, [])}


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
        "pages": {"root_causes": ROOT_CAUSES, "action_items": ACTION_ITEMS, "services": SERVICES, "metrics": METRICS,
                  "communications": COMMUNICATIONS, "status": STATUS_PREVIEW},
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
        "today": kb.today, "csv": ACTION_ITEMS_CSV, "json": ACTION_ITEMS_JSON, "by_priority": by_priority,
        "counts": {"total": len(indexes.action_items), "open": len(open_items), "overdue": len(overdue),
                   "done": len(done), "wont_do": len(wont_do)},
        "overdue": overdue, "owners": owners, "open": open_items, "done": done, "wont_do": wont_do,
    }


def _metrics_context(kb: KnowledgeBase, indexes: Indexes) -> dict:
    incidents = [pm for pm in indexes.postmortems if not pm.is_maintenance]  # planned work is not an incident
    months, monthly = monthly_counts(incidents, kb.policy.severities, kb.policy.chart_months, kb.today)
    in_window = sum(sum(row) for _, row in monthly)
    undated = sum(1 for pm in incidents if pm.started is None)
    response = response_times(incidents)
    services = [s for s in indexes.services if s.postmortems]
    resolve = [(s.name, s.time_to_resolve.median) for s in services if s.time_to_resolve.count]
    count = len(incidents)
    return {
        "count": count, "months": months, "monthly": monthly, "chart_months": kb.policy.chart_months,
        "outside_window": count - undated - in_window,
        "totals": [sum(row[i] for _, row in monthly) for i in range(len(months))],
        "response": response, "services": services,
        "incident_counts": {s.name: sum(1 for pm in s.postmortems if not pm.is_maintenance) for s in services},
        "small_sample": (f"With fewer than {SMALL_SAMPLE} incidents a median or p90 says little; such figures are "
                         "marked “small sample”."),
        "monthly_chart": markupsafe.Markup(charts.stacked_bar_chart(
            "pm-incidents-per-month", "Incidents per month, stacked by severity", months, monthly)),
        "response_chart": markupsafe.Markup(charts.distribution_chart(
            "pm-response-times", "Time to detect, mitigate and resolve: every incident, median and p90", response)),
        "service_chart": markupsafe.Markup(charts.bar_chart(
            "pm-service-resolve", "Median time to resolve per service", resolve, unit="minutes")),
    }


def _communications_context(kb: KnowledgeBase, indexes: Indexes) -> dict:
    policy = kb.policy
    rows = [(pm, {audience: [n for n in pm.communications if n.audience == audience] for audience in AUDIENCES},
             communications_owed(pm, policy)) for pm in indexes.postmortems]
    return {"rows": rows, "audiences": AUDIENCES, "customers_for": policy.customer_notice_for,
            "regulated": [s.name for s in policy.services if s.regulated], "days": policy.regulator_report_within_days,
            "owing": sum(1 for _, _, owed in rows if owed)}

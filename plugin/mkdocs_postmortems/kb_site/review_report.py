"""A period review (`reviews.Review`) as `postmortems report` prints it: Markdown, every definition in its footnotes,
or JSON. Every value from a postmortem goes through `md_text`, so a title such as `| x |` stays text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..pull_requests.comment import md_text
from ..render import format_minutes
from ..status_site.uptime import percent_text
from .indexes import ActionItemEntry
from .reviews import Figures, Period, Review
from .stats import Distribution

NONE = "—"


def _table(header: Sequence[str], rows: Iterable[Sequence[object]], numbers: Iterable[int] | None = None) -> list[str]:
    """A Markdown table whose columns `numbers` (default: all but the first) are right-aligned."""
    right = set(range(1, len(header)) if numbers is None else numbers)
    align = ["---:" if at in right else "---" for at in range(len(header))]
    return [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join(align) + " |",
        *("| " + " | ".join(str(cell) for cell in row) + " |" for row in rows),
    ]


def _when(pm_started) -> str:
    return pm_started.date().isoformat() if pm_started else "undated"


def _spread(sample: Distribution) -> tuple[str, str, str]:
    """(median, p90, incidents with a value and the missing ones, marked when the sample is small)."""
    count = f"{sample.count}" + (f" ({sample.missing} missing)" if sample.missing else "")
    if sample.count and sample.is_small:
        count += " (small sample)"
    return format_minutes(sample.median), format_minutes(sample.p90), count


def _percent(value: float | None) -> str:
    return NONE if value is None else f"{value:g}%"


def review_markdown(review: Review) -> str:
    """The review as Markdown: a section per figure, each with the previous period beside it where it has one, and
    the definitions as footnotes."""
    now, before = review.current, review.previous
    this, last = now.period.label, before.period.label
    lines = [
        f"# Period review: {now.period.label}",
        "",
        f"{_dates(now.period)}, against {before.period.title}. Made on {review.today.isoformat()}.",
        "",
        "## Incidents by severity",
        "",
        f"{_count(len(now.incidents), 'incident')} in {this}, {len(before.incidents)} in {last}.[^incidents]",
        "",
    ]
    severities = (now.by_severity(), before.by_severity())
    lines += _table(
        ["Severity", this, last],
        [
            *([md_text(name), *(count.get(name, 0) for count in severities)] for name in review.severities),
            ["**Total**", len(now.incidents), len(before.incidents)],
        ],
    )
    services = (now.by_service(), before.by_service())
    lines += ["", "## Incidents by service", "", "An incident counts for each service it affected.[^incidents]", ""]
    lines += (
        _table(
            ["Service", this, last],
            ([md_text(name), *(count.get(name, 0) for count in services)] for name in review.services),
        )
        if review.services
        else ["No incident in either period."]
    )
    lines += [
        "",
        "## Time to detect, mitigate and resolve",
        "",
        "Medians and p90 against the previous period.[^response]",
        "",
    ]
    lines += _table(
        [
            "Measure",
            f"{this} median",
            f"{this} p90",
            f"{this} incidents",
            f"{last} median",
            f"{last} p90",
            f"{last} incidents",
        ],
        (
            [label, *_spread(sample), *_spread(previous)]
            for (_, label, sample), (_, _, previous) in zip(now.response, before.response, strict=True)
        ),
    )
    lines += [
        "",
        "## Recurring causes",
        "",
        f"Root causes of {this}'s incidents that two or more incidents had up to its end.[^recurring]",
        "",
    ]
    lines += (
        _table(
            ["Service", "Category", f"In {this}", "Up to its end", f"Incidents of {this}"],
            (
                [
                    md_text(cause.service),
                    md_text(cause.category),
                    len(cause.in_period),
                    cause.to_date,
                    "; ".join(f"{md_text(pm.title)} ({_when(pm.started)})" for pm in cause.in_period),
                ]
                for cause in review.recurring
            ),
            numbers=(2, 3),
        )
        if review.recurring
        else ["None."]
    )
    lines += [
        "",
        "## Action items",
        "",
        f"Overdue: open on {now.judged.isoformat()} (for {last}, on {before.judged.isoformat()}) and due before."
        "[^action_items]",
        "",
    ]
    lines += _table(["Action items", this, last], _item_rows(now, before))
    lines += ["", "### Completion by owner", "", f"The items opened in {this}.[^owners]", ""]
    lines += (
        _table(
            ["Owner", "Opened", "Done", "Won't do", "Open", "Overdue", "Completion"],
            (
                [
                    md_text(row.owner),
                    row.opened,
                    row.done,
                    row.wont_do,
                    row.open,
                    row.overdue,
                    NONE if row.completion is None else f"{row.completion:.0f}%",
                ]
                for row in review.owners
            ),
        )
        if review.owners
        else ["No action item was opened."]
    )
    lines += [
        "",
        "## Fixes that did not hold",
        "",
        f"Incidents of {this} whose cause had a fix marked done.[^fixes]",
        "",
    ]
    lines += (
        _table(
            ["Incident", "Cause", "Fix", "Done on", "Earlier incident"],
            (
                [
                    f"{md_text(fix.later.title)} ({_when(fix.later.started)})",
                    f"{md_text(fix.service)}, {md_text(fix.category)}",
                    _item(fix.fix),
                    fix.fix.item.closed.isoformat() if fix.fix.item.closed else NONE,
                    f"{md_text(fix.earlier.title)} ({_when(fix.earlier.started)})",
                ]
                for fix in review.fixes
            ),
            numbers=(),
        )
        if review.fixes
        else ["None."]
    )
    lines += ["", "## Communications owed", "", "What the period's incidents still owe.[^communications]", ""]
    lines += (
        _table(
            ["Incident", "Audience", "State", "Why"],
            (
                [f"{md_text(pm.title)} ({_when(pm.started)})", owed.audience, owed.state, md_text(owed.reason)]
                for pm, notices in review.owed
                for owed in notices
            ),
            numbers=(),
        )
        if review.owed
        else ["Nothing is owed."]
    )
    lines += ["", "## Availability", "", "Per public component, against its target.[^availability]", ""]
    lines += (
        _table(
            ["Component", "Target", this, last, "Target met"],
            (
                [
                    md_text(row.component),
                    _percent(row.target),
                    percent_text(row.current),
                    percent_text(row.previous),
                    NONE if row.met is None else ("yes" if row.met else "**no**"),
                ]
                for row in review.availability
            ),
        )
        if review.availability
        else ["No service of the catalog has a public component."]
    )
    lines.append("")
    lines += [f"[^{key}]: {text}" for key, text in review.definitions.items()]
    return "\n".join(lines) + "\n"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def _dates(period: Period) -> str:
    return period.dates[:1].upper() + period.dates[1:]


def _item(entry: ActionItemEntry) -> str:
    return f"{md_text(entry.item.title)} ({md_text(entry.id)}, {md_text(entry.item.owner)})"


def _item_rows(now: Figures, before: Figures) -> list[list[object]]:
    return [
        ["Opened", len(now.opened), len(before.opened)],
        ["Closed, done", now.closed_as("done"), before.closed_as("done")],
        ["Closed, won't do", now.closed_as("wont-do"), before.closed_as("wont-do")],
        ["Overdue at the end", len(now.overdue), len(before.overdue)],
    ]


# JSON


def _period_json(period: Period) -> dict:
    return {
        "label": period.label,
        "kind": period.kind,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }


def _sample_json(sample: Distribution) -> dict:
    return {
        "count": sample.count,
        "missing": sample.missing,
        "median_minutes": sample.median,
        "p90_minutes": sample.p90,
    }


def _side(figures: Figures, by: str, name: str) -> int:
    return (figures.by_severity() if by == "severity" else figures.by_service()).get(name, 0)


def _ref(pm) -> dict:
    return {"id": pm.id, "title": pm.title, "started": pm.started.isoformat() if pm.started else None}


def review_json(review: Review) -> dict:
    """The review as plain values: `period` and `previous` with their counts side by side, times in minutes,
    percentages as numbers, postmortems as `{id, title, started}`, and the `definitions`."""
    now, before = review.current, review.previous
    return {
        "period": _period_json(now.period),
        "previous": _period_json(before.period),
        "made_on": review.today.isoformat(),
        "incidents": {
            "total": {"period": len(now.incidents), "previous": len(before.incidents)},
            "ids": {"period": [pm.id for pm in now.incidents], "previous": [pm.id for pm in before.incidents]},
            "by_severity": [
                {"severity": name, "period": _side(now, "severity", name), "previous": _side(before, "severity", name)}
                for name in review.severities
            ],
            "by_service": [
                {"service": name, "period": _side(now, "service", name), "previous": _side(before, "service", name)}
                for name in review.services
            ],
        },
        "response_times": [
            {"measure": name, "label": label, "period": _sample_json(sample), "previous": _sample_json(previous)}
            for (name, label, sample), (_, _, previous) in zip(now.response, before.response, strict=True)
        ],
        "recurring_causes": [
            {
                "service": cause.service,
                "category": cause.category,
                "in_period": [_ref(pm) for pm in cause.in_period],
                "up_to_the_end": cause.to_date,
            }
            for cause in review.recurring
        ],
        "action_items": {
            "judged_on": {"period": now.judged.isoformat(), "previous": before.judged.isoformat()},
            **{
                key: {"period": value(now), "previous": value(before)}
                for key, value in (
                    ("opened", lambda f: len(f.opened)),
                    ("closed_done", lambda f: f.closed_as("done")),
                    ("closed_wont_do", lambda f: f.closed_as("wont-do")),
                    ("overdue", lambda f: len(f.overdue)),
                )
            },
            "overdue_ids": [entry.id for entry in now.overdue],
            "by_owner": [
                {
                    "owner": row.owner,
                    "opened": row.opened,
                    "done": row.done,
                    "wont_do": row.wont_do,
                    "open": row.open,
                    "overdue": row.overdue,
                    "completion_percent": row.completion,
                }
                for row in review.owners
            ],
        },
        "fixes_that_did_not_hold": [
            {
                "incident": _ref(fix.later),
                "earlier": _ref(fix.earlier),
                "service": fix.service,
                "category": fix.category,
                "fix": {
                    "id": fix.fix.id,
                    "title": fix.fix.item.title,
                    "owner": fix.fix.item.owner,
                    "closed": fix.fix.item.closed.isoformat() if fix.fix.item.closed else None,
                },
            }
            for fix in review.fixes
        ],
        "communications_owed": [
            {"incident": _ref(pm), "audience": owed.audience, "state": owed.state, "reason": owed.reason}
            for pm, notices in review.owed
            for owed in notices
        ],
        "availability": [
            {
                "component": row.component,
                "target_percent": row.target,
                "period_percent": row.current,
                "previous_percent": row.previous,
                "met": row.met,
            }
            for row in review.availability
        ],
        "definitions": review.definitions,
    }

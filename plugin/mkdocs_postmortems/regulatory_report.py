"""Stage reports drafted from a postmortem (`postmortems regulatory report`): each regime's fields in the order of
its published text, filled from the record where the record says it, and what is still missing with the
front-matter key that would fill it.

The fields are those of the texts, a faithful subset (docs/regulatory-reporting.md says what is left out and why):

- DORA: the data fields of Commission Implementing Regulation (EU) 2025/302, Annex I (numbered as there where given),
  which answer the points of Delegated Regulation (EU) 2025/301, arts. 2 (initial notification), 3 (intermediate
  report) and 4 (final report);
- NIS2: Directive (EU) 2022/2555, art. 23(4)(a), (b) and (d);
- GDPR: Regulation (EU) 2016/679, art. 33(3)(a) to (d);
- SEC: Form 8-K, Item 1.05(a).

The clocks are `regulatory.clocks`'; nothing here counts time. Recurring causes are the root-cause pairs (service,
category) the indexes count (`kb_site.indexes.cause_pairs`) that an earlier incident had too."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from .dates import iso_z, utc_minute
from .kb_site.indexes import cause_pairs
from .model import Postmortem
from .moments import span_text
from .policy import Policy
from .pull_requests.comment import md_text
from .regulatory import REGIME_NAMES, STAGES, Clock, aware_of, clocks, in_zones, regimes_of, why_no_regime

Value = str | int | datetime | tuple[str, ...]
NO_KEY = ""  # a field no front-matter key holds: the team writes it into the report


class ReportError(ValueError):
    """A report that cannot be drafted: an unknown regime or stage."""


class NotApplicable(ReportError):
    """A regime that does not apply to the record: it names no service regulated under it, or it is not configured."""


@dataclass(frozen=True)
class Recurrence:
    """A root cause of the record (service and category) that `earlier` incidents had too, oldest first."""

    service: str
    category: str
    earlier: tuple[Postmortem, ...]


@dataclass(frozen=True)
class Facts:
    """What a report is filled from: the record, the team's policy, its clocks and the knowledge base's recurrences."""

    pm: Postmortem
    policy: Policy
    regime: str
    clocks: tuple[Clock, ...]  # every regime's, for the reports made to other authorities
    earlier: tuple[Clock, ...]  # this regime's stages before the report's
    recurring: tuple[Recurrence, ...]


@dataclass(frozen=True)
class Field:
    """A data field of a stage report: where the text asks for it (`number`), what it is, how the record fills it
    (None: it does not), and the key that would (`NO_KEY`: none does)."""

    number: str
    label: str
    fill: Callable[[Facts], Value | None]
    key: str = NO_KEY


@dataclass(frozen=True)
class Filled:
    field: Field
    value: Value | None


@dataclass(frozen=True)
class StageReport:
    """One stage's report on one record: its fields in the regime's order, this stage's clock and the reports made
    before it."""

    regime: str
    stage: str
    title: str
    source: str
    pm: Postmortem
    clock: Clock
    earlier: tuple[Clock, ...]  # this regime's earlier stages, as their clocks say (submitted, reference)
    fields: tuple[Filled, ...]
    drafted: datetime
    due: str  # this stage's deadline for people: in UTC and the team's zone (`regulatory.in_zones`), or not yet known

    @property
    def missing(self) -> tuple[Field, ...]:
        return tuple(filled.field for filled in self.fields if filled.value is None)


# --- what the record says, one reading each -------------------------------------------------------------------------


def _regulatory(facts: Facts, name: str):
    block = facts.pm.regulatory
    return getattr(block, name) if block is not None else None


def _moment(name: str) -> Callable[[Facts], Value | None]:
    return lambda facts: getattr(facts.pm, name)


def _reported(name: str) -> Callable[[Facts], Value | None]:
    return lambda facts: _regulatory(facts, name)


def _aware(facts: Facts) -> Value | None:
    return aware_of(facts.pm).at


def _description(facts: Facts) -> Value | None:
    return facts.pm.impact.summary or None


def _severity_and_impact(facts: Facts) -> Value | None:
    """The severity, the impact's summary and its figures; None without a summary."""
    pm = facts.pm
    if not pm.impact.summary:
        return None
    severity = [f"Severity: {pm.severity}"] if pm.severity else []
    duration = [f"Users affected for {span_text(pm.duration)}"] if span_text(pm.duration) else []
    return (*severity, pm.impact.summary, *_figures(facts), *duration)


def _figures(facts: Facts) -> tuple[str, ...]:
    """The impact's numbers the record gives, each as a line."""
    impact = facts.pm.impact
    figures = (
        ("Customers affected", impact.customers_affected),
        ("Requests failed", impact.requests_failed),
        ("Data lost", _yes_no(impact.data_loss)),
    )
    return tuple(f"{label}: {value}" for label, value in figures if value is not None)


def _services(facts: Facts) -> Value | None:
    return tuple(facts.pm.services) or None


def _third_party(facts: Facts) -> Value | None:
    """The affected services the catalog says a vendor runs; None when it names none (which proves nothing)."""
    providers = {service.name: service.provider for service in facts.policy.services if service.provider}
    run = [f"{name}: run by {providers[name]}" for name in facts.pm.services if name in providers]
    return tuple(run) or None


def _infrastructure(facts: Facts) -> Value | None:
    return tuple(dict.fromkeys(cause.service for cause in facts.pm.root_causes if cause.service)) or None


def _customers(facts: Facts) -> Value | None:
    return facts.pm.impact.customers_affected


def _requests(facts: Facts) -> Value | None:
    return facts.pm.impact.requests_failed


def _data_loss(facts: Facts) -> Value | None:
    return _yes_no(facts.pm.impact.data_loss)


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _span(name: str) -> Callable[[Facts], Value | None]:
    return lambda facts: span_text(getattr(facts.pm, name)) or None


def _root_causes(facts: Facts) -> Value | None:
    return tuple(f"{cause.kind}, {cause.category}: {cause.summary}" for cause in facts.pm.root_causes) or None


def _actions(done: bool | None) -> Callable[[Facts], Value | None]:
    """The action items, each with its owner, due date and status: all of them, or only those done or not done."""

    def fill(facts: Facts) -> Value | None:
        items = [item for item in facts.pm.action_items if done is None or (item.status == "done") == done]
        return (
            tuple(
                f"{item.title} (owner {item.owner}, due {item.due.isoformat() if item.due else 'undated'}, "
                f"{item.status})"
                for item in items
            )
            or None
        )

    return fill


def _causes_addressed(facts: Facts) -> Value | None:
    """The day the last action item addressing a root cause was closed done; None while one is open or has no
    `closed` day (an item won't do addresses nothing)."""
    ids = {cause.id for cause in facts.pm.root_causes if cause.id}
    fixes = [item for item in facts.pm.action_items if set(item.addresses) & ids and item.status != "wont-do"]
    closed = [item.closed for item in fixes if item.status == "done" and item.closed is not None]
    return max(closed).isoformat() if fixes and len(closed) == len(fixes) else None


def _recurring(facts: Facts) -> Value | None:
    """The recurrences of the record's root causes; that there are none once it has root causes."""
    if not facts.recurring:
        return (
            "None: no earlier incident had a root cause of the same category on the same service."
            if (facts.pm.root_causes)
            else None
        )
    return tuple(
        f"{rec.service} / {rec.category}: "
        + "; ".join(f"{pm.id} ({pm.started.date().isoformat() if pm.started else 'undated'})" for pm in rec.earlier)
        for rec in facts.recurring
    )


def _earlier_reference(facts: Facts) -> Value | None:
    """The reference the authority gave the regime's latest earlier stage that has one."""
    given = [clock.reference for clock in facts.earlier if clock.reference]
    return given[-1] if given else None


def _other_authorities(facts: Facts) -> Value | None:
    told = [
        f"{clock.regime} {clock.stage}: submitted {utc_minute(clock.submitted)}"
        + (f", reference {clock.reference}" if clock.reference else "")
        for clock in facts.clocks
        if clock.regime != facts.regime and clock.submitted is not None
    ]
    return tuple(told) or None


def _timing(facts: Facts) -> Value | None:
    pm = facts.pm
    moments = [
        (label, moment)
        for label, moment in (
            ("started", pm.started),
            ("detected", pm.detected),
            ("mitigated", pm.mitigated),
            ("resolved", pm.resolved),
            ("determined material", _regulatory(facts, "materiality_determined")),
        )
        if moment is not None
    ]
    return tuple(f"{label} {utc_minute(moment)}" for label, moment in moments) or None


def _scope(facts: Facts) -> Value | None:
    services = [f"Services affected: {', '.join(facts.pm.services)}"] if facts.pm.services else []
    return (*services, *_figures(facts)) or None


def _never(facts: Facts) -> Value | None:
    return None


def _id(facts: Facts) -> Value | None:
    return facts.pm.id


# --- the fields of each stage, in the order of its text -------------------------------------------------------------

_DORA_RTS = "Delegated Regulation (EU) 2025/301"
_DORA_ITS = "Implementing Regulation (EU) 2025/302, Annex I"

FIELDS: dict[tuple[str, str], tuple[str, tuple[Field, ...]]] = {
    ("dora", "initial"): (
        f"{_DORA_ITS}, fields 2.1 to 2.9 ({_DORA_RTS}, art. 2)",
        (
            Field("2.1", "Incident reference code assigned by the financial entity", _id),
            Field("2.2", "Date and time of detection", _moment("detected"), "detected"),
            Field(
                "2.3",
                "Date and time of classification as major",
                _reported("classified_major"),
                "regulatory.classified_major",
            ),
            Field("2.4", "Description of the incident", _description, "impact.summary"),
            Field(
                "2.5", "Classification criteria that triggered the report (Delegated Regulation (EU) 2024/1772)", _never
            ),
            Field("2.6", "Member States impacted (criterion 'geographical spread')", _never),
            Field("2.7", "How the incident was discovered", _never),
            Field(
                "2.8",
                "Whether it originates from a third-party provider",
                _third_party,
                "mkdocs.yml services[].provider",
            ),
            Field("2.9", "Activation of a business continuity plan", _never),
        ),
    ),
    ("dora", "intermediate"): (
        f"{_DORA_ITS}, fields 3.1 to 3.5, and {_DORA_RTS}, art. 3",
        (
            Field(
                "3.1",
                "Incident reference code provided by the competent authority",
                _earlier_reference,
                "regulatory.reports[].reference",
            ),
            Field("3.2", "Date and time of occurrence", _moment("started"), "started"),
            Field("3.3", "Date and time services were recovered", _moment("mitigated"), "mitigated"),
            Field("3.4", "Number of clients affected", _customers, "impact.customers_affected"),
            Field("RTS 3(d)", "Affected transactions (requests failed)", _requests, "impact.requests_failed"),
            Field("RTS 3(d)", "Duration of the incident (started to resolved)", _span("time_to_resolve"), "resolved"),
            Field("RTS 3(d)", "Service downtime (started to mitigated)", _span("time_to_mitigate"), "mitigated"),
            Field("RTS 3(d)", "Data losses", _data_loss, "impact.data_loss"),
            Field("RTS 3(e)", "Type of the incident", _never),
            Field("RTS 3(g)", "Affected functional areas and business processes", _services, "services"),
            Field("RTS 3(h)", "Affected infrastructure components", _infrastructure, "root_causes[].service"),
            Field("RTS 3(i)", "Impact on the financial interest of clients", _never),
            Field("RTS 3(j)", "Reporting to other authorities", _other_authorities, "regulatory.reports"),
            Field("RTS 3(k)", "Temporary actions taken or planned to recover", _actions(None), "action_items"),
            Field("RTS 3(l)", "Indicators of compromise", _never),
        ),
    ),
    ("dora", "final"): (
        f"{_DORA_RTS}, art. 4 (the final report's fields of {_DORA_ITS})",
        (
            Field("RTS 4(a)", "Root causes of the incident", _root_causes, "root_causes"),
            Field("RTS 4(b)", "Date and time the incident was resolved", _moment("resolved"), "resolved"),
            Field(
                "RTS 4(b)",
                "Date the root causes were addressed (last fix closed)",
                _causes_addressed,
                "action_items[].closed",
            ),
            Field("RTS 4(c)", "Resolution of the incident (action items)", _actions(None), "action_items"),
            Field("RTS 4(e)", "Direct and indirect costs and losses, and financial recoveries", _never),
            Field(
                "RTS 4(f)",
                "Recurring incidents (same service and root-cause category)",
                _recurring,
                "root_causes[].category",
            ),
        ),
    ),
    ("nis2", "early-warning"): (
        "Directive (EU) 2022/2555, art. 23(4)(a)",
        (
            Field("23(4)(a)", "Became aware of the significant incident", _aware, "regulatory.aware"),
            Field("23(4)(a)", "Services affected", _services, "services"),
            Field("23(4)(a)", "Suspected of being caused by unlawful or malicious acts", _never),
            Field("23(4)(a)", "Could have a cross-border or cross-sectoral impact", _never),
        ),
    ),
    ("nis2", "notification"): (
        "Directive (EU) 2022/2555, art. 23(4)(b)",
        (
            Field(
                "23(4)(b)",
                "Update of the early warning (its reference)",
                _earlier_reference,
                "regulatory.reports[].reference",
            ),
            Field("23(4)(b)", "Initial assessment: severity and impact", _severity_and_impact, "impact.summary"),
            Field("23(4)(b)", "Indicators of compromise", _never),
        ),
    ),
    ("nis2", "final"): (
        "Directive (EU) 2022/2555, art. 23(4)(d)",
        (
            Field("23(4)(d)(i)", "Detailed description, severity and impact", _severity_and_impact, "impact.summary"),
            Field(
                "23(4)(d)(ii)", "Type of threat or root cause likely to have triggered it", _root_causes, "root_causes"
            ),
            Field("23(4)(d)(iii)", "Mitigation measures applied", _actions(True), "action_items[].status"),
            Field("23(4)(d)(iii)", "Mitigation measures ongoing", _actions(False), "action_items"),
            Field("23(4)(d)(iv)", "Cross-border impact", _never),
        ),
    ),
    ("gdpr", "notification"): (
        "Regulation (EU) 2016/679, art. 33(3)",
        (
            Field("33(3)(a)", "Nature of the personal data breach", _description, "impact.summary"),
            Field("33(3)(a)", "Approximate number of data subjects concerned", _customers, "impact.customers_affected"),
            Field("33(3)(a)", "Categories and approximate number of personal data records", _never),
            Field("33(3)(b)", "Name and contact details of the data protection officer", _never),
            Field("33(3)(c)", "Likely consequences of the breach", _never),
            Field("33(3)(d)", "Measures taken or proposed to address the breach", _actions(None), "action_items"),
        ),
    ),
    ("sec-8k", "8-k"): (
        "Form 8-K, Item 1.05(a)",
        (
            Field("1.05(a)", "Nature of the incident", _description, "impact.summary"),
            Field("1.05(a)", "Scope of the incident", _scope, "impact.customers_affected"),
            Field("1.05(a)", "Timing of the incident", _timing, "started"),
            Field(
                "1.05(a)",
                "Material impact on the registrant, its financial condition and results of operations",
                _never,
            ),
        ),
    ),
}


def _known(regime: str, stage: str) -> None:
    """ReportError unless `regime` is known and has `stage`."""
    if regime not in STAGES:
        raise ReportError(f"no regime `{regime}`; regimes: {', '.join(STAGES)}")
    names = [known.name for known in STAGES[regime]]
    if stage not in names:
        raise ReportError(f"{regime} has no stage `{stage}`; its stages: {', '.join(names)}")


def recurring_causes(pm: Postmortem, others: Iterable[Postmortem]) -> tuple[Recurrence, ...]:
    """The (service, category) pairs of `pm`'s root causes that incidents started before it had too, as the indexes
    pair them (`cause_pairs`; a maintenance's causes count for none), most earlier incidents first."""
    if pm.is_maintenance:
        return ()
    mine: dict[tuple[str, str], list[Postmortem]] = {
        pair: [] for cause in pm.root_causes for pair in cause_pairs(pm, cause)
    }
    start = _start(pm)
    for other in sorted(others, key=_start):
        if other.id == pm.id or other.is_maintenance or _start(other) >= start:
            continue
        for pair in {pair for cause in other.root_causes for pair in cause_pairs(other, cause)} & mine.keys():
            mine[pair].append(other)
    found = [Recurrence(service, category, tuple(pms)) for (service, category), pms in mine.items() if pms]
    return tuple(sorted(found, key=lambda rec: (-len(rec.earlier), rec.service, rec.category)))


def _start(pm: Postmortem) -> tuple[datetime, str]:
    return pm.started or datetime.min.replace(tzinfo=timezone.utc), pm.id


def draft(
    pm: Postmortem, policy: Policy, regime: str, stage: str, now: datetime, others: Iterable[Postmortem] = ()
) -> StageReport:
    """`regime`'s `stage` report on `pm` as on `now`, filled from the record and from `others` (the knowledge base's
    records, for recurring causes). ReportError for an unknown regime or stage, NotApplicable for one that does not
    apply."""
    _known(regime, stage)
    applies = regimes_of(pm, policy)
    if regime not in applies:
        raise NotApplicable(
            f"{regime} does not apply to {pm.id}: "
            + (f"its regimes are {', '.join(applies)}" if applies else why_no_regime(pm))
        )
    ticking = clocks(pm, policy, now)
    ours = [clock for clock in ticking if clock.regime == regime]
    at = [clock.stage for clock in ours].index(stage)
    due = ours[at].due
    facts = Facts(pm, policy, regime, ticking, tuple(ours[:at]), recurring_causes(pm, others))
    source, fields = FIELDS[(regime, stage)]
    return StageReport(
        regime=regime,
        stage=stage,
        title=ours[at].title,
        source=source,
        pm=pm,
        clock=ours[at],
        earlier=tuple(ours[:at]),
        fields=tuple(Filled(field, field.fill(facts)) for field in fields),
        drafted=now,
        due=in_zones(due, policy) if due else "not yet known",
    )


# --- the report as Markdown and as JSON ----------------------------------------------------------------------------


def _text(value: Value) -> list[str]:
    """A value as Markdown lines: a list as items, a time in UTC, anything else as escaped text."""
    if isinstance(value, tuple):
        return [f"- {md_text(line)}" for line in value]
    if isinstance(value, datetime):
        return [utc_minute(value)]
    return [md_text(str(value))]


def _where(field: Field) -> str:
    return f"set `{field.key}`" if field.key else "no front-matter key holds it: write it into the report"


def _clock_line(clock: Clock, due: str) -> str:
    parts = [f"due {due}: {md_text(clock.counts_from)}"]
    parts.append(f"state: {clock.state}")
    if clock.waiting_on:
        parts.append(f"waiting on `{clock.waiting_on}`")
    if clock.submitted:
        parts.append(f"submitted {utc_minute(clock.submitted)}")
    if clock.reason:
        parts.append(md_text(clock.reason))
    return "; ".join(parts) + "."


def report_markdown(report: StageReport) -> str:
    """The report as Markdown: its clock, the earlier reports, a section per field in the text's order, and
    "Still missing" with the key that would fill each."""
    pm = report.pm
    lines = [
        f"# {md_text(report.title)} ({REGIME_NAMES[report.regime]}): {md_text(pm.title)}",
        "",
        f"Drafted from `{pm.path}` on {utc_minute(report.drafted)}, in the order of {report.source}. A draft for "
        "the team to complete and check before it is submitted: not legal advice.",
        "",
        f"Clock: {_clock_line(report.clock, report.due)}",
        "",
    ]
    if report.earlier:
        lines += ["Earlier reports:", ""]
        lines += [
            f"- {md_text(clock.title)}: "
            + (
                f"submitted {utc_minute(clock.submitted)}"
                + (f", reference {md_text(clock.reference)}" if clock.reference else ", no reference recorded")
                if clock.submitted
                else f"not submitted ({clock.state})"
            )
            for clock in report.earlier
        ]
        lines.append("")
    for filled in report.fields:
        lines += [f"## {filled.field.number} {md_text(filled.field.label)}", ""]
        lines += _text(filled.value) if filled.value is not None else [f"_Missing: {_where(filled.field)}._"]
        lines.append("")
    lines += ["## Still missing", ""]
    lines += [f"- {field.number} {md_text(field.label)}: {_where(field)}" for field in report.missing] or ["Nothing."]
    return "\n".join(lines) + "\n"


def _json_value(value: Value | None):
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, datetime):
        return iso_z(value)
    return value


def _moment_json(moment: datetime | None) -> str | None:
    return iso_z(moment) if moment else None


def _clock_json(clock: Clock) -> dict:
    return {
        "stage": clock.stage,
        "title": clock.title,
        "due": _moment_json(clock.due),
        "counts_from": clock.counts_from,
        "state": clock.state,
        "waiting_on": clock.waiting_on,
        "submitted": _moment_json(clock.submitted),
        "reference": clock.reference,
        "reason": clock.reason,
    }


def report_json(report: StageReport) -> dict:
    """The report as plain values: times ISO 8601 UTC, each field's `value` null where the record does not fill it,
    and `missing` with the `key` that would (empty: none does)."""
    return {
        "regime": report.regime,
        "stage": report.stage,
        "title": report.title,
        "source": report.source,
        "postmortem": {"id": report.pm.id, "path": report.pm.path, "title": report.pm.title},
        "drafted": iso_z(report.drafted),
        "clock": _clock_json(report.clock),
        "earlier_reports": [_clock_json(clock) for clock in report.earlier],
        "fields": [
            {
                "number": filled.field.number,
                "label": filled.field.label,
                "value": _json_value(filled.value),
                "key": filled.field.key,
            }
            for filled in report.fields
        ],
        "missing": [{"number": field.number, "label": field.label, "key": field.key} for field in report.missing],
    }

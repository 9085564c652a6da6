"""The knowledge base's policy: scales, catalogs and rules a team configures (no MkDocs here)."""

from __future__ import annotations

import re
from datetime import date
from dataclasses import dataclass, field
from typing import Mapping

from .diagnostics import Level

DEFAULT_SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
DEFAULT_PRIORITIES = ("P1", "P2", "P3")
DEFAULT_REQUIRED_SECTIONS = (
    "Summary",
    "Impact",
    "Timeline",
    "Root cause analysis",
    "Resolution",
    "Lessons learned",
)
DEFAULT_CATEGORIES = (
    ("software-bug", "A defect in code we wrote."),
    ("config-change", "A configuration or feature-flag change."),
    ("deployment", "How a change was rolled out, not the change itself."),
    ("capacity", "Load beyond what the system was provisioned or designed for."),
    ("dependency", "A failure in a third-party or another team's service."),
    ("infrastructure", "Hardware, network, cloud or platform failure."),
    ("monitoring-gap", "Missing or misleading alerts, dashboards or logs."),
    ("process", "A runbook, review or communication process that did not hold."),
    ("security", "A vulnerability, credential or access-control failure."),
    ("data", "Bad, lost or inconsistent data, or a failed migration."),
)
STATUSES = ("ongoing", "draft", "in-review", "published")
# `ongoing`: live on the status page while it happens (and until its review starts); the same file then becomes
# the postmortem (`draft`, `in-review`, `published`). Records in these states with a `public` block go public.
LIVE, PUBLISHED = "ongoing", "published"
ROOT_CAUSE_KINDS = ("causal", "contributing", "systemic")
ACTION_ITEM_STATUSES = ("open", "in-progress", "done", "wont-do")
AUDIENCES = ("internal", "customers", "regulators")
PUBLIC_IMPACTS = ("minor", "major", "critical")  # Statuspage's incident impact, mildest first
PUBLIC_UPDATE_STATUSES = ("investigating", "identified", "monitoring", "resolved")
MAINTENANCE_UPDATE_STATUSES = ("scheduled", "in_progress", "verifying", "completed")  # Statuspage's, in order
# Review deadlines from `resolved`, by rank on the severity scale (worst first), for a scale of any names:
# PagerDuty and Atlassian publish within days, not weeks.
DEFAULT_PUBLISH_WITHIN_BUSINESS_DAYS = (5, 5, 10, 10)
DEFAULT_FIRST_PRIORITY_DUE_WITHIN_DAYS = (15, 30)
# The leak gate's defaults: ticket keys such as OPS-123, and hosts no customer can reach.
DEFAULT_TICKET_PATTERN = r"[A-Z][A-Z0-9]+-\d+"
DEFAULT_INTERNAL_HOSTS = ("*.internal", "*.corp", "*.local")


@dataclass(frozen=True)
class Service:
    """A service of the catalog; `component` is its public name, if customers may see it."""

    name: str
    description: str = ""
    component: str | None = None
    public: bool = False  # its name may appear in public text (the leak gate lets it through)
    regulated: bool = False  # an incident affecting it owes a report to the regulator
    since: date | None = None  # when it started serving customers: the status page shows no data before


@dataclass(frozen=True)
class Webhook:
    """Where `postmortems notify` sends what the public feed gained: `format` `slack` (`{"text": ...}`) or `json`
    (signed with the secret in the environment variable `secret_env`); the URL as given, or read from the
    environment variable `url_env`."""

    url: str | None = None
    url_env: str | None = None
    format: str = "json"
    secret_env: str | None = None


@dataclass(frozen=True)
class Category:
    """A root-cause category of the taxonomy."""

    name: str
    description: str = ""


@dataclass(frozen=True)
class Policy:
    """Everything a knowledge base configures; the plugin and the CLI build it from the same options."""

    folder: str = "postmortems"
    severities: tuple[str, ...] = DEFAULT_SEVERITIES
    services: tuple[Service, ...] = ()
    categories: tuple[Category, ...] = tuple(Category(n, d) for n, d in DEFAULT_CATEGORIES)
    priorities: tuple[str, ...] = DEFAULT_PRIORITIES
    required_sections: tuple[str, ...] = DEFAULT_REQUIRED_SECTIONS
    action_items_required_for: tuple[str, ...] = DEFAULT_SEVERITIES[:2]  # the two worst, as policy_from_options
    include_drafts: bool = False
    rule_levels: Mapping[str, Level] = field(default_factory=dict)
    publish_within_business_days: Mapping[str, int] = field(
        default_factory=lambda: dict(zip(DEFAULT_SEVERITIES, DEFAULT_PUBLISH_WITHIN_BUSINESS_DAYS)))
    first_priority_due_within_days: Mapping[str, int] = field(
        default_factory=lambda: dict(zip(DEFAULT_SEVERITIES, DEFAULT_FIRST_PRIORITY_DUE_WITHIN_DAYS)))
    blameless_names: tuple[str, ...] = ()  # people named in text, besides authors, reviewers and owners
    blameless_phrases: tuple[str, ...] = ()  # more blaming phrases to flag
    blameless_allowed: tuple[str, ...] = ()  # phrases never to flag
    templates_folder: str | None = None  # more `postmortems new --template` templates, beside mkdocs.yml
    ticket_pattern: str = DEFAULT_TICKET_PATTERN  # leak gate: a ticket key in public text
    internal_hosts: tuple[str, ...] = DEFAULT_INTERNAL_HOSTS  # leak gate: host globs; private IPs always
    public_deny: tuple[str, ...] = ()  # leak gate: terms that must never go public
    customer_notice_for: tuple[str, ...] = DEFAULT_SEVERITIES[:2]  # severities whose public incidents owe customers a notice
    regulator_report_within_days: int = 3  # days from detection (or start) to report to the regulator
    public_site: bool = False  # build the public status site instead of the knowledge base
    history_page_size: int = 25  # public incidents per history page
    uptime_days: int = 90  # days of uptime bars per component
    webhooks: tuple[Webhook, ...] = ()  # where `postmortems notify` sends new public updates

    @property
    def service_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.services)

    @property
    def category_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.categories)

    @property
    def components(self) -> tuple[str, ...]:
        """Public component names, in catalog order, without repeats."""
        return tuple(dict.fromkeys(s.component for s in self.services if s.component))

    def component_since(self, component: str) -> date | None:
        """The earliest `since` of the services behind a public component; None if any has none."""
        dates = [s.since for s in self.services if s.component == component]
        return None if not dates or None in dates else min(dates)

    def level_of(self, code: str, default: Level) -> Level:
        """The level a rule reports at: its default unless the policy overrides it."""
        return self.rule_levels.get(code, default)


def policy_from_options(options: Mapping) -> Policy:
    """Build a `Policy` from type-checked plugin options (the keys of the plugin's `Config`).

    Raises ValueError when the options contradict each other, so a typo never switches a rule off.
    """
    for scale in ("severities", "priorities"):
        if not options[scale]:
            raise ValueError(f"`{scale}` must list at least one value")
    from .checks import RULES  # the rules import the policy: read their registry once both are loaded
    unknown = set(options["rule_levels"]) - set(RULES)
    if unknown:
        raise ValueError(f"`rule_levels` names unknown rules: {', '.join(sorted(unknown))}")
    required_for = options["action_items_required_for"]
    if required_for is None:  # default: the two worst severities of whatever scale is configured
        required_for = options["severities"][:2]
    stray = set(required_for) - set(options["severities"])
    if stray:
        raise ValueError(f"`action_items_required_for` names severities not in `severities`: {', '.join(sorted(stray))}")
    review, blameless, gate = options["review"], options["blameless"], options["leak_gate"]
    owed = options["communication_policy"]
    customers_for = owed["customers_for"]
    if customers_for is None:  # default: the two worst severities, like `action_items_required_for`
        customers_for = options["severities"][:2]
    stray = set(customers_for) - set(options["severities"])
    if stray:
        raise ValueError(f"`communication_policy.customers_for` names severities not in `severities`: "
                         f"{', '.join(sorted(stray))}")
    for index, hook in enumerate(options["status_page"]["webhooks"]):
        if bool(hook.get("url")) == bool(hook.get("url_env")):
            raise ValueError(f"`status_page.webhooks` entry {index + 1} needs exactly one of `url` and `url_env`")
    try:
        re.compile(gate["ticket_pattern"])
    except re.error as error:
        raise ValueError(f"`leak_gate.ticket_pattern` is not a regular expression: {error}") from None
    deadlines = {}
    for name, default in (("publish_within_business_days", DEFAULT_PUBLISH_WITHIN_BUSINESS_DAYS),
                          ("first_priority_due_within_days", DEFAULT_FIRST_PRIORITY_DUE_WITHIN_DAYS)):
        given = review[name]
        if given is None:  # default: by rank, whatever the severities are called
            given = dict(zip(options["severities"], default))
        stray = set(given) - set(options["severities"])
        if stray:
            raise ValueError(f"`review.{name}` names severities not in `severities`: {', '.join(sorted(stray))}")
        deadlines[name] = dict(given)
    return Policy(
        folder=options["folder"],
        severities=tuple(options["severities"]),
        services=tuple(
            Service(s["name"], s.get("description") or "", s.get("component"), bool(s.get("public")),
                    bool(s.get("regulated")), s.get("since"))
            for s in options["services"]
        ),
        categories=tuple(Category(c["name"], c.get("description") or "") for c in options["root_cause_categories"]),
        priorities=tuple(options["priorities"]),
        required_sections=tuple(options["required_sections"]),
        action_items_required_for=tuple(required_for),
        include_drafts=bool(options["include_drafts"]),
        rule_levels={code: Level(level) for code, level in options["rule_levels"].items()},
        publish_within_business_days=deadlines["publish_within_business_days"],
        first_priority_due_within_days=deadlines["first_priority_due_within_days"],
        blameless_names=tuple(blameless["names"]),
        blameless_phrases=tuple(blameless["phrases"]),
        blameless_allowed=tuple(blameless["allowed"]),
        templates_folder=options["templates_folder"],
        ticket_pattern=gate["ticket_pattern"],
        internal_hosts=tuple(gate["internal_hosts"]),
        public_deny=tuple(gate["deny"]),
        customer_notice_for=tuple(customers_for),
        regulator_report_within_days=owed["regulator_report_within_days"],
        public_site=bool(options["status_page"]["public_site"]),
        history_page_size=options["status_page"]["history_page_size"],
        uptime_days=options["status_page"]["uptime_days"],
        webhooks=tuple(Webhook(w.get("url"), w.get("url_env"), w.get("format") or "json", w.get("secret_env"))
                       for w in options["status_page"]["webhooks"]),
    )

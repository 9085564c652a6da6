"""The knowledge base's policy: scales, catalogs and rules a team configures, each option of `mkdocs.yml` declared
once as the field it sets (`option_fields.option()`: its default, type, docs text, place and checks). No MkDocs
here."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .diagnostics import Level
from .option_fields import REQUIRED, Group, among, at_least_one, not_empty, option, regular_expressions

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
# Headings other teams give the required sections (Google's, PagerDuty's and Atlassian's templates, and real files):
# any of them satisfies `section-missing`. Only headings of the same meaning.
DEFAULT_SECTION_ALIASES = {
    "Summary": ("Issue Summary", "Incident Summary", "Executive Summary", "Overview", "TL;DR", "Description"),
    "Impact": ("Customer Impact", "User Impact", "Business Impact", "Impact Assessment", "Impact and Severity"),
    "Timeline": ("Timeline (UTC)", "Incident Timeline", "Detailed Timeline", "Timeline of Events", "Chronology"),
    "Root cause analysis": (
        "Root Cause",
        "Root Causes",
        "Root Cause Analysis (RCA)",
        "RCA",
        "Contributing Factors",
        "Root Cause and Contributing Factors",
        "Root Causes and Trigger",
        "Causes",
        "Trigger",
    ),
    "Resolution": (
        "Resolution and Recovery",
        "Recovery",
        "Remediation",
        "Mitigation",
        "Resolution and Mitigation",
        "Fix",
    ),
    "Lessons learned": (
        "Lessons Learnt",
        "Lessons",
        "Learnings",
        "Key Learnings",
        "Takeaways",
        "What Went Well",
        "What Went Wrong",
        "Where We Got Lucky",
    ),
}
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
STATUSES = ("ongoing", "draft", "in-review", "published", "imported")
# `ongoing`: live on the status page while it happens (and until its review starts); the same file then becomes
# the postmortem (`draft`, `in-review`, `published`). `imported`: history `postmortems import` took from another
# tool, never reviewed here; only what was public already goes public again (`status_site/said.py`).
LIVE, PUBLISHED, IMPORTED = "ongoing", "published", "imported"
REVIEW_STATES = STATUSES[:-1]  # every state but `imported`: the states a review and its deadlines belong to
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
# The leak gate's defaults: ticket keys such as OPS-123, and hosts no customer can reach. A key is a project key of
# two to ten letters and digits, as Jira's are, a hyphen and a number: `retriggering-2` is a word, not a project.
# A team that knows its trackers' keys says so instead: `ticket_pattern: "(?:OPS|PAY|CHK)-\d+"`.
DEFAULT_TICKET_PATTERN = r"[A-Z][A-Z0-9]{1,9}-\d+"
DEFAULT_INTERNAL_HOSTS = ("*.internal", "*.corp", "*.local")
# Identifiers that look like ticket keys but are public: CVEs, advisories, encodings, hashes, standards, tiers, and
# the versions of operating systems, distributions, languages and runtimes (`epel-9`, `ubuntu-22`, `python-3`,
# `node-18`). Globs, matched without regard to case against the key as the gate reads it (`leak_gate.public_tickets`).
DEFAULT_PUBLIC_TICKETS = (
    "CVE-*",
    "GHSA-*",
    "RHSA-*",
    "USN-*",
    "DSA-*",
    "COVID-19",
    "UTF-*",
    "SHA-*",
    "AES-*",
    "RSA-*",
    "ISO-*",
    "IEC-*",
    "SOC-*",
    "PCI-*",
    "TLS-*",
    "HTTP-*",
    "IPV-*",
    "X86-*",
    "ARM-*",
    "TIER-*",
    "LEVEL-*",
    "STEP-*",
    "PHASE-*",
    "PART-*",
    "TOP-*",
    "GPT-*",
    "WINDOWS-*",
    "IOS-*",
    "WEEK-*",
    "DAY-*",
    "Y2K-*",
    "RHEL-*",
    "EPEL-*",
    "CENTOS-*",
    "FEDORA-*",
    "UBUNTU-*",
    "DEBIAN-*",
    "ALPINE-*",
    "ROCKY-*",
    "ALMA-*",
    "SLES-*",
    "OPENSUSE-*",
    "ANDROID-*",
    "MACOS-*",
    "PYTHON-*",
    "NODE-*",
    "NODEJS-*",
    "JAVA-*",
    "JDK-*",
    "OPENJDK-*",
    "PHP-*",
    "RUBY-*",
    "PERL-*",
    "GOLANG-*",
    "RUST-*",
    "DOTNET-*",
    "GCC-*",
    "LLVM-*",
    "POSTGRES-*",
    "POSTGRESQL-*",
    "MYSQL-*",
    "MARIADB-*",
    "REDIS-*",
    "CHROME-*",
    "FIREFOX-*",
)
# Built-in cloud and cluster patterns (`leak_gate.cloud_patterns`, `leak_gate.cluster_patterns`), each with what
# it finds. Regular expressions, matched without regard to case on the text as the gate reads it (see
# `status_site/normalise.py`), as whole words.
_TAIL = r"[^\s\"'<>()\[\]{},;]*[^\s\"'<>()\[\]{},;.:!?]"  # the rest of a path or URL, without end punctuation
CLOUD_PATTERNS = {
    rf"arn:aws[a-z-]*:{_TAIL}": "an AWS resource name (ARN)",
    r"\d{12}|\d{4}-\d{4}-\d{4}": "a 12-digit AWS account id",
    rf"(?:s3|gs|az|abfss?|wasbs?)://{_TAIL}": "a storage bucket",
    rf"(?:[a-z0-9-]+\.)+amazonaws\.com(?:/{_TAIL})?": "an AWS endpoint or bucket",
    rf"(?:[a-z0-9-]+\.)*storage\.googleapis\.com(?:/{_TAIL})?": "a Google Cloud Storage bucket",
    r"(?:[a-z0-9-]+\.)+(?:blob|queue|table|file|dfs)\.core\.windows\.net": "an Azure storage account",
    r"(?:[a-z0-9-]+\.)+(?:database\.windows\.net|vault\.azure\.net|servicebus\.windows\.net)": "an Azure resource",
    r"(?:i|vol|sg|subnet|vpc|eni|ami|snap|igw|nat|rtb|acl|eipalloc|tgw|pcx|lt|db|cluster)-(?:[0-9a-f]{17}|[0-9a-f]{8})": "a cloud resource id",
    r"projects/[a-z][a-z0-9-]{4,28}[a-z0-9]|[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com"
    r"|(?:gcp |google cloud )?project(?: id| ids?)?[:=] ?[a-z][a-z0-9-]{4,28}[a-z0-9]": "a Google Cloud project id",
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}": "a GUID (an Azure subscription or tenant id)",
    r"resourcegroups/[\w.-]+|subscriptions/[\w.-]+": "an Azure resource path",
    r"ip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}(?:\.[a-z0-9-]+)*": "a cloud host name",
}
CLUSTER_PATTERNS = {
    r"(?:[a-z0-9-]+\.)+svc(?:\.cluster\.local)?|(?:[a-z0-9-]+\.)*cluster\.local": "a Kubernetes service address",
    r"(?:namespace|ns) ?[:=/] ?[a-z0-9][a-z0-9-]*|namespaces? [a-z0-9]+(?:-[a-z0-9]+)+": "a Kubernetes namespace",
    r"kube-(?:system|public|node-lease|proxy|dns|apiserver|controller-manager|scheduler)|istio-system|ingress-nginx"
    r"|cert-manager|gatekeeper-system|flux-system|argocd|calico-system|tigera-operator": "a Kubernetes namespace",
    r"(?:pods?|deployments?|deploy|statefulsets?|sts|daemonsets?|replicasets?|configmaps?|secrets?|cronjobs?|svc)"
    r"/[a-z0-9][a-z0-9.-]*[a-z0-9]": "a Kubernetes resource",
    r"[a-z][a-z0-9-]*-[0-9a-f]{8,10}-[a-z0-9]{5}|gke-[a-z0-9]+(?:-[a-z0-9]+){2,}": "a Kubernetes pod or node name",
}
# Substrings one of which a text must contain for a built-in pattern to match it: the gate skips the pattern
# otherwise (a test in C instead of a regex scan per text). A pattern without needles always runs.
PATTERN_NEEDLES: dict[str, tuple[str, ...] | re.Pattern] = dict(
    zip(
        (*CLOUD_PATTERNS, *CLUSTER_PATTERNS),
        (
            ("arn:",),
            re.compile(r"\d{4}"),
            ("://",),
            ("amazonaws.com",),
            ("storage.googleapis.com",),
            (".core.windows.net",),
            (".windows.net", ".azure.net"),
            re.compile(r"-[0-9a-f]{8}"),
            ("projects/", "gserviceaccount", "project"),
            re.compile(r"[0-9a-f]{8}-"),
            ("resourcegroups/", "subscriptions/"),
            ("ip-",),
            (".svc", "cluster.local"),
            ("namespace", "ns:", "ns=", "ns/", "ns :", "ns ="),
            ("kube-", "-system", "ingress-nginx", "cert-manager", "argocd", "tigera-operator"),
            ("/",),
            re.compile(r"-[0-9a-f]{8}|gke-"),
        ),
        strict=True,
    )
)
DEFAULT_CLOUD_PATTERNS = tuple(CLOUD_PATTERNS)
DEFAULT_CLUSTER_PATTERNS = tuple(CLUSTER_PATTERNS)
# Hosts that serve many organisations: a site or repository there says nothing of which domain is the company's.
SHARED_HOSTS = (
    "github.com",
    "github.io",
    "gitlab.com",
    "gitlab.io",
    "bitbucket.org",
    "codeberg.org",
    "sr.ht",
    "readthedocs.io",
    "netlify.app",
    "pages.dev",
    "vercel.app",
    "web.app",
    "firebaseapp.com",
    "herokuapp.com",
    "azurewebsites.net",
    "cloudfront.net",
    "amazonaws.com",
    "surge.sh",
    "onrender.com",
    "fly.dev",
    "localhost",
)
MAX_UPTIME_DAYS = 366  # a year of daily bars; 2,400 made a 39 MB page
TRACKER_KINDS = ("github", "gitlab", "jira")
REGIMES = ("dora", "nis2", "gdpr", "sec-8k")  # the reporting regimes whose clocks `regulatory` computes

# What the options' values are checked for, besides their types (`option_fields`'s shared checks).


def _one_address(value, options) -> str | None:
    for index, hook in enumerate(value):
        if bool(hook.get("url")) == bool(hook.get("url_env")):
            return f"entry {index + 1} needs exactly one of `url` and `url_env`"
    return None


def _a_year_of_days(value, options) -> str | None:
    if 1 <= value <= MAX_UPTIME_DAYS:
        return None
    return f"is {value}; it must be from 1 to {MAX_UPTIME_DAYS} (a year of daily bars per component)"


def _public_components(value, options) -> str | None:
    """The keys must be components of the service catalog (`services.component`)."""
    components = {service["component"] for service in options["services"] if service["component"]}
    stray = sorted(set(value) - components)
    if stray:
        known = ", ".join(sorted(components)) or "none: give a service a `component`"
        return f"names components not in `services.component`: {', '.join(stray)} (the components: {known})"
    return None


def _percentages(value, options) -> str | None:
    wrong = [f"{name}: {percent}" for name, percent in value.items() if not 0 < percent <= 100]
    return f"must be percentages above 0 and at most 100, not {'; '.join(wrong)}" if wrong else None


def _regimes_configured(value, options) -> str | None:
    """A service's list of regimes must be among `regulatory.regimes`."""
    if value is True or value is False:
        return None
    stray = sorted(set(value) - set(options["regulatory"]["regimes"]))
    return f"names regimes not in `regulatory.regimes`: {', '.join(stray)}" if stray else None


# Defaults computed from the other options, whatever the severities are called.


def _two_worst(options) -> list[str]:
    return options["severities"][:2]


def _by_rank(days: tuple[int, ...]) -> Callable[[Mapping], dict[str, int]]:
    return lambda options: dict(zip(options["severities"], days, strict=False))


def _ranked(days: tuple[int, ...]) -> str:
    """`5, 5, 10 and 10`."""
    return " and ".join(filter(None, (", ".join(map(str, days[:-1])), str(days[-1]))))


def _levels(levels: Mapping[str, str]) -> dict[str, Level]:
    return {code: Level(level) for code, level in levels.items()}


@dataclass(frozen=True)
class Service:
    """A service of the catalog; `component` is its public name, if customers may see it."""

    name: str = option(REQUIRED, "What postmortems write in `services`.")
    description: str = option("", "What the service is, for people browsing the configuration.")
    component: str | None = option(
        None,
        "The public name customers know it by, if any: `public.components` "
        "may name only these, so an internal service such as `orders-db` has none.",
    )
    public: bool = option(
        False,
        "Whether the service's own name may appear in public text. The "
        "[leak gate](#leak-gate) reports any other catalog name there, except one that is also a "
        "component's name (`checkout` and `Checkout`).",
    )
    regulated: bool | tuple[str, ...] = option(
        False,
        "An incident that affects it owes regulators reports: `true`, under every regime of `regulatory.regimes` (or, "
        "with none, within `communication_policy.regulator_report_within_days`), or a list of those regimes "
        "(see [regulatory reporting](regulatory-reporting.md)).",
        choices=REGIMES,
        checks=(_regimes_configured,),
    )
    since: date | None = option(
        None,
        "The date the service started serving customers. When every service "
        'behind a component has one, the status page shows "no data" for the component\'s days before '
        "the earliest.",
    )
    provider: str | None = option(
        None,
        "The vendor that runs it (`Stripe`, `AWS`), if any. Like "
        "`organisations`, it is never matched as a person, so a postmortem imported with the vendor in "
        "`authors` does not make every public text naming the vendor a leak.",
    )


@dataclass(frozen=True)
class Webhook:
    """Where `postmortems notify` sends what the public feed gained: `format` `slack` (`{"text": ...}`) or `json`
    (signed with the secret in the environment variable `secret_env`); the URL as given, or read from the
    environment variable `url_env`."""

    url: str | None = option(None, "The webhook's address; give exactly one of `url` and `url_env`.")
    url_env: str | None = option(
        None, "The environment variable that holds the address (Slack's webhook URLs are secrets)."
    )
    format: str = option(
        "json", '`slack` (a Slack-compatible `{"text": ...}`) or `json` (a generic payload).', choices=("json", "slack")
    )
    secret_env: str | None = option(
        None,
        "For `json`, the environment variable holding the secret that signs "
        "each request (HMAC-SHA256 of the body, in the `X-Postmortems-Signature: sha256=<hex>` "
        "header).",
    )


@dataclass(frozen=True)
class Tracker:
    """Where `postmortems sync` reads the tickets of action items: the action-item links that start with `links` are
    tickets of this `kind` (github, gitlab or jira), read through the REST API at `api` (default: by kind, from
    `links`) with the token in the environment variable `token_env` (Jira Cloud: and the account's e-mail in
    `user_env`). `sync --create` opens tickets in `create_in` (`owner/repo`, a GitLab project's path, a Jira project
    key), labelled `label` (Jira: of type `issue_type`)."""

    kind: str = option(
        REQUIRED,
        "`github` (GitHub or GitHub Enterprise), `gitlab` or `jira` (Cloud or Data Center).",
        choices=TRACKER_KINDS,
    )
    links: str = option(
        REQUIRED,
        "The start of the action-item `link`s that are its tickets: `https://github.com/`, "
        "`https://gitlab.example.com/`, `https://example.atlassian.net/browse/`.",
    )
    api: str | None = option(
        None,
        "The base of its REST API. Default: `https://api.github.com` for github.com, else `/api/v3` (GitHub "
        "Enterprise), `/api/v4` (GitLab) or `/rest/api/3` (Jira Cloud) on the host of `links`; Jira Data Center: "
        "`https://jira.example.com/rest/api/2`.",
        shown="by `kind`, on the host of `links`",
    )
    token_env: str | None = option(
        None,
        "The environment variable that holds the API token, which is never written anywhere; none: read without one "
        "(public GitHub repositories only).",
    )
    user_env: str | None = option(
        None,
        "Jira Cloud: the environment variable that holds the e-mail of the token's account (Basic authentication); "
        "none: the token is sent as a bearer token (Jira Data Center's personal access tokens).",
    )
    create_in: str | None = option(
        None,
        "Where `postmortems sync --create` opens tickets: `owner/repo` (GitHub), the project's path `group/project` "
        "(GitLab), a project key `OPS` (Jira). None: it opens none here.",
    )
    label: str = option(
        "postmortem", "The label of the tickets `--create` opens, by which it finds those it opened before."
    )
    issue_type: str = option("Task", "Jira: the issue type of the tickets `--create` opens.")


@dataclass(frozen=True)
class Category:
    """A root-cause category of the taxonomy."""

    name: str = option(REQUIRED, "What `root_causes.category` writes.")
    description: str = option("", "What the category covers.")


# The groups of options in `mkdocs.yml`, each where its first option is among `Policy`'s fields.
REVIEW = Group("review", "Deadlines per severity, counted from `resolved` (see [review deadlines](#review-deadlines)).")
BLAMELESS = Group("blameless", "The [blameless-language lint](reviewing.md#blameless-language).")
LEAK_GATE = Group(
    "leak_gate",
    "What public text must never contain, besides internal services and "
    "people, and what is public after all (see [leak gate](#leak-gate)).",
)
COMMUNICATION_POLICY = Group(
    "communication_policy",
    "Who must be told of an incident, and by when (see [communication policy](#communication-policy)).",
)


def _a_time_zone(value, options) -> str | None:
    """An IANA time zone this machine's zone database (or `tzdata`) knows."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"is `{value}`, not an IANA time zone name such as `Europe/Berlin` or `America/New_York`"
    return None


REGULATORY = Group(
    "regulatory",
    "The regulators' reporting clocks, computed from each postmortem's `regulatory` block (see "
    "[regulatory reporting](regulatory-reporting.md)).",
)
STATUS_PAGE = Group("status_page", "The public status site and its notifications (see [status page](#status-page)).")
VIEWS = Group("views", "How much of a [long history](#long-histories) the cross-incident pages show.")


@dataclass(frozen=True)
class Policy:
    """Everything a knowledge base configures, and every default: each field an option of `mkdocs.yml`, declared
    here once (`option()`); the plugin and the CLI build the policy from those options
    (`mkdocs_config.policy_from_options`)."""

    folder: str = option(
        "postmortems",
        "The folder of postmortem files, relative to `mkdocs.yml`: beside `docs/`, not "
        "inside it. Pages are published under `/<folder>/<id>/`; `postmortems new` writes here.",
    )
    severities: tuple[str, ...] = option(
        DEFAULT_SEVERITIES,
        "The severity scale, worst first. The bundled styles colour `SEV1` to `SEV4`.",
        checks=(not_empty,),
    )
    services: tuple[Service, ...] = option(
        (), "The [service catalog](#service-catalog). Empty: any service name is accepted."
    )
    categories: tuple[Category, ...] = option(
        tuple(Category(n, d) for n, d in DEFAULT_CATEGORIES),
        "The [root-cause taxonomy](#root-cause-taxonomy) for `root_causes.category`.",
        name="root_cause_categories",
        shown="the built-in categories of the [taxonomy](#root-cause-taxonomy)",
    )
    priorities: tuple[str, ...] = option(
        DEFAULT_PRIORITIES, "The action-item priority scale, most urgent first.", checks=(not_empty,)
    )
    required_sections: tuple[str, ...] = option(
        DEFAULT_REQUIRED_SECTIONS, "Headings every body must have (`section-missing`)."
    )
    section_aliases: Mapping[str, tuple[str, ...]] = option(
        DEFAULT_SECTION_ALIASES,
        "Other headings that satisfy a "
        "required section. Each key must be one of `required_sections`; setting it replaces the "
        "built-in aliases (`{}` accepts the exact headings only).",
        keys="section",
        unset=lambda options: DEFAULT_SECTION_ALIASES,
        checks=(among("required_sections", "sections"),),
        shown="the [built-in aliases](#section-aliases)",
    )
    action_items_required_for: tuple[str, ...] = option(
        DEFAULT_SEVERITIES[:2],
        "Severities whose published "
        "postmortems must have action items (`action-items-missing`). Each must be "
        "one of `severities`.",
        unset=_two_worst,
        checks=(among("severities", "severities"),),
        shown="the two worst of `severities`",
    )
    include_drafts: bool = option(False, "Also build pages for `status: draft`. Drafts are checked either way.")
    rule_levels: Mapping[str, Level] = option(
        {},
        "Changes the [level of a rule](#rule-levels). A code that does not exist rejects the configuration.",
        keys="rule code",
        convert=_levels,
    )
    publish_within_business_days: Mapping[str, int] = option(
        dict(zip(DEFAULT_SEVERITIES, DEFAULT_PUBLISH_WITHIN_BUSINESS_DAYS, strict=True)),
        "The business days (Monday to Friday; no holidays) from `resolved` "
        "by which a postmortem of the severity should be `published` (`publish-overdue`). A severity left out has no "
        "deadline.",
        group=REVIEW,
        keys="severity",
        unset=_by_rank(DEFAULT_PUBLISH_WITHIN_BUSINESS_DAYS),
        checks=(among("severities", "severities"),),
        shown=f"by rank on the scale: {_ranked(DEFAULT_PUBLISH_WITHIN_BUSINESS_DAYS)} days, worst first",
    )
    first_priority_due_within_days: Mapping[str, int] = option(
        dict(zip(DEFAULT_SEVERITIES, DEFAULT_FIRST_PRIORITY_DUE_WITHIN_DAYS, strict=False)),
        "The calendar days from `resolved` within which an open action item "
        "of the first priority must be due (`action-item-deadline`). A severity left out has no deadline.",
        group=REVIEW,
        keys="severity",
        unset=_by_rank(DEFAULT_FIRST_PRIORITY_DUE_WITHIN_DAYS),
        checks=(among("severities", "severities"),),
        shown=f"by rank on the scale: {_ranked(DEFAULT_FIRST_PRIORITY_DUE_WITHIN_DAYS)} days, worst first",
    )
    blameless_names: tuple[str, ...] = option(
        (),
        "More people's names to watch for (authors, reviewers and owners always are).",
        group=BLAMELESS,
        name="names",
    )
    blameless_phrases: tuple[str, ...] = option((), "More phrases to flag.", group=BLAMELESS, name="phrases")
    blameless_allowed: tuple[str, ...] = option((), "Phrases never to flag.", group=BLAMELESS, name="allowed")
    organisations: tuple[str, ...] = option(
        (),
        "Vendors and organisations (cloud providers, payment "
        "processors, a contractor) that `authors`, owners or text may name: never matched as a "
        "person by the [blameless lint](reviewing.md#blameless-language) or the [leak gate]"
        "(#leak-gate). A service's `services.provider` counts too.",
    )
    templates_folder: str | None = option(
        None,
        "A folder, relative to `mkdocs.yml`, of your own `postmortems new --template` templates (`NAME.md`).",
        shown="none (the shipped templates only)",
    )
    ticket_pattern: str = option(
        DEFAULT_TICKET_PATTERN,
        "A regular expression of a ticket key, matched as a whole word and in any case.",
        group=LEAK_GATE,
        checks=(regular_expressions,),
    )
    internal_hosts: tuple[str, ...] = option(
        DEFAULT_INTERNAL_HOSTS,
        "Globs of host names no customer can reach (private IP addresses always are).",
        group=LEAK_GATE,
    )
    public_deny: tuple[str, ...] = option(
        (), "Terms that must never go public, such as a project's code name.", group=LEAK_GATE, name="deny"
    )
    internal_domains: tuple[str, ...] = option(
        (),
        "The company's own domains (`larkspur.example`): every "
        "host under them, and every e-mail address at them, is internal unless allowed. The "
        "domains `site_url` and `repo_url` live under count too.",
        group=LEAK_GATE,
    )
    public_domains: tuple[str, ...] = option(
        (),
        "Globs of the hosts under `internal_domains` that customers "
        "reach: the status site, the website (`status.larkspur.example`, `larkspur.example`, "
        "`www.larkspur.example`, or `*.cdn.larkspur.example`).",
        group=LEAK_GATE,
    )
    public_tickets: tuple[str, ...] = option(
        DEFAULT_PUBLIC_TICKETS,
        "Globs (`*` is any text) of keys that look like tickets but "
        "are public, in any case. Setting it replaces the list; `[]` lets none through.",
        group=LEAK_GATE,
    )
    cloud_patterns: tuple[str, ...] = option(
        DEFAULT_CLOUD_PATTERNS,
        "Regular expressions (matched as whole words, in any case, on "
        "text as the gate reads it) of cloud accounts, resources and buckets. Setting it replaces "
        "the built-ins; `[]` switches them off.",
        group=LEAK_GATE,
        checks=(regular_expressions,),
        shown="the built-in cloud patterns (see [leak gate](#leak-gate))",
    )
    cluster_patterns: tuple[str, ...] = option(
        DEFAULT_CLUSTER_PATTERNS,
        "The same for cluster names: namespaces, cluster-local addresses, pods and nodes.",
        group=LEAK_GATE,
        checks=(regular_expressions,),
        shown="the built-in cluster patterns (see [leak gate](#leak-gate))",
    )
    public_allow: tuple[str, ...] = option(
        (),
        "Terms that are public whatever a class says "
        "(`support@larkspur.example`, a vendor's product that looks like a ticket).",
        group=LEAK_GATE,
        name="allow",
    )
    customer_notice_for: tuple[str, ...] = option(
        DEFAULT_SEVERITIES[:2],
        "The severities whose incidents with a `public` "
        "summary owe customers a notice. Each must be one of `severities`.",
        group=COMMUNICATION_POLICY,
        name="customers_for",
        unset=_two_worst,
        checks=(among("severities", "severities"),),
        shown="the two worst of `severities`",
    )
    regulator_report_within_days: int = option(
        3,
        "How many days after `detected` (or `started`) an incident "
        "that affected a `regulated` service must be reported to the regulator.",
        group=COMMUNICATION_POLICY,
    )
    regulatory_regimes: tuple[str, ...] = option(
        (),
        "The reporting regimes whose clocks apply to `regulated` services: `dora`, `nis2`, `gdpr`, `sec-8k` (see "
        "[regulatory reporting](regulatory-reporting.md)). Empty: a regulated service's incident is reported within "
        "`communication_policy.regulator_report_within_days`.",
        group=REGULATORY,
        name="regimes",
        choices=REGIMES,
    )
    regulatory_timezone: str = option(
        "UTC",
        "The team's time zone, an IANA name (`Europe/Berlin`): every deadline is computed in UTC and shown in it too.",
        group=REGULATORY,
        name="timezone",
        checks=(_a_time_zone,),
    )
    public_site: bool = option(
        False,
        "`true` builds the [public status site](publishing.md) instead of the "
        "knowledge base, as `mkdocs.public.yml` does.",
        group=STATUS_PAGE,
    )
    history_page_size: int = option(25, "Incidents and maintenance per history page.", group=STATUS_PAGE)
    uptime_days: int = option(
        90,
        f"Days of uptime bars per component, and of its uptime calendar: from 1 to {MAX_UPTIME_DAYS}.",
        group=STATUS_PAGE,
        checks=(_a_year_of_days,),
    )
    webhooks: tuple[Webhook, ...] = option(
        (),
        "Where [`postmortems notify`]"
        "(publishing.md#notifying-subscribers-postmortems-notify) sends the updates a deploy adds.",
        group=STATUS_PAGE,
        checks=(_one_address,),
    )
    targets: Mapping[str, float] = option(
        {},
        "The availability each public component should reach, in percent (`{Checkout: 99.9}`): the "
        "[period reviews](period-reviews.md) show each component's availability over the period against it. Each key must "
        "be a `services.component`.",
        group=STATUS_PAGE,
        keys="component",
        checks=(_public_components, _percentages),
    )
    trend_quarters: int = option(
        8, "The quarters of the root causes' trend table, newest first.", group=VIEWS, checks=(at_least_one,)
    )
    chart_months: int = option(
        24,
        "The months of the metrics page's chart (oldest on the left) and its table "
        "(newest first); the page says how many incidents fall outside them.",
        group=VIEWS,
        checks=(at_least_one,),
    )
    facet_limit: int = option(
        20,
        "The most values per dimension that the filter links above every listing "
        "show: the tags and services with most postmortems, the newest years. A dimension with more "
        "links a page of every value, `/postmortems/<dimension>/`.",
        group=VIEWS,
        checks=(at_least_one,),
    )
    trackers: tuple[Tracker, ...] = option(
        (),
        "The ticket trackers whose tickets [`postmortems sync`](trackers.md) compares with the action items. A build "
        "never reads them.",
    )

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
        known = [since for since in dates if since is not None]
        return min(known) if known and len(known) == len(dates) else None

    def level_of(self, code: str, default: Level) -> Level:
        """The level a rule reports at: its default unless the policy overrides it."""
        return self.rule_levels.get(code, default)


def organisation_domain(url: str | None) -> str | None:
    """The company's own domain that a site or repository URL lives under (`https://git.larkspur.example/x` ->
    `larkspur.example`): its host less the first label, or the host itself when it has two labels (three under a
    country's second level, `co.uk`). None for no host, an IP address or a host shared by many organisations
    (`SHARED_HOSTS`: `github.com`, `readthedocs.io`, ...)."""
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".").casefold() if url else ""
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) < 2 or any(host == shared or host.endswith("." + shared) for shared in SHARED_HOSTS):
        return None
    keep = (
        3 if len(labels[-1]) == 2 and labels[-2] in ("co", "com", "org", "net", "ac", "gov", "edu", "ne", "or") else 2
    )
    return ".".join(labels[-keep:]) if len(labels) >= keep else None


def with_own_domains(policy: Policy, urls: Iterable[str | None], public_url: str | None) -> Policy:
    """`policy` whose leak gate also knows the company's own domains, from the site and repository URLs of the
    configs it was read from (`organisation_domain`): a host under one is internal, unless it is the domain itself,
    its `www.`, or the public site's own host (`public_url`, the status site's `site_url`)."""
    domains = tuple(dict.fromkeys(d for d in map(organisation_domain, urls) if d and d not in policy.internal_domains))
    if not domains:
        return policy
    public_host = urlsplit(public_url.strip()).hostname if public_url else None
    public = (*domains, *(f"www.{domain}" for domain in domains), *([public_host.casefold()] if public_host else []))
    return replace(
        policy,
        internal_domains=policy.internal_domains + domains,
        public_domains=policy.public_domains + tuple(h for h in public if h not in policy.public_domains),
    )

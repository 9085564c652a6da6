"""The knowledge base's policy: scales, catalogs and rules a team configures (no MkDocs here)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlsplit

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


@dataclass(frozen=True)
class Service:
    """A service of the catalog; `component` is its public name, if customers may see it."""

    name: str
    description: str = ""
    component: str | None = None
    public: bool = False  # its name may appear in public text (the leak gate lets it through)
    regulated: bool | tuple[str, ...] = False  # an incident affecting it owes reports: every regime, or those named
    since: date | None = None  # when it started serving customers: the status page shows no data before
    provider: str | None = None  # the vendor that runs it: an organisation, never matched as a person


@dataclass(frozen=True)
class Webhook:
    """Where `postmortems notify` sends what the public feed gained: `format` `slack` (`{"text": ...}`) or `json`
    (signed with the secret in the environment variable `secret_env`); the URL as given, or read from the
    environment variable `url_env`."""

    url: str | None = None
    url_env: str | None = None
    format: str = "json"
    secret_env: str | None = None


TRACKER_KINDS = ("github", "gitlab", "jira")
REGIMES = ("dora", "nis2", "gdpr", "sec-8k")  # the reporting regimes whose clocks `regulatory` computes


@dataclass(frozen=True)
class Tracker:
    """Where `postmortems sync` reads the tickets of action items: the action-item links that start with `links` are
    tickets of this `kind` (github, gitlab or jira), read through the REST API at `api` (default: by kind, from
    `links`) with the token in the environment variable `token_env` (Jira Cloud: and the account's e-mail in
    `user_env`). `sync --create` opens tickets in `create_in` (`owner/repo`, a GitLab project's path, a Jira project
    key), labelled `label` (Jira: of type `issue_type`)."""

    kind: str
    links: str
    api: str | None = None
    token_env: str | None = None
    user_env: str | None = None
    create_in: str | None = None
    label: str = "postmortem"
    issue_type: str = "Task"


@dataclass(frozen=True)
class Category:
    """A root-cause category of the taxonomy."""

    name: str
    description: str = ""


@dataclass(frozen=True)
class Policy:
    """Everything a knowledge base configures, and every default; the plugin and the CLI build it from the same
    options (`mkdocs_config.policy_from_options`)."""

    folder: str = "postmortems"
    severities: tuple[str, ...] = DEFAULT_SEVERITIES
    services: tuple[Service, ...] = ()
    categories: tuple[Category, ...] = tuple(Category(n, d) for n, d in DEFAULT_CATEGORIES)
    priorities: tuple[str, ...] = DEFAULT_PRIORITIES
    required_sections: tuple[str, ...] = DEFAULT_REQUIRED_SECTIONS
    section_aliases: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_SECTION_ALIASES))
    action_items_required_for: tuple[str, ...] = DEFAULT_SEVERITIES[:2]  # the two worst, as the options' default
    include_drafts: bool = False
    rule_levels: Mapping[str, Level] = field(default_factory=dict)
    publish_within_business_days: Mapping[str, int] = field(
        default_factory=lambda: dict(zip(DEFAULT_SEVERITIES, DEFAULT_PUBLISH_WITHIN_BUSINESS_DAYS, strict=True))
    )
    first_priority_due_within_days: Mapping[str, int] = field(
        default_factory=lambda: dict(zip(DEFAULT_SEVERITIES, DEFAULT_FIRST_PRIORITY_DUE_WITHIN_DAYS, strict=False))
    )
    blameless_names: tuple[str, ...] = ()  # people named in text, besides authors, reviewers and owners
    organisations: tuple[str, ...] = ()  # vendors and organisations: never people, wherever they are named
    blameless_phrases: tuple[str, ...] = ()  # more blaming phrases to flag
    blameless_allowed: tuple[str, ...] = ()  # phrases never to flag
    templates_folder: str | None = None  # more `postmortems new --template` templates, beside mkdocs.yml
    ticket_pattern: str = DEFAULT_TICKET_PATTERN  # leak gate: a ticket key in public text
    internal_hosts: tuple[str, ...] = DEFAULT_INTERNAL_HOSTS  # leak gate: host globs; private IPs always
    public_deny: tuple[str, ...] = ()  # leak gate: terms that must never go public
    internal_domains: tuple[str, ...] = ()  # leak gate: the company's domains; hosts and e-mail under them
    public_domains: tuple[str, ...] = ()  # leak gate: host globs under `internal_domains` that are public
    public_tickets: tuple[str, ...] = DEFAULT_PUBLIC_TICKETS  # leak gate: globs of public keys (CVE-*)
    cloud_patterns: tuple[str, ...] = DEFAULT_CLOUD_PATTERNS  # leak gate: regexes of cloud ids; () switches off
    cluster_patterns: tuple[str, ...] = DEFAULT_CLUSTER_PATTERNS  # leak gate: regexes of cluster names
    public_allow: tuple[str, ...] = ()  # leak gate: terms that are public, whatever a rule says
    customer_notice_for: tuple[str, ...] = DEFAULT_SEVERITIES[
        :2
    ]  # severities whose public incidents owe customers a notice
    regulator_report_within_days: int = 3  # days from detection (or start) to report, when no regime is configured
    regulatory_regimes: tuple[str, ...] = ()  # the regimes (`REGIMES`) whose clocks apply to regulated services
    public_site: bool = False  # build the public status site instead of the knowledge base
    history_page_size: int = 25  # public incidents per history page
    uptime_days: int = 90  # days of uptime bars per component, at most MAX_UPTIME_DAYS
    webhooks: tuple[Webhook, ...] = ()  # where `postmortems notify` sends new public updates
    trackers: tuple[Tracker, ...] = ()  # where `postmortems sync` reads action items' tickets
    targets: Mapping[str, float] = field(default_factory=dict)  # availability target in percent per public component
    trend_quarters: int = 8  # views: quarters in the root causes' trend table, newest first
    chart_months: int = 24  # views: months in the metrics page's chart and table
    facet_limit: int = 20  # views: filter values shown per dimension; the rest on its "all" page

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

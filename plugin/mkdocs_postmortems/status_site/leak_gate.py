"""The leak gate: public text must not name what stays internal.

Each text is read as a reader sees it (`normalise.py`: HTML entities decoded, compatibility forms, zero-width and
format characters dropped, look-alike letters and hyphens folded, case-folded, whitespace collapsed), and, where a
bidirectional control turns part of it around, also in the order a browser shows it (`normalise.displayed`). Both
readings are matched against one pattern per class of leak, `RULES_OF_THE_GATE`:

- `service`: a catalog service not marked public (nor named like a component or within its own component's name:
  `search` of "Product search"), its words joined by any separator (`orders_db`, `orders db`,
  `orders/db`, `orders·db`: `_SEPARATOR`), with environment, role and number suffixes and prefixes
  (`orders-db-primary`, `prod-orders-db`, `orders-db-01`: `ROLE_WORDS`) and in the plural (`orders-dbs`,
  `ledgers`); or any catalog service with a technical suffix (`checkout-api`, `checkoutsvc`, `checkout-services`).
  An internal service named with an everyday word of status text (`COMMON_SERVICE_WORDS`: `search`, `billing`,
  `api`, `web`) is found only where it is written as a name: code-formatted, joined to a role, suffix or number
  (`prod-web`, `web-01`), or followed by "service", "cluster" or "database"; "search was slow" is prose;
- `person`: an author, reviewer or action-item owner of the knowledge base, or a configured `blameless.names` entry
  (never initials, common words or organisations, see `people.py`), and the full name a handle stands for
  (`j.osei`: "Jordan Osei", "J. Osei", "Osei, J.", see `people.written_names`);
- `mention`: an `@mention`; `email`: an e-mail address at an internal domain;
- `ticket`: a key of `leak_gate.ticket_pattern` (by default a project key of two to ten letters and digits, a hyphen
  and a number), in any case, unless one of `leak_gate.public_tickets` (CVE-*, versions such as `epel-9` and
  `node-18`), a version's start (`ubuntu-22.04`), or part of a URL or a link's target (`#issuecomment-1816831551`);
- `ip-address`: an IPv4 or IPv6 address that is not globally routable (private, loopback, link-local, the cloud
  metadata address, CGNAT, unique-local, reserved), zero-padded or not;
- `internal-host`: a host of `leak_gate.internal_hosts`; `internal-domain`: a host under `leak_gate.internal_domains`
  not among `leak_gate.public_domains` (the bare domain and its `www` pass when a public host lies under it);
- `chat-channel`: a chat channel (`#incident-123`, `#sre-oncall`), unless the text puts it on a public chat network
  (`#fedora-devel on Libera`, `… on irc.libera.chat`, a Matrix room alias with its server) or it is a link's anchor;
- `cloud` and `cluster`: `leak_gate.cloud_patterns` and `leak_gate.cluster_patterns` (account ids, ARNs, buckets,
  instance ids, namespaces, cluster-local names);
- `deny`: a term of `leak_gate.deny`;
- `format-control`: a character that makes text show other than it reads: any bidirectional control, tag
  characters outside an emoji flag, a run of variation selectors (`normalise.HIDDEN`);
- `regulatory`: the `reference` of a report in any record's `regulatory` block, its words joined by any separator,
  or a link to the internal site's regulatory reporting (`regulatory/`, `regulatory/deadlines.json`): what a team
  reports to regulators stays internal.

A term of `leak_gate.allow`, or of the postmortem's `public.allow`, passes wherever it covers a finding, but for a
`regulatory` one: nothing lets it out. Each finding
is a `public-leak` error at the original file:line:col, naming the term as written and how to allow it.
"""

from __future__ import annotations

import fnmatch
import html
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..checks.registry import RULES, Context, Scope, rule
from ..diagnostics import Diagnostic, Level
from ..model import Postmortem
from ..people import WrittenName, people, written_names
from ..policy import CLOUD_PATTERNS, CLUSTER_PATTERNS, DEFAULT_TICKET_PATTERN, PATTERN_NEEDLES as NEEDLES, Policy
from .normalise import BLANKS, HIDDEN, Normalised, displayed, fold, normalise, without_markup

# Each class of leak the gate knows: its rule name, what a finding of it is, and how to let a truly public one pass.
RULES_OF_THE_GATE = {
    "service": (
        "an internal service",
        "mark the service `public: true` in the catalog if customers know it by that name",
    ),
    "person": ("a person", ""),
    "mention": ("an @mention", ""),
    "email": ("an internal e-mail address", ""),
    "ticket": ("a ticket key", "add it to `leak_gate.public_tickets` if it is a public identifier"),
    "ip-address": ("a private IP address", ""),
    "internal-host": ("an internal host", ""),
    "internal-domain": (
        "a host under an internal domain",
        "add the host to `leak_gate.public_domains` if customers can reach it",
    ),
    "chat-channel": ("a chat channel", ""),
    "cloud": ("a cloud resource", ""),
    "cluster": ("a cluster resource", ""),
    "deny": ("a term on the deny list", ""),
    "format-control": (HIDDEN["bidi"], ""),
    "regulatory": ("regulatory reporting, which stays internal", ""),
}
NEVER_ALLOWED = frozenset({"regulatory"})  # classes no `allow` term lets through: what is reported to regulators
# The mailboxes a company gives its customers (`support@`): no person's, and written on every status page.
ROLE_MAILBOXES = frozenset(
    (
        "support",
        "help",
        "helpdesk",
        "status",
        "security",
        "privacy",
        "info",
        "contact",
        "abuse",
        "noreply",
        "no-reply",
        "sales",
        "billing",
        "press",
        "hello",
        "feedback",
        "care",
        "customercare",
        "customer-care",
        "customerservice",
        "customer-service",
        "service",
        "legal",
        "compliance",
        "dpo",
        "accessibility",
        "webmaster",
        "postmaster",
    )
)
# A technical suffix that makes any catalog name an internal identifier, public name or not.
SERVICE_SUFFIXES = (
    "api",
    "svc",
    "service",
    "srv",
    "server",
    "worker",
    "workers",
    "daemon",
    "cron",
    "job",
    "jobs",
    "queue",
    "cache",
    "proxy",
    "gateway",
    "gw",
    "db",
    "database",
)
# Environments, roles, regions and versions that a team puts before or after an internal service's name
# (`orders-db-primary`, `prod-orders-db`, `orders-db-eu-1`); a number of up to three digits and `v2` count too.
ROLE_WORDS = (
    "primary",
    "replica",
    "secondary",
    "standby",
    "leader",
    "follower",
    "master",
    "main",
    "ro",
    "rw",
    "prod",
    "production",
    "prd",
    "preprod",
    "staging",
    "stage",
    "stg",
    "dev",
    "development",
    "test",
    "qa",
    "uat",
    "sandbox",
    "canary",
    "blue",
    "green",
    "live",
    "shadow",
    "eu",
    "us",
    "uk",
    "ap",
    "apac",
    "emea",
    "east",
    "west",
    "north",
    "south",
    "central",
    "internal",
    "int",
    "ext",
    "old",
    "new",
    "legacy",
)
# Catalog service names that are everyday words of status text: an internal service named so is found only where the
# text writes it as a name, never as the bare word of prose ("search was slow", "web and API errors"): code-formatted
# (`` `search` ``), joined to a role, technical suffix or number (`search-api`, `prod-web`, `web-01`), or followed by
# "service", "cluster" or "database" ("the billing service"). Any other name (`ledger`, `orders-db`) is found bare.
COMMON_SERVICE_WORDS = frozenset(
    (
        "account",
        "accounts",
        "admin",
        "alerts",
        "analytics",
        "api",
        "apis",
        "app",
        "apps",
        "auth",
        "backend",
        "backup",
        "backups",
        "billing",
        "blog",
        "booking",
        "bookings",
        "builds",
        "cache",
        "calendar",
        "cart",
        "catalog",
        "cdn",
        "chat",
        "checkout",
        "console",
        "dashboard",
        "data",
        "database",
        "deploys",
        "dns",
        "docs",
        "email",
        "events",
        "exports",
        "feeds",
        "files",
        "frontend",
        "gateway",
        "help",
        "images",
        "imports",
        "inventory",
        "invoices",
        "jobs",
        "login",
        "logs",
        "mail",
        "maps",
        "media",
        "messages",
        "messaging",
        "metrics",
        "mobile",
        "monitoring",
        "network",
        "notifications",
        "payment",
        "payments",
        "portal",
        "pricing",
        "profiles",
        "proxy",
        "queue",
        "reports",
        "reporting",
        "search",
        "settings",
        "shipping",
        "shop",
        "signup",
        "site",
        "status",
        "storage",
        "store",
        "streaming",
        "support",
        "sync",
        "uploads",
        "users",
        "video",
        "voice",
        "web",
        "webhooks",
        "website",
        "workers",
        "www",
    )
)
# The words after a service's name that make an everyday word a name ("the billing service", "the web cluster").
NAMING_WORDS = ("service", "services", "cluster", "clusters", "database", "databases", "db", "dbs", "svc")
# Public chat networks: a channel on one is no internal chat (`#fedora-devel on Libera`, `… on irc.libera.chat`).
PUBLIC_CHAT_NETWORKS = (
    r"(?:irc\.)?libera(?:\.chat)?",
    r"(?:irc\.)?oftc(?:\.net)?",
    r"(?:irc\.|chat\.)?freenode(?:\.net)?",
    r"(?:irc\.)?hackint(?:\.org)?",
    r"efnet",
    r"ircnet",
    r"quakenet",
    r"rizon",
    r"gimpnet",
    r"irc\.gnome\.org",
    r"matrix\.org",
    r"fedora\.im",
    r"gitter(?:\.im)?",
)
# Where two words of a name meet, a person reads one name across any run of up to three punctuation marks or symbols
# (`orders-db`, `orders/db`, `orders·db`, `orders - db`), one space, or nothing (`ordersdb`); never across a clause
# or sentence break (`,` `;` `!` `?`, or `.` and `:` before a space): "orders, db" and "orders. DB" are two things.
_JOINER = r"(?:[^\w\s,;!?]|_)"
_SPACED_JOINER = r"(?:[^\w\s,;!?.:]|_)"
_GAP = rf"(?: ?{_JOINER}{{1,3}}(?=\w)| ?{_SPACED_JOINER}{{1,3}} | )"  # at least one character
_SEPARATOR = rf"(?: ?{_JOINER}{{1,3}}(?=\w)| ?{_SPACED_JOINER}{{1,3}} | ?)"  # or nothing
# Between a public name and a technical suffix only a joiner without spaces: "Checkout API" and "Checkout: API" are
# prose, `checkout-api` and `checkout.api` identifiers; `/`, `+` and `&` list two things ("Checkout/API errors").
_TIGHT = r"(?:[^\w\s,;!?/+&|]|_){0,3}"
# Where a term of the configuration splits into words: spaces, and joiners between two word characters (`C++` stays
# one word).
_TERM_SEPARATORS = re.compile(r"\s+|(?<=\w)[._\-/:+\\~\u00b7\u2022\u2044\u30fb\u2027\u2219\u22c5|]+(?=\w)")
_MENTION = r"(?<![\w@.])@[a-z0-9][\w.-]*\w"
_EMAIL = r"(?<![\w.+-])[a-z0-9][a-z0-9._%+-]*@((?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*[a-z0-9])(?![\w-]|\.\w)"
_HOST = r"(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9](?![\w-]|\.\w)"
_IPV4 = r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d)"
_IPV6 = r"(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{0,4})(?:%[\w.-]+)?(?![\w:]|\.\d)"
_CHANNEL = (
    r"(?<![\w&/#])#(?:[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+|incidents?|oncall|ops|sre|alerts?|devops|eng"
    r"|engineering|warroom|outages?)(?![\w-])"
)
_NETWORK = "(?:" + "|".join(PUBLIC_CHAT_NETWORKS) + r")(?![\w-]|\.\w)"
_MORE_CHANNELS = r"(?: ?(?:,|/|&|\band\b|\bor\b) ?#[\w-]+)*"
# What follows a channel on a public network: more channels, then "on Libera" ("at", "in", "via", "@"), or, for a
# Matrix room alias, its server (`#fedora-devel:fedoraproject.org`: whether that server is internal is a question for
# the host rules). And what precedes one: "Libera's #x", "the OFTC channel #x", "Libera channels #a and #b".
_PUBLIC_CHANNEL_AFTER = re.compile(rf"{_MORE_CHANNELS},? ?(?:on|at|in|via|@) (?:the )?{_NETWORK}|:[a-z0-9-]+\.[a-z]")
_PUBLIC_CHANNEL_BEFORE = re.compile(
    rf"{_NETWORK}(?:'s)? (?:irc |matrix )?(?:(?:channel|room)s? )?(?:#[\w-]+ ?(?:,|/|&|and|or) ?)*$"
)
# Where a URL starts: a ticket key in its path or fragment (`#issuecomment-1816831551`) is part of a link, not a key
# someone wrote (`_in_link`).
# A link to the internal site's regulatory reporting (`kb_site/urls.py` `REGULATORY`...), absolute or relative; the
# word itself, and `legal/regulatory` in prose, are no link.
_REGULATORY_LINK = r"(?<![\w-])regulatory/(?:deadlines\.(?:json|ics)|index\.(?:html|md))?(?![\w-])"
_URL_START = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)")
_HOST_LABEL = r"[a-z0-9-]+"
_SPECIAL_IPV4 = (
    (ipaddress.ip_network("169.254.169.254/32"), "the cloud metadata address"),
    (ipaddress.ip_network("127.0.0.0/8"), "a loopback IP address"),
    (ipaddress.ip_network("169.254.0.0/16"), "a link-local IP address"),
    (ipaddress.ip_network("100.64.0.0/10"), "a shared (CGNAT) IP address"),
    (ipaddress.ip_network("10.0.0.0/8"), "a private IP address"),
    (ipaddress.ip_network("172.16.0.0/12"), "a private IP address"),
    (ipaddress.ip_network("192.168.0.0/16"), "a private IP address"),
    (ipaddress.ip_network("0.0.0.0/8"), 'a "this network" IP address'),
)


_WORD_START = re.compile(r"(?<![\w@.-])\w{1,3}")


def _words(term: str) -> list[str]:
    """The words of a configured term as the gate reads it: `j.osei` is `j` and `osei`, `Orders/DB` `orders` and
    `db`."""
    return [word for word in _TERM_SEPARATORS.split(fold(term)) if word]


def _plurals(terms: Iterable[str]) -> list[str]:
    """`terms` and their plurals: `orders-db` and `orders-dbs`, `search` and `searches`, `proxy` and `proxies`."""
    out = []
    for term in terms:
        folded = fold(term)
        out += [folded, folded + "s", folded + "es"]
        if len(folded) > 2 and folded.endswith("y") and folded[-2] not in "aeiou":
            out.append(folded[:-1] + "ies")
    return out


_START = re.compile(r"\w{0,3}")  # matches every text, if only with nothing


class _Starts:
    """The first one to three characters of some names: a text none of whose words starts so names none of them."""

    def __init__(self, terms: Iterable[str]):
        # `j.osei` starts with the word `j`, `C++` with `c`; no word starts like `@alice`: run on every text
        starts = [start.group() if (start := _START.match(words[0])) else "" for words in map(_words, terms) if words]
        self.prefixes: frozenset[str] | None = None if "" in starts else frozenset(starts)


# What a text must contain for a pattern to run on it: a match of a regex, a word starting like a name, or one of
# some substrings (none: every text).
_Needles = re.Pattern | _Starts | tuple[str, ...]


@dataclass(frozen=True)
class Leak:
    """One finding: the span of the original text, the term as written, the rule (class) and what it is."""

    start: int
    end: int
    term: str
    rule: str
    what: str
    read_as: str = ""  # the term as the gate read it
    shown: bool = False  # found in the text as a browser shows it, not as it is written (`normalise.displayed`)


_SEP = object()  # a place between two words of a name: any separator or none


def _alternation(terms: Iterable[str], separator: str = _SEPARATOR) -> str | None:
    """The names of `terms` as one pattern whose words may be joined by `separator` (`orders-db`, `orders_db`,
    `orders db`, `orders/db`, `ordersdb`), a trie: Python's `re` tries the branches of an alternation one by one at
    every position, so 300 people would cost 300 tries per character."""
    trie: dict = {}
    for term in terms:
        words = _words(term)
        node = trie
        for index, word in enumerate(words):
            for symbol in ([_SEP] if index else []) + list(word):
                node = node.setdefault(symbol, {})
        if words:
            node[None] = {}  # a name may end here

    def pattern(node: dict) -> str:
        ends = None in node
        branches = [
            (separator if symbol is _SEP else re.escape(symbol)) + pattern(child)
            for symbol, child in sorted(node.items(), key=lambda item: (item[0] is _SEP, str(item[0])))
            if symbol is not None
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:  # greedy: the longer name first, then the shorter one that ends here
            return f"(?:{body})?" if len(branches) == 1 else body[:-1] + "|)"
        return body

    return pattern(trie) or None


def _capital(read: Normalised, index: int) -> bool:
    """Whether character `index` of the text as the gate reads it is written as a capital letter."""
    written = read.written(index, index + 1)
    return html.unescape(written)[:1].isupper() if written.startswith("&") else written[:1].isupper()


def _host(glob: str) -> str:
    """A host glob such as `*.internal` as a regex for the host names it covers."""
    labels = [
        rf"{_HOST_LABEL}(?:\.{_HOST_LABEL})*" if label == "*" else re.escape(label) for label in fold(glob).split(".")
    ]
    return r"\.".join(labels)


def _globs(globs: Iterable[str]) -> re.Pattern | None:
    parts = [fnmatch.translate(fold(glob)) for glob in globs if glob.strip()]
    return re.compile("|".join(f"(?:{part})" for part in parts)) if parts else None


def _under(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def ip_kind(address: str) -> str | None:
    """What an address as the gate reads it is, if it is not a public one: None for a global address or no address."""
    try:
        if ":" in address:
            ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.IPv6Address(address.split("%")[0])
        else:
            octets = [int(octet) for octet in address.split(".")]  # zero-padded octets (`010`) read as decimal
            if any(octet > 255 for octet in octets):
                return None
            ip = ipaddress.IPv4Address(".".join(map(str, octets)))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip_kind(str(ip.ipv4_mapped))
        if ip.is_loopback:
            return "a loopback IP address"
        if ip.is_link_local:
            return "a link-local IP address"
        if ip in ipaddress.ip_network("fc00::/7") or ip.is_site_local:
            return "a unique-local (private) IPv6 address"
        return None if ip.is_global else "a special-purpose IP address"
    for network, kind in _SPECIAL_IPV4:
        if ip in network:
            return kind
    return None if ip.is_global or ip.is_multicast else "a special-purpose IP address"


def _in_link(text: str, start: int) -> bool:
    """Whether character `start` of `text` (as the gate reads it) lies in a URL or a link's target: in the same token
    as a `scheme://` or `www.` before it, or after a Markdown link's `](` or an `href=` not yet closed (`[details
    below](#how-did-it-happen)` is a heading's anchor, no chat channel)."""
    token = text[max(text.rfind(" ", 0, start) + 1, start - 2000) : start]
    target = max(token.rfind("]("), token.rfind("href="))
    return _URL_START.search(token) is not None or (target >= 0 and token.rfind(")") < target)


def _on_public_network(text: str, start: int, end: int) -> bool:
    """Whether the channel at `start:end` of `text` is one of a public chat network's, as the text says: "on Libera",
    "on irc.libera.chat", a Matrix room alias with its server, "Libera's #x"."""
    return (
        _PUBLIC_CHANNEL_AFTER.match(text, end, min(len(text), end + 300)) is not None
        or _PUBLIC_CHANNEL_BEFORE.search(text[max(0, start - 300) : start]) is not None
    )


class LeakGate:
    """The leak gate's patterns for one knowledge base, compiled once; `leaks` lists the leaks in a text."""

    def __init__(self, policy: Policy, people: Iterable[str], references: Iterable[str] = ()):
        components = {" ".join(_words(component)) for component in policy.components}  # public by definition

        def public(service) -> bool:
            """Marked public, named like a component, or a word of its own component (`search` of "Product
            search"): customers read that name on the status page."""
            name = " ".join(_words(service.name))
            return (
                service.public or name in components or f" {name} " in f" {' '.join(_words(service.component or ''))} "
            )

        public_names = [s.name for s in policy.services if public(s)]
        internal = [s.name for s in policy.services if s.name not in public_names]
        common = [name for name in internal if " ".join(_words(name)) in COMMON_SERVICE_WORDS]
        distinct = [name for name in internal if name not in common]
        technical = _alternation(_plurals(SERVICE_SUFFIXES))
        roles = _alternation(_plurals(ROLE_WORDS))
        suffixes = rf"(?:{technical}|{roles}|\d{{1,3}}|v\d{{1,2}})"
        boundary_before, boundary_after = r"(?<![\w@.-])", r"(?![\w-]|\.\w)"
        # (rule, what, pattern, needles) in the order of precedence: a pattern runs only on a text that contains
        # one of its needles (plain substrings, a C-speed test), or on every text when it has none.
        self.patterns: list[tuple[str, str, re.Pattern, _Needles]] = []

        def add(
            rule_name: str,
            pattern: str | None,
            what: str | None = None,
            needles: re.Pattern | _Starts | Iterable[str] = (),
        ) -> None:
            if pattern:
                self.patterns.append(
                    (
                        rule_name,
                        what or RULES_OF_THE_GATE[rule_name][0],
                        re.compile(pattern),
                        needles
                        if isinstance(needles, re.Pattern)
                        or (isinstance(needles, _Starts) and needles.prefixes is not None)
                        else ()
                        if isinstance(needles, _Starts)
                        else tuple(needles),
                    )
                )

        add("email", _EMAIL, needles="@")  # kept only at an internal domain, see `leaks`
        add("mention", _MENTION, needles="@")
        add("chat-channel", _CHANNEL, needles="#")
        starts = _Starts  # a name pattern runs only on a text with a word that starts like one of its names
        names = _alternation(_plurals(distinct))
        if names:  # `prod-orders-db`, `orders_db`, `orders-dbs`, `orders-db-primary`, `orders.db.eu-1`
            add(
                "service",
                rf"{boundary_before}(?:{roles}{_JOINER}{{1,3}}){{0,2}}(?:{names})"
                rf"(?:{_JOINER}{{0,3}}{suffixes}){{0,3}}{boundary_after}",
                needles=starts((*distinct, *ROLE_WORDS)),
            )
        names = _alternation(_plurals(common))
        if (
            names
        ):  # `prod-search`, `search-api`, `web-01`, `` `billing` ``, "the billing service"; never "search was slow"
            naming = _alternation(NAMING_WORDS)
            prefixed = rf"(?:{roles}{_JOINER}{{1,3}}){{1,2}}(?:{names})(?:{_JOINER}{{0,3}}{suffixes}){{0,3}}"
            suffixed = rf"(?:{names})(?:{_JOINER}{{0,3}}{suffixes}){{1,3}}"
            add(
                "service",
                rf"{boundary_before}(?:{prefixed}|{suffixed}|(?:{names}) (?:{naming})){boundary_after}"
                rf"|(?<=`)(?:{names})(?=`)",
                needles=starts((*common, *ROLE_WORDS)),
            )
        names = _alternation(public_names)
        if names:  # `checkout-api`, `checkoutsvc`, `checkout.services`, `checkout-api-canary`; not "Checkout API"
            add(
                "service",
                rf"{boundary_before}(?:{names}){_TIGHT}{technical}(?:{_JOINER}{{0,3}}{suffixes}){{0,2}}"
                rf"{boundary_after}",
                needles=starts(public_names),
            )
        people = tuple(people)
        self.written: dict[str, list[WrittenName]] = {}
        for name in written_names(people):
            self.written.setdefault(fold(name.surname), []).append(name)
        # A name whose surname is an everyday word (`a.long`, `Kevin Young`) is found as a handle only when a mark
        # joins its words (`a.long`, `a_long`); "along", "a long" and "kevin young" are prose, and "Kevin Young"
        # written as a name is found below.
        everyday = {term for term in people if any(name.common for name in written_names((term,)))}
        words = "|".join(
            filter(
                None,
                (
                    _alternation(term for term in people if term not in everyday),
                    _alternation(everyday, rf"{_JOINER}{{1,3}}"),
                ),
            )
        )
        add("person", words and rf"{boundary_before}(?:{words}){boundary_after}", needles=starts(people))
        surnames = _alternation(self.written)
        if surnames:  # "Jordan Osei", "J. Osei", "Osei, Jordan" for `j.osei`; which pairs count, see `_keep`
            first = r"[^\W\d_]+"
            add(
                "person",
                rf"{boundary_before}(?:(?P<first>{first})(?P<gap>\. |{_GAP})(?P<last>{surnames})"
                rf"|(?P<last2>{surnames}), ?(?P<first2>{first})(?P<dot>\.?)){boundary_after}",
                needles=re.compile(surnames),
            )
        add(
            "deny",
            (lambda words: words and rf"(?<!\w)(?:{words})(?!\w)")(_alternation(policy.public_deny)),
            needles=starts(policy.public_deny),
        )
        reported = _alternation(references)  # `DORA-2026-0042`, `dora 2026 0042`, `DORA/2026/0042`
        add("regulatory", reported and rf"(?<!\w)(?:{reported})(?!\w)", needles=starts(references))
        add("regulatory", _REGULATORY_LINK, needles=("regulatory/",))
        add("ip-address", _IPV6, needles=re.compile(r":[0-9a-f]*:"))
        add("ip-address", _IPV4, needles=re.compile(r"\d\.\d"))
        for rule_name, patterns, named in (
            ("cloud", policy.cloud_patterns, CLOUD_PATTERNS),
            ("cluster", policy.cluster_patterns, CLUSTER_PATTERNS),
        ):
            for pattern in patterns:  # built-ins are lower case, like the text as the gate reads it
                flags = "(?:" if pattern in named or re.sub(r"\\.", "", pattern) == pattern.lower() else "(?i:"
                add(rule_name, rf"(?<![\w-]){flags}{pattern})(?![\w-])", named.get(pattern), NEEDLES.get(pattern, ()))
        add(
            "ticket",
            rf"(?<![\w-])(?i:{policy.ticket_pattern})(?![\w-]|\.\d)",  # `ubuntu-22.04` is a version
            needles=re.compile(r"-\d") if policy.ticket_pattern == DEFAULT_TICKET_PATTERN else (),
        )
        if policy.internal_hosts:
            hosts = "|".join(_host(glob) for glob in policy.internal_hosts)
            add(
                "internal-host",
                rf"(?<![\w.-])(?:{hosts})(?![\w-]|\.\w)",
                needles=()
                if any(glob.endswith("*") for glob in policy.internal_hosts)
                else {fold(glob).rsplit("*", 1)[-1] for glob in policy.internal_hosts},
            )
        self.internal_domains = tuple(fold(domain).lstrip("*.") for domain in policy.internal_domains)
        if self.internal_domains:
            add("internal-domain", _HOST, needles=self.internal_domains)
        self.public_domains = _globs(policy.public_domains)
        # The organisation's own domain, under which customers reach a public host (the status site): its bare name
        # and `www` are its public face ("Visit larkspur.example"), whatever else lives under it.
        public_hosts = [fold(glob).lstrip("*.") for glob in policy.public_domains]
        self.public_faces = frozenset(
            face
            for domain in self.internal_domains
            if any(_under(host, (domain,)) for host in public_hosts)
            for face in (domain, "www." + domain)
        )
        self.public_tickets = _globs(policy.public_tickets)
        self.allow = _allow_pattern((*policy.public_allow, *policy.components))  # "Product search" names no service

    def _keep(self, rule_name: str, match: re.Match, read: Normalised) -> str | None:
        """What a match is, or None when it is no leak after all (a public address, host or ticket, a word that
        only looks like a person's name)."""
        term = match.group()
        if rule_name == "ip-address":
            if not any(c.isdigit() for c in term):
                return None
            return ip_kind(term)
        if rule_name in ("ticket", "chat-channel") and _in_link(read.text, match.start()):
            return None
        if rule_name == "ticket":
            return None if self.public_tickets and self.public_tickets.fullmatch(term) else ""
        if rule_name == "chat-channel" and _on_public_network(read.text, match.start(), match.end()):
            return None
        if rule_name == "email":  # a public site's domain still has internal addresses: allow one by `allow`
            if not _under(match.group(1), self.internal_domains):
                return None
            return None if term.split("@", 1)[0] in ROLE_MAILBOXES else ""
        if rule_name == "internal-domain" and (
            not _under(term, self.internal_domains)
            or term in self.public_faces
            or (self.public_domains and self.public_domains.fullmatch(term))
        ):
            return None
        if rule_name == "person" and "last" in match.re.groupindex:
            return "" if self._written_name(match, read) else None
        return ""

    def _written_name(self, match: re.Match, read: Normalised) -> bool:
        """Whether a first word and a surname are a person's name as prose writes it (`people.written_names`): the
        initial or the known first name, or for a handle such as `j.osei` any word that starts with the initial;
        for a surname that is also a word (`k.young`), only with capitals, and the initial with its full stop or the
        known first name."""
        forward = match.group("last") is not None
        first, last = (
            (match.group("first"), match.group("last")) if forward else (match.group("first2"), match.group("last2"))
        )
        dotted = match.group("gap") in (".", ". ") if forward else bool(match.group("dot"))
        if forward and match.group("gap") == ". " and len(first) > 1:
            return False  # "… told Jordan. Osei …": a sentence ends between them
        capitals = _capital(read, match.start("first" if forward else "first2")) and _capital(
            read, match.start("last" if forward else "last2")
        )
        for name in self.written.get(last, ()):
            known = bool(name.first) and fold(name.first) == first
            initial = first == fold(name.initial)
            if name.common:
                if capitals and (known or (initial and dotted)):
                    return True
            elif known or initial or (not name.first and first.startswith(fold(name.initial))):
                return True
        return False

    def _found(self, read: Normalised, allow: Iterable[str]) -> list[tuple]:
        """(start, end, order, rule, what, read as) of each finding in one reading of a text, in the original's
        offsets, but for those a term of `leak_gate.allow` or of `allow` covers."""
        found = []
        words: set[str] | None = None  # the first letters of the text's words, for `_Starts`
        for order, (rule_name, what, pattern, needles) in enumerate(self.patterns):
            if isinstance(needles, _Starts):
                if words is None:
                    words = {
                        found
                        for match in _WORD_START.finditer(read.text)
                        for found in (match.group()[:1], match.group()[:2], match.group())
                    }
                if needles.prefixes is not None and words.isdisjoint(needles.prefixes):
                    continue
            elif isinstance(needles, re.Pattern):
                if not needles.search(read.text):
                    continue
            elif needles and not any(needle in read.text for needle in needles):
                continue
            for match in pattern.finditer(read.text):
                kind = self._keep(rule_name, match, read)
                if kind is not None:
                    found.append((match.start(), match.end(), order, rule_name, kind or what))
        if not found:
            return []
        allowed = _allowed_spans(read, (self.allow, _allow_pattern(tuple(allow))))
        return [
            (*read.span(start, end), order, rule_name, what, read.text[start:end])
            for start, end, order, rule_name, what in found
            if rule_name in NEVER_ALLOWED or not any(a <= start and end <= b for a, b in allowed)
        ]

    @classmethod
    def of(cls, policy: Policy, postmortems: Iterable[Postmortem], named: Iterable[str] | None = None) -> LeakGate:
        """The gate of `postmortems`: the people they name (`people.people`: with the policy's `blameless_names`,
        without initials, common words and organisations), or those `named` when given, and the references of the
        reports they made to regulators."""
        postmortems = list(postmortems)
        return cls(policy, people(postmortems, policy) if named is None else named, references_of(postmortems))

    def leaks(self, text: str, allow: Iterable[str] = ()) -> list[Leak]:
        """Every leak in `text`, in order: in the text as written, as a browser shows it (where a bidirectional
        control turns part of it around) and as HTML renders it (its tags and comments left out), and every character that makes the two differ (`format-control`). A
        finding inside another is left out (`@alice` is one mention, not also a person), and so is one that a term
        of `leak_gate.allow` or of `allow` covers."""
        read = normalise(text)
        found = [(*finding, False) for finding in self._found(read, allow)]
        shown = displayed(text, read)
        if shown is not None and shown.text != read.text:
            found += [(*finding, True) for finding in self._found(shown, allow)]
        rendered = without_markup(text)
        if rendered is not None:
            found += [(*finding, False) for finding in self._found(rendered, allow)]
        leaks, reach = [], -1
        for start, end, _, rule_name, what, read_as, turned in sorted(found, key=lambda f: (f[0], -f[1], f[2], f[6])):
            if end <= reach:
                continue
            reach = end
            leaks.append(Leak(start, end, text[start:end], rule_name, what, read_as, turned))
        hidden = [
            Leak(start, end, text[start:end], "format-control", HIDDEN[kind])  # always: nothing allows them
            for start, end, kind in read.hidden
        ]
        return sorted(leaks + hidden, key=lambda leak: (leak.start, -leak.end))

    def find(self, text: str) -> list[tuple[int, str, str]]:
        """(offset, term as written, what it is) of every leak in `text`, in order."""
        return [(leak.start, leak.term, leak.what) for leak in self.leaks(text)]


@lru_cache(maxsize=256)
def _allow_pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    words = _alternation(_plurals(terms))  # `ORDERS-DB` allows `orders_db` and `orders-dbs`: the same name
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)") if words else None


def _allowed_spans(read: Normalised, patterns) -> list[tuple[int, int]]:
    return [match.span() for pattern in patterns if pattern for match in pattern.finditer(read.text)]


def visible(term: str) -> str:
    """`term` with its invisible characters shown as `\\u200b` escapes, so a reader sees why it matched."""
    return "".join(
        (f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}")
        if not c.isprintable() or c in BLANKS or 0xFE00 <= ord(c) <= 0xFE0F or 0xE0100 <= ord(c) <= 0xE01EF
        else c
        for c in term.replace("\n", " ")
    )


def _hint(leak: Leak) -> str:
    if leak.rule == "regulatory":
        return (
            "what is reported to regulators (a report's reference, the regulatory pages) stays in the knowledge "
            "base: say what customers saw, without it"
        )
    if leak.rule == "format-control":
        return (
            "delete it: public text never needs it, and it can show customers something other than what the "
            "text says (a browser lays out right-to-left words without it)"
        )
    how = RULES_OF_THE_GATE[leak.rule][1]
    allow = (
        f"if `{leak.read_as}` is truly public, add it to this postmortem's `public.allow` "
        f"(or to `leak_gate.allow` for every postmortem)"
    )
    return (
        f"public text may name components and what customers saw, never internal systems, people, tickets or "
        f"hosts; reword it, or {how + ', or ' if how else ''}{allow}"
    )


def public_texts(pm: Postmortem) -> list[tuple[tuple[str | int, ...], str, str]]:
    """(key path, what it is, text) of every text of `pm`'s `public` block the gate reads: its title, summary,
    `changes` and each update's body."""
    if pm.public is None:
        return []
    texts: list[tuple[tuple[str | int, ...], str, str]] = [
        (("public", "title"), "title", pm.public.title),
        (("public", "summary"), "summary", pm.public.summary),
        (("public", "changes"), "changes", pm.public.changes),
    ]
    return texts + [
        (("public", "updates", index, "body"), "update", update.body) for index, update in enumerate(pm.public.updates)
    ]


def public_leaks(pm: Postmortem, gate: LeakGate, code: str, said: str = "", hint: str = "") -> list[Diagnostic]:
    """A diagnostic of rule `code` for each leak in `pm`'s public texts (`public_texts`), at the term as written;
    `said` ends each message, and `hint` replaces the usual one."""
    found = []
    allow = pm.public.allow if pm.public is not None else ()
    for key_path, name, text in public_texts(pm):
        for leak in gate.leaks(text, allow):
            line, col = pm.text_position(key_path, text, leak.start)
            written = visible(leak.term)
            shown = "shown" if leak.shown else "read"
            read_as = (
                f" ({shown} as `{leak.read_as}`)"
                if leak.read_as and (leak.shown or " ".join(written.split()).casefold() != leak.read_as)
                else ""
            )
            found.append(
                Diagnostic(
                    pm.path,
                    line,
                    col,
                    code,
                    f"the public {name} names `{written}`{read_as}, {leak.what} [{leak.rule}]{said}",
                    hint or _hint(leak),
                    RULES[code].level,
                )
            )
    return found


def references_of(postmortems: Iterable[Postmortem]) -> tuple[str, ...]:
    """The `reference` of every report in the postmortems' `regulatory` blocks, once each, in order."""
    return tuple(
        dict.fromkeys(
            report.reference
            for pm in postmortems
            if pm.regulatory is not None
            for report in pm.regulatory.reports
            if report.reference.strip()
        )
    )


def gate_of(postmortems: list[Postmortem], ctx: Context) -> LeakGate:
    """The gate of the knowledge base: its policy, the people the whole of it names (`ctx.people` when not every
    file was parsed), so a name from another postmortem is caught too, and the references of the reports it made to
    regulators (of the postmortems given)."""
    return LeakGate.of(ctx.policy, postmortems, ctx.people)


@rule(
    "public-leak",
    Level.ERROR,
    "Public text that names an internal service, a person, a ticket or an internal host.",
    scope=Scope.KNOWLEDGE_BASE,
    docs="configuration.md#leak-gate",
)
def check_leaks(postmortems: list[Postmortem], ctx: Context) -> list[Diagnostic]:
    """`public-leak` for every public title, summary, `changes` and update body of `postmortems`, but for the text
    an import took unchanged from a public status page (`Postmortem.public_as_imported`: `said.py`'s
    `already-public-leak` reports what it finds there)."""
    checked = [pm for pm in postmortems if pm.public is not None and not pm.public_as_imported]
    if not checked:
        return []
    gate = gate_of(postmortems, ctx)
    return [found for pm in checked for found in public_leaks(pm, gate, "public-leak")]

"""The leak gate: public text must not name what stays internal.

Each text is first read as a reader sees it (`normalise.py`: HTML entities decoded, compatibility forms, zero-width
and format characters dropped, look-alike letters and hyphens folded, case-folded, whitespace collapsed), then
matched against one pattern per class of leak, `RULES_OF_THE_GATE`:

- `service`: a catalog service not marked public, spelt with any separator (`orders_db`, `orders db`), or any
  catalog service with a technical suffix (`checkout-api`, `checkoutsvc`);
- `person`: an author, reviewer or action-item owner of the knowledge base, or a configured `blameless.names` entry
  (never initials, common words or organisations, see `people.py`);
- `mention`: an `@mention`; `email`: an e-mail address at an internal domain;
- `ticket`: a key of `leak_gate.ticket_pattern`, in any case, unless one of `leak_gate.public_tickets` (CVE-*);
- `ip-address`: an IPv4 or IPv6 address that is not globally routable (private, loopback, link-local, the cloud
  metadata address, CGNAT, unique-local, reserved), zero-padded or not;
- `internal-host`: a host of `leak_gate.internal_hosts`; `internal-domain`: a host under `leak_gate.internal_domains`
  not among `leak_gate.public_domains`;
- `chat-channel`: a chat channel (`#incident-123`, `#sre-oncall`);
- `cloud` and `cluster`: `leak_gate.cloud_patterns` and `leak_gate.cluster_patterns` (account ids, ARNs, buckets,
  instance ids, namespaces, cluster-local names);
- `deny`: a term of `leak_gate.deny`.

A term of `leak_gate.allow`, or of the postmortem's `public.allow`, passes wherever it covers a finding. Each finding
is a `public-leak` error at the original file:line:col, naming the term as written and how to allow it.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from ..checks.registry import RULES, Context, Scope, rule
from ..diagnostics import Diagnostic, Level
from ..model import Postmortem
from ..people import people
from ..policy import CLOUD_PATTERNS, CLUSTER_PATTERNS, DEFAULT_TICKET_PATTERN, PATTERN_NEEDLES as NEEDLES, Policy
from .normalise import Normalised, fold, normalise

# Each class of leak the gate knows: its rule name, what a finding of it is, and how to let a truly public one pass.
RULES_OF_THE_GATE = {
    "service": ("an internal service", "mark the service `public: true` in the catalog if customers know it by that "
                                       "name"),
    "person": ("a person", ""),
    "mention": ("an @mention", ""),
    "email": ("an internal e-mail address", ""),
    "ticket": ("a ticket key", "add it to `leak_gate.public_tickets` if it is a public identifier"),
    "ip-address": ("a private IP address", ""),
    "internal-host": ("an internal host", ""),
    "internal-domain": ("a host under an internal domain", "add the host to `leak_gate.public_domains` if "
                                                           "customers can reach it"),
    "chat-channel": ("a chat channel", ""),
    "cloud": ("a cloud resource", ""),
    "cluster": ("a cluster resource", ""),
    "deny": ("a term on the deny list", ""),
}
# A technical suffix that makes any catalog name an internal identifier, public name or not.
SERVICE_SUFFIXES = ("api", "svc", "service", "srv", "server", "worker", "workers", "daemon", "cron", "job", "jobs",
                    "queue", "cache", "proxy", "gateway", "gw", "db", "database")
_SEPARATOR = r"[ ._-]?"
_MENTION = r"(?<![\w@.])@[a-z0-9][\w.-]*\w"
_EMAIL = r"(?<![\w.+-])[a-z0-9][a-z0-9._%+-]*@((?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*[a-z0-9])(?![\w-]|\.\w)"
_HOST = r"(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9](?![\w-]|\.\w)"
_IPV4 = r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d)"
_IPV6 = r"(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{0,4})(?:%[\w.-]+)?(?![\w:]|\.\d)"
_CHANNEL = (r"(?<![\w&/#])#(?:[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+|incidents?|oncall|ops|sre|alerts?|devops|eng"
            r"|engineering|warroom|outages?)(?![\w-])")
_HOST_LABEL = r"[a-z0-9-]+"
_SPECIAL_IPV4 = (
    (ipaddress.ip_network("169.254.169.254/32"), "the cloud metadata address"),
    (ipaddress.ip_network("127.0.0.0/8"), "a loopback IP address"),
    (ipaddress.ip_network("169.254.0.0/16"), "a link-local IP address"),
    (ipaddress.ip_network("100.64.0.0/10"), "a shared (CGNAT) IP address"),
    (ipaddress.ip_network("10.0.0.0/8"), "a private IP address"),
    (ipaddress.ip_network("172.16.0.0/12"), "a private IP address"),
    (ipaddress.ip_network("192.168.0.0/16"), "a private IP address"),
    (ipaddress.ip_network("0.0.0.0/8"), "a \"this network\" IP address"),
)


_WORD_START = re.compile(r"(?<![\w@.-])\w{1,3}")


class _Starts:
    """The first one to three characters of some names: a text none of whose words starts so names none of them."""

    def __init__(self, terms: Iterable[str]):
        firsts = (re.split(r"[\s._-]+", fold(term))[0] for term in terms)  # `j.osei` starts with the word `j`
        self.prefixes = frozenset(first[:3] for first in firsts if first)
        if any(not re.match(r"\w", prefix) for prefix in self.prefixes):  # `@alice`: no word starts so; always run
            self.prefixes = None


@dataclass(frozen=True)
class Leak:
    """One finding: the span of the original text, the term as written, the rule (class) and what it is."""

    start: int
    end: int
    term: str
    rule: str
    what: str
    read_as: str = ""  # the term as the gate read it


def _name_pattern(term: str) -> str | None:
    """A normalised term as a pattern whose words may be joined by any separator or none (`orders-db`, `orders_db`,
    `orders db`, `ordersdb`)."""
    words = [word for word in re.split(r"[\s._-]+", fold(term)) if word]
    return _SEPARATOR.join(re.escape(word) for word in words) or None


_SEP = object()  # a place between two words of a name: any separator or none


def _alternation(terms: Iterable[str]) -> str | None:
    """The names of `terms` (see `_name_pattern`) as one pattern, a trie: Python's `re` tries the branches of an
    alternation one by one at every position, so 300 people would cost 300 tries per character."""
    trie: dict = {}
    for term in terms:
        words = [word for word in re.split(r"[\s._-]+", fold(term)) if word]
        node = trie
        for index, word in enumerate(words):
            for symbol in ([_SEP] if index else []) + list(word):
                node = node.setdefault(symbol, {})
        if words:
            node[None] = {}  # a name may end here

    def pattern(node: dict) -> str:
        ends = None in node
        branches = [(_SEPARATOR if symbol is _SEP else re.escape(symbol)) + pattern(child)
                    for symbol, child in sorted(node.items(), key=lambda item: (item[0] is _SEP, str(item[0])))
                    if symbol is not None]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:  # greedy: the longer name first, then the shorter one that ends here
            return f"(?:{body})?" if len(branches) == 1 else body[:-1] + "|)"
        return body

    return pattern(trie) or None


def _host(glob: str) -> str:
    """A host glob such as `*.internal` as a regex for the host names it covers."""
    labels = [rf"{_HOST_LABEL}(?:\.{_HOST_LABEL})*" if label == "*" else re.escape(label)
              for label in fold(glob).split(".")]
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
            ip = ipaddress.IPv6Address(address.split("%")[0])
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


class LeakGate:
    """The leak gate's patterns for one knowledge base, compiled once; `leaks` lists the leaks in a text."""

    def __init__(self, policy: Policy, people: Iterable[str]):
        components = {fold(component) for component in policy.components}  # public names by definition
        public_names = [s.name for s in policy.services if s.public or fold(s.name) in components]
        internal = [s.name for s in policy.services if s.name not in public_names]
        suffix = "(?:" + "|".join(SERVICE_SUFFIXES) + ")"
        boundary_before, boundary_after = r"(?<![\w@.-])", r"(?![\w-]|\.\w)"
        # (rule, what, pattern, needles) in the order of precedence: a pattern runs only on a text that contains
        # one of its needles (plain substrings, a C-speed test), or on every text when it has none.
        self.patterns: list[tuple[str, str, re.Pattern, object]] = []

        def add(rule_name: str, pattern: str | None, what: str | None = None, needles=()) -> None:
            if pattern:
                self.patterns.append((rule_name, what or RULES_OF_THE_GATE[rule_name][0], re.compile(pattern),
                                      needles if isinstance(needles, re.Pattern) or (
                                          isinstance(needles, _Starts) and needles.prefixes is not None)
                                      else () if isinstance(needles, _Starts) else tuple(needles)))

        add("email", _EMAIL, needles="@")  # kept only at an internal domain, see `leaks`
        add("mention", _MENTION, needles="@")
        add("chat-channel", _CHANNEL, needles="#")
        starts = _Starts  # a name pattern runs only on a text with a word that starts like one of its names
        names = _alternation(internal)
        if names:
            add("service", rf"{boundary_before}(?:{names})(?:[-_]?{suffix})?{boundary_after}",
                needles=starts(internal))
        names = _alternation(public_names)
        if names:
            add("service", rf"{boundary_before}(?:{names})[-_]?{suffix}{boundary_after}", needles=starts(public_names))
        add("person", (lambda words: words and rf"{boundary_before}(?:{words}){boundary_after}")(_alternation(people)),
            needles=starts(people))
        add("deny", (lambda words: words and rf"(?<!\w)(?:{words})(?!\w)")(_alternation(policy.public_deny)),
            needles=starts(policy.public_deny))
        add("ip-address", _IPV6, needles=re.compile(r":[0-9a-f]*:"))
        add("ip-address", _IPV4, needles=re.compile(r"\d\.\d"))
        for rule_name, patterns, named in (("cloud", policy.cloud_patterns, CLOUD_PATTERNS),
                                           ("cluster", policy.cluster_patterns, CLUSTER_PATTERNS)):
            for pattern in patterns:  # built-ins are lower case, like the text as the gate reads it
                flags = "(?:" if pattern in named or re.sub(r"\\.", "", pattern) == pattern.lower() else "(?i:"
                add(rule_name, rf"(?<![\w-]){flags}{pattern})(?![\w-])", named.get(pattern), NEEDLES.get(pattern, ()))
        add("ticket", rf"(?<![\w-])(?i:{policy.ticket_pattern})(?![\w-])",
            needles=re.compile(r"-\d") if policy.ticket_pattern == DEFAULT_TICKET_PATTERN else ())
        if policy.internal_hosts:
            hosts = "|".join(_host(glob) for glob in policy.internal_hosts)
            add("internal-host", rf"(?<![\w.-])(?:{hosts})(?![\w-]|\.\w)",
                needles=() if any(glob.endswith("*") for glob in policy.internal_hosts)
                else {fold(glob).rsplit("*", 1)[-1] for glob in policy.internal_hosts})
        self.internal_domains = tuple(fold(domain).lstrip("*.") for domain in policy.internal_domains)
        if self.internal_domains:
            add("internal-domain", _HOST, needles=self.internal_domains)
        self.public_domains = _globs(policy.public_domains)
        self.public_tickets = _globs(policy.public_tickets)
        self.allow = _allow_pattern((*policy.public_allow, *policy.components))  # "Product search" names no service

    def _keep(self, rule_name: str, match: re.Match) -> str | None:
        """What a match is, or None when it is no leak after all (a public address, host or ticket)."""
        term = match.group()
        if rule_name == "ip-address":
            if not any(c.isdigit() for c in term):
                return None
            return ip_kind(term)
        if rule_name == "ticket":
            return None if self.public_tickets and self.public_tickets.fullmatch(term) else ""
        if rule_name == "email":  # a public site's domain still has internal addresses: allow one by `allow`
            return "" if _under(match.group(1), self.internal_domains) else None
        if rule_name == "internal-domain":
            if not _under(term, self.internal_domains) or (self.public_domains and self.public_domains.fullmatch(term)):
                return None
        return ""

    def leaks(self, text: str, allow: Iterable[str] = ()) -> list[Leak]:
        """Every leak in `text`, in order; a finding inside another is left out (`@alice` is one mention, not also
        a person), and so is one that a term of `leak_gate.allow` or of `allow` covers."""
        read = normalise(text)
        found = []
        words: set[str] | None = None  # the first letters of the text's words, for `_Starts`
        for order, (rule_name, what, pattern, needles) in enumerate(self.patterns):
            if isinstance(needles, _Starts):
                if words is None:
                    words = {found for match in _WORD_START.finditer(read.text)
                             for found in (match.group()[:1], match.group()[:2], match.group())}
                if words.isdisjoint(needles.prefixes):
                    continue
            elif isinstance(needles, re.Pattern):
                if not needles.search(read.text):
                    continue
            elif needles and not any(needle in read.text for needle in needles):
                continue
            for match in pattern.finditer(read.text):
                kind = self._keep(rule_name, match)
                if kind is not None:
                    found.append((match.start(), -match.end(), order, rule_name, kind or what))
        if not found:
            return []
        allowed = _allowed_spans(read, (self.allow, _allow_pattern(tuple(allow))))
        leaks, reach = [], -1
        for start, negative_end, _, rule_name, what in sorted(found):
            end = -negative_end
            if end <= reach or any(a <= start and end <= b for a, b in allowed):
                continue
            reach = end
            begin, finish = read.span(start, end)
            leaks.append(Leak(begin, finish, text[begin:finish], rule_name, what, read.text[start:end]))
        return leaks

    def find(self, text: str) -> list[tuple[int, str, str]]:
        """(offset, term as written, what it is) of every leak in `text`, in order."""
        return [(leak.start, leak.term, leak.what) for leak in self.leaks(text)]


@lru_cache(maxsize=256)
def _allow_pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    words = _alternation(terms)  # `ORDERS-DB` allows `orders_db` too: the same name to the gate
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)") if words else None


def _allowed_spans(read: Normalised, patterns) -> list[tuple[int, int]]:
    return [match.span() for pattern in patterns if pattern for match in pattern.finditer(read.text)]


def visible(term: str) -> str:
    """`term` with its invisible characters shown as `\\u200b` escapes, so a reader sees why it matched."""
    return "".join(f"\\u{ord(c):04x}" if not c.isprintable() or c in "\u00ad\u200b\u200c\u200d\u2060\ufeff" else c
                   for c in term.replace("\n", " "))


def _hint(leak: Leak) -> str:
    how = RULES_OF_THE_GATE[leak.rule][1]
    allow = (f"if `{leak.read_as}` is truly public, add it to this postmortem's `public.allow` "
             f"(or to `leak_gate.allow` for every postmortem)")
    return (f"public text may name components and what customers saw, never internal systems, people, tickets or "
            f"hosts; reword it, or {how + ', or ' if how else ''}{allow}")


def text_position(pm: Postmortem, key_path: tuple, text: str, offset: int) -> tuple[int, int]:
    """The file line and column of character `offset` of the text at `key_path`: from where the text starts in the
    file (the line after `|` or `>` for a block scalar, after the quote for a quoted one)."""
    content = pm.positions.get(key_path + ("text",))
    line, col = content or pm.position_of(*key_path)
    lines_before = text.count("\n", 0, offset)
    if not lines_before:
        return line, col + offset
    return line + lines_before, (col - 1 if content else 0) + offset - text.rfind("\n", 0, offset)


@rule("public-leak", Level.ERROR, "Public text that names an internal service, a person, a ticket or an internal host.",
      scope=Scope.KNOWLEDGE_BASE, docs="configuration.md#leak-gate")
def check_leaks(postmortems: list[Postmortem], ctx: Context) -> list[Diagnostic]:
    """`public-leak` for every public title, summary, `changes` and update body of `postmortems`; people are those
    the whole knowledge base names, so a name from another postmortem is caught too."""
    gate = LeakGate(ctx.policy, ctx.people if ctx.people is not None else people(postmortems, ctx.policy))
    found = []
    for pm in postmortems:
        if pm.public is None:
            continue
        texts = [(("public", "title"), "title", pm.public.title), (("public", "summary"), "summary", pm.public.summary),
                 (("public", "changes"), "changes", pm.public.changes)]
        texts += [(("public", "updates", index, "body"), "update", update.body)
                  for index, update in enumerate(pm.public.updates)]
        for key_path, name, text in texts:
            for leak in gate.leaks(text, pm.public.allow):
                line, col = text_position(pm, key_path, text, leak.start)
                written = visible(leak.term)
                read_as = f" (read as `{leak.read_as}`)" if " ".join(written.split()).casefold() != leak.read_as else ""
                found.append(Diagnostic(
                    pm.path, line, col, "public-leak",
                    f"the public {name} names `{written}`{read_as}, {leak.what} [{leak.rule}]",
                    _hint(leak), RULES["public-leak"].level))
    return found

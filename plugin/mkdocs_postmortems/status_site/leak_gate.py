"""The leak gate: public text must not name what stays internal.

It reports a catalog service not marked public, a person (an author, reviewer or action-item owner of the
knowledge base, or a configured `blameless.names` entry; never initials, common words or organisations, see
`people.py`), an `@mention`, a ticket key, an internal host or a private IP address, or a configured
deny-list term. A service whose name is also a public component's name (`checkout` and `Checkout`) passes. Each
finding is a `public-leak` error at the field's line.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..checks.registry import RULES, Context, Scope, rule
from ..diagnostics import Diagnostic, Level
from ..model import Postmortem
from ..people import people
from ..policy import Policy

# Private and loopback IPv4 addresses (RFC 1918, RFC 1122).
_PRIVATE_IP = (r"(?:10(?:\.\d{1,3}){3}|172\.(?:1[6-9]|2\d|3[01])(?:\.\d{1,3}){2}|192\.168(?:\.\d{1,3}){2}"
               r"|127(?:\.\d{1,3}){3})")
_MENTION = r"(?<![\w@.])@[A-Za-z0-9][\w.-]*[\w]"
_HOST_LABEL = r"[A-Za-z0-9-]+"


def _words(terms: Iterable[str]) -> str | None:
    """An alternation of `terms` as whole words (a hyphen or dot inside a term is part of it), longest first."""
    unique = sorted({term for term in terms if term.strip()}, key=lambda term: (-len(term), term))
    return "|".join(re.escape(term) for term in unique) or None


def _host(glob: str) -> str:
    """A host glob such as `*.internal` as a regex for the host names it covers."""
    labels = [rf"{_HOST_LABEL}(?:\.{_HOST_LABEL})*" if label == "*" else re.escape(label) for label in glob.split(".")]
    return r"\.".join(labels)


class LeakGate:
    """The leak gate's patterns for one knowledge base, compiled once; `find` lists the leaks in a text."""

    def __init__(self, policy: Policy, people: Iterable[str]):
        components = {component.casefold() for component in policy.components}  # public names by definition
        internal = (s.name for s in policy.services if not s.public and s.name.casefold() not in components)
        named = [("an internal service", _words(internal), re.I),
                 ("a person", _words(people), re.I),
                 ("a term on the deny list", _words(policy.public_deny), re.I)]
        self.patterns = [(what, re.compile(rf"(?<![\w@.-])(?:{words})(?![\w-]|\.\w)", flags))
                         for what, words, flags in named if words]
        self.patterns += [
            ("an @mention", re.compile(_MENTION)),
            ("a ticket key", re.compile(rf"(?<![\w-])(?:{policy.ticket_pattern})(?![\w-])")),
            ("a private IP address", re.compile(rf"(?<![\w.]){_PRIVATE_IP}(?![\w.]\d)")),
        ]
        if policy.internal_hosts:
            hosts = "|".join(_host(glob) for glob in policy.internal_hosts)
            self.patterns.append(("an internal host", re.compile(rf"(?<![\w.-])(?:{hosts})(?![\w-])", re.I)))

    def find(self, text: str) -> list[tuple[int, str, str]]:
        """(offset, term, what it is) of every leak in `text`, in order."""
        found = {(m.start(), m.group(), what) for what, pattern in self.patterns for m in pattern.finditer(text)}
        return sorted(found)


@rule("public-leak", Level.ERROR, "Public text that names an internal service, a person, a ticket or an internal host.",
      scope=Scope.KNOWLEDGE_BASE, docs="configuration.md#leak-gate")
def check_leaks(postmortems: list[Postmortem], ctx: Context) -> list[Diagnostic]:
    """`public-leak` for every public title and summary of `postmortems`; people are those the whole knowledge
    base names, so a name from another postmortem is caught too."""
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
            line, col = pm.position_of(*key_path)
            for offset, term, what in gate.find(text):
                lines_before = text.count("\n", 0, offset)
                at_col = col + offset if not lines_before else offset - text.rfind("\n", 0, offset)
                found.append(Diagnostic(
                    pm.path, line + lines_before, at_col, "public-leak",
                    f"the public {name} names `{term}`, {what}",
                    "public text may name components and what customers saw, never internal systems, people, "
                    "tickets or hosts; reword it, or mark the service `public: true` in the catalog if customers "
                    "know it by that name", RULES["public-leak"].level))
    return found

"""Who counts as a person for the blameless lint and the leak gate: handles and configured full names, never
initials, common words or organisations; and how prose writes a person known by a handle (`written_names`).

Reviewer initials such as "AN" made "An update…" a leak and blame; a vendor in `authors` made every public text
naming it a leak. A name of two letters or fewer, a word of `COMMON_WORDS`, and a configured organisation or
service provider are therefore never matched as a person.

A person known as `j.osei` is written "Jordan Osei" or "J. Osei" in a status update. `written_names` reads a handle
(`j.osei`, `a_okafor`, `jordan-osei`, `osei.j`) or a full name (`Jordan Osei`) as an initial, a first name when one
is known, and a surname, for the leak gate to find those spellings. A surname that is also an everyday English word
(`SURNAME_WORDS`: `k.young`, `m.king`, `s.brown`) is never found alone, and with it only what is unmistakably a
name counts: capitals, and the initial with its full stop or the known first name ("K. Young", "Kevin Young" when
the handle is `kevin.young`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Postmortem, people_of
from .policy import Policy

# Words that are also first names or handles, too common in prose to match as a person.
COMMON_WORDS = frozenset(
    {
        "an",
        "and",
        "the",
        "will",
        "may",
        "june",
        "april",
        "august",
        "summer",
        "autumn",
        "winter",
        "spring",
        "mark",
        "bill",
        "pat",
        "grant",
        "hope",
        "faith",
        "joy",
        "rose",
        "dawn",
        "ray",
        "art",
        "page",
        "chase",
        "drew",
        "frank",
        "case",
        "gene",
        "lane",
        "max",
        "rich",
        "sky",
        "storm",
        "sunny",
        "victor",
        "admin",
        "ops",
        "dev",
        "team",
        "oncall",
        "on-call",
        "support",
        "root",
        "system",
        "bot",
        "none",
        "unknown",
        "n/a",
        "tbd",
    }
)
# Surnames that are also everyday English words (or words of status text): "J. Green" is a person, "just green"
# and "Systems green" are not.
SURNAME_WORDS = frozenset(
    """
    amber bacon baker ball bank banks barber barker barn bass bell berry best bird bishop black blake bloom blue
    bond boon booth bowl bowman branch brand bridge bright brook brooks brown buck bull burn burns bush butcher
    butler cain call camp cannon card carpenter case cash chamber chance chase cherry church clay clear cloud coal
    cole cook cooper cotton craft crane cross crow dale day dean down drake duke dyer earl east english fair field
    fields finch fish fisher fletcher flower ford forest fortune foster fox frank free french frost fry gates gay
    gill glass gold golden good goodman grace grant gray green grey guard guest gunn hale hall hand hardy hart hawk
    hay head heart hill hills holder holiday hood hope horn house hunt hunter ivy jack joy judge keen key king kirk
    knight lake lamb land lane law lawless lee light lime little lock long lord love low major mann march marsh
    mason may merry mill mills moon moore more moss nail new newman night noble north oak oakley online page park
    parks pearl penny pepper pike pine plant plum pool pope port porter post potter pound power price prince quick
    rain read reader red reed rice rich rider ridge rivers robin rock rose ross rush sale salt sands savage sea
    shade sharp shaw shepherd short silver singer skinner slater small smart snow south spark sparks speed spring
    stack stark steel stern steward stone storm strange street strong summer summers sun swan sweet swift thorn
    tower tree tucker turner vale walker wall ward warren waters watt way weaver well wells west white wild will
    winter wise wolf wood woods wren wright young
""".split()
)


def organisations(policy: Policy) -> frozenset[str]:
    """The configured organisations and the service catalog's providers, case-folded."""
    names = (*policy.organisations, *(service.provider for service in policy.services if service.provider))
    return frozenset(" ".join(name.split()).casefold() for name in names)


def is_person(name: str, not_people: frozenset[str] = frozenset()) -> bool:
    """Whether `name` can be matched as a person in text: more than two letters, not a common word, not an
    organisation."""
    folded = " ".join(name.strip().lstrip("@").split()).casefold()
    return len(re.sub(r"\W", "", folded)) > 2 and folded not in COMMON_WORDS and folded not in not_people


def people(postmortems: Iterable[Postmortem], policy: Policy) -> tuple[str, ...]:
    """Everyone to match as a person: the knowledge base's authors, reviewers and owners and the policy's
    `blameless_names`, without initials, common words and organisations."""
    return people_from_names(people_of(postmortems), policy)


def people_from_names(names: Iterable[str], policy: Policy) -> tuple[str, ...]:
    """`people()` from the names the postmortems give, in order (e.g. from a scan of unparsed files)."""
    not_people = organisations(policy)
    return tuple(name for name in dict.fromkeys((*names, *policy.blameless_names)) if is_person(name, not_people))


@dataclass(frozen=True)
class WrittenName:
    """A person as prose writes them: the initial, the first name when one is known ("" for `j.osei`), and the
    surname, in lower case; `common` when the surname is also an everyday word (`SURNAME_WORDS`)."""

    initial: str
    first: str
    surname: str
    common: bool


def written_names(names: Iterable[str]) -> tuple[WrittenName, ...]:
    """How prose writes each of `names` that has a first part and a surname: `j.osei`, `j_osei` and `osei.j` are
    J. Osei; `jordan.osei` and `Jordan Osei` are Jordan Osei. A single word (`alice`, `aokafor`) has no surname to
    tell apart; a surname of fewer than three letters (`Ng`, `Li`) is too short to find safely."""
    found: dict[WrittenName, None] = {}
    for name in names:
        parts = [part for part in re.split(r"[\s._\-]+", name.strip().lstrip("@").casefold()) if part]
        if len(parts) < 2:
            continue
        first, surname = parts[0], parts[-1]
        if len(surname) == 1 and len(first) > 1:  # `osei.j`: the surname first
            first, surname = surname, first
        if not (first.isalpha() and surname.isalpha()) or len(surname) < 3:
            continue
        common = surname in SURNAME_WORDS or surname in COMMON_WORDS
        found[WrittenName(first[0], first if len(first) > 1 else "", surname, common)] = None
    return tuple(found)

"""Who counts as a person for the blameless lint and the leak gate: handles and configured full names, never
initials, common words or organisations.

Reviewer initials such as "AN" made "An update…" a leak and blame; a vendor in `authors` made every public text
naming it a leak. A name of two letters or fewer, a word of `COMMON_WORDS`, and a configured organisation or
service provider are therefore never matched as a person.
"""

from __future__ import annotations

import re
from typing import Iterable

from .model import Postmortem, people_of
from .policy import Policy

# Words that are also first names or handles, too common in prose to match as a person.
COMMON_WORDS = frozenset({
    "an", "and", "the", "will", "may", "june", "april", "august", "summer", "autumn", "winter", "spring", "mark",
    "bill", "pat", "grant", "hope", "faith", "joy", "rose", "dawn", "ray", "art", "page", "chase", "drew", "frank",
    "case", "gene", "lane", "max", "rich", "sky", "storm", "sunny", "victor", "admin", "ops", "dev", "team", "oncall",
    "on-call", "support", "root", "system", "bot", "none", "unknown", "n/a", "tbd",
})


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

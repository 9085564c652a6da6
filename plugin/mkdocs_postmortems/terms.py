"""The words of a postmortem's text as the terms its similarity compares (`similarity.py`).

A text becomes `(surface, term)` pairs: the word as written, for people to read ("certificate", "TLS"), and
what it is compared as: its English Snowball stem (`snowballstemmer`, the stemmer Sphinx's search uses), with
folds before it, each a fixed table below:

- `SYNONYMS`: the words incident reports use for one thing ("cert", "certificate"; "expired", "lapsed";
  "db", "database") are one term, so two reports of one cause match although they chose other words;
- `PHRASES`: a few word runs that mean one thing ("timed out", "out of memory", "load balancer");
- `IRREGULAR`: the past forms the stemmer leaves alone ("broke", "ran", "sent").

Stop words (`STOP_WORDS`), numbers and single characters are dropped. The same text always gives the same
terms: no model, no data read at run time, no randomness.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]  # no type information shipped; two calls, typed below

# Function words, and the words every postmortem uses whatever happened (its own vocabulary, times, placeholders).
STOP_WORDS = frozenset(
    """
    a about above after again against all almost also although am among an and another any anyone anything are
    around as at be became because become been before being below between both but by can cannot could did do
    does doing done down during each either else enough even ever every few for from further get gets getting got
    had has have having he her here hers herself him himself his how however i if in into is it its itself just
    least less let like made make many may me might more most much must my myself near need needed needs neither
    never no nor not now of off often on once one only onto or other others otherwise our ours ourselves out over
    own per quite rather really same several shall she should since so some something still such than that the
    their theirs them themselves then there therefore these they this those though through thus to too toward
    towards under until up upon us very via was we well were what whatever when whenever where whether which while
    who whom whose why will with within without would yet you your yours yourself yourselves
    aren couldn didn doesn don hadn hasn haven isn shouldn wasn weren won wouldn ll ve re
    incident incidents postmortem postmortems outage todo tbd etc eg ie utc gmt bst cet cest est pst
    minute minutes hour hours second seconds day days week weeks today yesterday tomorrow morning evening night
    first second third two three four five six seven eight nine ten half
    """.split()
)

# One term for the words incident reports use for the same thing: each key is the term, its value the other words
# (their inflections follow, as the table is compared by stem).
SYNONYMS = {
    "certificate": "cert certs x509 ssl",
    "expire": "expiry expiration lapse lapsed",
    "renew": "renewal reissue reissued",
    "database": "db dbs rdbms postgres postgresql mysql",
    "kubernetes": "k8s kube",
    "configuration": "config configs cfg misconfiguration misconfigured misconfigure setting settings",
    "deploy": "deployment rollout release shipped ship",
    "rollback": "revert reverted",
    "latency": "slow slowness sluggish",
    "memory": "ram heap oom",
    "disk": "storage volume partition filesystem",
    "capacity": "headroom saturation saturated",
    "exhaust": "exhaustion exhausted depleted",
    "overload": "overwhelm overwhelmed hammer hammered swamp swamped",
    "queue": "backlog broker",
    "worker": "consumer consumers",
    "server": "host hosts instance instances vm vms machine machines",
    "flag": "toggle toggles",
    "primary": "master leader writer",
    "replica": "replication secondary standby follower",
    "credential": "password passwords secret secrets apikey passphrase",
    "token": "jwt jwts bearer",
    "permission": "iam acl authorization authorisation role roles",
    "login": "signin logon authentication authenticate auth",
    "provider": "vendor supplier psp acquirer processor",
    "throttle": "throttling ratelimit ratelimited 429",
    "limit": "quota quotas ceiling cap maximum",
    "retry": "retried retrying resend resent",
    "duplicate": "double twice doubled duplicated dupe",
    "charge": "bill billed billing",
    "delete": "deletion purge purged wipe wiped erase erased",
    "crash": "crashloop crashloopbackoff panic segfault",
    "restart": "reboot rebooted bounce bounced",
    "stale": "outdated obsolete",
    "corrupt": "garbled mangled",
    "reject": "refuse refused decline declined deny denied",
    "wrong": "incorrect erroneous",
    "fail": "failure failures",
    "healthcheck": "probe probes liveness readiness",
    "alert": "alarm alarms alerting pager",
    "spike": "surge burst peak",
    "scale": "autoscaling autoscaler autoscale",
    "clock": "ntp chrony ntpd",
    "dst": "daylight",
    "email": "mail mails smtp",
    "network": "networking connectivity",
    "vulnerability": "cve exploit exploited",
    "encoding": "charset unicode utf utf8 ascii latin",
    "backup": "snapshot snapshots",
    "region": "zone zones datacenter datacentre",
    "loadbalancer": "lb elb alb nlb",
    "cdn": "edge",
}

# Irregular verbs, which the stemmer leaves alone: each past form is its verb.
IRREGULAR = {
    "break": "broke broken",
    "run": "ran",
    "send": "sent",
    "take": "took taken",
    "hold": "held",
    "lose": "lost",
    "fall": "fell fallen",
    "grow": "grew grown",
    "keep": "kept",
    "leave": "left",
    "write": "wrote written",
    "begin": "began begun",
    "go": "went gone",
    "bring": "brought",
    "catch": "caught",
    "freeze": "froze frozen",
    "hide": "hid hidden",
    "overwrite": "overwrote overwritten",
    "see": "saw seen",
    "show": "shown",
    "spend": "spent",
    "stick": "stuck",
    "feed": "fed",
    "build": "built",
    "drive": "drove driven",
}

# Word runs that mean one thing, compared by stem like `SYNONYMS`: each key is the term, its value the runs.
PHRASES = {
    "timeout": ("timed out", "time out", "time outs"),
    "clock": ("clock drift", "clock skew", "time sync", "time synchronisation", "time synchronization"),
    "memory": ("out of memory",),
    "rollback": ("rolled back", "roll back"),
    "loadbalancer": ("load balancer", "load balancers", "load balancing"),
    "flag": ("feature flag", "feature flags", "feature switch"),
    "throttle": ("rate limit", "rate limited", "rate limiting", "too many requests"),
    "retry": ("thundering herd", "retry storm"),
    "login": ("sign in", "log in", "single sign on"),
    "provider": ("third party",),
    "stale": ("out of date",),
    "healthcheck": ("health check", "health checks", "health checking"),
    "disk": ("no space left",),
    "dst": ("summer time", "clocks went back", "clocks go back", "clocks went forward"),
    "region": ("availability zone", "data center", "data centre"),
    "delete": ("cleanup job",),
    "network": ("split brain",),
}

_WORD = re.compile(r"[^\W_]+")  # `customer's` is `customer` and `s`, `cert-manager` `cert` and `manager`
_LONGEST_PHRASE = max(len(run.split()) for runs in PHRASES.values() for run in runs)
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The English Snowball stem of a lower-case `word` (`expired` -> `expir`)."""
    stemmed: str = _STEMMER.stemWord(word)
    return stemmed


def _folded() -> tuple[dict[str, str], dict[tuple[str, ...], str]]:
    """`SYNONYMS` and `PHRASES` by stem: each stem of a word -> its term's stem; each run of stems -> its term."""
    table = {**SYNONYMS, **IRREGULAR}
    words = {stem(other): stem(term) for term, others in table.items() for other in others.split()}
    words.update({stem(term): stem(term) for term in SYNONYMS})
    runs = {
        tuple(stem(word) for word in run.split()): words.get(stem(term), stem(term))
        for term, phrases in PHRASES.items()
        for run in phrases
    }
    return words, runs


_SYNONYM_OF, _PHRASE_OF = _folded()
_PHRASE_STARTS = frozenset(run[0] for run in _PHRASE_OF)  # a phrase is looked for only from these stems


def surface(word: str) -> str:
    """A word as a reader should see it: lower case, but an acronym or a name with capitals inside (`TLS`, `iOS`)
    as written."""
    rest = word[1:]
    return word if rest != rest.lower() else word.lower()


@lru_cache(maxsize=65536)
def _read(word: str) -> tuple[str, tuple[str, str] | None]:
    """A word as written -> its stem, and its `(surface, term)` pair outside a phrase (None: a stop word, a number
    or one letter). Cached: a knowledge base uses a few thousand words, hundreds of thousands of times."""
    lower = word.lower()
    stemmed = stem(lower)
    if stemmed in _SYNONYM_OF:  # `429` and `db` are words of their own
        return stemmed, (surface(word), _SYNONYM_OF[stemmed])
    if len(word) > 1 and lower not in STOP_WORDS and not word.isdigit():
        return stemmed, (surface(word), stemmed)
    return stemmed, None


def terms(text: str) -> Iterator[tuple[str, str]]:
    """The `(surface, term)` pairs of `text`, in order: stop words, numbers and one-letter words dropped, a run of
    `PHRASES` one pair (its words as written), every other word its synonym's stem or its own."""
    words = _WORD.findall(text)
    at, end = 0, len(words)
    while at < end:
        stemmed, pair = _read(words[at])
        phrase = _phrase_at(words, at) if stemmed in _PHRASE_STARTS else None
        if phrase is not None:
            length, term = phrase
            yield " ".join(surface(word) for word in words[at : at + length]), term
            at += length
            continue
        at += 1
        if pair is not None:
            yield pair


def _phrase_at(words: list[str], at: int) -> tuple[int, str] | None:
    """(its length in words, its term) of the longest of `PHRASES` that starts at `words[at]`, else None."""
    for length in range(min(_LONGEST_PHRASE, len(words) - at), 1, -1):
        term = _PHRASE_OF.get(tuple(_read(word)[0] for word in words[at : at + length]))
        if term is not None:
            return length, term
    return None

"""`status_site/leak_gate.py` on shapes that look like a leak and are none, found in real public status texts (the
packit cState corpus): a URL's path and fragment (`#issuecomment-1816831551`), versions (`epel-9`, `ubuntu-22.04`,
`node-18`), a word and a number (`retriggering-2`), channels on a public chat network (`#fedora-devel on Libera`),
and a catalog service named with an everyday word (`search`, `billing`, `api`, `web`) written as prose. Each beside
what must still be found: a ticket key in prose, an internal channel, the service written as a name."""

from __future__ import annotations

import re
from fnmatch import fnmatch

import pytest
from hypothesis import given, settings, strategies as st

from mkdocs_postmortems.policy import DEFAULT_PUBLIC_TICKETS, DEFAULT_TICKET_PATTERN, Policy, Service
from mkdocs_postmortems.status_site.leak_gate import COMMON_SERVICE_WORDS, LeakGate

COMMON = ("search", "billing", "api", "web", "payments")
GATE = LeakGate(Policy(services=(*map(Service, COMMON), Service("ledger"), Service("orders-db"))), ("j.osei",))


def found(text: str) -> list[tuple[str, str]]:
    return [(leak.rule, leak.term) for leak in GATE.leaks(text)]


# --- tickets ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Details in https://github.com/packit/packit/issues/2154#issuecomment-1816831551 and below.",
        "Please [retrigger](https://packit.dev/docs/fedora-releases-guide#retriggering-2) the builds.",
        "See <https://tracker.example.org/browse/OPS-123>.",
        "Jump to [the follow-up](#ops-123).",
        "Runbook: www.example.org/runbooks/PAY-1535/index.html",
        "Caused by the `epel-9` branching in Fedora dist-git.",
        "Builds for epel-9, rhel-8, fedora-39 and ubuntu-22 failed; python-3 and node-18 jobs too.",
        "Images on ubuntu-22.04 and node-18.20 are fixed.",
        "Run retriggering-2 after the fix.",  # a word of more than ten letters is no project key
        "Fedora-39, Python-3 and Node-18 are supported again.",
    ],
)
def test_urls_versions_and_words_are_no_tickets(text):
    assert [term for rule, term in found(text) if rule == "ticket"] == []


@pytest.mark.parametrize(
    "text, term",
    [
        ("Tracked in OPS-123.", "OPS-123"),
        ("Follow-up in ops-77, see the report.", "ops-77"),
        ("Follow-up: PAY-1535 (https://example.org/x).", "PAY-1535"),
        ("Fixed in CHECKOUT10-4.", "CHECKOUT10-4"),
        ("See [OPS-123](https://example.org/x).", "OPS-123"),  # the link's text is read
        ("See [the fix](https://example.org/x) in OPS-9.", "OPS-9"),
    ],
)
def test_a_ticket_key_in_prose_is_still_found(text, term):
    assert ("ticket", term) in found(text)


def test_a_configured_project_key_is_found_and_only_it():
    gate = LeakGate(Policy(ticket_pattern=r"(?:OPS|PAY)-\d+"), ())
    assert [leak.term for leak in gate.leaks("OPS-1, PAY-2, INFRA-3 and epel-9.")] == ["OPS-1", "PAY-2"]


# --- chat channels ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Please join #fedora-buildsys, #fedora-admin or #fedora-noc on irc.libera.chat for updates.",
        "Ask in #fedora-devel on Libera.",
        "We are in #packit on Libera.Chat and #packit:fedora.im.",
        "Join the Matrix room #fedora-devel:fedoraproject.org.",
        "Libera's #fedora-devel and #fedora-admin channels have the news.",
        "Find us at #sre-talks on OFTC.",
        "We know how now ([details below](#how-did-it-happen)).",  # a heading's anchor
        'Read <a href="#sre-oncall-notes">the notes</a>.',
    ],
)
def test_channels_of_a_public_chat_network_or_a_links_anchor_are_no_internal_chat(text):
    assert [term for rule, term in found(text) if rule == "chat-channel"] == []


@pytest.mark.parametrize(
    "text, term",
    [
        ("Discussed in #sre-oncall.", "#sre-oncall"),
        ("Join #incident-123 on Slack.", "#incident-123"),
        ("See #incident-123 on our IRC server.", "#incident-123"),
        ("Libera is not where #sre-oncall lives.", "#sre-oncall"),
        ("See [notes](x.md) #sre-oncall.", "#sre-oncall"),
    ],
)
def test_an_internal_channel_is_still_found(text, term):
    assert ("chat-channel", term) in found(text)


# --- services named with an everyday word ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Search was slow and some searches timed out.",
        "Billing was delayed; invoices went out a day late.",
        "API and web errors rose between 09:00 and 09:40 UTC.",
        "Payments failed for some customers; the Web app and the API recovered.",
        "Our web site and search results are back to normal.",
    ],
)
def test_an_everyday_word_in_prose_is_no_service(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text, term",
    [
        ("The `search` pods restarted.", "search"),
        ("The billing service stalled.", "billing service"),
        ("The search cluster lost a node.", "search cluster"),
        ("The payments database failed over.", "payments database"),
        ("web-01 ran out of disk.", "web-01"),
        ("prod-api rejected tokens.", "prod-api"),
        ("billing_db was read-only.", "billing_db"),
        ("search-api and websvc restarted.", "search-api"),
        ("The ledgers disagreed.", "ledgers"),  # not an everyday word: found bare
        ("orders db was slow.", "orders db"),
    ],
)
def test_the_service_written_as_a_name_is_still_found(text, term):
    assert ("service", term) in found(text)


def test_the_everyday_words_exclude_the_names_the_gate_finds_bare():
    assert COMMON_SERVICE_WORDS.isdisjoint({"ledger", "identity", "orders", "platform"})


# --- properties: these shapes never flag; a key in prose always does ------------------------------------------------

VERSIONED = ("epel", "rhel", "centos", "fedora", "ubuntu", "debian", "python", "node", "java", "php", "ruby")
_KEYS = st.from_regex(r"[A-Z][A-Z0-9]{1,9}", fullmatch=True).filter(
    lambda key: not any(fnmatch(f"{key}-1".lower(), glob.lower()) for glob in DEFAULT_PUBLIC_TICKETS)
)
_PROSE = st.sampled_from(["Tracked in {}.", "We fixed {} today", "{} is done", "(see {})", "Follow-up: {}, then more."])


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(VERSIONED),
    st.integers(0, 99),
    st.sampled_from(["", ".04", ".1", ".20.3"]),
    st.sampled_from(["lower", "upper", "title"]),
    _PROSE,
)
def test_a_version_never_flags(name, number, minor, case, prose):
    token = getattr(f"{name}-{number}{minor}", case)()
    assert found(prose.format(token)) == []


@settings(max_examples=200, deadline=None)
@given(
    _KEYS,
    st.integers(1, 999_999),
    st.sampled_from(["github.com/org/repo/issues/7", "example.org/browse", "example.org/docs/guide"]),
    st.sampled_from(["/{}", "#{}", "/{}/", "?q={}", "#issuecomment-{}"]),
    _PROSE,
)
def test_a_key_in_a_urls_path_or_fragment_never_flags(key, number, path, where, prose):
    url = "https://" + path + where.format(f"{key}-{number}" if "issuecomment" not in where else number)
    assert [rule for rule, _ in found(prose.format(url))] == []


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[a-z]{2,12}(?:[-_][a-z]{2,8}){0,2}", fullmatch=True), _PROSE)
def test_a_channel_on_libera_never_flags(channel, prose):
    assert found(prose.format(f"#{channel} on Libera")) == []
    assert found(prose.format(f"#{channel} on irc.libera.chat")) == []


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(COMMON), st.sampled_from(["", "s"]), st.sampled_from(["lower", "upper", "title"]), _PROSE)
def test_an_everyday_service_word_in_prose_never_flags(word, plural, case, prose):
    assert found(prose.format(getattr(word + plural, case)())) == []


@settings(max_examples=300, deadline=None)
@given(_KEYS, st.integers(1, 999_999), st.sampled_from(["upper", "lower", "title"]), _PROSE)
def test_a_ticket_key_in_prose_always_flags(key, number, case, prose):
    """Flagged as a ticket, or as what else it also reads as (`WEB-12`, the `web` service's 12th host): never passed."""
    term = getattr(f"{key}-{number}", case)()
    assert term in [flagged for _, flagged in found(prose.format(term))]


def test_the_default_key_is_two_to_ten_characters():
    assert re.fullmatch(DEFAULT_TICKET_PATTERN, "OPS-1") and re.fullmatch(DEFAULT_TICKET_PATTERN, "ABCDEFGHIJ-1")
    assert not re.fullmatch(DEFAULT_TICKET_PATTERN, "RETRIGGERING-2") and not re.fullmatch(
        DEFAULT_TICKET_PATTERN, "O-1"
    )

"""The leak gate reads as a person does: what a browser shows when a bidirectional control turns text around, a
name's words joined by any mark, a service with its environment, role or number, in the plural, a person by the
full name their handle stands for, and a host under the organisation's own domain. Each rule with the text that must
pass beside it, and every reading bounded on a megabyte of hostile text."""

from __future__ import annotations

import re
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, given, settings, strategies as st
from mkdocs.exceptions import Abort

from conftest import TODAY, VALID, make_policy
from mkdocs_postmortems.knowledge import load_knowledge_base
from mkdocs_postmortems.people import written_names
from mkdocs_postmortems.policy import Service
from mkdocs_postmortems.status_site.leak_gate import RULES_OF_THE_GATE, LeakGate
from mkdocs_postmortems.status_site.normalise import BIDI_CONTROLS, display_order, displayed, fold, normalise
from site_support import build_site, make_site, postmortem

SERVICES = (
    Service("checkout", component="Checkout"),
    Service("payments", component="Payments"),
    Service("notifications", component="Notifications"),
    Service("search", component="Search"),
    Service("orders-db"),
    Service("platform-k8s"),
    Service("ledger"),
    Service("identity"),
    Service("delivery-scheduler", component="Delivery slots"),
)
PEOPLE = (
    "alice",
    "j.osei",
    "a_okafor",
    "osei.k",
    "jordan.osei",
    "m.king",
    "k.young",
    "a.long",
    "s.brown",
    "kevin.young",
    "Priya Raman",
    "team-search",
)
GATE = LeakGate(make_policy(services=SERVICES, public_deny=("Project Falcon",)), PEOPLE)


def found(text: str, gate: LeakGate = GATE) -> list[tuple[str, str]]:
    return [(leak.rule, leak.term) for leak in gate.leaks(text)]


def rules(text: str, gate: LeakGate = GATE) -> set[str]:
    return {leak.rule for leak in gate.leaks(text)}


# --- what the text displays: bidirectional controls ----------------------------------------------------------------


def test_a_name_turned_around_by_an_override_is_found_as_shown_at_its_place():
    text = "Writes to \u202ebd-sredro\u202c failed."
    [before, name, after] = GATE.leaks(text)
    assert (name.rule, name.term, name.read_as, name.shown) == ("service", "bd-sredro", "orders-db", True)
    assert text[name.start : name.end] == "bd-sredro" and name.start == text.index("bd-sredro")
    assert [(before.rule, before.term), (after.rule, after.term)] == [
        ("format-control", "\u202e"),
        ("format-control", "\u202c"),
    ]


@pytest.mark.parametrize(
    "text, term",
    [
        ("&#x202E;bd-sredro&#x202C; failed.", "bd-sredro"),  # the controls as HTML entities
        ("\u2067\u202ebd-sredro\u202c\u2069 failed.", "bd-sredro"),  # inside an isolate
        (
            "\u202e\u202eorders-db\u202c\u202c",
            None,
        ),  # an override inside an override: written as shown, found as written
        ("\u202e\u202ddb\u202c-\u202dorders\u202c\u202c", "db\u202c-\u202dorders"),  # words kept, their order turned
        ("\u202bdb\u200f-\u200forders\u202c", "db\u200f-\u200forders"),  # marks swap the words inside an embedding
        ("\u2068\u202ebd-sredro\u202c\u2069", "bd-sredro"),  # a first-strong isolate
        ("Thanks to \u202eecila\u202c.", "ecila"),  # a person
        ("Ticket \u202e321-spo\u202c.", "321-spo"),  # a ticket
    ],
)
def test_every_turned_around_name_is_found(text, term):
    named = [leak for leak in GATE.leaks(text) if leak.rule != "format-control"]
    assert named, text
    if term is not None:
        assert named[0].term == term and named[0].shown


@pytest.mark.parametrize("control", sorted(BIDI_CONTROLS))
def test_every_bidirectional_control_is_itself_a_finding(control):
    [leak] = GATE.leaks(f"Checkout{control} recovered.")
    assert (leak.rule, leak.term, leak.start) == ("format-control", control, 8)
    assert "display differently" in leak.what


@pytest.mark.parametrize(
    "text",
    [
        "Thanks from the team \U0001f469\u200d\U0001f4bb",  # a zero-width joiner inside an emoji
        "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f Customers in England",  # a flag's tags
        "We \u2764\ufe0f our customers.",  # one variation selector after an emoji
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # a zero-width non-joiner inside a Persian word
        "Some pay\u00adments were slow.",  # a soft hyphen
        "\u05d4\u05ea\u05e9\u05dc\u05d5\u05dd Checkout \u05e2\u05d5\u05d1\u05d3",  # Hebrew around a component, no control
    ],
)
def test_format_characters_that_hide_nothing_pass(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text, hidden",
    [
        (
            "Fixed.\U000e006f\U000e0072\U000e0064\U000e0065\U000e0072\U000e0073",
            "\U000e006f\U000e0072\U000e0064\U000e0065\U000e0072\U000e0073",
        ),
        ("Fixed \ufe00\ufe01\ufe02.", "\ufe00\ufe01\ufe02"),  # one selector shows an emoji's form; a run hides
    ],
)
def test_characters_that_carry_hidden_text_are_a_finding(text, hidden):
    [leak] = GATE.leaks(text)
    assert (leak.rule, leak.term) == ("format-control", hidden) and "no reader sees" in leak.what


@pytest.mark.parametrize(
    "text, term",
    [
        ("al\u200bice", "al\u200bice"),
        ("orders\u200d-db", "orders\u200d-db"),
        ("orders\u2060db", "orders\u2060db"),
        ("orders\u3164db", "orders\u3164db"),
        ("j.\ufeffosei", "j.\ufeffosei"),
        ("orders\u2800db", "orders\u2800db"),
    ],
)
def test_zero_width_and_blank_characters_inside_a_name_do_not_hide_it(text, term):
    assert [term] == [leak.term for leak in GATE.leaks(text)]


def test_a_turned_around_finding_says_it_was_shown_so(tmp_path):
    summary = '"Writes to \\u202ebd-sredro\\u202c failed."'
    block = f"public:\n  title: Slow checkout\n  summary: {summary}\n  components: [Checkout]\n---\n"
    (tmp_path / "2024-03-14-example.md").write_text(
        VALID.replace("---\n\n## Summary", block + "\n## Summary", 1), encoding="utf-8"
    )
    kb = load_knowledge_base(tmp_path, make_policy(services=SERVICES), today=TODAY, base=tmp_path)
    messages = [d.message for d in kb.diagnostics if d.code == "public-leak"]
    assert any("`bd-sredro` (shown as `orders-db`), an internal service [service]" in m for m in messages)
    assert sum("`\\u202e`" in m and "[format-control]" in m for m in messages) == 1
    hint = next(d.hint for d in kb.diagnostics if "[format-control]" in d.message)
    assert hint.startswith("delete it") and "public.allow" not in hint


@pytest.mark.parametrize(
    "text, shown",
    [
        ("\u202eabc\u202c", "cba"),
        ("x \u202eab \u202dcd\u202c ef\u202c y", "x fe cd ba y"),
        ("\u202bdb\u200f-\u200forders\u202c", "orders\u200f-\u200fdb"),
        ("\u2067\u202ebd-sredro\u202c\u2069 ok", "\u2067orders-db\u2069 ok"),
        ("\u2068\u05d0 ab\u2069", "\u2068ab \u05d0\u2069"),
        ("\u2067ab\u2069 cd", "\u2067ab\u2069 cd"),
        ("ab\u202e12\u202c", "ab21"),
        ("\u202bab \u05d0\u05d1 cd\u202c", "cd \u05d1\u05d0 ab"),
    ],
)
def test_display_order_follows_the_bidirectional_algorithm(text, shown):
    """Expected orders as the Unicode bidirectional algorithm gives them (checked against the unicode-bidi crate)."""
    assert "".join(text[index] for index in display_order(text)) == shown


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        st.sampled_from(
            "ab -.()\u05d0\u05d112\u0661\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\n"
        ),
        max_size=40,
    )
)
def test_display_order_places_every_shown_character_once(text):
    order = display_order(text)
    assert len(order) == len(set(order)) and set(order) <= set(range(len(text)))
    shown = {
        index
        for index, char in enumerate(text)  # all but the controls the algorithm removes
        if unicodedata.bidirectional(char) not in ("RLE", "LRE", "RLO", "LRO", "PDF", "BN")
    }
    assert shown <= set(order)
    if not any(control in text for control in "\u202b\u202e\u2067\u2068"):
        assert order == list(range(len(text)))  # nothing turns a letter around without a right-to-left control


def test_the_displayed_reading_maps_back_into_the_original():
    text = "a \u202ebd-sredro\u202c b"
    read = normalise(text)
    assert read.turned and read.hidden == ((2, 3, "bidi"), (12, 13, "bidi"))
    shown = displayed(text, read)
    assert shown.text == "a orders-db b"
    at = shown.text.index("orders-db")
    assert shown.span(at, at + 9) == (3, 12) and shown.written(at, at + 9) == "bd-sredro"
    assert displayed("plain text") is None and displayed("\u200fmarked") is None


# --- any separator between a name's words --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "separator",
    [
        "-",
        "_",
        ".",
        " ",
        "",
        "/",
        ":",
        "+",
        "\\",
        "~",
        "\u00b7",
        "\u2022",
        "\u2044",
        "\u30fb",
        "\u2013",
        "\u2014",
        " - ",
        " / ",
        " \u00b7 ",
        "--",
        "|",
        "\u2010",
        "\u00a0",
        "\u3000",
        "\uff0f",
    ],
)
@pytest.mark.parametrize(
    "first, second, rule",
    [
        ("orders", "db", "service"),
        ("platform", "k8s", "service"),
        ("Priya", "Raman", "person"),
        ("Project", "Falcon", "deny"),
    ],
)
def test_any_separator_joins_a_name(separator, first, second, rule):
    text = f"Then {first}{separator}{second} was restarted."
    assert (rule, f"{first}{separator}{second}") in found(text)


_MARKS = st.characters(categories=("Pc", "Pd", "Po", "Ps", "Pe", "Pi", "Pf", "Sm", "Sc", "Sk", "So"))


def _marks(separator: str) -> bool:
    """Whether `separator` reads as up to three marks, spaced or not, none of them a clause break: some decompose
    to letters (`™`), to a space (`˘`) or to a comma (`﹐`)."""
    read = fold(f"x{separator}x")[1:-1]
    return bool(re.fullmatch(r" ?[^\w\s,;!?.:]{1,3} ?|[^\w\s,;!?]{1,3}", read))


@settings(max_examples=300, deadline=None)
@given(st.text(_MARKS, min_size=1, max_size=3), st.sampled_from(["", " "]), st.sampled_from(["", " "]))
def test_any_run_of_punctuation_or_symbols_joins_a_name(marks, before, after):
    assume(_marks(before + marks + after))
    text = f"We restarted orders{before}{marks}{after}db today."
    assert ("service", f"orders{before}{marks}{after}db") in found(text), marks


@pytest.mark.parametrize(
    "text",
    [
        "Some orders, db maintenance aside, shipped.",  # a comma lists two things
        "We delayed orders; db work continues.",
        "We delayed orders. DB maintenance is done.",  # a sentence ends between them
        "We delayed orders: db upgrades follow.",
        "Were orders? Db...",
        "Orders ... db",  # more than three marks
    ],
)
def test_a_clause_or_sentence_break_does_not_join_a_name(text):
    assert "service" not in rules(text)


def test_a_term_with_marks_at_its_ends_stays_one_word():
    gate = LeakGate(make_policy(public_deny=("C++",)), ())
    assert found("We rewrote it in C++ last year.", gate) == [("deny", "C++")]
    assert found("A c here, a C there.", gate) == []


# --- suffixes, prefixes and plurals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "term",
    [
        "orders-db-primary",
        "orders-db-replica",
        "orders_db_secondary",
        "orders-db-prod",
        "orders-db-production",
        "orders-db-staging",
        "orders-db-stg",
        "orders-db-dev",
        "orders-db-canary",
        "orders-db-blue",
        "orders-db-green",
        "orders-db-eu",
        "orders-db-us",
        "orders-db-1",
        "orders-db-01",
        "orders-db1",
        "orders/db/replica",
        "orders\u00b7db\u00b7primary",
        "orders-db-eu-west-1",
        "orders-db-v2",
        "prod-orders-db",
        "eu.orders-db",
        "staging_orders_db_replica",
        "orders-dbs",
        "orders-db-replicas",
        "platform-k8s-staging",
        "ledgers",
        "identities",
        "ledger-api",
        "identity-svc-canary",
    ],
)
def test_an_internal_service_with_a_role_or_in_the_plural_is_found(term):
    assert found(f"Then {term} failed over.") == [("service", term)]


@pytest.mark.parametrize(
    "term",
    [
        "checkout-services",
        "payments-apis",
        "checkout-api-canary",
        "checkout.api",
        "checkoutsvc",
        "notifications-workers",
        "search_proxies",
        "Checkout-Service-prod",
    ],
)
def test_a_public_service_with_a_technical_suffix_is_found(term):
    assert found(f"Then {term} failed over.") == [("service", term)]


@pytest.mark.parametrize(
    "text",
    [
        "Searches were slow; search results were stale.",  # the service is named like its public component
        "Payments are processing again and checkouts complete.",
        "Notifications were delayed for some customers.",
        "The Checkout API and the Checkout service returned errors.",  # a public name, then a word of prose
        "Checkout: API clients saw errors.",
        "Checkout/API errors are resolved.",
        "Payments, API and Website recovered.",
        "Checkout & API recovered.",
        "Checkout + API recovered.",
        "Checkout-prod is a phrase no one writes, and checkout-eu neither.",  # roles go with internal names only
        "The orders-dbx and platform-k8s-tools names are someone else's.",
        "Delivery slots recovered; delivery-slots and deliveries are public words.",
    ],
)
def test_public_names_in_prose_pass(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "service, text, terms",
    [
        (Service("search", component="Product search"), "Search was slow; searches time out.", []),
        (
            Service("search", component="Product search"),
            "The search-api and searchsvc restarted.",
            ["search-api", "searchsvc"],
        ),
        (Service("delivery-slots", component="Delivery slots"), "delivery-slots were full.", []),
        (Service("search-indexer", component="Product search"), "search-indexer lagged.", ["search-indexer"]),
        (Service("orders", component="Checkout"), "Orders were delayed.", ["Orders"]),
    ],
)
def test_a_service_named_within_its_own_component_is_public(service, text, terms):
    """Customers read the component's name on the status page: a service named by one of its words is no secret."""
    assert [leak.term for leak in LeakGate(make_policy(services=(service,)), ()).leaks(text)] == terms


def test_the_example_catalog_common_words_pass_and_its_internal_ones_are_found():
    import mkdocs.config

    from mkdocs_postmortems.mkdocs_config import policy_from_options

    root = Path(__file__).resolve().parents[1]
    policy = policy_from_options(mkdocs.config.load_config(str(root / "mkdocs.yml")).plugins["postmortems"].config)
    gate = LeakGate(policy, ())
    for text in (
        "Checkouts and payments are back to normal.",
        "Payments are processing; checkout is fast again.",
        "Notifications were delayed.",
        "Product searches were slow.",
        "Search was slow.",
        "Sign-in failed for some customers.",
        "Delivery slots could not be booked.",
    ):
        assert gate.leaks(text) == [], text
    for text, term in (
        ("The ledgers were reconciled.", "ledgers"),
        ("orders-db-replica lagged.", "orders-db-replica"),
        ("The payments-service restarted.", "payments-service"),
        ("identity-prod rejected tokens.", "identity-prod"),
    ):
        assert [leak.term for leak in gate.leaks(text)] == [term], text


# --- people by the full names their handles stand for -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, term",
    [
        ("Jordan Osei rolled it back.", "Jordan Osei"),
        ("J. Osei rolled it back.", "J. Osei"),
        ("J Osei rolled it back.", "J Osei"),
        ("Jo Osei rolled it back.", "Jo Osei"),
        ("jordan osei rolled it back.", "jordan osei"),
        ("Osei, Jordan rolled it back.", "Osei, Jordan"),
        ("Osei, J. rolled it back.", "Osei, J."),
        ("Ada Okafor paged the vendor.", "Ada Okafor"),
        ("A. Okafor paged the vendor.", "A. Okafor"),
        ("Kofi Osei approved.", "Kofi Osei"),  # `osei.k`
        ("P. Raman approved.", "P. Raman"),
        ("Raman, Priya approved.", "Raman, Priya"),
        ("K. Young fixed it.", "K. Young"),
        ("Kevin Young fixed it.", "Kevin Young"),
        ("M. King fixed it.", "M. King"),
        ("A. Long said so.", "A. Long"),
        ("S. Brown said so.", "S. Brown"),
        ("Brown, S. said so.", "Brown, S."),
        ("a.long restarted it.", "a.long"),
        ("m_king restarted it.", "m_king"),
        ("J\u200b. Osei", "J\u200b. Osei"),
        ("J\u00b7Osei", "J\u00b7Osei"),
    ],
)
def test_a_full_name_a_handle_stands_for_is_a_person(text, term):
    assert ("person", term) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Customers stayed young at heart.",
        "Keep Young customers happy.",  # a common surname is never found alone
        "A Long Outage",
        "We moved along the queue.",
        "It took a long time.",  # `a.long`
        "Making King's Cross deliveries.",
        "Mike King is someone else.",  # `m.king`: initial and word, no full stop
        "Some Brown-outs happened.",
        "sb brown",
        "Kevin young",
        "kevin young",
        "We thanked Jordan. Osei",  # no name across a sentence break
        "Osei",
        "Okafor",  # a surname alone is not a person
    ],
)
def test_words_that_only_look_like_a_full_name_pass(text):
    assert "person" not in rules(text), found(text)


@pytest.mark.parametrize(
    "names, written",
    [
        (("j.osei",), [("j", "", "osei", False)]),
        (("a_okafor",), [("a", "", "okafor", False)]),
        (("osei.j",), [("j", "", "osei", False)]),
        (("jordan-osei",), [("j", "jordan", "osei", False)]),
        (("Jordan Osei",), [("j", "jordan", "osei", False)]),
        (("Mary Jane Watson",), [("m", "mary", "watson", False)]),
        (("k.young",), [("k", "", "young", True)]),
        (("@s.brown",), [("s", "", "brown", True)]),
        (("alice", "aokafor", "j.ng", "j.o2", "x.y"), []),
    ],
)
def test_written_names_read_a_handle_as_initial_first_name_and_surname(names, written):
    assert [(n.initial, n.first, n.surname, n.common) for n in written_names(names)] == written


# --- hosts under the organisation's own domains --------------------------------------------------------------------

DOMAINS = make_policy(internal_domains=("larkspur.example",), public_domains=("status.larkspur.example",))


@pytest.mark.parametrize(
    "host",
    [
        "grafana.larkspur.example",
        "db1.eu.larkspur.example",
        "GRAFANA.Larkspur.Example",
        "wiki.larkspur\u200b.example",
        "vpn.larkspur.example:443",
    ],
)
def test_a_host_under_the_organisations_domain_is_found(host):
    assert [leak.rule for leak in LeakGate(DOMAINS, ()).leaks(f"See {host}/d/1 for graphs.")] == ["internal-domain"]


@pytest.mark.parametrize(
    "text",
    [
        "Updates on status.larkspur.example.",
        "https://larkspur.example/help",
        "Visit larkspur.example or www.larkspur.example.",
        "Mail us at larkspur.example.",
    ],
)
def test_the_public_hosts_and_the_organisations_own_name_pass(text):
    assert LeakGate(DOMAINS, ()).leaks(text) == []


def test_the_bare_domain_is_public_only_when_a_public_host_lies_under_it():
    internal_only = make_policy(
        internal_domains=("larkspur.example", "corp.larkspur.example"), public_domains=("status.larkspur.example",)
    )
    assert found("Visit larkspur.example.", LeakGate(internal_only, ())) == []
    assert found("Ask corp.larkspur.example.", LeakGate(internal_only, ())) == [
        ("internal-domain", "corp.larkspur.example")
    ]
    assert found("Visit larkspur.example.", LeakGate(make_policy(internal_domains=("larkspur.example",)), ())) == [
        ("internal-domain", "larkspur.example")
    ]


# --- classes and bounds --------------------------------------------------------------------------------------------


def test_every_class_is_declared():
    assert "format-control" in RULES_OF_THE_GATE
    assert {leak.rule for text in ("\u202e", "orders-db", "J. Osei") for leak in GATE.leaks(text)} <= set(
        RULES_OF_THE_GATE
    )


MEGABYTE = 1_000_000
HOSTILE = {
    "nested overrides": lambda: ("\u202e" * 130 + "bd-sredro " + "\u202c" * 130) * (MEGABYTE // 3 // 270),
    "brackets turned around": lambda: "\u202b" + "(" * 70 + "a\u05d0" * (MEGABYTE // 3) + ")" * 70,
    "isolates": lambda: ("\u2068" + " ," * 10) * (MEGABYTE // 24),
    "marks between words": lambda: "\u202bdb\u200f-\u200forders\u202c " * (MEGABYTE // 25),
    "separators": lambda: "orders-\u00b7/" * (MEGABYTE // 10),
    "initials": lambda: "J J J. Osei, " * (MEGABYTE // 13),
    "one long word": lambda: "a" * MEGABYTE,
    "hyphens": lambda: "a-" * (MEGABYTE // 2),
    "suffixes": lambda: "orders-db-primary-replica-eu-1-" * (MEGABYTE // 31),
    "tags": lambda: "\U000e0061" * (MEGABYTE // 4),
    "selectors": lambda: "a" + "\ufe0f" * (MEGABYTE // 3),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_megabyte_of_hostile_text_is_read_in_bounded_time(name):
    """A public text is at most the size of its file, a megabyte (`MAX_FILE_BYTES`); every reading is linear."""
    text = HOSTILE[name]()
    started = time.perf_counter()
    GATE.leaks(text)
    assert time.perf_counter() - started < 30, name


@pytest.mark.parametrize(
    "text, leaks",
    [
        ("Contact support@larkspur.example for a refund.", []),
        ("Write to Security@Larkspur.example with details.", []),
        ("Questions? help@status.larkspur.example", []),
        ("Ask j.osei@larkspur.example for the logs.", ["j.osei@larkspur.example"]),
        ("Mail oncall@larkspur.example.", ["oncall@larkspur.example"]),
        ("Mail support-team-7@larkspur.example.", ["support-team-7@larkspur.example"]),
    ],
)
def test_a_mailbox_the_company_gives_customers_passes_and_a_persons_is_found(text, leaks):
    """The organisation's domain is internal, so every address at it is found, but for the role mailboxes status
    pages print for customers (`support@`, `security@`)."""
    gate = LeakGate(DOMAINS, ())
    assert [term for rule, term in found(text, gate) if rule == "email"] == leaks


@pytest.mark.parametrize(
    "text, term",
    [
        ("orders<b></b>-db is slow", "orders<b></b>-db"),
        ("orders<!-- split -->-db is slow", "orders<!-- split -->-db"),
        ("Jordan <i>Osei</i> restarted it", "Jordan <i>Osei"),
        ("or<span class=x>ders-d</span>b", "or<span class=x>ders-d</span>b"),
    ],
)
def test_a_name_split_by_markup_is_found_as_html_renders_it(text, term):
    """Pages escape public text, but a feed reader or mail client may render HTML in a title: `orders<b></b>-db`
    then shows `orders-db`."""
    assert term in [written for _, written in found(text)]


@pytest.mark.parametrize("text", ["a <b>bold</b> move", "latency < 5s and > 2s", "Use <kbd>Ctrl</kbd>+<kbd>R</kbd>"])
def test_markup_around_ordinary_words_finds_nothing(text):
    assert found(text) == []


# --- regulatory reporting: internal, whatever the configuration ----------------------------------------------------

REGULATORY_GATE = LeakGate(
    make_policy(services=SERVICES, public_allow=("DORA-4471",)), PEOPLE, ("DORA-4471", "GDPR 2026/17")
)


@pytest.mark.parametrize(
    "text, term",
    [
        ("We filed DORA-4471 with the regulator.", "DORA-4471"),
        ("Case dora 4471 is closed.", "dora 4471"),
        ("Ref. DORA/4471.", "DORA/4471"),
        ("See gdpr-2026-17.", "gdpr-2026-17"),
        ("Deadlines: https://kb.larkspur.example/regulatory/", "regulatory/"),
        ("[our reporting](../regulatory/deadlines.json)", "regulatory/deadlines.json"),
        ("Subscribe to /regulatory/deadlines.ics", "regulatory/deadlines.ics"),
    ],
)
def test_a_reference_reported_to_a_regulator_or_a_link_to_the_regulatory_pages_is_found(text, term):
    """Even where `leak_gate.allow` names it: nothing lets what is reported to regulators out."""
    assert ("regulatory", term) in found(text, REGULATORY_GATE)


@pytest.mark.parametrize(
    "text",
    [
        "We met our legal/regulatory obligations.",
        "Regulatory reporting is under way.",
        "regulatory/compliance teams were told",
        "Order DORA-44710 was delayed.",
    ],
)
def test_the_word_regulatory_and_a_longer_number_are_no_regulatory_leak(text):
    assert "regulatory" not in rules(text, REGULATORY_GATE)


def test_a_public_summary_naming_another_records_reference_is_refused_at_its_line(tmp_path):
    """The references of every record's `regulatory` block are the gate's, so one record's public text cannot name
    another's report; the finding is a `public-leak` error at the term, with a hint that allows nothing."""
    reported = VALID.replace(
        "---\n\n## Summary",
        "regulatory:\n  reports:\n    - regime: dora\n      stage: initial\n      submitted: 2024-03-14T11:30:00Z\n"
        "      reference: DORA-4471\n---\n\n## Summary",
        1,
    )
    (tmp_path / "2024-03-14-example.md").write_text(reported, encoding="utf-8")
    public = "public:\n  title: Slow checkout\n  summary: Reported as dora-4471.\n  components: [Checkout]\n  allow: [DORA-4471]\n"
    (tmp_path / "2024-03-15-other.md").write_text(
        VALID.replace("2024-03-14", "2024-03-15").replace("---\n\n## Summary", public + "---\n\n## Summary", 1),
        encoding="utf-8",
    )
    kb = load_knowledge_base(tmp_path, make_policy(services=SERVICES), today=TODAY, base=tmp_path)
    (leak,) = [d for d in kb.diagnostics if d.code == "public-leak"]
    assert (Path(leak.path).name, leak.line, leak.col) == ("2024-03-15-other.md", 29, 24)
    assert "names `dora-4471`" in leak.message and leak.message.endswith("[regulatory]")
    assert leak.hint.startswith("what is reported to regulators") and "allow" not in leak.hint


def test_a_public_build_naming_a_regulatory_reference_publishes_nothing(tmp_path, caplog):
    """Through the built status site: the public summary names another record's reference to a regulator, and the
    status site's own About page links the internal deadlines; the build stops at the first, with its file and line,
    and writes no page."""
    reported = {
        "reports": [
            {"regime": "dora", "stage": "initial", "submitted": "2025-03-14T12:00:00Z", "reference": "DORA-4471"}
        ]
    }
    public = {
        "title": "Slow checkout",
        "summary": "Reported to our regulator as DORA 4471.",
        "components": ["Checkout"],
    }
    config = make_site(
        tmp_path,
        {
            "2025-03-14-ledger.md": postmortem("2025-03-14-ledger", regulatory=reported),
            "2025-03-20-checkout.md": postmortem("2025-03-20-checkout", public=public),
        },
        {"services": [{"name": "checkout", "component": "Checkout"}], "status_page": {"public_site": True}},
        {"site_dir": "site-public"},
    )
    with pytest.raises(Abort):
        build_site(config)
    assert "public-leak error(s); nothing was published" in caplog.text
    assert "2025-03-20-checkout.md:" in caplog.text and "`DORA 4471`" in caplog.text and "[regulatory]" in caplog.text
    assert not (tmp_path / "site-public" / "index.html").exists()
    (tmp_path / "postmortems" / "2025-03-20-checkout.md").unlink()
    (tmp_path / "docs" / "about.md").write_text("# About\n\nDeadlines: https://kb.example/regulatory/\n", "utf-8")
    with pytest.raises(Abort):
        build_site(config)
    assert "the status site's own page about.md" in caplog.text and "`regulatory/`" in caplog.text

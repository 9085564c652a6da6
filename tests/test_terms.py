"""`terms.py`: a text's words as the terms the similarity compares, and as a reader sees them."""

from __future__ import annotations

from mkdocs_postmortems.terms import PHRASES, STOP_WORDS, SYNONYMS, stem, surface, terms


def compared(text: str) -> list[str]:
    return [term for _, term in terms(text)]


def test_inflections_share_a_stem():
    assert compared("renewal renewed renewing") == [stem("renew")] * 3
    assert compared("databases database") == [stem("database")] * 2


def test_synonyms_are_one_term_whichever_word_is_used():
    assert compared("cert") == compared("certificate") == compared("certificates") == compared("x509")
    assert compared("the certificate expired") == compared("the cert lapsed")
    assert compared("DB") == compared("Postgres") == compared("database")
    assert compared("k8s") == compared("Kubernetes")


def test_irregular_past_forms_are_their_verb():
    assert compared("the deploy broke checkout") == compared("the deploy breaks checkout")
    assert compared("it ran twice") == compared("it runs twice")


def test_a_phrase_is_one_term_with_its_words_as_written():
    assert list(terms("Requests timed out at the Load Balancer")) == [
        ("requests", stem("request")),
        ("timed out", stem("timeout")),
        ("load balancer", stem("loadbalancer")),
    ]
    assert compared("out of memory") == compared("OOM") == compared("memory")


def test_a_word_that_starts_a_phrase_is_a_word_of_its_own_outside_one():
    assert list(terms("The load was high; time to roll the clock skew back, out of date")) == [
        ("load", "load"),
        ("high", "high"),
        ("time", "time"),
        ("roll", "roll"),
        ("clock skew", stem("clock")),
        ("back", "back"),
        ("out of date", stem("stale")),
    ]


def test_stop_words_numbers_and_single_letters_are_dropped():
    assert compared("We saw it at 07:41 on 2024-05-07 in a b c") == [stem("see")]
    assert not [word for word in STOP_WORDS if compared(word)]


def test_a_word_of_the_table_that_is_a_number_is_kept():
    assert compared("HTTP 429") == [stem("http"), stem("throttle")]


def test_surface_keeps_acronyms_and_inner_capitals():
    assert [surface(word) for word in ("TLS", "iOS", "Certificate", "certificate")] == [
        "TLS",
        "iOS",
        "certificate",
        "certificate",
    ]


def test_words_split_at_hyphens_apostrophes_and_punctuation():
    assert [word for word, _ in terms("cert-manager's customer's (retry)")] == [
        "cert",
        "manager",
        "customer",
        "retry",
    ]


def test_no_synonym_nor_phrase_is_a_stop_word_or_claimed_twice():
    words = [word for others in SYNONYMS.values() for word in others.split()]
    assert not set(words) & STOP_WORDS
    assert len(words) == len(set(words)), "a word in two synonym groups"
    stems = [stem(term) for term in SYNONYMS]
    assert len(stems) == len(set(stems))
    runs = [run for phrases in PHRASES.values() for run in phrases]
    assert len(runs) == len(set(runs))


def test_the_same_text_gives_the_same_terms():
    text = "Checkout timed out: the TLS cert on the LB lapsed after renewal failed."
    assert list(terms(text)) == list(terms(text))

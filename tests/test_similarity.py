"""`similarity.py`: what is compared, the ranking, its ties, the shared words and the bounded walk. How well it
finds paraphrases is measured in tests/test_similarity_paraphrases.py, how fast in benchmarks/similarity_speed.py."""

from __future__ import annotations

import random
from datetime import datetime, timezone

import pytest

import mkdocs_postmortems.similarity as similarity
from mkdocs_postmortems.model import Impact, Postmortem, RootCause
from mkdocs_postmortems.similarity import (
    Similar,
    SimilarityIndex,
    body_sections,
    closest,
    similar_incidents,
    texts,
)


def pm(pm_id: str, title: str, cause: str = "", lessons: str = "", services=("checkout",), **fields) -> Postmortem:
    body = f"## Summary\n\n{fields.pop('summary', '')}\n\n## Lessons learned\n\n{lessons}\n" if lessons else ""
    return Postmortem(
        id=pm_id,
        path=f"postmortems/{pm_id}.md",
        title=title,
        status="published",
        severity="SEV2",
        services=tuple(services),
        started=datetime(2025, 1, 1, tzinfo=timezone.utc),
        impact=Impact(summary=fields.pop("impact", "")),
        root_causes=(RootCause("causal", fields.pop("category", "software-bug"), cause, "c1"),) if cause else (),
        body=body,
        **fields,
    )


CERT = pm(
    "2024-05-07-cert",
    "Mobile apps offline after the API certificate expired",
    "The TLS certificate was renewed by hand and expired.",
    "Automate certificate renewal.",
)
CERT_AGAIN = pm(
    "2025-02-01-cert",
    "Partner gateway down when its cert lapsed",
    "Nobody owned renewal of the gateway's TLS cert.",
    "Track certificate expiry.",
)
DISK = pm(
    "2024-06-01-disk", "Database read-only when the disk filled", "Logs filled the data volume.", "Alert on disk."
)
QUEUE = pm("2024-07-01-queue", "Emails delayed by a queue backlog", "The consumer crashed on a bad message.")


def test_the_same_cause_in_other_words_is_most_similar_with_the_words_it_shares():
    found = similar_incidents([CERT, DISK, CERT_AGAIN, QUEUE])
    best = found[CERT.id][0]
    assert (best.id, best.title) == (CERT_AGAIN.id, CERT_AGAIN.title)
    assert {"certificate", "TLS", "renewed", "expired"} <= set(best.shared_words)
    assert found[CERT_AGAIN.id][0].id == CERT.id
    assert "cert" in found[CERT_AGAIN.id][0].shared_words  # as this record writes it
    assert all(0 < s.score <= 1 for found_ in found.values() for s in found_)
    assert [s.score for s in found[CERT.id]] == sorted((s.score for s in found[CERT.id]), reverse=True)


def test_a_record_that_shares_no_word_has_no_similar_incident():
    lonely = pm("2024-08-01-lonely", "Warehouse printers jammed", "Paper feed rollers wore out.")
    assert similar_incidents([CERT, CERT_AGAIN, lonely])[lonely.id] == []


def test_at_most_k_others_and_never_itself_nor_its_id():
    twin = pm(CERT.id, CERT.title, "The TLS certificate was renewed by hand and expired.")
    others = [
        pm(f"2024-09-{n:02}-cert", f"Certificate expired again {n}", "The TLS certificate expired.")
        for n in range(1, 9)
    ]
    found = SimilarityIndex([CERT, twin, *others]).most_similar(CERT.id, 3)
    assert len(found) == 3 and CERT.id not in [s.id for s in found]
    assert SimilarityIndex([CERT]).most_similar("no-such-id") == []


def test_ties_are_broken_by_id_whatever_the_order_of_the_records():
    same = [
        pm(f"2024-01-{n:02}-copy", "Checkout certificate expired", "The TLS certificate expired.") for n in (3, 1, 2)
    ]
    for order in (same, same[::-1]):
        assert [s.id for s in SimilarityIndex([CERT, *order]).most_similar(CERT.id)] == [
            "2024-01-01-copy",
            "2024-01-02-copy",
            "2024-01-03-copy",
        ]


def test_the_lists_do_not_depend_on_the_order_of_the_records():
    records = [CERT, CERT_AGAIN, DISK, QUEUE] + [
        pm(f"2023-{n:02}-01-x", f"Search {word} failed", f"The {word} was wrong.")
        for n, word in enumerate("abcdefgh", 1)
    ]
    shuffled = records[:]
    random.Random(3).shuffle(shuffled)
    assert similar_incidents(records) == similar_incidents(shuffled)


def test_the_words_of_a_records_own_services_count_less():
    """Two records of one service that share only its name are less alike than two that share a word of what
    happened."""
    a = pm("a", "Search index corrupt", services=("search",))
    b = pm("b", "Search replica stale", services=("search",))
    c = pm("c", "Orders index corrupt", services=("orders",))
    (first, second) = SimilarityIndex([a, b, c]).most_similar("a")
    assert (first.id, second.id) == ("c", "b")


def test_what_is_compared_and_what_is_left_out():
    record = pm(
        "x",
        "Title words",
        "TODO the condition in the system",
        "Lessons words, see https://tracker.example/browse/SRE-1",
        impact="Impact words",
        summary="Summary words",
    )
    assert list(texts(record)) == [
        ("title", "Title words"),
        ("impact", "Impact words"),
        ("summary", "\nSummary words\n"),
        ("lessons", "\nLessons words, see  \n"),
    ]
    cause = pm("y", "T", "Real cause", category="config-change")
    assert ("root causes", "Real cause") in texts(cause) and ("category", "config-change") in texts(cause)
    draft = pm("z", "Checkout down", "TODO the condition", impact="TODO who was affected")
    assert list(texts(draft)) == [("title", "Checkout down")]


def test_body_sections_skip_code_comments_placeholders_and_other_sections():
    body = """## Summary

What happened.
<!-- guidance for the author -->
TODO write more

```
## Lessons not a heading
log line
```

### Details

Still the summary.

## Timeline

Not compared.

## Lessons learned

**What went well**

- Alerts.
"""
    assert list(body_sections(body)) == [
        ("summary", "\nWhat happened.\n\n\n\n### Details\n\nStill the summary.\n"),
        ("lessons", "\n**What went well**\n\n- Alerts.\n"),
    ]


def test_a_common_term_is_not_walked_but_still_scores_what_the_rarer_terms_found(monkeypatch):
    records = [CERT, CERT_AGAIN, DISK, QUEUE] + [
        pm(f"2023-01-{n:02}-cert", f"Certificate {n} fine", f"Certificate number {n} was checked.")
        for n in range(1, 30)
    ]
    walked_all = SimilarityIndex(records).most_similar(CERT.id)
    monkeypatch.setattr(similarity, "WALK_BUDGET", 5)
    index = SimilarityIndex(records)
    walked, common = index.plan(index.vectors[0])
    assert sum(len(index.postings[term][0]) for term in walked) <= 5
    assert "certif" in common  # in 31 records: too many to walk within 5 postings
    found = index.most_similar(CERT.id)
    assert found[0] == walked_all[0] and found[0].id == CERT_AGAIN.id  # found by `renewal`, scored by all


def test_each_record_walks_at_most_the_budget(monkeypatch):
    monkeypatch.setattr(similarity, "WALK_BUDGET", 40)
    records = [
        pm(f"2023-01-{n:02}-r", f"Checkout cache {n % 7} timeout", f"Cache {n % 5} evicted.") for n in range(1, 90)
    ]
    index = SimilarityIndex(records)
    for vector in index.vectors:
        walked, common = index.plan(vector)
        assert sum(len(index.postings[term][0]) for term in walked) <= 40
        assert set(walked) | set(common) == set(vector)


@pytest.mark.parametrize("threshold, expected", [(0.5, ["a", "b"]), (0.75, ["a"]), (0.95, [])])
def test_closest_keeps_the_first_that_reach_the_threshold(threshold, expected):
    found = [Similar("a", "A", 0.9, ()), Similar("b", "B", 0.6, ()), Similar("c", "C", 0.4, ())]
    assert [s.id for s in closest(found, threshold)] == expected
    assert len(closest(found, 0.0, limit=2)) == 2

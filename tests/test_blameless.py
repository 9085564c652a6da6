"""The blameless-language linter: what it flags, what it leaves alone, where it says so, and how fast."""

from __future__ import annotations

import dataclasses

import pytest

from mkdocs_postmortems.checks.blameless import _SUBJECT, DEFAULT_PHRASES, Finding, _compile, find_blame

NAMES = ("alice", "@bob", "Ana María", "Will")

# A sentence from a postmortem and the words that must be flagged in it, as written.
FLAGGED = [
    ("alice forgot to drain the node before the upgrade.", "alice forgot"),
    ("The on-call engineer failed to notice the disk alert.", "The on-call engineer failed to"),
    ("bob accidentally deleted the sessions table.", "bob accidentally"),
    ("Then @bob mistakenly ran the migration against production.", "@bob mistakenly"),
    ("Ana María overlooked the replica lag.", "Ana María overlooked"),
    ("Someone ignored the capacity warning for a week.", "Someone ignored"),
    ("The operator didn't follow the runbook.", "The operator didn't follow"),
    ("ALICE then simply missed the page.", "ALICE then simply missed"),
    ("An engineer inadvertently disabled the rate limiter.", "An engineer inadvertently"),
    ("Will forgot to renew the TLS certificate.", "Will forgot"),
    ("The developer messed up the DNS record.", "The developer messed up"),
    ("The root cause was human error.", "human error"),
    ("Not the config: human error.", "human error"),  # the colon ends the negated clause
    ("Operator error during the failover made it worse.", "Operator error"),
    ("The SRE should have rolled back sooner.", "should have"),
    ("The alert should have fired at 14:02.", "should have"),
    ("There was no sign the job should have stopped.", "should have"),  # a negation does not excuse hindsight
    ("Bob shouldn't have merged on a Friday.", "shouldn't have"),
    ("The config was pushed carelessly.", "carelessly"),
    ("This was negligence by the DBA team.", "negligence"),
    ("It was a sloppy rollout.", "sloppy"),
    ("It was Alice's fault that the cache was cold.", "Alice's fault"),
    ("The outage was the fault of the deploy engineer.", "fault of"),
    ("In the end bob was at fault.", "was at fault"),
    ("The team blamed the database vendor.", "blamed"),
    ("He didn't bother to read the dashboards.", "didn't bother"),
]

NOT_FLAGGED = [
    "alice drained the node and traffic recovered.",
    "The health check failed to detect the stale replica.",
    "The deploy failed at 14:05 and was rolled back.",
    "We missed the SLO for the second month.",
    "They forgot to drain the node after the drill.",  # pronouns are never a subject
    "Nobody should have to read the source to operate it.",  # obligation, not hindsight
    "alice wrote the migration plan the vendor ignored.",  # the verb is more than four words away
    "The alert should fire when the error rate exceeds 2%.",
    "The database failed over to the secondary in 40 seconds.",
    "Failover completed without data loss.",
    "The fault tolerance of the queue held up.",
    "A faulty disk in rack 12 degraded the array.",
    "It's fault tolerant by design.",
    "The cluster's fault tolerance was tested in March.",
    "This was not human error: the CLI ran against production without a prompt.",
    "It was nobody's fault.",
    "We do not assign blame in postmortems.",
    "This is a blameless review; git blame shows the change came from a bot.",
    "Alice's change caused the outage.",  # a possessive is not the subject
    "After alice deployed, the job failed to start.",  # the comma ends the clause
    "alice noticed that the replica failed to start.",  # "that" opens another clause
    "Requests will be ignored until the lock is released.",  # "be" makes it a passive
    "Willow forgot the key.",  # "Will" is a whole word only
    "The Kubernetes operator failed to reconcile the resource.",
    "The on-call engineer paged bob and the database recovered.",
    "The alert was ignored for 20 minutes.",
]


@pytest.mark.parametrize("sentence, phrase", FLAGGED)
def test_blaming_wording_is_flagged(sentence, phrase):
    findings = find_blame(sentence, names=NAMES)
    assert [(f.line, f.col, f.phrase) for f in findings] == [(0, sentence.index(phrase) + 1, phrase)]
    assert findings[0].hint and findings[0].message
    if findings[0].message != _SUBJECT.message.format(phrase):  # built-in phrases need no names
        assert find_blame(sentence) == findings


@pytest.mark.parametrize("sentence", NOT_FLAGGED)
def test_system_and_neutral_wording_is_not_flagged(sentence):
    assert find_blame(sentence, names=NAMES) == []


def test_every_built_in_phrase_is_exercised_and_has_a_specific_hint():
    messages = {f.message for sentence, _ in FLAGGED for f in find_blame(sentence, names=NAMES)}
    for row in DEFAULT_PHRASES:
        assert "{}" in row.message and "e.g." in row.hint
        assert any(message.endswith(row.message.split("{}")[1]) for message in messages), row.pattern
    assert len({row.hint for row in DEFAULT_PHRASES}) == len(DEFAULT_PHRASES)


def test_message_and_hint_of_a_person_as_subject():
    [finding] = find_blame("bob forgot to drain the node", names=["bob"])
    assert finding == Finding(0, 1, "bob forgot", _SUBJECT.message.format("bob forgot"), finding.hint)
    assert "system the subject" in finding.hint
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.line = 3


def test_names_only_count_when_configured():
    assert find_blame("carol forgot to drain the node") == []
    assert [f.phrase for f in find_blame("carol forgot to drain the node", names=["Carol"])] == ["carol forgot"]
    assert [f.phrase for f in find_blame("@carol forgot it", names=["carol"])] == ["@carol forgot"]
    assert find_blame("carol@example.com forgot it", names=["carol"]) == []
    assert find_blame("  ", names=["", "  ", "@"]) == []


def test_multi_word_name_may_wrap_but_not_cross_a_paragraph():
    assert [(f.line, f.phrase) for f in find_blame("Then Ana\nMaría forgot it.", names=NAMES)] == [
        (0, "Ana\nMaría forgot")
    ]
    assert find_blame("Then Ana\n\nMaría forgot it.", names=NAMES) == []
    assert find_blame("Then Ana Marías forgot it.", names=["Ana María"]) == []


def test_regex_metacharacters_in_names_and_phrases_are_literal():
    names, phrases = ["j.doe (ops)"], ["a.b (x)", "[*]+"]
    assert [f.phrase for f in find_blame("j.doe (ops) forgot it", names=names)] == ["j.doe (ops) forgot"]
    assert find_blame("jxdoe (ops) forgot it", names=names) == []
    found = find_blame("then a.b (x) and [*]+ but not aXb (x) or [**]", phrases=phrases)
    assert [(f.col, f.phrase) for f in found] == [(6, "a.b (x)"), (18, "[*]+")]


def test_configured_phrases_get_a_generic_message():
    [finding] = find_blame("The on-call dropped the ball.", phrases=["Dropped the Ball"])
    assert (finding.col, finding.phrase) == (13, "dropped the ball")
    assert finding.message == "“dropped the ball” is on this site's list of blaming phrases"
    assert find_blame("dropped the balloon", phrases=["dropped the ball"]) == []


def test_allowed_phrases_cover_only_what_they_contain():
    allowed = ["should have been caught by CI", "Operator Error Rate"]
    text = (
        "This should have been caught by CI.\nThe operator error rate dashboard.\nIt should have been caught in review."
    )
    assert [(f.line, f.phrase) for f in find_blame(text, allowed=allowed)] == [(2, "should have")]
    assert [f.phrase for f in find_blame("the human error rate", allowed=["error rate"])] == ["human error"]
    assert [f.phrase for f in find_blame("the human error", allowed=["the human"])] == ["human error"]


def test_markdown_code_urls_and_comments_are_skipped():
    text = "\n".join(
        [
            "```sh",
            "alice forgot   # in a fence",
            "```",
            "~~~~",
            "should have",
            "~~~",
            "still fenced: human error",
            "~~~~",
            "Run `alice forgot` or ``a ` bob forgot`` first.",
            "See https://wiki.example.com/human-error and [notes](blame.md) or <https://x.example/careless>.",
            "<!-- sloppy draft,",
            "bob forgot -->",
            "Yet alice forgot.",
        ]
    )
    assert [(f.line, f.col, f.phrase) for f in find_blame(text, names=NAMES)] == [(12, 5, "alice forgot")]
    raw = find_blame(text, names=NAMES, markdown=False)
    assert [f.phrase for f in raw][:3] == ["alice forgot", "should have", "human error"]


def test_unclosed_fence_and_unpaired_backtick():
    assert find_blame("```\nalice forgot\nbob forgot", names=NAMES) == []
    assert [f.phrase for f in find_blame("a ` and alice forgot", names=NAMES)] == ["alice forgot"]


def test_line_and_column_in_a_multi_line_body():
    text = (
        "## Timeline\n\n14:02 The alert fired.\n14:05 The on-call engineer  \nmissed the page.\n\n"
        "```sh\nalice forgot\n```\n\nIt was Bob's fault, said nobody.\r\nCarelessness, mostly.\r\n"
    )
    found = [(f.line, f.col, f.phrase) for f in find_blame(text, names=NAMES)]
    assert found == [(3, 7, "The on-call engineer  \nmissed"), (10, 8, "Bob's fault"), (11, 1, "Carelessness")]


def test_one_finding_where_rules_overlap():
    assert [f.phrase for f in find_blame("alice carelessly forgot it", names=NAMES)] == ["alice carelessly forgot"]


def test_regexes_are_built_once_per_configuration():
    find_blame("x oops", names=["Dora", "@eve"], phrases=["oops"])
    before = _compile.cache_info()
    find_blame("alice forgot", names=["@EVE", "dora ", "Dora"], phrases=["OOPS"])
    after = _compile.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)
    find_blame("nothing to look at here", names=["someone-new"])  # no stem: no regex built at all
    assert _compile.cache_info().misses == after.misses


def test_very_long_line_keeps_its_column():
    line = "the deploy went out " * 5000 + "and Will forgot to watch it."
    [finding] = find_blame("intro\n" + line, names=NAMES)
    assert (finding.line, finding.col, finding.phrase) == (1, line.index("Will") + 1, "Will forgot")


@pytest.mark.parametrize(
    "hostile",
    [
        "should" + " " * 100_000 + "x",
        "](" * 50_000,
        "<!--" * 25_000,
        "`" * 50_000 + "a" + "``" * 25_000,
        "alice " + "a" * 100_000,
        "'" * 100_000,
        "x's " * 25_000,
    ],
    ids=["spaces", "links", "comments", "backticks", "long-word", "apostrophes", "possessives"],
)
def test_hostile_text_finds_nothing(hostile):
    # How long it takes is measured by benchmarks/hostile_speed.py, not asserted here: no wall-clock asserts.
    assert find_blame(hostile, names=NAMES) == []


def test_a_100_kb_postmortem_finds_every_should_have():
    paragraph = (
        "At 14:02 the on-call engineer, alice, restarted the pod and the database failed over to the "
        "secondary. See `kubectl get pods` and https://grafana.example.com/d/abc. Bob's fault tolerance "
        "work held. The alert should have fired earlier.\n\n"
    )
    text = paragraph * (100_000 // len(paragraph) + 1)
    names = NAMES + tuple(f"user{index}" for index in range(30))
    assert len(find_blame(text, names=names)) == text.count("should have")  # speed: benchmarks/hostile_speed.py

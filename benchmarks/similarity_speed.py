"""How long similar incidents by text take (`similarity.similar_incidents`), and that it grows linearly with N.

Usage: python benchmarks/similarity_speed.py [N ...]   (default: 1000 5000)

For each N it times, best of 3, on two sets of N postmortems (fixed seeds):
  synthetic  synthetic.py's knowledge base, written and parsed (`load_knowledge_base`, not timed): every record uses
             most of the same 40 technical words, so nearly every term is too common to walk (the cap's case);
  worded     records built in memory with a vocabulary like real text: 20,000 words of Zipfian frequency, and 500
             topics of 25 words, each record mostly about one topic (the inverted index's case: long postings of
             mid-frequency words, and real candidates to rank).
and prints, for each: the index (`SimilarityIndex`), all top-5 lists (`most_similar` of every record), their sum,
microseconds per postmortem, the work of a top-5 whatever the machine (postings walked, and the look-ups that
re-score the best candidates with the terms not walked), and the share of postmortems that get any similar incident.
Linear growth shows as a flat time per postmortem from one N to the next, and a work per postmortem that the
budget bounds. No timing is asserted anywhere.
"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import datetime, timezone
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from check_speed import best_of
from mkdocs_postmortems.cli.options import load_policy
from mkdocs_postmortems.knowledge import load_knowledge_base
from mkdocs_postmortems.model import Impact, Postmortem, RootCause
from mkdocs_postmortems.similarity import RERANK, TOP_K, WALK_BUDGET, SimilarityIndex
from synthetic import write_knowledge_base

VOCABULARY = 20_000
TOPICS, TOPIC_WORDS = 500, 25
ONSETS = "b c d f g h j k l m n p r s t v w z br cl dr fl gr pl st tr".split()
VOWELS = "a e i o u ai ea ou".split()


def vocabulary(rng: random.Random) -> list[str]:
    """`VOCABULARY` made-up words of two to four syllables, most frequent first."""
    words: dict[str, None] = {}
    while len(words) < VOCABULARY:
        words["".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(rng.randrange(2, 5)))] = None
    return list(words)


def worded(count: int, seed: int = 24) -> list[Postmortem]:
    """`count` postmortems whose words follow Zipf's law, each mostly about one of `TOPICS` topics."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    cumulative = list(accumulate(1 / rank**1.07 for rank in range(1, len(words) + 1)))
    topics = [rng.sample(words[200:], TOPIC_WORDS) for _ in range(TOPICS)]

    def text(topic: list[str], length: int, on_topic: float = 0.3) -> str:
        chosen = rng.choices(words, cum_weights=cumulative, k=length)
        return " ".join(rng.choice(topic) if rng.random() < on_topic else word for word in chosen)

    made = []
    for index in range(count):
        topic = topics[rng.randrange(TOPICS)]
        causes = tuple(
            RootCause("causal", "software-bug", text(topic, 15), f"c{n}") for n in range(rng.randrange(1, 4))
        )
        made.append(
            Postmortem(
                id=f"worded-{index}",
                path=f"postmortems/worded-{index}.md",
                title=text(topic, 7, 0.5),
                status="published",
                severity="SEV2",
                services=("checkout",),
                started=datetime(2025, 1, 1, tzinfo=timezone.utc),
                impact=Impact(summary=text(topic, 15)),
                root_causes=causes,
                body=f"## Summary\n\n{text(topic, 60)}\n\n## Lessons learned\n\n{text(topic, 30)}\n",
            )
        )
    return made


def synthetic(count: int) -> list[Postmortem]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = write_knowledge_base(root, count)
        policy, _ = load_policy(root / "mkdocs.yml")
        return load_knowledge_base(folder, policy, base=root).postmortems


def steps(index: SimilarityIndex) -> tuple[float, float]:
    """The work of a postmortem's top-5, on average, whatever the machine: the postings it walks (`plan`), and the
    look-ups of the terms it does not walk in its best `RERANK` candidates (at most)."""
    walked = reranked = 0
    for vector in index.vectors:
        walk, common = index.plan(vector)
        walked += sum(len(index.postings[term][0]) for term in walk)
        reranked += RERANK * len(common)
    return walked / len(index.vectors), reranked / len(index.vectors)


def measure(name: str, postmortems: list[Postmortem]) -> None:
    count = len(postmortems)
    building = best_of(3, lambda: SimilarityIndex(postmortems))
    index = SimilarityIndex(postmortems)
    asking = best_of(3, lambda: [index.most_similar(pm.id, TOP_K) for pm in postmortems])
    total = building + asking
    walked, reranked = steps(index)
    found = sum(1 for pm in postmortems if index.most_similar(pm.id, 1)) / count
    print(
        f"{name:>9} {count:>6} {building:>8.2f} {asking:>8.2f} {total:>8.2f} {total / count * 1e6:>10.0f} "
        f"{walked:>7.0f} {reranked:>9.0f} {found:>6.0%}"
    )


def main(counts: list[int]) -> None:
    print(f"budget: {WALK_BUDGET} postings walked per postmortem at most, then {RERANK} candidates re-scored")
    print(
        f"{'set':>9} {'N':>6} {'index s':>8} {'top-5 s':>8} {'total s':>8} {'µs per pm':>10} {'walked':>7} "
        f"{'look-ups':>9} {'found':>6}"
    )
    for count in counts:
        measure("synthetic", synthetic(count))
        measure("worded", worded(count))


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [1000, 5000])

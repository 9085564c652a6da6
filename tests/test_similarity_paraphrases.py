"""`similarity.py` measured: pairs of postmortems that tell one cause in other words (tests/fixtures/paraphrases/),
mixed into a background of unrelated ones. For at least 90% of the records of a pair, the other record must be
among its three most similar. The figure is printed (`pytest -s`) for docs/similarity.md."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from mkdocs_postmortems.knowledge import postmortem_from_source
from mkdocs_postmortems.model import Impact, Postmortem, RootCause
from mkdocs_postmortems.parsing.frontmatter import source_from_bytes
from mkdocs_postmortems.policy import Policy
from mkdocs_postmortems.similarity import SimilarityIndex

FIXTURES = Path(__file__).parent / "fixtures" / "paraphrases"
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(FIXTURES))
from background import background  # noqa: E402

RECALL_AT_3 = 0.9  # issue #24: the true match among the three most similar for at least 90% of the pairs
BACKGROUND = 150


def record(pm_id: str, written: dict) -> Postmortem:
    """A postmortem as pairs.yml writes one: title, service, impact, causes (`category: summary`), lessons."""
    causes = tuple(
        RootCause("causal" if n == 0 else "contributing", *cause.split(": ", 1), f"cause-{n + 1}")
        for n, cause in enumerate(written["causes"])
    )
    body = f"## Summary\n\n{written['impact']}\n\n## Timeline\n\n| Time | Event |\n\n## Lessons learned\n\n{written['lessons']}\n"
    return Postmortem(
        id=pm_id,
        path=f"postmortems/{pm_id}.md",
        title=written["title"],
        status="published",
        severity="SEV2",
        services=(written["service"],),
        started=datetime(2025, 1, 1, tzinfo=timezone.utc),
        impact=Impact(summary=written["impact"]),
        root_causes=causes,
        body=body,
    )


def pairs(name: str) -> list[tuple[Postmortem, Postmortem]]:
    written = yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))
    stem = name.removesuffix(".yml")
    return [(record(f"{stem}-{n}-a", pair["a"]), record(f"{stem}-{n}-b", pair["b"])) for n, pair in enumerate(written)]


def synthetic(count: int) -> list[Postmortem]:
    """benchmarks/synthetic.py's postmortems: every one of them uses most of the same 40 technical words."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import random

        from synthetic import postmortem
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    rng = random.Random(7)
    made = []
    for index in range(count):
        name, text = postmortem(rng, index, None)
        pm, _ = postmortem_from_source(source_from_bytes(text.encode(), f"{name}.md"), name, f"{name}.md", Policy())
        assert pm is not None
        made.append(pm)
    return made


def recall_at_3(pairs_: list[tuple[Postmortem, Postmortem]], others: list[Postmortem]) -> tuple[float, list[str]]:
    """The share of the pairs' records whose partner is among their three most similar, and the records missed."""
    index = SimilarityIndex([pm for pair in pairs_ for pm in pair] + others)
    missed = []
    for a, b in pairs_:
        for one, other in ((a, b), (b, a)):
            if other.id not in [found.id for found in index.most_similar(one.id, 3)]:
                missed.append(one.id)
    return 1 - len(missed) / (2 * len(pairs_)), missed


def unrelated() -> list[Postmortem]:
    return [record(f"background-{n}", written) for n, written in enumerate(background(BACKGROUND))]


# Each background, and the share of the records whose partner must be among their three most similar in it.
BACKGROUNDS = {
    "unrelated": (unrelated, RECALL_AT_3),
    # synthetic.py's records are made of the 40 technical words the pairs' causes are about (lock, schema,
    # migration, certificate...), each record most of them: a record that says "lock" and "schema" matches them as
    # well as its partner does. A harder background than any real history, with a lower bar.
    "unrelated and synthetic": (lambda: [*unrelated(), *synthetic(100)], 0.85),
}


@pytest.mark.parametrize("fixture", ["pairs.yml", "held_out.yml"])
@pytest.mark.parametrize("name", BACKGROUNDS)
def test_the_true_match_is_among_the_three_most_similar(fixture, name):
    written = pairs(fixture)
    make, bar = BACKGROUNDS[name]
    others = make()
    assert len(written) >= (30 if fixture == "pairs.yml" else 15) and len(others) >= 100
    recall, missed = recall_at_3(written, others)
    print(f"\n{fixture}, {len(written)} pairs, {len(others)} {name} in the background: recall@3 = {recall:.3f}")
    assert recall >= bar, missed

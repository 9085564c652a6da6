"""How fast the leak gate reads public text, and that its cost grows linearly with the text.

Usage: python benchmarks/leak_gate_speed.py [N ...]   (default: 1000 10000)

For each N it builds N public texts (fixed seed: real-looking status updates with a leak in one text of ten,
a quarter of them with non-ASCII characters) and times, best of 3:
  compile   `LeakGate(policy, people)` for a catalog of 40 services and 300 people (once per build);
  normalise `normalise` of every text;
  gate      `LeakGate.leaks` of every text (normalising included).
It prints microseconds per text and per 1,000 characters; the second figure should not grow with the size of
one text, which it also times for one text of 1, 10 and 100 KB. No timing is asserted anywhere.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from check_speed import best_of
from mkdocs_postmortems.policy import Policy, Service
from mkdocs_postmortems.status_site.leak_gate import LeakGate
from mkdocs_postmortems.status_site.normalise import normalise

SENTENCES = [
    "We are investigating elevated error rates on the website and in the apps.",
    "A fix has been implemented and we are monitoring the results.",
    "Between 09:58 and 11:00 UTC some customers could not complete checkout.",
    "Our cloud provider reported degraded networking in eu-west-1; traffic moved to other regions.",
    "Requests failed with HTTP 502 and 503 errors for about 3% of customers.",
    "Zoë’s café orders — and everyone else’s — are flowing normally again.",
    "This incident has been resolved. We apologise for the disruption.",
]
LEAKS = [
    "Tracked in ops\u2010123.",
    "Thanks to al\u200bice.",
    "orders_db failed over.",
    "Host 10.0.0.7 hung.",
    "See grafana.larkspur.example.",
    "Pods in namespace: payments-prod restarted.",
]


def texts(count: int, rng: random.Random) -> list[str]:
    made = []
    for index in range(count):
        words = rng.sample(SENTENCES, 3)
        if index % 10 == 0:
            words.append(rng.choice(LEAKS))
        made.append(" ".join(words))
    return made


def main(sizes: list[int]) -> None:
    rng = random.Random(11)
    services = tuple(Service(f"service-{i}", component=f"Component {i}" if i % 2 else None) for i in range(40))
    policy = Policy(
        services=services,
        internal_domains=("larkspur.example",),
        public_domains=("status.larkspur.example",),
        public_deny=("Project Falcon",),
    )
    people = (*(f"person.{i}" for i in range(300)), "alice")
    print(f"compile: {best_of(3, lambda: LeakGate(policy, people)) * 1000:.1f} ms")
    gate = LeakGate(policy, people)
    for count in sizes:
        batch = texts(count, rng)
        characters = sum(map(len, batch))
        normalising = best_of(3, lambda: [normalise(text) for text in batch])
        gating = best_of(3, lambda: [gate.leaks(text) for text in batch])
        print(
            f"N={count}: normalise {normalising / count * 1e6:.1f} µs/text, gate {gating / count * 1e6:.1f} µs/text, "
            f"{gating / characters * 1e9:.1f} µs per 1,000 characters"
        )
    for size in (1_000, 10_000, 100_000):
        text = (" ".join(SENTENCES) * (size // 400 + 1))[:size]
        took = best_of(3, lambda: gate.leaks(text))
        print(f"one text of {size // 1000} KB: {took * 1000:.2f} ms, {took / size * 1e9:.1f} µs per 1,000 characters")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 10000])

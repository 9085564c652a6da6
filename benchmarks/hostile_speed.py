"""How long hostile input takes: the speed checks that the tests do not assert (no wall-clock asserts in tests).

Usage: python benchmarks/hostile_speed.py

Times the blameless lint on texts built to make regexes backtrack, on a 100 KB postmortem, and the loader on
hostile files (deep nesting, an alias bomb, 10 MB, long lines). Prints each time and its budget, and exits 1 when
one is over it: 0.2 s per hostile text, 50 ms for the 100 KB postmortem (best of 5), 5 s per hostile file.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from mkdocs_postmortems.checks.blameless import find_blame
from mkdocs_postmortems.knowledge import load_knowledge_base
from mkdocs_postmortems.policy import Policy

NAMES = ("alice", "@bob", "Ana María", "Will")
HOSTILE_TEXTS = {
    "spaces": "should" + " " * 100_000 + "x",
    "links": "](" * 50_000,
    "comments": "<!--" * 25_000,
    "backticks": "`" * 50_000 + "a" + "``" * 25_000,
    "long-word": "alice " + "a" * 100_000,
    "apostrophes": "'" * 100_000,
    "possessives": "x's " * 25_000,
}
FRONT = "---\ntitle: Hostile\nstatus: draft\nseverity: SEV2\nservices: [checkout]\nstarted: 2024-03-14T09:50:00Z\n"
BOMB = 'lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 9)
)
HOSTILE_FILES = {
    "flow-nesting": FRONT + "tags: " + "[" * 100_000 + "\n---\n",
    "block-nesting": FRONT + "tags:\n" + "- " * 50_000 + "x\n---\n",
    "alias-bomb": FRONT + BOMB + "tags: *a8\n---\n",
    "ten-megabytes": FRONT + "---\n" + "A" * 10_000_000,
    "long-lines": FRONT.replace("Hostile", "Hostile" + " x" * 400_000) + "---\n",
}


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main() -> int:
    over = 0

    def report(name: str, seconds: float, budget: float) -> None:
        nonlocal over
        over += seconds > budget
        print(
            f"{name:32} {seconds * 1000:9.1f} ms  (budget {budget * 1000:.0f} ms){'  OVER' if seconds > budget else ''}"
        )

    for name, text in HOSTILE_TEXTS.items():
        report(f"blameless: {name}", timed(lambda: find_blame(text, names=NAMES)), 0.2)
    paragraph = (
        "At 14:02 the on-call engineer, alice, restarted the pod and the database failed over to the "
        "secondary. See `kubectl get pods` and https://grafana.example.com/d/abc. Bob's fault tolerance "
        "work held. The alert should have fired earlier.\n\n"
    )
    text = paragraph * (100_000 // len(paragraph) + 1)
    names = NAMES + tuple(f"user{index}" for index in range(30))
    report("blameless: 100 KB postmortem", min(timed(lambda: find_blame(text, names=names)) for _ in range(5)), 0.05)
    for name, content in HOSTILE_FILES.items():
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "2024-03-14-hostile.md").write_text(content, encoding="utf-8")
            report(
                f"load: {name}",
                timed(lambda: load_knowledge_base(Path(folder), Policy(), today=date(2026, 1, 1), base=Path(folder))),
                5,
            )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())

"""How much `postmortems check` costs over parsing the same front matter with libyaml alone.

Usage: python benchmarks/check_speed.py [N ...]   (default: 200 2000)

For each N it writes N synthetic postmortems (fixed seed) and times, in one run:
  baseline  read every file, split off the front matter, `yaml.load(..., Loader=yaml.CSafeLoader)`;
  core      `load_knowledge_base` (parse with positions, every rule, cross-file references);
  cli       `postmortems check` as a user runs it (a new process: imports, mkdocs.yml, output).
It prints the ratios core/baseline and cli/baseline. Target: cli/baseline <= 3 at N = 2000.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from mkdocs_postmortems.cli.options import load_policy
from mkdocs_postmortems.diagnostics import Level
from mkdocs_postmortems.knowledge import load_knowledge_base
from synthetic import write_knowledge_base


def best_of(runs: int, action) -> float:
    """The fastest of `runs` timings: the least disturbed by the rest of the machine."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def baseline(folder: Path) -> None:
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        end = text.index("\n---\n", 4)
        yaml.load(text[4:end], Loader=yaml.CSafeLoader)


def main(counts: list[int]) -> None:
    print(f"{'N':>6} {'baseline s':>11} {'core s':>8} {'cli s':>8} {'core/base':>10} {'cli/base':>9}")
    for count in counts:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            folder = write_knowledge_base(root, count)
            policy, _ = load_policy(root / "mkdocs.yml")
            today = date(2026, 11, 22)
            base = best_of(3, lambda: baseline(folder))
            core = best_of(3, lambda: load_knowledge_base(folder, policy, today=today, base=root))
            kb = load_knowledge_base(folder, policy, today=today, base=root)
            errors = [d for d in kb.diagnostics if d.level is Level.ERROR]
            assert not errors, errors[:3]  # the synthetic set is valid; overdue warnings are realistic
            command = [sys.executable, "-m", "mkdocs_postmortems.cli", "check", "--today", "2026-11-22"]
            cli = best_of(3, lambda: subprocess.run(command, cwd=root, check=True, capture_output=True))
            print(f"{count:>6} {base:>11.3f} {core:>8.3f} {cli:>8.3f} {core / base:>10.2f} {cli / base:>9.2f}")


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [200, 2000])

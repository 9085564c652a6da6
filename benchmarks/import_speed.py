"""How long `postmortems import cstate` takes, and the build of what it imported against a bare build.

Usage: python benchmarks/import_speed.py [--count 2000] [--repeat 3] [--keep DIR]

It writes `--count` synthetic cState issues (fixed seed; `content/issues/*.md` and a `config.yml` with their
systems) in a temporary folder, times one `postmortems import cstate` into an empty knowledge base (a new process,
wall-clock), then builds two sites, each `mkdocs build` in a new process, the fastest of `--repeat`:
  a  plugin  the imported knowledge base: Material + search + the postmortems plugin;
  b  bare    the imported files copied into `docs/postmortems/`, Material + search, out of the nav.
It prints the import's time per issue and a/b. The builds reuse build_speed.py's helpers.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from build_speed import BARE_CONFIG, SITE, child_environment, plugin_location, time_variants
from synthetic import WORDS

SYSTEMS = ["API", "Website", "Workers", "Dashboard", "Search", "Payments", "Notifications", "Mobile apps"]
SEVERITIES = ("down", "disrupted", "notice")


def issue(rng: random.Random, index: int) -> tuple[str, str]:
    """(file name, text) of one cState issue, as a status page team writes them."""
    start = datetime(2020, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=rng.randrange(6 * 365 * 24 * 60))
    end = start + timedelta(minutes=rng.randrange(5, 600))
    title = " ".join(rng.choice(WORDS) for _ in range(4)).capitalize()
    affected = "".join(f"  - {name}\n" for name in rng.sample(SYSTEMS, rng.randint(1, 3)))
    body = "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(30)).capitalize() + "." for _ in range(3))
    update = (start + timedelta(minutes=3)).strftime("%Y-%m-%d %H:%M:%S")
    text = (
        f'---\ntitle: "{title} {index}"\ndate: {start:%Y-%m-%dT%H:%M:%S}+00:00\nresolved: true\n'
        f"resolvedWhen: {end:%Y-%m-%dT%H:%M:%S}+00:00\nseverity: {rng.choice(SEVERITIES)}\n"
        f'affected:\n{affected}section: issue\n---\n\n{body}\n\n{{{{< track "{update}" >}}}} We are on it.\n'
    )
    return f"{start:%Y-%m-%d}-issue-{index}.md", text


def write_cstate_site(root: Path, count: int, seed: int = 20261122) -> Path:
    issues = root / "content" / "issues"
    issues.mkdir(parents=True)
    rng = random.Random(seed)
    for index in range(count):
        name, text = issue(rng, index)
        (issues / name).write_text(text, encoding="utf-8")
    (root / "config.yml").write_text("params:\n  systems:\n" + "".join(f"    - name: {s}\n" for s in SYSTEMS))
    return root


def plugin_config() -> str:
    services = "".join(
        f"        - name: {name.lower().replace(' ', '-')}\n          component: {name}\n          public: true\n"
        for name in SYSTEMS
    )
    return SITE + f"plugins:\n  - search\n  - postmortems:\n      services:\n{services}"


def run(args: argparse.Namespace, workdir: Path) -> None:
    env = child_environment()
    print(f"plugin: {plugin_location(env)}")
    source = write_cstate_site(workdir / "cstate", args.count)
    kb = workdir / "plugin"
    (kb / "docs").mkdir(parents=True)
    (kb / "docs" / "index.md").write_text("# Imported\n")
    (kb / "mkdocs.yml").write_text(plugin_config())
    command = [sys.executable, "-m", "mkdocs_postmortems.cli", "import", "cstate", str(source)]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=kb, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode:
        sys.exit(f"the import failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    imported = len(list((kb / "postmortems").glob("*.md")))
    print(f"import: {imported} of {args.count} issues in {seconds:.2f} s ({1000 * seconds / args.count:.2f} ms each)")
    bare = workdir / "bare"
    shutil.copytree(kb / "postmortems", bare / "docs" / "postmortems")
    (bare / "docs" / "index.md").write_text("# Imported\n")
    (bare / "mkdocs.yml").write_text(BARE_CONFIG)
    best = time_variants({"a": kb / "mkdocs.yml", "b": bare / "mkdocs.yml"}, env, args.repeat, 0)
    print(f"build: a (plugin) {best['a']:.2f} s, b (bare) {best['b']:.2f} s, a/b {best['a'] / best['b']:.2f}")
    print(f"import / bare build: {seconds / best['b']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="Build in DIR and keep it, instead of a temporary folder.")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        run(args, args.keep)
    else:
        with tempfile.TemporaryDirectory() as workdir:
            run(args, Path(workdir))


if __name__ == "__main__":
    main()

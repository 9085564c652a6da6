"""How long `mkdocs build` takes with the postmortems plugin, against two sites built from the same Markdown.

Usage: python benchmarks/build_speed.py --sizes 200 2000   [--repeat R] [--skip-blog] [--keep DIR] [--profile]

For each N it writes N synthetic postmortems once (fixed seed, see synthetic.py) and builds three sites from
identical bodies, each `mkdocs build` in a new process, wall-clock:
  a  plugin  the knowledge base as users build it (`postmortems init`'s configuration): Material and the
             postmortems plugin, which reads `postmortems/` beside `docs/`, adds a page per postmortem and its
             index pages, and has Pagefind index the site (no `search` plugin, so Pagefind serves search);
  b  bare    the same files copied into `docs/postmortems/`, Material + search, no postmortems plugin, kept out
             of the nav (`not_in_nav`): the floor inside MkDocs for rendering these pages;
  c  blog    the same bodies as Material blog posts (`docs/blog/posts/`, front matter `title`, `date` from
             `started`, `categories` from services, `tags` from severity, services and root-cause categories,
             an excerpt separator after the Summary) under search + blog + tags: what a user would pick instead.
a and b run `--repeat` times, interleaved, and keep the fastest; c runs `--blog-repeat` times (default once).
It prints a/b and a/c at each N, a's growth per postmortem from the smallest to the largest N, and its marginal
cost per postmortem. Targets: a/b <= 1.15, a/c <= 0.25, growth <= 1.2. `--profile` builds a once more at the
largest N under cProfile and prints the top 25 entries by cumulative time, then the top 20 in
the plugin's own code.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import CONFIG, write_knowledge_base

REPO = Path(__file__).resolve().parent.parent
SITE = CONFIG[: CONFIG.index("plugins:")]  # site name and theme, shared by all three variants
BARE_CONFIG = SITE + "not_in_nav: /postmortems/\nplugins:\n  - search\n"
BLOG_CONFIG = SITE + "plugins:\n  - search\n  - blog\n  - tags\n"
EXCERPT = "<!-- more -->"
TARGETS = {"a/b": 1.15, "a/c": 0.25, "growth": 1.2}


def child_environment() -> dict[str, str]:
    """The environment of every build; falls back to this checkout's `plugin/` if the package is not importable."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if importlib.util.find_spec("mkdocs_postmortems") is None:  # e.g. an editable install whose source moved
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "plugin"), env.get("PYTHONPATH")]))
    return env


def plugin_location(env: dict[str, str]) -> str:
    """Where the measured plugin is imported from, as the builds see it."""
    code = "import mkdocs_postmortems, pathlib; print(pathlib.Path(mkdocs_postmortems.__file__).parent)"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


# Trees ----------------------------------------------------------------------------------------------------------


def split_front_matter(text: str) -> tuple[dict, str]:
    end = text.index("\n---\n", 4)
    return yaml.load(text[4:end], Loader=yaml.CSafeLoader), text[end + 5 :]


def with_excerpt(body: str) -> str:
    """The body with the blog's excerpt separator before its second section, as a blog author would put it."""
    second = body.find("\n## ", body.find("## ") + 3)
    return body if second < 0 else f"{body[:second]}\n{EXCERPT}\n{body[second:]}"


def blog_post(text: str) -> str:
    """A postmortem rewritten as a Material blog post: blog front matter, the same body."""
    meta, body = split_front_matter(text)
    causes = [cause["category"] for cause in meta.get("root_causes", [])]
    front = {
        "title": meta["title"],
        "date": meta["started"],
        "categories": meta["services"],
        "tags": list(dict.fromkeys([meta["severity"], *meta["services"], *causes])),
    }
    return f"---\n{yaml.safe_dump(front, sort_keys=False)}---\n{body if EXCERPT in body else with_excerpt(body)}"


def write_trees(root: Path, count: int) -> dict[str, Path]:
    """The three sites for `count` postmortems under `root`; returns each variant's mkdocs.yml."""
    plugin_root = root / "plugin"
    folder = write_knowledge_base(plugin_root, count)
    plugin_config = (plugin_root / "mkdocs.yml").read_text(encoding="utf-8")
    (plugin_root / "mkdocs.yml").write_text(plugin_config.replace("  - search\n", ""), encoding="utf-8")
    index = (plugin_root / "docs" / "index.md").read_text()

    bare = root / "bare"
    shutil.copytree(folder, bare / "docs" / "postmortems")
    (bare / "docs" / "index.md").write_text(index)
    (bare / "mkdocs.yml").write_text(BARE_CONFIG)

    blog = root / "blog"
    posts = blog / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    (blog / "docs" / "index.md").write_text(index)
    (blog / "docs" / "blog" / "index.md").write_text("# Blog\n")
    for path in sorted(folder.glob("*.md")):
        (posts / path.name).write_text(blog_post(path.read_text(encoding="utf-8")))
    (blog / "mkdocs.yml").write_text(BLOG_CONFIG)
    return {"a": plugin_root / "mkdocs.yml", "b": bare / "mkdocs.yml", "c": blog / "mkdocs.yml"}


def check_summary(config: Path, env: dict[str, str]) -> str:
    """`postmortems check` on the plugin tree: stop if the synthetic files have errors, else name the warnings."""
    command = [sys.executable, "-m", "mkdocs_postmortems.cli", "check", "--format", "json"]
    result = subprocess.run(command, cwd=config.parent, env=env, capture_output=True, text=True)
    if result.returncode not in (0, 1) or not result.stdout:
        sys.exit(f"postmortems check failed to run:\n{result.stderr}")
    report = json.loads(result.stdout)
    if report["errors"]:
        sys.exit(f"the synthetic postmortems have {report['errors']} errors, e.g. {report['diagnostics'][:3]}")
    codes = Counter(d["code"] for d in report["diagnostics"] if d["level"] == "warning")
    listed = ", ".join(f"{n} {code}" for code, n in codes.most_common())
    return f"{report['postmortems']} postmortems, 0 errors, {report['warnings']} warnings ({listed or 'none'})"


# Builds ---------------------------------------------------------------------------------------------------------


def build_command(config: Path, site: Path) -> list[str]:
    return ["-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]


def build(config: Path, env: dict[str, str]) -> float:
    """Seconds for one `mkdocs build` in a new process, into a site folder emptied beforehand (not timed)."""
    site = config.parent / "site"
    shutil.rmtree(site, ignore_errors=True)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, *build_command(config, site)], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode:
        lines = result.stderr.strip().splitlines()
        shown = lines if len(lines) <= 12 else [*lines[:2], "...", *lines[-8:]]
        sys.exit(f"mkdocs build -f {config} failed:\n" + "\n".join(shown))
    if result.stderr.strip():  # -q leaves only errors: worth seeing, though the timing stands
        print(f"  ({config.parent.name}: {result.stderr.strip().splitlines()[0]})", file=sys.stderr)
    return seconds


def time_variants(configs: dict[str, Path], env: dict[str, str], repeat: int, blog_repeat: int) -> dict[str, float]:
    """Fastest of `repeat` builds of a and b, interleaved so that drift in the machine hits both alike; then c."""
    timings: dict[str, list[float]] = {"a": [], "b": []}
    for _ in range(repeat):
        for variant in timings:
            timings[variant].append(build(configs[variant], env))
    best = {variant: min(seconds) for variant, seconds in timings.items()}
    if blog_repeat:
        best["c"] = min(build(configs["c"], env) for _ in range(blog_repeat))
    return best


def profile(config: Path, env: dict[str, str]) -> pstats.Stats:
    """One build of `config` under cProfile (which slows Python-heavy code, such as HTML parsing, the most)."""
    output = config.parent / "build.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(output), *build_command(config, config.parent / "site")]
    shutil.rmtree(config.parent / "site", ignore_errors=True)
    subprocess.run(command, env=env, check=True, capture_output=True)
    return pstats.Stats(str(output))


def top_entries(stats: pstats.Stats, count: int, only: str = "") -> str:
    """The `count` entries by cumulative time (among files whose path contains `only`), with short paths."""
    stream = io.StringIO()
    stats.stream = stream
    stats.sort_stats("cumulative").print_stats(*([only] if only else []), count)
    text = stream.getvalue()
    for prefix in (sysconfig.get_paths()["purelib"], sysconfig.get_paths()["stdlib"], str(REPO / "plugin")):
        text = text.replace(prefix + os.sep, "")
    return text[text.index("   ncalls") :].rstrip() if "   ncalls" in text else text.rstrip()


# Report ---------------------------------------------------------------------------------------------------------


def verdict(name: str, value: float) -> str:
    return f"{value:.2f}  (target <= {TARGETS[name]})  {'PASS' if value <= TARGETS[name] else 'MISS'}"


def print_table(results: dict[int, dict[str, float]]) -> None:
    print(f"{'N':>6} {'a plugin s':>11} {'b bare s':>9} {'c blog s':>9} {'a/b':>6} {'a/c':>6} {'a ms/pm':>8}")
    for count, t in results.items():
        blog = f"{t['c']:>9.2f}" if "c" in t else f"{'-':>9}"
        ratio_c = f"{t['a'] / t['c']:>6.2f}" if "c" in t else f"{'-':>6}"
        print(
            f"{count:>6} {t['a']:>11.2f} {t['b']:>9.2f} {blog} {t['a'] / t['b']:>6.2f} {ratio_c} "
            f"{1000 * t['a'] / count:>8.1f}"
        )


def print_ratios(results: dict[int, dict[str, float]]) -> None:
    print()
    for count, t in results.items():
        print(f"a/b at N={count}: {verdict('a/b', t['a'] / t['b'])}")
        if "c" in t:
            print(f"a/c at N={count}: {verdict('a/c', t['a'] / t['c'])}")
    if len(results) < 2:
        return
    small, large = min(results), max(results)
    a_small, a_large = results[small]["a"], results[large]["a"]
    growth = (a_large / large) / (a_small / small)
    print(f"growth per postmortem, (a{large}/{large}) / (a{small}/{small}): {verdict('growth', growth)}")
    marginal = (a_large - a_small) / (large - small)
    print(
        f"marginal per postmortem, (a{large} - a{small}) / {large - small}: {1000 * marginal:.1f} ms "
        f"vs a{small}/{small}: {1000 * a_small / small:.1f} ms  (x{marginal / (a_small / small):.2f}; "
        f"b: {1000 * (results[large]['b'] - results[small]['b']) / (large - small):.1f} ms)"
    )


def default_repeat(count: int) -> int:
    return 3 if count <= 500 else 2


def run(args: argparse.Namespace, workdir: Path) -> None:
    env = child_environment()
    print(f"plugin: {plugin_location(env)}; Python {sys.version.split()[0]}; cores: {os.cpu_count()}")
    results: dict[int, dict[str, float]] = {}
    configs: dict[str, Path] = {}
    for count in args.sizes:
        root = workdir / str(count)
        if root.exists():
            shutil.rmtree(root)
        configs = write_trees(root, count)
        print(f"N={count}: check: {check_summary(configs['a'], env)}", flush=True)
        repeat = args.repeat or default_repeat(count)
        results[count] = time_variants(configs, env, repeat, 0 if args.skip_blog else args.blog_repeat)
    print()
    print_table(results)
    print_ratios(results)
    if args.profile:  # the largest N was written last
        stats = profile(configs["a"], env)
        print(f"\ncProfile of a at N={max(args.sizes)}, top 25 by cumulative time:")
        print(top_entries(stats, 25))
        print("\nthe same, in the plugin's own code (mkdocs_postmortems), top 20:")
        print(top_entries(stats, 20, only="mkdocs_postmortems"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000], help="numbers of postmortems")
    parser.add_argument(
        "--repeat", type=int, help="builds of a and b per N, fastest kept (default 3 up to N = 500, else 2)"
    )
    parser.add_argument("--blog-repeat", type=int, default=1, help="builds of c per N (default 1: it is slow)")
    parser.add_argument("--skip-blog", action="store_true", help="do not build c")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write the trees under DIR and keep them")
    parser.add_argument("--profile", action="store_true", help="profile one build of a at the largest N")
    args = parser.parse_args()
    args.sizes = sorted(set(args.sizes))
    start = time.perf_counter()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        run(args, args.keep.resolve())
    else:
        with tempfile.TemporaryDirectory(prefix="build-speed-") as tmp:
            run(args, Path(tmp))
    print(f"total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()

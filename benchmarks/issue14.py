"""Issue #14, "Fast where people wait": every figure against its goal, in one run.

Usage: python benchmarks/issue14.py [--sizes 2000 5000] [--repeat 2] [--skip-browser]

For each N it writes build_speed.py's trees (the plugin, and bare Material from the same bodies) and measures, each
in a new process so memory and imports are counted as a user pays them:
  build      `mkdocs build` of a and b, interleaved `--repeat` times (default 2), the least of each: CPU time
             (user + sys of the child), wall time, peak RSS (ru_maxrss); and a0, a with `Site.render` stubbed out
             (every page of ours written with its Markdown alone): the build's CPU floor for any in-process HTML;
  serve      build once, append a line to one postmortem, build again in the same process with the same plugin
             object, as `mkdocs serve` does: the second build's CPU time, with dirty=True and dirty=False;
  changed    `postmortems check --changed-since HEAD~1` with one changed file, cold (no scans kept) and warm, against a
             full `postmortems check`, at every N (the goal: flat in N);
  page       the five largest HTML pages of a's site, and the load time of each in Chromium (/usr/bin/chromium via
             playwright, served from 127.0.0.1), at the largest N.
Goals: build CPU a/b <= 1.15, memory a/b <= 1.5, --dirty reload a/b <= 2, changed-since <= 1 s at N = 2000.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from build_speed import child_environment, write_trees

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
GOALS = {"build cpu": 1.15, "memory": 1.5, "serve --dirty": 2.0, "changed-since s": 1.0}

SERVE = r"""
import json, sys, time
from pathlib import Path
from mkdocs.config import load_config
from mkdocs.commands.build import build
config, target, dirty, site = sys.argv[1], Path(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
def once():
    cfg = load_config(config_file=config, site_dir=site)
    cfg.plugins.on_startup(command="serve", dirty=dirty)
    cpu, wall = time.process_time(), time.perf_counter()
    build(cfg, dirty=dirty)
    return time.process_time() - cpu, time.perf_counter() - wall
once()
target.write_text(target.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
print(json.dumps(once()))
"""

# `mkdocs build` with the core's HTML left out: every page still parsed, checked, indexed and written
FLOOR = r"""
import sys
import mkdocs_postmortems.build as core
from mkdocs.__main__ import cli
empty = core.Rendered("", "")
core.Site.render = lambda site, uri: empty if uri in site.pages else None
cli(sys.argv[1:])
"""


def child(command: list[str], cwd: Path | None = None, **environment: str) -> tuple[float, float, float, str]:
    """CPU seconds, wall seconds and peak RSS (MiB) of one child process, and its stdout."""
    env = dict(child_environment(), **environment)
    start = time.perf_counter()
    # wait4 gives this child's own rusage (RUSAGE_CHILDREN's ru_maxrss is the largest child so far)
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"{' '.join(command)} failed")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, out


def mkdocs_build(config: Path, floor: bool = False) -> tuple[float, float, float]:
    """CPU and wall seconds and peak RSS of `mkdocs build`; with `floor`, of the build without the core's HTML."""
    site = config.parent / ("site-floor" if floor else "site")
    shutil.rmtree(site, ignore_errors=True)
    start = ["-c", FLOOR] if floor else ["-m", "mkdocs"]
    cpu, wall, rss, _ = child([sys.executable, *start, "build", "-q", "-f", str(config), "-d", str(site)])
    return cpu, wall, rss


def serve_reload(config: Path, target: Path, dirty: bool) -> float:
    site = config.parent / f"served-{int(dirty)}"
    shutil.rmtree(site, ignore_errors=True)
    *_, out = child([sys.executable, "-c", SERVE, str(config), str(target), "1" if dirty else "0", str(site)])
    return json.loads(out.strip().splitlines()[-1])[0]


def changed_since(root: Path) -> tuple[float, float, float]:
    """`check --changed-since HEAD~1` with one changed postmortem, in a git repository: cold (no scan kept, as in a
    fresh CI runner) and warm (the scans of the last run kept), and a full check."""
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=root, check=True)
    target = sorted((root / "postmortems").glob("*.md"))[len(list((root / "postmortems").glob("*.md"))) // 2]
    target.write_text(target.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    subprocess.run([*git, "commit", "-qam", "one change"], cwd=root, check=True)
    check = [sys.executable, "-m", "mkdocs_postmortems.cli", "check"]
    changed = [*check, "--changed-since", "HEAD~1"]
    with tempfile.TemporaryDirectory(prefix="issue14-cache-") as cache:
        cold = min(child(changed, cwd=root, XDG_CACHE_HOME=tempfile.mkdtemp(dir=cache))[1] for _ in range(2))
        child(changed, cwd=root, XDG_CACHE_HOME=cache)
        warm = min(child(changed, cwd=root, XDG_CACHE_HOME=cache)[1] for _ in range(2))
    full = min(child(check, cwd=root)[1] for _ in range(2))
    return cold, warm, full


def largest_pages(site: Path, count: int = 5) -> list[Path]:
    return sorted(site.rglob("*.html"), key=lambda path: path.stat().st_size, reverse=True)[:count]


def chromium_load(site: Path, pages: list[Path]) -> list[float] | None:
    """Seconds until `load` of each of `pages` in headless Chromium, served from 127.0.0.1; None without
    playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # a request the browser dropped when the next page was asked for

    server = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
            tab = browser.new_page()
            seconds = []
            for page in pages:
                url = root + page.relative_to(site).as_posix()
                tab.goto(url, wait_until="load", timeout=0)  # warm the server and the cache of assets
                start = time.perf_counter()
                tab.goto(url, wait_until="load", timeout=0)
                seconds.append(time.perf_counter() - start)
            browser.close()
        return seconds
    finally:
        server.shutdown()


def verdict(name: str, value: float) -> str:
    return f"{value:.2f}  (goal <= {GOALS[name]})  {'MET' if value <= GOALS[name] else 'MISSED'}"


def run(sizes: list[int], workdir: Path, browser: bool, repeat: int) -> None:
    sys.stdout.reconfigure(line_buffering=True)
    # as installed from the wheel, whose installer compiles every module: no run pays for compiling the plugin
    package = subprocess.run(
        [sys.executable, "-c", "import mkdocs_postmortems, os; print(os.path.dirname(mkdocs_postmortems.__file__))"],
        env=child_environment(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True, stdout=subprocess.DEVNULL)
    print(f"Python {sys.version.split()[0]}; cores: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}")
    for count in sizes:
        root = workdir / str(count)
        configs = write_trees(root, count)
        # a and b interleaved, `repeat` times: this shared machine's speed drifts by 20% from minute to minute
        runs = [
            (mkdocs_build(configs["a"]), mkdocs_build(configs["b"]), mkdocs_build(configs["a"], floor=True))
            for _ in range(repeat)
        ]
        (a_cpu, a_wall, a_rss), (b_cpu, b_wall, b_rss), (floor_cpu, *_) = (
            tuple(map(min, zip(*(run[i] for run in runs), strict=True))) for i in (0, 1, 2)
        )
        print(f"\nN={count}")
        print(f"  build CPU   a {a_cpu:6.1f} s  b {b_cpu:6.1f} s  a/b {verdict('build cpu', a_cpu / b_cpu)}")
        print(
            f"  build CPU without the core's HTML  a0 {floor_cpu:6.1f} s  a0/b {floor_cpu / b_cpu:.2f}  "
            f"(rendering it costs a/b {(a_cpu - floor_cpu) / b_cpu:.2f})"
        )
        print(f"  build wall  a {a_wall:6.1f} s  b {b_wall:6.1f} s  a/b {a_wall / b_wall:.2f}")
        print(f"  peak RSS    a {a_rss:6.0f} MiB b {b_rss:6.0f} MiB a/b {verdict('memory', a_rss / b_rss)}")
        if count == min(sizes):
            name = sorted((root / "plugin" / "postmortems").glob("*.md"))[count // 2].name
            a_dirty = serve_reload(configs["a"], root / "plugin" / "postmortems" / name, True)
            b_dirty = serve_reload(configs["b"], root / "bare" / "docs" / "postmortems" / name, True)
            a_full = serve_reload(configs["a"], root / "plugin" / "postmortems" / name, False)
            b_full = serve_reload(configs["b"], root / "bare" / "docs" / "postmortems" / name, False)
            print(
                f"  serve --dirty reload CPU  a {a_dirty:5.2f} s  b {b_dirty:5.2f} s  a/b "
                f"{verdict('serve --dirty', a_dirty / b_dirty)}"
            )
            print(f"  serve reload CPU          a {a_full:5.2f} s  b {b_full:5.2f} s  a/b {a_full / b_full:.2f}")
        cold, warm, full = changed_since(root / "plugin")
        print(
            f"  check --changed-since HEAD~1 (1 file), wall s: cold {verdict('changed-since s', cold)}; "
            f"warm {verdict('changed-since s', warm)}; full check {full:.2f} s"
        )
        if count == max(sizes):
            site = configs["a"].parent / "site"
            pages = largest_pages(site)
            seconds = chromium_load(site, pages) if browser else None
            for at, page in enumerate(pages):
                shown = f"{seconds[at]:.2f} s" if seconds is not None else "not measured"
                print(
                    f"  page {page.relative_to(site)}: {page.stat().st_size / 1e6:.2f} MB "
                    f"(goal <= 1), Chromium load {shown} (goal < 2)",
                    flush=True,
                )
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 5000])
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--repeat", type=int, default=2, help="builds of a and b per size; the least of each is kept")
    args = parser.parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="issue14-") as tmp:
        run(sorted(set(args.sizes)), Path(tmp), not args.skip_browser, args.repeat)
    print(f"\ntotal {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()

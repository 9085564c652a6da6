"""What a reader downloads: the bytes of the first view of each page type, and of one search query, against bare
Material of the same bodies.

Usage: python benchmarks/first_view.py [--sizes 1000 5000] [--query checkout]

For each N it writes build_speed.py's trees (a: the plugin as `postmortems init` configures it, with no `search`
plugin, so Pagefind serves search; b: bare Material and its `search`, the same files under docs/postmortems/),
builds both, serves each from 127.0.0.1 and opens every page type in headless Chromium (/usr/bin/chromium through
playwright) with an empty cache: the server counts every byte it sends until the network is idle (HTML, CSS,
scripts, the search index, the explorer's JSON, images), uncompressed, as `python -m http.server` and a plain
static host send them. Then it opens the page's search with `/`, types a query and counts what that fetched on top
(Pagefind's script and WebAssembly, the index chunks of the query's words, the fragments of the results shown).
Goals (issue #23): first view <= 1.5 MB, a query <= 300 KB more, at 5,000 postmortems.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from build_speed import child_environment, write_trees
from issue14 import CHROMIUM_FLAGS

GOALS = {"first view": 1_500_000, "query": 300_000}
SEARCH_INPUT = ".pm-search__input, .md-search__input"  # the plugin's search (Pagefind), Material's
# page type -> its path in each site (None: bare Material has no such page); {pm} is a postmortem's page
PAGES = {
    "home": ("", ""),
    "postmortem": ("postmortems/{pm}/", "postmortems/{pm}/"),
    "explorer": ("postmortems/", None),
    "root causes": ("root-causes/", None),
    "action items": ("action-items/", None),
    "services": ("services/", None),
    "service": ("services/checkout/", None),
    "category": ("root-causes/config-change/", None),
    "metrics": ("metrics/", None),
    "communications": ("communications/", None),
}


class Counting(http.server.SimpleHTTPRequestHandler):
    """Serves the site and adds what it sends to the server's count."""

    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        data = source.read()
        self.server.sent += len(data)  # type: ignore[attr-defined]
        outputfile.write(data)


class Server(http.server.ThreadingHTTPServer):
    sent = 0

    def handle_error(self, request, client_address):
        pass  # a request the browser dropped


def build(config: Path) -> Path:
    site = config.parent / "site"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
        env=child_environment(),
        check=True,
        stderr=subprocess.DEVNULL,
    )
    return site


def measure(site: Path, paths: dict[str, str], query: str) -> dict[str, tuple[int, int | None]]:
    """Page type -> (bytes of its first view, bytes a search query fetched after it, or None without a search)."""
    from playwright.sync_api import sync_playwright

    server = Server(("127.0.0.1", 0), functools.partial(Counting, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_address[1]}/"
    found: dict[str, tuple[int, int | None]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
            for name, path in paths.items():
                context = browser.new_context()  # an empty cache: a first view
                tab = context.new_page()
                server.sent = 0
                tab.goto(root + path, wait_until="networkidle", timeout=0)
                first = server.sent
                searched = None
                if tab.locator(".pm-search-open, .md-search__input").count():
                    server.sent = 0
                    tab.keyboard.press("/")  # both open their search on `/`
                    tab.locator(SEARCH_INPUT).first.wait_for(state="visible")
                    tab.keyboard.type(query)
                    tab.wait_for_load_state("networkidle")
                    tab.wait_for_timeout(500)
                    searched = server.sent
                found[name] = (first, searched)
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return found


def megabytes(count: int | None) -> str:
    return "      -" if count is None else f"{count / 1e6:7.2f}"


def run(sizes: list[int], workdir: Path, query: str) -> None:
    print(f"Python {sys.version.split()[0]}; cores: {os.cpu_count()}; bytes as sent, uncompressed; MB = 10^6 bytes")
    for count in sizes:
        configs = write_trees(workdir / str(count), count)
        sites = {variant: build(configs[variant]) for variant in ("a", "b")}
        pm = sorted(path.parent.name for path in (sites["a"] / "postmortems").glob("*/index.html"))[count // 2]
        measured = {
            variant: measure(
                sites[variant],
                {name: pair[i].format(pm=pm) for name, pair in PAGES.items() if pair[i] is not None},
                query,
            )
            for i, variant in enumerate(("a", "b"))
        }
        print(f"\nN={count}  (first view / a query for `{query}`, MB)")
        print(f"  {'page':16} {'plugin':>7} {'query':>7}   {'bare':>7} {'query':>7}   goal")
        for name in PAGES:
            a_first, a_query = measured["a"].get(name, (None, None))
            b_first, b_query = measured["b"].get(name, (None, None))
            met = (
                a_first is not None
                and a_first <= GOALS["first view"]
                and (a_query is None or a_query <= GOALS["query"])
            )
            print(
                f"  {name:16} {megabytes(a_first)} {megabytes(a_query)}   {megabytes(b_first)} {megabytes(b_query)}"
                f"   {'MET' if met else 'MISSED'}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--query", default="checkout")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="first-view-") as tmp:
        run(sorted(set(args.sizes)), Path(tmp), args.query)


if __name__ == "__main__":
    main()

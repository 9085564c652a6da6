"""Helpers for the tests of a long history and of search: a generated history of 1,000 postmortems (conftest's
`history_site`, built once per test run), a static server that counts the bytes it sends, and what Pagefind's
index holds (its fragments).

The history is benchmarks/synthetic.py's (fixed seed), built as `postmortems init` configures a site: no `search`
plugin, so Pagefind serves search, and light or dark as the system says, in the example's colours. It is the one
site of the tests at scale: pages bounded at 1,000 postmortems, search within its budget, the browsing pages' layout.
`benchmarks/first_view.py` measures the same at 1,000 and 5,000 against bare Material; these tests hold the plugin's
side to a budget at 1,000."""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import logging
import sys
import threading
from pathlib import Path

from browser_support import StaticServer
from conftest import REPO

HISTORY = 1000  # postmortems
# Material's palette: light or dark as the system says, in the example's colours.
PALETTE = """\
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: deep purple
      accent: deep purple
      toggle: {icon: material/brightness-7, name: Switch to dark mode}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: deep purple
      accent: deep purple
      toggle: {icon: material/brightness-4, name: Switch to light mode}
"""


def build(config: Path) -> Path:
    """`config`'s site, built in this process with new plugin objects (as conftest builds the example), not strict."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.config.defaults import MkDocsConfig

    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)  # a long history warns of its overdue items, thousands of lines
    MkDocsConfig.plugins.plugin_cache.clear()
    try:
        mkdocs_build(load_config(str(config)))
    finally:
        logger.setLevel(level)
    return config.parent / "site"


def build_history(root: Path) -> Path:
    """The site of `HISTORY` synthetic postmortems, written and built under `root`."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from synthetic import write_knowledge_base
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    write_knowledge_base(root, HISTORY)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("  - search\n", "")
    config.write_text(text.replace("  font: false\n", "  font: false\n" + PALETTE, 1), encoding="utf-8")
    return build(config)


def build_history_once(root: Path) -> Path:
    """`build_history(root)` by the first of the processes that ask (pytest-xdist's workers), the others waiting for
    it: `root` is shared, and its site is built once."""
    import fcntl  # POSIX: only pytest-xdist's workers, never a lone run, share a history

    root.mkdir(exist_ok=True)
    with (root.parent / f"{root.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (root / "built").is_file():
            build_history(root)
            (root / "built").touch()
    return root / "site"


class _Counting(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the base class's signature
        pass

    def copyfile(self, source, outputfile):
        data = source.read()
        with self.server.lock:  # type: ignore[attr-defined]
            self.server.sent += len(data)  # type: ignore[attr-defined]
            self.server.paths.append((self.path, len(data)))  # type: ignore[attr-defined]
        outputfile.write(data)


class CountingServer(StaticServer):
    """Serves `root` on 127.0.0.1 and counts the bytes of every file it sends, uncompressed, as
    `benchmarks/first_view.py` does: `sent` in all, and `paths`, each path requested with its bytes."""

    def __init__(self, root: Path):
        super().__init__(root)
        self.httpd.RequestHandlerClass = functools.partial(_Counting, directory=str(root))  # type: ignore[assignment]
        self.httpd.lock = threading.Lock()  # type: ignore[attr-defined]
        self.reset()

    @property
    def sent(self) -> int:
        return self.httpd.sent  # type: ignore[attr-defined]

    @property
    def paths(self) -> list[tuple[str, int]]:
        return list(self.httpd.paths)  # type: ignore[attr-defined]

    def reset(self) -> None:
        self.httpd.sent, self.httpd.paths = 0, []  # type: ignore[attr-defined]


def indexed(site: Path) -> dict[str, dict]:
    """What Pagefind indexed of `site`: each record's fragment (`url`, `content`, `meta`...) by its link (its `link`
    meta for a named record, else its URL), from the fragments it wrote (gzip, after a `pagefind_dcd` signature)."""
    found = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[len(b"pagefind_dcd") :].decode("utf-8"))
        found[fragment["meta"].get("link") or fragment["url"].lstrip("/")] = fragment
    return found

"""docs/architecture.md matches the code: its layers table places every module, no import goes up a layer, and
every line count it states is within a tenth of the file's."""

from __future__ import annotations

import re

from docs_support import DOCS, read
from test_layers import PACKAGE, SOURCE, graph, module_names

ARCHITECTURE = read(DOCS / "architecture.md")


def layers() -> list[tuple[int, list[str]]]:
    """(rank, path patterns) of each row of the layers table: `checks/` a package, `plugin.py` a module."""
    section = ARCHITECTURE.split("## Layers", 1)[1].split("\n## ", 1)[0]
    return [
        (int(rank), re.findall(r"`([^`]+)`", cells))
        for rank, cells in re.findall(r"^\| (\d+) [^|]*\| (.*) \|$", section, re.MULTILINE)
    ]


def path_of(module: str) -> str:
    """`mkdocs_postmortems.status_site.said` -> `status_site/said.py`; a package -> its `__init__.py`."""
    relative = module.removeprefix(PACKAGE).lstrip(".").replace(".", "/")
    package = (SOURCE / relative / "__init__.py").exists()
    return f"{relative}/__init__.py".lstrip("/") if package else f"{relative}.py"


def layer_of(module: str) -> int | None:
    """The rank of the most specific pattern that covers `module`'s path."""
    path, best = path_of(module), None
    for rank, patterns in layers():
        for pattern in patterns:
            covers = path.startswith(pattern) if pattern.endswith("/") else path == pattern
            if covers and (best is None or len(pattern) > best[1]):
                best = (rank, len(pattern))
    return None if best is None else best[0]


def test_the_layers_table_places_every_module():
    assert [rank for rank, _ in layers()] == list(range(7))
    assert [module for module in module_names() if layer_of(module) is None] == []


def test_no_module_imports_from_a_layer_above_its_own():
    """A subpackage's `__init__.py` is a namespace (`from ..status_site import said` passes through it), not a layer."""
    up = [
        f"{source} (layer {layer_of(source)}) imports {target} (layer {layer_of(target)})"
        for source, targets in graph().items()
        for target in targets
        if not (target != PACKAGE and path_of(target).endswith("__init__.py")) and layer_of(target) > layer_of(source)
    ]
    assert up == []


def test_every_line_count_the_page_states_is_within_a_tenth():
    stated = re.findall(r"`([\w/]+\.py)`[^|\n]*?\b(\d{2,4}) lines", ARCHITECTURE)
    assert stated, "architecture.md states no line count"
    for path, lines in stated:
        [file] = [SOURCE / path] if (SOURCE / path).exists() else SOURCE.rglob(path)  # a bare name, once in the tree
        actual = len(file.read_text(encoding="utf-8").splitlines())
        assert abs(actual - int(lines)) <= int(lines) / 10, f"{path}: the page says {lines} lines, it has {actual}"

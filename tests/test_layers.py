"""The package's layers: every module imports on its own, the module-level imports form no cycle, the core imports
no MkDocs, and no import inside a function dodges a cycle.

The import graph is read from the source with `ast`: an edge for each `import` a module runs when it is loaded
(not those under `if TYPE_CHECKING:` nor inside functions), and to each package whose `__init__.py` that import
runs first (`from ..checks.registry import rule` runs `checks/__init__.py`), but the package's own root, the public
surface every module is loaded under."""

from __future__ import annotations

import ast
import multiprocessing
import os
import subprocess
import sys
import traceback
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest

PACKAGE = "mkdocs_postmortems"
SOURCE = Path(__file__).resolve().parent.parent / "plugin" / PACKAGE
# The adapters over the core: MkDocs' plugin and its typed options, and the command line. `generator.py` adapts the
# core to engines without plugins and imports no MkDocs either: it is checked as the core is.
ADAPTERS = (f"{PACKAGE}.plugin", f"{PACKAGE}.mkdocs_config", f"{PACKAGE}.cli")
# Imports inside a function in the core, each with why it is there. None closes a cycle (a test below adds them all
# to the graph) nor saves start-up time: each could move to its module's top, and should when the module is next
# changed. The command line's lazy imports (`cli/`) keep `postmortems check` quick to start and are not listed.
LAZY_IN_CORE = {
    ("parsing.frontmatter", "parsing.schema"): "a leftover: the module imports the schema at its top as well",
    ("parsing.scan", "parsing.schema"): "a leftover: `parsing.frontmatter`, which the scan imports, loads it",
    ("parsing.scan", "policy"): "a leftover: `parsing.schema` loads it",
    ("parsing.scan", "parsing.reader"): "a leftover: the reader needs nothing the scan's imports do not load",
}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the module imported
    line: int
    lazy: bool  # inside a function


def module_names() -> list[str]:
    names = []
    for path in sorted(SOURCE.rglob("*.py")):
        parts = path.relative_to(SOURCE.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


MODULES = module_names()


def _path(module: str) -> Path:
    relative = Path(*module.split(".")[1:])
    package = SOURCE / relative / "__init__.py"
    return package if package.exists() else (SOURCE / relative).with_suffix(".py")


def _is_package(module: str) -> bool:
    return _path(module).name == "__init__.py"


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The modules of the package that `node` in `module` loads (a `from X import name` loads `X.name` too when
    that is a module)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.split(".")[0] == PACKAGE]
    if node.level:
        base = module.split(".") if _is_package(module) else module.split(".")[:-1]
        base = base[: len(base) - node.level + 1]
        origin = ".".join(base + ([node.module] if node.module else []))
    else:
        origin = node.module or ""
    if origin.split(".")[0] != PACKAGE:
        return []
    return [origin] + [f"{origin}.{alias.name}" for alias in node.names if f"{origin}.{alias.name}" in MODULES]


def imports_of(module: str) -> list[Import]:
    """Every import of the package in `module`, but those under `if TYPE_CHECKING:`."""
    found: list[Import] = []

    def visit(nodes, lazy: bool) -> None:
        for node in nodes:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.extend(Import(module, target, node.lineno, lazy) for target in _imported(module, node))
            elif isinstance(node, ast.If) and _is_type_checking(node.test):
                visit(node.orelse, lazy)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(ast.iter_child_nodes(node), True)
            else:
                visit(ast.iter_child_nodes(node), lazy)

    visit(ast.parse(_path(module).read_text(encoding="utf-8")).body, False)
    return found


def _runs(source: str, target: str) -> list[str]:
    """`target` and the packages whose `__init__.py` importing it runs, that are not already running for `source`
    (its own packages) nor the root."""
    parts = target.split(".")
    packages = [".".join(parts[:end]) for end in range(2, len(parts))]
    return [
        name
        for name in (*packages, target)
        if name != PACKAGE and not (source + ".").startswith(name + ".") and name != source
    ]


def graph(with_lazy: bool = False) -> dict[str, dict[str, int]]:
    """module -> {module it loads: the line}, over the module-level imports (and those in functions)."""
    edges: dict[str, dict[str, int]] = {module: {} for module in MODULES}
    for module in MODULES:
        for found in imports_of(module):
            if with_lazy or not found.lazy:
                for target in _runs(module, found.target):
                    edges[module].setdefault(target, found.line)
    return edges


def cycle(edges: dict[str, dict[str, int]]) -> list[str] | None:
    """A cycle of `edges` as the modules along it (the first again at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(edges.get(module, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[module] = 2
        return None

    for module in MODULES:
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def shown(found: list[str], edges: dict[str, dict[str, int]]) -> str:
    return " -> ".join(f"{a} (line {edges[a][b]})" for a, b in pairwise(found)) + f" -> {found[-1]}"


def _is_adapter(module: str) -> bool:
    return any(module == adapter or module.startswith(adapter + ".") for adapter in ADAPTERS)


CORE = [module for module in MODULES if not _is_adapter(module)]


def _short(module: str) -> str:
    return module.removeprefix(PACKAGE).removeprefix(".")


# (a) Every module imports on its own, in a fresh interpreter. The package's `__init__.py` runs first and loads the
# core in its own order, so this alone would not see a cycle; (b) reads the graph for that.


def third_party() -> list[str]:
    """The modules outside the package and the standard library that the package imports."""
    found = set()
    for module in MODULES:
        for node in ast.walk(ast.parse(_path(module).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                found.add(node.module)
    return sorted(name for name in found if name.split(".")[0] not in (PACKAGE, *sys.stdlib_module_names))


def test_every_module_imports_on_its_own_in_a_fresh_interpreter():
    # Each module in a process of its own, forked from a fresh interpreter that has loaded the libraries the package
    # uses (and nothing of the package): what is tested is the package's own order, without paying for MkDocs, Jinja
    # and the rest a hundred times.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(third_party())
    with context.Pool(processes=os.cpu_count() or 2, maxtasksperchild=1) as pool:
        imported = {module: pool.apply_async(exec, (f"import {module}",)) for module in MODULES}
        failed = {}
        for module, result in imported.items():
            try:
                result.get(timeout=120)
            except Exception as error:  # what the import raised, with the child's traceback as its cause
                failed[module] = "".join(traceback.format_exception(error))
    assert not failed, "\n\n".join(f"{module}:\n{error}" for module, error in failed.items())


def test_the_graph_knows_every_module():
    assert len(MODULES) > 60 and f"{PACKAGE}.checks.registry" in MODULES
    edges = graph()
    assert f"{PACKAGE}.checks" in edges[f"{PACKAGE}.status_site.leak_gate"]  # the package `__init__` runs first
    assert f"{PACKAGE}.policy" in edges[f"{PACKAGE}.parsing.schema"]  # `from .. import policy`


# (b) The module-level imports form no cycle.


def test_the_module_level_imports_form_no_cycle():
    edges = graph()
    found = cycle(edges)
    assert found is None, "an import cycle: " + shown(found, edges)


def test_the_registry_imports_nothing_above_it():
    below = {f"{PACKAGE}.{name}" for name in ("diagnostics", "model", "policy", "dates")}
    loaded = set(graph()[f"{PACKAGE}.checks.registry"])
    assert loaded <= below, f"the registry loads {sorted(loaded - below)}"


# (c) The core imports no MkDocs, nor an adapter.


def _mkdocs_imports(module: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(_path(module).read_text(encoding="utf-8"))):
        names = (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom) and not node.level
            else []
        )
        lines += [node.lineno for name in names if name.split(".")[0] == "mkdocs"]
    return lines


def test_the_core_imports_no_mkdocs():
    found = {_short(module): lines for module in CORE if (lines := _mkdocs_imports(module))}
    assert not found, f"core modules importing mkdocs (module: lines): {found}"
    assert _mkdocs_imports(f"{PACKAGE}.mkdocs_config"), "the test should see the adapter's imports of mkdocs"


def test_the_core_imports_no_adapter():
    edges = graph(with_lazy=True)
    found = {
        _short(module): sorted(_short(t) for t in edges[module] if _is_adapter(t))
        for module in CORE
        if any(_is_adapter(t) for t in edges[module])
    }
    assert not found, f"core modules importing an adapter: {found}"


def test_the_whole_core_loads_without_mkdocs():
    code = (
        f"import sys\nfor name in {CORE!r}:\n    __import__(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'mkdocs'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"


# (d) No import inside a function dodges a cycle; those in the core are listed, each with its reason.


def test_no_import_inside_a_function_dodges_a_cycle():
    edges = graph(with_lazy=True)
    found = cycle(edges)
    assert found is None, "an import inside a function closes a cycle: " + shown(found, edges)


def test_the_imports_inside_functions_in_the_core_are_the_listed_ones():
    lazy = {
        (_short(i.source), _short(i.target))
        for module in CORE
        for i in imports_of(module)
        if i.lazy and i.target in _runs(i.source, i.target)
    }
    assert lazy == set(LAZY_IN_CORE), (
        f"unlisted: {sorted(lazy - set(LAZY_IN_CORE))}; listed but gone: {sorted(set(LAZY_IN_CORE) - lazy)}"
    )


@pytest.mark.parametrize("module", ["policy", "checks.registry", "dates", "kb_site.metrics", "kb_site.indexes"])
def test_the_lower_layers_import_nothing_inside_functions(module):
    assert not [i for i in imports_of(f"{PACKAGE}.{module}") if i.lazy]

"""The shape of the code, read from the source (nothing is imported): no import cycles among the
modules of `models` and `optimizer`, `models` never reaching into `optimizer`, and no source file
grown past a size one can read in a sitting.

Imports are resolved the way Python resolves them: `import a.b.c` depends on module `a.b.c`;
`from pkg import name` depends on `pkg.name` when that is a module, else on `pkg` (its
`__init__`); relative imports are made absolute first. The cycle check counts only what runs when
a module is imported (module level, class bodies, `try`/`if` blocks), not imports inside functions
(that is how the CLI stays quick to start) nor those under `if TYPE_CHECKING:`. The rule that
`models` stays free of `optimizer` counts every import, wherever it is.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("models", "optimizer")
SIZED_FOLDERS = ("models", "optimizer", "tests", "bench")
MAX_LINES = 400


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name
    target: str  # dotted module name, resolved to a module of the tree when one matches
    line: int
    in_function: bool
    type_checking: bool


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _sources() -> dict[str, Path]:
    """Every module of the packages, by dotted name."""
    return {_module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))
            if "__pycache__" not in p.parts}


def _ours(name: str) -> bool:
    return name.split(".", 1)[0] in PACKAGES


def _known(name: str) -> str:
    """The module `name` names, or the nearest enclosing one that exists (for a stale or odd import)."""
    modules = _sources()
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _from_base(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute name of the module a `from ... import` reads from."""
    if node.level == 0:
        return node.module or ""
    parts = module.split(".") if is_package else module.split(".")[:-1]
    parts = parts[:len(parts) - (node.level - 1)]
    return ".".join([*parts, *([node.module] if node.module else [])])


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = _from_base(module, is_package, node)
    modules = _sources()
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]


def _walk(module: str, is_package: bool, body: list[ast.stmt], in_function: bool, type_checking: bool):
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            for target in _targets(module, is_package, node):
                if _ours(target):
                    yield Import(module, target, node.lineno, in_function, type_checking)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _walk(module, is_package, node.body, True, type_checking)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _walk(module, is_package, node.body, in_function, True)
            yield from _walk(module, is_package, node.orelse, in_function, type_checking)
        else:
            # Class bodies, if/try/with/for/while/match blocks: the statements they hold.
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    yield from _walk(module, is_package, [child], in_function, type_checking)
                elif isinstance(child, ast.excepthandler | ast.match_case):
                    yield from _walk(module, is_package, child.body, in_function, type_checking)


@cache
def imports() -> tuple[Import, ...]:
    """Every import of a module of the packages by a module of the packages."""
    found = []
    for module, path in _sources().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found += _walk(module, path.name == "__init__.py", tree.body, False, False)
    return tuple(found)


def import_graph() -> dict[str, set[str]]:
    """Module → the modules it imports when it is itself imported (the edges the cycle check sees)."""
    graph: dict[str, set[str]] = {module: set() for module in _sources()}
    for imp in imports():
        target = _known(imp.target)
        if not (imp.in_function or imp.type_checking) and target and target != imp.importer:
            graph[imp.importer].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a path back to its start) through each strongly connected group of modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(v: str) -> None:  # Tarjan's algorithm; the graph is small enough for recursion
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return [_cycle_in(graph, group) for group in groups]


def _cycle_in(graph: dict[str, set[str]], group: list[str]) -> list[str]:
    """A shortest path from the group's first module back to itself, staying inside the group."""
    start, members = group[0], set(group)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for v in frontier:
            for w in sorted(graph[v] & members):
                if w == start:
                    chain = [v]
                    while chain[-1] != start:
                        chain.append(came_from[chain[-1]])
                    return [*reversed(chain), start]
                if w not in came_from:
                    came_from[w] = v
                    following.append(w)
        frontier = following
    raise AssertionError(f"no cycle found in the group {group}")


def test_the_graph_is_read():
    graph = import_graph()
    assert "optimizer.model.registry" in graph["optimizer.model.build"]
    assert "models.scenario.schema" in graph["models.scenario.schema_doc"]


def test_cycles_are_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]


def test_imports_are_resolved_and_classified():
    source = """
import optimizer.model.grid
from . import pv
from .base import Asset
from .. import formats
from optimizer.model import registry, ASSETS_ALIAS
if TYPE_CHECKING:
    from models.inputs import Inputs
class C:
    from optimizer.model import storage
def f():
    from optimizer.cli import main
"""
    found = [(i.target, i.in_function, i.type_checking)
             for i in _walk("optimizer.model.build", False, ast.parse(source).body, False, False)]
    assert found == [
        ("optimizer.model.grid", False, False), ("optimizer.model.pv", False, False),
        ("optimizer.model.base", False, False), ("optimizer.formats", False, False),
        ("optimizer.model.registry", False, False), ("optimizer.model", False, False),
        ("models.inputs", False, True), ("optimizer.model.storage", False, False), ("optimizer.cli", True, False),
    ]


def test_no_import_cycles():
    found = cycles(import_graph())
    assert not found, "import cycles (module-level imports):\n" + "\n".join(" -> ".join(c) for c in found)


def test_models_never_import_optimizer():
    bad = [f"{imp.importer} (line {imp.line}{', in a function' if imp.in_function else ''}"
           f"{', under TYPE_CHECKING' if imp.type_checking else ''}) imports {imp.target}"
           for imp in imports() if imp.importer.split(".")[0] == "models" and imp.target.split(".")[0] == "optimizer"]
    assert not bad, "models must not import optimizer:\n" + "\n".join(bad)


def test_no_source_file_is_too_long():
    sizes = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
             for folder in SIZED_FOLDERS for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts}
    long = sorted(((n, path) for path, n in sizes.items() if n > MAX_LINES), reverse=True)
    assert not long, f"files over {MAX_LINES} lines:\n" + "\n".join(f"{path}: {n}" for n, path in long)

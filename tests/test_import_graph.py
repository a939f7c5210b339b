"""Imports run one way: no circle among docgen's modules or its packages, nothing imports the CLI.

The graph is drawn from the source with the ast module, every import counted:
at the top of a module, inside functions and under ``if TYPE_CHECKING``. An
import inside a function still ties two modules together; hiding a circle
there is how the old circles were held (by import order).

Two graphs are checked. Modules: ``docgen.fonts.resolve`` → ``docgen.fonts.sfnt``.
Rooms: each top-level package or module of docgen (``docgen.fonts``,
``docgen.spec``), the floors of the house; an import between two rooms must
never be answered by one back, however indirectly.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "docgen"
CLI = "docgen.cli"
# `python -m docgen` is the command line's own door: the one module beside cli/ that runs it.
ENTRY = "docgen.__main__"
MAX_LINES = 700


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _targets(node: ast.AST, module: str, is_package: bool, known: set[str]) -> Iterator[str]:
    """The docgen modules one import statement loads (a ``from p import name`` of a
    submodule loads that submodule; of anything else, ``p`` itself)."""

    def nearest(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    if isinstance(node, ast.Import):
        for alias in node.names:
            found = nearest(alias.name)
            if found:
                yield found
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            full = ".".join(base + ([node.module] if node.module else []))
        else:
            full = node.module or ""
        for alias in node.names:
            sub = f"{full}.{alias.name}"
            found = sub if sub in known else nearest(full)
            if found:
                yield found


def import_graph() -> dict[str, dict[str, int]]:
    """module → {imported docgen module: line of the first such import}."""
    modules = _modules()
    known = set(modules)
    graph: dict[str, dict[str, int]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        edges: dict[str, int] = {}
        for node in ast.walk(tree):
            for target in _targets(node, name, path.name == "__init__.py", known):
                if target != name:
                    edges.setdefault(target, node.lineno)
        graph[name] = edges
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _room(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _describe(cycle: list[str], graph: dict[str, dict[str, int]], room: bool = False) -> str:
    members = set(cycle)
    key = _room if room else (lambda m: m)
    arrows = [
        f"{m}:{line} → {t}"
        for m, edges in sorted(graph.items())
        for t, line in sorted(edges.items())
        if key(m) in members and key(t) in members and key(m) != key(t)
    ]
    return "、".join(cycle) + "\n    " + "\n    ".join(arrows)


def test_no_module_circle() -> None:
    graph = import_graph()
    cycles = _cycles({m: set(e) for m, e in graph.items()})
    assert not cycles, "import circles:\n" + "\n".join(_describe(c, graph) for c in cycles)


def test_no_package_circle() -> None:
    graph = import_graph()
    rooms: dict[str, set[str]] = {}
    for m, edges in graph.items():
        rooms.setdefault(_room(m), set()).update(_room(t) for t in edges if _room(t) != _room(m))
    cycles = _cycles(rooms)
    assert not cycles, "circles between packages:\n" + "\n".join(
        _describe(c, graph, room=True) for c in cycles
    )


def test_nothing_outside_the_cli_imports_it() -> None:
    graph = import_graph()
    offenders = [
        f"{m}:{line} → {t}"
        for m, edges in sorted(graph.items())
        if _room(m) != CLI and m != ENTRY
        for t, line in edges.items()
        if _room(t) == CLI
    ]
    assert not offenders, "the command line is imported from below:\n" + "\n".join(offenders)


def test_no_god_modules() -> None:
    big = {
        name: n
        for name, path in _modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not big, f"modules over {MAX_LINES} lines: {big}"


@pytest.mark.parametrize(
    "source, expected",
    [
        ("import docgen.spec", {"docgen.spec"}),
        ("from docgen import spec", {"docgen.spec"}),
        ("from docgen.fonts import FontSet", {"docgen.fonts"}),
        ("def f():\n    from docgen.cli import main", {"docgen.cli"}),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import docgen.loader",
            {"docgen.loader"},
        ),
    ],
)
def test_every_import_is_seen(source: str, expected: set[str]) -> None:
    known = set(_modules())
    found = {
        t for node in ast.walk(ast.parse(source)) for t in _targets(node, "docgen.x", False, known)
    }
    assert found == expected


def test_a_circle_is_found() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []

"""Imports point one way (style.md): milestones → projects, finance → projects, and only
relance imports all three."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "projects": {"milestones", "finance", "relance"},
    "milestones": {"finance", "relance"},
    "finance": {"milestones", "relance"},
}


def imported_packages(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_imports_point_one_way(app):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[app])
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    }
    assert {path: names for path, names in offenders.items() if names} == {}


# The import graph between the modules of the four apps (migrations excluded), for the cycle
# test below. A module is a node by its dotted name, a package by its own name (``pkg``, not
# ``pkg.__init__``). Every import counts, wherever it is written: at module level, inside a
# function, under ``if TYPE_CHECKING`` (a loop closed only by imports inside functions or
# for the type checker is a loop all the same). An import names the deepest module of the
# graph it reaches: ``from a.b import c`` is ``a.b.c`` when that is a module, else ``a.b``
# (the package's __init__, which defines or re-exports ``c``); a relative import is resolved
# against the importing module's package. The packages that Python runs on the way to a
# module (``a`` and ``a.b`` for ``import a.b.c``) are not edges: they are run before the
# module, whichever module imports it. No edge is ignored: a package's __init__ that
# re-exports its submodules imports them, and a submodule that imports from its own
# package's __init__ (``from . import name`` of a re-exported name) closes a loop with that
# re-export which works only by the order of the __init__'s imports; it imports the
# sibling module instead.
APPS = ("relance", "projects", "milestones", "finance")

MAX_LINES = 400


def app_modules() -> dict[str, Path]:
    """Every module of the four apps by its dotted name, migrations excluded."""
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def import_graph() -> dict[str, set[str]]:
    """Each module's imports of the other modules of the four apps (see above)."""
    modules = app_modules()

    def deepest(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str | None] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets |= {deepest(alias.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    source = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    source = node.module or ""
                for alias in node.names:
                    submodule = f"{source}.{alias.name}"
                    targets.add(submodule if submodule in modules else deepest(source))
        graph[name] = {target for target in targets if target and target != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan): each is a set of
    modules that import one another, directly or round about."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[frozenset[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def one_loop(graph: dict[str, set[str]], component: frozenset[str]) -> list[str]:
    """A shortest loop through the first module of ``component``, to show in a failure."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        module = queue.pop(0)
        for target in sorted(graph[module] & component):
            if target == start:
                return [*paths[module], start]
            if target not in paths:
                paths[target] = [*paths[module], target]
                queue.append(target)
    return sorted(component)


def test_import_graph_resolves_the_ways_of_importing():
    graph = import_graph()
    # from package import submodule; relative imports; a package is its __init__.
    assert "relance.services" in graph["relance.views.rounds"]
    assert "relance.summary.figures" in graph["relance.summary"]
    assert "projects.models" in graph["projects.permissions"]  # under TYPE_CHECKING
    assert "projects.grants" in graph["projects.models.rounds"]


def test_no_import_cycles():
    graph = import_graph()
    loops = {
        " → ".join(one_loop(graph, component)): sorted(component) for component in cycles(graph)
    }
    assert loops == {}, "modules that import one another, directly or round about"


def line_counts() -> dict[str, int]:
    return {
        str(path.relative_to(ROOT)): len(path.read_text().splitlines())
        for path in app_modules().values()
    }


def test_no_module_is_over_max_lines():
    long = {path: count for path, count in line_counts().items() if count > MAX_LINES}
    assert long == {}, f"past {MAX_LINES} lines: make the module a package"


def _clears_the_cache(tree: ast.AST) -> list[int]:
    """The lines that call ``cache.clear()``."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "clear"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "cache"
    ]


def test_no_test_empties_the_whole_cache():
    """On Redis, ``cache.clear()`` empties the whole database: the other xdist worker's keys
    and Celery's queued messages too (a dashboard test there missed its kept HTML). Tests
    empty their own keys with ``tests.conftest.empty_cache``, the one place allowed to
    clear a cache (and only one that is not Redis)."""
    assert _clears_the_cache(ast.parse("from django.core.cache import cache\ncache.clear()"))
    found = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path != ROOT / "tests" / "conftest.py"
        and (lines := _clears_the_cache(ast.parse(path.read_text())))
    }
    assert found == {}

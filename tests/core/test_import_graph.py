"""The apps import each other in one direction only (docs/architecture.md).

Every import counts, at module level or inside a function: an import placed in a function
dodges a circular import at load time, but the two apps still depend on each other.
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: The project's own apps (``marketplace`` is the project, ``bench`` and ``tests`` use them all).
APPS = (
    "core",
    "regions",
    "accounts",
    "catalog",
    "orders",
    "payments",
    "suppliers",
    "search",
    "procurement",
    "reports",
    "aftersales",
    "points",
    "frontend",
    "demo",
)

#: What an app must never import, whatever the route (besides cycles, which are all refused).
FORBIDDEN = {
    "core": set(APPS) - {"core"},
    "orders": {"payments", "procurement", "reports", "suppliers", "points", "frontend", "demo"},
    "payments": {"procurement", "reports", "suppliers", "points", "frontend", "demo"},
}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = path.relative_to(ROOT).with_suffix("").parts
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level]
                names.add(".".join(base + ((node.module,) if node.module else ())))
            elif node.module:
                names.add(node.module)
    return names


def app_graph() -> dict[str, set[str]]:
    """app -> the other apps it imports (migrations left out: they are history)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for module in _imported_modules(path):
                target = module.split(".")[0]
                if target in APPS and target != app:
                    graph[app].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of apps that reach each other (Tarjan's strongly connected components),
    each sorted, in the order found."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        for other in sorted(graph.get(app, ())):
            if other not in index:
                visit(other)
                low[app] = min(low[app], low[other])
            elif other in stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == app:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for app in sorted(set(graph) | {other for others in graph.values() for other in others}):
        if app not in index:
            visit(app)
    return groups


def test_no_two_apps_import_each_other():
    assert cycles(app_graph()) == []


def test_the_bottom_layers_do_not_import_the_apps_above_them():
    graph = app_graph()
    found = {app: sorted(graph.get(app, set()) & banned) for app, banned in FORBIDDEN.items()}
    assert found == {app: [] for app in FORBIDDEN}


def test_the_cycle_finder_finds_every_cycle_and_nothing_else():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a", "e"}, "e": {"d"}, "f": {"a"}}
    assert sorted(cycles(graph)) == [["a", "b", "c"], ["d", "e"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "d": {"c"}}) == []


def test_in_function_imports_count(tmp_path, monkeypatch):
    app = tmp_path / "alpha"
    app.mkdir()
    (app / "views.py").write_text("def f():\n    from beta.models import X\n    from . import y\n")
    monkeypatch.setattr("tests.core.test_import_graph.ROOT", tmp_path)
    assert _imported_modules(app / "views.py") == {"beta.models", "alpha"}

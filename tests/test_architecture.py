"""The house: helpers.py is a small front door, the package has one concern per module,
imports go one way, and the analyses never import the loader."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cnpress"
# Modules that read the columns the loader made and must not import it (or its cache).
ANALYSES = {"topics", "places", "maps", "quotes", "slogans", "trends"}
LOADER = {"items", "cache", "records"}
MAX_MODULE_LINES = 600


def package_imports():
    """{module: set of package modules it imports}, read from the source with ast."""
    graph = {}
    for path in sorted(PACKAGE.glob("*.py")):
        name = path.stem
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    deps.add(node.module.split(".")[0])
                else:  # from . import x, y
                    deps.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cnpress"):
                rest = node.module.split(".")[1:]
                deps.update(rest[:1] or [a.name for a in node.names])
        graph[name] = deps - {name}
    return graph


def find_cycle(graph):
    """A list of modules forming an import cycle, or None."""
    state = {}

    def visit(node, stack):
        state[node] = "open"
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == "open":
                return stack[stack.index(dep):] + [dep] if dep in stack else [node, dep]
            if dep not in state:
                found = visit(dep, stack + [dep])
                if found:
                    return found
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node, [node])
            if found:
                return found
    return None


def test_the_package_imports_have_no_cycle():
    assert find_cycle(package_imports()) is None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_analyses_never_import_the_loader():
    graph = package_imports()
    for module in ANALYSES & set(graph):
        assert not graph[module] & LOADER, f"{module} imports {graph[module] & LOADER}"


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_no_module_is_too_long(path):
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert n <= MAX_MODULE_LINES, f"{path.name} has {n} lines: split it by concern"


def test_helpers_is_a_short_front_door_of_re_exports():
    source = (ROOT / "helpers.py").read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 200
    tree = ast.parse(source)
    assert ast.get_docstring(tree)
    for node in tree.body:
        assert isinstance(node, (ast.Expr, ast.ImportFrom, ast.Assign)), ast.dump(node)[:80]
        if isinstance(node, ast.Assign):
            assert [t.id for t in node.targets] == ["__all__"]
    import helpers
    assert sorted(helpers.__all__) == sorted(set(helpers.__all__))
    for name in helpers.__all__:
        assert hasattr(helpers, name), name


def test_every_module_says_what_it_is_for():
    for path in sorted(PACKAGE.glob("*.py")):
        assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), path.name

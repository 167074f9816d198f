"""House rules that a reader should not have to re-check by hand: the core never
imports rich or typer, nothing evaluates text, files stay readable in one sitting."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "symderiv"
FILES = sorted(PACKAGE.rglob("*.py"))
EDGE = {PACKAGE / "render" / "console.py", PACKAGE / "__main__.py"} | set((PACKAGE / "cli").rglob("*.py"))
FORBIDDEN_NAMES = {"eval", "exec", "sympify", "parse_expr", "parse_latex", "compile", "__import__", "S"}
FORBIDDEN_METHODS = {"eval", "exec", "sympify", "parse_expr", "parse_latex"}  # re.compile is fine


def _tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@pytest.mark.parametrize("path", [p for p in FILES if p not in EDGE], ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_does_not_import_rich_or_typer(path: Path) -> None:
    for node in ast.walk(_tree(path)):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        assert not any(n.split(".")[0] in ("rich", "typer", "click") for n in names), f"{path}: {names}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_nothing_evaluates_text(path: Path) -> None:
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name):
                assert f.id not in FORBIDDEN_NAMES, f"{path}:{node.lineno} calls {f.id}"
            elif isinstance(f, ast.Attribute):
                assert f.attr not in FORBIDDEN_METHODS, f"{path}:{node.lineno} calls .{f.attr}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_files_stay_small_and_say_what_they_own(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= 600, f"{path} has grown past 600 lines: split it by responsibility"
    if text.strip():
        assert ast.get_docstring(_tree(path)), f"{path} has no docstring saying what it owns"


def test_docstring_examples_run() -> None:
    import doctest

    import symderiv
    import symderiv.claims

    for module in (symderiv, symderiv.claims):
        assert doctest.testmod(module).failed == 0


# --- import cycles: dependencies run one way ---------------------------------

def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in FILES}


def _resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def import_graph() -> dict[str, set[str]]:
    """module -> the symderiv modules it imports, at module level or inside functions alike."""
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        is_package = path.name == "__init__.py"
        tree = _tree(path)
        typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If) and _type_checking(block.test)
                       for stmt in block.body for n in ast.walk(stmt)}
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue  # imported for annotations only: no edge at run time
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                module = _resolve(name, is_package, node)
                for alias in node.names:  # `from . import x` imports the submodule x when there is one
                    sub = f"{module}.{alias.name}"
                    targets.append(sub if sub in MODULES else module)
            graph[name] |= {t for t in targets if t in MODULES and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles (move the shared type down): " + "; ".join(" ↔ ".join(sorted(c)) for c in found)


def test_the_cycle_finder_sees_function_level_imports_and_planted_cycles() -> None:
    graph = import_graph()
    assert "symderiv.outcome" in graph["symderiv.steps"]  # a module-level relative import
    assert "symderiv.derive" in graph["symderiv.verify"]  # `from . import derive`
    assert "symderiv.prove.claims" in graph["symderiv.claims.verdict"]  # a function-level import is an edge too
    assert "symderiv.documents.plan" not in graph["symderiv.documents.judge"]  # `if TYPE_CHECKING:` is not
    planted = {k: set(v) for k, v in graph.items()}
    planted["symderiv.steps"].add("symderiv.verify")  # the old steps → verify edge
    assert frozenset({"symderiv.steps", "symderiv.verify"}) in cycles(planted)
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [frozenset({"a", "b", "c"})]

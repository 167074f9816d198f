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

"""Advice that exists: every command-line option that a message, hint or suggestion of
symderiv names is an option of some symderiv command (a hint that says `--layout
numerator` when the option is `--convention` sends a reader nowhere)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import typer

from symderiv.cli import app

PACKAGE = Path(__file__).resolve().parent.parent / "symderiv"
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*[a-z0-9]")


def _options() -> set[str]:
    command = typer.main.get_command(app)
    out: set[str] = {"--help"}  # click adds it to every command
    stack = [command]
    while stack:
        c = stack.pop()
        for p in getattr(c, "params", []):
            out.update(o for o in getattr(p, "opts", []) + getattr(p, "secondary_opts", []) if o.startswith("--"))
        stack.extend(getattr(c, "commands", {}).values())
    return out


def _named_in_messages() -> dict[str, list[str]]:
    named: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for opt in OPTION.findall(node.value):
                    named.setdefault(opt, []).append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return named


def test_every_option_a_message_names_exists() -> None:
    options = _options()
    assert {"--convention", "--layout", "--context", "--strict"} <= options  # the reference itself is read
    missing = {opt: where for opt, where in _named_in_messages().items() if opt not in options}
    assert missing == {}


def test_negative_control_an_invented_option_is_caught() -> None:
    assert "--layout-numerator" not in _options() and "--layout" in _options()

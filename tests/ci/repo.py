"""A user's repository, built in the tests: notes with right and wrong equations, a backward pass
(right and buggy), and a .gitignored vendored folder whose false equation must not be reported."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .helpers import CONTEXT, FAILS, HOLDS, ROOT, UNCHECKED

BACKWARD = '''def backward(Z, W, b, G):
    return G @ W.T, Z.T @ G, G.sum(axis=0)


def buggy(Z, W, b, G):
    return G @ W.T, G.T @ Z, G.mean(axis=0)
'''

EXPECTED = {"holds": 2, "fails": 1, "unchecked": 1}  # over the whole repository, the vendored folder excluded
FAIL_LINE = 7  # the false equation's line in docs/notes.md


def build(root: Path, git: bool = True) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "notes.md").write_text(
        "# Backward pass\n\n" + CONTEXT.strip() + "\n\n" + HOLDS + "\n" + FAILS + "\n" + UNCHECKED, encoding="utf-8")
    (root / "docs" / "more.md").write_text(CONTEXT + HOLDS, encoding="utf-8")
    (root / "vendor" / "lib").mkdir(parents=True)
    (root / "vendor" / "lib" / "wrong.md").write_text(CONTEXT + FAILS, encoding="utf-8")
    (root / "node_modules" / "x").mkdir(parents=True)
    (root / "node_modules" / "x" / "README.md").write_text(CONTEXT + FAILS, encoding="utf-8")
    (root / ".gitignore").write_text("vendor/\n", encoding="utf-8")
    (root / "layer.py").write_text(BACKWARD, encoding="utf-8")
    (root / "README.md").write_text("# A project\n\nNo math in the README.\n", encoding="utf-8")
    if git:
        subprocess.run(["git", "init", "-q", str(root)], check=False)
    return root


def line_of_fail(root: Path) -> int:
    lines = (root / "docs" / "notes.md").read_text(encoding="utf-8").splitlines()
    return next(i for i, ln in enumerate(lines, 1) if "G X^\\top" in ln)


__all__ = ["BACKWARD", "EXPECTED", "ROOT", "build", "line_of_fail"]

"""Walking a repository: .gitignore files with git's rules (nested ones, negation), the default excludes
(.git, node_modules, virtual environments under any name, build folders, caches), the configuration's
exclude / extend-exclude, and one path convention (`notes.md`, never `./notes.md`)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from symderiv.documents.walk import expand_paths

from .helpers import CONTEXT, FAILS, HOLDS, symderiv


def tree(root: Path, files: list[str]) -> None:
    for name in files:
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("$$a = a$$\n" if name.endswith((".md", ".tex")) else "", encoding="utf-8")


def found(root: Path, *args: object, **kw: object) -> list[str]:
    old = os.getcwd()
    os.chdir(root)
    try:
        return expand_paths(["."], *args, **kw)  # type: ignore[arg-type]
    finally:
        os.chdir(old)


REPO = [
    "notes.md", "docs/a.tex", "docs/sub/b.md", "README.markdown", "code.py",
    ".git/x.md", ".github/y.md", "node_modules/katex/README.md", ".venv/lib/z.md", "venv/a.md",
    "myenv/pyvenv.cfg", "myenv/lib/site.md", "build/out.md", "dist/d.md", "__pycache__/c.md",
    "pkg.egg-info/PKG.md", "docs/_build/html.md",
]


def test_default_excludes(tmp_path: Path) -> None:
    tree(tmp_path, REPO)
    assert found(tmp_path) == ["README.markdown", "notes.md", "docs/a.tex", "docs/sub/b.md"]


def test_gitignore_with_gits_rules(tmp_path: Path) -> None:
    tree(tmp_path, [*REPO, "vendor/lib.md", "drafts/keep.md", "drafts/old.md", "docs/sub/generated.md", "deep/x/gen.md"])
    (tmp_path / ".git").mkdir(exist_ok=True)
    (tmp_path / ".gitignore").write_text("vendor/\ndrafts/*\n!drafts/keep.md\n# a comment\ngen.md\n", encoding="utf-8")
    (tmp_path / "docs" / "sub" / ".gitignore").write_text("generated.md\n", encoding="utf-8")
    got = found(tmp_path)
    assert "vendor/lib.md" not in got and "drafts/old.md" not in got and "docs/sub/generated.md" not in got
    assert "deep/x/gen.md" not in got  # a pattern without a slash matches at any depth
    assert "drafts/keep.md" in got  # negation re-includes
    assert "notes.md" in got and "docs/sub/b.md" in got
    # walking a subfolder still obeys the repository root's .gitignore (git's view)
    assert expand_paths([str(tmp_path / "drafts")]) == [str(tmp_path / "drafts" / "keep.md")]


def test_gitignore_agrees_with_git(tmp_path: Path) -> None:
    """The reference: git's own answer (`git ls-files --others --exclude-standard`) on the same tree."""
    if subprocess.run(["git", "--version"], capture_output=True).returncode != 0:
        pytest.skip("git is not installed")
    tree(tmp_path, ["a.md", "b/c.md", "b/d.md", "e/f/g.md", "h.md", "logs/i.md", "j/k.tex", "j/l.tex"])
    (tmp_path / ".gitignore").write_text("/h.md\nlogs\nb/*.md\n!b/d.md\n*.tex\n!j/l.tex\n", encoding="utf-8")
    (tmp_path / "e" / ".gitignore").write_text("f/\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    git = subprocess.run(["git", "ls-files", "--others", "--exclude-standard"], cwd=tmp_path, capture_output=True,
                         text=True, check=True).stdout.split()
    expected = sorted(p for p in git if p.endswith((".md", ".tex")))
    assert expected == ["a.md", "b/d.md", "j/l.tex"]  # the reference itself, against the hand-made tree
    assert sorted(found(tmp_path)) == expected


def test_exclude_and_extend_exclude(tmp_path: Path) -> None:
    tree(tmp_path, REPO + ["drafts/x.md"])
    assert "drafts/x.md" not in found(tmp_path, ("drafts/",), str(tmp_path))
    assert "docs/a.tex" not in found(tmp_path, ("*.tex",), str(tmp_path))
    replaced = found(tmp_path, (), str(tmp_path), ["build/"])  # exclude: the defaults are gone, its own apply
    assert "node_modules/katex/README.md" in replaced and "build/out.md" not in replaced
    assert "myenv/lib/site.md" not in replaced  # a virtual environment is never walked


def test_paths_are_normalised(tmp_path: Path) -> None:
    tree(tmp_path, ["notes.md", "docs/a.md"])
    assert found(tmp_path) == ["notes.md", "docs/a.md"]
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert expand_paths(["./notes.md", "docs/../notes.md", "docs/"]) == ["notes.md", "docs/a.md"]
    finally:
        os.chdir(old)


def test_check_dot_in_a_repository(tmp_path: Path) -> None:
    """End to end: a false equation in a gitignored vendored folder and in node_modules is not reported."""
    (tmp_path / "notes.md").write_text(CONTEXT + HOLDS, encoding="utf-8")
    for d in ("vendor", "node_modules/pkg", ".venv/lib"):
        (tmp_path / d).mkdir(parents=True)
        (tmp_path / d / "bad.md").write_text(CONTEXT + FAILS, encoding="utf-8")
    (tmp_path / ".gitignore").write_text("vendor/\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=False)
    r = symderiv("check", ".", "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert '"path": "notes.md"' in r.stdout and "bad.md" not in r.stdout
    control = symderiv("check", "vendor/bad.md", cwd=tmp_path)  # named explicitly, it is checked
    assert control.returncode == 1

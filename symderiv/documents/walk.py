"""Which files a check reads: files named on the command line as given, folders
walked for Markdown and LaTeX files the way git sees a repository (`.gitignore`
files with git's own pattern rules, through `pathspec`), minus the default
excludes (version control, node_modules, virtual environments, build and cache
folders) and the configuration's `exclude` / `extend-exclude` patterns.

Paths come out normalised (`notes.md`, never `./notes.md`) so that every
output format names a file the same way."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pathspec

SUFFIXES = (".md", ".markdown", ".mdown", ".tex", ".latex", ".ltx")

DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".*/",  # hidden folders: .git, .hg, .tox, .nox, .venv, .mypy_cache, .pytest_cache, .ruff_cache, …
    "node_modules/", "venv/", "__pycache__/", "site-packages/", "build/", "dist/", "_build/", "*.egg-info/",
)
"""Folders a walk never enters (gitignore patterns; `exclude` in [tool.symderiv] replaces them).
A folder holding a `pyvenv.cfg` (a virtual environment under any name) is skipped as well."""


@dataclass(frozen=True)
class _Ignore:
    """The patterns of one .gitignore file, relative to its folder."""

    base: str
    spec: pathspec.PathSpec

    def verdict(self, path: str, is_dir: bool) -> bool | None:
        rel = os.path.relpath(path, self.base)
        if rel.startswith(".."):
            return None
        rel = Path(rel).as_posix() + ("/" if is_dir else "")
        return self.spec.check_file(rel).include


def _gitignore(folder: str) -> _Ignore | None:
    p = os.path.join(folder, ".gitignore")
    try:
        with open(p, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    return _Ignore(folder, pathspec.GitIgnoreSpec.from_lines(lines))


def _above(folder: str) -> list[_Ignore]:
    """The .gitignore files of the folders above `folder`, up to the repository's root (the folder
    with .git), outermost first; none when `folder` is not inside a git repository."""
    here = Path(os.path.abspath(folder))
    chain = [here, *here.parents]
    for i, d in enumerate(chain):
        if (d / ".git").exists():
            found = [_gitignore(str(x)) for x in reversed(chain[1:i + 1])]
            return [g for g in found if g is not None]
    return []


def _ignored(path: str, is_dir: bool, ignores: list[_Ignore]) -> bool:
    """git's rule: the last matching pattern wins, deeper .gitignore files after shallower ones."""
    out = False
    for g in ignores:
        v = g.verdict(path, is_dir)
        if v is not None:
            out = v
    return out


class Excludes:
    """The user's patterns (relative to `root`, the configuration's folder, or the current one)
    and the defaults, as one gitignore-style matcher."""

    def __init__(self, patterns: tuple[str, ...] | list[str], root: str | None, defaults: bool = True) -> None:
        self.root = os.path.abspath(root or os.getcwd())
        self.user = pathspec.GitIgnoreSpec.from_lines(list(patterns))
        self.default = pathspec.GitIgnoreSpec.from_lines(list(DEFAULT_EXCLUDES) if defaults else [])

    def _rel(self, path: str, is_dir: bool) -> str:
        rel = os.path.relpath(os.path.abspath(path), self.root)
        if rel.startswith(".."):  # outside the configuration's folder: the path as given
            rel = os.path.normpath(path).lstrip("/")
        return Path(rel).as_posix() + ("/" if is_dir else "")

    def user_excludes(self, path: str, is_dir: bool = False) -> bool:
        return self.user.match_file(self._rel(path, is_dir))

    def excludes_folder(self, path: str) -> bool:
        name = os.path.basename(path) + "/"
        return (self.default.match_file(name) or self.user_excludes(path, True)
                or os.path.isfile(os.path.join(path, "pyvenv.cfg")))


def _norm(path: str) -> str:
    return path if path == "-" else os.path.normpath(path)


def walk(folder: str, excludes: Excludes) -> list[str]:
    """The Markdown and LaTeX files under `folder`, sorted, as git and the excludes allow."""
    out: list[str] = []
    inherited = _above(folder)
    stack: dict[str, list[_Ignore]] = {}
    for here, dirs, files in os.walk(folder):
        ignores = stack.pop(here, None)
        if ignores is None:
            ignores = inherited
        own = _gitignore(here)
        if own is not None:
            ignores = [*ignores, own]
        kept = []
        for d in sorted(dirs):
            p = os.path.join(here, d)
            if os.path.islink(p) or excludes.excludes_folder(p) or _ignored(p, True, ignores):
                continue
            kept.append(d)
            stack[p] = ignores
        dirs[:] = kept
        for f in sorted(files):
            p = os.path.join(here, f)
            if f.lower().endswith(SUFFIXES) and not _ignored(p, False, ignores) and not excludes.user_excludes(p):
                out.append(_norm(p))
    return out


def expand_paths(paths: list[str], ignore: tuple[str, ...] = (), root: str | None = None,
                 exclude: tuple[str, ...] | list[str] | None = None) -> list[str]:
    """Files as given (minus the user's excludes; "-" is stdin); folders walked (see `walk`).
    `ignore` are the extend-exclude patterns, `exclude` replaces the defaults when given,
    `root` is the folder the patterns are relative to (the configuration's)."""
    excludes = Excludes([*(exclude or ()), *ignore], root, defaults=exclude is None)
    out: list[str] = []
    for p in paths:
        if p != "-" and os.path.isdir(p):
            out += walk(p, excludes)
        elif p == "-" or not excludes.user_excludes(p):
            out.append(_norm(p))
    return list(dict.fromkeys(out))  # a file named twice (or found twice) is checked once

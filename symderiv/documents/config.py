"""`[tool.symderiv]` in the nearest pyproject.toml above the files: a default
context, strict, the convention, and which paths a walk skips. Read on every
supported Python (`tomllib`, or `tomli` on 3.10); an unknown key or a value of
the wrong type is one error line (exit 2), never silently ignored. The command
line wins over the file."""

from __future__ import annotations

import difflib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BadInput

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 (tests/ci/test_packaging.py)
    import tomli as tomllib

CONVENTIONS = ("gradient", "numerator")

KEYS: dict[str, str] = {
    "context": "a context in force from the top of every file, e.g. 'Y = X W + b; X: N x D'",
    "strict": "true or false: exit 1 on an unchecked claim too, exit 2 when nothing is found",
    "convention": "gradient or numerator",
    "exclude": "a list of gitignore-style patterns replacing the default excludes",
    "extend-exclude": "a list of gitignore-style patterns added to the default excludes",
    "ignore": "a list of gitignore-style patterns (the older name of extend-exclude)",
}
"""Every key [tool.symderiv] accepts, with what its value must be (the error messages quote it)."""


@dataclass
class Config:
    context: str | None = None
    strict: bool = False
    ignore: list[str] = field(default_factory=list)  # extend-exclude and ignore, together
    convention: str = "gradient"
    source: str | None = None  # the pyproject.toml read
    exclude: list[str] | None = None  # None: the default excludes

    @property
    def root(self) -> str | None:
        """The folder patterns are relative to: the configuration file's."""
        return os.path.dirname(self.source) if self.source else None


def find_pyproject(start: Path) -> Path | None:
    here = start.resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for d in (here, *here.parents):
        p = d / "pyproject.toml"
        if p.is_file():
            return p
    return None


def _patterns(p: Path, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise BadInput(f"{p}: [tool.symderiv] {key} must be {KEYS[key].replace('a list', 'a list (or one string)')}")
    return list(value)


def parse(section: Any, p: Path) -> Config:
    """A Config from the [tool.symderiv] table of `p`; BadInput names the first problem."""
    if not isinstance(section, dict):
        raise BadInput(f"{p}: [tool.symderiv] must be a table")
    for key in section:
        if key not in KEYS:
            close = difflib.get_close_matches(key.replace("_", "-"), list(KEYS), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known keys: {', '.join(KEYS)})"
            raise BadInput(f"{p}: [tool.symderiv] has an unknown key '{key}'{hint}")
    ctx = section.get("context")
    if ctx is not None and not isinstance(ctx, str):
        raise BadInput(f"{p}: [tool.symderiv] context must be a string such as 'Y = X W + b; X: N x D'")
    strict = section.get("strict", False)
    if not isinstance(strict, bool):
        raise BadInput(f"{p}: [tool.symderiv] strict must be true or false")
    convention = section.get("convention", "gradient")
    if convention not in CONVENTIONS:
        raise BadInput(f"{p}: [tool.symderiv] convention must be gradient or numerator, not {convention!r}")
    extend = _patterns(p, "ignore", section.get("ignore", [])) + _patterns(p, "extend-exclude", section.get("extend-exclude", []))
    exclude = _patterns(p, "exclude", section["exclude"]) if "exclude" in section else None
    return Config(ctx, strict, extend, convention, str(p), exclude)


def load(paths: list[str]) -> Config:
    """The configuration for a run over `paths`: the first path's nearest pyproject.toml (the
    current folder's for stdin), or the defaults when there is none or it has no [tool.symderiv]."""
    start = Path(paths[0]) if paths and paths[0] != "-" else Path(os.getcwd())
    p = find_pyproject(start)
    if p is None:
        return Config()
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BadInput(f"cannot read {p}: {exc}") from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise BadInput(f"{p}: tool must be a table ([tool.symderiv])")
    if "symderiv" not in tool:
        return Config(source=str(p))
    return parse(tool["symderiv"], p)

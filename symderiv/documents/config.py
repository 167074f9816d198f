"""`[tool.symderiv]` in the nearest pyproject.toml above the files: a default
context, strict, ignored paths (glob patterns), the convention. The command line wins."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BadInput


@dataclass
class Config:
    context: str | None = None
    strict: bool = False
    ignore: list[str] = field(default_factory=list)
    convention: str = "gradient"
    source: str | None = None  # the pyproject.toml read


def find_pyproject(start: Path) -> Path | None:
    here = start.resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for d in (here, *here.parents):
        p = d / "pyproject.toml"
        if p.is_file():
            return p
    return None


def load(paths: list[str]) -> Config:
    start = Path(paths[0]) if paths else Path(os.getcwd())
    p = find_pyproject(start)
    if p is None:
        return Config()
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # Python 3.10
        return Config(source=str(p))
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadInput(f"cannot read {p}: {exc}") from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise BadInput(f"{p}: tool must be a table ([tool.symderiv])")
    sec = tool.get("symderiv", {})
    if not isinstance(sec, dict):
        raise BadInput(f"{p}: [tool.symderiv] must be a table")
    ignore = sec.get("ignore", [])
    if isinstance(ignore, str):
        ignore = [ignore]
    if not isinstance(ignore, list) or not all(isinstance(x, str) for x in ignore):
        raise BadInput(f"{p}: [tool.symderiv] ignore must be a list of glob patterns")
    ctx = sec.get("context")
    if ctx is not None and not isinstance(ctx, str):
        raise BadInput(f"{p}: [tool.symderiv] context must be a string such as 'Y = X W + b; X: N x D'")
    strict = sec.get("strict", False)
    if not isinstance(strict, bool):
        raise BadInput(f"{p}: [tool.symderiv] strict must be true or false")
    convention = sec.get("convention", "gradient")
    if convention not in ("gradient", "numerator"):
        raise BadInput(f"{p}: [tool.symderiv] convention must be gradient or numerator")
    return Config(ctx, strict, list(ignore), convention, str(p))

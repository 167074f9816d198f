"""Finding the user's backward: `path/to/file.py:name` or `package.module:name`.
Loading a module runs the user's code (by design: it is their backward to check);
every way it can go wrong becomes one `UserCodeError` line."""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import os
import sys
import traceback
from pathlib import Path
from typing import Any

from ..errors import Signalled, SymderivError

PASSES = (KeyboardInterrupt, Signalled)  # never the user's error: the run is being ended


class UserCodeError(SymderivError):
    """The user's function cannot be loaded or called; `details` keeps their traceback
    (shown only with --traceback)."""

    def __init__(self, message: str, hint: str | None = None, details: str = "") -> None:
        super().__init__(message, hint)
        self.details = details


def describe_exception(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def user_traceback(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def split_target(target: str) -> tuple[str, str]:
    """`where:name` split at the last colon; BadInput-style error when there is none."""
    where, sep, name = target.rpartition(":")
    if not sep or not where or not name:
        raise UserCodeError(f"cannot read the target {target!r}",
                            hint="write path/to/file.py:name or package.module:name")
    return where, name


def _is_path(where: str) -> bool:
    return where.endswith(".py") or "/" in where or os.sep in where


def _module_from_file(where: str) -> Any:
    path = Path(where)
    if not path.is_file():
        raise UserCodeError(f"no such file: {where}")
    name = "symderiv_user_" + "".join(c if c.isalnum() else "_" for c in str(path.resolve()))
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise UserCodeError(f"cannot load {where} as Python source")
    module = importlib.util.module_from_spec(spec)
    folder = str(path.resolve().parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)  # so the user's file can import its neighbours
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)  # runs the user's code: that is what loading means
    except BaseException as exc:  # noqa: BLE001 - any failure of user code is reported, never raised on
        sys.modules.pop(name, None)
        if isinstance(exc, PASSES):
            raise
        raise UserCodeError(f"loading {where} raised {describe_exception(exc)}", details=user_traceback(exc)) from None
    return module


def _module_by_name(where: str) -> Any:
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())  # as `python -m` would
    try:
        return importlib.import_module(where)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (where == exc.name or where.startswith(exc.name + ".")):
            raise UserCodeError(f"no module named {where!r}",
                                hint="run from the folder that holds it, or give a path/to/file.py") from None
        raise UserCodeError(f"importing {where} raised {describe_exception(exc)}", details=user_traceback(exc)) from None
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, PASSES):
            raise
        raise UserCodeError(f"importing {where} raised {describe_exception(exc)}", details=user_traceback(exc)) from None


def load(target: str) -> Any:
    """The object named by `target`, which must be callable (a function or an autograd.Function class)."""
    where, name = split_target(target)
    module = _module_from_file(where) if _is_path(where) else _module_by_name(where)
    obj: Any = module
    for part in name.split("."):
        if not hasattr(obj, part):
            public = [a for a in dir(obj) if not a.startswith("_")]
            close = difflib.get_close_matches(part, public, n=1)
            raise UserCodeError(f"{where} has no attribute {part!r}", hint=f"did you mean {close[0]!r}?" if close else None)
        obj = getattr(obj, part)
    if not callable(obj):
        raise UserCodeError(f"{target} is not callable (it is a {type(obj).__name__})",
                            hint="name the backward function or the autograd.Function class")
    return obj

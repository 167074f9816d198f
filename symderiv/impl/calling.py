"""The contract `backward(Z, W, b, G) -> (dZ, dW, db)` (or `(Z, W, G) -> (dZ, dW)`
without a bias): call the user's function on fresh copies, collect its outputs,
and notice inputs it changed in place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .loading import UserCodeError, describe_exception, user_traceback
from .report import Shape

Outputs = dict[str, Any]


def names(bias: bool) -> tuple[str, ...]:
    return ("dZ", "dW", "db") if bias else ("dZ", "dW")


def _at(shape: Shape) -> str:
    return "×".join(map(str, shape))


def run_user(label: str, shape: Shape, thunk: Callable[[], Any]) -> Any:
    """Call user code; anything it raises becomes one UserCodeError line naming the shape."""
    try:
        return thunk()
    except BaseException as exc:  # noqa: BLE001 - the user's exception is the report, not our crash
        raise user_error(label, shape, exc) from None


def user_error(label: str, shape: Shape, exc: BaseException) -> BaseException:
    """The one line for an exception raised by the user's code (KeyboardInterrupt stays itself)."""
    if isinstance(exc, KeyboardInterrupt):
        return exc
    return UserCodeError(f"{label} raised {describe_exception(exc)} at m×k×n = {_at(shape)}",
                         details=user_traceback(exc))


def unpack(label: str, result: Any, bias: bool) -> Outputs:
    """The returned tuple as {dZ, dW, db}; a missing db stays None (its own finding)."""
    want = names(bias)
    if not isinstance(result, (tuple, list)):
        raise UserCodeError(f"{label} returned a {type(result).__name__}, expected a tuple ({', '.join(want)})")
    if len(result) < 2 or len(result) > len(want):
        raise UserCodeError(f"{label} returned {len(result)} values, expected {len(want)} ({', '.join(want)})")
    return {name: (result[i] if i < len(result) else None) for i, name in enumerate(want)}


def call_numpy(fn: Callable[..., Any], label: str, inputs: dict[str, np.ndarray], bias: bool,
               shape: Shape) -> tuple[Outputs, list[str]]:
    """fn(Z, W, b, G); returns the outputs and the names of inputs it modified.

    The inputs go in read-only (no copy, so large shapes cost nothing extra); a function
    that writes into one is called again on writable copies, to name what it changed."""
    order = ("Z", "W", "b", "G") if bias else ("Z", "W", "G")
    frozen = {k: inputs[k].view() for k in order}
    for a in frozen.values():
        a.flags.writeable = False
    try:
        result = fn(*(frozen[k] for k in order))
        return unpack(label, result, bias), []
    except ValueError as exc:
        if "read-only" not in str(exc):
            raise user_error(label, shape, exc) from None
    except BaseException as exc:  # noqa: BLE001
        raise user_error(label, shape, exc) from None
    given = {k: inputs[k].copy() for k in order}
    result = run_user(label, shape, lambda: fn(*(given[k] for k in order)))
    modified = [k for k in order if given[k].shape != inputs[k].shape or not np.array_equal(given[k], inputs[k])]
    return unpack(label, result, bias), modified

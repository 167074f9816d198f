"""The contract `backward(Z, W, b, G) -> (dZ, dW, db)` (or `(Z, W, G) -> (dZ, dW)`
without a bias): call the user's NumPy function on the inputs, collect its outputs,
notice inputs it changed in place and outputs that are views of inputs; an exception
from the user's code becomes one line, with its likely cause where there is one."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .loading import PASSES, UserCodeError, describe_exception, user_traceback
from .report import Shape

Outputs = dict[str, Any]


@dataclass
class Call:
    """What one call returned: the outputs by name, the inputs it modified, notes (views, summed gradients)."""

    outputs: Outputs
    modified: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    forward: Any = None  # torch: the forward's output, to compare with a forward under no_grad


def names(bias: bool) -> tuple[str, ...]:
    return ("dZ", "dW", "db") if bias else ("dZ", "dW")


def order(bias: bool) -> tuple[str, ...]:
    return ("Z", "W", "b", "G") if bias else ("Z", "W", "G")


def at(shape: Shape) -> str:
    return "×".join(map(str, shape))


def run_user(label: str, shape: Shape, thunk: Callable[[], Any], layout: str = "zw", framework: str = "numpy") -> Any:
    """Call user code; anything it raises becomes one UserCodeError line naming the shape."""
    try:
        return thunk()
    except BaseException as exc:  # noqa: BLE001 - the user's exception is the report, not our crash
        raise user_error(label, shape, exc, layout, framework) from None


_SHAPE_ERROR = re.compile(r"matmul|not aligned|cannot be multiplied|size mismatch|could not be broadcast|"
                          r"mismatch in its core dimension|shapes? .* (?:and|vs) |operands could not|"
                          r"must match the size|dimension mismatch|inconsistent", re.IGNORECASE)
_TORCH_API = re.compile(r"'numpy\.ndarray' object has no attribute '(t|mm|matmul|detach|clone|contiguous|to|cuda|"
                        r"size|numel|new_zeros|unsqueeze|squeeze_|add_|mul_|zero_|data_ptr|is_contiguous|view|expand)'|"
                        r"unexpected keyword argument 'dim'|must be Tensor, not numpy\.ndarray|"
                        r"expected Tensor as element|Tensor, not numpy", re.IGNORECASE)


def likely_cause(exc: BaseException, layout: str, framework: str) -> str | None:
    """The hint for an exception whose usual cause is an option: the other layout, or torch."""
    text = f"{type(exc).__name__}: {exc}"
    if framework == "numpy" and _TORCH_API.search(text):
        return "it looks like torch code called on NumPy arrays: try --framework torch"
    if isinstance(exc, (ValueError, RuntimeError, IndexError)) and _SHAPE_ERROR.search(text):
        other = "zwt" if layout == "zw" else "zw"
        w = "k×n" if layout == "zw" else "n×k"
        return f"a shape error: W is {w} in layout {layout}; if your W is the other way round, try --layout {other}"
    return None


def user_error(label: str, shape: Shape, exc: BaseException, layout: str = "zw", framework: str = "numpy") -> BaseException:
    """The one line for an exception raised by the user's code (an interrupt or a signal stays itself)."""
    if isinstance(exc, PASSES):
        return exc
    if isinstance(exc, UserCodeError):
        return exc
    if isinstance(exc, MemoryError):
        return UserCodeError(f"{label} ran out of its memory budget at m×k×n = {at(shape)} ({describe_exception(exc)})",
                             hint="raise the budget with --max-memory, e.g. --max-memory 4G; see docs/limits.md")
    return UserCodeError(f"{label} raised {describe_exception(exc)} at m×k×n = {at(shape)}",
                         hint=likely_cause(exc, layout, framework), details=user_traceback(exc))


def unpack(label: str, result: Any, bias: bool) -> Outputs:
    """The returned tuple as {dZ, dW, db}; a missing db stays None (its own finding)."""
    want = names(bias)
    if not isinstance(result, (tuple, list)):
        raise UserCodeError(f"{label} returned a {type(result).__name__}, expected a tuple ({', '.join(want)})")
    if len(result) < 2 or len(result) > len(want):
        raise UserCodeError(f"{label} returned {len(result)} values, expected {len(want)} ({', '.join(want)})")
    out = {name: (result[i] if i < len(result) else None) for i, name in enumerate(want)}
    for name, value in out.items():
        if not _array_like(value):
            raise UserCodeError(f"{label} returned a {type(value).__name__} as {name}, expected an array of numbers")
    return out


def _array_like(value: Any) -> bool:
    """An output that can be judged as numbers: an array, a number, nested lists, a tensor, a symbolic
    entry (symbolic mode), or None (a missing gradient, its own finding). A string, a dict, a set or an
    arbitrary object is not: the code returned the wrong type (exit 2)."""
    if value is None or isinstance(value, (bool, int, float, complex, list, tuple, np.ndarray, np.generic)):
        return True
    if hasattr(value, "__array__") or hasattr(value, "__array_interface__"):
        return True
    return type(value).__module__.split(".")[0] in ("symengine", "sympy", "torch")


def _views(outputs: Outputs, inputs: dict[str, np.ndarray]) -> list[str]:
    notes = []
    for name, out in outputs.items():
        if not isinstance(out, np.ndarray):
            continue
        for k, a in inputs.items():
            if np.may_share_memory(out, a):
                try:
                    shared = np.shares_memory(out, a, max_work=100_000)
                except np.exceptions.TooHardError:
                    shared = True
                if shared:
                    notes.append(f"{name} is a view of the input {k} (it shares its memory); not wrong by itself, "
                                 f"but changing {k} later changes {name}")
    return notes


def call_numpy(fn: Callable[..., Any], label: str, inputs: dict[str, np.ndarray], bias: bool,
               shape: Shape, layout: str = "zw") -> Call:
    """fn(Z, W, b, G): its outputs, the names of inputs it modified, and outputs that view inputs.

    The inputs go in read-only (no copy, so large shapes cost nothing extra); a function
    that writes into one is called again on writable copies, to name what it changed."""
    keys = order(bias)
    frozen = {k: inputs[k].view() for k in keys}
    for a in frozen.values():
        a.flags.writeable = False
    try:
        result = fn(*(frozen[k] for k in keys))
        outputs = unpack(label, result, bias)
        return Call(outputs, [], _views(outputs, frozen))
    except ValueError as exc:
        if "read-only" not in str(exc):
            raise user_error(label, shape, exc, layout) from None
    except BaseException as exc:  # noqa: BLE001
        raise user_error(label, shape, exc, layout) from None
    given = {k: inputs[k].copy() for k in keys}
    result = run_user(label, shape, lambda: fn(*(given[k] for k in keys)), layout)
    modified = [k for k in keys if given[k].shape != inputs[k].shape or not np.array_equal(given[k], inputs[k])]
    outputs = unpack(label, result, bias)
    return Call(outputs, modified, _views(outputs, given))

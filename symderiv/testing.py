"""Helpers for a user's own tests: `assert_backward(fn, …)` checks a backward
implementation against the derived gradients and raises AssertionError with the
same report `symderiv check-impl` prints (the pytest plugin offers it as a fixture)."""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from typing import Any

__all__ = ["assert_backward"]


def _where(fn: Any) -> str:
    """file:function for the first line of a failure (the file relative to the current folder when inside it)."""
    name = getattr(fn, "__qualname__", None) or repr(fn)
    try:
        path = inspect.getsourcefile(fn) or ""
    except TypeError:
        path = ""
    if not path:
        return name
    rel = os.path.relpath(path)
    return f"{path if rel.startswith('..') else rel}:{name}"


def assert_backward(fn: Callable[..., Any], m: int = 3, k: int = 2, n: int = 4, layout: str | None = None,
                    bias: bool = True, mode: str = "auto", trials: int | None = None, seed: int = 0,
                    framework: str = "auto", device: str = "auto", extra_shapes: bool = True, dtype: str = "float64",
                    bound: float = 1e-9) -> Any:
    """Return the Report when `fn` is right; raise AssertionError with the report (or the error) when not.

    `fn(Z, W, b, G) -> (dZ, dW, db)`, or `fn(Z, W, G) -> (dZ, dW)` with bias=False, or a
    torch.autograd.Function subclass; the options mean what they mean for `symderiv check-impl`."""
    __tracebackhide__ = True  # pytest shows the user's test line, not symderiv's frames
    from .impl import check_impl
    from .impl.loading import UserCodeError

    label = _where(fn)
    try:
        report = check_impl(fn, label, m=m, k=k, n=n, layout=layout, bias=bias, mode=mode, trials=trials, seed=seed,
                            framework=framework, device=device, extra_shapes=extra_shapes, dtype=dtype, bound=bound)
    except UserCodeError as exc:
        raise AssertionError(f"{label}: cannot be checked: {exc.line()}\n{exc.details}") from None
    if not report.ok:
        raise AssertionError(f"{label}: {report.first_failure()}\n" + report.text())
    return report

"""Helpers for a user's own tests: `assert_backward(fn, …)` checks a backward
implementation against the derived gradients and raises AssertionError with the
same report `symderiv check-impl` prints (the pytest plugin offers it as a fixture)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["assert_backward"]


def assert_backward(fn: Callable[..., Any], m: int = 3, k: int = 2, n: int = 4, layout: str = "zw", bias: bool = True,
                    mode: str = "auto", trials: int | None = None, seed: int = 0, framework: str = "auto", device: str = "auto",
                    extra_shapes: bool = True, dtype: str = "float64") -> Any:
    """Return the Report when `fn` is right; raise AssertionError with the report (or the error) when not.

    `fn(Z, W, b, G) -> (dZ, dW, db)`, or `fn(Z, W, G) -> (dZ, dW)` with bias=False, or a
    torch.autograd.Function subclass; the options mean what they mean for `symderiv check-impl`."""
    from .impl import check_impl
    from .impl.loading import UserCodeError

    label = getattr(fn, "__qualname__", None) or repr(fn)
    try:
        report = check_impl(fn, label, m=m, k=k, n=n, layout=layout, bias=bias, mode=mode, trials=trials, seed=seed,
                            framework=framework, device=device, extra_shapes=extra_shapes, dtype=dtype)
    except UserCodeError as exc:
        raise AssertionError(f"symderiv: {exc.line()}\n{exc.details}") from None
    if not report.ok:
        raise AssertionError("symderiv: the backward is wrong\n" + report.text())
    return report

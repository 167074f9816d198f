"""Exact symbolic mode: the user's NumPy code runs on object arrays of symengine
symbols, and every returned entry is compared with the derived gradient as a
polynomial (expand the difference, test for zero)."""

from __future__ import annotations

from typing import Any

import numpy as np
import symengine as se

from ..shapes import Spec
from .reference import Contraction, derived


def _exact_float(x: float) -> Any:
    """A float is a dyadic rational: the same number, exactly (NaN and ±inf stay themselves: never equal)."""
    x = float(x)
    if x != x or x in (float("inf"), float("-inf")):
        return se.nan if x != x else (se.oo if x > 0 else -se.oo)
    num, den = x.as_integer_ratio()
    return se.Rational(num, den)


def _as_expr(x: Any) -> Any:
    """An entry as an exact expression: booleans are 0 and 1 (a mask's True times g is g), a float constant its
    exact rational value, also inside a product or sum the user's code formed (`True*g`, `1.0*g`)."""
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, bool):
        return se.Integer(int(x))
    if isinstance(x, int):
        return se.Integer(x)
    if isinstance(x, float):
        return _exact_float(x)
    if isinstance(x, se.Basic):
        swap: dict[Any, Any] = {a: _exact_float(float(a)) for a in x.atoms(se.RealDouble)}
        if _has_boolean(x):  # Basic.has takes only symbols in symengine 0.14 (Python 3.10): walk instead
            swap.update({se.true: se.Integer(1), se.false: se.Integer(0)})
        return x.xreplace(swap) if swap else x
    return x


def _has_boolean(x: Any) -> bool:
    stack = [x]
    while stack:
        e = stack.pop()
        if e == se.true or e == se.false:
            return True
        stack.extend(e.args)
    return False


class SymbolicArith:
    """Exact comparison on the derived polynomials of one shape."""

    name = "symbolic"

    def __init__(self, spec: Spec) -> None:
        self.dims = {"m": spec.m, "k": spec.k, "n": spec.n}
        self.symbols, self.grads = derived(spec)
        self.inputs = {"Z": self.symbols.Z, "W": self.symbols.W, "G": self.symbols.G}
        if self.symbols.b is not None:
            self.inputs["b"] = self.symbols.b

    def exact(self, raw: Any, name: str) -> tuple[np.ndarray, tuple[int, ...] | None]:
        U = np.array(raw, dtype=object)
        flat = U.reshape(-1)
        for i in range(flat.size):
            flat[i] = _as_expr(flat[i])
        return U, None

    def reference(self, name: str) -> np.ndarray | None:
        return self.grads.get(name)

    def evaluate(self, c: Contraction, transform: dict[str, str] | None = None) -> np.ndarray | None:
        if transform is not None:
            return None  # casts and clamps do not apply to symbols; the integer mode finds them
        try:
            return c.apply(self.inputs)
        except ValueError:
            return None

    def same(self, a: Any, b: Any) -> bool:
        try:
            return bool(se.expand(a - b) == 0)
        except Exception:  # noqa: BLE001 - an entry that is no number (an object the code returned) differs
            return False

    def first_diff(self, name: str, U: np.ndarray) -> tuple[int, ...] | None:
        R = self.grads[name]
        for index, r in np.ndenumerate(R):
            if not self.same(U[index], r):
                return index
        return None

    def entry(self, name: str, index: tuple[int, ...]) -> Any:
        return self.grads[name][index]

    def show(self, x: Any) -> str:
        return str(se.expand(x)) if hasattr(x, "expand") else str(x)

    def equal(self, U: np.ndarray, C: np.ndarray, den: int = 1) -> bool:
        try:
            return all(self.same(u * den, c) for u, c in zip(U.flat, C.flat))
        except Exception:  # noqa: BLE001 - entries that are no numbers match no known mistake
            return False

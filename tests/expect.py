"""Expectations built independently of symderiv: plain sympy, index formulas
straight from math.md. Tests compare symderiv's results against these."""

from __future__ import annotations

import sympy as sp


def sym(letter: str, *idx: int) -> sp.Symbol:
    return sp.Symbol("_".join([letter, *map(str, idx)]))


def mat(letter: str, rows: int, cols: int) -> sp.Matrix:
    return sp.Matrix(rows, cols, lambda i, j: sym(letter, i + 1, j + 1))


def grad_W(m: int, k: int, n: int, layout: str = "zw") -> sp.Matrix:
    """zw: entry (p,q) = Σ_i z_{i,p} g_{i,q} (k×n). zwt: W is n×k, entry (p,q) = Σ_i g_{i,p} z_{i,q}."""
    if layout == "zw":
        return sp.Matrix(k, n, lambda p, q: sum(sym("z", i, p + 1) * sym("g", i, q + 1) for i in range(1, m + 1)))
    return sp.Matrix(n, k, lambda p, q: sum(sym("g", i, p + 1) * sym("z", i, q + 1) for i in range(1, m + 1)))


def grad_Z(m: int, k: int, n: int, layout: str = "zw") -> sp.Matrix:
    """zw: entry (p,q) = Σ_j g_{p,j} w_{q,j}. zwt: Σ_j g_{p,j} w_{j,q}."""
    if layout == "zw":
        return sp.Matrix(m, k, lambda p, q: sum(sym("g", p + 1, j) * sym("w", q + 1, j) for j in range(1, n + 1)))
    return sp.Matrix(m, k, lambda p, q: sum(sym("g", p + 1, j) * sym("w", j, q + 1) for j in range(1, n + 1)))


def grad_B(m: int, n: int) -> sp.Matrix:
    """Column sums: entry q = Σ_i g_{i,q}."""
    return sp.Matrix(1, n, lambda _, q: sum(sym("g", i, q + 1) for i in range(1, m + 1)))


def a_entries(m: int, k: int, n: int, layout: str = "zw", bias: bool = True) -> sp.Matrix:
    def a(i: int, j: int) -> sp.Expr:
        w = (lambda l: sym("w", l, j + 1)) if layout == "zw" else (lambda l: sym("w", j + 1, l))
        return sum(sym("z", i + 1, l) * w(l) for l in range(1, k + 1)) + (sym("b", j + 1) if bias else 0)

    return sp.Matrix(m, n, a)


def naive_sumsq_gradients(m: int, k: int, n: int, layout: str, bias: bool) -> dict[str, sp.Matrix]:
    """L = ½ Σ a², expanded in full and differentiated by sympy's diff, entry by entry."""
    A = a_entries(m, k, n, layout, bias)
    L = sp.expand(sp.Rational(1, 2) * sum(x**2 for x in A))
    wr, wc = (k, n) if layout == "zw" else (n, k)
    out = {
        "W": sp.Matrix(wr, wc, lambda p, q: sp.diff(L, sym("w", p + 1, q + 1))),
        "Z": sp.Matrix(m, k, lambda p, q: sp.diff(L, sym("z", p + 1, q + 1))),
    }
    if bias:
        out["B"] = sp.Matrix(1, n, lambda _, q: sp.diff(L, sym("b", q + 1)))
    return out


def same(a: sp.Matrix, b: sp.Matrix) -> bool:
    return a.shape == b.shape and all(sp.expand(x - y) == 0 for x, y in zip(a, b))


def to_sympy(grid) -> sp.Matrix:
    """A symderiv Grid (rows of symengine expressions) as a sympy Matrix."""
    return sp.Matrix([[sp.sympify(x) for x in row] for row in grid.rows])

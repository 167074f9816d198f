"""The red-team truth's own mathematics: explicit sympy symbol matrices at chosen sizes,
gradients by differentiating entry by entry. Shares no code with symderiv."""

from __future__ import annotations

import sympy as sp

Matrix = sp.Matrix


def T(a):  # noqa: N802 - the transpose, as written
    return a.T


def ones(n: int) -> sp.Matrix:
    return sp.ones(n, 1)


def tr(a: sp.Matrix):
    return a.trace()


def frob2(a) -> sp.Expr:
    a = a if isinstance(a, sp.MatrixBase) else sp.Matrix([[a]])
    return sum(x**2 for x in a)


def had(a: sp.Matrix, b: sp.Matrix) -> sp.Matrix:
    return a.multiply_elementwise(b)


def scalar(x) -> sp.Expr:
    """A 1×1 matrix as its entry; anything else unchanged."""
    if isinstance(x, sp.MatrixBase):
        if x.shape != (1, 1):
            raise ValueError(f"not 1×1: {x.shape}")
        return x[0, 0]
    return x


def grad(f, x):
    """∂f/∂x for a scalar f: the shape of x (the gradient layout)."""
    f = scalar(f)
    if isinstance(x, sp.MatrixBase):
        return sp.Matrix(x.shape[0], x.shape[1], lambda i, j: sp.diff(f, x[i, j]))
    return sp.diff(f, x)


def jac_den(y: sp.Matrix, x: sp.Matrix) -> sp.Matrix:
    """∂y/∂x for vectors in the denominator (gradient) layout: entry (i, j) is ∂y_j/∂x_i."""
    return sp.Matrix(len(x), len(y), lambda i, j: sp.diff(y[j], x[i]))


def loss_g(g: sp.Matrix, y: sp.Matrix) -> sp.Expr:
    """A loss whose gradient with respect to y is g (g free): Σ g∘y."""
    return sum(a * b for a, b in zip(g, y))


def bias_rows(b: sp.Matrix, rows: int) -> sp.Matrix:
    """A bias (a column of length n) broadcast over `rows` rows: 𝟏 bᵀ."""
    return ones(rows) * b.T

"""Labels of anneyang-partials.md: dy/dx read as the Jacobian ∂y_i/∂x_j (numerator layout: the only layout
in which both of the first two lines hold, so the notes' own); y = xW has a row x. The entry statements
∂y_i/∂W_ij are decided against their true value x_j (for Y = WX, the row X_j)."""

from __future__ import annotations

import sympy as sp

try:
    from ._truth import Entry, build, col, jac, main, mat, row, same
except ImportError:
    from _truth import Entry, build, col, jac, main, mat, row, same

DOC = "anneyang-partials.md"
SIZES = [dict(n=3, m=2, k=4), dict(n=2, m=4, k=3)]


def wx(s):
    W, x = mat("w", s["m"], s["n"]), col("x", s["n"])
    return same(jac(W * x, x), W)


def xw(s):
    W, x = mat("w", s["n"], s["m"]), row("x", s["n"])
    return same(jac(x * W, x), W.T)


def entry_vec(s):
    W, x = mat("w", s["m"], s["n"]), col("x", s["n"])
    y = W * x
    return all(same(sp.diff(y[i], W[i, j]), x[i]) for i in range(s["m"]) for j in range(s["n"]) if i < s["n"])


def entry_mat(s):
    W, X = mat("w", s["m"], s["n"]), mat("x", s["n"], s["k"])
    Y = W * X
    return all(same(sp.diff(Y[i, :], W[i, j]), X[i, :]) for i in range(s["m"]) for j in range(s["n"]) if i < s["n"])


ENTRIES = [
    Entry(r"$$y=Wx \quad \frac{d\vec{y}}{d\vec{x}}=W$$", False,
          "y = Wx defines y; its Jacobian is W (numerator layout, not stated)", check=wx),
    Entry(r"$$y=xW \quad", False, "a row x: the Jacobian of xW is Wᵀ (numerator layout, not stated)", check=xw),
    Entry(r"$$y=Wx \quad \frac{d\vec{y_{i}}}{W_{i,j}}", False,
          "∂y_i/∂W_ij is x_j, not x_i (and the d's of a differential are mixed into a derivative)", check=entry_vec),
    Entry(r"$$Y=WX \quad", False, "∂Y_i/∂W_ij is the row X_j, not x_i", check=entry_mat),
]


def labels() -> dict:
    return build(DOC, "Jacobians ∂y_i/∂x_j; the layer in the line's own first equation", SIZES, ENTRIES)


if __name__ == "__main__":
    raise SystemExit(main(labels()))

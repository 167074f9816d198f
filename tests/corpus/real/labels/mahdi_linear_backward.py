"""Labels of mahdi-linear-backward.md: y = x Wᵀ + b with x ∈ ℝ^{N×d_in}, W ∈ ℝ^{d_out×d_in}, b ∈ ℝ^{d_out}
added to every row; dZ means ∂L/∂Z laid out like Z (the notebook says so), dY_i row i of dY. The first part's
loss is a generic nonlinear function of y; the second part's is the stated mean squared error."""

from __future__ import annotations

import sympy as sp

try:
    from ._truth import Entry, build, grad, loss, main, mat, same
except ImportError:
    from _truth import Entry, build, grad, loss, main, mat, same

DOC = "mahdi-linear-backward.md"
SIZES = [dict(N=3, i=2, o=4), dict(N=2, i=4, o=1)]


def layer(s, mse=False):
    x, W, b = mat("x", s["N"], s["i"]), mat("w", s["o"], s["i"]), mat("b", 1, s["o"])
    y = x * W.T + sp.ones(s["N"], 1) * b
    Ys = mat("y", s["N"], s["o"])
    if mse:
        t = mat("t", s["N"], s["o"])
        Lf = sum(((Ys - t)[k] ** 2 for k in range(len(Ys))), sp.Integer(0)) / (2 * s["N"])
    else:
        t = None
        Lf = loss(Ys)
    dY = grad(Lf, Ys).subs(dict(zip(Ys, y)))
    return x, W, b, y, t, Lf.subs(dict(zip(Ys, y))), dY


def check(which, mse=False):
    def c(s):
        x, W, b, y, t, L, dY = layer(s, mse)
        if which == "dX":
            return same(grad(L, x), dY * W)
        if which == "dW":
            return same(grad(L, W), dY.T * x)
        if which == "db":
            return same(grad(L, b), sp.ones(1, s["N"]) * dY)
        return same(dY, (y - t) / s["N"])
    return c


ENTRIES = [
    Entry("y = xW^T + b", True, "the layer", verdict="definition"),
    Entry(r"- $x \in \mathbb{R}^{N \times d_{in}}$", True, "the sizes", verdict="definition"),
    Entry(r"- $W \in \mathbb{R}^{d_{out} \times d_{in}}$", True, "the sizes", verdict="definition"),
    Entry(r"- $b \in \mathbb{R}^{d_{out}}$", True, "the sizes", verdict="definition"),
    Entry(r"- $y \in \mathbb{R}^{N \times d_{out}}$", True, "the sizes", verdict="definition"),
    Entry(r"dX = dY \cdot W", True, "∂L/∂x = (∂L/∂y) W", check=check("dX")),
    Entry(r"dW = dY^T \cdot x", True, "∂L/∂W = (∂L/∂y)ᵀ x", check=check("dW")),
    Entry(r"db = \sum_{i=1}^N dY_i", False, "the sum of the rows (a row, for a bias written as a column of ℝ^{d_out})",
          check=check("db")),
    Entry(r"y = x W^{\top} + b", True, "the layer again", verdict="definition"),
    Entry(r"- $x \in \mathbb{R}^{N \times d_{in}},\;\;", True, "the sizes", verdict="definition"),
    Entry(r"L = \frac{1}{2N}", True, "the loss", verdict="definition"),
    Entry(r"\frac{\partial L}{\partial y} = dY = \frac{1}{N}(y - t)", True, "(y − t)/N", check=check("dY", True)),
    Entry(r"dX &= dY \cdot W", True, "with the MSE loss", check=check("dX", True)),
    Entry(r"dW &= dY^{\top} \cdot x", True, "with the MSE loss", check=check("dW", True)),
    Entry(r"db &= \sum_{i=1}^{N} dY_{i}", False, "the sum of the rows", check=check("db", True)),
    Entry(r"- $dX=\frac{\partial L}{\partial x}$", True, "names dX", verdict="definition"),
    Entry(r"- $dW=\frac{\partial L}{\partial W}$", True, "names dW and db", verdict="definition"),
]


def labels() -> dict:
    return build(DOC, "y = x Wᵀ + b, rows are examples; generic loss, then MSE", SIZES, ENTRIES)


if __name__ == "__main__":
    raise SystemExit(main(labels()))

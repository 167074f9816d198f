"""Labels of leeeroyy-affine.tex: Y = XW + B, X ∈ ℝ^{N×D}, W ∈ ℝ^{D×M}, B the bias row b ∈ ℝ^{1×M} repeated
N times; L = h(Y) a nonlinear function of the output (the document's L(x) = h ∘ y(x)); ∂L/∂(matrix) laid out
like the matrix, J the numerator-layout Jacobian of the row-major flattening the document uses. The three
headline formulas are decided at two size choices; the worked example at the document's N = 2, D = 2, M = 3."""

from __future__ import annotations

import sympy as sp

try:
    from ._truth import Entry, build, grad, jac, loss, main, mat, same
except ImportError:
    from _truth import Entry, build, grad, jac, loss, main, mat, same

DOC = "leeeroyy-affine.tex"
SIZES = [dict(N=2, D=3, M=4), dict(N=3, D=2, M=1)]


def layer(N, D, M):
    X, W, b = mat("x", N, D), mat("w", D, M), mat("b", 1, M)
    Y = X * W + sp.ones(N, 1) * b
    Ys = mat("y", N, M)
    G = grad(loss(Ys), Ys).subs(dict(zip(Ys, Y)))  # ∂L/∂Y at the layer's output
    return X, W, b, Y, loss(Y), G


def headline(which):
    def check(s):
        X, W, b, Y, L, G = layer(s["N"], s["D"], s["M"])
        if which == "X":
            return same(grad(L, X), G * W.T)
        if which == "W":
            return same(grad(L, W), X.T * G)
        return same(grad(L, b), sp.ones(s["N"], 1).T * G)
    return check


EX = layer(2, 2, 3)
X, W, B, Y, L, G = EX
x = lambda i, j: X[i - 1, j - 1]  # noqa: E731
w = lambda i, j: W[i - 1, j - 1]  # noqa: E731
ROW = G.reshape(1, 6)  # [∂L/∂y11 … ∂L/∂y23]


def chain_rule(_s):
    """J_L(x) = J_h(y(x)) · J_y(x) with the flattened x."""
    return same(jac(sp.Matrix([L]), X.reshape(4, 1)), ROW * jac(Y.reshape(6, 1), X.reshape(4, 1)))


def jx_symbolic(_s):
    return same(jac(sp.Matrix([L]), X.reshape(4, 1)), ROW * jac(Y.reshape(6, 1), X.reshape(4, 1)))


PUBLISHED_JX = sp.Matrix([
    [w(1, 1), w(1, 2), 0, 0],
    [w(1, 2), w(2, 2), 0, 0],
    [w(1, 3), w(2, 3), 0, 0],
    [0, 0, w(1, 1), w(1, 2)],
    [0, 0, w(1, 2), w(2, 2)],
    [0, 0, w(1, 3), w(2, 3)],
])


def jx_explicit(_s):
    return same(ROW * jac(Y.reshape(6, 1), X.reshape(4, 1)), ROW * PUBLISHED_JX)


def dx_explicit(_s):
    M3 = sp.Matrix([[w(1, 1), w(1, 2)], [w(1, 2), w(2, 2)], [w(1, 3), w(2, 3)]])
    return same(grad(L, X), G * M3) and same(G * M3, G * W.T)


def jw(_s):
    P = sp.Matrix([
        [x(1, 1), 0, 0, x(1, 2), 0, 0],
        [0, x(1, 1), 0, 0, x(1, 2), 0],
        [0, 0, x(1, 1), 0, 0, x(1, 2)],
        [x(2, 1), 0, 0, x(2, 2), 0, 0],
        [0, x(2, 1), 0, 0, x(2, 2), 0],
        [0, 0, x(2, 1), 0, 0, x(2, 2)],
    ])
    return same(ROW * jac(Y.reshape(6, 1), W.reshape(6, 1)), ROW * P)


def dw_explicit(_s):
    XT = sp.Matrix([[x(1, 1), x(2, 1)], [x(1, 2), x(2, 2)]])
    return same(grad(L, W), XT * G) and same(XT * G, X.T * G)


def jb(_s):
    P = sp.Matrix([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    return same(ROW * jac(Y.reshape(6, 1), B.reshape(3, 1)), ROW * P)


def db_explicit(_s):
    return same(grad(L, B), sp.ones(2, 1).T * G)


MISSING_AMP = "the row of partials is typeset without & (it reads as one product): a typesetting slip"
ENTRIES = [
    Entry(r"\mathbf{Y} = \mathbf{XW} + \mathbf{B}", True, "the layer", verdict="definition"),
    Entry(r"\mathbf{B} = \begin{bmatrix}", True, "the bias rows", verdict="definition", to=r"\end{bmatrix}"),
    Entry(r"\frac{\partial L}{\partial \mathbf{X}} = \frac{\partial L}{\partial \mathbf{Y}} \mathbf{W}^T", True,
          "(∂L/∂Y) Wᵀ", check=headline("X")),
    Entry(r"\frac{\partial L}{\partial \mathbf{W}} = \mathbf{X}^T \frac{\partial L}{\partial \mathbf{Y}}", True,
          "Xᵀ (∂L/∂Y)", check=headline("W")),
    Entry(r"\frac{\partial L}{\partial \mathbf{b}} = \mathbf{1}^T \frac{\partial L}{\partial \mathbf{Y}}", True,
          "1ᵀ (∂L/∂Y): the column sums", check=headline("b")),
    Entry(r"\mathbf{X} = \begin{bmatrix}", True, "the example's matrices", verdict="definition", to=r"    \]",
          after="To make it concrete"),
    Entry(r"\mathbf{Y} = \begin{bmatrix}", True, "the example's forward pass, naming y_ij", verdict="definition",
          to=r"    \]", after="and the forward pass is"),
    Entry(r"x = \begin{bmatrix}", True, "the flattened map", verdict="definition", to=r"\]"),
    Entry(r"J_{L}(x) = J_{h}(y(x)) \cdot J_{y}(x)", True, "the chain rule for Jacobians", check=chain_rule),
    Entry(r"\begin{align*}", False, "a product whose left side (J_L(x)) is in the prose", verdict="skip", to=r"\end{align*}"),
    Entry(r"J_{L}(x) = ", False, MISSING_AMP, verdict="skip", to=r"\end{bmatrix} &=", after=r"next layer; write",
          to_before=True),
    Entry(r"\end{bmatrix} &=", True, "upstream row times the symbolic Jacobian ∂y/∂x", check=jx_symbolic,
          to=r"\end{bmatrix} \\ &=", after=r"next layer; write", to_before=True),
    Entry(r"\end{bmatrix} \\ &=", True, "first and fourth rows: ∂y11/∂x12 = w21, not w12 (and ∂y21/∂x22 = w21)",
          check=jx_explicit, to=r"\end{align*}", after=r"next layer; write"),
    Entry(r"\frac{\partial L}{\partial \mathbf{X}} = ", False, MISSING_AMP, verdict="skip", to=r"\end{bmatrix} = ",
          after="Putting the entries back", to_before=True),
    Entry(r"\end{bmatrix} = ", False, "[w11 w12; w12 w22; w13 w23] is not Wᵀ (w21 is missing); the first row of "
          "∂L/∂Y also has a stray &", check=dx_explicit, to=r"\frac{\partial L}{\partial \mathbf{Y}} \cdot \mathbf{W}^T",
          after=r"\frac{\partial L}{\partial x_{21}} \frac{\partial L}{\partial x_{22}}"),
    Entry(r"w = \begin{bmatrix}", True, "the map of the weights", verdict="definition", to=r"\]"),
    Entry(r"\begin{align*}", True, "upstream row times ∂y/∂w, written out", check=jw, to=r"\end{align*}",
          after="which leads to"),
    Entry(r"\frac{\partial L}{\partial \mathbf{W}} =", False, "[x11 x21; x12 x22] = Xᵀ (∂L/∂Y has a stray & in its first row)",
          check=dw_explicit, to=r"\]", after="rearranged, to"),
    Entry(r"b = \begin{bmatrix}", True, "the map of the bias", verdict="definition", to=r"\]"),
    Entry(r"\begin{align*}", True, "upstream row times ∂y/∂b = [I; I]", check=jb, to=r"\end{align*}",
          after="the same route gives"),
    Entry(r"\frac{\partial L}{\partial \mathbf{b}} = ", True, "1ᵀ (∂L/∂Y) in the example", check=db_explicit, to=r"\]",
          after="arranged like"),
    Entry(r"with \(\mathbf{1} = (1, 1)^T", True, "the ones vector", verdict="definition"),
]


def labels() -> dict:
    return build(DOC, "Y = XW + B, L = h(Y) nonlinear; example N = 2, D = 2, M = 3", SIZES, ENTRIES)


if __name__ == "__main__":
    raise SystemExit(main(labels()))

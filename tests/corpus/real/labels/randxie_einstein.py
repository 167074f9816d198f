"""Labels of randxie-einstein.md: z = Wx, y = σ(z) entrywise (σ generic), L = Σ_i (y_true,i − y_i)²; the post
states Einstein notation (a repeated index is summed). Where the post writes an index three times
(∂L/∂z_i = ∂L/∂y_i ∂σ(z_i)/∂z_i), only the free reading of i is meaningful; those lines are not strict."""

from __future__ import annotations

import sympy as sp

try:
    from ._truth import Entry, build, col, fprime, grad, main, mat, same
except ImportError:
    from _truth import Entry, build, col, fprime, grad, main, mat, same

DOC = "randxie-einstein.md"
SIZES = [dict(M=2, N=3), dict(M=3, N=1)]
sig = sp.Function("sigma")


def model(s):
    W, x, yt = mat("W", s["M"], s["N"]), col("x", s["N"]), col("t", s["M"])
    Y, Z = col("y", s["M"]), col("z", s["M"])
    L_y = sum(((yt - Y)[i] ** 2 for i in range(s["M"])), sp.Integer(0))
    return W, x, yt, Y, Z, L_y


def dL_dy(s):
    W, x, yt, Y, Z, L_y = model(s)
    return same(grad(L_y, Y), 2 * (yt - Y) * (-1))


def dL_dz(s):
    W, x, yt, Y, Z, L_y = model(s)
    L_z = L_y.subs(dict(zip(Y, Z.applyfunc(sig))))
    dy = grad(L_y, Y).subs(dict(zip(Y, Z.applyfunc(sig))))
    return same(grad(L_z, Z), dy.multiply_elementwise(fprime(sig, Z)))


def dL_dW(matrix_form):
    def c(s):
        W, x, yt, Y, Z, L_y = model(s)
        z = W * x
        L = L_y.subs(dict(zip(Y, Z.applyfunc(sig)))).subs(dict(zip(Z, z)))
        gz = grad(L_y.subs(dict(zip(Y, Z.applyfunc(sig)))), Z).subs(dict(zip(Z, z)))
        if matrix_form:
            return same(grad(L, W), gz * x.T)
        return all(same(sp.diff(L, W[i, j]), gz[i] * x[j]) for i in range(s["M"]) for j in range(s["N"]))
    return c


ENTRIES = [
    Entry(r"z = Wx \\[1ex]", True, "the forward pass and the sizes (one display, rows split by \\\\[1ex])",
          verdict="definition", to=r"y \in \mathbb{R}^{M \times 1}"),
    Entry(r"e_i = y_{\text{true}, i} - y_i", True, "the error", verdict="definition"),
    Entry("L = e_i e_i", True, "the loss, summed over i (Einstein)", verdict="definition"),
    Entry(r"\frac{\partial L}{\partial y_i} = 2 e_i (-1)", True, "−2 e_i", check=dL_dy),
    Entry(r"the minus sign coming from", True, "the error again, inline", verdict="definition"),
    Entry(r"\frac{\partial L}{\partial z_i} = \frac{\partial L}{\partial y_i} \cdot", False,
          "i free: ∂L/∂y_i σ'(z_i) (read with i summed, as the stated Einstein rule would, it is ill-formed)", check=dL_dz),
    Entry(r"z = Wx \quad \Longrightarrow \quad z_i = W_{ij} x_j,", True, "the layer in indices (j summed)",
          verdict="definition"),
    Entry(r"\text{grad}(W_{ij}) = ", False, "∂L/∂W_ij = ∂L/∂z_i x_j with i free (i written three times in the middle link)",
          check=dL_dW(False)),
    Entry(r"\text{grad}(W) = \frac{\partial L}{\partial z} x^T", True, "(∂L/∂z) xᵀ", check=dL_dW(True)),
]


def labels() -> dict:
    return build(DOC, "z = Wx, y = σ(z), L = ‖y_true − y‖²; Einstein notation", SIZES, ENTRIES)


if __name__ == "__main__":
    raise SystemExit(main(labels()))

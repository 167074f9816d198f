"""Labels of jmcheon-notation.md, a table whose cells hold the equations of both layouts: row-wise
Z = A W + b (examples as rows), column-wise Z = W A + b (examples as columns). The loss is not written:
the dZ^{[L]} = A − y and ∂J/∂W = (1/m) Xᵀ(A − y) results are those of a sigmoid output with binary
cross-entropy, J the mean over the m examples, dZ the per-example derivatives stacked (m ∂J/∂Z), dW and
db the derivatives of J; × between two same-shaped matrices is the entrywise product. Each table row is
one line, so its label is decided for all the equations in it (both layouts)."""

from __future__ import annotations

import sympy as sp

try:
    from ._truth import Entry, build, fprime, grad, had, main, mat, same, sigmoid
except ImportError:
    from _truth import Entry, build, fprime, grad, had, main, mat, same, sigmoid

DOC = "jmcheon-notation.md"
SIZES = [dict(m=3, n0=2, n1=4, n2=2), dict(m=2, n0=3, n1=2, n2=1)]
f = sp.Function("f")


def bce(A, y):
    return -sum(y[k] * sp.log(A[k]) + (1 - y[k]) * sp.log(1 - A[k]) for k in range(len(A)))


def T(M, rows):
    """The row-wise arrays are the transposes of the column-wise ones."""
    return M.T if rows else M


def gradient_row(s):
    """dZ^{[L]} = A − y (sigmoid + BCE) and the recursion, in both layouts, for a two-layer network."""
    for rows in (True, False):
        m, n1, n2 = s["m"], s["n1"], s["n2"]
        W2 = mat("w2", n1, n2) if rows else mat("w2", n2, n1)
        y = T(mat("y", n2, m), rows)
        Z1, Z2 = T(mat("z1", n1, m), rows), T(mat("z2", n2, m), rows)
        A2 = Z2.applyfunc(sigmoid)
        total = bce(A2, y)  # Σ over examples of the per-example loss: dZ = ∂total/∂Z
        if not same(grad(total, Z2), A2 - y):
            return False
        A1 = Z1.applyfunc(f)
        z2 = A1 * W2 if rows else W2 * A1
        tot1 = total.subs(dict(zip(Z2, z2)))
        dZ2 = grad(total, Z2).subs(dict(zip(Z2, z2)))
        back = dZ2 * W2.T if rows else W2.T * dZ2
        if not same(grad(tot1, Z1), had(back, fprime(f, Z1))):
            return False
    return True


def update_row(s):
    for rows in (True, False):
        m, n0, n1 = s["m"], s["n0"], s["n1"]
        X = T(mat("x", n0, m), rows)
        W = mat("w", n0, n1) if rows else mat("w", n1, n0)
        b = mat("b", 1, n1) if rows else mat("b", n1, 1)
        y = T(mat("y", n1, m), rows)
        Z = X * W + sp.ones(m, 1) * b if rows else W * X + b * sp.ones(1, m)
        Zs = T(mat("z", n1, m), rows)
        J = bce(Zs.applyfunc(sigmoid), y) / m
        A = Z.applyfunc(sigmoid)
        JW = J.subs(dict(zip(Zs, Z)))
        dZ = (m * grad(J, Zs)).subs(dict(zip(Zs, Z)))
        def sum_ex(M, rows=rows, m=m):
            return sp.ones(1, m) * M if rows else M * sp.ones(m, 1)

        claims = [
            (grad(JW, W), (X.T * (A - y) if rows else (A - y) * X.T) / m),  # ∂J/∂W (one layer: A^{[0]} = X)
            (grad(JW, W), (X.T * dZ if rows else dZ * X.T) / m),  # dW^{[l]}
            (grad(JW, b), sum_ex(A - y) / m),  # ∂J/∂b
            (grad(JW, b), sum_ex(dZ) / m),  # db^{[l]}
        ]
        if not all(same(a, c) for a, c in claims):
            return False
    return True


ENTRIES = [
    Entry(r"$n_x$ = $n^{[0]}$", True, "names", verdict="definition"),
    Entry(r"$n_y$ = $n^{[L]}$", True, "names", verdict="definition"),
    Entry(r"|forward|", True, "the layer in both layouts", verdict="definition"),
    Entry(r"|gradient|", False, "sigmoid + binary cross-entropy (the loss is not written), × entrywise", check=gradient_row),
    Entry(r"|update|", False, "(1/m)·(…) with the loss not written; Σ over the examples", check=update_row),
]


def labels() -> dict:
    return build(DOC, "two layouts side by side; sigmoid output, binary cross-entropy, J the mean", SIZES, ENTRIES)


if __name__ == "__main__":
    raise SystemExit(main(labels()))

"""Labels of gaurav-mlp.md: a^{L-1} = ReLU(W^{L-1} a^{L-2} + b^{L-1}), ŷ = σ(W^L a^{L-1} + b^L) with the
logistic σ, binary cross-entropy summed over the outputs; column vectors, gradients laid out like the
variable (the document's own final results are in that layout). ReLU is a generic entrywise function r."""

from __future__ import annotations

import sympy as sp

try:
    from ._truth import Entry, build, col, fprime, grad, had, main, mat, same, sigmoid
except ImportError:
    from _truth import Entry, build, col, fprime, grad, had, main, mat, same, sigmoid

DOC = "gaurav-mlp.md"
SIZES = [dict(n0=3, n1=2, n2=1), dict(n0=2, n1=3, n2=2)]
r = sp.Function("r")


def net(s):
    a0, W1, b1 = col("a0", s["n0"]), mat("V", s["n1"], s["n0"]), col("c", s["n1"])
    W2, b2, y = mat("W", s["n2"], s["n1"]), col("b", s["n2"]), col("y", s["n2"])
    z1 = W1 * a0 + b1
    Z1 = col("z1", s["n1"])  # free stand-ins, substituted after differentiating
    a1 = Z1.applyfunc(r)
    A1 = col("a1", s["n1"])
    Z2 = col("z2", s["n2"])
    yhat = Z2.applyfunc(sigmoid)
    L = -sum(y[i] * sp.log(yhat[i]) + (1 - y[i]) * sp.log(1 - yhat[i]) for i in range(s["n2"]))
    z2 = W2 * A1 + b2
    return dict(a0=a0, W1=W1, W2=W2, y=y, z1=z1, Z1=Z1, a1=a1, A1=A1, Z2=Z2, yhat=yhat, L=L, z2=z2)


def full(n):
    """L as a function of everything: z2 ← W2 a1 + b2, a1 ← r(z1), z1 ← W1 a0 + b1."""
    L = n["L"].subs(dict(zip(n["Z2"], n["z2"])))
    L = L.subs(dict(zip(n["A1"], n["a1"])))
    return L.subs(dict(zip(n["Z1"], n["z1"])))


def yhat_of(n):
    return n["yhat"].subs(dict(zip(n["Z2"], n["z2"]))).subs(dict(zip(n["A1"], n["a1"]))).subs(dict(zip(n["Z1"], n["z1"])))


def err_z(s):
    n = net(s)
    return same(grad(n["L"], n["Z2"]), n["yhat"] - n["y"])


def dW_last(s):
    n = net(s)
    L = n["L"].subs(dict(zip(n["Z2"], n["z2"])))
    yhat = n["yhat"].subs(dict(zip(n["Z2"], n["z2"])))
    return same(grad(L, n["W2"]), (yhat - n["y"]) * n["A1"].T)


def da_hidden(s):
    n = net(s)
    L = n["L"].subs(dict(zip(n["Z2"], n["z2"])))
    yhat = n["yhat"].subs(dict(zip(n["Z2"], n["z2"])))
    return same(grad(L, n["A1"]), (yhat - n["y"]) * n["W2"])


def dW_hidden(s):
    n = net(s)
    L = full(n)
    e = yhat_of(n) - n["y"]
    rp = fprime(r, n["z1"])
    return same(grad(L, n["W1"]), had(n["W2"].T * e, rp) * n["a0"].T)


JAC = "a Jacobian written as a vector or a row (a shorthand, not an identity of matrices)"
ENTRIES = [
    Entry(r"\frac{\partial \mathcal{L}}{\partial W^L} = \frac{\partial \mathcal{L}}{\partial a^L}", False,
          "chain rule through a 3-index Jacobian", verdict="skip"),
    Entry(r"\frac{\partial \mathcal{L}}{\partial a^L} \cdot \frac{\partial a^L}{\partial z^L} = \hat{y} - y", True,
          "sigmoid with binary cross-entropy: ∂L/∂z^L = ŷ − y", check=err_z),
    Entry(r"z^L = W^L a^{L-1} + b^L", True, "the last layer", verdict="definition"),
    Entry(r"\frac{\partial z^L}{\partial W^L} = a^{L-1}", False, JAC, verdict="skip"),
    Entry(r"\frac{\partial \mathcal{L}}{\partial W^L} = (\hat{y} - y) \cdot (a^{L-1})^T", True, "(ŷ − y) a^{L-1}ᵀ",
          check=dW_last),
    Entry(r"\frac{\partial \mathcal{L}}{\partial W^{L-1}} = \frac{\partial", False, "chain rule through a 3-index Jacobian",
          verdict="skip"),
    Entry(r"= (\hat{y} - y) \cdot W^L", False,
          "wrong side: it is (W^L)ᵀ(ŷ − y); (ŷ − y)W^L does not fit for several outputs and is a row for one "
          "(right only in numerator layout, which the document's own results do not use)", check=da_hidden),
    Entry(r"\frac{\partial a^{L-1}}{\partial z^{L-1}} = \text{ReLU}'(z^{L-1})", False, JAC, verdict="skip"),
    Entry(r"\text{ReLU}'(z) = \begin{cases}", True, "ReLU' by cases", verdict="definition", to=r"\end{cases}"),
    Entry(r"\frac{\partial z^{L-1}}{\partial W^{L-1}} = (a^{L-2})^T", False, JAC, verdict="skip"),
    Entry(r"= \left( W^L \right)^T (\hat{y} - y) \odot", True,
          "((W^L)ᵀ(ŷ − y) ⊙ r'(z^{L-1})) a^{L-2}ᵀ, the only reading whose sizes fit", check=dW_hidden),
]


def labels() -> dict:
    return build(DOC, "two layers: ReLU hidden, sigmoid output, binary cross-entropy; column vectors", SIZES, ENTRIES)


if __name__ == "__main__":
    raise SystemExit(main(labels()))

"""Labels of chrisxue-nn-notes.md: z = w a + b with the m examples as columns, L the binary cross-entropy
of one example, J its mean; the short d-notation reads da, dz as the per-example derivatives stacked as
columns (m ∂J/∂·) and dw, db as ∂J/∂w, ∂J/∂b; the long derivation is one example (m = 1)."""

from __future__ import annotations

import sympy as sp

try:
    from ._truth import Entry, build, grad, had, main, mat, same
except ImportError:  # run as a script
    from _truth import Entry, build, grad, had, main, mat, same

DOC = "chrisxue-nn-notes.md"
SIZES = [dict(n0=3, n1=2, m=4), dict(n0=2, n1=4, m=3)]
g = sp.Function("g")


def model(s: dict, m: int | None = None):
    m = s["m"] if m is None else m
    A0, w, b, y = mat("a", s["n0"], m), mat("w", s["n1"], s["n0"]), mat("b", s["n1"], 1), mat("y", s["n1"], m)
    Z = mat("z", s["n1"], m)  # a free stand-in for z, substituted after differentiating
    zval = w * A0 + b * sp.ones(1, m)
    a = Z.applyfunc(g)
    J = sp.Rational(1, m) * sum(-(y[i] * sp.log(a[i]) + (1 - y[i]) * sp.log(1 - a[i])) for i in range(len(a)))
    sub = dict(zip(Z, zval))
    return A0, w, b, y, Z, a, J, sub, m


def gp(Z):
    return Z.applyfunc(lambda e: sp.Subs(sp.Derivative(g(sp.Symbol("t")), sp.Symbol("t")), sp.Symbol("t"), e).doit())


def da_L(s, m=None):
    A0, w, b, y, Z, a, J, sub, m = model(s, m)
    A = mat("A", *a.shape)  # the activation itself as the variable
    JA = J.subs(dict(zip(a, A)))
    lhs = m * grad(JA, A)
    rhs = sp.Matrix(A.shape[0], A.shape[1], lambda i, j: -y[i, j] / A[i, j] + (1 - y[i, j]) / (1 - A[i, j]))
    return same(lhs, rhs)


def dz(s):
    A0, w, b, y, Z, a, J, sub, m = model(s)
    A = mat("A", *a.shape)
    da = (m * grad(J.subs(dict(zip(a, A))), A)).subs(dict(zip(A, a)))
    return same(m * grad(J, Z), had(da, gp(Z)))


def dw(s):
    A0, w, b, y, Z, a, J, sub, m = model(s)
    Jw = J.subs(sub)
    dzv = (m * grad(J, Z)).subs(sub)
    return same(grad(Jw, w), sp.Rational(1, m) * dzv * A0.T)


def db(s):
    A0, w, b, y, Z, a, J, sub, m = model(s)
    dzv = (m * grad(J, Z)).subs(sub)
    return same(grad(J.subs(sub), b), sp.Rational(1, m) * dzv * sp.ones(m, 1))


def da_prev(s):
    A0, w, b, y, Z, a, J, sub, m = model(s)
    dzv = (m * grad(J, Z)).subs(sub)
    return same(m * grad(J.subs(sub), A0), w.T * dzv)


def one(s):  # the long derivation: one example
    A0, w, b, y, Z, a, J, sub, m = model(s, 1)
    return A0, w, b, Z, J, sub


def long_dw(s):
    A0, w, b, Z, J, sub = one(s)
    return same(grad(J.subs(sub), w), grad(J, Z).subs(sub) * A0)


def long_db(s):
    A0, w, b, Z, J, sub = one(s)
    return same(grad(J.subs(sub), b), grad(J, Z).subs(sub))


def long_da(s):
    A0, w, b, Z, J, sub = one(s)
    return same(grad(J.subs(sub), A0), grad(J, Z).subs(sub) * w)


CHAIN = "a chain rule written with Jacobian factors whose layout the notes never fix"
ENTRIES = [
    Entry(r"z^{[l]} &= w^{[l]} a^{[l-1]} + b^{[l]}", True, "the layer", verdict="definition"),
    Entry(r"Dimension: \frac{n^{[l]}}{m}", False, "sizes written as fractions, not an equation", verdict="skip"),
    Entry(r"a^{[l]} &= g(z^{[l]})", True, "the activation", verdict="definition"),
    Entry(r"L &= - (yln", False, "the loss (published with an unclosed parenthesis)", verdict="definition"),
    Entry(r"J &= \frac{1}{m}", True, "the cost", verdict="definition"),
    Entry(r"da^{[L]} &=", False, "binary cross-entropy, entrywise; the d-notation is not defined in the notes", check=da_L),
    Entry(r"dz^{[l]} &=", False, "juxtaposition of two n×m matrices meaning the entrywise product", check=dz),
    Entry(r"dw^{[l]} &=", True, "∂J/∂w = (1/m) dZ Aᵀ, sizes as the next line states", check=dw),
    Entry(r"Dimension: \frac{n^{[l]}}{n^{[l-1]}}", False, "sizes written as fractions", verdict="skip"),
    Entry(r"db^{[l]} &=", False, "sum over the examples (which axis is not written)", check=db),
    Entry(r"da^{[l-1]} &=", True, "wᵀ dz", check=da_prev),
    Entry(r"&= -\frac{y}{a^{[L]}}", False, "one example, entrywise division", check=lambda s: da_L(s, 1), after="link by link"),
    Entry(r"&= \frac{dL}{da^{[l]}} \frac{da^{[l]}}{dz^{[l]}}", False, CHAIN, verdict="skip", to=None),
    Entry(r"&= \frac{dL}{dz^{[l]}} \frac{dz^{[l]}}{dw^{[l]}}", False, CHAIN, verdict="skip"),
    Entry(r"&= \frac{dL}{dz^{[l]}} a^{[l-1]}", True, "a transpose is missing: (n×1)(n'×1) does not fit; it is dL/dz · aᵀ",
          check=long_dw),
    Entry(r"&= \frac{dL}{dz^{[l]}} \frac{dz^{[l]}}{db^{[l]}}", False, CHAIN, verdict="skip"),
    Entry(r"&= \frac{dL}{dz^{[l]}} \\", True, "dL/db = dL/dz", check=long_db),
    Entry(r"&= \frac{dL}{dz^{[l]}} \frac{dz^{[l]}}{da^{[l-1]}}", False, CHAIN, verdict="skip"),
    Entry(r"&= \frac{dL}{dz^{[l]}} w^{[l]}", True, "wrong order: (n×1)(n×n') does not fit; it is wᵀ dL/dz", check=long_da),
]

LABELS_CONTEXT = "z = w a + b, examples as columns, binary cross-entropy per example, J its mean"


def labels() -> dict:
    return build(DOC, LABELS_CONTEXT, SIZES, ENTRIES)


if __name__ == "__main__":
    raise SystemExit(main(labels()))

"""Activations and generic functions applied entry by entry, checked against sympy:
each true backward formula holds, and its planted mistake (a missing prime, a
missing transpose, the function instead of its derivative) is caught. The
expectations are built here with sympy's own functions and diff, independently of
the engine's rule table."""

from __future__ import annotations

import pytest
import sympy as sp

from symderiv.claims import check_claim


def _sympy_backward(m: int, k: int, n: int, act: str) -> tuple[sp.Matrix, sp.Matrix]:
    """∂L/∂Z and ∂L/∂X for Z = XW, A = act(Z), L = Σ g_ij a_ij, by sympy's diff."""
    X = sp.Matrix(m, k, lambda i, j: sp.Symbol(f"x{i}{j}"))
    W = sp.Matrix(k, n, lambda i, j: sp.Symbol(f"w{i}{j}"))
    G = sp.Matrix(m, n, lambda i, j: sp.Symbol(f"g{i}{j}"))
    f = {"sigma": lambda u: 1 / (1 + sp.exp(-u)), "tanh": sp.tanh}[act]
    Z = X * W
    L = sum(G[i, j] * f(Z[i, j]) for i in range(m) for j in range(n))
    dX = sp.Matrix(m, k, lambda i, j: sp.diff(L, X[i, j]))
    fp = sp.Matrix(m, n, lambda i, j: sp.diff(f(sp.Symbol("u")), sp.Symbol("u")).subs(sp.Symbol("u"), Z[i, j]))
    return dX, sp.matrix_multiply_elementwise(G, fp) * W.T


@pytest.mark.parametrize("act", ["sigma", "tanh"])
def test_the_reference_itself_agrees_with_the_textbook_formula(act: str) -> None:
    dX, formula = _sympy_backward(3, 2, 4, act)
    assert sp.simplify(dX - formula) == sp.zeros(3, 2)


CASES = [
    # (claim, context, verdict)
    (r"\frac{\partial L}{\partial X} = (\frac{\partial L}{\partial A} \odot \sigma'(Z)) W^T", "Z = X W; A = \\sigma(Z)", "holds"),
    (r"\frac{\partial L}{\partial X} = (\frac{\partial L}{\partial A} \odot \sigma(Z) \odot (1 - \sigma(Z))) W^T",
     "Z = X W; A = \\sigma(Z)", "holds"),
    (r"\frac{\partial L}{\partial X} = (\frac{\partial L}{\partial A} \odot \sigma'(Z)) W", "Z = X W; A = \\sigma(Z)", "fails"),
    (r"\frac{\partial L}{\partial Z} = \frac{\partial L}{\partial A} \odot (1 - \tanh(Z) \odot \tanh(Z))",
     "Z = X W; A = \\tanh(Z)", "holds"),
    (r"\frac{\partial L}{\partial W} = X^T (\frac{\partial L}{\partial H} \odot \text{ReLU}'(Z))", "Z = X W; H = \\max(0, Z)",
     "holds"),
    (r"\frac{\partial L}{\partial W} = X^T \frac{\partial L}{\partial H}", "Z = X W; H = \\max(0, Z)", "fails"),
    ("dZ = dA \\odot g'(Z)", "Z = X W + b; A = g(Z)", "holds"),
    ("dZ = dA \\odot g(Z)", "Z = X W + b; A = g(Z); g: elementwise", "fails"),
    ("dZ = dA \\odot g''(Z)", "Z = X W + b; A = g(Z)", "fails"),
    ("dX = (dA \\odot g'(Z)) W^T", "Z = X W + b; A = g(Z)", "holds"),
    # the derivative written by hand matches the rule only up to an identity of σ: never `fails`
    (r"\frac{\partial L}{\partial Z} = \frac{\partial L}{\partial A} \odot \sigma(Z)", "Z = X W; A = \\sigma(Z)", "unchecked"),
    # a generic function of a vector with no derivative written: a general function, not read entry by entry
    (r"\frac{\partial y}{\partial x} = f(x)", "y = f(x)", "unchecked"),
    # an activation the context never applies: about another model
    (r"\frac{\partial L}{\partial Z} = \frac{\partial L}{\partial A} \odot \sigma'(Z)", None, "unchecked"),
]


@pytest.mark.parametrize("claim,context,verdict", CASES)
def test_activations(claim: str, context: str | None, verdict: str) -> None:
    r = check_claim(claim, context=context)
    assert r.verdict.value == verdict, (claim, context, r.reason)

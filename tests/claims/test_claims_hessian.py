"""Second derivatives by a vector (the Hessian, ∂²f/∂x∂xᵀ, ∂²f/∂x²): each claim's truth is computed here
with sympy's `hessian` of the written-out polynomial at several lengths of x (a 1 among them), and the
verdict must follow it; second derivatives by a matrix or by two variables stay unchecked."""

from __future__ import annotations

import pytest
import sympy as sp

from symderiv.claims import check_claim

LENGTHS = [(1, 2), (2, 3), (3, 1)]  # (n = len(x), m = rows of B, C, D where they appear)


def _mats(n: int, m: int) -> dict[str, sp.Matrix]:
    def sym(name: str, r: int, c: int) -> sp.Matrix:
        return sp.Matrix(r, c, lambda i, j: sp.Symbol(f"{name}{i}{j}"))

    return {"x": sym("x", n, 1), "A": sym("a", n, n), "B": sym("b", m, n), "C": sym("c", m, m), "D": sym("d", m, n),
            "b": sym("u", m, 1), "d": sym("v", m, 1), "I": sp.eye(n)}


# (claim, f(M), the claimed Hessian H(M))
CASES = [
    (r"\frac{\partial^2}{\partial x \partial x^\top} x^\top A x = A + A^\top", lambda M: M["x"].T * M["A"] * M["x"],
     lambda M: M["A"] + M["A"].T),
    (r"\frac{\partial^2}{\partial x \partial x^\top} x^\top A x = 2 A", lambda M: M["x"].T * M["A"] * M["x"],
     lambda M: 2 * M["A"]),
    (r"\frac{\partial^2 (x^\top A x)}{\partial x^2} = A^\top + A", lambda M: M["x"].T * M["A"] * M["x"],
     lambda M: M["A"].T + M["A"]),
    (r"\frac{\partial^2}{\partial x \partial x^\top} \|x\|^2 = 2 I", lambda M: M["x"].T * M["x"], lambda M: 2 * M["I"]),
    (r"\frac{\partial^2}{\partial x \partial x^\top} \|x\|^2 = I", lambda M: M["x"].T * M["x"], lambda M: M["I"]),
    (r"\frac{\partial^2}{\partial x \partial x^\top} (B x + b)^\top C (D x + d) = B^\top C D + D^\top C^\top B",
     lambda M: (M["B"] * M["x"] + M["b"]).T * M["C"] * (M["D"] * M["x"] + M["d"]),
     lambda M: M["B"].T * M["C"] * M["D"] + M["D"].T * M["C"].T * M["B"]),
    (r"\frac{\partial^2}{\partial x \partial x^\top} (B x + b)^\top C (D x + d) = B^\top C D",
     lambda M: (M["B"] * M["x"] + M["b"]).T * M["C"] * (M["D"] * M["x"] + M["d"]),
     lambda M: M["B"].T * M["C"] * M["D"]),
    (r"\frac{\partial^2}{\partial x \partial x^\top} \|B x - b\|^2 = 2 B^\top B",
     lambda M: (M["B"] * M["x"] - M["b"]).T * (M["B"] * M["x"] - M["b"]), lambda M: 2 * M["B"].T * M["B"]),
    (r"\frac{\partial^2}{\partial x \partial x^\top} \|B x - b\|^2 = 2 B B^\top",
     lambda M: (M["B"] * M["x"] - M["b"]).T * (M["B"] * M["x"] - M["b"]), lambda M: 2 * M["B"] * M["B"].T),
]


def _true(case: tuple) -> bool:
    _, f, H = case
    for n, m in LENGTHS:
        M = _mats(n, m)
        try:
            claimed = H(M)
        except sp.ShapeError:
            return False
        actual = sp.hessian(sp.expand(f(M)[0, 0]), list(M["x"]))
        if claimed.shape != actual.shape or sp.expand(claimed - actual) != sp.zeros(*actual.shape):
            return False
    return True


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_a_hessian_claim_gets_the_verdict_its_truth_gives(case: tuple) -> None:
    verdict = check_claim(case[0]).verdict.value
    assert verdict == ("holds" if _true(case) else "fails"), verdict


def test_the_table_holds_true_and_false_claims() -> None:
    truths = [_true(c) for c in CASES]
    assert 3 <= sum(truths) <= len(truths) - 3


OTHER = [r"\frac{\partial^2 L}{\partial W^2} = 0", r"\frac{\partial^2}{\partial x \partial y} x^T A y = A",
         r"\frac{\partial^3}{\partial x \partial x} x^T A x = A",
         r"\frac{\partial^2}{\partial X \partial X^\top} \operatorname{tr}(X^\top X) = 2 I"]


@pytest.mark.parametrize("claim", OTHER)
def test_other_second_derivatives_stay_unchecked(claim: str) -> None:
    assert check_claim(claim).verdict.value == "unchecked"

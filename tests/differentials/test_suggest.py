"""A failing `∂F/∂V = …` is told the derived right side (issue 17, item 6), and what it is told holds:
each derived side is checked again here by the claims engine and, independently, by sympy."""

from __future__ import annotations

import re

import pytest
import sympy as sp

from symderiv.claims import check_claim
from symderiv.differentials.suggest import check_with_derived, derived_right_side

CASES = [  # (claim that fails, context, the derived side, truth by hand)
    (r"\frac{\partial}{\partial X} \operatorname{tr}(A X B X^T) = A X B", "A: 3x3, X: 3x4, B: 4x4", "Aᵀ X Bᵀ + A X B"),
    (r"\frac{\partial}{\partial w} \|X w - y\|^2 = 2 X^T X w", "X: 4x3, w: 3, y: 4", "2 Xᵀ (X w − y)"),
    (r"\frac{\partial}{\partial X} \|A X B\|_F^2 = 2 A X B", "A: 2x3, X: 3x4, B: 4x2", "2 Aᵀ A X B Bᵀ"),
]


@pytest.mark.parametrize("claim,context,derived", CASES)
def test_a_failing_derivative_is_told_the_derived_side(claim: str, context: str, derived: str) -> None:
    r = check_with_derived(claim, context)
    assert r.verdict.value == "fails"
    assert f"the derived right-hand side is {derived}".lower() in (r.suggestion or "").lower(), r.suggestion
    lhs = claim.split("=")[0]
    assert check_claim(f"{lhs} = {derived}", context=context).verdict.value == "holds"


def test_the_derived_side_is_right_by_sympy() -> None:
    """∂tr(AXBXᵀ)/∂X = AᵀXBᵀ + AXB, by sympy at 3×4 with A 3×3 and B 4×4 (independent of symderiv)."""
    A = sp.Matrix(3, 3, lambda i, j: sp.Symbol(f"a{i}{j}"))
    X = sp.Matrix(3, 4, lambda i, j: sp.Symbol(f"x{i}{j}"))
    B = sp.Matrix(4, 4, lambda i, j: sp.Symbol(f"b{i}{j}"))
    f = (A * X * B * X.T).trace()
    grad = sp.Matrix(3, 4, lambda i, j: sp.diff(f, X[i, j]))
    assert sp.expand(grad - (A.T * X * B.T + A * X * B)) == sp.zeros(3, 4)
    assert derived_right_side(CASES[0][0], CASES[0][1], "gradient") == "Aᵀ X Bᵀ + A X B"


@pytest.mark.parametrize("claim,context", [
    (r"\frac{\partial}{\partial X} \operatorname{tr}(A X) = A^T", "A: 2x3, X: 3x2"),  # holds: nothing added
    (r"(A B)^T = A^T B^T", "A: 2x3, B: 3x4"),  # fails, but not a derivative
    (r"\frac{\partial}{\partial X} \det(X) = X", "X: 3x3"),  # derive cannot (a determinant): nothing invented
])
def test_nothing_is_added_where_nothing_is_derived(claim: str, context: str) -> None:
    r = check_with_derived(claim, context)
    assert "derived right-hand side" not in (r.suggestion or "")


def test_the_suggestion_is_not_repeated_when_it_already_names_the_answer() -> None:
    r = check_with_derived(r"\frac{\partial}{\partial X} \operatorname{tr}(A X B) = A B", "A: 2x3, X: 3x4, B: 4x2")
    assert len(re.findall(r"Aᵀ Bᵀ", r.suggestion or "")) == 1, r.suggestion

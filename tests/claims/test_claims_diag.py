"""diag(x): the square matrix with the vector x on its diagonal (issue 15's notation row). Truth by hand:
diag(x) y = x ⊙ y, diag(x) 𝟏 = x, tr(diag(x)) = 𝟏ᵀx, diag(x) is symmetric, and diag(x) A ≠ A diag(x) in
general; diag(A) of a matrix (its diagonal) is another function: unchecked, never guessed."""

from __future__ import annotations

import pytest

from symderiv.claims import check_claim


@pytest.mark.parametrize("claim,verdict", [
    (r"\operatorname{diag}(x) y = x \odot y", "holds"),
    (r"\operatorname{diag}(x) y = x^\top y", "fails"),
    (r"\mathrm{diag}(x) \mathbf{1} = x", "holds"),
    (r"\operatorname{tr}(\operatorname{diag}(x)) = \mathbf{1}^\top x", "holds"),
    (r"\operatorname{diag}(x)^T = \operatorname{diag}(x)", "holds"),
    (r"\operatorname{diag}(x) A = A \operatorname{diag}(x)", "fails"),
    (r"\operatorname{diag}(x) = x x^T", "fails"),
    (r"\frac{\partial}{\partial x} \mathbf{1}^T \operatorname{diag}(x) y = y", "holds"),
    (r"\frac{\partial}{\partial x} \mathbf{1}^T \operatorname{diag}(x) y = x", "fails"),
    (r"\operatorname{diag}(A) = A", "unchecked"),
])
def test_diag_of_a_vector(claim: str, verdict: str) -> None:
    r = check_claim(claim)
    assert r.verdict.value == verdict, (claim, r.reason)

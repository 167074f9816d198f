"""Digits of other scripts: Unicode subscripts as indices (x₁, x₁₂), and any Unicode digit inside a
subscript (x_{₂}, A_{²,1}, I_{٣}) read as the digit it stands for. Before, `x_{₂}` crashed with
`int('₂')` (Python's isdigit() is true for it, int() refuses it). Truth by hand in the comments."""

from __future__ import annotations

import pytest

from symderiv.claims import check_claim


@pytest.mark.parametrize("claim,context,verdict", [
    (r"\frac{\partial}{\partial x₁} (x₁^2 + x₁ x₂) = 2 x₁ + x₂", "x: 2", "holds"),
    (r"\frac{\partial}{\partial x₁} (x₁^2 + x₁ x₂) = 2 x₁", "x: 2", "fails"),  # the x₂ term dropped
    (r"\frac{\partial}{\partial x₂} (x₁^2 + x₁ x₂) = x₁", "x: 2", "holds"),
    ("y₁₂ = x₁₂", "Y = X", "holds"),
    ("y₁₂ = x₂₁", "Y = X", "fails"),
    ("A_{٣,1} = A_{3,1}", None, "holds"),
    ("A_{²,1} = 0", None, "fails"),
    ("tr(I_{٣}) = 3", None, "holds"),
    ("tr(I_{٣}) = 2", None, "fails"),
])
def test_digits_of_other_scripts(claim: str, context: str | None, verdict: str) -> None:
    r = check_claim(claim, context)
    assert r.verdict.value == verdict, (claim, r.reason)


@pytest.mark.parametrize("claim", ["x_{₂} = x_{₂}", "W₁ = W₁^T", "x_{⁵} = 1", "x_{①} = 1", "x_{𝟙} = 1"])
def test_no_unicode_digit_crashes(claim: str) -> None:
    r = check_claim(claim)
    assert r.verdict.value in ("holds", "fails", "unchecked") and r.reason


def test_a_literal_identity_size_is_not_a_size_symderiv_chose() -> None:
    r = check_claim("tr(I_3) = 3")
    assert r.verdict.value == "holds" and "chose" not in r.reason, r.reason

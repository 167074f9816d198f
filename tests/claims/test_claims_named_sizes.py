"""A size the context names (N in X: N x D) read as a number where a claim divides by it,
and a context whose shapes would only fit with a named size equal to 1 refused rather
than checked at size 1 (where a missing 1/N or a missing sum over the batch cannot show).

Truth is stated by hand: for L = 1/(2N)‖Y − T‖², ∂L/∂Y = (Y − T)/N and ∂L/∂W = Xᵀ(Y − T)/N."""

from __future__ import annotations

import pytest

from symderiv.claims import check_claim

MSE = r"Y = X W, X: N x D, W: D x M, L = \frac{1}{2N}\|Y - T\|_F^2"
LOWER = r"y = x W^T + b, x: N x din, W: dout x din, b: 1 x dout, L = \frac{1}{2N}\|y - t\|^2"


@pytest.mark.parametrize("claim,context,verdict", [
    (r"\frac{\partial L}{\partial W} = \frac{1}{N} X^T (Y - T)", MSE, "holds"),
    (r"\frac{\partial L}{\partial W} = X^T (Y - T)", MSE, "fails"),  # the 1/N dropped
    (r"\frac{\partial L}{\partial W} = \frac{1}{D} X^T (Y - T)", MSE, "fails"),  # divided by the wrong size
    (r"\frac{\partial L}{\partial W} = \frac{1}{2N} X^T (Y - T)", MSE, "fails"),  # the ½ not cancelled
    (r"\frac{\partial L}{\partial y} = \frac{1}{N}(y - t)", LOWER, "holds"),
    (r"\frac{\partial L}{\partial y} = y - t", LOWER, "fails"),
    (r"\frac{\partial L}{\partial W} = \frac{1}{N} (y - t)^T x", LOWER, "holds"),
    (r"\frac{\partial L}{\partial W} = \frac{1}{N} x^T (y - t)", LOWER, "fails"),  # din×dout, not W's shape
])
def test_a_named_size_divides_as_its_value(claim: str, context: str, verdict: str) -> None:
    r = check_claim(claim, context=context)
    assert r.verdict.value == verdict, (claim, r.reason)


def test_a_lowercase_batch_is_not_collapsed_to_one_row() -> None:
    """x: N x din makes y = x Wᵀ + b a matrix; read as a vector it would force dout = 1 and
    the missing 1/N (a false equation) would be checked where it cannot show."""
    r = check_claim(r"\frac{\partial L}{\partial y} = y - t", context=LOWER)
    assert r.verdict.value == "fails"
    assert r.sizes["N"] > 1 and r.sizes["dout"] > 1, r.sizes


@pytest.mark.parametrize("claim", [
    r"\frac{\partial L}{\partial y} = y - t",  # false at N ≥ 2; true only where the context collapses
    r"\frac{\partial L}{\partial y} = \frac{1}{N}(y - t)",
])
def test_a_context_that_fits_only_at_size_one_is_refused(claim: str) -> None:
    """b: dout x 1 added to the N×dout batch fits only with N = dout = 1: never a verdict there."""
    ctx = LOWER.replace("b: 1 x dout", "b: dout x 1")
    r = check_claim(claim, context=ctx)
    assert r.verdict.value == "unchecked", r.reason
    assert "= 1" in r.reason and "N" in r.reason


@pytest.mark.parametrize("claim,verdict", [
    (r"\text{grad}(W) = Z^T G", "holds"),
    (r"\text{grad}(W) = G Z^T", "fails"),
    (r"\frac{\partial L(Z)}{\partial Z} = G W^T", "holds"),
    (r"\frac{\partial L(Z)}{\partial Z} = W^T G", "fails"),
    (r"\frac{\partial L}{\partial B} = \frac{1}{m} \mathbf{1}^T G", "fails"),  # a mean where the sum is
])
def test_gradient_spellings_in_the_default_layer(claim: str, verdict: str) -> None:
    r = check_claim(claim)
    assert r.verdict.value == verdict, (claim, r.reason)


@pytest.mark.parametrize("claim,context,verdict", [
    (r"\frac{\partial L}{\partial W} = dY^T x", r"y = x W^T + b, x: N x din, W: dout x din, b: 1 x dout", "holds"),
    (r"\frac{\partial L}{\partial W} = x^T dY", r"y = x W^T + b, x: N x din, W: dout x din, b: 1 x dout", "fails"),
    (r"\frac{\partial L}{\partial W} = X^T dY", "Y = X W", "holds"),
])
def test_dX_names_the_gradient_of_the_letter_the_context_has(claim: str, context: str, verdict: str) -> None:
    r = check_claim(claim, context=context)
    assert r.verdict.value == verdict, (claim, r.reason)


def test_bold_with_a_subscript_inside_is_read_not_a_parse_error() -> None:
    r = check_claim(r"\boldsymbol{W_1} = \boldsymbol{W_1}^T")
    assert r.verdict.value in ("unchecked", "fails") and r.reason

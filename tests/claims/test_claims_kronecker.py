"""Kronecker products: the shape of A ⊗ X is a product of sizes, which shape inference does not tie, so
sizes symderiv chose can make a true claim ill-formed (tr(A ⊗ X) with X non-square). Such a claim is
`unchecked`, asking for the shapes, never `fails`; with the shapes declared it is decided. Truth by
hand: tr(A ⊗ X) = tr(A) tr(X), so ∂tr(A ⊗ X)/∂X = tr(A) I for square A and X."""

from __future__ import annotations

import pytest

from symderiv.claims import check_claim

CLAIM = r"\frac{\partial}{\partial X} \operatorname{Tr}(A \otimes X) = \operatorname{Tr}(A) I"


def test_chosen_sizes_never_make_a_kronecker_claim_fail() -> None:
    r = check_claim(CLAIM)
    assert r.verdict.value == "unchecked" and "⊗" in r.reason and "declare" in r.reason, r.reason


@pytest.mark.parametrize("claim,verdict", [
    (CLAIM, "holds"),
    (r"\frac{\partial}{\partial X} \operatorname{Tr}(A \otimes X) = \operatorname{Tr}(A) X", "fails"),
    (r"\frac{\partial}{\partial X} \operatorname{Tr}(A \otimes X) = 2 I", "fails"),
])
def test_with_shapes_declared_it_is_decided(claim: str, verdict: str) -> None:
    r = check_claim(claim, context="A: 2x2, X: 3x3")
    assert r.verdict.value == verdict, r.reason


def test_a_kronecker_claim_false_in_values_still_fails() -> None:
    r = check_claim(r"tr(A \otimes B) = tr(A) + tr(B)")
    assert r.verdict.value == "fails" and r.kind == "values", r.reason


# A 𝟏 whose length a declared batch of one makes 1: 𝟏, 𝟏ᵀ and 1 are alike there (the fuzzer's two false
# holds of 2026-12-05: ∂L/∂c = G𝟏ᵀ with N = 1, a transposed 𝟏 that only a batch of one hides).
@pytest.mark.parametrize("claim", [r"\frac{\partial L}{\partial c} = G \mathbf{1}^\intercal",
                                   r"\frac{\partial L}{\partial c} = G \mathbf{1}"])
def test_a_ones_vector_of_length_one_is_not_decided(claim: str) -> None:
    r = check_claim(claim, context="Y = W H + c, H: D x N, N = 1, D = 2")
    assert r.verdict.value == "unchecked" and "length 1" in r.reason, r.reason


def test_the_same_claims_are_decided_at_a_batch_that_shows_them() -> None:
    ctx = "Y = W H + c, H: D x N, D = 2"
    assert check_claim(r"\frac{\partial L}{\partial c} = G \mathbf{1}", context=ctx).verdict.value == "holds"
    assert check_claim(r"\frac{\partial L}{\partial c} = G \mathbf{1}^T", context=ctx).verdict.value == "fails"

"""Backprop code written as a claim (issue 15, item 3): NumPy, PyTorch and MATLAB spellings read as the
algebra they compute. Truth by hand for Y = X W + b (X: m×k, W: k×n, b a row): dW = XᵀdY (k×n),
dX = dY Wᵀ, db = the column sums of dY (NumPy axis 0, MATLAB dimension 1). Each true spelling has a
false twin (transposed, the other axis, the other order) that must fail."""

from __future__ import annotations

import pytest

from symderiv.claims import check_claim

LAYER = "Y = X W + b"

CASES = [
    ("dW = np.dot(X.T, dY)", "holds"), ("dW = np.dot(dY.T, X)", "fails"),
    ("dW = numpy.matmul(X.T, dY)", "holds"), ("dW = jnp.dot(X.T, dY)", "holds"),
    ("dW = torch.mm(X.t(), dY)", "holds"), ("dW = torch.mm(X, dY.t())", "fails"),
    ("dX = dY.mm(W.t())", "holds"), ("dX = dY.matmul(W)", "fails"),
    ("dX = dY @ W.T", "holds"), ("dX = W.T @ dY", "fails"),
    ("db = dY.sum(0)", "holds"), ("db = dY.sum(axis=0, keepdims=True)", "holds"), ("db = dY.sum(dim=0)", "holds"),
    ("db = dY.sum(axis=-1)", "fails"), ("db = torch.sum(dY, dim=0)", "holds"), ("db = np.sum(dY, axis=1)", "fails"),
    ("db = sum(dY, 1)", "holds"), ("db = sum(dY, 2)", "fails"),
    ("W.grad = X.T @ dY", "holds"), ("X.grad = X.T @ dY", "fails"),
    ("dW = np.einsum('ij,ik->jk', X, dY)", "holds"), ("dW = np.einsum('ij,ik->kj', X, dY)", "fails"),
    ("dW = np.einsum('ki,kj->ij', X, dY)", "holds"), ("dX = np.einsum('ij,kj->ik', dY, W)", "holds"),
    ("dX = np.einsum('ij,jk->ik', dY, W)", "fails"), ("db = np.einsum('ij->j', dY)", "holds"),
    ("db = np.einsum('ij->i', dY)", "fails"), ("dW = np.einsum('ij->ji', np.dot(dY.T, X))", "holds"),
    ("db = dY.mean(axis=0)", "fails"),  # the batch mean where the sum is: backprop's "scaled by 1/m" mistake
]


@pytest.mark.parametrize("claim,verdict", CASES, ids=[c for c, _ in CASES])
def test_code_spellings_are_read_as_their_algebra(claim: str, verdict: str) -> None:
    r = check_claim(claim, LAYER)
    assert r.verdict.value == verdict, (claim, r.reason)


@pytest.mark.parametrize("claim,verdict", [
    ("dW = np.outer(x, dy)", "holds"), ("dW = np.outer(dy, x)", "fails"), ("dW = torch.outer(x, dy)", "holds"),
])
def test_outer_products(claim: str, verdict: str) -> None:
    r = check_claim(claim, "y = W^T x + b")  # ∂L/∂W = x (∂L/∂y)ᵀ
    assert r.verdict.value == verdict, (claim, r.reason)


@pytest.mark.parametrize("claim,context,verdict", [
    (r"dY.mean(axis=0) = \frac{1}{N} \mathbf{1}^T dY", "Y = X W + b, X: N x D", "holds"),
    (r"dY.mean(axis=1) = \frac{1}{M} dY \mathbf{1}", "Y = X W + b, X: N x D, W: D x M", "holds"),
    (r"dY.mean(axis=0) = \frac{1}{M} \mathbf{1}^T dY", "Y = X W + b, X: N x D, W: D x M", "fails"),
])
def test_a_mean_divides_by_the_size_along_its_axis(claim: str, context: str, verdict: str) -> None:
    r = check_claim(claim, context)
    assert r.verdict.value == verdict, (claim, r.reason)


@pytest.mark.parametrize("claim", [
    "dW = np.einsum('ijk,ik->jk', X, dY)",  # a three-index operand
    "dW = np.einsum('ij,ij->ij', X, dY)",  # elementwise, nothing summed
    "dW = np.einsum('ij,ik', X, dY)",  # implicit output: not read
    "db = dY.sum(axis=2)",
])
def test_what_cannot_be_read_is_unchecked_never_a_guess(claim: str) -> None:
    r = check_claim(claim, LAYER)
    assert r.verdict.value == "unchecked", (claim, r.verdict.value, r.reason)

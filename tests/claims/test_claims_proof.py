"""Claims in index notation are proved for every size when the prover can show it
(issue: prove), and otherwise say they hold at the sizes checked; a wrong claim
is never 'proved'."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from symderiv.claims import check_claim

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "schema" / "claim-1.json").read_text())
CTX = "Y = X W; X: N x D; W: D x M"


def test_the_issue_example_is_proved_for_all_sizes() -> None:
    r = check_claim(r"\frac{\partial L}{\partial w_{pq}} = \sum_{i=1}^{N} x_{ip} g_{iq}", context=CTX)
    assert r.verdict.value == "holds" and r.proof == "all-sizes", r.reason
    assert "proved for all sizes" in r.reason
    jsonschema.validate(r.to_dict(), SCHEMA)
    assert r.to_dict()["proof"] == "all-sizes"


@pytest.mark.parametrize("claim,context", [
    (r"\frac{\partial L}{\partial x_{pq}} = \sum_{j=1}^{M} g_{pj} w_{qj}", CTX),
    (r"\frac{\partial L}{\partial b_{q}} = \sum_{i} g_{iq}", "Y = X W + b"),
    (r"\frac{\partial L}{\partial w_{pq}} = \sum_{i} g_{ip} x_{iq}", "Y = X W^T + b"),
    (r"\frac{\partial L}{\partial w_{pq}} = \sum_{j} g_{pj} x_{qj}", "Y = W X + b"),
    (r"\frac{\partial y_{ij}}{\partial w_{pq}} = x_{ip} \delta_{jq}", "Y = X W"),
])
def test_layer_conventions_are_proved(claim: str, context: str) -> None:
    r = check_claim(claim, context=context)
    assert r.verdict.value == "holds" and r.proof == "all-sizes", r.reason


@pytest.mark.parametrize("claim,context", [
    (r"\frac{\partial L}{\partial w_{pq}} = \sum_{i=1}^{N} x_{iq} g_{ip}", CTX),
    (r"\frac{\partial L}{\partial w_{pq}} = x_{1p} g_{1q}", CTX),
    (r"\frac{\partial y_{ij}}{\partial w_{pq}} = x_{iq} \delta_{jp}", "Y = X W"),
])
def test_mutants_are_not_proved(claim: str, context: str) -> None:
    r = check_claim(claim, context=context)
    assert r.verdict.value != "holds" and r.proof is None, r.reason


def test_the_matrix_claim_of_issue_15_is_proved_for_all_sizes() -> None:
    """Issue 15 item 6: `dL/dW = X^T G` with `Y = X W, X: N x D, W: D x M` (it said: held at two sizes)."""
    r = check_claim(r"\frac{\partial L}{\partial W} = X^\top G", context=CTX)
    assert r.verdict.value == "holds" and r.proof == "all-sizes", r.reason
    assert r.to_dict()["proof"] == "all-sizes"


@pytest.mark.parametrize("claim", [
    "dL/dW = X^T G",  # the issue's matrix-level example
    "dW = X^T dY",  # backprop code's names: dY is the upstream G
    r"\frac{\partial L}{\partial X} = G W^T",
    "dL/dW = (G^T X)^T",
    "dL/dW = 2 X^T G - X^T G",
    "dL/dW = X^T G + X^T G - X^T G",
])
def test_matrix_level_gradients_are_proved_for_all_sizes(claim: str) -> None:
    """[∂L/∂W]_{pq} = (M)_{pq} handed to the prover: equal entries at every p, q and every N, D, M."""
    r = check_claim(claim, context="Y = X W + b, X: N x D, W: D x M")
    assert r.verdict.value == "holds" and r.proof == "all-sizes", r.reason
    assert "D, M, N" in r.reason


@pytest.mark.parametrize("claim,context,verdict", [
    ("dL/dW = G^T X", "Y = X W + b, X: N x D, W: D x M", "fails"),  # never proved: it is false
    ("dL/dW = X G", "Y = X W, X: 1 x 1, W: 1 x 1", "holds"),  # true at 1×1 only: holds there, not proved
])
def test_what_is_not_true_for_every_size_is_not_proved(claim: str, context: str, verdict: str) -> None:
    r = check_claim(claim, context=context)
    assert r.verdict.value == verdict and r.proof != "all-sizes", (r.verdict, r.proof, r.reason)

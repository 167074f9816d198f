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


def test_a_matrix_claim_holds_at_the_sizes_checked() -> None:
    r = check_claim(r"\frac{\partial L}{\partial W} = X^\top G", context=CTX)
    assert r.verdict.value == "holds" and r.proof == "sizes"
    assert "proved" not in r.reason

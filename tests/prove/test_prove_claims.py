"""`prove_claim`: index-notation claims about the three layer conventions and the
Jacobian entry are proved for every size; mutants (swapped indices, a missing sum,
a wrong δ, a wrong bound) are not; claims outside its reach give None."""

from __future__ import annotations

import pytest

from symderiv.claims.context import build_context
from symderiv.claims.parser import parse
from symderiv.prove.claims import prove_claim

XW = "Y = X W + b; X: N x D; W: D x M; b: 1 x M; N = 3; D = 2; M = 4"
XWT = "Y = X W^T + b; X: N x D; W: M x D; b: 1 x M; N = 3; D = 2; M = 4"
WX = "Y = W X + b; X: D x N; W: M x D; b: M x 1; N = 3; D = 2; M = 4"
dL = r"\frac{\partial L}{\partial "

TRUE = [
    ("Y = X W; X: N x D; W: D x M; N = 3; D = 2; M = 4", dL + r"w_{pq}} = \sum_{i=1}^{N} x_{ip} g_{iq}"),
    (XW, dL + r"w_{pq}} = \sum_{i=1}^{N} x_{ip} g_{iq}"),
    (XW, dL + r"w_{pq}} = \sum_{i} x_{ip} g_{iq}"),
    (XW, dL + r"w_{pq}} = (X^T G)_{pq}"),
    (XW, dL + r"x_{ip}} = \sum_{j=1}^{M} g_{ij} w_{pj}"),
    (XW, dL + r"b_{q}} = \sum_{i=1}^{N} g_{iq}"),
    (XWT, dL + r"w_{pq}} = \sum_{i=1}^{N} g_{ip} x_{iq}"),
    (XWT, dL + r"x_{ip}} = \sum_{j=1}^{M} g_{ij} w_{jp}"),
    (XWT, dL + r"b_{q}} = \sum_{i=1}^{N} g_{iq}"),
    (WX, dL + r"w_{pq}} = \sum_{j=1}^{N} g_{pj} x_{qj}"),
    (WX, dL + r"x_{pq}} = \sum_{i=1}^{M} w_{ip} g_{iq}"),
    (WX, dL + r"b_{p}} = \sum_{j=1}^{N} g_{pj}"),
    (XW, r"\frac{\partial y_{ij}}{\partial w_{pq}} = x_{ip} \delta_{jq}"),
    (XWT, r"\frac{\partial y_{ij}}{\partial w_{pq}} = x_{iq} \delta_{jp}"),
    (WX, r"\frac{\partial y_{ij}}{\partial w_{pq}} = \delta_{ip} x_{qj}"),
]

MUTANTS = [
    (XW, dL + r"w_{pq}} = \sum_{i=1}^{N} x_{iq} g_{ip}"),  # indices swapped
    (XW, dL + r"w_{pq}} = x_{ip} g_{iq}"),  # the sum is missing
    (XW, dL + r"w_{pq}} = \sum_{i=1}^{D} x_{ip} g_{iq}"),  # the wrong bound
    (XW, dL + r"w_{pq}} = (G^T X)_{qp} + x_{1p} g_{1q}"),  # an extra term
    (XW, dL + r"b_{q}} = g_{1q}"),  # the bias sum is missing
    (XWT, dL + r"w_{pq}} = \sum_{i=1}^{N} x_{ip} g_{iq}"),  # the zw answer in the zwt layer
    (WX, dL + r"w_{pq}} = \sum_{j=1}^{N} x_{pj} g_{qj}"),
    (XW, r"\frac{\partial y_{ij}}{\partial w_{pq}} = x_{ip} \delta_{jp}"),  # swapped δ indices
    (XW, r"\frac{\partial y_{ij}}{\partial w_{pq}} = x_{ip}"),  # the δ dropped
]


@pytest.mark.parametrize("context,claim", TRUE)
def test_true_claims_are_proved_for_all_sizes(context: str, claim: str) -> None:
    out = prove_claim(parse(claim), build_context(context))
    assert out is not None and out.proved, out
    assert set(out.sizes) == {"N", "D", "M"}


@pytest.mark.parametrize("context,claim", MUTANTS)
def test_mutants_are_not_proved(context: str, claim: str) -> None:
    out = prove_claim(parse(claim), build_context(context))
    assert out is not None and not out.proved, out


def test_the_issue_example() -> None:
    out = prove_claim(parse(dL + r"w_{pq}} = \sum_{i=1}^{N} x_{ip} g_{iq}"),
                      build_context("Y = X W; X: N x D; W: D x M; N = 3; D = 2; M = 4"))
    assert out is not None and out.proved and "proved for all D, M, N" in out.reason


def test_default_layer_when_no_context() -> None:
    out = prove_claim(parse(dL + r"w_{pq}} = \sum_{i=1}^{m} z_{ip} g_{iq}"), build_context(None))
    assert out is not None and out.proved and set(out.sizes) == {"m", "k", "n"}
    out = prove_claim(parse(dL + r"w_{pq}} = \sum_{i=1}^{m} g_{ip} z_{iq}"), build_context(None), "zwt")
    assert out is not None and out.proved


@pytest.mark.parametrize("claim,context", [
    (r"\frac{\partial L}{\partial W} = X^T G", XW),  # a matrix claim: verify's business
    (r"\mathrm{tr}(X W) = \mathrm{tr}(W X)", None),
    (dL + r"w_{pq}} = \sum_{i=1}^{N} x_{ip} y_{iq}", "Y = X W; L = \\frac{1}{2} \\|Y\\|_F^2; X: N x D; W: D x M; "
                                                    "N = 3; D = 2; M = 4"),  # a concrete loss
])
def test_outside_the_prover_gives_none(claim: str, context: str | None) -> None:
    assert prove_claim(parse(claim), build_context(context)) is None


DELTA = r"Y = X W + b, \delta = \frac{\partial L}{\partial Y}"


@pytest.mark.parametrize("claim,context,proved", [
    # shapes left to the context's definition: symbolic placeholders, unified through the product
    (dL + r"w_{pq}} = \sum_{i} x_{ip} g_{iq}", "Y = X W + b", True),
    (dL + r"w_{pq}} = \sum_{i} x_{iq} g_{ip}", "Y = X W + b", False),
    (r"\left[\frac{\partial L}{\partial W}\right]_{pq} = \sum_i x_{ip} g_{iq}", "Y = X W + b", True),
    # the upstream gradient written as ∂L/∂y_{ij}, and the chain rule written out
    (dL + r"x_{ik}} = \sum_j \frac{\partial L}{\partial y_{ij}} w_{kj}", "Y = X W + b", True),
    (dL + r"x_{ik}} = \sum_j \frac{\partial L}{\partial y_{ij}} w_{jk}", "Y = X W + b", False),
    (dL + r"w_{kl}} = \sum_{i,j} \frac{\partial L}{\partial y_{ij}} \frac{\partial y_{ij}}{\partial w_{kl}}",
     "Y = X W + b", True),
    # δ named as the upstream gradient in the context: δ_{nj} is ∂L/∂y_{nj}, not Kronecker's
    (r"\frac{\partial L}{\partial W_{ij}} = \sum_n X_{ni} \delta_{nj}", DELTA, True),
    (r"\frac{\partial L}{\partial W_{ij}} = X_{ni} \delta_{nj}", DELTA, False),  # the sum over n is missing
    (r"\frac{\partial L}{\partial X_{ij}} = \sum_k \delta_{ik} W_{jk}", DELTA, True),
    (r"\frac{\partial L}{\partial X_{ij}} = \sum_k \delta_{ik} W_{kj}", DELTA, False),
    # Kronecker's δ in a Jacobian entry
    (r"\frac{\partial y_{ij}}{\partial x_{kl}} = \delta_{ik} w_{lj}", "Y = X W + b", True),
    (r"\frac{\partial y_{ij}}{\partial x_{kl}} = \delta_{jk} w_{lj}", "Y = X W + b", False),
    (r"\frac{\partial y_{ij}}{\partial b_{k}} = \delta_{jk}", "Y = X W + b", True),
])
def test_notation_people_write(claim: str, context: str, proved: bool) -> None:
    out = prove_claim(parse(claim), build_context(context))
    assert out is not None and out.proved is proved, out


def test_a_numbered_entry_is_proved_where_it_exists() -> None:
    # b_3 exists only when n ≥ 3: proved for every such n, and the reason says so
    out = prove_claim(parse(dL + r"b_{3}} = \sum_{i=1}^{m} g_{i,3}"), build_context(None))
    assert out is not None and out.proved and "n ≥ 3" in out.reason
    out = prove_claim(parse(dL + r"w_{2,3}} = \sum_{i=1}^{m} z_{i,3} g_{i,2}"), build_context(None))
    assert out is not None and not out.proved


def test_an_index_named_like_a_size_is_not_the_size() -> None:
    # in the default layer k is a size (Z is m×k); here it is also an index, and must stay one
    out = prove_claim(parse(dL + r"z_{ik}} = \sum_{j=1}^{n} g_{ij} w_{kj}"), build_context(None))
    assert out is not None and out.proved, out
    out = prove_claim(parse(dL + r"w_{kn}} = \sum_{i=1}^{k} z_{ik} g_{in}"), build_context(None))
    assert out is not None and not out.proved, out  # the sum must run to m, not to k


def test_a_size_given_a_value_is_not_a_proof_for_all_sizes() -> None:
    # Σ_{i=1}^{3} holds when N = 3, as the context says, but not for every N
    out = prove_claim(parse(dL + r"b_{j}} = \sum_{i=1}^{3} g_{ij}"),
                      build_context("Y = X W + b, X: N x D, N = 3, D = 2"))
    assert out is not None and not out.proved


def test_sizes_without_values_are_enough() -> None:
    # the claims engine will soon accept X: N x D with no value for N; the prover never reads the values
    from symderiv.claims.context import Context

    ctx = Context(text="Y = X W; X: N x D; W: D x M", shapes={"X": ("N", "D"), "W": ("D", "M")},
                  defs=[("Y", parse("Y = X W").parts[1])], upstream="G")
    out = prove_claim(parse(dL + r"w_{pq}} = \sum_{i=1}^{N} x_{ip} g_{iq}"), ctx)
    assert out is not None and out.proved and out.sizes == ("D", "M", "N")

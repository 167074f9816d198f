"""Beyond the basics: norms, vector layers, shape claims (∈ ℝ^{…}), implicit
sums, flattened Jacobians (which vec ordering makes them true), and contexts
whose shapes a claim cannot bend."""

from __future__ import annotations

import pytest

from symderiv.claims import check_claim

HOLDS = [
    (r"\|X\|_F^2 = \operatorname{tr}(X^\top X)", "X: 3x2", "gradient"),
    ("||x||^2 = x^T x", "", "gradient"),
    (r"\frac{\partial}{\partial W} \frac{1}{2}\|X W - Y\|_F^2 = X^\top (X W - Y)", "X: 3x2, W: 2x4", "gradient"),
    (r"\frac{\partial L}{\partial \mathbf{x}} = \mathbf{W}^T \frac{\partial L}{\partial \mathbf{y}}", "y = W x + b",
     "gradient"),
    (r"\frac{\partial L}{\partial b} = \frac{\partial L}{\partial y}", "y = W x + b", "gradient"),
    (r"\frac{\partial y_i}{\partial x_j} = W_{ij}", "y = W x", "gradient"),
    (r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = \mathbf{W}", "y = W x", "numerator"),
    (r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = \mathbf{W}^\top", "y = W x", "gradient"),
    (r"\frac{\partial L}{\partial W} \in \mathbb{R}^{D \times M}", "Y = X W, X: N x D, W: D x M, N=2, D=3, M=4", "gradient"),
    (r"\frac{\partial Y}{\partial W} \in \mathbb{R}^{N \times M \times D \times M}", "Y = X W, X: N x D, W: D x M, N=2, D=3, M=4",
     "gradient"),
    (r"y_{ij} = \sum_k x_{ik} w_{kj} + b_j", "Y = X W + b", "gradient"),
    (r"\frac{\partial \operatorname{vec}(Y)}{\partial \operatorname{vec}(W)} = I_n \otimes X", "Y = X W", "numerator"),
    (r"\operatorname{vec}(A X B) = (B^T \otimes A) \operatorname{vec}(X)", "A: 2x3, X: 3x4, B: 4x2", "gradient"),
    ("dX = dY @ W.T", "Y = X W", "gradient"),
    (r"\frac{\partial L}{\partial X} = G W", "Y = X W^T", "gradient"),
]


@pytest.mark.parametrize("text,context,layout", HOLDS)
def test_holds(text: str, context: str, layout: str) -> None:
    r = check_claim(text, context=context, layout=layout)
    assert r.verdict.value == "holds", r.reason


def test_membership_fails_with_the_transposed_shape() -> None:
    r = check_claim(r"\frac{\partial L}{\partial W} \in \mathbb{R}^{M \times D}", "Y = X W, X: N x D, W: D x M, N=2, D=3, M=4")
    assert r.verdict.value == "fails" and r.kind == "shapes"
    assert r.layouts["numerator"] == "holds"


def test_vector_jacobian_layouts() -> None:
    r = check_claim(r"\frac{\partial \mathbf{y}}{\partial \mathbf{x}} = \mathbf{W}", "y = W x")
    assert r.verdict.value == "fails" and r.layouts == {"gradient": "fails", "numerator": "holds"}


def test_implicit_sum_is_explained() -> None:
    # i repeated with no Σ: summed (Einstein) it holds, free it fails; the readings disagree
    r = check_claim(r"\frac{\partial L}{\partial w_{pq}} = x_{ip} g_{iq}", "Y = X W")
    assert r.verdict.value == "unchecked"
    assert "Einstein" in r.reason and "free" in r.reason and "it holds" in r.reason and "it fails" in r.reason
    # both readings false: the verdict is fails
    r = check_claim(r"\frac{\partial L}{\partial w_{pq}} = x_{iq} g_{ip}", "Y = X W")
    assert r.verdict.value == "fails"


def test_flattening_is_named() -> None:
    r = check_claim(r"\frac{\partial \operatorname{vec}(Y)}{\partial \operatorname{vec}(W)} = X \otimes I_n", "Y = X W",
                    layout="numerator")
    assert r.verdict.value == "fails" and "row-major" in r.suggestion
    r = check_claim(r"\frac{\partial \operatorname{vec}(Y)}{\partial \operatorname{vec}(W)} = I_n \otimes X", "Y = X W")
    assert r.verdict.value == "fails" and r.layouts["numerator"] == "holds"
    r = check_claim(r"\operatorname{vec}(X W) = (I \otimes X) \operatorname{vec}(W)", "X: 3x2, W: 2x4")
    assert r.verdict.value == "unchecked"


def test_a_claim_cannot_make_context_matrices_square() -> None:
    # G Wᵀ would type-check only if W were square; the context fixed W's shape first
    r = check_claim(r"\frac{\partial L}{\partial X} = G W^\top", "Y = X W^T")
    assert r.verdict.value == "fails" and r.kind == "ill-formed"
    assert "G W" in r.suggestion


def test_unsupported_stays_unchecked() -> None:
    for text, ctx in [("‖x‖ = x^T x", ""), (r"\frac{\partial L}{\partial W} = X^T \delta", "Y = X W"),
                      (r"\frac{\partial L}{\partial W} = \sum_{n=1}^{N} x_n g_n^T", "Y = X W, X: N x D, N = 3, D = 2")]:
        r = check_claim(text, context=ctx)
        assert r.verdict.value == "unchecked", (text, r.reason)


def test_sizes_nothing_fixes_do_not_decide() -> None:
    for text in ("tr(I) = 3", "x^T x = x_1^2 + x_2^2 + x_3^2"):
        r = check_claim(text, context="")
        assert r.verdict.value == "unchecked", r.reason
    assert check_claim("x^T x = x_1^2 + x_2^2 + x_3^2", context="x: 3").verdict.value == "holds"
    assert check_claim("tr(A B) = tr(B A)", context="").verdict.value == "holds"


def test_stdin_claim() -> None:
    from typer.testing import CliRunner

    from symderiv.cli import app

    result = CliRunner().invoke(app, ["claim", "-"], input="$$\\frac{\\partial L}{\\partial W}\n= Z^\\top G$$\n")
    assert result.exit_code == 0 and "HOLDS" in result.stdout


def test_greek_upstream_name() -> None:
    ctx = r"Y = X W, \delta = \frac{\partial L}{\partial Y}"
    text = r"\frac{\partial L}{\partial \mathbf{W}} = \mathbf{X}^{\intercal} \boldsymbol{\delta}"
    assert check_claim(text, ctx).verdict.value == "holds"
    assert check_claim(r"\frac{\partial L}{\partial w_{pq}} = \sum_i x_{ip} \delta_{iq}", ctx).verdict.value == "holds"
    r = check_claim(r"\frac{\partial L}{\partial X} = \delta W", ctx)
    assert r.verdict.value == "fails" and "δ Wᵀ" in r.suggestion
    # without the declaration δ_{jq} is Kronecker's delta
    assert check_claim(r"\frac{\partial y_{ij}}{\partial w_{pq}} = x_{ip} \delta_{jq}", "Y = X W").verdict.value == "holds"


ALIGNED = r"""\begin{aligned}
\frac{\partial L}{\partial w_{pq}} &= \sum_{i=1}^{m} g_{iq} x_{ip} \\
&= (X^\top G)_{pq} \nonumber
\end{aligned}"""


def test_aligned_derivations_are_chains() -> None:
    r = check_claim(ALIGNED, "Y = X W")
    assert r.verdict.value == "holds", r.reason
    wrong = ALIGNED.replace("(X^\\top G)_{pq}", "(G^\\top X)_{pq}")
    r = check_claim(wrong, "Y = X W")
    assert r.verdict.value == "fails" and "(Gᵀ X)_{q,p}" in r.suggestion
    several = "\\begin{aligned} \\frac{dL}{dW} &= X^T G \\\\ \\frac{dL}{dX} &= G W^T \\end{aligned}"
    r = check_claim(several, "Y = X W")
    assert r.verdict.value == "unchecked" and r.kind == "parse"
    with_matrix = ("\\begin{align} A &= \\begin{bmatrix} a_{11} & a_{12} \\\\ a_{21} & a_{22} \\end{bmatrix} "
                   "\\\\ &= A \\end{align}")
    assert check_claim(with_matrix, "A: 2x2").verdict.value == "holds"


def test_entries_of_expressions() -> None:
    assert check_claim(r"(X W)_{ij} = \sum_k x_{ik} w_{kj}", "").verdict.value == "holds"
    assert check_claim(r"(A B)^T_{ij} = (B^T A^T)_{ij}", "").verdict.value == "holds"
    r = check_claim(r"\frac{\partial L}{\partial w_{pq}} = (X^\top G)_{qp}", "Y = X W")
    assert r.verdict.value == "fails" and r.kind == "ill-formed"


@pytest.mark.parametrize("text,context,verdict", [
    (r"y_{ij} = \sum_k x_{ik} w_{kj} \quad \forall i, j", "Y = X W", "holds"),
    (r"y_{ij} = \sum_k x_{ik} w_{kj}, \quad \text{for all } i,j.", "Y = X W", "holds"),
    (r"\sum_{i=0}^{2} x_{i} = x_0 + x_1 + x_2", "x: 3", "unchecked"),  # 0-based: not our convention
    (r"\frac{\partial L}{\partial W} = \frac{\partial L}{\partial y} x^T", "y = W x", "holds"),
    (r"\frac{\partial L}{\partial W_{ij}} = \frac{\partial L}{\partial y_i} x_j", "y = W x", "holds"),
    (r"\frac{\partial L}{\partial W} = x \frac{\partial L}{\partial y}^T", "y = W x", "fails"),
])
def test_more_real_notation(text: str, context: str, verdict: str) -> None:
    assert check_claim(text, context=context).verdict.value == verdict


MSE = r"\hat{Y} = X W, L = \frac{1}{2} \|\hat{Y} - T\|_F^2"


@pytest.mark.parametrize("text,verdict", [
    (r"\frac{\partial L}{\partial \hat{Y}} = \hat{Y} - T", "holds"),
    (r"\frac{\partial L}{\partial \hat{y}_{ij}} = \hat{y}_{ij} - t_{ij}", "holds"),
    (r"\frac{\partial L}{\partial W} = X^T (\hat{Y} - T)", "holds"),
    (r"\frac{\partial L}{\partial W} = X^T (X W - T)", "holds"),
    (r"\frac{\partial L}{\partial W} = (\hat{Y} - T) X^T", "fails"),
    (r"\frac{\partial L}{\partial W} = 2 X^T (\hat{Y} - T)", "fails"),
])
def test_a_concrete_loss_in_the_context(text: str, verdict: str) -> None:
    assert check_claim(text, context=MSE).verdict.value == verdict

"""The notation people actually write, beyond the corpus: each spelling of a
true statement holds, and the same spelling of a planted mistake fails."""

from __future__ import annotations

import pytest

from symderiv.claims import check_claim

LAYER_TRUE = [
    r"\frac{\partial L}{\partial W} = Z^\top G",
    r"\frac{\partial L}{\partial W} = Z^T G",
    r"\frac{\partial L}{\partial W} = Z^{T} G",
    r"\frac{\partial L}{\partial W} = Z^{\top} G",
    r"\frac{\partial L}{\partial W} = Z^\intercal G",
    r"\frac{\partial L}{\partial \mathbf{W}} = \mathbf{Z}^\top \mathbf{G}",
    r"\frac{\partial \mathcal{L}}{\partial W} = Z^\top G",
    r"\dfrac{\partial L}{\partial W} = Z^\top \cdot G",
    r"\frac{\partial L}{\partial W} = Z^\top \times G",
    r"$$\frac{\partial L}{\partial W} = \left( Z^\top \right) G.$$",
    r"\frac{dL}{dW} = Z^T G",
    r"\frac{d L}{d W} = Z^T G",
    "dL/dW = Z^T G",
    "dL/dW = Z' G",
    "dL/dW = Z.T @ G",
    "dL/dW = Z^T * G",
    "∂L/∂W = Zᵀ G",
    r"\partial L / \partial W = Z^T G",
    r"\nabla_W L = Z^\top G",
    "dW = Z.T @ dA",
    r"\frac{\partial L}{\partial W} = \overbrace{Z^\top G}^{\text{the VJP}}",
    r"\frac{\partial L}{\partial W} = \underbrace{Z^\top}_{k \times m} \underbrace{G}_{m\times n}",
    r"\frac{\partial L}{\partial Z} = G W^\top",
    r"\frac{\partial L}{\partial B} = \mathbf{1}^\top G",
    r"\frac{\partial L}{\partial W} = Z^\top G = \frac{\partial L}{\partial W}",
    r"\frac{\partial L}{\partial w_{p,q}} = \sum_{i=1}^{m} z_{i,p} g_{i,q}",
    r"\frac{\partial L}{\partial w_{pq}} = \sum_{i=1}^{m} z_{ip} g_{iq}",
    r"\frac{\partial L}{\partial w_{pq}} = \sum_i z_{ip} g_{iq}",
    "dL/dw_{pq} = sum_{i=1}^{m} z_{i,p} g_{i,q}",
    r"\frac{\partial L}{\partial W_{pq}} = \sum_{i=1}^{m} Z_{ip} G_{iq}",
    r"\frac{\partial L}{\partial b_j} = \sum_{i=1}^{m} g_{ij}",
    r"A = Z W + B",
]

# Written out entry by entry, a claim is about particular sizes (m = 3 rows, k = 2 inner):
# it holds where those sizes are declared, and is not decided where symderiv would choose them.
LAYER_TRUE_AT_3_2_4 = [
    r"\frac{\partial L}{w_{1,2}} = g_{1,2} z_{1,1} + g_{2,2} z_{2,1} + g_{3,2} z_{3,1}",
    r"\frac{\partial L}{\partial w_{12}} = \frac{\partial L}{\partial a_{12}} z_{11} + "
    r"\frac{\partial L}{\partial a_{22}} z_{21} + \frac{\partial L}{\partial a_{32}} z_{31}",
    r"a_{1,1} = z_{1,1} w_{1,1} + z_{1,2} w_{2,1} + b_{1}",
]


@pytest.mark.parametrize("text", LAYER_TRUE)
def test_layer_spellings_hold(text: str) -> None:
    r = check_claim(text)
    assert r.verdict.value == "holds", r.reason


@pytest.mark.parametrize("text", LAYER_TRUE_AT_3_2_4)
def test_entry_by_entry_claims_hold_only_at_declared_sizes(text: str) -> None:
    r = check_claim(text, sizes={"m": 3, "k": 2, "n": 4})
    assert r.verdict.value == "holds", r.reason
    r = check_claim(text)
    assert r.verdict.value == "unchecked" and "depends on sizes" in r.reason, r.reason


FREE_TRUE = [
    (r"\operatorname{tr}(A B) = \mathrm{tr}(B A)", "A: 3x2, B: 2x3"),
    ("tr(A B) = tr(B A)", "A: 3x2, B: 2x3"),
    (r"\langle A, B \rangle_F = \operatorname{tr}(A^\top B)", "A: 3x2, B: 3x2"),
    (r"<A, B>_F = tr(A^T B)", "A: 3x2, B: 3x2"),
    (r"\langle A,B\rangle = \operatorname{tr}(B^\top A)", ""),
    (r"(A B)^\top = B^\top A^\top", "A: 3x2, B: 2x4"),
    ("(A B)' = B' A'", ""),
    ("(A @ B).T = B.T @ A.T", ""),
    (r"\begin{bmatrix} a_{11} & a_{12} \\ a_{21} & a_{22} \end{bmatrix} = A", "A: 2x2"),
    (r"\begin{pmatrix} a_{1,1} & a_{2,1} \\ a_{1,2} & a_{2,2} \end{pmatrix} = A^T", "A: 2x2"),
    (r"A I = A", "A: 3x2"),
    (r"\frac{\partial Y}{\partial w_{pq}} = X E_{pq}", "Y = X W"),
    (r"\frac{\partial y_{ij}}{\partial w_{pq}} = x_{ip} \delta_{jq}", "Y = X W"),
    (r"\frac{\partial f_{i,j}}{\partial w_{p,q}} = x_{i,p} \delta_{j,q}", "F = X W, X: 2x3, W: 3x4"),
    (r"\frac{\partial y_{ij}}{\partial x_{pq}} = \delta_{ip} w_{qj}", "Y = X W"),
    (r"\frac{\partial L}{\partial X} = G W^\top", "Y = X W + b"),
    (r"\frac{\partial L}{\partial b} = \mathbf{1}^\top G", "Y = X W + b"),
    (r"\frac{\partial L}{\partial X} = W^T G", "D = W X"),
    (r"\frac{\partial L}{\partial W} = G X^T", "D = W X"),
    ("d tr(X W)/dW = X^T", "X: 3x2, W: 2x3"),
    ("d tr(X W)/dW = X'", "X: 3x2, W: 2x3"),
    (r"\frac{\partial}{\partial W} \operatorname{tr}(W X^\top) = X", ""),
    (r"\nabla_x x^\top A x = (A + A^\top) x", ""),
    (r"\frac{\partial}{\partial x} \left( x^T A x \right) = A x + A^T x", "A: 3x3"),
    (r"\frac{\partial L}{\partial X} = \frac{\partial L}{\partial Y} W^T", "Y = X W"),
    (r"\frac{\partial L}{\partial H} = G V^T", "H = X W, Y = H V"),
    (r"\frac{\partial L}{\partial W} = X^T G V^T", "H = X W, Y = H V"),
    (r"\frac{1}{2} \cdot 2 A = A", "A: 2x3"),
    (r"2 A - A = A", "A: 2x3"),
]


@pytest.mark.parametrize("text,context", FREE_TRUE)
def test_free_spellings_hold(text: str, context: str) -> None:
    r = check_claim(text, context=context)
    assert r.verdict.value == "holds", r.reason


def test_chained_equalities_check_every_link() -> None:
    r = check_claim(r"\frac{\partial L}{\partial W} = Z^\top G = G^\top Z")
    assert r.verdict.value == "fails" and r.counterexample["link"] == 1
    r = check_claim(r"Z^\top G = G Z^\top = \frac{\partial L}{\partial W}")
    assert r.verdict.value == "fails" and r.kind == "ill-formed"


def test_sloppy_notation_is_not_silently_true() -> None:
    for text in (r"\frac{\partial L}{w_{1,2}} = g_{1,2}", "dL/dW = Z G", r"\sigma(Z) = Z \sigma"):
        assert check_claim(text).verdict.value != "holds", text


@pytest.mark.parametrize("text", [
    r"\frac{\partial L}{\partial W} = \exp(Z)",
    r"\frac{\partial L}{\partial W} = Z^{-1} G",
    r"\frac{\partial L}{\partial W} = \breve{Z} G",
    r"\frac{\partial L}{\partial W} = \operatorname{softmax}(Z)",
    r"\frac{\partial^2 L}{\partial W^2} = 0",
    r"\frac{\partial L}{\partial W} \approx Z^\top G",
    r"\frac{\partial L}{\partial W} := Z^\top G",
    r"Z^\top G",
])
def test_unsupported_is_unchecked(text: str) -> None:
    r = check_claim(text)
    assert r.verdict.value == "unchecked", r.reason
    assert r.kind in ("unsupported", "parse")

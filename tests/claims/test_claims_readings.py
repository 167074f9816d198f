"""Claims read as a careful reader reads them (issue 15): a letter's kind comes from the
evidence (bold, a transpose, a norm, a product with a matrix), never from the alphabet;
readings that disagree leave the claim unchecked, naming both.

Truth of each claim is stated by hand in its comment (βᵀAβ has gradient (A + Aᵀ)β, …)."""

from __future__ import annotations

import pytest

from symderiv.claims import check_claim

# The false holds of issue 15: a Greek letter read as a scalar although bold or transposed.
# Each is false for a general (non-symmetric, non-square where allowed) A, B.
FALSE_HOLDS = [
    r"\frac{\partial}{\partial \boldsymbol{\beta}} \boldsymbol{\beta}^\top \mathbf{A} \boldsymbol{\beta} "
    r"= 2 \mathbf{A} \boldsymbol{\beta}",
    r"\frac{\partial}{\partial \theta} \theta^\top A \theta = 2 A \theta",
    r"\frac{\partial}{\partial \boldsymbol{\beta}} (A \boldsymbol{\beta})^\top (B \boldsymbol{\beta}) "
    r"= 2 A^\top B \boldsymbol{\beta}",
    r"\frac{\partial}{\partial \beta} \beta^T A \beta = 2 A \beta",
    r"\frac{\partial}{\partial \boldsymbol{\theta}} \boldsymbol{\theta}^\top A \boldsymbol{\theta} "
    r"= 2 A^\top \boldsymbol{\theta}",
    r"\frac{\partial}{\partial \mu} \mu^\top \Sigma \mu = 2 \Sigma \mu".replace(r"\Sigma", "S"),
    r"\frac{\partial}{\partial \bm{\alpha}} \bm{\alpha}^\top A \bm{\alpha} = 2 A \bm{\alpha}",
]


@pytest.mark.parametrize("text", FALSE_HOLDS)
def test_greek_vectors_are_not_scalars(text: str) -> None:
    r = check_claim(text)
    assert r.verdict.value == "fails", (text, r.reason)


@pytest.mark.parametrize("text", [
    r"\frac{\partial}{\partial \boldsymbol{\beta}} \boldsymbol{\beta}^\top \mathbf{A} \boldsymbol{\beta} "
    r"= (\mathbf{A} + \mathbf{A}^\top) \boldsymbol{\beta}",
    r"\frac{\partial}{\partial \theta} \theta^\top A \theta = (A + A^\top) \theta",
    r"\frac{\partial}{\partial \boldsymbol{\beta}} (A \boldsymbol{\beta})^\top (B \boldsymbol{\beta}) "
    r"= (A^\top B + B^\top A) \boldsymbol{\beta}",
])
def test_the_true_forms_hold(text: str) -> None:
    r = check_claim(text)
    assert r.verdict.value == "holds", (text, r.reason)


# The false-fail families of issue 15, each true.
TRUE = [
    (r"\frac{\partial}{\partial \beta} (y - X\beta)^\top (y - X\beta) = -2 X^\top (y - X \beta)", None),
    (r"\frac{\partial}{\partial \boldsymbol{\beta}} (\mathbf{y} - \mathbf{X}\boldsymbol{\beta})^\top "
     r"(\mathbf{y} - \mathbf{X}\boldsymbol{\beta}) = -2 \mathbf{X}^\top (\mathbf{y} - \mathbf{X} \boldsymbol{\beta})", None),
    (r"\frac{\partial}{\partial x} \|x - \mu\|^2 = 2(x - \mu)", None),
    (r"\frac{\partial}{\partial x} (a^\top x)^2 = 2 a^\top x a", None),
    (r"\frac{\partial}{\partial w} \frac{1}{2}(w^\top x - y)^2 = (w^\top x - y) x", None),
    (r"x^\top y z = z y^\top x", None),
    (r"\frac{\partial}{\partial x} (a^\top x)(b^\top x) = (b^\top x) a + (a^\top x) b", None),
]


@pytest.mark.parametrize(("text", "context"), TRUE)
def test_false_fail_families_hold(text: str, context: str | None) -> None:
    r = check_claim(text, context)
    assert r.verdict.value == "holds", (text, r.reason)


# Negative controls: the same families with a planted error must fail.
FALSE = [
    (r"\frac{\partial}{\partial \beta} (y - X\beta)^\top (y - X\beta) = 2 X^\top (y - X \beta)", None),
    (r"\frac{\partial}{\partial x} \|x - \mu\|^2 = 2(x + \mu)", None),
    (r"\frac{\partial}{\partial x} (a^\top x)^2 = 2 a^\top x x", None),
    (r"\frac{\partial}{\partial w} \frac{1}{2}(w^\top x - y)^2 = (w^\top x + y) x", None),
    (r"x^\top y z = z x^\top z", None),
    (r"\|y\|^2 = y y", None),  # a norm says y is a vector: y y is ill-formed
    (r"\operatorname{tr}(x) = \mathbf{1}^\top x", None),
]


@pytest.mark.parametrize(("text", "context"), FALSE)
def test_planted_errors_fail(text: str, context: str | None) -> None:
    r = check_claim(text, context)
    assert r.verdict.value == "fails", (text, r.reason)


def test_a_greek_letter_both_ways_is_unchecked_naming_both() -> None:
    # ∂τ/∂τ: 1 for a scalar τ, the identity for a vector τ; nothing says which
    r = check_claim(r"\frac{\partial \tau}{\partial \tau} = 1")
    assert r.verdict.value == "unchecked"
    assert "τ as a scalar" in r.reason and "τ as a vector" in r.reason
    # declared, it is decided
    assert check_claim(r"\frac{\partial \tau}{\partial \tau} = 1", r"\tau: scalar").verdict.value == "holds"


def test_a_scalar_greek_letter_still_reads_as_a_scalar() -> None:
    # λ as a vector makes λ‖W‖² ill-formed against λW: only the scalar reading is left
    r = check_claim(r"\frac{\partial}{\partial W} \frac{\lambda}{2} \|W\|_F^2 = \lambda W")
    assert r.verdict.value == "holds", r.reason
    r = check_claim(r"\frac{\partial}{\partial W} \lambda \|W\|_F^2 = \lambda W")
    assert r.verdict.value == "fails", r.reason


def test_einstein_reading_is_named() -> None:
    r = check_claim(r"y_{ij} = x_{ik} a_{kj}", "Y = X A")
    assert r.verdict.value == "unchecked" and "Einstein" in r.reason
    r = check_claim(r"y_{ij} = \sum_k x_{ik} a_{kj}", "Y = X A")
    assert r.verdict.value == "holds"


@pytest.mark.parametrize(("text", "context", "verdict"), [
    # 𝟏 sized from the other side of the equation (∂(𝟏ᵀWx)/∂W = 𝟏xᵀ)
    (r"\frac{\partial}{\partial W} \mathbf{1}^\top W x = \mathbf{1} x^\top", None, "holds"),
    (r"\frac{\partial}{\partial W} 1^\top W x = 1 x^\top", None, "holds"),
    (r"\frac{\partial}{\partial W} \mathbf{1}^\top W x = x \mathbf{1}^\top", None, "fails"),
    (r"\frac{\partial}{\partial b} 3 \cdot \mathbf{1}^\top b = 3 \cdot \mathbf{1}", None, "holds"),
    (r"\frac{\partial}{\partial b} 3 \cdot \mathbf{1}^\top b = 2 \cdot \mathbf{1}", None, "fails"),
    # digit-suffixed names in code: W2.T is W₂ᵀ, not W·2ᵀ
    ("dW1 = X.T @ dY @ W2.T", "Y1 = X W1, Y = Y1 W2", "holds"),
    ("dW1 = X.T @ dY @ W2", "Y1 = X W1, Y = Y1 W2", "fails"),
    ("dW1 = X.T @ (dY @ W2.T)", "H = X W_1, Y = H W_2", "holds"),
])
def test_ones_and_code_names(text: str, context: str | None, verdict: str) -> None:
    r = check_claim(text, context)
    assert r.verdict.value == verdict, (text, r.reason)


def test_an_empty_sum_cannot_hide_a_term() -> None:
    # Σ_{i=4}^{N} is empty at N = 2, 3: the claim is false for every N ≥ 4, and must say so
    ctx = "Y = X W; X: N x D; W: D x M"
    r = check_claim(r"\frac{\partial L}{\partial w_{pq}} = \sum_{i=1}^{N} x_{ip} g_{iq} + \sum_{i=4}^{N} x_{ip} g_{iq}", ctx)
    assert r.verdict.value == "fails", r.reason
    assert r.counterexample["sizes"]["N"] >= 4 and "N=" in r.reason
    # the true claim still holds, checked past the constant too
    r = check_claim(r"\frac{\partial L}{\partial w_{pq}} = \sum_{i=1}^{3} x_{ip} g_{iq} + \sum_{i=4}^{N} x_{ip} g_{iq}", ctx)
    assert r.verdict.value == "holds", r.reason
    assert any(a["N"] >= 4 for a in r.checked.assignments)


def test_a_false_2A_beta_suggests_the_general_form() -> None:
    r = check_claim(r"\frac{\partial}{\partial \theta} \theta^\top A \theta = 2 A \theta")
    assert r.verdict.value == "fails"
    assert "(A + Aᵀ) θ" in r.suggestion and "symmetric" in r.suggestion
    # negative control: a claim false for another reason does not get that suggestion
    r = check_claim(r"\frac{\partial}{\partial \theta} \theta^\top A \theta = 3 A \theta")
    assert r.verdict.value == "fails" and "(A + Aᵀ)" not in (r.suggestion or "")

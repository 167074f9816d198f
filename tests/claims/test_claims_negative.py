"""Negative controls: planted wrong claims must fail, with the kind of failure
and an explanation that names what was probably meant."""

from __future__ import annotations

import pytest

from symderiv.claims import check_claim

PLANTED = [
    # (wrong claim, context, kind, words the explanation must contain)
    (r"\frac{\partial L}{\partial W} = G^\top Z", None, "shapes", "numerator layout"),
    (r"\frac{\partial L}{\partial W} = G Z^\top", None, "ill-formed", "Zᵀ G"),
    (r"\frac{\partial L}{\partial B} = G \mathbf{1}", None, "shapes", "column sums"),
    (r"\frac{\partial L}{\partial B} = G", None, "shapes", "batch"),
    (r"\frac{\partial L}{\partial Z} = G W", None, "ill-formed", "G Wᵀ"),
    (r"\frac{\partial L}{\partial b_j} = \sum_{i=1}^{m} g_{j,i}", None, "ill-formed", None),
    (r"\frac{\partial L}{\partial b_{2}} = g_{1,2}", None, "values", "batch"),
    (r"\frac{\partial L}{\partial W} = G^\top Z", "A = Z W^T + b", None, None),
    (r"\frac{\partial L}{\partial W} = Z^\top G", "A = Z W^T + b", "shapes", "numerator layout"),
    (r"\frac{\partial Y}{\partial W} = X^\top", "Y = X W", "shapes", "vector–Jacobian product"),
    (r"\frac{\partial Y}{\partial W} = X^\top", "Y = X W, X: 3x3, W: 3x3", "shapes", "Xᵀ G"),
    (r"\nabla_x x^\top A x = 2 A x", "", "values", "symmetric"),
    (r"\operatorname{tr}(X W) = \operatorname{tr}(W X^\top)", "X: 3x2, W: 2x3", "ill-formed", None),
    (r"\operatorname{tr}(X W) = \operatorname{tr}(W X^\top)", "X: 3x3, W: 3x3", "values", None),
    (r"\operatorname{tr}(X W) = \operatorname{tr}(X^\top W)", "X: 3x2, W: 2x3", "ill-formed", None),
    (r"(A B)^\top = A^\top B^\top", "A: 3x2, B: 2x4", "ill-formed", "B"),
    (r"(A B)^\top = A^\top B^\top", "A: 3x3, B: 3x3", "values", None),
    (r"\frac{\partial y_{ij}}{\partial w_{pq}} = x_{iq} \delta_{jp}", "Y = X W", None, None),
    (r"\frac{\partial \operatorname{tr}(W X^\top)}{\partial W} = X^\top", "W: 3x2, X: 3x2", "shapes", "numerator"),
    (r"\frac{\partial L}{\partial W} = Z^\top G = G^\top Z", None, "shapes", None),
]


@pytest.mark.parametrize("text,context,kind,words", PLANTED)
def test_planted_mistakes_fail(text: str, context: str | None, kind: str | None, words: str | None) -> None:
    r = check_claim(text, context=context)
    if text.startswith(r"\frac{\partial L}{\partial W} = G^\top Z") and context == "A = Z W^T + b":
        assert r.verdict.value == "holds", r.reason  # the control of the control: right in nn.Linear's layout
        return
    assert r.verdict.value == "fails", r.reason
    if kind:
        assert r.kind == kind, r.reason
    if words:
        assert words in (r.reason + " " + (r.suggestion or "")), (r.reason, r.suggestion)


def test_values_counterexample_names_the_entry() -> None:
    r = check_claim(r"\frac{\partial L}{\partial w_{1,2}} = \frac{\partial L}{\partial a_{1,1}} z_{1,2} + "
                    r"\frac{\partial L}{\partial a_{2,1}} z_{2,2}", sizes={"m": 2, "k": 2, "n": 2})
    assert r.verdict.value == "fails" and r.kind == "values"
    assert "w_{1,2}" in r.reason
    assert r.counterexample["left"] == "g_{1,2} z_{1,1} + g_{2,2} z_{2,1}"
    assert r.counterexample["right"] == "g_{1,1} z_{1,2} + g_{2,1} z_{2,2}"
    assert "∂L/∂w_{2,1}" in r.suggestion


def test_free_index_counterexample_names_the_indices() -> None:
    r = check_claim(r"\frac{\partial y_{ij}}{\partial w_{pq}} = x_{iq} \delta_{jp}", context="Y = X W, X: 3x2, W: 2x2")
    assert r.verdict.value == "fails" and r.kind == "values"
    assert set(r.counterexample["indices"]) == {"i", "j", "p", "q"}


def test_layouts_are_named() -> None:
    r = check_claim(r"\frac{\partial L}{\partial W} = G^\top Z")
    assert r.layouts == {"gradient": "fails", "numerator": "holds"}
    r = check_claim(r"\frac{\partial L}{\partial W} = G^\top Z", layout="numerator")
    assert r.verdict.value == "holds" and r.layouts == {"gradient": "fails", "numerator": "holds"}
    r = check_claim(r"\frac{\partial L}{\partial W} = Z^\top G", layout="numerator")
    assert r.verdict.value == "fails" and "gradient convention" in r.suggestion


def test_default_sizes_are_distinct() -> None:
    r = check_claim("dY/dW = X^T", context="Y = X W")
    assert r.counterexample["left_shape"] == [3, 4, 2, 4]
    r = check_claim("tr(A B) = tr(B A)", context="")
    assert r.verdict.value == "holds" and r.sizes == {"m": 3, "k": 2}


def test_symbolic_sums_are_checked_at_several_sizes() -> None:
    # true only when m = 3: a sum with a symbolic bound must hold at every size
    r = check_claim(r"\frac{\partial L}{\partial b_j} = g_{1,j} + g_{2,j} + \sum_{i=3}^{m} g_{i,j}")
    assert r.verdict.value == "holds", r.reason
    r = check_claim(r"\frac{\partial L}{\partial b_j} = \sum_{i=1}^{k} g_{i,j} + g_{3,j}")
    assert r.verdict.value == "fails"

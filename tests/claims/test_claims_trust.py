"""Trust: a `holds` is said only where it was earned. Sizes symderiv chose are
varied (two assignments, each size ≥ 2, distinct), a letter that could only be of
size 1 makes the claim ill-formed, a bias is broadcast over the batch in every
convention, and the notations people write are read as meant. Every expected
verdict comes from the mathematics (the comment says why where it is subtle)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from symderiv.claims import check_claim

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "schema" / "claim-1.json").read_text())

# (claim, context, sizes, expected verdict, expected kind or None)
CASES = [
    # the three false holds
    (r"\frac{\partial}{\partial x} x^\top A x = 2 A x^\top", None, None, "fails", "ill-formed"),
    (r"\frac{\partial L}{\partial b} = G", "Y = X W + b, W: 2x1", None, "fails", "shapes"),
    (r"\|x \odot x\|^2 = (x \odot x)(x \odot x)^\top", None, None, "fails", "shapes"),
    # …and their true forms
    (r"\frac{\partial}{\partial x} x^\top A x = (A + A^\top) x", None, None, "holds", None),
    (r"\frac{\partial L}{\partial b} = G^\top \mathbf{1}", "Y = X W + b, W: 2x1", None, "holds", None),
    (r"\|x \odot x\|^2 = (x \odot x)^\top (x \odot x)", None, None, "holds", None),
    # a vector forced to length 1 by a misplaced transpose, in other places
    (r"x^\top x = x x^\top", None, None, "fails", None),
    (r"\operatorname{tr}(x) = \mathbf{1}^\top x", None, None, "fails", "ill-formed"),
    (r"\frac{\partial}{\partial x} a^\top x = a^\top", None, None, "fails", "shapes"),
    # bias orientation: one entry per column of Y in XW + b and XWᵀ + b, per row in WX + b
    (r"\frac{\partial L}{\partial b} = G^\top \mathbf{1}", "Y = X W + b", None, "holds", None),
    (r"\frac{\partial L}{\partial b} = G \mathbf{1}", "Y = X W + b", None, "fails", None),
    (r"\frac{\partial L}{\partial b} = G^\top \mathbf{1}", "Y = X W^T + b", None, "holds", None),
    (r"\frac{\partial L}{\partial b} = G \mathbf{1}", "Y = W X + b", None, "holds", None),
    (r"\frac{\partial L}{\partial b} = G^\top \mathbf{1}", "Y = W X + b", None, "fails", None),
    (r"\frac{\partial L}{\partial X} = W^\top G", "Y = W X + b", None, "holds", None),
    (r"\frac{\partial L}{\partial W} = G X^\top", "Y = W X + b", None, "holds", None),
    (r"\frac{\partial L}{\partial W} = X^\top G", "Y = W X + b", None, "fails", None),
    # A = ZW + B with no shape for B: this project's bias row (math.md), as in `verify`
    (r"\frac{\partial L}{\partial B} = G", "A = Z W + B; Z: m x k; W: k x n; m = 3; k = 2; n = 4", None, "fails", "shapes"),
    (r"\frac{\partial L}{\partial B} = \mathbf{1}^\top G", "A = Z W + B; Z: m x k; W: k x n; m = 3; k = 2; n = 4", None,
     "holds", None),
    (r"\frac{\partial L}{\partial B} = G", "A = Z W + B, B: 3x4", None, "holds", None),
    # one output (n = 1): the bias is still one number shared by the batch
    (r"\frac{\partial L}{\partial b} = G", "Y = X W + b", {"n": 1}, "fails", "shapes"),
    (r"\frac{\partial L}{\partial b} = G^\top \mathbf{1}", "Y = X W + b", {"n": 1}, "holds", None),
    (r"\frac{\partial L}{\partial W} = X^\top G", "Y = X W + b", {"n": 1}, "holds", None),
    (r"\frac{\partial L}{\partial b} = G", "Y = W X + b, W: 1x2", None, "fails", "shapes"),
    # Y = Xw + b: a batch through one output, b one number shared by the batch
    (r"\frac{\partial L}{\partial b} = \sum_i g_{i}", "Y = X w + b", None, "holds", None),
    (r"\frac{\partial L}{\partial b} = G", "Y = X w + b", None, "fails", "shapes"),
    # y = Wx + b: a single sample, b a column as long as y
    (r"\frac{\partial L}{\partial b} = \frac{\partial L}{\partial y}", "y = W x + b", None, "holds", None),
    # a vector subtracted from a product is a target, not a bias: ‖Rβ − v‖ keeps v a column
    (r"2 (R^\top (R \beta - v)) = \frac{\partial \|v - (R \beta)^\top\|^2}{\partial \beta}", r"\beta: 5", None,
     "fails", "ill-formed"),
    (r"2 (R^\top (R \beta - v)) = \frac{\partial \|v - R \beta\|^2}{\partial \beta}", r"\beta: 5", None, "holds", None),
    # a declared vector of length 1 is a vector (∂y/∂x is a Jacobian), not a scalar
    (r"B = \nabla_{a} \left(B a\right)", r"a: 1, B \in \mathbb{R}^{2 \times 1}", None, "fails", "shapes"),
    (r"\frac{\partial}{\partial z} \left(U^T z\right) = U", "z: 1, U: 1x2", None, "holds", None),
    # a misplaced transpose tying a vector's length to its width fails even where a declared 1 fits it
    (r"z^T C^T V z = z^T (C^T V)^T z^T", "V: 3x1", None, "fails", "ill-formed"),
    # …but a formula at declared sizes of 1 is judged at those sizes
    (r"\frac{\partial \|C z - u\|^2}{\partial C} = 2 (C z - u) z^T", "C: m x n, u: m, m = 2, n = 1", None, "holds", None),
    # a matrix multiplied with a vector as if it were one (found by the fuzzer)
    (r"(c^T)^T H c = c^T H^T c", "c: 5", None, "fails", "ill-formed"),
    (r"(a^\top)^\top \cdot B^\top a = a^\top B a", "a: 2", None, "fails", "ill-formed"),
    (r"y z^{\top} = \frac{\partial}{\partial F} \left(y^{\top} F z^{\top}\right)", None, None, "fails", "ill-formed"),
    (r"c^T H c = c^T H^T c", "c: 5", None, "holds", None),
    # a bold R with a transpose is a matrix; \mathbf{R}^{3 \times 2} after ∈ is still ℝ
    (r"\mathbf{R}^T \mathbf{V} = (\mathbf{V}^T \mathbf{R})^T", None, None, "holds", None),
    (r"\mathbf{R}^T \mathbf{V} = \mathbf{V}^T \mathbf{R}", None, None, "fails", "shapes"),
    (r"X \in \mathbf{R}^{3 \times 2}", "X: 3x2", None, "holds", None),
    # a free index and a summed one with the same letter run over their own ranges
    (r"\frac{\partial L}{\partial c_{i}} = \sum_{i} g_{iq}", "Y = H V^T + c, V: 1x3", None, "holds", None),
    (r"\frac{\partial L}{\partial b_{j}} = \sum_{j} g_{ij}", "Y = X W + b", None, "fails", "values"),
    # a bare I takes its size from the other side
    (r"\frac{\partial x}{\partial x} = I", "x: 3", None, "holds", None),
    (r"\frac{\partial x}{\partial x} = I_2", "x: 3", None, "fails", "shapes"),
    # Greek letters declared as vectors: regression and Gaussian notation
    (r"\frac{\partial}{\partial \beta} \|y - X\beta\|^2 = -2 X^\top (y - X\beta)", r"\beta: 3", None, "holds", None),
    (r"\frac{\partial}{\partial \beta} \|y - X\beta\|^2 = -2 X (y - X\beta)", r"\beta: 3", None, "fails", None),
    (r"\frac{\partial}{\partial \theta} \theta^\top A \theta = (A + A^\top)\theta", r"\theta: 3", None, "holds", None),
    (r"\frac{\partial}{\partial \theta} \theta^\top A \theta = 2 A \theta", r"\theta: 3", None, "fails", "values"),
    (r"\frac{\partial}{\partial \mu} \|x - \mu\|^2 = 2(\mu - x)", r"\mu: 3", None, "holds", None),
    # derivative operators written with a slash or before a bracket
    ("d/dx (x^T A x) = (A + A^T) x", None, None, "holds", None),
    ("d/dx (x^T A x) = 2 A x", None, None, "fails", "values"),
    ("∂/∂x (xᵀAx) = (A + Aᵀ) x", None, None, "holds", None),
    ("d ||x||^2/dx = 2x", None, None, "holds", None),
    ("d ||x||^2/dx = 2x^T", None, None, "fails", "shapes"),
    # norms as written
    (r"\frac{\partial}{\partial x} \|x\|_2^2 = 2x", None, None, "holds", None),
    (r"\frac{\partial}{\partial x} \Vert x \Vert^2 = 2x", None, None, "holds", None),
    (r"\frac{\partial}{\partial W} \|X W - T\|^2_F = 2 X^\top (X W - T)", None, None, "holds", None),
    (r"\frac{\partial}{\partial W} \|X W - T\|^2_F = 2 (X W - T) X^\top", None, None, "fails", None),
    # code-style names are single names
    ("grad_W = grad_Y.T @ X", "Y = X W^T + b", None, "holds", None),
    ("grad_W = X.T @ grad_Y", "Y = X W^T + b", None, "fails", None),
    ("grad_W = X.T @ grad_Y", "Y = X W + b", None, "holds", None),
    ("dL_dW = X.T @ dL_dY", "Y = X W + b", None, "holds", None),
    ("dL_dW = dL_dY @ X.T", "Y = X W + b", None, "fails", None),
    # a context loss with index sums
    (r"\frac{\partial L}{\partial W} = 2 X^T Y", r"Y = X W, L = \sum_{i,j} y_{ij}^2", None, "holds", None),
    (r"\frac{\partial L}{\partial W} = X^T Y", r"Y = X W, L = \sum_{i,j} y_{ij}^2", None, "fails", "values"),
    # a size letter without a value is chosen (and varied), not refused
    (r"\frac{\partial L}{\partial W} = X^\top G", "Y = X W, X: N x D, W: D x M", None, "holds", None),
    (r"\frac{\partial L}{\partial W} = G^\top X", "Y = X W, X: N x D, W: D x M", None, "fails", None),
]


@pytest.mark.parametrize("claim,context,sizes,verdict,kind", CASES, ids=[f"{i:02d}" for i in range(len(CASES))])
def test_trust_cases(claim: str, context: str | None, sizes: dict | None, verdict: str, kind: str | None) -> None:
    r = check_claim(claim, context=context, sizes=sizes)
    assert r.verdict.value == verdict, (claim, context, r.reason)
    if kind is not None:
        assert r.kind == kind, (claim, r.kind, r.reason)


def test_ill_formed_names_the_letter_and_why() -> None:
    r = check_claim(r"\frac{\partial}{\partial x} x^\top A x = 2 A x^\top")
    assert "x would have to have length 1" in r.reason and "2 A xᵀ" in r.reason


def test_chosen_sizes_are_varied_distinct_and_at_least_two() -> None:
    r = check_claim(r"\operatorname{tr}(A B) = \operatorname{tr}(B A)")
    checked = r.to_dict()["sizes_checked"]
    assert len(checked["assignments"]) >= 2
    for shapes in checked["shapes"]:
        sizes = [d for shape in shapes.values() for d in shape]
        assert min(sizes) >= 2
        assert shapes["A"][0] != shapes["A"][1]  # not square: a transposition error would show
    first, second = checked["shapes"]
    assert first["A"] != second["A"]
    assert "(at the shapes given)" not in r.reason and "symderiv chose" in r.reason


def test_declared_sizes_are_reported_as_declared() -> None:
    r = check_claim(r"\frac{\partial L}{\partial W} = X^\top G", context="Y = X W, X: N x D, W: D x M, N = 2")
    d = r.to_dict()["sizes_checked"]
    assert d["declared"] == {"N": 2}
    assert set(d["chosen"]) == {"D", "M"}
    assert all(a["N"] == 2 for a in d["assignments"])
    assert [a["D"] for a in d["assignments"]][0] != [a["D"] for a in d["assignments"]][1]
    jsonschema.validate(r.to_dict(), SCHEMA)


def test_shapes_given_only_when_given() -> None:
    r = check_claim(r"\operatorname{tr}(A B) = \operatorname{tr}(B A)", context="A: 3x2, B: 2x3")
    assert r.verdict.value == "holds" and "at the shapes given" in r.reason
    assert r.to_dict()["sizes_checked"]["chosen"] == []


def test_a_claim_true_only_at_one_chosen_size_is_not_held() -> None:
    # true at m = 3 only: with m left to symderiv it is not decided; with m declared it is
    claim = r"\frac{\partial L}{\partial w_{1,2}} = g_{1,2} z_{1,1} + g_{2,2} z_{2,1} + g_{3,2} z_{3,1}"
    assert check_claim(claim).verdict.value == "unchecked"
    assert check_claim(claim, sizes={"m": 3}).verdict.value == "holds"
    assert check_claim(claim, sizes={"m": 4}).verdict.value == "fails"

"""The catalog of known identities and fallacies, as data: one row each
(statement, context, layout, expected verdict, why). `symderiv claims` checks
every row live; nothing here is an answer the checker looks up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .explain import ClaimResult
from .verdict import check_claim

LAYER = None  # the default layer A = ZW + B (m, k, n = 3, 2, 4)
TORCH = "A = Z W^T + b"  # nn.Linear: W is n×k


@dataclass(frozen=True)
class Entry:
    id: str
    statement: str
    context: str | None
    expected: str  # holds | fails
    why: str
    layout: str = "gradient"


CATALOG: tuple[Entry, ...] = (
    # --- the linear layer, gradient convention --------------------------------
    Entry("grad-W", r"\frac{\partial L}{\partial W} = Z^\top G", LAYER, "holds",
          "the weight gradient of A = ZW + B"),
    Entry("grad-Z", r"\frac{\partial L}{\partial Z} = G W^\top", LAYER, "holds",
          "the input gradient of A = ZW + B"),
    Entry("grad-B", r"\frac{\partial L}{\partial B} = \mathbf{1}^\top G", LAYER, "holds",
          "the bias is shared by all rows: its gradient is the column sums of G"),
    Entry("grad-b-entry", r"\frac{\partial L}{\partial b_{j}} = \sum_{i=1}^{m} g_{i,j}", LAYER, "holds",
          "the same, entry by entry, at several sizes"),
    Entry("grad-B-rows", r"\frac{\partial L}{\partial B} = G \mathbf{1}", LAYER, "fails",
          "row sums instead of column sums"),
    Entry("grad-B-nosum", r"\frac{\partial L}{\partial B} = G", LAYER, "fails",
          "the sum over the batch is missing"),
    Entry("grad-W-order", r"\frac{\partial L}{\partial W} = G Z^\top", LAYER, "fails",
          "wrong product order: (m×n)(k×m) is undefined"),
    Entry("grad-W-transposed", r"\frac{\partial L}{\partial W} = G^\top Z", LAYER, "fails",
          "the transpose of the gradient: true only in numerator layout"),
    Entry("grad-W-numerator", r"\frac{\partial L}{\partial W} = G^\top Z", LAYER, "holds",
          "numerator layout: the gradient's transpose", layout="numerator"),
    Entry("grad-Z-noT", r"\frac{\partial L}{\partial Z} = G W", LAYER, "fails",
          "W must be transposed: G Wᵀ"),
    # --- PyTorch's nn.Linear layout -------------------------------------------
    Entry("torch-grad-W", r"\frac{\partial L}{\partial W} = G^\top Z", TORCH, "holds",
          "nn.Linear stores W as n×k and computes Z Wᵀ + b"),
    Entry("torch-grad-Z", r"\frac{\partial L}{\partial Z} = G W", TORCH, "holds",
          "the input gradient of A = Z Wᵀ + b"),
    Entry("torch-grad-W-textbook", r"\frac{\partial L}{\partial W} = Z^\top G", TORCH, "fails",
          "the textbook formula in the PyTorch layout has the transposed shape"),
    # --- Jacobians --------------------------------------------------------------
    Entry("jacobian-vjp", r"\frac{\partial Y}{\partial W} = X^\top", "Y = X W", "fails",
          "the Jacobian is a 4-index array; Xᵀ G is the vector–Jacobian product"),
    Entry("jacobian-slice", r"\frac{\partial Y}{\partial w_{pq}} = X E_{pq}", "Y = X W", "holds",
          "one slice of the Jacobian, for every p, q"),
    Entry("jacobian-entry", r"\frac{\partial y_{ij}}{\partial w_{pq}} = x_{ip} \delta_{jq}", "Y = X W", "holds",
          "the Jacobian entry by entry, for every i, j, p, q"),
    Entry("jacobian-column", r"\frac{\partial y_{ij}}{\partial w_{kj}} = x_{ik}", "Y = X W", "holds",
          "one fixed column j"),
    # --- traces and inner products ----------------------------------------------
    Entry("trace-grad", r"\frac{\partial \operatorname{tr}(X W)}{\partial W} = X^\top", "X: 3x2, W: 2x3", "holds",
          "gradient convention"),
    Entry("trace-grad-T", r"\frac{\partial \operatorname{tr}(W X^\top)}{\partial W} = X", "W: 3x2, X: 3x2", "holds",
          "gradient convention"),
    Entry("trace-grad-numerator", r"\frac{\partial \operatorname{tr}(W X^\top)}{\partial W} = X^\top",
          "W: 3x2, X: 3x2", "fails", "true only in numerator layout"),
    Entry("trace-cyclic", r"\operatorname{tr}(A B) = \operatorname{tr}(B A)", "A: 3x2, B: 2x3", "holds",
          "cyclic invariance, both products exist"),
    Entry("trace-not-transpose", r"\operatorname{tr}(X W) = \operatorname{tr}(W X^\top)", "X: 3x2, W: 2x3", "fails",
          "W Xᵀ is undefined here; a trace is invariant under cyclic shifts, not transposition of one factor"),
    Entry("frobenius", r"\langle A, B \rangle_F = \operatorname{tr}(A^\top B)", "A: 3x2, B: 3x2", "holds",
          "the Frobenius inner product"),
    # --- flattened Jacobians ---------------------------------------------------------
    Entry("vec-jacobian", r"\frac{\partial \operatorname{vec}(Y)}{\partial \operatorname{vec}(W)} = I_n \otimes X",
          "Y = X W", "holds", "column-major vec, the Jacobian with output rows (numerator layout)", layout="numerator"),
    Entry("vec-jacobian-C", r"\frac{\partial \operatorname{vec}(Y)}{\partial \operatorname{vec}(W)} = X \otimes I_n",
          "Y = X W", "fails", "X ⊗ I is the row-major (C-order) flattening", layout="numerator"),
    Entry("vec-identity", r"\operatorname{vec}(X W) = (I_n \otimes X) \operatorname{vec}(W)", "X: 3x2, W: 2x4, n = 4",
          "holds", "vec(AXB) = (Bᵀ ⊗ A) vec(X) with A = X, B = I"),
    # --- a concrete loss: least squares ------------------------------------------------
    Entry("least-squares", r"\frac{\partial L}{\partial W} = X^\top (X W - T)",
          r"Y = X W, L = \frac{1}{2}\|Y - T\|_F^2", "holds", "the gradient of ½‖XW − T‖²"),
    Entry("least-squares-order", r"\frac{\partial L}{\partial W} = (X W - T) X^\top",
          r"Y = X W, L = \frac{1}{2}\|Y - T\|_F^2", "fails", "wrong product order"),
    # --- quadratic forms ------------------------------------------------------------
    Entry("quadratic-symmetric", r"\nabla_x x^\top A x = 2 A x", "x: 3, A: 3x3", "fails",
          "holds only for symmetric A"),
    Entry("quadratic", r"\nabla_x x^\top A x = (A + A^\top) x", "x: 3, A: 3x3", "holds",
          "the general gradient of a quadratic form"),
)


def run(entry: Entry) -> ClaimResult:
    return check_claim(entry.statement, context=entry.context, layout=entry.layout)


def run_all() -> list[tuple[Entry, ClaimResult]]:
    return [(e, run(e)) for e in CATALOG]


def to_dict(rows: list[tuple[Entry, ClaimResult]]) -> dict[str, Any]:
    entries = []
    for e, r in rows:
        entries.append({
            "id": e.id, "statement": e.statement, "context": e.context, "layout": e.layout,
            "expected": e.expected, "why": e.why, "verdict": r.verdict.value, "ok": r.verdict.value == e.expected,
            "result": r.to_dict(),
        })
    return {"schema": "symderiv.claims/1", "ok": all(x["ok"] for x in entries), "entries": entries}

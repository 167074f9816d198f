"""Lay out what `verify` computed as numbered Steps of renderer-neutral blocks.
Nothing is computed here that `verify` did not already decide."""

from __future__ import annotations

from typing import Any

import symengine as se

from .derivation import Check, CheckRef, Comparison, Display, Listing, Prose, Step, Verdict
from .notation import Chain, D, Grid, Half, Node, Plus, Poly, Prod, Rel, Shape, Sum, Sym, dL, entry
from .outcome import Outcome

LIST_LIMIT = 12  # listings longer than this are abridged to a head and a tail
LIST_HEAD = 6
LIST_TAIL = 2


def _grid(rows: Any) -> Grid:
    rows = rows.tolist() if hasattr(rows, "tolist") else rows
    return Grid(tuple(tuple(r) for r in rows))


def listing(nodes: tuple[Node, ...], total: int) -> Listing:
    return Listing(nodes, total, LIST_HEAD if len(nodes) < total else None)


def shown_count(total: int) -> int:
    """How many of `total` listed items are shown (see `shown_cells`)."""
    return total if total <= LIST_LIMIT else LIST_HEAD + LIST_TAIL


def shown_cells(total_rows: int, total_cols: int) -> list[tuple[int, int]]:
    cells = [(r, c) for r in range(total_rows) for c in range(total_cols)]
    return cells if len(cells) <= LIST_LIMIT else cells[:LIST_HEAD] + cells[-LIST_TAIL:]


def _verdict(checks: list[Check]) -> Verdict:
    return Verdict.HOLDS if all(c.ok for c in checks) else Verdict.FAILS


def build(o: Outcome, checks: list[Check], marks: dict[str, Any]) -> list[Step]:
    by_id = {c.id: c for c in checks}
    out = [_matrices(o), _expansion(o), _loss(o)]
    for name in o.grads:
        out.append(_partials(o, name))
    grad_checks = [by_id[f"grad_{name}"] for name in o.grads]
    out.append(
        Step(
            "The assembled gradients against the closed forms",
            [Prose("Each closed form is built by matrix products alone, never from the derivatives above; "
                   "then the two are compared entry by entry by exact polynomial equality.")]
            + [block for name in o.grads for block in _comparison(o, name, by_id[f"grad_{name}"], marks[name])],
            _verdict(grad_checks),
        )
    )
    out.append(_jacobian(o, [by_id[i] for i in ("jacobian_entries", "jacobian_A_W_is_Zt", "jacobian_vjp", "jacobian_slices")]))
    return out


def _comparison(o: Outcome, name: str, check: Check, marks: Any) -> list:
    closed = o.closed[name]
    if isinstance(closed, Exception):
        return [Prose(f"The closed form for ∂L/∂{name} could not be built: {closed}."), CheckRef(check.id)]
    grid_marks = None if marks is None else tuple(tuple(r) for r in marks)
    return [
        Comparison(check.id, dL(Sym(name)), check.statement.rhs, _grid(o.grads[name]), _grid(closed), grid_marks),
        CheckRef(check.id),
    ]


def _matrices(o: Outcome) -> Step:
    spec, layer = o.spec, o.layer
    blocks: list = [Prose(f"The layer {spec.title} ({o.layout.description}) with m = {spec.m}, k = {spec.k}, "
                          f"n = {spec.n}: {spec.describe()}. Every entry is an independent symbol.")]
    blocks += [Display(Rel(Sym("Z"), _grid(layer.Z))), Display(Rel(Sym("W"), _grid(layer.W)))]
    if layer.B is not None:
        blocks.append(Prose("The bias is one row, added to every row of the product (broadcast over the m rows)."))
        blocks.append(Display(Rel(Sym("B"), _grid(layer.B))))
    if spec.loss == "generic":
        blocks.append(Prose("The upstream gradient G = ∂L/∂A has free symbols of its own, independent of Z, W and B."))
        blocks.append(Display(Rel(Sym("G"), _grid(layer.G))))
    return Step("The matrices", blocks)


def _expansion(o: Outcome) -> Step:
    spec, layer = o.spec, o.layer
    cells = shown_cells(spec.m, spec.n)
    nodes = tuple(Rel(entry("a", i + 1, j + 1), Poly(layer.A[i][j])) for i, j in cells)
    return Step(
        f"{spec.title}, entry by entry",
        [Prose("Each entry of A is its defining sum over the inner index, written out."),
         listing(nodes, spec.m * spec.n)],
    )


def _double_sum(body: Node) -> Node:
    """Σ_{i=1}^{m} Σ_{j=1}^{n} body."""
    return Sum("i", 1, Sym("m"), Sum("j", 1, Sym("n"), body))


def _loss(o: Outcome) -> Step:
    spec = o.spec
    aij, gij = entry("a", "i", "j"), entry("g", "i", "j")
    if spec.loss == "generic":
        return Step("The loss", [
            Display(Rel(Sym("L"), _double_sum(Prod((gij, aij))))),
            Prose("Because the g's do not depend on Z, W or B, ∂L/∂a_(i,j) = g_(i,j): this L stands for any "
                  "loss whose upstream gradient is G, and differentiating it is the chain rule written out. "
                  f"Expanded, L has {o.loss_terms:,} terms."),
        ])
    cells = shown_cells(spec.m, spec.n)
    nodes = tuple(Rel(dL(entry("a", i + 1, j + 1)), Poly(o.upstream[i][j])) for i, j in cells)
    return Step("The loss", [
        Display(Rel(Sym("L"), Prod((Half(), _double_sum(Prod((aij, aij))))))),
        Prose("Differentiating L with respect to each a_(i,j), treated as its own symbol, gives the upstream gradient:"),
        listing(nodes, spec.m * spec.n),
        Prose("So G = A here. The gradients below come from the chain rule: differentiate "
              "Σ g_(i,j) a_(i,j) term by term, then put these derivatives in for the g's."),
    ])


def _partials(o: Outcome, name: str) -> Step:
    M = o.layer.variables()[name]
    letter = name.lower()
    nodes = []
    a_nodes: dict[tuple[int, int], tuple[Sym, D]] = {}  # a_{i,j} and ∂L/∂a_{i,j}, built once each
    for r, c in o.shown[name]:
        x = M[r, c]
        idx = (c + 1,) if name == "B" else (r + 1, c + 1)
        xe = entry(letter, *idx)
        branches = o.local.get(x, [])
        chain, local = [], []
        for ij, d in branches:
            a, da = a_nodes.get(ij) or a_nodes.setdefault(ij, _a_nodes(ij))
            chain.append(Prod((da, D(a, xe))))
            local.append(_times(da, d))
        nodes.append(Chain((dL(xe), Plus(tuple(chain)), Plus(tuple(local)), Poly(o.grads[name][r][c]))))
    rows, cols = M.shape
    return Step(
        f"∂L/∂{name}, one partial derivative at a time",
        [Prose(f"{name} is {rows}×{cols}. For each entry, the chain rule sums over the entries of A it flows "
               "into; the last form is the derivative of the expanded loss."),
         listing(tuple(nodes), rows * cols)],
    )


def _a_nodes(ij: tuple[int, int]) -> tuple[Sym, D]:
    a = entry("a", ij[0] + 1, ij[1] + 1)
    return a, dL(a)


_ONE = se.Integer(1)


def _times(upstream: Node, local: Any) -> Node:
    return upstream if local == _ONE else Prod((upstream, Poly(local)))


def _jacobian(o: Outcome, checks: list[Check]) -> Step:
    shape = o.J_shape
    aij, wpq = entry("a", "i", "j"), entry("w", "p", "q")
    blocks: list = [
        Prose("The derivative of the matrix A with respect to the matrix W keeps all four indices: "
              "output (i, j) first, then the weight (p, q)."),
        Display(Rel(D(Sym("A"), Sym("W")), Shape(shape))),
        Display(Rel(D(aij, wpq), o.layout.jacobian_form)),
        CheckRef("jacobian_entries"),
    ]
    if o.J_slice is not None:
        blocks.append(Prose("One slice of it, the derivative of every a_(i,j) with respect to w_(1,1):"))
        blocks.append(Display(Rel(D(Sym("A"), entry("w", 1, 1)), _grid(o.J_slice))))
    else:
        blocks.append(Prose(f"It has {shape[0] * shape[1] * shape[2] * shape[3]:,} entries, too many to show; "
                            "it was checked through its nonzero entries instead."))
    zt_holds = next(c for c in checks if c.id == "jacobian_A_W_is_Zt").verdict == Verdict.HOLDS
    blocks += [
        Prose("With one output, A and W are columns, and the popular shortcut is this Jacobian read weight index "
              "first:" if zt_holds else "The popular shortcut equates it with Zᵀ:"),
        CheckRef("jacobian_A_W_is_Zt"),
        Prose("What is true instead:"),
        CheckRef("jacobian_vjp"),
        CheckRef("jacobian_slices"),
    ]
    return Step("The full Jacobian ∂A/∂W", blocks, _verdict(checks))


"""The honest part: build the layer's symbolic matrices, expand A entry by entry,
form the scalar loss and differentiate it. Nothing here knows the closed forms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import symengine as se

from .progress import SILENT, Reporter
from .shapes import Matrix, Spec, bias_row, entry_name, symbol_matrix

CHUNK = 4096  # terms between two progress reports


@dataclass
class Layer:
    """The symbolic layer for one spec; `A` holds the expanded entries a_{i,j}."""

    spec: Spec
    Z: Matrix
    W: Matrix
    B: Matrix | None
    G: Matrix
    A: list[list[Any]]

    def variables(self) -> dict[str, Matrix]:
        """The matrices the loss is differentiated with respect to, in report order."""
        out = {"W": self.W, "Z": self.Z}
        if self.B is not None:
            out["B"] = self.B
        return out


def build_layer(spec: Spec) -> Layer:
    """Symbols for Z, W, B, G and A expanded by its defining sum, a_{i,j} = Σ_l z_{i,l} w_{·,·} + b_j."""
    wr, wc = spec.w_shape
    Z = symbol_matrix("z", spec.m, spec.k)
    W = symbol_matrix("w", wr, wc)
    B = bias_row(spec.n) if spec.bias else None
    G = symbol_matrix("g", spec.m, spec.n)
    w_at = spec.layout_def.w_at
    A = []
    for i in range(spec.m):
        row = []
        for j in range(spec.n):
            summands = [Z[i, l] * W[w_at(l, j)] for l in range(spec.k)]
            if B is not None:
                summands.append(B[0, j])
            row.append(se.Add(*summands))
        A.append(row)
    return Layer(spec, Z, W, B, G, A)


def generic_loss(layer: Layer) -> Any:
    """L = Σ_{i,j} g_{i,j} a_{i,j}, expanded: any loss whose upstream gradient is G."""
    m, n = layer.spec.m, layer.spec.n
    return se.expand(se.Add(*[layer.G[i, j] * layer.A[i][j] for i in range(m) for j in range(n)]))


def a_symbols(m: int, n: int) -> Matrix:
    """Independent symbols a_{i,j} standing for the entries of A before expansion."""
    return symbol_matrix("a", m, n)


def sumsq_upstream(layer: Layer) -> tuple[Any, list[list[Any]], list[list[Any]]]:
    """For L = ½ Σ a_{i,j}²: the loss in the a's, ∂L/∂a_{i,j} by differentiation,
    and those derivatives with A's expanded entries put in for the a's."""
    m, n = layer.spec.m, layer.spec.n
    a = a_symbols(m, n)
    loss = se.Rational(1, 2) * se.Add(*[a[i, j] ** 2 for i in range(m) for j in range(n)])
    upstream = [[se.diff(loss, a[i, j]) for j in range(n)] for i in range(m)]
    put_in = {a[i, j]: layer.A[i][j] for i in range(m) for j in range(n)}
    chained = [[se.expand(upstream[i][j].xreplace(put_in)) for j in range(n)] for i in range(m)]
    return loss, upstream, chained


def _terms(expr: Any) -> tuple:
    if expr.is_Add:
        return expr.args
    return (expr,) if expr != 0 else ()


def differentiate(
    expr: Any, wanted: Iterable[Any], reporter: Reporter | None = SILENT, sparse: bool = False
) -> dict[Any, Any]:
    """∂expr/∂s for every symbol s in `wanted`, by a walk over the expanded terms.

    A term that is a product of distinct symbols (times a number) is multilinear,
    so its derivative in one factor is the product of the others. Any other term
    (a power, a function) is differentiated by symengine's general `diff`.
    With `sparse`, only the nonzero partials are returned."""
    wanted = wanted if isinstance(wanted, (set, frozenset, dict)) else set(wanted)
    acc: dict[Any, list[Any]] = {}
    terms = _terms(se.expand(expr))
    if reporter is not None:
        reporter.stage("differentiating the loss", len(terms))
    for start in range(0, len(terms), CHUNK):
        for term in terms[start : start + CHUNK]:
            factors = term.args if term.is_Mul else (term,)
            if all(f.is_Symbol or (pos == 0 and f.is_Number) for pos, f in enumerate(factors)):
                for pos, f in enumerate(factors):
                    if f in wanted:
                        acc.setdefault(f, []).append(factors[:pos] + factors[pos + 1 :])
            else:
                for s in term.free_symbols:
                    if s in wanted:
                        acc.setdefault(s, []).append((se.diff(term, s),))
        if reporter is not None:
            reporter.advance(min(CHUNK, len(terms) - start))
    keys = acc if sparse else wanted
    return {s: se.Add(*[_product(rest) for rest in acc.get(s, ())]) for s in keys}


def _product(factors: tuple) -> Any:
    if len(factors) == 1:
        return factors[0]
    return se.Mul(*factors) if factors else se.Integer(1)


def local_derivatives(layer: Layer, wanted: set[Any], reporter: Reporter = SILENT) -> dict[Any, list[tuple[tuple[int, int], Any]]]:
    """For each wanted symbol x, the entries a_{i,j} it flows into and ∂a_{i,j}/∂x,
    found by differentiating every expanded entry of A (row-major order)."""
    m, n = layer.spec.m, layer.spec.n
    out: dict[Any, list[tuple[tuple[int, int], Any]]] = {s: [] for s in wanted}
    reporter.stage("differentiating the entries of A", m)
    for i in range(m):
        for j in range(n):
            for s, d in differentiate(layer.A[i][j], wanted, reporter=None, sparse=True).items():
                if d != 0:
                    out[s].append(((i, j), d))
        reporter.advance(1)
    return out


def gradient_grid(partials: dict[Any, Any], of: Matrix) -> list[list[Any]]:
    """Arrange ∂L/∂x for the entries x of a matrix in that matrix's shape."""
    rows, cols = of.shape
    return [[partials[of[r, c]] for c in range(cols)] for r in range(rows)]


def put_in_upstream(grid: list[list[Any]], layer: Layer, upstream: list[list[Any]]) -> list[list[Any]]:
    """The chain rule's last step: replace each g_{i,j} by the derived ∂L/∂a_{i,j}."""
    m, n = layer.spec.m, layer.spec.n
    subst = {layer.G[i, j]: upstream[i][j] for i in range(m) for j in range(n)}
    return [[se.expand(x.xreplace(subst)) for x in row] for row in grid]


def symbol(letter: str, *idx: int) -> Any:
    return se.Symbol(entry_name(letter, *idx))

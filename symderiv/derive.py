"""The honest part: build the layer's symbolic matrices, expand A entry by entry,
form the scalar loss and differentiate it. Nothing here knows the closed forms."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

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

    def rows(self, name: str) -> list[list[Any]]:
        """A matrix as plain nested lists (indexing a symengine matrix is slow in loops)."""
        return getattr(self, name).tolist()

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
    Zr, Wr, Br = Z.tolist(), W.tolist(), (B.tolist()[0] if B is not None else None)
    A = []
    for i in range(spec.m):
        row = []
        for j in range(spec.n):
            summands = [Zr[i][l] * Wr[p][q] for l in range(spec.k) for p, q in (w_at(l, j),)]
            if Br is not None:
                summands.append(Br[j])
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
    a_at = {a[i, j]: layer.A[i][j] for i in range(m) for j in range(n)}
    partials = differentiate(loss, set(a), None)  # term by term: one se.diff of the whole sum per a would be quadratic
    upstream = [[partials[a[i, j]] for j in range(n)] for i in range(m)]
    chained = [[_put_in(upstream[i][j], a_at) for j in range(n)] for i in range(m)]
    return loss, upstream, chained


def _terms(expr: Any) -> tuple:
    if expr.is_Add:
        return expr.args
    return (expr,) if expr != 0 else ()


_SYMBOL = type(se.Symbol("x"))
_MUL = type(se.Symbol("x") * se.Symbol("y"))
_NUMBERS = (type(se.Integer(2)), type(se.Rational(1, 2)))


def _factors(term: Any) -> tuple | None:
    """The factors of a product of distinct symbols (a leading number allowed), else None.

    symengine keeps a product canonical: a repeated symbol becomes a power, so the
    symbol factors of a Mul are distinct and the term is multilinear in them."""
    kind = type(term)
    if kind is _SYMBOL:
        return (term,)
    if kind is not _MUL:
        return None
    factors = term.args
    for f in factors[1:]:
        if type(f) is not _SYMBOL:
            return None
    first = type(factors[0])
    return factors if first is _SYMBOL or first in _NUMBERS else None


def _walk(terms: Iterable[Any], wanted: Any) -> Iterator[tuple[Any, tuple]]:
    """(s, factors of ∂term/∂s) for every term and every wanted symbol s in it.

    A multilinear term's derivative in one factor is the product of the others;
    any other term (a power, a function) goes to symengine's general `diff`."""
    for term in terms:
        factors = _factors(term)
        if factors is None:
            for s in term.free_symbols:
                if s in wanted:
                    yield s, (se.diff(term, s),)
            continue
        for pos, f in enumerate(factors):
            if f in wanted:
                yield f, factors[:pos] + factors[pos + 1 :]


def _product(factors: tuple) -> Any:
    if len(factors) == 1:
        return factors[0]
    return se.Mul(*factors) if factors else se.Integer(1)


def differentiate(
    expr: Any, wanted: Iterable[Any], reporter: Reporter | None = SILENT, sparse: bool = False, expanded: bool = False
) -> dict[Any, Any]:
    """∂expr/∂s for every symbol s in `wanted`, by a walk over the expanded terms (`_walk`).

    With `sparse`, only the nonzero partials are returned; `expanded` says that
    `expr` is already a sum of expanded terms (as `generic_loss` returns it)."""
    wanted = wanted if isinstance(wanted, (set, frozenset, dict)) else set(wanted)
    acc: dict[Any, list[Any]] = {}
    terms = _terms(expr if expanded else se.expand(expr))
    if reporter is not None:
        reporter.stage("differentiating the loss", len(terms))
    for start in range(0, len(terms), CHUNK):
        for s, rest in _walk(terms[start : start + CHUNK], wanted):
            bucket = acc.get(s)
            if bucket is None:
                acc[s] = bucket = []
            bucket.append(rest)
        if reporter is not None:
            reporter.advance(min(CHUNK, len(terms) - start))
    keys = acc if sparse else wanted
    return {s: se.Add(*[_product(r) for r in acc.get(s, ())]) for s in keys}


def local_derivatives(
    layer: Layer, wanted: set[Any], reporter: Reporter = SILENT
) -> dict[Any, list[tuple[tuple[int, int], Any]]]:
    """For each wanted symbol x, the entries a_{i,j} it flows into and ∂a_{i,j}/∂x,
    found by differentiating every expanded entry of A (row-major order)."""
    m, n = layer.spec.m, layer.spec.n
    out: dict[Any, list[tuple[tuple[int, int], Any]]] = {s: [] for s in wanted}
    reporter.stage("differentiating the entries of A", m)
    for i in range(m):
        for j in range(n):
            found: dict[Any, list[Any]] = {}
            for s, rest in _walk(_terms(layer.A[i][j]), wanted):
                found.setdefault(s, []).append(_product(rest))
            for s, parts in found.items():
                d = parts[0] if len(parts) == 1 else se.Add(*parts)
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
    return [[_put_in(x, subst) for x in row] for row in grid]


def _put_in(x: Any, subst: dict[Any, Any]) -> Any:
    """x with the symbols of `subst` replaced, expanded. Only the symbols x has are handed to
    symengine: converting all m·n of them at every entry made ½Σa² quadratic in m."""
    return se.expand(x.xreplace({s: subst[s] for s in x.free_symbols if s in subst}))


def symbol(letter: str, *idx: int) -> Any:
    return se.Symbol(entry_name(letter, *idx))

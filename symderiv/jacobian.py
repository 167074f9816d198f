"""The full Jacobian ∂A/∂W as a 4-index array (output indices first), what it
contracts to, and why "∂A/∂W = Zᵀ" is not it: each way of reading that claim as
the full Jacobian is compared with the derived array, entry by entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import symengine as se

from .compare import Difference, compare_grids, equal
from .derive import Layer
from .shapes import Layout

SHOW_LIMIT = 4096  # entries of the 4-index array small enough to build densely and show
SLICE_LIMIT = 1 << 16  # up to this many entries, ∂A/∂w_pq = Z E_pq is checked for every (p, q)
SLICE_SAMPLE = 4  # beyond it, this many slices spread over W (first and last included)


@dataclass
class Jacobian:
    """∂a_{i,j}/∂w_{p,q}, all 0-based, stored by its nonzero entries."""

    shape: tuple[int, int, int, int]
    nonzeros: dict[tuple[int, int, int, int], Any]

    def __getitem__(self, key: tuple[int, int, int, int]) -> Any:
        return self.nonzeros.get(key, se.Integer(0))

    @property
    def small(self) -> bool:
        m, n, r, c = self.shape
        return m * n * r * c <= SHOW_LIMIT

    def slice(self, p: int, q: int) -> list[list[Any]]:
        """∂A/∂w_{p,q}: an m×n matrix."""
        m, n, _, _ = self.shape
        return [[self[i, j, p, q] for j in range(n)] for i in range(m)]


def jacobian_from(local: dict[Any, list[tuple[tuple[int, int], Any]]], layer: Layer) -> Jacobian:
    """Assemble ∂A/∂W from the local derivatives ∂a_{i,j}/∂w_{p,q} of every w_{p,q}."""
    W = layer.W
    nonzeros: dict[tuple[int, int, int, int], Any] = {}
    for p in range(W.rows):
        for q in range(W.cols):
            for (i, j), d in local[W[p, q]]:
                nonzeros[(i, j, p, q)] = d
    return Jacobian((layer.spec.m, layer.spec.n, W.rows, W.cols), nonzeros)


def entries_difference(J: Jacobian, layer: Layer, layout: Layout) -> tuple[tuple[int, int, int, int], Any, Any] | None:
    """The first entry where J differs from the layout's formula (z_{i,p} δ_{j,q}), or None.

    Small arrays are compared at every index; larger ones by their support (where
    δ ≠ 0, which must be exactly where J is nonzero) and the values there."""
    Z = layer.rows("Z")
    m, n, r, c = J.shape
    if J.small:
        for key in [(i, j, p, q) for i in range(m) for j in range(n) for p in range(r) for q in range(c)]:
            want = layout.jacobian_entry(Z, *key)
            if not equal(J[key], want):
                return key, J[key], want
        return None
    support = [set(layout.jacobian_support(j, layer.spec.k)) for j in range(n)]
    for key, value in J.nonzeros.items():  # every nonzero must lie where δ ≠ 0 and have the formula's value
        i, j, p, q = key
        want = layout.jacobian_entry(Z, *key) if (p, q) in support[j] else 0
        if not equal(value, want):
            return key, value, want
    if len(J.nonzeros) != sum(m * len(s) for s in support):  # … and every place where δ ≠ 0 must be nonzero
        for i in range(m):
            for j in range(n):
                for p, q in sorted(support[j]):
                    if (i, j, p, q) not in J.nonzeros:
                        return (i, j, p, q), J[i, j, p, q], layout.jacobian_entry(Z, i, j, p, q)
    return None


def contract(J: Jacobian, G: Any) -> list[list[Any]]:
    """Σ_{i,j} g_{i,j} ∂a_{i,j}/∂W: the vector–Jacobian product backprop computes."""
    _, _, r, c = J.shape
    Gr = G.tolist()
    acc: list[list[list[Any]]] = [[[] for _ in range(c)] for _ in range(r)]
    for (i, j, p, q), v in J.nonzeros.items():
        acc[p][q].append(Gr[i][j] * v)
    return [[se.Add(*cell) for cell in row] for row in acc]


def slices_difference(J: Jacobian, layer: Layer, layout: Layout) -> tuple[tuple[int, int], int] | tuple[None, int]:
    """Check ∂A/∂w_{p,q} = Z E_{p,q} slice by slice; returns the first bad (p, q) and how many were checked."""
    m, n, r, c = J.shape
    pairs = [(p, q) for p in range(r) for q in range(c)]
    if m * n * r * c > SLICE_LIMIT:
        step = max(1, len(pairs) // SLICE_SAMPLE)
        pairs = sorted(set(pairs[::step]) | {pairs[-1]})
    for p, q in pairs:
        _, diff = compare_grids(J.slice(p, q), layout.jacobian_slice(layer.Z, p, q, (r, c)))
        if diff is not None:
            return (p, q), len(pairs)
    return None, len(pairs)


@dataclass(frozen=True)
class Reading:
    """One way "∂A/∂W = Zᵀ" could be meant as the full Jacobian, and what comparing it with
    the derived Jacobian found: `diff` is None when every entry agrees. A `values` index is
    the 4-index (i, j, p, q) of the derived Jacobian, 0-based."""

    name: str  # "broadcast" | "vec-column-major" | "vec-row-major"
    description: str
    diff: Difference | None


def zt_readings(J: Jacobian, Zt: list[list[Any]], w_inner: int) -> list[Reading]:
    """Compare the derived Jacobian with Zᵀ (k×m, built on its own) under each reading:

    - broadcast: ∂a_{i,j}/∂w_{p,q} = (Zᵀ)_{l,i}, l being W's index that runs over k,
      for every j and the other index of W (Zᵀ's entry broadcast over the indices it lacks);
    - vec A by vec W, column-major (for A = ZW this is I ⊗ Z) and row-major (Z ⊗ I):
      the (mn)×(kn) matrix against the k×m matrix Zᵀ, shapes first, then entries."""
    return [
        Reading("broadcast", "with each entry of Zᵀ broadcast over the indices it lacks", _broadcast_diff(J, Zt, w_inner)),
        Reading("vec-column-major", "as the matrix of vec A by vec W, column-major", _vec_diff(J, Zt, column_major=True)),
        Reading("vec-row-major", "as the matrix of vec A by vec W, row-major", _vec_diff(J, Zt, column_major=False)),
    ]


def _broadcast_diff(J: Jacobian, Zt: list[list[Any]], w_inner: int) -> Difference | None:
    """The first (i, j, p, q), row-major, where J differs from (Zᵀ)_{l,i}. A correct Jacobian
    is zero off δ's support, so a difference turns up within its first nonzero row."""
    m, n, r, c = J.shape
    for i in range(m):
        for j in range(n):
            for p in range(r):
                for q in range(c):
                    want = Zt[(p, q)[w_inner]][i]
                    if not equal(J[i, j, p, q], want):
                        return Difference("values", (i, j, p, q), J[i, j, p, q], want)
    return None


def _unvec(index: int, rows: int, cols: int, column_major: bool) -> tuple[int, int]:
    """The (row, col) of a rows×cols matrix at position `index` of its vec."""
    return (index % rows, index // rows) if column_major else (index // cols, index % cols)


def matricised(J: Jacobian, column_major: bool) -> tuple[list[list[Any]], dict[tuple[int, int], tuple[int, int, int, int]]]:
    """∂vec A/∂vec W as a dense (mn)×(rc) matrix (I ⊗ Z column-major, Z ⊗ I row-major, for
    A = ZW), and for each of its places the 4-index entry of J it holds."""
    m, n, r, c = J.shape
    where = {
        (row, col): (*_unvec(row, m, n, column_major), *_unvec(col, r, c, column_major))
        for row in range(m * n)
        for col in range(r * c)
    }
    flat = [[J[where[row, col]] for col in range(r * c)] for row in range(m * n)]
    return flat, where


def _vec_diff(J: Jacobian, Zt: list[list[Any]], column_major: bool) -> Difference | None:
    """∂vec A/∂vec W against Zᵀ: a shape difference, or the first differing entry (given as
    the 4-index entry of J it holds). The dense matrix is built only when the shapes agree,
    which needs n = 1 and m = k: then it has m·k entries."""
    m, n, r, c = J.shape
    shape, zt_shape = (m * n, r * c), (len(Zt), len(Zt[0]) if Zt else 0)
    if shape != zt_shape:
        return Difference("shapes", derived_shape=shape, expected_shape=zt_shape)
    flat, where = matricised(J, column_major)
    _, diff = compare_grids(flat, Zt)
    if diff is None or diff.index is None:
        return diff
    return Difference("values", where[diff.index], diff.derived, diff.expected)

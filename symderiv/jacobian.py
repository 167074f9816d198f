"""The full Jacobian ∂A/∂W as a 4-index array (output indices first), what it
contracts to, and why "∂A/∂W = Zᵀ" is not it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import symengine as se

from .compare import compare_grids, equal
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

"""The reference a user's backward is checked against: the core engine's derived
gradients (differentiate the expanded loss L = Σ g_ij a_ij), and, for sizes too large
to expand, the contraction read off those derived polynomials (never a closed form typed in)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from .. import derive
from ..shapes import Spec, parse_entry_name

OUTPUTS = ("dZ", "dW", "db")
VARIABLE = {"dZ": "Z", "dW": "W", "db": "B"}


@dataclass(frozen=True)
class Symbols:
    """The layer's symbols as NumPy object arrays, shaped as the user's function receives them."""

    Z: np.ndarray
    W: np.ndarray
    b: np.ndarray | None
    G: np.ndarray


def _objects(rows: list[list[Any]]) -> np.ndarray:
    out = np.empty((len(rows), len(rows[0]) if rows else 0), dtype=object)
    for i, row in enumerate(rows):
        for j, x in enumerate(row):
            out[i, j] = x
    return out


def derived(spec: Spec) -> tuple[Symbols, dict[str, np.ndarray]]:
    """The symbols and ∂L/∂Z, ∂L/∂W, ∂L/∂b derived by the engine, as object arrays (b's as a vector)."""
    layer = derive.build_layer(spec)
    loss = derive.generic_loss(layer)
    variables = layer.variables()
    wanted = {x for M in variables.values() for x in M}
    partials = derive.differentiate(loss, wanted, reporter=None, expanded=True)
    grads = {"dZ": _objects(derive.gradient_grid(partials, layer.Z)),
             "dW": _objects(derive.gradient_grid(partials, layer.W))}
    b = None
    if layer.B is not None:
        grads["db"] = _objects(derive.gradient_grid(partials, layer.B))[0]
        b = _objects(layer.B.tolist())[0]
    return Symbols(_objects(layer.rows("Z")), _objects(layer.rows("W")), b, _objects(layer.rows("G"))), grads


# --- the contraction behind each derived gradient, read off its monomials -----------------------

@dataclass(frozen=True)
class Contraction:
    """out = einsum(subscripts, *operands): how a derived gradient combines the layer's matrices."""

    subscripts: str
    operands: tuple[str, ...]  # names among "Z", "W", "G"

    def apply(self, arrays: dict[str, Any], **kw: Any) -> Any:
        return np.einsum(self.subscripts, *(arrays[o] for o in self.operands), **kw)


def _monomial(term: Any) -> list[tuple[str, tuple[int, ...]]] | None:
    """The entries (letter, 0-based index) of a product of distinct symbols with coefficient 1."""
    factors = term.args if term.is_Mul else (term,)
    out = []
    for f in factors:
        if not f.is_Symbol:
            return None
        parsed = parse_entry_name(f.name)
        if parsed is None:
            return None
        out.append((parsed[0].upper(), tuple(i - 1 for i in parsed[1])))
    return sorted(out)


def read_contraction(grid: np.ndarray) -> Contraction:
    """The einsum whose value is `grid` entry by entry, found from the derived monomials.

    Each index position of each factor is tied to an output index or to one summed
    index; the result is checked by evaluating it on the symbols (see `establish`)."""
    out_letters = "pq"[: grid.ndim]
    roles: dict[tuple[int, int], set[str]] = {}
    operands: tuple[str, ...] | None = None
    for index, value in np.ndenumerate(grid):
        terms = value.args if value.is_Add else (value,)
        for term in terms:
            mono = _monomial(term)
            if mono is None:
                raise ValueError(f"derived entry {value} is not a sum of plain products")
            names = tuple(letter for letter, _ in mono)
            if operands is None:
                operands = names
            if names != operands:
                raise ValueError("derived entries mix different products")
            for f, (_, idx) in enumerate(mono):
                for pos, v in enumerate(idx):
                    tied = {out_letters[d] for d in range(grid.ndim) if index[d] == v}
                    roles[(f, pos)] = roles.get((f, pos), tied | {"s"}) & (tied | {"s"})
    assert operands is not None
    subs = []
    for f in range(len(operands)):
        letters = ""
        for pos in range(2):
            tied = roles[(f, pos)] - {"s"}
            letters += tied.pop() if len(tied) == 1 else "s"
        subs.append(letters)
    return Contraction(",".join(subs) + "->" + out_letters, operands)


def _same(a: Any, b: Any) -> bool:
    import symengine as se

    return se.expand(a - b) == 0


@cache
def establish(layout: str, bias: bool) -> dict[str, Contraction]:
    """Read the contractions off the derivation at 3×2×4 and at a 1 in each dimension,
    and confirm each one reproduces every derived entry exactly there."""
    found: dict[str, Contraction] = {}
    for m, k, n in ((3, 2, 4), (4, 3, 2), (1, 2, 4), (3, 1, 4), (3, 2, 1)):
        spec = Spec(m=m, k=k, n=n, layout=layout, bias=bias)
        syms, grads = derived(spec)
        arrays = {"Z": syms.Z, "W": syms.W, "G": syms.G}
        for name, grid in grads.items():
            c = found.setdefault(name, read_contraction(grid))
            value = c.apply(arrays)
            if value.shape != grid.shape or not all(_same(a, b) for a, b in zip(value.flat, grid.flat)):
                raise AssertionError(f"the contraction {c.subscripts} read for {name} misses the derivation at {m}×{k}×{n}")
    return found


def as_product(c: Contraction) -> str:
    """The contraction written as a matrix product for people: 'Zᵀ G', 'G W', '1ᵀ G'."""
    ins, out = c.subscripts.split("->")
    parts = ins.split(",")
    if len(parts) == 1:
        return f"1ᵀ {c.operands[0]}" if parts[0] == "s" + out else f"{c.operands[0]} 1"
    (a, b), (na, nb) = parts, c.operands
    if out[0] not in a:
        (a, b), (na, nb) = (b, a), (nb, na)
    left = na + ("" if a == out[0] + "s" else "ᵀ")
    right = nb + ("" if b == "s" + out[1] else "ᵀ")
    return f"{left} {right}"

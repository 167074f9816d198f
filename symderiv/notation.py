"""A small tree for the statements symderiv shows (∂L/∂W = ZᵀG, a_{1,1} = …).

Nodes only describe; `render.text` and `render.latexmath` print them. A `Poly`
wraps an exact expression whose symbols follow `shapes.entry_name`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union


@dataclass(frozen=True)
class Sym:
    """A matrix name (`Z`) or an entry with indices (`z`, (1, 2)); indices may be letters."""

    name: str
    idx: tuple[Any, ...] = ()


@dataclass(frozen=True)
class T:
    """Transpose."""

    arg: Node


@dataclass(frozen=True)
class D:
    """The partial derivative ∂num/∂den."""

    num: Node
    den: Node


@dataclass(frozen=True)
class Prod:
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Plus:
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Sum:
    """Σ_{var=lo}^{hi} body."""

    var: str
    lo: Any
    hi: Any
    body: Node


@dataclass(frozen=True)
class Rel:
    """lhs op rhs, op one of = ≠ ≈."""

    lhs: Node
    rhs: Node
    op: str = "="


@dataclass(frozen=True)
class Chain:
    """a = b = c … (several expressions that should all be equal)."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Poly:
    """An exact polynomial expression (symengine), printed term by term."""

    expr: Any


@dataclass(frozen=True)
class Grid:
    """A matrix of exact expressions, rows of entries (printed abridged when large)."""

    rows: tuple[tuple[Any, ...], ...]

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.rows), len(self.rows[0]) if self.rows else 0)


@dataclass(frozen=True)
class Num:
    value: Any


@dataclass(frozen=True)
class Half:
    """The factor ½."""


@dataclass(frozen=True)
class Ones:
    """The all-ones column vector 𝟏 (so 𝟏ᵀG is the column sums of G)."""


@dataclass(frozen=True)
class Call:
    """A named function applied to arguments, such as tr(X)."""

    fn: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Shape:
    """A shape such as 3×4×2×4."""

    dims: tuple[int, ...]


@dataclass(frozen=True)
class Words:
    """Plain words inside a formula."""

    text: str


@dataclass(frozen=True)
class Formula:
    """A formula already written both ways (plain text and LaTeX math), as `derive` builds them."""

    text: str
    latex: str


Node = Union[Sym, T, D, Prod, Plus, Sum, Rel, Chain, Poly, Grid, Num, Half, Ones, Call, Shape, Words, Formula]

L = Sym("L")


def entry(name: str, *idx: Any) -> Sym:
    return Sym(name, tuple(idx))


def dL(den: Node) -> D:
    """∂L/∂den."""
    return D(L, den)


def is_matrix_name(node: Node) -> bool:
    """A single-letter matrix, its transpose or 𝟏: factors that print side by side (ZᵀG)."""
    if isinstance(node, T):
        return is_matrix_name(node.arg)
    return isinstance(node, Ones) or (isinstance(node, Sym) and not node.idx and len(node.name) == 1)


def repeated_entry(node: Prod) -> tuple[Sym, int] | None:
    """(a_{i,j}, 2) for the product a_{i,j} a_{i,j}, which printers show as a power; else None."""
    first = node.args[0] if node.args else None
    if len(node.args) > 1 and isinstance(first, Sym) and first.idx and all(a == first for a in node.args):
        return first, len(node.args)
    return None

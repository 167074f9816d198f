"""Which way a bias is broadcast, read off the product it is added to: an input
letter first (Y = XW + b) shares one entry per column over the rows, a weight
letter first (Y = WX + b) or a vector last (y = Wx + b) one entry per row."""

from __future__ import annotations

from typing import Any

from .tree import Mul, Neg, Transpose, Var


def factors(node: Any) -> list[Any]:
    while isinstance(node, Neg):
        node = node.a
    if isinstance(node, Mul) and node.op in ("", "*", "@", "cdot"):
        return factors(node.a) + factors(node.b)
    return [node]


def _letter(node: Any) -> Var | None:
    while isinstance(node, Transpose):
        node = node.a
    return node if isinstance(node, Var) and node.sub is None else None


WEIGHTS = ("W", "V", "U", "Theta", "theta")  # the letters people give a layer's weights
INPUTS = ("X", "H", "Z")  # …and its input or the previous layer's activation


def _is(node: Any, letters: tuple[str, ...]) -> bool:
    v = _letter(node)
    return v is not None and (v.letter in letters or v.letter[:1] in letters)


def bias_axis(other: Any, vectors: set[str]) -> str | None:
    """How a bias added to `other` is broadcast: 'row' (one entry per column, shared by the
    rows: Y = XW + b, Y = XWᵀ + b), 'col' (one entry per row, shared by the columns:
    Y = WX + b, y = Wx + b), or None when the expression does not say."""
    fs = factors(other)
    if len(fs) < 2:
        return None
    last = _letter(fs[-1])
    if _is(fs[0], INPUTS) and not _is(fs[0], WEIGHTS):
        return "row"  # Y = X W + b, H V + c, X w + b: the batch runs along the rows
    if last is not None and last.letter in vectors and not isinstance(fs[-1], Transpose):
        return "col"  # y = W x + b: one sample, a column
    if _is(fs[-1], INPUTS) or (_is(fs[0], WEIGHTS) and not _is(fs[-1], WEIGHTS)):
        return "col"  # Y = W X + b, V H + c: the batch runs along the columns
    return "row"

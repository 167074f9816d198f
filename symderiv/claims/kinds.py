"""The kind a formula shows by its notation alone (scalar, row, column or matrix): a vector is a
column, so aᵀx and (y − Xβ)ᵀ(y − Xβ) are 1×1 and read as scalars wherever a scalar fits."""

from __future__ import annotations

from typing import Any

from .tree import Add, Div, Frob, Mul, Neg, Norm, Num, Ones, Power, Sub, Trace, Transpose, Var

_PRODUCT = {("row", "col"): "scalar", ("col", "row"): "mat", ("mat", "col"): "col", ("row", "mat"): "row",
            ("mat", "mat"): "mat"}


def kind_of(node: Any, letter: Any) -> str | None:
    """scalar, row, col or mat as the notation shows it (None: cannot tell): a vector is a
    column, so aᵀx and (y − Xβ)ᵀ(y − Xβ) are 1×1, read as scalars wherever a scalar fits."""
    if isinstance(node, Var):
        return letter(node)
    if isinstance(node, (Num, Trace, Norm, Frob)):
        return "scalar"
    if isinstance(node, Ones):
        return "col"
    if isinstance(node, Transpose):
        k = kind_of(node.a, letter)
        return {"col": "row", "row": "col"}.get(k, k) if k is not None else None
    if isinstance(node, (Neg, Div)) or (isinstance(node, Power) and not isinstance(node, Trace)):
        return kind_of(node.a, letter)
    if isinstance(node, (Add, Sub)) or (isinstance(node, Mul) and node.op == "odot"):
        ka, kb = kind_of(node.a, letter), kind_of(node.b, letter)
        if ka == kb:
            return ka
        return None
    if isinstance(node, Mul) and node.op in ("", "*", "@", "cdot"):
        ka, kb = kind_of(node.a, letter), kind_of(node.b, letter)
        if ka is None or kb is None:
            return None
        if ka == "scalar":
            return kb
        if kb == "scalar":
            return ka
        return _PRODUCT.get((ka, kb))
    return None

"""Backprop code written as claims: NumPy, PyTorch and MATLAB spellings read as the matrix algebra they
compute (`np.dot(X.T, dY)`, `dY.sum(axis=0)`, `X.t().mm(dY)`, `W.grad`, `np.outer(x, dy)`,
`np.einsum('ij,ik->jk', X, dY)`, MATLAB `sum(dY, 1)`). Only shapes of two-dimensional arrays: a sum
over axis 0 is 𝟏ᵀA (the column sums), over axis 1 is A𝟏. What cannot be read so is `Unsup`, never a
guess. The grammar's tokens (claim.lark) carry the spelling; nothing here evaluates text."""

from __future__ import annotations

import re
from typing import Any

from .tree import DName, Mean, Mul, Node, Ones, Transpose, Unsup, Var

_AXIS = re.compile(r"(?:(?:axis|dim)\s*=\s*)?(-?\d+)")


def axis_sum(a: Node, axis: int) -> Node:
    """A 2-D array summed over `axis` (0: down the rows, 1: along each row; -1 is 1, -2 is 0)."""
    axis = {-2: 0, -1: 1}.get(axis, axis)
    if axis == 0:
        return Mul(Transpose(Ones()), a, "@")
    if axis == 1:
        return Mul(a, Ones(), "@")
    return Unsup(f"a sum over axis {axis} of a two-dimensional array")


def axis_mean(a: Node, axis: int) -> Node:
    """A 2-D array's mean over `axis`: its sum there, divided by its size along it (known when evaluated)."""
    total = axis_sum(a, axis)
    return total if isinstance(total, Unsup) else Mean(total, a, {-2: 0, -1: 1}.get(axis, axis))


def axis_of(token: str) -> int:
    """`.sum(axis=0)`, `.sum(0)`, `axis=-1`, `dim=1, keepdims=True`: the axis."""
    m = _AXIS.search(token[token.find("(") + 1:] if "(" in token else token)
    return int(m.group(1)) if m else 99


def code_call(fn: str, args: list[Node]) -> Node:
    """np.dot, np.matmul, torch.matmul, torch.mm (a product), np.outer and torch.outer (a bᵀ)."""
    name = fn.rsplit(".", 1)[-1]
    if len(args) != 2:
        return Unsup(f"{fn} of {len(args)} arguments")
    if name == "outer":
        return Mul(args[0], Transpose(args[1]), "@")
    return Mul(args[0], args[1], "@")


def matlab_sum(a: Node, dim: Any) -> Node:
    """MATLAB's sum(A, 1) adds down the rows (a row of column sums), sum(A, 2) along each row."""
    d = int(str(dim)) if str(dim).isdigit() else 0
    return axis_sum(a, d - 1) if d in (1, 2) else Unsup(f"sum over dimension {dim}")


def grad_of(node: Node) -> Node:
    """W.grad: the loss's gradient ∂L/∂W, as dW writes it."""
    if isinstance(node, Var) and node.style == "plain":
        return DName(node.letter, node.sub)
    return Unsup(".grad of an expression")


def einsum(spec: str, args: list[Node]) -> Node:
    """The two-dimensional einsums backprop code writes: one or two operands of one or two indices each,
    an output of at most two indices, every index summed away appearing in the inputs only."""
    m = re.fullmatch(r"\s*([a-zA-Z]+)\s*(?:,\s*([a-zA-Z]+)\s*)?->\s*([a-zA-Z]*)\s*", spec)
    spec = spec if len(spec) <= 40 else spec[:40] + "…"  # as it is named in a reason
    if m is None or len(args) != (2 if m.group(2) else 1):
        return Unsup(f"the einsum '{spec}'")
    a_ix, b_ix, out = m.group(1), m.group(2), m.group(3)
    if any(len(set(s)) != len(s) or len(s) > 2 for s in (a_ix, b_ix or "", out)) or len(a_ix) != 2:
        return Unsup(f"the einsum '{spec}' (only distinct indices of matrices are read)")
    if b_ix is None:
        return _one(a_ix, out, args[0], spec)
    if len(b_ix) == 1 and len(a_ix) == 2 and len(out) == 1:
        return Unsup(f"the einsum '{spec}'")
    if len(b_ix) != 2 or len(out) != 2:
        return Unsup(f"the einsum '{spec}'")
    shared = set(a_ix) & set(b_ix)
    if len(shared) != 1 or shared & set(out):
        return Unsup(f"the einsum '{spec}' (one index summed, the others kept)")
    s = shared.pop()
    p, q = a_ix.replace(s, ""), b_ix.replace(s, "")
    if {p, q} != set(out) or p == q:
        return Unsup(f"the einsum '{spec}'")
    left = args[0] if a_ix[1] == s else Transpose(args[0])  # rows p, columns s
    right = args[1] if b_ix[0] == s else Transpose(args[1])  # rows s, columns q
    prod = Mul(left, right, "@")
    return prod if out == p + q else Transpose(prod)


def _one(ix: str, out: str, a: Node, spec: str) -> Node:
    if out == ix:
        return a
    if out == ix[::-1]:
        return Transpose(a)
    if len(out) == 1 and out in ix:
        return axis_sum(a, 0 if out == ix[1] else 1)
    return Unsup(f"the einsum '{spec}'")

"""What `prove` starts from, for one layout (zw, zwt), bias or not, loss generic or
sumsq: symbolic sizes m, k, n, the layer's entry a_{i,j} by the definition of the
product, the loss, the variables with their index ranges, and the closed forms
(the layout's ZᵀG, GWᵀ, 𝟏ᵀG, … as data, read entry by entry independently)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import sympy as sp

from ..notation import Node, Plus, Prod, Sym, T
from ..shapes import Layout
from .indexed import Env, entry_of, index, size

Z, W, B, G = Sym("Z"), Sym("W"), Sym("B"), Sym("G")
FORWARD = {"zw": Prod((Z, W)), "zwt": Prod((Z, T(W)))}


@dataclass
class Variable:
    """A matrix the loss is differentiated by: W, Z or the bias B (entries b_q, one index)."""

    name: str
    shape: tuple[Any, Any]
    entry: Any  # w[p, q], z[p, q] or b[q]
    idx: tuple[Any, ...]  # the free indices of the entry
    form: Node  # the closed form of ∂L/∂(name), from the layout

    @property
    def closed_at(self) -> tuple[Any, Any]:
        """Where the closed form is read: (p, q), or (1, q) for the 1×n bias row."""
        return (1, self.idx[0]) if len(self.idx) == 1 else (self.idx[0], self.idx[1])


@dataclass
class Problem:
    layout: Layout
    bias: bool
    loss: str
    sizes: list[Any]  # m, k, n
    i: Any
    j: Any
    p: Any
    q: Any
    env: Env
    forward: Node
    a_def: Any  # a_{i,j} written out
    variables: list[Variable] = field(default_factory=list)

    def env_for(self, ranges: dict[Any, tuple[Any, Any]], **entries: str) -> Env:
        """A copy of the environment with the ranges of the free indices of one statement."""
        return replace(self.env, ranges=dict(ranges), entries={**self.env.entries, **entries},
                       taken=set(self.env.taken), prefer=[])

    @property
    def title(self) -> str:
        return f"A = {self.layout.product}" + (" + B" if self.bias else "")


def problem(layout: Layout, bias: bool, loss: str) -> Problem:
    m, k, n = (size(x) for x in "mkn")
    i, j, p, q = (index(x) for x in "ijpq")
    shapes = {"Z": (m, k), "W": layout.w_shape(k, n), "G": (m, n), "A": (m, n), "B": (1, n)}
    env = Env(shapes, ranges={i: (1, m), j: (1, n)}, taken={"i", "j", "l", "p", "q"}, prefer=["l"])
    env.taken.discard("l")
    forward: Node = Plus((FORWARD[layout.name], B)) if bias else FORWARD[layout.name]
    a_def = entry_of(forward, i, j, env)
    env.taken.add("l")
    prob = Problem(layout, bias, loss, [m, k, n], i, j, p, q, env, forward, a_def)
    w_shape = shapes["W"]
    prob.variables = [
        Variable("W", w_shape, sp.IndexedBase("w")[p, q], (p, q), layout.grad_W_form),
        Variable("Z", (m, k), sp.IndexedBase("z")[p, q], (p, q), layout.grad_Z_form),
    ]
    if bias:
        prob.variables.append(Variable("B", (1, n), sp.IndexedBase("b")[q], (q,), layout.grad_B_form))
    return prob


def ranges_of(var: Variable) -> dict[Any, tuple[Any, Any]]:
    """Where the free indices of a variable's entry run: p from 1 to its rows, q to its columns."""
    rows, cols = var.shape
    return {var.idx[0]: (1, cols)} if len(var.idx) == 1 else {var.idx[0]: (1, rows), var.idx[1]: (1, cols)}


def a_base() -> sp.IndexedBase:
    return sp.IndexedBase("a")


def g_base() -> sp.IndexedBase:
    return sp.IndexedBase("g")


def generic_loss(prob: Problem, upstream: Any = None) -> Any:
    """L = Σ_i Σ_j g_{i,j} a_{i,j} with a_{i,j} written out; with `upstream` (a function of
    i, j) in place of g: the chain rule's Σ_i Σ_j (∂L/∂a_{i,j}) a_{i,j}, the first factor held fixed."""
    i, j = prob.i, prob.j
    m, _, n = prob.sizes
    g = g_base()[i, j] if upstream is None else upstream(i, j)
    return sp.Sum(g * prob.a_def, (j, 1, n), (i, 1, m))


def sumsq_loss(prob: Problem) -> Any:
    """L = ½ Σ_i Σ_j a_{i,j}², with the a's as symbols of their own."""
    i, j = prob.i, prob.j
    m, _, n = prob.sizes
    return sp.Rational(1, 2) * sp.Sum(a_base()[i, j] ** 2, (j, 1, n), (i, 1, m))

"""Index notation in sympy: symbolic sizes, index symbols, the entries of matrices
(z_{i,l} as Indexed, δ as KroneckerDelta), the (r,c) entry of a matrix formula by
the definitions of the product and the transpose, and the way back to notation nodes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from .. import notation as N


class IllFormed(Exception):
    """A matrix formula whose product or sum is not defined for every size."""


def size(name: str) -> sp.Symbol:
    """A size such as m: a positive whole number, otherwise unknown."""
    return sp.Symbol(name, integer=True, positive=True)


def index(name: str) -> sp.Symbol:
    """An index such as p; its range (1 to a size) is kept beside it, in `Env.ranges`."""
    return sp.Symbol(name, integer=True, positive=True)


def same(a: Any, b: Any) -> bool:
    """Two sizes equal for every value of the size symbols (by the algebra)."""
    return sp.expand(sp.Integer(a) - sp.Integer(b) if isinstance(a, int) and isinstance(b, int) else a - b) == 0


Dims = tuple[Any, Any]


@dataclass
class Env:
    """The matrices a formula may name: their symbolic shapes and the letter of their
    entries (G's entries are g, or a when G = A); `ranges` says where each free index runs."""

    shapes: dict[str, Dims]
    entries: dict[str, str] = field(default_factory=dict)
    ranges: dict[sp.Symbol, tuple[Any, Any]] = field(default_factory=dict)
    unit: tuple[str, tuple[Any, Any]] | None = None  # ("E", (p, q)): E_{p,q} has W's shape and one 1
    taken: set[str] = field(default_factory=set)
    prefer: list[str] = field(default_factory=list)  # names the next fresh indices take first (l for a_{i,j})
    at_least: dict[Any, int] = field(default_factory=dict)  # sizes a claim's own entries need (b_3: n ≥ 3)

    def base(self, letter: str) -> sp.IndexedBase:
        return sp.IndexedBase(self.entries.get(letter, letter.lower()))

    def fresh(self, avoid: set[str] | None = None) -> sp.Symbol:
        """A summation index not used anywhere yet: r, s, t, u, v, then r₂ …"""
        avoid = (avoid or set()) | self.taken | {str(s) for s in self.ranges}
        while self.prefer:
            name = self.prefer.pop(0)
            if name not in avoid:
                self.taken.add(name)
                return index(name)
        for suffix in ("", "2", "3", "4", "5", "6"):
            for letter in "rstuv":
                if letter + suffix not in avoid:
                    self.taken.add(letter + suffix)
                    return index(letter + suffix)
        raise IllFormed("too many summation indices")


def unify(a: Any, b: Any, what: str) -> Any:
    if a is None:
        return b
    if b is None or same(a, b):
        return a
    raise IllFormed(f"{what}: {a} against {b}")


def shape_of(node: Any, env: Env) -> Dims:
    """The symbolic shape of a matrix formula (None where only a partner fixes it, as for 𝟏)."""
    if isinstance(node, N.Ones):
        return (None, 1)
    if isinstance(node, N.Sym):
        if env.unit is not None and node.name == env.unit[0] and node.idx:
            return env.shapes["W"]
        if node.name not in env.shapes:
            raise IllFormed(f"no shape for {node.name}")
        return env.shapes[node.name]
    if isinstance(node, N.T):
        r, c = shape_of(node.arg, env)
        return (c, r)
    if isinstance(node, N.Prod):
        r, c = shape_of(node.args[0], env)
        for arg in node.args[1:]:
            r2, c2 = shape_of(arg, env)
            unify(c, r2, "the inner sizes of a product differ")
            c = c2
        return (r, c)
    if isinstance(node, N.Plus):
        shapes = [shape_of(a, env) for a in node.args]
        rows = [r for r, _ in shapes if r is not None and not same(r, 1)]
        cols = [c for _, c in shapes if c is not None and not same(c, 1)]
        r = rows[0] if rows else 1
        c = cols[0] if cols else 1
        for x in rows:
            unify(r, x, "the rows of a sum differ")
        for x in cols:
            unify(c, x, "the columns of a sum differ")
        return (r, c)
    raise IllFormed(f"cannot read {type(node).__name__} as a matrix")


def entry_of(node: Any, r: Any, c: Any, env: Env) -> Any:
    """The (r,c) entry of a matrix formula, from the definitions alone:
    (XY)_{r,c} = Σ_s x_{r,s} y_{s,c}, (Xᵀ)_{r,c} = x_{c,r}, (E_{p,q})_{r,c} = δ_{r,p} δ_{c,q},
    a row (or column) added to a matrix is broadcast, 𝟏's entries are 1."""
    if isinstance(node, N.Ones):
        return sp.Integer(1)
    if isinstance(node, N.Sym):
        if env.unit is not None and node.name == env.unit[0] and node.idx:
            p, q = env.unit[1]
            return sp.KroneckerDelta(r, p) * sp.KroneckerDelta(c, q)
        rows, cols = shape_of(node, env)
        base = env.base(node.name)
        if same(rows, 1) and same(cols, 1):
            return sp.Symbol(env.entries.get(node.name, node.name.lower()))
        if same(rows, 1):
            return base[c]
        if same(cols, 1):
            return base[r]
        return base[r, c]
    if isinstance(node, N.T):
        return entry_of(node.arg, c, r, env)
    if isinstance(node, N.Prod):
        if len(node.args) == 1:
            return entry_of(node.args[0], r, c, env)
        prefix = node.args[0] if len(node.args) == 2 else N.Prod(node.args[:-1])
        inner = unify(shape_of(prefix, env)[1], shape_of(node.args[-1], env)[0], "the inner sizes of a product differ")
        s = env.fresh()
        return sp.Sum(entry_of(prefix, r, s, env) * entry_of(node.args[-1], s, c, env), (s, 1, inner))
    if isinstance(node, N.Plus):
        rows, cols = shape_of(node, env)
        total = sp.Integer(0)
        for arg in node.args:
            ar, ac = shape_of(arg, env)
            rr = 1 if ar is not None and same(ar, 1) and not same(rows, 1) else r
            cc = 1 if ac is not None and same(ac, 1) and not same(cols, 1) else c
            total += entry_of(arg, rr, cc, env)
        return total
    raise IllFormed(f"cannot read {type(node).__name__} as a matrix")


# --- notation nodes → sympy (index formulas such as z_{i,p} δ_{j,q}) -------------


def from_node(node: Any, symbols: dict[str, sp.Symbol], env: Env) -> Any:
    """An index formula written as notation nodes (the layouts' Jacobian entry forms) in sympy."""
    if isinstance(node, N.Sym) and node.idx:
        idx = [symbols[str(i)] if isinstance(i, str) else sp.Integer(i) for i in node.idx]
        if node.name == "δ":
            return sp.KroneckerDelta(*idx)
        return env.base(node.name)[tuple(idx)] if len(idx) > 1 else env.base(node.name)[idx[0]]
    if isinstance(node, N.Prod):
        return sp.Mul(*[from_node(a, symbols, env) for a in node.args])
    if isinstance(node, N.Plus):
        return sp.Add(*[from_node(a, symbols, env) for a in node.args])
    if isinstance(node, N.Num):
        return sp.Integer(node.value)
    raise IllFormed(f"cannot read {type(node).__name__} as an index formula")


# --- sympy → notation nodes, for the renderers ---------------------------------------

DELTA = "δ"


def _idx(x: Any) -> Any:
    return int(x) if getattr(x, "is_Integer", False) else str(x).replace(" ", "")


def to_node(expr: Any) -> Any:
    """A sympy index expression as notation nodes (Σ with its limits, entries, δ)."""
    if isinstance(expr, sp.Sum):
        body = to_node(expr.function)
        for var, lo, hi in expr.limits:  # the first limit is the innermost
            body = N.Sum(str(var), to_node(lo), to_node(hi), body)
        return body
    if isinstance(expr, sp.Indexed):
        return N.Sym(str(expr.base), tuple(_idx(i) for i in expr.indices))
    if isinstance(expr, sp.KroneckerDelta):
        return N.Sym(DELTA, tuple(_idx(i) for i in expr.args))
    if isinstance(expr, sp.Derivative):
        return N.D(to_node(expr.expr), to_node(expr.variables[0]))
    if isinstance(expr, sp.Add):
        return N.Plus(tuple(to_node(a) for a in sorted(_ordered(expr.args), key=lambda a: not a.has(sp.Sum))))
    if isinstance(expr, sp.Mul):
        coeff, rest = expr.as_coeff_Mul()
        factors = [to_node(a) for a in _ordered(sp.Mul.make_args(rest))]
        if coeff == sp.Rational(1, 2):
            return N.Prod((N.Half(), *factors))
        if coeff == -1:
            return N.Prod((N.Num(-1), *factors))
        return N.Prod(tuple(([] if coeff == 1 else [N.Num(coeff)]) + factors)) if len(factors) > 1 or coeff != 1 \
            else factors[0]
    if isinstance(expr, sp.Pow) and expr.exp.is_Integer and expr.exp > 0:
        return N.Prod(tuple(to_node(expr.base) for _ in range(int(expr.exp))))
    if isinstance(expr, sp.Integer):
        return N.Num(int(expr))
    if isinstance(expr, sp.Symbol):
        return N.Sym(str(expr))
    return N.Words(str(expr))


ORDER = {"g": 0, "a": 1, "x": 2, "z": 2, "y": 1, "w": 3, "b": 5, DELTA: 6}


def _ordered(args: tuple[Any, ...]) -> list[Any]:
    """Factors in reading order: g before z before w, δ last; sums after entries."""
    def key(a: Any) -> tuple[int, str]:
        if isinstance(a, sp.Indexed):
            return (ORDER.get(str(a.base), 4), str(a))
        if isinstance(a, sp.KroneckerDelta):
            return (6, str(a))
        if isinstance(a, sp.Sum):
            return (7, str(a))
        return (-1, str(a))
    return sorted(args, key=key)

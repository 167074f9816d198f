"""Claims proved for every size: the hook the claims engine calls after a claim held
at the sizes it tried. An index-notation claim about a layer's gradient entry
(∂L/∂w_{pq} = Σ_i x_{ip} g_{iq}) or Jacobian entry (∂y_{ij}/∂w_{pq} = x_{ip} δ_{jq})
is derived here by differentiating the context's definition with the sizes left
symbolic, and compared with the claim's right-hand side by the algebra."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from .. import notation as N
from ..claims import tree as C
from ..claims.context import LAYER_CONTEXTS, Context, build_context
from ..render.text import to_text
from . import rules
from .indexed import Env, IllFormed, entry_of, index, same, shape_of, size, to_node


@dataclass(frozen=True)
class ProofOutcome:
    """`proved`: the claim holds for every value of `sizes` (the size letters it quantifies over);
    otherwise the algebra could not show it (or showed it false), and `reason` says which."""

    proved: bool
    reason: str
    sizes: tuple[str, ...] = ()
    derived: Any = None  # the derived entry formula, as a notation node (for a report)


class Outside(Exception):
    """The claim or its context is outside what the prover covers."""


def prove_claim(claim: Any, ctx: Context, layout: str = "zw") -> ProofOutcome | None:
    """Try a claim for every size.

    `claim` is the parsed tree (`symderiv.claims.parser.parse`), `ctx` the claims Context
    (`symderiv.claims.context.build_context`); with no definitions in `ctx` the default layer
    of `layout` ("zw": A = ZW + B, "zwt": A = ZWᵀ + B) is the context. Every size named in a
    shape (N, D, M) is symbolic: the values the context gives them are ignored here.

    Returns None when the claim is outside what the prover covers (anything but one
    equation whose left side is an entry of a gradient ∂L/∂x_{pq} of the generic loss, or an
    entry ∂y_{ij}/∂x_{pq} of the Jacobian of the defined output, and whose right side is an
    index formula: entries, δ, sums Σ_{i=1}^{N} with bounds given or read off the entries,
    products, sums, numbers, entries (X^T G)_{pq} of matrix products). Otherwise a
    ProofOutcome: `proved` True only when the difference between the derived entry formula
    and the claim's right side simplifies to 0 with the sizes symbolic; False (with a reason)
    when it does not, which the caller reports as "holds at the sizes checked" (or not at all
    when the claim already failed there). It never raises for a claim it was handed."""
    try:
        return _prove(claim, ctx, layout)
    except (Outside, IllFormed, KeyError, ValueError, TypeError, AttributeError, IndexError):
        return None


# --- reading the context -------------------------------------------------------------


def _matrix(node: Any) -> Any:
    """A context definition (claims tree) as a notation matrix formula."""
    if isinstance(node, C.Var) and node.sub is None and node.style == "plain":
        return N.Sym(node.letter)
    if isinstance(node, C.Mul) and node.op in ("", "*", "@", "cdot"):
        return N.Prod((_matrix(node.a), _matrix(node.b)))
    if isinstance(node, C.Add):
        return N.Plus((_matrix(node.a), _matrix(node.b)))
    if isinstance(node, C.Transpose):
        return N.T(_matrix(node.a))
    raise Outside(f"cannot read {type(node).__name__} in a definition")


def _dim(d: Any, sizes: dict[str, sp.Symbol]) -> Any:
    if isinstance(d, int):
        return sp.Integer(d)
    if d not in sizes:
        sizes[d] = size(d)
    return sizes[d]


def _orient_vectors(node: Any, env: Env) -> None:
    """A vector added to a matrix is a bias, broadcast: a row when its length is the
    matrix's number of columns, a column when it is the number of rows."""
    if isinstance(node, N.Plus):
        mats = [a for a in node.args if not (isinstance(a, N.Sym) and a.name.islower())]
        if mats:
            rows, cols = shape_of(N.Plus(tuple(mats)) if len(mats) > 1 else mats[0], env)
            for a in node.args:
                if isinstance(a, N.Sym) and a.name.islower():
                    r, c = env.shapes.get(a.name, (None, None))
                    length = c if r is not None and same(r, 1) else r
                    if length is None:
                        env.shapes[a.name] = _bias_default(node, rows, cols)
                    elif same(length, cols):
                        env.shapes[a.name] = (sp.Integer(1), length)
                    elif same(length, rows):
                        env.shapes[a.name] = (length, sp.Integer(1))
    for child in getattr(node, "args", ()):
        if isinstance(child, (N.Plus, N.Prod, N.T)):
            _orient_vectors(child, env)


def _bias_default(node: N.Plus, rows: Any, cols: Any) -> tuple[Any, Any]:
    """An undeclared bias follows the weight: Y = WX + b has one per row, Y = XW + b one per column."""
    prod = next((a for a in node.args if isinstance(a, N.Prod)), None)
    first = prod.args[0] if prod is not None else None
    first = first.arg if isinstance(first, N.T) else first
    if isinstance(first, N.Sym) and first.name == "W":
        return (rows, sp.Integer(1))
    return (sp.Integer(1), cols)


@dataclass
class World:
    env: Env
    sizes: dict[str, sp.Symbol]
    output: str
    definition: Any
    upstream: str


def _world(ctx: Context, layout: str, claim_letters: set[str]) -> World:
    if not ctx.defs:
        ctx = build_context(LAYER_CONTEXTS[layout])
    if ctx.loss is not None or len(ctx.defs) != 1 or ctx.upstream is None or not ctx.upstream.isascii():
        raise Outside("only one definition and the generic loss are covered")
    sizes: dict[str, sp.Symbol] = {}
    shapes = {letter: tuple(_dim(d, sizes) for d in dims) for letter, dims in ctx.shapes.items()}
    out, expr = ctx.defs[0]
    definition = _matrix(expr)
    env = Env(shapes, taken=set(claim_letters) | set(sizes))
    _orient_vectors(definition, env)
    env.shapes[out] = shape_of(definition, env)
    env.shapes[ctx.upstream] = env.shapes[out]
    return World(env, sizes, out, definition, ctx.upstream)


# --- reading the claim -----------------------------------------------------------------


def _indices(sub: str | None) -> list[Any]:
    from ..claims.tree import index_parts

    if sub is None:
        raise Outside("an entry needs indices")
    parts = index_parts(sub)
    out = []
    for p in parts:
        if p.isdigit():
            out.append(sp.Integer(int(p)))
        elif len(p) == 1 and p.isalpha():
            out.append(index(p))
        else:
            raise Outside(f"cannot read the index {p!r}")
    return out


def _entry(letter: str, idx: list[Any], world: World) -> Any:
    """The entry x_{pq} of the matrix X (or b_q of the vector b) as a sympy Indexed."""
    owner = letter if letter in world.env.shapes else letter.upper()
    if owner not in world.env.shapes:
        raise Outside(f"{letter} is not a matrix of the context")
    rows, cols = world.env.shapes[owner]
    base = sp.IndexedBase(letter.lower())
    if len(idx) == 1 and (same(rows, 1) or same(cols, 1)):
        return base[idx[0]], owner, [(1, cols if same(rows, 1) else rows)]
    if len(idx) != 2:
        raise Outside("an entry of a matrix has two indices")
    return base[idx[0], idx[1]], owner, [(1, rows), (1, cols)]


def _index_expr(node: Any, world: World, ranges: dict[Any, tuple[Any, Any]]) -> Any:
    """The right-hand side of a claim as a sympy index formula."""
    if isinstance(node, C.Num):
        return sp.Rational(node.value.numerator, node.value.denominator)
    if isinstance(node, C.Var) and node.style == "greek" and node.letter == "delta":
        idx = _indices(node.sub)
        if len(idx) != 2:
            raise Outside("δ has two indices")
        return sp.KroneckerDelta(*idx)
    if isinstance(node, C.Var) and node.sub is not None and node.style == "plain":
        expr, _, rng = _entry(node.letter, _indices(node.sub), world)
        for i, r in zip(expr.indices, rng):
            if isinstance(i, sp.Symbol):
                ranges.setdefault(i, r)
        return expr
    if isinstance(node, C.At):
        idx = _indices(node.sub)
        if len(idx) != 2:
            raise Outside("an entry of a product has two indices")
        return entry_of(_matrix(node.a), idx[0], idx[1], world.env)
    if isinstance(node, C.Mul) and node.op in ("", "*", "cdot", "times"):
        return _index_expr(node.a, world, ranges) * _index_expr(node.b, world, ranges)
    if isinstance(node, C.Add):
        return _index_expr(node.a, world, ranges) + _index_expr(node.b, world, ranges)
    if isinstance(node, C.Sub):
        return _index_expr(node.a, world, ranges) - _index_expr(node.b, world, ranges)
    if isinstance(node, C.Neg):
        return -_index_expr(node.a, world, ranges)
    if isinstance(node, C.SumOp):
        body = _index_expr(node.body, world, ranges)
        for var in reversed(node.vars):
            v = index(var)
            lo = sp.Integer(node.lo) if isinstance(node.lo, int) else _dim(node.lo, world.sizes) if node.lo else 1
            if node.hi is None:
                if v not in ranges:
                    raise Outside(f"the range of {var} is not known")
                hi = ranges[v][1]
            else:
                hi = _dim(node.hi, world.sizes)
            body = sp.Sum(body, (v, lo, hi))
        return body
    raise Outside(f"cannot read {type(node).__name__} as an index formula")


def _letters(node: Any) -> set[str]:
    out: set[str] = set()
    for n in C.walk(node):
        if isinstance(n, (C.Var, C.At)) and getattr(n, "sub", None):
            out |= {p for p in C.index_parts(n.sub) if p.isalpha()}
        if isinstance(n, C.SumOp):
            out |= set(n.vars)
    return out


def _prove(claim: Any, ctx: Context, layout: str) -> ProofOutcome | None:
    if not isinstance(claim, C.Claim) or len(claim.parts) != 2 or claim.rels[0] != "=":
        return None
    lhs, rhs = claim.parts
    if not isinstance(lhs, (C.Deriv, C.At)) and isinstance(rhs, (C.Deriv, C.At)):
        lhs, rhs = rhs, lhs
    world = _world(ctx, layout, _letters(claim))
    env = world.env
    if isinstance(lhs, C.At) and isinstance(lhs.a, C.Deriv) and lhs.a.den.sub is None:
        lhs = C.Deriv(lhs.a.num, C.Var(lhs.a.den.letter.lower(), lhs.sub), lhs.a.kind)
    if not isinstance(lhs, C.Deriv) or not isinstance(lhs.den, C.Var) or lhs.den.sub is None:
        return None
    den, owner, den_ranges = _entry(lhs.den.letter, _indices(lhs.den.sub), world)
    ranges: dict[Any, tuple[Any, Any]] = {}
    for i, r in zip(den.indices, den_ranges):
        if isinstance(i, sp.Symbol):
            ranges[i] = r
    num = lhs.num
    rows, cols = env.shapes[world.output]
    if isinstance(num, C.Var) and num.letter == "L" and num.sub is None:
        i, j = env.fresh(), env.fresh()
        env.ranges.update({i: (1, rows), j: (1, cols)})
        g = sp.IndexedBase(world.upstream.lower())
        y = entry_of(world.definition, i, j, env)
        raw = sp.Sum(g[i, j] * y, (j, 1, cols), (i, 1, rows)).diff(den)
        what = f"∂L/∂{owner}"
    elif isinstance(num, C.Var) and num.sub is not None and num.letter.upper() == world.output:
        idx = _indices(num.sub)
        if len(idx) != 2:
            return None
        for x, r in zip(idx, [(1, rows), (1, cols)]):
            if isinstance(x, sp.Symbol):
                ranges[x] = r
        raw = entry_of(world.definition, idx[0], idx[1], env).diff(den)
        what = f"∂{world.output}/∂{owner}"
    else:
        return None
    env.ranges.update(ranges)
    derived, _ = rules.simplify_terms(raw, env)
    right = _index_expr(rhs, world, dict(ranges))
    stray = right.free_symbols - set(ranges) - set(world.sizes.values())
    stray = {s for s in stray if not str(s).isupper() and s.is_Symbol and str(s) in _letters(claim)}
    sizes = tuple(sorted(str(s) for s in world.sizes.values()))
    node = to_node(rules.as_expr(derived))
    if stray:
        names = ", ".join(sorted(str(s) for s in stray))
        return ProofOutcome(False, f"the index {names} is free on the right only (a sum is missing?)", sizes, node)
    right_terms, _ = rules.simplify_terms(right, env)
    diff = rules.difference(derived, right_terms)
    if diff == 0:
        return ProofOutcome(True, f"proved for all {', '.join(sizes)}: differentiating the definition gives the "
                                  f"entry of {what} as {to_text(node)}, and the difference from the claim "
                                  "simplifies to 0", sizes, node)
    return ProofOutcome(False, f"the derived entry is {to_text(node)}; its difference from the claim, "
                               f"{to_text(to_node(diff))}, does not simplify to 0", sizes, node)

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
    of `layout` ("zw": A = ZW + B, "zwt": A = ZWᵀ + B; any other name reads as "zw") is the
    context. Every size is symbolic: a size named in a shape (X: N x D) is quantified over, the
    values the context gives it (N = 3) are ignored, and a matrix the context leaves without a
    shape gets placeholder sizes rows(X), cols(X), unified through the products it sits in.

    Covered: one equation `lhs = rhs` whose lhs is an entry of a gradient of the generic loss
    (∂L/∂w_{pq}, [∂L/∂W]_{pq}, ∂L/∂W_{ij}, ∂L/∂b_q) or of the Jacobian of the defined output
    (∂y_{ij}/∂w_{pq}), in a context with one definition (Y = XW + b, Y = XWᵀ + b, Y = WX + b,
    …) and the upstream gradient G (or δ = ∂L/∂Y); the rhs an index formula: entries x_{ip},
    g_{iq} (or ∂L/∂y_{iq}, or δ_{iq} when δ names the upstream gradient), Kronecker's δ_{jq},
    ∂y_{ij}/∂w_{kl}, entries of matrix products ((X^T G)_{pq}), sums Σ_{i=1}^{N} (a bound left
    out is read off the entries the index sits in), products, sums, differences, numbers.
    A numbered entry (b_3) is proved for every size at which it exists (n ≥ 3).

    Returns None when the claim is outside that (a matrix-level claim such as ∂L/∂W = XᵀG, a
    concrete loss, several definitions, vectors as outputs). Otherwise a ProofOutcome:
    `proved` True only when the difference between the entry formula derived from the
    definition (sympy differentiates; deltas collapse under their range conditions) and the
    claim's rhs simplifies to 0 with the sizes symbolic — then the verdict may say "holds —
    proved for all sizes"; False, with a reason, when the algebra does not show it (a claim
    true only at the sizes given, a free index on one side only, or a false claim), which the
    caller reports as "holds at the sizes checked" when the claim held there. `proved` False
    is never by itself a `fails`: that takes one size, which the claims engine has.
    It never raises."""
    try:
        return _prove(claim, ctx, layout)
    except (Outside, IllFormed, KeyError, ValueError, TypeError, AttributeError, IndexError, NotImplementedError,
            RecursionError):
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
    upstream: str  # the letter of the upstream gradient's entries (g), or "delta" for δ = ∂L/∂Y

    def index(self, name: str) -> sp.Symbol:
        """The claim's index letter; one that is also a size's name (k in the default layer) is kept apart."""
        return index(name + "ʹ") if name in self.sizes else index(name)

    @property
    def g(self) -> sp.IndexedBase:
        return sp.IndexedBase("g" if self.upstream == "delta" else self.upstream.lower())


def _placeholder(letter: str, which: str) -> sp.Symbol:
    return size(f"{which}({letter})")


def _is_placeholder(d: Any) -> bool:
    return isinstance(d, sp.Symbol) and str(d).startswith(("rows(", "cols("))


def _infer(node: Any, env: Env) -> Any:
    """Symbolic shapes for the matrices a context leaves undeclared (Y = X W: X is rows(X)×cols(X),
    and W's rows are cols(X)), unified through products and sums; None for a vector."""
    if isinstance(node, N.Sym):
        if node.name.islower():
            return None
        if node.name not in env.shapes:
            env.shapes[node.name] = (_placeholder(node.name, "rows"), _placeholder(node.name, "cols"))
        return env.shapes[node.name]
    if isinstance(node, N.T):
        inner = _infer(node.arg, env)
        return None if inner is None else (inner[1], inner[0])
    if isinstance(node, N.Prod):
        left = _infer(node.args[0], env)
        for arg in node.args[1:]:
            right = _infer(arg, env)
            if left is None or right is None:
                raise Outside("a vector in a product")
            swap = _unify(left[1], right[0], env)
            left = (swap.get(left[0], left[0]), swap.get(right[1], right[1]))
        return left
    if isinstance(node, N.Plus):
        shapes = [s for s in (_infer(a, env) for a in node.args) if s is not None]
        if not shapes:
            return None
        first = shapes[0]
        for other in shapes[1:]:
            for x, y in zip(first, other):
                if same(x, 1) or same(y, 1):
                    continue  # a row or a column, broadcast
                swap = _unify(x, y, env)
                first = tuple(swap.get(d, d) for d in first)
        return first
    raise Outside(f"cannot read {type(node).__name__} in a definition")


def _unify(a: Any, b: Any, env: Env) -> dict[Any, Any]:
    """Make two sizes one: a placeholder gives way to the other; two declared sizes must agree."""
    if same(a, b):
        return {}
    if not (_is_placeholder(a) or _is_placeholder(b)):
        raise Outside(f"the sizes {a} and {b} of a product differ")
    old, new = (a, b) if _is_placeholder(a) else (b, a)
    env.shapes.update({k: tuple(new if d == old else d for d in v) for k, v in env.shapes.items()})
    return {old: new}


def _world(ctx: Context, layout: str, claim_letters: set[str]) -> World:
    if not ctx.defs:
        ctx = build_context(LAYER_CONTEXTS.get(layout, LAYER_CONTEXTS["zw"]))
    if ctx.loss is not None or len(ctx.defs) != 1 or ctx.upstream is None:
        raise Outside("only one definition and the generic loss are covered")
    if not (ctx.upstream == "delta" or (len(ctx.upstream) == 1 and ctx.upstream.isascii() and ctx.upstream.isalpha())):
        raise Outside(f"cannot read the upstream name {ctx.upstream!r}")
    sizes: dict[str, sp.Symbol] = {}
    shapes = {letter: tuple(_dim(d, sizes) for d in dims) for letter, dims in ctx.shapes.items()}
    out, expr = ctx.defs[0]
    definition = _matrix(expr)
    env = Env(shapes)
    _infer(definition, env)
    for dims in env.shapes.values():
        for d in dims:
            if _is_placeholder(d):
                sizes[str(d)] = d
    env.taken = set(claim_letters) | set(sizes)
    _orient_vectors(definition, env)
    env.shapes[out] = shape_of(definition, env)
    if ctx.upstream != "delta":
        env.shapes[ctx.upstream] = env.shapes[out]
    return World(env, sizes, out, definition, ctx.upstream)


# --- reading the claim -----------------------------------------------------------------


def _indices(sub: str | None, world: World) -> list[Any]:
    if sub is None:
        raise Outside("an entry needs indices")
    out = []
    for p in C.index_parts(sub):
        if p.isdigit():
            out.append(sp.Integer(int(p)))
        elif len(p) == 1 and p.isalpha():
            out.append(world.index(p))
        else:
            raise Outside(f"cannot read the index {p!r}")
    return out


def _entry(letter: str, idx: list[Any], world: World) -> tuple[Any, str, list[tuple[Any, Any]]]:
    """The entry x_{pq} of the matrix X (or b_q of the vector b) as a sympy Indexed, the
    matrix's letter, and where each index runs."""
    owner = letter if letter in world.env.shapes else letter.upper()
    if owner not in world.env.shapes or owner == world.output:
        raise Outside(f"{letter} is not an input of the context")
    rows, cols = world.env.shapes[owner]
    base = sp.IndexedBase(letter.lower())
    if len(idx) == 1 and (same(rows, 1) or same(cols, 1)):
        return base[idx[0]], owner, [(1, cols if same(rows, 1) else rows)]
    if len(idx) != 2:
        raise Outside("an entry of a matrix has two indices")
    return base[idx[0], idx[1]], owner, [(1, rows), (1, cols)]


def _note_ranges(idx: Any, rng: list[tuple[Any, Any]], ranges: dict[Any, tuple[Any, Any]], world: World) -> None:
    """Record where each letter index runs; a number as index needs its size to reach it (b_3: n ≥ 3)."""
    for i, (_, hi) in zip(idx, rng):
        if isinstance(i, sp.Symbol):
            ranges.setdefault(i, (1, hi))
        elif isinstance(hi, sp.Symbol):
            world.env.at_least[hi] = max(world.env.at_least.get(hi, 1), int(i))
        elif int(i) > int(hi):
            raise Outside(f"the index {i} is out of range")


def _is_loss(node: Any) -> bool:
    return isinstance(node, C.Var) and node.letter == "L" and node.sub is None


def _output_entry(node: Any, world: World, ranges: dict[Any, tuple[Any, Any]]) -> list[Any] | None:
    """The indices of y_{ij} when `node` is an entry of the defined output, else None."""
    if isinstance(node, C.Var) and node.sub is not None and node.style == "plain" \
            and node.letter.upper() == world.output:
        idx = _indices(node.sub, world)
        if len(idx) != 2:
            raise Outside("an entry of the output has two indices")
        rows, cols = world.env.shapes[world.output]
        _note_ranges(idx, [(1, rows), (1, cols)], ranges, world)
        return idx
    return None


def _index_expr(node: Any, world: World, ranges: dict[Any, tuple[Any, Any]]) -> Any:
    """The right-hand side of a claim as a sympy index formula."""
    if isinstance(node, C.Num):
        return sp.Rational(node.value.numerator, node.value.denominator)
    if isinstance(node, C.Var) and node.style == "greek" and node.letter == "delta":
        idx = _indices(node.sub, world)
        if len(idx) != 2:
            raise Outside("δ has two indices")
        if world.upstream == "delta":  # δ = ∂L/∂Y in the context: δ_{ij} is the upstream gradient
            rows, cols = world.env.shapes[world.output]
            _note_ranges(idx, [(1, rows), (1, cols)], ranges, world)
            return world.g[idx[0], idx[1]]
        return sp.KroneckerDelta(*idx)
    if isinstance(node, C.Var) and node.sub is not None and node.style == "plain":
        if node.letter.upper() == world.upstream.upper():
            idx = _indices(node.sub, world)
            rows, cols = world.env.shapes[world.output]
            _note_ranges(idx, [(1, rows), (1, cols)], ranges, world)
            return world.g[idx[0], idx[1]]
        expr, _, rng = _entry(node.letter, _indices(node.sub, world), world)
        _note_ranges(expr.indices, rng, ranges, world)
        return expr
    if isinstance(node, C.Deriv) and _is_loss(node.num):  # ∂L/∂y_{ij}: the upstream gradient's entry
        idx = _output_entry(node.den, world, ranges)
        if idx is None:
            raise Outside("only ∂L/∂(an entry of the output) is read inside a formula")
        return world.g[idx[0], idx[1]]
    if isinstance(node, C.Deriv):  # ∂y_{ij}/∂w_{kl}: differentiate the definition
        idx = _output_entry(node.num, world, ranges)
        if idx is None or not isinstance(node.den, C.Var):
            raise Outside("only ∂y_{ij}/∂(an entry) is read inside a formula")
        den, _, rng = _entry(node.den.letter, _indices(node.den.sub, world), world)
        _note_ranges(den.indices, rng, ranges, world)
        return entry_of(world.definition, idx[0], idx[1], world.env).diff(den)
    if isinstance(node, C.At):
        idx = _indices(node.sub, world)
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
            v = world.index(var)
            lo = _bound(node.lo, world) if node.lo is not None else sp.Integer(1)
            if node.hi is None:
                if v not in ranges:
                    raise Outside(f"the range of {var} is not known")
                hi = ranges[v][1]
            else:
                hi = _bound(node.hi, world)
            body = sp.Sum(body, (v, lo, hi))
        return body
    raise Outside(f"cannot read {type(node).__name__} as an index formula")


def _bound(b: Any, world: World) -> Any:
    if isinstance(b, int):
        return sp.Integer(b)
    if isinstance(b, str) and b in world.sizes:
        return world.sizes[b]
    if isinstance(b, str) and b.isalpha():
        return _dim(b, world.sizes)  # a size the context does not name: a symbol of its own
    raise Outside(f"cannot read the bound {b!r}")


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
    if isinstance(lhs, C.At) and isinstance(lhs.a, C.Deriv) and isinstance(lhs.a.den, C.Var) \
            and lhs.a.den.sub is None:
        lhs = C.Deriv(lhs.a.num, C.Var(lhs.a.den.letter.lower(), lhs.sub), lhs.a.kind)
    if not isinstance(lhs, C.Deriv) or not isinstance(lhs.den, C.Var) or lhs.den.sub is None:
        return None
    ranges: dict[Any, tuple[Any, Any]] = {}
    den, owner, den_ranges = _entry(lhs.den.letter, _indices(lhs.den.sub, world), world)
    _note_ranges(den.indices, den_ranges, ranges, world)
    rows, cols = env.shapes[world.output]
    if _is_loss(lhs.num):
        i, j = env.fresh(), env.fresh()
        env.ranges.update({i: (1, rows), j: (1, cols)})
        y = entry_of(world.definition, i, j, env)
        raw = sp.Sum(world.g[i, j] * y, (j, 1, cols), (i, 1, rows)).diff(den)
        what = f"∂L/∂{owner}"
    else:
        idx = _output_entry(lhs.num, world, ranges)
        if idx is None:
            return None
        raw = entry_of(world.definition, idx[0], idx[1], env).diff(den)
        what = f"∂{world.output}/∂{owner}"
    env.ranges.update(ranges)
    left = set(ranges)
    right = _index_expr(rhs, world, ranges)
    env.ranges.update(ranges)
    derived, _ = rules.simplify_terms(raw, env)
    names = tuple(sorted(str(s) for s in world.sizes.values()))
    node = to_node(rules.as_expr(derived))
    stray = {s for s in right.free_symbols if s in ranges and s not in left}
    if stray:
        which = ", ".join(sorted(str(s) for s in stray))
        return ProofOutcome(False, f"the index {which} is free on the right only (a sum is missing?)", names, node)
    right_terms, _ = rules.simplify_terms(right, env)
    diff = rules.difference(derived, right_terms)
    if diff == 0:
        floors = "".join(f", {s} ≥ {v}" for s, v in sorted(env.at_least.items(), key=str) if v > 1)
        where = f" ({floors[2:]}, where the entries exist)" if floors else ""
        return ProofOutcome(True, f"proved for all {', '.join(names)}{where}: differentiating the definition gives "
                                  f"the entry of {what} as {to_text(node)}, and the difference from the claim "
                                  "simplifies to 0", names, node)
    return ProofOutcome(False, f"the derived entry is {to_text(node)}; its difference from the claim, "
                               f"{to_text(to_node(diff))}, does not simplify to 0", names, node)

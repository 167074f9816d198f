"""Decide one parsed claim in one layout and one assignment of sizes: free
indices quantified over all their values, every link of a chain compared
exactly (expand the difference, test zero), the first difference kept."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import symengine as se

from ..shapes import entry_name
from .context import Context
from .evaluate import Arr, Evaluator, IllFormed, Unsupported, shape_text
from .functions import GENERIC, transcendental
from .infer import ANNOTATION, Typing
from .tree import Apply, At, Claim, Deriv, DName, Num, Space, SumOp, Var, children, index_parts, walk

MAX_ASSIGNMENTS = 5_000
EQUALITY = ("=", "\\equiv", "≡")
MEMBERSHIP = ("\\in", "∈")


@dataclass
class Outcome:
    """The verdict of a claim in one layout at one set of sizes."""

    verdict: str  # holds | fails | unchecked
    kind: str | None = None  # values | shapes | ill-formed | unsupported | parse
    reason: str = ""
    link: int = 0  # which `=` of a chain (0-based)
    env: dict[str, int] = field(default_factory=dict)  # free index values at the counterexample
    index: tuple[int, ...] | None = None  # 1-based entry of the differing arrays
    lhs: Any = None
    rhs: Any = None
    lhs_shape: tuple[int, ...] | None = None
    rhs_shape: tuple[int, ...] | None = None
    lhs_value: Arr | None = None
    rhs_value: Arr | None = None
    symmetric: str | None = None  # the claim holds when this matrix is symmetric
    sizes: dict[str, int] = field(default_factory=dict)
    context_ill_formed: bool = False  # the context itself is ill-formed (in this reading of its letters)
    note: str = ""  # said after the reason (where the verdict was decided)


def index_letters(node: Any) -> list[str]:
    if isinstance(node, At):
        return [p for p in index_parts(node.sub) if len(p) == 1 and p.isalpha()]
    if not isinstance(node, Var):
        return []
    if node.sub is None or ANNOTATION.search(node.sub):
        return []
    if node.style == "greek" and node.letter != "delta":
        return []
    if node.letter == "I" and node.style == "plain":
        return []  # I_n: the subscript is a size
    return [p for p in index_parts(node.sub) if len(p) == 1 and p.isalpha()]


def _scoped(claim: Any) -> Any:
    """Every node with the index letters the sums around it bind."""
    stack: list[tuple[Any, frozenset[str]]] = [(claim, frozenset())]
    while stack:
        n, scope = stack.pop()
        if isinstance(n, SumOp):
            scope = scope | set(n.vars)
        yield n, scope
        stack.extend((c, scope) for c in reversed(children(n)))


def free_indices(claim: Any) -> tuple[list[str], set[str]]:
    """Index letters not bound by a sum (in order of appearance), and the bound ones.
    Scoped: an index is free where no enclosing sum binds it (∂L/∂b_j = Σ_j … reuses j)."""
    free: list[str] = []
    bound: set[str] = set()
    for n, scope in _scoped(claim):
        if isinstance(n, SumOp):
            bound |= set(n.vars)
        for p in index_letters(n):
            if p not in scope and p not in free:
                free.append(p)
    return free, bound


def _entry_dims(n: Any, t: Typing, sizes: dict[str, int]) -> tuple[list[str], list[int]] | None:
    """The index letters of an entry (x_{ij}, (XW)_{ij}) and the sizes they run over."""
    if isinstance(n, At):
        if id(n) not in t.entry_dims:
            return None
        parts = index_parts(n.sub)
        dims = [t.size(d, sizes) for d in t.entry_dims[id(n)]]
        return parts, ([dims[0] * dims[1]] if 1 in dims and len(parts) == 1 else dims)
    if not isinstance(n, Var) or n.sub is None or ANNOTATION.search(n.sub):
        return None
    parts = index_parts(n.sub)
    if id(n) in t.helpers:
        if n.letter == "I":
            return None
        dims = [t.size(d, sizes) for d in t.helpers[id(n)]]
    elif n.style == "greek" and n.letter not in t.matrices:
        return None
    else:
        owner = n.letter if (n.letter in t.vectors or n.letter.isupper() or n.style == "greek") else n.letter.upper()
        if owner not in t.matrices:
            return None
        r, c = t.shape(owner, sizes)
        if r == 1 or c == 1:
            if len(parts) > 2:
                return None
            dims = [r * c] if len(parts) == 1 else [r, c]
        else:
            dims = [r, c]
    return (parts, dims) if len(parts) == len(dims) else None


def index_ranges(claim: Any, t: Typing, sizes: dict[str, int], free: list[str] | None = None) -> dict[str, int]:
    """The range 1..n of every index letter, read off the entries it indexes: a free index
    under its letter, an index a sum binds under 'Σ' + its letter (∂L/∂b_j = Σ_j g_{p,j} uses
    j twice, for two ranges). Two entries that give one free index different ranges make the
    claim ill-formed; a summed index with two ranges must have its bounds written."""
    seen: dict[str, tuple[int, str]] = {}
    ambiguous: set[str] = set()
    for n, scope in _scoped(claim):
        found = _entry_dims(n, t, sizes)
        if found is None:
            continue
        where = f"(·)_{{{n.sub}}}" if isinstance(n, At) else f"{n.letter}_{{{n.sub}}}"
        for p, d in zip(*found):
            if len(p) != 1 or not p.isalpha():
                continue
            key = "Σ" + p if p in scope else p
            if key in seen and seen[key][0] != d:
                if key == p and (free is None or p in free):
                    raise IllFormed(f"the index {p} runs over 1..{seen[p][0]} in {seen[p][1]} but over 1..{d} in {where}")
                ambiguous.add(key)
            seen.setdefault(key, (d, where))
    return {p: d for p, (d, _) in seen.items() if p not in ambiguous}


def flat_index(i: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    out = []
    for d in reversed(shape):
        out.append(i % d + 1)
        i //= d
    return tuple(reversed(out))


def _norm_shape(a: Arr) -> tuple[int, ...]:
    return () if a.shape == (1, 1) else a.shape


def symmetric_letters(ev: Evaluator, claim: Claim) -> list[str]:
    letters = {n.letter for n in walk(claim) if isinstance(n, Var) and n.sub is None}
    out = []
    for L in sorted(letters):
        if L in ev.t.matrices and L not in ev.ctx.defined and L != ev.ctx.upstream and L not in ev.t.vectors:
            r, c = ev.shape(L)
            if r == c and r > 1:
                out.append(L)
    return out


def symmetric_subs(ev: Evaluator, letter: str) -> dict[Any, Any]:
    n = ev.shape(letter)[0]
    low = letter.lower()
    return {se.Symbol(entry_name(low, j, i)): se.Symbol(entry_name(low, i, j))
            for i in range(1, n + 1) for j in range(i + 1, n + 1)}


def size_letters(claim: Any) -> set[str]:
    """Lower-case letters the claim uses as sizes: I_n, \\sum_{i=1}^{n}."""
    out: set[str] = set()
    for n in walk(claim):
        if isinstance(n, Var) and n.letter == "I" and n.sub and len(n.sub) == 1 and n.sub.islower():
            out.add(n.sub)
        if isinstance(n, SumOp) and isinstance(n.hi, str) and n.hi.islower():
            out.add(n.hi)
    return out


def _zero_like(node: Any, value: Arr, other: Arr) -> Arr:
    """`… = 0`: a written 0 is the zero array of the other side's shape."""
    if isinstance(node, Num) and node.value == 0 and other.shape:
        return Arr(other.shape, (se.Integer(0),) * len(other.data))
    return value


def bias_gradient(node: Any, t: Typing) -> bool:
    """∂L/∂b (or db) for a bias b broadcast over the rows: b is a vector whose row or column
    orientation is only notation (Y = XW + b vs Y = XW + 𝟏bᵀ), so either orientation is its gradient."""
    if isinstance(node, DName):
        return node.sub is None and node.letter in t.biases
    return isinstance(node, Deriv) and isinstance(node.den, Var) and node.den.sub is None \
        and node.den.letter in t.biases and node.den.style == "plain"


def compare(ev: Evaluator, a: Arr, b: Arr, loose: bool = False) -> Outcome | None:
    sa, sb = _norm_shape(a), _norm_shape(b)
    if loose and len(sa) == 2 and sb == (sa[1], sa[0]) and 1 in sa:
        b = Arr(a.shape, b.data)  # a bias gradient as a column or as a row: the same vector
        sb = sa
    if sa != sb:
        return Outcome("fails", "shapes", f"the shapes differ: {shape_text(sa)} vs {shape_text(sb)}",
                       lhs_shape=sa, rhs_shape=sb, lhs_value=a, rhs_value=b)
    for i, (x, y) in enumerate(zip(a.data, b.data)):
        ev.spend(1)
        d = ev.substitute(x - y)
        if d != 0 and transcendental(d):
            raise Unsupported("the two sides differ as polynomials in σ, tanh, exp or log of their arguments; identities "
                              "of those functions beyond their derivative rules are not decided")
        if d != 0:
            return Outcome("fails", "values", "the values differ", index=flat_index(i, sa) if sa else (),
                           lhs=ev.substitute(x), rhs=ev.substitute(y), lhs_shape=sa, rhs_shape=sb,
                           lhs_value=a, rhs_value=b)
    return None


def holds_if_symmetric(ev: Evaluator, claim: Claim, pairs: list[tuple[Arr, Arr]]) -> str | None:
    for L in symmetric_letters(ev, claim):
        subs = symmetric_subs(ev, L)
        if all(se.expand(ev.substitute(x - y).subs(subs)) == 0 for a, b in pairs for x, y in zip(a.data, b.data)):
            return L
    return None


def membership(ev: Evaluator, t: Typing, claim: Claim, sizes: dict[str, int]) -> Outcome:
    """`a ∈ ℝ^{r×c}`: a claim about a shape."""
    if len(claim.parts) != 2 or not isinstance(claim.parts[1], Space):
        return Outcome("unchecked", "unsupported", "only 'a ∈ ℝ^{r×c}' membership claims are checked", sizes=sizes)
    free, _ = free_indices(claim)
    if free:
        return Outcome("unchecked", "unsupported", "a shape claim with free indices is not supported", sizes=sizes)
    try:
        value = ev.evaluate(claim.parts[0], {})
        want = tuple(d if isinstance(d, int) else ev.bound(d) for d in claim.parts[1].dims)
    except IllFormed as exc:
        return Outcome("fails", "ill-formed", str(exc), sizes=sizes)
    except Unsupported as exc:
        return Outcome("unchecked", "unsupported", str(exc), sizes=sizes)
    have = _norm_shape(value)
    want = (want[0], 1) if len(want) == 1 else want
    want_n = () if want == (1, 1) else want
    if have == want_n or (len(have) == 2 and 1 in have and len(value.data) == want[0] and want[1] == 1
                          and len(claim.parts[1].dims) == 1):
        return Outcome("holds", None, f"the shape is {shape_text(have)}", lhs_shape=have, sizes=sizes)
    return Outcome("fails", "shapes", f"the shapes differ: {shape_text(have)} vs {shape_text(want_n)}",
                   lhs_shape=have, rhs_shape=want_n, sizes=sizes)


def differentiated(ctx: Context, claim: Claim) -> frozenset[str]:
    """Generic functions (f, g, h) whose derivative f' the claim or the context writes: scalar functions, applied
    entry by entry (an activation a = g(z) with g'(z) in the backward pass)."""
    trees = [claim] + [e for _, e in ctx.defs] + ([ctx.loss] if ctx.loss is not None else [])
    return frozenset(n.fn for tree in trees for n in walk(tree) if isinstance(n, Apply) and n.order > 0 and n.fn in GENERIC) \
        | frozenset(ctx.elementwise)


def unbound_functions(ctx: Context, claim: Claim) -> list[str]:
    """Functions the claim applies to quantities while the context applies none: the claim is about a model the
    context does not describe (an activation in the default layer, f'(x) = 2x with f never given)."""
    used = sorted({n.fn for n in walk(claim) if isinstance(n, Apply) and n.fn not in ("exp", "log")})
    defined = {n.fn for _, e in ctx.defs for n in walk(e) if isinstance(n, Apply)}
    if ctx.loss is not None:
        defined |= {n.fn for n in walk(ctx.loss) if isinstance(n, Apply)}
    return [f for f in used if f not in defined]


def check(ctx: Context, t: Typing, claim: Claim, layout: str, sizes: dict[str, int], vec_order: str = "F") -> Outcome:
    """The verdict of every link of `claim` (fails beats unchecked beats holds)."""
    free = unbound_functions(ctx, claim)
    if free:
        return Outcome("unchecked", "unsupported", f"the claim applies {', '.join(free)}, which the context does not use "
                       "(the default layer A = ZW + B has none): give the layer it belongs to, such as "
                       "--context 'Y = X W + b; A = g(Y)'", sizes=sizes)
    try:
        loss_ranges = index_ranges(ctx.loss, t, sizes) if ctx.loss is not None else None
        ev = Evaluator(ctx, t, sizes, layout, vec_order, loss_ranges, elementwise=differentiated(ctx, claim))
    except (IllFormed, Unsupported) as exc:
        return Outcome("unchecked", "unsupported", f"the context cannot be evaluated: {exc}", sizes=sizes,
                       context_ill_formed=isinstance(exc, IllFormed))
    if claim.rels and all(r in MEMBERSHIP for r in claim.rels):
        return membership(ev, t, claim, sizes)
    for rel in claim.rels:
        if rel not in EQUALITY:
            kind = "a definition" if rel in (":=", "\\coloneqq", "\\triangleq") else f"a {rel.lstrip(chr(92))} relation"
            return Outcome("unchecked", "unsupported", f"{kind}, not an equality: only a = b claims are checked",
                           sizes=sizes)
    if len(claim.parts) < 2:
        return Outcome("unchecked", "unsupported", "not an equation: a claim is a = b (or a = b = c)", sizes=sizes)
    sized = size_letters(claim)
    for n in walk(claim):
        if isinstance(n, Var) and n.sub is None and n.style == "plain" and n.letter in sized:
            return Outcome("unchecked", "unsupported", f"{n.letter} is used both as a size (I_{n.letter}, a sum bound) "
                           "and as a value; sizes as values are not supported", sizes=sizes)
    unchecked: Outcome | None = None
    for link in range(len(claim.parts) - 1):
        pairs: list[tuple[Arr, Arr]] = []
        first: Outcome | None = None
        sub = Claim(claim.parts[link:link + 2], ("=",))
        free, _ = free_indices(sub)
        try:
            ranges = index_ranges(sub, t, sizes, free)
        except IllFormed as exc:
            return Outcome("fails", "ill-formed", str(exc), link=link, sizes=sizes)
        ev.ranges = ranges
        missing = [p for p in free if p not in ranges]
        if missing:
            unchecked = unchecked or Outcome("unchecked", "unsupported", f"cannot tell the range of the index {missing[0]}",
                                             link=link, sizes=sizes)
            continue
        count = 1
        for p in free:
            count *= ranges[p]
        if count > MAX_ASSIGNMENTS:
            unchecked = unchecked or Outcome("unchecked", "unsupported",
                                             f"{count} index values to check; the limit is {MAX_ASSIGNMENTS}",
                                             link=link, sizes=sizes)
            continue
        env: dict[str, int] = {}
        loose = any(bias_gradient(p, t) for p in sub.parts)
        try:
            for values in itertools.product(*(range(1, ranges[p] + 1) for p in free)):
                env = dict(zip(free, values))
                a = ev.evaluate(claim.parts[link], env)
                b = ev.evaluate(claim.parts[link + 1], env)
                a, b = _zero_like(claim.parts[link], a, b), _zero_like(claim.parts[link + 1], b, a)
                diff = compare(ev, a, b, loose)
                if diff is not None and first is None:
                    diff.env, diff.link, diff.sizes = env, link, sizes
                    first = diff
                    if diff.kind == "shapes":
                        break
                pairs.append((a, b))
        except IllFormed as exc:
            return Outcome("fails", "ill-formed", str(exc), link=link, env=dict(env), sizes=sizes)
        except Unsupported as exc:
            unchecked = unchecked or Outcome("unchecked", "unsupported", str(exc), link=link, sizes=sizes)
            continue
        if first is not None:
            if first.kind == "values":
                try:
                    first.symmetric = holds_if_symmetric(ev, claim, pairs)
                except Unsupported:
                    pass
            return first
    return unchecked or Outcome("holds", None, "both sides are equal, exactly", sizes=sizes)

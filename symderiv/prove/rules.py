"""The rules of the index calculus: a sum of products flattened into terms
(Σ over several indices of one product), Kronecker deltas collapsed under their
range condition (proved by the algebra, never assumed), the canonical form that
decides equality for every size, and a concrete witness when two formulas differ."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import sympy as sp

from .indexed import Env

Limit = tuple[Any, Any, Any]  # (index, lo, hi)


@dataclass(frozen=True)
class Term:
    """Σ over `limits` (outermost first) of one product `body`."""

    limits: tuple[Limit, ...]
    body: Any

    def expr(self) -> Any:
        if not self.limits:
            return self.body
        return sp.Sum(self.body, *reversed(self.limits))  # sympy lists the innermost limit first


def as_expr(terms: list[Term]) -> Any:
    return sp.Add(*[t.expr() for t in terms]) if terms else sp.Integer(0)


@dataclass(frozen=True)
class Collapse:
    """Σ_{var=lo}^{hi} δ_{var,value} f(var) = f(value), allowed because lo ≤ value ≤ hi was shown."""

    var: Any
    value: Any
    lo: Any
    hi: Any
    why: str


# --- flattening -------------------------------------------------------------------


def _names(term: Term) -> set[str]:
    return {str(s) for s in term.body.free_symbols} | {str(v) for v, _, _ in term.limits}


def _rename(term: Term, clash: set[str], env: Env) -> Term:
    """The same term with every summation index named in `clash` renamed to a fresh one."""
    swap: dict[Any, Any] = {}
    for v, _, _ in term.limits:
        if str(v) in clash:
            swap[v] = env.fresh(clash | _names(term))
    if not swap:
        return term
    limits = tuple((swap.get(v, v), lo, hi) for v, lo, hi in term.limits)
    return Term(limits, term.body.xreplace(swap))


def _times(a: Term, b: Term, env: Env) -> Term:
    b = _rename(b, _names(a), env)
    a = _rename(a, {str(s) for s in b.body.free_symbols}, env)
    return Term(a.limits + b.limits, a.body * b.body)


def flatten(expr: Any, env: Env) -> list[Term]:
    """Linearity of Σ: the expression as a list of terms Σ_{indices} (product)."""
    if isinstance(expr, sp.Add):
        return [t for a in expr.args for t in flatten(a, env)]
    if isinstance(expr, sp.Sum):
        outer = tuple(reversed(expr.limits))
        out = []
        for t in flatten(expr.function, env):
            t = _rename(t, {str(v) for v, _, _ in outer}, env)
            out.append(Term(outer + t.limits, t.body))
        return out
    if isinstance(expr, sp.Mul):
        acc = [Term((), sp.Integer(1))]
        for factor in expr.args:
            parts = flatten(factor, env)
            acc = [_times(a, b, env) for a in acc for b in parts]
        return acc
    if isinstance(expr, sp.Pow) and expr.exp.is_Integer and expr.exp > 0 and expr.base.has(sp.Sum):
        return flatten(sp.Mul(*[expr.base] * int(expr.exp), evaluate=False), env)
    return [Term((), expr)]


# --- δ collapse under its range condition --------------------------------------------


def in_range(x: Any, lo: Any, hi: Any, env: Env) -> str | None:
    """A sentence saying why lo ≤ x ≤ hi for every size, or None when the algebra cannot show it.
    The index x runs from xlo to xhi: write x = xlo + u and xhi = x + h with u, h whole numbers
    not below 0; then x − lo and hi − x must come out as sums of such numbers."""
    u = sp.Symbol("u", integer=True, nonnegative=True)
    h = sp.Symbol("h", integer=True, nonnegative=True)
    lo, hi = sp.Integer(lo) if isinstance(lo, int) else lo, sp.Integer(hi) if isinstance(hi, int) else hi
    if x.is_Integer:
        low, high = x - lo, hi - x
        xlo, xhi = x, x
    elif x in env.ranges:
        xlo, xhi = env.ranges[x]
        low = (x - lo).xreplace({x: xlo + u})
        high = (hi - x).xreplace({xhi: x + h}) if isinstance(xhi, sp.Symbol) else hi - x
    else:
        return None
    floors = {size: bound + sp.Symbol(f"h_{size}", integer=True, nonnegative=True)
              for size, bound in env.at_least.items()}  # a size the entries need to be at least `bound`
    low, high = sp.expand(low.xreplace(floors)), sp.expand(high.xreplace(floors))
    if low.is_nonnegative is not True or high.is_nonnegative is not True:
        return None
    if x.is_Integer:
        return f"{x} is one of {lo}, …, {hi}"
    if sp.expand(hi - xhi) == 0 and sp.expand(lo - xlo) == 0:
        return f"{x} runs over the same range, {lo} to {hi}"
    return f"{x} runs from {xlo} to {xhi}, inside {lo} to {hi}"


def collapse_once(term: Term, env: Env) -> tuple[Term, Collapse] | None:
    """Collapse one δ against the sum of one of its indices, innermost sum first."""
    bound = {v for v, _, _ in term.limits}
    factors = sp.Mul.make_args(term.body)
    for pos in reversed(range(len(term.limits))):
        v, lo, hi = term.limits[pos]
        for f in factors:
            if not isinstance(f, sp.KroneckerDelta) or v not in f.args:
                continue
            other = f.args[1] if f.args[0] == v else f.args[0]
            if other.free_symbols & bound:
                continue
            why = in_range(other, lo, hi, env)
            if why is None:
                continue
            rest = sp.Mul(*[g for g in factors if g is not f])
            body = rest.xreplace({v: other})
            return Term(term.limits[:pos] + term.limits[pos + 1:], body), Collapse(v, other, lo, hi, why)
    return None


def collapse_all(terms: list[Term], env: Env) -> list[tuple[list[Term], Collapse]]:
    """Every collapse in order, each with the whole expression after it."""
    out: list[tuple[list[Term], Collapse]] = []
    current = [t for t in terms if t.body != 0]
    changed = True
    while changed:
        changed = False
        for n, t in enumerate(current):
            done = collapse_once(t, env)
            if done is not None:
                current = current[:n] + [done[0]] + current[n + 1:]
                current = [x for x in current if x.body != 0]
                out.append((current, done[1]))
                changed = True
                break
    return out


def simplify_terms(expr: Any, env: Env) -> tuple[list[Term], list[tuple[list[Term], Collapse]]]:
    """Flatten, then collapse every δ that can be: the final terms and the steps on the way."""
    terms = [t for t in flatten(expr, env) if t.body != 0]
    steps = collapse_all(terms, env)
    return (steps[-1][0] if steps else terms), steps


# --- equality for every size ----------------------------------------------------------

CANON = [sp.Symbol(f"ι{n}", integer=True, positive=True) for n in range(1, 9)]


def _canon_term(t: Term) -> Any:
    """One term with its summation indices renamed canonically (over every order of the
    sums, which commute since their ranges are fixed) and empty sums counted."""
    limits, body = list(t.limits), t.body
    for v, lo, hi in list(limits):
        if v not in body.free_symbols:  # Σ_{v=lo}^{hi} c = (hi − lo + 1) c
            limits.remove((v, lo, hi))
            body = body * (hi - lo + 1)
    body = sp.expand(body)
    if not limits:
        return body
    best = None
    for perm in itertools.permutations(range(len(limits))):
        swap = {limits[k][0]: CANON[n] for n, k in enumerate(perm)}
        lims = tuple((CANON[n], limits[k][1], limits[k][2]) for n, k in enumerate(perm))
        b = body.xreplace(swap)
        key = sp.srepr((lims, b))
        if best is None or key < best[0]:
            best = (key, lims, b)
    assert best is not None
    _, lims, b = best
    coeff, rest = b.as_coeff_Mul()
    return coeff * sp.Sum(rest, *reversed(lims))


def canonical(terms: list[Term]) -> Any:
    return sp.Add(*[_canon_term(t) for t in terms])


def difference(a: list[Term], b: list[Term]) -> Any:
    """a − b in canonical form: exactly 0 when the two are equal for every size."""
    return sp.expand(canonical(a) - canonical(b))


# --- a witness when they differ ----------------------------------------------------------

WITNESS_SIZES = ((3, 2, 4), (2, 3, 2), (1, 2, 4), (3, 1, 4), (3, 2, 1), (2, 2, 2), (1, 1, 1))


@dataclass(frozen=True)
class Witness:
    sizes: dict[str, int]
    indices: dict[str, int]
    derived: Any
    expected: Any


def concrete(expr: Any, values: dict[Any, int]) -> Any:
    return sp.expand(expr.xreplace({k: sp.Integer(v) for k, v in values.items()}).doit())


def witness(a: Any, b: Any, free: list[Any], env: Env, size_syms: list[Any],
            size_values: tuple[tuple[int, ...], ...] = WITNESS_SIZES) -> Witness | None:
    """Sizes and index values at which a and b differ, searched over small shapes."""
    for values in size_values:
        sizes = dict(zip(size_syms, values))
        ranges = []
        for x in free:
            lo, hi = env.ranges[x]
            ranges.append(range(int(sp.Integer(lo).xreplace(sizes) if isinstance(lo, int) else lo.xreplace(sizes)),
                                int(hi.xreplace(sizes) if not isinstance(hi, int) else hi) + 1))
        for combo in itertools.product(*ranges):
            at = {**sizes, **dict(zip(free, combo))}
            da, db = concrete(a, at), concrete(b, at)
            if sp.expand(da - db) != 0:
                return Witness({str(k): v for k, v in sizes.items()}, {str(k): v for k, v in zip(free, combo)}, da, db)
    return None

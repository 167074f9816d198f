"""Identification: read the derivative off the differential.

A scalar f: df = tr(Mᵀ dX) gives ∂f/∂X = M (the gradient convention; the numerator
convention is Mᵀ). M is found by moving dX to the right of every term with the trace
rules (cyclic tr(AB) = tr(BA), tr(Aᵀ) = tr(A), tr(Aᵀ(B ⊙ C)) = tr((A ⊙ B)ᵀ C)): the
cotangent C of a factor is carried through L F R to Lᵀ C Rᵀ. A vector y: dy = J dx
gives the Jacobian J. A matrix Y: dY = Σ L dX R gives ∂y_{ij}/∂x_{pq} = Σ L_{ip} R_{qj}."""

from __future__ import annotations

from fractions import Fraction

from . import algebra as al
from .algebra import ONE, Dx, Factor, Group, Had, Ident, NotLinear, Sum, Term, Tr, has_dx

TRACE_RULES = (
    "tr(A B) = tr(B A) (cyclic)",
    "tr(Aᵀ) = tr(A)",
    "tr(Aᵀ (B ⊙ C)) = tr((A ⊙ B)ᵀ C)",
)


def _chain_sum(chain: tuple[Factor, ...]) -> Sum:
    return Sum((Term(Fraction(1), (), chain),), al.chain_shape(chain))


def transport_sum(s: Sum, c: Sum) -> list[Sum]:
    out: list[Sum] = []
    for t in s.terms:
        if has_dx(t):
            out += transport_term(t, c)
    return out


def transport_term(t: Term, c: Sum) -> list[Sum]:
    """The contributions M of tr(cᵀ t) = Σ tr(Mᵀ dX)."""
    for k, f in enumerate(t.scalars):
        if has_dx(f):
            rest = Term(t.coef, t.scalars[:k] + t.scalars[k + 1:], t.chain)
            rest_sum = Sum((rest,), al.chain_shape(rest.chain))
            return transport_factor(f, al.trace(al.mul(al.transpose(c), rest_sum)))
    for k, f in enumerate(t.chain):
        if has_dx(f):
            left, right = t.chain[:k], t.chain[k + 1:]
            cf = c
            if left:
                cf = al.mul(al.transpose(_chain_sum(left)), cf)
            if right:
                cf = al.mul(cf, al.transpose(_chain_sum(right)))
            cf = al.mul(Sum((Term(t.coef, t.scalars, ()),), (ONE, ONE)), cf)
            return transport_factor(f, cf)
    return []


def transport_factor(f: Factor, c: Sum) -> list[Sum]:
    if isinstance(f, Dx):
        return [al.transpose(c) if f.t else c]
    if isinstance(f, Group):
        return transport_sum(f.sum, al.transpose(c) if f.t else c)
    if isinstance(f, Had):
        inner, other = (f.a, f.b) if has_dx(f.a) else (f.b, f.a)
        if has_dx(other):
            raise NotLinear("dX on both sides of ⊙")
        return transport_sum(inner, al.hadamard(c, other))
    if isinstance(f, Tr):
        return transport_sum(f.a, al.mul(c, al.of(Ident(f.a.shape[0]))))
    raise NotLinear(f"cannot move dX out of {type(f).__name__}")  # pragma: no cover


def gradient(df: Sum, shape: al.Shape) -> Sum:
    """M with df = tr(Mᵀ dX)."""
    parts = transport_sum(df, al.const(1))
    return al.total(parts, shape)


# --- readable: collect like terms, then factor what all terms share ------------------------


def _flat(s: Sum) -> list[Term]:
    """Terms that are a bare bracket opened: (U + V) → U, V."""
    out: list[Term] = []
    for t in s.terms:
        if not t.scalars and len(t.chain) == 1 and isinstance(t.chain[0], Group):
            g = t.chain[0]
            inner = al.push_transpose(g.sum) if g.t else g.sum
            out += [Term(t.coef * u.coef, u.scalars, u.chain) for u in _flat(inner)]
        else:
            out.append(t)
    return out


def collect(s: Sum) -> Sum:
    order: list[object] = []
    coef: dict[object, Fraction] = {}
    first: dict[object, Term] = {}
    for t in _flat(s):
        k = al.tkey(t)
        if k not in coef:
            order.append(k)
            coef[k] = Fraction(0)
            first[k] = t
        coef[k] += t.coef
    terms = tuple(Term(coef[k], first[k].scalars, first[k].chain) for k in order if coef[k] != 0)
    return Sum(terms, s.shape)


def _gcd(values: list[Fraction]) -> Fraction:
    from math import gcd

    num, den = 0, 1
    for v in values:
        num = gcd(num, abs(v.numerator))
        den = den * v.denominator // gcd(den, v.denominator)
    g = Fraction(num, den) if num else Fraction(1)
    return -g if all(v < 0 for v in values) else g


def _common(seqs: list[tuple[Factor, ...]]) -> int:
    n = 0
    shortest = min(len(x) for x in seqs)
    while n < shortest and all(al.fkey(x[n]) == al.fkey(seqs[0][n]) for x in seqs):
        n += 1
    return n


def factor(s: Sum) -> Sum:
    """2 Xᵀ X w − 2 Xᵀ y → 2 Xᵀ(X w − y); A x + Aᵀ x → (A + Aᵀ) x."""
    s = collect(s)
    if len(s.terms) < 2:
        return s
    g = _gcd([t.coef for t in s.terms])
    chains = [t.chain for t in s.terms]
    pre = _common(chains)
    post = _common([tuple(reversed(c[pre:])) for c in chains])
    keys = [sorted(repr(al.fkey(f)) for f in t.scalars) for t in s.terms]
    shared = [f for f in s.terms[0].scalars if all(repr(al.fkey(f)) in k for k in keys)]
    if g == 1 and not pre and not post and not shared:
        return s
    prefix, suffix = chains[0][:pre], chains[0][len(chains[0]) - post:]
    inner_terms = []
    for t in s.terms:
        scalars = list(t.scalars)
        for f in shared:
            scalars = [x for i, x in enumerate(scalars) if al.fkey(x) != al.fkey(f) or i != _index(scalars, f)]
        mid = t.chain[pre:len(t.chain) - post]
        if not mid:
            dim = al.fshape(prefix[-1])[1] if prefix else (al.fshape(suffix[0])[0] if suffix else ONE)
            mid = () if dim == ONE else (Ident(dim),)
        inner_terms.append(Term(t.coef / g, tuple(scalars), mid))
    inner_shape = (al.fshape(prefix[-1])[1] if prefix else s.shape[0], al.fshape(suffix[0])[0] if suffix else s.shape[1])
    inner = factor(Sum(tuple(inner_terms), inner_shape))
    if len(inner.terms) == 1:
        it = inner.terms[0]
        return Sum((Term(g * it.coef, tuple(shared) + it.scalars, al._tidy(prefix + it.chain + suffix)),), s.shape)
    grp = Group(inner)
    if inner.shape == (ONE, ONE):
        return Sum((Term(g, tuple(shared) + (grp,), al._tidy(prefix + suffix)),), s.shape)
    return Sum((Term(g, tuple(shared), prefix + (grp,) + suffix),), s.shape)


def _index(seq: list[Factor], f: Factor) -> int:
    for i, x in enumerate(seq):
        if al.fkey(x) == al.fkey(f):
            return i
    return -1


def readable(s: Sum) -> Sum:
    return factor(collect(s))


# --- vectors and matrices: Jacobians ----------------------------------------------------


def flat_terms(s: Sum) -> list[Term]:
    """The terms of a differential with dX at the top of each chain (brackets holding dX opened)."""
    out: list[Term] = []
    for t in s.terms:
        if not has_dx(t):
            continue
        if any(has_dx(f) for f in t.scalars):
            raise NotLinear("dX inside a scalar factor of a matrix-valued differential")
        k = next(i for i, f in enumerate(t.chain) if has_dx(f))
        f = t.chain[k]
        if isinstance(f, Group):
            inner = al.transpose(f.sum) if f.t else f.sum
            for u in flat_terms(inner):
                out.append(Term(t.coef * u.coef, t.scalars + u.scalars, al._tidy(t.chain[:k] + u.chain + t.chain[k + 1:])))
        elif isinstance(f, Dx):
            out.append(t)
        elif isinstance(f, Had) and (_is_dx(f.a) or _is_dx(f.b)) and len(t.chain) == 1:
            out.append(t)
        else:
            raise NotLinear("dX inside a product that is not L dX R")
    return out


def _is_dx(s: Sum) -> bool:
    return len(s.terms) == 1 and s.terms[0].coef == 1 and not s.terms[0].scalars and \
        len(s.terms[0].chain) == 1 and isinstance(s.terms[0].chain[0], Dx)


def jacobian(df: Sum, out_shape: al.Shape) -> Sum:
    """J with dy = J dx (y and x vectors): the terms L dx."""
    parts = []
    for t in flat_terms(df):
        k = next(i for i, f in enumerate(t.chain) if isinstance(f, Dx))
        if t.chain[k].t or k != len(t.chain) - 1:
            raise NotLinear("dx is not on the right of its term")
        left = t.chain[:k]
        dim = t.chain[k].leaf.shape[0]
        parts.append(Sum((Term(t.coef, t.scalars, left or (Ident(dim),)),), (out_shape[0], dim)))
    return al.total(parts, (out_shape[0], ONE))

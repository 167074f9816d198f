"""The small matrix algebra `derive` computes in: a Sum of Terms, each a coefficient,
commuting scalar factors and a chain of matrix factors (a product in order).

Dimensions are the shape classes of the claims engine's inference (ints), with ONE
for a dimension of size 1; a 1×1 chain that meets another chain becomes a scalar
factor, so scalars always commute. Transposes are pushed to the leaves, except on a
bracketed sum, which keeps its brackets: (Xw − y)ᵀ. Printing is in printer.py."""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, Union

ONE = -1  # the dimension of size 1
Shape = tuple[int, int]


@dataclass(frozen=True)
class Leaf:
    """A letter of the user's: its name, style (plain, bold, greek) and shape."""

    name: str
    style: str
    shape: Shape
    t: bool = False


@dataclass(frozen=True)
class Dx:
    """The differential dX of the variable (transposed: (dX)ᵀ)."""

    leaf: Leaf
    t: bool = False


@dataclass(frozen=True)
class Ident:
    dim: int


@dataclass(frozen=True)
class OnesV:
    """The all-ones column 𝟏 (a row when transposed)."""

    dim: int
    t: bool = False


@dataclass(frozen=True)
class Group:
    """A bracketed sum, (U) or (U)ᵀ."""

    sum: Sum
    t: bool = False


@dataclass(frozen=True)
class Had:
    """The Hadamard product a ⊙ b of two sums of one shape."""

    a: Sum
    b: Sum


@dataclass(frozen=True)
class Tr:
    """tr(a), a scalar."""

    a: Sum


Factor = Union[Leaf, Dx, Ident, OnesV, Group, Had, Tr]


@dataclass(frozen=True)
class Term:
    coef: Fraction
    scalars: tuple[Factor, ...]
    chain: tuple[Factor, ...]


@dataclass(frozen=True)
class Sum:
    terms: tuple[Term, ...]
    shape: Shape


class NotLinear(Exception):
    """The differential is not in a form identification reads (a reason for exit 2)."""


# --- shapes -----------------------------------------------------------------------


def fshape(f: Factor) -> Shape:
    if isinstance(f, Leaf):
        return (f.shape[1], f.shape[0]) if f.t else f.shape
    if isinstance(f, Dx):
        return (f.leaf.shape[1], f.leaf.shape[0]) if f.t else f.leaf.shape
    if isinstance(f, Ident):
        return (f.dim, f.dim)
    if isinstance(f, OnesV):
        return (ONE, f.dim) if f.t else (f.dim, ONE)
    if isinstance(f, Group):
        r, c = f.sum.shape
        return (c, r) if f.t else (r, c)
    if isinstance(f, Had):
        return f.a.shape
    return (ONE, ONE)


def chain_shape(chain: tuple[Factor, ...]) -> Shape:
    if not chain:
        return (ONE, ONE)
    return (fshape(chain[0])[0], fshape(chain[-1])[1])


def is_scalar(f: Factor) -> bool:
    return fshape(f) == (ONE, ONE)


# --- construction ------------------------------------------------------------------


def zero(shape: Shape) -> Sum:
    return Sum((), shape)


def const(value: Fraction | int) -> Sum:
    return Sum((Term(Fraction(value), (), ()),), (ONE, ONE)) if value else zero((ONE, ONE))


def of(f: Factor) -> Sum:
    """A sum of one factor."""
    if isinstance(f, Group) and not f.t:
        return f.sum
    if is_scalar(f):
        return Sum((Term(Fraction(1), (f,), ()),), (ONE, ONE))
    return Sum((Term(Fraction(1), (), (f,)),), fshape(f))


def _tidy(chain: tuple[Factor, ...]) -> tuple[Factor, ...]:
    """I next to another factor drops out (I A = A)."""
    if len(chain) > 1:
        kept = tuple(f for f in chain if not isinstance(f, Ident))
        return kept or chain[:1]
    return chain


def _pack(term: Term) -> Factor:
    """A 1×1 chain as one scalar factor."""
    if len(term.chain) == 1:
        return term.chain[0]
    return Group(Sum((Term(Fraction(1), (), term.chain),), (ONE, ONE)))


def mul_terms(a: Term, b: Term) -> Term:
    coef, scalars = a.coef * b.coef, a.scalars + b.scalars
    ca, cb = a.chain, b.chain
    if ca and cb and chain_shape(ca) == (ONE, ONE):
        scalars, ca = scalars + (_pack(Term(Fraction(1), (), ca)),), ()
    if ca and cb and chain_shape(cb) == (ONE, ONE):
        scalars, cb = scalars + (_pack(Term(Fraction(1), (), cb)),), ()
    return Term(coef, scalars, _tidy(ca + cb))


def _grouped(s: Sum) -> Sum:
    """A sum of several terms as one bracketed factor (kept for readability)."""
    if len(s.terms) <= 1:
        return s
    f = Group(s)
    if s.shape == (ONE, ONE):
        return Sum((Term(Fraction(1), (f,), ()),), s.shape)
    return Sum((Term(Fraction(1), (), (f,)),), s.shape)


def mul(a: Sum, b: Sum) -> Sum:
    """The product a b (a 1×1 side is a scalar)."""
    if not a.terms or not b.terms:
        return zero(_product_shape(a.shape, b.shape))
    a, b = _grouped(a), _grouped(b)
    t = mul_terms(a.terms[0], b.terms[0])
    return Sum((t,), _product_shape(a.shape, b.shape))


def _product_shape(a: Shape, b: Shape) -> Shape:
    if a == (ONE, ONE):
        return b
    if b == (ONE, ONE):
        return a
    return (a[0], b[1])


def add(a: Sum, b: Sum, sign: int = 1) -> Sum:
    shape = a.shape if a.terms or not b.terms else b.shape
    return Sum(a.terms + tuple(replace(t, coef=sign * t.coef) for t in b.terms), shape)


def scale(a: Sum, c: Fraction | int) -> Sum:
    if c == 0:
        return zero(a.shape)
    return Sum(tuple(replace(t, coef=t.coef * c) for t in a.terms), a.shape)


def total(parts: list[Sum], shape: Shape) -> Sum:
    out = zero(shape)
    for p in parts:
        out = add(out, p)
    return out


# --- transpose ------------------------------------------------------------------------


def tfactor(f: Factor) -> Factor:
    if isinstance(f, Leaf):
        return f if f.shape == (ONE, ONE) else replace(f, t=not f.t)
    if isinstance(f, Dx):
        return f if f.leaf.shape == (ONE, ONE) else replace(f, t=not f.t)
    if isinstance(f, OnesV):
        return replace(f, t=not f.t)
    if isinstance(f, Group):
        if is_scalar(f):
            return f
        if len(f.sum.terms) == 1:
            return Group(push_transpose(f.sum))
        return replace(f, t=not f.t)
    if isinstance(f, Had):
        return Had(transpose(f.a), transpose(f.b))
    return f  # Ident, Tr


def tterm(t: Term) -> Term:
    return Term(t.coef, t.scalars, tuple(tfactor(f) for f in reversed(t.chain)))


def transpose(s: Sum) -> Sum:
    """sᵀ; a sum of several matrix terms keeps its brackets: (X w − y)ᵀ."""
    if len(s.terms) > 1 and s.shape != (ONE, ONE):
        return Sum((Term(Fraction(1), (), (Group(s, True),)),), (s.shape[1], s.shape[0]))
    return push_transpose(s)


def push_transpose(s: Sum) -> Sum:
    """sᵀ with the transpose carried into every term."""
    out = []
    for t in s.terms:
        u = tterm(t)
        if len(u.chain) == 1 and isinstance(u.chain[0], Group) and not u.chain[0].t and not u.scalars:
            if len(s.terms) == 1:
                return Sum(tuple(Term(u.coef * v.coef, v.scalars, v.chain) for v in u.chain[0].sum.terms),
                           (s.shape[1], s.shape[0]))
        if len(u.chain) == 1 and isinstance(u.chain[0], Group) and len(u.chain[0].sum.terms) == 1 and not u.chain[0].t:
            inner = u.chain[0].sum.terms[0]
            u = Term(u.coef * inner.coef, u.scalars + inner.scalars, inner.chain)
        out.append(u)
    return Sum(tuple(out), (s.shape[1], s.shape[0]))


def trace(s: Sum) -> Sum:
    """tr(s); the trace of a 1×1 chain is the chain itself."""
    if not s.terms:
        return const(0)
    if s.shape[0] == ONE:
        return Sum(tuple(Term(t.coef, t.scalars + ((_pack(Term(Fraction(1), (), t.chain)),) if t.chain else ()), ())
                         for t in s.terms), (ONE, ONE))
    return of(Tr(s))


def hadamard(a: Sum, b: Sum) -> Sum:
    if not a.terms or not b.terms:
        return zero(a.shape)
    return of(Had(a, b))


# --- what contains the differential -----------------------------------------------------


def has_dx(x: Any) -> bool:
    if isinstance(x, Dx):
        return True
    if isinstance(x, Sum):
        return any(has_dx(t) for t in x.terms)
    if isinstance(x, Term):
        return any(has_dx(f) for f in x.scalars + x.chain)
    if isinstance(x, Group):
        return has_dx(x.sum)
    if isinstance(x, Had):
        return has_dx(x.a) or has_dx(x.b)
    if isinstance(x, Tr):
        return has_dx(x.a)
    return False


# --- a canonical key, for collecting like terms -------------------------------------------


def fkey(f: Factor) -> Any:
    if isinstance(f, Leaf):
        return ("L", f.name, f.style, f.t)
    if isinstance(f, Dx):
        return ("D", f.leaf.name, f.t)
    if isinstance(f, Ident):
        return ("I", f.dim)
    if isinstance(f, OnesV):
        return ("1", f.dim, f.t)
    if isinstance(f, Group):
        return ("G", skey(push_transpose(f.sum) if f.t else f.sum))
    if isinstance(f, Had):
        return ("H",) + tuple(sorted((skey(f.a), skey(f.b)), key=repr))
    return ("T", skey(f.a))


def tkey(t: Term) -> Any:
    return (tuple(sorted((fkey(f) for f in t.scalars), key=repr)), tuple(fkey(f) for f in t.chain))


def skey(s: Sum) -> Any:
    return tuple(sorted(((t.coef, tkey(t)) for t in s.terms), key=repr))

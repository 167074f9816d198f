"""Matrix-calculus claims proved for every size: ∂f/∂X = R with f a scalar built from free
matrices and vectors (traces, quadratic and bilinear forms, squared norms, inner products,
integer powers), no context. The sizes stay symbols; sympy's matrix calculus differentiates
f (its own rules, independent of symderiv's engine), and the claim is proved when the
derivative minus R simplifies to the zero matrix. Anything else is outside (None): the
verdict then keeps the sizes it was checked at. This only ever adds "proved": it runs after
the exact engine found the claim true at its sizes."""

from __future__ import annotations

from typing import Any

import sympy as sp

from ..claims import tree as C
from ..claims.context import Context
from ..claims.infer import infer


class Outside(Exception):
    """A node or shape this prover does not translate."""


def prove_matrix_claim(claim: Any, ctx: Context) -> str | None:
    """The sizes (comma-separated) a free-letter matrix-calculus claim holds for, all of them, or None."""
    if ctx.defs or ctx.loss is not None or ctx.output is not None or ctx.shapes:
        return None
    if len(claim.parts) != 2 or claim.rels != ("=",):
        return None
    lhs, rhs = claim.parts
    if not isinstance(lhs, C.Deriv) or not isinstance(lhs.den, C.Var) or lhs.den.sub is not None \
            or lhs.den.style == "greek":
        return None
    try:
        return _Prover(ctx, claim).prove(lhs, rhs)
    except (Outside, TypeError, ValueError, AttributeError, NotImplementedError, sp.ShapeError):
        return None


class _Prover:
    def __init__(self, ctx: Context, claim: Any) -> None:
        self.t = infer(ctx, claim)
        self.sizes: dict[int, Any] = {}
        self.names: dict[int, str] = {}
        for letter in sorted(self.t.matrices):
            for side, cls in zip(("rows", "cols"), self.t.matrices[letter]):
                self._size(cls, f"{side}({letter})")

    def _size(self, cls: int, name: str = "") -> Any:
        c = self.t.classes
        r = c.find(cls)
        if r not in self.sizes:
            if c.lit[r] is not None:
                self.sizes[r] = sp.Integer(c.lit[r])
            else:
                label = sorted(c.names[r])[0] if c.names[r] else name or f"d{r}"
                self.names[r] = label
                self.sizes[r] = sp.Symbol(label, integer=True, positive=True)
        return self.sizes[r]

    def prove(self, lhs: C.Deriv, rhs: Any) -> str | None:
        X = self.expr(lhs.den)
        if not isinstance(X, sp.MatrixSymbol):
            return None
        f = self.expr(lhs.num)
        if isinstance(f, sp.MatrixExpr):
            if f.shape != (1, 1):
                return None  # a Jacobian, not a gradient
            f = sp.Trace(f)  # a 1×1 product is its one entry
        derived = sp.diff(f, X)
        if not isinstance(derived, sp.MatrixExpr) or derived.shape != X.shape:
            return None
        R = self.expr(rhs)
        if not isinstance(R, sp.MatrixExpr) or R.shape != X.shape:
            return None
        if not _zero(derived - R):
            return None
        used = {self.t.classes.find(c) for letter in self.t.matrices for c in self.t.matrices[letter]}
        names = sorted({self.names[r] for r in used if r in self.names})
        return ", ".join(names) if names else "every size"

    def expr(self, node: Any) -> Any:  # noqa: C901 - one case per node type
        if isinstance(node, C.Var):
            if node.sub is not None or node.style == "greek":
                raise Outside("an entry or a Greek letter")
            if node.letter in self.t.scalars:
                return sp.Symbol(node.letter)
            if id(node) in self.t.helpers:
                dims = self.t.helpers[id(node)]
                if node.letter == "I" and len(dims) == 2:
                    return sp.Identity(self._size(dims[0]))
                raise Outside("a helper matrix")
            if node.letter not in self.t.matrices:
                raise Outside(f"{node.letter} has no shape")
            r, c = (self._size(d) for d in self.t.matrices[node.letter])
            return sp.MatrixSymbol(node.letter, r, c)
        if isinstance(node, C.Num):
            return sp.Rational(node.value.numerator, node.value.denominator)
        if isinstance(node, C.Add):
            return self.expr(node.a) + self.expr(node.b)
        if isinstance(node, C.Sub):
            return self.expr(node.a) - self.expr(node.b)
        if isinstance(node, C.Neg):
            return -self.expr(node.a)
        if isinstance(node, C.Mul):
            if node.op not in ("", "*", "@", "cdot"):
                raise Outside(f"the product {node.op}")
            a, b = self.expr(node.a), self.expr(node.b)
            if isinstance(a, sp.MatrixExpr) and isinstance(b, sp.MatrixExpr):
                if a.shape[1] != b.shape[0]:
                    raise Outside("a product of shapes that do not chain")
                return sp.MatMul(a, b)
            return a * b
        if isinstance(node, C.Div):
            b = self.expr(node.b)
            if isinstance(b, sp.MatrixExpr) or not b.is_number or b == 0:
                raise Outside("a division by something other than a nonzero number")
            return self.expr(node.a) / b
        if isinstance(node, C.Transpose):
            a = self.expr(node.a)
            return a.T if isinstance(a, sp.MatrixExpr) else a
        if isinstance(node, C.Power):
            a = self.expr(node.a)
            if not isinstance(node.exp, int) or node.exp < 1:
                raise Outside("a power that is not a positive integer")
            if isinstance(a, sp.MatrixExpr):
                if a.shape[0] != a.shape[1] or a.shape == (1, 1):
                    raise Outside("a power of a non-square matrix")
                return sp.MatPow(a, node.exp)
            return a ** node.exp
        if isinstance(node, C.Trace):
            a = self.expr(node.a)
            if not isinstance(a, sp.MatrixExpr) or a.shape[0] != a.shape[1]:
                raise Outside("the trace of a non-square matrix")
            return sp.Trace(a)
        if isinstance(node, C.Norm):
            if not node.squared or node.sub not in (None, "F", "2"):
                raise Outside("a norm that is not squared")
            a = self.expr(node.a)
            if not isinstance(a, sp.MatrixExpr):
                raise Outside("the norm of a scalar")
            if node.sub == "2" and a.shape[1] != 1:
                raise Outside("the spectral norm")
            return sp.Trace(a.T * a)
        if isinstance(node, C.Frob):
            a, b = self.expr(node.a), self.expr(node.b)
            if not (isinstance(a, sp.MatrixExpr) and isinstance(b, sp.MatrixExpr)) or a.shape != b.shape:
                raise Outside("an inner product of unlike shapes")
            return sp.Trace(a.T * b)
        raise Outside(type(node).__name__)


def _zero(z: Any) -> bool:
    """Whether a matrix expression is the zero matrix, by the algebra (never by numbers)."""
    for step in (lambda e: e.doit(), lambda e: sp.expand(e.doit()), lambda e: sp.simplify(e.doit())):
        try:
            e = step(z)
        except Exception:  # noqa: BLE001 - a step sympy cannot take proves nothing
            continue
        if e == 0 or isinstance(e, sp.ZeroMatrix) or getattr(e, "is_ZeroMatrix", False):
            return True
    return False

"""Evaluate one side of a claim to an exact array (scalar, matrix or 4-index
Jacobian) of polynomials, in a context, a layout and an assignment of sizes.

Derivatives are taken for real (symengine diff on the built expressions).
A derivative with respect to a defined quantity (Y, y_{i,j}) treats it as
independent; with respect to anything else, definitions are substituted first.
Every operation spends from a work budget, so nothing runs away."""

from __future__ import annotations

import itertools
from dataclasses import replace
from fractions import Fraction
from typing import Any

import symengine as se

from ..shapes import entry_name
from . import functions
from .context import Context
from .differentiate import Derivatives
from .functions import GENERIC
from .infer import ANNOTATION, Typing
from .letters import Letters
from .report import text
from .tree import (
    Add,
    Apply,
    At,
    Deriv,
    Diag,
    Div,
    DName,
    Frob,
    MatrixLit,
    Mean,
    Mul,
    Neg,
    Norm,
    Num,
    Ones,
    Power,
    Sub,
    SumOp,
    Trace,
    Transpose,
    Unsup,
    Var,
    Vec,
    slice_of,
)
from .values import (  # noqa: F401 - re-exported for check.py
    BUDGET,
    MAX_POWER,
    MAX_SUM_TERMS,
    Arr,
    IllFormed,
    Unsupported,
    out_of_time,
    scalar,
    shape_text,
    squeeze,
    terms,
    time_limit,
)


def _entrywise(node: Any) -> bool:
    """A function applied entry by entry, or an entrywise product of such (tanh(Z) ⊙ tanh(Z))."""
    if isinstance(node, Apply):
        return True
    return isinstance(node, Mul) and node.op == "odot" and (_entrywise(node.a) or _entrywise(node.b))


def _broadcast(na: Any, a: Arr, nb: Any, b: Arr) -> tuple[Arr, Arr]:
    """1 − σ(Z): a number beside a function applied entry by entry is taken entry by entry too, as notes mean it."""
    for x, vx, y, vy, first in ((na, a, nb, b, True), (nb, b, na, a, False)):
        if isinstance(x, Num) and vx.shape == () and len(vy.shape) == 2 and _entrywise(y):
            wide = Arr(vy.shape, vx.data * len(vy.data))
            return (wide, vy) if first else (vy, wide)
    return a, b


class Evaluator(Letters, Derivatives):
    """Evaluates claim trees for one (context, typing, sizes, layout)."""

    def __init__(self, ctx: Context, typing: Typing, sizes: dict[str, int], layout: str = "gradient",
                 vec_order: str = "F", loss_ranges: dict[str, int] | None = None,
                 elementwise: frozenset[str] = frozenset()) -> None:
        self.ctx, self.t, self.sizes, self.layout = ctx, typing, sizes, layout
        self.elementwise = elementwise  # generic functions read entry by entry (their derivative is written)
        self.vec_order = vec_order  # F: column-major vec (stack the columns); C: row-major (C order)
        self.spent = 0
        self._letters: dict[str, Arr] = {}
        self.owner_of: dict[Any, str] = {}  # symbol → defined letter
        self.raw: dict[str, Arr] = {}
        self.full: dict[Any, Any] = {}
        self._prepared: dict[tuple[Any, str], Any] = {}
        self.ranges: dict[str, int] = {}
        for letter, expr in ctx.defs:
            value = self.evaluate(expr, {})
            if letter not in self.t.matrices:
                self.raw[letter] = value
                continue
            syms = self.letter(letter)
            if value.shape == () and syms.shape == (1, 1):
                value = Arr((1, 1), value.data)
            self.raw[letter] = value
            if syms.shape != value.shape:
                raise IllFormed(f"the definition of {letter} has shape {shape_text(value.shape)}, "
                                f"but {letter} is {shape_text(syms.shape)}")
            for s, v in zip(syms.data, value.data):
                self.owner_of[s] = letter
                self.full[s] = se.expand(v.subs(self.full)) if self.full else v
        self.loss: Any = None
        if ctx.loss is not None:
            self.ranges = dict(loss_ranges or {})  # L = Σ_{i,j} y_{ij}²: i, j run over Y's rows and columns
            value = self.evaluate(ctx.loss, {})
            self.ranges = {}
            if len(value.data) != 1:
                raise IllFormed(f"the loss L is {shape_text(value.shape)}, not a scalar")
            self.loss = value.data[0]
        elif ctx.output and ctx.upstream and ctx.output in self.t.matrices:
            y, g = self.letter(ctx.output), self.letter(ctx.upstream)
            self.loss = sum((gi * yi for gi, yi in zip(g.data, y.data)), se.Integer(0))

    # --- bookkeeping ---
    def spend(self, n: int) -> None:
        self.spent += n
        if self.spent > BUDGET:
            raise Unsupported(f"too large to check exactly (work limit {BUDGET} exceeded)")
        if out_of_time():
            raise Unsupported("too large to check exactly in the time limit; try smaller sizes")

    def shape(self, letter: str) -> tuple[int, int]:
        return self.t.shape(letter, self.sizes)

    def letter(self, letter: str) -> Arr:
        """The matrix of independent symbols a letter stands for (x_{i,j}, or b_j for a vector)."""
        if letter not in self._letters:
            r, c = self.shape(letter)
            low = letter.lower()
            # X (n×1) and a vector x in one claim must not share the symbols x_1, x_2, …
            clash = letter != low and low in self.t.matrices
            if (r == 1 or c == 1) and not clash:
                data = tuple(se.Symbol(entry_name(low, i)) for i in range(1, r * c + 1))
            else:
                data = tuple(se.Symbol(entry_name(low, i, j)) for i in range(1, r + 1) for j in range(1, c + 1))
            self.spend(r * c)
            self._letters[letter] = Arr((r, c), data)
        return self._letters[letter]

    def substitute(self, x: Any) -> Any:
        out = se.expand(x.subs(self.full)) if self.full else se.expand(x)
        self.spend(terms(out))
        return out

    def helper_shape(self, node: Any) -> tuple[int, ...]:
        return tuple(self.t.size(d, self.sizes) for d in self.t.helpers[id(node)])

    # --- evaluation ---
    def evaluate(self, node: Any, env: dict[str, int]) -> Arr:  # noqa: C901 - one case per node type
        self.spend(1)
        if isinstance(node, Var):
            return self.var(node, env)
        if isinstance(node, Num):
            v: Fraction = node.value
            return scalar(se.Rational(v.numerator, v.denominator))
        if isinstance(node, Ones):
            if id(node) not in self.t.helpers:
                raise Unsupported(f"the length {node.size} of 𝟏 is not a size of this context")
            r, _ = self.helper_shape(node)
            return Arr((r, 1), (se.Integer(1),) * r)
        if isinstance(node, Unsup):
            raise Unsupported(node.reason)
        if isinstance(node, Apply):
            return self.applied(node, env)
        if isinstance(node, (Add, Sub)):
            a, b = self.evaluate(node.a, env), self.evaluate(node.b, env)
            a, b = _broadcast(node.a, a, node.b, b)
            try:
                return self.add(a, b, -1 if isinstance(node, Sub) else 1)
            except IllFormed as exc:
                raise IllFormed(f"{text(node)}: {exc}") from None
        if isinstance(node, Neg):
            a = self.evaluate(node.a, env)
            return Arr(a.shape, tuple(-x for x in a.data))
        if isinstance(node, Mul):
            a, b = self.evaluate(node.a, env), self.evaluate(node.b, env)
            try:
                return self.mul(a, b, node.op)
            except IllFormed as exc:
                raise IllFormed(f"{text(node)}: {exc}") from None
        if isinstance(node, Div):
            a, b = self.evaluate(node.a, env), self.evaluate(node.b, env)
            den = self.substitute(b.data[0]) if b.shape == () else None
            if den is not None and not den.is_Number:  # 1/N, 1/(2N): a size the shapes name stands for its value
                den = self.substitute(self.evaluate(self._sizes_as_values(node.b), env).data[0])
            if den is None or not den.is_Number or den == 0:
                raise Unsupported("division is supported only by a nonzero number")
            return Arr(a.shape, tuple(x / den for x in a.data))
        if isinstance(node, Transpose):
            e = node.a
            if isinstance(e, Var) and e.sub and id(e) not in self.t.helpers and not ANNOTATION.search(e.sub) \
                    and slice_of(e.sub) is None:
                raise Unsupported(f"{text(node)} is ambiguous (the entry of a transpose or the transpose of an "
                                  "entry); write (A^T)_{ij} or a_{ji}")
            a = self.evaluate(node.a, env)
            if a.shape == ():
                return a
            if len(a.shape) != 2:
                raise Unsupported("the transpose of a 4-index array is not defined")
            r, c = a.shape
            return Arr((c, r), tuple(a.data[i * c + j] for j in range(c) for i in range(r)))
        if isinstance(node, Power):
            return self.power(self.evaluate(node.a, env), node.exp)
        if isinstance(node, Trace):
            a = self.evaluate(node.a, env)
            if a.shape == ():
                return a
            if len(a.shape) != 2 or a.shape[0] != a.shape[1]:
                raise IllFormed(f"{text(node)}: the trace of a non-square {shape_text(a.shape)} matrix")
            n = a.shape[0]
            return scalar(sum((a.data[i * n + i] for i in range(n)), se.Integer(0)))
        if isinstance(node, Frob):
            a, b = self.evaluate(node.a, env), self.evaluate(node.b, env)
            if a.shape != b.shape and max(len(a.shape), len(b.shape)) > 2:
                raise Unsupported("an inner product with a 4-index Jacobian (a contraction) is not supported")
            if a.shape != b.shape:
                raise IllFormed(f"the inner product of a {shape_text(a.shape)} and a {shape_text(b.shape)} array")
            self.spend(sum(terms(x) * terms(y) for x, y in zip(a.data, b.data)))
            return scalar(se.expand(sum((x * y for x, y in zip(a.data, b.data)), se.Integer(0))))
        if isinstance(node, Vec):
            return self.vec(self.evaluate(node.a, env))
        if isinstance(node, Mean):
            total, arr = self.evaluate(node.a, env), self.evaluate(node.b, env)
            if len(arr.shape) != 2:
                raise IllFormed(f"a mean over an axis of a {shape_text(arr.shape)} array")
            count = se.Integer(arr.shape[node.axis])
            return Arr(total.shape, tuple(se.expand(e / count) for e in total.data))
        if isinstance(node, Diag):
            a = self.evaluate(node.a, env)
            if len(a.shape) != 2 or a.shape[1] != 1:
                raise IllFormed(f"diag of a {shape_text(a.shape)} array (diag takes a vector)")
            n = a.shape[0]
            return Arr((n, n), tuple(a.data[i] if i == j else se.Integer(0) for i in range(n) for j in range(n)))
        if isinstance(node, At):
            a = self.evaluate(node.a, env)
            if len(a.shape) != 2:
                raise Unsupported(f"an entry (·)_{{{node.sub}}} of a {shape_text(a.shape)} array")
            r, c = a.shape
            idx = self.indices(node.sub, 1 if 1 in (r, c) else 2, env, f"(·)_{{{node.sub}}}")
            if len(idx) == 2 and 1 <= idx[0] <= r and 1 <= idx[1] <= c:
                return scalar(a.at(idx[0] - 1, idx[1] - 1))
            if len(idx) == 1 and 1 <= idx[0] <= r * c:
                return scalar(a.data[idx[0] - 1])
            raise IllFormed(f"the entry ({','.join(map(str, idx))}) is outside a {shape_text(a.shape)} matrix")
        if isinstance(node, Norm):
            a = self.evaluate(node.a, env)
            if not node.squared:
                raise Unsupported("a norm without the square (a square root) is not supported; use ‖·‖²")
            if len(a.shape) > 2:
                raise Unsupported("the norm of a 4-index array is not supported")
            if node.sub == "2" and len(a.shape) == 2 and min(a.shape) > 1:
                raise Unsupported("‖·‖₂ of a matrix is the spectral norm (not supported); ‖·‖_F is the Frobenius norm")
            return scalar(sum((x * x for x in a.data), se.Integer(0)))
        if isinstance(node, SumOp):
            return self.sum(node, env)
        if isinstance(node, DName):
            if self.loss is None:
                raise Unsupported(f"d{node.letter} means ∂L/∂{node.letter}, but the context defines no loss L")
            return self.deriv(Deriv(Var("L"), Var(node.letter, node.sub)), env)
        if isinstance(node, Deriv):
            return self.deriv(node, env)
        if isinstance(node, MatrixLit):
            cells = [self.evaluate(c, env) for row in node.rows for c in row]
            if any(x.shape != () for x in cells):
                raise Unsupported("block matrices (matrices inside a matrix) are not supported")
            return Arr((len(node.rows), len(node.rows[0])), tuple(x.data[0] for x in cells))
        if type(node).__name__ == "Space":
            raise Unsupported("ℝ^{…} is a set, not a value")
        raise Unsupported(f"cannot evaluate {type(node).__name__}")

    def applied(self, node: Apply, env: dict[str, int]) -> Arr:
        """f(a) entry by entry: an activation, or a generic f that the claim or context differentiates (f')."""
        a = self.evaluate(node.a, env)
        if len(a.shape) > 2:
            raise Unsupported(f"{text(node)}: a function of a 4-index array is not supported")
        if node.fn in GENERIC and node.fn not in self.elementwise and a.shape not in ((), (1, 1)):
            raise Unsupported(f"{text(node)}: {node.fn} of a {shape_text(a.shape)} array is a general function (its "
                              f"Jacobian is not diagonal); symderiv reads {node.fn} entry by entry only where "
                              f"{node.fn}' is written, as for an activation")
        if node.fn in ("exp", "log") and len(a.shape) == 2 and min(a.shape) > 1:
            raise Unsupported(f"{text(node)}: the {node.fn} of a matrix may be the matrix function or entry by entry")
        self.spend(len(a.data))
        return Arr(a.shape, tuple(functions.apply(node.fn, node.order, x) for x in a.data))

    def add(self, a: Arr, b: Arr, sign: int) -> Arr:
        self.spend(sum(terms(x) for x in a.data) + sum(terms(x) for x in b.data))
        if {a.shape, b.shape} == {(), (1, 1)}:  # x w + b with one output: a 1×1 bias beside a scalar
            a, b = Arr((1, 1), a.data), Arr((1, 1), b.data)
        if a.shape == b.shape:
            return Arr(a.shape, tuple(x + sign * y for x, y in zip(a.data, b.data)))
        if len(a.shape) == 2 and len(b.shape) == 2:
            (ar, ac), (br, bc) = a.shape, b.shape
            if ac == bc and 1 in (ar, br):  # a row broadcast over the rows (a bias)
                r = max(ar, br)
                return Arr((r, ac), tuple(a.at(i if ar > 1 else 0, j) + sign * b.at(i if br > 1 else 0, j)
                                          for i in range(r) for j in range(ac)))
            if ar == br and 1 in (ac, bc):
                c = max(ac, bc)
                return Arr((ar, c), tuple(a.at(i, j if ac > 1 else 0) + sign * b.at(i, j if bc > 1 else 0)
                                          for i in range(ar) for j in range(c)))
        raise IllFormed(f"adding a {shape_text(a.shape)} and a {shape_text(b.shape)} array")

    def mul(self, a: Arr, b: Arr, op: str) -> Arr:
        if op == "otimes":
            return self.kron(a, b)
        if a.shape == () or b.shape == ():
            s, other = (a, b) if a.shape == () else (b, a)
            self.spend(terms(s.data[0]) * sum(terms(x) for x in other.data))
            return Arr(other.shape, tuple(se.expand(s.data[0] * x) for x in other.data))
        if op == "odot":
            if a.shape != b.shape:
                raise IllFormed(f"the elementwise product of a {shape_text(a.shape)} and a {shape_text(b.shape)} array")
            self.spend(sum(terms(x) * terms(y) for x, y in zip(a.data, b.data)))
            return Arr(a.shape, tuple(se.expand(x * y) for x, y in zip(a.data, b.data)))
        if len(a.shape) != 2 or len(b.shape) != 2:
            raise Unsupported("products with a 4-index array are not supported")
        (r, k), (k2, c) = a.shape, b.shape
        if k != k2:
            raise IllFormed(f"the product of a {r}×{k} and a {k2}×{c} matrix is undefined")
        ta, tb = [terms(x) for x in a.data], [terms(x) for x in b.data]
        self.spend(sum(ta[i * k + l] * tb[l * c + j] for i in range(r) for j in range(c) for l in range(k)))
        out = tuple(se.expand(sum((a.data[i * k + l] * b.data[l * c + j] for l in range(k)), se.Integer(0)))
                    for i in range(r) for j in range(c))
        return squeeze(Arr((r, c), out))

    def kron(self, a: Arr, b: Arr) -> Arr:
        if len(a.shape) > 2 or len(b.shape) > 2:
            raise Unsupported("Kronecker products of 4-index arrays are not supported")
        (r1, c1), (r2, c2) = (a.shape or (1, 1)), (b.shape or (1, 1))
        self.spend(r1 * c1 * r2 * c2)
        data = tuple(a.data[(i // r2) * c1 + (j // c2)] * b.data[(i % r2) * c2 + (j % c2)]
                     for i in range(r1 * r2) for j in range(c1 * c2))
        return squeeze(Arr((r1 * r2, c1 * c2), data))

    def vec(self, a: Arr) -> Arr:
        if len(a.shape) != 2:
            return a if a.shape == () else self._unsupported_vec()
        r, c = a.shape
        if self.vec_order == "C":
            return Arr((r * c, 1), a.data)
        return Arr((r * c, 1), tuple(a.data[i * c + j] for j in range(c) for i in range(r)))

    def _unsupported_vec(self) -> Arr:
        raise Unsupported("vec of a 4-index array is not supported")

    def power(self, a: Arr, exp: int) -> Arr:
        if a.shape == ():
            if exp > 12:
                raise Unsupported("powers above 12 are not supported")
            return scalar(a.data[0] ** exp)
        if len(a.shape) != 2 or a.shape[0] != a.shape[1]:
            raise IllFormed(f"the power of a non-square {shape_text(a.shape)} array")
        if not 1 <= exp <= MAX_POWER:
            raise Unsupported(f"matrix powers go from 1 to {MAX_POWER}")
        out = a
        for _ in range(exp - 1):
            out = self.mul(out, a, "")
        return out

    def _sizes_as_values(self, node: Any) -> Any:
        """A denominator with every plain letter that names a size the context declares (1/N with X: N x D, or
        N = 5) read as that size; the names symderiv gives sizes itself (m, k, n) are not the text's."""
        if isinstance(node, Var) and node.sub is None and node.style == "plain" and node.letter in self.ctx.size_names:
            try:
                if node.letter in self.t.classes.by_name:
                    return Num(Fraction(self.t.size(self.t.classes.by_name[node.letter], self.sizes)))
                if node.letter in self.ctx.named and node.letter in self.sizes:
                    return Num(Fraction(self.sizes[node.letter]))
            except KeyError:
                return node
        if isinstance(node, (Mul, Add, Sub)):
            return replace(node, a=self._sizes_as_values(node.a), b=self._sizes_as_values(node.b))
        return node

    def bound(self, value: Any) -> int:
        if isinstance(value, int):
            return value
        if value in self.sizes and (value in self.t.classes.by_name or value in self.ctx.named):
            return self.sizes[value]
        raise Unsupported(f"the size {value} is not known in this context")

    def sum(self, node: SumOp, env: dict[str, int]) -> Arr:
        ranges = []
        for v in node.vars:
            if node.hi is None:
                n = self.ranges.get("Σ" + v, self.ranges.get(v))  # the range its entries give the summed index
                if n is None:
                    raise Unsupported(f"cannot tell the range of the sum over {v}; write \\sum_{{{v}=1}}^{{m}}")
                ranges.append(range(1, n + 1))
            else:
                ranges.append(range(node.lo, self.bound(node.hi) + 1))
        count = 1
        for r in ranges:
            count *= len(r)
        if count > MAX_SUM_TERMS:
            raise Unsupported(f"the sum has {count} terms; the limit is {MAX_SUM_TERMS}")
        self.spend(20 * count)
        total: Arr | None = None
        for values in itertools.product(*ranges):
            term = self.evaluate(node.body, {**env, **dict(zip(node.vars, values))})
            total = term if total is None else self.add(total, term, 1)
        return total if total is not None else scalar(se.Integer(0))

"""An independent reader of derive's plain-text answers (2 Xᵀ (X w − y), (A + Aᵀ) x,
Aᵀ ⊙ B, tr(X) X, 𝟏ᵀ G, z_{i,p} δ_{j,q}) into sympy matrices built from explicit
symbols. It shares no code with symderiv: the tests judge derive's answers with it."""

from __future__ import annotations

import re
from fractions import Fraction

import sympy as sp

TOKEN = re.compile(r"\s*(tr\(|[A-Za-zα-ω](?:_\{[^}]*\})?|𝟏|[0-9]+(?:/[0-9]+)?|ᵀ|⊙|\+|−|\(|\))")


def matrices(shapes: dict[str, tuple[int, int]]) -> dict[str, sp.Matrix]:
    out = {}
    for name, (r, c) in shapes.items():
        low = name.lower() + ("M" if name.isupper() else "v")
        out[name] = sp.Matrix(r, c, lambda i, j, low=low: sp.Symbol(f"{low}_{i + 1}_{j + 1}"))
    return out


class _I:
    """c I, sized where it meets a matrix."""

    def __init__(self, coef: object = 1) -> None:
        self.coef = coef


class _Ones:
    """𝟏 (a row when transposed), sized where it meets a matrix."""

    def __init__(self, t: bool = False) -> None:
        self.t = t

    @property
    def T(self) -> _Ones:  # noqa: N802 - as sympy spells it
        return _Ones(not self.t)


def _num(x: object) -> object:
    return x[0, 0] if isinstance(x, sp.MatrixBase) else x


def _mul(a: object, b: object) -> object:
    if isinstance(a, _Ones) and a.t:
        return sp.ones(1, b.shape[0]) * b  # type: ignore[union-attr]
    if isinstance(b, _Ones) and not b.t:
        return a * sp.ones(a.shape[1], 1)  # type: ignore[union-attr]
    if isinstance(a, _I) and isinstance(b, sp.MatrixBase) and b.shape != (1, 1):
        return _mul(a.coef, b)
    if isinstance(b, _I) and isinstance(a, sp.MatrixBase) and a.shape != (1, 1):
        return _mul(a, b.coef)
    if isinstance(a, _I):
        return _I(_num(b) * a.coef)  # type: ignore[operator]
    if isinstance(b, _I):
        return _I(_num(a) * b.coef)  # type: ignore[operator]
    if not isinstance(a, sp.MatrixBase) or a.shape == (1, 1):
        return (a[0, 0] if isinstance(a, sp.MatrixBase) else a) * b
    if not isinstance(b, sp.MatrixBase) or b.shape == (1, 1):
        return a * (b[0, 0] if isinstance(b, sp.MatrixBase) else b)
    return a * b


def _add(a: object, b: object) -> object:
    if isinstance(a, _I):
        a = a.coef * sp.eye(b.shape[0])  # type: ignore[union-attr]
    if isinstance(b, _I):
        b = b.coef * sp.eye(a.shape[0])  # type: ignore[union-attr]
    return a + b


class Reader:
    def __init__(self, text: str, env: dict[str, object]) -> None:
        self.toks = [t for t in TOKEN.findall(text)]
        if "".join(self.toks).replace(" ", "") != re.sub(r"\s", "", text):
            raise ValueError(f"cannot tokenize {text!r}")
        self.i, self.env = 0, env

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> str:
        self.i += 1
        return self.toks[self.i - 1]

    def sum(self) -> object:
        sign = 1
        if self.peek() == "−":
            self.take()
            sign = -1
        out = self.had()
        out = _mul(-1, out) if sign < 0 else out
        while self.peek() in ("+", "−"):
            op = self.take()
            nxt = self.had()
            out = _add(out, nxt if op == "+" else _mul(-1, nxt))
        return out

    def had(self) -> object:
        out = self.prod()
        while self.peek() == "⊙":
            self.take()
            other = self.prod()
            out = out.multiply_elementwise(other)  # type: ignore[union-attr]
        return out

    def prod(self) -> object:
        out = self.factor()
        while self.peek() not in (None, "+", "−", ")", "⊙"):
            out = _mul(out, self.factor())
        return out

    def factor(self) -> object:
        t = self.take()
        if t == "(":
            val = self.sum()
            assert self.take() == ")"
        elif t == "tr(":
            val = sp.Matrix([[self.sum().trace()]])  # type: ignore[union-attr]
            assert self.take() == ")"
        elif t == "I":
            val = _I()
        elif t == "𝟏":
            val = _Ones()
        elif t[0].isdigit():
            val = sp.Rational(Fraction(t).numerator, Fraction(t).denominator)
        else:
            val = self.env[t]
        while self.peek() == "ᵀ":
            self.take()
            val = val.T  # type: ignore[union-attr]
        return val


def evaluate(text: str, env: dict[str, object]) -> object:
    r = Reader(text, env)
    out = r.sum()
    if r.peek() is not None:
        raise ValueError(f"left over in {text!r}: {r.toks[r.i:]}")
    return out


def gradient(f: sp.Expr, x: sp.Matrix) -> sp.Matrix:
    """∂f/∂X in the gradient convention, by sympy diff entry by entry."""
    return x.applyfunc(lambda e: sp.diff(f, e))


def same(a: object, b: sp.Matrix) -> bool:
    if isinstance(a, _I):
        a = a.coef * sp.eye(b.shape[0])
    if not isinstance(a, sp.MatrixBase):
        a = sp.Matrix([[a]])
    if a.shape != b.shape:
        return False
    return all(sp.expand(u - v) == 0 for u, v in zip(a, b))


_ENTRY = re.compile(r"(δ|[a-z])_\{([a-z]),([a-z])\}")


def entries_value(rhs: str, env: dict[str, sp.Matrix], at: dict[str, int]) -> sp.Expr:
    """z_{i,p} δ_{j,q} + … at the 1-based index values `at`."""
    total = sp.Integer(0)
    for sign, term in re.findall(r"(^|[+−])\s*([^+−]+)", rhs):
        val: sp.Expr = sp.Integer(-1 if sign == "−" else 1)
        for tok in term.split():
            m = _ENTRY.fullmatch(tok)
            if m is None:
                val *= sp.Rational(Fraction(tok).numerator, Fraction(tok).denominator)
                continue
            name, a, b = m.groups()
            if name == "δ":
                val *= 1 if at[a] == at[b] else 0
            else:
                val *= env[name.upper()][at[a] - 1, at[b] - 1]
        total += val
    return total

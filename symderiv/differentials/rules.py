"""The rules of the differential calculus (Magnus and Neudecker) as a table: each
rule's statement beside the function that applies it to a node of the claim tree,
given the node's operands (their values U, V and their differentials dU, dV).

`Differentiate.run` walks the tree once (operands first), keeps every application
whose differential is not zero as a step, and returns f and df in the algebra."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..claims.context import Context
from ..claims.infer import Typing
from ..claims.tree import Add, Frob, Mul, Neg, Norm, Num, Ones, Power, Sub, Trace, Transpose, Unsup, Var
from . import algebra as al
from .algebra import ONE, Dx, Leaf, OnesV, Sum
from .printer import text

Value = tuple[Sum, Sum]  # (U, dU)


class CannotDerive(Exception):
    """The expression has something the rules do not cover (exit 2 with this reason)."""


# --- one function per rule: (node, operands, context) → dF -------------------------------


def _sum(n: Any, ops: list[Value], d: Differentiate) -> Sum:
    (u, du), (v, dv) = ops
    return al.add(du, d.broadcast(dv, u.shape))


def _difference(n: Any, ops: list[Value], d: Differentiate) -> Sum:
    (u, du), (v, dv) = ops
    return al.add(du, d.broadcast(dv, u.shape), -1)


def _negation(n: Any, ops: list[Value], d: Differentiate) -> Sum:
    return al.scale(ops[0][1], -1)


def _product(n: Any, ops: list[Value], d: Differentiate) -> Sum:
    (u, du), (v, dv) = ops
    return al.add(al.mul(du, v), al.mul(u, dv))


def _hadamard(n: Any, ops: list[Value], d: Differentiate) -> Sum:
    (u, du), (v, dv) = ops
    return al.add(al.hadamard(du, v), al.hadamard(u, dv))


def _transpose(n: Any, ops: list[Value], d: Differentiate) -> Sum:
    return al.transpose(ops[0][1])


def _trace(n: Any, ops: list[Value], d: Differentiate) -> Sum:
    return al.trace(ops[0][1])


def _frobenius(n: Any, ops: list[Value], d: Differentiate) -> Sum:
    (u, du), (v, dv) = ops
    return al.add(al.trace(al.mul(al.transpose(du), v)), al.trace(al.mul(al.transpose(u), dv)))


def _norm_squared(n: Any, ops: list[Value], d: Differentiate) -> Sum:
    u, du = ops[0]
    return al.scale(al.trace(al.mul(al.transpose(u), du)), 2)


def _power(n: Any, ops: list[Value], d: Differentiate) -> Sum:
    u, du = ops[0]
    k = n.exp
    if u.shape == (ONE, ONE):  # a scalar: k u^{k-1} du
        return al.scale(al.mul(_pow(u, k - 1), du), k)
    return al.total([al.mul(al.mul(_pow(u, i), du), _pow(u, k - 1 - i)) for i in range(k)], u.shape)


def _pow(u: Sum, k: int) -> Sum:
    out = al.const(1) if u.shape == (ONE, ONE) else None
    for _ in range(k):
        out = u if out is None else al.mul(out, u)
    return out if out is not None else al.const(1)


@dataclass(frozen=True)
class Rule:
    name: str
    statement: str
    apply: Callable[[Any, list[Value], Differentiate], Sum]


# ---- linear rules ----
# ---- products ----
# ---- traces, inner products, norms ----
RULES: dict[str, Rule] = {r.name: r for r in (
    Rule("sum",          "d(U + V) = dU + dV",                          _sum),
    Rule("difference",   "d(U − V) = dU − dV",                          _difference),
    Rule("negation",     "d(−U) = −dU",                                  _negation),
    Rule("transpose",    "d(Uᵀ) = (dU)ᵀ",                                _transpose),
    Rule("product",      "d(U V) = dU V + U dV, so d(A X B) = A dX B",  _product),
    Rule("hadamard",     "d(U ⊙ V) = dU ⊙ V + U ⊙ dV",                  _hadamard),
    Rule("power",        "d(Uᵏ) = Σᵢ Uⁱ dU Uᵏ⁻¹⁻ⁱ (k u^{k−1} du for a scalar)", _power),
    Rule("trace",        "d tr U = tr dU",                               _trace),
    Rule("frobenius",    "d⟨U, V⟩ = tr(dUᵀ V) + tr(Uᵀ dV)",             _frobenius),
    Rule("norm-squared", "d‖U‖² = 2 tr(Uᵀ dU)",                          _norm_squared),
)}

# matrix inverses, determinants and elementwise functions (σ, tanh, exp, log) are not read by the
# claim grammar yet (it marks them unsupported), so no answer with them could be checked: see docs/derive.md


def rule_of(node: Any) -> Rule | None:
    """The rule for a node of the claim tree, or None for a leaf."""
    if isinstance(node, Add):
        return RULES["sum"]
    if isinstance(node, Sub):
        return RULES["difference"]
    if isinstance(node, Neg):
        return RULES["negation"]
    if isinstance(node, Transpose):
        return RULES["transpose"]
    if isinstance(node, Mul):
        if node.op == "odot":
            return RULES["hadamard"]
        if node.op in ("", "*", "@", "cdot", "times"):
            return RULES["product"]
        raise CannotDerive(f"the product {node.op} is not covered by the rules")
    if isinstance(node, Power):
        return RULES["power"]
    if isinstance(node, Trace):
        return RULES["trace"]
    if isinstance(node, Frob):
        return RULES["frobenius"]
    if isinstance(node, Norm):
        if not node.squared:
            raise CannotDerive("‖U‖ without the square is not a polynomial, so its derivative cannot be checked "
                               "exactly; derive ‖U‖² instead")
        return RULES["norm-squared"]
    return None


def operands(node: Any) -> list[Any]:
    if isinstance(node, (Add, Sub, Mul, Frob)):
        return [node.a, node.b]
    if isinstance(node, (Neg, Transpose, Power, Trace, Norm)):
        return [node.a]
    return []


@dataclass
class Applied:
    """One rule applied: d(node) = result."""

    rule: Rule
    before: str
    after: str
    latex_before: str
    latex_after: str


@dataclass
class Differentiate:
    """Walks one expression; `wrt` is the letter (with its style) the differential is taken in."""

    ctx: Context
    typing: Typing
    wrt: str
    steps: list[Applied] = field(default_factory=list)
    leaves: dict[str, Leaf] = field(default_factory=dict)
    upstream: Leaf | None = None
    bold: set[str] = field(default_factory=set)  # letters written \mathbf{x}: bold again in LaTeX

    def dim(self, cls: int) -> int:
        c = self.typing.classes
        return ONE if c.value(cls) == 1 else c.find(cls)

    def leaf(self, v: Var) -> Leaf:
        if v.sub is not None:
            raise CannotDerive(f"the entry {v.letter}_{{{v.sub}}} is index notation; derive a matrix expression")
        if v.style == "greek" or v.letter in self.typing.scalars or v.letter not in self.typing.matrices:
            shape: al.Shape = (ONE, ONE)
        else:
            r, c = self.typing.matrices[v.letter]
            shape = (self.dim(r), self.dim(c))
        style = "bold" if v.style == "plain" and v.letter in self.bold else v.style
        leaf = Leaf(v.letter, style, shape)
        self.leaves.setdefault(v.letter, leaf)
        return leaf

    def broadcast(self, v: Sum, shape: al.Shape) -> Sum:
        """A bias vector added to a matrix: 𝟏 bᵀ (or 𝟏 b for a row), once per row."""
        if v.shape == shape or not v.terms or shape == (ONE, ONE):
            return v
        r, c = shape
        if v.shape == (ONE, c):
            return al.mul(al.of(OnesV(r)), v)
        if v.shape == (c, ONE):
            return al.mul(al.of(OnesV(r)), al.transpose(v))
        if v.shape == (r, ONE):
            return al.mul(v, al.of(OnesV(c, True)))
        raise CannotDerive("a sum of two different shapes that is not a bias added to every row")

    def value_of_sum(self, node: Any, a: Sum, b: Sum, sign: int) -> Sum:
        if a.shape != b.shape and b.shape != (ONE, ONE) and a.shape != (ONE, ONE):
            if len(b.terms) and b.shape[0] == ONE or b.shape[1] == ONE:
                return al.add(a, self.broadcast(b, a.shape), sign)
            return al.add(self.broadcast(a, b.shape), b, sign)
        return al.add(a, b, sign)

    def run(self, node: Any) -> Value:  # noqa: C901 - one case per node kind
        if isinstance(node, Var):
            return self.var(node)
        if isinstance(node, Num):
            return al.const(node.value), al.zero((ONE, ONE))
        if isinstance(node, Ones):
            dims = self.typing.helpers.get(id(node))
            if not dims:
                raise CannotDerive("the length of 𝟏 cannot be inferred")
            return al.of(OnesV(self.dim(dims[0]))), al.zero((ONE, ONE))
        if isinstance(node, Unsup):
            raise CannotDerive(node.reason)
        from ..claims.tree import Div

        if isinstance(node, Div):
            if not isinstance(node.b, Num) or node.b.value == 0:
                raise CannotDerive("only a division by a number is covered by the rules")
            u, du = self.run(node.a)
            k = 1 / Fraction(node.b.value)
            return al.scale(u, k), al.scale(du, k)
        rule = rule_of(node)
        if rule is None:
            raise CannotDerive(f"{type(node).__name__.lower()} is not covered by the rules of the differential calculus")
        ops = [self.run(x) for x in operands(node)]
        value = self.value(node, ops)
        dvalue = rule.apply(node, ops, self) if any(o[1].terms for o in ops) else al.zero(value.shape)
        if dvalue.terms:
            self.steps.append(Applied(rule, "d" + _brack(text(value)), text(dvalue),
                                      "\\mathrm{d}" + _lbrack(_latex(value)), _latex(dvalue)))
        return value, dvalue

    def value(self, node: Any, ops: list[Value]) -> Sum:
        vals = [o[0] for o in ops]
        if isinstance(node, Add):
            return self.value_of_sum(node, vals[0], vals[1], 1)
        if isinstance(node, Sub):
            return self.value_of_sum(node, vals[0], vals[1], -1)
        if isinstance(node, Neg):
            return al.scale(vals[0], -1)
        if isinstance(node, Transpose):
            return al.transpose(vals[0])
        if isinstance(node, Mul):
            return al.hadamard(vals[0], vals[1]) if node.op == "odot" else al.mul(vals[0], vals[1])
        if isinstance(node, Power):
            return _pow(vals[0], node.exp)
        if isinstance(node, Trace):
            return al.trace(vals[0])
        if isinstance(node, Frob):
            return al.trace(al.mul(al.transpose(vals[0]), vals[1]))
        if isinstance(node, Norm):
            u = vals[0]
            return al.trace(al.mul(al.transpose(u), u))
        raise CannotDerive(f"{type(node).__name__} is not covered")  # pragma: no cover

    def var(self, v: Var) -> Value:
        leaf = self.leaf(v)
        if v.letter == self.wrt:
            return al.of(leaf), al.of(Dx(leaf))
        defs = dict(self.ctx.defs)
        if v.letter in defs:
            _, d = self.run(defs[v.letter])
            if d.terms:
                self.steps.append(Applied(Rule("definition", f"{v.letter} as the context defines it",
                                               lambda *a: d), "d" + v.letter, text(d), "\\mathrm{d}" + _latex(al.of(leaf)),
                                          _latex(d)))
            return al.of(leaf), d
        if v.letter == "L" and v.style == "plain" and self.ctx.output:
            if self.ctx.loss is not None:
                return self.run(self.ctx.loss)
            return self.loss(leaf)
        return al.of(leaf), al.zero(leaf.shape)

    def loss(self, leaf: Leaf) -> Value:
        """L is any loss of the output Y with ∂L/∂Y = G: dL = tr(Gᵀ dY)."""
        y = self.ctx.output
        assert y is not None and self.ctx.upstream is not None
        _, dy = self.var(Var(y))
        g = self.leaf(Var(self.ctx.upstream, None, "greek" if len(self.ctx.upstream) > 1 else "plain"))
        self.upstream = g
        d = al.trace(al.mul(al.transpose(al.of(g)), dy))
        if d.terms:
            statement = f"dL = tr({text(al.of(g))}ᵀ d{y}), as {text(al.of(g))} = ∂L/∂{y}"
            self.steps.append(Applied(Rule("loss", statement, lambda *a: d), "dL", text(d), "\\mathrm{d}L", _latex(d)))
        return al.of(leaf), d


def _brack(s: str) -> str:
    return s if len(s) == 1 else f"({s})"


def _lbrack(s: str) -> str:
    return s if len(s) == 1 else f"\\left({s}\\right)"


def _latex(s: Sum) -> str:
    from .printer import latex

    return latex(s)

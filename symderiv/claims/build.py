"""The lark transformer that builds claim nodes while the LALR parser reduces
(so no recursion over the text), and the readers of superscripts (^T, ^2,
^{-1}) and sum bounds (m, N, 10^9).

Subscript and superscript tokens arrive whole (`_{1,2}`, `^{\\top}`)."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from lark import Token, Transformer

from . import code_idioms as code
from .functions import GENERIC, canonical
from .tree import (
    GREEK,
    Add,
    Apply,
    At,
    Claim,
    Deriv,
    Diag,
    Div,
    DName,
    Frob,
    MatrixLit,
    Mul,
    Neg,
    Node,
    Norm,
    Num,
    Ones,
    Power,
    Space,
    Sub,
    SumOp,
    Trace,
    Transpose,
    Unsup,
    Var,
    Vec,
    size_name,
    strip_group,
)

TRANSPOSE_MARKS = {"T", "\\top", "\\intercal", "\\mathsf{T}", "'", "⊤"}


def read_sup(raw: str) -> Any:
    """A superscript as ('T',), ('pow', n) or an Unsup. X^t and X^H (the conjugate transpose, of a
    real matrix) are transposes; ² and ³ are powers."""
    if raw in ("²", "³"):
        return ("pow", 2 if raw == "²" else 3)
    s = re.sub(r"^\\(mathsf|mathrm|rm|text)\s*(?=[A-Za-z])", "", strip_group(raw)).strip()
    if s in ("t", "H", "\\mathsf{T}", "\\mathrm{T}"):
        return ("T",)
    if s in TRANSPOSE_MARKS:
        return ("T",)
    if s.isdigit():
        return ("pow", int(s))
    if s in ("-1", "−1"):
        return Unsup("matrix inverses (^{-1}) are not supported")
    return Unsup(f"the superscript ^{{{s}}} is not supported")


_BOUND_SUB = re.compile(r"^\s*([A-Za-z](?:\s*,\s*[A-Za-z])*)\s*(?:=\s*([0-9]+))?\s*$")
_POWER = re.compile(r"^\s*([0-9]+)\s*\^\s*\{?\s*([0-9]+)\s*\}?\s*$")


def read_bound(content: str | None) -> Any:
    """An upper sum bound: an int, a size name, or None (absent); Unsup when unreadable."""
    if content is None:
        return None
    s = content.strip()
    if s.isdigit():
        return int(s)
    m = _POWER.match(s)
    if m:
        base, exp = int(m.group(1)), int(m.group(2))
        if exp > 12 or base > 10**6:
            return 10**13
        return base**exp
    if re.fullmatch(r"[A-Za-z]", s):
        return s
    return Unsup(f"the sum bound {s!r} is not supported")


_SCALAR_VALUES = frozenset("LCEJl")  # letters notes use for a loss or cost: L(x), C(W) is its value, not a product

# --- the transformer (called by the LALR parser at each reduction) -----------


def _tok(x: Any) -> bool:
    return isinstance(x, Token)


def _fname(tok: Any) -> str:
    """\\operatorname{ReLU}, \\text{tanh}, \\sigma, g: the function's name."""
    return re.sub(r"^\\(operatorname|mathrm|text|textrm)\s*\{\s*|\s*\}$|^\\", "", str(tok)).strip()


def _nodes(items: list[Any]) -> list[Any]:
    return [x for x in items if not _tok(x)]


def _sub_of(items: list[Any]) -> str | None:
    for x in items:
        if _tok(x) and x.type == "SUB":
            return strip_group(str(x))
    return None


def _den_var(x: Any) -> Any:
    """What a derivative is taken with respect to."""
    if isinstance(x, DName):
        return Var(x.letter, x.sub)
    if isinstance(x, tuple) and x and x[0] == "d":
        return x[1]
    return x


def _num_var(x: Any) -> Any:
    return Var(x.letter, x.sub) if isinstance(x, DName) else x


def _ones_if_one(node: Node) -> Node:
    """A transposed numeral 1 (1ᵀG, 1^T G) is the all-ones vector: a number has no transpose."""
    return Ones() if isinstance(node, Num) and node.value == 1 else node


def _ones_after(a: Node, b: Node) -> Node:
    """`Gᵀ 1`, `X @ 1`: a numeral 1 right after a matrix is the all-ones vector (nobody
    multiplies a matrix by the number 1 on purpose); after a number or an entry it stays 1."""
    if not (isinstance(b, Num) and b.value == 1):
        return b
    if isinstance(a, Num) or (isinstance(a, Var) and (a.style == "greek" or a.sub is not None)):
        return b
    return Ones()


def _unless_open(a: Node) -> Node | None:
    """∂/∂x xᵀAx + bᵀx: the derivative of the sum, or of the first term only? Unsupported."""
    while isinstance(a, (Add, Sub, Mul)):
        a = a.b
    if isinstance(a, Deriv) and a.open:
        return Unsup("∂/∂x f + g is ambiguous: write ∂/∂x (f + g) or (∂f/∂x) + g")
    return None


def _ends_in_bare_trace(a: Node) -> bool:
    while isinstance(a, (Mul, Transpose, Power)):
        a = a.b if isinstance(a, Mul) else a.a
    return isinstance(a, Trace) and a.bare


def _second(items: list[Any]) -> Any:
    """The order of ∂^2 and the Hessian's variable, ("dop2", x or None)."""
    sup = next((str(x) for x in items if _tok(x) and x.type == "SUP"), "")
    order = sup.lstrip("^").strip().strip("{}").strip()
    den = next(x for x in reversed(items) if isinstance(x, tuple) and x and x[0] == "d2")
    return ("dop2", den[1] if order == "2" else None)


def _hessian(body: Node, den: Any) -> Node:
    """∂²f/∂x∂xᵀ as ∂(∂f/∂x)/∂x: the matrix of second partial derivatives (symmetric for the polynomials read here)."""
    if den is None:
        return Unsup("a second derivative with respect to two different variables, or of an order other than 2")
    if not den.letter.islower() or den.style == "greek":
        return Unsup("a second derivative by a matrix (a 4-index array) is not supported; the Hessian is by a vector")
    return Deriv(Deriv(body, den, "partial", True), den, "partial")


def _loss_first(body: Node, den: Any, kind: str) -> Node:
    """`∇_Y L Wᵀ` is (∇_Y L) Wᵀ: an operator applied to the loss L binds to L alone
    (the loss is a scalar; nobody writes ∇_Y (L Wᵀ))."""
    spine, node = [], body
    while isinstance(node, Mul):
        spine.append(node)
        node = node.a
    if not spine or not (isinstance(node, Var) and node.letter == "L" and node.sub is None):
        return Deriv(body, den, kind)
    out: Node = Deriv(node, den, kind)
    for m in reversed(spine):
        out = Mul(out, m.b, m.op)
    return out


def _leading_ones(part: Node) -> Node:
    """A side that starts `1 xᵀ`: nobody starts a side by multiplying with the number 1, so it is the
    all-ones vector 𝟏 xᵀ (after a sign, as in 2xᵀ − 1xᵀ, the 1 stays a number)."""
    spine, node = [], part
    while isinstance(node, Mul) and node.op == "":
        spine.append(node)
        node = node.a
    if not spine or not (isinstance(node, Num) and node.value == 1 and isinstance(spine[-1].b, Transpose)):
        return part
    out: Node = Ones()
    for m in reversed(spine):
        out = Mul(out, m.b, m.op)
    return out


class Build(Transformer):
    """Lark tree → claim nodes, bottom-up."""

    def __init__(self) -> None:
        super().__init__()
        self._paren: set[int] = set()  # ids of bracketed bodies, for one parse
        self._bold: set[str] = set()  # letters written bold, for one parse

    def paren(self, items: list[Any]) -> Node:
        node = _nodes(items)[0]
        self._paren.add(id(node))
        return node

    def _open(self, node: Node) -> Node:
        if isinstance(node, Deriv) and id(node.num) not in self._paren and not isinstance(node.num, Var):
            return Deriv(node.num, node.den, node.kind, True)
        return node

    def start(self, items: list[Any]) -> Claim:
        self._paren.clear()
        parts = tuple(x for x in items if not (_tok(x) and x.type == "REL"))
        rels = tuple(str(x) for x in items if _tok(x) and x.type == "REL")
        bold = frozenset(self._bold)
        self._bold.clear()
        return Claim(tuple(_leading_ones(p) for p in parts), rels, bold)

    def add(self, items: list[Any]) -> Node:
        a, b = _nodes(items)
        return _unless_open(a) or Add(a, b)

    def sub(self, items: list[Any]) -> Node:
        a, b = _nodes(items)
        return _unless_open(a) or Sub(a, b)

    def neg(self, items: list[Any]) -> Node:
        return Neg(_nodes(items)[0])

    def term(self, items: list[Any]) -> Node:
        return _nodes(items)[0]

    def mul(self, items: list[Any]) -> Node:
        a, b = _nodes(items)
        if _ends_in_bare_trace(a):
            return Unsup("tr A B is ambiguous (tr(A) B or tr(AB)); write the brackets")
        return Mul(a, _ones_after(a, b), "")

    def mulop(self, items: list[Any]) -> Node:
        op = str(items[1]).lstrip("\\")
        op = {"·": "cdot", "⋅": "cdot", "×": "times", "⊙": "odot", "∘": "odot", "circ": "odot"}.get(op, op)
        b = _ones_after(items[0], items[2]) if op == "@" else items[2]  # `· 1` is the number one
        return Mul(items[0], b, op)

    def div(self, items: list[Any]) -> Node:
        a, b = _nodes(items)
        return Div(a, b)

    def sumop(self, items: list[Any]) -> Node:
        sub = sup = None
        for x in items:
            if _tok(x) and x.type == "SUB":
                sub = strip_group(str(x))
            elif _tok(x) and x.type == "SUP":
                sup = strip_group(str(x))
        body = _nodes(items)[-1]
        if sub is None:
            return Unsup("a sum needs its index: \\sum_{i=1}^{m}")
        if re.fullmatch(r"[a-z]{2,3}", sub.strip()):
            sub = ",".join(sub.strip())  # \sum_{ij}: a double sum over i and j
        m = _BOUND_SUB.match(sub)
        if not m:
            return Unsup(f"the sum index {sub!r} is not supported")
        names = tuple(v.strip() for v in m.group(1).split(","))
        if len(set(names)) != len(names):
            return Unsup(f"the sum index {sub!r} repeats a letter")
        lo = int(m.group(2)) if m.group(2) else 1
        hi = read_bound(sup)
        if isinstance(hi, Unsup):
            return hi
        return SumOp(names, lo, hi, body)  # \sum_{i,j=1}^{n}: every index from lo to the bound

    def dop_frac(self, items: list[Any]) -> Any:
        return ("dop", _den_var(_nodes(items)[-1]))

    def dop(self, items: list[Any]) -> Node:
        (_, den), body = items
        return self._open(_loss_first(body, den, "partial"))

    def dop_slash(self, items: list[Any]) -> Node:
        """d/dx (…), ∂/∂x (…): the operator before a bracket."""
        tok, body = items[0], _nodes(items)[-1]
        m = re.search(r"(?:\\(alpha|beta|gamma|theta|mu|lambda|sigma|phi|omega)|\\mathbf\s*\{\s*([A-Za-z])\s*\}|([A-Za-z]))$",
                      str(tok).rstrip())
        if m is None:  # pragma: no cover - the terminal's pattern ends in one of these
            return Unsup("a derivative operator with respect to an unreadable variable")
        den = Var(m.group(1), None, "greek") if m.group(1) else Var(m.group(2) or m.group(3))
        return self._open(_loss_first(body, den, "partial"))

    def nabla(self, items: list[Any]) -> Node:
        sub = _sub_of(items)
        body = _nodes(items)[-1]
        named = re.fullmatch(r"([A-Za-z])_\{?([0-9])\}?", sub or "")
        if named:  # ∇_{W_1}: W_1 is a name when the context says so, else an entry
            return self._open(_loss_first(body, Var(named.group(1), named.group(2)), "nabla"))
        greek = re.fullmatch(r"(?:\\(boldsymbol|bm|mathbf)\s*\{\s*)?\\([a-z]+)\s*\}?", sub or "")
        if greek and greek.group(2) in GREEK:  # ∇_θ, ∇_{\boldsymbol{θ}} (bold: a vector named θ)
            den = Var(GREEK[greek.group(2)], None, "plain") if greek.group(1) else Var(greek.group(2), None, "greek")
            if greek.group(1):
                self._bold.add(GREEK[greek.group(2)])
            return self._open(_loss_first(body, den, "nabla"))
        if sub is None or not re.fullmatch(r"[A-Za-z]", sub):
            return Unsup(f"∇ with respect to {sub!r} is not supported")
        return self._open(_loss_first(body, Var(sub), "nabla"))

    def dnum(self, items: list[Any]) -> Any:
        node = _nodes(items)[0]
        if isinstance(node, Mul) and node.op == "" and id(node.b) in self._paren and isinstance(node.a, Var) \
                and node.a.sub is None and node.a.style == "plain" and node.a.letter in _SCALAR_VALUES:
            return ("d", node.a)  # ∂L(x)/∂x, ∂C(W)/∂w: the loss written with what it depends on, not L times x
        return ("d", node)

    def dden(self, items: list[Any]) -> Any:
        return ("d", _nodes(items)[0])

    def dname(self, items: list[Any]) -> DName:
        tok = str(items[0])
        return DName(tok[1], tok[2] if len(tok) > 2 else _sub_of(items))  # dW2: ∂L/∂W_2

    def d2den(self, items: list[Any]) -> Any:
        """(d2, x) for ∂x ∂xᵀ, ∂x ∂x or ∂x²: the one variable of a Hessian; (d2, None) for two different ones."""
        nodes = _nodes(items)
        if len(nodes) == 1:
            a = nodes[0]
            if not (isinstance(a, Power) and a.exp == 2):
                return ("d2", None)
            nodes = [a.a, a.a]
        a, b = (n.a if isinstance(n, Transpose) else n for n in nodes)
        ok = isinstance(a, Var) and a == b and a.sub is None
        return ("d2", a if ok else None)

    def dop2_frac(self, items: list[Any]) -> Any:
        return _second(items)

    def dop2(self, items: list[Any]) -> Node:
        (_, den), body = items
        return _hessian(body, den)

    def dfrac2(self, items: list[Any]) -> Node:
        (_, den) = _second(items)
        return _hessian(_nodes(items)[-2], den)

    def dfrac(self, items: list[Any]) -> Node:
        num, den = _nodes(items)[-2:]
        return Deriv(num[1], _den_var(den))

    def frac(self, items: list[Any]) -> Node:
        num, den = _nodes(items)
        if isinstance(num, DName):
            return Deriv(_num_var(num), _den_var(den))
        return Div(num, den)

    def dplain(self, items: list[Any]) -> Node:
        nodes = _nodes(items)
        return Deriv(_num_var(nodes[0]), _den_var(nodes[-1]))

    def sup(self, items: list[Any]) -> Node:
        base, tok = items
        kind = read_sup(str(tok))
        if isinstance(kind, Unsup):
            return kind
        if kind[0] == "T":
            return Transpose(_ones_if_one(base))
        if isinstance(base, Norm) and not base.squared and kind[1] == 2:
            return Norm(base.a, True, base.sub)
        return Power(base, kind[1])

    def at(self, items: list[Any]) -> Node:
        return At(items[0], strip_group(str(items[1])))

    def transpose(self, items: list[Any]) -> Node:
        return Transpose(_ones_if_one(items[0]))

    def var(self, items: list[Any]) -> Node:
        if items[0].type == "LETTERDIGIT":  # W1, x2: W_1, x_2
            return Var(str(items[0])[0], str(items[0])[1])
        return Var(str(items[0]), _sub_of(items))

    def greek(self, items: list[Any]) -> Node:
        name = str([x for x in items if _tok(x) and x.type == "GREEK"][0]).lstrip("\\")
        name = {"δ": "delta", "λ": "lambda", "α": "alpha"}.get(name, name)
        if any(_tok(x) and x.type == "BOLD" for x in items) and name in GREEK:
            self._bold.add(GREEK[name])  # \boldsymbol{\beta}: a vector named β
            return Var(GREEK[name], _sub_of(items), "plain")
        return Var(name, _sub_of(items), "greek")

    def loss(self, items: list[Any]) -> Node:
        return Var("L")

    def bold(self, items: list[Any]) -> Node:
        body = [x for x in items if _tok(x) and x.type in ("LETTER", "NUMBER")][0]
        if body.type == "NUMBER":
            if str(body) != "1":
                return Unsup(f"\\mathbf{{{body}}} is not supported")
            sub = _sub_of(items)
            if sub is None:
                return Ones()
            if re.fullmatch(r"[0-9]+|[A-Za-z]", sub):
                return Ones(int(sub) if sub.isdigit() else sub)  # 𝟏_m: its length is m
            return Unsup(f"the length {sub!r} of 𝟏 is not supported")
        if str(items[0]).lstrip("\\") in ("mathbf", "boldsymbol", "bm", "vec"):
            self._bold.add(str(body))
        return Var(str(body), _sub_of(items), "plain")

    def boldprod(self, items: list[Any]) -> Node:
        """\\mathbf{XW}: the product of bold X and bold W, as notes write it."""
        letters = [Var(str(x)) for x in items if _tok(x) and x.type == "LETTER"]
        if str(items[0]).lstrip("\\") in ("mathbf", "boldsymbol", "bm"):
            self._bold.update(v.letter for v in letters)
        out: Node = letters[0]
        for v in letters[1:]:
            out = Mul(out, v)
        return out

    def accent(self, items: list[Any]) -> Node:
        mark = {"hat": "\u0302", "widehat": "\u0302", "tilde": "\u0303", "widetilde": "\u0303", "bar": "\u0304",
                "overline": "\u0304"}[str(items[0]).lstrip("\\")]
        letter = [x for x in items if _tok(x) and x.type == "LETTER"][0]
        return Var(str(letter) + mark, _sub_of(items))

    def ones(self, items: list[Any]) -> Node:
        return Ones()

    def num(self, items: list[Any]) -> Node:
        return Num(Fraction(str(items[0])))

    def trace(self, items: list[Any]) -> Node:
        arg = items[-1]
        if _tok(arg):
            return Trace(Var(str(arg)), True)
        return Trace(arg)

    def frob(self, items: list[Any]) -> Node:
        a, b = _nodes(items)
        sub = _sub_of(items)
        if sub not in (None, "F"):
            return Unsup(f"the inner product ⟨·,·⟩_{sub} is not supported")
        return Frob(a, b)

    def norm(self, items: list[Any]) -> Node:
        sub = _sub_of(items)
        if sub not in (None, "F", "2"):
            return Unsup(f"the norm ‖·‖_{sub} is not supported")
        return Norm(_nodes(items)[0], False, sub)

    def reals(self, items: list[Any]) -> Node:
        sup = strip_group(str(items[1])) if len(items) > 1 else "1"
        parts = [p.strip() for p in re.split(r"\\times|×|\*|,|(?<=[0-9A-Za-z])\s*x\s*(?=[0-9A-Za-z])", sup)]
        dims: list[Any] = []
        for p in parts:
            if p.isdigit():
                dims.append(int(p))
            elif re.fullmatch(r"[A-Za-z]", p):
                dims.append(p)
            elif size_name(p):
                dims.append(size_name(p))  # d_{out}: the size dout
            else:
                return Unsup(f"cannot read the space ℝ^{{{sup}}}")
        if not 1 <= len(dims) <= 4:
            return Unsup(f"cannot read the space ℝ^{{{sup}}}")
        return Space(tuple(dims))

    def mrow(self, items: list[Any]) -> tuple:
        return tuple(_nodes(items))

    def matrix(self, items: list[Any]) -> Node:
        env = re.search(r"\{\s*([a-zA-Z]*matrix)", str(items[0]))
        kind = env.group(1) if env else "matrix"
        rows = tuple(x for x in items if isinstance(x, tuple))
        if kind.startswith(("v", "V")):
            return Unsup(f"{kind} (a determinant or norm) is not supported")
        if len({len(r) for r in rows}) != 1:
            return Unsup("a matrix whose rows have different lengths")
        return MatrixLit(rows, kind)

    def brace(self, items: list[Any]) -> Node:
        return _nodes(items)[0]

    def call(self, items: list[Any]) -> Node:
        fn = _fname(items[0])
        args = _nodes(items)
        if fn == "vec" and len(args) == 1:
            return Vec(args[0])
        if fn == "diag" and len(args) == 1:  # diag(x) builds a matrix; diag(A), A's diagonal, is another function
            a = args[0]
            if isinstance(a, Var) and a.letter.isupper() and a.sub is None:
                return Unsup("diag of a matrix (its diagonal as a vector) is not supported")
            return Diag(a)
        canon = canonical(fn)
        if canon is not None and canon not in GENERIC and len(args) == 1:
            return Apply(canon, args[0])  # σ(Z), tanh(Z), ReLU(Z): entry by entry
        if fn in ("grad", "Grad") and len(args) == 1 and isinstance(args[0], Var) and args[0].style == "plain":
            return DName(args[0].letter, args[0].sub)  # grad(W): the loss's gradient ∂L/∂W, as dW writes it
        if fn == "max" and len(args) == 2 and any(isinstance(a, Num) and a.value == 0 for a in args):
            return Apply("ReLU", next(a for a in args if not (isinstance(a, Num) and a.value == 0)))  # max(0, Y)
        return Unsup(f"the function {fn} is not supported")

    def call_prime(self, items: list[Any]) -> Node:
        fn = _fname(items[0])
        order = sum(1 for x in items if _tok(x) and x.type == "PRIME")
        canon = canonical(fn)
        if canon is None or canon in GENERIC:
            return Unsup(f"the derivative of the function {fn} is not supported")
        return Apply(canon, _nodes(items)[0], order)  # σ'(z), \text{ReLU}'(h)

    def apply(self, items: list[Any]) -> Node:
        fn = _fname(items[0])
        order = sum(1 for x in items if _tok(x) and x.type == "PRIME")
        args = _nodes(items)
        if len(args) != 1:
            return Unsup(f"the function {fn} of {len(args)} arguments is not supported")
        return Apply(fn, args[0], order)  # f(x), g'(z): a generic function

    def method(self, items: list[Any]) -> Node:  # A.dot(B), A.mm(B), A.matmul(B)
        a, b = _nodes(items)
        return Mul(a, b, "@")

    def sum_axis(self, items: list[Any]) -> Node:  # A.sum(axis=0)
        if str(items[-1]).startswith(".mean"):
            return code.axis_mean(_nodes(items)[0], code.axis_of(str(items[-1])))
        return code.axis_sum(_nodes(items)[0], code.axis_of(str(items[-1])))

    def grad_attr(self, items: list[Any]) -> Node:  # W.grad
        return code.grad_of(_nodes(items)[0])

    def code_call(self, items: list[Any]) -> Node:  # np.dot(A, B), np.outer(x, y)
        return code.code_call(str(items[0]), _nodes(items))

    def np_sum(self, items: list[Any]) -> Node:  # np.sum(A, axis=0)
        return code.axis_sum(_nodes(items)[0], code.axis_of(str(items[-1])))

    def einsum(self, items: list[Any]) -> Node:  # np.einsum('ij,ik->jk', A, B)
        head = str(items[0])
        return code.einsum(head[head.index("(") + 1:].strip().strip("'\""), _nodes(items))

    def matlab_sum(self, items: list[Any]) -> Node:  # sum(A, 1)
        return code.matlab_sum(_nodes(items)[0], next(x for x in items[1:] if _tok(x) and x.type == "NUMBER"))

    def cmd(self, items: list[Any]) -> Node:
        return Unsup(f"the command {items[0]} is not supported")

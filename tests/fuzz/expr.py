"""The fuzzer's own structured form of a claim (a tiny expression tree) and its
rendering as the LaTeX/plain text `symderiv claim` reads. The reference
evaluates the tree; symderiv only ever sees the text. Nothing here imports symderiv."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any


class N:
    """One node: op, children, and one attribute slot (a letter, a number, indices...)."""

    __slots__ = ("op", "args", "a", "b")

    def __init__(self, op: str, args: tuple = (), a: Any = None, b: Any = None) -> None:
        self.op, self.args, self.a, self.b = op, tuple(args), a, b

    def with_args(self, args) -> N:
        return N(self.op, args, self.a, self.b)

    def __repr__(self) -> str:
        inner = ", ".join(repr(x) for x in self.args)
        extra = "" if self.a is None else f" {self.a!r}"
        extra += "" if self.b is None else f" {self.b!r}"
        return f"{self.op}{extra}({inner})"


# --- constructors (the vocabulary of the generator and the reference) -------------------------
def mat(name: str) -> N:
    return N("leaf", (), name, "M")  # an upper-case matrix letter


def vec(name: str) -> N:
    return N("leaf", (), name, "v")  # a lower-case (column) vector letter


def scal(name: str) -> N:
    return N("leaf", (), name, "s")  # a Greek scalar, e.g. 'alpha'


def num(v) -> N:
    return N("num", (), Fraction(v))


def ones() -> N:
    return N("ones")


def ident(size: int | None = None) -> N:
    return N("ident", (), size)  # I, its size inferred (or I_3)


def loss() -> N:
    return N("loss")


def T(x: N) -> N:
    return N("T", (x,))


def mm(x: N, y: N) -> N:
    return N("mm", (x, y))


def add(x: N, y: N) -> N:
    return N("add", (x, y))


def sub(x: N, y: N) -> N:
    return N("sub", (x, y))


def scale(s: N, x: N) -> N:
    return N("scale", (s, x))


def had(x: N, y: N) -> N:
    return N("had", (x, y))


def kron(x: N, y: N) -> N:
    return N("kron", (x, y))


def tr(x: N) -> N:
    return N("tr", (x,))


def frob(x: N, y: N) -> N:
    return N("frob", (x, y))


def norm2(x: N, suffix: str = "") -> N:
    return N("norm2", (x,), suffix)  # ‖x‖² (suffix '_F' or '_2' is notation only)


def vecop(x: N) -> N:
    return N("vec", (x,))


def grad(f: N, x: N) -> N:
    return N("grad", (f, x))  # ∂f/∂x, x a leaf; gradient convention (denominator layout)


def entry(x: N, *idx) -> N:
    return N("entry", (x,), tuple(idx))  # (x)_{ij} or x_i for a vector


def ssum(index: str, body: N, bound: str | None = None) -> N:
    return N("sum", (body,), index, bound)


def delta(i: str, j: str) -> N:
    return N("delta", (), (i, j))


def egrad(f: N, x: N, *idx) -> N:
    return N("egrad", (f, x), tuple(idx))  # ∂f/∂x_{pq}


def badd(m: N, b: N, mode: str) -> N:
    return N("badd", (m, b), mode)  # a bias broadcast: mode 'row' (one entry per column) or 'col'


def walk(n: N):
    yield n
    for c in n.args:
        yield from walk(c)


@dataclass
class Case:
    """One generated claim: the text symderiv reads and the structure the reference evaluates."""

    claim: str
    context: str | None
    lhs: N
    rhs: N
    intent: str  # 'true' or 'mutant' (a statistic only; the verdict is the reference's)
    family: str
    decls: dict[str, tuple] = field(default_factory=dict)  # letter -> (rows, cols) ints or size names
    sizes: dict[str, int] = field(default_factory=dict)  # named sizes N = 3
    defs: dict[str, N] = field(default_factory=dict)  # Y -> its definition; 'L' -> a concrete loss
    bias: str | None = None  # the bias letter of a layer context
    upstream: str | None = None  # the letter of dL/dY (G) when L is the abstract loss
    mutation: str | None = None
    output: str | None = None  # the defined output letter (Y) of a layer context


# --- rendering ------------------------------------------------------------------------------
GREEK = {"alpha": r"\alpha", "beta": r"\beta", "gamma": r"\gamma", "lambda": r"\lambda", "mu": r"\mu",
         "theta": r"\theta"}
NORMS = [(r"\|", r"\|"), (r"\|", r"\|"), (r"\lVert ", r" \rVert"), ("||", "||"), (r"\Vert ", r" \Vert")]
ATOM, POST, PROD, SUM = 4, 3, 2, 1
# bold Greek names for vector letters (bold: a vector, never a scalar); none is a Greek scalar of the generator
GREEK_VECTORS = {"a": "phi", "b": "psi", "c": "omega", "u": "rho", "v": "tau", "x": "epsilon", "y": "eta"}


class Render:
    """LaTeX text of a tree, with randomly chosen surface forms (seeded)."""

    def __init__(self, rng: random.Random, plain: bool = False) -> None:
        self.rng = rng
        self.plain = plain
        forms = [r"^\top", "^T", "^{\\top}", r"^\intercal", r"^{\mathsf{T}}", r"^{\mathsf T}", "^t", "ᵀ"]
        self.tsup = rng.choice(forms + (["^T", "'", ".T"] if plain else []))
        self.bold = not plain and rng.random() < 0.15
        self.trname = rng.choice([r"\operatorname{tr}", r"\mathrm{tr}", "tr", r"\operatorname{Tr}"] if not plain else ["tr"])
        self.tr_square = not plain and rng.random() < 0.2  # Tr[…]
        self.ones = rng.choice([r"\mathbf{1}", "𝟏", r"\mathbf{1}"])
        self.sq = not plain and rng.random() < 0.15  # ‖x‖² for ‖x‖^2
        self.greekvec = False  # vectors as bold Greek letters (set by the generator where no entry is written)
        self.comma = rng.random() < 0.3
        self.norm = rng.choice(NORMS)
        self.square_first = rng.random() < 0.15  # \|X\|^2_F
        self.decimal = rng.random() < 0.3  # 0.5 for 1/2
        self.times = rng.choice([" @ ", " * ", " "]) if plain else " "
        self.dform = rng.random()
        # backprop code's spellings (np.dot(A, B), X.t()) in some plain claims; chosen without drawing again,
        # so the other surface forms of a seed stay what they were
        self.code = plain and self.times == " @ " and self.dform < 0.5
        if self.code and self.tsup == ".T" and self.dform < 0.25:
            self.tsup = ".t()"

    def sub(self, idx) -> str:
        parts = [str(i) for i in idx]
        if len(parts) == 1:
            return "_{" + parts[0] + "}"
        return "_{" + (",".join(parts) if self.comma else "".join(parts)) + "}"

    def prec(self, n: N) -> int:
        if n.op in ("leaf", "ones", "ident", "loss", "tr", "frob", "norm2", "vec", "delta", "entry"):
            return ATOM
        if n.op == "num":
            return ATOM if n.a >= 0 and n.a.denominator == 1 else PROD
        if n.op == "T":
            return POST
        if n.op in ("mm", "scale", "had", "kron"):
            return PROD
        return SUM

    def paren(self, n: N) -> str:
        return "(" + self.text(n) + ")"

    def at(self, n: N, level: int) -> str:
        return self.text(n) if self.prec(n) >= level else self.paren(n)

    def text(self, n: N) -> str:
        op = n.op
        if op == "leaf":
            if n.a in GREEK:
                return GREEK[n.a]
            if self.greekvec and n.b == "v" and n.a in GREEK_VECTORS:
                return "\\boldsymbol{\\" + GREEK_VECTORS[n.a] + "}"
            if self.bold and len(n.a) == 1:
                return (r"\mathbf{" if n.a.isupper() else r"\boldsymbol{") + n.a + "}"
            return n.a
        if op == "num":
            v = n.a
            if v.denominator == 1:
                return str(v.numerator)
            if self.decimal and v.denominator in (2, 4, 5):
                return str(float(v))
            return rf"\frac{{{v.numerator}}}{{{v.denominator}}}"
        if op == "ones":
            return self.ones
        if op == "ident":
            return "I" if n.a is None else f"I_{{{n.a}}}"
        if op == "loss":
            return "L"
        if op == "T":
            x = n.args[0]
            inner = self.text(x) if x.op in ("leaf", "ones") and x.b != "s" else self.paren(x)
            return inner + self.tsup
        if op == "mm":
            x, y = n.args
            left = self.paren(x) if x.op in ("had", "kron", "sum", "add", "sub", "neg", "grad", "egrad") else self.at(x, PROD)
            right = self.text(y) if self.prec(y) >= POST or (y.op == "mm" and not self._risky(y)) else self.paren(y)
            if x.op == "entry" and y.op == "entry":
                return left + " " + right
            if self.code:
                self.rng.random()  # drawn as for the `\\cdot` choice below, so the seed's later draws stay the same
                fn = ("np.dot", "np.matmul", "torch.matmul", "torch.mm")[int(self.dform * 1000) % 4]
                return f"{fn}({self.text(x)}, {self.text(y)})"
            return left + (" \\cdot " if self.rng.random() < 0.1 else self.times) + right
        if op == "scale":
            s, x = n.args
            xs = self.text(x) if self.prec(x) >= POST or (x.op == "mm" and not self._risky(x)) else self.paren(x)
            return self.text(s) + " " + xs
        if op in ("had", "kron"):
            sym = r"\odot" if op == "had" else r"\otimes"
            x, y = n.args
            return self._tight(x) + f" {sym} " + self._tight(y)
        if op in ("add", "sub"):
            x, y = n.args
            sign = " + " if op == "add" else " - "
            right = self.text(y) if self.prec(y) >= PROD and not (y.op == "num" and y.a < 0) else self.paren(y)
            return self.text(x) + sign + right
        if op == "tr":
            if self.tr_square:
                return f"{self.trname}[{self.text(n.args[0])}]"
            return f"{self.trname}({self.text(n.args[0])})"
        if op == "frob":
            return rf"\langle {self.text(n.args[0])}, {self.text(n.args[1])} \rangle_F"
        if op == "norm2":
            lo, hi = self.norm
            if self.square_first and n.a:
                return f"{lo}{self.text(n.args[0])}{hi}^2{n.a}"
            return f"{lo}{self.text(n.args[0])}{hi}" + (n.a or "") + ("²" if self.sq and not n.a else "^2")
        if op == "vec":
            return rf"\operatorname{{vec}}({self.text(n.args[0])})"
        if op == "delta":
            return r"\delta" + self.sub(n.a)
        if op == "entry":
            x = n.args[0]
            if x.op == "leaf" and x.b in ("M", "v") and x.a not in ("L",):
                return x.a.lower() + self.sub(n.a)
            return self.paren(x) + self.sub(n.a)
        if op == "sum":
            lo = n.a if n.b is None else f"{n.a}=1"
            hi = "" if n.b is None else "^{" + n.b + "}"
            body = n.args[0]
            return rf"\sum_{{{lo}}}{hi} " + (self.text(body) if self.prec(body) >= PROD else self.paren(body))
        if op == "grad":
            f, x = n.args
            var = self.text(x)
            if f.op in ("leaf", "loss", "tr", "frob", "norm2", "entry", "vec") and self.rng.random() < 0.7:
                return rf"\frac{{\partial {self.text(f)}}}{{\partial {var}}}"
            if self.dform < 0.1 and x.op == "leaf":  # d/dx (f), ∂/∂x (f)
                d = "d" if self.dform < 0.05 else r"\partial "
                return f"{d}/{d}{var} ({self.text(f)})"
            if self.dform > 0.9 and x.op == "leaf":
                return rf"\frac{{d}}{{d{var}}} \left({self.text(f)}\right)"
            if self.rng.random() < 0.3:
                return rf"\nabla_{{{var}}} \left({self.text(f)}\right)"
            return rf"\frac{{\partial}}{{\partial {var}}} \left({self.text(f)}\right)"
        if op == "egrad":
            f, x = n.args
            var = x.a.lower() + self.sub(n.a)
            top = self.text(f) if f.op in ("leaf", "loss", "entry") else self.paren(f)
            return rf"\frac{{\partial {top}}}{{\partial {var}}}"
        raise ValueError(op)

    def _risky(self, n: N) -> bool:
        """A product whose parts print badly without brackets (sums, ⊙, numbers)."""
        return any(m.op in ("had", "kron", "scale", "num", "sum", "add", "sub") for m in walk(n))

    def _tight(self, x: N) -> str:
        return self.text(x) if self.prec(x) >= POST else self.paren(x)


def render(n: N, r: Render) -> str:
    return r.text(n)

"""The claim tree: a closed set of small frozen nodes, iterative walks over
them, and the reading of subscripts (`_{1,2}`, `_{ij}`) into index tokens."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Union

GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "eta": "η",
         "theta": "θ", "lambda": "λ", "mu": "μ", "rho": "ρ", "tau": "τ", "phi": "φ", "psi": "ψ", "omega": "ω",
         "sigma": "σ", "xi": "ξ", "zeta": "ζ", "kappa": "κ", "nu": "ν", "pi": "π", "chi": "χ", "iota": "ι",
         "varphi": "φ", "vartheta": "θ", "varrho": "ρ", "upsilon": "υ"}


@dataclass(frozen=True)
class Var:
    """A letter: a matrix (X), a vector (x), an entry (x_{1,2}, `sub` is the raw
    subscript), a Greek scalar or δ (style 'greek'), the loss L (letter 'L')."""

    letter: str
    sub: str | None = None
    style: str = "plain"  # plain | bold | greek


@dataclass(frozen=True)
class At:
    """(expr)_{i,j}: an entry of a matrix expression; `sub` is the raw subscript."""

    a: Node
    sub: str


@dataclass(frozen=True)
class Ones:
    """The all-ones vector 𝟏 (its length is inferred, or `size` from 𝟏_m, 𝟏_3)."""

    size: Any = None


@dataclass(frozen=True)
class Num:
    value: Fraction


@dataclass(frozen=True)
class Add:
    a: Node
    b: Node


@dataclass(frozen=True)
class Sub:
    a: Node
    b: Node


@dataclass(frozen=True)
class Neg:
    a: Node


@dataclass(frozen=True)
class Mul:
    """a times b; `op` is '' (juxtaposition), '*', '@', 'cdot', 'times', 'odot' or 'otimes'."""

    a: Node
    b: Node
    op: str = ""


@dataclass(frozen=True)
class Div:
    a: Node
    b: Node


@dataclass(frozen=True)
class Transpose:
    a: Node


@dataclass(frozen=True)
class Power:
    a: Node
    exp: int


@dataclass(frozen=True)
class Trace:
    """tr(a); `bare` when written without brackets (tr A)."""

    a: Node
    bare: bool = False


@dataclass(frozen=True)
class Frob:
    """⟨a, b⟩_F."""

    a: Node
    b: Node


@dataclass(frozen=True)
class Norm:
    """‖a‖ (the Frobenius or Euclidean norm); `squared` for ‖a‖²; `sub` '2' is the
    spectral norm for a matrix (not supported), Euclidean for a vector."""

    a: Node
    squared: bool = False
    sub: str | None = None


@dataclass(frozen=True)
class SumOp:
    """Σ over `vars` from `lo` to `hi` (ints or size names; None: over the index's range)."""

    vars: tuple[str, ...]
    lo: Any
    hi: Any
    body: Node


@dataclass(frozen=True)
class Deriv:
    """∂num/∂den (den is a Var); `kind` is 'partial' or 'nabla' (always the gradient);
    `open` for an operator before an unbracketed product (∂/∂x xᵀAx): a + after it is ambiguous."""

    num: Node
    den: Node
    kind: str = "partial"
    open: bool = False


@dataclass(frozen=True)
class DName:
    """`dW` alone: the gradient ∂L/∂W, as in backprop code (cs231n style)."""

    letter: str
    sub: str | None = None


@dataclass(frozen=True)
class MatrixLit:
    rows: tuple[tuple[Node, ...], ...]
    env: str = "bmatrix"


@dataclass(frozen=True)
class Unsup:
    """Something read but not evaluated; evaluating it makes the claim unchecked."""

    reason: str


@dataclass(frozen=True)
class Vec:
    """vec(a): the columns of a stacked into one column (column-major; row-major on request)."""

    a: Node


@dataclass(frozen=True)
class Diag:
    """diag(x): the square matrix with the vector x on its diagonal and zeros elsewhere."""

    a: Node


@dataclass(frozen=True)
class Mean:
    """A 2-D array's mean over an axis (NumPy's .mean(axis=…)): `a` is its sum over that axis (𝟏ᵀB or B𝟏),
    `b` the array B, whose size along the axis divides."""

    a: Node
    b: Node
    axis: int


@dataclass(frozen=True)
class Space:
    """ℝ^{D×M}: the shape a quantity is claimed to have (`x ∈ ℝ^{…}`); dims are ints or size names."""

    dims: tuple[Any, ...]


@dataclass(frozen=True)
class Apply:
    """f(a) applied entry by entry: an activation (σ, tanh, ReLU, exp, log) or a generic function (f, g, h);
    `order` is how many times it is differentiated (g'(z) is order 1)."""

    fn: str
    a: Node
    order: int = 0


@dataclass(frozen=True)
class Claim:
    """parts[0] rel[0] parts[1] rel[1] …; every link is checked. `bold`: the letters written
    bold (\\mathbf{y}, \\boldsymbol{\\beta} as β): a bold lower-case letter is a vector, never a scalar."""

    parts: tuple[Node, ...]
    rels: tuple[str, ...]
    bold: frozenset[str] = frozenset()


Node = Union[Var, At, Ones, Num, Add, Sub, Neg, Mul, Div, Transpose, Power, Trace, Frob, Norm, SumOp, Deriv, DName,
             MatrixLit, Vec, Diag, Mean, Space, Unsup, Apply]

CHILD_FIELDS = ("a", "b", "body", "num", "den")


def children(node: Any) -> list[Any]:
    """The direct sub-nodes of a node (matrix cells included)."""
    if isinstance(node, Claim):
        return list(node.parts)
    if isinstance(node, MatrixLit):
        return [c for row in node.rows for c in row]
    return [getattr(node, f) for f in CHILD_FIELDS if hasattr(node, f)]


def walk(node: Any) -> list[Any]:
    """Every node of the tree, parents before children (iterative)."""
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(reversed(children(n)))
    return out


def depth(node: Any) -> int:
    best, stack = 0, [(node, 1)]
    while stack:
        n, d = stack.pop()
        best = max(best, d)
        stack.extend((c, d + 1) for c in children(n))
    return best


# --- subscript / superscript contents -----------------------------------------

_STYLE = re.compile(r"\\(mathbf|boldsymbol|bm|mathrm|mathsf|text|textrm|rm|mathit|vec)\s*\{([^{}]*)\}")


def _ascii_digits(s: str) -> str:
    """x₁₂, x_{²}, x_{٣}: a digit of another script is the digit it stands for (never int() of it)."""
    if s.isascii():
        return s
    return "".join(str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c for c in s)


def strip_group(raw: str) -> str:
    """`_{1,2}` → `1,2`; `^\\top` → `\\top`; styles such as \\mathrm{T} → T; x₁₂ → `12`."""
    if raw[:1] in "₀₁₂₃₄₅₆₇₈₉":
        return _ascii_digits(raw)
    s = _ascii_digits(raw[1:].strip())
    if s.startswith("{") and s.endswith("}"):
        s = s[1:-1]
    s = _STYLE.sub(lambda m: m.group(2), s)
    return s.strip().strip("{}").strip()


def index_parts(content: str) -> list[str]:
    """Index tokens of a subscript: `1,2` → [1,2]; `ij` → [i,j]; `12` → [1,2]; `i j` → [i,j]."""
    s = content.replace("\\,", ",").strip()
    if "," in s:
        return [p.strip() for p in s.split(",")]
    if " " in s:
        return s.split()
    return list(s) if len(s) > 1 else [s]


_SLICE = re.compile(r"\s*(?:([A-Za-z0-9]+)\s*,\s*:|:\s*,\s*([A-Za-z0-9]+))\s*")


def slice_of(sub: str | None) -> tuple[str, str] | None:
    """A row or column of a matrix written as a slice: `i,:` → (i, "row"), `:,j` → (j, "col"); None otherwise."""
    if not sub or ":" not in sub:
        return None
    m = _SLICE.fullmatch(sub.replace("\\,", ","))
    if m is None:
        return None
    return (m.group(1), "row") if m.group(1) else (m.group(2), "col")


_SIZE_SUB = re.compile(r"([A-Za-z])\s*_\s*\{?\s*([A-Za-z0-9]+)\s*\}?")


def size_name(text: str) -> str | None:
    """A size written with a subscript (d_{out}, N_h, n_{in}) as one name (dout, Nh, nin); None if it is not one."""
    m = _SIZE_SUB.fullmatch(text.strip())
    return m.group(1) + m.group(2) if m else None

"""The context a claim is read in: definitions (Y = X W + b), declared shapes
(X: 2x3, X: NxD), named sizes (N = 2), numbered names (W_1 → W₁), the default
layer A = ZW + B and which claims it is the context of.

`L` is any loss whose gradient with respect to the defined output is the
upstream gradient G (g_{i,j} free symbols); G is declared automatically."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any

from ..errors import BadInput, long_number
from .parser import ClaimParseError, parse
from .tree import Deriv, DName, Var, size_name, walk

MAX_SIZE = 12
DEFAULT_SIZES = {"m": 3, "k": 2, "n": 4}
DEFAULT_CONTEXT = "A = Z W + B, Z: m x k, W: k x n, B: 1 x n"
LAYER_CONTEXTS = {  # the default layer, by the layout names `verify` uses
    "zw": DEFAULT_CONTEXT,
    "zwt": "A = Z W^T + B, Z: m x k, W: n x k, B: 1 x n",  # PyTorch's nn.Linear stores W as n×k
}
LAYER_LETTERS = {"Z", "G", "L"}
LAYER_ENTRIES = {"z", "g"}

Dim = Any  # int or a size name


@dataclass
class Context:
    """Everything a claim may refer to besides its own free letters."""

    text: str
    sizes: dict[str, int] = field(default_factory=dict)  # declared sizes only: N = 2, --m 3
    shapes: dict[str, tuple[Dim, ...]] = field(default_factory=dict)
    scalars: set[str] = field(default_factory=set)
    elementwise: set[str] = field(default_factory=set)  # generic functions read entry by entry (g: elementwise)
    defs: list[tuple[str, Any]] = field(default_factory=list)
    upstream: str | None = None
    loss: Any = None  # a concrete loss L = … (else L is any loss with upstream gradient G)
    named: set[str] = field(default_factory=set)  # sizes the context itself names (N = 2)
    numbered: set[tuple[str, str]] = field(default_factory=set)  # W_1, b_2: names of their own (W₁, b₂)

    @property
    def output(self) -> str | None:
        return self.defs[-1][0] if self.defs else None

    @property
    def size_names(self) -> set[str]:
        """The sizes the context names itself: N in X: N x D, and N = 5."""
        return {d for dims in self.shapes.values() for d in dims if isinstance(d, str)} | self.named | set(self.sizes)

    @property
    def defined(self) -> list[str]:
        return [letter for letter, _ in self.defs]

    def describe(self) -> str:
        return self.text or "no context (every letter is a free matrix)"


def _split(text: str) -> list[str]:
    """Items separated by ';', newlines, or commas outside brackets."""
    items, depth, cur = [], 0, ""
    for ch in text:
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
        if (ch in ";\n" or (ch == "," and depth == 0)):
            items.append(cur)
            cur = ""
            continue
        cur += ch
    items.append(cur)
    return [i.strip() for i in items if i.strip()]


_GREEK_NAMES = "alpha|beta|gamma|theta|mu|lambda|sigma|phi|omega|eta|tau|rho|psi"
_SHAPE = re.compile(r"^\s*([A-Za-z](?:_\{?[0-9]\}?)?|\\(?:" + _GREEK_NAMES + r"))\s*:\s*(.+?)\s*$")
_IN_R = re.compile(r"^\s*([A-Za-z])\s*\\in\s*\\mathbb\s*\{?R\}?\s*\^\s*\{?(.+?)\}?\s*$")
_SIZE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*([0-9]+)\s*$")
_DIMSEP = re.compile(r"\s*(?:\\times|×|\*|,|x(?=\s*[0-9A-Za-z]))\s*")


def read_dims(text: str, what: str) -> tuple[Dim, ...]:
    """'2x3', 'N x D', 'N\\times D', '3' → a tuple of ints and size names."""
    s = text.strip().strip("{}").strip()
    parts = [p for p in _DIMSEP.split(s) if p != ""]
    if not parts or len(parts) > 2:
        raise BadInput(f"cannot read the shape {text!r} of {what}", hint="write it as 2x3 or N x D")
    dims: list[Dim] = []
    for p in parts:
        p = p.strip()
        if p.isdigit():
            if not 1 <= int(p) <= MAX_SIZE:
                raise BadInput(f"the size {p} of {what} is out of range", hint=f"sizes go from 1 to {MAX_SIZE}")
            dims.append(int(p))
        elif re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", p):
            dims.append(p)
        elif size_name(p):
            dims.append(size_name(p))  # d_{out}: the size dout
        else:
            raise BadInput(f"cannot read the size {p!r} of {what}")
    return tuple(dims)


def _check_size(name: str, value: int) -> int:
    if not 1 <= value <= MAX_SIZE:
        raise BadInput(f"the size {name} = {value} is out of range", hint=f"sizes go from 1 to {MAX_SIZE}")
    return value


def build_context(text: str | None, sizes: dict[str, int] | None = None,
                  shapes: dict[str, Any] | None = None) -> Context:
    """Read a context string; `sizes` are the --m/--k/--n a person gave (named m, k, n;
    those not given are chosen by symderiv); `shapes` adds size names (int values) and
    letter shapes (tuples) from the Python API. A size name without a value (X: N x D)
    is a size symderiv chooses and varies."""
    too_long = long_number(text or "")
    if too_long:
        raise BadInput(f"cannot read the context: {too_long}")
    ctx = Context(text=(text or "").strip())
    ctx.sizes.update({k: _check_size(k, v) for k, v in (sizes or {}).items() if v is not None})
    for key, value in (shapes or {}).items():
        if isinstance(value, int) and not isinstance(value, bool):
            ctx.sizes[key] = _check_size(key, value)
            ctx.named.add(key)
        elif isinstance(value, (tuple, list)) and re.fullmatch(r"[A-Za-z]", str(key)):
            ctx.shapes[key] = tuple(v if isinstance(v, str) else _check_size(key, int(v)) for v in value)
        else:
            raise BadInput(f"cannot use the shape entry {key!r}: {value!r}")
    for item in _split(ctx.text):
        _read_item(ctx, item)
    if ctx.loss is not None:
        if ctx.upstream is not None:
            raise BadInput("the context defines L, so ∂L/∂(output) is computed; drop the upstream name "
                           f"{ctx.upstream} and write ∂L/∂Y")
        if not ctx.defs:
            raise BadInput("the context defines L but no output; add a definition such as Y = X W")
    elif ctx.defs and ctx.upstream is None:
        used = {v.letter for _, e in ctx.defs for v in walk(e) if isinstance(v, Var)} | set(ctx.defined)
        if "G" in used:
            raise BadInput("G names the upstream gradient ∂L/∂(output); use another letter in the context")
        ctx.upstream = "G"
    return ctx


def _read_item(ctx: Context, item: str) -> None:
    m = _SIZE.match(item)
    if m:
        ctx.sizes[m.group(1)] = _check_size(m.group(1), int(m.group(2)))
        ctx.named.add(m.group(1))
        return
    m = _SHAPE.match(item) or _IN_R.match(item)
    if m:
        letter, spec = m.group(1).lstrip("\\"), m.group(2)
        if "_" in letter:
            digit = letter.strip("}")[-1]
            ctx.numbered.add((letter[0], digit))
            letter = numbered_name(letter[0], digit)
        if spec.strip() == "elementwise":  # g: elementwise — a generic function applied entry by entry
            ctx.elementwise.add(letter)
            return
        if spec.strip() in ("scalar", "1x1"):
            ctx.scalars.add(letter)
            return
        dims = read_dims(spec, letter)
        if len(dims) == 1:
            dims = (dims[0], 1)
        ctx.shapes[letter] = dims
        return
    if "=" not in item:
        raise BadInput(f"cannot read the context item {item!r}",
                       hint="use definitions such as Y = X W + b, shapes such as X: 2x3, sizes such as N = 2")
    try:
        claim = parse(item)
    except ClaimParseError as exc:
        raise BadInput(f"cannot read the context item {item!r}: {exc}") from None
    if len(claim.parts) != 2 or claim.rels[0] not in ("=", ":=") or not isinstance(claim.parts[0], Var):
        raise BadInput(f"the context item {item!r} is not a definition such as Y = X W + b")
    ctx.numbered |= {(v.letter, v.sub) for v in walk(claim) if _is_numbered(v)}
    lhs, rhs = renumber(claim.parts[0], ctx.numbered), renumber(claim.parts[1], ctx.numbered)
    letter = lhs.letter
    is_upstream = isinstance(rhs, Deriv) and isinstance(rhs.num, Var) and rhs.num.letter == "L"
    if is_upstream and lhs.style == "greek" and lhs.sub is None:
        ctx.upstream = letter  # δ = ∂L/∂Y: the upstream gradient under a Greek name
        return
    if letter == "L" and lhs.sub is None and lhs.style == "plain":
        if any(isinstance(v, Var) and v.letter == "L" for v in walk(rhs)):
            raise BadInput("L cannot be defined in terms of itself")
        ctx.loss = rhs  # a concrete loss, such as L = \frac{1}{2}\|Y - T\|_F^2
        return
    if not re.fullmatch(r"[A-Za-z][\u0302\u0303\u0304\u2080-\u2089]?", letter) or letter == "L" or lhs.style != "plain":
        raise BadInput(f"the context item {item!r} must define a matrix (Y = …) or a vector (y = …), not L")
    if lhs.sub:
        if not re.search(r"\\times|×", lhs.sub):
            raise BadInput(f"the context item {item!r} defines an entry; define the whole matrix")
        ctx.shapes[letter] = read_dims(lhs.sub, letter)
    if isinstance(rhs, Deriv) and isinstance(rhs.num, Var) and rhs.num.letter == "L":
        ctx.upstream = letter  # G = dL/dY names the upstream gradient
        return
    if letter in ctx.defined:
        raise BadInput(f"{letter} is defined twice in the context")
    ctx.defs.append((letter, rhs))


_SUBDIGITS = "₀₁₂₃₄₅₆₇₈₉"


def numbered_name(letter: str, digit: str) -> str:
    """W_1 in a context (a two-layer net: H = X W_1 + b_1) is a matrix of its own, W₁."""
    return letter + _SUBDIGITS[int(digit)]


def _is_numbered(v: Any) -> bool:
    return isinstance(v, Var) and v.style == "plain" and v.sub is not None and re.fullmatch(r"[0-9]", v.sub) is not None


def renumber(node: Any, numbered: set[tuple[str, str]]) -> Any:
    """The tree with every W_1 the context names as a matrix (or vector) read as W₁."""
    if not numbered:
        return node
    if isinstance(node, Var):
        return Var(numbered_name(node.letter, node.sub), None, node.style) if (node.letter, node.sub) in numbered \
            else node
    if isinstance(node, DName) and (node.letter, node.sub) in numbered:
        return DName(numbered_name(node.letter, node.sub), None)
    if isinstance(node, tuple):
        return tuple(renumber(x, numbered) for x in node)
    if not is_dataclass(node):
        return node
    changes = {f.name: renumber(getattr(node, f.name), numbered) for f in fields(node)}
    return replace(node, **changes)


def dname_case(node: Any, ctx: Context) -> Any:
    """dX where the context names x and not X (code and notes write dX, dY for a lower-case batch x, y): the
    gradient of the name the context has. Nothing changes when the context names both, or neither."""
    known = set(ctx.shapes) | set(ctx.defined) | set(ctx.scalars)
    if isinstance(node, DName):
        other = node.letter.swapcase()
        if node.sub is None and len(node.letter) == 1 and node.letter not in known and other in known:
            return DName(other, None)
        return node
    if isinstance(node, tuple):
        return tuple(dname_case(x, ctx) for x in node)
    if not is_dataclass(node):
        return node
    return replace(node, **{f.name: dname_case(getattr(node, f.name), ctx) for f in fields(node)})


def mentions_layer(claim: Any) -> bool:
    """Whether a claim with no --context is about the default layer A = ZW + B: it names
    the loss, the upstream gradient or the input (L, G, Z, their entries, dW), or takes a
    derivative of A. W alone does not: ∂tr(WᵀA)/∂W = A is about free matrices A and W."""
    for node in walk(claim):
        if isinstance(node, Var) and node.style != "greek":
            if node.letter in LAYER_LETTERS or (node.sub and node.letter in LAYER_ENTRIES):
                return True
        if type(node).__name__ == "DName":
            return True
        if isinstance(node, Deriv) and isinstance(node.num, Var) and node.num.letter in ("A", "a") \
                and any(isinstance(v, Var) and v.letter in ("W", "w", "Z", "z", "B", "b") for v in walk(node.den)):
            return True
    return False


LAYER_KNOWN = {"A", "B", "Z", "W", "G", "L", "I", "E"}


def foreign_letters(claim: Any) -> list[str]:
    """Matrix letters a claim read in the default layer uses that the layer does not have
    (∂L/∂W = Xᵀ G: the author's input is X, the layer's is Z)."""
    out: list[str] = []
    for node in walk(claim):
        if isinstance(node, Var) and node.style == "plain" and len(node.letter) >= 1:
            owner = node.letter if node.sub is None else node.letter.upper()
            if node.sub is None and not node.letter.isupper():
                continue  # a vector: ∂L/∂b says L does not depend on b
            if owner not in LAYER_KNOWN and owner not in out:
                out.append(owner)
    return out

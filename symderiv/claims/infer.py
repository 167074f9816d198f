"""Shape inference: every matrix and vector letter, 𝟏, I and E_{pq} gets its
dimensions from the context, the products it sits in, and distinct default
sizes for whatever is left (never square by default).

Dimensions are union-find classes. Two classes with different known sizes are
never merged: the evaluator then meets the mismatch and reports it as
ill-formed, with the shapes. Equated sides are unified only softly (to size
𝟏, I and E_{pq}), so a claim cannot make itself type-check by forcing squares."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .context import Context
from .tree import (
    Add,
    At,
    Claim,
    Deriv,
    Div,
    DName,
    Frob,
    MatrixLit,
    Mul,
    Neg,
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
)

DEFAULT_POOL = (3, 2, 4, 5, 6, 7, 8, 9)
ANNOTATION = re.compile(r"\\times|×")


class Classes:
    """Union-find over dimensions: a root knows its literal size, its names, whether
    it only sizes helpers (𝟏, I, E), and when it was created."""

    def __init__(self, sizes: dict[str, int]) -> None:
        self.sizes = sizes
        self.parent: list[int] = []
        self.lit: list[int | None] = []
        self.names: list[set[str]] = []
        self.helper: list[bool] = []
        self.by_name: dict[str, int] = {}

    def new(self, lit: int | None = None, name: str | None = None, helper: bool = False) -> int:
        if name is not None and name in self.by_name:
            return self.by_name[name]
        i = len(self.parent)
        self.parent.append(i)
        self.lit.append(lit)
        self.names.append({name} if name else set())
        self.helper.append(helper)
        if name is not None:
            self.by_name[name] = i
        return i

    def dim(self, d: Any, helper: bool = False) -> int:
        return self.new(lit=d) if isinstance(d, int) else self.new(name=d)

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def value(self, i: int) -> int | None:
        r = self.find(i)
        if self.lit[r] is not None:
            return self.lit[r]
        for name in sorted(self.names[r]):
            if name in self.sizes:
                return self.sizes[name]
        return None

    def union(self, a: int, b: int, soft: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if soft and not (self.helper[ra] or self.helper[rb]):
            return False
        va, vb = self.value(ra), self.value(rb)
        if va is not None and vb is not None and va != vb:
            return False
        lo, hi = min(ra, rb), max(ra, rb)
        self.parent[hi] = lo
        self.lit[lo] = self.lit[lo] if self.lit[lo] is not None else self.lit[hi]
        self.names[lo] |= self.names[hi]
        self.helper[lo] = self.helper[lo] and self.helper[hi]
        return True


@dataclass
class Typing:
    """The outcome of inference: classes for every letter and helper node."""

    classes: Classes
    one: int
    matrices: dict[str, tuple[int, int]] = field(default_factory=dict)
    vectors: set[str] = field(default_factory=set)
    scalars: set[str] = field(default_factory=set)
    helpers: dict[int, tuple[int, ...]] = field(default_factory=dict)  # id(node) → dims
    unresolved: list[int] = field(default_factory=list)
    claim_defaults: list[int] = field(default_factory=list)  # sizes the claim alone left open
    entry_dims: dict[int, tuple[int, ...]] = field(default_factory=dict)  # id((expr)_{ij}) → expr's dims
    biases: set[str] = field(default_factory=set)  # vectors added to a matrix (broadcast; orientation is notation)

    def shape(self, letter: str, sizes: dict[str, int]) -> tuple[int, int]:
        return tuple(self.size(c, sizes) for c in self.matrices[letter])  # type: ignore[return-value]

    def size(self, cls: int, sizes: dict[str, int]) -> int:
        c = self.classes
        r = c.find(cls)
        if c.lit[r] is not None:
            return c.lit[r]  # type: ignore[return-value]
        for name in sorted(c.names[r]):
            if name in sizes:
                return sizes[name]
        raise KeyError(cls)

    def named_roots(self) -> list[int]:
        """Classes whose size comes from a name (and may be varied)."""
        c = self.classes
        roots = sorted({c.find(i) for i in range(len(c.parent))})
        return [r for r in roots if c.lit[r] is None and c.names[r]]


class Infer:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.c = Classes(dict(ctx.sizes))
        self.t = Typing(self.c, self.c.new(lit=1))
        self.t.scalars = set(ctx.scalars)
        self.bare_vectors: set[str] = set()
        self.pending: list[tuple[tuple[int, ...], tuple[int, ...]]] = []

    # --- letters ---
    def matrix(self, letter: str) -> tuple[int, int]:
        if letter not in self.t.matrices:
            dims = self.ctx.shapes.get(letter)
            if dims is not None:
                self.t.matrices[letter] = (self.c.dim(dims[0]), self.c.dim(dims[1]))
            else:
                self.t.matrices[letter] = (self.c.new(), self.c.new())
        return self.t.matrices[letter]

    def vector(self, letter: str) -> tuple[int, int]:
        if letter not in self.t.matrices:
            self.t.vectors.add(letter)
        return self.matrix(letter)

    def owner(self, letter: str) -> str:
        """Which letter an entry such as x_{1,2} belongs to."""
        if letter.islower() and (letter in self.t.vectors or letter in self.ctx.shapes):
            return letter
        return letter.upper()

    def var(self, node: Var) -> tuple[int, ...] | None:
        L, sub = node.letter, node.sub
        if node.style == "greek":
            if L == self.ctx.upstream and L in self.t.matrices:
                return self.t.matrices[L] if sub is None else ()
            return ()
        if sub is not None and ANNOTATION.search(sub):
            dims = self.matrix(L)
            from .context import read_dims

            try:
                ann = read_dims(sub, L)
            except Exception:  # noqa: BLE001 - an unreadable annotation is just ignored
                return dims
            if len(ann) == 2:
                for d, a in zip(dims, ann):
                    if isinstance(a, int) or a in self.c.sizes:
                        self.c.union(d, self.c.dim(a))
            return dims
        if sub is None:
            if L == "L" and self.ctx.output is not None:
                return ()
            if L in self.t.scalars:
                return ()
            if L.isupper():
                if L == "I" and L not in self.t.matrices and "I" not in self.ctx.shapes:
                    r = self.c.new(helper=True)
                    self.t.helpers[id(node)] = (r, r)
                    return (r, r)
                return self.matrix(L)
            self.bare_vectors.add(L)
            return self.vector(L)
        # with a subscript
        if L.isupper() and L not in self.t.matrices and L not in self.ctx.shapes and L not in self.ctx.defined:
            if L == "I":
                r = self.c.dim(sub) if re.fullmatch(r"[0-9]+|[A-Za-z]", sub) else self.c.new(helper=True)
                if isinstance(sub, str) and sub.isdigit():
                    r = self.c.new(lit=int(sub))
                self.t.helpers[id(node)] = (r, r)
                return (r, r)
            if L == "E":
                dims = (self.c.new(helper=True), self.c.new(helper=True))
                self.t.helpers[id(node)] = dims
                return dims
        self.matrix(self.owner(L)) if L.islower() else self.matrix(L)
        return ()

    # --- the walk ---
    def shape(self, node: Any) -> tuple[int, ...] | None:  # noqa: C901 - one case per node type
        c = self.c
        if isinstance(node, Var):
            return self.var(node)
        if isinstance(node, (Num,)):
            return ()
        if isinstance(node, Ones):
            if isinstance(node.size, str) and node.size not in c.by_name and node.size not in self.ctx.named:
                return None  # 𝟏_N with a size nothing names: evaluating it says so
            dims = (c.new(helper=True) if node.size is None else c.dim(node.size), self.t.one)
            self.t.helpers[id(node)] = dims
            return dims
        if isinstance(node, Unsup):
            return None
        if isinstance(node, (Add, Sub)) or (isinstance(node, Mul) and node.op == "odot"):
            sa, sb = self.shape(node.a), self.shape(node.b)
            if sa is None or sb is None:
                return None
            if len(sa) != len(sb):
                return sa if len(sa) > len(sb) else sb
            if len(sa) == 2:
                for x in (node.a, node.b):
                    sx, sy = (sa, sb) if x is node.a else (sb, sa)
                    if isinstance(x, Var) and x.sub is None and x.letter in self.bare_vectors \
                            and c.value(sx[0]) is None and c.value(sx[1]) is None:
                        self.pending.append((sx, sy))  # a bias: a row or a column, decided at the end
                        self.t.biases.add(x.letter)
                        return sy
                if c.value(sa[0]) == 1 and c.value(sb[0]) not in (None, 1):
                    c.union(sa[1], sb[1])
                    return sb
                if c.value(sb[0]) == 1 and c.value(sa[0]) not in (None, 1):
                    c.union(sa[1], sb[1])
                    return sa
            for x, y in zip(sa, sb):
                c.union(x, y)
            return sa
        if isinstance(node, Neg):
            return self.shape(node.a)
        if isinstance(node, Mul):
            sa, sb = self.shape(node.a), self.shape(node.b)
            if sa is None or sb is None or node.op == "otimes":
                for x in (node.a, node.b):  # a bare I beside ⊗ has no size to infer
                    if isinstance(x, Var) and x.letter == "I" and x.sub is None and id(x) in self.t.helpers:
                        self.t.helpers[id(x)] = ()
                return None
            if sa == ():
                return sb
            if sb == ():
                return sa
            if len(sa) == 2 and len(sb) == 2:
                c.union(sa[1], sb[0])
                return (sa[0], sb[1])
            return None
        if isinstance(node, Div):
            sa = self.shape(node.a)
            self.shape(node.b)
            return sa
        if isinstance(node, Transpose):
            sa = self.shape(node.a)
            return (sa[1], sa[0]) if sa is not None and len(sa) == 2 else sa
        if isinstance(node, Power):
            sa = self.shape(node.a)
            if sa is not None and len(sa) == 2:
                c.union(sa[0], sa[1])
            return sa
        if isinstance(node, Trace):
            sa = self.shape(node.a)
            if sa is not None and len(sa) == 2:
                c.union(sa[0], sa[1])
            return ()
        if isinstance(node, Frob):
            sa, sb = self.shape(node.a), self.shape(node.b)
            if sa is not None and sb is not None and len(sa) == len(sb):
                for x, y in zip(sa, sb):
                    c.union(x, y)
            return ()
        if isinstance(node, At):
            sa = self.shape(node.a)
            if sa is not None and len(sa) == 2:
                self.t.entry_dims[id(node)] = sa
            return ()
        if isinstance(node, Space):
            return None
        if isinstance(node, Vec):
            self.shape(node.a)
            return None
        if isinstance(node, Norm):
            self.shape(node.a)
            return ()
        if isinstance(node, SumOp):
            return self.shape(node.body)
        if isinstance(node, DName):
            return self.shape(Var(node.letter, node.sub))
        if isinstance(node, Deriv):
            sn, sd = self.shape(node.num), self.shape(node.den)
            if sn is None or sd is None:
                return None
            if sn == ():
                return sd
            if sd == ():
                return sn
            return sn + sd
        if isinstance(node, MatrixLit):
            for row in node.rows:
                for cell in row:
                    self.shape(cell)
            return (c.new(lit=len(node.rows)), c.new(lit=len(node.rows[0])))
        return None

    def claim(self, claim: Claim) -> None:
        shapes = [self.shape(p) for p in claim.parts]
        for sa, sb in zip(shapes, shapes[1:]):
            if sa is not None and sb is not None and len(sa) == len(sb):
                for x, y in zip(sa, sb):
                    self.c.union(x, y, soft=True)


def infer(ctx: Context, claim: Claim) -> Typing:
    """Shapes for the context's letters and the claim's, with defaults filled in."""
    inf = Infer(ctx)
    c = inf.c
    for letter, dims in ctx.shapes.items():
        if letter.islower() and len(dims) == 2 and 1 in dims:
            inf.vector(letter)
        else:
            inf.matrix(letter)
    for letter, expr in ctx.defs:
        if letter.islower():
            inf.t.vectors.add(letter)
        s = inf.shape(expr)
        if s is not None and len(s) == 2:
            if letter in inf.t.matrices:
                for x, y in zip(inf.t.matrices[letter], s):
                    c.union(x, y)
            else:
                inf.t.matrices[letter] = (s[0], s[1])
        elif s == ():
            inf.t.scalars.add(letter)
    if ctx.loss is not None:
        inf.shape(ctx.loss)
    if ctx.upstream and ctx.output in inf.t.matrices:
        inf.t.matrices[ctx.upstream] = inf.t.matrices[ctx.output]
    pool = _pool(inf)
    _finalize(inf, pool)  # the context's shapes are fixed before the claim is read
    inf.claim(claim)
    _finalize(inf, pool, claim_phase=True)
    return inf.t


def _pool(inf: Infer) -> list[tuple[str, int]]:
    c, sizes = inf.c, inf.ctx.sizes
    defaults = [("m", sizes.get("m")), ("k", sizes.get("k")), ("n", sizes.get("n"))]
    if any(name not in ("m", "k", "n") for name in c.by_name):
        defaults = []  # the context names its own sizes (N x D): m, k, n would be names it never gave
    pool = [(name, v) for name, v in defaults if v is not None and name not in c.by_name]
    return pool + [(f"_{v}", v) for v in DEFAULT_POOL]


def _finalize(inf: Infer, pool: list[tuple[str, int]], claim_phase: bool = False) -> None:
    """Orient vectors (columns; a vector added to a matrix is a row broadcast over
    its rows, a bias; added to a column it is a column), then give every class
    nothing determined a distinct default size, in order of appearance."""
    c = inf.c
    biases = {id(sx) for sx, _ in inf.pending}
    for v in sorted(inf.t.vectors):
        if id(inf.t.matrices[v]) in biases:
            continue
        r, col = inf.t.matrices[v]
        if c.value(r) != 1 and c.value(col) != 1:
            c.union(col, inf.t.one)
    for sx, sy in inf.pending:
        if c.value(sy[1]) == 1:
            c.union(sx[0], sy[0])
            c.union(sx[1], inf.t.one)
            inf.t.biases -= {v for v in inf.t.vectors if inf.t.matrices[v] is sx}  # y = Wx + b: a column
        else:
            c.union(sx[0], inf.t.one)
            c.union(sx[1], sy[1])
    inf.pending.clear()
    for v in sorted(inf.t.vectors):
        r, col = inf.t.matrices[v]
        if c.value(r) != 1 and c.value(col) != 1:
            c.union(col, inf.t.one)
    used = {c.value(i) for i in range(len(c.parent))} - {None}
    literal = {c.lit[c.find(i)] for i in range(len(c.parent)) if c.find(i) != c.find(inf.t.one)} - {None}
    for i in range(len(c.parent)):
        r = c.find(i)
        if c.value(r) is not None:
            continue
        inf.t.unresolved.append(r)
        if claim_phase:
            inf.t.claim_defaults.append(r)
        while pool:
            name, v = pool.pop(0)
            # a default never repeats a size the context wrote (X: 2 x 3 makes no 3×3 W); --m --k --n are kept
            if v in (used if name.startswith("_") else literal):
                continue
            c.sizes[name] = v
            c.names[r].add(name)
            c.by_name[name] = r
            used.add(v)
            break
        else:
            c.lit[r] = 2

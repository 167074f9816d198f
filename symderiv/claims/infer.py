"""Shape inference: every matrix and vector letter, 𝟏, I and E_{pq} gets its
dimensions from the context and the products it sits in; every dimension's size
is declared (by a person) or chosen (listed in `Typing.chosen`, given values by
decide.py), and a letter that could only be of size 1 is listed in `Typing.forced`.

Dimensions are union-find classes. Two classes with different known sizes are
never merged: the evaluator then meets the mismatch and reports it as
ill-formed, with the shapes. Equated sides are unified only softly (to size
𝟏, I and E_{pq}), so a claim cannot make itself type-check by forcing squares."""

from __future__ import annotations

import re
from typing import Any

from .bias import bias_axis
from .classes import Classes
from .context import Context
from .context_kinds import beside_lower_matrices, lower_matrix, upper_biases
from .kinds import kind_of
from .tree import (
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
    Mean,
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
    slice_of,
    walk,
)
from .typed import ANNOTATION, Typing  # noqa: F401 - re-exported: the outcome of inference


class Infer:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.c = Classes(dict(ctx.sizes))
        self.t = Typing(self.c, self.c.new(lit=1, declared=False))  # the 1 of a vector's orientation
        self.t.scalars = set(ctx.scalars)
        self.bare_vectors: set[str] = set()
        self.pending: list[tuple[tuple[int, ...], tuple[int, ...], str | None]] = []
        self.orient: dict[str, int] = {}  # vector → which of its dims is the 1 of its orientation
        self.ties: dict[str, Any] = {}  # vector → the node that tied its length to its width
        self.rows: set[str] = set()  # vectors the claim could only read as rows
        self.upper_biases = upper_biases(ctx)

    def tie(self, a: int, b: int, node: Any) -> None:
        """Unify two dimensions because of `node`; remember a vector whose two dims it ties."""
        c = self.c
        if c.find(a) == c.find(b):
            return
        loose = [v for v in self.t.vectors if v not in self.ties and v in self.t.matrices
                 and c.find(self.t.matrices[v][0]) != c.find(self.t.matrices[v][1])
                 and not (c.value(self.t.matrices[v][0]) == 1 and c.value(self.t.matrices[v][1]) == 1)]
        c.union(a, b)
        for v in loose:
            r, col = self.t.matrices[v]
            if c.find(r) == c.find(col):
                self.ties[v] = node

    # --- letters ---
    def matrix(self, letter: str) -> tuple[int, int]:
        if letter not in self.t.matrices:
            dims = self.ctx.shapes.get(letter)
            if dims is not None and letter.islower() and 1 in dims and dims != (1, 1):
                # a declared vector (x: 3, x: 1x3): its 1 is the orientation, not a size anybody chose
                side = 1 if dims[1] == 1 else 0
                pair = [self.c.dim(dims[0]), self.c.dim(dims[1])]
                pair[side] = self.t.one
                self.t.matrices[letter] = (pair[0], pair[1])
                self.orient[letter] = side
            elif dims is not None:
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

    def known(self, i: int) -> bool:
        """A size fixed, or named (the context's sizes are named before the claim is read)."""
        return self.c.value(i) is not None or bool(self.c.names[self.c.find(i)])

    def bare_vector(self, node: Any) -> bool:
        return isinstance(node, Var) and node.sub is None and node.letter in self.bare_vectors

    def column(self, node: Any, dims: tuple[int, ...]) -> bool:
        """Whether a vector-shaped node is a column: its second size is 1, it is a bare vector, the notation
        makes it one (2x, x − y), or it is the gradient of a scalar by a bare vector (∂f/∂x, inside a Hessian)."""
        if self.c.value(dims[1]) == 1 or self.bare_vector(node):
            return True
        if isinstance(node, Deriv):
            return self.bare_vector(node.den) and kind_of(node.num, self.scalar_letter) == "scalar"
        return isinstance(node, (Mul, Add, Sub, Neg)) and kind_of(node, self.scalar_letter) == "col"

    def var(self, node: Var) -> tuple[int, ...] | None:
        L, sub = node.letter, node.sub
        if node.style == "greek":
            if (L == self.ctx.upstream or L in self.ctx.shapes) and L in self.t.matrices:
                return self.t.matrices[L] if sub is None else ()  # δ = ∂L/∂Y, or β: 3 declared a vector
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
                    self.c.union(d, self.c.dim(a))
            return dims
        if sub is None:
            if L == "L" and self.ctx.output is not None:
                return ()
            if L in self.t.scalars:
                return ()
            if L in self.upper_biases:  # A = ZW + B: this project's bias row, B with no shape of its own
                self.bare_vectors.add(L)
                return self.vector(L)
            if L.isupper():
                if L == "I" and L not in self.t.matrices and "I" not in self.ctx.shapes:
                    r = self.c.new(helper=True)
                    self.t.helpers[id(node)] = (r, r)
                    return (r, r)
                return self.matrix(L)
            self.bare_vectors.add(L)
            return self.vector(L)
        # with a subscript
        sl = slice_of(sub)
        if sl is not None and node.style != "greek" and L.isupper():  # X_{i,:}: a row of X; X_{:,j}: a column
            r, c = self.matrix(L)
            return (self.t.one, c) if sl[1] == "row" else (r, self.t.one)
        if L.isupper() and L not in self.t.matrices and L not in self.ctx.shapes and L not in self.ctx.defined:
            if L == "I":
                if re.fullmatch(r"[0-9]+", sub):  # I_3: the literal size (no class named "3" left over)
                    r = self.c.new(lit=int(sub))
                else:
                    r = self.c.dim(sub) if re.fullmatch(r"[A-Za-z]", sub) else self.c.new(helper=True)
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
            for s_this, n_this in ((sa, node.a), (sb, node.b)):
                if len(s_this) == 2 and not isinstance(n_this, Var) and kind_of(n_this, self.scalar_letter) == "scalar":
                    c.union(s_this[0], self.t.one)  # wᵀx − y: the 1×1 product is a scalar
                    c.union(s_this[1], self.t.one)
            if len(sa) != len(sb):
                return sa if len(sa) > len(sb) else sb
            if len(sa) == 2 and isinstance(node, Add):  # a bias is added (‖Xβ − y‖: y is a target, not a bias)
                for x, y, sx, sy in ((node.a, node.b, sa, sb), (node.b, node.a, sb, sa)):
                    if self.bare_vector(x) and not self.bare_vector(y) \
                            and c.value(sx[0]) is None and c.value(sx[1]) is None:
                        # a bias: broadcast over the batch; which way is read off the product it is added to
                        self.pending.append((sx, sy, bias_axis(y, self.bare_vectors)))
                        self.t.biases.add(x.letter)
                        return sy
                if c.value(sa[0]) == 1 and self.known(sb[0]) and c.value(sb[0]) != 1:
                    self.tie(sa[1], sb[1], node)
                    return sb
                if c.value(sb[0]) == 1 and self.known(sa[0]) and c.value(sa[0]) != 1:
                    self.tie(sa[1], sb[1], node)
                    return sa
            for x, y in zip(sa, sb):
                self.tie(x, y, node)
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
            for s_this, n_this, s_other in ((sa, node.a, sb), (sb, node.b, sa)):
                if len(s_this) == 2 and not isinstance(n_this, Var) and kind_of(n_this, self.scalar_letter) == "scalar":
                    # aᵀx, (wᵀx − y), (Xβ − y)ᵀ(Xβ − y): a 1×1 product is a scalar wherever a scalar fits
                    c.union(s_this[0], self.t.one)
                    c.union(s_this[1], self.t.one)
                    return s_other
            if sa == () or (len(sa) == 2 and c.value(sa[0]) == 1 and c.value(sa[1]) == 1):
                return sb  # a scalar, or a 1×1 the context made (y − t with y = wᵀx + b), scales
            if sb == () or (len(sb) == 2 and c.value(sb[0]) == 1 and c.value(sb[1]) == 1):
                return sa
            if len(sa) == 2 and len(sb) == 2:
                self.tie(sa[1], sb[0], node)
                return (sa[0], sb[1])
            return None
        if isinstance(node, Div):
            sa = self.shape(node.a)
            for v in walk(node.b):  # 1/N, 1/(2N): a size the shapes name, read as a number (its value)
                if isinstance(v, Var) and v.sub is None and v.style == "plain" and v.letter in self.ctx.size_names:
                    self.t.scalars.add(v.letter)
            self.shape(node.b)
            return sa
        if isinstance(node, Transpose):
            sa = self.shape(node.a)
            return (sa[1], sa[0]) if sa is not None and len(sa) == 2 else sa
        if isinstance(node, Power):
            sa = self.shape(node.a)
            if sa is not None and len(sa) == 2:
                self.tie(sa[0], sa[1], node)
            return sa
        if isinstance(node, Trace):
            sa = self.shape(node.a)
            if sa is not None and len(sa) == 2:
                self.tie(sa[0], sa[1], node)
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
        if isinstance(node, Mean):  # B.mean(axis=0): the shape of its sum 𝟏ᵀB
            return self.shape(node.a)
        if isinstance(node, Diag):  # diag(x): x a column, the result n×n
            sa = self.shape(node.a)
            if sa is None or len(sa) != 2:
                return None
            c.union(sa[1], self.t.one)
            return (sa[0], sa[0])
        if isinstance(node, Norm):
            self.shape(node.a)
            return ()
        if isinstance(node, Apply):  # entry by entry: the argument's shape
            return self.shape(node.a)
        if isinstance(node, SumOp):
            return self.shape(node.body)
        if isinstance(node, DName):
            return self.shape(Var(node.letter, node.sub))
        if isinstance(node, Deriv):
            sn, sd = self.shape(node.num), self.shape(node.den)
            if sn is None or sd is None:
                return None
            if len(sn) == 2 and not isinstance(node.num, Var) and kind_of(node.num, self.scalar_letter) == "scalar":
                c.union(sn[0], self.t.one)  # ∂(𝟏ᵀWx)/∂W: a 1×1 product is a scalar
                c.union(sn[1], self.t.one)
                sn = ()
            if sn == ():
                return sd
            if sd == ():
                return sn
            if len(sn) == 2 and len(sd) == 2 and self.column(node.num, sn) and self.column(node.den, sd):
                return (sn[0], sd[0])  # vector by vector: a matrix (∂x/∂x = I sizes I; ∂(2x)/∂x; a Hessian)
            return sn + sd
        if isinstance(node, MatrixLit):
            for row in node.rows:
                for cell in row:
                    self.shape(cell)
            return (c.new(lit=len(node.rows)), c.new(lit=len(node.rows[0])))
        return None

    def scalar_letter(self, v: Var) -> str:
        """The kind a letter's evidence gives it: scalar, col (a vector), row or mat."""
        L = v.letter
        sl = slice_of(v.sub)
        if sl is not None and v.style != "greek" and L.isupper():
            return sl[1]  # a row or a column of a matrix
        if v.sub is not None and not ANNOTATION.search(v.sub):
            return "scalar"  # an entry
        if v.style == "greek" and L not in self.t.matrices:
            return "scalar"
        if L in self.t.scalars or (L == "L" and v.sub is None):
            return "scalar"
        dims = self.ctx.shapes.get(L)
        if L in self.t.matrices and (dims is not None or L in self.ctx.defined or L == self.ctx.upstream
                                     or v.style == "greek"):
            r, col = (self.c.value(d) for d in self.t.matrices[L])
            if r == 1 and col == 1:
                return "scalar"
            return "col" if col == 1 else "row" if r == 1 else "mat"
        if L.isupper() or L in self.upper_biases:
            return "mat"
        return "col"

    def claim(self, claim: Claim) -> None:
        shapes = [self.shape(p) for p in claim.parts]
        for sa, sb in zip(shapes, shapes[1:]):
            if sa is not None and sb is not None and len(sa) == len(sb):
                for x, y in zip(sa, sb):
                    self.c.union(x, y, soft=True)


def infer(ctx: Context, claim: Claim) -> Typing:
    """Shapes for the context's letters and the claim's; the sizes nothing fixes are
    listed in `chosen` (symderiv gives them values), and a letter that could only be
    well-formed at size 1 is listed in `forced`."""
    inf = Infer(ctx)
    c = inf.c
    for letter, dims in ctx.shapes.items():
        if letter.islower() and len(dims) == 2 and 1 in dims:
            inf.vector(letter)
        else:
            inf.matrix(letter)
    for letter, expr in ctx.defs:
        if letter.islower() and not lower_matrix(ctx, letter, expr):
            inf.t.vectors.add(letter)  # y = W x + b: a vector, unless the context gives y a matrix's shape (N x d)
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
        for letter in beside_lower_matrices(ctx, inf.t.matrices, inf.t.vectors):
            inf.matrix(letter)  # ‖y − t‖² with y a batch: the target t has y's shape
        inf.shape(ctx.loss)
    if ctx.upstream and ctx.output in inf.t.matrices:
        inf.t.matrices[ctx.upstream] = inf.t.matrices[ctx.output]
    names = _layer_names(inf)
    _finalize(inf, names)  # the context's shapes are fixed before the claim is read
    inf.t.collapsed = _collapsed(inf)
    for r in inf.t.chosen:
        c.frozen[c.find(r)] = True
    c.claim_phase = True
    scalars_by_context = {v for v in inf.t.matrices if all(c.value(d) == 1 for d in inf.t.matrices[v])}
    inf.claim(claim)
    _finalize(inf, names)
    _forced(inf, scalars_by_context)
    return inf.t


def _collapsed(inf: Infer) -> str | None:
    """Sizes the context names (N in x: N x d) without a value that its own formulas tie to 1 (a column bias
    b: d x 1 added to an N×d product makes N = d = 1): checked there, a claim would only be checked at size 1,
    where a missing 1/N or a sum over the batch cannot show. Such a context is not used."""
    c, ctx = inf.c, inf.ctx
    named = {d for dims in ctx.shapes.values() for d in dims if isinstance(d, str)}
    ones = sorted(n for n in named if n in c.by_name and n not in c.fixed and c.value(c.by_name[n]) == 1)
    if not ones:
        return None
    return (f"the context's shapes fit only with {' = '.join(ones)} = 1 (a vector added where a row or a column of "
            "another size is needed?); symderiv does not check at sizes the text did not choose")


def _layer_names(inf: Infer) -> list[str]:
    """m, k, n name the first sizes chosen, unless the context names its own (N x D)."""
    c = inf.c
    if any(name not in ("m", "k", "n") for name in c.by_name):
        return []
    return [name for name in ("m", "k", "n") if name not in c.by_name]


def _orient(inf: Infer, v: str) -> None:
    """A vector is a column unless something made it a row."""
    c = inf.c
    if v not in inf.t.matrices:  # a vector letter that nothing gave a shape (read as a scalar): nothing to orient
        return
    r, col = inf.t.matrices[v]
    if v in inf.orient:
        return
    if c.value(col) == 1 and c.value(r) != 1:
        inf.orient[v] = 1
    elif c.value(r) == 1 and c.value(col) != 1:
        inf.orient[v] = 0
        if c.claim_phase and v not in inf.ctx.shapes and v not in inf.ctx.defined and v not in inf.t.biases:
            inf.rows.add(v)  # the claim uses a vector as a row without a transpose
    elif c.value(r) != 1 and c.value(col) != 1:
        c.union(col, inf.t.one)
        inf.orient[v] = 1


def _finalize(inf: Infer, names: list[str]) -> None:
    """Orient vectors (columns; a bias is broadcast over the batch as its product says),
    then list every class nothing determined as a size symderiv chooses, named m, k, n
    first (the default layer's sizes) and _1, _2, … after."""
    c = inf.c
    biases = {id(sx) for sx, _, _ in inf.pending}
    for v in sorted(inf.t.vectors):
        if v in inf.t.matrices and id(inf.t.matrices[v]) not in biases:
            _orient(inf, v)
    for sx, sy, axis in inf.pending:
        v = next((v for v in inf.t.vectors if inf.t.matrices[v] is sx), None)
        if axis is None:  # X + b: a column beside a single column, else a row over the rows
            axis = "col" if c.value(sy[1]) == 1 else "row"
        if axis == "col":
            c.union(sx[0], sy[0])
            c.union(sx[1], inf.t.one)
            if c.value(sy[1]) == 1 and v is not None:
                inf.t.biases.discard(v)  # y = W x + b: a column added to a column, nothing broadcast
        else:
            c.union(sx[0], inf.t.one)
            c.union(sx[1], sy[1])
        if v is not None:
            inf.orient[v] = 1 if axis == "col" else 0
    inf.pending.clear()
    for v in sorted(inf.t.vectors):
        _orient(inf, v)
    for i in range(len(c.parent)):
        r = c.find(i)
        if c.value(r) is not None or r in inf.t.chosen:
            continue
        if not c.names[r]:
            name = names.pop(0) if names else f"_{len(inf.t.chosen) + 1}"
            c.names[r].add(name)
            c.by_name[name] = r
            if name in c.fixed:  # --m 5 sizes the first default size
                c.declared[r] = True
                continue
        inf.t.chosen.append(r)
    roots: list[int] = []
    for r in inf.t.chosen:  # classes merged since, or fixed by a later union, are not chosen twice
        r = c.find(r)
        if r not in roots and c.value(r) is None:
            roots.append(r)
    inf.t.chosen = roots


def _forced(inf: Infer, context_ones: set[str]) -> None:
    """Letters the claim can only be about at size 1: a vector whose length is the 1 of a
    vector's orientation (or tied to its own width by a misplaced transpose), a vector read
    as a row, a matrix one or both of whose sizes are that 1. A person who writes x means a
    vector of any length, and A a matrix of any size, so such a claim is ill-formed, not true."""
    from .report import text

    c, t, ctx = inf.c, inf.t, inf.ctx
    one = c.find(t.one)
    # the context's own letters of size 1 (y = wᵀx + b: b and y are scalars) are what it says
    skip = set(ctx.shapes) | set(ctx.defined) | {ctx.upstream} | set(t.scalars) | t.biases | context_ones

    def forced(d: int) -> bool:
        return c.find(d) == one and not c.declared[one]

    def tied_to_one(v: str, d: int) -> bool:
        """The claim tied v's length to its width (a misplaced transpose) and only a 1 fits:
        a unit size hides the error, even where another letter's declared 1 fixes it."""
        return v in inf.ties and c.value(d) == 1

    for v in sorted(t.matrices, key=lambda x: (x not in t.vectors, x)):
        if v in skip or v == "L" or v == "I":
            continue
        r, col = t.matrices[v]
        if v in inf.rows:
            t.forced.append(f"{v} would have to be a row (1×{v}'s length) for the claim to be well-formed; "
                            f"a vector is a column, so write {v}ᵀ where a row is meant")
        elif v in t.vectors:
            length = (r, col)[1 - inf.orient.get(v, 1)]
            if forced(length) or tied_to_one(v, length):
                why = inf.ties.get(v)
                at = f": {text(why)} ties its length to its width (a transpose misplaced?)" if why is not None else \
                    " (if it is a scalar, declare it: --context '" + v + ": scalar')"
                t.forced.append(f"{v} would have to have length 1{at}; a claim about a vector {v} holds for every length")
                t.forced_letters.append(v)
        elif forced(r) and forced(col):
            t.forced.append(f"{v} would have to be 1×1 (a scalar) for the claim to be well-formed; "
                            f"a claim about a matrix {v} holds for every size")
        elif (forced(r) or forced(col)) and v.isupper():
            which = "one row" if forced(r) else "one column"
            t.forced.append(f"{v} would have to have {which}: the claim multiplies it with a vector as if it were "
                            f"a vector itself (a transpose misplaced?); a claim about a matrix {v} holds for every size")

"""Shapes for the fuzzer's reference (tests/fuzz/reference.py): size classes unified
over a claim's tree (a product ties inner sizes, a sum or ⊙ ties both, a trace makes a
square, an index ties the ranges it runs over), and which letter a claim forces to size 1.
Shares no code with symderiv."""

from __future__ import annotations

from .expr import Case, N


class IllFormed(Exception):
    pass


class Skip(Exception):
    """Something the reference does not decide (counted, never compared)."""


# --- shapes by unification -----------------------------------------------------------------
class Sizes:
    """Union-find over size classes; a class may carry a value (declared, or 1 by structure)."""

    def __init__(self) -> None:
        self.parent: list[int] = []
        self.value: list[int | None] = []
        self.declared: list[bool] = []
        self.prod: dict[int, tuple[int, int]] = {}
        self.pending: list[tuple[int, int]] = []
        self.letter: set[int] = set()  # classes that are a letter's general dimension
        self.ONE = self.new(1)

    def new(self, value: int | None = None, declared: bool = False) -> int:
        self.parent.append(len(self.parent))
        self.value.append(value)
        self.declared.append(declared)
        return len(self.parent) - 1

    def find(self, a: int) -> int:
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def unify(self, a: int, b: int, why: str = "") -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if ra in self.prod or rb in self.prod:
            self.pending.append((ra, rb))
            return
        va, vb = self.value[ra], self.value[rb]
        if va is not None and vb is not None and va != vb:
            raise IllFormed(f"sizes {va} and {vb} clash ({why})")
        self.parent[rb] = ra
        self.value[ra] = va if va is not None else vb
        self.declared[ra] = self.declared[ra] or self.declared[rb]


class Shapes:
    """Infers the shape of every node of a case (both sides and the context's definitions)."""

    def __init__(self, case: Case, general_ones: bool = False) -> None:
        self.case = case
        self.general_ones = general_ones  # a declared size 1 read as a general size (where does a 1 come from?)
        self.s = Sizes()
        self.letters: dict[str, tuple[int, int]] = {}
        self.names: dict[str, int] = {}
        self.shape: dict[int, tuple[int, int]] = {}
        self.index: dict[str, int] = {}  # free index -> class
        self.scoped: list[dict[str, int]] = []
        self.jac: set[int] = set()  # nodes that are Jacobians of order > 2
        self.sum_class: dict[int, int] = {}
        self.scalar_mm: dict[int, int] = {}  # products read as scalar × matrix: which factor is the scalar
        for name, v in case.sizes.items():
            self.names[name] = self.s.new(v if v != 1 or not general_ones else None, declared=True)
        for name, d in case.defs.items():
            self.letters[name] = self.infer(d)
        if case.upstream:  # G = ∂L/∂Y has Y's shape
            gr, gc = self.leaf_shape(case.upstream, "M")
            yr, yc = self.letters[case.output]
            self.s.unify(gr, yr, "upstream")
            self.s.unify(gc, yc, "upstream")
        for name, (r, c) in case.decls.items():
            lr, lc = self.leaf_shape(name, "v" if name.islower() else "M")
            self.s.unify(lr, self._decl(r), f"{name} declared")
            self.s.unify(lc, self._decl(c), f"{name} declared")

    def _decl(self, v) -> int:
        if isinstance(v, str):
            if v not in self.names:
                raise Skip(f"size {v} has no value")
            return self.names[v]
        if v == 1 and self.general_ones:
            return self.s.new()
        return self.s.new(v, declared=True)

    def leaf_shape(self, name: str, kind: str) -> tuple[int, int]:
        if name not in self.letters:
            if kind == "s":
                self.letters[name] = (self.s.ONE, self.s.ONE)
            elif kind == "v":
                r = self.s.new()
                self.s.letter.add(r)
                self.letters[name] = (r, self.s.ONE)
            else:
                r, c = self.s.new(), self.s.new()
                self.s.letter |= {r, c}
                self.letters[name] = (r, c)
        return self.letters[name]

    def idx(self, i, cls: int) -> None:
        if isinstance(i, int):
            raise Skip("literal index")
        for scope in reversed(self.scoped):
            if i in scope:
                self.s.unify(scope[i], cls, f"index {i}")
                return
        if i in self.index:
            self.s.unify(self.index[i], cls, f"index {i}")
        else:
            self.index[i] = cls

    def is_one(self, c: int) -> bool:
        return self.s.find(c) == self.s.find(self.s.ONE)

    def infer(self, n: N) -> tuple[int, int]:
        sh = self._infer(n)
        self.shape[id(n)] = sh
        return sh

    def _infer(self, n: N) -> tuple[int, int]:
        s, op = self.s, n.op
        one = s.ONE
        if op == "leaf":
            return self.leaf_shape(n.a, n.b)
        if op in ("num", "loss", "delta"):
            if op == "delta":
                c = s.new()
                for i in n.a:
                    self.idx(i, c)
            return (one, one)
        if op == "ones":
            return (s.new(), one)
        if op == "ident":
            c = s.new(n.a, declared=True) if n.a is not None else s.new()
            return (c, c)
        if op == "T":
            r, c = self.infer(n.args[0])
            return (c, r)
        if op == "mm":
            (r1, c1), (r2, c2) = self.infer(n.args[0]), self.infer(n.args[1])
            left, right = self.is_one(r1) and self.is_one(c1), self.is_one(r2) and self.is_one(c2)
            if self.is_one(c1) != self.is_one(r2) and (left or right):
                self.scalar_mm[id(n)] = 0 if left else 1  # (xᵀy) z: a 1×1 factor is a scalar, as people mean it
                return (r2, c2) if left else (r1, c1)
            s.unify(c1, r2, "product")
            return (r1, c2)
        if op in ("add", "sub", "had"):
            (r1, c1), (r2, c2) = self.infer(n.args[0]), self.infer(n.args[1])
            s.unify(r1, r2, op)
            s.unify(c1, c2, op)
            return (r1, c1)
        if op == "scale":
            r0, c0 = self.infer(n.args[0])
            s.unify(r0, one, "scalar")
            s.unify(c0, one, "scalar")
            return self.infer(n.args[1])
        if op == "kron":
            (r1, c1), (r2, c2) = self.infer(n.args[0]), self.infer(n.args[1])
            pr, pc = s.new(), s.new()
            s.prod[pr], s.prod[pc] = (r1, r2), (c1, c2)
            return (pr, pc)
        if op == "vec":
            r, c = self.infer(n.args[0])
            p = s.new()
            s.prod[p] = (r, c)
            return (p, one)
        if op == "tr":
            r, c = self.infer(n.args[0])
            s.unify(r, c, "trace")
            return (one, one)
        if op == "frob":
            (r1, c1), (r2, c2) = self.infer(n.args[0]), self.infer(n.args[1])
            s.unify(r1, r2, "inner product")
            s.unify(c1, c2, "inner product")
            return (one, one)
        if op == "norm2":
            self.infer(n.args[0])
            return (one, one)
        if op == "entry":
            r, c = self.infer(n.args[0])
            if len(n.a) == 1:
                s.unify(c, one, "vector entry")
                self.idx(n.a[0], r)
            else:
                self.idx(n.a[0], r)
                self.idx(n.a[1], c)
            return (one, one)
        if op == "sum":
            cls = self.names[n.b] if n.b is not None else s.new()
            if n.b is not None and n.b not in self.names:
                raise Skip("unnamed bound")
            self.sum_class[id(n)] = cls
            self.scoped.append({n.a: cls})
            self.infer(n.args[0])
            self.scoped.pop()
            return (one, one)
        if op == "grad":
            fr, fc = self.infer(n.args[0])
            xr, xc = self.infer(n.args[1])
            if self.is_one(fr) and self.is_one(fc):
                return (xr, xc)
            if self.is_one(fc) and self.is_one(xc):
                return (xr, fr)  # vector by vector, gradient convention
            if self.is_one(fr) and self.is_one(xc):
                raise Skip("a row vector by a vector: conventions differ")
            self.jac.add(id(n))
            return (s.new(), s.new())
        if op == "egrad":
            self.infer(n.args[0])
            xr, xc = self.infer(n.args[1])
            if len(n.a) == 1:
                self.idx(n.a[0], xr)
            else:
                self.idx(n.a[0], xr)
                self.idx(n.a[1], xc)
            return (one, one)
        if op == "badd":
            (r, c), (br, _bc) = self.infer(n.args[0]), self.infer(n.args[1])
            s.unify(br, c if n.a == "row" else r, "bias")
            return (r, c)
        raise Skip(f"op {op}")


# --- evaluation -----------------------------------------------------------------------------


def shape_pass(case: Case, general_ones: bool = False):
    """Shapes of both sides, and which letter sizes were already 1 once the context was read."""
    sh = Shapes(case, general_ones)
    s = sh.s
    context_classes = set(s.letter)  # the context's letters (and declared ones), before the claim
    one_by_context = {c for c in context_classes if s.value[s.find(c)] == 1}
    sl, sr = sh.infer(case.lhs), sh.infer(case.rhs)
    bias_grad = case.bias is not None and case.lhs.op == "grad" and case.lhs.args[1].op == "leaf" \
        and case.lhs.args[1].a == case.bias
    if not bias_grad:
        s.unify(sl[0], sr[0], "the two sides")
        s.unify(sl[1], sr[1], "the two sides")
    return sh, sl, sr, bias_grad, context_classes, one_by_context


def forced_one(case: Case, sh: Shapes, context_classes: set[int], one_by_context: set[int]) -> str | None:
    """A letter whose size the claim forces to 1 (the claim is then not about general sizes).
    A context letter's size (the batch N of Y = XW + b) may not become 1 through the claim at all;
    a letter only the claim has may be 1 when a declaration makes it so (A: 1x3 and A ⊙ C), not
    when the 1 comes from the structure (a column where a row is needed)."""
    s = sh.s
    suspects = []
    for name, dims in sh.letters.items():
        for k, c in enumerate(dims):
            if c not in s.letter or s.value[s.find(c)] != 1:
                continue
            if c in context_classes:
                if c not in one_by_context:
                    return name
            else:
                suspects.append((name, k))
    if not suspects:
        return None
    general = shape_pass(case, general_ones=True)[0]
    for name, k in suspects:
        if general.s.value[general.s.find(general.letters[name][k])] == 1:
            return name
    return None

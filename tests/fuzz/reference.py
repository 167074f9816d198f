"""An independent reference for the fuzzer: decides a generated claim from its
structured form (tests/fuzz/expr.py), never from the text, and shares no code
with symderiv (nothing here imports it).

Semantics (shapes in tests/fuzz/shapes.py). Upper-case letters are matrices, lower-case letters column vectors,
Greek letters scalars. Shapes come from unification of size classes (a product
ties inner sizes, a sum or ⊙ ties both, a trace makes a square, an index ties
the ranges it runs over). A claim is ill-formed, hence false, when two declared
sizes clash or when some letter's size would have to be 1 without a declaration
saying so (it is then not a statement about vectors and matrices of general
size): a size the context left open (the batch N of Y = XW + b) may not become 1
through the claim; a letter only the claim has may be 1 when a declaration makes
it so (A: 1x3 and A ⊙ C), not when the 1 comes from the structure (a column where
a row is needed). The remaining free sizes get distinct values ≥ 2 (distinct primes, so a
Kronecker product's size never equals another size by accident), at two
assignments. A derivative ∂f/∂X of a scalar has X's shape (denominator layout);
a vector-by-vector ∂f/∂x is len(x)×len(f). A bias b in Y = XW + b has one entry
per column of Y (broadcast over the rows), in Y = WX + b one per row of Y; the
orientation of ∂L/∂b as a row or a column is notation. L is Σ g_ij y_ij (G free)
unless the context defines a concrete loss.

Exactness. Entries are random integers in [-R, R]; derivatives are exact (dual
numbers over the integers: f(X + εE_pq) = f(X) + ε ∂f/∂x_pq for polynomials).
Schwartz–Zippel: a nonzero polynomial of total degree d vanishes at a uniformly
random point of S^n with probability ≤ d/|S|. With d ≤ 8, |S| = 2R + 1 = 2·10⁶ + 1
and POINTS = 2 independent points per size assignment, a false identity is
called true with probability ≤ (8 / 2000001)² < 1.6·10⁻¹¹ per claim (d ≤ 8 holds
for every generated family; even d = 20 would give < 10⁻¹⁰). "False" is always
certain (an exact witness)."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

from .expr import Case, N
from .shapes import IllFormed, Shapes, Skip, forced_one, shape_pass

R = 10**6
POINTS = 2
PRIMES = (2, 3, 5, 7, 11, 13)


class Dual:
    """a + bε with ε² = 0, over exact integers/rationals."""

    __slots__ = ("a", "b")

    def __init__(self, a, b=0) -> None:
        self.a, self.b = a, b

    def __add__(self, o):
        return Dual(self.a + o.a, self.b + o.b) if isinstance(o, Dual) else Dual(self.a + o, self.b)

    __radd__ = __add__

    def __sub__(self, o):
        return Dual(self.a - o.a, self.b - o.b) if isinstance(o, Dual) else Dual(self.a - o, self.b)

    def __rsub__(self, o):
        return Dual(o - self.a, -self.b)

    def __neg__(self):
        return Dual(-self.a, -self.b)

    def __mul__(self, o):
        if isinstance(o, Dual):
            return Dual(self.a * o.a, self.a * o.b + self.b * o.a)
        return Dual(self.a * o, self.b * o)

    __rmul__ = __mul__


def eps(v):
    return v.b if isinstance(v, Dual) else 0


def _mm(x, y):
    return [[sum((x[i][k] * y[k][j] for k in range(len(y))), 0) for j in range(len(y[0]))] for i in range(len(x))]


def _T(x):
    return [list(r) for r in zip(*x)]


def _zip(x, y, f):
    return [[f(a, b) for a, b in zip(rx, ry)] for rx, ry in zip(x, y)]


class Evaluator:
    """Evaluates nodes at one point (letter -> integer matrix) and one size assignment."""

    def __init__(self, sh: Shapes, val: dict[int, int], point: dict[str, list]) -> None:
        self.sh, self.val, self.point = sh, val, point
        self.defs = sh.case.defs
        self.idx: dict[str, int] = {}
        self.cache: dict = {}
        self.pert = None  # (letter, p, q) whose entry carries ε

    def dims(self, n: N) -> tuple[int, int]:
        r, c = self.sh.shape[id(n)]
        return self.val[self.sh.s.find(r)], self.val[self.sh.s.find(c)]

    def leaf(self, name: str):
        key = ("leaf", name, self.pert)
        if key in self.cache:
            return self.cache[key]
        v = self.ev(self.defs[name]) if name in self.defs else self.point[name]
        if self.pert and self.pert[0] == name:  # a defined quantity (H, Y) is independent when it is the variable
            v = [list(row) for row in v]
            _, p, q = self.pert
            v[p][q] = Dual(v[p][q], 1) if not isinstance(v[p][q], Dual) else Dual(v[p][q].a, 1)
        self.cache[key] = v
        return v

    def ev(self, n: N):
        op = n.op
        if op == "leaf":
            return self.leaf(n.a)
        if op == "num":
            return [[n.a]]
        if op == "ones":
            return [[1] for _ in range(self.dims(n)[0])]
        if op == "ident":
            k = self.dims(n)[0]
            return [[1 if i == j else 0 for j in range(k)] for i in range(k)]
        if op == "loss":
            if "L" in self.defs:
                return self.leaf("L")
            y, g = self.leaf(self.sh.case.output), self.point[self.sh.case.upstream]
            return [[sum((a * b for ra, rb in zip(y, g) for a, b in zip(ra, rb)), 0)]]
        if op == "T":
            return _T(self.ev(n.args[0]))
        if op == "mm":
            x, y = self.ev(n.args[0]), self.ev(n.args[1])
            if id(n) in self.sh.scalar_mm:
                k, m = (x[0][0], y) if self.sh.scalar_mm[id(n)] == 0 else (y[0][0], x)
                return [[k * a for a in row] for row in m]
            return _mm(x, y)
        if op == "add":
            return _zip(self.ev(n.args[0]), self.ev(n.args[1]), lambda a, b: a + b)
        if op == "sub":
            return _zip(self.ev(n.args[0]), self.ev(n.args[1]), lambda a, b: a - b)
        if op == "had":
            return _zip(self.ev(n.args[0]), self.ev(n.args[1]), lambda a, b: a * b)
        if op == "scale":
            s = self.ev(n.args[0])[0][0]
            return [[s * a for a in row] for row in self.ev(n.args[1])]
        if op == "kron":
            x, y = self.ev(n.args[0]), self.ev(n.args[1])
            return [[a * b for a in rx for b in ry] for rx in x for ry in y]
        if op == "vec":
            x = self.ev(n.args[0])
            return [[x[i][j]] for j in range(len(x[0])) for i in range(len(x))]  # column-major
        if op == "tr":
            x = self.ev(n.args[0])
            return [[sum((x[i][i] for i in range(len(x))), 0)]]
        if op == "frob":
            x, y = self.ev(n.args[0]), self.ev(n.args[1])
            return [[sum((a * b for rx, ry in zip(x, y) for a, b in zip(rx, ry)), 0)]]
        if op == "norm2":
            x = self.ev(n.args[0])
            return [[sum((a * a for row in x for a in row), 0)]]
        if op == "delta":
            i, j = (self.idx[k] for k in n.a)
            return [[1 if i == j else 0]]
        if op == "entry":
            x = self.ev(n.args[0])
            i = self.idx[n.a[0]]
            return [[x[i][0] if len(n.a) == 1 else x[i][self.idx[n.a[1]]]]]
        if op == "sum":
            cls = self.sh.names[n.b] if n.b is not None else None
            rng = self.val[self.sh.s.find(cls)] if cls is not None else self.sum_range[id(n)]
            saved = self.idx.get(n.a)
            total = 0
            for v in range(rng):
                self.idx[n.a] = v
                total = total + self.ev(n.args[0])[0][0]
            if saved is None:
                self.idx.pop(n.a, None)
            else:
                self.idx[n.a] = saved
            return [[total]]
        if op == "grad":
            f, x = n.args
            xr, xc = self.dims(x)
            fr, fc = self.dims(f)
            if x.op == "vec":  # ∂/∂vec(W): entry t of vec(W) is w[t % rows][t // rows]
                rows = self.dims(x.args[0])[0]
                name = x.args[0].a
                return [[eps(v[0]) for v in self.perturbed(f, (name, t % rows, t // rows))] for t in range(xr)]
            if (fr, fc) == (1, 1):
                return [[eps(self.perturbed(f, (x.a, p, q))[0][0]) for q in range(xc)] for p in range(xr)]
            if fc == 1 and xc == 1:  # vector by vector: row p is ∂f/∂x_p
                return [[eps(v[0]) for v in self.perturbed(f, (x.a, p, 0))] for p in range(xr)]
            raise Skip("a derivative of a non-vector")
        if op == "egrad":
            f, x = n.args
            p = self.idx[n.a[0]]
            q = self.idx[n.a[1]] if len(n.a) > 1 else 0
            return [[eps(self.perturbed(f, (x.a, p, q))[0][0])]]
        if op == "badd":
            m, b = self.ev(n.args[0]), self.ev(n.args[1])
            if n.a == "row":
                return [[a + b[j][0] for j, a in enumerate(row)] for row in m]
            return [[a + b[i][0] for a in row] for i, row in enumerate(m)]
        raise Skip(op)

    def perturbed(self, f: N, pert):
        saved, self.pert = self.pert, pert
        try:
            return self.ev(f)
        finally:
            self.pert = saved


def decide(case: Case, rng: random.Random) -> tuple[bool | None, str]:
    """True / False / None (skipped), with a reason."""
    try:
        return _decide(case, rng)
    except IllFormed as e:
        return False, f"ill-formed: {e}"
    except Skip as e:
        return None, f"skipped: {e}"


def _assignments(sh: Shapes, rng: random.Random) -> list[dict[int, int]]:
    s = sh.s
    roots = sorted({s.find(i) for i in range(len(s.parent))})
    tied = {}  # a free class that must equal a Kronecker/vec size takes its value
    for x, y in s.pending:
        rx, ry = s.find(x), s.find(y)
        for u, v in ((rx, ry), (ry, rx)):
            if u not in s.prod and v in s.prod and s.value[u] is None:
                tied[u] = v
    free = [r for r in roots if s.value[r] is None and r not in s.prod and r not in tied]
    taken = {s.value[r] for r in roots if s.value[r] is not None}
    pool = [p for p in PRIMES if p not in taken] + [p for p in PRIMES if p in taken]
    if len(free) > len(pool):
        raise Skip("too many sizes")
    out = []
    for k in range(2):
        vals = pool[: len(free)]
        rng.shuffle(vals)
        if k == 1 and len(free) == 1:
            vals = [pool[1] if vals[0] == pool[0] else pool[0]]
        a = {r: s.value[r] for r in roots if s.value[r] is not None}
        a.update(zip(free, vals))
        for _ in range(6):  # products of products, and classes tied to them
            for r in roots:
                if r in s.prod:
                    x, y = s.prod[r]
                    vx, vy = a.get(s.find(x)), a.get(s.find(y))
                    if vx is not None and vy is not None:
                        a[r] = vx * vy
            for u, v in tied.items():
                if v in a:
                    a[u] = a[v]
        for x, y in s.pending:
            if a.get(s.find(x)) != a.get(s.find(y)):
                raise IllFormed("a Kronecker/vec size does not match")
        if any(r not in a for r in roots):
            raise Skip("a size the reference cannot fix")
        out.append(a)
    return out


def _decide(case: Case, rng: random.Random) -> tuple[bool | None, str]:
    sh, sl, sr, bias_grad, context_classes, one_by_context = shape_pass(case)
    s = sh.s
    forced = forced_one(case, sh, context_classes, one_by_context)
    if forced:
        raise IllFormed(f"{forced} would need a size 1")
    verdict_reason = ""
    if id(case.lhs) in sh.jac or id(case.rhs) in sh.jac:
        if id(case.lhs) in sh.jac and id(case.rhs) in sh.jac:
            raise Skip("two Jacobians of order > 2")
        return False, "a Jacobian of order > 2 against a matrix: the shapes differ"
    for val in _assignments(sh, rng):

        def size(c, val=val):
            return val[s.find(c)]
        dl, dr = (size(sl[0]), size(sl[1])), (size(sr[0]), size(sr[1]))
        if bias_grad:
            if 1 not in dr or dr[0] * dr[1] != dl[0] * dl[1]:
                return False, f"∂L/∂{case.bias} has {dl[0] * dl[1]} entries, the other side is {dr[0]}×{dr[1]}"
        elif dl != dr:
            return False, f"shapes differ {dl} vs {dr}"
        free = sorted(sh.index)
        ranges = [range(size(sh.index[i])) for i in free]
        for _ in range(POINTS):
            point = {}
            for name, (r, c) in sh.letters.items():
                if name not in case.defs:
                    point[name] = [[rng.randint(-R, R) for _ in range(size(c))] for _ in range(size(r))]
            ev = Evaluator(sh, val, point)
            ev.sum_range = {k: size(c) for k, c in sh.sum_class.items()}
            for combo in itertools.product(*ranges):
                ev.idx = dict(zip(free, combo))
                x, y = ev.ev(case.lhs), ev.ev(case.rhs)
                fx = [_plain(v) for row in x for v in row]
                fy = [_plain(v) for row in y for v in row]
                if fx != fy:
                    k = next(t for t in range(len(fx)) if fx[t] != fy[t])
                    return False, f"values differ at {_shown(sh, size)} indices {ev.idx}: flat entry {k}"
        verdict_reason = f"equal at {_shown(sh, size)}"
    return True, verdict_reason


def _plain(v):
    if isinstance(v, Dual):
        raise Skip("a dual number escaped")
    return Fraction(v)


def _shown(sh: Shapes, size) -> str:
    return ", ".join(f"{name}:{size(r)}x{size(c)}" for name, (r, c) in sorted(sh.letters.items()))

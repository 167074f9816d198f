"""A seeded generator of claims for `symderiv claim`: true identities (rules of
matrix calculus applied to random sub-expressions, random letters, random
declared or undeclared sizes) and mutants of them. Each case carries its text,
its context and the structured form the reference evaluates (tests/fuzz/expr.py).
The generator's intent ('true'/'mutant') is only a statistic: the verdict is the reference's."""

from __future__ import annotations

import random
from fractions import Fraction

from .expr import (
    GREEK,
    Case,
    N,
    Render,
    T,
    add,
    delta,
    entry,
    frob,
    grad,
    had,
    ident,
    kron,
    mat,
    mm,
    norm2,
    num,
    scal,
    scale,
    ssum,
    sub,
    tr,
    vec,
    vecop,
    walk,
)
from .layers import default_layer_case, layer_case, two_layer_case
from .mutate import mutate

MATS = list("ABCFHKMRUV")
VECS = list("abcuvxyz")
GREEKS = ["alpha", "beta", "gamma", "lambda", "mu"]
SIZE_NAMES = ["m", "n", "r", "t", "h"]
ONE = 0


class Builder:
    """Random well-shaped sub-expressions over size classes (ints; 0 is the size 1)."""

    def __init__(self, rng: random.Random, avoid: set[str] = frozenset()) -> None:
        self.rng = rng
        self.next = 1
        self.frozen: set[str] = set()  # letters sub-expressions must not reuse (a derivative's variable)
        self.letters: dict[str, tuple[str, tuple[int, int]]] = {}
        self.mats = [m for m in MATS if m not in avoid]
        self.vecs = [v for v in VECS if v.upper() not in avoid and v not in avoid]
        rng.shuffle(self.mats)
        rng.shuffle(self.vecs)

    def cls(self) -> int:
        self.next += 1
        return self.next - 1

    def _used(self) -> set[str]:
        return {k.upper() for k in self.letters}

    def letter(self, shape: tuple[int, int], fresh: bool = False) -> N:
        r, c = shape
        same = [k for k, (kind, sh) in self.letters.items() if sh == shape and kind != "s" and k not in self.frozen]
        if same and not fresh and self.rng.random() < 0.3:
            k = self.rng.choice(same)
            return mat(k) if k.isupper() else vec(k)
        if c == ONE and r != ONE:
            name = next(v for v in self.vecs if v.upper() not in self._used())
            self.letters[name] = ("v", shape)
        else:
            name = next(m for m in self.mats if m not in self._used())
            self.letters[name] = ("M", shape)
        if fresh:
            self.frozen.add(name)
        return vec(name) if name.islower() else mat(name)

    def scalar(self) -> N:
        if self.rng.random() < 0.5:
            return num(self.rng.choice([2, 3, Fraction(1, 2), 5]))
        name = self.rng.choice(GREEKS)
        self.letters[name] = ("s", (ONE, ONE))
        return scal(name)

    def expr(self, shape: tuple[int, int], depth: int = 1) -> N:
        r, c = shape
        rng = self.rng
        if r == ONE and c == ONE:  # a scalar expression: uᵀ P v or a trace
            k = self.cls()
            if depth > 0 and rng.random() < 0.3:
                return tr(self.expr((k, k), depth - 1))
            return mm(T(self.letter((k, ONE))), self.letter((k, ONE)))
        if r == ONE:
            return T(self.expr((c, r), depth))
        if depth <= 0:
            if c != ONE and rng.random() < 0.25:
                return T(self.letter((c, r)))
            return self.letter(shape)
        choice = rng.random()
        if choice < 0.3:
            return self.letter(shape)
        if choice < 0.55:
            k = self.cls()
            return mm(self.expr((r, k), depth - 1), self.expr((k, c), depth - 1))
        if choice < 0.7:
            return T(self.expr((c, r), depth - 1)) if c != ONE else self.letter(shape)
        if choice < 0.82:
            return add(self.expr(shape, depth - 1), self.expr(shape, depth - 1))
        if choice < 0.92:
            return scale(self.scalar(), self.expr(shape, depth - 1))
        return had(self.letter(shape), self.letter(shape, fresh=True))


def _rules(b: Builder, rng: random.Random) -> tuple[str, N, N]:
    """One true identity (family, lhs, rhs) from a rule applied to random sub-expressions."""
    r, c, k, m = b.cls(), b.cls(), b.cls(), b.cls()
    d = rng.choice([0, 1, 1])
    pick = rng.randrange(24)
    if pick == 22:
        p = b.expr((r, c), d)
        return "identity", mm(p, ident()), p
    if pick == 23:
        p = b.expr((r, c), d)
        return "identity-left", mm(ident(), p), p
    if pick == 0:
        p, q = b.expr((r, k), d), b.expr((k, c), d)
        return "transpose-product", T(mm(p, q)), mm(T(q), T(p))
    if pick == 1:
        p, q = b.expr((r, k), d), b.expr((k, r), d)
        return "trace-cyclic", tr(mm(p, q)), tr(mm(q, p))
    if pick == 2:
        p, q, s = b.expr((r, k), 0), b.expr((k, c), 0), b.expr((c, r), 0)
        return "trace-cyclic3", tr(mm(mm(p, q), s)), tr(mm(mm(s, p), q))
    if pick == 3:
        p = b.expr((r, r), d)
        return "trace-transpose", tr(p), tr(T(p))
    if pick == 4:
        p, q = b.expr((r, c), d), b.expr((r, c), d)
        return "frobenius", frob(p, q), tr(mm(T(p), q))
    if pick == 5:
        p = b.expr((r, c), d)
        return "norm", norm2(p, "_F"), tr(mm(T(p), p))
    if pick == 6:
        p, q, s = b.expr((r, k), d), b.expr((k, c), 0), b.expr((k, c), 0)
        return "distributive", mm(p, add(q, s)), add(mm(p, q), mm(p, s))
    if pick == 7:
        p, q = b.expr((r, c), d), b.expr((r, c), d)
        return "hadamard-commutes", had(p, q), had(q, p)
    if pick == 8:
        p, q = b.expr((r, c), 0), b.expr((r, c), 0)
        return "hadamard-transpose", T(had(p, q)), had(T(p), T(q))
    if pick == 9:
        p, q, s = b.expr((r, c), 0), b.expr((r, c), 0), b.expr((r, c), 0)
        return "hadamard-frobenius", frob(p, had(q, s)), frob(had(p, q), s)
    if pick == 10:
        x, a = b.letter((r, ONE)), b.expr((r, r), d)
        return "quadratic-form", mm(mm(T(x), a), x), mm(mm(T(x), T(a)), x)
    if pick == 11:
        x, y, p = b.letter((r, ONE)), b.letter((c, ONE)), b.expr((r, c), d)
        return "bilinear", mm(mm(T(x), p), y), mm(mm(T(y), T(p)), x)
    if pick == 12:
        p, q = b.expr((r, c), 0), b.expr((k, m), 0)
        return "kron-transpose", T(kron(p, q)), kron(T(p), T(q))
    if pick == 13:
        e, f = b.cls(), b.cls()
        p, q, s, t = b.letter((r, c)), b.letter((k, m)), b.letter((c, e)), b.letter((m, f))
        return "kron-mixed", mm(kron(p, q), kron(s, t)), kron(mm(p, s), mm(q, t))
    if pick == 14:
        p, x, q = b.letter((r, c)), b.letter((c, k), fresh=True), b.letter((k, m))
        return "vec-kron", vecop(mm(mm(p, x), q)), mm(kron(T(q), p), vecop(x))
    if pick == 15:
        s, p, q = b.scalar(), b.expr((r, c), 0), b.expr((r, c), 0)
        return "scalar", scale(s, add(p, q)), add(scale(s, p), scale(s, q))
    if pick == 16:
        p = b.expr((r, c), d)
        n = rng.choice([2, 3, 5])
        return "scalar-sum", sub(scale(num(n), p), scale(num(n - 1), p)), p
    if pick == 17:
        p, q = b.expr((r, c), d), b.expr((r, c), d)
        return "transpose-sum", T(add(p, q)), add(T(p), T(q))
    if pick == 18:
        p = b.expr((r, c), d)
        return "double-transpose", T(T(p)), p
    if pick == 19:
        x = b.letter((r, ONE))
        return "vector-norm", norm2(x, rng.choice(["", "_2"])), mm(T(x), x)
    if pick == 20:
        p, q = b.expr((r, c), d), b.expr((r, c), d)
        return "frobenius-symmetric", frob(p, q), frob(T(q), T(p))
    p, q = b.expr((r, c), 0), b.expr((r, c), 0)
    return "norm-expand", norm2(sub(p, q), "_F"), sub(add(frob(p, p), frob(q, q)), scale(num(2), frob(p, q)))


def _index(b: Builder, rng: random.Random) -> tuple[str, N, N]:
    """Index notation: entries, sums, Kronecker deltas."""
    r, c, k = b.cls(), b.cls(), b.cls()
    i, j, q = rng.sample(["i", "j", "p", "q"], 3)
    s = rng.choice(["k", "s"])
    pick = rng.randrange(8)
    if pick == 0:
        p, qq = b.letter((r, k)), b.letter((k, c))
        return "index-product", entry(mm(p, qq), i, j), ssum(s, mm(entry(p, i, s), entry(qq, s, j)))
    if pick == 1:
        a = b.letter((r, c))
        return "index-delta", ssum(s, mm(entry(a, i, s), delta(s, j))), entry(a, i, j)
    if pick == 2:
        a = b.letter((r, r))
        return "index-trace", tr(a), ssum(s, entry(a, s, s))
    if pick == 3:
        a = b.letter((r, c))
        return "index-transpose", entry(T(a), j, i), entry(a, i, j)
    if pick == 4:
        a, x = b.letter((r, c)), b.letter((c, ONE))
        return "index-matvec", entry(mm(a, x), i), ssum(s, mm(entry(a, i, s), entry(x, s)))
    if pick == 5:
        x, a, y = b.letter((r, ONE)), b.letter((r, c)), b.letter((c, ONE))
        return "index-bilinear", mm(mm(T(x), a), y), ssum(i, ssum(j, mm(mm(entry(x, i), entry(a, i, j)), entry(y, j))))
    if pick == 6:
        a, bb = b.letter((r, c)), b.letter((r, c), fresh=True)
        return "index-frobenius", frob(a, bb), ssum(i, ssum(j, mm(entry(a, i, j), entry(bb, i, j))))
    a, bb = b.letter((r, c)), b.letter((r, c), fresh=True)
    return "index-hadamard", entry(had(a, bb), i, q), mm(entry(a, i, q), entry(bb, i, q))


def _derivative(b: Builder, rng: random.Random) -> tuple[str, N, N]:
    """Derivatives of scalar functions with respect to vectors and matrices (no context)."""
    r, c, k, m = b.cls(), b.cls(), b.cls(), b.cls()
    d = rng.choice([0, 0, 1])
    pick = rng.randrange(17)
    if pick == 14:
        x = b.letter((r, ONE), fresh=True)
        return "d-vector-itself", grad(x, x), ident()
    if pick in (15, 16):  # regression with a Greek coefficient vector (declared: Greek letters are scalars by default)
        name = rng.choice(["beta", "theta", "mu"])
        beta = vec(name)
        b.letters[name] = ("v", (c, ONE))
        b.frozen.add(name)
        xm, y = b.letter((r, c)), b.letter((r, ONE))
        res = sub(y, mm(xm, beta)) if rng.random() < 0.5 else sub(mm(xm, beta), y)
        rhs = scale(num(2), mm(T(xm), sub(mm(xm, beta), y)))
        if rng.random() < 0.5:
            rhs = scale(num(-2), mm(T(xm), sub(y, mm(xm, beta))))
        return "d-regression-greek", grad(norm2(res), beta), rhs
    if pick == 0:
        x = b.letter((k, c), fresh=True)
        p, q = b.expr((r, k), d), b.expr((c, r), d)
        return "d-trace", grad(tr(mm(mm(p, x), q)), x), mm(T(p), T(q))
    if pick == 1:
        x, p = b.letter((r, c), fresh=True), b.expr((r, c), d)
        return "d-trace-T", grad(tr(mm(T(x), p)), x), p
    if pick == 2:
        x, p = b.letter((r, c), fresh=True), b.expr((r, c), d)
        return "d-frobenius", grad(frob(p, x), x), p
    if pick == 3:
        x, p = b.letter((r, c), fresh=True), b.expr((r, r), d)
        return "d-trace-quadratic", grad(tr(mm(mm(T(x), p), x)), x), mm(add(p, T(p)), x)
    if pick == 4:
        x, p = b.letter((r, ONE), fresh=True), b.expr((r, r), d)
        form = rng.choice(["sum", "sum", "sym"])
        rhs = mm(add(p, T(p)), x) if form == "sum" else add(mm(p, x), mm(T(p), x))
        return "d-quadratic", grad(mm(mm(T(x), p), x), x), rhs
    if pick == 5:
        x, p, y = b.letter((c, ONE), fresh=True), b.expr((r, c), d), b.letter((r, ONE), fresh=True)
        res = sub(mm(p, x), y)
        return "d-least-squares", grad(norm2(res), x), scale(num(2), mm(T(p), res))
    if pick == 6:
        x, w, y = b.letter((r, c), fresh=True), b.letter((c, ONE), fresh=True), b.letter((r, ONE), fresh=True)
        res = sub(mm(x, w), y)
        return "d-least-squares-X", grad(norm2(res), x), scale(num(2), mm(res, T(w)))
    if pick == 7:
        x, a = b.letter((r, ONE), fresh=True), b.expr((r, ONE), d)
        f = mm(T(a), x) if rng.random() < 0.5 else mm(T(x), a)
        return "d-linear", grad(f, x), a
    if pick == 8:
        x = b.letter((r, c), fresh=True)
        return "d-norm", grad(norm2(x, "_F"), x), scale(num(2), x)
    if pick == 9:
        x, p, q = b.letter((k, m), fresh=True), b.letter((r, k)), b.letter((m, c))
        return "d-norm-product", grad(norm2(mm(mm(p, x), q), "_F"), x), \
            scale(num(2), mm(mm(mm(mm(T(p), p), x), q), T(q)))
    if pick == 10:
        x, a = b.letter((r, ONE), fresh=True), b.letter((r, ONE), fresh=True)
        ax = had(a, x)
        return "d-hadamard", grad(mm(T(ax), ax), x), scale(num(2), had(had(a, a), x))
    if pick == 11:
        x, u, v = b.letter((r, c), fresh=True), b.letter((r, ONE), fresh=True), b.letter((c, ONE), fresh=True)
        return "d-bilinear", grad(mm(mm(T(u), x), v), x), mm(u, T(v))
    if pick == 12:
        x, p = b.letter((c, ONE), fresh=True), b.expr((r, c), d)
        return "d-vector-by-vector", grad(mm(p, x), x), T(p)
    x = b.letter((r, c), fresh=True)
    p = b.expr((r, c), 0)
    return "d-hadamard-frobenius", grad(frob(p, had(x, x)), x), scale(num(2), had(p, x))


def _declare(case: Case, b: Builder, rng: random.Random, keep: set[str] = frozenset()) -> None:
    """Declare the sizes of some letters (random distinct values per size class)."""
    classes = sorted({c for kind, (r, cc) in b.letters.values() if kind != "s" for c in (r, cc) if c != ONE})
    style = rng.random()
    if style < 0.7:  # distinct sizes
        values = rng.sample(range(2, 8), min(len(classes), 6)) if classes else []
    else:  # square declared on purpose: transposition errors must still show in the values
        values = [rng.choice([2, 3]) for _ in classes]
    # (no declared 1 in free claims: whether a length-1 vector is a scalar is notation, not mathematics;
    # a declared 1 is exercised by one-output layers and a batch of one, where it is unambiguous)
    if len(values) < len(classes):
        return
    val = dict(zip(classes, values))
    val[ONE] = 1
    for kind, (r, c) in b.letters.values():
        if kind == "M" and val[r] == val[c] == 1:  # a 1×1 matrix: scalar or matrix? not a fair question
            val[c] = 2
    named = len(classes) <= len(SIZE_NAMES) and rng.random() < 0.3  # X: m x n, m = 3, n = 4
    label = dict(zip(classes, SIZE_NAMES)) if named else {}
    names = [k for k, (kind, _) in b.letters.items() if kind != "s"]
    chosen = [k for k in names if k in keep or rng.random() < 0.7] or names[:1]
    parts, used = [], []
    for k in chosen:
        r, c = b.letters[k][1]
        dr, dc = (label.get(r, val[r]), label.get(c, val[c]) if c != ONE else 1)
        used += [x for x in (r, c) if x in label and x not in used]
        if k.islower():
            case.decls[k] = (dr, 1)
            parts.append(f"{GREEK.get(k, k)}: {dr}")
        else:
            case.decls[k] = (dr, dc)
            parts.append(rng.choice([f"{k}: {dr}x{dc}" if not named else f"{k}: {dr} x {dc}",
                                     rf"{k} \in \mathbb{{R}}^{{{dr} \times {dc}}}"]))
    for x in used:
        case.sizes[label[x]] = val[x]
        parts.append(f"{label[x]} = {val[x]}")
    case.context = ", ".join(parts)


def generate(seed: int, n: int, mutant_rate: float = 0.5, start: int = 0):
    """Yields cases start..n-1, each deterministic in (seed, its number)."""
    for t in range(start, n):
        rng = random.Random(f"{seed}:{t}")
        yield one_case(rng, mutant_rate)


def one_case(rng: random.Random, mutant_rate: float = 0.5) -> Case:
    kind = rng.random()
    if kind < 0.04:
        case = default_layer_case(rng)
    elif kind < 0.08:
        case = two_layer_case(rng)
    elif kind < 0.3:
        case = layer_case(rng)
    else:
        b = Builder(rng)
        maker = _rules if kind < 0.6 else (_index if kind < 0.75 else _derivative)
        family, lhs, rhs = maker(b, rng)
        if rng.random() < 0.3:
            lhs, rhs = rhs, lhs
        case = Case("", None, lhs, rhs, "true", family)
        if rng.random() < 0.35 or any(k in GREEK and kind == "v" for k, (kind, _) in b.letters.items()):
            _declare(case, b, rng, keep={k for k, (kind, _) in b.letters.items() if k in GREEK and kind == "v"})
    if rng.random() < mutant_rate:
        mutated = mutate(case, rng)
        if mutated is not None:
            case = mutated
    r = Render(rng, plain=rng.random() < 0.2)
    if not case.context and not r.plain and not any(n.op in ("entry", "egrad", "delta") or (n.op == "leaf" and n.a in GREEK)
                                                    for side in (case.lhs, case.rhs) for n in walk(side)):
        r.greekvec = rng.random() < 0.25
    case.claim = f"{r.text(case.lhs)} = {r.text(case.rhs)}"
    return case


"""The label scripts' shared kit: explicit sympy symbol matrices, a nonlinear loss, exact equality
at several size choices, and the labels file each script writes or verifies.

Nothing here imports symderiv: a label is what sympy computes from the document's own conventions,
never what the checker says. Each document's script lists its equations as entries; an entry with a
`check` is decided here (holds when both sides agree exactly at every size choice, fails otherwise,
a product whose sizes do not fit counting as a failure); an entry without one is a definition or a
skip, stated by hand with its reason.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sympy as sp
from sympy.matrices.exceptions import ShapeError

REAL = Path(__file__).resolve().parents[1]


def mat(name: str, r: int, c: int) -> sp.Matrix:
    """An r×c matrix of independent symbols name_i_j (1-based)."""
    return sp.Matrix(r, c, lambda i, j: sp.Symbol(f"{name}_{i + 1}_{j + 1}"))


def col(name: str, n: int) -> sp.Matrix:
    return mat(name, n, 1)


def row(name: str, n: int) -> sp.Matrix:
    return mat(name, 1, n)


def loss(*ms: sp.Matrix) -> sp.Expr:
    """A nonlinear scalar of the outputs: every entry enters through sin and a cube with its own weight,
    so no two entries are interchangeable and no gradient is accidentally constant."""
    total = sp.Integer(0)
    k = 1
    for m in ms:
        for e in m:
            total += sp.sin(e) * k + sp.Rational(k, 3) * e**3
            k += 1
    return total


def grad(f: sp.Expr, m: sp.Matrix) -> sp.Matrix:
    """∂f/∂m laid out like m (the gradient layout)."""
    return m.applyfunc(lambda e: sp.diff(f, e))


def jac(y: sp.Matrix, x: sp.Matrix) -> sp.Matrix:
    """Numerator-layout Jacobian of the entries of y (row-major) by the entries of x (row-major)."""
    return sp.Matrix(len(y), len(x), lambda i, j: sp.diff(y[i], x[j]))


def ew(f: Callable, m: sp.Matrix) -> sp.Matrix:
    return m.applyfunc(f)


def had(a: sp.Matrix, b: sp.Matrix) -> sp.Matrix:
    if a.shape != b.shape:
        raise ShapeError(f"Hadamard product of {a.shape} and {b.shape}")
    return a.multiply_elementwise(b)


def same(a, b) -> bool:
    """Exact equality of two scalars or two matrices (different shapes are unequal)."""
    if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
        if not (isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase)) or a.shape != b.shape:
            return False
        return all(_zero(x - y) for x, y in zip(a, b))
    return _zero(a - b)


def _zero(d) -> bool:
    """d ≡ 0? Exact: zero after expanding; otherwise a witness (rational values for the symbols, fixed
    polynomials for the generic functions: an identity for every function holds for these too) whose
    value, evaluated to 40 digits, is clearly not zero proves d ≢ 0; only when none shows it does
    sympy's simplify decide."""
    d = sp.expand(d)
    if d == 0:
        return True
    if _witness_nonzero(d):
        return False
    return sp.simplify(d) == 0


def _witness_nonzero(d) -> bool:
    from sympy.core.function import AppliedUndef

    t = sp.Symbol("t_w")
    funcs = {a.func for a in d.atoms(AppliedUndef)}
    for m in d.atoms(sp.Subs, sp.Derivative):
        funcs |= {a.func for a in m.atoms(AppliedUndef)}
    repl = {f: sp.Lambda(t, t**3 / 5 + t**2 * (k + 2) / 3 + t / (k + 3) + 1) for k, f in enumerate(sorted(funcs, key=str))}
    e = d.subs(repl).doit() if repl else d
    e = e.replace(lambda x: isinstance(x, sigmoid), lambda x: 1 / (1 + sp.exp(-x.args[0])))
    syms = sorted(e.free_symbols, key=str)
    vals = {x: sp.Rational((7 * k) % 11 + 2, (3 * k) % 7 + 3) for k, x in enumerate(syms)}
    try:
        v = sp.N(e.subs(vals), 40)
    except (TypeError, ValueError, ZeroDivisionError):
        return False
    return v.is_number and v.is_finite is not False and abs(v) > sp.Float("1e-20")


@dataclass
class Entry:
    find: str  # a substring of the first line of the equation (the first line containing it, after `after`)
    strict: bool
    why: str
    check: Callable[[dict], bool] | None = None  # decides the equation at one size choice
    verdict: str | None = None  # definition | skip, for entries without a check
    to: str | None = None  # a substring of its last line, when it spans several
    after: str | None = None  # the search starts below the first line containing this
    nth: int = 1  # the n-th line containing `find`
    to_before: bool = False  # end on the line before the one containing `to` (where the next link starts)


def decide(check: Callable[[dict], bool], sizes: list[dict]) -> str:
    ok = True
    for s in sizes:
        try:
            ok = ok and bool(check(s))
        except ShapeError:
            ok = False
    return "holds" if ok else "fails"


def _locate(lines: list[str], e: Entry) -> tuple[int, int]:
    start = 0
    if e.after is not None:
        start = next(i for i, t in enumerate(lines) if e.after in t) + 1
    hits = [i for i in range(start, len(lines)) if e.find in lines[i]]
    if len(hits) < e.nth:
        raise LookupError(f"{e.find!r} (#{e.nth}) not found")
    a = hits[e.nth - 1]
    b = a if e.to is None else next(i for i in range(a + (1 if e.to_before else 0), len(lines)) if e.to in lines[i])
    if e.to_before:
        b -= 1
    return a + 1, b + 1


def build(doc: str, context: str, sizes: list[dict], entries: list[Entry]) -> dict:
    if len(sizes) < 2 and not all(s.get("fixed") for s in sizes):
        raise ValueError("at least two size choices")
    lines = (REAL / doc).read_text(encoding="utf-8").splitlines()
    out = []
    for e in entries:
        a, b = _locate(lines, e)
        if e.check is not None:
            verdict = decide(e.check, sizes)
        else:
            assert e.verdict in ("definition", "skip"), e
            verdict = e.verdict
        out.append({"lines": [a, b], "verdict": verdict, "strict": e.strict and verdict != "skip", "why": e.why})
    out.sort(key=lambda d: d["lines"])
    return {"document": doc, "context": context, "sizes": [{k: v for k, v in s.items()} for s in sizes], "equations": out}


def main(labels: dict, argv: list[str] | None = None) -> int:
    """`python <script>` writes the labels file; `--check` verifies the committed one is what sympy says."""
    argv = sys.argv[1:] if argv is None else argv
    path = REAL / (Path(labels["document"]).stem + ".labels.json")
    text = json.dumps(labels, indent=1, ensure_ascii=False) + "\n"
    if "--check" in argv:
        same_ = path.exists() and json.loads(path.read_text(encoding="utf-8")) == labels
        print(f"{path.name}: {'up to date' if same_ else 'DIFFERS'}")
        return 0 if same_ else 1
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.name}: {len(labels['equations'])} equations")
    return 0


_T = sp.Symbol("t_")


def fprime(f, m: sp.Matrix) -> sp.Matrix:
    """f' applied entrywise (f a sympy Function or a lambda of one symbol)."""
    d = sp.diff(f(_T), _T)
    return m.applyfunc(lambda e: d.subs(_T, e))


class sigmoid(sp.Function):
    """The logistic function, known to sympy only through σ' = σ(1 − σ) (exact, and fast to cancel)."""

    def fdiff(self, argindex=1):
        return self * (1 - self)

"""Integer-exact mode: random signed halves as inputs, in a range where every product
and partial sum the user's code forms is exact in its dtype; the reference is the
derived contraction, exact (float64 BLAS on integers whose every partial sum is below
2^53, or int64), in units of ¼, compared exactly. At large shapes the comparison is a
Freivalds projection (O(n²), probabilistic, bounded)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import BadInput
from .reference import Contraction
from .report import Bound

MANTISSA = {"float64": 53, "float32": 24}
FULL_LIMIT = 1 << 25  # m·k·n up to which the whole reference is built (mistakes named there)
PROJ_BITS, PROJ_COLS = 1, 32  # Freivalds: 32 random 0/1 vectors (each misses a wrong row with probability ≤ ½)
DEGREE = 2  # every gradient entry is a polynomial of degree ≤ 2 in the inputs


def choose_range(largest: int, dtype: str) -> int:
    """R (values j/2, |j| ≤ 2R): the largest power of two ≤ 2^20 such that D·(2R)² < 2^p (the user's dtype
    holds every sum of products exactly, in units of ¼) and D²·(2R)² < 2^62 (the projections fit int64)."""
    if dtype not in MANTISSA:
        raise BadInput(f"unknown dtype {dtype!r}", hint="choose float64 or float32")
    for e in range(20, -1, -1):
        two_r = 2 << e
        if largest * two_r**2 < 2 ** MANTISSA[dtype] and largest**2 * two_r**2 < 2**62:
            return 1 << e
    raise BadInput(f"a size of {largest} is too large for exact values in {dtype}",
                   hint="use float64 or smaller sizes")


def enough_range(most: int, projected: bool, bound: float, calls: int) -> int:
    """The smallest power of two R ≤ `most` whose `calls` calls with fresh values meet `bound` (else `most`).
    Smaller values keep the projections of large outputs one BLAS product each (no digits): at 1024³ the
    range 2^14 meets 1e-9 with two calls, and the comparison takes a fifth of the time the widest range takes."""
    R = 1
    while R < most and per_trial(R, projected) ** calls > bound:
        R *= 2
    return min(R, most)


def per_trial(R: int, projected: bool) -> float:
    """The chance that one call with fresh values passes code that is wrong (a stateless polynomial of degree ≤ 2)."""
    return min(1.0, DEGREE / (4 * R + 1) + (2.0 ** -(PROJ_BITS * PROJ_COLS) if projected else 0.0))


def make_bound(R: int, dtype: str, trials: int, projected: bool, largest: int, target: float | None = None) -> Bound:
    size = 4 * R + 1
    top = (largest * (2 * R) ** 2).bit_length() - 2  # |sum of products| ≤ D·(2R)²/4 < 2^top
    exactness = (f"every product and partial sum is a multiple of ¼ below 2^{top} < 2^{MANTISSA[dtype]}, exact in "
                 f"{dtype}; the reference is exact int64 arithmetic"
                 + ("; the projections are exact integer products through float64, in digits" if projected else ""))
    return Bound(dtype, R, size, trials, DEGREE, PROJ_BITS * PROJ_COLS if projected else None,
                 per_trial(R, projected) ** trials, exactness, target)


def _matmul(subs: str, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """A two-matrix einsum such as 'sp,sc->pc' as one matmul of (transposed) views, so BLAS runs it."""
    ins, out = subs.split("->")
    a, b = ins.split(",")
    if out[0] not in a:
        (a, b), (A, B) = (b, a), (B, A)
    s = a.replace(out[0], "")
    return (A if a == out[0] + s else A.T) @ (B if b == s + out[1] else B.T)


def exact_product(subs: str, small: np.ndarray, big: np.ndarray, small_max: int, big_max: int, inner: int,
                  small_scale: float = 1.0, big_scale: float = 1.0) -> np.ndarray:
    """A two-matrix einsum of small·small_scale and big·big_scale (integers; the scales powers of two),
    exactly, as int64, through BLAS: big·big_scale is cut into digits of s bits, with small_max·2^s·inner
    ≤ 2^53, so that every product and partial sum of a piece is exact; the pieces are put together in
    int64 (the callers' bounds keep it below 2^63). The scales are applied to each piece's thin result:
    its partial sums are integers below 2^53 divided by a power of two, exact too, so no full array is
    scaled unless big is cut into digits."""
    room = ((1 << 53) // max(1, small_max * inner)).bit_length() - 1

    def piece(part: np.ndarray, factor: float) -> np.ndarray:
        out = _matmul(subs, small, part)
        return (out * factor if factor != 1.0 else out).astype(np.int64)

    if big_max < (1 << room):
        return piece(big, small_scale * big_scale)
    if big_scale != 1.0:
        big = big * big_scale
    base = float(1 << room)
    high = np.floor(big / base)  # exact: integers below 2^53 and a power of two
    low = big - high * base  # in [0, 2^s)
    top = exact_product(subs, small, high, small_max, big_max // (1 << room) + 1, inner, small_scale)
    return top * (1 << room) + piece(low, small_scale)


def contract(subs: str, ops: list[np.ndarray]) -> np.ndarray:
    """An einsum of int64 arrays whose every partial sum is below 2^53 (the callers' ranges make it so), exactly:
    two operands through float64 BLAS (integers below 2^53 add exactly in any order), one through int64."""
    if len(ops) == 2:
        return np.rint(_matmul(subs, ops[0].astype(np.float64), ops[1].astype(np.float64))).astype(np.int64)
    return np.einsum(subs, *ops)


class NotANumber(Exception):
    """An output that is not numbers at all (symbols left from an earlier call, strings, objects)."""

    def __init__(self, raw: Any) -> None:
        super().__init__(type(raw).__name__)
        self.raw = raw


class IntegerArith:
    """One trial at one shape: the inputs (as floats for the user, as half-unit ints for us) and the exact checks."""

    name = "integer"

    def __init__(self, dims: dict[str, int], layout: str, bias: bool, R: int, dtype: str,
                 refs: dict[str, Contraction], rng: np.random.Generator) -> None:
        self.dims, self.refs, self.rng, self.R = dims, refs, rng, R
        m, k, n = dims["m"], dims["k"], dims["n"]
        w_shape = (k, n) if layout == "zw" else (n, k)
        shapes = {"Z": (m, k), "W": w_shape, "b": (n,), "G": (m, n)}
        self.halves = {name: rng.integers(-2 * R, 2 * R + 1, size=s, dtype=np.int64) for name, s in shapes.items()}
        self.inputs = {name: h.astype(dtype) for name, h in self.halves.items() if bias or name != "b"}
        for a in self.inputs.values():
            a *= 0.5  # exact: a halving of an integer below 2^24
        self.largest = max(m, k, n)
        self.limit = self.largest * (2 * R) ** 2  # no correct entry exceeds this, in units of ¼
        self.full = m * k * n <= FULL_LIMIT
        self._refs: dict[str, np.ndarray] = {}
        self._values: dict[str, np.ndarray] = {}  # the user's outputs as float64, once known exact
        self.earlier: list[IntegerArith] = []  # the draws of the earlier calls at this shape (stale values)

    # -- exact values -----------------------------------------------------------------------------
    def exact(self, raw: Any, name: str) -> tuple[np.ndarray, tuple[int, ...] | None]:
        """The user's output in units of ¼ as int64, or the float array and its first entry that no
        correct answer could be (not finite, not a multiple of ¼, or too large)."""
        try:
            U = np.asarray(raw, dtype=np.float64)
        except (TypeError, ValueError, RuntimeError):  # symengine: "Symbol cannot be evaluated"
            raise NotANumber(raw) from None
        quarters = U * 4
        with np.errstate(invalid="ignore"):
            ints = quarters.astype(np.int64)
        if ints.size and bool((ints == quarters).all()) and max(-ints.min(), ints.max()) <= self.limit:
            self._values[name] = U
            return ints, None
        if not ints.size:
            return ints, None
        ok = np.isfinite(quarters) & (np.abs(quarters) <= self.limit)
        ok[ok] = quarters[ok] == np.rint(quarters[ok])
        return U, tuple(int(i) for i in np.argwhere(~ok)[0])

    def _operand(self, name: str, transform: str | None) -> np.ndarray:
        h = self.halves[name]
        if transform is not None and transform.startswith("call "):
            return self.earlier[int(transform[5:]) - 1].halves[name]
        if transform is not None and transform.startswith("cut "):  # "cut AXIS N": entries from N on along AXIS zeroed
            axis, cut = (int(x) for x in transform[4:].split())
            h = h.copy()
            h[(slice(None),) * axis + (slice(cut, None),)] = 0
            return h
        if transform == "trunc":
            return np.sign(h) * (np.abs(h) // 2) * 2
        if transform == "clamp":
            return np.maximum(h, 0)
        return h

    def evaluate(self, c: Contraction, transform: dict[str, str] | None = None) -> np.ndarray | None:
        if not self.full:
            return None
        try:
            out = contract(c.subscripts, [self._operand(o, (transform or {}).get(o)) for o in c.operands])
        except ValueError:
            return None
        return out * 2 if len(c.operands) == 1 else out  # a one-operand sum is in units of ½

    def reference(self, name: str) -> np.ndarray | None:
        if name not in self._refs and (self.full or name == "db"):
            self._refs[name] = contract(self.refs[name].subscripts, [self.halves[o] for o in self.refs[name].operands])
            if name == "db":
                self._refs[name] = self._refs[name] * 2
        return self._refs.get(name)

    # -- comparison -------------------------------------------------------------------------------
    def _row(self, name: str, p: int) -> np.ndarray:
        """Row p of the reference, exactly (the contraction with its first output index fixed)."""
        c = self.refs[name]
        ins, out = c.subscripts.split("->")
        ops, subs = [], []
        for s, o in zip(ins.split(","), c.operands):
            a = self.halves[o]
            if out[0] in s:
                a = np.take(a, p, axis=s.index(out[0]))
                s = s.replace(out[0], "")
            ops.append(a)
            subs.append(s)
        return np.einsum(",".join(subs) + "->" + out[1:], *ops)

    def _project(self, c: Contraction, r: np.ndarray) -> np.ndarray:
        """The contraction times r, exactly, in units of ¼: the operand holding the output's column index
        meets r first, so no m×n×k product is formed (Freivalds); BLAS does the work (`exact_product`)."""
        ins, out = c.subscripts.split("->")
        (a, b), (na, nb) = ins.split(","), c.operands
        if out[1] not in b:
            (a, b), (na, nb) = (b, a), (nb, na)
        mid = b.replace(out[1], "") + "c"  # the summed index first: both products run as X @ thin, not thin.T @ X
        top = 2 * self.R
        v = exact_product(f"{out[1]}c,{b}->{mid}", r, self.inputs[nb], 1, top, r.shape[0], big_scale=2.0)
        summed = [self.halves[na].shape[i] for i, x in enumerate(a) if x in mid and x not in out]
        inner = int(np.prod(summed)) if summed else 1
        return exact_product(f"{a},{mid}->{out[0]}c", self.inputs[na], v.astype(np.float64), top,
                             r.shape[0] * top, inner, small_scale=2.0)

    def first_diff(self, name: str, U: np.ndarray) -> tuple[int, ...] | None:
        R = self.reference(name)
        if R is not None:
            wrong = np.argwhere(U != R)
            return tuple(int(i) for i in wrong[0]) if len(wrong) else None
        r = self.rng.integers(0, 1 << PROJ_BITS, size=(U.shape[1], PROJ_COLS)).astype(np.float64)
        lhs = exact_product("qc,pq->pc", r, self._values[name], 1, self.limit, U.shape[1], big_scale=4.0)
        rhs = self._project(self.refs[name], r)
        rows = np.nonzero((lhs != rhs).any(axis=1))[0]
        if not len(rows):
            return None
        p = int(rows[0])
        cols = np.nonzero(U[p] != self._row(name, p))[0]
        return (p, int(cols[0]))

    def entry(self, name: str, index: tuple[int, ...]) -> Any:
        R = self.reference(name)
        return R[index] if R is not None else self._row(name, index[0])[index[1]]

    def show(self, x: Any) -> str:
        if isinstance(x, (np.integer, int)):
            q = Fraction(int(x), 4)
            return str(q.numerator) if q.denominator == 1 else str(float(q)) if abs(q.numerator) < 2**52 else str(q)
        return repr(float(x))

    def equal(self, U: np.ndarray, C: np.ndarray, den: int = 1) -> bool:
        if U.dtype.kind == "i":
            return bool(np.array_equal(U * den, C))
        # an output no exact answer could be (a mean, say): named when it is the correctly rounded C/den
        return bool(np.array_equal(U, (C / 4) / den)) if den != 1 else False

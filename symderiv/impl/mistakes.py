"""Known mistakes in hand-written backward code, as a table: each row builds what a
function making that mistake would return, and a wrong output equal to it gets its
name. `judge` compares one output with the reference and looks the mistake up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from .integer import NotANumber
from .reference import Contraction, as_product
from .report import Finding, Shape


class Arith(Protocol):
    """What a mode supplies: exact values, the reference, equality, display."""

    name: str
    dims: dict[str, int]

    def exact(self, raw: Any, name: str) -> tuple[np.ndarray, tuple[int, ...] | None]: ...
    def reference(self, name: str) -> np.ndarray | None: ...  # None when too large to build whole
    def evaluate(self, c: Contraction, transform: dict[str, str] | None = None) -> np.ndarray | None: ...
    def first_diff(self, name: str, U: np.ndarray) -> tuple[int, ...] | None: ...
    def entry(self, name: str, index: tuple[int, ...]) -> Any: ...
    def show(self, x: Any) -> str: ...
    def equal(self, U: np.ndarray, C: np.ndarray, den: int = 1) -> bool: ...


@dataclass(frozen=True)
class Mistake:
    """A named mistake: `build` gives (what such code returns, divisor) or None where it does not apply."""

    name: str
    applies_to: tuple[str, ...]
    build: Callable[[Arith, str, dict[str, Contraction]], tuple[Any, int, str] | None]


def _transposed(a: Arith, name: str, refs: dict[str, Contraction]) -> Any:
    R = a.reference(name)
    return None if R is None or R.ndim != 2 else (R.T, 1, f"returned ({as_product(refs[name])})ᵀ")


def _other_orders(a: Arith, name: str, refs: dict[str, Contraction]) -> Any:
    """The same operands multiplied with one or both transposed: G W for G Wᵀ, and so on."""
    ref = refs[name]
    ins, out = ref.subscripts.split("->")
    parts = ins.split(",")
    if len(parts) != 2:
        return None
    found = []
    for flip in ((1, 0), (0, 1), (1, 1)):
        new = [p[::-1] if f else p for p, f in zip(parts, flip)]
        for o in (out, out[::-1]):
            c = Contraction(",".join(new) + "->" + o, ref.operands)
            value = a.evaluate(c)
            if value is not None:
                found.append((value, 1, f"computed {as_product(c)} instead of {as_product(ref)}"))
    return found or None


def _scaled(den: int, why: str) -> Callable[[Arith, str, dict[str, Contraction]], Any]:
    def build(a: Arith, name: str, refs: dict[str, Contraction]) -> Any:
        R = a.reference(name)
        return None if R is None or den in (0, 1) else (R, den, why)
    return build


def _batch_mean(a: Arith, name: str, refs: dict[str, Contraction]) -> Any:
    m = a.dims["m"]
    return _scaled(m, f"divided by m = {m}: the batch mean instead of the sum")(a, name, refs) if m > 1 else None


def _bias_wrong_axis(a: Arith, name: str, refs: dict[str, Contraction]) -> Any:
    value = a.evaluate(Contraction("ps->p", ("G",)))
    return None if value is None else (value, 1, "summed G over its n columns (axis 1) instead of its m rows (axis 0)")


def _bias_not_summed(a: Arith, name: str, refs: dict[str, Contraction]) -> Any:
    value = a.evaluate(Contraction("pq->pq", ("G",)))
    return None if value is None else (value, 1, "returned G itself, m×n, instead of its sum over the m rows")


def _bias_keepdims(a: Arith, name: str, refs: dict[str, Contraction]) -> Any:
    R = a.reference(name)
    return None if R is None else (R.reshape(1, -1), 1, "the right sums, kept as a 1×n row; b is a vector of n")


def _swapped(a: Arith, name: str, refs: dict[str, Contraction]) -> Any:
    found = []
    for other in refs:
        if other != name:
            R = a.reference(other)
            if R is not None:
                found.append((R, 1, f"this is the gradient {other}: outputs returned in the wrong order"))
    return found or None


def _transformed(kind: str, why: str) -> Callable[[Arith, str, dict[str, Contraction]], Any]:
    """The right contraction with one operand (or every one) cast or clamped: `kind` is trunc or clamp."""
    def build(a: Arith, name: str, refs: dict[str, Contraction]) -> Any:
        ops = refs[name].operands
        found = []
        for chosen in [(o,) for o in ops] + ([ops] if len(ops) > 1 else []):
            value = a.evaluate(refs[name], transform={o: kind for o in chosen})
            if value is not None:
                found.append((value, 1, why.format(" and ".join(chosen))))
        return found or None
    return build


def _stale(a: Arith, name: str, refs: dict[str, Contraction]) -> Any:
    """The right contraction with some operands (or every one) taken from an earlier call at this shape."""
    earlier = getattr(a, "earlier", [])
    ops = refs[name].operands
    found = []
    for j in range(len(earlier), 0, -1):
        for mask in range(1, 1 << len(ops)):
            chosen = [o for i, o in enumerate(ops) if mask >> i & 1]
            value = a.evaluate(refs[name], transform={o: f"call {j}" for o in chosen})
            if value is not None:
                what = (f"the answer of call {j} again" if len(chosen) == len(ops)
                        else f"computed with {' and '.join(chosen)} from call {j}: a value kept from an earlier call")
                found.append((value, 1, what))
    return found or None


TILES = (8, 16, 32, 64, 128, 256)


def _dim_name(a: Arith, size: int) -> str:
    return next((d for d, v in a.dims.items() if v == size), "a size")


def _tile_remainder(a: Arith, name: str, refs: dict[str, Contraction]) -> Any:
    """A tiled loop that drops the remainder: a sum stopped at the last full tile, or an output's last rows or
    columns (past the last full tile or panel) never written."""
    ref = refs[name]
    ins, out = ref.subscripts.split("->")
    parts = ins.split(",")
    shapes = [a.halves[o].shape for o in ref.operands] if hasattr(a, "halves") else None
    if shapes is None or a.evaluate(ref) is None:
        return None
    found = []
    sizes = {letter: shapes[i][p.index(letter)] for i, p in enumerate(parts) for letter in p}
    R = a.reference(name)
    for letter, d in sizes.items():
        cuts: set[int] = set()
        for T in reversed(TILES):  # the largest tile first: 257 stops at 256 for tiles of 8 … 256 alike
            if d <= T or d % T == 0 or d - d % T in cuts:
                continue
            cut = d - d % T
            cuts.add(cut)
            dim = _dim_name(a, d)
            if letter in out and R is not None:
                axis = out.index(letter)
                C = R.copy()
                C[(slice(None),) * axis + (slice(cut, None),)] = 0
                what = "rows" if axis == 0 else "columns"
                found.append((C, 1, f"{what} {cut + 1}..{d} of {name} (past the last full tile of {T} in {dim} = {d}) "
                                    "left at zero: the ragged last tile or panel is not computed"))
            elif letter not in out:
                i = next(i for i, p in enumerate(parts) if letter in p)
                value = a.evaluate(ref, transform={ref.operands[i]: f"cut {parts[i].index(letter)} {cut}"})
                if value is not None:
                    found.append((value, 1, f"the sum over {dim} = {d} stops at {cut}: the remainder past the last "
                                            f"full tile of {T} is dropped"))
    return found or None


STATE = "depends on earlier calls"
GRADS = ("dZ", "dW")
ALL = ("dZ", "dW", "db")
MISTAKES: tuple[Mistake, ...] = (
    # --- shape and order -----------------------------------------------------------------------
    Mistake("transposed", GRADS, _transposed),
    Mistake("wrong product order", GRADS, _other_orders),
    Mistake("outputs swapped", ALL, _swapped),
    # --- the bias ------------------------------------------------------------------------------
    Mistake("summed over the wrong axis", ("db",), _bias_wrong_axis),
    Mistake("bias gradient not summed", ("db",), _bias_not_summed),
    Mistake("bias gradient kept as a 1×n row", ("db",), _bias_keepdims),
    # --- scale and sign ------------------------------------------------------------------------
    Mistake("scaled by 1/m", ALL, _batch_mean),
    Mistake("sign flipped", ALL, _scaled(-1, "the negative of the gradient")),
    # --- values the integer-exact mode exposes -------------------------------------------------
    Mistake("input cast to integers", ALL, _transformed("trunc", "{} cast to integers: the halves were lost")),
    Mistake("input clamped at zero", ALL, _transformed("clamp", "negative entries of {} clamped to 0, a ReLU-like step")),
    # --- kernels and state ---------------------------------------------------------------------
    Mistake("tile remainder dropped", ALL, _tile_remainder),
    Mistake(STATE, ALL, _stale),
)


def name_mistake(a: Arith, name: str, U: np.ndarray, refs: dict[str, Contraction]) -> tuple[str, str] | None:
    """The first mistake in the table whose result equals U exactly."""
    for mistake in MISTAKES:
        if name not in mistake.applies_to:
            continue
        built = mistake.build(a, name, refs)
        for cand in built if isinstance(built, list) else ([built] if built else []):
            C, den, why = cand
            if C.shape == U.shape and a.equal(U, C, den):
                return mistake.name, why
    return None


def expected_shape(name: str, dims: dict[str, int], layout: str) -> tuple[int, ...]:
    m, k, n = dims["m"], dims["k"], dims["n"]
    return {"dZ": (m, k), "dW": (k, n) if layout == "zw" else (n, k), "db": (n,)}[name]


def judge(a: Arith, name: str, raw: Any, refs: dict[str, Contraction], layout: str, shape: Shape,
          trial: int | None) -> Finding | None:
    """None when the output equals the derived gradient exactly; else what is wrong and, if known, why."""
    want = expected_shape(name, a.dims, layout)
    if raw is None:
        what = "the bias gradient" if name == "db" else name
        return Finding("missing", shape, trial, mistake="bias gradient missing" if name == "db" else None,
                       detail=f"{what} was not returned", expected_shape=want)
    try:
        U, bad = a.exact(raw, name)
    except NotANumber:
        symbols = isinstance(raw, np.ndarray) and raw.dtype == object
        return Finding("value", shape, trial, got="not numbers", expected="numbers",
                       mistake=STATE if symbols else None,
                       detail=("it returned symbols kept from the symbolic call" if symbols
                               else f"it returned a {type(raw).__name__} that is not an array of numbers"))
    if U.shape != want:
        found = name_mistake(a, name, U, refs)
        return Finding("shape", shape, trial, got_shape=U.shape, expected_shape=want,
                       mistake=found[0] if found else "wrong shape", detail=found[1] if found else None)
    index = bad if bad is not None else a.first_diff(name, U)
    if index is None:
        return None
    found = name_mistake(a, name, U, refs)
    return Finding("value", shape, trial, entry=index, got=a.show(U[index]), expected=a.show(a.entry(name, index)),
                   mistake=found[0] if found else None, detail=found[1] if found else None)

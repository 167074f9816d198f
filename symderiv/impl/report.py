"""The result of checking a backward implementation: per output, holds or the first
wrong entry with both sides and the mistake's name; rendered as text lines and as
the JSON document `symderiv.impl/1`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA = "symderiv.impl/1"
Shape = tuple[int, int, int]


@dataclass
class Finding:
    """One output found wrong at one shape (`kind`: value, shape, missing, inputs, state, forward); `trial` is the
    call at that shape (1-based) that showed it."""

    kind: str
    shape: Shape
    trial: int | None = None
    entry: tuple[int, ...] | None = None  # 0-based here; people read it 1-based
    got: str | None = None
    expected: str | None = None
    got_shape: tuple[int, ...] | None = None
    expected_shape: tuple[int, ...] | None = None
    mistake: str | None = None
    detail: str | None = None

    def text(self) -> str:
        m, k, n = self.shape
        at = f"at {m}×{k}×{n}" + (f", call {self.trial}" if self.trial is not None else "")
        if self.kind == "missing":
            out = f"missing {at}: {self.detail}"
        elif self.kind in ("inputs", "state", "forward"):
            out = f"{self.detail} {at}"
        elif self.kind == "shape":
            out = f"wrong shape {at}: got {_shape(self.got_shape)}, expected {_shape(self.expected_shape)}"
        else:
            where = ",".join(str(i + 1) for i in (self.entry or ()))
            out = f"wrong {at}: entry ({where}) is {self.got}, expected {self.expected}"
        if self.mistake:
            shown = self.detail and self.kind not in ("inputs", "state", "forward", "missing")
            out += f"\n      mistake: {self.mistake}" + (f" ({self.detail})" if shown else "")
        return out

    def json(self) -> dict[str, Any]:
        return {"kind": self.kind, "shape": list(self.shape), "trial": self.trial,
                "entry": [i + 1 for i in self.entry] if self.entry is not None else None,
                "got": self.got, "expected": self.expected,
                "got_shape": list(self.got_shape) if self.got_shape is not None else None,
                "expected_shape": list(self.expected_shape) if self.expected_shape is not None else None,
                "mistake": self.mistake, "detail": self.detail}


def _shape(s: tuple[int, ...] | None) -> str:
    return "none" if s is None else ("(" + ", ".join(map(str, s)) + (",)" if len(s) == 1 else ")"))


@dataclass
class Bound:
    """The integer-exact mode's numbers: value set, trials, and the false-pass bound."""

    dtype: str
    half_range: int  # values are j/2 with |j| ≤ 2R, R = half_range
    set_size: int
    trials: int
    degree: int
    projection_bits: int | None  # Freivalds projections: columns × bits each (None: full comparison)
    false_pass: float
    exactness: str
    target: float | None = None  # the bound asked for (--bound); None when --trials chose the number

    def text(self) -> str:
        lines = [f"values: halves in [-{self.half_range}, {self.half_range}] ({self.set_size} values), {self.dtype}; "
                 f"{self.exactness}",
                 f"false pass at most {self.false_pass:.3g} ({self.trials} calls with fresh values at every shape"
                 + (f", chosen for the target {self.target:.3g}" if self.target is not None else "")
                 + f"), for code that is a polynomial of degree ≤ {self.degree} in its inputs and keeps no state "
                 "(Schwartz–Zippel)"]
        if self.projection_bits:
            lines[-1] += f"; large shapes compared by Freivalds projections ({self.projection_bits} random bits)"
        return "\n".join(lines)

    def json(self) -> dict[str, Any]:
        return {"dtype": self.dtype, "values": f"j/2 for integers |j| <= {2 * self.half_range}", "target": self.target,
                "set_size": self.set_size, "trials": self.trials, "degree": self.degree,
                "projection_bits": self.projection_bits, "false_pass_at_most": self.false_pass,
                "exactness": self.exactness}


@dataclass
class Report:
    function: str
    framework: str
    layout: str
    bias: bool
    mode: str
    shapes: list[Shape]
    findings: dict[str, Finding | None] = field(default_factory=dict)  # per output, "inputs" (and "forward"); None = holds
    bound: Bound | None = None
    seed: int | None = None
    notes: list[str] = field(default_factory=list)
    integer_only: list[Shape] = field(default_factory=list)  # in symbolic mode: shapes checked in integer mode only
    protocol: str = ""  # the calls made at every shape (the state protocol), as a sentence

    @property
    def ok(self) -> bool:
        return all(f is None for f in self.findings.values())

    def lines(self) -> list[str]:
        shapes = ", ".join(f"{m}×{k}×{n}" for m, k, n in self.shapes if (m, k, n) not in self.integer_only)
        product = "ZW" if self.layout == "zw" else "ZWᵀ"
        out = [f"check-impl {self.function}  ({self.framework}, layout {self.layout}: A = {product}"
               + (" + b)" if self.bias else ")"),
               "mode: " + ("symbolic (exact): every entry compared as a polynomial in the symbols"
                           if self.mode == "symbolic" else f"integer (exact arithmetic at random points, seed {self.seed})"),
               f"shapes (m×k×n): {shapes}"]
        if self.integer_only:
            out.append("  and, integer-exact (seed " + str(self.seed) + "): "
                       + ", ".join(f"{m}×{k}×{n}" for m, k, n in self.integer_only))
        if self.protocol:
            out.append(f"calls: {self.protocol}")
        out += [f"note: {n}" for n in self.notes]
        for name, finding in self.findings.items():
            out.append(f"  {name:<6} " + ("holds" if finding is None else "fails: " + finding.text()))
        if self.bound is not None:
            out += ["bound: " + line for line in self.bound.text().split("\n")]
            state = [f for f in self.findings.values() if f is not None and f.mistake == "depends on earlier calls"]
            out.append("bound: " + ("the state protocol found state, so the bound does not apply" if state
                                    else "the state protocol passed: the same values gave the same answers"))
        wrong = sum(f is not None for f in self.findings.values())
        out.append("correct: every gradient equals the derived one" if self.ok
                   else f"wrong: {wrong} of {len(self.findings)} checks fail")
        return out

    def text(self) -> str:
        return "\n".join(self.lines()) + "\n"

    def first_failure(self) -> str | None:
        """One line: the first output that fails, where, and the mistake's name."""
        for name, f in self.findings.items():
            if f is not None:
                m, k, n = f.shape
                what = f.mistake or {"value": "a wrong entry", "shape": "a wrong shape", "missing": "not returned"}.get(
                    f.kind, f.kind)
                return f"{name} is wrong at {m}×{k}×{n}: {what}"
        return None

    def json(self) -> dict[str, Any]:
        outputs = {name: {"verdict": "holds" if f is None else "fails", "finding": None if f is None else f.json()}
                   for name, f in self.findings.items() if name not in ("inputs", "forward")}

        def verdict(key: str) -> dict[str, Any]:
            f = self.findings.get(key, None)
            return {"verdict": "holds" if f is None else "fails", "finding": None if f is None else f.json()}

        doc = {"schema": SCHEMA, "function": self.function, "framework": self.framework, "layout": self.layout,
               "bias": self.bias, "mode": self.mode, "seed": self.seed, "shapes": [list(s) for s in self.shapes],
               "ok": self.ok, "outputs": outputs, "inputs": verdict("inputs"),
               "bound": self.bound.json() if self.bound is not None else None, "notes": list(self.notes),
               "integer_only": [list(s) for s in self.integer_only], "protocol": self.protocol}
        if "forward" in self.findings:
            doc["forward"] = verdict("forward")
        return doc

"""Explain a decision: the ClaimResult every output prints (its JSON is the
symderiv.claim/1 document), the sentence that says why, the counterexample,
and where the verdict was decided (declared and chosen sizes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..derivation import Verdict
from .check import Outcome
from .decide import Sizes
from .infer import Typing
from .report import shape_words, text, value_text
from .tree import Claim

SCHEMA = "symderiv.claim/1"


@dataclass
class ClaimResult:
    """Everything decided about one claim; the CLI and JSON only print it."""

    claim: str
    verdict: Verdict
    kind: str | None
    reason: str
    counterexample: dict[str, Any] | None = None
    layouts: dict[str, str | None] = field(default_factory=dict)
    suggestion: str | None = None
    layout: str = "gradient"
    context: str = ""
    sizes: dict[str, int] = field(default_factory=dict)
    checked: Sizes | None = None  # every assignment of the sizes checked, declared and chosen
    statement: str | None = None
    line: int | None = None
    column: int | None = None
    upstream_of: str | None = None  # the output whose gradient G is (for printing g_{i,j})
    proof: str | None = None  # for a claim that holds: "all-sizes" (proved) or "sizes" (checked at sizes)

    @property
    def exit_code(self) -> int:
        return {Verdict.HOLDS: 0, Verdict.FAILS: 1}.get(self.verdict, 2)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "claim": self.claim,
            "statement": self.statement,
            "verdict": self.verdict.value,
            "kind": self.kind,
            "reason": self.reason,
            "counterexample": self.counterexample,
            "layouts": dict(self.layouts),
            "layout": self.layout,
            "suggestion": self.suggestion,
            "context": self.context,
            "sizes": dict(self.sizes),
            "sizes_checked": sizes_dict(self.checked),
            "position": {"line": self.line, "column": self.column} if self.line is not None else None,
            "proof": self.proof,
        }


def sizes_dict(s: Sizes | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {
        "declared": dict(s.declared),
        "chosen": list(s.chosen),
        "assignments": [dict(a) for a in s.assignments],
        "shapes": [{k: list(v) for k, v in sh.items()} for sh in s.shapes],
    }


def _assignment_text(s: Sizes, i: int) -> str:
    named = {k: v for k, v in s.assignments[i].items() if k in s.chosen}
    parts = [f"{k}={v}" for k, v in sorted(named.items())]
    if s.hidden or not parts:
        parts += [f"{x} {r}×{c}" for x, (r, c) in sorted(s.shapes[i].items())]
    return ", ".join(parts)


def sizes_phrase(s: Sizes | None) -> str:
    """Where a verdict was decided: the declared sizes, and every assignment of the chosen ones."""
    if s is None:
        return ""
    declared = ", ".join(f"{k}={v}" for k, v in sorted(s.declared.items()))
    if not s.chosen and not s.hidden:
        return f"at the declared sizes {declared}" if declared else "at the shapes given"
    runs = "; ".join(_assignment_text(s, i) for i in range(len(s.assignments)))
    n = len(s.assignments)
    out = f"at {n} assignment{'s' if n != 1 else ''} of the sizes symderiv chose: {runs}"
    return out + (f"; declared: {declared}" if declared else "")


def shown_sizes(t: Typing, sizes: dict[str, int]) -> dict[str, int]:
    """The named sizes the claim or its context actually uses."""
    return {k: v for k, v in sizes.items() if k in t.classes.by_name and not k.startswith("_")}


def counterexample(o: Outcome, claim: Claim) -> dict[str, Any] | None:
    if o.verdict != "fails":
        return None
    left, right = claim.parts[o.link], claim.parts[o.link + 1]
    ce: dict[str, Any] = {
        "kind": o.kind,
        "link": o.link,
        "indices": dict(o.env) or None,
        "entry": list(o.index) if o.index else None,
        "left_shape": list(o.lhs_shape) if o.lhs_shape is not None else None,
        "right_shape": list(o.rhs_shape) if o.rhs_shape is not None else None,
        "left": value_text(o.lhs) if o.kind == "values" else text(left),
        "right": value_text(o.rhs) if o.kind == "values" else text(right),
        "sizes": {k: v for k, v in o.sizes.items() if not k.startswith("_")},
    }
    return ce


def reason(o: Outcome, claim: Claim) -> str:
    return _reason(o, claim) + o.note


def _reason(o: Outcome, claim: Claim) -> str:
    if o.verdict != "fails" or o.link + 1 >= len(claim.parts):
        return o.reason
    left, right = claim.parts[o.link], claim.parts[o.link + 1]
    at = ""
    if o.env:
        at = " at " + ", ".join(f"{k}={v}" for k, v in o.env.items())
    link = f" (link {o.link + 1} of the chain)" if len(claim.parts) > 2 else ""
    if o.kind == "shapes":
        return f"the shapes differ{link}: {text(left)} is {shape_words(o.lhs_shape)}, {text(right)} is {shape_words(o.rhs_shape)}"
    if o.kind == "values":
        entry = ""
        if o.index:
            entry = f" in entry ({','.join(map(str, o.index))})"
        return (
            f"the two sides differ{entry}{at}{link}: {text(left)} gives {value_text(o.lhs)}, "
            f"but {text(right)} gives {value_text(o.rhs)}"
        )
    if o.kind == "ill-formed":
        return f"{o.reason}{at}{link}"
    return o.reason

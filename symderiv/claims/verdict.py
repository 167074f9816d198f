"""`check_claim`: parse, read the context, infer shapes, decide the claim in
both layouts (and at several sizes when a sum has a symbolic bound), then
explain: the first counterexample, the layouts, a suggestion. Readings that
cannot be decided faithfully (a default layer without the claim's letters, the
swapped layer Z = AW + B, differentials dY = dX W) are unchecked here. A ClaimResult
carries it all; `to_dict` is the symderiv.claim/1 JSON document."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ..derivation import Verdict
from ..errors import BadInput
from .check import Outcome
from .context import LAYER_CONTEXTS, Context, build_context, foreign_letters, mentions_layer, renumber
from .decide import Sizes, decide
from .evaluate import time_limit
from .infer import Typing
from .parser import ClaimParseError, parse
from .report import shape_words, text, value_text
from .suggest import suggest
from .tree import Claim, Deriv, DName, Var, walk

SCHEMA = "symderiv.claim/1"
TIME_LIMIT = 8.0  # seconds per layout: a safety net for the largest shapes
SUGGEST_AFTER = 2.0  # no suggestion search when the check itself was slow
SUGGEST_LIMIT = 3.0
LAYOUTS = ("gradient", "numerator")


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
            "sizes_checked": _sizes_dict(self.checked),
            "position": {"line": self.line, "column": self.column} if self.line is not None else None,
        }


SWAPPED_LAYER = "Z = A W + B, A: m x k, W: k x n, B: 1 x n"


def _names_a_and_z(claim: Claim) -> bool:
    letters = {n.letter.upper() for n in walk(claim) if isinstance(n, Var) and n.style != "greek"}
    return {"A", "Z"} <= letters


def _differentials(claim: Claim, ctx: Context) -> bool:
    """dY with dX or dW of what Y is defined from: the differential notation of matrix
    calculus, not backprop's gradients (dX = dY Wᵀ goes from Y back to X)."""
    defs = dict(ctx.defs)
    first = claim.parts[0] if claim.parts else None
    names = {n.letter for p in claim.parts[1:] for n in walk(p) if isinstance(n, DName)}
    if isinstance(first, DName) and first.letter in defs:
        y = first.letter
        deps, todo = set(), [y]
        while todo:
            for v in walk(defs[todo.pop()]):
                if isinstance(v, Var) and v.style == "plain":
                    x = v.letter if v.sub is None else v.letter.upper()
                    if x not in deps:
                        deps.add(x)
                        if x in defs:
                            todo.append(x)
        return bool(names & deps)
    return False


def _unchecked(text_: str, claim: Claim, ctx: Context, layout: str, reason: str) -> ClaimResult:
    return ClaimResult(text_, Verdict.UNCHECKED, "unsupported", reason,
                       layouts={"gradient": "unchecked", "numerator": "unchecked"}, layout=layout,
                       context=ctx.describe(), statement=text(claim))


def _sizes_dict(s: Sizes | None) -> dict[str, Any] | None:
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


def _shown_sizes(t: Typing, sizes: dict[str, int]) -> dict[str, int]:
    """The named sizes the claim or its context actually uses."""
    return {k: v for k, v in sizes.items() if k in t.classes.by_name and not k.startswith("_")}


def _layout_sensitive(claim: Claim) -> bool:
    return any(isinstance(n, (Deriv, DName)) for n in walk(claim))


def _counterexample(o: Outcome, claim: Claim) -> dict[str, Any] | None:
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


def check_claim(
    text_: str,
    context: str | None = None,
    shapes: dict[str, Any] | None = None,
    layout: str = "gradient",
    sizes: dict[str, int] | None = None,
    layer: str = "zw",
) -> ClaimResult:
    """Decide whether `text_` is true. `context` is e.g. 'Y = X W + b, X: 2x3';
    None means the layer A = ZW + B when the claim is about it (Z, W, G, L), else
    no context. `sizes` are the m, k, n a person gave (those not given are chosen by
    symderiv, 3, 2, 4 first, and varied); `shapes` may add named sizes {'N': 2} and
    letter shapes {'X': (2, 3)}."""
    if layout not in LAYOUTS:
        raise BadInput(f"unknown layout {layout!r}", hint="choose gradient or numerator")
    if layer not in LAYER_CONTEXTS:
        raise BadInput(
            f"unknown layout {layer!r}", hint="choose zw or zwt for the layer, gradient or numerator for the convention"
        )
    sizes = {k: v for k, v in (sizes or {}).items() if v is not None}
    try:
        claim = parse(text_)
    except ClaimParseError as exc:
        ctx_text = context if context is not None else "(not read: the claim did not parse)"
        return ClaimResult(
            text_,
            Verdict.UNCHECKED,
            "parse",
            f"cannot parse the claim: {exc}",
            layouts={"gradient": "unchecked", "numerator": "unchecked"},
            layout=layout,
            context=ctx_text,
            line=exc.line,
            column=exc.column,
        )
    defaulted = context is None and mentions_layer(claim)
    if context is None:
        context = LAYER_CONTEXTS[layer] if defaulted else ""
    ctx = build_context(context, sizes, shapes)
    claim = renumber(claim, ctx.numbered)
    foreign = [x for x in foreign_letters(claim) if x not in ctx.shapes] if defaulted else []
    if foreign:
        return _unchecked(text_, claim, ctx, layout,
                          f"the claim is read in the default layer ({context}), which has no {', '.join(foreign)}: "
                          f"give the layer the claim is about, such as --context 'Y = X W + b'")
    if _differentials(claim, ctx):
        return _unchecked(text_, claim, ctx, layout,
                          "dY next to dX or dW reads as differentials (dY = dX W + X dW), while symderiv reads dW "
                          "as the gradient ∂L/∂W; write gradients as ∂L/∂W")
    started = time.perf_counter()
    with time_limit(TIME_LIMIT):
        outcome, t = decide(ctx, claim, layout)
    if defaulted and layer == "zw" and outcome.verdict == "fails" and _names_a_and_z(claim):
        # Z = AW + b (A the previous layer's activation) is as common as this tool's A = ZW + B
        with time_limit(TIME_LIMIT):
            alt, _ = decide(build_context(SWAPPED_LAYER, sizes, shapes), claim, layout)
        if alt.verdict == "holds":
            return _unchecked(text_, claim, ctx, layout,
                              f"it fails in the default layer ({context}) but holds in the layer "
                              f"Z = A W + B (A the input, Z the output): say which with --context")
    other = "numerator" if layout == "gradient" else "gradient"
    if _layout_sensitive(claim):
        with time_limit(TIME_LIMIT):
            other_outcome, _ = decide(ctx, claim, other)
    else:
        other_outcome = outcome
    layouts = {layout: outcome.verdict, other: other_outcome.verdict}
    result = ClaimResult(
        claim=text_,
        verdict=Verdict(outcome.verdict),
        kind=outcome.kind,
        reason=_reason(outcome, claim),
        counterexample=_counterexample(outcome, claim),
        layouts={k: layouts[k] for k in LAYOUTS},
        layout=layout,
        context=ctx.describe(),
        sizes=_shown_sizes(t, outcome.sizes),
        checked=t.sizes_checked,
        statement=text(claim),
    )
    result.upstream_of = ctx.output if ctx.upstream == "G" else None
    if outcome.verdict == "holds":
        at = sizes_phrase(t.sizes_checked)
        base = outcome.reason if outcome.lhs_shape is not None else "both sides are equal, exactly"
        result.reason = f"{base} ({at})" if at else base
    if time.perf_counter() - started < SUGGEST_AFTER:
        with time_limit(SUGGEST_LIMIT):
            result.suggestion = suggest(ctx, claim, outcome, other_outcome, layout)
    return result

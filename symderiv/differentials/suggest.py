"""A failing claim `∂F/∂V = …` gets the right side derived by matrix differentials (issue 17, item 6):
the suggestion says what the derivative is, checked by the claims engine before it is said (derive
prints nothing it could not check). Lives here, not in claims/, because derive itself uses claims."""

from __future__ import annotations

import re
from typing import Any

from ..claims import check_claim
from ..claims.parser import ClaimParseError, parse
from ..claims.report import text
from ..claims.tree import Deriv, Var


def check_with_derived(claim: str, context: str | None = None, layout: str = "gradient", **kw: Any) -> Any:
    """check_claim, and for a failing derivative the derived right side added to its suggestion."""
    result = check_claim(claim, context=context, layout=layout, **kw)
    if result.verdict.value != "fails" or layout not in ("gradient", "numerator"):
        return result
    found = derived_right_side(claim, context, layout)
    if found is not None and found not in (result.suggestion or ""):
        said = f"the derived right-hand side is {found} (by matrix differentials, checked)"
        result.suggestion = f"{result.suggestion.rstrip('.')}; {said}." if result.suggestion else f"{said[0].upper()}{said[1:]}."
    return result


def derived_right_side(claim: str, context: str | None, layout: str) -> str | None:
    """The derived ∂F/∂V of a claim `∂F/∂V = …` (None when it is not one, or derive cannot answer)."""
    from .answer import derive  # imported here: answer imports the claims engine's heavier parts

    try:
        parsed = parse(claim)
    except ClaimParseError:
        return None
    if len(parsed.parts) != 2 or not isinstance(parsed.parts[0], Deriv):
        return None
    d = parsed.parts[0]
    if not isinstance(d.den, Var) or d.kind != "partial" and d.kind != "nabla":
        return None
    try:
        got = derive(text(d.num), text(d.den), context, layout)
    except Exception:  # noqa: BLE001 - the derived side is only ever added to a suggestion: it never costs the verdict
        return None
    if got.kind not in ("gradient", "jacobian"):
        return None
    out = got.text
    if got.upstream and not re.search(rf"(?<![A-Za-z\\]){got.upstream}(?![A-Za-z])", claim):
        from ..claims.context import build_context

        output = build_context(context or "").output
        if output:  # derive names ∂L/∂Y by its letter G; a claim that never says G reads better without it
            out = re.sub(rf"(?<![A-Za-z]){got.upstream}(?![A-Za-z_])", f"∂L/∂{output}", out)
    return out

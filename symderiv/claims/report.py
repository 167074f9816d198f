"""Printing for claims: claim trees and exact values as Unicode text (Zᵀ G,
∂L/∂w_{1,2}, g_{1,2} z_{1,1} + …) and a ClaimResult as a short plain report.
No rich, no typer: the CLI decides how to colour it."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import symengine as se

from ..shapes import parse_entry_name
from .tree import GREEK as GREEK  # re-exported
from .tree import (
    Add,
    Apply,
    At,
    Claim,
    Deriv,
    Diag,
    Div,
    DName,
    Frob,
    MatrixLit,
    Mean,
    Mul,
    Neg,
    Norm,
    Num,
    Ones,
    Power,
    Space,
    Sub,
    SumOp,
    Trace,
    Transpose,
    Unsup,
    Var,
    Vec,
)

LETTER_ORDER = {"g": 0, "x": 1, "z": 1, "a": 2, "y": 2, "w": 3, "e": 4, "b": 5}
OPS = {"": " ", "*": " ", "@": " ", "cdot": " · ", "times": " × ", "odot": " ⊙ ", "otimes": " ⊗ "}


def sub_text(sub: str) -> str:
    return "_{" + sub + "}" if len(sub) > 1 else "_" + sub


def _atomic(node: Any) -> bool:
    return isinstance(node, (Var, Num, Ones, Trace, Frob, Norm, Vec, Diag, Mean, MatrixLit, DName)) or (
        isinstance(node, Transpose) and _atomic(node.a))


def text(node: Any) -> str:  # noqa: C901 - one case per node type
    """A claim tree as one line of Unicode."""
    if isinstance(node, Claim):
        out = text(node.parts[0])
        for rel, part in zip(node.rels, node.parts[1:]):
            out += f" {'=' if rel in ('=', chr(92) + 'equiv') else '∈' if rel in (chr(92) + 'in', '∈') else rel} {text(part)}"
        return out
    if isinstance(node, Var):
        name = GREEK.get(node.letter, node.letter) if node.style == "greek" else node.letter
        return name + (sub_text(node.sub) if node.sub else "")
    if isinstance(node, Num):
        v: Fraction = node.value
        return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
    if isinstance(node, Ones):
        return "𝟏"
    if isinstance(node, Add):
        return f"{text(node.a)} + {text(node.b)}"
    if isinstance(node, Sub):
        b = text(node.b)
        return f"{text(node.a)} − " + (f"({b})" if isinstance(node.b, (Add, Sub)) else b)
    if isinstance(node, Neg):
        return "−" + _wrap(node.a)
    if isinstance(node, Mul):
        def side(x: Any) -> str:
            mixed = isinstance(x, Mul) and (x.op in ("otimes", "odot")) != (node.op in ("otimes", "odot"))
            return f"({text(x)})" if mixed else _wrap(x)
        return side(node.a) + OPS.get(node.op, " ") + side(node.b)
    if isinstance(node, Div):
        return f"{_wrap(node.a)}/{_wrap(node.b)}"
    if isinstance(node, Transpose):
        return _wrap(node.a, tight=True) + "ᵀ"
    if isinstance(node, Power):
        return _wrap(node.a, tight=True) + "^" + str(node.exp)
    if isinstance(node, Trace):
        return f"tr({text(node.a)})"
    if isinstance(node, Frob):
        return f"⟨{text(node.a)}, {text(node.b)}⟩_F"
    if isinstance(node, Vec):
        return f"vec({text(node.a)})"
    if isinstance(node, Diag):
        return f"diag({text(node.a)})"
    if isinstance(node, Mean):
        return f"{_wrap(node.b, tight=True)}.mean(axis={node.axis})"
    if isinstance(node, Apply):
        return f"{node.fn}{chr(0x2032) * node.order}({text(node.a)})"
    if isinstance(node, At):
        return f"({text(node.a)})" + sub_text(node.sub)
    if isinstance(node, Space):
        return "ℝ^{" + "×".join(map(str, node.dims)) + "}"
    if isinstance(node, Norm):
        return f"‖{text(node.a)}‖" + ("²" if node.squared else "")
    if isinstance(node, SumOp):
        var = ",".join(node.vars)
        rng = f"_{{{var}={node.lo}}}^{{{node.hi}}}" if node.hi is not None else sub_text(var)
        return f"Σ{rng} {_wrap(node.body)}"
    if isinstance(node, Deriv):
        if node.kind == "nabla":
            return f"∇_{text(node.den)} {_wrap(node.num)}"
        num = text(node.num)
        return f"∂{num}/∂{text(node.den)}" if _atomic(node.num) else f"∂({num})/∂{text(node.den)}"
    if isinstance(node, DName):
        return f"∂L/∂{node.letter}" + (sub_text(node.sub) if node.sub else "")
    if isinstance(node, MatrixLit):
        return "[" + "; ".join(", ".join(text(c) for c in row) for row in node.rows) + "]"
    if isinstance(node, Unsup):
        return "…"
    return str(node)


def _wrap(node: Any, tight: bool = False) -> str:
    s = text(node)
    if isinstance(node, (Add, Sub, Neg)) or (tight and not _atomic(node)):
        return f"({s})"
    return s


# --- exact values -------------------------------------------------------------


def _symbol_text(name: str) -> str:
    parsed = parse_entry_name(name)
    if parsed is None:
        return GREEK.get(name, name)
    letter, idx = parsed
    return f"{letter}_{{{','.join(map(str, idx))}}}"


def _factor_key(f: Any) -> tuple:
    base = f.args[0] if f.is_Pow else f
    name = base.name if base.is_Symbol else str(base)
    parsed = parse_entry_name(name)
    letter, idx = parsed if parsed else (name, ())
    return (LETTER_ORDER.get(letter, 9), letter, idx)


def _term(term: Any) -> tuple[Any, str, tuple]:
    coef = se.Integer(1)
    factors = []
    for f in (term.args if term.is_Mul else (term,)):
        if f.is_Number:
            coef *= f
        else:
            factors.append(f)
    factors.sort(key=_factor_key)
    parts = []
    for f in factors:
        if f.is_Pow and f.args[0].is_Symbol:
            parts.append(f"{_symbol_text(f.args[0].name)}^{f.args[1]}")
        elif f.is_Symbol:
            parts.append(_symbol_text(f.name))
        else:
            parts.append(str(f))
    return coef, " ".join(parts), tuple(_factor_key(f) for f in factors)


def value_text(expr: Any, max_terms: int = 12) -> str:
    """An exact polynomial, term by term in a stable reading order."""
    e = se.expand(expr)
    if e == 0:
        return "0"
    terms = [_term(t) for t in (e.args if e.is_Add else (e,))]
    terms.sort(key=lambda t: t[2])
    out = ""
    for n, (coef, body, _) in enumerate(terms[:max_terms]):
        neg = coef < 0
        mag = -coef if neg else coef
        piece = body if (mag == 1 and body) else (str(mag) + (" " + body if body else ""))
        out += ("−" if neg else "") + piece if n == 0 else (" − " if neg else " + ") + piece
    if len(terms) > max_terms:
        out += f" + … ({len(terms) - max_terms} more terms)"
    return out


def shape_words(shape: Any) -> str:
    return "a scalar" if not shape else "×".join(map(str, shape))


def sizes_text(sizes: dict[str, int]) -> str:
    shown = {k: v for k, v in sizes.items() if not k.startswith("_")}
    return ", ".join(f"{k}={v}" for k, v in shown.items())


def render(result: Any) -> str:
    """A ClaimResult as a few lines of plain text."""
    lines = [f"claim:   {result.statement or result.claim}"]
    lines.append(f"context: {result.context}")
    verdict = result.verdict.value if hasattr(result.verdict, "value") else str(result.verdict)
    head = verdict.upper() + (f" ({result.kind})" if result.kind else "")
    lines.append(f"verdict: {head}: {result.reason}")
    if result.kind == "parse" and result.line is not None and result.column is not None:
        src = result.claim.splitlines()[result.line - 1] if result.claim.splitlines() else ""
        lines.append("  " + src)
        lines.append("  " + " " * (result.column - 1) + "^")
    ce = result.counterexample
    checked = getattr(result, "checked", None)
    if ce and ce.get("sizes") and checked is not None and (checked.chosen or checked.hidden):
        chosen = [k for k in sorted(ce["sizes"]) if k in checked.chosen]
        at = ", ".join(f"{k}={v}" for k, v in sorted(ce["sizes"].items()))
        lines.append(f"sizes:   {at}" + (f" ({', '.join(chosen)} chosen by symderiv)" if chosen else ""))
    if ce and ce.get("kind") == "values":
        lines.append(f"  left:  {ce['left']}")
        lines.append(f"  right: {ce['right']}")
        if re.search(r"\bg_\{", ce["left"] + ce["right"]) and result.upstream_of:
            lines.append(f"  (g_{{i,j}} is ∂L/∂{result.upstream_of.lower()}_{{i,j}}, the upstream gradient G)")
    lay = result.layouts
    if lay.get("gradient") != lay.get("numerator"):
        lines.append(f"layouts: gradient convention: {lay.get('gradient')}; numerator layout: {lay.get('numerator')}")
    if result.suggestion:
        lines.append(f"suggestion: {result.suggestion}")
    return "\n".join(lines) + "\n"

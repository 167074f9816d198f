"""Notation and exact polynomials as Unicode text (console, JSON statements).

One index style: numeric indices print as subscripts, z₁₂, joined by commas as
soon as one has two digits (a₁,₁₆, never a₁₁₆); letter indices print as
z_{i,p} (not every letter has a Unicode subscript, and half-subscripted
entries read badly). With `subscripts=False` every index is z_{1,2}."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from .. import notation as N
from ..polyterms import Factor, terms

_SUB_FROM, _SUB_TO = "0123456789aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"
_SUB = str.maketrans(_SUB_FROM, _SUB_TO)
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def index_text(idx: tuple[Any, ...], subscripts: bool = True) -> str:
    parts = [str(i) for i in idx]
    if not subscripts or not all(p.isdigit() and p.isascii() for p in parts):
        return "_{" + ",".join(parts) + "}"
    sep = "" if all(len(p) == 1 for p in parts) else ","
    return sep.join(p.translate(_SUB) for p in parts)


def entry_text(letter: str, idx: tuple[Any, ...], subscripts: bool = True) -> str:
    return letter + (index_text(idx, subscripts) if idx else "")


def _factor(f: Factor, subscripts: bool) -> str:
    letter, idx, power = f
    base = entry_text(letter, idx, subscripts)
    return base if power == 1 else base + (str(power).translate(_SUP) if subscripts else f"^{power}")


def _coef(c: Fraction) -> str:
    return str(c.numerator) if c.denominator == 1 else f"{c.numerator}/{c.denominator}"


def _keep(items: list, max_terms: int | None) -> list:
    """Abridge a long sum to its first terms, an ellipsis (None) and its last term."""
    if max_terms is None or len(items) <= max_terms:
        return items
    return [*items[: max_terms - 2], None, items[-1]]


def poly_text(expr: Any, subscripts: bool = True, max_terms: int | None = None) -> str:
    """An exact polynomial term by term, in the reading order of `polyterms`;
    with `max_terms`, a longer sum is abridged as `t₁ + t₂ + ⋯ + tₙ`."""
    out = ""
    for n, term in enumerate(_keep(terms(expr), max_terms)):
        if term is None:
            out += " + ⋯"
            continue
        coef, factors = term
        body = " ".join(_factor(f, subscripts) for f in factors)
        mag = abs(coef)
        text = body if (mag == 1 and body) else (_coef(mag) + (" " + body if body else ""))
        if n == 0:
            out = ("−" if coef < 0 else "") + text
        else:
            out += (" − " if coef < 0 else " + ") + text
    return out or "0"


def _wrap(node: N.Node, s: str) -> str:
    return f"({s})" if isinstance(node, (N.Plus, N.Poly)) and (" + " in s or " − " in s) else s


def to_text(node: Any, subscripts: bool = True, max_terms: int | None = None) -> str:
    """Print a notation node; `max_terms` abridges long sums (the console uses it, JSON does not)."""
    t = lambda x: to_text(x, subscripts, max_terms)  # noqa: E731
    if isinstance(node, str):
        return node
    if isinstance(node, N.Sym):
        return entry_text(node.name, node.idx, subscripts)
    if isinstance(node, N.T):
        inner = t(node.arg)
        return (inner if isinstance(node.arg, (N.Sym, N.Ones)) else f"({inner})") + "ᵀ"
    if isinstance(node, N.D):
        num = t(node.num)
        return f"∂{num}/∂{t(node.den)}" if isinstance(node.num, N.Sym) else f"∂({num})/∂{t(node.den)}"
    if isinstance(node, N.Prod):
        repeated = N.repeated_entry(node)
        if repeated is not None:
            base, power = repeated
            return t(base) + str(power).translate(_SUP)  # a_{i,j} a_{i,j} is a_{i,j}²
        tight = all(N.is_matrix_name(a) for a in node.args)
        return ("" if tight else " ").join(_wrap(a, t(a)) for a in node.args)
    if isinstance(node, N.Plus):
        return " + ".join("⋯" if a is None else t(a) for a in _keep(list(node.args), max_terms)) or "0"
    if isinstance(node, N.Sum):
        under = index_text(tuple(node.var.split(",")), subscripts)
        if node.lo is not None:
            under = f"_{{{node.var}={t(node.lo)}..{t(node.hi)}}}"
        return f"Σ{under} {t(node.body)}"
    if isinstance(node, N.Rel):
        return f"{t(node.lhs)} {node.op} {t(node.rhs)}"
    if isinstance(node, N.Chain):
        return " = ".join(t(p) for p in node.parts)
    if isinstance(node, N.Poly):
        return poly_text(node.expr, subscripts, max_terms)
    if isinstance(node, N.Grid):
        return "[" + "; ".join(", ".join(poly_text(x, subscripts, max_terms) for x in row) for row in node.rows) + "]"
    if isinstance(node, N.Num):
        return str(node.value)
    if isinstance(node, N.Half):
        return "½"
    if isinstance(node, N.Ones):
        return "𝟏"
    if isinstance(node, N.Call):
        return f"{node.fn}(" + ", ".join(t(a) for a in node.args) + ")"
    if isinstance(node, N.Shape):
        return "×".join(map(str, node.dims))
    if isinstance(node, N.Formula):
        return node.text
    if isinstance(node, N.Words):
        return node.text
    if isinstance(node, int):
        return str(node)
    return poly_text(node, subscripts, max_terms)

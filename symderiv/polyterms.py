"""Read an exact polynomial as its terms: coefficient and (symbol, power) factors,
in a stable human order (g before z before w before b, then by index)."""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any

import symengine as se

from .shapes import parse_entry_name

LETTER_ORDER = {"g": 0, "x": 1, "z": 1, "a": 2, "y": 2, "w": 3, "e": 4, "b": 5}

Factor = tuple[str, tuple[int, ...], int]  # letter, indices, power
Term = tuple[Fraction, tuple[Factor, ...]]


def _number(x: Any) -> Fraction:
    if x.is_Integer:
        return Fraction(int(x))
    num, den = x.get_num_den()
    return Fraction(int(num), int(den))


@lru_cache(maxsize=1 << 16)  # the same symbols recur in every polynomial shown
def _factor(x: Any) -> Factor:
    power = 1
    if x.is_Pow:
        base, exp = x.args
        if not (base.is_Symbol and exp.is_Integer):
            raise ValueError(f"not a polynomial factor: {x}")
        x, power = base, int(exp)
    if not x.is_Symbol:
        raise ValueError(f"not a polynomial factor: {x}")
    parsed = parse_entry_name(x.name)
    if parsed is None:
        return (x.name, (), power)
    return (parsed[0], parsed[1], power)


@lru_cache(maxsize=1 << 16)
def factor_key(f: Factor) -> tuple:
    letter, idx, power = f
    return (LETTER_ORDER.get(letter, 9), letter, idx, power)


def terms(expr: Any) -> list[Term]:
    """The terms of `expr` (expanded), each (coefficient, factors), sorted for reading."""
    expr = se.expand(expr)
    if expr == 0:
        return []
    out: list[Term] = []
    for term in expr.args if expr.is_Add else (expr,):
        coef = Fraction(1)
        factors: list[Factor] = []
        for f in term.args if term.is_Mul else (term,):
            if f.is_Number:
                coef *= _number(f)
            else:
                factors.append(_factor(f))
        factors.sort(key=factor_key)
        out.append((coef, tuple(factors)))
    out.sort(key=lambda t: ([factor_key(f) for f in t[1]], t[0]))
    return out

"""Deciding one statement for every shape: a derived entry formula against a closed
form's entry formula. Holds only when their difference simplifies to 0 with m, k, n
symbolic; fails only with a concrete witness (sizes and indices where they differ)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from ..derivation import Check, Counterexample, Verdict
from ..notation import Node, Sym, dL
from ..render.text import to_text
from . import rules
from .indexed import Env, IllFormed, same, to_node


@dataclass
class Side:
    """One side of a comparison: its entry formula as terms (or why it has none) and its shape."""

    terms: list[rules.Term] | IllFormed
    shape: tuple[Any, ...] | None = None


def dims(shape: tuple[Any, ...]) -> str:
    return "×".join(str(d) for d in shape)


def size_values(first: tuple[int, int, int]) -> tuple[tuple[int, ...], ...]:
    return (first, *[s for s in rules.WITNESS_SIZES if s != first])


def _shape_witness(a: tuple[Any, ...], b: tuple[Any, ...], sizes: list[Any],
                   first: tuple[int, int, int]) -> tuple[dict[str, int], tuple[int, ...], tuple[int, ...]] | None:
    if len(a) != len(b):
        at = dict(zip(sizes, first))
        return ({str(k): v for k, v in at.items()}, _at(a, at), _at(b, at))
    for values in size_values(first):
        at = dict(zip(sizes, values))
        ca, cb = _at(a, at), _at(b, at)
        if ca != cb:
            return ({str(k): v for k, v in at.items()}, ca, cb)
    return None


def _at(shape: tuple[Any, ...], at: dict[Any, int]) -> tuple[int, ...]:
    return tuple(int(sp.Integer(d) if isinstance(d, int) else d.xreplace(at)) for d in shape)


def _sizes_text(values: dict[str, int]) -> str:
    return ", ".join(values) + " = " + ", ".join(str(v) for v in values.values())


def decide(check_id: str, statement: Node, derived: Side, closed: Side, free: list[Any], env: Env,
           sizes: list[Any], first: tuple[int, int, int], label: Any, expected: Verdict = Verdict.HOLDS) -> Check:
    """The verdict for every m, k, n. `label(indices)` names the entry a witness is at."""
    if isinstance(closed.terms, IllFormed):
        return Check(check_id, statement, Verdict.FAILS, expected,
                     f"the closed form is not defined for every m, k, n ({closed.terms})",
                     Counterexample("ill-formed", note=str(closed.terms)))
    if derived.shape is not None and closed.shape is not None and not (
            len(derived.shape) == len(closed.shape) and all(same(a, b) for a, b in zip(derived.shape, closed.shape))):
        found = _shape_witness(derived.shape, closed.shape, sizes, first)
        if found is not None:
            at, ds, cs = found
            return Check(check_id, statement, Verdict.FAILS, expected,
                         f"the derived gradient is {dims(derived.shape)} but the closed form is {dims(closed.shape)}; "
                         f"at {_sizes_text(at)} that is {dims(ds)} against {dims(cs)}",
                         Counterexample("shapes", derived_shape=ds, expected_shape=cs))
    assert not isinstance(derived.terms, IllFormed)
    diff = rules.difference(derived.terms, closed.terms)
    if diff == 0:
        return Check(check_id, statement, Verdict.HOLDS, expected,
                     "proved for every m, k, n: the difference of the two entry formulas simplifies to 0")
    a, b = rules.as_expr(derived.terms), rules.as_expr(closed.terms)
    w = rules.witness(a, b, free, env, sizes, size_values(first))
    if w is None:
        return Check(check_id, statement, Verdict.UNCHECKED, expected,
                     f"the difference {to_text(to_node(diff))} does not simplify to 0, "
                     "and no small shape shows it nonzero")
    where = tuple(w.indices.values())
    return Check(
        check_id, statement, Verdict.FAILS, expected,
        f"the derived entry {to_text(to_node(a))} and the closed form's {to_text(to_node(b))} are not equal "
        f"(their difference does not simplify to 0): at {_sizes_text(w.sizes)}, entry "
        f"({', '.join(map(str, where))}) differs",
        Counterexample("values", where, label(where), to_node(w.derived), to_node(w.expected)),
    )


def entry_label(letter: str) -> Any:
    """∂L/∂w_{1,2} for a witness at (1, 2)."""
    return lambda where: dL(Sym(letter, tuple(where)))

"""derive on the done-when set: every answer judged by an independent sympy
computation (reference.py: explicit symbol matrices, sympy diff); 0 wrong, ≥ 85% answered."""

from __future__ import annotations

import inspect
import itertools
import re

import pytest
import sympy as sp

from symderiv.differentials.answer import derive
from symderiv.errors import SymderivError

from .cookbook import ITEMS, Item
from .reference import entries_value, evaluate, gradient, matrices, same

SHAPE = re.compile(r"^\s*([A-Za-z])\s*:\s*([0-9]+)(?:\s*x\s*([0-9]+))?\s*$")


def shapes_of(item: Item, letters: list[str]) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for part in item.context.split(","):
        m = SHAPE.match(part)
        if m:
            out[m.group(1)] = (int(m.group(2)), int(m.group(3)) if m.group(3) else 1)
    if "W" in out and "X" in out and "Y = X W^T" in item.context:
        out.setdefault("b", (1, out["W"][0]))
        out.setdefault("G", (out["X"][0], out["W"][0]))
    elif "W" in out and "X" in out:
        out.setdefault("b", (1, out["W"][1]))
        out.setdefault("G", (out["X"][0], out["W"][1]))
        out.setdefault("T", (out["X"][0], out["W"][1]))
    if "Z" in out and "W" in out:
        out.setdefault("B", (1, out["W"][1]))
    return {k: out[k] for k in letters}


def judge(item: Item, text: str, claim: str) -> bool:
    assert item.f is not None
    letters = list(inspect.signature(item.f).parameters)
    env = matrices(shapes_of(item, letters))
    value = item.f(*[env[x] for x in letters])
    if item.context.startswith("Y = X W, L"):  # a concrete loss: the answer may name the output Y = X W
        env["Y"] = env["X"] * env["W"]
    x = env[item.wrt]
    if item.kind == "gradient":
        want = gradient(value, x)
        got = evaluate(text, env)
        if item.convention == "numerator":
            want = want.T
        return same(got, want)
    if item.kind == "jacobian":
        want = value.jacobian(x)  # numerator layout: rows follow the output
        if item.convention == "gradient":
            want = want.T
        return same(evaluate(text, env), want)
    rhs = claim.split(" = ", 1)[1]
    (r, c), (p, q) = value.shape, x.shape
    for i, j, a, b in itertools.product(range(r), range(c), range(p), range(q)):
        want_e = sp.diff(value[i, j], x[a, b])
        got_e = entries_value(rhs, env, {"i": i + 1, "j": j + 1, "p": a + 1, "q": b + 1})
        if sp.expand(want_e - got_e) != 0:
            return False
    return True


@pytest.mark.parametrize("item", [i for i in ITEMS if i.covered], ids=lambda i: f"{i.expression} wrt {i.wrt}")
def test_answer_agrees_with_sympy(item: Item) -> None:
    result = derive(item.expression, item.wrt, item.context, item.convention)
    assert result.kind == item.kind
    assert judge(item, result.text, result.claim), f"{item.source}: derive said {result.text}"


@pytest.mark.parametrize("item", [i for i in ITEMS if not i.covered], ids=lambda i: f"{i.expression} wrt {i.wrt}")
def test_uncovered_is_refused(item: Item) -> None:
    with pytest.raises(SymderivError):
        derive(item.expression, item.wrt, item.context, item.convention)


def test_the_set_is_large_enough_and_mostly_answered() -> None:
    assert len(ITEMS) >= 60
    assert all(i.source for i in ITEMS)
    answered = sum(i.covered for i in ITEMS)
    assert answered / len(ITEMS) >= 0.85


def test_the_reference_catches_a_wrong_answer() -> None:
    """Negative control of the judge itself: A instead of Aᵀ for ∂tr(XA)/∂X is caught."""
    item = next(i for i in ITEMS if i.expression == r"\operatorname{tr}(X A)")
    assert judge(item, "Aᵀ", "")
    assert not judge(item, "A", "")

"""Planted wrong closed forms must be caught, with the right counterexample.
If these pass while the engine is broken, nothing else can be trusted."""

from __future__ import annotations

import dataclasses

import symengine as se

from symderiv import LAYOUTS, Spec, Verdict, verify

ZW = LAYOUTS["zw"]


def check(d, check_id):
    return next(c for c in d.checks if c.id == check_id)


def test_GtZ_for_ZtG_distinct_shapes_is_a_shape_mismatch() -> None:
    planted = dataclasses.replace(ZW, grad_W=lambda Z, W, G: G.T * Z)
    d = verify(Spec(3, 2, 4), layout=planted)
    c = check(d, "grad_W")
    assert not d.ok and c.verdict == Verdict.FAILS
    assert c.counterexample.kind == "shapes"
    assert c.counterexample.derived_shape == (2, 4) and c.counterexample.expected_shape == (4, 2)


def test_GtZ_for_ZtG_square_is_caught_by_values_at_entry_1_2() -> None:
    # k = n makes GᵀZ type-check; (GᵀZ)_{1,1} = (ZᵀG)_{1,1} by accident, (1,2) is the first to differ
    planted = dataclasses.replace(ZW, grad_W=lambda Z, W, G: G.T * Z)
    d = verify(Spec(3, 2, 2), layout=planted)
    cx = check(d, "grad_W").counterexample
    assert cx.kind == "values" and cx.entry == (1, 2)
    z = lambda i, j: se.Symbol(f"z_{i}_{j}")  # noqa: E731
    g = lambda i, j: se.Symbol(f"g_{i}_{j}")  # noqa: E731
    assert se.expand(cx.derived - sum(z(i, 1) * g(i, 2) for i in (1, 2, 3))) == 0
    assert se.expand(cx.expected - sum(g(i, 1) * z(i, 2) for i in (1, 2, 3))) == 0


def test_row_sums_for_column_sums_is_caught() -> None:
    planted = dataclasses.replace(ZW, grad_B=lambda G: (G * se.ones(G.cols, 1)).T)
    d = verify(Spec(3, 2, 3), layout=planted)  # m = n so the shapes agree and the values must show it
    cx = check(d, "grad_B").counterexample
    assert cx.kind == "values" and cx.entry == (1, 1)
    assert se.expand(cx.derived - (se.Symbol("g_1_1") + se.Symbol("g_2_1") + se.Symbol("g_3_1"))) == 0
    d2 = verify(Spec(3, 2, 4), layout=planted)
    assert check(d2, "grad_B").counterexample.kind == "shapes"


def test_GW_for_GWt_is_caught() -> None:
    planted = dataclasses.replace(ZW, grad_Z=lambda Z, W, G: G * W)
    d = verify(Spec(3, 2, 2), layout=planted)  # k = n: GW is defined but wrong
    c = check(d, "grad_Z")
    assert c.verdict == Verdict.FAILS and c.counterexample.kind == "values" and c.counterexample.entry == (1, 1)
    d2 = verify(Spec(3, 2, 4), layout=planted)  # distinct shapes: GW does not even exist
    assert check(d2, "grad_Z").counterexample.kind == "ill-formed"
    assert not d2.ok


def test_wrong_jacobian_formula_is_caught() -> None:
    planted = dataclasses.replace(ZW, jacobian_entry=lambda Z, i, j, p, q: Z[i][p] * (1 if i == q else 0))
    d = verify(Spec(3, 2, 4), layout=planted)
    assert check(d, "jacobian_entries").verdict == Verdict.FAILS
    assert not d.ok


def test_layouts_swapped_are_caught() -> None:
    # the zw closed forms applied to the zwt layer: a transposition bug a square shape would hide
    planted = dataclasses.replace(LAYOUTS["zwt"], grad_W=ZW.grad_W)
    d = verify(Spec(3, 2, 4, layout="zwt"), layout=planted)
    assert check(d, "grad_W").verdict == Verdict.FAILS

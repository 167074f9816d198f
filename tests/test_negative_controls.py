"""Planted wrong closed forms must be caught, with the right counterexample.
If these pass while the engine is broken, nothing else can be trusted."""

from __future__ import annotations

import dataclasses

import pytest
import symengine as se

from symderiv import LAYOUTS, Spec, Verdict, jacobian, verify
from symderiv.compare import compare_grids
from symderiv.derive import build_layer, local_derivatives
from symderiv.verify import _closed, _jacobian_checks

ZW = LAYOUTS["zw"]
ZWT = LAYOUTS["zwt"]


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
    assert "Invalid shapes" in check(d2, "grad_Z").counterexample.note  # the product's own complaint
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


# --- the Jacobian checks: every check id has a planted wrong answer ----------



def _parts(spec: Spec):
    layer = build_layer(spec)
    J = jacobian.jacobian_from(local_derivatives(layer, set(layer.W)), layer)
    return layer, J


def _with(J: jacobian.Jacobian, key: tuple, value) -> jacobian.Jacobian:
    nz = dict(J.nonzeros)
    if value == 0:
        del nz[key]
    else:
        nz[key] = value
    return jacobian.Jacobian(J.shape, nz)


def _checks(spec: Spec, layout, layer, J) -> dict:
    vjp_closed = _closed(lambda: layout.grad_W(layer.Z, layer.W, layer.G))
    return {c.id: c for c in _jacobian_checks(spec, layout, layer, J, vjp_closed)}


def test_every_check_id_has_a_planted_wrong_form_here() -> None:
    ids = {c.id for c in verify(Spec()).checks}
    covered = {"grad_W", "grad_Z", "grad_B", "jacobian_entries", "jacobian_A_W_is_Zt", "jacobian_vjp", "jacobian_slices"}
    assert ids == covered  # a new check id needs its negative control below (or in test_jacobian.py)


def test_vjp_contracts_the_derived_jacobian_not_the_closed_form_with_itself() -> None:
    spec = Spec(3, 2, 4)
    layer, J = _parts(spec)
    wrong = _with(J, (2, 3, 1, 3), J[2, 3, 1, 3] * 2)  # one derived entry wrong: the contraction must show it
    c = _checks(spec, ZW, layer, wrong)["jacobian_vjp"]
    assert c.verdict == Verdict.FAILS and c.counterexample.entry == (2, 4)  # (p, q) = (2, 4) of ∂L/∂W
    from symderiv.notation import dL, entry

    assert c.counterexample.label == dL(entry("w", 2, 4))
    assert _checks(spec, ZW, layer, J)["jacobian_vjp"].verdict == Verdict.HOLDS


def test_vjp_against_a_wrong_closed_form_fails() -> None:
    planted = dataclasses.replace(ZW, grad_W=lambda Z, W, G: (G.T * Z).T * se.Integer(2))
    d = verify(Spec(3, 2, 2), layout=planted)
    c = check(d, "jacobian_vjp")
    assert c.verdict == Verdict.FAILS and c.counterexample.kind == "values" and c.counterexample.entry == (1, 1)
    d2 = verify(Spec(3, 2, 4), layout=dataclasses.replace(ZW, grad_W=lambda Z, W, G: G.T * Z))
    assert check(d2, "jacobian_vjp").counterexample.kind == "shapes"


def test_every_slice_is_checked_at_small_shapes() -> None:
    r, c = 2, 4  # W is 2×4: eight slices, the last one planted wrong
    planted = dataclasses.replace(
        ZW, jacobian_slice=lambda Z, p, q, shape: ZW.jacobian_slice(Z, p, q, shape) * (2 if (p, q) == (r - 1, c - 1) else 1)
    )
    d = verify(Spec(3, 2, 4), layout=planted)
    s = check(d, "jacobian_slices")
    assert s.verdict == Verdict.FAILS and "fails at (2,4)" in s.reason and "checked for 8 of 8" in s.reason
    middle = dataclasses.replace(ZW, jacobian_slice=lambda Z, p, q, shape: ZW.jacobian_slice(Z, (p + 1) % r, q, shape))
    assert check(verify(Spec(3, 2, 4), layout=middle), "jacobian_slices").verdict == Verdict.FAILS


def test_sampled_slices_include_the_first_and_the_last(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = Spec(9, 8, 10)  # W is 8×10: 80 slices
    layer, J = _parts(spec)
    assert jacobian.slices_difference(J, layer, ZW) == (None, 80)  # 7200 entries: every slice
    monkeypatch.setattr(jacobian, "SLICE_LIMIT", 1000)  # force sampling on a shape quick to build

    def wrong_at(at: tuple):
        return dataclasses.replace(
            ZW, jacobian_slice=lambda Z, p, q, shape: ZW.jacobian_slice(Z, p, q, shape) * (2 if (p, q) == at else 1)
        )

    assert jacobian.slices_difference(J, layer, wrong_at((7, 9))) == ((7, 9), 5)
    assert jacobian.slices_difference(J, layer, wrong_at((0, 0))) == ((0, 0), 5)
    assert jacobian.slices_difference(J, layer, ZW) == (None, 5)


@pytest.mark.parametrize("key", [(0, 0, 0, 0), (2, 3, 1, 3), (1, 2, 0, 2)])
def test_small_jacobian_is_compared_at_every_index(key: tuple) -> None:
    spec = Spec(3, 2, 4)  # 96 entries: the dense path; the first, the last and a middle entry planted wrong
    layer, J = _parts(spec)
    assert J.small
    wrong = _with(J, key, se.Symbol("oops"))
    assert jacobian.entries_difference(wrong, layer, ZW)[0] == key
    c = _checks(spec, ZW, layer, wrong)["jacobian_entries"]
    cx = c.counterexample
    assert cx.kind == "values" and cx.entry == tuple(x + 1 for x in key) and cx.label is None
    assert str(cx.derived) == "oops" and cx.expected == J[key]


def test_small_jacobian_with_an_entry_off_the_support_is_caught() -> None:
    spec = Spec(3, 2, 4)
    layer, J = _parts(spec)
    wrong = _with(J, (2, 3, 1, 2), se.Symbol("z_3_2"))  # off δ: j = 3 ≠ q = 2
    assert jacobian.entries_difference(wrong, layer, ZW)[0] == (2, 3, 1, 2)


@pytest.mark.parametrize("layout", [ZW, ZWT], ids=["zw", "zwt"])
def test_sparse_path_needs_every_support_entry(layout) -> None:
    spec = Spec(9, 8, 10, layout=layout.name)  # 7200 entries: over SHOW_LIMIT, checked through the support
    layer, J = _parts(spec)
    assert not J.small and jacobian.entries_difference(J, layer, layout) is None
    for key in (min(J.nonzeros), max(J.nonzeros)):
        missing = _with(J, key, 0)  # every remaining nonzero is right: only completeness can see it
        found = jacobian.entries_difference(missing, layer, layout)
        assert found is not None and found[0] == key and found[1] == 0 and found[2] == J[key] != 0
    for value in (se.Symbol("z_9_1"), se.Integer(1)):  # a nonzero off the support, even a plain 1
        extra = _with(J, (8, 9, 0, 0), value)
        assert jacobian.entries_difference(extra, layer, layout)[0] == (8, 9, 0, 0)


def test_zwt_support_swapped_for_zw_is_caught() -> None:
    planted = dataclasses.replace(ZWT, jacobian_support=ZW.jacobian_support)
    spec = Spec(9, 8, 10, layout="zwt")
    layer, J = _parts(spec)
    assert jacobian.entries_difference(J, layer, planted) is not None
    d = verify(spec, layout=planted)
    assert check(d, "jacobian_entries").verdict == Verdict.FAILS and not d.ok


def test_defaults_are_distinct_sizes_3_2_4() -> None:
    spec = Spec()
    assert (spec.m, spec.k, spec.n) == (3, 2, 4)
    d = verify(spec)
    assert check(d, "grad_W").verdict == Verdict.HOLDS and check(d, "jacobian_A_W_is_Zt").verdict == Verdict.FAILS


@pytest.mark.parametrize("where", [(0, 0), (0, 2), (1, 0), (2, 2), (2, 1)])
def test_compare_grids_scans_every_entry(where: tuple) -> None:
    x = se.Symbol("x")
    derived = [[x + r + 3 * c for c in range(3)] for r in range(3)]
    expected = [list(row) for row in derived]
    expected[where[0]][where[1]] = expected[where[0]][where[1]] + 1
    marks, diff = compare_grids(derived, expected)
    assert diff is not None and diff.index == where
    assert marks == [[(r, c) != where for c in range(3)] for r in range(3)]
    assert compare_grids(derived, derived) == ([[True] * 3] * 3, None)
    assert compare_grids(derived, expected[:2])[1].kind == "shapes"


def test_compare_grids_shapes_include_empty_grids() -> None:
    from symderiv.compare import shape_of

    assert shape_of([]) == (0, 0) and shape_of([[]]) == (1, 0) and shape_of([[1, 2, 3]]) == (1, 3)
    marks, diff = compare_grids([], [[]])
    assert marks is None and diff.kind == "shapes" and diff.derived_shape == (0, 0) and diff.expected_shape == (1, 0)
    assert compare_grids([[se.Integer(1)]], [[se.Integer(2)]])[1].kind == "values"


def test_a_failing_gradient_names_its_entry_in_reason_and_label() -> None:
    from symderiv.notation import dL, entry

    planted = dataclasses.replace(ZW, grad_W=lambda Z, W, G: G.T * Z)
    c = check(verify(Spec(3, 2, 2), layout=planted), "grad_W")
    assert c.reason == "entry (1,2) differs" and c.counterexample.label == dL(entry("w", 1, 2))
    c = check(verify(Spec(3, 3, 2), layout=planted), "grad_W")  # k ≠ n: GᵀZ is 2×3, ZᵀG 3×2
    assert c.reason == "the derived gradient is 3×2 but the closed form is 2×3"
    shifted = dataclasses.replace(ZW, grad_B=lambda G: ZW.grad_B(G) + se.DenseMatrix(1, G.cols, [0, 0, 1, 0]))
    cb = check(verify(Spec(3, 2, 4), layout=shifted), "grad_B")
    assert cb.counterexample.entry == (1, 3) and cb.counterexample.label == dL(entry("b", 3))  # b has one index
    assert cb.reason == "entry (1,3) differs"
    rows = dataclasses.replace(ZW, grad_Z=lambda Z, W, G: ZW.grad_Z(Z, W, G) + se.DenseMatrix(3, 2, [0, 0, 0, 0, 0, 1]))
    cz = check(verify(Spec(3, 2, 4), layout=rows), "grad_Z")
    assert cz.counterexample.entry == (3, 2) and cz.counterexample.label == dL(entry("z", 3, 2))


def test_an_ill_formed_closed_form_is_reported_as_such_by_the_vjp_check() -> None:
    planted = dataclasses.replace(ZW, grad_W=lambda Z, W, G: Z * G)  # 3×2 times 3×4: no product
    c = check(verify(Spec(3, 2, 4), layout=planted), "jacobian_vjp")
    assert c.verdict == Verdict.FAILS and c.reason == "the closed form is ill-formed"
    assert c.counterexample.kind == "ill-formed" and c.counterexample.label is None


def test_every_slice_up_to_the_limit_and_a_spread_sample_beyond(monkeypatch: pytest.MonkeyPatch) -> None:
    layer, J = _parts(Spec(16, 16, 16))  # 16⁴ = 65,536 entries: exactly SLICE_LIMIT, still every slice
    assert jacobian.slices_difference(J, layer, ZW) == (None, 256)
    small_layer, small_J = _parts(Spec(3, 1, 4))  # W is 1×4: four slices
    monkeypatch.setattr(jacobian, "SLICE_LIMIT", 10)  # 48 entries > 10: sampled, one in every max(1, 4 // 4)
    assert jacobian.slices_difference(small_J, small_layer, ZW) == (None, 4)

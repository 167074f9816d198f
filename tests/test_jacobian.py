"""The full Jacobian ∂A/∂W: 4 indices, entries z_{i,p} δ_{j,q}, and what it contracts to."""

from __future__ import annotations

import pytest
import symengine as se
import sympy as sp

from symderiv import LAYOUTS, Spec, Verdict, verify
from symderiv.derive import build_layer, local_derivatives
from symderiv.jacobian import Jacobian, contract, jacobian_from, matricised, zt_readings
from symderiv.verify import _zt_check

from . import expect

ZW = LAYOUTS["zw"]


@pytest.mark.parametrize("m,k,n", [(3, 2, 4), (2, 3, 1), (1, 2, 3)])
@pytest.mark.parametrize("layout", ["zw", "zwt"])
def test_entries_are_z_ip_delta_jq(m: int, k: int, n: int, layout: str) -> None:
    layer = build_layer(Spec(m, k, n, layout=layout))
    J = jacobian_from(local_derivatives(layer, set(layer.W)), layer)
    wr, wc = (k, n) if layout == "zw" else (n, k)
    assert J.shape == (m, n, wr, wc)
    for i in range(m):
        for j in range(n):
            for p in range(wr):
                for q in range(wc):
                    if layout == "zw":
                        want = expect.sym("z", i + 1, p + 1) * sp.KroneckerDelta(j, q)
                    else:
                        want = sp.KroneckerDelta(j, p) * expect.sym("z", i + 1, q + 1)
                    assert sp.expand(sp.sympify(J[i, j, p, q]) - want) == 0


def test_contraction_with_G_is_ZtG() -> None:
    layer = build_layer(Spec(3, 2, 4))
    J = jacobian_from(local_derivatives(layer, set(layer.W)), layer)
    vjp = sp.Matrix([[sp.sympify(x) for x in row] for row in contract(J, layer.G)])
    assert expect.same(vjp, expect.grad_W(3, 2, 4))


def test_the_popular_claim_is_rejected_with_shapes_and_an_entry() -> None:
    c = next(c for c in verify(Spec(3, 2, 4)).checks if c.id == "jacobian_A_W_is_Zt")
    assert c.verdict == Verdict.FAILS and c.ok
    cx = c.counterexample
    assert cx.derived_shape == (3, 4, 2, 4) and cx.expected_shape == (2, 3)
    # row-major, the first entry off δ's support: ∂a_{1,1}/∂w_{1,2} = 0 where broadcast Zᵀ has z_{1,1}
    assert cx.kind == "values" and cx.entry == (1, 1, 1, 2) and cx.derived == 0
    assert str(cx.expected) == "z_1_1"
    assert "12×8, not 2×3" in c.reason  # both vec orders: (mn)×(kn) against k×m
    assert c.suggestion is not None


def test_zwt_claim_witness_is_found_where_its_delta_vanishes() -> None:
    c = next(c for c in verify(Spec(3, 2, 4, layout="zwt")).checks if c.id == "jacobian_A_W_is_Zt")
    # ∂a_{i,j}/∂w_{p,q} = δ_{j,p} z_{i,q}: the first zero in row-major order is (1,1,2,1)
    assert c.verdict == Verdict.FAILS and c.counterexample.entry == (1, 1, 2, 1)
    assert c.counterexample.derived == 0 and str(c.counterexample.expected) == "z_1_1"


@pytest.mark.parametrize("m,k", [(3, 2), (2, 2), (1, 1)])
@pytest.mark.parametrize("layout", ["zw", "zwt"])
def test_with_one_output_the_claim_is_the_jacobian_read_weight_index_first(m: int, k: int, layout: str) -> None:
    # n = 1: ∂a_i/∂w_p = z_{i,p} = (Zᵀ)_{p,i}; the broadcast reading agrees, the matricised ones
    # (output index first: Z, m×k) differ by shape, or by value when m = k ≥ 2
    c = next(c for c in verify(Spec(m, k, 1, layout=layout)).checks if c.id == "jacobian_A_W_is_Zt")
    assert c.verdict == Verdict.HOLDS and c.expected == Verdict.HOLDS and c.ok
    if m != k:
        assert f"{m}×{k}, not {k}×{m}" in c.reason
    elif m >= 2:
        assert "∂a_(1,1)/∂w_(2,1) differs" in c.reason if layout == "zw" else "∂a_(1,1)/∂w_(1,2) differs" in c.reason
    else:
        assert c.reason == (
            "under at least one reading it agrees with the derived Jacobian (1×1×1×1): read with each entry of Zᵀ "
            "broadcast over the indices it lacks, every entry agrees; read as the matrix of vec A by vec W, "
            "column-major, every entry agrees; read as the matrix of vec A by vec W, row-major, every entry agrees"
        )
    assert c.counterexample is None


def _sym_J(J) -> sp.Array:
    return sp.Array([[[[sp.sympify(J[i, j, p, q]) for q in range(J.shape[3])] for p in range(J.shape[2])]
                      for j in range(J.shape[1])] for i in range(J.shape[0])])


def test_matricised_jacobian_is_kronecker_in_both_vec_orders() -> None:
    # math.md: vec(Y) = (I ⊗ X) vec(W) column-major, X ⊗ I row-major (C order)
    m, k, n = 3, 2, 4
    layer = build_layer(Spec(m, k, n))
    J = jacobian_from(local_derivatives(layer, set(layer.W)), layer)
    Z = expect.mat("z", m, k)
    col, _ = matricised(J, column_major=True)
    row, where = matricised(J, column_major=False)
    assert sp.Matrix([[sp.sympify(x) for x in r] for r in col]) == sp.kronecker_product(sp.eye(n), Z)
    assert sp.Matrix([[sp.sympify(x) for x in r] for r in row]) == sp.kronecker_product(Z, sp.eye(n))
    assert where[(1 * n + 2, 1 * n + 2)] == (1, 2, 1, 2)


def _planted(J: Jacobian, changes: dict) -> Jacobian:
    nz = dict(J.nonzeros)
    for key, value in changes.items():
        if value == 0:
            nz.pop(key, None)
        else:
            nz[key] = value
    return Jacobian(J.shape, nz)


def _layer_J(spec: Spec):
    layer = build_layer(spec)
    return layer, jacobian_from(local_derivatives(layer, set(layer.W)), layer)


def test_a_jacobian_that_is_broadcast_zt_would_make_the_claim_hold() -> None:
    # planted: a "derivation" that forgot δ. The check must then say holds (and be flagged not ok)
    spec = Spec(3, 2, 4)
    layer, J = _layer_J(spec)
    Zr = layer.rows("Z")
    broadcast = Jacobian(J.shape, {(i, j, p, q): Zr[i][p] for i in range(3) for j in range(4)
                                   for p in range(2) for q in range(4)})
    c = _zt_check(spec, ZW, layer, broadcast)
    assert c.verdict == Verdict.HOLDS and not c.ok
    # the same, wrong only at the very last entry: still found, and reported there
    last = _planted(broadcast, {(2, 3, 1, 3): se.Integer(0)})
    c = _zt_check(spec, ZW, layer, last)
    assert c.verdict == Verdict.FAILS and c.counterexample.entry == (3, 4, 2, 4)


def test_with_one_output_a_wrong_entry_anywhere_is_caught() -> None:
    spec = Spec(3, 2, 1)
    layer, J = _layer_J(spec)
    for key in [(0, 0, 0, 0), (2, 0, 1, 0)]:  # first and last entries
        c = _zt_check(spec, ZW, layer, _planted(J, {key: J[key] + 1}))
        assert c.verdict == Verdict.FAILS and not c.ok
        assert c.counterexample.entry == tuple(x + 1 for x in key)


def test_square_one_output_matricised_readings_compare_values() -> None:
    # m = k, n = 1: the vec readings have Zᵀ's shape and must differ by value (Z is not symmetric);
    # a planted symmetric "Jacobian" makes them agree
    spec = Spec(2, 2, 1)
    layer, J = _layer_J(spec)
    readings = {r.name: r for r in zt_readings(J, layer.Z.T.tolist(), 0)}
    assert list(readings) == ["broadcast", "vec-column-major", "vec-row-major"]
    assert readings["broadcast"].diff is None
    for name in ("vec-column-major", "vec-row-major"):
        diff = readings[name].diff
        assert diff.kind == "values" and diff.index == (0, 0, 1, 0)  # ∂a_{1,1}/∂w_{2,1} = z_{1,2} against (Zᵀ)_{1,2} = z_{2,1}
        assert str(diff.derived) == "z_1_2" and str(diff.expected) == "z_2_1"
    Zt = layer.Z.T.tolist()
    as_zt = Jacobian(J.shape, {(i, 0, p, 0): Zt[i][p] for i in range(2) for p in range(2)})
    assert all(r.diff is None for r in zt_readings(as_zt, Zt, 0)[1:])


def test_large_shapes_check_the_jacobian_through_its_support() -> None:
    d = verify(Spec(9, 8, 10))  # 9·10·8·10 = 7200 entries: over the display limit
    c = next(c for c in d.checks if c.id == "jacobian_entries")
    assert c.verdict == Verdict.HOLDS
    assert c.reason == "∂A/∂W is 9×10×8×10, compared by its support (where δ ≠ 0) and its values there"
    assert "too many to show" in " ".join(getattr(b, "text", "") for b in d.steps[-1].blocks)  # no dense slice
    assert next(c for c in d.checks if c.id == "jacobian_slices").verdict == Verdict.HOLDS


def test_the_zt_witness_is_labelled_with_its_own_entry() -> None:
    from symderiv.notation import D, entry

    spec = Spec(3, 2, 4)
    layer, J = _layer_J(spec)
    wrong = Jacobian(J.shape, {**{(i, j, p, q): layer.rows("Z")[i][p] for i in range(3) for j in range(4)
                                  for p in range(2) for q in range(4)}, (2, 1, 1, 3): se.Integer(0)})
    c = _zt_check(spec, ZW, layer, wrong)  # broadcast Zᵀ except at (3,2,2,4): the only difference anywhere
    cx = c.counterexample
    assert cx.entry == (3, 2, 2, 4) and cx.label == D(entry("a", 3, 2), entry("w", 2, 4))
    assert cx.derived == 0 and str(cx.expected) == "z_3_2"
    assert cx.derived_shape == (3, 4, 2, 4) and cx.expected_shape == (2, 3)


def test_the_steps_say_which_way_the_shortcut_went() -> None:
    def prose(d) -> str:
        return " ".join(getattr(b, "text", "") for b in d.steps[-1].blocks)

    assert "The popular shortcut equates it with Zᵀ" in prose(verify(Spec(3, 2, 4)))
    assert "With one output, A and W are columns" in prose(verify(Spec(3, 2, 1)))

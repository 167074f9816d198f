"""The full Jacobian ∂A/∂W: 4 indices, entries z_{i,p} δ_{j,q}, and what it contracts to."""

from __future__ import annotations

import pytest
import sympy as sp

from symderiv import Spec, Verdict, verify
from symderiv.derive import build_layer, local_derivatives
from symderiv.jacobian import contract, jacobian_from

from . import expect


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
    assert cx.entry == (1, 2, 1, 1) and cx.derived == 0  # ∂a_{1,2}/∂w_{1,1} = 0 …
    assert str(cx.expected) == "z_1_1"  # … where Zᵀ has z_{1,1}
    assert c.suggestion is not None


def test_large_shapes_check_the_jacobian_through_its_support() -> None:
    d = verify(Spec(9, 8, 10))  # 9·10·8·10 = 7200 entries: over the display limit
    c = next(c for c in d.checks if c.id == "jacobian_entries")
    assert c.verdict == Verdict.HOLDS and "support" in c.reason
    assert next(c for c in d.checks if c.id == "jacobian_slices").verdict == Verdict.HOLDS

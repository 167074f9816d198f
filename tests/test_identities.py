"""The table of math.md, derived by symderiv and compared with expectations built
independently in sympy (tests/expect.py), over distinct shapes and a 1 in each dimension."""

from __future__ import annotations

import pytest

from symderiv import Spec, Verdict, verify
from symderiv.derivation import Comparison

from . import expect

SHAPES = [(3, 2, 4), (2, 3, 5), (1, 2, 4), (3, 1, 4), (3, 2, 1), (1, 1, 1)]


def derived(d, check_id: str):
    for step in d.steps:
        for block in step.blocks:
            if isinstance(block, Comparison) and block.check_id == check_id:
                return expect.to_sympy(block.derived)
    raise AssertionError(f"no comparison for {check_id}")


@pytest.mark.parametrize("m,k,n", SHAPES)
@pytest.mark.parametrize("layout", ["zw", "zwt"])
def test_generic_gradients_match_index_formulas(m: int, k: int, n: int, layout: str) -> None:
    d = verify(Spec(m, k, n, layout=layout))
    assert d.ok
    assert expect.same(derived(d, "grad_W"), expect.grad_W(m, k, n, layout))
    assert expect.same(derived(d, "grad_Z"), expect.grad_Z(m, k, n, layout))
    assert expect.same(derived(d, "grad_B"), expect.grad_B(m, n))
    assert [c.verdict for c in d.checks if c.id.startswith("grad_")] == [Verdict.HOLDS] * 3


@pytest.mark.parametrize("m,k,n", [(3, 2, 4), (1, 2, 3), (2, 1, 3), (2, 3, 1)])
@pytest.mark.parametrize("layout", ["zw", "zwt"])
@pytest.mark.parametrize("bias", [True, False])
def test_sumsq_gradients_match_sympy_naive_route(m: int, k: int, n: int, layout: str, bias: bool) -> None:
    d = verify(Spec(m, k, n, layout=layout, bias=bias, loss="sumsq"))
    assert d.ok
    naive = expect.naive_sumsq_gradients(m, k, n, layout, bias)
    for name, want in naive.items():
        assert expect.same(derived(d, f"grad_{name}"), want), name
    assert ("grad_B" in {c.id for c in d.checks}) == bias


def test_no_bias_has_no_bias_gradient() -> None:
    ids = [c.id for c in verify(Spec(bias=False)).checks]
    assert "grad_B" not in ids and "grad_W" in ids and "grad_Z" in ids


def test_check_ids_and_expected_verdicts() -> None:
    d = verify(Spec())
    by_id = {c.id: c for c in d.checks}
    assert {"grad_W", "grad_Z", "grad_B", "jacobian_A_W_is_Zt"} <= set(by_id)
    assert by_id["jacobian_A_W_is_Zt"].verdict == Verdict.FAILS
    assert by_id["jacobian_A_W_is_Zt"].expected == Verdict.FAILS
    assert all(c.ok for c in d.checks)


def test_bias_gradient_sums_columns_not_rows() -> None:
    # m ≠ n so that the column sums (1×n) and the row sums (m×1) cannot be confused
    d = verify(Spec(2, 3, 4))
    got = derived(d, "grad_B")
    assert got.shape == (1, 4)
    assert expect.same(got, expect.grad_B(2, 4))

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


def test_golden_markdown_from_a_fresh_derivation() -> None:
    # a derivation computed here (not a cached one), so that mutation testing sees this test cover
    # verify and steps: the golden file pins every step they lay out
    from pathlib import Path

    from symderiv.render import markdown

    golden = Path(__file__).parent / "golden" / "verify-3-2-4.md"
    assert markdown.render(verify(Spec(3, 2, 4))) == golden.read_text(encoding="utf-8")


def test_loss_term_count_and_progress_stages() -> None:
    from symderiv.derivation import Prose
    from symderiv.progress import Reporter

    class Recorder(Reporter):
        def __init__(self) -> None:
            self.stages: list[str] = []
            self.finished = False

        def stage(self, name: str, total: int) -> None:
            self.stages.append(name)

        def done(self) -> None:
            self.finished = True

    def loss_prose(d) -> str:
        step = next(s for s in d.steps if s.title == "The loss")
        return " ".join(b.text for b in step.blocks if isinstance(b, Prose))

    rec = Recorder()
    d = verify(Spec(3, 2, 4), reporter=rec)
    assert "L has 36 terms" in loss_prose(d) and rec.finished
    assert {"differentiating the loss", "comparing with the closed forms", "the full Jacobian ∂A/∂W"} <= set(rec.stages)
    assert "L has 1 terms" in loss_prose(verify(Spec(1, 1, 1, bias=False)))  # L = g z w is one product, not a sum
    assert d.method == "exact" and 0 < d.seconds < 3600  # a duration, not a clock reading


def test_holding_gradients_say_every_entry_agrees() -> None:
    d = verify(Spec(3, 2, 4))
    assert {c.id: c.reason for c in d.checks if c.id.startswith("grad_")} == dict.fromkeys(
        ("grad_W", "grad_Z", "grad_B"), "every entry agrees exactly"
    )

"""The corpus of real-style implementations (tests/impl/corpus.py): each judged as expected with
no option beyond --layout/--framework, the failing output and the mistake's name asserted; and
the exit-2 causes that have a likely fix say it."""

from __future__ import annotations

import numpy as np
import pytest

from symderiv.impl import check_impl
from symderiv.impl.loading import UserCodeError

from . import corpus
from .corpus import CASES


def test_the_corpus_is_large_and_mixed() -> None:
    assert len(CASES) >= 30
    assert sum(c.right for c in CASES) >= 10 and sum(not c.right for c in CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.target + ("" if c.right else "-bug"))
def test_every_verdict(case) -> None:
    if case.torch:
        pytest.importorskip("torch")
    fn = getattr(corpus, case.target)
    kw = {k: v for k, v in (("layout", case.layout), ("framework", case.framework)) if v is not None}
    report = check_impl(fn, case.target, **kw)
    assert report.ok is case.right, report.text()
    if not case.right:
        found = report.findings[case.output]
        assert found is not None, report.text()
        assert found.mistake == case.mistake, report.text()


def test_the_shape_that_found_a_tile_bug_is_named() -> None:
    report = check_impl(corpus.np_fast_path_128, "fast path")
    f = report.findings["dW"]
    assert f is not None and f.shape[2] == 257 and "256" in (f.detail or ""), report.text()


def test_stale_cache_names_the_call_and_the_operand() -> None:
    corpus._WT_CACHE.clear()
    report = check_impl(corpus.np_wt_cache_by_shape, "cache")
    f = report.findings["dZ"]
    assert f is not None and f.mistake == "depends on earlier calls", report.text()
    assert "the state protocol found state" in report.text()


def test_view_of_an_input_is_a_note_not_a_failure() -> None:
    report = check_impl(corpus.np_db_view_at_m1, "view")
    assert report.ok and any("db is a view of the input G" in n for n in report.notes), report.text()


def test_torch_api_on_numpy_suggests_the_torch_framework() -> None:
    with pytest.raises(UserCodeError) as err:
        check_impl(corpus.np_torch_api, "torch api")
    assert err.value.hint is not None and "--framework torch" in err.value.hint


def test_matmul_shape_error_suggests_the_other_layout() -> None:
    with pytest.raises(UserCodeError) as err:
        check_impl(corpus.np_right_zwt, "zwt code")
    assert err.value.hint is not None and "--layout zwt" in err.value.hint


def test_the_bound_is_chosen_from_the_target() -> None:
    loose = check_impl(corpus.np_right, "r", mode="integer", dtype="float32", bound=1e-3, extra_shapes=False)
    tight = check_impl(corpus.np_right, "r", mode="integer", dtype="float32", bound=1e-12, extra_shapes=False)
    assert loose.bound is not None and tight.bound is not None
    assert loose.bound.false_pass <= 1e-3 and tight.bound.false_pass <= 1e-12
    assert tight.bound.trials > loose.bound.trials >= 2
    assert "keeps no state" in tight.text() and "the state protocol passed" in tight.text()


def test_a_giant_size_is_refused_before_any_allocation() -> None:
    import time

    from symderiv.errors import TooLarge

    start = time.perf_counter()
    with pytest.raises(TooLarge, match="GiB"):
        check_impl(corpus.np_right, "giant", m=1_000_000_000)
    assert time.perf_counter() - start < 5  # refused at once: a 15 GiB allocation would take far longer


@pytest.mark.parametrize("target", ["np_dropout_all_true", "np_where_mask", "np_float_scale"])
def test_masks_and_constants_stay_symbolic_and_exact(target: str) -> None:
    """True*g is g, np.where with a constant condition picks entries, 0.5·2.0 is 1: proved in symbolic mode."""
    report = check_impl(getattr(corpus, target), target)
    assert report.ok and report.mode == "symbolic", report.text()


def test_a_mask_that_drops_is_still_caught_symbolically() -> None:
    """Negative control: a mask with one False entry changes the gradient, and symbolic mode says so."""
    def dropped(Z, W, b, G):
        mask = np.ones(G.shape, dtype=bool)
        mask[0, 0] = False
        return (G * mask) @ W.T, Z.T @ G, G.sum(axis=0)

    report = check_impl(dropped, "dropped", extra_shapes=False)
    assert report.mode == "symbolic" and report.findings["dZ"] is not None, report.text()

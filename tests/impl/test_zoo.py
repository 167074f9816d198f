"""The oracle against the zoo: every correct style passes in both layouts, with and
without a bias, in both modes; every buggy one is caught at the right output with
its mistake named; tile-boundary and large-shape (projection) checks."""

from __future__ import annotations

import numpy as np
import pytest

from symderiv.impl import check_impl
from symderiv.impl.plan import TILE_SHAPES, all_shapes, base_shapes

from .zoo import BIAS, CORE, ZOO, correct, off_by_one_entry


@pytest.mark.parametrize("layout", ["zw", "zwt"])
@pytest.mark.parametrize("db", BIAS + [None], ids=lambda f: f.__name__ if f else "nobias")
@pytest.mark.parametrize("core", CORE, ids=lambda f: f.__name__)
@pytest.mark.parametrize("mode", ["auto", "integer"])
def test_correct_styles_pass(core, db, layout: str, mode: str) -> None:
    fn = correct(core, db, layout)
    # pure-Python triple loops at the 257-sized tile shapes would take minutes: their own slowness, not the check's
    report = check_impl(fn, fn.__qualname__, layout=layout, bias=db is not None, mode=mode,
                        extra_shapes=core.__name__ != "by_loops")
    assert report.ok, report.text()
    assert set(report.findings) == ({"dZ", "dW", "db", "inputs"} if db else {"dZ", "dW", "inputs"})
    expect = "integer" if mode == "integer" or core.__name__ == "by_float_buffers" else "symbolic"
    assert report.mode == expect


@pytest.mark.parametrize("layout", ["zw", "zwt"])
def test_a_correct_function_fails_under_the_other_layout(layout: str) -> None:
    """Negative control: the zw answer is wrong for zwt (and vice versa) at a square W."""
    other = "zwt" if layout == "zw" else "zw"
    fn = correct(CORE[0], BIAS[0], other)
    report = check_impl(fn, "other layout", m=3, k=4, n=4, layout=layout, extra_shapes=False)
    assert not report.ok and report.findings["dZ"] is not None and report.findings["dW"] is not None


@pytest.mark.parametrize("mode", ["auto", "integer"])
@pytest.mark.parametrize("case", list(ZOO), ids=str)
def test_every_bug_is_caught_and_named(case: str, mode: str) -> None:
    bug = ZOO[case]
    m, k, n = bug.shape
    report = check_impl(bug.fn, case, m=m, k=k, n=n, mode=mode, extra_shapes=bug.extra)
    assert not report.ok
    finding = report.findings[bug.output]
    assert finding is not None, report.text()
    assert finding.mistake == bug.mistake, report.text()
    if mode == "auto":
        assert report.mode == ("symbolic" if bug.symbolic else "integer")
    others = [name for name, f in report.findings.items() if f is not None and name != bug.output]
    assert others in ([], ["dW"]), report.text()  # swapped outputs are wrong twice; nothing else is blamed


def test_a_wrong_entry_is_shown_with_both_sides_exactly() -> None:
    report = check_impl(off_by_one_entry, "off by one", extra_shapes=False)
    f = report.findings["dW"]
    assert f is not None and f.kind == "value" and f.entry == (1, 3)  # the last entry of the 2×4 dW, 0-based
    assert f.expected == "g_1_4*z_1_2 + g_2_4*z_2_2 + g_3_4*z_3_2"  # Σ_i z_{i,2} g_{i,4}, written out by hand
    assert f.got == "1 + " + f.expected


def test_shapes_defaults_squares_and_tile_boundaries() -> None:
    # the given shape, a 1 in each dimension, and a square case for each pair (m = k, k = n, m = n)
    assert base_shapes(3, 2, 4, True) == [(3, 2, 4), (1, 2, 4), (3, 1, 4), (3, 2, 1), (2, 2, 4), (3, 2, 2), (3, 2, 3)]
    assert base_shapes(3, 2, 4, False) == [(3, 2, 4)] and all_shapes(3, 2, 4, False) == [(3, 2, 4)]
    shapes = all_shapes(3, 2, 4, True)
    assert set(TILE_SHAPES) <= set(shapes) and shapes[0] == (3, 2, 4)
    for dim in range(3):  # one past 64, 128 and 256 in every dimension
        assert {s[dim] for s in TILE_SHAPES} == {65, 129, 257}
    large = all_shapes(1024, 300, 2, True)
    assert set(large) == {(1024, 300, 2), (1, 257, 2), (257, 1, 2), (257, 257, 1), (257, 257, 2), (257, 2, 2), (2, 257, 2),
                          *TILE_SHAPES}
    assert large == sorted(large, key=lambda s: s[0] * s[1] * s[2])


def tiled_64(Z, W, b, G):
    """dW by tiles of 64 rows, forgetting the remainder: right whenever m is a multiple of 64."""
    m = Z.shape[0]
    dW = np.zeros_like(W)
    for i0 in range(0, max(m - m % 64, 0), 64):
        dW += Z[i0:i0 + 64].T @ G[i0:i0 + 64]
    if m < 64:
        dW = Z.T @ G
    return G @ W.T, dW, G.sum(axis=0)


def test_tile_bug_shows_only_past_the_tile_boundary() -> None:
    hidden = check_impl(tiled_64, "tiled", m=64, k=3, n=5, mode="integer", extra_shapes=False)
    assert hidden.ok
    shown = check_impl(tiled_64, "tiled", m=64, k=3, n=5, mode="integer")
    f = shown.findings["dW"]
    assert f is not None and f.shape[0] in (65, 129)


@pytest.mark.parametrize("layout", ["zw", "zwt"])
@pytest.mark.parametrize("output", ["dZ", "dW"])
def test_large_shapes_use_projections_and_still_find_the_entry(layout: str, output: str) -> None:
    right = correct(CORE[0], BIAS[0], layout)

    def one_entry_off(Z, W, b, G):
        dZ, dW, db = right(Z, W, b, G)
        (dZ if output == "dZ" else dW)[5, 7] += 0.25  # m·k·n above 2^25: the projections are used
        return dZ, dW, db

    report = check_impl(one_entry_off, "big", m=400, k=300, n=300, layout=layout, mode="integer", trials=1,
                        extra_shapes=False)
    assert report.bound is not None and report.bound.projection_bits == 32
    f = report.findings[output]
    assert f is not None and f.entry == (5, 7)
    assert float(f.got) - float(f.expected) == 0.25
    assert check_impl(right, "big", m=400, k=300, n=300, layout=layout, mode="integer", extra_shapes=False).ok


def test_symbolic_is_refused_for_torch_like_and_too_large() -> None:
    from symderiv.errors import SymderivError

    with pytest.raises(SymderivError):
        check_impl(correct(CORE[0], BIAS[0], "zw"), "x", m=300, k=300, n=300, mode="symbolic")

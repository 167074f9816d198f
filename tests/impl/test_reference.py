"""The reference and the integer mode's arithmetic: the contraction read off the
derivation equals the textbook products computed here independently; a planted
wrong derivation is not read as a valid contraction; the value bounds keep every
product and sum exact in float64 and float32."""

from __future__ import annotations

import numpy as np
import pytest
import symengine as se

from symderiv.impl.integer import MANTISSA, choose_range, make_bound
from symderiv.impl.reference import as_product, derived, establish, read_contraction
from symderiv.shapes import Spec

RNG = np.random.default_rng(7)


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("layout", ["zw", "zwt"])
def test_contractions_equal_the_textbook_products(layout: str, bias: bool) -> None:
    refs = establish(layout, bias)
    m, k, n = 5, 3, 7
    Z = RNG.integers(-9, 10, (m, k))
    W = RNG.integers(-9, 10, (k, n) if layout == "zw" else (n, k))
    G = RNG.integers(-9, 10, (m, n))
    arrays = {"Z": Z, "W": W, "G": G}
    expect = {"dZ": G @ W.T if layout == "zw" else G @ W, "dW": Z.T @ G if layout == "zw" else G.T @ Z}
    if bias:
        expect["db"] = G.sum(axis=0)
    assert set(refs) == set(expect)
    for name, value in expect.items():
        assert np.array_equal(refs[name].apply(arrays), value), name
    assert as_product(refs["dW"]) == ("Zᵀ G" if layout == "zw" else "Gᵀ Z")
    assert as_product(refs["dZ"]) == ("G Wᵀ" if layout == "zw" else "G W")


def test_derived_entries_are_the_chain_rule_sums() -> None:
    syms, grads = derived(Spec(m=3, k=2, n=4))
    z = {(i, l): se.Symbol(f"z_{i}_{l}") for i in range(1, 4) for l in range(1, 3)}
    g = {(i, j): se.Symbol(f"g_{i}_{j}") for i in range(1, 4) for j in range(1, 5)}
    for p in range(1, 3):
        for q in range(1, 5):
            assert se.expand(grads["dW"][p - 1, q - 1] - sum(z[i, p] * g[i, q] for i in range(1, 4))) == 0
    assert grads["db"].shape == (4,) and syms.b is not None and syms.b.shape == (4,)


def test_a_planted_wrong_derivation_is_not_read_as_a_contraction() -> None:
    syms, grads = derived(Spec(m=3, k=2, n=4))
    planted = grads["dW"].copy()
    planted[0, 0] = planted[0, 0] + syms.Z[0, 1] * syms.G[1, 0]  # a stray term breaks the index pattern
    try:
        c = read_contraction(planted)
        value = c.apply({"Z": syms.Z, "W": syms.W, "G": syms.G})
    except ValueError:  # no consistent index pattern at all (numpy refuses the subscripts read)
        value = None
    assert value is None or any(se.expand(a - b) != 0 for a, b in zip(value.flat, planted.flat))
    with pytest.raises(ValueError):
        read_contraction(np.array([[syms.Z[0, 0] ** 2]], dtype=object))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("size", [4, 65, 1024])
def test_range_keeps_float_arithmetic_exact(dtype: str, size: int) -> None:
    R = choose_range(size, dtype)
    assert size * (2 * R) ** 2 < 2 ** MANTISSA[dtype] and R >= 1
    m, k, n = size, min(size, 64), min(size, 48)
    Zh = RNG.integers(-2 * R, 2 * R + 1, (m, k))
    Gh = RNG.integers(-2 * R, 2 * R + 1, (m, n))
    worst = np.full((m, k), 2 * R)  # the largest magnitudes allowed, where rounding would show first
    for a, b in ((Zh, Gh), (worst, np.full((m, n), -2 * R))):
        exact = a.T.astype(object) @ b.astype(object)  # Python ints: no overflow, no rounding
        floats = (a / 2).astype(dtype).T @ (b / 2).astype(dtype)
        assert np.array_equal(floats.astype(object) * 4, exact)


def test_float32_at_1024_would_round_with_the_float64_range() -> None:
    """Negative control: the float32 bound matters; the float64 range rounds in float32."""
    R = choose_range(1024, "float64")
    a = np.full((1024, 3), 2 * R - 1)
    exact = a.T.astype(object) @ a.astype(object)
    floats = (a / 2).astype(np.float32).T @ (a / 2).astype(np.float32)
    assert not np.array_equal(floats.astype(object) * 4, exact)


def test_bound_falls_with_trials() -> None:
    one, three = make_bound(64, "float32", 1, False, 1024), make_bound(64, "float32", 3, False, 1024)
    assert one.set_size == 257 and one.false_pass == pytest.approx(2 / 257)
    assert three.false_pass == pytest.approx((2 / 257) ** 3)
    projected = make_bound(64, "float32", 1, True, 1024)
    assert projected.false_pass == pytest.approx(2 / 257 + 2.0 ** -32)


@pytest.mark.parametrize("sign", [1, -1])
def test_projections_stay_exact_at_the_extreme_values(sign: int) -> None:
    """Every input at ±2R (the largest sums allowed): the float64 projections of a right answer still
    agree exactly, and a change of ¼ in one entry is still seen (negative control)."""
    from symderiv.impl.integer import IntegerArith
    from symderiv.impl.reference import establish

    m, k, n = 1024, 700, 48  # m·k·n above the full-reference limit: projections are used
    R = choose_range(1024, "float64")
    a = IntegerArith({"m": m, "k": k, "n": n}, "zw", True, R, "float64", establish("zw", True), RNG)
    for name, h in a.halves.items():
        h[...] = sign * 2 * R
        a.inputs[name][...] = h / 2
    assert not a.full
    Z, G = a.inputs["Z"], a.inputs["G"]
    right = Z.T.astype(object) @ G.astype(object)  # Python ints and halves: exact by construction
    U = np.array(right, dtype=np.float64)
    ints, bad = a.exact(U, "dW")
    assert bad is None and a.first_diff("dW", ints) is None
    U[3, 5] -= 0.25  # the right entries sit at the bound itself; below it is the hard place to see
    ints, bad = a.exact(U, "dW")
    assert bad is None and a.first_diff("dW", ints) == (3, 5)


def test_a_large_shape_keeps_only_two_draws_of_values_alive() -> None:
    """Memory: above the full-reference limit the draws are made one at a time and only the first is kept (for
    the repeat call), so float32's six calls hold two draws, not six; below it every draw is kept (a stale answer
    is named by the call whose values it used)."""
    import gc

    from symderiv.impl import check_impl
    from symderiv.impl.integer import FULL_LIMIT, IntegerArith

    alive: dict[tuple[int, int], list[int]] = {}

    def backward(Z, W, b, G):
        alive.setdefault(Z.shape, []).append(sum(isinstance(o, IntegerArith) for o in gc.get_objects()))
        return G @ W.T, Z.T @ G, G.sum(axis=0)

    m, k, n = 512, 256, 512
    assert m * k * n > FULL_LIMIT
    report = check_impl(backward, "t", m=m, k=k, n=n, mode="integer", dtype="float32")
    assert report.ok and report.bound.trials >= 5
    assert max(alive[(m, k)]) <= 2 and len(alive[(m, k)]) == report.bound.trials + 1
    small = [max(v) for shape, v in alive.items() if shape != (m, k)]
    assert small and max(small) == report.bound.trials  # the small shapes: every draw kept

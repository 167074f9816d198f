"""The term walk differentiates honestly, including the terms it cannot walk."""

from __future__ import annotations

import symengine as se

from symderiv.derive import differentiate

x, y, z = se.symbols("x y z")


def test_multilinear_terms() -> None:
    d = differentiate(3 * x * y + y * z + 5, [x, y, z])
    assert se.expand(d[x] - 3 * y) == 0
    assert se.expand(d[y] - (3 * x + z)) == 0
    assert se.expand(d[z] - y) == 0


def test_powers_and_functions_fall_back_to_general_diff() -> None:
    d = differentiate(x**2 * y + se.sin(x) + x * y, [x, y])
    assert se.expand(d[x] - (2 * x * y + se.cos(x) + y)) == 0
    assert se.expand(d[y] - (x**2 + x)) == 0


def test_symbols_absent_have_zero_partial_and_sparse_omits_them() -> None:
    assert differentiate(x * y, [z])[z] == 0
    assert differentiate(x * y, [x, z], sparse=True).keys() == {x}


# --- closed forms by one Add per entry, and the work estimate -----------------

import importlib  # noqa: E402

import pytest  # noqa: E402
import sympy as sp  # noqa: E402

from symderiv import Spec, TooLarge  # noqa: E402
from symderiv.derive import build_layer, sumsq_upstream  # noqa: E402
from symderiv.shapes import matmul, symbol_matrix  # noqa: E402

limits = importlib.import_module("symderiv.verify")


@pytest.mark.parametrize("r,i,c", [(3, 2, 4), (1, 5, 1), (4, 1, 3), (2, 3, 1)])
def test_matmul_is_the_matrix_product(r: int, i: int, c: int) -> None:
    X, Y = symbol_matrix("x", r, i), symbol_matrix("y", i, c)
    got = sp.Matrix(r, c, [sp.sympify(v) for v in matmul(X, Y)])
    want = sp.Matrix(r, i, [sp.sympify(v) for v in X]) * sp.Matrix(i, c, [sp.sympify(v) for v in Y])
    assert (got - want).expand() == sp.zeros(r, c)
    with pytest.raises(ValueError):
        matmul(X, symbol_matrix("y", i + 1, c))


def test_sumsq_upstream_is_a_by_term_walk() -> None:
    layer = build_layer(Spec(3, 2, 4, loss="sumsq"))
    _, upstream, chained = sumsq_upstream(layer)
    for i in range(3):
        for j in range(4):
            assert str(upstream[i][j]) == f"a_{i + 1}_{j + 1}"  # ∂(½Σa²)/∂a_{i,j} = a_{i,j}
            assert se.expand(chained[i][j] - layer.A[i][j]) == 0


def test_every_phase_is_in_the_estimate_and_grows_with_its_sizes() -> None:
    base = limits.units(Spec(1000, 2, 4))
    tall = limits.units(Spec(2000, 2, 4))
    assert set(base) == set(limits._US)
    for phase in ("expansion", "term walk", "closed forms", "comparisons", "Jacobian", "Jacobian nonzeros",
                  "slices", "slice entries"):
        assert tall[phase] == 2 * base[phase] > 0, phase  # every phase is linear in m at fixed k, n
    assert tall["steps"] == 2 * base["steps"] - 8 * 4 > 0  # W's and B's shown entries each flow into m entries of A
    assert base["writing out"] < tall["writing out"] <= 2 * base["writing out"]
    assert limits.units(Spec(1000, 2, 4, loss="sumsq"))["chain rule"] > 0 == base["chain rule"]
    assert limits.work(Spec(3, 2, 4)) == int(sum(limits.costs(Spec(3, 2, 4)).values()) * 1e6 + 1e-6)


@pytest.mark.parametrize("shape", [(128, 128, 128), (50000, 2, 4), (64, 64, 64), (3, 2, 4)])
def test_documented_shapes_run_without_force(shape: tuple) -> None:
    limits.check_limits(Spec(*shape), force=False)  # docs/verify.md: these run without asking


def test_a_tall_batch_past_the_limit_asks_for_force() -> None:
    with pytest.raises(TooLarge):  # docs/verify.md: 100000×2×4 is about 3 minutes of work with its steps
        limits.check_limits(Spec(100000, 2, 4), force=False)


def test_over_the_limit_asks_for_force_and_says_why() -> None:
    with pytest.raises(TooLarge) as exc:
        limits.check_limits(Spec(160, 160, 160), force=False)
    line = exc.value.line()
    assert "s of computation" in line and "limit of 120 s" in line and "--force" in line and "128" not in line
    limits.check_limits(Spec(160, 160, 160), force=True)
    with pytest.raises(TooLarge) as hard:
        limits.check_limits(Spec(300, 300, 300), force=True)
    assert "memory" in hard.value.line()
    with pytest.raises(TooLarge):
        limits.check_limits(Spec(64, 64, 64, loss="sumsq"), force=False)


def test_costs_add_up_to_work_and_terms_held_count_the_loss() -> None:
    big = Spec(100000, 2, 4)
    assert abs(sum(limits.costs(big).values()) * 1e6 - limits.work(big)) <= 1
    assert limits.terms_held(Spec(3, 2, 4)) == 3 * 4 * 3  # m·n·(k+1) terms of the expanded loss
    assert limits.terms_held(Spec(3, 2, 4, bias=False)) == 3 * 4 * 2
    assert limits.terms_held(Spec(3, 2, 4, loss="sumsq")) == 36 + 3 * 4 * 5 * 3  # + the expanded gradients
    with pytest.raises(TooLarge) as exc:
        limits.check_limits(Spec(160, 160, 160), force=False)
    assert exc.value.message.startswith("160×160×160 with loss generic needs about 177 s of computation")


def test_force_is_passed_to_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from symderiv import verify

    monkeypatch.setattr(limits, "EXACT_LIMIT", 10)  # every shape is "large" now
    with pytest.raises(TooLarge):
        verify(Spec(3, 2, 4))
    assert verify(Spec(3, 2, 4), force=True).ok


@pytest.mark.parametrize("m,k,n,bias,loss", [(3, 2, 4, True, "generic"), (3, 2, 4, False, "sumsq"), (500, 3, 7, True, "sumsq"),
                                              (40, 5, 6, False, "generic"), (16, 16, 16, True, "generic")])
def test_units_count_what_each_phase_builds(m: int, k: int, n: int, bias: bool, loss: str) -> None:
    # counted by hand from what verify does (docs/performance.md, "Resource guards")
    b = int(bias)
    L = m * n * (k + b)  # terms of A = terms of Σ g a
    grads = m * n * k + m * n * k + b * m * n  # terms of ∂L/∂W (k·n entries of m), ∂L/∂Z (m·k of n), ∂L/∂B (n of m)
    slices = k * n if m * n * k * n <= 1 << 16 else 5  # every slice, or 4 spread over W and the last
    shown = lambda total: total if total <= 12 else 8  # noqa: E731
    want = {
        "expansion": 2 * L, "term walk": L,
        "closed forms": 3 * m * n * k + b * m * n,  # ZᵀG twice (the Jacobian part has its own), GWᵀ, 1ᵀG
        "closed-form entries": 2 * k * n + m * k + b * n,
        "comparisons": grads, "Jacobian": L, "Jacobian nonzeros": m * n * k,
        "slices": slices * m * n * k, "slice entries": slices * m * n,
        "steps": shown(k * n) * m + shown(m * k) * n + b * shown(n) * m,
        "chain rule": (2 * grads * (k + b) + L) if loss == "sumsq" else 0,
    }
    compared = min(k * n, 11) * m + min(m * k, 11) * n + b * min(n, 11) * m  # entries a renderer shows, × terms
    want["writing out"] = (2 * compared + 2 * want["steps"]) * ((k + b) if loss == "sumsq" else 1)
    assert limits.units(Spec(m, k, n, bias=bias, loss=loss)) == want


def test_limits_are_inclusive(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = Spec(3, 2, 4)
    monkeypatch.setattr(limits, "EXACT_LIMIT", limits.work(spec))
    monkeypatch.setattr(limits, "HARD_TERMS", limits.terms_held(spec))
    limits.check_limits(spec, force=False)  # exactly at both limits: runs
    monkeypatch.setattr(limits, "EXACT_LIMIT", limits.work(spec) - 1)
    with pytest.raises(TooLarge):
        limits.check_limits(spec, force=False)
    monkeypatch.setattr(limits, "HARD_TERMS", limits.terms_held(spec) - 1)
    with pytest.raises(TooLarge):
        limits.check_limits(spec, force=True)

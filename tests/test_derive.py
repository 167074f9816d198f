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

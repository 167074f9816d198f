"""The pytest plugin, run in a user's test session through pytest's own `pytester`:
`assert_backward` passes a right backward and fails a wrong one with symderiv's
report; the fixture comes from the `pytest11` entry point, with no import."""

from __future__ import annotations

import pytest

from symderiv.testing import assert_backward

USER_TESTS = '''
import numpy as np
from symderiv.testing import assert_backward


def good(Z, W, b, G):
    return G @ W.T, Z.T @ G, G.sum(axis=0)


def transposed(Z, W, b, G):
    return G @ W.T, G.T @ Z, G.sum(axis=0)


def test_good():
    assert_backward(good, m=3, k=2, n=4)


def test_good_integer_zwt():
    assert_backward(lambda Z, W, b, G: (G @ W, G.T @ Z, G.sum(axis=0)), layout="zwt", mode="integer")


def test_transposed():
    assert_backward(transposed, m=3, k=2, n=4)


def test_fixture_without_import(assert_backward):
    assert_backward(lambda Z, W, G: (G @ W.T, Z.T @ G), bias=False)


def test_fixture_catches(assert_backward):
    assert_backward(lambda Z, W, G: (G @ W.T, Z.T @ G / 3), bias=False)
'''


def test_plugin_in_a_user_session(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=2)
    out = result.stdout.str()
    assert "mistake: transposed" in out
    assert "mistake: scaled by 1/m" in out
    assert "fixture 'assert_backward' not found" not in out
    # the first line names the function by file and name, the output and the mistake; symderiv's frames are hidden
    assert "AssertionError: test_user.py:transposed: dW is wrong at 3×2×4: transposed" in out
    assert "__tracebackhide__" not in out and "symderiv/testing.py" not in out


def test_plugin_is_registered_as_an_entry_point() -> None:
    from importlib.metadata import entry_points

    found = [ep for ep in entry_points(group="pytest11") if ep.name == "symderiv"]
    assert found and found[0].value == "symderiv.pytest_plugin"


def test_assert_backward_raises_with_the_report_and_returns_it_when_right() -> None:
    report = assert_backward(lambda Z, W, b, G: (G @ W.T, Z.T @ G, G.sum(axis=0)))
    assert report.ok and report.mode == "symbolic"
    with pytest.raises(AssertionError, match="bias gradient missing"):
        assert_backward(lambda Z, W, b, G: (G @ W.T, Z.T @ G))
    with pytest.raises(AssertionError, match="raised ZeroDivisionError"):
        assert_backward(lambda Z, W, b, G: 1 / 0)

"""The pytest plugin (entry point `pytest11`, loaded when symderiv is installed): the
`assert_backward` fixture, so a user's tests check their backward code against the
derived gradients without an import line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def assert_backward() -> Callable[..., Any]:
    """symderiv.testing.assert_backward: fails the test with symderiv's report when the backward is wrong."""
    from .testing import assert_backward as check

    return check

"""The hostile suite's switch: cases marked `slow_hostile` (large generated inputs, signals, budgets
passed on purpose) run only under `make test-hostile` (SYMDERIV_HOSTILE=all); the rest run in `make test`."""

from __future__ import annotations

import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow_hostile: a hostile case for `make test-hostile` (SYMDERIV_HOSTILE=all)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("SYMDERIV_HOSTILE") == "all":
        return
    skip = pytest.mark.skip(reason="a slow hostile case: `make test-hostile` runs it")
    for item in items:
        if "slow_hostile" in item.keywords:
            item.add_marker(skip)

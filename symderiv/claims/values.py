"""Exact arrays and the limits on evaluating them: Arr (a scalar, a matrix or a
4-index Jacobian of symengine expressions), the two evaluation failures
(IllFormed, Unsupported), the work budget's unit and the time limit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

BUDGET = 400_000
MAX_SUM_TERMS = 2_000
MAX_POWER = 6


_DEADLINES: list[float] = []


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Evaluation inside the block stops (Unsupported) after `seconds` (nested limits: the earliest wins).
    A safety net for very large shapes; the work budget usually stops first."""
    end = time.perf_counter() + seconds
    _DEADLINES.append(min([end, *_DEADLINES]))
    try:
        yield
    finally:
        _DEADLINES.pop()


def out_of_time() -> bool:
    return bool(_DEADLINES) and time.perf_counter() > _DEADLINES[-1]


class IllFormed(Exception):
    """The formula has no meaning at these shapes (a product that does not fit, …)."""


class Unsupported(Exception):
    """The formula cannot be evaluated faithfully; the claim stays unchecked."""


@dataclass(frozen=True)
class Arr:
    """An exact array: shape () for a scalar, (r, c) for a matrix, 4 dims for a Jacobian."""

    shape: tuple[int, ...]
    data: tuple[Any, ...]

    def at(self, *idx: int) -> Any:
        flat = 0
        for i, d in zip(idx, self.shape):
            flat = flat * d + i
        return self.data[flat]


def terms(x: Any) -> int:
    """How many terms an (expanded) expression has: the unit of the work budget."""
    return len(x.args) if x.is_Add else 1


def scalar(x: Any) -> Arr:
    return Arr((), (x,))


def shape_text(shape: tuple[int, ...]) -> str:
    return "scalar" if not shape else "×".join(map(str, shape))


def squeeze(a: Arr) -> Arr:
    return scalar(a.data[0]) if a.shape == (1, 1) else a

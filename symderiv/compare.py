"""Exact comparison of derived and expected arrays: per-entry marks and the first
differing entry. Equality is `expand(derived - expected) == 0`, never a tolerance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import symengine as se


@dataclass(frozen=True)
class Difference:
    """Why two arrays differ: their shapes, or the first entry (0-based) that differs."""

    kind: str  # "shapes" | "values"
    index: tuple[int, ...] | None = None
    derived: Any = None
    expected: Any = None
    derived_shape: tuple[int, ...] | None = None
    expected_shape: tuple[int, ...] | None = None


def equal(a: Any, b: Any) -> bool:
    """Exact equality of two polynomials (canonical forms first, then the expanded difference)."""
    return a == b or se.expand(a - b) == 0


def shape_of(grid: Sequence[Sequence[Any]]) -> tuple[int, int]:
    return (len(grid), len(grid[0]) if grid else 0)


def as_rows(matrix: Any) -> list[list[Any]]:
    """A symengine matrix or nested list as a list of rows."""
    if hasattr(matrix, "tolist"):
        return matrix.tolist()
    return [list(r) for r in matrix]


def compare_grids(derived: Any, expected: Any) -> tuple[list[list[bool]] | None, Difference | None]:
    """Entry-by-entry marks and the first difference in row-major order (None when equal)."""
    d, e = as_rows(derived), as_rows(expected)
    if shape_of(d) != shape_of(e):
        return None, Difference("shapes", derived_shape=shape_of(d), expected_shape=shape_of(e))
    marks = [[equal(x, y) for x, y in zip(dr, er)] for dr, er in zip(d, e)]
    for r, row in enumerate(marks):
        for c, ok in enumerate(row):
            if not ok:
                return marks, Difference("values", (r, c), d[r][c], e[r][c])
    return marks, None

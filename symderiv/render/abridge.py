"""Which rows and columns of a large array a reader sees: the first few and the
last, with None marking the ellipsis. Shared by every renderer."""

from __future__ import annotations

SHOW = 6  # at most this many rows (or columns) before abridging
HEAD = 4


def indices(count: int, show: int = SHOW, head: int = HEAD) -> list[int | None]:
    """0-based indices to show out of `count`; None stands for the omitted middle."""
    if count <= show:
        return list(range(count))
    return [*range(head), None, count - 1]


def entries(rows: int, cols: int) -> tuple[list[tuple[int, int] | None], int]:
    """The (row, col) entries of a compared matrix a reader sees, row-major, with
    None for the gap, and how many entries the gap stands for."""
    cells = [(r, c) for r in range(rows) for c in range(cols)]
    shown = [None if i is None else cells[i] for i in indices(len(cells), show=12, head=10)]
    return shown, len(cells) - sum(1 for x in shown if x is not None)

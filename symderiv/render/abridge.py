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

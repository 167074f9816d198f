"""What check-impl calls: the shapes (the given one, a 1 in each dimension, a square
case for every pair of sizes, and sizes one past common tile and panel widths), and
how many calls with fresh values each shape gets (enough for the target bound)."""

from __future__ import annotations

import math

from .report import Shape

ONE_BESIDE = 257  # the sizes beside a 1 or in a square case are capped here (one past 256), so they stay cheap
# one past the tile and panel sizes 64, 128 and 256 in every dimension: a kernel that forgets the remainder of
# its last tile, or a fast path taken from 256 on that forgets the ragged last panel, is wrong at these
TILE_SHAPES: tuple[Shape, ...] = ((65, 129, 257), (129, 257, 65), (257, 65, 129))
FIRST_LARGE = 1 << 16  # m·k·n above which the shapes are checked smallest first
MIN_FRESH = 2  # the state protocol: at least two calls with fresh values at every shape, then the first values again
DEFAULT_BOUND = 1e-9


def base_shapes(m: int, k: int, n: int, extra: bool) -> list[Shape]:
    """The given shape; with `extra`, a 1 in each dimension and a square case for each pair (m = k, k = n, m = n)."""
    out: list[Shape] = [(m, k, n)]
    if extra:
        c = [min(d, ONE_BESIDE) for d in (m, k, n)]  # a 1 or a square needs no giant neighbours to show its bugs
        out += [(1, c[1], c[2]), (c[0], 1, c[2]), (c[0], c[1], 1)]
        for i, j in ((0, 1), (1, 2), (0, 2)):
            s = list(c)
            s[i] = s[j] = min(c[i], c[j])
            out.append((s[0], s[1], s[2]))
    return _ordered(out, m * k * n)


def tile_shapes(m: int, k: int, n: int, extra: bool) -> list[Shape]:
    """The integer-only shapes one past the tile sizes (not where they are the given shape already)."""
    return [s for s in TILE_SHAPES if s != (m, k, n)] if extra else []


def _ordered(shapes: list[Shape], given: int) -> list[Shape]:
    unique = list(dict.fromkeys(shapes))
    if given <= FIRST_LARGE:
        return unique  # the given shape first: its report is the one a reader expects
    return sorted(unique, key=lambda s: s[0] * s[1] * s[2])  # large: small shapes first, where mistakes get names


def all_shapes(m: int, k: int, n: int, extra: bool) -> list[Shape]:
    return _ordered(base_shapes(m, k, n, extra) + tile_shapes(m, k, n, extra), m * k * n)


def fresh_calls(per_call: float, bound: float, trials: int | None) -> int:
    """Calls with fresh values at each shape: as asked (at least 2), or the fewest whose bound meets `bound`."""
    if trials is not None:
        return max(MIN_FRESH, trials)
    if per_call <= 0:
        return MIN_FRESH
    if per_call >= 1:
        raise ValueError("no number of trials reaches the bound")
    return max(MIN_FRESH, math.ceil(math.log(bound) / math.log(per_call) - 1e-12))

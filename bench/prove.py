"""`prove` in its own process, after its imports (sympy included): prints the
slowest of the eight variants (layout × bias × loss), each the median of 5 runs, in seconds."""

from __future__ import annotations

import itertools
import statistics
import time

from symderiv import Spec
from symderiv.prove.derivation import prove

if __name__ == "__main__":
    worst = 0.0
    for layout, bias, loss in itertools.product(("zw", "zwt"), (True, False), ("generic", "sumsq")):
        spec = Spec(layout=layout, bias=bias, loss=loss)
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            assert prove(spec).ok
            runs.append(time.perf_counter() - start)
        worst = max(worst, statistics.median(runs))
    print(f"{worst:.3f}")

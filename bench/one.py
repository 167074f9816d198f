"""One exact verify in its own process: prints seconds and peak memory (MiB)."""

from __future__ import annotations

import resource
import sys
import time

from symderiv import Spec, verify

if __name__ == "__main__":
    m, k, n = map(int, sys.argv[1:4])
    start = time.perf_counter()
    d = verify(Spec(m, k, n), force=True)
    seconds = time.perf_counter() - start
    assert d.ok
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(f"{seconds:.3f} {peak / 1024:.0f}")  # MiB: the larger of this process and its forked helper

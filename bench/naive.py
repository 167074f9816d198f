"""The naive route P2 is measured against: sympy's `diff` of the whole loss once
per variable, then expand and compare with the closed forms. Run as a script:
`python bench/naive.py m k n` prints the seconds it took."""

from __future__ import annotations

import sys
import time

import sympy as sp


def naive(m: int, k: int, n: int) -> bool:
    Z = sp.Matrix(m, k, lambda i, j: sp.Symbol(f"z_{i + 1}_{j + 1}"))
    W = sp.Matrix(k, n, lambda i, j: sp.Symbol(f"w_{i + 1}_{j + 1}"))
    B = sp.Matrix(1, n, lambda _, j: sp.Symbol(f"b_{j + 1}"))
    G = sp.Matrix(m, n, lambda i, j: sp.Symbol(f"g_{i + 1}_{j + 1}"))
    A = Z * W + sp.ones(m, 1) * B
    L = sum(G[i, j] * A[i, j] for i in range(m) for j in range(n))
    ok = True
    for M, closed in ((W, Z.T * G), (Z, G * W.T), (B, sp.ones(1, m) * G)):
        for idx in range(len(M)):
            ok &= sp.expand(sp.diff(L, M[idx]) - closed[idx]) == 0
    return ok


if __name__ == "__main__":
    m, k, n = map(int, sys.argv[1:4])
    start = time.perf_counter()
    assert naive(m, k, n)
    print(f"{time.perf_counter() - start:.3f}")

"""A zoo of backward implementations of A = ZW + b (or ZWᵀ + b): correct ones written
in many styles, and buggy ones, each with the mistake a reader would name. Written
from the textbook formulas by hand here, independently of symderiv's derivation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# --- correct, in many styles; `zwt` chooses PyTorch's layout (W is n×k) ----------------------------


def by_matmul(Z, W, G, zwt):
    return (G @ W, G.T @ Z) if zwt else (G @ W.T, Z.T @ G)


def by_einsum(Z, W, G, zwt):
    if zwt:
        return np.einsum("ij,jk->ik", G, W), np.einsum("ij,ik->jk", G, Z)
    return np.einsum("ij,kj->ik", G, W), np.einsum("ik,ij->kj", Z, G)


def by_loops(Z, W, G, zwt):
    m, k = Z.shape
    n = G.shape[1]
    dZ = np.zeros_like(Z)
    dW = np.zeros_like(W)
    for i in range(m):
        for j in range(n):
            for l in range(k):
                dZ[i, l] = dZ[i, l] + G[i, j] * (W[j, l] if zwt else W[l, j])
                if zwt:
                    dW[j, l] = dW[j, l] + G[i, j] * Z[i, l]
                else:
                    dW[l, j] = dW[l, j] + Z[i, l] * G[i, j]
    return dZ, dW


def by_transposes(Z, W, G, zwt):
    """(W Gᵀ)ᵀ for G Wᵀ, (Gᵀ Z)ᵀ for Zᵀ G: right answers reached through transposes."""
    if zwt:
        return (W.T @ G.T).T, (Z.T @ G).T
    return (W @ G.T).T, (G.T @ Z).T


def by_outer_accumulation(Z, W, G, zwt):
    """dW as a sum of outer products, accumulated in place into a fresh array."""
    dW = np.zeros_like(W)
    for i in range(Z.shape[0]):
        dW += np.outer(G[i], Z[i]) if zwt else np.outer(Z[i], G[i])
    dZ = np.zeros_like(Z)
    dZ += G @ W if zwt else np.dot(G, W.T)
    return dZ, dW


def by_float_buffers(Z, W, G, zwt):
    """Fresh float buffers filled in place: cannot hold symbols, so the integer mode checks it."""
    dZ = np.zeros(Z.shape)
    dW = np.zeros(W.shape)
    np.matmul(G, W if zwt else W.T, out=dZ)
    dW[...] = np.tensordot(G, Z, axes=(0, 0)) if zwt else np.tensordot(Z, G, axes=(0, 0))
    return dZ, dW


def db_sum(G):
    return G.sum(axis=0)


def db_ones(G):
    return np.ones(G.shape[0], dtype=G.dtype) @ G


def db_loop(G):
    out = np.zeros_like(G[0])
    for row in G:
        out = out + row
    return out


CORE = [by_matmul, by_einsum, by_loops, by_transposes, by_outer_accumulation, by_float_buffers]
BIAS = [db_sum, db_ones, db_loop]


def correct(core: Callable, db: Callable | None, layout: str) -> Callable:
    zwt = layout == "zwt"
    if db is None:
        def backward(Z, W, G):
            return core(Z, W, G, zwt)
    else:
        def backward(Z, W, b, G):
            dZ, dW = core(Z, W, G, zwt)
            return dZ, dW, db(G)
    backward.__qualname__ = f"{core.__name__}+{db.__name__ if db else 'nobias'}[{layout}]"
    return backward


# --- buggy (layout zw, with a bias unless the case says otherwise) ---------------------------------


@dataclass(frozen=True)
class Bug:
    fn: Callable
    output: str  # which output (or "inputs") must fail
    mistake: str | None  # the name symderiv must give; None: caught, no known name
    shape: tuple[int, int, int] = (3, 2, 4)
    symbolic: bool = True  # False: cannot run on symbols; the integer mode must catch it
    extra: bool = True  # False: the code cannot run at all at a 1-sized extra shape


def transposed_dW(Z, W, b, G):
    return G @ W.T, G.T @ Z, G.sum(axis=0)


def transposed_dZ(Z, W, b, G):
    return W @ G.T, Z.T @ G, G.sum(axis=0)


def wrong_order_dZ(Z, W, b, G):  # G W instead of G Wᵀ: type-checks only when W is square (k = n)
    return G @ W, Z.T @ G, G.sum(axis=0)


def bias_wrong_axis(Z, W, b, G):
    return G @ W.T, Z.T @ G, G.sum(axis=1)


def bias_not_summed(Z, W, b, G):
    return G @ W.T, Z.T @ G, G


def bias_keepdims(Z, W, b, G):
    return G @ W.T, Z.T @ G, G.sum(axis=0, keepdims=True)


def bias_mean(Z, W, b, G):
    return G @ W.T, Z.T @ G, G.mean(axis=0)


def dW_mean(Z, W, b, G):
    return G @ W.T, Z.T @ G / Z.shape[0], G.sum(axis=0)


def bias_missing(Z, W, b, G):
    return G @ W.T, Z.T @ G


def bias_none(Z, W, b, G):
    return G @ W.T, Z.T @ G, None


def sign_flipped(Z, W, b, G):
    return -(G @ W.T), Z.T @ G, G.sum(axis=0)


def swapped(Z, W, b, G):
    return Z.T @ G, G @ W.T, G.sum(axis=0)


def modifies_G(Z, W, b, G):
    G *= 2
    return G @ W.T / 2, Z.T @ G / 2, G.sum(axis=0) / 2


def casts_Z(Z, W, b, G):
    return G @ W.T, Z.astype(np.int64).T @ G, G.sum(axis=0)


def clamps_G(Z, W, b, G):
    return G @ W.T, Z.T @ np.maximum(G, 0), G.sum(axis=0)


def padded_dW(Z, W, b, G):
    return G @ W.T, np.vstack([Z.T @ G, G[:1]]), G.sum(axis=0)


def drops_last_row(Z, W, b, G):  # a tiled loop of 2 rows that forgets the remainder
    m = Z.shape[0]
    dW = np.zeros_like(W)
    for i0 in range(0, m - m % 2, 2):
        dW = dW + Z[i0:i0 + 2].T @ G[i0:i0 + 2]
    return G @ W.T, dW, G.sum(axis=0)


def off_by_one_entry(Z, W, b, G):
    dW = Z.T @ G
    dW[-1, -1] = dW[-1, -1] + 1
    return G @ W.T, dW, G.sum(axis=0)


ZOO = {
    "transposed dW": Bug(transposed_dW, "dW", "transposed"),
    "transposed dZ": Bug(transposed_dZ, "dZ", "transposed"),
    "wrong product order": Bug(wrong_order_dZ, "dZ", "wrong product order", shape=(3, 4, 4), extra=False),
    "bias over the wrong axis": Bug(bias_wrong_axis, "db", "summed over the wrong axis"),
    "bias not summed": Bug(bias_not_summed, "db", "bias gradient not summed"),
    "bias kept 1×n": Bug(bias_keepdims, "db", "bias gradient kept as a 1×n row"),
    "bias mean": Bug(bias_mean, "db", "scaled by 1/m"),
    "dW mean": Bug(dW_mean, "dW", "scaled by 1/m"),
    "bias missing": Bug(bias_missing, "db", "bias gradient missing"),
    "bias None": Bug(bias_none, "db", "bias gradient missing"),
    "sign flipped": Bug(sign_flipped, "dZ", "sign flipped"),
    "outputs swapped": Bug(swapped, "dZ", "outputs swapped"),
    "input modified": Bug(modifies_G, "inputs", "input modified in place"),
    "int cast": Bug(casts_Z, "dW", "input cast to integers", symbolic=False),
    "clamp": Bug(clamps_G, "dW", "input clamped at zero", symbolic=False),
    "padded": Bug(padded_dW, "dW", "wrong shape"),
    "drops last row": Bug(drops_last_row, "dW", None),
    "off by one": Bug(off_by_one_entry, "dW", None),
}

"""A correct hand-written backward of A = Z W + b (layout zw) in NumPy.

    symderiv check-impl examples/linear_numpy.py:backward          # exit 0
"""

import numpy as np


def backward(Z, W, b, G):
    """Z (m×k), W (k×n), b (n,), G = ∂L/∂A (m×n) -> (dZ, dW, db)."""
    dZ = G @ W.T
    dW = Z.T @ G
    db = G.sum(axis=0)
    return dZ, dW, db


def backward_nobias(Z, W, G):
    """The same layer without a bias: symderiv check-impl … --no-bias."""
    return G @ W.T, Z.T @ G


def backward_zwt(Z, W, b, G):
    """PyTorch's layout A = Z Wᵀ + b, W is n×k: symderiv check-impl … --layout zwt."""
    return G @ W, G.T @ Z, np.sum(G, axis=0)

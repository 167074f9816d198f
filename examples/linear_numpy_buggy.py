"""A buggy backward of A = Z W + b: dW comes out transposed and db is the batch mean.

    symderiv check-impl examples/linear_numpy_buggy.py:backward    # exit 1, both mistakes named
"""


def backward(Z, W, b, G):
    dZ = G @ W.T
    dW = G.T @ Z  # wrong: (Zᵀ G)ᵀ, n×k instead of k×n
    db = G.mean(axis=0)  # wrong: divides by the batch size m
    return dZ, dW, db

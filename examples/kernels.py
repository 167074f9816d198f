"""A tiled backward (tiles of 64 rows, the remainder handled), for the large-size example of docs/oracle.md."""

import numpy as np


def backward(Z, W, b, G, tile=64):
    dW = np.zeros((Z.shape[1], G.shape[1]))
    for i0 in range(0, Z.shape[0], tile):
        dW += Z[i0:i0 + tile].T @ G[i0:i0 + tile]
    return G @ W.T, dW, G.sum(axis=0)

"""PyTorch's layout (W is n×k): the `--layout zwt` example of docs/oracle.md."""


def linear_backward(Z, W, b, G):
    return G @ W, G.T @ Z, G.sum(axis=0)

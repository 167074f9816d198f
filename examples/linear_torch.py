"""A linear layer as a torch.autograd.Function with a hand-written backward
(PyTorch's layout: A = Z Wᵀ + b, W is n×k), and a buggy twin.

    symderiv check-impl examples/linear_torch.py:LinearFn --layout zwt          # exit 0
    symderiv check-impl examples/linear_torch.py:BuggyLinearFn --layout zwt     # exit 1
"""

import torch


class LinearFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, Z, W, b):
        ctx.save_for_backward(Z, W)
        return Z @ W.T + b

    @staticmethod
    def backward(ctx, G):
        Z, W = ctx.saved_tensors
        return G @ W, G.T @ Z, G.sum(dim=0)


class BuggyLinearFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, Z, W, b):
        ctx.save_for_backward(Z, W)
        return Z @ W.T + b

    @staticmethod
    def backward(ctx, G):
        Z, W = ctx.saved_tensors
        return G @ W, G.T @ Z.clamp(min=0), G.sum(dim=0)  # wrong: a stray clamp on Z

"""Real-style backward implementations, written the way engineers write them (kernels with
tiles and fast paths, caches, masks, needs_input_grad, nn.Modules, torch.func), right and
buggy, each with the verdict check-impl must reach with no option beyond --layout/--framework.
Written by hand from the textbook formulas, independently of symderiv."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

# --- NumPy ------------------------------------------------------------------------------------------


def np_right(Z, W, b, G):
    return G @ W.T, Z.T @ G, G.sum(axis=0)


def np_right_zwt(Z, W, b, G):
    return G @ W, G.T @ Z, G.sum(axis=0)


def np_row_tiles_64(Z, W, b, G):
    """dW accumulated over row tiles of 64; the remainder is forgotten once m ≥ 64."""
    m = Z.shape[0]
    if m < 64:
        return G @ W.T, Z.T @ G, G.sum(axis=0)
    dW = np.zeros((Z.shape[1], G.shape[1]))
    for i in range(0, m - m % 64, 64):
        dW += Z[i:i + 64].T @ G[i:i + 64]
    return G @ W.T, dW, G.sum(axis=0)


def np_row_tiles_64_right(Z, W, b, G):
    m = Z.shape[0]
    dW = np.zeros((Z.shape[1], G.shape[1]))
    for i in range(0, m, 64):
        dW += Z[i:i + 64].T @ G[i:i + 64]
    return G @ W.T, dW, G.sum(axis=0)


def np_fast_path_128(Z, W, b, G):
    """Above n = 256, dW is computed in panels of 128 columns; the ragged last panel is forgotten."""
    n = G.shape[1]
    if n <= 256:
        return G @ W.T, Z.T @ G, G.sum(axis=0)
    dW = np.zeros((Z.shape[1], n))
    for j in range(0, n - n % 128, 128):
        dW[:, j:j + 128] = Z.T @ G[:, j:j + 128]
    return G @ W.T, dW, G.sum(axis=0)


def np_fast_path_128_right(Z, W, b, G):
    n = G.shape[1]
    dW = np.zeros((Z.shape[1], n))
    for j in range(0, n, 128):
        dW[:, j:j + 128] = Z.T @ G[:, j:j + 128]
    return G @ W.T, dW, G.sum(axis=0)


def np_guess_layout(Z, W, b, G):
    """Layout zwt code that guesses the layout from the shapes: wrong only when W is square (k = n)."""
    if W.shape[0] == Z.shape[1]:  # looks like k×n: treat as zw
        return G @ W.T, (Z.T @ G).T, G.sum(axis=0)
    return G @ W, G.T @ Z, G.sum(axis=0)


_WT_CACHE: dict[Any, Any] = {}


def np_wt_cache_by_shape(Z, W, b, G):
    """Wᵀ cached by shape: right on the first call at a shape, stale after."""
    key = W.shape
    if key not in _WT_CACHE:
        _WT_CACHE[key] = np.array(W.T)
    return G @ _WT_CACHE[key], Z.T @ G, G.sum(axis=0)


def np_dropout_all_true(Z, W, b, G):
    """Right: G times an all-True boolean dropout mask (nothing dropped)."""
    mask = np.ones(G.shape, dtype=bool)
    Gm = G * mask
    return Gm @ W.T, Z.T @ Gm, Gm.sum(axis=0)


def np_where_mask(Z, W, b, G):
    """Right: np.where with a constant condition, and an integer scale undone."""
    keep = np.ones(G.shape, dtype=bool)
    Gm = np.where(keep, G, 0)
    return (2 * Gm @ W.T) / 2, Z.T @ Gm, Gm.sum(axis=0)


def np_float_scale(Z, W, b, G):
    """Right: a float constant that is exactly 1 in disguise (0.5 · 2.0)."""
    return (G * 0.5) @ W.T * 2.0, Z.T @ G, G.sum(axis=0)


def np_einsum(Z, W, b, G):
    return np.einsum("mn,kn->mk", G, W), np.einsum("mk,mn->kn", Z, G), np.einsum("mn->n", G)


def np_db_view_at_m1(Z, W, b, G):
    """Right; db is a view of G when m = 1 (a note, not a failure)."""
    return G @ W.T, Z.T @ G, (G[0] if G.shape[0] == 1 else G.sum(axis=0))


def np_db_mean(Z, W, b, G):
    return G @ W.T, Z.T @ G, G.mean(axis=0)


def np_transposed_dW(Z, W, b, G):
    return G @ W.T, G.T @ Z, G.sum(axis=0)


def np_torch_api(Z, W, b, G):
    """torch code handed NumPy arrays (needs --framework torch)."""
    return G @ W.t(), Z.t() @ G, G.sum(dim=0)


# --- torch ----------------------------------------------------------------------------------------

try:
    import torch
except ImportError:  # the torch cases are skipped
    torch = None

if torch is not None:
    class TLinear(torch.autograd.Function):
        @staticmethod
        def forward(ctx, Z, W, b):
            ctx.save_for_backward(Z, W)
            return Z @ W.T + b

        @staticmethod
        def backward(ctx, G):
            Z, W = ctx.saved_tensors
            return G @ W, G.T @ Z, G.sum(0)

    class TNeedsRight(torch.autograd.Function):
        @staticmethod
        def forward(ctx, Z, W, b):
            ctx.save_for_backward(Z, W)
            return Z @ W.T + b

        @staticmethod
        def backward(ctx, G):
            Z, W = ctx.saved_tensors
            need_z, need_w, need_b = ctx.needs_input_grad
            return (G @ W if need_z else None, G.T @ Z if need_w else None, G.sum(0) if need_b else None)

    class TNeedsWrongOrder(torch.autograd.Function):
        @staticmethod
        def forward(ctx, Z, W, b):
            ctx.save_for_backward(Z, W)
            return Z @ W.T + b

        @staticmethod
        def backward(ctx, G):
            Z, W = ctx.saved_tensors
            need_w, need_z, need_b = ctx.needs_input_grad  # wrong order
            return (G @ W if need_z else None, G.T @ Z if need_w else None, G.sum(0) if need_b else None)

    class TSwapped(torch.autograd.Function):
        @staticmethod
        def forward(ctx, Z, W, b):
            ctx.save_for_backward(Z, W)
            return Z @ W.T + b

        @staticmethod
        def backward(ctx, G):
            Z, W = ctx.saved_tensors
            return G.T @ Z, G @ W, G.sum(0)  # (dW, dZ, db): the wrong order

    class TBiasNotSummed(torch.autograd.Function):
        """Right as far as b.grad goes: autograd sums the (m, n) bias gradient."""

        @staticmethod
        def forward(ctx, Z, W, b):
            ctx.save_for_backward(Z, W)
            return Z @ W.T + b

        @staticmethod
        def backward(ctx, G):
            Z, W = ctx.saved_tensors
            return G @ W, G.T @ Z, G

    _PTR_CACHE: dict[Any, Any] = {}

    class TPtrCache(torch.autograd.Function):
        """A contiguous copy of W cached by data_ptr: stale after an in-place optimizer step."""

        @staticmethod
        def forward(ctx, Z, W, b):
            ctx.save_for_backward(Z, W)
            return Z @ W.T + b

        @staticmethod
        def backward(ctx, G):
            Z, W = ctx.saved_tensors
            key = W.data_ptr()
            if key not in _PTR_CACHE:
                _PTR_CACHE[key] = W.detach().clone()
            return G @ _PTR_CACHE[key], G.T @ Z, G.sum(0)

    class TNoGradBreaks(torch.autograd.Function):
        @staticmethod
        def forward(ctx, Z, W, b):
            ctx.save_for_backward(Z, W)
            if not (Z.requires_grad or W.requires_grad or b.requires_grad):  # an inference shortcut, no bias
                return Z @ W.T
            return Z @ W.T + b

        @staticmethod
        def backward(ctx, G):
            Z, W = ctx.saved_tensors
            return G @ W, G.T @ Z, G.sum(0)

    class MyLinear(torch.nn.Module):
        def __init__(self, in_features, out_features, bias=True):
            super().__init__()
            self.weight = torch.nn.Parameter(torch.zeros(out_features, in_features))
            self.bias = torch.nn.Parameter(torch.zeros(out_features)) if bias else None

        def forward(self, x):
            return TLinear.apply(x, self.weight, self.bias)

    class MyLinearClamp(torch.nn.Module):
        def __init__(self, in_features, out_features):
            super().__init__()
            self.weight = torch.nn.Parameter(torch.zeros(out_features, in_features))
            self.bias = torch.nn.Parameter(torch.zeros(out_features))

        def forward(self, x):
            return x.clamp(min=0) @ self.weight.T + self.bias  # wrong for this layer: a stray clamp

    def t_func_vjp(Z, W, b, G):
        _, vjp = torch.func.vjp(lambda z, w, c: z @ w.T + c, Z, W, b)
        return vjp(G)

    def t_func_vjp_mean(Z, W, b, G):
        _, vjp = torch.func.vjp(lambda z, w, c: z @ w.T + c, Z, W, b)
        dZ, dW, db = vjp(G)
        return dZ, dW, db / Z.shape[0]

    def t_plain_right(Z, W, b, G):
        return G @ W, G.T @ Z, G.sum(0)

    def t_plain_tiles(Z, W, b, G):
        m = Z.shape[0]
        dW = torch.zeros_like(W)
        for i in range(0, m - m % 64 if m >= 64 else m, 64):
            dW += G[i:i + 64].T @ Z[i:i + 64]
        return G @ W, dW, G.sum(0)


@dataclass(frozen=True)
class Case:
    target: str  # a name in this module
    layout: str | None  # None: not given (zw, or the nn.Module's own)
    framework: str | None
    right: bool
    output: str | None = None  # the output that fails
    mistake: str | None = None  # the name it must get
    torch: bool = False


CASES = [
    Case("np_right", None, None, True),
    Case("np_right_zwt", "zwt", None, True),
    Case("np_row_tiles_64_right", None, None, True),
    Case("np_fast_path_128_right", None, None, True),
    Case("np_dropout_all_true", None, None, True),
    Case("np_where_mask", None, None, True),
    Case("np_float_scale", None, None, True),
    Case("np_einsum", None, None, True),
    Case("np_db_view_at_m1", None, None, True),
    Case("np_row_tiles_64", None, None, False, "dW", "tile remainder dropped"),
    Case("np_fast_path_128", None, None, False, "dW", "tile remainder dropped"),
    Case("np_guess_layout", "zwt", None, False, "dZ", "wrong product order"),
    Case("np_wt_cache_by_shape", None, None, False, "dZ", "depends on earlier calls"),
    Case("np_db_mean", None, None, False, "db", "scaled by 1/m"),
    Case("np_transposed_dW", None, None, False, "dW", "transposed"),
    Case("np_torch_api", None, "torch", True, torch=True),
    Case("TLinear", "zwt", None, True, torch=True),
    Case("TNeedsRight", "zwt", None, True, torch=True),
    Case("TBiasNotSummed", "zwt", None, True, torch=True),
    Case("MyLinear", None, None, True, torch=True),
    Case("t_func_vjp", "zwt", "torch", True, torch=True),
    Case("t_plain_right", "zwt", "torch", True, torch=True),
    Case("TNeedsWrongOrder", "zwt", None, False, "dZ", "needs_input_grad misread", torch=True),
    Case("TSwapped", "zwt", None, False, "dZ", "outputs swapped", torch=True),
    Case("TPtrCache", "zwt", None, False, "dZ", "depends on earlier calls", torch=True),
    Case("TNoGradBreaks", "zwt", None, False, "forward", "forward differs under torch.no_grad()", torch=True),
    Case("MyLinearClamp", None, None, False, "dW", "input clamped at zero", torch=True),
    Case("t_func_vjp_mean", "zwt", "torch", False, "db", "scaled by 1/m", torch=True),
    Case("t_plain_tiles", "zwt", "torch", False, "dW", "tile remainder dropped", torch=True),
    Case("np_row_tiles_64", "zw", "numpy", False, "dW", "tile remainder dropped"),  # options change nothing here
]

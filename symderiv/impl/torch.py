"""`--framework torch`: a plain function on tensors, or a `torch.autograd.Function`
subclass checked through its own forward and backward (apply, then backward with G).
TF32 is switched off while checking, so CUDA matmuls stay exact on the chosen values."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from ..errors import BadInput
from .calling import Outputs, names, run_user, unpack
from .report import Shape


def is_autograd_function(obj: Any) -> bool:
    """True for a subclass of torch.autograd.Function, found without importing torch."""
    return isinstance(obj, type) and hasattr(obj, "apply") and any(
        c.__module__.startswith("torch.autograd") for c in obj.__mro__[1:])


def load_torch() -> Any:
    try:
        import torch
    except ImportError:
        raise BadInput("--framework torch needs PyTorch", hint="pip install 'symderiv[torch]'") from None
    return torch


def resolve_device(device: str) -> str:
    torch = load_torch()
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise BadInput(f"device {device!r} is not available here", hint="use --device cpu")
    return device


@contextlib.contextmanager
def exact_matmul() -> Iterator[dict[str, bool]]:
    """TF32 off for the duration (it rounds float32 products to 10 bits of mantissa on GPUs); yields what was set."""
    torch = load_torch()
    before = (torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32, torch.get_float32_matmul_precision())
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.set_float32_matmul_precision("highest")
    try:
        yield {"allow_tf32": torch.backends.cuda.matmul.allow_tf32, "cudnn_allow_tf32": torch.backends.cudnn.allow_tf32}
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = before[0], before[1]
        torch.set_float32_matmul_precision(before[2])


def _numpy(x: Any) -> Any:
    if hasattr(x, "detach"):
        return x.detach().cpu().double().numpy()
    return x


def call_torch(fn: Callable[..., Any], label: str, inputs: dict[str, np.ndarray], bias: bool, shape: Shape,
               device: str) -> tuple[Outputs, list[str]]:
    """Tensors on `device`; an autograd.Function goes through apply and backward(G)."""
    torch = load_torch()
    order = ("Z", "W", "b", "G") if bias else ("Z", "W", "G")
    given = {k: torch.from_numpy(inputs[k].copy()).to(device) for k in order}
    if is_autograd_function(fn):
        leaves = {k: given[k].clone().requires_grad_(True) for k in order if k != "G"}

        def go() -> Outputs:
            A = fn.apply(*(leaves[k] for k in order if k != "G"))
            A.backward(given["G"])
            return {name: _numpy(leaves[v].grad) for name, v in zip(names(bias), ("Z", "W", "b"))}

        outputs = run_user(label, shape, go)
        tensors = {**{k: leaves[k].detach() for k in leaves}, "G": given["G"]}
    else:
        result = run_user(label, shape, lambda: fn(*(given[k] for k in order)))
        outputs = {k: _numpy(v) for k, v in unpack(label, result, bias).items()}
        tensors = given
    modified = [k for k in order if not np.array_equal(tensors[k].detach().cpu().numpy(), inputs[k])]
    return outputs, modified

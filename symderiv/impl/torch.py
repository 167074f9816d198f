"""`--framework torch`: a plain function on tensors, a `torch.autograd.Function` subclass
(through its own forward and backward: apply, then backward with G), or an `nn.Module`
class (built with (k, n), its weight and bias set, through its forward and autograd).
W and b live in one tensor per shape and are updated in place between calls, as an
optimizer step does; TF32 is off while checking, so CUDA matmuls stay exact."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from itertools import combinations
from typing import Any

import numpy as np

from ..errors import BadInput
from .calling import Call, Outputs, names, order, run_user, unpack, user_error
from .loading import PASSES, UserCodeError, describe_exception
from .mistakes import judge
from .reference import Contraction
from .report import Finding, Shape

SUBSETS_UP_TO = 1 << 16  # m·k·n up to which every subset of inputs requiring grad is tried
_INVALID = re.compile(r"invalid gradient at index (\d+) - got \[([\d, ]*)\] but expected shape compatible with \[([\d, ]*)\]")


def is_autograd_function(obj: Any) -> bool:
    """True for a subclass of torch.autograd.Function, found without importing torch."""
    return isinstance(obj, type) and hasattr(obj, "apply") and any(
        c.__module__.startswith("torch.autograd") for c in obj.__mro__[1:])


def is_module(obj: Any) -> bool:
    """True for a subclass of torch.nn.Module (a class, to be built with (in_features, out_features))."""
    return isinstance(obj, type) and any(c.__name__ == "Module" and c.__module__.startswith("torch.nn")
                                         for c in obj.__mro__[1:])


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
    try:
        precision: str | None = torch.get_float32_matmul_precision()
    except RuntimeError:  # the caller set the legacy flags: torch then refuses its newer API, and the flags suffice
        precision = None
    before = (torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    if precision is not None:
        torch.set_float32_matmul_precision("highest")
    try:
        yield {"allow_tf32": torch.backends.cuda.matmul.allow_tf32, "cudnn_allow_tf32": torch.backends.cudnn.allow_tf32}
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = before
        if precision is not None:
            torch.set_float32_matmul_precision(precision)


def _numpy(x: Any) -> Any:
    if hasattr(x, "detach"):
        return x.detach().cpu().double().numpy()
    return x


def _shape(x: Any) -> tuple[int, ...] | None:
    return tuple(x.shape) if hasattr(x, "shape") else None


def _storage(x: Any) -> int | None:
    try:
        return int(x.untyped_storage().data_ptr())
    except (AttributeError, RuntimeError):
        return None


class TorchCaller:
    """Calls the user's torch code by the protocol; one set of W, b tensors (or one module) per shape."""

    def __init__(self, fn: Any, label: str, bias: bool, device: str, layout: str | None, given: Shape) -> None:
        self.torch = load_torch()
        self.fn, self.label, self.bias, self.device_asked = fn, label, bias, device
        self.kind = "module" if is_module(fn) else "autograd" if is_autograd_function(fn) else "function"
        self.notes: list[str] = []
        self.layout = layout
        self._state: dict[Shape, dict[str, Any]] = {}  # kept alive for the whole check: no data_ptr is reused
        self._raw: list[Any] = []
        if self.kind == "autograd":
            self._probe = self._make_probe()
        if self.kind == "module":
            self._read_module(given)
        self.layout = self.layout or "zw"
        self.protocol = {"function": "; W and b are the same tensors at every call, updated in place between calls",
                         "autograd": "; W and b updated in place between calls; at the small shapes, every non-empty "
                                     "subset of the inputs requiring grad, and the forward under torch.no_grad()",
                         "module": "; the same module at every call, its weight and bias updated in place between "
                                   "calls; the forward under torch.no_grad()"}[self.kind]

    # -- set-up -----------------------------------------------------------------------------------
    def _make_probe(self) -> Any:
        """A subclass of the user's Function whose backward records what the user's backward returned."""
        user, raw = self.fn, self._raw

        def backward(ctx: Any, *grads: Any) -> Any:
            out = user.backward(ctx, *grads)
            raw.append(out)
            return out
        return type(user.__name__, (user,), {"backward": staticmethod(backward), "__module__": user.__module__})

    def _build(self, k: int, n: int) -> Any:
        attempts: list[Callable[[], Any]] = [lambda: self.fn(k, n, bias=self.bias), lambda: self.fn(k, n),
                                             lambda: self.fn(in_features=k, out_features=n)]
        last: BaseException | None = None
        for make in attempts:
            try:
                return make()
            except TypeError as exc:
                last = exc
            except BaseException as exc:  # noqa: BLE001 - the user's constructor
                raise UserCodeError(f"building {self.label}({k}, {n}) raised {describe_exception(exc)}") from None
        raise UserCodeError(f"cannot build {self.label}({k}, {n}): {describe_exception(last or TypeError())}",
                            hint="an nn.Module class is built as Cls(in_features, out_features), as nn.Linear is")

    def _read_module(self, given: Shape) -> None:
        m, k, n = given
        k2, n2 = (k, n) if k != n else (k, n + 1)
        mod = self._build(k2, n2)
        weight = getattr(mod, "weight", None)
        if weight is None or not hasattr(weight, "shape"):
            raise UserCodeError(f"{self.label} has no weight parameter", hint="the module must hold W as self.weight")
        found = {(n2, k2): "zwt", (k2, n2): "zw"}.get(tuple(weight.shape))
        if found is None:
            raise UserCodeError(f"{self.label}({k2}, {n2}).weight has shape {tuple(weight.shape)}",
                                hint=f"expected ({n2}, {k2}) as nn.Linear, or ({k2}, {n2})")
        if self.layout is not None and self.layout != found:
            raise UserCodeError(f"{self.label}'s weight is {'n×k' if found == 'zwt' else 'k×n'}, layout {found}, "
                                f"not {self.layout}", hint=f"use --layout {found}")
        has_bias = getattr(mod, "bias", None) is not None
        if self.bias and not has_bias:
            self.notes.append(f"{self.label} has no bias: checked without one")
        self.layout, self.bias = found, has_bias
        self.notes.append(f"nn.Module {self.label}: layout {found} read from its weight's shape "
                          f"({'n×k' if found == 'zwt' else 'k×n'}), {'with' if has_bias else 'without'} a bias")

    @contextlib.contextmanager
    def session(self) -> Iterator[None]:
        self.device = resolve_device(self.device_asked)
        self.notes.append(f"torch on {self.device}, TF32 matmul off while checking")
        with exact_matmul():
            yield

    # -- one call ---------------------------------------------------------------------------------
    def _tensor(self, a: np.ndarray) -> Any:
        return self.torch.from_numpy(a.copy()).to(self.device)

    def _params(self, shape: Shape, inputs: dict[str, np.ndarray]) -> dict[str, Any]:
        """This shape's W and b (or module), updated in place with the new values, as an optimizer step does."""
        torch = self.torch
        st = self._state.get(shape)
        if st is None:
            if self.kind == "module":
                mod = self._build(shape[1], shape[2])
                mod.to(device=self.device, dtype=torch.from_numpy(inputs["Z"][:0]).dtype)
                st = {"module": mod, "W": mod.weight, "b": getattr(mod, "bias", None)}
            else:
                st = {k: self._tensor(inputs[k]) for k in ("W", "b") if k in inputs}
            self._state[shape] = st
        with torch.no_grad():
            for k in ("W", "b"):
                if st.get(k) is not None and k in inputs:
                    st[k].copy_(torch.from_numpy(inputs[k]))
                    st[k].grad = None
        return st

    def call(self, inputs: dict[str, np.ndarray], shape: Shape, c: int) -> Call:
        if self.kind == "function":
            return self._function(inputs, shape)
        return self._graph(inputs, shape, {"Z", "W", "b"} if self.bias else {"Z", "W"})

    def _function(self, inputs: dict[str, np.ndarray], shape: Shape) -> Call:
        st = self._params(shape, inputs)
        given = {k: st[k] if k in ("W", "b") else self._tensor(inputs[k]) for k in order(self.bias)}
        result = run_user(self.label, shape, lambda: self.fn(*(given[k] for k in order(self.bias))), self.layout, "torch")
        raw = unpack(self.label, result, self.bias)
        notes = self._views(raw, given)
        modified = [k for k in order(self.bias) if not np.array_equal(_numpy(given[k]), inputs[k])]
        return Call({k: _numpy(v) for k, v in raw.items()}, modified, notes)

    def _views(self, raw: Outputs, given: dict[str, Any]) -> list[str]:
        notes = []
        for name, out in raw.items():
            p = _storage(out)
            for k, t in given.items():
                if p is not None and p == _storage(t):
                    notes.append(f"{name} shares storage with the input {k} (a view); not wrong by itself, "
                                 f"but changing {k} later changes {name}")
        return notes

    def _graph(self, inputs: dict[str, np.ndarray], shape: Shape, required: set[str]) -> Call:
        """Through autograd: apply (or the module's forward), then backward(G); the gradients the leaves receive."""
        st = self._params(shape, inputs)
        leaves = {"Z": self._tensor(inputs["Z"]).requires_grad_("Z" in required), "W": st["W"]}
        if self.bias:
            leaves["b"] = st["b"]
        for k in ("W", "b"):
            if k in leaves:
                leaves[k].requires_grad_(k in required)
        G = self._tensor(inputs["G"])
        self._raw.clear()
        fwd = (lambda: st["module"](leaves["Z"])) if self.kind == "module" else (
            lambda: self._probe.apply(*(leaves[k] for k in ("Z", "W", "b") if k in leaves)))
        A = run_user(self.label, shape, fwd, self.layout, "torch")
        forward = _numpy(A)
        try:
            A.backward(G)
        except BaseException as exc:  # noqa: BLE001 - autograd refusing the user's gradients is the user's bug
            return self._refused(exc, shape, forward)
        outputs = {name: (_numpy(leaves[v].grad) if v in required else _Skip)
                   for name, v in zip(names(self.bias), ("Z", "W", "b"))}
        notes = []
        modified = [k for k, v in leaves.items() if not np.array_equal(_numpy(v), inputs[k])]
        if self._raw and isinstance(self._raw[0], (tuple, list)):
            for name, v, r in zip(names(self.bias), ("Z", "W", "b"), self._raw[0]):
                if v in required and _shape(r) is not None and _shape(r) != tuple(leaves[v].shape):
                    notes.append(f"the backward returned {name} with shape {_shape(r)}; autograd summed it to "
                                 f"{tuple(leaves[v].shape)}, so {v}.grad is right")
        for v in leaves.values():
            v.grad = None
        return Call(outputs, modified, notes, forward)

    def _refused(self, exc: BaseException, shape: Shape, forward: Any) -> Call:
        """autograd rejected the gradients: judge what the backward returned, by position (a user's bug, exit 1)."""
        if isinstance(exc, PASSES):
            raise exc
        raw = self._raw[0] if self._raw else None
        note = f"autograd refused the backward's gradients ({describe_exception(exc)}); judged as returned"
        if raw is not None:
            outs = unpack(self.label, raw if isinstance(raw, (tuple, list)) else (raw,), self.bias)
            return Call({k: _numpy(v) for k, v in outs.items()}, [], [note], forward)
        found = _INVALID.search(str(exc))
        if found is None:
            raise user_error(self.label, shape, exc, self.layout or "zw", "torch")
        got = tuple(int(x) for x in found.group(2).split(",") if x.strip())
        want = tuple(int(x) for x in found.group(3).split(",") if x.strip())
        m, k, n = shape
        expected = {"dZ": (m, k), "dW": (k, n) if self.layout == "zw" else (n, k), "db": (n,)}
        outputs: Outputs = {name: _Skip for name in names(self.bias)}
        for name in names(self.bias):
            if expected[name] == want:
                outputs[name] = np.full(got, np.nan)
                break
        else:
            raise user_error(self.label, shape, exc, self.layout or "zw", "torch")
        return Call(outputs, [], [note], forward)

    # -- beyond the plain calls: subsets requiring grad, the forward under no_grad -------------------
    def extra(self, arith: Any, shape: Shape, first: Call, refs: dict[str, Contraction],
              layout: str) -> list[tuple[str, Finding | None]]:
        if self.kind == "function" or shape[0] * shape[1] * shape[2] > SUBSETS_UP_TO:
            return []
        out: list[tuple[str, Finding | None]] = []
        inputs = ("Z", "W", "b") if self.bias else ("Z", "W")
        if self.kind == "autograd":
            for size in range(1, len(inputs)):
                for subset in combinations(inputs, size):
                    got = self._graph(arith.inputs, shape, set(subset))
                    for name, _input in zip(names(self.bias), inputs):
                        value = got.outputs[name]
                        if value is _Skip:
                            continue
                        if value is None:
                            out.append((name, Finding(
                                "missing", shape, None, mistake="needs_input_grad misread", expected_shape=None,
                                detail=f"{name} is None when only {' and '.join(subset)} "
                                       f"require{'s' if len(subset) == 1 else ''} grad "
                                       "(ctx.needs_input_grad read for the wrong input?)")))
                        else:
                            out.append((name, judge(arith, name, value, refs, layout, shape, None)))
        out.append(("forward", self._no_grad(arith.inputs, shape, first.forward)))
        return out

    def _no_grad(self, inputs: dict[str, np.ndarray], shape: Shape, forward: Any) -> Finding | None:
        torch = self.torch
        st = self._params(shape, inputs)
        if self.kind == "autograd":  # inference: no input requires grad
            for k in ("W", "b"):
                if st.get(k) is not None:
                    st[k].requires_grad_(False)
        Z = self._tensor(inputs["Z"])
        try:
            with torch.no_grad():
                A = st["module"](Z) if self.kind == "module" else self._probe.apply(
                    Z, st["W"], *([st["b"]] if self.bias else []))
        except BaseException as exc:  # noqa: BLE001 - the user's forward
            if isinstance(exc, PASSES):
                raise
            return Finding("forward", shape, None, mistake="forward fails under torch.no_grad()",
                           detail=f"the forward under torch.no_grad() raised {describe_exception(exc)}")
        got = _numpy(A)
        if forward is not None and not (np.shape(got) == np.shape(forward) and np.array_equal(got, forward)):
            return Finding("forward", shape, None, mistake="forward differs under torch.no_grad()",
                           detail="the forward under torch.no_grad() differs from the forward with gradients")
        return None


class _SkipType:
    """An output not asked for (its input does not require grad)."""


_Skip: Any = _SkipType()

"""`check_impl`: choose the shapes and the mode, call the user's backward at each
shape (and trial), judge every output against the derived gradient, and return a Report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..errors import BadInput, TooLarge
from ..progress import SILENT, Reporter
from ..shapes import Spec
from .calling import call_numpy, names
from .loading import UserCodeError
from .mistakes import judge
from .reference import establish
from .report import Finding, Report, Shape

SYMBOLIC_LIMIT = 20_000  # m·k·n up to which the default mode for NumPy code is symbolic
LARGE = 64  # from this size on, shapes one past tile multiples are added
ONE_BESIDE = 257  # the sizes beside a 1 are capped here (one past 256), so the extra shapes stay cheap
TILE_SHAPES: tuple[Shape, ...] = ((65, 129, 33), (129, 33, 65))  # one past 64, 128, 32 in every dimension
ONE_TRIAL_FROM = 1 << 25  # m·k·n above which one trial is the default (each costs a full backward at scale)
MODES = ("auto", "symbolic", "integer")
FRAMEWORKS = ("auto", "numpy", "torch")


def shapes_for(m: int, k: int, n: int, extra: bool) -> list[Shape]:
    """The given shape; with `extra`, a 1 in each dimension and, at large sizes, the tile shapes; smallest first."""
    out: list[Shape] = [(m, k, n)]
    if extra:
        c = [min(d, ONE_BESIDE) for d in (m, k, n)]  # a 1 needs no giant neighbours to show its bugs
        out += [(1, c[1], c[2]), (c[0], 1, c[2]), (c[0], c[1], 1)]
        if max(m, k, n) >= LARGE:
            out += list(TILE_SHAPES)
    unique = list(dict.fromkeys(out))
    if m * k * n <= 1 << 16:
        return unique  # the given shape first: its report is the one a reader expects
    return sorted(unique, key=lambda s: s[0] * s[1] * s[2])  # large: small shapes first, where mistakes get names


def trials_at(shape: Shape, trials: int | None) -> int:
    """Trials at a shape: as asked, or by default 2, and 1 above m·k·n = 2^25."""
    if trials is not None:
        return trials
    return 1 if shape[0] * shape[1] * shape[2] > ONE_TRIAL_FROM else 2


def _framework(fn: Any, framework: str) -> str:
    if framework not in FRAMEWORKS:
        raise BadInput(f"unknown framework {framework!r}", hint="choose numpy or torch")
    if framework != "auto":
        return framework
    from .torch import is_autograd_function

    return "torch" if is_autograd_function(fn) else "numpy"


def _record(findings: dict[str, Finding | None], name: str, finding: Finding | None) -> None:
    if findings.get(name) is None and finding is not None:
        findings[name] = finding


def _inputs_finding(modified: list[str], shape: Shape, trial: int | None) -> Finding | None:
    if not modified:
        return None
    return Finding("inputs", shape, trial, mistake="input modified in place",
                   detail=" and ".join(modified) + " modified in place")


def check_impl(fn: Callable[..., Any], label: str = "<function>", *, m: int = 3, k: int = 2, n: int = 4,
               layout: str = "zw", bias: bool = True, mode: str = "auto", trials: int | None = None, seed: int = 0,
               framework: str = "auto", device: str = "auto", extra_shapes: bool = True, dtype: str = "float64",
               reporter: Reporter = SILENT) -> Report:
    """Check `fn` (backward(Z, W, b, G) -> (dZ, dW, db), or an autograd.Function) against the derived gradients."""
    spec = Spec(m=m, k=k, n=n, layout=layout, bias=bias)  # validates sizes and layout
    if mode not in MODES:
        raise BadInput(f"unknown mode {mode!r}", hint="choose symbolic or integer")
    if dtype not in ("float64", "float32"):
        raise BadInput(f"unknown dtype {dtype!r}", hint="choose float64 or float32")
    if trials is not None and trials < 1:
        raise BadInput(f"--trials must be at least 1, got {trials}")
    fw = _framework(fn, framework)
    if not callable(fn):
        raise UserCodeError(f"{label} is not callable")
    shapes = shapes_for(m, k, n, extra_shapes)
    chosen = mode
    if mode == "auto":
        chosen = "symbolic" if fw == "numpy" and max(s[0] * s[1] * s[2] for s in shapes) <= SYMBOLIC_LIMIT else "integer"
    if chosen == "symbolic" and fw == "torch":
        raise BadInput("torch code cannot run on symbols", hint="use --mode integer (the default for torch)")
    report = Report(label, fw, layout, bias, chosen, shapes, seed=None if chosen == "symbolic" else seed)
    if chosen == "symbolic":
        from ..verify import check_limits

        for s in shapes:
            try:
                check_limits(Spec(m=s[0], k=s[1], n=s[2], layout=layout, bias=bias), force=False)
            except TooLarge as exc:
                raise TooLarge(f"symbolic mode: {exc.message}", hint="use --mode integer at this size") from None
        try:
            _symbolic(fn, label, spec, shapes, report, reporter)
            return report
        except UserCodeError as exc:
            if mode == "symbolic":
                raise
            report.notes.append(f"the function could not run on symbols ({exc.message}); integer mode used instead")
            report.mode, report.seed = "integer", seed
    _integer(fn, label, spec, shapes, report, trials, seed, fw, device, dtype, reporter)
    return report


def _symbolic(fn: Callable[..., Any], label: str, spec: Spec, shapes: list[Shape], report: Report,
              reporter: Reporter) -> None:
    from .symbolic import SymbolicArith

    refs = establish(spec.layout, spec.bias)
    findings: dict[str, Finding | None] = {name: None for name in names(spec.bias)}
    findings["inputs"] = None
    reporter.stage("symbolic check of the backward", len(shapes))
    for s in shapes:
        arith = SymbolicArith(Spec(m=s[0], k=s[1], n=s[2], layout=spec.layout, bias=spec.bias))
        outputs, modified = call_numpy(fn, label, arith.inputs, spec.bias, s)
        for name in names(spec.bias):
            _record(findings, name, judge(arith, name, outputs[name], refs, spec.layout, s, None))
        _record(findings, "inputs", _inputs_finding(modified, s, None))
        reporter.advance(1)
    report.findings = findings


def _integer(fn: Callable[..., Any], label: str, spec: Spec, shapes: list[Shape], report: Report, trials: int,
             seed: int, fw: str, device: str, dtype: str, reporter: Reporter) -> None:
    from .integer import FULL_LIMIT, IntegerArith, choose_range, make_bound

    refs = establish(spec.layout, spec.bias)
    largest = max(max(s) for s in shapes)
    R = choose_range(largest, dtype)
    projected = any(s[0] * s[1] * s[2] > FULL_LIMIT for s in shapes)
    per_shape = {s: trials_at(s, trials) for s in shapes}
    report.bound = make_bound(R, dtype, min(per_shape.values()), projected, largest)
    if fw == "torch":
        from .torch import call_torch, exact_matmul, load_torch, resolve_device

        load_torch()
        device = resolve_device(device)
        guard = exact_matmul()
        report.notes.append(f"torch on {device}, TF32 matmul off while checking")
    else:
        import contextlib

        guard = contextlib.nullcontext()
    rng = np.random.default_rng(seed)
    findings: dict[str, Finding | None] = {name: None for name in names(spec.bias)}
    findings["inputs"] = None
    reporter.stage("integer-exact check of the backward", sum(per_shape.values()))
    with guard:
        for s in shapes:
            dims = {"m": s[0], "k": s[1], "n": s[2]}
            for t in range(1, per_shape[s] + 1):
                arith = IntegerArith(dims, spec.layout, spec.bias, R, dtype, refs, rng)
                if fw == "torch":
                    outputs, modified = call_torch(fn, label, arith.inputs, spec.bias, s, device)
                else:
                    outputs, modified = call_numpy(fn, label, arith.inputs, spec.bias, s)
                for name in names(spec.bias):
                    if findings[name] is None:
                        _record(findings, name, judge(arith, name, outputs[name], refs, spec.layout, s, t))
                _record(findings, "inputs", _inputs_finding(modified, s, t))
                reporter.advance(1)
    report.findings = findings

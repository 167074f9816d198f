"""`check_impl`: choose the shapes and the mode, call the user's backward by the protocol
(symbolic at the small shapes; at every shape, fresh integer values at least twice and the
first values once more, torch's inputs updated in place between calls; for torch, every
subset of inputs requiring grad and a forward under no_grad), judge every output against
the derived gradient, and return a Report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..errors import BadInput, TooLarge
from ..progress import SILENT, Reporter
from ..shapes import Spec
from .calling import Call, call_numpy, names
from .loading import UserCodeError
from .mistakes import STATE, judge
from .plan import DEFAULT_BOUND, MIN_FRESH, all_shapes, base_shapes, fresh_calls
from .reference import establish
from .report import Finding, Report, Shape

SYMBOLIC_LIMIT = 20_000  # m·k·n up to which the default mode for NumPy code is symbolic
MODES = ("auto", "symbolic", "integer")
FRAMEWORKS = ("auto", "numpy", "torch")


def _framework(fn: Any, framework: str) -> str:
    if framework not in FRAMEWORKS:
        raise BadInput(f"unknown framework {framework!r}", hint="choose numpy or torch")
    if framework != "auto":
        return framework
    from .torch import is_autograd_function, is_module

    return "torch" if is_autograd_function(fn) or is_module(fn) else "numpy"


def _record(findings: dict[str, Finding | None], name: str, finding: Finding | None) -> None:
    if findings.get(name) is None and finding is not None:
        findings[name] = finding


def _inputs_finding(modified: list[str], shape: Shape, call: int | None) -> Finding | None:
    if not modified:
        return None
    return Finding("inputs", shape, call, mistake="input modified in place",
                   detail=" and ".join(modified) + " modified in place")


BYTES_PER_ENTRY = 64  # two draws' int64 halves and float inputs, the outputs, the exact checks' copies


def memory_limit() -> int:
    """Half the machine's memory (where it can be read), else 8 GiB: the most one check may plan to use."""
    import os

    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (ValueError, OSError, AttributeError):
        return 8 << 30


def planned_bytes(m: int, k: int, n: int) -> int:
    """What the check itself holds at its largest shape: two draws of values (the first, kept for the repeat
    call, and the current one), the user's inputs and outputs, the exact checks' copies."""
    return (m * k + k * n + n + m * n) * BYTES_PER_ENTRY


def _refuse_too_large(m: int, k: int, n: int) -> None:
    """Refused before any allocation: sizes whose inputs and outputs alone would not fit (exit 2 at once)."""
    need = planned_bytes(m, k, n)
    limit = memory_limit()
    if need > limit:
        raise TooLarge(f"{m}×{k}×{n} needs about {need / 2**30:.1f} GiB for its inputs, outputs and references, "
                       f"more than the {limit / 2**30:.1f} GiB allowed (half this machine's memory)",
                       hint="check a smaller shape: the extra shapes already cover tiles and remainders")


def check_impl(fn: Callable[..., Any], label: str = "<function>", *, m: int = 3, k: int = 2, n: int = 4,
               layout: str | None = None, bias: bool = True, mode: str = "auto", trials: int | None = None, seed: int = 0,
               framework: str = "auto", device: str = "auto", extra_shapes: bool = True, dtype: str = "float64",
               bound: float = DEFAULT_BOUND, reporter: Reporter = SILENT) -> Report:
    """Check `fn` (backward(Z, W, b, G) -> (dZ, dW, db), an autograd.Function or an nn.Module class) against the
    derived gradients. `layout` None: zw, or for an nn.Module the layout its weight's shape declares."""
    if mode not in MODES:
        raise BadInput(f"unknown mode {mode!r}", hint="choose symbolic or integer")
    if dtype not in ("float64", "float32"):
        raise BadInput(f"unknown dtype {dtype!r}", hint="choose float64 or float32")
    if trials is not None and trials < 1:
        raise BadInput(f"--trials must be at least 1, got {trials}")
    if not 0 < bound < 1:
        raise BadInput(f"--bound must be between 0 and 1, got {bound}")
    Spec(m=m, k=k, n=n, layout=layout or "zw", bias=bias)  # validates the sizes before anything is allocated
    _refuse_too_large(m, k, n)
    fw = _framework(fn, framework)
    if not callable(fn):
        raise UserCodeError(f"{label} is not callable")
    caller: Any = None
    notes: list[str] = []
    if fw == "torch":
        from .torch import TorchCaller

        caller = TorchCaller(fn, label, bias, device, layout, (m, k, n))
        layout, bias = caller.layout, caller.bias
        notes = caller.notes  # the caller adds its own (the device) as it starts
    layout = layout or "zw"
    spec = Spec(m=m, k=k, n=n, layout=layout, bias=bias)
    base, shapes = base_shapes(m, k, n, extra_shapes), all_shapes(m, k, n, extra_shapes)
    chosen = mode
    if mode == "auto":
        chosen = "symbolic" if fw == "numpy" and max(s[0] * s[1] * s[2] for s in base) <= SYMBOLIC_LIMIT else "integer"
    if chosen == "symbolic" and fw == "torch":
        raise BadInput("torch code cannot run on symbols", hint="use --mode integer (the default for torch)")
    report = Report(label, fw, layout, bias, chosen, shapes, seed=seed, notes=notes)
    report.findings = {name: None for name in names(bias)}
    report.findings["inputs"] = None
    if caller is not None and caller.kind != "function":
        report.findings["forward"] = None
    if chosen == "symbolic":
        from ..verify import check_limits

        for s in base:
            try:
                check_limits(Spec(m=s[0], k=s[1], n=s[2], layout=layout, bias=bias), force=False)
            except TooLarge as exc:
                raise TooLarge(f"symbolic mode: {exc.message}", hint="use --mode integer at this size") from None
        try:
            _symbolic(fn, label, spec, base, report, reporter)
            report.integer_only = [s for s in shapes if s not in base]
        except UserCodeError as exc:
            if mode == "symbolic":
                raise
            report.notes.append(f"the function could not run on symbols ({exc.message}); integer mode used instead")
            report.mode = "integer"
            report.findings = {key: None for key in report.findings}
    _integer(fn, label, spec, shapes, report, trials, bound, seed, fw, dtype, caller, reporter)
    return report


def _symbolic(fn: Callable[..., Any], label: str, spec: Spec, shapes: list[Shape], report: Report,
              reporter: Reporter) -> None:
    from .symbolic import SymbolicArith

    refs = establish(spec.layout, spec.bias)
    reporter.stage("symbolic check of the backward", len(shapes))
    for s in shapes:
        arith = SymbolicArith(Spec(m=s[0], k=s[1], n=s[2], layout=spec.layout, bias=spec.bias))
        got = call_numpy(fn, label, arith.inputs, spec.bias, s, spec.layout)
        for name in names(spec.bias):
            _record(report.findings, name, judge(arith, name, got.outputs[name], refs, spec.layout, s, None))
        _record(report.findings, "inputs", _inputs_finding(got.modified, s, None))
        _notes(report, got, s)
        reporter.advance(1)


def _notes(report: Report, got: Call, s: Shape) -> None:
    for note in got.notes:
        text = f"{note} (at {s[0]}×{s[1]}×{s[2]})"
        if not any(x.split(" (at ")[0] == note for x in report.notes):
            report.notes.append(text)


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        x, y = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError, RuntimeError, OverflowError):
        return False
    return x.shape == y.shape and (bool((x == y).all()) or bool(np.array_equal(x, y, equal_nan=True)))


def _integer(fn: Callable[..., Any], label: str, spec: Spec, shapes: list[Shape], report: Report, trials: int | None,
             bound: float, seed: int, fw: str, dtype: str, caller: Any, reporter: Reporter) -> None:
    from .integer import FULL_LIMIT, IntegerArith, choose_range, enough_range, make_bound, per_trial

    refs = establish(spec.layout, spec.bias)
    largest = max(max(s) for s in shapes)
    projected = any(s[0] * s[1] * s[2] > FULL_LIMIT for s in shapes)
    R = choose_range(largest, dtype)  # the widest exact range; with no --trials, the narrowest that meets the bound
    R = R if trials is not None else enough_range(R, projected, bound, MIN_FRESH)
    try:
        fresh = fresh_calls(per_trial(R, projected), bound, trials)
    except ValueError:
        raise BadInput(f"no number of calls reaches the bound {bound} with {4 * R + 1} values", hint="use float64") from None
    report.bound = make_bound(R, dtype, fresh, projected, largest, None if trials is not None else bound)
    report.protocol = (f"at every shape {fresh} calls with fresh values, then the values of call 1 again "
                       "(the answers must repeat)" + (caller.protocol if caller is not None else ""))
    rng = np.random.default_rng(seed)
    findings = report.findings
    outs = names(spec.bias)
    reporter.stage("integer-exact check of the backward", len(shapes) * (fresh + 1))
    with caller.session() if caller is not None else _nothing():
        for s in shapes:
            dims = {"m": s[0], "k": s[1], "n": s[2]}
            full = s[0] * s[1] * s[2] <= FULL_LIMIT
            if full:  # every draw kept: a stale answer is named by the earlier call whose values it used
                draws = [IntegerArith(dims, spec.layout, spec.bias, R, dtype, refs, rng) for _ in range(fresh)]
                for i in range(1, fresh):
                    draws[i].earlier = draws[:i]
            else:  # large: drawn one at a time, only the first kept (for the repeat call), so two draws at most live
                draws = []
            first: Call | None = None
            for c in range(1, fresh + 2):
                if c > fresh:
                    arith = draws[0]
                elif full:
                    arith = draws[c - 1]
                else:
                    arith = IntegerArith(dims, spec.layout, spec.bias, R, dtype, refs, rng)
                    if not draws:
                        draws.append(arith)
                got = caller.call(arith.inputs, s, c) if caller is not None else call_numpy(
                    fn, label, arith.inputs, spec.bias, s, spec.layout)
                _notes(report, got, s)
                _record(findings, "inputs", _inputs_finding(got.modified, s, c))
                if first is None:
                    first = got
                if c <= fresh:
                    for name in outs:
                        if findings[name] is None:
                            _record(findings, name, judge(arith, name, got.outputs[name], refs, spec.layout, s, c))
                else:
                    for name in outs:
                        if not _same(got.outputs[name], first.outputs[name]):
                            _record(findings, name, Finding(
                                "state", s, c, mistake=STATE,
                                detail=f"call {c} repeated the values of call 1 and returned a different {name}"))
                reporter.advance(1)
            if caller is not None and first is not None:
                for key, finding in caller.extra(draws[0], s, first, refs, spec.layout):
                    _record(findings, key, finding)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None

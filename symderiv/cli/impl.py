"""`symderiv check-impl`: load the user's backward, check it against the derived
gradients, print the report (or JSON), exit 0 correct, 1 wrong, 2 cannot load or call."""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from typing import Annotated, Any, Optional

import typer
from rich.text import Text

from ..progress import SILENT
from . import common
from .examples import epilog
from .progress import BarReporter
from .root import app

DEFAULT_SECONDS = 300.0  # the whole check, the user's calls included (--time-limit)


class Mode(str, Enum):
    auto = "auto"
    symbolic = "symbolic"
    integer = "integer"


class Framework(str, Enum):
    auto = "auto"
    numpy = "numpy"
    torch = "torch"


class Dtype(str, Enum):
    float64 = "float64"
    float32 = "float32"


def _styled(line: str) -> Text:
    text = Text(line)
    text.highlight_words(["holds", "correct:"], style="green")
    text.highlight_words(["fails:", "wrong:", "wrong shape", "missing"], style="bold red")
    text.highlight_words(["mistake:"], style="yellow")
    return text


@app.command("check-impl", epilog=epilog("check-impl"))
def check_impl(
    target: Annotated[str, typer.Argument(metavar="TARGET", help="path/to/file.py:name or package.module:name.")],
    m: common.M = 3,
    k: common.K = 2,
    n: common.N = 4,
    layout: Annotated[Optional[str], typer.Option(
        "--layout", metavar="zw|zwt", callback=common._layout, show_default=False,
        help="zw: A = ZW + b (W k×n) [default]; zwt: A = ZWᵀ + b (W n×k, PyTorch's nn.Linear; an nn.Module's weight "
             "shape says which).")] = None,
    bias: Annotated[bool, typer.Option(
        "--bias/--no-bias", help="backward(Z, W, b, G) -> (dZ, dW, db), or backward(Z, W, G) -> (dZ, dW).")] = True,
    mode: Annotated[Mode, typer.Option(
        "--mode", metavar=common.choices(Mode),
        help="symbolic: exact, on NumPy object arrays of symbols; integer: exact arithmetic at random points, with a "
             "false-pass bound; auto: symbolic for small NumPy shapes, else integer.")] = Mode.auto,
    trials: Annotated[Optional[int], typer.Option(
        "--trials", metavar="N", show_default=False,
        help="Calls with fresh random values per shape (at least 2) [default: as many as --bound needs].")]
    = None,
    bound: Annotated[float, typer.Option(
        "--bound", metavar="P", help="The target false-pass bound; the number of calls per shape is chosen to meet it.")]
    = 1e-9,
    seed: Annotated[int, typer.Option("--seed", metavar="N", help="Integer mode: the random seed (printed).")] = 0,
    framework: Annotated[Framework, typer.Option(
        "--framework", metavar=common.choices(Framework),
        help="auto: torch for an autograd.Function, else numpy.")] = Framework.auto,
    device: Annotated[str, typer.Option(
        "--device", metavar="DEVICE", help="torch: auto (cuda when there is one, else cpu), cpu, cuda, cuda:N.")] = "auto",
    dtype: Annotated[Dtype, typer.Option(
        "--dtype", metavar=common.choices(Dtype), help="Integer mode: the inputs' dtype (its exact range is used).")]
    = Dtype.float64,
    extra_shapes: Annotated[bool, typer.Option(
        "--extra-shapes/--no-extra-shapes", help="Also a 1 in each dimension and, at sizes ≥ 64, 65/129/33.")] = True,
    traceback: Annotated[bool, typer.Option(
        "--traceback", help="When the user's code raises, print its traceback too.")] = False,
    time_limit: Annotated[Optional[float], typer.Option(
        "--time-limit", metavar="SECONDS", callback=common._time_limit, show_default=False,
        help=f"Seconds the whole check may take, your code's calls included [default: {DEFAULT_SECONDS:g}]; past it "
             "your code is stopped: exit 2.")] = None,
    max_memory: Annotated[Optional[str], typer.Option(
        "--max-memory", metavar="SIZE", show_default=False,
        help="Memory your code and the check may add, e.g. 512M, 4G, or 'none' [default: 1G beyond what the check "
             "holds itself at the size asked for]; past it: exit 2.")]
    = None,
    json_out: Annotated[bool, common.json_option("symderiv.impl/1")] = False,
    quiet: common.Quiet = False,
    color: common.Color = None,
    version: common.Version = False,
) -> None:
    """Check a hand-written backward(Z, W, b, G) -> (dZ, dW, db) against the derived gradients, exactly.
    Loading the target runs its module: it is your code being checked."""
    from ..impl import check_impl as run_check
    from ..impl.loading import UserCodeError, load
    from . import supervise
    from .capture import Captured

    seconds = time_limit if time_limit is not None else DEFAULT_SECONDS
    memory = common.parse_memory(max_memory)
    if memory is None:  # 1 GiB for the code, beyond what the check holds itself at the size asked for
        from ..impl.check import planned_bytes

        memory = supervise.DEFAULT_MEMORY + planned_bytes(m, k, n)
    caged = supervise.detach(supervise.Watch(
        seconds, memory=memory,
        on_time=f"{target} ran past the time limit of {{seconds:g}} s (raise it with --time-limit)",
        on_memory=f"{target} ran past its memory budget of {{memory}} (raise it with --max-memory)",
        on_exit=f"{target} ended the process (exit status {{status}}) before the check finished "
                "(os._exit in the code, or a crash?)",
        on_signal=f"the process running {target} died of {{signal}} (a crash in the code or in a library it calls)"))
    if caged:  # the code has no terminal to read from (input() is an EOFError, not a wait until the time limit)
        _no_stdin()
    own_err = sys.stderr
    reporter = SILENT if quiet or json_out else BarReporter(common.console(color, stderr=True, file=own_err))
    captured = Captured()
    try:
        with captured:
            fn = load(target)
            if "torch" not in sys.modules:  # torch and CUDA reserve address space: watched by size instead
                supervise.limit_memory(memory)
            report = run_check(fn, target, m=m, k=k, n=n, layout=layout, bias=bias, mode=common.value(mode),
                               trials=trials, seed=seed, bound=bound, framework=common.value(framework), device=device,
                               extra_shapes=extra_shapes, dtype=common.value(dtype), reporter=reporter)
    except BaseException as exc:
        reporter.done()
        _show(captured, target)
        if traceback and isinstance(exc, UserCodeError) and exc.details:
            sys.stderr.write(exc.details)
        raise
    reporter.done()
    if json_out:
        sys.stdout.write(json.dumps(report.json(), indent=2, ensure_ascii=False) + "\n")
    elif not quiet:
        console = common.console(color)
        for line in report.lines():
            console.print(_styled(line), soft_wrap=True)
    if not quiet:
        _show(captured, target)
    raise typer.Exit(0 if report.ok else 1)


def _show(captured: Any, target: str) -> None:
    """What the user's code printed, on stderr, after the report (never inside it)."""
    for line in captured.lines(target):
        sys.stderr.write(line + "\n")


def _no_stdin() -> None:
    try:
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
    except OSError:
        pass

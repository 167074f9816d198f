"""`symderiv check-impl`: load the user's backward, check it against the derived
gradients, print the report (or JSON), exit 0 correct, 1 wrong, 2 cannot load or call."""

from __future__ import annotations

import json
import sys
from typing import Optional

import typer
from rich.text import Text

from ..progress import SILENT
from . import app
from .progress import BarReporter
from .verify import console_for


def _styled(line: str) -> Text:
    text = Text(line)
    text.highlight_words(["holds", "correct:"], style="green")
    text.highlight_words(["fails:", "wrong:", "wrong shape", "missing"], style="bold red")
    text.highlight_words(["mistake:"], style="yellow")
    return text


@app.command("check-impl")
def check_impl(
    target: str = typer.Argument(..., metavar="TARGET", help="path/to/file.py:name or package.module:name."),
    m: int = typer.Option(3, "--m", help="Rows of the batch (Z is m×k).", show_default=True),
    k: int = typer.Option(2, "--k", help="Inner size (W is k×n).", show_default=True),
    n: int = typer.Option(4, "--n", help="Outputs (A is m×n).", show_default=True),
    layout: str = typer.Option("zw", "--layout", help="zw: A = ZW + b; zwt: A = ZWᵀ + b (PyTorch's nn.Linear)."),
    bias: bool = typer.Option(True, "--bias/--no-bias", help="backward(Z, W, b, G) -> (dZ, dW, db), or without b."),
    mode: str = typer.Option(
        "auto", "--mode", help="symbolic: exact, on NumPy object arrays of symbols; integer: exact arithmetic at random "
        "points, with a false-pass bound; auto: symbolic for small NumPy shapes, else integer."),
    trials: int = typer.Option(2, "--trials", help="Integer mode: fresh random values per shape, this many times."),
    seed: int = typer.Option(0, "--seed", help="Integer mode: the random seed (printed with the result)."),
    framework: str = typer.Option("auto", "--framework", help="numpy or torch (auto: torch for an autograd.Function)."),
    device: str = typer.Option("auto", "--device", help="torch: auto (cuda when there is one, else cpu), cpu, cuda, cuda:N."),
    dtype: str = typer.Option("float64", "--dtype", help="Integer mode: the dtype of the inputs, float64 or float32."),
    extra_shapes: bool = typer.Option(
        True, "--extra-shapes/--no-extra-shapes", help="Also a 1 in each dimension and, at sizes ≥ 64, 65/129/33."),
    traceback: bool = typer.Option(False, "--traceback", help="When the user's code raises, print its traceback too."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document (schema symderiv.impl/1) and nothing else."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no report; only the exit code."),
    color: Optional[bool] = typer.Option(
        None, "--color/--no-color", help="Force colour on or off (default: follow the terminal)."),
) -> None:
    """Check a hand-written backward(Z, W, b, G) -> (dZ, dW, db) against the derived gradients, exactly."""
    from ..impl import check_impl as run_check
    from ..impl.loading import UserCodeError, load

    reporter = SILENT if quiet or json_out else BarReporter(console_for(color, stderr=True))
    try:
        fn = load(target)
        report = run_check(fn, target, m=m, k=k, n=n, layout=layout, bias=bias, mode=mode, trials=trials, seed=seed,
                           framework=framework, device=device, extra_shapes=extra_shapes, dtype=dtype, reporter=reporter)
    except UserCodeError as exc:
        reporter.done()
        if traceback and exc.details:
            sys.stderr.write(exc.details)
        raise
    reporter.done()
    if json_out:
        sys.stdout.write(json.dumps(report.json(), indent=2, ensure_ascii=False) + "\n")
    elif not quiet:
        console = console_for(color)
        for line in report.lines():
            console.print(_styled(line), soft_wrap=True)
    raise typer.Exit(0 if report.ok else 1)

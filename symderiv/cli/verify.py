"""`symderiv verify`: options in, the core call, a renderer out."""

from __future__ import annotations

import sys
from typing import Optional

import typer
from rich.console import Console

from ..output import write_output
from ..progress import SILENT
from ..shapes import Spec
from ..verify import verify as run_verify
from . import app
from .progress import BarReporter


def console_for(color: Optional[bool], stderr: bool = False) -> Console:
    """Colour follows the terminal; NO_COLOR turns it off; --color forces it."""
    if color is None:
        return Console(stderr=stderr, highlight=False)
    return Console(stderr=stderr, highlight=False, force_terminal=color, no_color=not color)


@app.command()
def verify(
    m: int = typer.Option(3, "--m", help="Rows of the batch (Z is m×k).", show_default=True),
    k: int = typer.Option(2, "--k", help="Inner size (W is k×n).", show_default=True),
    n: int = typer.Option(4, "--n", help="Outputs (A is m×n).", show_default=True),
    layout: str = typer.Option("zw", "--layout", help="zw: A = ZW + B; zwt: A = ZWᵀ + b (PyTorch's nn.Linear)."),
    bias: bool = typer.Option(True, "--bias/--no-bias", help="Include the bias row B (1×n, broadcast)."),
    loss: str = typer.Option(
        "generic", "--loss", help="generic: L = Σ g_ij a_ij (any loss with ∂L/∂A = G); sumsq: L = ½ Σ a_ij²."
    ),
    steps: bool = typer.Option(True, "--steps/--no-steps", help="Print every derivation step, or only the summary."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document (schema symderiv.verify/1) and nothing else."),
    latex: Optional[str] = typer.Option(
        None, "--latex", metavar="FILE", help="Also write the derivation as LaTeX ('-' for stdout)."
    ),
    markdown: Optional[str] = typer.Option(
        None, "--markdown", metavar="FILE", help="Also write the derivation as Markdown ('-' for stdout)."
    ),
    fragment: bool = typer.Option(False, "--fragment", help="With --latex: only the body, to paste into a document."),
    force: bool = typer.Option(False, "--force", help="Run the exact method beyond its size limit."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no report; only the exit code (and files)."),
    color: Optional[bool] = typer.Option(
        None, "--color/--no-color", help="Force colour on or off (default: follow the terminal)."
    ),
) -> None:
    """Derive ∂L/∂W, ∂L/∂Z, ∂L/∂B of A = ZW + B by differentiation and prove them equal to ZᵀG, GWᵀ, 1ᵀG."""
    spec = Spec(m=m, k=k, n=n, layout=layout, bias=bias, loss=loss)
    if fragment and latex is None:
        raise typer.BadParameter("--fragment goes with --latex", param_hint="--fragment")
    to_stdout = [name for name, path in (("--latex", latex), ("--markdown", markdown)) if path == "-"]
    if len(to_stdout) + int(json_out) > 1:
        raise typer.BadParameter("only one of --json, --latex -, --markdown - can use stdout")
    reporter = SILENT if quiet else BarReporter(console_for(color, stderr=True))
    derivation = run_verify(spec, force=force, reporter=reporter)

    if latex is not None:
        from ..render import latex as latex_render

        write_output(latex, latex_render.render(derivation, fragment=fragment))
    if markdown is not None:
        from ..render import markdown as markdown_render

        write_output(markdown, markdown_render.render(derivation))
    if json_out:
        from ..render.json import dumps

        sys.stdout.write(dumps(derivation))
    elif not quiet and not to_stdout:
        from ..render.console import render

        render(derivation, console_for(color), steps=steps)
    raise typer.Exit(0 if derivation.ok else 1)

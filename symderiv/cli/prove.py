"""`symderiv prove`: options in, the index-notation proof (sympy, loaded here only), a renderer out."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from ..output import write_output
from ..shapes import Spec
from . import app
from .verify import console_for


@app.command()
def prove(
    layout: str = typer.Option("zw", "--layout", help="zw: A = ZW + B; zwt: A = ZWᵀ + b (PyTorch's nn.Linear)."),
    bias: bool = typer.Option(True, "--bias/--no-bias", help="Include the bias row B (1×n, broadcast)."),
    loss: str = typer.Option(
        "generic", "--loss", help="generic: L = Σ g_ij a_ij (any loss with ∂L/∂A = G); sumsq: L = ½ Σ a_ij²."
    ),
    steps: bool = typer.Option(True, "--steps/--no-steps", help="Print every step of the proof, or only the summary."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document (schema symderiv.verify/1, "
                                  "method index) and nothing else."),
    latex: Optional[str] = typer.Option(
        None, "--latex", metavar="FILE", help="Also write the proof as LaTeX ('-' for stdout)."
    ),
    markdown: Optional[str] = typer.Option(
        None, "--markdown", metavar="FILE", help="Also write the proof as Markdown ('-' for stdout)."
    ),
    fragment: bool = typer.Option(False, "--fragment", help="With --latex: only the body, to paste into a document."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No report; only the exit code (and files)."),
    color: Optional[bool] = typer.Option(
        None, "--color/--no-color", help="Force colour on or off (default: follow the terminal)."
    ),
) -> None:
    """Prove ∂L/∂W = ZᵀG, ∂L/∂Z = GWᵀ, ∂L/∂B = 1ᵀG and the Jacobian ∂a_ij/∂w_pq = z_ip δ_jq for every m, k, n,
    in index notation."""
    spec = Spec(layout=layout, bias=bias, loss=loss)
    if fragment and latex is None:
        raise typer.BadParameter("--fragment goes with --latex", param_hint="--fragment")
    to_stdout = [name for name, path in (("--latex", latex), ("--markdown", markdown)) if path == "-"]
    if len(to_stdout) + int(json_out) > 1:
        raise typer.BadParameter("only one of --json, --latex -, --markdown - can use stdout")
    from ..prove.derivation import prove as run_prove

    derivation = run_prove(spec)
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

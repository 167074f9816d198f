"""`symderiv derive`: an expression and a variable in, the derivative out, by matrix
differentials, with its steps; printed only after the claims engine has checked it
(exit 0), else one line on stderr and exit 2."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer

from ..output import DESCRIPTORS, STDOUT, check_targets, write_outputs
from . import common
from .root import app
from .verify import Latex, Markdown, Steps, confirm, console_for

Wrt = Annotated[str, typer.Option("--wrt", "-w", metavar="LETTER", help="The variable: W, w, \\mathbf{x}, W_1.")]
Context = Annotated[Optional[str], typer.Option(
    "--context", "-c", metavar="TEXT", help="Definitions, shapes and sizes: 'Y = X W + b', 'X: 3x2, W: 2x3'. Default: none.")]
ConventionOpt = Annotated[common.Convention, typer.Option(
    "--convention", metavar=common.choices(common.Convention),
    help="gradient: ∂f/∂X has X's shape (denominator layout); numerator: its transpose.")]


@app.command()
def derive(
    expression: Annotated[str, typer.Argument(
        metavar="EXPRESSION", help="The expression, in LaTeX or plain text: 'tr(X W)', 'L'.")],
    wrt: Wrt,
    context: Context = None,
    convention: ConventionOpt = common.Convention.gradient,
    steps: Steps = True,
    json_out: Annotated[bool, common.json_option("symderiv.derive/1")] = False,
    latex: Latex = None,
    markdown: Markdown = None,
    quiet: common.Quiet = False,
    color: common.Color = None,
    version: common.Version = False,
) -> None:
    """The derivative of an expression by matrix differentials, with its steps, checked before it is printed:
    derive 'tr(X W)' --wrt W --context 'X: 3x2, W: 2x3'."""
    latex, markdown = (STDOUT if DESCRIPTORS.get(p or "") == 1 else p for p in (latex, markdown))
    to_stdout = [p for p in (latex, markdown) if p == "-"]
    if len(to_stdout) + int(json_out) > 1:
        raise typer.BadParameter("only one of --json, --latex -, --markdown - can use stdout")
    documents = [(p, k) for p, k in ((latex, "latex"), (markdown, "markdown")) if p is not None]
    check_targets([p for p, _ in documents])
    from ..differentials.answer import derive as run_derive
    from ..render import derive as documents_render

    result = run_derive(expression, wrt, context, common.value(convention))
    d = result.derivation
    assert d is not None
    title = f"∂({expression})/∂{wrt} by matrix differentials, checked"
    items = [(p, documents_render.latex(d, title) if k == "latex" else documents_render.markdown(d, title))
             for p, k in documents]
    written = write_outputs(items)
    if not quiet:
        confirm(written)
    if json_out:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    if quiet or to_stdout:
        return
    console = console_for(color)
    if steps:
        from ..render.console import render

        render(d, console, steps=True)
    console.print(f"[bold]{result.statement}[/]", highlight=False)
    proof = "proved for all sizes" if result.proof == "all-sizes" else "checked exactly at the sizes listed"
    console.print(f"proof: {result.proof} ({proof}); convention: {result.convention}", highlight=False)

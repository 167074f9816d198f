"""`symderiv claim` (is this formula true?) and `symderiv claims` (the catalog
of known identities and fallacies, each checked live): options in, the core
call, a report out. Exit 0 holds, 1 fails, 2 unchecked or bad input."""

from __future__ import annotations

import json
import sys
from typing import Optional

import typer
from rich.console import Console
from rich.text import Text

from . import app

STYLE = {"holds": "bold green", "fails": "bold red", "unchecked": "bold yellow"}


def _console(color: Optional[bool]) -> Console:
    if color is None:
        return Console(highlight=False)
    return Console(highlight=False, force_terminal=color, no_color=not color)


def _print_report(console: Console, report: str, verdict: str) -> None:
    for line in report.splitlines():
        if line.startswith("verdict: "):
            out = Text("verdict: ")
            rest = line[len("verdict: "):]
            head, _, tail = rest.partition(":")
            out.append(head, style=STYLE.get(verdict, ""))
            out.append(":" + tail if tail else "")
            console.print(out, soft_wrap=True)
        else:
            console.print(Text(line), soft_wrap=True)


@app.command()
def claim(
    text: str = typer.Argument(
        ..., metavar="TEXT", help="The claim, in LaTeX or plain text: 'dL/dW = Z^T G' ('-' reads it from stdin)."),
    context: Optional[str] = typer.Option(
        None, "--context", "-c",
        help="Definitions, shapes and sizes: 'Y = X W + b, X: NxD, W: DxM, N=2, D=3, M=2'. "
             "Default: the layer A = ZW + B when the claim is about it."),
    m: Optional[int] = typer.Option(None, "--m", help="Size m (rows of Z; the first default size)."),
    k: Optional[int] = typer.Option(None, "--k", help="Size k (inner size; the second default size)."),
    n: Optional[int] = typer.Option(None, "--n", help="Size n (outputs; the third default size)."),
    layout: str = typer.Option(
        "zw", "--layout",
        help="The default layer, as for verify: zw (A = ZW + B) or zwt (A = ZWᵀ + B, W n×k). "
             "Also accepts gradient or numerator, meaning --convention."),
    convention: str = typer.Option(
        "gradient", "--convention",
        help="gradient: ∂L/∂W has W's shape (default, 'denominator layout'); numerator: its transpose."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document (schema symderiv.claim/1)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing; only the exit code."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Force colour on or off."),
) -> None:
    """Check one formula exactly: holds, fails (values, shapes, ill-formed) or unchecked, with the reason."""
    from ..claims import check_claim  # imported here: `verify` should not pay for the claim grammar
    from ..claims.report import render
    from ..shapes import Spec

    given = {name: v for name, v in (("m", m), ("k", k), ("n", n)) if v is not None}
    Spec(**{"m": 3, "k": 2, "n": 4, **given})  # validates the sizes with the usual messages
    if text == "-":
        text = sys.stdin.read()
    layer = layout
    if layout in ("gradient", "numerator"):  # the convention, spelled as the issue and many books do
        layer, convention = "zw", layout
    result = check_claim(text, context=context, layout=convention, sizes=given, layer=layer)
    if json_out:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    elif not quiet:
        _print_report(_console(color), render(result), result.verdict.value)
    raise typer.Exit(result.exit_code)


@app.command()
def claims(
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document (schema symderiv.claims/1)."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Force colour on or off."),
) -> None:
    """The catalog of known identities and fallacies, each verified live (exit 0 if all agree)."""
    from ..claims.catalog import run_all, to_dict

    rows = run_all()
    doc = to_dict(rows)
    if json_out:
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        console = _console(color)
        for entry, result in rows:
            verdict = result.verdict.value
            ok = verdict == entry.expected
            line = Text("✓ " if ok else "✗ ", style="green" if ok else "bold red")
            line.append(f"{entry.id:<24}")
            line.append(f"{verdict:<10}", style=STYLE.get(verdict, ""))
            line.append(f"{result.statement or entry.statement}")
            if entry.context:
                line.append(f"   [{entry.context}]", style="dim")
            if entry.layout != "gradient":
                line.append(f"   ({entry.layout} layout)", style="dim")
            console.print(line, soft_wrap=True)
            console.print(Text(f"    {entry.why}", style="dim"), soft_wrap=True)
            if not ok:
                console.print(Text(f"    expected {entry.expected}: {result.reason}", style="red"), soft_wrap=True)
        total = len(rows)
        agree = sum(1 for e, r in rows if r.verdict.value == e.expected)
        console.print(Text(f"{agree}/{total} verdicts as expected", style="bold"))
    raise typer.Exit(0 if doc["ok"] else 1)

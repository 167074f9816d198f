"""`symderiv check`: every equation of Markdown and LaTeX files judged in place.
Human output (grouped by file) or a machine format; exit 0 no fails, 1 a fail
(or, with --strict, an unchecked claim), 2 an unreadable file or a bad option."""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.text import Text

from ..errors import BadInput
from . import common
from .root import app, escaped, fail

STYLE = {"holds": "green", "fails": "bold red", "unchecked": "yellow", "definition": "dim"}
MARK = {"holds": "✓", "fails": "✗", "unchecked": "?", "definition": "·"}


def _human(reports: list, console: Console, verbose: bool) -> None:
    from ..documents.findings import summary

    for r in reports:
        console.print(Text(escaped(r.path), style="bold underline"), soft_wrap=True)
        if r.error:
            console.print(Text(f"  error: {escaped(r.error)}", style="bold red"), soft_wrap=True)
        for f in r.findings:
            if f.verdict in ("holds", "definition") and not verbose:
                continue
            line = Text(f"  {f.line}:{f.column} ")
            line.append(f"{MARK[f.verdict]} {f.verdict}", style=STYLE[f.verdict])
            if f.kind and f.verdict != "definition":
                line.append(f" ({f.kind})", style=STYLE[f.verdict])
            line.append("  " + " ".join(f.source.split())[:120])
            console.print(line, soft_wrap=True)
            if f.verdict in ("fails", "unchecked"):
                console.print(Text(f"      {f.reason}"), soft_wrap=True)
                if f.suggestion:
                    console.print(Text(f"      suggestion: {f.suggestion}", style="cyan"), soft_wrap=True)
                if f.context:
                    console.print(Text(f"      context: {f.context}", style="dim"), soft_wrap=True)
    s = summary(reports)
    out = Text(f"{len(reports)} file{'s' if len(reports) != 1 else ''}: ")
    for k in ("holds", "fails", "unchecked", "definition"):
        out.append(f"{s[k]} {k}", style=STYLE[k] if s[k] else "")
        out.append(", " if k != "definition" else "")
    if s["errors"]:
        out.append(f", {s['errors']} unreadable", style="bold red")
    console.print(out)


def _usable_context(text: Optional[str], where: str) -> None:
    """A context given on the command line or in the configuration is read once, before any file: one that
    cannot be read is exit 2 (a document's own context that cannot be read is that document's finding)."""
    if not text:
        return
    from ..claims.context import build_context
    from ..errors import SymderivError

    try:
        build_context(text)
    except SymderivError as exc:
        raise BadInput(f"{where} cannot be read: {exc.line()}") from None


class Format(str, Enum):
    human = "human"
    json = "json"
    github = "github"
    sarif = "sarif"
    junit = "junit"


@app.command()
def check(
    paths: list[str] = typer.Argument(..., metavar="FILE...", help="Markdown (.md; other text files are read as Markdown) "
                                      "and LaTeX (.tex) files, or directories to search for them."),
    fmt: Format = typer.Option(Format.human, "--format", "-f", metavar=common.choices(Format),
                               help="human, json (schema symderiv.check/1), github annotations, SARIF 2.1.0 or JUnit XML."),
    context: Optional[str] = typer.Option(None, "--context", "-c", metavar="TEXT",
                                          help="A context in force from the top of every file (the document's own "
                                               "definitions follow it): 'Y = X W + b; X: N x D'."),
    strict: Optional[bool] = typer.Option(None, "--strict/--no-strict", help="Also exit 1 when a claim is unchecked."),
    jobs: int = typer.Option(0, "--jobs", "-j", metavar="N", help="Processes judging claims (default 0: the number of cores)."),
    time_limit: float = typer.Option(20.0, "--time-limit", metavar="SECONDS", callback=common._time_limit,
                                     help="Seconds per claim (finite, positive); an overrun is an unchecked finding."),
    max_memory: common.MaxMemory = None,
    convention: Optional[common.Convention] = typer.Option(
        None, "--convention", metavar=common.choices(common.Convention),
        help="gradient: ∂L/∂W has W's shape (the default); numerator: its transpose."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Human output: show claims that hold and definitions too."),
    json_out: Annotated[bool, common.json_option("symderiv.check/1")] = False,
    quiet: common.Quiet = False,
    color: common.Color = None,
    version: common.Version = False,
) -> None:
    """Check every equation of Markdown and LaTeX documents, with the context read from each document."""
    from ..documents import config as cfg
    from ..documents.formats import FORMATS as MACHINE
    from ..documents.run import Options, check_files, expand_paths

    fmt_name = "json" if json_out else common.value(fmt)
    if jobs < 0:
        raise BadInput("--jobs must be 0 (the number of cores) or more")
    memory = common.parse_memory(max_memory)
    conf = cfg.load(paths)
    layout = common.value(convention) if convention is not None else conf.convention
    strict_on = conf.strict if strict is None else strict
    root = os.path.dirname(conf.source) if conf.source else None
    files = expand_paths(paths, tuple(conf.ignore), root)
    _usable_context(context, "--context")
    if context is None:
        _usable_context(conf.context, f"the context in {conf.source}")
    opts = Options(context=context if context is not None else conf.context, layout=layout, jobs=jobs, time_limit=time_limit,
                   **({"max_memory": memory} if memory is not None else {}))
    reporter = None
    if fmt_name == "human" and not quiet and sys.stderr.isatty():  # never in machine formats, nor in logs
        from .progress import BarReporter
        reporter = BarReporter()
    reports = check_files(files, opts, reporter) if reporter else check_files(files, opts)
    if fmt_name != "human":
        sys.stdout.write(MACHINE[fmt_name](reports))
    elif not quiet:
        _human(reports, common.console(color), verbose)
    for r in reports:
        if r.error:
            fail(r.error)
    if any(r.error for r in reports):
        raise typer.Exit(2)
    verdicts = {f.verdict for r in reports for f in r.findings}
    if "fails" in verdicts or (strict_on and "unchecked" in verdicts):
        raise typer.Exit(1)
    raise typer.Exit(0)

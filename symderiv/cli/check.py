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
from .examples import epilog
from .root import app, escaped, fail

STYLE = {"holds": "green", "fails": "bold red", "unchecked": "yellow", "definition": "dim"}
MARK = {"holds": "✓", "fails": "✗", "unchecked": "?", "definition": "·"}


def _human(reports: list, console: Console, verbose: bool) -> None:
    from ..documents.findings import summary
    from ..documents.formats.clean import utf8_text

    for r in reports:
        console.print(Text(escaped(utf8_text(r.path)), style="bold underline"), soft_wrap=True)
        if r.error:
            console.print(Text(f"  error: {escaped(r.error)}", style="bold red"), soft_wrap=True)
        for f in r.findings:
            if f.verdict in ("holds", "definition") and not verbose and f.kind != "unusable":
                continue
            line = Text(f"  {f.line}:{f.column} ")
            line.append(f"{MARK[f.verdict]} {f.verdict}", style=STYLE[f.verdict])
            if f.kind and f.verdict != "definition":
                line.append(f" ({f.kind})", style=STYLE[f.verdict])
            line.append("  " + utf8_text(" ".join(f.source.split())[:120]))
            console.print(line, soft_wrap=True)
            if f.verdict in ("fails", "unchecked") or f.kind == "unusable":
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
    c = s["coverage"]
    why = ", ".join(f"{n} {k}" for k, n in c["unchecked"].items())
    console.print(Text(f"coverage: {c['equations']} equations found, {c['judged']} judged, {c['definitions']} definitions, "
                       f"{sum(c['unchecked'].values())} unchecked" + (f" ({why})" if why else "")
                       + (f"; {c['ignored']} ignored" if c["ignored"] else ""), style="dim"), soft_wrap=True)


def _nothing_found(paths: list[str], reports: list) -> str | None:
    """The warning for a run that checked nothing: no files found, or files without one equation."""
    if not reports:
        return f"no Markdown or LaTeX files found in {', '.join(paths)}"
    if not any(r.findings for r in reports):
        n = len(reports)
        return f"no equations found in {'the' if n == 1 else 'any of the'} {n} file{'s' if n != 1 else ''} checked"
    return None


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


def _read_stdin() -> str:
    return _decode(sys.stdin.buffer.read())


def _read_file(path: str) -> str:
    """A document's text for the HTML report, decoded as the checker decoded it (a file that changed or
    vanished since is shown as it is now, or empty)."""
    try:
        with open(path, "rb") as fh:
            return _decode(fh.read())
    except OSError:
        return ""


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


@app.command(epilog=epilog("check"))
def check(
    paths: list[str] = typer.Argument(..., metavar="FILE…", help="Markdown (.md; other text files are read as Markdown) "
                                      "and LaTeX (.tex) files, folders to walk for them, or - for stdin."),
    fmt: Format = typer.Option(Format.human, "--output-format", "--format", "-f", metavar=common.choices(Format),
                               help="What the terminal gets: human, json (schema symderiv.check/1), github annotations, "
                                    "SARIF 2.1.0 or JUnit XML."),
    sarif_file: Optional[str] = typer.Option(None, "--sarif", metavar="FILE", help="Also write a SARIF 2.1.0 log to FILE."),
    junit_file: Optional[str] = typer.Option(None, "--junit", metavar="FILE", help="Also write JUnit XML to FILE."),
    json_file: Optional[str] = typer.Option(None, "--json-file", metavar="FILE",
                                            help="Also write the JSON document (symderiv.check/1) to FILE."),
    html_file: Optional[str] = typer.Option(None, "--html", metavar="FILE",
                                            help="Also write an HTML report to FILE: the documents rendered (KaTeX), every "
                                                 "equation marked, self-contained."),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", metavar="NAME",
                                                 help="With - : the name stdin's text is reported under (.tex reads LaTeX)."),
    context: Optional[str] = typer.Option(None, "--context", "-c", metavar="TEXT",
                                          help="A context in force from the top of every file (the document's own "
                                               "definitions follow it): 'Y = X W + b; X: N x D'."),
    strict: Optional[bool] = typer.Option(None, "--strict/--no-strict",
                                          help="Also exit 1 when a claim is unchecked, and 2 when nothing is found."),
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
    from ..documents.findings import NOT_CLAIMS
    from ..documents.formats import FORMATS as MACHINE
    from ..documents.run import Options, check_files
    from ..documents.walk import expand_paths
    from ..output import check_targets, shown, write_outputs

    fmt_name = "json" if json_out else common.value(fmt)
    if jobs < 0:
        raise BadInput("--jobs must be 0 (the number of cores) or more")
    if paths.count("-") > 1 or ("-" in paths and len(paths) > 1):
        raise BadInput("- (stdin) must be the only path")
    if stdin_filename is not None and "-" not in paths:
        raise BadInput("--stdin-filename names the text read from stdin: give - as the path")
    files_out = [(name, p) for name, p in (("sarif", sarif_file), ("junit", junit_file), ("json", json_file),
                                            ("html", html_file)) if p]
    for name, p in files_out:
        if p == "-" or p in ("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"):
            raise BadInput(f"--{'json-file' if name == 'json' else name} writes a file"
                           + (f"; for stdout use --output-format {name}" if name != "html" else ""))
    check_targets([p for _, p in files_out])  # an unwritable report is an error before the work, not after
    memory = common.parse_memory(max_memory)
    conf = cfg.load([stdin_filename] if stdin_filename and paths == ["-"] else paths)
    layout = common.value(convention) if convention is not None else conf.convention
    strict_on = conf.strict if strict is None else strict
    _usable_context(context, "--context")
    if context is None:
        _usable_context(conf.context, f"the context in {conf.source}")
    opts = Options(context=context if context is not None else conf.context, layout=layout, jobs=jobs, time_limit=time_limit,
                   **({"max_memory": memory} if memory is not None else {}))
    reporter = None
    if fmt_name == "human" and not quiet and sys.stderr.isatty():  # never in machine formats, nor in logs
        from .progress import BarReporter
        reporter = BarReporter()
    sources: dict[str, str] = {}
    if paths == ["-"]:
        name = os.path.normpath(stdin_filename) if stdin_filename else "-"
        sources = {name: _read_stdin()}  # read here: a terminal is read by the foreground process
        _watched(memory)
        reports = check_files([name], opts, reporter, given=sources) if reporter else check_files([name], opts, given=sources)
    else:
        _watched(memory)
        files = expand_paths(paths, tuple(conf.ignore), conf.root, conf.exclude)
        reports = check_files(files, opts, reporter) if reporter else check_files(files, opts)
    texts: dict[str, str] = {}
    for name, _ in files_out:
        if name != "html":
            texts[name] = MACHINE[name](reports)
            continue
        from ..documents.formats.html import render
        for r in reports:
            if r.path not in sources and not r.error:
                sources[r.path] = _read_file(r.path)
        texts[name] = render(reports, sources)
    written = write_outputs([(p, texts[name]) for name, p in files_out])
    if not quiet:
        for path, size in written:
            sys.stderr.write(f"symderiv: wrote {shown(path)} ({size:,} bytes)\n")
    if fmt_name != "human":
        sys.stdout.write(MACHINE[fmt_name](reports))
    elif not quiet:
        _human(reports, common.console(color), verbose)
    for r in reports:
        if r.error:
            fail(r.error)
    if any(r.error for r in reports):
        raise typer.Exit(2)
    empty = _nothing_found(paths, reports)
    if empty:  # never a quiet green: nothing checked is said, and is a failure under --strict
        sys.stderr.write(f"symderiv: warning: {empty}{' (--strict: exit 2)' if strict_on else ''}\n")
        if strict_on:
            raise typer.Exit(2)
    verdicts = {f.verdict for r in reports for f in r.findings if not (f.verdict == "unchecked" and f.kind in NOT_CLAIMS)}
    if "fails" in verdicts or (strict_on and "unchecked" in verdicts):
        raise typer.Exit(1)
    raise typer.Exit(0)


def _watched(memory: int | None, what: str = "reading the documents") -> None:
    """Reading and planning in a watched child under the memory budget (the claims' workers have their own)."""
    from . import supervise

    budget = supervise.DEFAULT_MEMORY if memory is None else memory
    supervise.detach(supervise.Watch(memory=budget,
                                     on_memory=what + " ran past the memory budget of {memory} (raise it with --max-memory)"))

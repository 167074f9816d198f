"""`symderiv verify`: options in (the shared ones from `common`), output paths
checked, the core call, every document rendered, then all files written or none."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Any, Optional

import typer
from rich.console import Console

from ..output import DESCRIPTORS, STDOUT, check_targets, shown, write_outputs
from ..progress import SILENT
from ..shapes import Spec
from ..verify import verify as run_verify
from . import common, supervise
from .examples import epilog
from .progress import BarReporter
from .root import app


class HeadingLevel(str, Enum):
    section = "section"
    subsection = "subsection"
    none = "none"


def console_for(color: Optional[bool], stderr: bool = False) -> Console:
    """Colour follows the terminal; NO_COLOR turns it off; --color forces it (see common.console)."""
    return common.console(color, stderr=stderr)


def confirm(written: list[tuple[str, int]]) -> None:
    """One line on stderr per file written: where, and how many bytes."""
    for path, size in written:
        sys.stderr.write(f"symderiv: wrote {shown(path)} ({size:,} bytes)\n")


# the options `verify` and `prove` share: what to write, where, and how
Steps = Annotated[bool, typer.Option("--steps/--no-steps", help="Print every derivation step, or only the summary.")]
Latex = Annotated[Optional[str], typer.Option(
    "--latex", metavar="FILE", help="Also write the derivation as LaTeX ('-' for stdout).")]
Markdown = Annotated[Optional[str], typer.Option(
    "--markdown", metavar="FILE", help="Also write the derivation as Markdown ('-' for stdout).")]
Fragment = Annotated[bool, typer.Option("--fragment", help="With --latex: only the body, to \\input into a paper.")]
Heading = Annotated[HeadingLevel, typer.Option(
    "--heading-level", metavar=common.choices(HeadingLevel),
    help="With --latex: the steps as unnumbered \\section*, \\subsection* or plain bold paragraphs (none).")]


class Outputs:
    """The documents asked for, checked before any computation; then rendered and written all or none."""

    def __init__(self, latex: Optional[str], markdown: Optional[str], json_out: bool, fragment: bool,
                 heading_level: HeadingLevel) -> None:
        if fragment and latex is None:
            raise typer.BadParameter("--fragment goes with --latex", param_hint="--fragment")
        if heading_level != HeadingLevel.section and latex is None:
            raise typer.BadParameter("--heading-level goes with --latex", param_hint="--heading-level")
        latex, markdown = (STDOUT if DESCRIPTORS.get(p or "") == 1 else p for p in (latex, markdown))  # /dev/stdout is '-'
        self.to_stdout = [name for name, path in (("--latex", latex), ("--markdown", markdown)) if path == "-"]
        if len(self.to_stdout) + int(json_out) > 1:
            raise typer.BadParameter("only one of --json, --latex -, --markdown - can use stdout")
        self.documents = [(path, kind) for path, kind in ((latex, "latex"), (markdown, "markdown")) if path is not None]
        self.json_out, self.fragment, self.heading = json_out, fragment, heading_level
        check_targets([path for path, _ in self.documents])  # a bad path fails now, not after the computation

    def deliver(self, derivation: Any, quiet: bool, color: Optional[bool], steps: bool) -> None:
        items = []
        for path, kind in self.documents:  # render everything first, then write all files or none
            if kind == "latex":
                from ..render import latex as latex_render

                items.append((path, latex_render.render(derivation, fragment=self.fragment,
                                                        heading=common.value(self.heading))))
            else:
                from ..render import markdown as markdown_render

                items.append((path, markdown_render.render(derivation)))
        written = write_outputs(items)
        if not quiet:
            confirm(written)
        if self.json_out:
            from ..render.json import dumps

            sys.stdout.write(dumps(derivation))
        elif not quiet and not self.to_stdout:
            from ..render.console import render

            render(derivation, console_for(color), steps=steps)


@app.command(epilog=epilog("verify"))
def verify(
    m: common.M = 3,
    k: common.K = 2,
    n: common.N = 4,
    layout: common.LayoutOpt = "zw",
    bias: common.Bias = True,
    loss: common.LossOpt = common.Loss.generic,
    steps: Steps = True,
    json_out: Annotated[bool, common.json_option("symderiv.verify/1")] = False,
    latex: Latex = None,
    markdown: Markdown = None,
    fragment: Fragment = False,
    heading_level: Heading = HeadingLevel.section,
    force: Annotated[bool, typer.Option("--force", help="Run the exact method beyond its size limit.")] = False,
    time_limit: Annotated[Optional[float], typer.Option(
        "--time-limit", metavar="SECONDS", callback=common._time_limit, show_default=False,
        help="Seconds the whole run may take [default: none]; past it: exit 2.")] = None,
    max_memory: Annotated[Optional[str], typer.Option(
        "--max-memory", metavar="SIZE", show_default=False,
        help="Memory the run may add, e.g. 4G [default: none beyond the size limit, which refuses a shape that "
             "would need more than the machine has]; past it: exit 2.")] = None,
    quiet: common.Quiet = False,
    color: common.Color = None,
    version: common.Version = False,
) -> None:
    """Derive ∂L/∂W, ∂L/∂Z, ∂L/∂B of A = ZW + B by differentiation and check, exactly and entry by entry
    at the given shape, that they equal ZᵀG, GWᵀ, 1ᵀG; and show that ∂A/∂W = Zᵀ is rejected."""
    spec = Spec(m=m, k=k, n=n, layout=layout, bias=bias, loss=common.value(loss))
    outputs = Outputs(latex, markdown, json_out, fragment, heading_level)
    memory = common.parse_memory(max_memory) or 0
    supervise.detach(supervise.Watch(  # the work in a watched child: Ctrl-C ends it within a second, whatever C code
        time_limit, memory=memory,
        on_time="verify ran past the time limit of {seconds:g} s (raise it with --time-limit)",
        on_memory="verify ran past the memory budget of {memory} (raise it with --max-memory)"))
    reporter = SILENT if quiet else BarReporter(console_for(color, stderr=True))
    derivation = run_verify(spec, force=force, reporter=reporter)
    outputs.deliver(derivation, quiet, color, steps)
    raise typer.Exit(0 if derivation.ok else 1)

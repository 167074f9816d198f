"""The options every subcommand shares, defined once: sizes, the layer, the bias,
`--json`, `--quiet`, `--color`, `-V/--version`, and the choice enums that make
`--help` and error messages list the accepted values.

A new command reuses them by annotation, so its options read and behave like
everyone else's::

    from typing import Optional, Annotated
    from . import common
from .root import app

    @app.command()
    def mycommand(
        m: common.M = 3, k: common.K = 2, n: common.N = 4,
        layout: common.LayoutOpt = "zw",
        json_out: Annotated[bool, common.json_option("symderiv.mycommand/1")] = False,
        quiet: common.Quiet = False,
        color: common.Color = None,
        version: common.Version = False,
    ) -> None: ...

What they mean (the contract in docs/ci.md): `--quiet` silences the human
report, the progress bar and the "wrote FILE" confirmations; it does not
silence what was asked for by name (`--json` still prints its document, `-`
as a file still writes to stdout) nor errors. Choices show as `[a|b]` in
`--help`; flags and named arguments show no `<bool>`/`<str>` placeholder
(`_hide_flag_placeholders`, applied on import).
"""

from __future__ import annotations

import math
import os
import sys
from enum import Enum
from typing import Annotated, Any, Optional

import typer

from .. import __version__


class Layout(str, Enum):
    """The layer: A = ZW + B or A = ZWᵀ + b."""

    zw = "zw"
    zwt = "zwt"


class Loss(str, Enum):
    generic = "generic"
    sumsq = "sumsq"


class Convention(str, Enum):
    """Where a gradient's indices go: W's shape (gradient) or its transpose (numerator)."""

    gradient = "gradient"
    numerator = "numerator"


EXIT_CODES = (
    (0, "everything checked came out as expected (true things hold, known fallacies are rejected)"),
    (1, "something did not come out as expected (a check or claim fails, or a fallacy was accepted)"),
    (2, "the input could not be used: bad option, malformed or unchecked claim, unreadable or unwritable file, "
        "a size, time or memory budget passed"),
    (3, "an internal error in symderiv (a bug: please report it; SYMDERIV_DEBUG=1 shows the traceback)"),
    (130, "interrupted (SIGINT, Ctrl-C): one line on stderr, temporary files removed, child processes ended"),
)
"""The one exit-code table: `--help` prints it, README.md and docs/ci.md repeat it
word for word (tests/test_docs_examples.py compares them)."""


def exit_codes_epilog() -> str:
    return "Exit codes:\n\n" + "\n\n".join(f"{code}  {text}" for code, text in EXIT_CODES)


def _time_limit(value: Optional[float]) -> Optional[float]:
    """--time-limit: a finite, positive number of seconds (inf, nan, 0 and negatives are refused)."""
    if value is not None and not (math.isfinite(value) and 0 < value <= MAX_TIME_LIMIT):
        raise typer.BadParameter(f"'{value:g}' is not a number of seconds between 0 and {MAX_TIME_LIMIT:g} "
                                 "(finite and positive)", param_hint="--time-limit")
    return value


MAX_TIME_LIMIT = 7 * 24 * 3600.0  # a week: anything longer is a mistake, not a budget
_UNITS = {"": 1, "B": 1, "K": 1 << 10, "KB": 1 << 10, "KIB": 1 << 10, "M": 1 << 20, "MB": 1 << 20, "MIB": 1 << 20,
          "G": 1 << 30, "GB": 1 << 30, "GIB": 1 << 30, "T": 1 << 40, "TB": 1 << 40, "TIB": 1 << 40}


def parse_memory(text: Optional[str]) -> Optional[int]:
    """--max-memory: '1G', '512M', '2GiB', '1500000000' → bytes (at least 64 MiB); 'none' or 'off' → no limit (0)."""
    if text is None:
        return None
    t = text.strip().upper().replace(" ", "")
    if t in ("NONE", "OFF", "UNLIMITED"):
        return 0
    import re

    m = re.fullmatch(r"(\d{1,12}(?:\.\d{1,6})?)([KMGT]?I?B?)", t)
    if not m or m.group(2) not in _UNITS:
        raise typer.BadParameter(f"'{text}' is not an amount of memory such as 1G, 512M or 2GiB",
                                 param_hint="--max-memory")
    size = int(float(m.group(1)) * _UNITS[m.group(2)])
    if not (64 << 20) <= size <= (1 << 50):
        raise typer.BadParameter(f"'{text}' is out of range: from 64M to 1P (or 'none')", param_hint="--max-memory")
    return size


def choices(enum: type[Enum]) -> str:
    """The metavar of a choice option: `[zw|zwt]`."""
    return "[" + "|".join(str(e.value) for e in enum) + "]"


def value(choice: object) -> str:
    """The plain string of an enum member (or of a string)."""
    return str(choice.value) if isinstance(choice, Enum) else str(choice)


def _layout(text: Optional[str]) -> Optional[str]:
    """--layout names the layer; the convention has its own option, and saying so beats 'not one of'."""
    if text is None or text in (e.value for e in Layout):
        return text
    if text in (e.value for e in Convention):
        raise typer.BadParameter(
            f"'{text}' is a convention, not a layer: use --convention {text} (--layout takes zw or zwt)",
            param_hint="--layout",
        )
    raise typer.BadParameter(f"'{text}' is not one of zw, zwt", param_hint="--layout")


def _version(flag: bool) -> None:
    if flag:
        sys.stdout.write(f"symderiv {__version__}\n")
        raise typer.Exit(0)


def _complete_layout(incomplete: str) -> list[str]:
    return [e.value for e in Layout if e.value.startswith(incomplete)]


M = Annotated[int, typer.Option("--m", metavar="M", help="Size m: rows of Z (Z is m×k, A is m×n).")]
K = Annotated[int, typer.Option("--k", metavar="K", help="Size k: the inner size (W is k×n).")]
N = Annotated[int, typer.Option("--n", metavar="N", help="Size n: the outputs (A is m×n).")]
# claims: a size not given is chosen by symderiv (3, 2, 4 first) and varied; a size given is declared
ChosenM = Annotated[Optional[int], typer.Option(
    "--m", metavar="M", help="Size m, declared (default: chosen by symderiv, 3 then varied).")]
ChosenK = Annotated[Optional[int], typer.Option(
    "--k", metavar="K", help="Size k, declared (default: chosen by symderiv, 2 then varied).")]
ChosenN = Annotated[Optional[int], typer.Option(
    "--n", metavar="N", help="Size n, declared (default: chosen by symderiv, 4 then varied).")]
LayoutOpt = Annotated[str, typer.Option(
    "--layout", metavar=choices(Layout), callback=_layout, autocompletion=_complete_layout,
    help="The layer: zw is A = ZW + B (W k×n); zwt is A = ZWᵀ + b (W n×k, PyTorch's nn.Linear).")]
Bias = Annotated[bool, typer.Option("--bias/--no-bias", help="Include the bias row B (1×n, broadcast).")]
LossOpt = Annotated[Loss, typer.Option(
    "--loss", metavar=choices(Loss),
    help="generic: L = Σ g_{i,j} a_{i,j} (any loss with ∂L/∂A = G); sumsq: L = ½ Σ a_{i,j}².")]
ConventionOpt = Annotated[Convention, typer.Option(
    "--convention", metavar=choices(Convention),
    help="gradient: ∂L/∂W has W's shape ('denominator layout', the default); numerator: its transpose.")]
Quiet = Annotated[bool, typer.Option(
    "--quiet", "-q",
    help="No human report, no progress bar, no 'wrote FILE' lines; --json and '-' still print, errors still show.")]
Color = Annotated[Optional[bool], typer.Option(
    "--color/--no-color", help="Force colour on or off (default: on for a terminal, off with NO_COLOR).")]
TimeLimit = Annotated[Optional[float], typer.Option(
    "--time-limit", metavar="SECONDS", callback=_time_limit,
    help="Seconds the work may take (check: per claim, default 20; claim and verify: the whole run, default none); "
         "past it the work is stopped: an unchecked finding in check, exit 2 elsewhere.")]
MaxMemory = Annotated[Optional[str], typer.Option(
    "--max-memory", metavar="SIZE",
    help="Memory the work may use, e.g. 512M, 2G, or 'none' (default 1G); past it the work is stopped as for "
         "--time-limit. See docs/limits.md.")]
Version = Annotated[bool, typer.Option(
    "--version", "-V", callback=_version, is_eager=True, expose_value=True,
    help="Print the version and exit.")]


def console(color: Optional[bool], stderr: bool = False, file: Any = None) -> Any:
    """A rich Console for a command's output. Colour follows the terminal (off when piped or with
    NO_COLOR); --color/--no-color forces it. A reader that closes the pipe early (`| head`) ends the
    run through the CLI edge's BrokenPipeError handling, not rich's own exit status 1 (which would
    read as "something did not come out as expected")."""
    from rich.console import Console

    out = Console(stderr=stderr, file=file, highlight=False) if color is None else Console(
        stderr=stderr, file=file, highlight=False, force_terminal=color, no_color=not color)

    def on_broken_pipe() -> None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, (file or (sys.stderr if stderr else sys.stdout)).fileno())
        raise BrokenPipeError

    out.on_broken_pipe = on_broken_pipe  # type: ignore[method-assign]
    return out


def json_option(schema: str) -> typer.models.OptionInfo:
    """`--json` for a command whose document has `schema` (e.g. symderiv.verify/1)."""
    return typer.Option("--json", help=f"Print one JSON document (schema {schema}) on stdout, nothing else.")


def _hide_flag_placeholders() -> None:
    """typer prints `<bool>` after every flag in --help (even --help itself) and `<str>` after a
    named argument; a flag takes no value and an argument's name (TEXT) already says it, so show none."""
    from typer.core import TyperArgument, TyperOption

    option_type = TyperOption.display_type_rich
    if getattr(option_type, "_symderiv", False):
        return
    argument_type = TyperArgument.display_type_rich

    def option_display(self: TyperOption, ctx: typer.Context) -> str | None:
        if self.is_flag and self.metavar is None:
            return ""
        return option_type(self, ctx)

    def argument_display(self: TyperArgument, ctx: typer.Context) -> str | None:
        return "" if self.metavar is not None else argument_type(self, ctx)

    option_display._symderiv = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = option_display  # type: ignore[method-assign]
    TyperArgument.display_type_rich = argument_display  # type: ignore[method-assign]


_hide_flag_placeholders()

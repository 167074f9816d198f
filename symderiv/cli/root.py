"""The typer app every command registers on, and the single place where errors
become one line on stderr and an exit code."""

from __future__ import annotations

import os
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from ..errors import SymderivError
from . import common  # the shared options; see its docstring

EXIT_INTERNAL = 3


def fail(message: str) -> None:
    sys.stderr.write(f"symderiv: error: {message}\n")


class OneLineErrors(TyperGroup):
    """Run the app without click's standalone handling, so that every error a user
    can cause ends as one `symderiv: error: …` line and exit 2."""

    def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        try:
            rv = super().main(args=args, prog_name=prog_name or "symderiv", complete_var=complete_var,
                              standalone_mode=False, **extra)
        except typer.TyperException as exc:  # typer's own usage errors (bad option, bad value, …)
            ctx = getattr(exc, "ctx", None)
            if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
                sys.exit(0)  # typer has printed the help already
            message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            message = message.replace("Value error, ", "")  # typer's wording for a bad choice
            fail(" ".join(message.split()) + hint)
            sys.exit(2)
        except SymderivError as exc:
            fail(exc.line())
            sys.exit(2)
        except (typer.Abort, KeyboardInterrupt):
            fail("interrupted")
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as exc:  # a bug in symderiv: one line, unless asked for the traceback
            if os.environ.get("SYMDERIV_DEBUG"):
                raise
            fail(f"internal error: {type(exc).__name__}: {exc} (set SYMDERIV_DEBUG=1 for the traceback; please report it)")
            sys.exit(EXIT_INTERNAL)
        sys.exit(rv if isinstance(rv, int) else 0)


app = typer.Typer(
    cls=OneLineErrors,
    add_completion=True,  # --install-completion and --show-completion [bash|zsh|fish|powershell]
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},  # inherited by every subcommand
    help="Derive and check the gradients of matrix multiplication, exactly and step by step.",
    epilog=common.exit_codes_epilog(),
)


@app.callback()
def _root(version: common.Version = False) -> None:
    """Derive and check the gradients of matrix multiplication, exactly and step by step."""

"""The typer app every command registers on, and the single place where errors,
signals and stream failures become one line on stderr and an exit code
(the table: common.EXIT_CODES, docs/limits.md)."""

from __future__ import annotations

import os
import signal
import sys
import threading
import traceback
from typing import Any

import typer
from typer.core import TyperGroup

from ..errors import Signalled, SymderivError
from . import common  # the shared options; see its docstring

EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class Interrupted(Signalled):
    """SIGINT while a command runs (a BaseException, so that no `except Exception` and not
    the CLI framework, which turns KeyboardInterrupt into a silent exit, can swallow it)."""


class Terminated(Signalled):
    """SIGTERM while a command runs: unwind (temporary files removed, child processes ended), then die of it."""


def debug_on() -> bool:
    """SYMDERIV_DEBUG: 1/true/yes/on turn the tracebacks on; unset, 0, false, no, off and empty leave them off."""
    return os.environ.get("SYMDERIV_DEBUG", "").strip().lower() in ("1", "true", "yes", "on")


def escaped(text: str) -> str:
    """One line: control characters (a newline in a file name, an ESC) written as escapes."""
    return "".join(ch if ch.isprintable() or ch == "\t" else ascii(ch)[1:-1] for ch in text)


def fail(message: str) -> None:
    """The one error line on stderr; nothing (and no traceback) when stderr itself cannot be written."""
    try:
        sys.stderr.write(f"symderiv: error: {escaped(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError, SymderivError):
        pass


def _raise_signal(signum: int, _frame: Any) -> None:
    raise Interrupted() if signum == signal.SIGINT else Terminated()


def _end_children() -> None:
    from .. import parallel

    parallel.end_all()


class OneLineErrors(TyperGroup):
    """Run the app without click's standalone handling, so that every error a user
    can cause ends as one `symderiv: error: …` line and exit 2."""

    def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        handlers: dict[int, Any] = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                handlers[sig] = signal.signal(sig, _raise_signal)
        try:
            code = self._run(args, prog_name, complete_var, **extra)
        finally:
            for sig, old in handlers.items():
                signal.signal(sig, old)
        sys.exit(code)

    def _run(self, args: Any, prog_name: Any, complete_var: Any, **extra: Any) -> int:
        try:
            try:
                rv = super().main(args=args, prog_name=prog_name or "symderiv", complete_var=complete_var,
                                  standalone_mode=False, **extra)
            finally:
                _end_children()
        except typer.TyperException as exc:  # typer's own usage errors (bad option, bad value, …)
            ctx = getattr(exc, "ctx", None)
            if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
                return 0  # typer has printed the help already
            message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            message = message.replace("Value error, ", "")  # typer's wording for a bad choice
            fail(" ".join(message.split()) + hint)
            return 2
        except SymderivError as exc:
            fail(exc.line())
            return 2
        except (Interrupted, KeyboardInterrupt, typer.Abort):
            fail("interrupted")
            return EXIT_INTERRUPTED
        except Terminated:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)  # die of the signal, as the sender expects
            return 128 + signal.SIGTERM
        except BrokenPipeError:
            return 0
        except RecursionError:
            fail("the input is nested too deeply to read")
            return 2
        except MemoryError:
            fail("out of memory (raise the budget with --max-memory, see docs/limits.md)")
            return 2
        except Exception as exc:  # a bug in symderiv: one line, unless asked for the traceback
            if debug_on():
                traceback.print_exc()
            fail(f"internal error: {type(exc).__name__}: {exc} (set SYMDERIV_DEBUG=1 for the traceback; please report it)")
            return EXIT_INTERNAL
        return rv if isinstance(rv, int) else 0


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

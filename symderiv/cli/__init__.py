"""The command line: the app (root.py), one module per command, each registering
itself on the app when imported here; `main` is the console script, which also
guards the process's streams (streams.py) and flushes them before the exit."""

from __future__ import annotations

import os
import sys

from . import check as _check  # noqa: E402,F401
from . import claim as _claim  # noqa: E402,F401
from . import derive as _derive  # noqa: E402,F401
from . import impl as _impl  # noqa: E402,F401  (registers check-impl)
from . import prove as _prove  # noqa: E402,F401
from . import verify as _verify  # noqa: E402,F401  (registers the command)
from .examples import order
from .root import EXIT_INTERNAL, app, fail  # noqa: F401 - the CLI's public names

order(app)  # verify first, as the docs teach the commands

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _sane_terminal_size() -> None:
    """COLUMNS=0 would make rich print nothing, and COLUMNS=1 one character a line: a width that is not
    a number of at least 20 (or a height that is not a positive number) is dropped."""
    for name, least in (("COLUMNS", 20), ("LINES", 1)):
        value = os.environ.get(name)
        if value is not None and not (value.strip().isdigit() and least <= int(value) <= 100_000):
            del os.environ[name]


def _run(args: list[str]) -> int:
    if len(args) == 2 and args[0] == "--show-completion" and args[1] in SHELLS:
        # typer detects the shell from the parent processes and ignores a name given after the flag;
        # `symderiv --show-completion bash` prints the bash script wherever it runs (CI, cron, a pipe)
        from typer._completion_shared import get_completion_script

        sys.stdout.write(get_completion_script(prog_name="symderiv", complete_var="_SYMDERIV_COMPLETE", shell=args[1]))
        sys.stdout.write("\n")
        return 0
    try:
        app()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    return 0


def main() -> None:
    from . import supervise
    from .streams import finish, install

    supervise.activate()
    _sane_terminal_size()
    out, err = install()
    try:
        code = _run(sys.argv[1:])
    except BaseException as exc:  # an OutputError from the completion script, an interrupt before the app ran
        from ..errors import SymderivError

        if isinstance(exc, SymderivError):
            fail(exc.line())
            code = 2
        elif isinstance(exc, KeyboardInterrupt):
            fail("interrupted")
            code = 130
        else:
            raise
    problem = finish(out, err)
    if problem is not None:
        fail(problem)
        code = 2
    finish(out, err)
    supervise.finished(code)  # in a watched child: the parent exits with this code
    sys.stdout = sys.stderr = None  # type: ignore[assignment]  # nothing left to flush at shutdown
    sys.exit(code)

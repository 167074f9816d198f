"""The command line: the app (app.py), one module per command, each registering
itself on the app when imported here; `main` is the console script."""

from __future__ import annotations

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


def main() -> None:
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "--show-completion" and args[1] in SHELLS:
        # typer detects the shell from the parent processes and ignores a name given after the flag;
        # `symderiv --show-completion bash` prints the bash script wherever it runs (CI, cron, a pipe)
        from typer._completion_shared import get_completion_script

        sys.stdout.write(get_completion_script(prog_name="symderiv", complete_var="_SYMDERIV_COMPLETE", shell=args[1]))
        sys.stdout.write("\n")
        sys.exit(0)
    app()

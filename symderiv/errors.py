"""The errors a user can cause. The CLI catches `SymderivError` once, prints one
line on stderr and exits 2; anything else reaching the edge is a bug in symderiv."""

from __future__ import annotations


class SymderivError(Exception):
    """Input symderiv cannot use. `hint` is an optional second sentence."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def line(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class Signalled(BaseException):
    """A signal that ends the run (SIGINT, SIGTERM), raised where the code happened to be: user code
    called under check never turns it into a finding; it goes to the edge (cli/root.py)."""


class BadInput(SymderivError):
    """A malformed option value, size, layout or loss name."""


class TooLarge(SymderivError):
    """A shape whose exact check would exceed the documented work limit."""


class OutputError(SymderivError):
    """An output file that cannot be written."""


MAX_DIGITS = 18  # the longest number symderiv reads: longer ones are refused by name (no int conversion limit, no overflow)


def long_number(text: str) -> str | None:
    """Why `text` cannot be read because of a number longer than MAX_DIGITS digits (None: it has none).
    Scans the text once; nothing is converted."""
    run = best = 0
    at = -1
    for i, ch in enumerate(text):
        if "0" <= ch <= "9":
            run += 1
            if run > best:
                best, at = run, i - run + 1
        else:
            run = 0
    if best <= MAX_DIGITS:
        return None
    return f"a number with {best:,} digits (starting {text[at:at + 8]}…) is longer than the {MAX_DIGITS} digits symderiv reads"


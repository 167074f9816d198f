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


class BadInput(SymderivError):
    """A malformed option value, size, layout or loss name."""


class TooLarge(SymderivError):
    """A shape whose exact check would exceed the documented work limit."""


class OutputError(SymderivError):
    """An output file that cannot be written."""

"""stdout and stderr as the command line uses them: every write either reaches the
stream or ends the run with one line and exit 2, never a traceback or a lost report.

- a closed stream (`>&-`): writing to it is an OutputError (exit 2);
- a full disk or another write error: an OutputError naming the stream;
- a reader that went away (`| head -1`): the rest is discarded quietly and the
  command keeps the exit code its findings earned;
- an encoding that cannot hold a character (PYTHONIOENCODING=ascii): math symbols
  are written in ASCII (ᵀ as ^T, ∂ as d, ✓ as ok), anything else as a \\uXXXX escape,
  so the whole report still prints.

`install()` puts the guards in place of sys.stdout and sys.stderr (the console
script only; a library caller keeps its own streams)."""

from __future__ import annotations

import errno
import io
import os
import sys
from typing import Any

from ..errors import OutputError

FALLBACK = {
    "✓": "ok", "✗": "x", "·": ".", "…": "...", "—": "--", "–": "-", "─": "-", "→": "->", "←": "<-", "⇒": "=>",
    "ᵀ": "^T", "∂": "d", "×": "x", "ℝ": "R", "Σ": "sum", "∑": "sum", "≠": "!=", "≤": "<=", "≥": ">=", "∈": " in ",
    "∇": "grad", "⊙": "(.)", "⊗": "(x)", "ᐟ": "/", "½": "1/2", "𝟏": "1", "−": "-", "‖": "||", "⋅": "*", "∘": "o",
    "‘": "'", "’": "'", "“": '"', "”": '"', "²": "^2", "³": "^3", "⁻¹": "^-1", "¹": "^1", "⁻": "^-",
    "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7", "₈": "8", "₉": "9",
    "λ": "lambda", "σ": "sigma", "δ": "delta", "ε": "eps", "α": "alpha", "β": "beta", "θ": "theta", "μ": "mu",
    "\u00a0": " ",
}


def ascii_fallback(text: str) -> str:
    """`text` with every non-ASCII character written in ASCII (a table, then a \\uXXXX escape)."""
    out = []
    for ch in text:
        if ch < "\x80":
            out.append(ch)
        elif ch in FALLBACK:
            out.append(FALLBACK[ch])
        else:
            units = ch.encode("utf-16-be", "surrogatepass")  # a JSON-style escape, surrogate pairs for astral characters
            out.append("".join(f"\\u{int.from_bytes(units[i:i + 2], 'big'):04x}" for i in range(0, len(units), 2)))
    return "".join(out)


class Guarded(io.TextIOBase):
    """A text stream over file descriptor `fd` that reports failures as OutputError (see the module docstring)."""

    LIMIT = 1 << 16  # bytes kept before they are written

    def __init__(self, fd: int, name: str, original: Any) -> None:
        super().__init__()
        self.fd, self.name = fd, name
        self.gone = original is None  # closed before symderiv started
        self.broken = False  # the reader went away: the rest is discarded
        self.failed = False  # a write failed (reported once)
        self._encoding = (getattr(original, "encoding", None) or "utf-8") if original is not None else "utf-8"
        self._errors = getattr(original, "errors", None) or "strict"
        self._pending: list[bytes] = []
        self._size = 0

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding

    @property
    def errors(self) -> str:  # type: ignore[override]
        return self._errors

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        try:
            return not self.gone and os.isatty(self.fd)
        except OSError:
            return False

    def fileno(self) -> int:
        return self.fd

    @property
    def buffer(self) -> _Bytes:
        """The binary side (bytes written in order with the text, with the same failure handling)."""
        return _Bytes(self)

    def write_bytes(self, data: bytes) -> None:
        if self.broken or self.failed:
            return
        if self.gone:
            self.failed = True
            raise OutputError(f"cannot write to {self.name}: it is closed")
        self._pending.append(bytes(data))
        self._size += len(data)
        if self._size >= self.LIMIT:
            self.flush()

    def _encode(self, text: str) -> bytes:
        try:
            return text.encode(self._encoding)
        except UnicodeEncodeError:
            return ascii_fallback(text).encode(self._encoding, "replace")
        except LookupError:
            return text.encode("utf-8", "replace")

    def write(self, text: str) -> int:  # type: ignore[override]
        if self.broken or self.failed:
            return len(text)
        if self.gone:
            self.failed = True
            raise OutputError(f"cannot write to {self.name}: it is closed")
        data = self._encode(text)
        self._pending.append(data)
        self._size += len(data)
        if self._size >= self.LIMIT or "\n" in text and self.isatty():
            self.flush()
        return len(text)

    def flush(self) -> None:
        if not self._pending:
            return
        data, self._pending, self._size = b"".join(self._pending), [], 0
        if self.broken or self.failed:
            return
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self.fd, view):]
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                self.broken = True
                return
            self.failed = True
            raise OutputError(f"cannot write to {self.name}: {exc.strerror or exc}") from None

    def close(self) -> None:  # the process's own stream stays open for whoever writes after us
        self.flush()


class _Bytes(io.RawIOBase):
    def __init__(self, text: Guarded) -> None:
        super().__init__()
        self.text = text

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.text.write_bytes(bytes(data))
        return len(data)

    def flush(self) -> None:
        self.text.flush()

    def fileno(self) -> int:
        return self.text.fd


def _reopen(fd: int) -> bool:
    """Make sure `fd` is open (on /dev/null when it was closed), so that no file we open takes its number.
    Returns whether it was open."""
    try:
        os.fstat(fd)
        return True
    except OSError:
        null = os.open(os.devnull, os.O_RDWR)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
        return False


def install() -> tuple[Guarded, Guarded]:
    """Guard sys.stdout and sys.stderr (see the module docstring)."""
    _reopen(0)
    out_open, err_open = _reopen(1), _reopen(2)
    out = Guarded(1, "stdout", sys.stdout if out_open and sys.stdout is not None else None)
    err = Guarded(2, "stderr", sys.stderr if err_open and sys.stderr is not None else None)
    if sys.stdout is not None:
        try:
            sys.stdout.flush()
        except (OSError, ValueError):
            pass
    sys.stdout, sys.stderr = out, err  # type: ignore[assignment]
    return out, err


def finish(out: Any, err: Any) -> str | None:
    """Flush both streams at the end of a run; the error line when stdout could not be written."""
    problem = None
    try:
        out.flush()
    except OutputError as exc:
        problem = exc.line()
    try:
        err.flush()
    except OutputError:
        pass
    return problem

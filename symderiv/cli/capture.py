"""What the user's code prints, kept apart from symderiv's own output.

While `Captured` is open, file descriptors 1 and 2 and sys.stdout/sys.stderr lead to one
temporary file (print(), a C library's printf, os.write(1, …) alike); symderiv's own
streams are moved to duplicates of the real ones, so the report, the JSON and the
progress bar still reach the terminal or the pipe. On closing, everything is put back and
the captured text is available (`text`), to be shown after the report, never inside it."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from typing import Any

SHOWN = 64 * 1024  # characters of captured output shown; the rest is counted


class Captured:
    def __init__(self) -> None:
        self.text = ""
        self.cut = 0  # characters left out
        self._saved: list[tuple[int, int]] = []
        self._streams: tuple[Any, Any] | None = None
        self._file: Any = None

    def __enter__(self) -> Captured:
        own_out, own_err = sys.stdout, sys.stderr
        for s in (own_out, own_err):
            try:
                s.flush()
            except (OSError, ValueError, AttributeError):
                pass
        self._file = tempfile.TemporaryFile()  # unlinked at once: nothing is left on disk
        for fd, stream in ((1, own_out), (2, own_err)):
            try:
                copy = os.dup(fd)
            except OSError:
                continue
            self._saved.append((fd, copy))
            if hasattr(stream, "fd"):
                stream.fd = copy  # the console script's guarded stream: its writes bypass the capture
            os.dup2(self._file.fileno(), fd)
        self._streams = (own_out, own_err)
        user = io.TextIOWrapper(open(os.dup(self._file.fileno()), "wb", buffering=0), encoding="utf-8",
                                errors="replace", line_buffering=True, write_through=True)
        self._user = user
        sys.stdout = sys.stderr = user
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            self._user.flush()
        except (OSError, ValueError):
            pass
        own_out, own_err = self._streams or (sys.stdout, sys.stderr)
        sys.stdout, sys.stderr = own_out, own_err
        for fd, copy in self._saved:
            os.dup2(copy, fd)
            os.close(copy)
            stream = own_out if fd == 1 else own_err
            if hasattr(stream, "fd"):
                stream.fd = fd
        self._saved = []
        self._streams = None
        try:
            self._user.close()
        except (OSError, ValueError):
            pass
        self._file.seek(0)
        data = self._file.read(SHOWN * 4 + 1).decode("utf-8", "replace")
        self._file.seek(0, os.SEEK_END)
        total = self._file.tell()
        self._file.close()
        self.text = data[:SHOWN]
        self.cut = max(0, total - len(self.text.encode("utf-8")))

    def lines(self, label: str) -> list[str]:
        """The captured output as shown after the report (nothing when the code printed nothing)."""
        if not self.text:
            return []
        body = self.text.rstrip("\n").split("\n")
        tail = [f"… ({self.cut:,} more bytes not shown)"] if self.cut else []
        return [f"── {label} printed (stdout and stderr, in order) ──", *body, *tail, "── end of its output ──"]

"""Writing result files safely: every path checked before any work, then all
files written or none, each atomically (a temporary file in the target's folder,
then a rename), so a reader sees the old file or the new one, never half of either.

What is at the target decides how it is written:

- nothing, or a regular file: a temporary file in the same folder, renamed over it;
- a symlink: followed; its final target is written as above (the link stays a link);
- a FIFO or a character device (`/dev/null`, `/dev/stdout`, a named pipe): written
  through, never replaced (a FIFO with no reader is an error, not a hang);
- `/dev/stdout` and `/dev/stderr` (and their /dev/fd, /proc/self/fd names): the
  process's own stream, exactly like `-` for stdout (never resolved and replaced,
  even when the shell redirected it to a file);
- a directory, a block device, a socket, an empty path: refused (exit 2).
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError

STDOUT = "-"
DESCRIPTORS = {"/dev/stdout": 1, "/dev/fd/1": 1, "/proc/self/fd/1": 1, "/dev/stderr": 2, "/dev/fd/2": 2,
               "/proc/self/fd/2": 2}  # names of our own streams: written through the stream, in order


@dataclass(frozen=True)
class Target:
    """A checked output path: `real` is where the bytes go, `stream` whether they are written through."""

    path: str
    real: Path
    stream: bool


def shown(path: str) -> str:
    """A path as it can be echoed safely: quoted and escaped when it has control characters or edge spaces."""
    return repr(path) if (not path.isprintable() or path != path.strip()) else path


def _fail(path: str, why: str) -> OutputError:
    return OutputError(f"cannot write {shown(path)}: {why}")


def check_target(path: str) -> Target | None:
    """Decide how `path` would be written, or raise OutputError; None for stdout ("-").
    Touches nothing on disk, so it can run before the (possibly long) computation."""
    if path == STDOUT or DESCRIPTORS.get(path) == 1:
        return None
    if DESCRIPTORS.get(path) == 2:
        return Target(path, Path(path), stream=True)
    if not path:
        raise OutputError("cannot write to an empty path (give a file name, or '-' for stdout)")
    if "\x00" in path:
        raise _fail(path, "the path contains a NUL character")
    real = Path(os.path.realpath(path))  # follows every symlink, also dangling ones
    try:
        st = os.stat(real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _fail(path, exc.strerror or str(exc)) from None
    if st is not None:
        mode = st.st_mode
        if stat.S_ISDIR(mode):
            raise _fail(path, "it is a directory")
        if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
            if not os.access(real, os.W_OK):
                raise _fail(path, "permission denied")
            return Target(path, real, stream=True)
        if not stat.S_ISREG(mode):
            kind = "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "not a regular file"
            raise _fail(path, f"it is {kind}; symderiv writes only files, pipes and character devices")
    folder = real.parent
    if not folder.is_dir():
        shown = Path(path).parent if real == Path(path).absolute() else folder
        what = "is not a folder" if folder.exists() else "does not exist"
        raise _fail(path, f"the folder {shown} {what}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _fail(path, f"the folder {folder} is not writable")
    return Target(path, real, stream=False)


def check_targets(paths: list[str]) -> list[Target | None]:
    """Check several output paths at once; the same file twice is an error too."""
    targets = [check_target(p) for p in paths]
    seen: dict[Path, str] = {}
    for t in targets:
        if t is None or t.stream:
            continue
        if t.real in seen:
            raise _fail(t.path, f"it is the same file as {shown(seen[t.real])}")
        seen[t.real] = t.path
    return targets


def _write_stream(t: Target, data: bytes) -> None:
    if DESCRIPTORS.get(t.path) == 2:
        sys.stderr.flush()
        sys.stderr.buffer.write(data)
        sys.stderr.flush()
        return
    try:
        fd = os.open(t.real, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise _fail(t.path, "it is a named pipe and nothing is reading it") from None
        raise _fail(t.path, exc.strerror or str(exc)) from None
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except OSError as exc:
        raise _fail(t.path, exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


def _mode_for(real: Path) -> int:
    """The permissions the written file gets: those of the file it replaces (0600 stays 0600), else
    what a new file gets under the umask (0666 less the umask)."""
    try:
        return stat.S_IMODE(os.stat(real).st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _temp(t: Target, data: bytes) -> str:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{t.real.name}.", suffix=".tmp", dir=t.real.parent)
    except OSError as exc:
        raise _fail(t.path, exc.strerror or str(exc)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(t.real))
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _fail(t.path, exc.strerror or str(exc)) from None
        raise
    return tmp


def write_outputs(items: list[tuple[str, str]]) -> list[tuple[str, int]]:
    """Write every (path, text) or none: check all paths, fill a temporary file for
    each regular target, write the streams, then rename the temporaries into place;
    text for "-" goes to stdout last. Returns (path, bytes written) for each file."""
    targets = check_targets([p for p, _ in items])
    payload = [text.encode("utf-8") for _, text in items]
    temps: list[tuple[str, Target]] = []
    try:
        for t, data in zip(targets, payload):
            if t is not None and not t.stream:
                temps.append((_temp(t, data), t))
        for t, data in zip(targets, payload):
            if t is not None and t.stream:
                _write_stream(t, data)
        for tmp, t in temps:
            try:
                os.replace(tmp, t.real)
            except OSError as exc:
                raise _fail(t.path, exc.strerror or str(exc)) from None
    finally:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)
    for t, (_, text) in zip(targets, items):
        if t is None:
            sys.stdout.write(text)
            sys.stdout.flush()
    return [(p, len(data)) for (p, _), t, data in zip(items, targets, payload) if t is not None]


def write_output(path: str, text: str) -> None:
    """Write `text` to `path`, or to stdout when `path` is "-"."""
    write_outputs([(path, text)])

"""The command's work in a forked child process, watched by the process the user started.

The console script (and only it: a library caller or an in-process test runner keeps
everything in one process) calls `detach()` before a command's long or foreign work:

- in the child, `detach()` returns and the command runs as usual, in a process group of
  its own, under an address-space limit when one is asked for; at its very end the
  console script tells the parent the exit code it earned (`finished`);
- the parent never returns from `detach()`: it waits, and it is free to act at once on
  SIGINT (the child's group is ended, one line, exit 130) and SIGTERM (the group is
  ended, then the parent dies of the signal), whatever C code the child is in;
- a deadline passed, a child that ends without saying its exit code (`os._exit` in the
  user's code) or that dies of a signal (a crash, the kernel's out-of-memory killer)
  is one error line and exit 2, worded by the caller (`Watch`).

No output passes through the parent: the child writes to the same stdout and stderr."""

from __future__ import annotations

import os
import select
import signal
import sys
import threading
import time
from dataclasses import dataclass

from ..errors import SymderivError

_ACTIVE = False  # set by the console script
_REPORT_FD: int | None = None  # in a child: where its exit code goes
_WATCHED = False  # in a parent: its child did the work, so nothing of this process needs tearing down
DEFAULT_MEMORY = 1 << 30  # --max-memory's default
GRACE = 0.4  # seconds between SIGTERM (the child unwinds, removing its temporary files) and SIGKILL


def activate() -> None:
    """Called by the console script: commands may run their work in a watched child."""
    global _ACTIVE
    _ACTIVE = True


def _can_detach() -> bool:
    return (_ACTIVE and _REPORT_FD is None and sys.platform.startswith("linux") and hasattr(os, "fork")
            and not os.environ.get("SYMDERIV_NO_FORK")
            and threading.current_thread() is threading.main_thread() and threading.active_count() == 1)


@dataclass
class Watch:
    """How the parent words what only it can see. `seconds`: the deadline (None: none)."""

    seconds: float | None = None
    memory: int = 0  # bytes of resident memory the child may add to what it started with (0: unwatched)
    on_memory: str = "the work ran past its memory budget of {memory} (raise it with --max-memory)"
    on_time: str = "the work ran past its time limit of {seconds:g} s (raise it with --time-limit)"
    on_exit: str = "the work ended the process (exit status {status}) before it finished"
    on_signal: str = "the work died of {signal}"


def detach(watch: Watch | None = None) -> bool:
    """Fork; True in the child (go on with the work), never returns in the parent.
    False (nothing forked) where the platform, the caller or the environment does not allow it."""
    global _REPORT_FD
    if not _can_detach():
        return False
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError, SymderivError):
            pass
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _REPORT_FD = write_end
        try:
            os.setpgid(0, 0)  # its own group: ended as a whole, grandchildren included
        except OSError:
            pass
        signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # a background group may still write to the terminal
        return True
    global _WATCHED
    _WATCHED = True
    os.close(write_end)
    try:
        os.setpgid(pid, pid)  # the same call on both sides, whichever runs first
    except OSError:
        pass
    _parent(pid, read_end, watch or Watch())
    raise AssertionError("unreachable")  # pragma: no cover


def limit_memory(extra: int | None) -> None:
    """In a child: an address-space limit of what it uses now plus `extra` bytes (None: no limit)."""
    if _REPORT_FD is None:
        return
    from ..parallel import limit_address_space

    limit_address_space(extra)


def finished(code: int) -> None:
    """The console script's last step, its streams flushed. In a child: tell the parent the exit code
    (0-255) and end at once (no interpreter teardown: the parent is waiting). In the parent of a
    child: end at once too (it only parsed the command line and waited; a teardown costs 20 ms)."""
    if _REPORT_FD is None:
        if _WATCHED:
            os._exit(code & 0xFF)
        return
    try:
        os.write(_REPORT_FD, bytes([code & 0xFF]))
        os.close(_REPORT_FD)
    except OSError:
        pass
    os._exit(code & 0xFF)


def _end_group(pid: int) -> None:
    """SIGTERM to the child's group, a moment to unwind, then SIGKILL to whatever is left; reaped."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except OSError:
            pass
        deadline = time.monotonic() + (GRACE if sig == signal.SIGTERM else 2.0)
        while time.monotonic() < deadline:
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                break
            time.sleep(0.02)
    try:
        os.killpg(pid, signal.SIGKILL)  # grandchildren the child left behind
    except OSError:
        pass


def _resident(pid: int) -> int:
    """Resident bytes of process `pid` (0 where /proc cannot tell)."""
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _amount(size: int) -> str:
    for unit, shift in (("G", 30), ("M", 20)):
        if size >= 1 << shift:
            return f"{size / (1 << shift):g}{unit}"
    return f"{size} bytes"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _parent(pid: int, read_end: int, watch: Watch) -> None:
    import typer

    deadline = None if watch.seconds is None else time.monotonic() + watch.seconds
    start = _resident(os.getpid())  # the child began as a copy of this process
    code: int | None = None
    said_at = 0.0  # when the child said its code
    status: int | None = None
    open_end = True
    step = 0.05 if watch.memory else 0.2
    try:
        while True:
            wait = step if deadline is None else max(0.0, min(step, deadline - time.monotonic()))
            if open_end:
                ready, _, _ = select.select([read_end], [], [], wait)
                if ready:
                    data = os.read(read_end, 1)
                    open_end = False  # the code, or the pipe closed (the child is ending, or closed it)
                    if data:
                        code, said_at = data[0], time.monotonic()
            else:
                time.sleep(min(wait, 0.005) if code is not None else wait)
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = st
                break
            if code is not None and time.monotonic() - said_at > 1.0:
                break  # its report is out; it hangs at shutdown (a thread of the user's code, say)
            if deadline is not None and time.monotonic() >= deadline:
                _end_group(pid)
                raise SymderivError(watch.on_time.format(seconds=watch.seconds))
            if watch.memory and _resident(pid) > start + watch.memory:
                _end_group(pid)
                raise SymderivError(watch.on_memory.format(memory=_amount(watch.memory)))
    except BaseException:
        _end_group(pid)  # SIGINT, SIGTERM: the child's group goes first; the edge prints and exits
        raise
    finally:
        os.close(read_end)
    _end_group(pid)  # nothing of the group outlives the command
    if code is not None:
        raise typer.Exit(code)
    assert status is not None
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        hint = " (killed: out of memory?)" if number == signal.SIGKILL else ""
        raise SymderivError(watch.on_signal.format(signal=_signal_name(number)) + hint)
    raise SymderivError(watch.on_exit.format(status=os.waitstatus_to_exitcode(status)))

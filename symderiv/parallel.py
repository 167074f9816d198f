"""Run one independent part of a large derivation in a forked child process, so
that the two cores work at once; where fork is unavailable, or the child fails,
the part simply runs here. Only small results (verdicts, a few entries) travel back."""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
from collections.abc import Callable
from typing import Any, Generic, TypeVar

R = TypeVar("R")

_LIVE: set[Any] = set()  # child processes started here and not yet joined: ended by end_all()


def end_all() -> None:
    """End every child process this process started and has not joined (SIGTERM, then SIGKILL)."""
    procs = list(_LIVE)
    _LIVE.clear()
    for p in procs:
        try:
            if p.is_alive():
                p.terminate()
        except (OSError, ValueError, AssertionError):
            pass
    for p in procs:
        try:
            p.join(timeout=1)
            if p.is_alive():
                p.kill()
                p.join(timeout=1)
        except (OSError, ValueError, AssertionError):
            pass


class Deferred(Generic[R]):
    """The result of `fn`, computed in a child process when possible."""

    def __init__(self, fn: Callable[[], R], fork: bool) -> None:
        self.fn = fn
        self.proc: Any = None
        self.conn: Any = None
        if fork:
            try:
                ctx = mp.get_context("fork")
                self.conn, child_end = ctx.Pipe(duplex=False)
                self.proc = ctx.Process(target=_child, args=(fn, child_end), daemon=True)
                self.proc.start()
                _LIVE.add(self.proc)
                child_end.close()
            except (OSError, ValueError):
                self.proc = None

    def result(self) -> R:
        if self.proc is not None:
            try:
                ok, payload = pickle.loads(self.conn.recv_bytes())
                if ok:
                    return payload
            except (EOFError, OSError, pickle.UnpicklingError):
                pass
            finally:
                self.proc.join(timeout=5)
                if self.proc.is_alive():
                    self.proc.kill()
                    self.proc.join()
                _LIVE.discard(self.proc)
                self.conn.close()
        return self.fn()  # no child, or it failed: compute here


def _child(fn: Callable[[], Any], conn: Any) -> None:
    try:
        payload = pickle.dumps((True, fn()), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # the parent recomputes; nothing to report from here
        payload = pickle.dumps((False, None))
    conn.send_bytes(payload)
    conn.close()


def can_fork() -> bool:
    return "fork" in mp.get_all_start_methods() and not os.environ.get("SYMDERIV_NO_FORK")


def start(fn: Callable[[], R], worth_it: bool) -> Deferred[R]:
    """Begin computing `fn()`; in a child process when `worth_it` and the platform can fork."""
    return Deferred(fn, fork=worth_it and can_fork())

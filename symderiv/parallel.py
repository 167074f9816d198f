"""Run one independent part of a large derivation in a forked child process, so
that the two cores work at once; where fork is unavailable, or the child fails,
the part simply runs here. Only small results (verdicts, a few entries) travel back."""

from __future__ import annotations

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
                import multiprocessing as mp

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
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends its children
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # ended by a signal: die of it, without a word
    try:
        payload = pickle.dumps((True, fn()), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # the parent recomputes; nothing to report from here
        payload = pickle.dumps((False, None))
    conn.send_bytes(payload)
    conn.close()


def can_fork() -> bool:
    import multiprocessing as mp

    return "fork" in mp.get_all_start_methods() and not os.environ.get("SYMDERIV_NO_FORK")


def start(fn: Callable[[], R], worth_it: bool) -> Deferred[R]:
    """Begin computing `fn()`; in a child process when `worth_it` and the platform can fork."""
    return Deferred(fn, fork=worth_it and can_fork())


# --- budgeted work: a pool of forked workers, each under an address-space limit, each task under a deadline ---

DEFAULT_MEMORY = 1 << 30  # bytes a worker may add to what it inherited (--max-memory)
DONE, TIME, MEMORY, ERROR = "done", "time", "memory", "error"


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def limit_address_space(extra: int | None) -> None:
    """An address-space limit (RLIMIT_AS) of what this process maps now plus `extra` bytes (0 or None: none)."""
    if not extra:
        return
    try:
        import resource

        limit = _address_space() + extra
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


def _worker(fn: Callable[[Any], Any], conn: Any, memory: int) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends its workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    limit_address_space(memory)
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        if item is None:
            return
        key, arg = item
        try:
            out: tuple[str, Any] = (DONE, fn(arg))
        except MemoryError:
            out = (MEMORY, None)
        except Exception as exc:  # raised again in the parent (a user's bad input is exit 2 there)
            out = (ERROR, exc)
        try:
            conn.send((key, out))
        except Exception as exc:  # an exception that does not pickle
            conn.send((key, (ERROR, RuntimeError(f"{type(exc).__name__}: {exc}"))))


class Budgeted:
    """Run `fn(arg)` for many args in up to `jobs` forked workers (reused from task to task), each task
    killed when it passes `seconds` and each worker limited to `memory` bytes more than it started with.
    Results are (DONE, value), (TIME, None) or (MEMORY, None). Without fork, the work runs here, unbudgeted."""

    def __init__(self, fn: Callable[[Any], Any], jobs: int = 1, seconds: float | None = None,
                 memory: int = DEFAULT_MEMORY) -> None:
        self.fn, self.jobs, self.seconds, self.memory = fn, max(1, jobs), seconds, memory
        self.workers: list[list[Any]] = []  # [process, connection, key or None, started]

    def _spawn(self) -> list[Any]:
        import multiprocessing as mp

        ctx = mp.get_context("fork")
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker, args=(self.fn, child, self.memory), daemon=True)
        proc.start()
        _LIVE.add(proc)
        child.close()
        return [proc, parent, None, 0.0]

    def _end(self, w: list[Any]) -> None:
        proc, conn = w[0], w[1]
        try:
            conn.close()
        except OSError:
            pass
        if proc.is_alive():
            proc.kill()
        proc.join(timeout=2)
        _LIVE.discard(proc)

    def map(self, items: list[tuple[Any, Any]], done: Callable[[Any, tuple[str, Any]], None]) -> None:
        """`items` are (key, arg); `done(key, result)` is called as each finishes."""
        if not can_fork():
            for key, arg in items:
                try:
                    done(key, (DONE, self.fn(arg)))
                except MemoryError:
                    done(key, (MEMORY, None))
            return
        import time
        from multiprocessing.connection import wait

        todo = list(reversed(items))
        try:
            while todo or any(w[2] is not None for w in self.workers):
                while todo and (len(self.workers) < self.jobs or any(w[2] is None for w in self.workers)):
                    idle = next((w for w in self.workers if w[2] is None), None)
                    if idle is None:
                        idle = self._spawn()
                        self.workers.append(idle)
                    key, arg = todo.pop()
                    idle[1].send((key, arg))
                    idle[2], idle[3] = key, time.monotonic()
                busy = [w for w in self.workers if w[2] is not None]
                now = time.monotonic()
                wait_for = 0.25 if self.seconds is None else max(0.0, min(0.25, min(w[3] + self.seconds - now for w in busy)))
                ready = wait([w[1] for w in busy], timeout=wait_for)
                for w in busy:
                    if w[1] in ready:
                        try:
                            key, result = w[1].recv()
                        except (EOFError, OSError):  # the worker died: out of memory (or killed by the system)
                            key, result = w[2], (MEMORY, None)
                            self._end(w)
                            self.workers.remove(w)
                        else:
                            w[2] = None
                        if result[0] == ERROR:
                            raise result[1]
                        done(key, result)
                    elif self.seconds is not None and time.monotonic() - w[3] > self.seconds:
                        key = w[2]
                        self._end(w)
                        self.workers.remove(w)
                        done(key, (TIME, None))
        finally:
            self.close()

    def close(self) -> None:
        for w in self.workers:
            try:
                w[1].send(None)
            except OSError:
                pass
        for w in self.workers:
            w[0].join(timeout=0.5)
            self._end(w)
        self.workers = []

"""The one door onto the claims engine: a Task judged by
`symderiv.claims.check_claim` under a per-claim time limit, at the document's
sizes and (when the document leaves sizes open) at a second assignment; the
ClaimResult becomes the Finding's verdict, reason, suggestion and context."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .tasks import Task

TIME_LIMIT = 20.0  # seconds per claim
UNUSABLE_LIMIT = 10.0  # seconds to try a definition as context


class _Overrun(Exception):
    pass


@dataclass
class Outcome:
    """What travels back from a worker: small and picklable."""

    verdict: str
    kind: str | None
    reason: str
    suggestion: str | None
    context: str
    entry: tuple[int, ...] | None = None


def _alarm(_signum: int, _frame: Any) -> None:
    raise _Overrun()


def _once(task: Task, sizes: dict[str, int], context: str | None = None) -> Any:
    from ..claims import check_claim  # imported here: `verify` should not pay for the claim grammar

    return check_claim(task.text, context=context or task.context, layout=task.layout, sizes=sizes or None)


def judge(task: Task, limit: float = TIME_LIMIT) -> Outcome:
    """Never raises: anything the engine cannot do is an `unchecked` outcome with the reason."""
    from ..claims import check_claim  # noqa: F401  imported before the alarm is armed: an import is never cut short

    try:
        with alarm(limit) as overrun:
            out = _judge(task, limit)
    except _Overrun:  # the alarm went off just as the block ended
        return _Flag.outcome(limit, task)
    return overrun.outcome(limit, task) if overrun.hit else out


class _Flag:
    hit = False

    @staticmethod
    def outcome(limit: float, task: Task) -> Outcome:
        return Outcome("unchecked", "time", f"the check took longer than the limit of {limit:g} s per claim", None,
                       task.context or "")


@contextmanager
def alarm(limit: float) -> Iterator[_Flag]:
    """Cut the block short after `limit` seconds (main thread only; elsewhere it simply runs)."""
    flag = _Flag()
    timed = limit > 0 and threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    old = None
    if timed:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield flag
    except _Overrun:
        flag.hit = True
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)


def _judge(task: Task, limit: float) -> Outcome:
    from ..errors import SymderivError

    try:
        r = _once(task, task.sizes)
        out = _outcome(r)
        if task.readings:
            out = _readings(task, out)
        if task.bias_row and task.context and out.verdict in ("holds", "fails"):
            row = _outcome(_once(task, task.sizes, f"{task.bias_row}; {task.context}"))
            if row.verdict != out.verdict:
                letter = task.bias_row.split(":")[0]
                out = Outcome("unchecked", "sizes",
                              f"the shape of {letter} is not stated: as a full matrix the claim {out.verdict}, as a row "
                              f"broadcast over the batch ({task.bias_row}) it {row.verdict}; "
                              f"state it, e.g. ${letter}_{{1\\times n}}$",
                              row.suggestion or out.suggestion, out.context)
        if out.verdict == "fails" and task.any_loss:
            out = Outcome("unchecked", "context", f"it fails for a general loss, but the document's loss ({task.any_loss}) "
                          f"cannot be evaluated, and it may hold for that one: {out.reason}", out.suggestion, out.context)
        if out.verdict == "fails" and task.unknown:
            names = ", ".join(task.unknown)
            out = Outcome("unchecked", "context", f"the claim uses {names}, which the document does not define: their sizes "
                          f"and values would be guesses; with guesses: {out.reason}", out.suggestion, out.context)
        if out.verdict == "fails" and task.symmetric:
            # the engine cannot take an assumption as context: a fail may be the assumption's whole point
            names = " and ".join(task.symmetric)
            out = Outcome("unchecked", "assumption", f"the document assumes {names} symmetric, which the check cannot use; "
                          f"without it: {out.reason}", out.suggestion, out.context)
        return out
    except SymderivError as exc:
        return Outcome("unchecked", "context", f"the context read from the document is not usable: {exc.line()}", None,
                       task.context or "")
    except RecursionError:
        return Outcome("unchecked", "parse", "the formula is nested too deeply to read", None, task.context or "")
    except MemoryError:
        return Outcome("unchecked", "unsupported", "the check ran out of memory", None, task.context or "")


def _readings(task: Task, first: Outcome) -> Outcome:
    """A claim with several readings (a repeated index free or summed): its verdict when every reading agrees,
    else `unchecked` naming the readings and what each gives."""
    got = [(task.readings[0][0], first)]
    for name, text, *context in task.readings[1:]:
        other = task.__class__(**{**task.__dict__, "text": text})
        got.append((name, _outcome(_once(other, task.sizes, context[0] if context else None))))
    if len({o.verdict for _, o in got}) == 1:
        return first
    said = "; ".join(f"{name}, it {o.verdict}" for name, o in got)
    return Outcome("unchecked", "readings", f"two readings disagree: {said}; the document does not say which it means "
                   "(state the convention, or write the sum)", next((o.suggestion for _, o in got if o.suggestion), None),
                   first.context)


@lru_cache(maxsize=4096)
def unusable(context: str, name: str) -> str | None:
    """Why the context, just extended by a definition of `name`, cannot be evaluated (None: it can)."""
    from ..claims import check_claim
    from ..errors import SymderivError

    try:
        with alarm(UNUSABLE_LIMIT) as overrun:
            r = check_claim(f"{name} = {name}", context=context)
        if overrun.hit:
            return f"the context took longer than {UNUSABLE_LIMIT:g} s to evaluate"
    except _Overrun:
        return f"the context took longer than {UNUSABLE_LIMIT:g} s to evaluate"
    except SymderivError as exc:
        return exc.line()
    if r.verdict.value == "unchecked" and "context" in r.reason:
        return r.reason
    return None


def _outcome(r: Any) -> Outcome:
    entry = None
    ce = r.counterexample or {}
    if ce.get("entry"):
        entry = tuple(ce["entry"])
    return Outcome(r.verdict.value, r.kind, r.reason, r.suggestion, r.context, entry)


def apply(task: Task, o: Outcome) -> None:
    """Copy an outcome into the task's finding; a wrong matrix entry points at its own cell."""
    f = task.finding
    f.verdict, f.kind, f.reason, f.suggestion = o.verdict, o.kind, o.reason, o.suggestion
    f.context = o.context or f.context
    if task.note:
        f.context = f"{f.context} ({task.note})"
    if o.verdict == "fails" and o.entry and task.cells and len(o.entry) == 2:
        i, j = o.entry
        if 0 < i <= len(task.cells) and 0 < j <= len(task.cells[i - 1]):
            f.extra["cell"] = task.cells[i - 1][j - 1]

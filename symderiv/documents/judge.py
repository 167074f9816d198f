"""The one door onto the claims engine: a Task judged by
`symderiv.claims.check_claim` under a per-claim time limit, at the document's
sizes and (when the document leaves sizes open) at a second assignment; the
ClaimResult becomes the Finding's verdict, reason, suggestion and context."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .tasks import Task

TIME_LIMIT = 20.0  # seconds per claim

@dataclass
class Outcome:
    """What travels back from a worker: small and picklable."""

    verdict: str
    kind: str | None
    reason: str
    suggestion: str | None
    context: str
    entry: tuple[int, ...] | None = None


def _once(task: Task, sizes: dict[str, int], context: str | None = None) -> Any:
    from ..differentials.suggest import check_with_derived  # imported here: `verify` should not pay for the grammar

    return check_with_derived(task.text, context=context or task.context, layout=task.layout, sizes=sizes or None,
                              prove_matrices=False)  # a long document's holds need no proof for every size


def judge(task: Task, limit: float | None = None) -> Outcome:
    """Never raises: anything the engine cannot do is an `unchecked` outcome with the reason, and an
    unexpected error (a bug) is this claim's `unchecked` finding, never the end of the file's check.
    `limit` is not enforced here (no signal is touched in the caller's process): run.py judges in worker
    processes that are killed past the time and memory budgets (symderiv.parallel.Budgeted)."""
    try:
        return _judge(task, limit or TIME_LIMIT)
    except Exception as exc:  # a bug in symderiv: this claim only
        import os
        import traceback

        trace = traceback.format_exc() if os.environ.get("SYMDERIV_DEBUG", "").lower() in ("1", "true", "yes", "on") else ""
        return Outcome("unchecked", "internal", f"internal error: {type(exc).__name__}: {exc}, please report it"
                       + (f"\n{trace}" if trace else ""), None, task.context or "")


def over_budget(task: Task, what: str, limit: float, memory: int) -> Outcome:
    """The outcome of a claim whose worker passed a budget and was stopped."""
    if what == "time":
        why = f"the check took longer than the limit of {limit:g} s per claim (--time-limit)"
    else:
        why = f"the check needed more memory than the budget of {memory / (1 << 20):,.0f} MiB (--max-memory)"
    return Outcome("unchecked", what, why, None, task.context or "")


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
        if out.verdict == "fails" and task.layout == "gradient" and _jacobian_order(task.text):
            other = _outcome(_once(task.__class__(**{**task.__dict__, "layout": "numerator"}), task.sizes))
            if other.verdict == "holds":
                out = Outcome("unchecked", "readings", "a chain rule written in Jacobian order (∂L/∂z ∂z/∂b): in the "
                              f"gradient convention {out.reason}; in numerator layout, where ∂L/∂z is a row, it holds; "
                              "the document does not say which it means (--convention numerator judges it in that layout)",
                              None, out.context)
        if out.verdict == "holds" and task.partial:
            out = Outcome("unchecked", "ellipsis", f"the links before it hold ({out.reason}); {task.partial}",
                          out.suggestion, out.context)
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
        return Outcome("unchecked", "memory", "the check ran out of memory (the budget is --max-memory)", None,
                       task.context or "")


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


def _jacobian_order(text: str) -> bool:
    """A side that is a product of derivatives only (∂L/∂z ∂z/∂b): the chain rule as Jacobians compose."""
    from ..claims.parser import parse
    from ..claims.tree import Deriv, Mul
    from ..errors import SymderivError

    def factors(node: object) -> list[object]:
        return factors(node.a) + factors(node.b) if isinstance(node, Mul) and node.op in ("", "cdot") else [node]

    try:
        parts = parse(text).parts
    except (SymderivError, RecursionError):
        return False
    return any(len(f) > 1 and all(isinstance(x, Deriv) for x in f) for f in map(factors, parts))


@lru_cache(maxsize=4096)
def unusable(context: str, name: str) -> str | None:
    """Why the context, just extended by a definition of `name`, cannot be evaluated (None: it can)."""
    from ..claims import check_claim
    from ..errors import SymderivError

    try:
        r = check_claim(f"{name} = {name}", context=context)
    except SymderivError as exc:
        return exc.line()
    except (RecursionError, MemoryError):
        return "the context is too large to evaluate"
    except Exception as exc:  # a bug: the definition is not used, with the reason
        return f"internal error: {type(exc).__name__}: {exc}, please report it"
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

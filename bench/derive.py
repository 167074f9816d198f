"""`derive` on the done-when set (tests/differentials/cookbook.py) beside SymPy's
MatrixSymbol differentiation: answered, right (judged by the tests' independent sympy
reader), readable (the answer's length in characters), and seconds per expression
(derive: after imports, the claims engine's check included). Prints a Markdown table
and the slowest derive time; `python bench/derive.py`."""

from __future__ import annotations

import inspect
import sys
import time
from pathlib import Path

import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from symderiv.differentials.answer import derive  # noqa: E402
from tests.differentials import cookbook  # noqa: E402
from tests.differentials.reference import gradient, matrices, same  # noqa: E402
from tests.differentials.test_cookbook import judge, shapes_of  # noqa: E402

MATRIX_EXPR = {  # the cookbook's helpers, as SymPy matrix expressions
    "tr": lambda m: sp.Trace(m), "s": lambda m: m, "had": lambda a, b: sp.hadamard_product(a, b),
    "fro2": lambda m: sp.Trace(m.T * m), "frob": lambda a, b: sp.Trace(a.T * b),
}


def sympy_side(item: cookbook.Item) -> tuple[bool, bool, int, float]:
    """SymPy's MatrixSymbol answer: answered, right, length, seconds."""
    if item.f is None or item.kind != "gradient" or "L" == item.expression:
        return False, False, 0, 0.0
    letters = list(inspect.signature(item.f).parameters)
    shapes = shapes_of(item, letters)
    syms = {x: sp.MatrixSymbol(x, *shapes[x]) for x in letters}
    saved = {k: getattr(cookbook, k) for k in MATRIX_EXPR}
    start = time.perf_counter()
    try:
        for k, v in MATRIX_EXPR.items():
            setattr(cookbook, k, v)
        expr = item.f(*[syms[x] for x in letters])
        answer = sp.diff(expr, syms[item.wrt])
    except Exception:  # noqa: BLE001 - SymPy not answering is a result here
        return False, False, 0, time.perf_counter() - start
    finally:
        for k, v in saved.items():
            setattr(cookbook, k, v)
    seconds = time.perf_counter() - start
    env = matrices(shapes)
    try:
        explicit = sp.Matrix(answer.subs({syms[x]: sp.ImmutableMatrix(env[x]) for x in letters}).doit())
        want = gradient(item.f(*[env[x] for x in letters]), env[item.wrt])
        right = same(explicit if explicit.shape != (1, 1) or want.shape == (1, 1) else explicit, want)
    except Exception:  # noqa: BLE001
        right = False
    return True, right, len(str(answer)), seconds


def main() -> None:
    rows, worst = [], 0.0
    derive("tr(X)", "X", "X: 2x2")  # imports and caches, not counted
    totals = {"d_ans": 0, "d_right": 0, "s_ans": 0, "s_right": 0}
    for item in cookbook.ITEMS:
        start = time.perf_counter()
        try:
            r = derive(item.expression, item.wrt, item.context, item.convention)
        except Exception:  # noqa: BLE001 - refused (exit 2)
            r = None
        dt = time.perf_counter() - start  # derive and its own check only: the independent judge is not timed
        d = (True, judge(item, r.text, r.claim), r.text) if r is not None else (False, False, "—")
        worst = max(worst, dt)
        s = sympy_side(item)
        totals["d_ans"] += d[0]
        totals["d_right"] += d[1]
        totals["s_ans"] += s[0]
        totals["s_right"] += s[1]
        shown = item.expression.replace("|", "\\|")
        rows.append(f"| `{shown}` | {item.wrt} | {d[2]} | {'✓' if d[1] else ('✗' if d[0] else '—')} | "
                    f"{dt:.2f} | {'✓' if s[1] else ('✗' if s[0] else '—')} | {s[2] or '—'} | {s[3]:.2f} |")
    n = len(cookbook.ITEMS)
    print("| expression | wrt | derive | right | s | SymPy right | SymPy length | s |")
    print("|:--|:--|:--|:-:|--:|:-:|--:|--:|")
    print("\n".join(rows))
    print(f"\nderive: {totals['d_ans']}/{n} answered, {totals['d_right']} right; "
          f"SymPy: {totals['s_ans']}/{n} answered, {totals['s_right']} right; slowest derive {worst:.2f} s")


if __name__ == "__main__":
    main()

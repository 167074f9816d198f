"""The truth of each red-team claim, from sympy alone: every letter an explicit symbol matrix
at two assignments of distinct sizes; a claim is true when both sides are equal (same shape,
every entry's difference expands to 0) at both, false when they differ or cannot be formed
anywhere. A truth of None on the right is a side stated false by hand (ill-formed as written)."""

from __future__ import annotations

import sympy as sp

from .claims import AMBIG, ROWS

SIZES = ({"m": 3, "n": 4, "k": 2, "p": 5}, {"m": 5, "n": 3, "k": 4, "p": 2})


def letters(spec: str, sizes: dict[str, int]) -> dict[str, object]:
    out: dict[str, object] = {}
    for item in spec.split():
        name, dims = item.split(":")
        ds = [int(d) if d.isdigit() else sizes[d] for d in dims.split(",")]
        if ds == [1]:
            out[name] = sp.Symbol(name)
            continue
        r, c = (ds[0], 1) if len(ds) == 1 else ds
        out[name] = sp.Matrix(r, c, lambda i, j, nm=name: sp.Symbol(f"{nm}_{i}_{j}"))
    return out


def _value(x):
    if isinstance(x, sp.MatrixBase) and x.shape == (1, 1):
        return x[0, 0]
    return x


def equal(a, b) -> bool:
    a, b = _value(a), _value(b)
    if isinstance(a, sp.MatrixBase) != isinstance(b, sp.MatrixBase):
        return False
    if isinstance(a, sp.MatrixBase):
        return a.shape == b.shape and all(sp.expand(x - y) == 0 for x, y in zip(a, b))
    return sp.expand(sp.sympify(a) - sp.sympify(b)) == 0


def truth(row: tuple) -> str:
    """'true', 'false' or 'ambiguous'."""
    fn = row[3]
    if fn == AMBIG:
        return "ambiguous"
    for sizes in SIZES:
        try:
            lhs, rhs = fn(**letters(row[2], sizes))
        except (sp.ShapeError, ValueError, TypeError, IndexError):
            return "false"
        if rhs is None or not equal(lhs, rhs):
            return "false"
    return "true"


if __name__ == "__main__":  # pragma: no cover - prints the table's truths
    for r in ROWS:
        print(truth(r), r[0])


def write(path: str) -> None:  # pragma: no cover - regenerates truths.json
    import json

    json.dump([{"claim": r[0], "context": r[1], "truth": truth(r)} for r in ROWS], open(path, "w", encoding="utf-8"),
              ensure_ascii=False, indent=0)

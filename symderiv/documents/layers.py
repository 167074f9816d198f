"""A layer written entry by entry (`y_{ij} = \\sum_k w_{jk} x_{ik} + b_j`) read as the
matrix definition it is: the candidate products of its two matrices (either order,
either transposed) are tried as context, and the one under which the entry formula
holds, by the claims engine, is the layer (its layout, its batch index, its bias)."""

from __future__ import annotations

from typing import Any

from .statements import Statement, entry_of

MAX_CANDIDATES = 8


def _entry_letters(node: Any) -> tuple[list[str], list[str]]:
    """Letters of the entries with two indices (matrices) and with one (vectors, a bias), in reading order."""
    from ..claims.tree import walk

    mats: list[str] = []
    vecs: list[str] = []
    for n in walk(node):
        e = entry_of(n)
        if e is None:
            continue
        target = mats if len(e[1]) == 2 else vecs if len(e[1]) == 1 else None
        if target is not None and e[0] not in mats + vecs:
            target.append(e[0])
    return mats, vecs


def candidates(output: str, st: Statement) -> list[str]:
    rhs = st.sides[1].node
    mats, vecs = _entry_letters(rhs)
    if len(mats) != 2:
        return []
    p, q = (m.upper() for m in mats)
    forms = [f"{p} {q}", f"{q} {p}", f"{p} {q}^T", f"{q} {p}^T", f"{p}^T {q}", f"{q}^T {p}"]
    bias = "".join(f" + {v}" for v in vecs)
    return [f"{output} = {f}{bias}" for f in forms][:MAX_CANDIDATES]


def layer_from_entries(output: str, st: Statement, shapes: str | None) -> str | None:
    """The matrix definition under which the entry formula holds at every size tried (None: none does)."""
    from ..claims import check_claim
    from ..errors import SymderivError

    found = None
    for cand in candidates(output, st):
        context = f"{shapes}; {cand}" if shapes else cand
        try:
            r = check_claim(st.text, context=context)
        except (SymderivError, RecursionError, MemoryError):
            continue
        if r.verdict.value == "holds":
            if found is not None:
                return None  # two layers fit (a square case): the formula does not say which
            found = cand
    return found

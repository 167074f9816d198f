"""A layer written entry by entry (`y_{ij} = \\sum_k w_{jk} x_{ik} + b_j`) read as the
matrix definition it is: the candidate products of its two matrices (either order,
either transposed) are tried as context, and the one under which the entry formula
holds, by the claims engine, is the layer (its layout, its batch index, its bias)."""

from __future__ import annotations

from typing import Any

from .statements import Statement, entry_of

MAX_CANDIDATES = 8


def _entry(n: Any) -> tuple[str, tuple[str, ...]] | None:
    """x_{ij} → ('x', ('i', 'j')); (W_9)_{jk}, a layer's labelled entry → ('W_9', ('j', 'k'))."""
    from ..claims.tree import At, Var, index_parts

    if isinstance(n, At) and isinstance(n.a, Var) and n.a.sub is not None and n.a.sub.isdigit():
        parts = index_parts(n.sub.strip("{} "))
        return (f"{n.a.letter}_{n.a.sub}", tuple(parts)) if parts and all(p.isalnum() for p in parts) else None
    return entry_of(n)


def _entry_letters(node: Any) -> tuple[list[str], list[str]]:
    """Letters of the entries with two indices (matrices) and with one (vectors, a bias), in reading order."""
    from ..claims.tree import At, walk

    mats: list[str] = []
    vecs: list[str] = []
    inner = {id(n.a) for n in walk(node) if isinstance(n, At)}  # W_9 inside (W_9)_{jk}: a name, not an entry
    for n in walk(node):
        e = None if id(n) in inner else _entry(n)
        if e is None:
            continue
        target = mats if len(e[1]) == 2 else vecs if len(e[1]) == 1 else None
        if target is not None and e[0] not in mats + vecs:
            target.append(e[0])
    return mats, vecs


def _name(letter: str) -> str:
    return letter if "_" in letter else letter.upper()  # W_9 stays as the labels wrote it; w → W


def candidates(output: str, st: Statement) -> list[str]:
    rhs = st.sides[1].node
    mats, vecs = _entry_letters(rhs)
    if len(mats) == 1 and vecs:  # z_j = Σ_k w_{jk} a_k + b_j: a matrix times a vector, the other vectors added
        p = _name(mats[0])
        out = []
        for v in vecs:
            bias = "".join(f" + {u}" for u in vecs if u != v)
            out += [f"{output} = {p} {v}{bias}", f"{output} = {p}^T {v}{bias}"]
        return out[:MAX_CANDIDATES]
    if len(mats) != 2:
        return []
    p, q = (_name(m) for m in mats)
    forms = [f"{p} {q}", f"{q} {p}", f"{p} {q}^T", f"{q} {p}^T", f"{p}^T {q}", f"{q}^T {p}"]
    bias = "".join(f" + {v}" for v in vecs)
    return [f"{output} = {f}{bias}" for f in forms][:MAX_CANDIDATES]


def layer_from_entries(output: str, st: Statement, shapes: str | None) -> str | None:
    """The matrix definition under which the entry formula holds at every size tried (None: none does)."""
    from ..claims import check_claim
    from ..errors import SymderivError
    from .statements import read

    found = None
    text = _unbounded(st.text)
    st = read(text) if text != st.text else st
    for cand in candidates(output, st):
        context = f"{shapes}; {cand}" if shapes else cand
        try:
            r = check_claim(text, context=context)
        except (SymderivError, RecursionError, MemoryError):
            continue
        if r.verdict.value == "holds":
            if found is not None:
                return None  # two layers fit (a square case): the formula does not say which
            found = cand
    return found


def _unbounded(text: str) -> str:
    """`\\sum_{i=1}^{M_{l-1}}` as `\\sum_{i}`: a bound named by a size the document never gives a value (the
    number of units of layer l−1) runs over the index's whole range, which is all the layer's form needs."""
    from .statements import _tokens, splice

    toks = _tokens(text)
    edits = []
    for k, t in enumerate(toks[:-2]):
        sub, sup = toks[k + 1], toks[k + 2]
        if t.type != "SUM" or sub.type != "SUB" or sup.type != "SUP" or sub.start_pos is None:
            continue
        index = str(sub)[1:].strip("{} ").split("=")[0].strip()
        if index.isalpha() and not str(sup)[1:].strip("{} ").isdigit():
            edits.append((sub.start_pos, sup.start_pos + len(str(sup)), f"_{{{index}}}"))
    return splice(text, edits)

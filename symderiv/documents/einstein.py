"""Repeated indices: `y_{ij} = x_{ik} w_{kj}` sums over k in Einstein's convention,
and leaves k free as written. Read from the statement's trees: in each summand, an
index written twice that no Σ binds and the other side does not use. The summed
reading is the same text with `\\sum_{k}` put before each such summand."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

from ..claims.tree import Deriv, SumOp, Var, children
from .spans import top_level_terms
from .statements import Statement, added_terms, entry_of, read


def _indices(node: Any) -> Counter:
    """Index letters of the entries in a formula, each as often as written, less those a Σ inside binds."""
    out: Counter = Counter()
    stack: list[tuple[Any, frozenset[str]]] = [(node, frozenset())]
    while stack:
        n, bound = stack.pop()
        if isinstance(n, SumOp):
            bound = bound | set(n.vars)
        if isinstance(n, Var):
            e = entry_of(n)
            if e is not None:
                out.update(p for p in e[1] if p.isalpha() and len(p) == 1 and p not in bound)
        if isinstance(n, Deriv):
            stack.append((n.den, bound))
            stack.append((n.num, bound))
            continue
        stack.extend((c, bound) for c in children(n))
    return out


def repeated(st: Statement) -> list[str]:
    """Indices repeated within one summand of one side and absent from every other side."""
    if len(st.sides) < 2 or any(s.node is None for s in st.sides):
        return []
    out: list[str] = []
    for k, side in enumerate(st.sides):
        others: set[str] = set()
        for j, s in enumerate(st.sides):
            if j != k:
                others |= set(_indices(s.node))
        for term in added_terms(side.node):
            for idx, n in _indices(term).items():
                if n >= 2 and idx not in others and idx not in out:
                    out.append(idx)
    return out


def summed(st: Statement) -> str | None:
    """The statement with every repeated index summed (None: there is none)."""
    return _summed(st.text)


@lru_cache(maxsize=65536)
def _summed(text: str) -> str | None:
    st = read(text)
    idx = repeated(st)
    if not idx:
        return None
    texts: list[str] = []
    for side in st.sides:
        terms = top_level_terms(side.text)
        new = []
        for t in terms:
            node = read(t).sides[0].node if t.strip() else None
            here = [i for i, n in _indices(node).items() if n >= 2 and i in idx] if node is not None else []
            new.append(f" \\sum_{{{','.join(here)}}} {t.strip()}" if here else t)
        texts.append("+".join(new))
    out = texts[0]
    for rel, t in zip(st.rels, texts[1:]):
        out += f" {rel} {t}"
    return out

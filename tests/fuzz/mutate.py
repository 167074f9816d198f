"""Mutants of a generated claim: one small change of the kind people make (a
transpose added or dropped, factors swapped, a scalar changed, an index swapped,
a term or a factor dropped, a letter replaced, (A + Aᵀ)x written 2Ax). A mutant
may still be true (swapping the factors of ⊙); the reference decides."""

from __future__ import annotations

import copy
import random
from fractions import Fraction

from .expr import GREEK, Case, N, T, num, scal, scale


def _nodes(n: N, path=()):
    """(path, node) for every node that may be changed (not a derivative's variable)."""
    yield path, n
    if n.op == "entry" and len(n.a) == 1:
        return  # x_i of a transposed vector is notation nobody writes
    for k, c in enumerate(n.args):
        if n.op in ("grad", "egrad") and k == 1:
            continue
        yield from _nodes(c, path + (k,))


def _replace(n: N, path, new: N) -> N:
    if not path:
        return new
    args = list(n.args)
    args[path[0]] = _replace(args[path[0]], path[1:], new)
    return n.with_args(args)


def _same(a: N, b: N) -> bool:
    return repr(a) == repr(b)


def _ops(n: N, letters: dict[str, str], rng: random.Random):
    """The mutations that apply at node n: (name, replacement)."""
    op = n.op
    out = []
    if op in ("leaf", "mm", "add", "sub", "had", "kron", "ones") and n.b != "s":
        out.append(("add-transpose", T(n)))
    if op == "T":
        out.append(("drop-transpose", n.args[0]))
    if op in ("mm", "kron"):
        out.append(("swap-factors", n.with_args(n.args[::-1])))
        out.append(("drop-factor", n.args[rng.randrange(2)]))
    if op in ("add", "sub"):
        out.append(("drop-term", n.args[rng.randrange(2)]))
        out.append(("plus-minus", N("sub" if op == "add" else "add", n.args)))
        x, y = n.args
        if op == "add" and y.op == "T" and _same(x, y.args[0]):
            out.append(("symmetric-2A", scale(num(2), x)))
    if op == "num":
        v = n.a
        out.append(("change-scalar", num(rng.choice([v + 1, v * 2, v / 2 if v != 0 else Fraction(1)]))))
    if op == "leaf" and n.b == "s":
        out.append(("change-scalar", scal(rng.choice([g for g in GREEK if g != n.a]))))
    if op == "scale":
        out.append(("drop-scalar", n.args[1]))
    if op in ("entry", "egrad", "delta") and len(n.a) == 2:
        out.append(("swap-indices", N(op, n.args, n.a[::-1], n.b)))
    if op in ("entry", "egrad") and n.a:
        others = sorted({i for i in "ijkpqs" if i not in n.a})
        k = rng.randrange(len(n.a))
        idx = list(n.a)
        idx[k] = rng.choice(others[:3] + [i for i in n.a if i != idx[k]] or others)
        out.append(("change-index", N(op, n.args, tuple(idx), n.b)))
    if op == "leaf" and n.b in ("M", "v"):
        same = [k for k, kind in letters.items() if kind == n.b and k != n.a]
        if same:
            out.append(("change-letter", N("leaf", (), rng.choice(same), n.b)))
    if op == "sum" and n.b is not None:
        out.append(("drop-bound", N("sum", n.args, n.a, None)))
    return out


def mutate(case: Case, rng: random.Random) -> Case | None:
    """A copy of case with one random mutation, or None when nothing applies."""
    letters = {}
    for side in (case.lhs, case.rhs):
        for _, m in _nodes(side):
            if m.op == "leaf" and m.a not in case.defs:
                letters[m.a] = m.b
    for _ in range(8):
        side = rng.choice(["lhs", "rhs"]) if rng.random() < 0.5 else "rhs"
        tree = getattr(case, side)
        candidates = [(p, m) for p, m in _nodes(tree)]
        path, node = rng.choice(candidates)
        ops = _ops(node, letters, rng)
        if not ops:
            continue
        name, new = rng.choice(ops)
        out = copy.copy(case)
        setattr(out, side, _replace(tree, path, new))
        out.intent, out.mutation = "mutant", name
        return out
    return None

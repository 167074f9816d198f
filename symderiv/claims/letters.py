"""What the evaluator reads a letter as: a matrix of independent symbols, a scalar, the loss,
I or E_{pq}, an entry (x_{1,2}, w_{jk} at the values of its indices), a row or a column of a
matrix (X_{i,:}, X_{:,j}). Mixed into Evaluator, which provides letter, helper_shape and the rest."""

from __future__ import annotations

from typing import Any

import symengine as se

from .infer import ANNOTATION
from .tree import Var, index_parts, slice_of
from .values import Arr, IllFormed, Unsupported, scalar, squeeze


class Letters:
    """Mixed into Evaluator."""

    ctx: Any
    t: Any
    loss: Any
    raw: dict

    def letter(self, letter: str) -> Arr:  # provided by Evaluator
        raise NotImplementedError

    def helper_shape(self, node: Any) -> tuple[int, ...]:  # provided by Evaluator
        raise NotImplementedError

    def indices(self, sub: str, arity: int, env: dict[str, int], what: str) -> list[int]:
        parts = index_parts(sub)
        if arity == 1 and len(parts) > 1 and "," not in sub and all(p.isdigit() for p in parts):
            parts = ["".join(parts)]
        out = []
        for p in parts:
            if p.isdigit():
                out.append(int(p))
            elif p in env:
                out.append(env[p])
            else:
                raise Unsupported(f"cannot read the index {p!r} of {what}")
        return out

    def entry(self, node: Var, env: dict[str, int]) -> Any:
        L = node.letter
        owner = L if (L in self.t.vectors or L.isupper() or L == self.ctx.upstream) else L.upper()
        if owner not in self.t.matrices:
            raise Unsupported(f"{L}_{{{node.sub}}} belongs to no matrix")
        arr = self.letter(owner)
        r, c = arr.shape
        arity = 1 if (r == 1 or c == 1) else 2
        idx = self.indices(node.sub or "", arity, env, f"{L}_{{{node.sub}}}")
        if arity == 1 and len(idx) == 2:
            if r == 1 and idx[0] == 1:
                idx = [idx[1]]
            elif c == 1 and idx[1] == 1:
                idx = [idx[0]]
        if len(idx) != arity:
            raise Unsupported(f"{L}_{{{node.sub}}} has {len(idx)} {'index' if len(idx) == 1 else 'indices'}, "
                              f"but {owner} is {r}×{c} (rows or columns written as x_n are not supported)")
        if 0 in idx:
            raise Unsupported(f"{L}_{{{node.sub}}}: indices here are 1-based (z_{{1,1}} is the first entry)")
        bound = [r * c] if arity == 1 else [r, c]
        if any(not 1 <= i <= b for i, b in zip(idx, bound)):
            raise IllFormed(f"{L.lower()}_{{{','.join(map(str, idx))}}} is outside {owner}, which is {r}×{c}")
        return arr.data[idx[0] - 1] if arity == 1 else arr.at(idx[0] - 1, idx[1] - 1)

    def var(self, node: Var, env: dict[str, int]) -> Arr:
        L, sub = node.letter, node.sub
        if node.style == "greek" and (L == self.ctx.upstream or L in self.ctx.shapes) and L in self.t.matrices:
            return self.letter(L) if sub is None else scalar(self.entry(node, env))
        if node.style == "greek":
            if L == "delta" and sub:
                idx = self.indices(sub, 2, env, "δ")
                if len(idx) != 2:
                    raise IllFormed("δ takes two indices")
                return scalar(se.Integer(int(idx[0] == idx[1])))
            if sub:
                raise Unsupported(f"\\{L}_{{{sub}}} is not supported")
            if L == "delta":
                raise Unsupported("δ without indices (an error signal?) is not defined here; define it in the context")
            return scalar(se.Symbol(L))
        if sub is not None and ANNOTATION.search(sub):
            sub = None
        if sub is None:
            if L == "L" and self.loss is not None:
                return scalar(self.loss)
            if L in self.t.scalars:
                if L in self.raw:
                    return self.raw[L]
                return scalar(se.Symbol(L))
            if id(node) in self.t.helpers and L == "I":
                if not self.t.helpers[id(node)]:
                    raise Unsupported("the size of I beside ⊗ cannot be inferred; write I_n or I_4")
                (n, _) = self.helper_shape(node)
                self.spend(n * n)
                return Arr((n, n), tuple(se.Integer(int(i == j)) for i in range(n) for j in range(n)))
            if L not in self.t.matrices:
                raise Unsupported(f"{L} has no shape")
            arr = self.letter(L)
            return squeeze(arr) if L in self.t.vectors and arr.shape == (1, 1) and L not in self.t.biases else arr
        if id(node) in self.t.helpers:
            shape = self.helper_shape(node)
            if L == "I":
                n = shape[0]
                return Arr((n, n), tuple(se.Integer(int(i == j)) for i in range(n) for j in range(n)))
            idx = self.indices(sub, 2, env, f"E_{{{sub}}}")
            r, c = shape
            if len(idx) != 2 or not (1 <= idx[0] <= r and 1 <= idx[1] <= c):
                raise IllFormed(f"E_{{{sub}}} does not fit its {r}×{c} shape")
            return Arr((r, c), tuple(se.Integer(int(i == idx[0] - 1 and j == idx[1] - 1))
                                     for i in range(r) for j in range(c)))
        sl = slice_of(sub)
        if sl is not None and node.style != "greek":
            if L.islower():  # x_{i,:}: row i of X, or sample i written as a column? The readings differ in shape
                raise Unsupported(f"{L}_{{{sub}}} may be a {sl[1]} of {L.upper()} or the {L} numbered {sl[0]} "
                                  f"(a column); write {L.upper()}_{{{sub}}} for the {sl[1]} of the matrix")
            return self.slice(node, sl, env)
        return scalar(self.entry(node, env))

    def slice(self, node: Var, sl: tuple[str, str], env: dict[str, int]) -> Arr:
        """X_{i,:} (row i of X, 1×c) or X_{:,j} (column j, r×1)."""
        L = owner = node.letter
        if owner not in self.t.matrices:
            raise Unsupported(f"{L}_{{{node.sub}}} belongs to no matrix")
        arr = self.letter(owner)
        r, c = arr.shape
        (i,) = self.indices(sl[0], 1, env, f"{L}_{{{node.sub}}}")
        if not 1 <= i <= (r if sl[1] == "row" else c):
            raise IllFormed(f"{L}_{{{node.sub}}} at {sl[0]} = {i} is outside {owner}, which is {r}×{c}")
        if sl[1] == "row":
            return Arr((1, c), tuple(arr.at(i - 1, j) for j in range(c)))
        return Arr((r, 1), tuple(arr.at(j, i - 1) for j in range(r)))

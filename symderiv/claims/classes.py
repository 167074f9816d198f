"""Union-find over the dimensions of a claim's letters, with the provenance of
every size: declared by a person (a literal, a named size with a value) or
chosen by symderiv; the context's open sizes are frozen before the claim is read."""

from __future__ import annotations

from typing import Any


class Classes:
    """Union-find over dimensions: a root knows its literal size, its names, whether
    it only sizes helpers (𝟏, I, E), and whether a person declared its size.

    `fixed` holds the sizes a person declared by name (N = 2, --m 3); a name without
    a value there (N in X: N x D, or m of the default layer when --m was not given)
    is a size symderiv chooses, and so are the classes nothing names."""

    def __init__(self, fixed: dict[str, int]) -> None:
        self.fixed = fixed
        self.parent: list[int] = []
        self.lit: list[int | None] = []
        self.names: list[set[str]] = []
        self.helper: list[bool] = []
        self.declared: list[bool] = []
        self.frozen: list[bool] = []  # a size the context left open: a claim may not fix it or merge it
        self.of_context: list[bool] = []  # the class holds a dimension the context made
        self.claim_phase = False
        self.by_name: dict[str, int] = {}

    def new(self, lit: int | None = None, name: str | None = None, helper: bool = False,
            declared: bool = True) -> int:
        if name is not None and name in self.by_name:
            return self.by_name[name]
        i = len(self.parent)
        self.parent.append(i)
        self.lit.append(lit)
        self.names.append({name} if name else set())
        self.helper.append(helper)
        self.frozen.append(False)
        self.of_context.append(not self.claim_phase)
        self.declared.append((lit is not None and declared) or (name is not None and name in self.fixed))
        if name is not None:
            self.by_name[name] = i
        return i

    def dim(self, d: Any, helper: bool = False) -> int:
        return self.new(lit=d) if isinstance(d, int) else self.new(name=d)

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def value(self, i: int) -> int | None:
        """The size fixed for a class (a literal or a declared name), else None."""
        r = self.find(i)
        if self.lit[r] is not None:
            return self.lit[r]
        for name in sorted(self.names[r]):
            if name in self.fixed:
                return self.fixed[name]
        return None

    def union(self, a: int, b: int, soft: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if soft and not (self.helper[ra] or self.helper[rb]):
            return False
        va, vb = self.value(ra), self.value(rb)
        if va is not None and vb is not None and va != vb:
            return False
        if (self.frozen[ra] and self.of_context[rb]) or (self.frozen[rb] and self.of_context[ra]):
            # a size the context left open is not merged by a claim with another of the context's
            # sizes (a claim cannot make W square, nor the batch size the one output's 1); only
            # the claim's own 𝟏₄ or I₃ may say what it is
            return False
        lo, hi = min(ra, rb), max(ra, rb)
        self.parent[hi] = lo
        self.lit[lo] = self.lit[lo] if self.lit[lo] is not None else self.lit[hi]
        self.names[lo] |= self.names[hi]
        self.helper[lo] = self.helper[lo] and self.helper[hi]
        self.declared[lo] = self.declared[lo] or self.declared[hi]
        self.frozen[lo] = self.frozen[lo] or self.frozen[hi]
        self.of_context[lo] = self.of_context[lo] or self.of_context[hi]
        return True

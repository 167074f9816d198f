"""The outcome of shape inference (infer.py): the classes of every letter's and helper's dimensions,
and the sizes checked; ANNOTATION, the pattern of a shape written in a subscript (X_{2×3})."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .classes import Classes

ANNOTATION = re.compile(r"\\times|×")


@dataclass
class Typing:
    """The outcome of inference: classes for every letter and helper node."""

    classes: Classes
    one: int
    matrices: dict[str, tuple[int, int]] = field(default_factory=dict)
    vectors: set[str] = field(default_factory=set)
    scalars: set[str] = field(default_factory=set)
    helpers: dict[int, tuple[int, ...]] = field(default_factory=dict)  # id(node) → dims
    chosen: list[int] = field(default_factory=list)  # roots whose size symderiv chooses, in order of appearance
    forced: list[str] = field(default_factory=list)  # why a vector or matrix could only have size 1
    forced_letters: list[str] = field(default_factory=list)  # the vectors that could only have length 1
    sizes_checked: Any = None  # decide.Sizes: the assignments a claim was checked at
    entry_dims: dict[int, tuple[int, ...]] = field(default_factory=dict)  # id((expr)_{ij}) → expr's dims
    biases: set[str] = field(default_factory=set)  # vectors added to a matrix (broadcast; orientation is notation)
    collapsed: str | None = None  # why the context's shapes fit only with a size it names equal to 1

    def shape(self, letter: str, sizes: dict[str, int]) -> tuple[int, int]:
        return tuple(self.size(c, sizes) for c in self.matrices[letter])  # type: ignore[return-value]

    def size(self, cls: int, sizes: dict[str, int]) -> int:
        c = self.classes
        r = c.find(cls)
        if c.lit[r] is not None:
            return c.lit[r]  # type: ignore[return-value]
        for name in sorted(c.names[r]):
            if name in sizes:
                return sizes[name]
        raise KeyError(cls)

    def chosen_names(self, root: int) -> list[str]:
        return sorted(self.classes.names[self.classes.find(root)])

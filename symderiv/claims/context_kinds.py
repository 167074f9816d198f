"""What a context's own formulas say about the kind of its letters, before any shape is inferred:
this project's bias row B, a lowercase letter that is a matrix (a batch written `x: N x d`, and what
is built from it), and the target beside it in the loss (`‖y − t‖²`)."""

from __future__ import annotations

from typing import Any

from .bias import factors
from .context import Context
from .tree import Add, Sub, Var, walk


def upper_biases(ctx: Context) -> set[str]:
    """B added to a product in the context's definitions (A = ZW + B) with no shape declared is the
    bias row of math.md, broadcast over the batch like a lower-case b; any other capital is a matrix."""
    out: set[str] = set()
    for _, expr in ctx.defs:
        for n in walk(expr):
            if isinstance(n, Add):
                for x, y in ((n.a, n.b), (n.b, n.a)):
                    if isinstance(x, Var) and x.letter == "B" and x.sub is None and x.style == "plain" \
                            and "B" not in ctx.shapes and len(factors(y)) > 1:
                        out.add("B")
    return out


def lower_matrix(ctx: Context, letter: str, expr: Any) -> bool:
    """A lowercase letter the context defines is a matrix when its stated shape has no 1 (y: N x d), or when
    its formula uses a lowercase letter stated as a matrix (y = x W^T + b with x: N x d_in: a batch in
    lowercase): reading it as a vector would tie the context's sizes to 1."""
    def matrix_shaped(name: str) -> bool:
        dims = ctx.shapes.get(name)
        return dims is not None and len(dims) == 2 and 1 not in dims
    if letter in ctx.shapes:
        return matrix_shaped(letter)
    return any(isinstance(v, Var) and v.letter.islower() and v.sub is None and matrix_shaped(v.letter)
               for v in walk(expr))


def beside_lower_matrices(ctx: Context, matrices: dict, vectors: set[str]) -> list[str]:
    """Bare lowercase letters the loss adds to or subtracts from a lowercase matrix (y − t, y: N x d)."""
    mats = {v for v in matrices if v.islower() and v not in vectors}
    out = []
    for n in walk(ctx.loss):
        if isinstance(n, (Add, Sub)):
            for x, y in ((n.a, n.b), (n.b, n.a)):
                if isinstance(x, Var) and x.letter in mats and x.sub is None and isinstance(y, Var) \
                        and y.sub is None and y.style == "plain" and y.letter.islower() \
                        and y.letter not in matrices and y.letter not in ctx.shapes:
                    out.append(y.letter)
    return out

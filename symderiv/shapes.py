"""Shape specs, the two layer layouts (A = ZW + B and A = ZWᵀ + b) as data, and
the factory of symbolic matrices with readable 1-based entry names (z_{i,j})."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import symengine as se

from .errors import BadInput
from .notation import Node, Ones, Prod, Sym, T

Matrix = se.DenseMatrix
LOSSES = ("generic", "sumsq")


def entry_name(letter: str, *idx: int) -> str:
    """The symbol name of an entry: z_{1,2} is `z_1_2`, b_{3} is `b_3` (1-based)."""
    return "_".join([letter, *map(str, idx)])


def parse_entry_name(name: str) -> tuple[str, tuple[int, ...]] | None:
    """Inverse of `entry_name`; None for a name that is not an entry."""
    letter, *rest = name.split("_")
    if not rest or not all(r.isdigit() for r in rest):
        return None
    return letter, tuple(int(r) for r in rest)


def symbol_matrix(letter: str, rows: int, cols: int) -> Matrix:
    """rows × cols matrix of independent symbols letter_{i,j}."""
    return se.DenseMatrix(
        rows, cols, [se.Symbol(entry_name(letter, i, j)) for i in range(1, rows + 1) for j in range(1, cols + 1)]
    )


def bias_row(n: int) -> Matrix:
    """The 1 × n bias row b_{1} … b_{n} (one index: it is shared by all rows)."""
    return se.DenseMatrix(1, n, [se.Symbol(entry_name("b", j)) for j in range(1, n + 1)])


def ones_row(m: int) -> Matrix:
    return se.DenseMatrix(1, m, [1] * m)


def matmul(X: Matrix, Y: Matrix) -> Matrix:
    """X·Y with each entry built as one sum of all its products at once.

    symengine's own product accumulates each entry one term at a time, which is
    quadratic in the inner size (ZᵀG at m = 100,000 took many minutes). Raises
    ValueError, as symengine does, when the shapes do not chain."""
    if X.cols != Y.rows:
        raise ValueError(f"shape mismatch: {X.rows}×{X.cols} times {Y.rows}×{Y.cols}")
    xr, yc = X.tolist(), Y.T.tolist()
    return se.DenseMatrix(
        X.rows, Y.cols, [se.Add(*[a * b for a, b in zip(row, col)]) for row in xr for col in yc]
    )


@dataclass(frozen=True)
class Layout:
    """One way of writing the layer, as data: where W's entries sit and the
    closed forms a correct derivation must reproduce (built by matrix products)."""

    name: str
    product: str  # how the layer's product reads: "ZW" or "ZWᵀ"
    w_shape: Callable[[int, int], tuple[int, int]]  # (k, n) -> W's shape
    w_at: Callable[[int, int], tuple[int, int]]  # (l, j) -> W index feeding a_{i,j} through z_{i,l}
    forward: Callable[[Matrix, Matrix], Matrix]  # (Z, W) -> ZW or ZWᵀ as a matrix product
    grad_W: Callable[[Matrix, Matrix, Matrix], Matrix]  # (Z, W, G) -> closed form
    grad_W_form: Node
    grad_Z: Callable[[Matrix, Matrix, Matrix], Matrix]
    grad_Z_form: Node
    grad_B: Callable[[Matrix], Matrix]  # G -> the closed form of ∂L/∂B
    grad_B_form: Node
    jacobian_entry: Callable[[list, int, int, int, int], object]  # (Z rows, i, j, p, q) -> ∂a_ij/∂w_pq
    jacobian_form: Node
    jacobian_support: Callable[[int, int], list[tuple[int, int]]]  # (j, k) -> the (p, q) where δ ≠ 0
    jacobian_slice: Callable[[Matrix, int, int, tuple[int, int]], Matrix]  # ∂A/∂w_pq as a matrix product
    jacobian_slice_form: Node
    w_inner: int = 0  # which index of W (0: row, 1: column) runs over Z's columns, the inner size k
    description: str = ""


def unit_matrix(shape: tuple[int, int], p: int, q: int) -> Matrix:
    """E_{p,q}: the matrix of `shape` with a single 1 at (p, q) (0-based here)."""
    E = se.zeros(*shape)
    E[p, q] = 1
    return E


def _delta(a: int, b: int) -> int:
    return 1 if a == b else 0


Z_, W_, G_ = Sym("Z"), Sym("W"), Sym("G")

LAYOUTS: dict[str, Layout] = {
    "zw": Layout(
        name="zw",
        product="ZW",
        w_shape=lambda k, n: (k, n),
        w_at=lambda l, j: (l, j),
        forward=lambda Z, W: matmul(Z, W),
        grad_W=lambda Z, W, G: matmul(Z.T, G),
        grad_W_form=Prod((T(Z_), G_)),
        grad_Z=lambda Z, W, G: matmul(G, W.T),
        grad_Z_form=Prod((G_, T(W_))),
        grad_B=lambda G: matmul(ones_row(G.rows), G),
        grad_B_form=Prod((T(Ones()), G_)),
        jacobian_entry=lambda Z, i, j, p, q: Z[i][p] * _delta(j, q),
        jacobian_form=Prod((Sym("z", ("i", "p")), Sym("δ", ("j", "q")))),
        jacobian_support=lambda j, k: [(p, j) for p in range(k)],
        jacobian_slice=lambda Z, p, q, shape: matmul(Z, unit_matrix(shape, p, q)),
        jacobian_slice_form=Prod((Z_, Sym("E", ("p", "q")))),
        description="W is k×n; the textbook layout",
    ),
    "zwt": Layout(
        name="zwt",
        product="ZWᵀ",
        w_shape=lambda k, n: (n, k),
        w_at=lambda l, j: (j, l),
        forward=lambda Z, W: matmul(Z, W.T),
        grad_W=lambda Z, W, G: matmul(G.T, Z),
        grad_W_form=Prod((T(G_), Z_)),
        grad_Z=lambda Z, W, G: matmul(G, W),
        grad_Z_form=Prod((G_, W_)),
        grad_B=lambda G: matmul(ones_row(G.rows), G),
        grad_B_form=Prod((T(Ones()), G_)),
        jacobian_entry=lambda Z, i, j, p, q: Z[i][q] * _delta(j, p),
        jacobian_form=Prod((Sym("δ", ("j", "p")), Sym("z", ("i", "q")))),
        jacobian_support=lambda j, k: [(j, q) for q in range(k)],
        jacobian_slice=lambda Z, p, q, shape: matmul(Z, unit_matrix(shape, p, q).T),
        jacobian_slice_form=Prod((Z_, T(Sym("E", ("p", "q"))))),
        w_inner=1,
        description="W is n×k as PyTorch's nn.Linear stores it",
    ),
}

@dataclass(frozen=True)
class Spec:
    """What to derive: sizes, layout, whether there is a bias, which loss."""

    m: int = 3
    k: int = 2
    n: int = 4
    layout: str = "zw"
    bias: bool = True
    loss: str = "generic"

    def __post_init__(self) -> None:
        for dim in ("m", "k", "n"):
            value = getattr(self, dim)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise BadInput(f"--{dim} must be a positive whole number, got {value!r}")
        if self.layout not in LAYOUTS:
            raise BadInput(f"unknown layout {self.layout!r}", hint="choose " + " or ".join(LAYOUTS))
        if self.loss not in LOSSES:
            raise BadInput(f"unknown loss {self.loss!r}", hint="choose " + " or ".join(LOSSES))

    @property
    def layout_def(self) -> Layout:
        return LAYOUTS[self.layout]

    @property
    def w_shape(self) -> tuple[int, int]:
        return self.layout_def.w_shape(self.k, self.n)

    @property
    def title(self) -> str:
        """The layer as a formula: A = ZW + B, A = ZWᵀ, …"""
        return f"A = {self.layout_def.product}" + (" + B" if self.bias else "")

    def describe(self) -> str:
        wr, wc = self.w_shape
        bias = f", B {1}×{self.n}" if self.bias else ""
        return f"Z {self.m}×{self.k}, W {wr}×{wc}{bias}, G {self.m}×{self.n}"


def parse_size(text: str, name: str) -> int:
    """A size option's text as a positive int, or BadInput with one clear line."""
    stripped = text.strip()
    if not stripped.isdigit() or int(stripped) < 1:
        raise BadInput(f"--{name} must be a positive whole number, got {text!r}")
    return int(stripped)

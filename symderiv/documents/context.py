"""The document model: what is defined where, bound from the statements' trees in
reading order — the layer's definitions, shapes (`X_{N\\times D}`, `X \\in \\mathbb{R}^{N\\times D}`),
sizes (`N = 2`), the upstream gradient's name, a worked example's matrices, entries
and sizes (in force until the next heading), the loss's letter, the convention a
section switches to, and what `symderiv: context …` states. Judgments read it."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .spans import top_level_terms
from .statements import STACKED, Kind, Statement, added_terms, name_of, read, shapes_written, upstream_of


@dataclass
class Item:
    text: str
    at: int  # file offset where it was stated


@dataclass
class Layer:
    name: str
    item: Item
    rhs: Any  # the right side's tree
    rhs_text: str


def _dims_text(dims: tuple[Any, ...]) -> str:
    return " x ".join(str(d) for d in dims)


def _walk(node: Any) -> list[Any]:
    from ..claims.tree import walk
    return walk(node)


def _names(node: Any) -> set[str]:
    """The names a formula uses: letters, and numbered names (W_9, a layer label read as a digit) as written."""
    out: set[str] = set()
    for n in _walk(node):
        if hasattr(n, "letter"):
            out.add(n.letter)
            sub = getattr(n, "sub", None)
            if sub is not None and sub.isdigit() and len(sub) == 1:
                out.add(f"{n.letter}_{sub}")
    return out


@dataclass
class DocContext:
    """Mutable state, fed in document order."""

    defs: list[Layer] = field(default_factory=list)
    shapes: dict[str, tuple[tuple[Any, ...], int]] = field(default_factory=dict)  # letter → (dims, offset)
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)  # name → (value, offset)
    values: dict[str, Item] = field(default_factory=dict)  # letter → "X = \begin{bmatrix}…"
    example: dict[str, tuple[tuple[int, ...], int]] = field(default_factory=dict)  # a worked example's symbolic sizes
    upstream: Item | None = None
    upstream_of: str | None = None  # the Y of G = ∂L/∂Y
    explicit: Item | None = None
    explicit_shapes: set[str] = field(default_factory=set)  # letters a `symderiv: context` gives a shape
    explicit_sizes: set[str] = field(default_factory=set)
    explicit_named: set[str] = field(default_factory=set)  # size names a `symderiv: context` uses
    symmetric: dict[str, int] = field(default_factory=dict)  # letter → where the document assumes it symmetric
    rows: dict[str, int] = field(default_factory=dict)  # letter → where prose calls it a row
    one_dim: set[str] = field(default_factory=set)  # b ∈ ℝ^d: a vector with no orientation written
    broadcast: dict[str, int] = field(default_factory=dict)  # B → where B = [b; ⋮; b] defines it as a row broadcast
    stacked: dict[str, str] = field(default_factory=dict)  # B → b, for B = [b; ⋮; b]: the layer is read with b in B's place
    entries: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)  # X → {(1, 2): "3"}
    entries_at: dict[str, int] = field(default_factory=dict)
    opaque: dict[str, str] = field(default_factory=dict)  # names defined by what symderiv cannot evaluate → why
    elementwise: set[str] = field(default_factory=set)  # generic functions whose derivative g' the document writes
    einstein: bool = False  # the document states that repeated indices are summed
    loss_item: Item | None = None  # the document's loss written out (L = ½‖Y − T‖²), read as L
    loss_generic: str | None = None  # why the loss the document writes cannot be evaluated (then: any loss)
    loss: str | None = None  # the letter the document differentiates as its loss, when it is not L
    last_heading: int = -1
    last_def: int = -1

    # ---- feeding ----
    def row(self, letter: str, at: int) -> None:
        """Prose says the letter is a row ("the bias row $B$"): read it as one, broadcast over the batch."""
        self.rows[letter] = at

    def assume_symmetric(self, letter: str, at: int) -> None:
        self.symmetric[letter] = at

    def heading(self, at: int) -> None:
        """A worked example ends with its section."""
        self.last_heading = at
        self.values.clear()
        self.entries.clear()
        self.example.clear()

    def directive(self, text: str, at: int) -> None:
        """`symderiv: context …` replaces everything read so far."""
        from ..claims.context import build_context
        from ..errors import SymderivError

        self.defs.clear()
        self.shapes.clear()
        self.sizes.clear()
        self.values.clear()
        self.example.clear()
        self.upstream = None
        self.upstream_of = None
        self.explicit = Item(text.strip(), at)
        try:
            ctx = build_context(text)
        except SymderivError:
            self.explicit_shapes, self.explicit_sizes, self.explicit_named = set(), set(), set()
            return
        self.explicit_shapes = set(ctx.shapes) | set(ctx.scalars)
        self.explicit_sizes = set(ctx.sizes)
        self.explicit_named = {d for dims in ctx.shapes.values() for d in dims if isinstance(d, str)}

    def annotations(self, st: Statement, at: int) -> None:
        """Shapes written on any letter of the statement: X_{N\\times D}."""
        for letter, dims in shapes_written(st):
            self.shapes[letter] = (dims, at)

    def define(self, kind: Kind, st: Statement, at: int) -> None:
        if kind.sub == "size":
            self.sizes[kind.name] = (int(kind.rhs), at)
        elif kind.sub == "upstream":
            self.upstream = Item(f"{kind.lhs.strip()} = {kind.rhs.strip()}", at)
            self.upstream_of = upstream_of(st.sides[1].node)
        elif kind.sub == "entry":
            i, j = (int(x) for x in kind.lhs.split(","))
            self.entries.setdefault(kind.name, {})[(i, j)] = kind.rhs
            self.entries_at.setdefault(kind.name, at)
        elif kind.sub == "values":
            self.values[kind.name] = Item(f"{kind.name} = {kind.rhs.strip()}", at)
        elif kind.sub == "example":
            self.example[kind.name] = (tuple(int(d) for d in kind.dims), at)
        elif kind.sub == "shape":
            dims = kind.dims if len(kind.dims) > 1 else (kind.dims[0], 1) if kind.dims else ()
            if dims:
                self.shapes[kind.name] = (tuple(dims), at)
            if len(kind.dims) == 1:
                self.one_dim.add(kind.name)
            else:
                self.one_dim.discard(kind.name)
        elif kind.sub == "layer":
            self._layer(kind, st, at)
            if kind.reason == STACKED:  # B = [b; ⋮; b] is b broadcast: its stated N×M shape is the broadcast's
                self.broadcast[kind.name] = at
                self.stacked[kind.name] = kind.rhs.strip()
        elif kind.sub == "symmetric":
            self.symmetric[kind.name] = at

    def note_loss(self, st: Statement) -> None:
        """A scalar the document differentiates (∂E/∂W) and never defines is its loss: read as L."""
        from ..claims.tree import Deriv, Var

        if self.loss is not None:
            return
        for n in st.nodes():
            if isinstance(n, Deriv) and isinstance(n.num, Var) and n.num.sub is None and n.num.style == "plain":
                letter = n.num.letter
                if letter in ("E", "J", "C", "l") and letter not in self.defined() and letter not in self.shapes:
                    self.loss = letter
                return

    def snapshot(self) -> dict:
        """What restore needs: every container copied one level down (the items in them are never changed)."""
        return {k: copy.copy(v) if isinstance(v, (dict, list, set)) else v for k, v in self.__dict__.items()}

    def restore(self, snap: dict) -> None:
        self.__dict__.update(snap)

    def _layer(self, kind: Kind, st: Statement, at: int) -> None:
        self.opaque.pop(kind.name, None)
        nm = name_of(st.sides[0].node)
        lhs = kind.name if nm is None or nm[1] is None else kind.lhs.strip()
        item = Item(f"{lhs} = {kind.rhs.strip()}", at)
        rhs = st.sides[1].node
        used = _names(rhs)
        names = {d.name for d in self.defs}
        layer = Layer(kind.name, item, rhs, kind.rhs)
        users = [d for d in self.defs if kind.name in _names(d.rhs)]
        if users and not used & (names - {kind.name}):  # h = σ(u), where u = V x: defined after its use
            first = self.defs.index(users[0])
            self.defs = [d for d in self.defs[:first] if d.name != kind.name] + [layer] + \
                [d for d in self.defs[first:] if d.name != kind.name]
        elif used & (names - {kind.name}):
            self.defs = [d for d in self.defs if d.name != kind.name] + [layer]
        else:  # a new layer: the convention switches; what was stated for the old one goes
            cutoff = max(self.last_heading, self.last_def)
            self.shapes = {k: v for k, v in self.shapes.items() if v[1] >= cutoff}
            self.sizes = {k: v for k, v in self.sizes.items() if v[1] >= cutoff}
            self.values = {k: v for k, v in self.values.items() if v.at >= cutoff}
            self.example = {k: v for k, v in self.example.items() if v[1] >= cutoff}
            self.entries = {k: v for k, v in self.entries.items() if self.entries_at.get(k, -1) >= cutoff}
            if self.upstream is not None and self.upstream_of != kind.name:
                self.upstream = None
                self.upstream_of = None
            self.explicit = None
            self.explicit_shapes, self.explicit_sizes, self.explicit_named = set(), set(), set()
            self.symmetric = {k: v for k, v in self.symmetric.items() if v >= cutoff}
            self.rows = {k: v for k, v in self.rows.items() if v >= cutoff}
            self.broadcast = {k: v for k, v in self.broadcast.items() if v >= cutoff}
            self.stacked = {k: v for k, v in self.stacked.items() if k in self.broadcast}
            self.defs = [layer]
        self.last_def = at

    # ---- reading ----
    @property
    def output(self) -> str | None:
        return self.defs[-1].name if self.defs else None

    def defined(self) -> set[str]:
        return {d.name for d in self.defs} | set(self.values)  # entry by entry: not yet known to be whole

    def _size(self, d: Any) -> int | None:
        if isinstance(d, int):
            return d
        return self.sizes[d][0] if d in self.sizes else None

    def all_values(self) -> dict[str, Item]:
        """Matrices given whole, and those given entry by entry once every entry is known
        (their shape stated, or else read off the largest indices written)."""
        out = dict(self.values)
        for letter, ent in self.entries.items():
            if letter in out:
                continue
            dims = None
            if letter in self.shapes:
                parts = [self._size(d) for d in self.shapes[letter][0]]
                dims = tuple(parts) if len(parts) == 2 and None not in parts else None
            if dims is None:
                dims = (max(i for i, _ in ent), max(j for _, j in ent))
            if all((i, j) in ent for i in range(1, dims[0] + 1) for j in range(1, dims[1] + 1)):
                rows = " \\\\ ".join(" & ".join(ent[(i, j)] for j in range(1, dims[1] + 1)) for i in range(1, dims[0] + 1))
                out[letter] = Item(f"{letter} = \\begin{{bmatrix}} {rows} \\end{{bmatrix}}", self.entries_at[letter])
        return out

    def _def_text(self, layer: Layer) -> str:
        """A worked example shows its bias: with matrices given, a bias term without a value goes."""
        values = self.all_values()
        if not values:
            return layer.item.text
        terms = top_level_terms(layer.rhs_text)
        keep = []
        for t in terms:
            nm = name_of(read(t).sides[0].node) if t.strip() else None
            if not (nm and nm[1] is None and nm[0] not in values):
                keep.append(t)
        if not keep or len(keep) == len(terms):
            return layer.item.text
        return f"{layer.name} = {' + '.join(t.strip() for t in keep)}"

    def _stacked_text(self, layer: Layer) -> str:
        """Y = XW + B with B = [b; ⋮; b]: the layer is Y = XW + b, b broadcast over the batch as the engine reads
        a row added to a product (B = b itself would make B a column and tie the batch size to 1)."""
        text = self._def_text(layer)
        if not self.stacked:
            return text
        name, _, rhs = text.partition(" = ")
        terms = top_level_terms(rhs)
        swapped = []
        for t in terms:
            nm = name_of(read(t).sides[0].node) if t.strip() else None
            swapped.append(self.stacked[nm[0]] if nm and nm[1] is None and nm[0] in self.stacked else t.strip())
        return f"{name} = {' + '.join(swapped)}" if swapped != [t.strip() for t in terms] else text

    def _added_vectors(self) -> set[str]:
        """Vectors declared in ℝ^d (no orientation) that a layer adds to a product (y = x Wᵀ + b): their shape is
        left to the engine, which broadcasts them over the batch as the product's shape says (NumPy's (d,))."""
        out: set[str] = set()
        for d in self.defs:
            for term in added_terms(d.rhs):
                nm = name_of(term)
                if nm and nm[1] is None and nm[0] in self.one_dim and len(added_terms(d.rhs)) > 1:
                    out.add(nm[0])
        return out

    def lowercase_weights(self) -> list[str]:
        """Lower-case names the layers multiply on the left of another name (z = w a + b) and nothing shapes: the
        engine reads them as vectors (and `a` as a number), notes often mean a weight matrix."""
        from ..claims.tree import Mul, Var

        out: list[str] = []
        for d in self.defs:
            for n in _walk(d.rhs):
                if isinstance(n, Mul) and n.op in ("", "cdot") and isinstance(n.a, Var) and isinstance(n.b, Var):
                    a, b = n.a, n.b
                    name = a.letter if a.sub is None else f"{a.letter}_{a.sub}" if a.sub.isdigit() else None
                    if name and a.letter.islower() and b.letter.islower() and a.style != "greek" and \
                            name not in self.shapes and a.letter not in self.shapes and name not in out:
                        out.append(name)
        return out

    def bias_row(self) -> tuple[str, str] | None:
        got = self._bias_row()
        return None if got is None or got[0] in self.rows else got

    def _bias_row(self) -> tuple[str, str] | None:
        """An upper-case bias (A = ZW + B) whose shape nothing states: a full matrix or a row broadcast
        over the batch? The engine reads a full matrix; this project's convention (and most notes) a row.
        Returns the letter and the shape item of the row reading, when the product's columns are known."""
        from ..claims.tree import Mul, Transpose, Var

        if not self.defs or self.all_values():
            return None
        terms = added_terms(self.defs[-1].rhs)
        if len(terms) != 2:
            return None
        product, bias = terms
        bnm = name_of(bias)
        if bnm is None or bnm[1] is not None or not bnm[0].isupper() or len(bnm[0]) != 1:
            return None
        b = bnm[0]
        if b in self.shapes or b in self.explicit_shapes:
            return None
        last = product
        while isinstance(last, Mul):
            last = last.b
        transposed = isinstance(last, Transpose)
        if transposed:
            last = last.a
        if not isinstance(last, Var) or last.letter not in self.shapes:
            return None
        dims = self.shapes[last.letter][0]
        if len(dims) != 2:
            return None
        return b, f"{b}: 1 x {dims[0] if transposed else dims[1]}"

    def describe(self) -> tuple[str | None, dict[str, int], list[str]]:
        """The context text for the engine (None: nothing known), the sizes to pass, and the size
        names the document left without values (they get defaults and are varied)."""
        items: list[str] = []
        if self.explicit is not None:
            items.append(self.explicit.text)
        items += [v.text for v in self.all_values().values()]
        shapes = dict(self.shapes)
        for letter, (dims, at) in self.example.items():
            shapes[letter] = (dims, at)  # a worked example's A = [a_{1,1} … ] is 2×2 until the next heading
        added = self._added_vectors()
        items += [f"{k}: {_dims_text(dims)}" for k, (dims, _) in shapes.items() if k not in self.broadcast and k not in added]
        items += [f"{k} = {v}" for k, (v, _) in self.sizes.items()]
        if self.upstream is not None:
            items.append(self.upstream.text)
        items += [f"{g}: elementwise" for g in sorted(self.elementwise)]
        row = self._bias_row()
        if row is not None and row[0] in self.rows:
            items.append(row[1])
        items += [self._stacked_text(d) for d in self.defs if d.name not in self.stacked]
        if self.loss_item is not None and self.defs:
            items.append(self.loss_item.text)
        if not items:
            return None, {}, []
        text = "; ".join(items)
        named: list[str] = []
        for dims, _ in shapes.values():
            named += [d for d in dims if isinstance(d, str) and d not in named]
        named += [d for d in sorted(self.explicit_named) if d not in named]
        open_ = [n for n in named if n not in self.sizes and n not in self.explicit_sizes]
        # sizes the document leaves open are the engine's to choose and vary (it says which it chose)
        return text, {}, sorted(open_)

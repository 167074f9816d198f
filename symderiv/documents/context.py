"""The context in force at each place of a document: the layer's definitions,
shapes from annotations (`X_{N\\times D}`, `X \\in \\mathbb{R}^{N\\times D}`),
sizes (`N = 2`), the upstream gradient's name, a worked example's matrices, the
convention a section switches to, and what `symderiv: context …` states."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from .classify import Kind, plain, split_relation
from .spans import _top_level

ANNOTATION = re.compile(r"(?<![\\A-Za-z])([A-Za-z])_\{\s*([A-Za-z0-9]+)\s*(?:\\times|×|\\cdot)\s*([A-Za-z0-9]+)\s*\}")
MEMBERSHIP = re.compile(r"(?<![\\A-Za-z])([A-Za-z])\s*\\in\s*\\mathbb\s*\{?\s*R\s*\}?\s*\^\s*\{([^{}]*)\}")
DEFAULTS = (3, 2, 4, 5, 6, 7, 8, 9)


@dataclass
class Item:
    text: str
    at: int  # file offset where it was stated


@dataclass
class DocContext:
    """Mutable state, fed in document order."""

    defs: list[tuple[str, Item]] = field(default_factory=list)  # (name, "Y = X W + b")
    shapes: dict[str, Item] = field(default_factory=dict)  # letter → "X: N x D"
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)  # name → (value, offset)
    values: dict[str, Item] = field(default_factory=dict)  # letter → "X = \begin{bmatrix}…"
    upstream: Item | None = None
    explicit: Item | None = None
    symmetric: dict[str, int] = field(default_factory=dict)  # letter → where the document assumes it symmetric
    rows: dict[str, int] = field(default_factory=dict)  # letter → where prose calls it a row
    entries: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)  # X → {(1, 2): "3"}
    entries_at: dict[str, int] = field(default_factory=dict)
    opaque: dict[str, str] = field(default_factory=dict)  # names defined by what symderiv cannot evaluate → why
    last_heading: int = -1
    last_def: int = -1

    # ---- feeding ----
    def row(self, letter: str, at: int) -> None:
        """Prose says the letter is a row ("the bias row $B$"): read it as one, broadcast over the batch."""
        self.rows[letter] = at

    def assume_symmetric(self, letter: str, at: int) -> None:
        self.symmetric[letter] = at

    def heading(self, at: int) -> None:
        self.last_heading = at
        self.values.clear()
        self.entries.clear()

    def directive(self, text: str, at: int) -> None:
        """`symderiv: context …` replaces everything read so far."""
        self.defs.clear()
        self.shapes.clear()
        self.sizes.clear()
        self.values.clear()
        self.upstream = None
        self.explicit = Item(text.strip(), at)

    def annotations(self, math: str, at: int) -> None:
        """Shapes written anywhere in math: X_{N\\times D}, x \\in \\mathbb{R}^{D}."""
        math = plain(math)
        for m in ANNOTATION.finditer(math):
            self.shapes[m.group(1).upper() if m.group(1).isupper() else m.group(1)] = Item(
                f"{m.group(1)}: {m.group(2)} x {m.group(3)}", at)
        for m in MEMBERSHIP.finditer(math):
            dims = [d.strip() for d in re.split(r"\\times|×|,", m.group(2)) if d.strip()]
            if dims and all(re.fullmatch(r"[A-Za-z0-9]+", d) for d in dims):
                self.shapes[m.group(1)] = Item(f"{m.group(1)}: {' x '.join(dims)}", at)

    def define(self, kind: Kind, text: str, at: int) -> None:
        if kind.sub == "size":
            self.sizes[kind.name] = (int(kind.rhs), at)
        elif kind.sub == "upstream":
            self.upstream = Item(f"{kind.lhs.strip()} = {kind.rhs.strip()}", at)
        elif kind.sub == "entry":
            i, j = (int(x) for x in kind.lhs.split(","))
            self.entries.setdefault(kind.name, {})[(i, j)] = kind.rhs
            self.entries_at.setdefault(kind.name, at)
        elif kind.sub == "values":
            self.values[kind.name] = Item(f"{kind.name} = {kind.rhs.strip()}", at)
        elif kind.sub == "shape":
            self.annotations(text, at)
        elif kind.sub == "layer":
            self._layer(kind, at)
        elif kind.sub == "symmetric":
            self.symmetric[kind.name] = at

    def snapshot(self) -> dict:
        return copy.deepcopy(self.__dict__)

    def restore(self, snap: dict) -> None:
        self.__dict__.update(snap)

    def _layer(self, kind: Kind, at: int) -> None:
        self.opaque.pop(kind.name, None)
        lhs = kind.lhs.strip()
        if kind.name and re.search(r"\(", lhs):  # F(W) = XW: the function's value F
            lhs = re.sub(r"\s*\(.*\)\s*$", "", lhs)
        item = Item(f"{lhs} = {kind.rhs.strip()}", at)
        names = {n for n, _ in self.defs}
        chained = any(re.search(r"(?<![\\A-Za-z])" + re.escape(n) + r"(?![A-Za-z])", kind.rhs) for n in names if n != kind.name)
        if chained:
            self.defs = [(n, i) for n, i in self.defs if n != kind.name] + [(kind.name, item)]
        else:  # a new layer: the convention switches; what was stated for the old one goes
            cutoff = max(self.last_heading, self.last_def)
            self.shapes = {k: v for k, v in self.shapes.items() if v.at >= cutoff}
            self.sizes = {k: v for k, v in self.sizes.items() if v[1] >= cutoff}
            self.values = {k: v for k, v in self.values.items() if v.at >= cutoff}
            self.entries = {k: v for k, v in self.entries.items() if self.entries_at.get(k, -1) >= cutoff}
            if self.upstream is not None and not re.search(
                    r"(?<![A-Za-z])" + re.escape(kind.name) + r"\s*\}?\s*$", self.upstream.text):
                self.upstream = None
            self.explicit = None
            self.symmetric = {k: v for k, v in self.symmetric.items() if v >= cutoff}
            self.rows = {k: v for k, v in self.rows.items() if v >= cutoff}
            self.defs = [(kind.name, item)]
        self.last_def = at

    # ---- reading ----
    @property
    def output(self) -> str | None:
        return self.defs[-1][0] if self.defs else None

    def defined(self) -> set[str]:
        return {n for n, _ in self.defs} | set(self.values)  # entry by entry: not yet known to be whole

    def _size(self, d: str) -> int | None:
        if d.isdigit():
            return int(d)
        return self.sizes[d][0] if d in self.sizes else None

    def all_values(self) -> dict[str, Item]:
        """Matrices given whole, and those given entry by entry once every entry is known
        (their shape stated, or else read off the largest indices written)."""
        out = dict(self.values)
        for letter, ent in self.entries.items():
            if letter in out:
                continue
            shape = self.shapes.get(letter)
            dims = None
            if shape is not None:
                parts = [self._size(d.strip()) for d in shape.text.split(":", 1)[1].split(" x ")]
                dims = tuple(parts) if len(parts) == 2 and None not in parts else None
            if dims is None:
                dims = (max(i for i, _ in ent), max(j for _, j in ent))
            if all((i, j) in ent for i in range(1, dims[0] + 1) for j in range(1, dims[1] + 1)):
                rows = " \\\\ ".join(" & ".join(ent[(i, j)] for j in range(1, dims[1] + 1)) for i in range(1, dims[0] + 1))
                out[letter] = Item(f"{letter} = \\begin{{bmatrix}} {rows} \\end{{bmatrix}}", self.entries_at[letter])
        return out

    def _def_text(self, item: Item) -> str:
        """A worked example shows its bias: with matrices given, a bias term without a value goes."""
        values = self.all_values()
        if not values:
            return item.text
        split = split_relation(item.text)
        if split is None:
            return item.text
        lhs, _, rhs = split
        depth = _top_level(rhs)
        terms, pos = [], 0
        for i, c in enumerate(rhs):
            if c == "+" and depth[i] == 0:
                terms.append(rhs[pos:i])
                pos = i + 1
        terms.append(rhs[pos:])
        keep = [t for t in terms if not (re.fullmatch(r"\s*(\\mathbf\{)?([A-Za-z])\}?\s*", t)
                                         and re.fullmatch(r"\s*(\\mathbf\{)?([A-Za-z])\}?\s*", t).group(2) not in values)]
        if not keep or len(keep) == len(terms):
            return item.text
        return f"{lhs.strip()} = {' + '.join(t.strip() for t in keep)}"

    def bias_row(self) -> tuple[str, str] | None:
        got = self._bias_row()
        return None if got is None or got[0] in self.rows else got

    def _bias_row(self) -> tuple[str, str] | None:
        """An upper-case bias (A = ZW + B) whose shape nothing states: a full matrix or a row broadcast
        over the batch? The engine reads a full matrix; this project's convention (and most notes) a row.
        Returns the letter and the shape item of the row reading, when the product's columns are known."""
        if not self.defs or self.all_values():
            return None
        split = split_relation(self.defs[-1][1].text)
        if split is None:
            return None
        rhs = split[2]
        m = re.search(r"\+\s*([A-Z])\s*$", rhs)
        if not m or m.group(1) in self.shapes or (self.explicit and re.search(
                r"(?<![A-Za-z\\])" + m.group(1) + r"\s*:", self.explicit.text)):
            return None
        bias = m.group(1)
        factors = re.findall(r"(?<![\\A-Za-z_^{])([A-Z])(?![A-Za-z])", rhs[:m.start()])
        if not factors:
            return None
        last = factors[-1]
        shape = self.shapes.get(last)
        t = re.search(r"\^\s*\{?\s*(\\top|T)\b", rhs[rhs.rfind(last):m.start()])
        if shape is None:
            return None
        dims = [d.strip() for d in shape.text.split(":", 1)[1].split(" x ")]
        if len(dims) != 2:
            return None
        return bias, f"{bias}: 1 x {dims[0] if t else dims[1]}"

    def describe(self) -> tuple[str | None, dict[str, int], list[str]]:
        """The context text for the engine (None: nothing known), the sizes to pass, and the size
        names the document left without values (they get defaults and are varied)."""
        items: list[str] = []
        if self.explicit is not None:
            items.append(self.explicit.text)
        items += [v.text for v in self.all_values().values()]
        items += [v.text for v in self.shapes.values()]
        items += [f"{k} = {v}" for k, (v, _) in self.sizes.items()]
        if self.upstream is not None:
            items.append(self.upstream.text)
        row = self._bias_row()
        if row is not None and row[0] in self.rows:
            items.append(row[1])
        items += [self._def_text(i) for _, i in self.defs]
        if not items:
            return None, {}, []
        text = "; ".join(items)
        named = []
        for m in re.finditer(r"(?<![\\A-Za-z])([A-Z]|[a-z])(?![A-Za-z])", " ".join(
                re.sub(r"^[^:]*:", "", v.text) for v in self.shapes.values())):
            n = m.group(1)
            if n != "x" and n not in named:
                named.append(n)
        for m in re.finditer(r":\s*([A-Za-z0-9]+(?:\s*(?:x|\\times|×)\s*[A-Za-z0-9]+)*)", text):
            for n in re.split(r"\s*(?:\\times|×|\s+x\s+|(?<=[A-Z0-9])x(?=[A-Z0-9]))\s*", m.group(1)):
                if n and not n.isdigit() and n != "scalar" and n not in named:
                    named.append(n)
        for m in ANNOTATION.finditer(text):
            for n in (m.group(2), m.group(3)):
                if not n.isdigit() and n not in named:
                    named.append(n)
        open_ = [n for n in named if n not in self.sizes and not n.isdigit()]
        # sizes the document leaves open are the engine's to choose and vary (it says which it chose)
        return text, {}, open_

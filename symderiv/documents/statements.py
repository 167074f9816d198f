"""A math piece read once by the claim grammar: its sides (the formulas between
top-level relations), each side's tree, and what the piece is — a definition that
sets context (a layer, a size, a shape, the upstream gradient's name, a worked
example's values, entries or sizes), an assumption, a claim to judge, or something
that is not judged (an approximation, an update rule), with the reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..claims.parser import ClaimParseError, parse
from ..claims.tree import Add, Apply, Deriv, DName, MatrixLit, Mul, Neg, Num, Space, Sub, Transpose, Unsup, Var, index_parts, walk
from .spans import split_relation_all

ELLIPSES = ("\\cdots", "\\vdots", "\\ddots", "\\ldots", "\\dots", "...", "…", "⋯", "⋮")  # entries not written out
LOSS_LETTERS = ("L", "l", "E", "J", "C", "\u2113")  # letters notes use for the scalar they differentiate
INDEX_LETTERS = ("i", "j", "k", "l", "p", "q", "r", "s", "t", "u", "v", "a", "b", "c")  # a lone one: an index
SIZE_LETTERS = ("n", "m", "k", "d", "p", "q", "r", "h")  # lower-case letters notes use as sizes


@dataclass(frozen=True)
class Kind:
    """What a piece is; for a definition, what it defines."""

    what: str  # definition | assumption | claim | other | expression
    sub: str = ""  # layer | size | upstream | values | entry | shape | example | entries | function | range | index | …
    name: str = ""
    lhs: str = ""
    rhs: str = ""
    reason: str = ""  # for 'other': why it is not judged
    dims: tuple[Any, ...] = ()  # for shape and example: the sizes


@dataclass
class Side:
    text: str
    node: Any = None  # the tree of this side, None when it does not parse
    error: str | None = None


@dataclass
class Statement:
    text: str
    sides: list[Side] = field(default_factory=list)
    rels: list[str] = field(default_factory=list)

    @property
    def has_relation(self) -> bool:
        return bool(self.rels)

    def nodes(self) -> list[Any]:
        """Every node of every side (walked once: a Statement is never changed after it is read)."""
        if "_nodes" not in self.__dict__:
            self.__dict__["_nodes"] = [n for s in self.sides if s.node is not None for n in walk(s.node)]
        return self.__dict__["_nodes"]

    def letters(self) -> set[str]:
        """Every name the statement uses (a letter, a Greek name, a dW's W)."""
        if "_letters" not in self.__dict__:
            self.__dict__["_letters"] = {n.letter for n in self.nodes() if isinstance(n, (Var, DName))}
        return self.__dict__["_letters"]

    def failed(self) -> str | None:
        return next((s.error for s in self.sides if s.error), None)


def _side(text: str) -> Side:
    if not text.strip():
        return Side(text, None, "empty")
    try:
        claim = parse(text)
    except ClaimParseError as exc:
        return Side(text, None, exc.message)
    except (RecursionError, MemoryError):
        return Side(text, None, "nested too deeply to read")
    if len(claim.parts) != 1:
        return Side(text, None, "a relation inside")
    return Side(text, claim.parts[0])


@lru_cache(maxsize=65536)
def read(text: str) -> Statement:
    """The statement a piece of math makes; every side parsed by the claim grammar (once per distinct text:
    the Statement is never changed after it is read)."""
    parts, rels = split_relation_all(text)
    return Statement(text, [_side(p) for p in parts], rels)


# ---- reading trees ------------------------------------------------------------

def name_of(node: Any, numbered: frozenset[str] = frozenset()) -> tuple[str, tuple[Any, ...] | None] | None:
    """A bare name (X, \\mathbf{X}, δ, X_{N\\times D}, W_9 for a layer label read as digit 9): its name and its
    annotated shape."""
    if isinstance(node, Var):
        if node.sub is None:
            return node.letter, None
        if node.sub in numbered:
            return f"{node.letter}_{node.sub}", None
        dims = annotation(node.sub)
        if dims is not None:
            return node.letter, dims
    return None


def annotation(sub: str) -> tuple[Any, ...] | None:
    """`_{N\\times D}` → ('N', 'D'); None when the subscript is not a shape."""
    from ..claims.context import read_dims
    from ..errors import BadInput

    inner = sub.strip()
    if not any(t in inner for t in ("\\times", "×", "\\cdot")):
        return None
    try:
        return read_dims(inner.replace("\\cdot", "\\times"), "an annotation")
    except BadInput:
        return None


def shapes_written(st: Statement) -> list[tuple[str, tuple[Any, ...]]]:
    """The shapes annotated on the statement's letters (X_{N\\times D} → ('X', ('N', 'D'))), read once."""
    if "_shapes" not in st.__dict__:
        found = []
        for n in st.nodes():
            if isinstance(n, Var) and n.sub is not None:
                dims = annotation(n.sub)
                if dims is not None:
                    found.append((n.letter, dims))
        st.__dict__["_shapes"] = found
    return st.__dict__["_shapes"]


def entry_of(node: Any) -> tuple[str, tuple[str, ...]] | None:
    """x_{1,2}, y_{ij}: the letter and its index tokens."""
    if isinstance(node, Var) and node.sub is not None and annotation(node.sub) is None:
        parts = index_parts(node.sub)
        if parts and all(p.isalnum() for p in parts):
            return node.letter, tuple(parts)
    return None


def integer(node: Any) -> int | None:
    if isinstance(node, Num) and node.value.denominator == 1:
        return int(node.value)
    if isinstance(node, Neg) and isinstance(node.a, Num) and node.a.value.denominator == 1:
        return -int(node.a.value)
    return None


def is_number(node: Any) -> bool:
    return isinstance(node, Num) or (isinstance(node, Neg) and isinstance(node.a, Num))


def has_derivative(node: Any) -> bool:
    return any(isinstance(n, (Deriv, DName)) for n in walk(node))


def mentions(node: Any, letter: str, numbered: frozenset[str] = frozenset()) -> bool:
    """Whether the formula uses the name (a letter, or a numbered name W_9 standing for a layer's W)."""
    for n in walk(node):
        if isinstance(n, (Var, DName)) and (n.letter == letter or (n.sub in numbered and f"{n.letter}_{n.sub}" == letter)):
            return True
    return False


def upstream_of(node: Any) -> str | None:
    """∂L/∂Y (any loss letter): the name of Y."""
    if isinstance(node, Deriv) and isinstance(node.num, Var) and node.num.sub is None \
            and node.num.letter in LOSS_LETTERS and isinstance(node.den, Var) and node.den.sub is None:
        return node.den.letter
    return None


def matrix_kind(node: Any) -> str | None:
    """'numbers' for a matrix of numbers, 'symbols' for one of symbols (a worked example's shape)."""
    if not isinstance(node, MatrixLit):
        return None
    cells = [c for row in node.rows for c in row]
    if all(is_number(c) for c in cells):
        return "numbers"
    if not any(has_derivative(c) for c in cells):
        return "symbols"
    return None


STACKED = "a row repeated over the batch"


def stacked_row(node: Any) -> str | None:
    """The name b of a block column [b; ⋮; b] (one name repeated, rows elided with ⋮), else None."""
    if not isinstance(node, MatrixLit) or any(len(row) != 1 for row in node.rows) or len(node.rows) < 2:
        return None
    cells = [row[0] for row in node.rows]
    names = {(c.letter, c.sub) for c in cells if isinstance(c, Var)}
    dots = [c for c in cells if isinstance(c, Unsup) and "dots" in c.reason]
    if len(names) != 1 or not dots or len(dots) + sum(isinstance(c, Var) for c in cells) != len(cells):
        return None
    letter, sub = names.pop()
    return letter if sub is None else f"{letter}_{{{sub}}}"


def function_called(side: Side) -> bool:
    """Y = f(X, W), softmax(Z): a function the engine does not evaluate (σ, tanh, ReLU, g(z) it does)."""
    if side.node is None:
        return side.error is not None and "function" in side.error
    return any(isinstance(n, Unsup) and "function" in n.reason for n in walk(side.node))


def differentiated_functions(st: Statement) -> set[str]:
    """Generic functions whose derivative the statement writes (g'(z)): scalar functions, entry by entry."""
    from ..claims.functions import GENERIC

    return {n.fn for n in st.nodes() if isinstance(n, Apply) and n.fn in GENERIC and n.order > 0}


def scalar_like(node: Any) -> bool:
    """A formula that can only be a number: a norm, a sum, a trace, an inner product, or a multiple of one."""
    from ..claims.tree import Div, Frob, Norm, SumOp, Trace

    while isinstance(node, (Neg, Mul, Div)):
        if isinstance(node, Neg):
            node = node.a
        elif isinstance(node, Div):
            node = node.a
        elif is_number(node.a) or isinstance(node.a, Div):
            node = node.b
        else:
            return False
    return isinstance(node, (Norm, SumOp, Trace, Frob))


def generic_applied(st: Statement) -> bool:
    """A generic function (f, g, h) applied: read entry by entry only where its derivative g' is written."""
    from ..claims.functions import GENERIC

    return any(isinstance(n, Apply) and n.fn in GENERIC for n in st.nodes())


def added_terms(node: Any) -> list[Any]:
    """a + b − c as [a, b, −c] (the top-level sum)."""
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Add):
            stack += [n.b, n.a]
        elif isinstance(n, Sub):
            stack += [Neg(n.b), n.a]
        else:
            out.append(n)
    return out


# ---- what a statement is ------------------------------------------------------

_NOT_EQUAL = {"\\approx": "an approximation (≈)", "≈": "an approximation (≈)", "\\neq": "an inequation (≠)",
              "\\ne": "an inequation (≠)", "≠": "an inequation (≠)"}


def classify(st: Statement, defined: set[str], output: str | None, has_values: bool, in_chain: bool = False,
             numbered: frozenset[str] = frozenset()) -> Kind:
    """`defined`: names the context defines; `output`: the current output (Y); `has_values`: a worked
    example's matrices are in force; `in_chain`: the piece is one link of a longer chain (never a definition);
    `numbered`: the digits that stand for layer labels (W^{[l]} read as W_9 is a name, not an entry)."""
    if not st.rels:
        return Kind("expression")
    op = st.rels[0]
    lhs, rhs = st.sides[0], st.sides[1]
    if any(r in _NOT_EQUAL for r in st.rels):
        r = next(r for r in st.rels if r in _NOT_EQUAL)
        return Kind("other", reason=f"{_NOT_EQUAL[r]}: symderiv checks equalities")
    if any(r in ("\\mapsto", "↦") for r in st.rels):  # x ↦ f(x): a map the document names, not an equation
        return Kind("definition", "map", name_of(lhs.node)[0] if lhs.node is not None and name_of(lhs.node) else "",
                    lhs.text, st.sides[-1].text)
    if any(r in ("\\leftarrow", "\\gets", "←") for r in st.rels):
        return Kind("other", "update", reason="an assignment (←): an update step, not an equation")
    if any(r not in ("=", ":=", "\\coloneqq", "\\equiv", "\\triangleq", "\\in", "∈", "≡") for r in st.rels):
        r = next(r for r in st.rels if r not in ("=", ":=", "\\coloneqq", "\\equiv", "\\triangleq", "\\in", "∈", "≡"))
        return Kind("other", reason=f"an inequality ({r.strip()}): symderiv checks equalities")
    if op in ("\\in", "∈"):
        if rhs.node is None and "," in rhs.text:  # V ∈ ℝ^{N_o × N_h}, \quad \text{i.e. } V_{oh}: the remark after the comma
            head = rhs.text[:rhs.text.index(",")]
            if "{" not in rhs.text[len(head):] or head.count("{") == head.count("}"):
                rhs = read(head).sides[0] if head.strip() else rhs
        nm = name_of(lhs.node)
        if nm and isinstance(rhs.node, Space):
            return Kind("definition", "shape", nm[0], lhs.text, rhs.text, dims=tuple(rhs.node.dims))
        if isinstance(lhs.node, Var) and lhs.node.sub is None and lhs.node.letter.islower():
            return Kind("definition", "range", lhs.node.letter, lhs.text, rhs.text)
        if lhs.node is not None and has_derivative(lhs.node):
            return Kind("claim")
        bad = next((sd.error for sd in (lhs, rhs) if sd.node is None and sd.error), None)
        return Kind("other", reason=f"a set membership that cannot be read: {bad}" if bad
                    else "a set membership that is not a shape")
    if len(st.sides) > 2 or in_chain:
        return Kind("claim")
    if "\\begin{cases}" in rhs.text.replace(" ", ""):  # ReLU'(z) = {1 if z > 0; 0 otherwise}: a piecewise definition
        return Kind("definition", "piecewise", _call_name(lhs.text) or lhs.text.strip(), lhs.text, rhs.text)
    if isinstance(lhs.node, DName) and lhs.node.sub is None and upstream_of(rhs.node) is not None \
            and upstream_of(rhs.node).lower() == lhs.node.letter.lower():
        # dW = ∂L/∂W, dX = ∂L/∂x: the document names the gradient (code's notation), nothing to check
        return Kind("definition", "notation", "d" + lhs.node.letter, lhs.text, rhs.text)
    if isinstance(lhs.node, Var) and lhs.node.sub is None and lhs.node.letter.islower() and lhs.node.style == "plain":
        lone = rhs.node is not None and (is_number(rhs.node) or (isinstance(rhs.node, Var) and rhs.node.sub is None))
        listed = any(e in rhs.text for e in ("\\ldots", "\\dots", "\\cdots", "...", "…")) or (
            rhs.node is None and "," in rhs.text and "(" not in rhs.text)
        if (lone and integer(rhs.node) is None and lhs.node.letter in INDEX_LETTERS) or listed:
            # i = k, l = 1, …, L, h = 1 … N_h: a condition or a loop's range
            return Kind("definition", "range" if listed else "index", lhs.node.letter, lhs.text, rhs.text)
    if _index_condition(lhs.node, rhs.node):  # l+1 = L, l - 1 = 0: the range of a loop over layers, not a claim
        return Kind("definition", "index", lhs.text.strip(), lhs.text, rhs.text)
    nm = name_of(lhs.node, numbered)
    entry = None if nm is not None else entry_of(lhs.node)
    if entry and rhs.node is not None and is_number(rhs.node) and all(p.isdigit() for p in entry[1]) \
            and entry[0].upper() != output and entry[0].upper() not in defined:
        return Kind("definition", "entry", entry[0].upper(), ",".join(entry[1]), rhs.text.replace(" ", ""))
    if entry and entry[0].upper() not in defined and entry[0] not in defined \
            and entry[0].upper() != output and rhs.node is not None and not has_derivative(rhs.node) \
            and not has_derivative(lhs.node) and not is_number(rhs.node):
        # y_{ij} = Σ_k x_{ik} w_{kj} + b_j, y_1 = w_{11} x_1 + w_{12} x_2: a quantity written entry by entry
        return Kind("definition", "entries", entry[0].upper(), lhs.text, rhs.text)
    labelled = _labelled_entry(lhs.node, numbered)
    if labelled and labelled not in defined and labelled != output and rhs.node is not None \
            and not has_derivative(rhs.node) and not is_number(rhs.node) and \
            any(_labelled_entry(n, numbered) for n in walk(rhs.node)):
        # z^l_j = Σ_k w^l_{jk} a^{l-1}_k + b^l_j: layer l written entry by entry (the names carry the label)
        return Kind("definition", "entries", labelled, lhs.text, rhs.text)
    if nm is None:
        call = _call_name(lhs.text)
        if call is None:
            if op in (":=", "\\coloneqq", "\\triangleq"):  # (X W)_{ij} := …: notation the document introduces
                return Kind("definition", "notation", lhs.text.strip(), lhs.text, rhs.text)
            return Kind("claim")
        nm = (call, None)
    letter = nm[0]
    if rhs.node is None:
        if letter == "L" or (letter in LOSS_LETTERS and _call_name(lhs.text) is not None):
            return Kind("definition", "loss", letter, lhs.text, rhs.text)
        if function_called(rhs):
            return Kind("definition", "function", letter, lhs.text, rhs.text)
        return Kind("claim")
    n = integer(rhs.node)
    if n is not None and isinstance(lhs.node, Var) and lhs.node.sub is None:
        if letter[0].isupper() or letter in SIZE_LETTERS:
            return Kind("definition", "size", letter, lhs.text, str(n))
        return Kind("definition", "index", letter, lhs.text, str(n))
    if upstream_of(rhs.node) is not None:
        return Kind("definition", "upstream", letter, lhs.text, rhs.text)
    mk = matrix_kind(rhs.node)
    if mk == "numbers":
        if letter == output or (letter in defined and has_values):
            return Kind("claim")
        return Kind("definition", "values", letter, lhs.text, rhs.text)
    stacked = stacked_row(rhs.node)
    if stacked is not None:  # B = [b; ⋮; b]: the row b repeated over the batch, read as B = b broadcast
        return Kind("definition", "layer", letter, lhs.text, stacked, reason=STACKED)
    if mk == "symbols" and any(e in rhs.text for e in ELLIPSES):  # (x_1, …, x_n): n entries, not the ones written
        return Kind("definition", "ellipsis", letter, lhs.text, rhs.text)
    if mk == "symbols" and letter not in defined and letter != output:
        rows = rhs.node.rows
        return Kind("definition", "example", letter, lhs.text, rhs.text, dims=(len(rows), len(rows[0])))
    if letter in LOSS_LETTERS and _call_name(rhs.text) == letter and isinstance(lhs.node, Var) and lhs.node.sub is None:
        return Kind("definition", "loss", letter, lhs.text, rhs.text)  # L = L(a): the loss, a function of a
    if mentions(rhs.node, letter, numbered):
        if isinstance(rhs.node, Transpose) and name_of(rhs.node.a) and name_of(rhs.node.a)[0] == letter:
            return Kind("assumption", "symmetric", letter, lhs.text, rhs.text)
        return Kind("other", "update", letter, reason="the same name on both sides: an update or an assignment, "
                    "not an equation")
    if has_derivative(rhs.node):
        return Kind("claim")
    if letter == "L" or (letter in LOSS_LETTERS and (scalar_like(rhs.node) or _call_name(lhs.text) is not None)):
        return Kind("definition", "loss", letter, lhs.text, rhs.text)
    if any(isinstance(n, Mul) and n.op == "*" for n in walk(rhs.node)):  # a * W: a convolution, in CNN notes
        return Kind("definition", "function", letter, lhs.text, rhs.text,
                    reason="* between two arrays may be a convolution")
    if function_called(rhs):
        return Kind("definition", "function", letter, lhs.text, rhs.text)
    if letter == output and has_values:
        return Kind("claim")
    return Kind("definition", "layer", letter, lhs.text, rhs.text)


def _labelled_entry(node: Any, numbered: frozenset[str]) -> str | None:
    """(z_9)_{j}, an entry of a name that carries a layer label: the name (z_9)."""
    from ..claims.tree import At

    if isinstance(node, At) and isinstance(node.a, Var) and node.a.sub in numbered:
        parts = index_parts(node.sub.strip("{} "))
        if parts and all(p.isalpha() for p in parts):
            return f"{node.a.letter}_{node.a.sub}"
    return None


def _index_condition(lhs: Any, rhs: Any) -> bool:
    """Both sides sums of index letters and whole numbers, with a number or the pair l, L in them (l+1 = L)."""
    letters: set[str] = set()
    numbers = 0

    def ok(node: Any) -> bool:
        nonlocal numbers
        if isinstance(node, (Add, Sub)):
            return ok(node.a) and ok(node.b)
        if isinstance(node, Neg):
            return ok(node.a)
        if isinstance(node, Num):
            numbers += node.value.denominator == 1
            return node.value.denominator == 1
        if isinstance(node, Var) and node.sub is None and node.style == "plain" and \
                (node.letter in INDEX_LETTERS or node.letter in ("L", "K", "N")):
            letters.add(node.letter)
            return True
        return False

    if lhs is None or rhs is None or not (ok(lhs) and ok(rhs)) or not letters & set(INDEX_LETTERS):
        return False
    return numbers > 0 and (isinstance(lhs, (Add, Sub)) or isinstance(rhs, (Add, Sub))) or {"l", "L"} <= letters


@lru_cache(maxsize=1)
def _lexer() -> Any:
    """The claim grammar's own lexer (the one `parse` uses, without the parser's context), built once."""
    from ..claims.parser import _parser

    return _parser()._build_lexer()


@lru_cache(maxsize=65536)
def _tokens_of(text: str) -> tuple[Any, ...]:
    from lark.lexer import LexerThread

    from ..claims.parser import pair_norm_bars

    try:  # ||a||: the norm bars paired as the parser pairs them (same length: positions are the text's)
        return tuple(t for t in LexerThread.from_text(_lexer(), pair_norm_bars(text)).lex(None)
                     if t.type not in ("WS", "SPACING"))
    except Exception:  # noqa: BLE001 - lark raises several kinds; any of them means "no tokens"
        return ()


def _tokens(text: str) -> list[Any]:
    """The grammar's tokens of a text (empty when it does not lex)."""
    return list(_tokens_of(text))


def splice(text: str, edits: list[tuple[int, int, str]]) -> str:
    """The text with each (start, end, new) in order put in place of text[start:end]; an edit that overlaps an
    earlier one is skipped (the rewrites that read a text through its tokens make their edits this way)."""
    out, pos = [], 0
    for start, end, new in edits:
        if start < pos:
            continue
        out.append(text[pos:start] + new)
        pos = end
    return "".join(out) + text[pos:] if out else text


def _call_name(lhs: str) -> str | None:
    """F(W), L(x): a function's value named with its arguments, read from the grammar's tokens."""
    toks = _tokens(lhs)
    if len(toks) >= 3 and toks[0].type == "LETTER" and toks[1].type == "LPAR" and toks[-1].type == "RPAR":
        return str(toks[0])
    return None

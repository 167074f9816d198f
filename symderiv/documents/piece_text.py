"""What a piece of a document's math needs before it is judged, as text: Markdown's escapes undone, macro
definitions blanked, the letters a claim uses that the document never defines, a letter renamed (the
loss read as L), and a matrix display's cells (for pointing at a wrong entry)."""

from __future__ import annotations

import re

from .macros import find_definitions
from .statements import Statement, read


def unescape_markdown(content: str) -> str:
    r"""Math written for a Markdown page that escapes for the Markdown first: `\_` is `_`, `\*` is `*`, and
    `\\\\` is the row break `\\` (same length: positions are kept)."""
    if "\\" not in content:
        return content
    return content.replace("\\\\\\\\", "\\\\  ").replace("\\_", " _").replace("\\*", " *")


_ALWAYS = {"L", "I", "T", "e", "G"}  # the loss, the identity, the upstream gradient the engine names G


def undefined_letters(st: Statement, context: str | None, numbered: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The letters a claim uses that the document never defines, shapes or names (ŷ, y in ∂L/∂W = (ŷ − y) aᵀ with
    no loss written): their sizes and values would be symderiv's guesses. δ with a layer label (δ^L, a digit in
    `numbered`) that no definition replaced is such a name too: a layer's error, not Kronecker's δ."""
    out = _undefined(st, context)
    if "δ" not in out and any(getattr(n, "letter", None) == "delta" and getattr(n, "sub", None) in numbered
                              for n in st.nodes()):
        out += ("δ",)
    return out


def _undefined(st: Statement, context: str | None) -> tuple[str, ...]:
    from .spans import split_items

    known = set(_ALWAYS)
    for item in split_items(context or ""):
        head, _, tail = item.partition(":")
        known.add(head.strip())
        known |= read(item if _ else item).letters()
        if _:  # X: N x D: the sizes a shape names are defined (1/N is read as N's value)
            known |= {d for d in re.split(r"\s*(?:\bx\b|×|\\times)\s*", tail.strip()) if re.fullmatch(r"[A-Za-z]", d)}
    known |= {k.lower() for k in known} | {k.upper() for k in known}
    from ..claims.tree import Deriv

    dens = {n.den.letter for n in st.nodes() if isinstance(n, Deriv) and hasattr(n.den, "letter")}
    if not (st.letters() & known) - _ALWAYS:
        return ()  # an identity about letters of its own (∇ xᵀAx = 2Ax): true for all of them, or false
    return tuple(sorted(x for x in st.letters() - known if x not in dens and len(x) <= 8))


def rename_letter(text: str, old: str, new: str) -> str:
    """The text with the letter `old` (a grammar token of its own, not inside a subscript) read as `new`."""
    from .statements import _tokens, splice

    return splice(text, [(t.start_pos, t.start_pos + len(old), new) for t in _tokens(text)
                         if t.type == "LETTER" and str(t) == old and t.start_pos is not None])


_DEFINES = ("\\newcommand", "\\renewcommand", "\\providecommand", "\\DeclareMathOperator", "\\def", "\\gdef", "\\let",
            "\\DeclareRobustCommand")


def _blank_definitions(content: str) -> str:
    """Macro definitions inside a math span (MathJax pages put them there) are not formulas."""
    if "\\" not in content or not any(d in content for d in _DEFINES):
        return content
    s = content
    for d in find_definitions(content):
        start = d.offset
        body = d.body
        k = content.find(body, start)
        if k < 0:
            continue
        end = k + len(body) + (1 if content[k + len(body):k + len(body) + 1] == "}" else 0)
        s = s[:start] + " " * (end - start) + s[end:]
    return s


_MATRIX = re.compile(r"\\begin\s*\{([pbBvV]?matrix|array)\}(\{[^{}]*\})?")


def _cells(src: str, start: int, end: int) -> list[list[tuple[int, int]]] | None:
    """The cells of the one matrix display in src[start:end], as file offsets, row by row."""
    found = list(_MATRIX.finditer(src, start, end))
    if len(found) != 1:
        return None
    m = found[0]
    close = src.find("\\end{" + m.group(1) + "}", m.end(), end)
    if close < 0:
        return None
    rows: list[list[tuple[int, int]]] = [[]]
    depth, cell = 0, m.end()
    i = m.end()
    while i < close:
        c = src[i]
        if c == "\\" and src.startswith("\\\\", i) and depth == 0:
            rows[-1].append((cell, i))
            rows.append([])
            cell = i + 2
            i += 2
            continue
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "&" and depth == 0:
            rows[-1].append((cell, i))
            cell = i + 1
        i += 1
    rows[-1].append((cell, close))
    rows = [r for r in rows if any(src[a:b].strip() for a, b in r)]
    return rows or None



def ellipsis_length(node: object) -> tuple[object, ...] | None:
    """(x_1; x_2; …; x_n) → ('n', 1); (x_1, …, x_n) as a row → (1, 'n'): the size its last entry names."""
    from ..claims.tree import MatrixLit, Var

    if not isinstance(node, MatrixLit) or not node.rows:
        return None
    column = all(len(r) == 1 for r in node.rows)
    cells = [r[0] for r in node.rows] if column else list(node.rows[0]) if len(node.rows) == 1 else []
    last = cells[-1] if cells else None
    if not (isinstance(last, Var) and last.sub is not None and last.sub.isalpha() and len(last.sub) == 1):
        return None
    return (last.sub, 1) if column else (1, last.sub)

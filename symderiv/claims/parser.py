"""Claim text → claim tree, with the grammar in claim.lark (LALR, never eval).

The parser is iterative (LALR with the tree built at each reduction), the text
and the tree depth are capped, and every failure is a `ClaimParseError` with
a line and a column."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from lark import Lark
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from ..errors import long_number
from .build import Build
from .tree import Claim, depth

MAX_CHARS = 20_000
MAX_DEPTH = 150

_NAMES = {
    "REL": "'='", "PLUS": "'+'", "MINUS": "'-'", "MULOP": "a product sign", "SLASH": "'/'", "SUB": "a subscript",
    "SUP": "a superscript", "LETTER": "a letter", "NUMBER": "a number", "RPAR": "')'", "RBRACE": "'}'",
    "LPAR": "'('", "LBRACE": "'{'", "RSQB": "']'", "COMMA": "','", "RANGLE": "'⟩'", "END": "\\end{…}",
    "$END": "the end", "AMP": "'&'", "ROWSEP": "'\\\\'",
}


class ClaimParseError(Exception):
    """The text is not a formula of the claim language; line and column are 1-based."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        where = (f"line {line}" + (f", column {column}" if column is not None else "") + ": ") if line is not None else ""
        super().__init__(where + message)
        self.message = message
        self.line = line
        self.column = column


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = (Path(__file__).parent / "claim.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer="contextual", transformer=_BUILD, maybe_placeholders=False)


_BUILD = Build()  # one instance; its per-parse state is reset before every parse


def _describe(token_type: str) -> str:
    return _NAMES.get(token_type, token_type.lower())


_FORALL = re.compile(r"(\\q?quad|\\[,;: ]|[,\s])*(\\forall|\\text\s*\{\s*for\s+(all|every|each)\s*\})"
                     r"\s*[A-Za-z](\s*,\s*[A-Za-z])*\s*[.,]?\s*$")


_EQNUM = re.compile(r"(\\q?quad|\\hfill|\s{2,})\s*\(\s*[0-9]+(\.[0-9]+)*[a-z]?\s*\)\s*$")


def clean(text: str) -> str:
    """Drop what surrounds a formula in notes: $…$, \\[…\\], a final full stop or comma."""
    s = text.strip()
    while True:
        before = s
        s = s.strip("$").strip()
        for a, b in (("\\[", "\\]"), ("\\(", "\\)")):
            if s.startswith(a) and s.endswith(b):
                s = s[2:-2].strip()
        while s and s[-1] in ".,;" and not s.endswith(".T"):
            s = s[:-1].rstrip()
        s = _FORALL.sub("", s).rstrip()  # free indices are quantified over all values anyway
        s = _EQNUM.sub("", s).rstrip()  # `… \quad (3)`: an equation number, not a factor 3
        if s == before:
            return s


_BARS = re.compile(r"\\\||\|\||‖|\\Vert(?![A-Za-z])")


def pair_norm_bars(s: str) -> str:
    """‖a‖, \\|a\\| and ||a|| use one symbol on both sides; mark them opening and closing
    in turn (same length, so error columns stay right)."""
    count = 0

    def repl(m: re.Match) -> str:
        nonlocal count
        count += 1
        mark = "⟦" if count % 2 else "⟧"
        return mark + " " * (len(m.group(0)) - 1)

    return _NORM_SUB_AFTER.sub(lambda m: m.group(1) + m.group(4) + m.group(3) + m.group(2), _BARS.sub(repl, s))


# ‖X‖^2_F is ‖X‖_F^2; the same characters in the usual order (error columns stay right)
_NORM_SUB_AFTER = re.compile(r"(⟧\s*)(\^\s*(?:\{\s*2\s*\}|2))(\s*)(_\s*(?:\{\s*[F2]\s*\}|[F2]))")
# code-style names: grad_W, dL_dW, grad_Y are ∂L/∂W, ∂L/∂Y (dW, dY), padded to keep columns
_CODE_GRAD = re.compile(r"(?<![\\A-Za-z0-9_])(grad_|dL_d)([A-Za-z])(?![A-Za-z0-9_])")


def code_names(s: str) -> str:
    return _CODE_GRAD.sub(lambda m: " " * (len(m.group(1)) - 1) + "d" + m.group(2), s)


# plain TeX's font switches around one letter: {\cal C} is the letter C (a cost, in older notes), {\bf x} bold
_OLD_FONT = re.compile(r"\{\s*\\(cal|bf|bm)\s+([A-Za-z])\s*\}")


def old_fonts(s: str) -> str:
    """`{\\cal C}` → `C`, `{\\bf x}` → `\\bm{x}`, padded to the same length (error columns stay right)."""
    def repl(m: re.Match) -> str:
        new = m.group(2) if m.group(1) == "cal" else f"\\bm{{{m.group(2)}}}"
        return new + " " * (len(m.group(0)) - len(new))

    return _OLD_FONT.sub(repl, s)


_ENV = r"(aligned|align\*?|split|eqnarray\*?|equation\*?|gathered|gather\*?|multline\*?)"
_ALIGN = re.compile(r"\\(begin|end)\s*\{\s*" + _ENV + r"\s*\}")
_MATRIX = re.compile(r"\\(begin|end)\s*\{\s*[a-zA-Z]*matrix\*?\s*\}")


def flatten_aligned(s: str) -> str:
    """An aligned derivation (rows `&= …` separated by `\\\\`) as one chain a = b = c.
    Markers become spaces of the same length, so error columns stay right. Rows that
    start a new equation (not with `=`) are several claims: an error."""
    if not _ALIGN.search(s):
        return s
    out = list(_ALIGN.sub(lambda m: " " * len(m.group(0)), s))
    depth, i, breaks = 0, 0, [0]
    while i < len(s):
        m = _MATRIX.match(s, i)
        if m:
            depth += 1 if m.group(1) == "begin" else -1
            i = m.end()
            continue
        if depth == 0 and s.startswith("\\\\", i):
            out[i] = out[i + 1] = " "
            breaks.append(i + 2)
            i += 2
            continue
        if depth == 0 and s[i] == "&":
            out[i] = " "
        i += 1
    flat = "".join(out)
    for b in breaks[1:]:
        row = re.sub(r"\\(nonumber|notag|q?quad)|\\[,;!: ]", " ", flat[b:]).lstrip()
        if row and not row.startswith(("=", "\\equiv")):
            line = s.count("\n", 0, b) + 1
            raise ClaimParseError("several equations in one aligned block; check them one at a time", line, None)
    return flat




def parse(text: str) -> Claim:
    """Parse a claim (or any formula); raise ClaimParseError on malformed text."""
    if len(text) > MAX_CHARS:
        raise ClaimParseError(f"the claim is {len(text)} characters long; the limit is {MAX_CHARS}")
    s = pair_norm_bars(code_names(old_fonts(flatten_aligned(clean(text)))))
    if not s:
        raise ClaimParseError("the claim is empty")
    too_long = long_number(s)  # read as text and refused: no int conversion limit, no overflow further on
    if too_long:
        raise ClaimParseError(too_long)
    _BUILD._paren.clear()
    _BUILD._bold.clear()
    try:
        tree = _parser().parse(s)
    except UnexpectedCharacters as exc:
        raise ClaimParseError(f"unexpected character {s[exc.pos_in_stream]!r}", exc.line, exc.column) from None
    except UnexpectedToken as exc:
        tok = exc.token
        if tok.type == "$END":
            raise ClaimParseError("the formula ends too early", exc.line if exc.line > 0 else None,
                                  exc.column if exc.column > 0 else None) from None
        expected = sorted({_describe(t) for t in exc.expected if not t.startswith("__")})[:6]
        hint = f" (expected {', '.join(expected)})" if expected else ""
        raise ClaimParseError(f"unexpected {str(tok)!r}{hint}", exc.line, exc.column) from None
    except UnexpectedEOF:
        raise ClaimParseError("the formula ends too early") from None
    except UnexpectedInput as exc:  # pragma: no cover - the cases above cover lark's kinds
        raise ClaimParseError(str(exc).splitlines()[0], getattr(exc, "line", None), getattr(exc, "column", None)) from None
    except LarkError as exc:
        raise ClaimParseError(f"cannot read the formula: {type(exc).__name__}") from None
    except RecursionError:
        raise ClaimParseError(f"the formula is nested too deeply (limit {MAX_DEPTH})") from None
    d = depth(tree)
    if d > MAX_DEPTH:
        raise ClaimParseError(f"the formula is nested {d} levels deep; the limit is {MAX_DEPTH}")
    return tree

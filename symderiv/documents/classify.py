"""What a span is: a definition (it sets context: `A = ZW`, `F(W) = XW`, `N = 2`,
`G = ∂L/∂Y`, a worked example's matrix), an assumption (`A = A^\\top`), a claim
(an equality or chain to judge) or neither (a lone expression, an update rule,
a set membership)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .spans import RELATION, _top_level

_DECOR = r"(?:\\(?:mathbf|boldsymbol|bm|mathcal|hat|tilde|bar|mathrm)\s*\{\s*)?"
_LETTER = r"([A-Za-z]|\\(?:delta|Delta|ell|alpha|beta|gamma|theta|sigma|phi|psi|Theta|Phi|Psi))"
_ANNOT = r"(_\{\s*[A-Za-z0-9]+\s*(?:\\times|×|x|\\cdot)\s*[A-Za-z0-9]+\s*\})?"
NAME = re.compile(r"\s*" + _DECOR + _LETTER + r"\s*\}?\s*" + _ANNOT + r"\s*(\(\s*[^()]*\))?\s*$")
_INT = re.compile(r"\s*[0-9]+\s*$")
_UPSTREAM = re.compile(
    r"\s*(\\frac\s*\{\s*(\\partial|d)\s*(L|\\ell|\\mathcal\s*\{\s*L\s*\})\s*\}\s*\{\s*(\\partial|d)\s*([A-Za-z])\s*\}"
    r"|(\\partial|d)\s*L\s*/\s*(\\partial|d)\s*([A-Za-z])|\\nabla_\{?\s*([A-Za-z])\s*\}?\s*L)\s*$")
_NUMERIC_MATRIX = re.compile(r"\s*\\begin\{[pbBvV]?matrix\}[\s0-9.,&\\+\-]*\\end\{[pbBvV]?matrix\}\s*$")
_FUNCALL = re.compile(r"^\s*[a-z]\s*\(")
_DERIV = re.compile(r"\\partial|\\nabla|\\frac\s*\{\s*d|\bd[A-Z]\b|/\s*d")
_ENTRY = re.compile(r"\s*([a-z])_\{?\s*([1-9])\s*,?\s*([1-9])\s*\}?\s*$")
_NUMBER = re.compile(r"\s*-?\s*[0-9]+\s*$")
_MEMBER = re.compile(r"\s*\\in\s*\\mathbb\s*\{?\s*R\s*\}?\s*\^")


_DECORATED = re.compile(r"\\(?:mathbf|boldsymbol|bm|mathrm|mathit|mathcal)\s*\{\s*([A-Za-z])\s*\}")


def plain(text: str) -> str:
    """Decorations dropped, for recognising forms: \\mathbf{X} → X, \\mathcal{L} → L, \\ell → L."""
    return re.sub(r"\\ell\b", "L", _DECORATED.sub(r"\1", text))


@dataclass
class Kind:
    """What a piece is; for a definition, what it defines."""

    what: str  # definition | assumption | claim | neither
    sub: str = ""  # layer | size | upstream | values | shape | function | restated
    name: str = ""
    lhs: str = ""
    rhs: str = ""


def split_relation(text: str) -> tuple[str, str, str] | None:
    depth = _top_level(text)
    for m in RELATION.finditer(text):
        if depth[m.start()] == 0:
            return text[:m.start()], m.group(0), text[m.end():]
    return None


def name_of(lhs: str) -> tuple[str, str | None, str | None] | None:
    """The letter a bare name stands for, its size annotation, its argument list."""
    m = NAME.match(lhs)
    if not m:
        return None
    return m.group(1), m.group(2), m.group(3)


def _mentions(rhs: str, letter: str) -> bool:
    if letter.startswith("\\"):
        return re.search(re.escape(letter) + r"(?![A-Za-z])", rhs) is not None
    return re.search(r"(?<![\\A-Za-z])" + letter + r"(?![A-Za-z])", rhs) is not None


def classify(text: str, defined: set[str], output: str | None, has_values: bool) -> Kind:
    """`defined`: names the context defines; `output`: the current output (Y)."""
    rel = split_relation(text)
    if rel is None:
        return Kind("neither")
    lhs, op, rhs = rel
    nm = name_of(lhs)
    entry = _ENTRY.match(lhs)
    if op == "=" and entry and _NUMBER.match(rhs) and entry.group(1).upper() != output \
            and entry.group(1).upper() not in defined:  # x_{1,2} = 3: a worked example, entry by entry
        return Kind("definition", "entry", entry.group(1).upper(), f"{entry.group(2)},{entry.group(3)}",
                    rhs.replace(" ", ""))
    if op == "\\in":
        if nm and _MEMBER.match(op + rhs):
            return Kind("definition", "shape", nm[0], lhs, rhs)
        return Kind("claim") if _DERIV.search(lhs) else Kind("neither")
    if op == "\\coloneqq" and nm:
        op = "="
    if op != "=" or nm is None:
        return Kind("claim") if op in ("=", "\\equiv") else Kind("neither")
    letter, _annot, args = nm
    if split_relation(rhs) is not None:  # a chain: Y = XW + b = …
        return Kind("claim")
    if _INT.match(rhs):
        if letter[0].isupper() or letter in ("n", "m", "k", "d"):
            return Kind("definition", "size", letter, lhs, rhs.strip())
        return Kind("neither")
    up = _UPSTREAM.match(plain(rhs))
    if up:
        return Kind("definition", "upstream", letter, lhs, rhs)
    if _NUMERIC_MATRIX.match(rhs):
        if letter == output or (letter in defined and has_values):
            return Kind("claim")
        return Kind("definition", "values", letter, lhs, rhs)
    if _mentions(rhs, letter):
        if re.fullmatch(r"\s*" + re.escape(letter) + r"\s*\^\s*\{?\s*(\\top|T|\\intercal)\s*\}?\s*", rhs):
            return Kind("assumption", "symmetric", letter, lhs, rhs)
        return Kind("neither")  # an update rule W = W - η ∂L/∂W
    if _DERIV.search(rhs):
        return Kind("claim")
    if _FUNCALL.match(rhs):
        return Kind("definition", "function", letter, lhs, rhs)
    if letter == output and has_values:
        return Kind("claim")
    return Kind("definition", "layer", letter, lhs, rhs)

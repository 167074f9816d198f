"""What a reader finds in a document, in order: math spans (verbatim, with their
offset), broken spans, headings, and `symderiv:` directives in comments."""

from __future__ import annotations

import re
from dataclasses import dataclass

DIRECTIVE = re.compile(r"symderiv:\s*(ignore-next|ignore|context)\b\s*(.*?)\s*(?:-->|$)")


@dataclass
class Math:
    content: str  # the math without its delimiters, exactly as in the file
    start: int  # file offset of content[0]
    env: str | None = None  # align, equation, … (None for $…$ and friends)
    display: bool = False


@dataclass
class Broken:
    start: int
    end: int
    reason: str


@dataclass
class Heading:
    start: int


@dataclass
class Directive:
    what: str  # context | ignore | ignore-next
    text: str
    start: int


Event = Math | Broken | Heading | Directive


# "with N = 3, D = 2, K = 4" in prose: sizes stated in words (upper-case letters, or m, n, k, d)
PROSE_SIZE = re.compile(r"(?<![A-Za-z\\_^{])([A-Z]|[mnkd])\s*=\s*([1-9][0-9]?)(?![0-9.,]?[0-9])")


def prose_sizes(text: str, start: int) -> list[Directive]:
    return [Directive("size", f"{m.group(1)}={m.group(2)}", start + m.start()) for m in PROSE_SIZE.finditer(text)]


def directives(comment: str, start: int) -> list[Directive]:
    out = []
    for m in DIRECTIVE.finditer(comment):
        out.append(Directive(m.group(1), m.group(2), start + m.start()))
    return out

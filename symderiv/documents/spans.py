"""Split one math span into the claims it holds: rows of an aligned display
(`\\\\`, with `&=` rows continuing a chain), equations side by side (`\\qquad`,
`\\quad`, `,`, `;`, `\\text{and}`, `\\hspace`), and the claim each
`\\underbrace{…}_{label}` makes, each with its place in the file."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import read_group

RELATION = re.compile(r":=|(?<![\\:])=|\\equiv\b|\\in\b|\\coloneqq\b|\\triangleq\b|\\approx\b|\\simeq\b|\\propto\b|\\neq?\b"
                      r"|\\leq?(slant)?\b|\\geq?(slant)?\b|(?<![\\{])[<>]|[≤≥≈≠∈≡←]|\\leftarrow\b|\\gets\b|\\mapsto\b|↦")
_TRANSPARENT = re.compile(r"\\(begin|end)\s*\{\s*(aligned|split|gathered|alignedat|eqnarray\*?|align\*?|gather\*?|multline\*?"
                          r"|equation\*?|flalign\*?|alignat\*?|subequations|displaymath|math)\s*\}(\{[0-9]+\})?")
_DROP = re.compile(r"\\(label|tag\*?)\s*\{[^{}]*\}|\\(nonumber|notag|displaystyle|textstyle)\b")
_SEP = re.compile(r"\\(Longrightarrow|Rightarrow|implies|iff|Leftrightarrow|Longleftrightarrow|therefore|because)\b|[⟹⇒⟺⇔∴]"
                  r"|\\qquad\b|\\quad\b|\\(text|mbox|textrm)\s*\{\s*,?\s*(and|or)?\s*,?\s*\}|\\hspace\*?\s*\{[^{}]*\}|(?<!\\)[,;]")
_LEAD = re.compile(r"\s*\\(text|mbox|textrm|mathrm)\s*\{([^{}]*)\}\s*")
_WHERE = ("where", "with", "here", "and where", ", where", "and")
_ROW_SPACING = re.compile(r"\*?\s*\[\s*-?[0-9.]*\s*(ex|em|pt|mm|cm|in|mu|bp|pc)?\s*\]|\*")
_ROW_ENVS = ("align", "align*", "gather", "gather*", "multline", "multline*", "eqnarray", "eqnarray*", "flalign", "flalign*",
             "alignat", "alignat*")


@dataclass
class Piece:
    """One claim: its text for the engine, and its offsets (start, end) in the file."""

    text: str
    start: int
    end: int
    label_of: str | None = None  # for an underbrace claim: the label
    link: bool = False  # one link of a chain written over several rows (never a definition)
    continues: bool = False  # starts with a relation: continues the chain of the span above


def _blank(m: re.Match[str]) -> str:
    return " " * (m.end() - m.start())


def _top_level(s: str) -> list[int]:
    """The brace/bracket/environment depth before each character of s."""
    depth = 0
    out = []
    i = 0
    env = re.compile(r"\\(begin|end)\s*\{[^{}]*\}")
    while i < len(s):
        m = env.match(s, i) if s[i] == "\\" else None
        if m:
            if m.group(1) == "end":
                depth = max(depth - 1, 0)
            out.extend([depth] * (m.end() - i))
            if m.group(1) == "begin":
                depth += 1
            i = m.end()
            continue
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            if s[i + 1] in "{}()[]":  # \{ \left( \[ …: a delimiter, not a group
                out.extend([depth, depth])
                i += 2
                continue
        if c in "{([":
            out.append(depth)
            depth += 1
        elif c in "})]":
            depth = max(depth - 1, 0)
            out.append(depth)
        else:
            out.append(depth)
        i += 1
    return out


def has_relation(s: str) -> bool:
    depth = _top_level(s)
    return any(depth[m.start()] == 0 for m in RELATION.finditer(s))


def split_relation_all(s: str) -> tuple[list[str], list[str]]:
    """The formulas between the top-level relations of s, and the relations (`a = b \\approx c`)."""
    depth = _top_level(s)
    parts, rels, pos = [], [], 0
    for m in RELATION.finditer(s):
        if depth[m.start()] == 0:
            parts.append(s[pos:m.start()])
            rels.append(m.group(0).strip())
            pos = m.end()
    parts.append(s[pos:])
    return parts, rels


def _split_top(s: str, sep: str) -> list[str]:
    """s cut at every `sep` outside braces, brackets and environments."""
    depth = _top_level(s)
    out, pos = [], 0
    for i, c in enumerate(s):
        if c == sep and depth[i] == 0:
            out.append(s[pos:i])
            pos = i + 1
    out.append(s[pos:])
    return out


def split_items(s: str) -> list[str]:
    """A context text's items (separated by `;` at the top level)."""
    return [x.strip() for x in _split_top(s, ";") if x.strip()]


def top_level_terms(s: str) -> list[str]:
    """The summands of s at its top level (split at `+`)."""
    return _split_top(s, "+")


def _segments(s: str, start: int, end: int, depth: list[int]) -> list[tuple[int, int]]:
    """Split s[start:end] at top-level separators."""
    cuts: list[tuple[int, int]] = []
    for m in _SEP.finditer(s, start, end):
        if depth[m.start()] == 0:
            cuts.append((m.start(), m.end()))
    out = []
    pos = start
    for a, b in cuts:
        out.append((pos, a))
        pos = b
    out.append((pos, end))
    return out


def _trim(s: str, a: int, b: int) -> tuple[int, int]:
    while a < b and s[a] in " \t\n":
        a += 1
    while b > a and s[b - 1] in " \t\n.,;":
        b -= 1
    return a, b


def split(content: str, base: int, env: str | None = None) -> list[Piece]:
    """The claims of one span. `content` is the math without its delimiters, found at file offset `base`.
    An environment inside the span (`$$\\begin{align}…\\end{align}$$`) is read as the span's own."""
    inner = _TRANSPARENT.search(content)
    if env is None and inner is not None and inner.group(1) == "begin":
        env = inner.group(2)
    s = _TRANSPARENT.sub(_blank, content)
    s = _DROP.sub(_blank, s)
    depth = _top_level(s)
    rows_env = env in _ROW_ENVS or "&" in s or "\\\\" in s
    rows: list[tuple[int, int]] = []
    pos = 0
    if rows_env:
        i = 0
        while i < len(s):
            if s.startswith("\\\\", i) and depth[i] == 0:
                rows.append((pos, i))
                pos = i + 2
                skip = _ROW_SPACING.match(s, pos)  # \\[1ex], \\*: the row break's spacing is not math
                if skip:
                    pos = skip.end()
                i = max(i + 2, pos)
                continue
            i += 1
    rows.append((pos, len(s)))
    s = "".join(" " if (c == "&" and depth[i] == 0 and (i == 0 or s[i - 1] != "\\")) else c for i, c in enumerate(s))
    gather = env is not None and env.startswith("gather")
    # group rows into chains: a row that starts with a relation continues the chain above
    chains: list[list[tuple[int, int]]] = []
    for a, b in rows:
        a, b = _trim(s, a, b)
        if a >= b:
            continue
        starts_rel = RELATION.match(s, a) is not None
        if chains and starts_rel and not gather:
            chains[-1].append((a, b))
        elif chains and not has_relation(s[a:b]) and not gather:
            chains[-1].append((a, b))  # a continuation line (multline) without its own relation
        else:
            chains.append([(a, b)])
    pieces: list[Piece] = []
    for chain in chains:
        # split each chain's text at side-by-side separators; parts without a relation stay attached
        parts: list[list[tuple[int, int]]] = []
        for a, b in chain:
            for x, y in _segments(s, a, b, depth):
                x, y = _trim(s, x, y)
                if x >= y:
                    continue
                text = s[x:y]
                lead = _LEAD.match(text)
                if lead and lead.group(2).strip().lower() in _WHERE:  # "…, where G = ∂L/∂Y": a claim of its own
                    x, text = x + lead.end(), text[lead.end():]
                    lead = None
                if parts and (not has_relation(text) or RELATION.match(text) or (a, b) != chain[0] and x == a
                              or lead is not None):  # "\quad \text{for all i}", "\text{if } N = 1": a condition
                    parts[-1].append((x, y))
                else:
                    parts.append([(x, y)])
        for segs in parts:
            pieces.extend(_links(s, segs, base))
    if pieces and RELATION.match(s, _trim(s, 0, len(s))[0]) is not None and pieces[0].start == base + _trim(s, 0, len(s))[0]:
        pieces[0].continues = True
    pieces.extend(underbraces(content, base))
    return pieces


def _links(s: str, segs: list[tuple[int, int]], base: int) -> list[Piece]:
    """One claim's segments as pieces: the whole, or, when rows continue it (`&= …`), one piece per row, each
    the chain's first side equal to that row's formula, so that every step is reported at its own line."""
    groups: list[list[tuple[int, int]]] = [[]]
    for seg in segs:
        if groups[-1] and RELATION.match(s, seg[0]) is not None:
            groups.append([])
        groups[-1].append(seg)
    if len(groups) == 1:
        return [Piece(_rejoin(s, segs), base + segs[0][0], base + segs[-1][1])]
    out, first = [], None
    for g in groups:
        text = _rejoin(s, g)
        if first is not None:
            text = first + " " + text  # each row is compared with what the chain is about (its first side)
        else:
            first = split_relation_all(text)[0][0]
        out.append(Piece(text, base + g[0][0], base + g[-1][1], link=True))
    return out


def _rejoin(s: str, segs: list[tuple[int, int]]) -> str:
    """The attached segments as one text; row breaks between them become spaces."""
    out = s[segs[0][0]:segs[0][1]]
    for (_, b0), (a1, b1) in zip(segs, segs[1:]):
        gap = s[b0:a1]
        gap = gap.replace("\\\\", " ")
        out += gap + s[a1:b1]
    return out


_BRACE = re.compile(r"\\(underbrace|overbrace)\s*")


def underbraces(content: str, base: int) -> list[Piece]:
    """`\\underbrace{A}_{B}` (or `\\overbrace{A}^{B}`) claims A = B, unless B is prose."""
    out = []
    for m in _BRACE.finditer(content):
        g = read_group(content, m.end())
        if g is None:
            continue
        inner, j = g
        while j < len(content) and content[j] == " ":
            j += 1
        if j >= len(content) or content[j] not in "_^":
            continue
        j += 1
        while j < len(content) and content[j] == " ":
            j += 1
        lab = read_group(content, j)
        if lab is None:
            label, end = content[j:j + 1], j + 1
        else:
            label, end = lab
        if not label.strip() or re.match(r"\s*\\(text|mbox|textrm|mathrm)\b", label) or has_relation(label):
            continue
        out.append(Piece(f"{inner} = {label}", base + m.start(), base + end, label_of=label))
    return out

"""Math in LaTeX, found by pylatexenc's walker: `$…$`, `\\(…\\)`, `\\[…\\]`,
`$$…$$`, and the environments equation, align, gather, multline, eqnarray
(starred too). A `$` or environment that never closes is a broken span and the
rest of its paragraph is read again without it; `% symderiv: …` are directives."""

from __future__ import annotations

import re
from typing import Any

from .events import Broken, Event, Heading, Math, directives, prose_sizes
from .latex_text import MAX_DEPTH, Condensed

MATH_ENVS = frozenset(
    e + s for e in ("equation", "align", "gather", "multline", "eqnarray", "flalign", "alignat", "displaymath", "math")
    for s in ("", "*"))
NOT_MATH = frozenset(("comment", "verbatim", "verbatim*", "Verbatim", "BVerbatim", "lstlisting", "minted", "filecontents",
                      "filecontents*"))  # commented out, or code: never math
SECTIONS = frozenset(("part", "chapter", "section", "subsection", "subsubsection", "paragraph"))
MAX_REPAIRS = 200  # broken spans per paragraph
MAX_REREAD = 2_000_000  # characters read again after broken spans, per paragraph
_BLANK = re.compile(r"\n[ \t]*\n")
_COMMENT = re.compile(r"(?<!\\)%[^\n]*")


def environment_name(content: str) -> str | None:
    m = re.match(r"\s*\\begin\s*\{([^{}]*)\}", content)
    return m.group(1).strip() if m else None


def _inside(node: Any, src: str, pos: int, end: int) -> tuple[str, int]:
    """The verbatim inside of a math node or environment (at pos…end of src), and its offset."""
    raw = src[pos:end]
    if node.__class__.__name__ == "LatexMathNode":
        d = node.delimiters[0] if node.delimiters else "$"
        e = node.delimiters[1] if node.delimiters else "$"
        inner = raw[len(d):len(raw) - len(e)] if raw.endswith(e) else raw[len(d):]
        return inner, pos + len(d)
    m = re.match(r"\\begin\s*\{[^{}]*\}(\{[0-9]+\})?", raw)
    e = re.search(r"\\end\s*\{[^{}]*\}\s*$", raw)
    a = m.end() if m else 0
    return raw[a:e.start() if e else len(raw)], pos + a


def _broken_math(node: Any, raw: str) -> str | None:
    name = node.__class__.__name__
    if name == "LatexMathNode":
        d = node.delimiters[1] if node.delimiters else "$"
        if not raw.endswith(d) or len(raw) < 2 * len(d):
            return f"an unpaired {node.delimiters[0] if node.delimiters else '$'}: the math it opens never closes"
        inner = raw[len(d):-len(d)]
        prose = r"\\(begin\s*\{(document|itemize|enumerate)|end\s*\{document\}|section|chapter)\b"
        if re.search(r"\n\s*\n", inner) or re.search(prose, inner):
            return f"an unpaired {node.delimiters[0]}: the math it opens runs into prose"
        return None
    env = node.environmentname
    if not re.search(r"\\end\s*\{\s*" + re.escape(env) + r"\s*\}\s*$", raw):
        return f"\\begin{{{env}}} is never closed by \\end{{{env}}}"
    inner = raw
    if re.search(r"\\(begin\s*\{(document|itemize|enumerate)|section|chapter)\b", inner[len("\\begin{}") + len(env):]):
        return f"\\begin{{{env}}} runs into prose before its \\end{{{env}}}"
    return None


CHUNK = 64_000  # characters: the walker's time grows faster than the text, so long files are read in pieces
_PROTECTED = re.compile(r"\\begin\s*\{(comment|verbatim\*?|Verbatim|BVerbatim|lstlisting|minted|filecontents\*?)\}.*?"
                        r"\\end\s*\{\1\}", re.S)


def chunks(src: str) -> list[tuple[int, int]]:
    """Pieces of at least CHUNK characters that end at a blank line (where no formula can be open:
    LaTeX forbids a blank line in math) outside comment and verbatim environments."""
    if len(src) <= CHUNK:
        return [(0, len(src))]
    protected = [(m.start(), m.end()) for m in _PROTECTED.finditer(src)]
    out, start = [], 0
    for m in re.finditer(r"\n[ \t]*\n", src):
        if m.end() - start < CHUNK or any(a < m.start() < b for a, b in protected):
            continue
        out.append((start, m.end()))
        start = m.end()
    out.append((start, len(src)))
    return [(a, b) for a, b in out if b > a]


def read(src: str) -> list[Event]:
    """The events of a LaTeX document, in order; broken spans are cut out and the rest re-read."""
    events: list[Event] = []
    for a, b in chunks(src):
        for e in _read(src[a:b]):
            e.start += a
            if isinstance(e, Broken):
                e.end += a
            events.append(e)
    return events


def _read(src: str) -> list[Event]:
    """The events of one piece. The walker reads one top-level node at a time, so a broken span costs the
    reading of that node only: the rest of its paragraph is then read on its own (no formula crosses a
    blank line), and reading goes on after it. At most MAX_REPAIRS broken spans, or MAX_REREAD characters
    read again, per paragraph: past that the rest of the paragraph is one broken span, never the file."""
    from pylatexenc.latexwalker import LatexWalker  # imported here: `verify` should not pay for it

    walked = Condensed(src)
    text, orig = walked.text, walked.orig
    events: list[Event] = [Broken(orig(a), orig(b), f"braces nested more than {MAX_DEPTH} deep: what is inside "
                                  "them is read as text, not judged") for a, b in walked.deep]
    main = LatexWalker(text, tolerant_parsing=True)
    walker, offset, stop = main, 0, len(text)  # a paragraph's rest is read by a walker of its own
    repairs, reread, p = 0, 0, 0
    while p < len(text):
        if p >= stop:
            walker, offset, stop, repairs, reread = main, 0, len(text), 0, 0
        try:
            nodes, npos, nlen = walker.get_latex_nodes(pos=p - offset, read_max_nodes=1)
        except Exception as exc:  # noqa: BLE001 - pylatexenc gives up: this paragraph is one broken span
            end = _paragraph_end(text, p)
            events.append(Broken(orig(p), orig(end), f"the LaTeX reader gave up: {exc}"))
            p, stop = end, min(stop, end)
            continue
        if not nodes or npos + nlen + offset <= p:  # the end of the text, or of a paragraph read on its own
            if walker is main:
                break
            p = stop
            continue
        bad = _visit(nodes, offset, orig, src, events)
        if bad is None:
            p = npos + nlen + offset
            continue
        at_w, at_, why = bad
        opener = re.match(r"\\begin\s*\{[^{}]*\}|\$\$|\$|\\\(|\\\[", text[at_w:])
        width = opener.end() if opener else 1
        end = _paragraph_end(text, at_w)
        events.append(Broken(at_, max(orig(len(text[:end].rstrip())), at_ + width), why))
        repairs, reread = repairs + 1, reread + npos + nlen + offset - at_w  # the node read again
        if repairs > MAX_REPAIRS or reread > MAX_REREAD:
            events.append(Broken(at_, orig(end), f"more than {MAX_REPAIRS} broken spans in this paragraph: "
                                 "the rest of it is not read"))
            p = end
            continue
        p, offset, stop = at_w + width, at_w + width, end
        walker = LatexWalker(text[offset:end], tolerant_parsing=True)
    return sorted(events, key=lambda e: e.start)


def _paragraph_end(text: str, pos: int) -> int:
    m = _BLANK.search(text, pos)
    return m.start() if m else len(text)


def _visit(nodes: list, offset: int, orig: Any, src: str, events: list[Event]) -> tuple[int, int, str] | None:
    """The events of one top-level node and what it holds, in order; a broken math span stops the visit:
    its walker position, its position in src and why."""
    stack = list(reversed(nodes))
    while stack:
        n = stack.pop()
        if n is None:
            continue
        kind = n.__class__.__name__
        pos, end = orig(n.pos + offset), orig(n.pos + n.len + offset)
        if kind == "LatexCommentNode":
            events.extend(directives(n.comment, pos + 1))
        elif kind == "LatexCharsNode" and "=" in n.chars:
            events.extend(prose_sizes(src[pos:end], pos))
        elif kind == "LatexMacroNode" and n.macroname in SECTIONS:
            events.append(Heading(pos))
        elif kind == "LatexMathNode" or (kind == "LatexEnvironmentNode" and n.environmentname in MATH_ENVS):
            why = _broken_math(n, src[pos:end])
            if why:
                return n.pos + offset, pos, why
            inner, at = _inside(n, src, pos, end)
            inner = _COMMENT.sub(lambda m: " " * len(m.group(0)), inner)  # same offsets, without % comments
            env = n.environmentname if kind == "LatexEnvironmentNode" else None
            events.append(Math(inner, at, env, kind != "LatexMathNode" or n.displaytype == "display"))
        elif kind == "LatexEnvironmentNode" and n.environmentname in NOT_MATH:
            continue
        elif kind in ("LatexEnvironmentNode", "LatexGroupNode"):
            stack.extend(reversed(n.nodelist or []))
        elif kind == "LatexMacroNode" and n.nodeargd is not None:
            for arg in getattr(n.nodeargd, "argnlist", None) or []:
                if arg is not None and arg.__class__.__name__ == "LatexGroupNode":
                    stack.extend(reversed(arg.nodelist or []))
    return None

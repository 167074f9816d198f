"""Math in LaTeX, found by pylatexenc's walker: `$…$`, `\\(…\\)`, `\\[…\\]`,
`$$…$$`, and the environments equation, align, gather, multline, eqnarray
(starred too). A `$` or environment that never closes is a broken span and the
rest of the file is read again without it; `% symderiv: …` are directives."""

from __future__ import annotations

import re
from typing import Any

from .events import Broken, Event, Heading, Math, directives, prose_sizes

MATH_ENVS = frozenset(
    e + s for e in ("equation", "align", "gather", "multline", "eqnarray", "flalign", "alignat", "displaymath", "math")
    for s in ("", "*"))
NOT_MATH = frozenset(("comment", "verbatim", "verbatim*", "Verbatim", "BVerbatim", "lstlisting", "minted", "filecontents",
                      "filecontents*"))  # commented out, or code: never math
SECTIONS = frozenset(("part", "chapter", "section", "subsection", "subsubsection", "paragraph"))
MAX_REPAIRS = 200
_COMMENT = re.compile(r"(?<!\\)%[^\n]*")


def environment_name(content: str) -> str | None:
    m = re.match(r"\s*\\begin\s*\{([^{}]*)\}", content)
    return m.group(1).strip() if m else None


def _inside(node: Any) -> tuple[str, int]:
    """The verbatim inside of a math node or environment, and its offset."""
    raw = node.latex_verbatim()
    if node.__class__.__name__ == "LatexMathNode":
        d = node.delimiters[0] if node.delimiters else "$"
        e = node.delimiters[1] if node.delimiters else "$"
        inner = raw[len(d):len(raw) - len(e)] if raw.endswith(e) else raw[len(d):]
        return inner, node.pos + len(d)
    m = re.match(r"\\begin\s*\{[^{}]*\}(\{[0-9]+\})?", raw)
    e = re.search(r"\\end\s*\{[^{}]*\}\s*$", raw)
    a = m.end() if m else 0
    return raw[a:e.start() if e else len(raw)], node.pos + a


def _broken_math(node: Any, src: str) -> str | None:
    raw = node.latex_verbatim()
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
    from pylatexenc.latexwalker import LatexWalker  # imported here: `verify` should not pay for it

    work = src
    broken: list[Event] = []
    events: list[Event] = []
    for _ in range(MAX_REPAIRS):
        events = []
        bad = None
        try:
            nodes, _, _ = LatexWalker(work, tolerant_parsing=True).get_latex_nodes()
        except Exception as exc:  # pylatexenc gives up: the whole text is one broken span
            broken.append(Broken(0, len(src), f"the LaTeX reader gave up: {exc}"))
            return sorted(broken, key=lambda e: e.start)
        stack = list(reversed(nodes or []))
        while stack:
            n = stack.pop()
            if n is None:
                continue
            kind = n.__class__.__name__
            if kind == "LatexCommentNode":
                events.extend(directives(n.comment, n.pos + 1))
            elif kind == "LatexCharsNode" and "=" in n.chars:
                events.extend(prose_sizes(n.chars, n.pos))
            elif kind == "LatexMacroNode" and n.macroname in SECTIONS:
                events.append(Heading(n.pos))
            elif kind == "LatexMathNode" or (kind == "LatexEnvironmentNode" and n.environmentname in MATH_ENVS):
                why = _broken_math(n, work)
                if why:
                    bad = (n, why)
                    break
                inner, at = _inside(n)
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
        if bad is None:
            return sorted(events + broken, key=lambda e: e.start)
        n, why = bad
        opener = re.match(r"\\begin\s*\{[^{}]*\}|\$\$|\$|\\\(|\\\[", work[n.pos:])
        width = opener.end() if opener else 1
        end = work.find("\n\n", n.pos)
        end = len(work.rstrip()) if end < 0 else end
        broken.append(Broken(n.pos, max(end, n.pos + width), why))
        work = work[:n.pos] + " " * width + work[n.pos + width:]  # same offsets, without the opener
    last = broken[-1].start if broken else 0  # what was read before the last broken span stands
    broken.append(Broken(last, len(src), f"more than {MAX_REPAIRS} broken spans: the rest is not read"))
    return sorted(events + broken, key=lambda e: e.start)

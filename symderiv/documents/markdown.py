"""Math in Markdown, found by a real parser (markdown-it-py with the dollar-math,
amsmath and ```math fence readers): `$…$`, `$$…$$` (also across lines),
`\\begin{align}…`, fenced ```math blocks. Code blocks and inline code are not
math; an unpaired `$` is a broken span; `<!-- symderiv: … -->` are directives."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from . import frontmatter
from .events import Broken, Event, Heading, Math, directives, prose_sizes
from .latex import MATH_ENVS, environment_name


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt  # imported here: `verify` should not pay for it
    from mdit_py_plugins.amsmath import amsmath_plugin
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark").use(dollarmath_plugin, allow_digits=False, double_inline=True).use(amsmath_plugin)
    rules = md.block.ruler.__rules__
    rule = rules[md.block.ruler.__find__("amsmath")]
    ams = rule.fn

    def amsmath(state: Any, start: int, end: int, silent: bool) -> bool:
        """A matrix environment opening a line inside a `$…$` that the paragraph has opened and not closed does
        not end the paragraph: it is the rest of that math (Jupyter writes `$X = ⏎ \\begin{pmatrix} … $`)."""
        if silent:
            line = state.src[state.bMarks[start] + state.tShift[start]:state.eMarks[start]]
            if _MATRIX_LINE.match(line) and _inside_dollars(state, start):
                return False
        return ams(state, start, end, silent)

    rule.fn = amsmath
    md.block.ruler.__compile__()
    return md


_MATRIX_LINE = re.compile(r"\\begin\s*\{[pbBvV]?matrix\*?\}")
_DOLLAR = re.compile(r"(?<!\\)\$")


def _inside_dollars(state: Any, line: int) -> bool:
    """The paragraph's lines above `line` (back to a blank one) leave an odd number of unescaped `$` open."""
    count = 0
    k = line - 1
    while k >= 0 and state.bMarks[k] + state.tShift[k] < state.eMarks[k]:
        count += len(_DOLLAR.findall(state.src[state.bMarks[k]:state.eMarks[k]]))
        k -= 1
    return count % 2 == 1


def _line_offsets(src: str) -> list[int]:
    out = [0]
    for m in re.finditer("\n", src):
        out.append(m.end())
    out.append(len(src))
    return out


MAX_REPAIRS = 200


def read(src: str) -> list[Event]:
    """The events of a Markdown document, in order. A $$ that runs across a blank line
    never closed: it is reported, blanked, and the document read again."""
    broken: list[Event] = []
    work = frontmatter.blank(src)
    for _ in range(MAX_REPAIRS):
        events = _read_once(work)
        bad = next((e for e in events if isinstance(e, Math) and e.display and e.env is None and _runaway(e.content)
                    and work[:e.start].rstrip().endswith("$$")), None)
        if bad is None:
            return sorted(events + broken, key=lambda e: e.start)
        opener = work.rfind("$$", 0, bad.start)
        end = work.find("\n\n", opener)
        broken.append(Broken(opener, end if end > opener else len(work.rstrip()),
                             "a $$ that never closes: the display it opens runs into prose"))
        work = work[:opener] + "  " + work[opener + 2:]
    # past the limit, every remaining runaway display is reported without reading it again
    events = [e if not (isinstance(e, Math) and e.display and e.env is None and _runaway(e.content))
              else Broken(e.start, e.start + len(e.content), "a $$ that never closes: the display it opens runs into prose")
              for e in _read_once(work)]
    return sorted(events + broken, key=lambda e: e.start)


_PROSE = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,}[,.]?(?:[ \t]+[A-Za-z]{2,}[,.]?){3,}")


_WORDS = re.compile(r"[A-Za-z]{2,}(?:[ \t]+[A-Za-z]{2,})+[.,;:]?")


def _runaway(content: str) -> bool:
    """A $$ display that ran into prose: a blank line inside it, and a paragraph of words (four words in a row
    outside any command). A display with blank lines between its rows (`\\begin{aligned}` spaced out) is math."""
    if not re.search(r"\n[ \t]*\n", content):
        return False
    chunks = [re.sub(r"\\(text|mathrm|textrm|mbox|operatorname)\s*\{[^{}]*\}", " ", c) for c in re.split(r"\n[ \t]*\n", content)]
    return any(_PROSE.search(c) or _WORDS.fullmatch(c.strip()) for c in chunks)


def _read_once(src: str, shift: int = 0, html: bool = True) -> list[Event]:
    """One parse; `shift` is where src starts in the file (for the math inside an HTML block, read with `html` off)."""
    events = [_moved(e, shift) for e in _parse(src, html)] if shift else _parse(src, html)
    return events


def _moved(e: Event, shift: int) -> Event:
    from dataclasses import replace

    if isinstance(e, Broken):
        return replace(e, start=e.start + shift, end=e.end + shift)
    return replace(e, start=e.start + shift)


def _html_math(src: str, a: int, b: int) -> list[Event]:
    """Math inside a raw HTML block (`<p>$$…$$</p>`, `<div>` … `</div>`): the block with its tags blanked, read again."""
    block = src[a:b]
    if not any(d in block for d in ("$", "\\(", "\\[", "\\begin")):
        return []
    out, i = [], 0
    chars = list(block)
    while True:
        k = block.find("<", i)
        if k < 0:
            break
        e = block.find(">", k)
        if e < 0:
            e = len(block) - 1
        if block.startswith("<!--", k):
            e = block.find("-->", k)
            e = len(block) - 1 if e < 0 else e + 2
        for j in range(k, e + 1):
            if chars[j] != "\n":
                chars[j] = " "
        i = e + 1
    for ev in _read_once("".join(chars), a, html=False):
        out.append(ev)
    return out


def _parse(src: str, html: bool = True) -> list[Event]:
    lines = _line_offsets(src)
    tokens = _parser().parse(src)
    events: list[Event] = []
    code_lines: set[int] = set()

    def off(line: int) -> int:
        return lines[min(line, len(lines) - 1)]

    for tok in tokens:
        if tok.type in ("fence", "code_block") and tok.map:
            if tok.type == "fence" and tok.info.strip() == "math":
                a = src.find(tok.content, off(tok.map[0] + 1)) if tok.content else -1
                if a >= 0:
                    events.append(Math(tok.content, a, None, True))
            code_lines.update(range(tok.map[0], tok.map[1]))
        elif tok.type == "heading_open" and tok.map:
            events.append(Heading(off(tok.map[0])))
        elif tok.type == "math_block" and tok.map:
            start = src.find("$$", off(tok.map[0]))
            a = src.find(tok.content, start + 2) if start >= 0 else -1
            if a < 0:
                a = off(tok.map[0])
            content = tok.content
            if start >= 0 and src.startswith("$$$", start) and content.strip().startswith("$") \
                    and content.strip().endswith("$") and len(content.strip()) > 1:
                # $$$ … $$$ (some blogs' display delimiters): the third $ is a delimiter too, not math
                lead = content.index("$")
                content = " " * (lead + 1) + content[lead + 1:content.rindex("$")]
            events.append(Math(content, a, None, True))
        elif tok.type in ("math_block_label", "math_block_eqno") and tok.map:
            a = src.find(tok.content, off(tok.map[0]))
            events.append(Math(tok.content, max(a, off(tok.map[0])), None, True))
        elif tok.type == "amsmath" and tok.map:
            a = src.find(tok.content, off(tok.map[0]))
            a = a if a >= 0 else off(tok.map[0])
            env = environment_name(tok.content)
            inner, shift = _strip_env(tok.content)
            events.append(Math(inner, a + shift, env, True))
        elif tok.type == "html_block" and tok.map:
            a = off(tok.map[0])
            events.extend(directives(src[a:off(tok.map[1])], a))
            if html:
                events.extend(e for e in _html_math(src, a, off(tok.map[1])) if not isinstance(e, Heading))
        elif tok.type == "inline" and tok.map:
            events.extend(_inline(src, tok, off(tok.map[0]), off(tok.map[1])))
    events.sort(key=lambda e: e.start)
    return events


def _strip_env(content: str) -> tuple[str, int]:
    m = re.match(r"\s*\\begin\s*\{[^{}]*\}", content)
    e = re.search(r"\\end\s*\{[^{}]*\}\s*$", content)
    if not m or not e:
        return content, 0
    return content[m.end():e.start()], m.end()


_BACKSLASH_MATH = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)
PROSE_SIZE_HINT = re.compile(r"=\s*[1-9]")
_OPEN_ENV = re.compile(r"\\begin\s*\{((?:equation|align|gather|multline|eqnarray|flalign|alignat)\*?)\}")


def _inline(src: str, tok: Any, a: int, b: int) -> list[Event]:
    """Inline math of one paragraph, found in its source in order; a `$` left over is broken."""
    out: list[Event] = []
    pos = a
    covered: list[tuple[int, int]] = []
    for child in tok.children or []:
        t = child.type
        if t in ("math_inline", "math_inline_double"):
            d = "$$" if t == "math_inline_double" else "$"
            k = src.find(d + child.content + d, pos, b + 1)
            if k < 0:
                continue
            out.append(Math(child.content, k + len(d), None, t == "math_inline_double"))
            covered.append((k, k + 2 * len(d) + len(child.content)))
            pos = k + 2 * len(d) + len(child.content)
        elif t == "code_inline":
            k = src.find(child.content, pos, b + 1)
            if k >= 0:
                covered.append((k, k + len(child.content)))
                pos = k + len(child.content)
        elif t == "html_inline":
            k = src.find(child.content, pos, b + 1)
            if k >= 0:
                out.extend(directives(child.content, k))
                covered.append((k, k + len(child.content)))
                pos = k + len(child.content)
        if t == "text" and PROSE_SIZE_HINT.search(child.content):
            k = src.find(child.content, pos, b + 1)
            out.extend(prose_sizes(child.content, k if k >= 0 else pos))
        if t == "text" and _OPEN_ENV.search(child.content):
            m = _OPEN_ENV.search(child.content)
            k = src.find(m.group(0), pos, b + 1)
            if k >= 0:
                end = b
                while end > k and src[end - 1] in "\n ":
                    end -= 1
                out.append(Broken(k, end, f"\\begin{{{m.group(1)}}} is never closed by \\end{{{m.group(1)}}}"))
                covered.append((k, end))
                pos = end
        elif t == "text" and "$" in child.content:
            k = pos
            while True:
                k = src.find("$", k, b)
                if k < 0:
                    break
                if any(x <= k < y for x, y in covered) or (k > 0 and src[k - 1] == "\\"):
                    k += 1
                    continue
                if re.match(r"\$\s*[0-9]", src[k:k + 3]) and not src[k + 1:k + 2].isspace():
                    k += 1  # a price: $5
                    continue
                end = b
                while end > k and src[end - 1] in "\n ":
                    end -= 1
                d = "$$" if src.startswith("$$", k) else "$"
                out.append(Broken(k, end, f"an unpaired {d}: the math it opens never closes in this paragraph"))
                covered.append((k, end))
                pos = end
                break
    # MathJax's \(…\) and \[…\] in Markdown: CommonMark reads them as escapes, so look in the source
    for m in _BACKSLASH_MATH.finditer(src, a, b):
        if not any(x <= m.start() < y or x < m.end() <= y for x, y in covered):
            inner = m.group(1) if m.group(1) is not None else m.group(2)
            out.append(Math(inner, m.start() + 2, None, m.group(2) is not None))
    return _joined(src, out)


_JOINS = ("=", "*", "+", "-", "·", "×")


def _joined(src: str, events: list[Event]) -> list[Event]:
    """`$A$*$B$=$C$`: inline spans that only operators separate are one formula (the delimiters read as spaces)."""
    out: list[Event] = []
    for e in sorted(events, key=lambda e: e.start):
        prev = out[-1] if out else None
        if isinstance(e, Math) and isinstance(prev, Math) and not e.display and not prev.display and e.env is None:
            end = prev.start + len(prev.content)
            gap = src[end:e.start]
            op = gap.replace("$", "").strip()
            if gap.count("$") == 2 and op in _JOINS:
                text = src[prev.start:e.start + len(e.content)]
                out[-1] = Math(text.replace("$", " "), prev.start, None, False)
                continue
        out.append(e)
    return out


__all__ = ["read", "MATH_ENVS"]

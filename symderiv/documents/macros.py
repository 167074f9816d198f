"""Macros a document defines (\\newcommand, \\renewcommand, \\providecommand,
\\DeclareMathOperator, \\def, with arguments), read anywhere in the text (also
inside a $$ block, as MathJax pages do), and expanded in a formula before it is
judged; a command that is neither defined nor standard is named."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import read_group, skip_space

MAX_EXPANSIONS = 500

# commands the claims grammar reads, or standard LaTeX a formula may carry
KNOWN = frozenset("""
frac dfrac tfrac partial nabla sum prod top intercal T mathsf mathrm mathbf boldsymbol bm mathcal mathbb mathit
operatorname tr Tr text textrm textit textbf mbox left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr
cdot times odot otimes oplus circ ast star langle rangle lVert rVert Vert vert lvert rvert mid
hat tilde bar widehat widetilde overline underline vec dot ddot
alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi rho sigma tau
upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega ell
quad qquad hspace hfill nonumber notag label tag displaystyle textstyle scriptstyle
begin end underbrace overbrace underset overset stackrel
equiv in forall exists approx neq ne le leq ge geq sim propto to mapsto rightarrow Rightarrow implies iff
Longrightarrow Leftrightarrow Longleftrightarrow therefore because
ldots cdots vdots ddots dots dotsc dotsb
sqrt exp log ln max min det diag vec operatorname sin cos tanh sigma softmax ReLU
mathrm R mathbb one infty coloneqq triangleq defeq not middle lim limits nolimits mathop colon
""".split())


@dataclass
class Macro:
    name: str  # without the backslash
    nargs: int
    body: str
    default: str | None = None  # the optional first argument's default
    offset: int = 0  # where the definition is, in the text it was read from


_DEF_CMDS = re.compile(r"\\(newcommand|renewcommand|providecommand|DeclareRobustCommand|DeclareMathOperator\*?|g?def|let)\b\*?")


def _name(s: str, i: int) -> tuple[str, int] | None:
    """`{\\name}` or `\\name` at s[i]."""
    i = skip_space(s, i)
    if i < len(s) and s[i] == "{":
        g = read_group(s, i)
        if g is None:
            return None
        inner = g[0].strip()
        m = re.fullmatch(r"\\([A-Za-z]+)", inner)
        return (m.group(1), g[1]) if m else None
    m = re.compile(r"\\([A-Za-z]+)").match(s, i)
    return (m.group(1), m.end()) if m else None


def find_definitions(text: str, base: int = 0) -> list[Macro]:
    """Every macro definition in `text`, in order (offsets relative to `base`)."""
    out: list[Macro] = []
    for m in _DEF_CMDS.finditer(text):
        cmd = m.group(1)
        got = _name(text, m.end())
        if got is None:
            continue
        name, i = got
        if cmd.startswith("DeclareMathOperator"):
            g = read_group(text, skip_space(text, i))
            if g:
                out.append(Macro(name, 0, "\\operatorname{" + g[0] + "}", None, base + m.start()))
            continue
        nargs, default = 0, None
        if cmd == "let":  # \let\a\b, \let\a=\b: \a is \b
            j = skip_space(text, i)
            j = skip_space(text, j + 1) if j < len(text) and text[j] == "=" else j
            tm = re.compile(r"\\([A-Za-z]+|.)").match(text, j)
            if tm:
                out.append(Macro(name, 0, tm.group(0), None, base + m.start()))
            continue
        if cmd in ("def", "gdef"):
            pm = re.compile(r"((?:#[1-9])*)").match(text, i)
            nargs = len(pm.group(1)) // 2 if pm else 0
            i = pm.end() if pm else i
        else:
            i = skip_space(text, i)
            am = re.compile(r"\[\s*([0-9])\s*\]").match(text, i)
            if am:
                nargs, i = int(am.group(1)), am.end()
                i = skip_space(text, i)
                if i < len(text) and text[i] == "[":
                    end = text.find("]", i)
                    if end > 0:
                        default, i = text[i + 1:end], end + 1
        g = read_group(text, skip_space(text, i))
        if g is None:
            continue
        out.append(Macro(name, nargs, g[0], default, base + m.start()))
    return out


def _arg(s: str, i: int) -> tuple[str, int] | None:
    i = skip_space(s, i)
    if i >= len(s):
        return None
    if s[i] == "{":
        g = read_group(s, i)
        return g
    if s[i] == "\\":
        m = re.compile(r"\\([A-Za-z]+|.)").match(s, i)
        return (m.group(0), m.end()) if m else None
    return s[i], i + 1


class Unexpandable(Exception):
    """A macro use that cannot be expanded (missing arguments, endless recursion)."""


# TeX's old font switches and a few aliases, as every renderer has them (a document's own definition wins)
BUILTIN = {m.name: m for m in (
    Macro("cal", 1, "\\mathcal{#1}"), Macro("bf", 1, "\\mathbf{#1}"), Macro("rm", 1, "\\mathrm{#1}"),
    Macro("bigodot", 0, "\\odot"), Macro("circledot", 0, "\\odot"),
)}


def expand(text: str, macros: dict[str, Macro]) -> str:
    """`text` with every use of `macros` (and of the built-in ones they do not redefine) replaced by its body."""
    if any("\\" + name in text for name in BUILTIN):
        macros = {**BUILTIN, **macros}
    if not macros:
        return text
    pat = re.compile(r"\\([A-Za-z]+)")
    count = 0
    i = 0
    s = text
    while True:
        m = pat.search(s, i)
        if m is None:
            return s
        mac = macros.get(m.group(1))
        if mac is None or m.group(1) in ("newcommand", "renewcommand", "def"):
            i = m.end()
            continue
        count += 1
        if count > MAX_EXPANSIONS or len(s) > 20 * len(text) + 10_000:
            raise Unexpandable(f"the macro \\{mac.name} expands without end")
        j = m.end()
        args: list[str] = []
        if mac.default is not None:
            k = skip_space(s, j)
            if k < len(s) and s[k] == "[":
                end = s.find("]", k)
                args.append(s[k + 1:end])
                j = end + 1
            else:
                args.append(mac.default)
        while len(args) < mac.nargs:
            got = _arg(s, j)
            if got is None:
                raise Unexpandable(f"the macro \\{mac.name} needs {mac.nargs} arguments")
            args.append(got[0])
            j = got[1]
        body = mac.body
        for n, a in enumerate(args, 1):
            body = body.replace(f"#{n}", a)
        if body[-1:].isalpha() and j < len(s) and s[j].isalpha():
            body += " "
        s = s[:m.start()] + body + s[j:]
        i = m.start()  # expand what the body brought in too


def unknown_commands(text: str) -> list[str]:
    """Commands in `text` that are neither standard nor defined (already expanded)."""
    seen: list[str] = []
    for m in re.finditer(r"\\([A-Za-z]+)", text):
        name = m.group(1)
        if name not in KNOWN and not name.endswith("matrix") and name not in seen:
            seen.append(name)
    return seen

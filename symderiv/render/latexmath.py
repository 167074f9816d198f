"""Notation and exact polynomials as LaTeX math (amsmath + amssymb, also KaTeX),
the counterpart of `render.text`; plus splitting prose into text and math runs.

`to_latex(node, display=True)` writes ∂L/∂w as \\frac{\\partial L}{\\partial w_{1,2}};
with display=False (running text) as \\partial L/\\partial w_{1,2}. `rhs_lines`
breaks a long right-hand side into lines for an align environment."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from .. import notation as N
from ..polyterms import Factor, terms

GREEK = {"δ": r"\delta", "Σ": r"\Sigma", "α": r"\alpha", "β": r"\beta", "λ": r"\lambda", "σ": r"\sigma"}
LINE_EM = 30.0  # width budget of one displayed line, in em (the page is ~40em; the lhs takes the rest)


# --- entries and polynomials --------------------------------------------------


def index_latex(idx: tuple[Any, ...]) -> str:
    return "_{" + ",".join(str(i) for i in idx) + "}" if idx else ""


def name_latex(name: str) -> str:
    """A symbol's name: a letter, a Greek letter, or a longer name in italics."""
    if name in GREEK:
        return GREEK[name]
    if len(name) == 1 and name.isascii() and name.isalpha():
        return name
    if name and all(ch in PROSE_MATH for ch in name):
        return math_word(name)
    return r"\mathit{" + _ascii(name) + "}"


def _ascii(text: str) -> str:
    """Letters, digits, spaces and a few signs; anything else dropped or transliterated."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9 _.,;:!?'()/+\-=*%&#\[\]]", "", plain)
    return re.sub(r"([_%&#])", r"\\\1", plain)  # escaped as both LaTeX and KaTeX read them


def text_latex(text: str) -> str:
    """Words inside a formula: \text{…} runs (valid in LaTeX and KaTeX), known signs as math."""
    out, run = [], ""
    for ch in text:
        if ch in PROSE_MATH or ch in GREEK:
            if run:
                out.append(r"\text{" + _ascii(run) + "}")
                run = ""
            out.append(math_word(ch))
        else:
            run += ch
    if run:
        out.append(r"\text{" + _ascii(run) + "}")
    return "".join(out) or r"\text{}"


def _factor(f: Factor) -> str:
    letter, idx, power = f
    base = name_latex(letter) + index_latex(idx)
    return base if power == 1 else base + "^{" + str(power) + "}"


def _coef(c: Fraction, display: bool) -> str:
    if c.denominator == 1:
        return str(c.numerator)
    frac = r"\frac" if display else r"\tfrac"
    return f"{frac}{{{c.numerator}}}{{{c.denominator}}}"


def _poly_pieces(expr: Any, display: bool) -> list[tuple[str, float]]:
    """The terms of an exact polynomial, each with its sign ("- " or "+ ", none on a
    positive first term) and an estimated width in em."""
    out: list[tuple[str, float]] = []
    for n, (coef, factors) in enumerate(terms(expr)):
        body = " ".join(_factor(f) for f in factors)
        mag = abs(coef)
        text = body if (mag == 1 and body) else (_coef(mag, display) + (" " + body if body else ""))
        sign = ("- " if n else "-") if coef < 0 else ("+ " if n else "")
        width = sum(0.6 + 0.35 * len(",".join(map(str, f[1]))) + (0.4 if f[2] != 1 else 0) for f in factors)
        out.append((sign + text, width + (1.4 if n else 0.0) + (0.8 if mag != 1 or not body else 0.0)))
    return out or [("0", 0.6)]


def poly_latex(expr: Any, display: bool = True) -> str:
    return " ".join(p for p, _ in _poly_pieces(expr, display))


# --- the notation tree ----------------------------------------------------------


NODE_TYPES: tuple[type, ...] = N.Node.__args__  # type: ignore[attr-defined]


def _wrap(node: Any, s: str, last: bool) -> str:
    """A factor in parentheses when it is a sum of terms, or a Σ that other factors follow."""
    sums = isinstance(node, (N.Plus, N.Poly)) or not isinstance(node, NODE_TYPES)
    if (sums and (" + " in s or " - " in s)) or (isinstance(node, N.Sum) and not last):
        return rf"\left({s}\right)"
    return s


def to_latex(node: Any, display: bool = True) -> str:
    """LaTeX math (no delimiters) for a notation node or an exact expression."""
    t: Callable[[Any], str] = lambda x: to_latex(x, display)  # noqa: E731
    if isinstance(node, str):
        return text_latex(node)
    if isinstance(node, bool):
        return str(node)
    if isinstance(node, int):
        return str(node)
    if isinstance(node, N.Sym):
        return name_latex(node.name) + index_latex(node.idx)
    if isinstance(node, N.T):
        inner = t(node.arg)
        return (inner if isinstance(node.arg, (N.Sym, N.Ones)) else rf"\left({inner}\right)") + r"^{\top}"
    if isinstance(node, N.D):
        num, den = t(node.num), t(node.den)
        if not isinstance(node.num, N.Sym) and (not display or " + " in num or " - " in num):
            num = rf"\left({num}\right)"
        if display:
            return rf"\frac{{\partial {num}}}{{\partial {den}}}"
        return rf"\partial {num}/\partial {den}"
    if isinstance(node, N.Prod):
        repeated = N.repeated_entry(node)
        if repeated is not None:
            base, power = repeated
            return f"{t(base)}^{{{power}}}"  # a_{i,j} a_{i,j} is a_{i,j}^2
        tight = all(N.is_matrix_name(a) for a in node.args)
        parts = [_wrap(a, t(a), i == len(node.args) - 1) for i, a in enumerate(node.args)]
        if not display and any(isinstance(a, N.D) for a in node.args[1:]):
            return r"\ ".join(parts)  # g ∂a/∂W inline: a space, so the slash reads as the derivative's own
        return ("" if tight else " ").join(parts)
    if isinstance(node, N.Plus):
        return " + ".join(t(a) for a in node.args) or "0"
    if isinstance(node, N.Sum):
        if node.lo is not None:
            under = f"{node.var}={t(node.lo)}"
            over = "^{" + t(node.hi) + "}" if node.hi is not None else ""
        else:
            under, over = node.var, ""
        return rf"\sum_{{{under}}}{over} " + t(node.body)
    if isinstance(node, N.Rel):
        if isinstance(node.rhs, N.Shape) and node.op == "=":  # a shape on the right reads as membership
            return f"{t(node.lhs)} \\in \\mathbb{{R}}^{{{t(node.rhs)}}}"
        if isinstance(node.rhs, N.Grid) and node.op == "=":
            r, c = node.rhs.shape
            return f"{t(node.lhs)} = {grid_latex(node.rhs)} \\quad ({r} \\times {c})"
        return f"{t(node.lhs)} {_op(node.op)} {t(node.rhs)}"
    if isinstance(node, N.Chain):
        return " = ".join(t(p) for p in node.parts)
    if isinstance(node, N.Poly):
        return poly_latex(node.expr, display)
    if isinstance(node, N.Grid):
        return grid_latex(node)
    if isinstance(node, N.Num):
        return str(node.value)
    if isinstance(node, N.Half):
        return r"\frac{1}{2}" if display else r"\tfrac{1}{2}"
    if isinstance(node, N.Ones):
        return r"\mathbf{1}"
    if isinstance(node, N.Call):
        fn = re.sub(r"[^A-Za-z]", "", node.fn) or "f"
        return rf"\operatorname{{{fn}}}\left(" + ", ".join(t(a) for a in node.args) + r"\right)"
    if isinstance(node, N.Shape):
        return r" \times ".join(map(str, node.dims))
    if isinstance(node, N.Formula):
        return node.latex
    if isinstance(node, N.Words):
        return text_latex(node.text)
    return poly_latex(node, display)


OPS = {"=": "=", "≠": r"\neq", "≈": r"\approx", "!=": r"\neq", "<": "<", ">": ">"}


def _op(op: str) -> str:
    return OPS.get(op, op)


# --- matrices, abridged ----------------------------------------------------------


def grid_latex(grid: N.Grid) -> str:
    from .abridge import indices

    rows, cols = grid.shape
    col_ix = indices(cols)
    lines = []
    for r in indices(rows):
        cells = []
        for c in col_ix:
            if r is None:
                cells.append(r"\ddots" if c is None else r"\vdots")
            else:
                cells.append(r"\cdots" if c is None else poly_latex(grid.rows[r][c]))
        lines.append(" & ".join(cells))
    # every row break ends its line: GitHub's Markdown keeps a \\ only at the end of a line
    return "\\begin{bmatrix}\n" + " \\\\\n".join(lines) + "\n\\end{bmatrix}"


# --- breaking long right-hand sides for align -------------------------------------


def _width(node: Any) -> float:
    """A rough width in em of the node typeset in display style."""
    if isinstance(node, N.Sym):
        return 0.7 * len(node.name) + 0.35 * len(",".join(map(str, node.idx)))
    if isinstance(node, N.D):
        return max(_width(node.num), _width(node.den)) + 1.0
    if isinstance(node, N.T):
        return _width(node.arg) + 0.5
    if isinstance(node, (N.Prod, N.Plus)):
        return sum(_width(a) for a in node.args) + 1.4 * (len(node.args) - 1) * isinstance(node, N.Plus)
    if isinstance(node, N.Grid):
        return 20.0
    if isinstance(node, N.Poly) or not isinstance(node, NODE_TYPES):
        return sum(w for _, w in _poly_pieces(node.expr if isinstance(node, N.Poly) else node, True))
    return 0.6 * len(to_latex(node))


def _pieces(node: Any, display: bool) -> list[tuple[str, float]]:
    if isinstance(node, N.Poly):
        return _poly_pieces(node.expr, display)
    if isinstance(node, N.Plus) and node.args:
        return [(("+ " if i else "") + to_latex(a, display), _width(a) + (1.4 if i else 0.0))
                for i, a in enumerate(node.args)]
    return [(to_latex(node, display), _width(node))]


def rhs_lines(node: Any, budget: float = LINE_EM, display: bool = True) -> list[str]:
    """The expression as lines of at most `budget` em (a single term may exceed it);
    continuation lines start with their operator."""
    lines: list[str] = []
    current, used = [], 0.0
    for text, width in _pieces(node, display):
        if current and used + width > budget:
            lines.append(" ".join(current))
            current, used = [], 0.0
        current.append(text)
        used += width
    lines.append(" ".join(current))
    return lines


def one_line(rows: list[str]) -> str | None:
    """The formula without its alignment mark when `align_rows` gave one row, else None."""
    if len(rows) != 1:
        return None
    return rows[0][2:] if rows[0].startswith("& ") else rows[0].replace(" &", " ", 1)


def align_rows(node: Any, budget: float = LINE_EM) -> list[str]:
    """Rows for align/aligned: `lhs &= rhs`, one more `&= …` per part of a chain, and
    `&\\quad + …` where a part is too long for one line."""
    if isinstance(node, N.Chain):
        lhs, parts, op = node.parts[0], node.parts[1:], "="
    elif isinstance(node, N.Rel) and not isinstance(node.rhs, (N.Grid, N.Shape)):
        lhs, parts, op = node.lhs, (node.rhs,), _op(node.op)
    else:
        text = to_latex(node)
        return [f"& {text}"]
    rows = []
    for n, part in enumerate(parts):
        head = to_latex(lhs) if n == 0 else ""
        for i, line in enumerate(rhs_lines(part, budget)):
            rows.append(f"{head} &{op} {line}" if i == 0 else rf"&\quad {line}")
    return rows


# --- prose: words of text, runs of math --------------------------------------------

MATH_CHARS = set("∂Σδ×ᵀ½𝟏≠≈⊗²³₀₁₂₃₄₅₆₇₈₉ᵢⱼₖₗₘₙₚ_=+^<>−")
OPERATORS = {"=", "+", "−", "-", "≠", "≈", "×", "Σ", "<", ">"}
INDEX_LETTERS = set("ijklmnpq")
PROSE_MATH = {
    "∂": r"\partial ", "Σ": r"\sum ", "δ": r"\delta ", "×": r"\times ", "ᵀ": r"^{\top}", "½": r"\tfrac{1}{2}",
    "𝟏": r"\mathbf{1}", "≠": r"\neq ", "≈": r"\approx ", "⊗": r"\otimes ", "²": "^{2}", "³": "^{3}",
    "⋮": r"\vdots ", "…": r"\dots ", "−": "-",
}
_SUBS = dict(zip("₀₁₂₃₄₅₆₇₈₉ᵢⱼₖₗₘₙₚ", "0123456789ijklmnp"))
_WORD = re.compile(r"^([(\[]*)(.*?)([.,;:!?)\]]*)$", re.S)


_TOKEN = r"(?:[A-Za-z0-9∂Σδ×½𝟏≠≈⊗⋮…−=+<>/,.'()]|ᵀ|[²³]|[₀-₉ᵢⱼₖₗₘₙₚ]+|_\([^()_^{}]*\)|_[A-Za-z0-9])"
_SCRIPT = r"(?:ᵀ|[²³]|[₀-₉ᵢⱼₖₗₘₙₚ]+|_\([^()_^{}]*\)|_[A-Za-z0-9])"


def _safe(core: str) -> bool:
    """A word that converts to valid math: known signs only, never two scripts of one kind in a row."""
    if not re.fullmatch(_TOKEN + "+", core) or re.search(r"[A-Za-z]{2}_", core):
        return False
    subs = re.findall(_SCRIPT + "{2,}", core)
    return all(len(re.findall(r"ᵀ|[²³]", s)) <= 1 and len(re.findall(r"[₀-₉ᵢⱼₖₗₘₙₚ]+|_", s)) <= 1 for s in subs)


def _classify(core: str) -> str:
    """strong: certainly math; weak: math only next to math (numbers, the letter A); text."""
    if not core or not _safe(core):
        return "text"
    if any(ch in MATH_CHARS for ch in core) or re.fullmatch(r"[B-Z]{1,2}|[A-Z][B-Z]", core):
        return "strong"
    if (len(core) == 1 and core in INDEX_LETTERS) or re.fullmatch(r"[a-z](,[a-z])+", core):
        return "strong"
    if core == "A":
        return "article?"
    if re.fullmatch(r"\d+|[a-z]", core):
        return "weak"
    return "text"


def math_word(core: str) -> str:
    """A word of prose math (∂L/∂a_(i,j), ZᵀG, 3×2) as LaTeX math."""
    core = re.sub(r"_\(([^()]*)\)", r"_{\1}", core)
    out, i = [], 0
    while i < len(core):
        ch = core[i]
        if ch in _SUBS:
            j = i
            while j < len(core) and core[j] in _SUBS:
                j += 1
            out.append("_{" + "".join(_SUBS[c] for c in core[i:j]) + "}")
            i = j
            continue
        out.append(PROSE_MATH.get(ch, GREEK.get(ch, ch)))
        i += 1
    return "".join(out).strip()


def prose_runs(text: str) -> list[tuple[bool, str]]:
    """Split prose into (is_math, piece) runs; math pieces are already LaTeX, text
    pieces are raw. Adjacent math words merge into one formula."""
    words: list[tuple[str, str, str, str]] = []  # lead, core, trail, kind
    for word in text.split(" "):
        lead, core, trail = _WORD.match(word).groups()  # type: ignore[union-attr]
        while trail.startswith(")") and core.count("(") > core.count(")"):
            core, trail = core + ")", trail[1:]
        words.append((lead, core, trail, _classify(core)))
    kinds = [w[3] for w in words]
    for i, kind in enumerate(kinds):  # a capital A opening a sentence is the article
        if kind == "article?":
            opens = i == 0 or words[i - 1][2][-1:] in (".", "!", "?")
            kinds[i] = "weak" if opens else "strong"
    for i, kind in enumerate(kinds):  # a weak word is math when it touches a strong one
        if kind == "weak":
            before = i > 0 and kinds[i - 1] == "strong" and not words[i - 1][2] and not words[i][0]
            after = i + 1 < len(words) and kinds[i + 1] == "strong" and not words[i][2] and not words[i + 1][0]
            kinds[i] = "strong" if before or after else "text"
    runs: list[tuple[bool, str]] = []

    def add(is_math: bool, piece: str) -> None:
        if runs and runs[-1][0] == is_math and not is_math:
            runs[-1] = (False, runs[-1][1] + piece)
        else:
            runs.append((is_math, piece))

    open_math: list[str] = []
    prev = ""
    for i, (lead, core, trail, _) in enumerate(words):
        sep = " " if i else ""
        if kinds[i] == "strong":
            if open_math and not lead:
                joint = " " if {prev, core} & OPERATORS else r"\ "
                open_math.append(joint + math_word(core))
            else:
                if open_math:
                    runs.append((True, "".join(open_math)))
                    open_math = []
                add(False, sep + lead)
                open_math = [math_word(core)]
            prev = core
            if trail:
                runs.append((True, "".join(open_math)))
                open_math = []
                add(False, trail)
        else:
            if open_math:
                runs.append((True, "".join(open_math)))
                open_math = []
            add(False, sep + lead + core + trail)
    if open_math:
        runs.append((True, "".join(open_math)))
    return [(m, p) for m, p in runs if p]

"""The Derivation as LaTeX: a standalone article (amsmath, amssymb, geometry; all in
Debian's texlive-latex-base) or, with fragment=True, only the body to paste into a
paper. The output is pure ASCII and has no date, so the same run gives the same bytes."""

from __future__ import annotations

import unicodedata
from typing import Any

from ..derivation import Check, Comparison, Derivation, Listing, Verdict
from ..notation import Grid, Node, Poly
from .abridge import entries
from .latexmath import NODE_TYPES, PROSE_MATH, align_rows, math_word, one_line, prose_runs, rhs_lines, to_latex
from .walk import step_lines, verdict_words

PACKAGES = ("amsmath", "amssymb")
TEXT_CHARS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "#": r"\#", "$": r"\$", "%": r"\%", "&": r"\&",
    "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
    "—": "---", "–": "--", "’": "'", "‘": "`", "“": "``", "”": "''", "…": r"\ldots{}", "✓": r"$\checkmark$",
    "✗": r"$\times$", "\u00a0": "~",
}


def escape(text: str) -> str:
    """Plain text for LaTeX, ASCII only: specials escaped, a few Unicode signs mapped."""
    out = []
    for ch in text:
        if ch in TEXT_CHARS:
            out.append(TEXT_CHARS[ch])
        elif ord(ch) < 128:
            out.append(ch)
        elif ch in PROSE_MATH:
            out.append("$" + math_word(ch) + "$")
        else:
            plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(escape(plain) if plain else "?")
    return "".join(out)


def prose(text: str) -> str:
    """A sentence with its formulas set as inline math."""
    return "".join(f"${piece}$" if is_math else escape(piece) for is_math, piece in prose_runs(text))


def inline(node: Any) -> str:
    return "$" + to_latex(node, display=False) + "$"


def mark(ok: bool, math: bool = False) -> str:
    """✓ or ✗ as symbols that compile: amssymb's check mark, a cross (times)."""
    sym = r"\checkmark" if ok else r"\times"
    return sym if math else f"${sym}$"


GAP = "\x00"  # a row starting with this begins a new item: a little more space above it


def _align(rows: list[str]) -> list[str]:
    text = ""
    for n, row in enumerate(rows):
        if n:
            text += (" \\\\[4pt]\n" if row.startswith(GAP) else " \\\\\n")
        text += row.lstrip(GAP)
    return [r"\begin{align*}", text, r"\end{align*}"]


def display(node: Node) -> list[str]:
    rows = align_rows(node)
    single = one_line(rows)
    return [r"\[", single, r"\]"] if single is not None else _align(rows)


def listing(block: Listing) -> list[str]:
    rows: list[str] = []
    for pos, node in enumerate(block.nodes):
        if block.gap_at == pos:
            rows.append(rf"&\ \ \vdots \qquad \text{{({block.omitted:,} more)}}")
        item = align_rows(node)
        rows += [GAP + item[0], *item[1:]]
    return _align(rows)


def comparison(block: Comparison) -> list[str]:
    head = (f"{inline(block.derived_label)} as derived (above each pair) and {inline(block.expected_label)} "
            "as built by matrix products (below it), entry by entry:")
    if block.marks is None:
        (dr, dc), (er, ec) = block.derived.shape, block.expected.shape
        return [head, "", rf"\textbf{{The shapes differ:}} ${dr} \times {dc}$ against ${er} \times {ec}$."]
    rows, cols = block.derived.shape
    shown, hidden = entries(rows, cols)
    dl, el = to_latex(block.derived_label), to_latex(block.expected_label)
    dl_note = r"\text{derived}"
    out: list[str] = []
    for cell in shown:
        if cell is None:
            out.append(rf"&\ \ \vdots \qquad \text{{({hidden:,} more entries)}}")
            continue
        r, c = cell
        sub = f"_{{{r + 1},{c + 1}}}"
        for label, grid, note in ((dl, block.derived, dl_note),
                                  (el, block.expected, mark(block.marks[r][c], math=True))):
            lines = rhs_lines(_entry(grid, r, c), budget=26.0)
            for n, line in enumerate(lines):
                lhs = rf"{GAP if note == dl_note else ''}\left({label}\right){sub} &= " if n == 0 else r"&\quad "
                out.append(lhs + line + (f" && {note}" if n == len(lines) - 1 else ""))
    return [head, *_align(out)]


def _entry(grid: Grid, r: int, c: int) -> Any:
    return Poly(grid.rows[r][c])


def check(c: Check) -> list[str]:
    """The statement marked by what it is (holds or not), then the verdict in words."""
    verdict = rf"\textbf{{{escape(verdict_words(c))}}}"
    sign = mark(c.verdict == Verdict.HOLDS)
    lines = [r"\begin{quote}", rf"{sign}\ {inline(c.statement)}\quad {verdict}.\\", prose(sentence(c.reason))]
    cx = c.counterexample
    if cx is not None and cx.label is not None:
        lines.append(rf"For instance {inline(cx.label)} is {inline(as_node(cx.derived))}, "
                     rf"against {inline(as_node(cx.expected))}.")
    if c.suggestion:
        lines.append(" ".join(prose(p) if isinstance(p, str) else inline(p) for p in c.suggestion) + ".")
    lines.append(r"\end{quote}")
    return lines


def as_node(x: Any) -> Any:
    """An exact value (a number or polynomial) as a node, a node as itself."""
    return x if isinstance(x, NODE_TYPES) else Poly(x)


def sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")) if text else ""


HEADINGS = ("section", "subsection", "none")


def _heading(level: str, title: str) -> str:
    """An unnumbered heading (the step number is in its text), set ragged-right so a long title
    breaks instead of running into the margin; a bold paragraph for `none`."""
    if level == "none":
        return rf"\medskip\noindent\textbf{{{title}}}\par"
    return rf"\{level}*{{\raggedright {title}}}"


def summary(d: Derivation, level: str = "section") -> list[str]:
    out = [_heading(level, "Summary"), "", r"\begin{center}", r"\begin{tabular}{llll}",
           r"statement & verdict & expected & as expected \\", r"\hline"]
    for c in d.checks:
        out.append(rf"{inline(c.statement)} & {c.verdict.value} & {c.expected.value} & {'yes' if c.ok else 'no'} \\")
    out += [r"\end{tabular}", r"\end{center}", ""]
    words = "All checks came out as expected" if d.ok else r"\textbf{Some checks did not come out as expected}"
    out.append(f"{words} (method: {escape(d.method)}).")
    return out


def command_parts(d: Derivation) -> tuple[str, str]:
    """The command that reproduces the derivation, in two halves short enough for any text width."""
    s = d.spec
    if d.for_all_shapes:
        return ("symderiv prove", f"--layout {s.layout} {'--bias' if s.bias else '--no-bias'} --loss {s.loss}")
    return (f"symderiv verify --m {s.m} --k {s.k} --n {s.n}",
            f"--layout {s.layout} {'--bias' if s.bias else '--no-bias'} --loss {s.loss}")


def command(d: Derivation) -> str:
    return " ".join(command_parts(d))


def shapes(d: Derivation) -> str:
    """The sizes as a sentence: Z is 3×2, W is 2×4, B is 1×4 and G is 3×4."""
    s = d.spec
    parts = [("Z", (s.m, s.k)), ("W", s.w_shape)] + ([("B", (1, s.n))] if s.bias else []) + [("G", (s.m, s.n))]
    said = [f"{name} is {r}×{c}" for name, (r, c) in parts]
    return ", ".join(said[:-1]) + " and " + said[-1]


def symbolic_shapes(d: Derivation) -> str:
    """The sizes as letters: Z is m×k, W is k×n, B is 1×n and G is m×n (W is n×k in layout zwt)."""
    w = "n×k" if d.spec.layout == "zwt" else "k×n"
    said = ["Z is m×k", f"W is {w}"] + (["B is 1×n"] if d.spec.bias else []) + ["G is m×n"]
    return ", ".join(said[:-1]) + " and " + said[-1]


def intro(d: Derivation) -> str:
    s = d.spec
    if d.for_all_shapes:
        return (f"For every m, k, n: {symbolic_shapes(d)}; layout {s.layout}, loss {s.loss}, method {d.method}. "
                "Every result below was derived by differentiation in index notation and decided for every shape")
    return (f"Shapes: {shapes(d)}; layout {s.layout}, loss {s.loss}, method {d.method}. Every result below was "
            "derived by differentiation and checked exactly")


def body(d: Derivation, heading: str = "section") -> str:
    """The document's content; `heading` is section, subsection or none (bold paragraphs)."""
    if heading not in HEADINGS:
        raise ValueError(f"unknown heading level {heading!r}")
    first, second = (escape(p) for p in command_parts(d))
    out = [f"% {command(d)}", r"\begingroup", r"\allowdisplaybreaks", "",
           rf"\noindent {prose(intro(d))}. The command:", r"\begin{quote}",
           rf"\texttt{{{first}}}\\", rf"\texttt{{\ \ {second}}}", r"\end{quote}", ""]
    out += step_lines(d, lambda n, title: _heading(heading, rf"{n}.\quad {title}"), prose, display, listing, comparison, check)
    out += summary(d, heading)
    out += [r"\endgroup", ""]
    return "\n".join(out)


def render(d: Derivation, fragment: bool = False, heading: str = "section") -> str:
    text = body(d, heading)
    if fragment:
        return text
    head = [
        r"\documentclass[11pt]{article}",
        *(rf"\usepackage{{{p}}}" for p in PACKAGES),
        r"\usepackage[margin=2.5cm]{geometry}",
        r"\title{Gradients of an affine layer, derived and checked}",
        r"\author{symderiv}",
        r"\date{}",
        r"\begin{document}",
        r"\maketitle",
        "",
    ]
    return "\n".join(head) + "\n" + text + "\\end{document}\n"

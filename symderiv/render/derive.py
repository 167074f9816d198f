"""`derive`'s Derivation as a Markdown or LaTeX document: the shared step walk and
block renderers of render/markdown.py and render/latex.py, with derive's own title."""

from __future__ import annotations

from ..derivation import Derivation
from . import latex as tex
from . import markdown as md
from .walk import step_lines


def markdown(d: Derivation, title: str) -> str:
    out = [f"# {md.escape(title)}", ""]
    out += step_lines(d, lambda n, t: f"## {n}. {t}", md.prose, md.display, md.listing, md.comparison, md.check)
    return "\n".join(out).rstrip() + "\n"


def latex(d: Derivation, title: str, fragment: bool = False) -> str:
    body = step_lines(d, lambda n, t: rf"\section*{{\raggedright {n}.\quad {t}}}", tex.prose, tex.display,
                      tex.listing, tex.comparison, tex.check)
    text = "\n".join(body).rstrip() + "\n"
    if fragment:
        return text
    head = [r"\documentclass[11pt]{article}", *(rf"\usepackage{{{p}}}" for p in tex.PACKAGES),
            r"\usepackage[margin=2.5cm]{geometry}", rf"\title{{{tex.escape(title)}}}", r"\author{symderiv}", r"\date{}",
            r"\begin{document}", r"\maketitle", ""]
    return "\n".join(head) + "\n" + text + "\\end{document}\n"

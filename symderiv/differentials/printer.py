"""The algebra's sums as plain text (which `symderiv claim` reads back) and as LaTeX,
in the user's letters and styles: 2 Xᵀ(X w − y), (A + Aᵀ) x, \\mathbf{x}."""

from __future__ import annotations

from fractions import Fraction

from .algebra import Dx, Factor, Group, Had, Ident, Leaf, OnesV, Sum, Term, Tr

GREEK_TEXT = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η", "theta": "θ",
              "lambda": "λ", "mu": "μ", "rho": "ρ", "tau": "τ", "phi": "φ", "psi": "ψ", "omega": "ω", "sigma": "σ"}
SUB_DIGITS = "₀₁₂₃₄₅₆₇₈₉"


def _name_text(leaf: Leaf) -> str:
    if leaf.style == "greek":
        return GREEK_TEXT.get(leaf.name, leaf.name)
    return leaf.name


def _name_latex(leaf: Leaf) -> str:
    name, digit = leaf.name, ""
    if name and name[-1] in SUB_DIGITS:
        name, digit = name[:-1], "_{" + str(SUB_DIGITS.index(name[-1])) + "}"
    if leaf.style == "greek":
        return "\\" + name + digit
    if leaf.style == "bold":
        return "\\mathbf{" + name + "}" + digit
    return name + digit


class Printer:
    """One style of output: `latex` False gives plain text."""

    def __init__(self, latex: bool) -> None:
        self.latex = latex
        self.tp = "^{\\top}" if latex else "ᵀ"

    def factor(self, f: Factor, alone: bool = False) -> str:
        if isinstance(f, Leaf):
            s = _name_latex(f) if self.latex else _name_text(f)
            return s + (self.tp if f.t else "")
        if isinstance(f, Dx):
            d = "\\mathrm{d}" if self.latex else "d"
            inner = d + (_name_latex(f.leaf) if self.latex else _name_text(f.leaf))
            if f.t:
                return (f"({inner})" if not self.latex else f"\\left({inner}\\right)") + self.tp
            return inner
        if isinstance(f, Ident):
            return "I"
        if isinstance(f, OnesV):
            return ("\\mathbf{1}" if self.latex else "𝟏") + (self.tp if f.t else "")
        if isinstance(f, Group):
            inner = self.sum(f.sum)
            if alone and not f.t:
                return inner
            return self.paren(inner) + (self.tp if f.t else "")
        if isinstance(f, Had):
            op = " \\odot " if self.latex else " ⊙ "
            s = self.side(f.a) + op + self.side(f.b)
            return s if alone else self.paren(s)
        if isinstance(f, Tr):
            name = "\\operatorname{tr}" if self.latex else "tr"
            return name + self.paren(self.sum(f.a))
        raise TypeError(f)  # pragma: no cover - the factor kinds are closed

    def paren(self, s: str) -> str:
        return f"\\left({s}\\right)" if self.latex else f"({s})"

    def side(self, s: Sum) -> str:
        text = self.sum(s)
        plain = len(s.terms) == 1 and s.terms[0].coef == 1 and len(s.terms[0].chain) + len(s.terms[0].scalars) == 1
        return text if plain else self.paren(text)

    def coef(self, c: Fraction) -> str:
        if c.denominator == 1:
            return str(c.numerator)
        if self.latex:
            return f"\\frac{{{c.numerator}}}{{{c.denominator}}}"
        return f"{c.numerator}/{c.denominator}"

    def term(self, t: Term) -> str:
        """The term without its sign."""
        c = abs(t.coef)
        parts = [] if c == 1 and (t.scalars or t.chain) else [self.coef(c)]
        factors = list(t.scalars) + list(t.chain)
        for f in factors:
            parts.append(self.factor(f, alone=len(factors) == 1 and not parts))
        return " ".join(parts) if parts else "1"

    def sum(self, s: Sum) -> str:
        if not s.terms:
            return "0"
        out = ""
        for i, t in enumerate(s.terms):
            body = self.term(t)
            if i == 0:
                out = ("-" if self.latex else "−") + body if t.coef < 0 else body
            else:
                out += (" - " if self.latex else " − ") + body if t.coef < 0 else " + " + body
        return out


TEXT = Printer(False)
LATEX = Printer(True)


def text(s: Sum) -> str:
    return TEXT.sum(s)


def latex(s: Sum) -> str:
    return LATEX.sum(s)


def shape_words(s: Sum, sizes: dict[int, str]) -> str:
    """3×2, n×1: the shape with each class's size or name."""
    return "×".join(sizes.get(d, "1") for d in s.shape)


def entry(f: Factor | None, rows: str, cols: str, latex: bool) -> str:
    """The (rows, cols) entry of a factor: z_{i,p}, z_{p,i} for Zᵀ, δ_{i,p} for I or None."""
    if f is None or isinstance(f, Ident):
        a, b = sorted((rows, cols), key="ijpq".find)
        return ("\\delta" if latex else "δ") + "_{" + a + "," + b + "}"
    if isinstance(f, Leaf) and f.style != "greek" and -1 not in f.shape and f.name.isupper():
        r, c = (cols, rows) if f.t else (rows, cols)
        low = f.name.lower()
        name = ("\\mathbf{" + low + "}" if latex and f.style == "bold" else low)
        return name + "_{" + r + "," + c + "}"
    p = LATEX if latex else TEXT
    return p.paren(p.factor(f, alone=True)) + "_{" + rows + "," + cols + "}"

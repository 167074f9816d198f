"""The LaTeX renderer against a real TeX: every generated document compiles with
pdflatex (-halt-on-error), and the PDF's own text (pdftotext) shows the entries of
the gradient and the rejection of ∂A/∂W = Zᵀ, built here independently."""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import symengine as se

from symderiv.derivation import Derivation, Display, Prose, Step
from symderiv.notation import Call, D, Half, L, Ones, Poly, Prod, Rel, Shape, Sum, Sym, T, Words, entry
from symderiv.render import latex
from symderiv.render.latexmath import align_rows, poly_latex, to_latex
from symderiv.shapes import LAYOUTS, Spec
from symderiv.verify import verify

GOLDEN = Path(__file__).parent / "golden"
HAVE_TEX = bool(shutil.which("pdflatex") and shutil.which("pdftotext"))
needs_tex = pytest.mark.skipif(
    not HAVE_TEX,
    reason="pdflatex/pdftotext not installed (Debian: texlive-latex-base poppler-utils; see .ci/install-renderers)",
)
pytestmark = pytest.mark.renderers


@functools.cache
def derivation(spec: Spec) -> Derivation:
    return verify(spec)


@dataclass
class Compiled:
    ok: bool
    log: str
    pdf: Path

    def text(self) -> str:
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(self.pdf), "-"], capture_output=True, text=True,
                              check=True).stdout


def compile_tex(source: str, folder: Path, name: str = "doc") -> Compiled:
    """pdflatex as a user runs it; ok only when it exits 0 and writes a PDF."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.tex").write_text(source, encoding="utf-8")
    run = subprocess.run(
        ["pdflatex", "-halt-on-error", "-interaction=nonstopmode", "-no-shell-escape", f"{name}.tex"],
        cwd=folder, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL,
    )
    log_path = folder / f"{name}.log"
    log = log_path.read_text(encoding="latin-1") if log_path.exists() else run.stdout
    pdf = folder / f"{name}.pdf"
    return Compiled(run.returncode == 0 and pdf.exists(), log, pdf)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def overfull(log: str) -> list[float]:
    return [float(x) for x in re.findall(r"Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide\)", log)]


def grad_w_entries(spec: Spec) -> dict[tuple[int, int], str]:
    """∂L/∂W entry by entry as pdftotext shows it (g before z, whitespace removed), from math.md:
    ZᵀG: (p,q) = Σ_i z_{i,p} g_{i,q};  GᵀZ (layout zwt): (p,q) = Σ_i g_{i,p} z_{i,q}."""
    m, k, n = spec.m, spec.k, spec.n
    if spec.layout == "zw":
        return {(p, q): "+".join(f"g{i},{q}z{i},{p}" for i in range(1, m + 1))
                for p in range(1, k + 1) for q in range(1, n + 1)}
    return {(p, q): "+".join(f"g{i},{p}z{i},{q}" for i in range(1, m + 1))
            for p in range(1, n + 1) for q in range(1, k + 1)}


ALL_OPTIONS = [Spec(3, 2, 4, layout, bias, loss)
               for layout in ("zw", "zwt") for bias in (True, False) for loss in ("generic", "sumsq")]
SHAPES = [Spec(8, 8, 8), Spec(1, 1, 1), Spec(5, 1, 2, "zwt"), Spec(2, 7, 3, loss="sumsq")]


def _id(spec: Spec) -> str:
    return f"{spec.m}x{spec.k}x{spec.n}-{spec.layout}-{'bias' if spec.bias else 'nobias'}-{spec.loss}"


# --- the compile helper can fail -------------------------------------------------------


@needs_tex
def test_compile_helper_rejects_broken_latex(tmp_path: Path) -> None:
    good = compile_tex("\\documentclass{article}\\begin{document}$x^2$\\end{document}\n", tmp_path / "good")
    assert good.ok
    broken = compile_tex("\\documentclass{article}\\begin{document}$\\frac{a}{$\\end{document}\n", tmp_path / "bad")
    assert not broken.ok
    undefined = compile_tex("\\documentclass{article}\\begin{document}\\notacommand\\end{document}\n", tmp_path / "u")
    assert not undefined.ok and "Undefined control sequence" in undefined.log


# --- every option and several shapes compile, and read right -----------------------------


@needs_tex
@pytest.mark.parametrize("spec", ALL_OPTIONS + SHAPES, ids=_id)
def test_document_compiles_without_errors_or_wide_lines(spec: Spec, tmp_path: Path) -> None:
    result = compile_tex(latex.render(derivation(spec)), tmp_path)
    assert result.ok, result.log[-3000:]
    assert not [w for w in overfull(result.log) if w > 15.0], "lines run into the margin"


@needs_tex
@pytest.mark.parametrize("spec", [s for s in ALL_OPTIONS + SHAPES if s.loss == "generic"], ids=_id)
def test_pdf_shows_the_weight_gradient_entries(spec: Spec, tmp_path: Path) -> None:
    result = compile_tex(latex.render(derivation(spec)), tmp_path)
    text = squash(result.text())
    entries = grad_w_entries(spec)
    first, last = min(entries), max(entries)
    for cell in (first, last):
        # printed twice: as derived and as built by products (ZᵀG or GᵀZ)
        assert text.count("=" + entries[cell]) >= 2, (cell, entries[cell])
    shown = {cell for cell, poly in entries.items() if "=" + poly in text}
    if len(entries) <= 12:
        assert shown == set(entries)
    else:  # abridged: the first ten entries and the last, not the middle
        assert set(sorted(entries)[:10]) <= shown and len(shown) < len(entries)


@needs_tex
@pytest.mark.parametrize("spec", [Spec(3, 2, 4), Spec(3, 2, 4, "zwt", False), Spec(8, 8, 8)], ids=_id)
def test_pdf_shows_the_jacobian_rejection(spec: Spec, tmp_path: Path) -> None:
    result = compile_tex(latex.render(derivation(spec)), tmp_path)
    text = squash(result.text())
    w_shape = (spec.k, spec.n) if spec.layout == "zw" else (spec.n, spec.k)
    jac = "×".join(map(str, (spec.m, spec.n, *w_shape)))
    assert "∂A/∂W=Z⊤rejected,asexpected" in text
    assert f"hasshape{jac}butZ⊤is{spec.k}×{spec.m}" in text
    assert "R" + jac in text  # ∂A/∂W ∈ ℝ^{m×n×…}: the 4-index shape, not a wall of zeros


# --- typography and form ---------------------------------------------------------------------


def test_typography_a_mathematician_accepts() -> None:
    tex = latex.render(derivation(Spec(3, 2, 4)))
    for piece in (r"\frac{\partial L}{\partial w_{1,2}}", r"Z^{\top}G", r"\delta_{j,q}", r"\begin{bmatrix}",
                  r"\checkmark", r"\sum_{i,j}", r"\in \mathbb{R}^{3 \times 4 \times 2 \times 4}",
                  r"\usepackage{amsmath}", r"\usepackage{amssymb}", r"\documentclass[11pt]{article}"):
        assert piece in tex, piece
    assert "✓" not in tex and tex.isascii()
    assert len(re.findall(r"\\section\*\{\\raggedright \d+\.", tex)) == len(derivation(Spec(3, 2, 4)).steps)


def test_large_shapes_are_abridged() -> None:
    tex = latex.render(derivation(Spec(8, 8, 8)))
    assert r"\cdots" in tex and r"\vdots" in tex and r"\ddots" in tex
    assert "z_{8,8}" in tex and "z_{5,5}" not in tex  # the matrix shows its corners, not its middle
    assert "more)" in tex


def test_fragment_is_the_body_of_the_standalone_document() -> None:
    d = derivation(Spec(3, 2, 4, "zwt"))
    fragment, whole = latex.render(d, fragment=True), latex.render(d)
    assert r"\documentclass" not in fragment and r"\begin{document}" not in fragment
    assert fragment in whole and whole.endswith("\\end{document}\n")


@needs_tex
def test_fragment_compiles_inside_a_paper_with_the_documented_packages(tmp_path: Path) -> None:
    fragment = latex.render(derivation(Spec(2, 3, 2)), fragment=True)
    paper = ("\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\begin{document}\n"
             "\\section{Introduction}\nText before.\n\n" + fragment + "\nText after.\n\\end{document}\n")
    result = compile_tex(paper, tmp_path)
    assert result.ok, result.log[-3000:]
    assert "Text after." in result.text()


def test_same_derivation_same_bytes() -> None:
    first = latex.render(verify(Spec(3, 2, 4)))
    second = latex.render(verify(Spec(3, 2, 4)))
    assert first == second


@needs_tex
def test_odd_prose_and_formulas_still_compile(tmp_path: Path) -> None:
    """Text the core may one day produce (exception messages, names with _ and %, Unicode)."""
    odd = ["grad_W failed: 50% of {x} cost $5 & #1 ~ ^ \\ — fine… “quoted”",
           "x_1_2 and a_b_c and Zᵀᵀ and z₁₂² and ∂L/∂w_(1,2) and 3×4×2×4 and ½ and 𝟏ᵀG ≠ GᵀZ ≈ 0",
           "A claim such as ∂Y/∂W = Xᵀ is rejected; A = ZWᵀ + b. Naïve café ⊗ λ"]
    d = Derivation(Spec(1, 1, 1), [Step("odd_title 100% {∂L/∂W}", [Prose(p) for p in odd] + [
        Display(Rel(Call("tr_x", (Sym("Z"),)), Words("a_b {c} 5% ∂"))), Display(Rel(Sym("long_name"), Sym("δ")))])], [])
    result = compile_tex(latex.render(d), tmp_path)
    assert result.ok, result.log[-3000:]
    assert "failed: 50% of {x} cost $5 & #1" in result.text()


def test_golden_files_match() -> None:
    d = derivation(Spec(3, 2, 4))
    expected = (GOLDEN / "verify-3-2-4.tex").read_text(encoding="utf-8")
    assert latex.render(d) == expected, "LaTeX output changed: review, then run `make golden`"


@needs_tex
def test_golden_file_compiles(tmp_path: Path) -> None:
    result = compile_tex((GOLDEN / "verify-3-2-4.tex").read_text(encoding="utf-8"), tmp_path)
    assert result.ok, result.log[-3000:]


# --- the command line ---------------------------------------------------------------------------


def symderiv(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "symderiv", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL)


@needs_tex
@pytest.mark.parametrize("options", [[], ["--layout", "zwt", "--no-bias"], ["--m", "8", "--k", "8", "--n", "8"]],
                         ids=["3x2x4", "zwt-no-bias", "8x8x8"])
def test_cli_acceptance(options: list[str], tmp_path: Path) -> None:
    shape = ["--m", "3", "--k", "2", "--n", "4"] if "--m" not in options else []
    run = symderiv("verify", *shape, *options, "--latex", "out.tex", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    source = (tmp_path / "out.tex").read_text(encoding="utf-8")
    result = compile_tex(source, tmp_path, "out")
    assert result.ok, result.log[-3000:]
    text = squash(result.text())
    assert "∂A/∂W=Z⊤rejected,asexpected" in text
    assert "=" + grad_w_entries(Spec(*(8, 8, 8) if "8" in options else (3, 2, 4),
                                     "zwt" if "zwt" in options else "zw"))[(1, 1)] in text
    again = symderiv("verify", *shape, *options, "--latex", "-", "--fragment", cwd=tmp_path)
    assert again.returncode == 0 and again.stdout in source  # stdout carries the body, and only it


# --- failures render too, and each node kind prints as a mathematician writes it ------------------


def planted_failure() -> Derivation:
    """Wrong closed forms (GᵀZ has the wrong shape in layout zw; −GWᵀ the wrong sign), planted through
    `verify`'s layout override so that the derivation holds real failures."""
    wrong = dataclasses.replace(LAYOUTS["zw"], grad_W=lambda Z, W, G: G.T * Z, grad_Z=lambda Z, W, G: -(G * W.T))
    return verify(Spec(3, 2, 4), layout=wrong)


@needs_tex
def test_a_failing_derivation_compiles_and_says_so(tmp_path: Path) -> None:
    d = planted_failure()
    assert not d.ok
    tex = latex.render(d)
    assert r"\textbf{The shapes differ:} $2 \times 4$ against $4 \times 2$." in tex
    assert r"&& \times" in tex  # the entries of −GWᵀ are marked as differing
    result = compile_tex(tex, tmp_path)
    assert result.ok, result.log[-3000:]
    text = squash(result.text())
    assert "Somechecksdidnotcomeoutasexpected" in text
    assert "∂L/∂Z=GW⊤fails(expected:holds).Entry(1,1)differs." in text


@pytest.mark.parametrize(
    ("node", "display", "inline"),
    [
        (D(L, entry("w", 1, 2)), r"\frac{\partial L}{\partial w_{1,2}}", r"\partial L/\partial w_{1,2}"),
        (Prod((T(Sym("Z")), Sym("G"))), r"Z^{\top}G", r"Z^{\top}G"),
        (Prod((Sym("Z"), T(Sym("E", ("p", "q"))))), r"Z E_{p,q}^{\top}", r"Z E_{p,q}^{\top}"),
        (Prod((T(Ones()), Sym("G"))), r"\mathbf{1}^{\top}G", r"\mathbf{1}^{\top}G"),
        (Prod((Sym("z", ("i", "p")), Sym("δ", ("j", "q")))), r"z_{i,p} \delta_{j,q}", r"z_{i,p} \delta_{j,q}"),
        (Sum("i", 1, Sym("m"), Prod((entry("z", "i", "p"), entry("g", "i", "q")))),
         r"\sum_{i=1}^{m} z_{i,p} g_{i,q}", r"\sum_{i=1}^{m} z_{i,p} g_{i,q}"),
        (Prod((Half(), Sum("i,j", None, None, Prod((entry("a", "i", "j"), entry("a", "i", "j")))))),
         r"\frac{1}{2} \sum_{i,j} a_{i,j}^{2}", r"\tfrac{1}{2} \sum_{i,j} a_{i,j}^{2}"),
        (Prod((Sum("j", None, None, entry("w", 1, "j")), Sym("x"))), r"\left(\sum_{j} w_{1,j}\right) x",
         r"\left(\sum_{j} w_{1,j}\right) x"),
        (Rel(D(Sym("A"), Sym("W")), Shape((3, 4, 2, 4))),
         r"\frac{\partial A}{\partial W} \in \mathbb{R}^{3 \times 4 \times 2 \times 4}",
         r"\partial A/\partial W \in \mathbb{R}^{3 \times 4 \times 2 \times 4}"),
        (Rel(Call("tr", (Prod((Sym("Z"), Sym("W"))),)), Call("tr", (Prod((Sym("W"), Sym("Z"))),)), "≠"),
         r"\operatorname{tr}\left(ZW\right) \neq \operatorname{tr}\left(WZ\right)",
         r"\operatorname{tr}\left(ZW\right) \neq \operatorname{tr}\left(WZ\right)"),
    ],
)
def test_node_kinds(node: object, display: str, inline: str) -> None:
    assert to_latex(node, display=True) == display
    assert to_latex(node, display=False) == inline


def test_polynomials_signs_fractions_powers() -> None:
    z11, w12, b1 = se.Symbol("z_1_1"), se.Symbol("w_1_2"), se.Symbol("b_1")
    assert poly_latex(-z11**2 / 2 + 3 * w12 - b1) == r"-\frac{1}{2} z_{1,1}^{2} + 3 w_{1,2} - b_{1}"
    assert poly_latex(z11 * 0) == "0"
    assert poly_latex(se.Integer(-7)) == "-7"


def test_long_sums_break_into_lines() -> None:
    expr = sum(se.Symbol(f"g_{i}_1") * se.Symbol(f"z_{i}_1") for i in range(1, 21))
    rows = align_rows(Rel(D(L, entry("w", 1, 1)), Poly(expr)))
    assert len(rows) >= 3 and rows[0].startswith(r"\frac{\partial L}{\partial w_{1,1}} &= g_{1,1} z_{1,1}")
    assert all(r.startswith(r"&\quad + ") for r in rows[1:])
    assert " ".join(r.split("&", 1)[1].replace(r"\quad", "").replace("=", "") for r in rows).split() == \
        poly_latex(expr).split()


def test_ci_installs_the_renderers_before_the_tests() -> None:
    root = Path(__file__).resolve().parent.parent
    script = root / ".ci" / "install-renderers"
    assert os.access(script, os.X_OK)
    assert subprocess.run(["bash", "-n", str(script)], capture_output=True).returncode == 0
    steps = [ln.strip() for ln in (root / ".ci" / "run").read_text().splitlines()]
    assert steps.index(".ci/install-renderers") < steps.index("make test")


# --- a fragment pasted into a default article: no overflow from the command line, headings as asked ---


def _paper(body: str) -> str:
    return ("\\documentclass{article}\n\\usepackage{amsmath}\n\\usepackage{amssymb}\n\\begin{document}\n"
            "\\section{Our layer}\n" + body + "\\section{Next}\n\\end{document}\n")


@needs_tex
@pytest.mark.parametrize("level", ["section", "subsection", "none"])
def test_fragment_in_a_default_article(level: str, tmp_path: Path) -> None:
    body = latex.render(derivation(Spec(3, 2, 4)), fragment=True, heading=level)
    result = compile_tex(_paper(body), tmp_path)
    assert result.ok, result.log[-3000:]
    assert not [w for w in overfull(result.log) if w > 1.0], "the fragment overflows a default article's margin"
    starred = {"section": r"\section*{", "subsection": r"\subsection*{", "none": r"\textbf{1.\quad"}
    assert starred[level] in body
    for other, command in (("section", r"\section*"), ("subsection", r"\subsection*")):
        assert (command in body) == (other == level)
    text = squash(result.text())
    assert "1Ourlayer" in text and "2Next" in text  # the paper's own numbering is untouched


@needs_tex
def test_overflow_check_catches_an_unbroken_command(tmp_path: Path) -> None:
    """Negative control: the old one-line command in \\texttt does overflow a default article."""
    line = r"\noindent Checked exactly (\texttt{symderiv verify --m 3 --k 2 --n 4 --layout zw --bias --loss generic})."
    result = compile_tex(_paper(line + "\n"), tmp_path)
    assert result.ok and [w for w in overfull(result.log) if w > 1.0]

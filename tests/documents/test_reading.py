"""No silent span: math written the ways people write it is found and judged —
environments inside `$$…$$`, `\\[…\\]` and ```math fences, Markdown-escaped row
breaks and underscores, math inside raw HTML blocks, deep lists and quotes, KaTeX
macros in front matter, chains continued over rows — each with a planted false
equation that must come out `fails` (a silent reader would let it pass)."""

from __future__ import annotations

from pathlib import Path

import pytest

from symderiv.documents.run import Options, check_files

WRONG = r"\frac{\partial L}{\partial W} = W^T \frac{\partial L}{\partial Y}"  # false: Xᵀ ∂L/∂Y, and it does not fit
RIGHT = r"\frac{\partial L}{\partial W} = X^T \frac{\partial L}{\partial Y}"
HEAD = "Let $Y = X W$ with $X \\in \\mathbb{R}^{N \\times D}$ and $W \\in \\mathbb{R}^{D \\times M}$.\n\n"


def _check(tmp_path: Path, body: str, name: str = "doc.md") -> list:
    doc = tmp_path / name
    doc.write_text(body, encoding="utf-8")
    (rep,) = check_files([str(doc)], Options(jobs=1))
    return [f for f in rep.findings if f.verdict != "definition"]


WRAPPERS = [
    ("$$\n\\begin{align}\n{eq}\n\\end{align}\n$$\n", "align in $$"),
    ("$$\\begin{align*} {eq} \\end{align*}$$\n", "align* in $$ on one line"),
    ("$$\n\\begin{aligned}\n{eq}\n\\end{aligned}\n$$\n", "aligned in $$"),
    ("$$\n\\begin{gather}\n{eq}\n\\end{gather}\n$$\n", "gather in $$"),
    ("$$\n\\begin{equation}\n{eq}\n\\end{equation}\n$$\n", "equation in $$"),
    ("$$\n\\begin{multline}\n{eq}\n\\end{multline}\n$$\n", "multline in $$"),
    ("$$\n\\begin{eqnarray}\n{eq}\n\\end{eqnarray}\n$$\n", "eqnarray in $$"),
    ("\\[\n\\begin{split}\n{eq}\n\\end{split}\n\\]\n", "split in \\["),
    ("```math\n\\begin{aligned}\n{eq}\n\\end{aligned}\n```\n", "aligned in a math fence"),
    ("<div align=\"center\">\n\n$${eq}$$\n\n</div>\n", "a div around $$"),
    ("<p>$${eq}$$</p>\n", "$$ inside an HTML block"),
    ("> > > $${eq}$$\n", "a blockquote three deep"),
    ("- a\n  - b\n    - c\n      - d: ${eq}$\n", "a list four deep"),
]


@pytest.mark.parametrize("wrapper,what", WRAPPERS, ids=[w[1] for w in WRAPPERS])
def test_a_false_equation_is_found_however_it_is_wrapped(tmp_path: Path, wrapper: str, what: str) -> None:
    wrong = _check(tmp_path, HEAD + wrapper.replace("{eq}", WRONG.replace("=", "&=", 1) if "align" in wrapper
                                                      or "split" in wrapper or "eqnarray" in wrapper else WRONG))
    assert [f.verdict for f in wrong] == ["fails"], what
    right = _check(tmp_path, HEAD + wrapper.replace("{eq}", RIGHT))
    assert [f.verdict for f in right] == ["holds"], what  # the control: the same place, a true equation


def test_markdown_escaped_row_breaks_and_underscores(tmp_path: Path) -> None:
    body = HEAD + ("$$\\begin{aligned} y\\_{ij} &= \\sum\\_k x\\_{ik} w\\_{kj} \\\\\\\\ "
                   + WRONG.replace("=", "&=", 1) + " \\end{aligned}$$\n")
    assert [f.verdict for f in _check(tmp_path, body)] == ["holds", "fails"]


def test_front_matter_is_not_math_and_its_katex_macros_are_defined(tmp_path: Path) -> None:
    body = ("---\ntitle: \"$a = b$\"\nmacros:\n  \"\\\\pd\": \"\\\\frac{\\\\partial #1}{\\\\partial #2}\"\n"
            "  \"\\\\RR\": \"\\\\mathbb{R}\"\n---\n\n"
            "Let $Y = X W$ with $X \\in \\RR^{N \\times D}$, $W \\in \\RR^{D \\times M}$.\n\n"
            "$$\\pd{L}{W} = X^T \\pd{L}{Y}$$\n\n$$\\pd{L}{W} = \\pd{L}{Y} X^T$$\n")
    fs = _check(tmp_path, body)
    assert [(f.line, f.verdict) for f in fs] == [(10, "holds"), (12, "fails")]


def test_a_line_that_starts_with_equals_continues_the_chain_and_each_link_has_its_line(tmp_path: Path) -> None:
    body = HEAD + ("$$\\begin{aligned}\n\\frac{\\partial L}{\\partial W} &= X^T \\frac{\\partial L}{\\partial Y} \\\\\n"
                   "&= \\frac{\\partial L}{\\partial Y} X^T \\\\\n"
                   "&= X^\\top \\frac{\\partial L}{\\partial Y}\n\\end{aligned}$$\n")
    fs = _check(tmp_path, body)
    assert [(f.line, f.verdict) for f in fs] == [(4, "holds"), (5, "fails"), (6, "holds")]  # each row against the lhs
    assert fs[1].column == 2  # the link starts at its own `=`


def test_a_display_that_starts_with_equals_continues_the_one_above(tmp_path: Path) -> None:
    body = HEAD + f"$${RIGHT}$$\n\n$$= W^T \\frac{{\\partial L}}{{\\partial Y}}$$\n"
    assert [f.verdict for f in _check(tmp_path, body)] == ["holds", "fails"]


def test_approximations_and_update_rules_are_found_and_say_why_they_are_not_judged(tmp_path: Path) -> None:
    body = HEAD + "$$W \\leftarrow W$$\n\n$$W = W - \\eta \\frac{\\partial L}{\\partial W}$$\n\n$$\\|Y\\| \\approx 2$$\n"
    fs = _check(tmp_path, body)
    assert [(f.line, f.verdict) for f in fs] == [(3, "unchecked"), (5, "unchecked"), (7, "unchecked")]
    assert "assignment" in fs[0].reason and "update" in fs[1].reason and "approximation" in fs[2].reason


def test_macros_defined_with_gdef_let_and_declarerobustcommand(tmp_path: Path) -> None:
    body = ("\\gdef\\g#1{\\frac{\\partial L}{\\partial #1}}\n\\let\\T\\top\n"
            "\\DeclareRobustCommand{\\xx}{X}\n% symderiv: context Y = X W; X: N x D; W: D x M\n"
            "\\[ \\g{W} = \\xx^\\T \\g{Y} \\]\n\\[ \\g{W} = \\g{Y} \\xx^\\T \\]\n")
    fs = _check(tmp_path, body, "doc.tex")
    assert [(f.line, f.verdict) for f in fs] == [(5, "holds"), (6, "fails")]


def test_a_display_without_a_relation_is_found_but_never_fails_strict(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(HEAD + "$$\\frac{\\partial L}{\\partial W}$$\n\nand $X^T G$ inline.\n", encoding="utf-8")
    (rep,) = check_files([str(doc)], Options(jobs=1))
    assert [(f.line, f.verdict, f.kind) for f in rep.findings if f.verdict != "definition"] == [(3, "unchecked", "expression")]
    import subprocess
    import sys

    from symderiv.cli import main  # noqa: F401 - the CLI decides the exit code
    strict = subprocess.run([sys.executable, "-m", "symderiv", "check", str(doc), "--strict"], capture_output=True)
    assert strict.returncode == 0, strict.stdout
    doc.write_text(HEAD + "$$\\frac{\\partial L}{\\partial W} = \\foo$$\n", encoding="utf-8")  # a real unchecked claim
    assert subprocess.run([sys.executable, "-m", "symderiv", "check", str(doc), "--strict"]).returncode == 1


def test_inline_spans_joined_by_an_operator_are_one_formula(tmp_path: Path) -> None:
    body = HEAD + "Then $\\frac{\\partial L}{\\partial W}$ = $\\frac{\\partial L}{\\partial Y} X^T$ in the notes.\n"
    assert [(f.line, f.verdict) for f in _check(tmp_path, body)] == [(3, "fails")]

"""Forms found in real notes (tests/corpus/real): a bias written as its row stacked over the
batch, a map written with ↦, `$$$` displays, row breaks with spacing (`\\\\[1ex]`), steps
joined by ⟹ or ∴, `L = L(a)` naming the loss, a shape followed by `\\quad \\text{i.e.} …`.
Each reading has a planted false equation beside a true one (a silent or wrong reading
would let it pass); truth is stated by hand in the comments."""

from __future__ import annotations

from pathlib import Path

from symderiv.documents.run import Options, check_files

HEAD = "Let $Y = X W$ with $X \\in \\mathbb{R}^{N \\times D}$ and $W \\in \\mathbb{R}^{D \\times M}$.\n\n"
DW_RIGHT = r"\frac{\partial L}{\partial W} = X^T \frac{\partial L}{\partial Y}"
DW_WRONG = r"\frac{\partial L}{\partial W} = W^T \frac{\partial L}{\partial Y}"
DX_WRONG = r"\frac{\partial L}{\partial X} = W^T \frac{\partial L}{\partial Y}"  # true: ∂L/∂Y Wᵀ


def _judged(tmp_path: Path, body: str, name: str = "doc.md") -> list[tuple[int, str]]:
    doc = tmp_path / name
    doc.write_text(body, encoding="utf-8")
    (rep,) = check_files([str(doc)], Options(jobs=1))
    assert rep.error is None
    return [(f.line, f.verdict) for f in rep.findings if f.verdict != "definition"]


def _reasons(tmp_path: Path, body: str) -> list[str]:
    doc = tmp_path / "doc.md"
    doc.write_text(body, encoding="utf-8")
    (rep,) = check_files([str(doc)], Options(jobs=1))
    return [f.reason or "" for f in rep.findings]


def test_a_bias_written_as_its_row_stacked_over_the_batch(tmp_path: Path) -> None:
    body = ("Let $Y = XW + B$ with $X \\in \\mathbb{R}^{N \\times D}$, $W \\in \\mathbb{R}^{D \\times M}$, "
            "$b \\in \\mathbb{R}^{1 \\times M}$ and $B = \\begin{bmatrix} b \\\\ \\vdots \\\\ b \\end{bmatrix}$.\n\n"
            "$$\\frac{\\partial L}{\\partial b} = \\mathbf{1}^T \\frac{\\partial L}{\\partial Y}$$\n\n"  # true
            "$$\\frac{\\partial L}{\\partial b} = \\frac{\\partial L}{\\partial Y}$$\n")  # false: the sum is missing
    assert _judged(tmp_path, body) == [(3, "holds"), (5, "fails")]
    assert any("repeated over the batch" in r for r in _reasons(tmp_path, body))


def test_a_stacked_bias_whose_row_is_declared_after_it(tmp_path: Path) -> None:
    """The row's shape comes after B = [b; ⋮; b] (as real notes write it): the layer is still Y = XW + b."""
    body = ("Let $Y = XW + B$ with $X \\in \\mathbb{R}^{N \\times D}$, $W \\in \\mathbb{R}^{D \\times M}$ and\n"
            "$$B = \\begin{bmatrix} b \\\\ \\vdots \\\\ b \\end{bmatrix}$$\n"
            "the bias matrix $B \\in \\mathbb{R}^{N \\times M}$, each row the bias $b \\in \\mathbb{R}^{1 \\times M}$.\n\n"
            "$$\\frac{\\partial L}{\\partial b} = \\mathbf{1}^T \\frac{\\partial L}{\\partial Y}$$\n\n"  # true
            "$$\\frac{\\partial L}{\\partial b} = \\frac{1}{N} \\mathbf{1}^T \\frac{\\partial L}{\\partial Y}$$\n")  # false
    assert _judged(tmp_path, body) == [(5, "holds"), (7, "fails")]


def test_a_map_names_a_function_and_is_not_an_equation(tmp_path: Path) -> None:
    body = HEAD + "$$f : x \\mapsto Wx$$\n\n$$" + DW_RIGHT + "$$\n\n$$" + DW_WRONG + "$$\n"
    assert _judged(tmp_path, body) == [(5, "holds"), (7, "fails")]
    assert any("a map (↦)" in r for r in _reasons(tmp_path, body))


def test_triple_dollar_displays_are_read(tmp_path: Path) -> None:
    assert _judged(tmp_path, HEAD + "$$$" + DW_WRONG + "$$$\n") == [(3, "fails")]
    assert _judged(tmp_path, HEAD + "$$$" + DW_RIGHT + "$$$\n") == [(3, "holds")]


def test_row_breaks_with_spacing_split_rows(tmp_path: Path) -> None:
    for brk in ("\\\\[1ex]", "\\\\[4pt]", "\\\\ [2mm]"):
        body = HEAD + "$$\\begin{aligned} " + DW_RIGHT.replace("=", "&=") + " " + brk + " " \
            + DX_WRONG.replace("=", "&=") + " \\end{aligned}$$\n"
        assert _judged(tmp_path, body) == [(3, "holds"), (3, "fails")], brk


def test_a_starred_row_break_in_latex(tmp_path: Path) -> None:
    """`\\\\*` (no page break here) ends a row in a .tex file; in Markdown `\\\\*` is an escape."""
    body = HEAD + "\\begin{align*}\n" + DW_RIGHT.replace("=", "&=") + " \\\\*\n" \
        + DX_WRONG.replace("=", "&=") + "\n\\end{align*}\n"
    assert _judged(tmp_path, body, "doc.tex") == [(4, "holds"), (5, "fails")]


def test_steps_joined_by_an_implication_are_judged_one_by_one(tmp_path: Path) -> None:
    for arrow in ("\\Longrightarrow", "\\implies", "\\Rightarrow", "\\therefore", "⟹"):
        wrong = HEAD + "$$G = \\frac{\\partial L}{\\partial Y} " + arrow + " \\frac{\\partial L}{\\partial W} = W^T G$$\n"
        right = HEAD + "$$G = \\frac{\\partial L}{\\partial Y} " + arrow + " \\frac{\\partial L}{\\partial W} = X^T G$$\n"
        assert [v for _, v in _judged(tmp_path, wrong)][-1] == "fails", arrow
        assert [v for _, v in _judged(tmp_path, right)][-1] == "holds", arrow


def test_a_loss_written_as_a_function_of_the_output(tmp_path: Path) -> None:
    body = ("Let $a = Wx$ with $W \\in \\mathbb{R}^{3 \\times 2}$, $x \\in \\mathbb{R}^{2}$ and $L = L(a)$.\n\n"
            "$$\\frac{\\partial L}{\\partial W} = \\frac{\\partial L}{\\partial a} x^T$$\n\n"  # true: 3×1 · 1×2
            "$$\\frac{\\partial L}{\\partial W} = x \\frac{\\partial L}{\\partial a}^T$$\n")  # false: transposed
    assert _judged(tmp_path, body) == [(3, "holds"), (5, "fails")]


def test_a_shape_followed_by_a_gloss(tmp_path: Path) -> None:
    body = ("Let $Y = XW$ with $X \\in \\mathbb{R}^{N \\times D}, \\quad \\text{i.e. } N \\text{ rows}$ "
            "and $W \\in \\mathbb{R}^{D \\times M}$.\n\n$$" + DW_RIGHT + "$$\n\n$$" + DX_WRONG + "$$\n")
    assert _judged(tmp_path, body) == [(3, "holds"), (5, "fails")]


def test_a_gradient_named_in_code_notation_is_a_definition_not_a_claim(tmp_path: Path) -> None:
    body = HEAD + ("- $dX=\\frac{\\partial L}{\\partial X}$ goes back, $dW=\\frac{\\partial L}{\\partial W}$ updates W.\n\n"
                   "$$dW = W^T dY$$\n\n$$dW = X^T dY$$\n")  # false (W^T dY does not even fit), then true
    assert _judged(tmp_path, body) == [(5, "fails"), (7, "holds")]
    assert sum("names the gradient" in r for r in _reasons(tmp_path, body)) == 2


def test_a_piecewise_definition_is_a_definition(tmp_path: Path) -> None:
    body = HEAD + ("$$\n\\text{ReLU}'(z) = \\begin{cases}\n1 & \\text{if } z > 0 \\\\\n0 & \\text{otherwise}\n"
                   "\\end{cases}\n$$\n\n$$" + DX_WRONG + "$$\n")
    assert _judged(tmp_path, body) == [(10, "fails")]
    assert any("case by case" in r for r in _reasons(tmp_path, body))

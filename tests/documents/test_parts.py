"""The parts of the document reader, one fact each: macros expand, spans split
where the author separated equations, spans are classified, the context in
force follows the document (definitions, switches, worked examples, assumptions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from symderiv.documents.macros import Macro, Unexpandable, expand, find_definitions, unknown_commands
from symderiv.documents.run import Options, check_files
from symderiv.documents.spans import split
from symderiv.documents.statements import classify, read


def test_macro_definitions_and_expansion() -> None:
    src = (r"\newcommand{\pd}[2]{\frac{\partial #1}{\partial #2}} \DeclareMathOperator{\Tr}{tr} "
           r"\def\T{^\top} \renewcommand\R[1][n]{\mathbb{R}^{#1}}")
    defs = {m.name: m for m in find_definitions(src)}
    assert set(defs) == {"pd", "Tr", "T", "R"}
    assert expand(r"\pd{L}{W} = X\T G", defs) == r"\frac{\partial L}{\partial W} = X^\top G"
    assert expand(r"\Tr(A)", defs) == r"\operatorname{tr}(A)"
    assert expand(r"\R \R[k]", defs) == r"\mathbb{R}^{n} \mathbb{R}^{k}"
    with pytest.raises(Unexpandable):
        expand(r"\a", {"a": Macro("a", 0, r"\a\a")})
    assert unknown_commands(r"\frac{a}{b} \myop{X} \begin{bmatrix} 1 \end{bmatrix}") == ["myop"]


@pytest.mark.parametrize("text,env,claims", [
    (r"a = b \qquad c = d", None, ["a = b", "c = d"]),
    (r"a = b, \quad c = d;", None, ["a = b", "c = d"]),
    (r"a = b \text{ and } c = d", None, ["a = b", "c = d"]),
    (r"a = b \hspace{1cm} c = d", None, ["a = b", "c = d"]),
    (r"f(X, W) = X W", None, ["f(X, W) = X W"]),
    (r"w_{1,2} = x_{1,1}", None, ["w_{1,2} = x_{1,1}"]),
    (r"i = 1, \ldots, N", None, [r"i = 1, \ldots, N"]),
    (r"a = b, \quad \text{where } G = c", None, ["a = b", "G = c"]),
    (r"a = b \quad \text{if } N = 1", None, [r"a = b \quad \text{if } N = 1"]),
])
def test_spans_split_side_by_side_equations(text: str, env: str | None, claims: list[str]) -> None:
    assert [p.text for p in split(text, 0, env)] == claims


def test_aligned_rows_continue_a_chain_or_start_a_new_claim() -> None:
    """A row that starts with `&=` continues the chain above: each row is its own piece, at its own row, saying that
    the chain's first side equals the row's formula."""
    src = "a &= b \\\\\n  &= c \\\\\nx &= y \\label{eq:1}"
    pieces = split(src, 100, "align")
    assert [" ".join(p.text.split()) for p in pieces] == ["a = b", "a = c", "x = y"]
    assert [p.link for p in pieces] == [True, True, False]
    assert pieces[0].start == 100 and src[pieces[1].start - 100:].startswith("= c") and pieces[2].start > pieces[1].end


def test_an_environment_inside_display_math_is_read_as_the_span_s_own() -> None:
    src = "\n\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}\n"
    assert [" ".join(p.text.split()) for p in split(src, 0, None)] == ["a = b", "c = d"]


def test_an_underbrace_label_is_a_claim() -> None:
    pieces = split(r"\underbrace{X^\top G}_{\partial L/\partial W} + 0", 0)
    assert any(p.label_of and p.text == r"X^\top G = \partial L/\partial W" for p in pieces)
    assert not any(p.label_of for p in split(r"\underbrace{X^\top G}_{\text{the gradient}}", 0))


@pytest.mark.parametrize("text,what,sub", [
    ("A = Z W", "definition", "layer"),
    (r"Y_{a\times c} = X_{a\times b} W_{b\times c}", "definition", "layer"),
    ("F(W) = X W", "definition", "layer"),
    ("Y = f(X, W)", "definition", "function"),
    (r"a = g(z)", "definition", "layer"),  # an activation layer: g entry by entry where g' is written
    (r"H = \max(0, Y)", "definition", "layer"),  # ReLU
    (r"Y = \operatorname{softmax}(Z)", "definition", "function"),
    ("N = 2", "definition", "size"),
    (r"G = \frac{\partial L}{\partial Y}", "definition", "upstream"),
    (r"\delta = \frac{\partial E}{\partial \mathbf{Y}}", "definition", "upstream"),
    (r"X \in \mathbb{R}^{N \times D}", "definition", "shape"),
    (r"A = A^\top", "assumption", "symmetric"),
    (r"\frac{\partial L}{\partial W} = X^\top G", "claim", ""),
    (r"y_{1,1} = x_{1,1} w_{1,1}", "definition", "entries"),  # no layer yet: the layer written entry by entry
    (r"y_{ij} = \sum_k x_{ik} w_{kj}", "definition", "entries"),
    (r"A = \begin{bmatrix} a_{1,1} & a_{1,2} \\ a_{2,1} & a_{2,2} \end{bmatrix}", "definition", "example"),
    (r"W = W - \eta \frac{\partial L}{\partial W}", "other", "update"),
    (r"\frac{\partial L}{\partial W} \approx X^\top G", "other", ""),
    (r"X^\top G", "expression", ""),
    ("i = 1", "definition", "index"),
    (r"i \in [1, N]", "definition", "range"),
])
def test_classify(text: str, what: str, sub: str) -> None:
    """What a statement is, read from the claim grammar's trees."""
    k = classify(read(text), set(), None, False)
    assert (k.what, k.sub) == (what, sub)


def test_a_numeric_matrix_is_a_value_until_it_is_the_output() -> None:
    m = r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}"
    assert classify(read(f"X = {m}"), {"Y"}, "Y", False).sub == "values"
    assert classify(read(f"Y = {m}"), {"Y"}, "Y", True).what == "claim"


def test_an_entry_of_a_defined_output_is_a_claim() -> None:
    assert classify(read(r"y_{1,1} = x_{1,1} w_{1,1}"), {"Y"}, "Y", False).what == "claim"


def test_a_link_of_a_chain_is_never_a_definition() -> None:
    assert classify(read("Y = X W"), set(), None, False, in_chain=True).what == "claim"


def _check(tmp_path: Path, body: str, name: str = "doc.md") -> list:
    doc = tmp_path / name
    doc.write_text(body, encoding="utf-8")
    (rep,) = check_files([str(doc)], Options(jobs=1))
    return rep.findings


def test_a_section_switching_convention_switches_the_context(tmp_path: Path) -> None:
    claim = r"$$\frac{\partial L}{\partial W} = X^\top G$$"
    body = (f"# One\n\n$$Y = X W$$\n\n{claim}\n\n# Two\n\n$$D = W X$$\n\n{claim}\n\n"
            r"$$\frac{\partial L}{\partial W} = \frac{\partial L}{\partial D} X^\top$$" "\n")
    fs = [f for f in _check(tmp_path, body) if f.verdict != "definition"]
    assert [(f.line, f.verdict) for f in fs] == [(5, "holds"), (11, "fails"), (13, "holds")]
    assert "Y = X W" in fs[0].context and "D = W X" in fs[1].context and "Y = X W" not in fs[1].context


def test_an_assumed_symmetric_matrix_never_makes_a_fail(tmp_path: Path) -> None:
    claim = r"$$\nabla_x x^\top A x = 2 A x$$"
    plain = _check(tmp_path, claim + "\n")
    assert [f.verdict for f in plain] == ["fails"]  # negative control: false for a general A
    assumed = _check(tmp_path, "Here $A$ is symmetric.\n\n" + claim + "\n")
    assert [f.verdict for f in assumed] == ["unchecked"] and "symmetric" in assumed[0].reason
    in_math = _check(tmp_path, "$$A = A^\\top$$\n\n" + claim + "\n")
    assert [f.verdict for f in in_math] == ["definition", "unchecked"]


def test_directive_context_and_ignores(tmp_path: Path) -> None:
    body = ("% symderiv: context Y = W X; W: 4 x 2; X: 2 x 3\n"
            "\\[ \\frac{\\partial L}{\\partial W} = G X^\\top \\]\n"
            "\\[ \\frac{\\partial L}{\\partial W} = X^\\top G \\] % symderiv: ignore\n"
            "% symderiv: ignore-next\n"
            "\\[ \\frac{\\partial L}{\\partial W} = X^\\top G \\]\n"
            "\\[ \\frac{\\partial L}{\\partial W} = X^\\top G \\]\n")
    fs = _check(tmp_path, body, "doc.tex")
    assert [(f.line, f.verdict) for f in fs] == [(2, "holds"), (6, "fails")]


def test_macros_defined_in_a_display_block_are_used(tmp_path: Path) -> None:
    body = ("$$\\newcommand{\\g}[1]{\\frac{\\partial L}{\\partial #1}}$$\n\n"
            "<!-- symderiv: context Y = X W; X: 2 x 3; W: 3 x 4 -->\n\n$$\\g{W} = X^\\top \\g{Y}$$\n")
    fs = _check(tmp_path, body)
    assert [(f.line, f.verdict) for f in fs] == [(5, "holds")]


def test_a_bias_of_unstated_shape_is_never_judged_on_one_reading(tmp_path: Path) -> None:
    head = "Let $Z_{m\\times k}$ and $W_{k\\times n}$, $m = 3$, $k = 2$, $n = 4$.\n\n$$A = Z W + B$$\n\n"
    claims = "$$\\frac{\\partial L}{\\partial B} = G$$\n\n$$\\frac{\\partial L}{\\partial B} = \\mathbf{1}^\\top G$$\n"
    # unstated, B is this project's bias row (math.md; the claims engine reads A = ZW + B so)
    open_ = [f for f in _check(tmp_path, head + claims) if f.verdict != "definition"]
    assert [f.verdict for f in open_] == ["fails", "holds"]
    row_doc = head.replace("$$A", "with the bias row $B$:\n\n$$A") + claims
    row = [f for f in _check(tmp_path, row_doc) if f.verdict != "definition"]
    assert [f.verdict for f in row] == ["fails", "holds"]
    full = [f for f in _check(tmp_path, head.replace("$$A", "$B_{m\\times n}$\n\n$$A") + claims) if f.verdict != "definition"]
    assert [f.verdict for f in full] == ["holds", "fails"]


def test_mathjax_delimiters_in_markdown_and_comments_in_latex(tmp_path: Path) -> None:
    ctx = "<!-- symderiv: context Y = X W; X: 2 x 3; W: 3 x 4 -->\n\n"
    body = (ctx + "Inline \\(\\frac{\\partial L}{\\partial W} = X^\\top G\\) and\n"
            "\\[\\frac{\\partial L}{\\partial W} = G X^\\top\\]\nbut `\\(a = b\\)` is code.\n")
    assert [(f.line, f.column, f.verdict) for f in _check(tmp_path, body)] == [(3, 10, "holds"), (4, 3, "fails")]
    tex = ("% symderiv: context Y = X W; X: 2 x 3; W: 3 x 4\n\\begin{align}\n"
           "\\frac{\\partial L}{\\partial W} &= X^\\top G % the gradient, 50\\% of the work\n\\end{align}\n")
    assert [(f.line, f.verdict) for f in _check(tmp_path, tex, "doc.tex")] == [(3, "holds")]


def test_latex_code_and_commented_out_text_are_not_math(tmp_path: Path) -> None:
    wrong = "$\\frac{\\partial L}{\\partial W} = G X^T$"
    body = ("% symderiv: context Y = X W; X: 2 x 3; W: 3 x 4\n"
            f"\\begin{{verbatim}}\n{wrong}\n\\end{{verbatim}}\n\\verb|$a = b$|\n"
            f"\\begin{{lstlisting}}\n{wrong}\n\\end{{lstlisting}}\n\\begin{{comment}}\n{wrong}\n\\end{{comment}}\n"
            f"% {wrong}\n\\( \\frac{{\\partial L}}{{\\partial W}} = X^\\top G \\)\n{wrong}\n")
    assert [(f.line, f.verdict) for f in _check(tmp_path, body, "doc.tex")] == [(13, "holds"), (14, "fails")]


def test_a_long_latex_file_read_in_pieces_gives_the_same_events(monkeypatch: pytest.MonkeyPatch) -> None:
    from symderiv.documents import latex

    body = ("\\section{S}\nText $a = b$ and\n\\begin{align}\nx &= y \\\\ &= z\n\\end{align}\n\n"
            "\\begin{comment}\n\n$p = q$\n\n\\end{comment}\n\n% symderiv: ignore\n")
    src = "\\begin{document}\n" + body * 40 + "\\end{document}\n"
    whole = [(type(e).__name__, e.start) for e in latex.read(src)]
    monkeypatch.setattr(latex, "CHUNK", 50)
    assert len(latex.chunks(src)) > 10
    assert [(type(e).__name__, e.start) for e in latex.read(src)] == whole

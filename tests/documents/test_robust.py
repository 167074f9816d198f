"""Real documents are messy: unbalanced `$`, unterminated environments,
ellipsis matrices, footnote markers, stray characters. Each is `unchecked`
with a reason, never a traceback, and checking goes on to the end."""

from __future__ import annotations

from pathlib import Path

import pytest

from symderiv.documents.run import Options, check_files

GOOD = r"$$\frac{\partial L}{\partial W} = X^\top G$$"
CTX = "<!-- symderiv: context Y = X W; X: N x D; W: D x M -->\n\n"

CASES = {
    "unbalanced $": "Price $ and more text\n\n",
    "unterminated $$": "$$\n\\frac{\\partial L}{\\partial W} =\n\nprose after\n\n",
    "unterminated env": "\\begin{align}\na &= b\n\n",
    "cdots matrix": "$$\\frac{\\partial L}{\\partial X} = "
                    "\\begin{bmatrix} a & \\cdots \\\\ \\vdots & \\ddots \\end{bmatrix}$$\n\n",
    "dots": "$$\\frac{\\partial L}{\\partial X} = g_{1,1} + ... + g_{N,1}$$\n\n",
    "footnote marker": "$$\\frac{\\partial L}{\\partial W} = X^\\top G^{[1]}$$[^1]\n\n[^1]: a note\n\n",
    "stray characters": "$$\\frac{\\partial L}{\\partial W} = X^\\top G @@ ## }}$$\n\n",
    "unknown macro": "$$\\frac{\\partial L}{\\partial W} = \\foo{X} G$$\n\n",
    "runaway macro": "$$\\newcommand{\\a}{\\a\\a}$$\n$$x = \\a$$\n\n",
    "empty math": "$$ $$\n\n$ $\n\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_input_is_unchecked_and_the_rest_is_checked(tmp_path: Path, name: str) -> None:
    doc = tmp_path / "doc.md"
    body = CTX + CASES[name] + GOOD + "\n"
    doc.write_text(body, encoding="utf-8")
    (rep,) = check_files([str(doc)], Options(jobs=1))
    assert rep.error is None
    last = body.count("\n")
    tail = [f for f in rep.findings if f.line == last]
    assert [f.verdict for f in tail] == ["holds"], rep.findings  # the equation after the mess is still judged
    broken = [f for f in rep.findings if f.line < last]
    if name != "empty math":
        assert broken and all(f.verdict == "unchecked" and f.reason for f in broken), broken


@pytest.mark.parametrize("name", ["unterminated env", "unbalanced $"])
def test_broken_latex_is_read_to_the_end(tmp_path: Path, name: str) -> None:
    doc = tmp_path / "doc.tex"
    opener = "\\begin{equation}\nx = y\n\n" if name == "unterminated env" else "a $ stray\n\n"
    doc.write_text("% symderiv: context Y = X W; X: 2 x 3; W: 3 x 4\n" + opener +
                   "\\[ \\frac{\\partial L}{\\partial W} = X^\\top G \\]\n", encoding="utf-8")
    (rep,) = check_files([str(doc)], Options(jobs=1))
    verdicts = [f.verdict for f in rep.findings]
    assert verdicts[-1] == "holds" and "unchecked" in verdicts


def test_binary_and_garbage_files_do_not_crash(tmp_path: Path) -> None:
    garbage = tmp_path / "g.md"
    garbage.write_bytes(bytes(range(256)) * 8 + b"$$ \\frac{ $$ \\begin{align} & \\\\ $")
    tex = tmp_path / "g.tex"
    tex.write_text("\\begin{document} $ \\[ \\( $$ \\begin{equation} { { {", encoding="utf-8")
    reports = check_files([str(garbage), str(tex)], Options(jobs=1))
    assert all(r.error is None for r in reports)


def test_one_unreadable_file_does_not_stop_the_others(tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    good.write_text(CTX + GOOD + "\n", encoding="utf-8")
    reports = check_files([str(tmp_path / "absent.md"), str(good)], Options(jobs=1))
    assert reports[0].error and "absent.md" in reports[0].error
    assert [f.verdict for f in reports[1].findings] == ["holds"]


FRAGMENTS = ["$", "$$", "\\(", "\\)", "\\[", "\\]", "\\begin{align}", "\\end{align}", "&", "\\\\", "{", "}", "a = b",
             "\\frac{\\partial L}{\\partial W}", "= X^\\top G", "\\newcommand{\\q}[1]{#1}", "\\q{", "\\def\\x#1{", "\n\n",
             "\n", "`", "```", "```math\n", "<!--", "-->", "symderiv: context Y = X W", "% ", "\\underbrace{", "}_{",
             "\\cdots", "[^1]", "\\begin{bmatrix}", "\\end{bmatrix}", " , ", "\\quad", "\\text{and}", "# H\n",
             "\\section{S}", "Y = X W + B", "N = 2", "$A$ is symmetric", "bias row $B$", "é"]


@pytest.mark.parametrize("seed", range(4))
def test_random_fragments_never_crash(tmp_path: Path, seed: int) -> None:
    import random

    rng = random.Random(seed)
    paths = []
    for i in range(10):
        body = "".join(rng.choice(FRAGMENTS) + rng.choice(["", " ", "\n"]) for _ in range(rng.randint(5, 50)))
        for ext in (".md", ".tex"):
            p = tmp_path / f"f{i}{ext}"
            p.write_text(body, encoding="utf-8")
            paths.append(str(p))
    for rep in check_files(paths, Options(jobs=1)):
        assert rep.error is None
        assert all(f.line >= 1 and f.column >= 1 and (f.end_line, f.end_column) >= (f.line, f.column) for f in rep.findings)


def test_a_claim_over_the_time_limit_is_unchecked_and_the_rest_goes_on(tmp_path: Path) -> None:
    heavy = (r"$$\frac{\partial}{\partial W} \operatorname{tr}(W^\top X^\top X W W^\top X^\top X W) = "
             r"4 X^\top X W W^\top X^\top X W$$")
    doc = tmp_path / "heavy.md"
    doc.write_text("<!-- symderiv: context Y = X W; X: 12 x 12; W: 12 x 12 -->\n\n" + heavy + "\n\n"
                   r"$$\frac{\partial L}{\partial W} = X^\top G$$" + "\n", encoding="utf-8")
    (rep,) = check_files([str(doc)], Options(jobs=1, time_limit=0.05))  # the heavy claim needs seconds
    assert rep.findings[0].verdict == "unchecked" and rep.findings[0].kind == "time"
    assert "0.05 s" in rep.findings[0].reason

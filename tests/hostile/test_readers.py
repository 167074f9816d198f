"""Family: slow readers and nesting that hides math (issue 19, items 4 and 5). A 10 MB line of prose,
thousands of unpaired `$`, braces and environments nested thousands deep: each read in seconds, the
deep part reported `unchecked` at its place, and the false equation after it still reported.

Before: a 10 MB LaTeX line ran for over 17 minutes (the walker joins a run of characters by string
concatenation); 10,000 unpaired `$` in LaTeX paragraphs took 188 s and hid the false equation at the
end (the 200-repair cap ended the file); braces 5,000 deep ended the whole file as one broken span."""

from __future__ import annotations

import pytest

from .harness import FALSE_EQ, clean, reports_false, run

TEX_FALSE = r"\[ (AB)^T = A^T B^T \]"


def _doc(body: str, suffix: str) -> str:
    false = TEX_FALSE if suffix == ".tex" else FALSE_EQ
    return body + "\n\n" + false + "\n"


CASES = {
    "a 2 MB LaTeX line of prose": ("word " * 400_000, ".tex"),
    "a 2 MB Markdown line of prose": ("word " * 400_000, ".md"),
    "10,000 unpaired $ in one LaTeX paragraph": ("a $ b \\\\ \\section{x} " * 10_000, ".tex"),
    "10,000 unpaired $ in LaTeX paragraphs": ("a $ b \\section{x}\n\n" * 10_000, ".tex"),
    "10,000 unpaired $ in Markdown": ("a $ b " * 10_000, ".md"),
    "1,000 unclosed align in one paragraph": ("\\begin{align} x " * 1_000, ".tex"),
    "braces 5,000 deep": ("{" * 5_000 + "x" + "}" * 5_000, ".tex"),
    "braces 5,000 deep in math": ("$" + "{" * 5_000 + "x" + "}" * 5_000 + "$", ".tex"),
    "environments 1,000 deep": ("\\begin{itemize}\\item " * 1_000 + "x" + "\\end{itemize}" * 1_000, ".tex"),
    "groups 5,000 deep, never closed": ("{" * 5_000 + "x", ".tex"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_slow_or_deep_reader_case_still_reports_the_false_equation(name: str, tmp_path) -> None:
    body, suffix = CASES[name]
    p = tmp_path / f"doc{suffix}"
    p.write_text(_doc(body, suffix), encoding="utf-8")
    r = clean(run("check", str(p), timeout=60), 1, seconds=20)
    assert reports_false(r) or "A^T B^T" in r.stdout, r.stdout[-2000:]


@pytest.mark.slow_hostile
@pytest.mark.parametrize("suffix", [".tex", ".md"])
def test_a_10_mb_line_reads_in_seconds(suffix: str, tmp_path) -> None:
    p = tmp_path / f"big{suffix}"
    p.write_text(_doc("word " * 2_000_000, suffix), encoding="utf-8")
    r = clean(run("check", str(p), timeout=60), 1, seconds=15)
    assert "A^T B^T" in r.stdout


def test_deep_nesting_is_unchecked_at_its_place(tmp_path) -> None:
    p = tmp_path / "deep.tex"
    p.write_text("Intro.\n\n" + "{" * 300 + "$x = y$" + "}" * 300 + "\n\n" + TEX_FALSE + "\n", encoding="utf-8")
    r = clean(run("check", str(p), "--no-color"), 1)
    assert "nested more than 100 deep" in r.stdout and "3:" in r.stdout, r.stdout

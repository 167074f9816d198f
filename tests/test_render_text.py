"""Text printing of notation and polynomials, the progress bar's silence on quick work."""

from __future__ import annotations

import io

import symengine as se
from rich.console import Console

import symderiv.cli.progress as progress
from symderiv import Spec, verify
from symderiv.notation import D, Ones, Prod, Rel, Sym, T
from symderiv.render.text import poly_text, to_text


def s(name: str) -> se.Symbol:
    return se.Symbol(name)


def test_polynomials_print_in_reading_order() -> None:
    expr = s("b_1") + s("z_1_2") * s("w_2_1") + s("z_1_1") * s("w_1_1")
    assert poly_text(expr) == "z₁₁ w₁₁ + z₁₂ w₂₁ + b₁"
    assert poly_text(expr, subscripts=False) == "z_{1,1} w_{1,1} + z_{1,2} w_{2,1} + b_{1}"


def test_multi_digit_indices_are_separated() -> None:
    assert poly_text(s("z_10_2")) == "z₁₀,₂"
    assert poly_text(s("a_1_16")) == "a₁,₁₆" and poly_text(s("a_16_1")) == "a₁₆,₁"  # never a₁₁₆ for either
    assert poly_text(s("a_11_6")) == "a₁₁,₆" != poly_text(s("a_1_16"))
    assert poly_text(s("z_1_12"), subscripts=False) == "z_{1,12}"


def test_one_index_style_for_letters() -> None:
    """Letter indices are z_{i,p} everywhere on the console (q has no Unicode subscript)."""
    assert to_text(Sym("z", ("i", "p"))) == "z_{i,p}" and to_text(Sym("w", ("p", "q"))) == "w_{p,q}"
    assert to_text(Sym("z", (1, 2))) == "z₁₂"


def test_coefficients_and_signs() -> None:
    assert poly_text(2 * s("g_1_1") - s("z_1_1") * s("w_1_1")) == "2 g₁₁ − z₁₁ w₁₁"
    assert poly_text(se.Integer(0)) == "0"
    assert poly_text(se.Rational(1, 2) * s("a_1_1") ** 2) == "1/2 a₁₁²"


def test_statements() -> None:
    L, W, Z, G = Sym("L"), Sym("W"), Sym("Z"), Sym("G")
    assert to_text(Rel(D(L, W), Prod((T(Z), G)))) == "∂L/∂W = ZᵀG"
    assert to_text(Prod((T(Ones()), G))) == "𝟏ᵀG"


def test_long_sums_abridged_only_when_asked() -> None:
    expr = se.Add(*[s(f"g_{i}_1") * s(f"z_{i}_1") for i in range(1, 21)])
    assert "⋯" in poly_text(expr, max_terms=6) and poly_text(expr, max_terms=6).endswith("g₂₀,₁ z₂₀,₁")
    assert "⋯" not in poly_text(expr)


def test_progress_bar_appears_only_after_the_delay(monkeypatch) -> None:
    quiet_out = io.StringIO()
    verify(Spec(), reporter=progress.BarReporter(Console(file=quiet_out, force_terminal=True)))
    assert quiet_out.getvalue() == ""  # a quick run prints nothing on stderr
    monkeypatch.setattr(progress, "DELAY", -1.0)
    out = io.StringIO()
    verify(Spec(), reporter=progress.BarReporter(Console(file=out, force_terminal=True)))
    assert "differentiating" in out.getvalue()

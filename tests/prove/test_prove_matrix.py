"""The matrix-calculus prover (symderiv/prove/matrix.py): claims ∂f/∂X = R about free matrices,
proved for every size by sympy's matrix calculus. Its verdicts are tested against truth computed
here a different way: the sizes set to numbers, every matrix written out entry by entry, f
differentiated by each entry of X (scalar calculus), and the result compared with R entry by entry.
A proof of a claim that is false at any of those sizes would be a false hold for every other size."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
import sympy as sp

from symderiv.claims import check_claim
from symderiv.claims.context import build_context
from symderiv.claims.parser import parse
from symderiv.prove.matrix import _Prover, prove_matrix_claim

TRUTHS = Path(__file__).resolve().parents[1] / "claims" / "redteam300" / "truths.json"


def _true_at_sizes(text: str, values: tuple[int, ...]) -> bool | None:
    """The claim at concrete sizes, by scalar calculus on written-out matrices (None: not a claim of this kind)."""
    claim = parse(text)
    p = _Prover(build_context(None), claim)
    lhs, rhs = claim.parts
    try:
        X, f, R = p.expr(lhs.den), p.expr(lhs.num), p.expr(rhs)
    except Exception:  # noqa: BLE001 - outside the prover's kinds
        return None
    symbols = sorted({s for s in p.sizes.values() if isinstance(s, sp.Symbol)}, key=str)
    sub = dict(zip(symbols, itertools.cycle(values)))
    Xc = sp.Matrix(X.subs(sub).as_explicit())
    fc = f.subs(sub)
    fc = sp.Matrix(fc.as_explicit())[0, 0] if isinstance(fc, sp.MatrixExpr) else fc.doit()
    if isinstance(fc, sp.MatrixBase):
        fc = fc[0, 0]
    fc = sp.expand(fc.doit() if hasattr(fc, "doit") else fc)
    grad = Xc.applyfunc(lambda x: sp.diff(fc, x))
    Rc = sp.Matrix(R.subs(sub).as_explicit()) if isinstance(R, sp.MatrixExpr) else None
    if Rc is None or Rc.shape != grad.shape:
        return False
    return sp.expand(grad - Rc) == sp.zeros(*grad.shape)


NUMS = [r"\operatorname{Tr}(A X B)", r"\operatorname{Tr}(X^\top C X)", r"\operatorname{Tr}(A X^\top B)",
        r"a^\top X b", r"\operatorname{Tr}(X^\top X)", r"\operatorname{Tr}(X D X^\top)"]
RHSS = [r"A^\top B^\top", r"B A", r"A B", r"B^\top A^\top", r"C X + C^\top X", r"2 C X", r"C^\top X",
        r"a b^\top", r"b a^\top", r"2 X", r"X", r"X D^\top + X D", r"2 X D", r"X D"]
PAIRS = [(n, r) for n in NUMS for r in RHSS]


@pytest.mark.parametrize("num,rhs", PAIRS, ids=[f"{i}" for i in range(len(PAIRS))])
def test_a_proof_is_only_given_to_a_claim_true_at_written_out_sizes(num: str, rhs: str) -> None:
    text = rf"\frac{{\partial}}{{\partial X}} {num} = {rhs}"
    proved = prove_matrix_claim(parse(text), build_context(None))
    truths = [_true_at_sizes(text, v) for v in ((2, 3, 4), (3, 1, 2))]  # a 1 among the sizes, distinct sizes
    if None in truths:
        assert proved is None
        return
    if proved:
        assert all(truths), (text, truths)
    if all(truths):  # and every true one of these simple kinds is proved
        assert proved, text


def test_the_pool_has_true_and_false_claims() -> None:
    truths = []
    for num, rhs in PAIRS:
        t = _true_at_sizes(rf"\frac{{\partial}}{{\partial X}} {num} = {rhs}", (2, 3, 4))
        if t is not None:
            truths.append(t)
    assert 6 <= sum(truths) <= len(truths) - 40  # a negative control on each side


def test_no_false_or_ambiguous_red_team_claim_is_proved() -> None:
    rows = json.loads(TRUTHS.read_text(encoding="utf-8"))
    proved = {"true": 0}
    for row in rows:
        try:
            claim = parse(row["claim"])
            ctx = build_context(row.get("context"))
        except Exception:  # noqa: BLE001 - the list has unparsable claims on purpose
            continue
        if prove_matrix_claim(claim, ctx):
            assert row["truth"] == "true", row["claim"]
            proved["true"] += 1
    assert proved["true"] >= 60


def test_a_proved_claim_says_how_and_for_which_sizes() -> None:
    r = check_claim(r"\frac{\partial}{\partial X} \operatorname{Tr}(A X B) = A^\top B^\top")
    assert r.verdict.value == "holds" and r.to_dict()["proof"] == "all-sizes"
    assert "proved for all sizes" in r.reason and "matrix calculus" in r.reason
    wrong = check_claim(r"\frac{\partial}{\partial X} \operatorname{Tr}(A X B) = B A")
    assert wrong.verdict.value == "fails" and wrong.to_dict().get("proof") != "all-sizes"


@pytest.mark.parametrize("context", ["Y = X W + b", "X: 3 x 3", "A: n x n"])
def test_a_claim_with_a_context_is_not_this_provers(context: str) -> None:
    claim = parse(r"\frac{\partial}{\partial X} \operatorname{Tr}(A X) = A^\top")
    assert prove_matrix_claim(claim, build_context(context)) is None

"""Every labeled equation of the affine-notes corpus, read out of the file by its
label's line numbers and checked as a claim in the document's context."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symderiv.claims import check_claim

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
NOTES, LABELS = CORPUS / "affine-notes.md", CORPUS / "affine-notes.labels.json"
# Y = XW + b, X N×D, W D×M, b a 1×M row broadcast over rows, G = dL/dY
CONTEXT = "Y = X W + b, X: N x D, W: D x M, N = 2, D = 3, M = 2"

pytestmark = pytest.mark.skipif(not (NOTES.exists() and LABELS.exists()), reason="corpus not present")


def _equations() -> list[tuple[int, int, str, str]]:
    if not LABELS.exists():
        return []
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    lines = NOTES.read_text(encoding="utf-8").splitlines()
    out = []
    for eq in labels["equations"]:
        first, last = eq["lines"]
        text = "\n".join(lines[first - 1:last]).replace("$$", "").strip()
        out.append((first, last, text, eq["verdict"]))
    return out


EQUATIONS = _equations()


@pytest.mark.parametrize("first,last,text,expected", [e for e in EQUATIONS if e[3] != "definition"],
                         ids=[f"line{e[0]}" for e in EQUATIONS if e[3] != "definition"])
def test_labeled_equation(first: int, last: int, text: str, expected: str) -> None:
    result = check_claim(text, context=CONTEXT)
    assert result.verdict.value == expected, (first, result.reason)


def test_the_definition_is_the_context() -> None:
    """Line 12 defines Y; read as a claim in its own context it is an identity."""
    (_, _, text, _), = [e for e in EQUATIONS if e[3] == "definition"]
    assert "Y_{N\\times M}" in text
    assert check_claim(text, context=CONTEXT).verdict.value == "holds"
    # and the definition itself works as the context (shapes from the annotations)
    result = check_claim(r"\frac{\partial L}{\partial W} = X^\top G", context=text + ", N = 2, D = 3, M = 2")
    assert result.verdict.value == "holds"


def test_failures_explain() -> None:
    by_line = {e[0]: e for e in EQUATIONS}
    r = check_claim(by_line[39][2], context=CONTEXT)
    assert r.kind == "ill-formed" and "Xᵀ ∂L/∂Y" in (r.suggestion or "")
    r = check_claim(by_line[82][2], context=CONTEXT)
    assert r.kind == "shapes" and r.counterexample["left_shape"] == [2, 2, 3, 2]
    assert "vector–Jacobian" in (r.suggestion or "")
    r = check_claim(by_line[93][2], context=CONTEXT)
    assert r.layouts == {"gradient": "fails", "numerator": "holds"} and "numerator" in r.suggestion
    r = check_claim(by_line[66][2], context=CONTEXT)
    assert r.kind == "values" and "g_{2,2}" in (r.suggestion or "")
    r = check_claim(by_line[30][2], context=CONTEXT)
    assert "∂L/∂w_{3,1}" in (r.suggestion or "")
    r = check_claim(by_line[73][2], context=CONTEXT)
    assert "w_{q,j}" in (r.suggestion or "")

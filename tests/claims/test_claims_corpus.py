"""Every labeled equation of tests/claims/corpus/linear-notes.md (notes with
deliberate mistakes, written for these tests), read out of the file by its
label's line numbers and checked as a claim in the notes' own context. The
labels were written by hand from the mathematics, not from symderiv's output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from symderiv.claims import check_claim

CORPUS = Path(__file__).resolve().parent / "corpus"
NOTES, LABELS = CORPUS / "linear-notes.md", CORPUS / "linear-notes.labels.json"
# Z = XV + c, X N×D, V D×K, c a 1×K row broadcast over rows, G = dL/dZ
CONTEXT = "Z = X V + c, X: N x D, V: D x K, N = 3, D = 2, K = 4"


def _equations() -> list[tuple[int, int, str, str, str | None]]:
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    lines = NOTES.read_text(encoding="utf-8").splitlines()
    out = []
    for eq in labels["equations"]:
        first, last = eq["lines"]
        text = "\n".join(lines[first - 1:last]).replace("$$", "").strip()
        out.append((first, last, text, eq["verdict"], eq.get("kind")))
    return out


EQUATIONS = _equations()
CLAIMS = [e for e in EQUATIONS if e[3] != "definition"]


def test_every_equation_of_the_notes_is_labeled() -> None:
    """An equation added to the notes without a label (or a label pointing at the wrong line) fails here."""
    display = [n for n, line in enumerate(NOTES.read_text(encoding="utf-8").splitlines(), 1) if line.startswith("$$")]
    assert display == [e[0] for e in EQUATIONS]
    assert {e[3] for e in CLAIMS} == {"holds", "fails"}  # both kinds of verdict are exercised
    assert {e[4] for e in CLAIMS if e[3] == "fails"} == {"values", "shapes", "ill-formed"}


@pytest.mark.parametrize("first,last,text,expected,kind", CLAIMS, ids=[f"line{e[0]}" for e in CLAIMS])
def test_labeled_equation(first: int, last: int, text: str, expected: str, kind: str | None) -> None:
    result = check_claim(text, context=CONTEXT)
    assert result.verdict.value == expected, (first, result.reason)
    if kind is not None:
        assert result.kind == kind, (first, result.reason)


def test_a_wrong_label_is_caught() -> None:
    """Negative control: flip the label of a true equation and of a false one; the check disagrees."""
    by_line = {e[0]: e for e in EQUATIONS}
    assert check_claim(by_line[17][2], context=CONTEXT).verdict.value != "fails"
    assert check_claim(by_line[19][2], context=CONTEXT).verdict.value != "holds"


def test_the_definition_is_the_context() -> None:
    """Line 13 defines Z; read as a claim in its own context it is an identity, and it works as the context."""
    (_, _, text, _, _), = [e for e in EQUATIONS if e[3] == "definition"]
    assert "Z_{N\\times K}" in text
    assert check_claim(text, context=CONTEXT).verdict.value == "holds"
    result = check_claim(r"\frac{\partial L}{\partial V} = X^\top G", context=text + ", N = 3, D = 2, K = 4")
    assert result.verdict.value == "holds"
    wrong = check_claim(r"\frac{\partial L}{\partial V} = G^\top X", context=text + ", N = 3, D = 2, K = 4")
    assert wrong.verdict.value == "fails"


def test_failures_explain() -> None:
    """The explanations name what was meant, each an independent mathematical fact about the notes."""
    by_line = {e[0]: e for e in EQUATIONS}
    r = check_claim(by_line[36][2], context=CONTEXT)  # (N×K)(D×N): the order is X^T G
    assert r.kind == "ill-formed" and "Xᵀ ∂L/∂Z" in (r.suggestion or "")
    r = check_claim(by_line[54][2], context=CONTEXT)  # the Jacobian dZ/dV is N×K×D×K
    assert r.kind == "shapes" and r.counterexample["left_shape"] == [3, 4, 2, 4]
    assert r.counterexample["right_shape"] == [2, 3]
    r = check_claim(by_line[28][2], context=CONTEXT)  # the batch row 3 is missing
    assert r.kind == "values" and re.search(r"g_\{3,4\} x_\{3,1\}", r.suggestion or "")
    r = check_claim(by_line[32][2], context=CONTEXT)  # X^T G: gradient convention only
    assert r.layouts == {"gradient": "holds", "numerator": "fails"}

"""`symderiv derive` end to end: the issue's four examples, exit codes, the JSON schema,
the round trip through `symderiv claim`, and the negative control (a planted wrong rule
is never printed)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from symderiv.claims import check_claim
from symderiv.cli import app
from symderiv.differentials import rules
from symderiv.differentials.answer import NotChecked, derive

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "schema" / "derive-1.json").read_text(encoding="utf-8"))
runner = CliRunner()

EXAMPLES = [
    (["\\operatorname{tr}(X W)", "--wrt", "W", "--context", "X: 3x2, W: 2x3"], "Xᵀ"),
    (["\\|X w - y\\|^2", "--wrt", "w", "--context", "X: 4x3, w: 3, y: 4"], "2 Xᵀ (X w − y)"),
    (["L", "--wrt", "W", "--context", "Y = X W + b"], "Xᵀ G"),
    (["A", "--wrt", "W", "--context", "A = Z W + B"], "z_{i,p} δ_{j,q}"),
]


def run(args: list[str]) -> tuple[int, str]:
    r = runner.invoke(app, ["derive", *args])
    return r.exit_code, r.stdout


@pytest.mark.parametrize("args,answer", EXAMPLES)
def test_the_issue_examples(args: list[str], answer: str) -> None:
    code, out = run([*args, "--json"])
    assert code == 0
    doc = json.loads(out)
    jsonschema.validate(doc, SCHEMA)
    assert doc["result"]["text"] == answer
    code, out = run(args)
    assert code == 0 and answer in out and "holds" in out


def test_the_plain_text_answer_reads_back_as_a_claim() -> None:
    r = derive("x^T A x", "x", "x: 3, A: 3x3")
    assert r.text == "(A + Aᵀ) x"
    assert check_claim(f"∂(xᵀ A x)/∂x = {r.text}", "x: 3, A: 3x3").verdict.value == "holds"
    assert check_claim(f"∂(xᵀ A x)/∂x = {r.latex}", "x: 3, A: 3x3").verdict.value == "holds"


def test_the_jacobian_of_a_matrix_product_is_proved_for_all_sizes() -> None:
    r = derive("A", "W", "A = Z W + B")
    assert r.kind == "entries" and r.proof == "all-sizes"


def test_numerator_convention_transposes() -> None:
    assert derive("tr(X W)", "W", "X: 3x2, W: 2x3", "numerator").text == "X"
    assert derive("A x", "x", "A: 3x2, x: 2", "numerator").text == "A"
    assert derive("A x", "x", "A: 3x2, x: 2").text == "Aᵀ"


def test_a_loss_through_a_layer_names_the_upstream_gradient() -> None:
    r = derive("L", "W", "Y = X W + b")
    assert r.upstream == "G" and r.text == "Xᵀ G"
    assert derive("L", "X", "Y = X W + b").text == "G Wᵀ"


def test_bad_input_is_one_line_and_exit_2() -> None:
    for args in (["tr(X^{-1})", "--wrt", "X"], ["tr(X", "--wrt", "X"], ["tr(X) = 1", "--wrt", "X"],
                 ["tr(X)", "--wrt", "X", "--context", "X: 3x"]):
        r = runner.invoke(app, ["derive", *args])
        assert r.exit_code == 2 and r.stdout == ""


def test_steps_are_the_rules_applied() -> None:
    r = derive("\\|X w - y\\|^2", "w", "X: 4x3, w: 3, y: 4")
    assert [s["rule"] for s in r.steps] == ["product", "difference", "norm-squared", "identification"]
    code, out = run(["\\|X w - y\\|^2", "--wrt", "w", "--context", "X: 4x3, w: 3, y: 4", "--markdown", "-"])
    assert code == 0 and "d(U + V)" not in out and "\\mathrm{d}" in out


def test_a_planted_wrong_rule_is_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Negative control: the product rule without its second term (d(UV) = dU V)."""
    wrong = rules.Rule("product", "d(U V) = dU V (planted, wrong)", lambda n, ops, d: rules.al.mul(ops[0][1], ops[1][0]))
    monkeypatch.setitem(rules.RULES, "product", wrong)
    with pytest.raises(NotChecked):
        derive("x^T A x", "x", "x: 3, A: 3x3")
    r = runner.invoke(app, ["derive", "x^T A x", "--wrt", "x", "--context", "x: 3, A: 3x3"])
    assert r.exit_code == 2 and r.stdout == "" and "not printed" in r.stderr


def test_a_planted_wrong_transpose_rule_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    wrong = rules.Rule("transpose", "d(Uᵀ) = dU (planted, wrong)", lambda n, ops, d: ops[0][1])
    monkeypatch.setitem(rules.RULES, "transpose", wrong)
    with pytest.raises(NotChecked):
        derive("tr(A X^T)", "X", "A: 2x3, X: 2x3")


def test_bold_letters_stay_bold_in_latex_and_entries_have_latex() -> None:
    r = derive("\\mathbf{x}^T A \\mathbf{x}", "\\mathbf{x}", "A: 3x3")
    assert r.text == "(A + Aᵀ) x" and "\\mathbf{x}" in r.latex
    assert derive("A", "W", "A = Z W + B").latex == "z_{i,p} \\delta_{j,q}"


def test_vec_forms_are_named_by_their_order_and_checked() -> None:
    r = derive("A", "W", "A = Z W + B")
    assert r.vec == {"column-major": "∂vec(A)/∂vec(W) = I_n \\otimes Z", "row-major": "∂vec(A)/∂vec(W) = Z \\otimes I_n"}
    assert derive("Y", "X", "Y = A X B").vec["column-major"].endswith("Bᵀ \\otimes A")

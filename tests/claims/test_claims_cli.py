"""`symderiv claim` and `symderiv claims` end to end: exit codes, one JSON
document valid against docs/schema/claim-1.json, the Python API."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from symderiv.claims import SCHEMA, ClaimResult, check_claim
from symderiv.claims.catalog import CATALOG, run_all
from symderiv.cli import app

ROOT = Path(__file__).resolve().parents[2]
CLAIM_SCHEMA = json.loads((ROOT / "docs" / "schema" / "claim-1.json").read_text(encoding="utf-8"))
runner = CliRunner()

EXAMPLES = [
    ([r"\frac{\partial L}{\partial W} = Z^\top G"], 0, "holds", None),
    (["dY/dW = X^T", "--context", "Y = X W"], 1, "fails", "shapes"),
    (["tr(X W) = tr(W X^T)", "--context", "X: 3x2, W: 2x3"], 1, "fails", "ill-formed"),
    ([r"\frac{\partial L}{\partial w_{1,2}} = \frac{\partial L}{\partial a_{1,1}} z_{1,2} + "
      r"\frac{\partial L}{\partial a_{2,1}} z_{2,2}", "--m", "2", "--k", "2", "--n", "2"], 1, "fails", "values"),
    (["dL/dW = Z^T ? G"], 2, "unchecked", "parse"),
    ([r"\frac{\partial L}{\partial W} = \exp(Z)"], 2, "unchecked", "unsupported"),
    ([r"\frac{\partial L}{\partial W} = G^\top Z", "--convention", "numerator"], 0, "holds", None),
]


def _invoke(args: list[str]) -> tuple[int, str, str]:
    try:
        result = runner.invoke(app, args)
    except SystemExit as exc:  # pragma: no cover
        return int(exc.code or 0), "", ""
    return result.exit_code, result.stdout, getattr(result, "stderr", "")


@pytest.mark.parametrize("args,code,verdict,kind", EXAMPLES)
def test_cli_examples(args: list[str], code: int, verdict: str, kind: str | None) -> None:
    exit_code, out, _ = _invoke(["claim", *args])
    assert exit_code == code, out
    assert verdict.upper() in out
    exit_code, out, _ = _invoke(["claim", *args, "--json"])
    assert exit_code == code
    doc = json.loads(out)  # exactly one JSON document
    jsonschema.validate(doc, CLAIM_SCHEMA)
    assert doc["schema"] == SCHEMA and doc["verdict"] == verdict and doc["kind"] == kind


def test_cli_example_details() -> None:
    _, out, _ = _invoke(["claim", "dY/dW = X^T", "--context", "Y = X W", "--json"])
    doc = json.loads(out)
    assert doc["counterexample"]["left_shape"] == [3, 4, 2, 4] and doc["counterexample"]["right_shape"] == [2, 3]
    assert "∂L/∂W = Xᵀ G" in doc["suggestion"]
    _, out, _ = _invoke(["claim", EXAMPLES[3][0][0], "--m", "2", "--k", "2", "--n", "2", "--json"])
    doc = json.loads(out)
    assert "w_{1,2}" in doc["reason"] and doc["counterexample"]["left"] == "g_{1,2} z_{1,1} + g_{2,2} z_{2,1}"


@pytest.mark.parametrize("args", [
    ["claim", "X = X", "--context", "X: 0x3"],
    ["claim", "X = X", "--context", "this is not a context"],
    ["claim", "X = X", "--layout", "sideways"],
    ["claim", "X = X", "--layout", "numerator"],
    ["claim", "X = X", "--convention", "sideways"],
    ["claim", "X = X", "--m", "0"],
    ["claim", "X = X", "--context", "Y = X W, X: 2x3, W: 2x3"],
])
def test_bad_input_exits_2(args: list[str]) -> None:
    exit_code, _, _ = _invoke(args)
    assert exit_code == 2


def test_claims_catalog_cli() -> None:
    exit_code, out, _ = _invoke(["claims"])
    assert exit_code == 0, out
    assert f"{len(CATALOG)}/{len(CATALOG)}" in out
    exit_code, out, _ = _invoke(["claims", "--json"])
    doc = json.loads(out)
    assert exit_code == 0 and doc["ok"] and len(doc["entries"]) == len(CATALOG)
    for entry in doc["entries"]:
        jsonschema.validate(entry["result"], CLAIM_SCHEMA)


def test_catalog_rows_verdicts() -> None:
    ids = {e.id for e in CATALOG}
    assert {"jacobian-vjp", "trace-grad", "trace-not-transpose", "trace-grad-numerator", "jacobian-slice",
            "jacobian-entry", "frobenius", "quadratic-symmetric", "grad-B", "grad-W-numerator", "torch-grad-W"} <= ids
    for entry, result in run_all():
        assert result.verdict.value == entry.expected, (entry.id, result.reason)
    sym = [r for e, r in run_all() if e.id == "quadratic-symmetric"][0]
    assert "symmetric" in sym.suggestion


def test_python_api() -> None:
    r = check_claim("dL/dW = Z^T G")
    assert isinstance(r, ClaimResult) and r.exit_code == 0
    r = check_claim("dY/dW = X^T", context="Y = X W", shapes={"X": (2, 3), "W": (3, 4)})
    assert r.counterexample["left_shape"] == [2, 4, 3, 4]
    r = check_claim(r"\frac{\partial L}{\partial w_{p,q}} = \sum_{i=1}^{N} x_{i,p} g_{i,q}", context="Y = X W",
                    shapes={"N": 2, "X": ("N", 3)})
    assert r.verdict.value == "holds", r.reason
    jsonschema.validate(r.to_dict(), CLAIM_SCHEMA)


# --- several claims at once, and user text echoed safely (issue 11) -------------------------------

LIST_SCHEMA = json.loads((ROOT / "docs" / "schema" / "claim-list-1.json").read_text(encoding="utf-8"))


def _list_validator() -> jsonschema.Draft202012Validator:
    from referencing import Registry, Resource

    registry = Registry().with_resource(CLAIM_SCHEMA["$id"], Resource.from_contents(CLAIM_SCHEMA))
    return jsonschema.Draft202012Validator(LIST_SCHEMA, registry=registry)


def _stdin(args: list[str], text: str) -> tuple[int, str]:
    result = runner.invoke(app, ["claim", "-", *args], input=text)
    return result.exit_code, result.stdout


def test_two_equations_on_two_lines_are_two_claims() -> None:
    text = "dL/dW = Z^T G\ndL/dZ = W G\n"  # the first holds, the second is ill-formed (2×4 times 3×4)
    code, out = _stdin([], text)
    assert code == 1
    assert "claim 1 of 2" in out and "claim 2 of 2" in out and "HOLDS" in out and "FAILS" in out
    code, out = _stdin(["--json"], text)
    doc = json.loads(out)
    _list_validator().validate(doc)
    assert code == 1 and doc["schema"] == "symderiv.claim-list/1" and doc["ok"] is False
    assert [(c["line"], c["result"]["verdict"]) for c in doc["claims"]] == [(1, "holds"), (2, "fails")]
    for entry in doc["claims"]:
        jsonschema.validate(entry["result"], CLAIM_SCHEMA)


def test_claims_that_all_hold_exit_0_and_one_claim_keeps_its_schema() -> None:
    code, out = _stdin(["--json"], "dL/dW = Z^T G\n\ndL/dZ = G W^T\n")
    assert code == 0 and json.loads(out)["ok"] is True
    code, out = _stdin(["--json"], "dL/dW = Z^T G\n")
    assert code == 0 and json.loads(out)["schema"] == SCHEMA


def test_a_multi_line_equation_stays_one_claim() -> None:
    from symderiv.cli.claim import split_claims

    aligned = "\\begin{aligned}\n\\frac{dL}{dW} &= Z^T G \\\\\n &= Z^T G\n\\end{aligned}\n"
    assert len(split_claims(aligned)) == 1
    matrix = "\\frac{dL}{dB} = \\begin{bmatrix}\ng_{1,1} + g_{2,1} & g_{1,2}\n\\end{bmatrix}\n"
    assert len(split_claims(matrix)) == 1
    chained = "dL/dW = Z^T G\n  = Z^T G\n"
    assert len(split_claims(chained)) == 1
    assert [line for line, _ in split_claims("a = b\nc = d\n\ne = f\n")] == [1, 2, 4]
    code, out = _stdin([], aligned)
    assert code == 0 and "claim 1 of" not in out


def test_control_characters_are_escaped_and_long_input_is_cut() -> None:
    code, out = _stdin([], "dL/dW = Z\x1b[31m G\n")
    assert code == 2 and "\x1b" not in out and "\\x1b" in out
    long = "dL/dW = " + " + ".join(["Z^T G"] * 400) + " ?"
    code, out = _stdin([], long)
    assert code == 2 and max(len(line) for line in out.splitlines()) < 600 and "more characters" in out
